// The allocator for the state an operation keeps beside its handler.
//
// handler_allocator<T>(handler) is the handler's associated allocator, or
// Asio's per-thread recycling allocator when that is std::allocator (what a
// handler that names none, or use_future, has), rebound to T: the choice Asio
// makes for its own operations. State
// allocated with it costs no heap allocation in the steady state of a thread
// that runs an io_context, so an adapter costs no more allocations than the
// operation it wraps.
//
// Thread-safety: allocators are values; memory may be freed on any thread.
#ifndef DOTASYNC_CORE_DETAIL_HANDLER_ALLOCATOR_HPP
#define DOTASYNC_CORE_DETAIL_HANDLER_ALLOCATOR_HPP

#include <boost/asio/associated_allocator.hpp>
#include <boost/asio/recycling_allocator.hpp>

#include <memory>
#include <type_traits>

namespace dotasync::detail {

template <class T, class Handler>
auto handler_allocator(const Handler& handler)
{
    auto allocator = boost::asio::get_associated_allocator(handler, boost::asio::recycling_allocator<void>());
    if constexpr (std::is_same_v<decltype(allocator), std::allocator<void>>)
        return boost::asio::recycling_allocator<T>();
    else
        return typename std::allocator_traits<decltype(allocator)>::template rebind_alloc<T>(allocator);
}

} // namespace dotasync::detail

#endif
