// The one way an operation allocates what it keeps beside its handler.
//
// handler_allocator<T>(handler) is the handler's associated allocator, or
// Asio's per-thread recycling allocator when that is std::allocator (what a
// handler that names none, or use_future, has), rebound to T: the choice Asio
// makes for its own operations. State
// allocated with it costs no heap allocation in the steady state of a thread
// that runs an io_context, so an adapter costs no more allocations than the
// operation it wraps.
//
// allocate_shared_for<T>(handler, args...) makes shared state with it, and
// with_handler_allocator(handler) binds it to a handler that is about to be
// type-erased (any_completion_handler allocates with the handler's allocator).
//
// Thread-safety: allocators are values; memory may be freed on any thread.
#ifndef DOTASYNC_CORE_DETAIL_HANDLER_ALLOCATOR_HPP
#define DOTASYNC_CORE_DETAIL_HANDLER_ALLOCATOR_HPP

#include <boost/asio/associated_allocator.hpp>
#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/recycling_allocator.hpp>

#include <memory>
#include <type_traits>
#include <utility>

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

template <class T, class Handler, class... Args>
std::shared_ptr<T> allocate_shared_for(const Handler& handler, Args&&... args)
{
    return std::allocate_shared<T>(handler_allocator<T>(handler), std::forward<Args>(args)...);
}

template <class Handler>
auto with_handler_allocator(Handler&& handler)
{
    auto allocator = handler_allocator<void>(handler);
    return boost::asio::bind_allocator(std::move(allocator), std::forward<Handler>(handler));
}

} // namespace dotasync::detail

#endif
