// BackgroundWorker: runs DoWork on a pool thread and raises ProgressChanged
// and RunWorkerCompleted on the context that called RunWorkerAsync, as .NET's
// System.ComponentModel.BackgroundWorker does.
//
//   BackgroundWorker worker;
//   worker.WorkerReportsProgress(true);
//   worker.DoWork += [&](const std::any&, DoWorkEventArgs& e) {
//       for (int i = 1; i <= 5; ++i) { ...; worker.ReportProgress(i * 20); }
//       e.Result(std::any(42));
//   };
//   worker.RunWorkerCompleted += [](const std::any&, const RunWorkerCompletedEventArgs& e) {
//       std::cout << std::any_cast<int>(e.Result());
//   };
//   worker.RunWorkerAsync();
//
// The sender of all three events is the worker, as a BackgroundWorker* in
// the std::any: state_cast<BackgroundWorker*>(sender) reads it.
//
// RunWorkerAsync(argument) creates an AsyncOperation (capturing
// SynchronizationContext::Current(), or the default context) and raises
// DoWork on the worker's executor: the default runtime, or the executor given
// to the constructor. ReportProgress raises ProgressChanged through that
// AsyncOperation; when DoWork returns, RunWorkerCompleted is raised through it
// too, after IsBusy() has become false (so its handler may start the worker
// again). The .NET rules, all of them:
//   - RunWorkerAsync while IsBusy() → InvalidOperationException;
//   - CancelAsync without WorkerSupportsCancellation → InvalidOperationException;
//     otherwise it sets CancellationPending(), which DoWork polls;
//   - ReportProgress without WorkerReportsProgress → InvalidOperationException;
//     before the first RunWorkerAsync it raises ProgressChanged inline on the
//     calling thread, and after the last run has completed it throws
//     InvalidOperationException (the run's AsyncOperation has ended);
//   - an exception thrown by DoWork arrives in RunWorkerCompleted as Error();
//     Result() then throws TargetInvocationException wrapping it;
//   - e.Cancel(true) in DoWork gives Cancelled(); Result() then throws
//     InvalidOperationException;
//   - otherwise Result() is what DoWork stored with e.Result(value).
//
// Destroying a BackgroundWorker whose DoWork is still running sets
// CancellationPending() and waits for DoWork to return (its handlers refer
// to the worker); the events still queued are then dropped. Destroy it on
// the thread of the context that started it, or after RunWorkerCompleted, so
// that none of its events is running at that moment.
//
// Thread-safety: every member may be called from any thread.
#ifndef DOTASYNC_EAP_BACKGROUND_WORKER_HPP
#define DOTASYNC_EAP_BACKGROUND_WORKER_HPP

#include <dotasync/core/event.hpp>
#include <dotasync/core/export.hpp>
#include <dotasync/eap/async_completed_event_args.hpp>
#include <dotasync/eap/event_args.hpp>
#include <dotasync/eap/progress_changed_event_args.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <any>
#include <exception>
#include <memory>

namespace dotasync {

class DOTASYNC_API DoWorkEventArgs : public EventArgs {
public:
    explicit DoWorkEventArgs(std::any argument);
    ~DoWorkEventArgs() override;

    DoWorkEventArgs(const DoWorkEventArgs&) = default;
    DoWorkEventArgs(DoWorkEventArgs&&) = default;
    DoWorkEventArgs& operator=(const DoWorkEventArgs&) = default;
    DoWorkEventArgs& operator=(DoWorkEventArgs&&) = default;

    // The argument given to RunWorkerAsync.
    const std::any& Argument() const noexcept { return argument_; }
    // What RunWorkerCompletedEventArgs::Result() will return.
    const std::any& Result() const noexcept { return result_; }
    void Result(std::any value) { result_ = std::move(value); }
    // Set by DoWork when it stopped because CancellationPending() was true.
    bool Cancel() const noexcept { return cancel_; }
    void Cancel(bool value) noexcept { cancel_ = value; }

private:
    std::any argument_;
    std::any result_;
    bool cancel_ = false;
};

class DOTASYNC_API RunWorkerCompletedEventArgs : public AsyncCompletedEventArgs {
public:
    RunWorkerCompletedEventArgs(std::any result, std::exception_ptr error, bool canceled);
    ~RunWorkerCompletedEventArgs() override;

    RunWorkerCompletedEventArgs(const RunWorkerCompletedEventArgs&) = default;
    RunWorkerCompletedEventArgs(RunWorkerCompletedEventArgs&&) = default;
    RunWorkerCompletedEventArgs& operator=(const RunWorkerCompletedEventArgs&) = default;
    RunWorkerCompletedEventArgs& operator=(RunWorkerCompletedEventArgs&&) = default;

    // DoWork's result; calls RaiseExceptionIfNecessary() first.
    const std::any& Result() const;

private:
    std::any result_;
};

namespace detail {
struct background_worker_state;
}

class DOTASYNC_API BackgroundWorker {
public:
    BackgroundWorker();
    // DoWork runs on executor instead of the default runtime.
    explicit BackgroundWorker(boost::asio::any_io_executor executor);
    ~BackgroundWorker();

    BackgroundWorker(const BackgroundWorker&) = delete;
    BackgroundWorker& operator=(const BackgroundWorker&) = delete;

    Event<DoWorkEventArgs> DoWork;
    Event<ProgressChangedEventArgs> ProgressChanged;
    Event<RunWorkerCompletedEventArgs> RunWorkerCompleted;

    void RunWorkerAsync(std::any argument = {});
    void CancelAsync();
    void ReportProgress(int percentProgress, std::any userState = {});

    bool IsBusy() const;
    bool CancellationPending() const noexcept;

    bool WorkerReportsProgress() const noexcept;
    void WorkerReportsProgress(bool value) noexcept;
    bool WorkerSupportsCancellation() const noexcept;
    void WorkerSupportsCancellation(bool value) noexcept;

private:
    void work(std::any argument);
    void completed(const RunWorkerCompletedEventArgs& e);

    std::shared_ptr<detail::background_worker_state> state_;
    boost::asio::any_io_executor executor_;
};

} // namespace dotasync

#endif
