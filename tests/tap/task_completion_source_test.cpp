#include <dotasync/tap/task_completion_source.hpp>

#include <dotasync/core/cancellation.hpp>
#include <dotasync/core/exceptions.hpp>
#include <dotasync/tap/use_task.hpp>

#include "core/detail/cancellation_state.hpp"
#include "support/waiting.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <any>
#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
using namespace dotasync;
using namespace dotasync_test;

namespace {



// A callback API of the kind TaskCompletionSource is for: it answers on a
// thread of its own.
class LegacyLookup {
public:
    ~LegacyLookup()
    {
        for (auto& t : threads_)
            t.join();
    }

    void Lookup(int id, std::function<void(std::string name, std::string error)> done)
    {
        threads_.emplace_back([id, done = std::move(done)] {
            if (id < 0)
                done({}, "no user with a negative id");
            else
                done("user-" + std::to_string(id), {});
        });
    }

private:
    std::vector<std::thread> threads_;
};

} // namespace

BOOST_AUTO_TEST_SUITE(setting_the_outcome)

BOOST_AUTO_TEST_CASE(SetResult_completes_a_waiting_operation_with_the_value)
{
    TaskCompletionSource<int> tcs;
    auto result = tcs.Task(asio::use_future);
    BOOST_TEST((result.wait_for(0ms) == std::future_status::timeout));
    tcs.SetResult(42);
    BOOST_TEST(get_within(result) == 42);
}

BOOST_AUTO_TEST_CASE(A_Task_started_after_SetResult_completes_at_once_inline_for_a_plain_callback)
{
    TaskCompletionSource<std::string> tcs;
    tcs.SetResult("already");
    std::optional<std::string> seen;
    tcs.Task([&](std::exception_ptr e, std::string v) {
        if (!e)
            seen = v;
    });
    BOOST_TEST(seen.value_or("not yet") == "already");
}

BOOST_AUTO_TEST_CASE(A_coroutine_awaiting_a_set_source_in_a_long_loop_does_not_grow_its_stack)
{
    TaskCompletionSource<int> tcs;
    tcs.SetResult(1);
    asio::io_context io;
    auto total = asio::co_spawn(
        io,
        [&]() -> asio::awaitable<long> {
            long sum = 0;
            for (int i = 0; i < 200'000; ++i)
                sum += co_await tcs.Task(asio::use_awaitable);
            co_return sum;
        },
        asio::use_future);
    io.run_for(generous);
    BOOST_TEST(get_within(total) == 200'000);
}

BOOST_AUTO_TEST_CASE(Every_waiting_operation_receives_the_result)
{
    TaskCompletionSource<int> tcs;
    std::vector<std::future<int>> waiting;
    for (int i = 0; i < 3; ++i)
        waiting.push_back(tcs.Task(asio::use_future));
    tcs.SetResult(9);
    for (auto& w : waiting)
        BOOST_TEST(get_within(w) == 9);
    auto after = tcs.Task(asio::use_future);
    BOOST_TEST(get_within(after) == 9);
}

BOOST_AUTO_TEST_CASE(A_second_Set_throws_InvalidOperationException_and_keeps_the_first_outcome)
{
    TaskCompletionSource<int> tcs;
    tcs.SetResult(1);
    BOOST_CHECK_THROW(tcs.SetResult(2), InvalidOperationException);
    BOOST_CHECK_THROW(tcs.SetException(std::make_exception_ptr(std::runtime_error("late"))),
                      InvalidOperationException);
    BOOST_CHECK_THROW(tcs.SetCanceled(), InvalidOperationException);
    auto result = tcs.Task(asio::use_future);
    BOOST_TEST(get_within(result) == 1);
}

BOOST_AUTO_TEST_CASE(TrySet_returns_true_once_then_false)
{
    TaskCompletionSource<int> tcs;
    BOOST_TEST(tcs.TrySetResult(5));
    BOOST_TEST(!tcs.TrySetResult(6));
    BOOST_TEST(!tcs.TrySetException(std::make_exception_ptr(std::runtime_error("late"))));
    BOOST_TEST(!tcs.TrySetCanceled());
    auto result = tcs.Task(asio::use_future);
    BOOST_TEST(get_within(result) == 5);
}

BOOST_AUTO_TEST_CASE(SetException_passes_the_original_exception_type)
{
    TaskCompletionSource<int> tcs;
    auto result = tcs.Task(asio::use_future);
    tcs.SetException(std::make_exception_ptr(std::out_of_range("from the callback")));
    BOOST_CHECK_THROW(get_within(result), std::out_of_range);
}

BOOST_AUTO_TEST_CASE(SetException_with_a_null_exception_throws_ArgumentNullException_and_sets_nothing)
{
    TaskCompletionSource<int> tcs;
    BOOST_CHECK_THROW(tcs.SetException(nullptr), ArgumentNullException);
    BOOST_CHECK_THROW(tcs.TrySetException(nullptr), ArgumentNullException);
    BOOST_TEST(tcs.TrySetResult(3));
}

BOOST_AUTO_TEST_CASE(SetCanceled_completes_with_TaskCanceledException)
{
    TaskCompletionSource<int> tcs;
    auto result = tcs.Task(asio::use_future);
    tcs.SetCanceled();
    BOOST_CHECK_THROW(get_within(result), TaskCanceledException);
}

BOOST_AUTO_TEST_CASE(TaskCompletionSource_of_void_completes_without_a_value)
{
    TaskCompletionSource<> tcs;
    std::future<void> done = tcs.Task(asio::use_future);
    tcs.SetResult();
    BOOST_CHECK_NO_THROW(get_within(done));
    BOOST_TEST(!tcs.TrySetResult());
}

BOOST_AUTO_TEST_CASE(SetResult_posts_a_handler_without_an_executor_to_the_default_runtime)
{
    TaskCompletionSource<int> tcs;
    std::promise<std::thread::id> ran_on;
    tcs.Task([&](std::exception_ptr, int) { ran_on.set_value(std::this_thread::get_id()); });
    tcs.SetResult(1);
    auto future = ran_on.get_future();
    BOOST_TEST((get_within(future) != std::this_thread::get_id()));
}

BOOST_AUTO_TEST_CASE(SetResult_on_the_waiters_own_thread_lets_it_resume_only_after_SetResult_returned)
{
    asio::io_context io(1);
    TaskCompletionSource<int> tcs;
    std::vector<std::string> order;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            co_await tcs.Task(asio::use_awaitable);
            order.push_back("resumed");
        },
        asio::detached);
    asio::post(io, [&] {
        tcs.SetResult(1);
        order.push_back("SetResult returned");
    });
    io.run_for(generous);
    BOOST_TEST(order == (std::vector<std::string>{"SetResult returned", "resumed"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(Copies_of_a_source_share_its_outcome)
{
    TaskCompletionSource<int> tcs;
    auto copy = tcs;
    auto result = tcs.Task(asio::use_future);
    copy.SetResult(8);
    BOOST_TEST(get_within(result) == 8);
    BOOST_TEST(!tcs.TrySetResult(9));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(waiting)

BOOST_AUTO_TEST_CASE(co_await_Task_resumes_on_the_coroutines_executor_with_the_value)
{
    asio::io_context io;
    TaskCompletionSource<std::string> tcs;
    std::string value;
    bool on_io_thread = false;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            value = co_await tcs.Task(asio::use_awaitable);
            on_io_thread = io.get_executor().running_in_this_thread();
        },
        asio::detached);
    std::thread setter([&] { tcs.SetResult("from another thread"); });
    io.run_for(generous);
    setter.join();
    BOOST_TEST(value == "from another thread");
    BOOST_TEST(on_io_thread);
}

BOOST_AUTO_TEST_CASE(A_callback_api_wrapped_with_TaskCompletionSource_can_be_awaited)
{
    LegacyLookup legacy;
    auto lookup = [&](int id) {
        TaskCompletionSource<std::string> tcs;
        legacy.Lookup(id, [tcs](std::string name, std::string error) mutable {
            if (error.empty())
                tcs.SetResult(std::move(name));
            else
                tcs.SetException(std::make_exception_ptr(ArgumentException(error, "id")));
        });
        return tcs.Task(asio::use_future);
    };
    auto found = lookup(7);
    auto missing = lookup(-1);
    BOOST_TEST(get_within(found) == "user-7");
    BOOST_CHECK_THROW(get_within(missing), ArgumentException);
}

BOOST_AUTO_TEST_CASE(Cancelling_one_waiting_operation_completes_it_and_leaves_the_source_and_the_others_alone)
{
    TaskCompletionSource<int> tcs;
    CancellationTokenSource cts;
    auto canceled = tcs.Task(with_cancellation(cts.Token(), asio::use_future));
    auto other = tcs.Task(asio::use_future);
    cts.Cancel();
    BOOST_CHECK_THROW(get_within(canceled), TaskCanceledException);
    BOOST_TEST((other.wait_for(0ms) == std::future_status::timeout));
    tcs.SetResult(4);
    BOOST_TEST(get_within(other) == 4);
    BOOST_TEST(detail::registration_count(cts.Token()) == 0u);
}

BOOST_AUTO_TEST_CASE(A_waiting_operation_canceled_through_its_slot_completes_with_TaskCanceledException)
{
    asio::io_context io;
    asio::cancellation_signal signal;
    TaskCompletionSource<int> tcs;
    std::promise<std::exception_ptr> outcome;
    // Asio emits cancellations on the operation's own thread: here, io's.
    asio::post(io, [&] {
        tcs.Task(asio::bind_cancellation_slot(signal.slot(),
                                              [&](std::exception_ptr e, int) { outcome.set_value(e); }));
    });
    asio::post(io, [&] { signal.emit(asio::cancellation_type::terminal); });
    io.run_for(generous);
    // The handler has no executor of its own: it runs on the default runtime.
    auto future = outcome.get_future();
    auto error = get_within(future);
    BOOST_CHECK_THROW(std::rethrow_exception(error), TaskCanceledException);
    BOOST_TEST(tcs.TrySetResult(1));
}

BOOST_AUTO_TEST_CASE(Waiting_operations_are_released_with_ObjectDisposedException_when_the_last_source_goes)
{
    std::future<int> waiting;
    {
        TaskCompletionSource<int> tcs;
        waiting = tcs.Task(asio::use_future);
    }
    BOOST_CHECK_THROW(get_within(waiting), ObjectDisposedException);
}

BOOST_AUTO_TEST_CASE(SetResult_racing_the_cancellation_of_a_waiter_gives_exactly_one_outcome_ten_thousand_times)
{
    constexpr int iterations = 10'000;
    int wrong = 0;
    int completed = 0;
    int canceled = 0;
    for (int i = 0; i < iterations; ++i) {
        TaskCompletionSource<int> tcs;
        CancellationTokenSource cts;
        std::atomic<int> calls{0};
        std::promise<std::exception_ptr> outcome;
        tcs.Task(with_cancellation(cts.Token(), [&](std::exception_ptr e, int) {
            if (calls.fetch_add(1) == 0)
                outcome.set_value(e);
        }));
        std::thread canceller([&] { cts.Cancel(); });
        tcs.SetResult(i);
        canceller.join();
        auto error = get_within(outcome.get_future());
        if (!error)
            ++completed;
        else if (holds<TaskCanceledException>(error))
            ++canceled;
        else
            ++wrong;
        wrong += detail::registration_count(cts.Token()) != 0u;
        wrong += calls.load() != 1;
    }
    BOOST_TEST(wrong == 0);
    BOOST_TEST(completed + canceled == iterations);
    BOOST_TEST_MESSAGE("completed " << completed << ", canceled " << canceled);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(as_a_task)

BOOST_AUTO_TEST_CASE(Task_with_use_task_is_the_same_task_every_time_and_carries_the_sources_state)
{
    TaskCompletionSource<int> tcs(std::any(std::string("request 7")));
    TaskOf<int> first = tcs.Task(use_task);
    TaskOf<int> second = tcs.Task(use_task);
    BOOST_TEST((first == second));
    BOOST_TEST(std::any_cast<std::string>(first.AsyncState()) == "request 7");
    BOOST_TEST(std::any_cast<std::string>(first.AsIAsyncResult()->AsyncState()) == "request 7");
    BOOST_TEST(!first.IsCompleted());
    tcs.SetResult(3);
    BOOST_TEST(first.Result() == 3);
}

BOOST_AUTO_TEST_CASE(A_nullptr_state_is_no_AsyncState)
{
    TaskCompletionSource<int> tcs(nullptr);
    TaskOf<int> task = tcs.Task(use_task);
    BOOST_TEST(!task.AsyncState().has_value());
    tcs.SetResult(1);
    BOOST_TEST(task.Result() == 1);
}

BOOST_AUTO_TEST_CASE(A_task_asked_for_after_the_outcome_was_set_has_that_outcome)
{
    TaskCompletionSource<int> tcs;
    tcs.SetException(std::make_exception_ptr(std::out_of_range("set before")));
    auto task = tcs.Task(use_task);
    BOOST_TEST(task.IsFaulted());
    BOOST_CHECK_THROW(task.Wait(), AggregateException);
    TaskCompletionSource<void> canceled;
    canceled.SetCanceled();
    BOOST_TEST(canceled.Task(use_task).IsCanceled());
}

BOOST_AUTO_TEST_CASE(Racing_SetResult_against_the_first_request_for_the_task_always_completes_it)
{
    int unfinished = 0;
    for (int i = 0; i < 500; ++i) {
        TaskCompletionSource<int> tcs;
        std::thread setter([&] { tcs.SetResult(i); });
        auto task = tcs.Task(use_task);
        setter.join();
        unfinished += !(task.IsCompleted() && task.Result() == i);
    }
    BOOST_TEST(unfinished == 0);
}

BOOST_AUTO_TEST_CASE(A_source_destroyed_without_an_outcome_faults_its_task_with_ObjectDisposedException)
{
    TaskOf<int> task;
    {
        TaskCompletionSource<int> tcs;
        task = tcs.Task(use_task);
    }
    BOOST_TEST(task.IsFaulted());
    try {
        task.Wait();
        BOOST_FAIL("Wait did not throw");
    } catch (const AggregateException& e) {
        BOOST_TEST(holds<ObjectDisposedException>(e.InnerExceptions().at(0)));
    }
}

BOOST_AUTO_TEST_SUITE_END()
