#include <dotasync/eap/background_worker.hpp>

#include <dotasync/core/exceptions.hpp>
#include <dotasync/threading/message_loop_synchronization_context.hpp>
#include <dotasync/threading/strand_synchronization_context.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include "support/waiting.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
using namespace dotasync;
using namespace dotasync_test;

namespace {


// What RunWorkerCompleted saw.
struct completed_seen {
    std::thread::id thread;
    std::exception_ptr error;
    bool canceled = false;
    std::exception_ptr result_error; // what Result() threw
    std::any result;
    bool busy = true;
    bool cancellation_pending = true;
};

completed_seen capture(const BackgroundWorker& worker, const RunWorkerCompletedEventArgs& e)
{
    completed_seen seen;
    seen.thread = std::this_thread::get_id();
    seen.error = e.Error();
    seen.canceled = e.Cancelled();
    seen.result_error = exception_of([&] { seen.result = e.Result(); });
    seen.busy = worker.IsBusy();
    seen.cancellation_pending = worker.CancellationPending();
    return seen;
}

} // namespace

BOOST_AUTO_TEST_SUITE(running)

BOOST_AUTO_TEST_CASE(DoWork_runs_on_a_pool_thread_and_RunWorkerCompleted_on_the_starting_context)
{
    BackgroundWorker worker;
    std::thread::id work_thread;
    BackgroundWorker* sender_seen = nullptr;
    worker.DoWork += [&](const std::any& sender, DoWorkEventArgs& e) {
        work_thread = std::this_thread::get_id();
        sender_seen = std::any_cast<BackgroundWorker*>(sender);
        e.Result(std::any(std::any_cast<int>(e.Argument()) * 2));
    };
    std::optional<completed_seen> seen;
    worker.RunWorkerCompleted += [&](const std::any&, const RunWorkerCompletedEventArgs& e) {
        seen = capture(worker, e);
    };
    MessageLoopSynchronizationContext::Run([&] {
        worker.RunWorkerAsync(21);
        BOOST_TEST(worker.IsBusy());
    });
    BOOST_REQUIRE(seen);
    BOOST_TEST(sender_seen == &worker);
    BOOST_TEST((work_thread != std::this_thread::get_id()));
    BOOST_TEST((work_thread != std::thread::id()));
    BOOST_TEST((seen->thread == std::this_thread::get_id()));
    BOOST_TEST(!seen->error);
    BOOST_TEST(!seen->canceled);
    BOOST_TEST(std::any_cast<int>(seen->result) == 42);
    BOOST_TEST(!seen->busy); // IsBusy() is false by the time the event runs
    BOOST_TEST(!worker.IsBusy());
}

BOOST_AUTO_TEST_CASE(RunWorkerAsync_while_busy_throws_InvalidOperationException)
{
    BackgroundWorker worker;
    std::promise<void> release;
    auto released = release.get_future().share();
    worker.DoWork += [released](const std::any&, DoWorkEventArgs&) { released.wait_for(generous); };
    int completions = 0;
    worker.RunWorkerCompleted += [&](const std::any&, const RunWorkerCompletedEventArgs&) { ++completions; };
    MessageLoopSynchronizationContext::Run([&] {
        worker.RunWorkerAsync();
        BOOST_CHECK_THROW(worker.RunWorkerAsync(), InvalidOperationException);
        release.set_value();
    });
    BOOST_TEST(completions == 1);
}

BOOST_AUTO_TEST_CASE(The_worker_can_be_started_again_from_RunWorkerCompleted)
{
    BackgroundWorker worker;
    worker.DoWork += [](const std::any&, DoWorkEventArgs& e) { e.Result(e.Argument()); };
    std::vector<int> results;
    worker.RunWorkerCompleted += [&](const std::any&, const RunWorkerCompletedEventArgs& e) {
        results.push_back(std::any_cast<int>(e.Result()));
        if (results.size() < 3)
            worker.RunWorkerAsync(static_cast<int>(results.size()) + 1);
    };
    MessageLoopSynchronizationContext::Run([&] { worker.RunWorkerAsync(1); });
    BOOST_TEST(results == (std::vector<int>{1, 2, 3}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(Without_DoWork_handlers_the_worker_completes_with_an_empty_result)
{
    BackgroundWorker worker;
    std::optional<completed_seen> seen;
    worker.RunWorkerCompleted += [&](const std::any&, const RunWorkerCompletedEventArgs& e) {
        seen = capture(worker, e);
    };
    MessageLoopSynchronizationContext::Run([&] { worker.RunWorkerAsync(); });
    BOOST_REQUIRE(seen);
    BOOST_TEST(!seen->result_error);
    BOOST_TEST(!seen->result.has_value());
}

BOOST_AUTO_TEST_CASE(Started_with_no_context_RunWorkerCompleted_is_raised_on_the_default_runtime)
{
    BOOST_REQUIRE(!SynchronizationContext::Current());
    BackgroundWorker worker;
    std::promise<std::pair<std::thread::id, bool>> done;
    worker.RunWorkerCompleted += [&](const std::any&, const RunWorkerCompletedEventArgs&) {
        done.set_value({std::this_thread::get_id(), SynchronizationContext::Current() == nullptr});
    };
    worker.RunWorkerAsync();
    auto [thread, no_context] = get_within(done.get_future());
    BOOST_TEST((thread != std::this_thread::get_id()));
    BOOST_TEST(no_context);
}

BOOST_AUTO_TEST_CASE(DoWork_runs_on_the_executor_given_to_the_constructor)
{
    asio::io_context io;
    BackgroundWorker worker(io.get_executor());
    std::thread::id work_thread;
    worker.DoWork += [&](const std::any&, DoWorkEventArgs&) { work_thread = std::this_thread::get_id(); };
    std::thread runner;
    std::thread::id runner_id;
    MessageLoopSynchronizationContext::Run([&] {
        worker.RunWorkerAsync();
        // DoWork is queued on io, which only this thread runs.
        runner = std::thread([&io] { io.run(); });
        runner_id = runner.get_id();
    });
    runner.join();
    BOOST_TEST((work_thread == runner_id));
}

BOOST_AUTO_TEST_CASE(A_null_executor_throws_ArgumentNullException)
{
    BOOST_CHECK_THROW(BackgroundWorker(asio::any_io_executor()), ArgumentNullException);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(errors)

BOOST_AUTO_TEST_CASE(An_exception_from_DoWork_arrives_as_Error_and_Result_throws_TargetInvocationException)
{
    BackgroundWorker worker;
    worker.DoWork += [](const std::any&, DoWorkEventArgs&) { throw std::runtime_error("work failed"); };
    std::optional<completed_seen> seen;
    worker.RunWorkerCompleted += [&](const std::any&, const RunWorkerCompletedEventArgs& e) {
        seen = capture(worker, e);
    };
    MessageLoopSynchronizationContext::Run([&] { worker.RunWorkerAsync(); });
    BOOST_REQUIRE(seen);
    BOOST_TEST(holds<std::runtime_error>(seen->error));
    BOOST_TEST(!seen->canceled);
    BOOST_REQUIRE(holds<TargetInvocationException>(seen->result_error));
    try {
        std::rethrow_exception(seen->result_error);
    } catch (const TargetInvocationException& e) {
        BOOST_TEST((e.InnerException() == seen->error));
    }
}

BOOST_AUTO_TEST_CASE(CancelAsync_without_WorkerSupportsCancellation_throws_InvalidOperationException)
{
    BackgroundWorker worker;
    BOOST_TEST(!worker.WorkerSupportsCancellation());
    BOOST_CHECK_THROW(worker.CancelAsync(), InvalidOperationException);
    BOOST_TEST(!worker.CancellationPending());
}

BOOST_AUTO_TEST_CASE(ReportProgress_without_WorkerReportsProgress_throws_InvalidOperationException)
{
    BackgroundWorker worker;
    BOOST_TEST(!worker.WorkerReportsProgress());
    BOOST_CHECK_THROW(worker.ReportProgress(10), InvalidOperationException);
    std::exception_ptr from_do_work;
    worker.DoWork += [&](const std::any&, DoWorkEventArgs&) { from_do_work = exception_of([&] { worker.ReportProgress(50); }); };
    MessageLoopSynchronizationContext::Run([&] { worker.RunWorkerAsync(); });
    BOOST_TEST(holds<InvalidOperationException>(from_do_work));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cancellation)

BOOST_AUTO_TEST_CASE(e_Cancel_in_DoWork_gives_Cancelled_and_Result_throws_InvalidOperationException)
{
    BackgroundWorker worker;
    worker.WorkerSupportsCancellation(true);
    std::promise<void> started;
    worker.DoWork += [&](const std::any&, DoWorkEventArgs& e) {
        started.set_value();
        // Polls CancellationPending, as a .NET DoWork does.
        const auto deadline = std::chrono::steady_clock::now() + generous;
        while (!worker.CancellationPending() && std::chrono::steady_clock::now() < deadline)
            std::this_thread::yield();
        if (worker.CancellationPending())
            e.Cancel(true);
        e.Result(std::any(1)); // ignored when canceled
    };
    std::optional<completed_seen> seen;
    worker.RunWorkerCompleted += [&](const std::any&, const RunWorkerCompletedEventArgs& e) {
        seen = capture(worker, e);
    };
    MessageLoopSynchronizationContext::Run([&] {
        worker.RunWorkerAsync();
        started.get_future().wait_for(generous);
        worker.CancelAsync();
        BOOST_TEST(worker.CancellationPending());
    });
    BOOST_REQUIRE(seen);
    BOOST_TEST(seen->canceled);
    BOOST_TEST(!seen->error);
    BOOST_TEST(holds<InvalidOperationException>(seen->result_error));
    BOOST_TEST(!seen->cancellation_pending); // reset before RunWorkerCompleted is raised
}

BOOST_AUTO_TEST_CASE(RunWorkerAsync_clears_a_CancellationPending_left_from_before)
{
    BackgroundWorker worker;
    worker.WorkerSupportsCancellation(true);
    worker.CancelAsync(); // not running: only sets the flag, as in .NET
    BOOST_TEST(worker.CancellationPending());
    bool pending_in_do_work = true;
    worker.DoWork += [&](const std::any&, DoWorkEventArgs&) { pending_in_do_work = worker.CancellationPending(); };
    MessageLoopSynchronizationContext::Run([&] { worker.RunWorkerAsync(); });
    BOOST_TEST(!pending_in_do_work);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(progress)

BOOST_AUTO_TEST_CASE(Five_ReportProgress_calls_raise_five_ProgressChanged_events_in_order_on_the_starting_context)
{
    BackgroundWorker worker;
    worker.WorkerReportsProgress(true);
    worker.DoWork += [&](const std::any&, DoWorkEventArgs&) {
        for (int i = 1; i <= 5; ++i)
            worker.ReportProgress(i * 20, std::string("step ") + std::to_string(i));
    };
    std::vector<int> percentages;
    std::vector<std::string> states;
    int off_loop = 0;
    bool completed_after_progress = false;
    std::shared_ptr<SynchronizationContext> loop;
    worker.ProgressChanged += [&](const std::any& sender, const ProgressChangedEventArgs& e) {
        BOOST_TEST(std::any_cast<BackgroundWorker*>(sender) == &worker); // on the loop thread: the test's own
        percentages.push_back(e.ProgressPercentage());
        states.push_back(std::any_cast<std::string>(e.UserState()));
        if (SynchronizationContext::Current() != loop)
            ++off_loop;
    };
    worker.RunWorkerCompleted += [&](const std::any&, const RunWorkerCompletedEventArgs&) {
        completed_after_progress = percentages.size() == 5;
    };
    MessageLoopSynchronizationContext::Run([&] {
        loop = SynchronizationContext::Current();
        worker.RunWorkerAsync();
    });
    BOOST_TEST(percentages == (std::vector<int>{20, 40, 60, 80, 100}), boost::test_tools::per_element());
    BOOST_TEST(states == (std::vector<std::string>{"step 1", "step 2", "step 3", "step 4", "step 5"}),
               boost::test_tools::per_element());
    BOOST_TEST(off_loop == 0);
    BOOST_TEST(completed_after_progress);
}

BOOST_AUTO_TEST_CASE(ReportProgress_before_the_first_run_raises_ProgressChanged_inline)
{
    BackgroundWorker worker;
    worker.WorkerReportsProgress(true);
    std::thread::id raised_on;
    worker.ProgressChanged += [&](const std::any&, const ProgressChangedEventArgs&) {
        raised_on = std::this_thread::get_id();
    };
    worker.ReportProgress(5);
    BOOST_TEST((raised_on == std::this_thread::get_id()));
}

BOOST_AUTO_TEST_CASE(ReportProgress_after_the_run_has_completed_throws_InvalidOperationException)
{
    BackgroundWorker worker;
    worker.WorkerReportsProgress(true);
    MessageLoopSynchronizationContext::Run([&] { worker.RunWorkerAsync(); });
    BOOST_CHECK_THROW(worker.ReportProgress(100), InvalidOperationException);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(lifetime)

BOOST_AUTO_TEST_CASE(Destroying_a_busy_worker_requests_cancellation_waits_for_DoWork_and_drops_its_events)
{
    asio::io_context io;
    auto work = asio::make_work_guard(io);
    std::thread runner([&io] { io.run(); });
    auto context = std::make_shared<StrandSynchronizationContext>(io.get_executor());

    auto worker = std::make_unique<BackgroundWorker>();
    worker->WorkerReportsProgress(true);
    std::promise<void> started;
    std::atomic<bool> saw_cancellation{false};
    std::atomic<int> events{0};
    BackgroundWorker* raw = worker.get();
    worker->DoWork += [&, raw](const std::any&, DoWorkEventArgs&) {
        started.set_value();
        const auto deadline = std::chrono::steady_clock::now() + generous;
        while (!raw->CancellationPending() && std::chrono::steady_clock::now() < deadline)
            std::this_thread::yield();
        saw_cancellation = raw->CancellationPending();
        raw->ReportProgress(50);
    };
    worker->ProgressChanged += [&](const std::any&, const ProgressChangedEventArgs&) { ++events; };
    worker->RunWorkerCompleted += [&](const std::any&, const RunWorkerCompletedEventArgs&) { ++events; };

    SynchronizationContext::SetSynchronizationContext(context);
    worker->RunWorkerAsync();
    SynchronizationContext::SetSynchronizationContext(nullptr);
    started.get_future().wait_for(generous);
    worker.reset(); // returns once DoWork has returned
    BOOST_TEST(saw_cancellation.load());

    // DoWork posted its events and ended the run's operation before it
    // returned; a callback queued now runs after those events, which have
    // been dropped by then.
    BOOST_TEST(context->outstanding_operations() == 0u);
    std::promise<void> drained;
    context->Post([&](const std::any&) { drained.set_value(); }, {});
    BOOST_REQUIRE(drained.get_future().wait_for(generous) == std::future_status::ready);
    BOOST_TEST(events.load() == 0);

    work.reset();
    runner.join();
}

BOOST_AUTO_TEST_CASE(The_properties_can_be_set_and_read)
{
    BackgroundWorker worker;
    worker.WorkerReportsProgress(true);
    worker.WorkerSupportsCancellation(true);
    BOOST_TEST(worker.WorkerReportsProgress());
    BOOST_TEST(worker.WorkerSupportsCancellation());
    worker.WorkerReportsProgress(false);
    worker.WorkerSupportsCancellation(false);
    BOOST_TEST(!worker.WorkerReportsProgress());
    BOOST_TEST(!worker.WorkerSupportsCancellation());
    BOOST_TEST(!worker.IsBusy());
    BOOST_TEST(!worker.CancellationPending());
}

BOOST_AUTO_TEST_SUITE_END()
