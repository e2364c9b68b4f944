#include <dotasync/core/detail/apm_result.hpp>

#include <dotasync/core/exceptions.hpp>

#include "core/detail/layer_hooks.hpp"

#include <boost/asio/detail/call_stack.hpp>
#include <boost/asio/detail/scheduler.hpp>
#include <boost/asio/detail/strand_executor_service.hpp>

#include <array>

namespace dotasync::detail {

namespace {

void signal(ManualResetEvent& handle) noexcept
{
    try {
        handle.Set();
    } catch (const ObjectDisposedException&) {
        // The caller closed the handle it asked for; nobody can wait on it.
    }
}

// What the APM core keeps per thread, in one trivially destructible object so
// that it stays readable while the thread exits.
//
// The result memory cache: a few blocks are enough. Results that are begun
// and ended one after the other reuse the same one or two, and a thread that
// keeps many results pending gains nothing from more. Results of different
// signatures differ in size and a block is reused only for its own size, so a
// full cache gives up its blocks in turn for new ones: blocks of a size no
// longer in use cannot occupy it for good.
struct thread_state {
    struct block {
        void* memory = nullptr;
        std::size_t size = 0;
    };

    // The result whose initiating function is running on this thread, if any.
    const apm_result_base* initiating_result = nullptr;
    std::array<block, 4> blocks{};
    std::size_t next_evicted = 0;
    bool cleanup_registered = false;
    bool closed = false;
};

// Every operation reads this state several times; the initial-exec model
// reaches it with one instruction instead of a call to __tls_get_addr each
// time. The object is a few dozen bytes, well within the static TLS space
// the C library keeps for shared objects.
[[gnu::tls_model("initial-exec")]] thread_local thread_state this_thread;

// Returns the cached blocks to the global allocator when the thread exits.
struct result_memory_cleanup {
    ~result_memory_cleanup()
    {
        this_thread.closed = true;
        for (auto& b : this_thread.blocks)
            if (b.memory != nullptr)
                ::operator delete(std::exchange(b.memory, nullptr), b.size);
    }
};

thread_local result_memory_cleanup cleanup;

} // namespace

void* allocate_result_memory(std::size_t size)
{
    thread_state& state = this_thread;
    if (!state.closed)
        for (auto& b : state.blocks)
            if (b.memory != nullptr && b.size == size)
                return std::exchange(b.memory, nullptr);
    return ::operator new(size);
}

void deallocate_result_memory(void* memory, std::size_t size) noexcept
{
    thread_state& state = this_thread;
    if (state.closed) {
        ::operator delete(memory, size);
        return;
    }
    if (!state.cleanup_registered) {
        state.cleanup_registered = true;
        static_cast<void>(&cleanup);
    }
    for (auto& b : state.blocks) {
        if (b.memory == nullptr) {
            b = {memory, size};
            return;
        }
    }
    auto& evicted = state.blocks[state.next_evicted];
    state.next_evicted = (state.next_evicted + 1) % state.blocks.size();
    ::operator delete(evicted.memory, evicted.size);
    evicted = {memory, size};
}

apm_result_base::~apm_result_base()
{
    delete wait_handle_.load(std::memory_order_acquire);
}

const std::any& apm_result_base::AsyncState() const
{
    static const std::any none;
    return none;
}

WaitHandle& apm_result_base::AsyncWaitHandle() const
{
    ManualResetEvent* handle = wait_handle_.load(std::memory_order_acquire);
    if (handle != nullptr)
        return *handle;

    auto created = std::make_unique<ManualResetEvent>(false);
    if (wait_handle_.compare_exchange_strong(handle, created.get(), std::memory_order_seq_cst))
        handle = created.release();
    // Completion stores the flag and then reads the handle; this reads the flag
    // after publishing the handle. With both sequentially consistent, at least
    // one side sees the other, so the handle is never left unsignalled.
    if ((flags_.load(std::memory_order_seq_cst) & completed_flag) != 0)
        signal(*handle);
    return *handle;
}

void apm_result_base::throw_null_result()
{
    throw ArgumentNullException("asyncResult");
}

void apm_result_base::throw_not_begun_here()
{
    throw InvalidOperationException(
        "The IAsyncResult was not returned by the asynchronous operation this End method ends.");
}

void apm_result_base::throw_ended_twice()
{
    throw InvalidOperationException("End was already called for this asynchronous operation.");
}

void apm_result_base::end_and_wait_slow()
{
    const std::uint32_t seen = flags_.load(std::memory_order_acquire);
    if ((seen & ended_flag) != 0)
        throw_ended_twice();
    if ((seen & completed_flag) == 0) {
        const auto verdict = completion_executor_.check();
        // The probe's pointer is only meaningful while the operation is
        // pending; a completion that slipped in meanwhile makes the wait safe.
        if (verdict != completion_executor_probe::verdict::may_complete && !IsCompleted()) {
            if (verdict == completion_executor_probe::verdict::inside_strand)
                throw InvalidOperationException(
                    "End was called inside the strand that must run this operation's completion, before the "
                    "operation finished: the wait would never end, because the strand cannot run the "
                    "completion while this call blocks it. Call End from the AsyncCallback, from a thread "
                    "outside the strand, or co_await the operation instead.");
            throw InvalidOperationException(
                "End was called on the thread that runs the single-threaded io_context this operation "
                "completes on, before the operation finished: the wait would never end, because no other "
                "thread can run the completion while this call blocks. Call End from the AsyncCallback, from "
                "another thread, or co_await the operation instead.");
        }
    }
    if ((flags_.fetch_or(ended_flag, std::memory_order_acq_rel) & ended_flag) != 0)
        throw_ended_twice();
    wait_for_completion();
}

void apm_result_base::wait_for_completion() const noexcept
{
    // A futex wait on the completion flag: End blocks without creating a
    // wait handle, so results that are only ended never allocate one.
    for (std::uint32_t seen = flags_.load(std::memory_order_acquire); (seen & completed_flag) == 0;
         seen = flags_.load(std::memory_order_acquire))
        flags_.wait(seen, std::memory_order_acquire);
}

std::exception_ptr apm_result_base::abandoned_error() noexcept
{
    return std::make_exception_ptr(OperationCanceledException(
        "The operation was abandoned: its completion handler was destroyed without being invoked, "
        "because the executor that would have run it was shut down."));
}

void apm_result_base::publish(std::uint32_t outcome) noexcept
{
    if (this_thread.initiating_result == this)
        outcome |= completed_synchronously_flag;
    flags_.fetch_or(completed_flag | outcome, std::memory_order_seq_cst);
    flags_.notify_all();
    if (ManualResetEvent* handle = wait_handle_.load(std::memory_order_seq_cst))
        signal(*handle);
}

void apm_result_base::run_callback(const IAsyncResultPtr&)
{
    // A result without extras has no callback.
}

apm_result_base::initiation_scope::initiation_scope(const apm_result_base& result) noexcept
    : slot_(&this_thread.initiating_result), previous_(*slot_)
{
    *slot_ = &result;
}

namespace {

// Whether the io_context promised, through its concurrency hint, that one
// thread runs it. Asio keeps the hint in its scheduler, which it exposes only
// as an implementation detail.
bool runs_on_one_thread(boost::asio::execution_context& context) noexcept
{
    try {
        const int hint = boost::asio::use_service<boost::asio::detail::scheduler>(context).concurrency_hint();
        return hint == 1 || !BOOST_ASIO_CONCURRENCY_HINT_IS_LOCKING(SCHEDULER, hint);
    } catch (...) {
        return false;
    }
}

using strand_impl = boost::asio::detail::strand_executor_service::strand_impl;
using strand_impl_ptr = boost::asio::detail::strand_executor_service::implementation_type;

// A strand keeps its implementation, the object Asio's call stack records
// while the strand runs, in a private member and offers no accessor. The
// language lets an explicit instantiation name a private member, so the
// template below, instantiated once per strand type, defines a function that
// returns a pointer to that member: the one way to reach it without copying
// the strand.
struct io_strand_impl {
    using type = strand_impl_ptr completion_executor_probe::io_strand::*;
};
struct any_strand_impl {
    using type = strand_impl_ptr completion_executor_probe::any_strand::*;
};
io_strand_impl::type impl_member(io_strand_impl) noexcept;
any_strand_impl::type impl_member(any_strand_impl) noexcept;

template <class Tag, typename Tag::type Member>
struct private_impl_member {
    friend typename Tag::type impl_member(Tag) noexcept { return Member; }
};

template struct private_impl_member<io_strand_impl, &completion_executor_probe::io_strand::impl_>;
template struct private_impl_member<any_strand_impl, &completion_executor_probe::any_strand::impl_>;

} // namespace

const void* completion_executor_probe::strand_identity(const io_strand& strand) noexcept
{
    return (strand.*impl_member(io_strand_impl{})).get();
}

const void* completion_executor_probe::strand_identity(const any_strand& strand) noexcept
{
    return (strand.*impl_member(any_strand_impl{})).get();
}

void completion_executor_probe::capture_any(const boost::asio::any_io_executor& executor) noexcept
{
    if (const auto* io = executor.target<io_executor>())
        capture(*io);
    else if (const auto* strand = executor.target<io_strand>())
        capture(*strand);
    else if (const auto* any = executor.target<any_strand>())
        capture(*any);
    else if (const auto* inner = inner_strand(executor))
        // A StrandSynchronizationContext's executor, which the threading
        // layer sees through for core.
        capture(*inner);
}

completion_executor_probe::verdict completion_executor_probe::check() const noexcept
{
    const auto address = target_ & ~kind_mask;
    switch (static_cast<kind>(target_ & kind_mask)) {
    case kind::context: {
        auto& context = *reinterpret_cast<boost::asio::io_context*>(address);
        return context.get_executor().running_in_this_thread() && runs_on_one_thread(context)
                   ? verdict::inside_single_threaded_context
                   : verdict::may_complete;
    }
    case kind::strand:
        return boost::asio::detail::call_stack<strand_impl>::contains(reinterpret_cast<strand_impl*>(address)) !=
                       nullptr
                   ? verdict::inside_strand
                   : verdict::may_complete;
    case kind::none:
        break;
    }
    return verdict::may_complete;
}

} // namespace dotasync::detail
