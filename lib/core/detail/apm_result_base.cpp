#include <dotasync/core/detail/apm_result_base.hpp>

#include <dotasync/core/exceptions.hpp>

#include <memory>

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

// The result whose initiating function is running on this thread, if any.
// Read by every completion; see result_allocator.cpp for the TLS model.
[[gnu::tls_model("initial-exec")]] constinit thread_local const apm_result_base* initiating_result = nullptr;

} // namespace

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
    if (initiating_result == this)
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
    : slot_(&initiating_result), previous_(*slot_)
{
    *slot_ = &result;
}

} // namespace dotasync::detail
