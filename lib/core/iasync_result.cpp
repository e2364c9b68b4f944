#include <dotasync/core/detail/apm_result.hpp>

#include <dotasync/core/exceptions.hpp>

#include <boost/asio/detail/scheduler.hpp>

namespace dotasync::detail {

namespace {

// The result whose initiating function is running on this thread, if any.
thread_local const apm_result_base* initiating_result = nullptr;

void signal(ManualResetEvent& handle) noexcept
{
    try {
        handle.Set();
    } catch (const ObjectDisposedException&) {
        // The caller closed the handle it asked for; nobody can wait on it.
    }
}

} // namespace

apm_result_base::apm_result_base(AsyncCallback callback, std::any state, const void* owner,
                                 const void* method) noexcept
    : callback_(std::move(callback)), state_(std::move(state)), owner_(owner), method_(method)
{
}

apm_result_base::~apm_result_base()
{
    delete wait_handle_.load(std::memory_order_acquire);
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
    if (state_flag_.load(std::memory_order_seq_cst) != 0)
        signal(*handle);
    return *handle;
}

apm_result_base& apm_result_base::checked(const IAsyncResultPtr& ar, const void* owner,
                                          const void* method)
{
    if (!ar)
        throw ArgumentNullException("asyncResult");
    auto* result = dynamic_cast<apm_result_base*>(ar.get());
    if (result == nullptr || result->owner_ != owner || result->method_ != method)
        throw InvalidOperationException(
            "The IAsyncResult was not returned by the asynchronous operation this End method ends.");
    return *result;
}

void apm_result_base::end_and_wait()
{
    if (ended_.load(std::memory_order_acquire))
        throw InvalidOperationException("End was already called for this asynchronous operation.");
    if (!IsCompleted()) {
        switch (completion_executor_.check()) {
        case completion_executor_probe::verdict::may_complete:
            break;
        case completion_executor_probe::verdict::inside_strand:
            throw InvalidOperationException(
                "End was called inside the strand that must run this operation's completion, before the "
                "operation finished: the wait would never end, because the strand cannot run the completion "
                "while this call blocks it. Call End from the AsyncCallback, from a thread outside the strand, "
                "or co_await the operation instead.");
        case completion_executor_probe::verdict::inside_single_threaded_context:
            throw InvalidOperationException(
                "End was called on the thread that runs the single-threaded io_context this operation "
                "completes on, before the operation finished: the wait would never end, because no other "
                "thread can run the completion while this call blocks. Call End from the AsyncCallback, from "
                "another thread, or co_await the operation instead.");
        }
    }
    if (ended_.exchange(true, std::memory_order_acq_rel))
        throw InvalidOperationException("End was already called for this asynchronous operation.");
    wait_for_completion();
}

void apm_result_base::wait_for_completion() const noexcept
{
    // A futex wait on the completion flag: End blocks without creating a
    // wait handle, so results that are only ended never allocate one.
    while (state_flag_.load(std::memory_order_acquire) == 0)
        state_flag_.wait(0, std::memory_order_acquire);
}

std::exception_ptr apm_result_base::abandoned_error() noexcept
{
    return std::make_exception_ptr(OperationCanceledException(
        "The operation was abandoned: its completion handler was destroyed without being invoked, "
        "because the executor that would have run it was shut down."));
}

void apm_result_base::publish(const IAsyncResultPtr& self, bool failed, bool run_callback)
{
    completed_synchronously_.store(initiating_result == this, std::memory_order_relaxed);
    failed_ = failed;
    state_flag_.store(1, std::memory_order_seq_cst);
    state_flag_.notify_all();
    if (ManualResetEvent* handle = wait_handle_.load(std::memory_order_seq_cst))
        signal(*handle);
    if (run_callback && callback_)
        callback_(self);
}

apm_result_base::initiation_scope::initiation_scope(const apm_result_base& result) noexcept
    : previous_(initiating_result)
{
    initiating_result = &result;
}

apm_result_base::initiation_scope::~initiation_scope()
{
    initiating_result = previous_;
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

// Tells, for each kind of executor the probe keeps, whether the calling
// thread is the only one that could run it.
struct probe_visitor {
    using verdict = completion_executor_probe::verdict;

    verdict operator()(std::monostate) const noexcept { return verdict::may_complete; }

    verdict operator()(const completion_executor_probe::io_executor& executor) const noexcept
    {
        return executor.running_in_this_thread() && runs_on_one_thread(executor.context())
                   ? verdict::inside_single_threaded_context
                   : verdict::may_complete;
    }

    template <class Strand>
    verdict operator()(const Strand& strand) const noexcept
    {
        return strand.running_in_this_thread() ? verdict::inside_strand : verdict::may_complete;
    }
};

} // namespace

completion_executor_probe::verdict completion_executor_probe::check() const noexcept
{
    return std::visit(probe_visitor{}, executor_);
}

} // namespace dotasync::detail
