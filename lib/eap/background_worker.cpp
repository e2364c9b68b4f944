#include <dotasync/eap/background_worker.hpp>

#include <dotasync/core/exceptions.hpp>
#include <dotasync/core/logging.hpp>
#include <dotasync/core/state_cast.hpp>
#include <dotasync/eap/async_operation.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include <boost/asio/post.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>

namespace dotasync {

DoWorkEventArgs::DoWorkEventArgs(std::any argument) : argument_(detail::non_null_state(std::move(argument))) {}

DoWorkEventArgs::~DoWorkEventArgs() = default;

RunWorkerCompletedEventArgs::RunWorkerCompletedEventArgs(std::any result, std::exception_ptr error, bool canceled)
    // .NET's RunWorkerCompletedEventArgs has no user state.
    : AsyncCompletedEventArgs(std::move(error), canceled, std::any()), result_(std::move(result))
{
}

RunWorkerCompletedEventArgs::~RunWorkerCompletedEventArgs() = default;

const std::any& RunWorkerCompletedEventArgs::Result() const
{
    RaiseExceptionIfNecessary();
    return result_;
}

namespace detail {

// What the worker shares with its queued callbacks, which may outlive it.
struct background_worker_state {
    std::atomic<bool> reports_progress{false};
    std::atomic<bool> supports_cancellation{false};
    std::atomic<bool> cancellation_pending{false};
    // False once the worker is being destroyed: queued events are dropped.
    std::atomic<bool> alive{true};

    std::mutex mutex;
    std::condition_variable work_done;
    bool running = false; // IsBusy(): from RunWorkerAsync until RunWorkerCompleted is raised
    // DoWork calls queued and not yet finished. Usually 0 or 1; 2 for a moment
    // when RunWorkerCompleted starts the next run while the previous DoWork
    // call is still winding down.
    int pending_work = 0;
    std::thread::id work_thread; // the thread running DoWork, if any
    // The current run's operation; null between runs.
    std::shared_ptr<AsyncOperation> operation;
    // A run has ended: ReportProgress outside a run then throws, as it does
    // in .NET on the run's completed operation.
    bool has_run = false;
};

// Travels with the queued DoWork call. If that call is destroyed without
// running (its executor was shut down), the worker must not stay busy, nor
// its destructor wait for a DoWork that will never return.
class background_work_ticket {
public:
    explicit background_work_ticket(std::shared_ptr<background_worker_state> state) noexcept
        : state_(std::move(state))
    {
    }

    background_work_ticket(background_work_ticket&& other) noexcept : state_(std::move(other.state_)) {}
    background_work_ticket& operator=(background_work_ticket&&) = delete;

    ~background_work_ticket()
    {
        if (!state_)
            return;
        std::shared_ptr<AsyncOperation> operation;
        {
            std::lock_guard lock(state_->mutex);
            state_->running = false;
            --state_->pending_work;
            operation = std::move(state_->operation);
            state_->has_run = true;
            state_->work_done.notify_all();
        }
        // The run's operation ends without RunWorkerCompleted, so that a
        // context counting operations does not wait for it.
        try {
            if (operation && !operation->is_completed())
                operation->OperationCompleted();
        } catch (...) {
            log_callback_exception("BackgroundWorker: ending a run whose DoWork never ran", std::current_exception());
        }
    }

    // DoWork ran; the worker takes it from here.
    void release() noexcept { state_.reset(); }

private:
    std::shared_ptr<background_worker_state> state_;
};

} // namespace detail

BackgroundWorker::BackgroundWorker() : BackgroundWorker(ThreadPool::Executor()) {}

BackgroundWorker::BackgroundWorker(boost::asio::any_io_executor executor)
    : state_(std::make_shared<detail::background_worker_state>()), executor_(std::move(executor))
{
    if (!executor_)
        throw ArgumentNullException("executor");
}

BackgroundWorker::~BackgroundWorker()
{
    std::unique_lock lock(state_->mutex);
    state_->alive.store(false, std::memory_order_release);
    state_->cancellation_pending.store(true, std::memory_order_release);
    // DoWork's handlers refer to this worker, so it must not outlive them;
    // a worker destroyed by its own DoWork cannot wait for itself.
    if (state_->work_thread != std::this_thread::get_id())
        state_->work_done.wait(lock, [this] { return state_->pending_work == 0; });
}

void BackgroundWorker::RunWorkerAsync(std::any argument)
{
    {
        std::lock_guard lock(state_->mutex);
        if (state_->running)
            throw InvalidOperationException(
                "The BackgroundWorker is already running; start it again once RunWorkerCompleted has been raised.");
        state_->running = true;
        ++state_->pending_work;
        state_->cancellation_pending.store(false, std::memory_order_release);
    }
    // From here on the ticket puts the worker back to idle if DoWork cannot
    // be queued, or is dropped without running.
    detail::background_work_ticket ticket(state_);
    auto operation = AsyncOperationManager::CreateOperation(std::any());
    {
        std::lock_guard lock(state_->mutex);
        state_->operation = std::move(operation);
    }
    boost::asio::post(executor_, [this, ticket = std::move(ticket), argument = std::move(argument)]() mutable {
        ticket.release();
        work(std::move(argument));
    });
}

void BackgroundWorker::work(std::any argument)
{
    // Once the completion is posted, the worker may be destroyed or start its
    // next run at any moment, so the tail of this function uses only these
    // locals.
    auto state = state_;
    std::shared_ptr<AsyncOperation> operation;
    {
        std::lock_guard lock(state->mutex);
        state->work_thread = std::this_thread::get_id();
        operation = state->operation;
    }

    std::any result;
    std::exception_ptr error;
    bool canceled = false;
    try {
        DoWorkEventArgs e(std::move(argument));
        DoWork.Invoke(this, e);
        if (e.Cancel())
            canceled = true;
        else
            result = e.Result();
    } catch (...) {
        error = std::current_exception();
    }

    {
        // From here on ReportProgress has no run to report to.
        std::lock_guard lock(state->mutex);
        state->operation.reset();
        state->has_run = true;
        state->work_thread = {};
    }
    try {
        auto e = std::make_shared<RunWorkerCompletedEventArgs>(std::move(result), std::move(error), canceled);
        operation->PostOperationCompleted(
            [this, state, e](const std::any&) {
                if (state->alive.load(std::memory_order_acquire))
                    completed(*e);
            },
            {});
    } catch (...) {
        // The context refused the completion; the operation then ends without
        // it, and the worker must not stay busy forever.
        detail::log_callback_exception("BackgroundWorker: posting RunWorkerCompleted", std::current_exception());
        std::lock_guard lock(state->mutex);
        state->running = false;
    }
    // The operation holds the context, which must not outlive its executor,
    // so it is released before the worker's destructor may return.
    operation.reset();

    std::lock_guard lock(state->mutex);
    --state->pending_work;
    state->work_done.notify_all();
}

void BackgroundWorker::completed(const RunWorkerCompletedEventArgs& e)
{
    {
        std::lock_guard lock(state_->mutex);
        state_->running = false;
        state_->cancellation_pending.store(false, std::memory_order_release);
    }
    RunWorkerCompletedEventArgs args = e;
    RunWorkerCompleted.Invoke(this, args);
}

void BackgroundWorker::CancelAsync()
{
    if (!WorkerSupportsCancellation())
        throw InvalidOperationException(
            "The BackgroundWorker does not support cancellation; call WorkerSupportsCancellation(true) first.");
    state_->cancellation_pending.store(true, std::memory_order_release);
}

void BackgroundWorker::ReportProgress(int percentProgress, std::any userState)
{
    if (!WorkerReportsProgress())
        throw InvalidOperationException(
            "The BackgroundWorker does not report progress; call WorkerReportsProgress(true) first.");
    auto e = std::make_shared<ProgressChangedEventArgs>(percentProgress, std::move(userState));
    std::shared_ptr<AsyncOperation> operation;
    bool has_run = false;
    {
        std::lock_guard lock(state_->mutex);
        operation = state_->operation;
        has_run = state_->has_run;
    }
    if (!operation) {
        if (has_run)
            throw InvalidOperationException(
                "The BackgroundWorker's run has completed; progress can only be reported while it runs.");
        // Never started: .NET raises the event on the calling thread.
        ProgressChanged.Invoke(this, *e);
        return;
    }
    operation->Post(
        [this, state = state_, e](const std::any&) {
            if (state->alive.load(std::memory_order_acquire))
                ProgressChanged.Invoke(this, *e);
        },
        {});
}

bool BackgroundWorker::IsBusy() const
{
    std::lock_guard lock(state_->mutex);
    return state_->running;
}

bool BackgroundWorker::CancellationPending() const noexcept
{
    return state_->cancellation_pending.load(std::memory_order_acquire);
}

bool BackgroundWorker::WorkerReportsProgress() const noexcept
{
    return state_->reports_progress.load(std::memory_order_acquire);
}

void BackgroundWorker::WorkerReportsProgress(bool value) noexcept
{
    state_->reports_progress.store(value, std::memory_order_release);
}

bool BackgroundWorker::WorkerSupportsCancellation() const noexcept
{
    return state_->supports_cancellation.load(std::memory_order_acquire);
}

void BackgroundWorker::WorkerSupportsCancellation(bool value) noexcept
{
    state_->supports_cancellation.store(value, std::memory_order_release);
}

} // namespace dotasync
