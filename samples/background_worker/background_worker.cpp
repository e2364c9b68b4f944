// BackgroundWorker: long work on a pool thread, with progress, cancellation
// and completion reported on the thread that started it.
//
// The program runs a message loop (MessageLoopSynchronizationContext::Run),
// the console stand-in for a .NET UI thread, and starts one BackgroundWorker
// three times from it:
//   1. a run that reports progress five times and completes with a result;
//   2. a run cancelled from its ProgressChanged handler (CancelAsync), which
//      DoWork notices through CancellationPending() and reports with
//      e.Cancel(true);
//   3. a run whose DoWork throws: the exception arrives in RunWorkerCompleted
//      as Error(), and Result() throws TargetInvocationException around it.
// DoWork prints from a pool thread; ProgressChanged and RunWorkerCompleted
// print from the loop thread. Each run is started by the previous run's
// RunWorkerCompleted handler; the loop returns when the last one is done.
#include <dotasync/dotasync.hpp>

#include <any>
#include <atomic>
#include <chrono>
#include <exception>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

using namespace std::chrono_literals;
using dotasync::BackgroundWorker;
using dotasync::DoWorkEventArgs;
using dotasync::ProgressChangedEventArgs;
using dotasync::RunWorkerCompletedEventArgs;

namespace {

int ManagedThreadId()
{
    static std::atomic<int> next{1};
    thread_local const int id = next.fetch_add(1);
    return id;
}

void WriteLine(const std::string& line)
{
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    std::cout << "[thread " << ManagedThreadId() << "] " << line << '\n' << std::flush;
}

enum class Run { Result = 1, Cancelled, Failed };

std::string message_of(const std::exception_ptr& error)
{
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        return e.what();
    }
}

} // namespace

int main()
{
    const int loopThread = ManagedThreadId();
    BackgroundWorker worker;
    worker.WorkerReportsProgress(true);
    worker.WorkerSupportsCancellation(true);
    // Which run is going on; read and written on the loop thread only.
    Run current = Run::Result;

    // Sums 1..1,000,000 in five slices, standing for long computation, and
    // reports after each slice. The argument says which run this is.
    worker.DoWork += [&worker](const std::any&, DoWorkEventArgs& e) {
        const auto run = std::any_cast<Run>(e.Argument());
        WriteLine("  DoWork started on a pool thread");
        long long sum = 0;
        for (int slice = 1; slice <= 5; ++slice) {
            if (worker.CancellationPending()) {
                WriteLine("  DoWork sees CancellationPending() and stops");
                e.Cancel(true);
                return;
            }
            if (run == Run::Failed && slice == 3)
                throw std::runtime_error("the data for slice 3 is corrupt");
            for (long long i = (slice - 1) * 200000LL + 1; i <= slice * 200000LL; ++i)
                sum += i;
            std::this_thread::sleep_for(60ms); // the rest of the slice's work
            worker.ReportProgress(slice * 20, std::string("slice ") + std::to_string(slice));
        }
        e.Result(sum);
    };

    worker.ProgressChanged += [&](const std::any&, const ProgressChangedEventArgs& e) {
        WriteLine("  ProgressChanged " + std::to_string(e.ProgressPercentage()) + "% (" +
                  std::any_cast<std::string>(e.UserState()) +
                  "); on the loop thread: " + (ManagedThreadId() == loopThread ? "yes" : "NO"));
        if (current == Run::Cancelled && e.ProgressPercentage() == 40) {
            WriteLine("  the user presses Cancel: CancelAsync()");
            worker.CancelAsync();
        }
    };

    worker.RunWorkerCompleted += [&](const std::any&, const RunWorkerCompletedEventArgs& e) {
        WriteLine(std::string("  RunWorkerCompleted on the loop thread: ") +
                  (ManagedThreadId() == loopThread ? "yes" : "NO") + "; IsBusy() = " +
                  (worker.IsBusy() ? "true" : "false"));
        if (e.Cancelled())
            WriteLine("  Cancelled() = true");
        if (e.Error())
            WriteLine("  Error() = " + message_of(e.Error()));
        try {
            WriteLine("  Result() = " + std::to_string(std::any_cast<long long>(e.Result())));
        } catch (const dotasync::TargetInvocationException& ex) {
            WriteLine(std::string("  Result() threw TargetInvocationException; inner: ") +
                      message_of(ex.InnerException()));
        } catch (const dotasync::InvalidOperationException& ex) {
            WriteLine(std::string("  Result() threw InvalidOperationException: ") + ex.what());
        }

        if (current == Run::Result) {
            current = Run::Cancelled;
            WriteLine("2. a run cancelled at 40%");
            worker.RunWorkerAsync(current);
        } else if (current == Run::Cancelled) {
            current = Run::Failed;
            WriteLine("3. a run whose DoWork throws");
            worker.RunWorkerAsync(current);
        }
    };

    try {
        dotasync::MessageLoopSynchronizationContext::Run([&] {
            WriteLine("1. a run that completes with a result (the loop runs on thread " +
                      std::to_string(loopThread) + ")");
            worker.RunWorkerAsync(current);
            try {
                worker.RunWorkerAsync(current);
            } catch (const dotasync::InvalidOperationException& ex) {
                WriteLine(std::string("  a second RunWorkerAsync while busy is refused: ") + ex.what());
            }
        });
        WriteLine("the loop has returned: all three runs are over");
    } catch (const std::exception& e) {
        WriteLine(std::string("background_worker: ") + e.what());
        return 1;
    }
    return 0;
}
