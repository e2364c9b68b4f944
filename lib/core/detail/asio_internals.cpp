#include "core/detail/asio_internals.hpp"

#include <new>

#if DOTASYNC_ASIO_INTERNALS_VERIFIED
#include <boost/asio/detail/call_stack.hpp>
#include <boost/asio/detail/scheduler.hpp>
#include <boost/asio/detail/strand_executor_service.hpp>
#include <boost/asio/detail/thread_context.hpp>
#include <boost/asio/detail/thread_info_base.hpp>
#endif

namespace dotasync::detail::asio_internals {

#if DOTASYNC_ASIO_INTERNALS_VERIFIED

namespace {

using strand_impl = boost::asio::detail::strand_executor_service::strand_impl;
using strand_impl_ptr = boost::asio::detail::strand_executor_service::implementation_type;

// A strand keeps its implementation, the object Asio's call stack records
// while the strand runs, in a private member impl_ and offers no accessor.
// The language lets an explicit instantiation name a private member, so the
// template below, instantiated once per strand type, defines a function that
// returns a pointer to that member: the one way to reach it without copying
// the strand.
struct io_strand_impl {
    using type = strand_impl_ptr io_strand::*;
};
struct any_strand_impl {
    using type = strand_impl_ptr any_strand::*;
};
io_strand_impl::type impl_member(io_strand_impl) noexcept;
any_strand_impl::type impl_member(any_strand_impl) noexcept;

template <class Tag, typename Tag::type Member>
struct private_impl_member {
    friend typename Tag::type impl_member(Tag) noexcept { return Member; }
};

template struct private_impl_member<io_strand_impl, &io_strand::impl_>;
template struct private_impl_member<any_strand_impl, &any_strand::impl_>;

using recycling_purpose = boost::asio::detail::thread_info_base::parallel_group_tag;

} // namespace

const void* strand_identity(const io_strand& strand) noexcept
{
    return (strand.*impl_member(io_strand_impl{})).get();
}

const void* strand_identity(const any_strand& strand) noexcept
{
    return (strand.*impl_member(any_strand_impl{})).get();
}

bool running_in_strand(const void* identity) noexcept
{
    return identity != nullptr &&
           boost::asio::detail::call_stack<strand_impl>::contains(
               static_cast<strand_impl*>(const_cast<void*>(identity))) != nullptr;
}

bool promises_one_thread(boost::asio::io_context& context) noexcept
{
    try {
        const int hint = boost::asio::use_service<boost::asio::detail::scheduler>(context).concurrency_hint();
        return hint == 1 || !BOOST_ASIO_CONCURRENCY_HINT_IS_LOCKING(SCHEDULER, hint);
    } catch (...) {
        return false;
    }
}

void* allocate_recycled(std::size_t size)
{
    return boost::asio::detail::thread_info_base::allocate(
        recycling_purpose(), boost::asio::detail::thread_context::top_of_thread_call_stack(), size);
}

void deallocate_recycled(void* block, std::size_t size) noexcept
{
    boost::asio::detail::thread_info_base::deallocate(
        recycling_purpose(), boost::asio::detail::thread_context::top_of_thread_call_stack(), block, size);
}

#else

// An unverified Boost: nothing of Asio's internals is touched.

const void* strand_identity(const io_strand&) noexcept
{
    return nullptr;
}

const void* strand_identity(const any_strand&) noexcept
{
    return nullptr;
}

bool running_in_strand(const void*) noexcept
{
    return false;
}

bool promises_one_thread(boost::asio::io_context&) noexcept
{
    return false;
}

void* allocate_recycled(std::size_t size)
{
    return ::operator new(size);
}

void deallocate_recycled(void* block, std::size_t size) noexcept
{
    ::operator delete(block, size);
}

#endif

} // namespace dotasync::detail::asio_internals
