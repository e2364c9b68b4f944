#include <dotasync/tap/task_of.hpp>
#include <dotasync/tap/use_task.hpp>

#include <dotasync/core/cancellation.hpp>
#include <dotasync/core/exceptions.hpp>
#include <dotasync/io/memory_stream.hpp>
#include <dotasync/tap/task.hpp>
#include <dotasync/tap/task_factory.hpp>
#include <dotasync/tap/task_to_async_result.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include "support/log_capture.hpp"
#include "support/waiting.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <span>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
using namespace dotasync;
using namespace dotasync_test;

namespace {

// A task that stays running until the returned promise is kept.
struct gated_task {
    std::shared_ptr<std::promise<void>> gate = std::make_shared<std::promise<void>>();
    TaskOf<int> task = Task::Run(
        [future = gate->get_future().share()] {
            future.wait();
            return 42;
        },
        use_task);

    void open() { gate->set_value(); }
};

TaskOf<int> failed_task()
{
    return Task::Run([]() -> int { throw std::out_of_range("task failed"); }, use_task);
}

TaskOf<int> canceled_task()
{
    CancellationTokenSource cts;
    cts.Cancel();
    return Task::Run([] { return 1; }, cts.Token(), use_task);
}

// Waits for a task without using the members under test.
void settle(const TaskOf<void>& task)
{
    BOOST_REQUIRE(task.AsIAsyncResult()->AsyncWaitHandle().WaitOne(std::chrono::milliseconds(generous)));
}

template <class E>
bool aggregate_holds(const std::exception_ptr& error)
{
    try {
        std::rethrow_exception(error);
    } catch (const AggregateException& aggregate) {
        return aggregate.InnerExceptions().size() == 1 && holds<E>(aggregate.InnerExceptions()[0]);
    } catch (...) {
        return false;
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(hot_start)

BOOST_AUTO_TEST_CASE(An_operation_started_with_use_task_runs_although_nobody_awaits_it)
{
    std::promise<void> ran;
    {
        auto task = Task::Run([&] { ran.set_value(); }, use_task);
    }
    get_within(ran.get_future());
}

BOOST_AUTO_TEST_CASE(A_timer_started_with_use_task_is_a_running_TaskOf_void)
{
    asio::io_context io;
    asio::steady_timer timer(io, std::chrono::milliseconds(1));
    TaskOf<void> task = timer.async_wait(use_task);
    BOOST_TEST(!task.IsCompleted());
    BOOST_TEST((task.Status() == TaskStatus::WaitingForActivation));
    io.run_for(generous);
    BOOST_TEST((task.Status() == TaskStatus::RanToCompletion));
}

BOOST_AUTO_TEST_CASE(An_error_code_becomes_the_tasks_failure_and_operation_aborted_makes_it_Canceled)
{
    asio::io_context io;
    asio::steady_timer timer(io, std::chrono::hours(1));
    TaskOf<void> task = timer.async_wait(use_task);
    timer.cancel();
    io.run_for(generous);
    BOOST_TEST(task.IsCanceled());
    BOOST_CHECK_THROW(task.Wait(), AggregateException);
}

BOOST_AUTO_TEST_CASE(A_stream_read_started_with_use_task_is_a_TaskOf_int)
{
    const std::vector<std::byte> content(10, std::byte{7});
    auto stream = std::make_shared<MemoryStream>(std::span<const std::byte>(content));
    std::vector<std::byte> buffer(4);
    TaskOf<int> read = stream->ReadAsync(buffer, use_task);
    BOOST_TEST(read.Result() == 4);
    BOOST_TEST((buffer[3] == std::byte{7}));
}

BOOST_AUTO_TEST_CASE(A_coroutine_spawned_with_use_task_is_a_TaskOf_its_result)
{
    asio::io_context io;
    TaskOf<int> task = asio::co_spawn(io, []() -> asio::awaitable<int> { co_return 7; }, use_task);
    io.run_for(generous);
    BOOST_TEST(task.Result() == 7);
}

BOOST_AUTO_TEST_CASE(An_operation_whose_executor_shuts_down_unfinished_completes_its_task_as_Canceled)
{
    TaskOf<void> task;
    {
        asio::io_context io;
        asio::steady_timer timer(io, std::chrono::hours(1));
        task = timer.async_wait(use_task);
    }
    BOOST_TEST(task.IsCanceled());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(members)

BOOST_AUTO_TEST_CASE(Result_blocks_until_the_value_is_there_and_returns_it_every_time)
{
    gated_task gated;
    auto task = gated.task;
    std::thread opener([&] { gated.open(); });
    BOOST_TEST(task.Result() == 42);
    BOOST_TEST(task.Result() == 42);
    opener.join();
    BOOST_TEST(task.IsCompletedSuccessfully());
    BOOST_TEST(!task.IsFaulted());
    BOOST_TEST(!task.IsCanceled());
    BOOST_TEST(!task.Exception());
}

BOOST_AUTO_TEST_CASE(A_faulted_task_throws_AggregateException_from_Result_and_Wait_and_gives_it_as_Exception)
{
    auto task = failed_task();
    settle(task);
    BOOST_TEST((task.Status() == TaskStatus::Faulted));
    BOOST_TEST(task.IsFaulted());
    BOOST_TEST(task.IsCompleted());
    BOOST_TEST(!task.IsCompletedSuccessfully());
    BOOST_TEST(aggregate_holds<std::out_of_range>(task.Exception()));
    try {
        (void)task.Result();
        BOOST_FAIL("Result did not throw");
    } catch (const AggregateException& e) {
        BOOST_TEST(holds<std::out_of_range>(e.InnerExceptions().at(0)));
    }
    BOOST_CHECK_THROW(task.Wait(), AggregateException);
    BOOST_CHECK_THROW(task.Wait(0), AggregateException);
}

BOOST_AUTO_TEST_CASE(A_canceled_task_has_no_Exception_and_Result_throws_AggregateException_around_the_cancellation)
{
    auto task = canceled_task();
    settle(task);
    BOOST_TEST((task.Status() == TaskStatus::Canceled));
    BOOST_TEST(!task.Exception());
    try {
        (void)task.Result();
        BOOST_FAIL("Result did not throw");
    } catch (const AggregateException& e) {
        BOOST_TEST(holds<OperationCanceledException>(e.InnerExceptions().at(0)));
    }
}

BOOST_AUTO_TEST_CASE(Wait_with_a_time_out_returns_false_while_running_and_true_once_done)
{
    gated_task gated;
    BOOST_TEST(!gated.task.Wait(10));
    gated.open();
    BOOST_TEST(gated.task.Wait(static_cast<int>(std::chrono::milliseconds(generous).count())));
    BOOST_TEST(gated.task.Wait(0));
}

BOOST_AUTO_TEST_CASE(Wait_with_a_time_out_below_minus_one_throws_ArgumentOutOfRangeException)
{
    gated_task gated;
    BOOST_CHECK_THROW(gated.task.Wait(-2), ArgumentOutOfRangeException);
    gated.open();
}

BOOST_AUTO_TEST_CASE(Wait_with_a_token_canceled_first_throws_OperationCanceledException)
{
    gated_task gated;
    CancellationTokenSource cts;
    std::thread canceler([&] { cts.Cancel(); });
    BOOST_CHECK_THROW(gated.task.Wait(cts.Token()), OperationCanceledException);
    canceler.join();
    BOOST_TEST(!gated.task.IsCompleted());
    gated.open();
    gated.task.Wait(CancellationTokenSource().Token());
    BOOST_TEST(gated.task.IsCompletedSuccessfully());
}

BOOST_AUTO_TEST_CASE(Ids_are_positive_stable_and_distinct)
{
    auto a = Task::Run([] { return 1; }, use_task);
    auto b = Task::Run([] { return 2; }, use_task);
    BOOST_TEST(a.Id() > 0);
    BOOST_TEST(a.Id() == a.Id());
    BOOST_TEST(a.Id() != b.Id());
    a.Wait();
    b.Wait();
}

BOOST_AUTO_TEST_CASE(Copies_are_equal_and_other_tasks_are_not)
{
    auto a = Task::Run([] { return 1; }, use_task);
    auto copy = a;
    TaskOf<void> untyped = a;
    auto b = Task::Run([] { return 1; }, use_task);
    BOOST_TEST((copy == a));
    BOOST_TEST((untyped == a));
    BOOST_TEST(!(b == a));
    a.Wait();
    b.Wait();
}

BOOST_AUTO_TEST_CASE(A_task_is_an_IAsyncResult_whose_wait_handle_is_set_at_completion)
{
    gated_task gated;
    IAsyncResultPtr ar = gated.task;
    BOOST_TEST(!ar->IsCompleted());
    BOOST_TEST(!ar->AsyncWaitHandle().WaitOne(0));
    gated.open();
    BOOST_TEST(ar->AsyncWaitHandle().WaitOne(std::chrono::milliseconds(generous)));
    BOOST_TEST(ar->IsCompleted());
    BOOST_TEST(!ar->CompletedSynchronously());
    BOOST_TEST(!ar->AsyncState().has_value());
    BOOST_TEST((ar == gated.task.AsIAsyncResult()));
}

BOOST_AUTO_TEST_CASE(Every_member_of_an_empty_task_throws_InvalidOperationException)
{
    TaskOf<int> empty;
    BOOST_CHECK_THROW(empty.Status(), InvalidOperationException);
    BOOST_CHECK_THROW((void)empty.Result(), InvalidOperationException);
    BOOST_CHECK_THROW(empty.Wait(), InvalidOperationException);
    BOOST_CHECK_THROW(empty.AsIAsyncResult(), InvalidOperationException);
    BOOST_CHECK_THROW(empty.async_wait(asio::use_future), InvalidOperationException);
    BOOST_TEST((empty == TaskOf<int>()));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(awaiting)

BOOST_AUTO_TEST_CASE(co_await_of_async_wait_gives_the_value_and_a_finished_task_can_be_awaited_again)
{
    asio::io_context io;
    gated_task gated;
    auto result = asio::co_spawn(
        io,
        [task = gated.task]() -> asio::awaitable<int> {
            const int first = co_await task.async_wait(asio::use_awaitable);
            const int second = co_await task.async_wait(asio::use_awaitable);
            co_await TaskOf<void>(task);
            co_return first + second;
        },
        asio::use_future);
    gated.open();
    io.run_for(generous);
    BOOST_TEST(get_within(result) == 84);
}

BOOST_AUTO_TEST_CASE(co_await_of_a_finished_task_continues_before_work_queued_earlier_runs)
{
    // .NET continues synchronously after awaiting a finished task; so does
    // co_await of async_wait: the handler posted before it has not run yet.
    asio::io_context io;
    const TaskOf<int> task = Task::FromResult(21, use_task);
    BOOST_REQUIRE(task.IsCompleted());
    bool queued_ran = false;
    auto result = asio::co_spawn(
        io,
        [&io, &queued_ran, task]() -> asio::awaitable<std::string> {
            asio::post(io, [&queued_ran] { queued_ran = true; });
            const int value = co_await task.async_wait(asio::use_awaitable);
            co_await TaskOf<void>(task).async_wait(asio::use_awaitable);
            co_return std::to_string(value) + (queued_ran ? " after queued work" : " at once");
        },
        asio::use_future);
    io.run_for(generous);
    BOOST_TEST(get_within(result) == "21 at once");
}

BOOST_AUTO_TEST_CASE(The_awaitable_of_a_finished_task_can_be_awaited_after_the_task_is_dropped)
{
    // async_wait(use_awaitable) on a finished task takes its outcome with it,
    // so an awaitable kept in a variable outlives every TaskOf of the task.
    asio::io_context io;
    auto result = asio::co_spawn(
        io,
        []() -> asio::awaitable<std::string> {
            auto value = Task::FromResult(std::string("kept"), use_task).async_wait(asio::use_awaitable);
            auto failure = Task::FromException<int>(std::make_exception_ptr(std::out_of_range("gone")), use_task)
                               .async_wait(asio::use_awaitable);
            auto done = TaskOf<void>(Task::FromResult(1, use_task)).async_wait(asio::use_awaitable);
            co_await std::move(done);
            std::string text = co_await std::move(value);
            try {
                co_await std::move(failure);
                text += " and no exception";
            } catch (const std::out_of_range& e) {
                text += std::string(" and ") + e.what();
            }
            co_return text;
        },
        asio::use_future);
    io.run_for(generous);
    BOOST_TEST(get_within(result) == "kept and gone");
}

BOOST_AUTO_TEST_CASE(co_await_of_a_faulted_task_rethrows_the_original_exception)
{
    asio::io_context io;
    auto result = asio::co_spawn(
        io, []() -> asio::awaitable<int> { co_return co_await failed_task().async_wait(asio::use_awaitable); },
        asio::use_future);
    io.run_for(generous);
    BOOST_CHECK_THROW(get_within(result), std::out_of_range);
}

BOOST_AUTO_TEST_CASE(Waiters_on_many_threads_all_get_the_value)
{
    constexpr int waiters = 8;
    for (int round = 0; round < 50; ++round) {
        gated_task gated;
        std::atomic<int> sum{0};
        std::vector<std::thread> threads;
        std::vector<std::future<int>> futures;
        for (int i = 0; i < waiters; ++i) {
            futures.push_back(gated.task.async_wait(asio::use_future));
            threads.emplace_back([&, task = gated.task] { sum += task.Result(); });
        }
        gated.open();
        for (auto& t : threads)
            t.join();
        for (auto& f : futures)
            BOOST_TEST(get_within(f) == 42);
        BOOST_TEST(sum.load() == 42 * waiters);
    }
}

BOOST_AUTO_TEST_CASE(A_callback_on_a_finished_task_runs_inline_and_one_on_a_running_task_runs_at_completion)
{
    auto done = Task::Run([] { return 5; }, use_task);
    done.Wait();
    int seen = 0;
    done.async_wait([&](std::exception_ptr e, int value) { seen = e ? -1 : value; });
    BOOST_TEST(seen == 5);

    gated_task gated;
    std::promise<int> later;
    gated.task.async_wait([&](std::exception_ptr e, int value) { later.set_value(e ? -1 : value); });
    gated.open();
    BOOST_TEST(get_within(later.get_future()) == 42);
}

BOOST_AUTO_TEST_CASE(Tasks_made_finished_through_use_task_have_their_status_outcome_and_continuations)
{
    // FromResult, FromException, FromCanceled and CompletedTask make their
    // use_task tasks finished from the start; everything a running task that
    // finished offers holds for them too.
    const auto value = Task::FromResult(7, use_task);
    BOOST_TEST(value.IsCompletedSuccessfully());
    BOOST_TEST(value.Result() == 7);
    BOOST_TEST(!value.Exception());

    const auto faulted = Task::FromException<int>(std::make_exception_ptr(std::out_of_range("bad")), use_task);
    BOOST_TEST(faulted.IsFaulted());
    BOOST_CHECK_THROW(faulted.Wait(), AggregateException);

    CancellationTokenSource cts;
    cts.Cancel();
    const auto canceled = Task::FromCanceled<int>(cts.Token(), use_task);
    BOOST_TEST(canceled.IsCanceled());
    BOOST_CHECK_THROW(canceled.Wait(), AggregateException);

    const auto done = Task::CompletedTask(use_task);
    BOOST_TEST(done.IsCompletedSuccessfully());
    done.Wait();

    int seen = 0;
    value.async_wait([&](std::exception_ptr e, int v) { seen = e ? -1 : v; });
    BOOST_TEST(seen == 7);
    auto next = value.ContinueWith([](const TaskOf<int>& antecedent) { return antecedent.Result() * 2; });
    BOOST_TEST(next.Wait(60'000));
    BOOST_TEST(next.Result() == 14);
    auto after_fault = faulted.ContinueWith([](const TaskOf<int>& antecedent) { return antecedent.IsFaulted(); });
    BOOST_TEST(after_fault.Wait(60'000));
    BOOST_TEST(after_fault.Result());
}

BOOST_AUTO_TEST_CASE(Task_WhenAll_accepts_a_vector_of_tasks)
{
    std::vector<TaskOf<int>> tasks;
    for (int i = 1; i <= 3; ++i)
        tasks.push_back(Task::Run([i] { return i * 10; }, use_task));
    auto all = Task::WhenAll(tasks, asio::use_future);
    BOOST_TEST((get_within(all) == std::vector<int>{10, 20, 30}));
    BOOST_TEST(tasks.size() == 3u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(when_any)

BOOST_AUTO_TEST_CASE(A_WhenAny_loop_over_a_vector_processes_every_task_as_it_completes_and_cancels_none)
{
    std::vector<TaskOf<int>> tasks;
    for (int i = 0; i < 5; ++i)
        tasks.push_back(Task::Delay(std::chrono::milliseconds(5 * (5 - i)), use_task).ContinueWith(
            [i](const TaskOf<void>& delay) {
                delay.Wait();
                return i;
            }));
    std::vector<int> order;
    while (!tasks.empty()) {
        auto any = Task::WhenAny(tasks, asio::use_future);
        TaskOf<int> done = get_within(any);
        BOOST_TEST(done.IsCompletedSuccessfully());
        order.push_back(done.Result());
        std::erase(tasks, done);
    }
    std::sort(order.begin(), order.end());
    BOOST_TEST((order == std::vector<int>{0, 1, 2, 3, 4}));
}

BOOST_AUTO_TEST_CASE(WhenAny_completes_successfully_with_a_task_that_failed_first)
{
    gated_task slow;
    auto failed = failed_task();
    auto any = Task::WhenAny(slow.task, failed, asio::use_future);
    TaskOf<int> done = get_within(any);
    BOOST_TEST((done == failed));
    BOOST_TEST(done.IsFaulted());
    BOOST_TEST(!slow.task.IsCompleted());
    slow.open();
    BOOST_TEST(slow.task.Result() == 42);
}

BOOST_AUTO_TEST_CASE(WhenAny_over_tasks_that_have_all_finished_picks_the_first_in_operand_order)
{
    int wrong = 0;
    for (int i = 0; i < 200; ++i) {
        auto a = Task::Run([] { return 1; }, use_task);
        auto b = Task::Run([] { return 2; }, use_task);
        a.Wait();
        b.Wait();
        auto any = Task::WhenAny(b, a, asio::use_future);
        wrong += !(get_within(any) == b);
    }
    BOOST_TEST(wrong == 0);
}

BOOST_AUTO_TEST_CASE(WhenAny_over_tasks_of_different_types_gives_a_TaskOf_void)
{
    gated_task slow;
    auto quick = Task::Run([] { return std::string("quick"); }, use_task);
    std::future<TaskOf<void>> any = Task::WhenAny(slow.task, quick, asio::use_future);
    BOOST_TEST((get_within(any) == quick));
    slow.open();
}

BOOST_AUTO_TEST_CASE(WhenAny_over_an_empty_vector_of_tasks_throws_ArgumentException)
{
    BOOST_CHECK_THROW(Task::WhenAny(std::vector<TaskOf<int>>(), asio::use_future), ArgumentException);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(continuations)

BOOST_AUTO_TEST_CASE(ContinueWith_runs_after_the_antecedent_with_the_typed_task)
{
    gated_task gated;
    auto next = gated.task.ContinueWith([](const TaskOf<int>& antecedent) { return antecedent.Result() + 1; });
    BOOST_TEST(!next.IsCompleted());
    gated.open();
    BOOST_TEST(next.Result() == 43);
}

BOOST_AUTO_TEST_CASE(ContinueWith_runs_after_a_failure_too_and_a_throwing_continuation_faults)
{
    auto next = failed_task().ContinueWith([](const TaskOf<int>& antecedent) {
        if (antecedent.IsFaulted())
            throw std::logic_error("seen the failure");
    });
    settle(next);
    BOOST_TEST(aggregate_holds<std::logic_error>(next.Exception()));
}

BOOST_AUTO_TEST_CASE(ContinueWith_with_a_canceled_token_cancels_the_continuation_without_running_it)
{
    CancellationTokenSource cts;
    cts.Cancel();
    std::atomic<bool> ran{false};
    auto next = Task::Run([] { return 1; }, use_task).ContinueWith([&](const TaskOf<int>&) { ran = true; },
                                                                    cts.Token());
    settle(next);
    BOOST_TEST(next.IsCanceled());
    BOOST_TEST(!ran.load());
}

BOOST_AUTO_TEST_CASE(ContinueWith_runs_on_the_executor_given)
{
    asio::io_context io;
    auto next = Task::Run([] { return 1; }, use_task).ContinueWith(
        [&](const TaskOf<int>&) { return io.get_executor().running_in_this_thread(); }, io.get_executor());
    io.run_for(generous);
    BOOST_TEST(next.Result());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(unobserved)

BOOST_AUTO_TEST_CASE(A_faulted_task_dropped_unobserved_is_logged_and_an_observed_one_is_not)
{
    log_capture log;
    {
        auto task = failed_task();
        settle(task);
    }
    // The last handle may be the one the completing pool thread still holds.
    const auto deadline = std::chrono::steady_clock::now() + generous;
    while (log.text().find("task failed") == std::string::npos && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    BOOST_TEST(log.text().find("task failed") != std::string::npos, log.text());

    log_capture quiet;
    {
        auto task = failed_task();
        settle(task);
        BOOST_TEST(static_cast<bool>(task.Exception()));
    }
    BOOST_TEST(quiet.text().find("task failed") == std::string::npos, quiet.text());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(bridges)

BOOST_AUTO_TEST_CASE(TaskToAsyncResult_Begin_takes_a_task_and_End_returns_its_value)
{
    gated_task gated;
    std::promise<int> ended;
    auto ar = TaskToAsyncResult::Begin(
        gated.task, [&](const IAsyncResultPtr& r) { ended.set_value(TaskToAsyncResult::End<int>(r)); },
        std::string("state"));
    BOOST_TEST(std::any_cast<std::string>(ar->AsyncState()) == "state");
    gated.open();
    BOOST_TEST(get_within(ended.get_future()) == 42);
}

BOOST_AUTO_TEST_CASE(TaskToAsyncResult_End_takes_a_tasks_own_IAsyncResult_and_rethrows_its_failure_unwrapped)
{
    auto task = Task::Run([] { return 9; }, use_task);
    BOOST_TEST(TaskToAsyncResult::End<int>(task.AsIAsyncResult()) == 9);
    BOOST_TEST(TaskToAsyncResult::End<int>(task) == 9);
    BOOST_CHECK_THROW(TaskToAsyncResult::End<int>(failed_task()), std::out_of_range);
    BOOST_CHECK_THROW(TaskToAsyncResult::End<std::string>(task), InvalidOperationException);
}

BOOST_AUTO_TEST_CASE(FromAsync_with_use_task_makes_a_running_task_of_a_Begin_End_pair)
{
    auto begin = [](AsyncCallback callback, std::any state) {
        return TaskToAsyncResult::Begin(Task::FromResult(5, asio::deferred), std::move(callback), std::move(state));
    };
    auto end = [](const IAsyncResultPtr& ar) { return TaskToAsyncResult::End<int>(ar); };
    TaskOf<int> task = TaskFactory::FromAsync(begin, end, use_task);
    BOOST_TEST(task.Result() == 5);
}

BOOST_AUTO_TEST_SUITE_END()
