#include <dotasync/tap/task_to_async_result.hpp>

#include <dotasync/core/exceptions.hpp>
#include <dotasync/tap/task.hpp>
#include <dotasync/tap/task_completion_source.hpp>
#include <dotasync/tap/task_factory.hpp>

#include "support/running_context.hpp"
#include "support/waiting.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <any>
#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>

namespace asio = boost::asio;
using namespace dotasync;
using namespace dotasync_test;

namespace {



asio::awaitable<int> square(int v)
{
    co_return v * v;
}

// An APM pair built on TaskToAsyncResult, as a library that ports its
// awaitable implementation back to Begin/End would write it.
class Calculator {
public:
    IAsyncResultPtr BeginSquare(int v, AsyncCallback callback, std::any state)
    {
        return TaskToAsyncResult::Begin(square(v), std::move(callback), std::move(state));
    }
    int EndSquare(const IAsyncResultPtr& ar) { return TaskToAsyncResult::End<int>(ar); }

    IAsyncResultPtr BeginFail(AsyncCallback callback, std::any state)
    {
        return TaskToAsyncResult::Begin(Task::Run([]() -> int { throw std::out_of_range("from the task"); },
                                                  asio::deferred),
                                        std::move(callback), std::move(state));
    }
    int EndFail(const IAsyncResultPtr& ar) { return TaskToAsyncResult::End<int>(ar); }
};

} // namespace

BOOST_AUTO_TEST_SUITE(begin_and_end)

BOOST_AUTO_TEST_CASE(Begin_of_a_running_operation_returns_at_once_and_End_returns_its_value)
{
    std::promise<void> release;
    auto released = release.get_future().share();
    auto ar = TaskToAsyncResult::Begin(Task::Run(
                                           [released] {
                                               released.wait();
                                               return 21;
                                           },
                                           asio::deferred),
                                       {}, {});
    BOOST_TEST(!ar->IsCompleted());
    BOOST_TEST(!ar->CompletedSynchronously());
    release.set_value();
    BOOST_TEST(TaskToAsyncResult::End<int>(ar) == 21);
}

BOOST_AUTO_TEST_CASE(The_callback_gets_the_same_result_with_the_state_given_to_Begin)
{
    auto state = std::make_shared<std::string>("state object");
    std::promise<std::tuple<IAsyncResultPtr, std::shared_ptr<std::string>, int>> seen;
    auto ar = TaskToAsyncResult::Begin(
        Task::Run([] { return 3; }, asio::deferred),
        [&](const IAsyncResultPtr& r) {
            seen.set_value({r, std::any_cast<std::shared_ptr<std::string>>(r->AsyncState()),
                            TaskToAsyncResult::End<int>(r)});
        },
        state);
    auto future = seen.get_future();
    auto [same, passed, value] = get_within(future);
    BOOST_TEST(same == ar);
    BOOST_TEST(passed == state);
    BOOST_TEST(value == 3);
    BOOST_TEST((std::any_cast<std::shared_ptr<std::string>>(ar->AsyncState()) == state));
}

BOOST_AUTO_TEST_CASE(End_rethrows_the_operations_exception_with_its_original_type)
{
    Calculator calculator;
    auto ar = calculator.BeginFail({}, {});
    BOOST_CHECK_THROW(calculator.EndFail(ar), std::out_of_range);
}

BOOST_AUTO_TEST_CASE(End_throws_the_dotnet_exception_for_an_operation_that_failed_with_an_error_code)
{
    two_thread_context ctx;
    asio::steady_timer timer(ctx.io(), 1h);
    auto ar = TaskToAsyncResult::Begin(timer.async_wait(asio::deferred), {}, {});
    // The canceled wait may complete on the other thread while this one is
    // still inside cancel(): the timer must not go before cancel() returns.
    std::promise<void> canceled;
    asio::post(ctx.io(), [&] {
        timer.cancel();
        canceled.set_value();
    });
    BOOST_CHECK_THROW(TaskToAsyncResult::End(ar), OperationCanceledException);
    canceled.get_future().wait();
}

BOOST_AUTO_TEST_CASE(An_awaitable_runs_on_the_default_runtime_and_End_returns_its_value)
{
    Calculator calculator;
    BOOST_TEST(calculator.EndSquare(calculator.BeginSquare(9, {}, {})) == 81);
}

BOOST_AUTO_TEST_CASE(Several_values_come_back_as_a_tuple)
{
    auto ar = TaskToAsyncResult::Begin(
        [](auto token) {
            return asio::async_initiate<decltype(token), void(boost::system::error_code, int, std::string)>(
                [](auto handler) {
                    asio::post(ThreadPool::Executor(), [h = std::move(handler)]() mutable {
                        h(boost::system::error_code(), 2, std::string("two"));
                    });
                },
                token);
        },
        {}, {});
    auto [number, name] = TaskToAsyncResult::End<std::tuple<int, std::string>>(ar);
    BOOST_TEST(number == 2);
    BOOST_TEST(name == "two");
}

BOOST_AUTO_TEST_CASE(End_with_another_type_than_the_operation_produces_throws_and_leaves_it_endable)
{
    auto ar = TaskToAsyncResult::Begin(Task::FromResult(std::string("text"), asio::deferred), {}, {});
    BOOST_CHECK_THROW(TaskToAsyncResult::End<int>(ar), InvalidOperationException);
    BOOST_TEST(TaskToAsyncResult::End<std::string>(ar) == "text");
}

BOOST_AUTO_TEST_CASE(End_twice_throws_InvalidOperationException_and_End_of_nullptr_ArgumentNullException)
{
    auto ar = TaskToAsyncResult::Begin(Task::FromResult(1, asio::deferred), {}, {});
    BOOST_TEST(TaskToAsyncResult::End<int>(ar) == 1);
    BOOST_CHECK_THROW(TaskToAsyncResult::End<int>(ar), InvalidOperationException);
    BOOST_CHECK_THROW(TaskToAsyncResult::End<int>(nullptr), ArgumentNullException);
}

BOOST_AUTO_TEST_CASE(End_of_a_result_another_method_began_throws_InvalidOperationException)
{
    two_thread_context ctx;
    auto foreign = asio::post(ctx.io(), apm());
    BOOST_CHECK_THROW(TaskToAsyncResult::End(foreign), InvalidOperationException);
    BOOST_CHECK_NO_THROW(end<void()>(foreign));
}

BOOST_AUTO_TEST_CASE(The_wait_handle_is_signalled_at_completion)
{
    auto ar = TaskToAsyncResult::Begin(Task::Delay(5ms, asio::deferred), {}, {});
    BOOST_TEST(ar->AsyncWaitHandle().WaitOne(std::chrono::milliseconds(generous)));
    BOOST_TEST(ar->IsCompleted());
    BOOST_CHECK_NO_THROW(TaskToAsyncResult::End(ar));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(completed_synchronously)

BOOST_AUTO_TEST_CASE(A_finished_operation_completes_synchronously_with_the_callback_inline)
{
    bool callback_ran = false;
    std::thread::id callback_thread;
    auto ar = TaskToAsyncResult::Begin(Task::FromResult(5, asio::deferred),
                                       [&](const IAsyncResultPtr& r) {
                                           callback_ran = true;
                                           callback_thread = std::this_thread::get_id();
                                           BOOST_TEST(r->CompletedSynchronously());
                                       },
                                       std::string("state"));
    BOOST_TEST(callback_ran);
    BOOST_TEST((callback_thread == std::this_thread::get_id()));
    BOOST_TEST(ar->CompletedSynchronously());
    BOOST_TEST(ar->IsCompleted());
    BOOST_TEST(std::any_cast<std::string>(ar->AsyncState()) == "state");
    BOOST_TEST(TaskToAsyncResult::End<int>(ar) == 5);
}

BOOST_AUTO_TEST_CASE(A_TaskCompletionSource_already_set_completes_synchronously)
{
    TaskCompletionSource<int> tcs;
    tcs.SetResult(12);
    auto ar = TaskToAsyncResult::Begin(tcs.Task(asio::deferred), {}, {});
    BOOST_TEST(ar->CompletedSynchronously());
    BOOST_TEST(TaskToAsyncResult::End<int>(ar) == 12);
}

BOOST_AUTO_TEST_CASE(A_TaskCompletionSource_set_later_does_not_complete_synchronously)
{
    TaskCompletionSource<int> tcs;
    std::promise<bool> synchronously;
    auto ar = TaskToAsyncResult::Begin(
        tcs.Task(asio::deferred), [&](const IAsyncResultPtr& r) { synchronously.set_value(r->CompletedSynchronously()); },
        {});
    BOOST_TEST(!ar->IsCompleted());
    tcs.SetResult(13);
    auto future = synchronously.get_future();
    BOOST_TEST(!get_within(future));
    BOOST_TEST(TaskToAsyncResult::End<int>(ar) == 13);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(round_trips)

BOOST_AUTO_TEST_CASE(APM_to_TAP_and_back_keeps_the_value_the_state_and_the_exception_type)
{
    Calculator calculator;
    auto as_operation = [&](int v) {
        return TaskFactory::FromAsync(
            [&](int x, AsyncCallback callback, std::any state) {
                return calculator.BeginSquare(x, std::move(callback), std::move(state));
            },
            [&](const IAsyncResultPtr& ar) { return calculator.EndSquare(ar); }, v, asio::deferred);
    };
    std::promise<std::any> state_in_callback;
    auto ar = TaskToAsyncResult::Begin(
        as_operation(7), [&](const IAsyncResultPtr& r) { state_in_callback.set_value(r->AsyncState()); }, 99);
    BOOST_TEST(TaskToAsyncResult::End<int>(ar) == 49);
    auto future = state_in_callback.get_future();
    BOOST_TEST(std::any_cast<int>(get_within(future)) == 99);

    auto failing = TaskFactory::FromAsync(
        [&](AsyncCallback callback, std::any state) { return calculator.BeginFail(std::move(callback), std::move(state)); },
        [&](const IAsyncResultPtr& r) { return calculator.EndFail(r); }, asio::deferred);
    auto failed = TaskToAsyncResult::Begin(std::move(failing), {}, {});
    BOOST_CHECK_THROW(TaskToAsyncResult::End<int>(failed), std::out_of_range);
}

BOOST_AUTO_TEST_CASE(TAP_to_APM_and_back_keeps_the_value_and_the_exception_type_for_co_await)
{
    Calculator calculator;
    asio::io_context io;
    auto result = asio::co_spawn(
        io,
        [&]() -> asio::awaitable<std::string> {
            int squared = co_await TaskFactory::FromAsync(
                [&](int x, AsyncCallback callback, std::any state) {
                    return calculator.BeginSquare(x, std::move(callback), std::move(state));
                },
                [&](const IAsyncResultPtr& ar) { return calculator.EndSquare(ar); }, 6, asio::use_awaitable);
            try {
                co_await TaskFactory::FromAsync(
                    [&](AsyncCallback callback, std::any state) {
                        return calculator.BeginFail(std::move(callback), std::move(state));
                    },
                    [&](const IAsyncResultPtr& ar) { return calculator.EndFail(ar); }, asio::use_awaitable);
            } catch (const std::out_of_range&) {
                co_return std::to_string(squared) + " and out_of_range";
            }
            co_return "no exception";
        },
        asio::use_future);
    io.run_for(generous);
    BOOST_TEST(get_within(result) == "36 and out_of_range");
}

BOOST_AUTO_TEST_CASE(A_synchronous_round_trip_stays_synchronous)
{
    // FromResult is finished at once; FromAsync over it completes while its
    // Begin runs; TaskToAsyncResult over that reports it.
    auto inner = [](AsyncCallback callback, std::any state) {
        return TaskToAsyncResult::Begin(Task::FromResult(8, asio::deferred), std::move(callback), std::move(state));
    };
    auto outer = TaskToAsyncResult::Begin(
        TaskFactory::FromAsync(inner, [](const IAsyncResultPtr& ar) { return TaskToAsyncResult::End<int>(ar); },
                               asio::deferred),
        {}, {});
    BOOST_TEST(outer->CompletedSynchronously());
    BOOST_TEST(TaskToAsyncResult::End<int>(outer) == 8);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(deadlock_detection)

BOOST_AUTO_TEST_CASE(End_inside_the_strand_the_operation_completes_on_throws_InvalidOperationException)
{
    two_thread_context ctx;
    auto strand = asio::make_strand(ctx.io());
    std::promise<std::pair<std::string, IAsyncResultPtr>> inside;
    asio::post(strand, [&] {
        auto ar = TaskToAsyncResult::Begin(Task::Delay(strand, 20ms, asio::deferred), {}, {});
        std::string what = "returned";
        try {
            TaskToAsyncResult::End(ar);
        } catch (const InvalidOperationException& e) {
            what = e.what();
        }
        inside.set_value({what, ar});
    });
    auto future = inside.get_future();
    auto [what, ar] = get_within(future);
    BOOST_TEST(what.find("strand") != std::string::npos, what);
    BOOST_CHECK_NO_THROW(TaskToAsyncResult::End(ar));
}

BOOST_AUTO_TEST_CASE(End_on_the_thread_of_a_single_threaded_context_throws_InvalidOperationException)
{
    asio::io_context io(1);
    std::string what = "returned";
    IAsyncResultPtr ar;
    asio::post(io, [&] {
        ar = TaskToAsyncResult::Begin(Task::Run(io.get_executor(), [] { return 1; }, asio::deferred), {}, {});
        try {
            TaskToAsyncResult::End<int>(ar);
        } catch (const InvalidOperationException& e) {
            what = e.what();
        }
    });
    io.run_for(generous);
    BOOST_TEST(what.find("single-threaded") != std::string::npos, what);
    BOOST_TEST(TaskToAsyncResult::End<int>(ar) == 1);
}

BOOST_AUTO_TEST_SUITE_END()
