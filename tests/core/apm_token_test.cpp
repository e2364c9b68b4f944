#include <dotasync/core/apm_token.hpp>

#include <dotasync/apm/delegate.hpp>
#include <dotasync/core/exceptions.hpp>
#include <dotasync/threading/strand_synchronization_context.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include "support/running_context.hpp"
#include "support/allocation_counter.hpp"
#include "support/log_capture.hpp"
#include "support/waiting.hpp"
#include "support/unhandled_capture.hpp"

#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <optional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace asio = boost::asio;
using namespace dotasync;
using namespace dotasync_test;
using error_code = boost::system::error_code;

namespace {



// A class with BeginXxx/EndXxx methods built the way dotasync's own classes
// build them: one initiating function, the apm token bound to (this, method).
class Divider {
public:
    explicit Divider(asio::io_context& io) : io_(io) {}

    template <class Token>
    auto async_divide(int dividend, int divisor, Token&& token)
    {
        if (divisor == 0)
            throw ArgumentOutOfRangeException("divisor", "The divisor must not be zero.");
        return asio::async_initiate<Token, void(std::exception_ptr, int)>(
            [this](auto handler, int a, int b) {
                asio::post(io_, [handler = std::move(handler), a, b]() mutable { handler(nullptr, a / b); });
            },
            token, dividend, divisor);
    }

    IAsyncResultPtr BeginDivide(int dividend, int divisor, AsyncCallback callback, std::any state)
    {
        return async_divide(dividend, divisor,
                            detail::bind_apm_owner(apm(std::move(callback), std::move(state)), this, &divide_tag));
    }
    int EndDivide(const IAsyncResultPtr& ar)
    {
        return detail::end_operation<void(std::exception_ptr, int)>(ar, this, &divide_tag);
    }

    IAsyncResultPtr BeginNegate(int value, AsyncCallback callback, std::any state)
    {
        return async_divide(-value, 1,
                            detail::bind_apm_owner(apm(std::move(callback), std::move(state)), this, &negate_tag));
    }
    int EndNegate(const IAsyncResultPtr& ar)
    {
        return detail::end_operation<void(std::exception_ptr, int)>(ar, this, &negate_tag);
    }

private:
    static constexpr char divide_tag = 0;
    static constexpr char negate_tag = 0;
    asio::io_context& io_;
};

// An initiating function that completes with the given values, posted.
template <class Token, class... Values>
auto async_complete_with(asio::io_context& io, Token&& token, Values... values)
{
    return asio::async_initiate<Token, void(error_code, Values...)>(
        [&io](auto handler, Values... vs) {
            asio::post(io, [h = std::move(handler), vs...]() mutable { h(error_code(), std::move(vs)...); });
        },
        token, std::move(values)...);
}

} // namespace

BOOST_AUTO_TEST_SUITE(apm_rules)

BOOST_AUTO_TEST_CASE(Begin_with_an_invalid_argument_throws_at_once_and_never_calls_back)
{
    running_context ctx;
    Divider divider(ctx.io());
    std::atomic<int> callbacks{0};
    BOOST_CHECK_THROW(divider.BeginDivide(1, 0, [&](const IAsyncResultPtr&) { ++callbacks; }, {}),
                      ArgumentOutOfRangeException);
    // Drain the context: had anything been started, its callback would run now.
    auto ar = divider.BeginDivide(6, 3, {}, {});
    BOOST_TEST(divider.EndDivide(ar) == 2);
    BOOST_TEST(callbacks.load() == 0);
}

BOOST_AUTO_TEST_CASE(Callback_sees_the_result_completed_and_the_wait_handle_signalled)
{
    running_context ctx;
    Divider divider(ctx.io());
    std::promise<std::tuple<bool, bool, int, IAsyncResultPtr>> seen;
    auto ar = divider.BeginDivide(
        10, 2,
        [&](const IAsyncResultPtr& r) {
            // End inside the callback must return at once: the result is stored.
            seen.set_value({r->IsCompleted(), r->AsyncWaitHandle().WaitOne(0), divider.EndDivide(r), r});
        },
        {});
    auto [completed, signalled, value, same] = get_within(seen.get_future());
    BOOST_TEST(completed);
    BOOST_TEST(signalled);
    BOOST_TEST(value == 5);
    BOOST_TEST(same == ar);
}

BOOST_AUTO_TEST_CASE(End_blocks_until_completion_and_returns_the_value)
{
    running_context ctx;
    asio::steady_timer timer(ctx.io(), 50ms);
    auto ar = timer.async_wait(apm());
    BOOST_CHECK_NO_THROW(end<void(error_code)>(ar));
    BOOST_TEST(ar->IsCompleted());
    BOOST_TEST((std::chrono::steady_clock::now() >= timer.expiry()));
}

BOOST_AUTO_TEST_CASE(End_rethrows_a_failure_reported_as_an_error_code_as_its_dotnet_exception)
{
    running_context ctx;
    asio::steady_timer timer(ctx.io(), 1h);
    auto ar = timer.async_wait(apm());
    asio::post(ctx.io(), [&] { timer.cancel(); });
    BOOST_CHECK_THROW(end<void(error_code)>(ar), OperationCanceledException);
}

BOOST_AUTO_TEST_CASE(End_rethrows_a_failure_reported_as_an_exception_ptr_unchanged)
{
    running_context ctx;
    auto ar = asio::co_spawn(
        ctx.io(), []() -> asio::awaitable<int> { throw std::out_of_range("index 7"); }, apm());
    try {
        end<void(std::exception_ptr, int)>(ar);
        BOOST_FAIL("End did not throw");
    } catch (const std::out_of_range& e) {
        BOOST_TEST(std::string(e.what()) == "index 7");
    }
}

BOOST_AUTO_TEST_CASE(End_returns_a_tuple_for_several_values_and_a_value_for_one)
{
    running_context ctx;
    auto several = async_complete_with(ctx.io(), apm(), 3, std::string("three"));
    auto one = asio::co_spawn(
        ctx.io(), []() -> asio::awaitable<std::string> { co_return "one"; }, apm());
    auto [number, name] = end<void(error_code, int, std::string)>(several);
    BOOST_TEST(number == 3);
    BOOST_TEST(name == "three");
    BOOST_TEST(end<void(std::exception_ptr, std::string)>(one) == "one");
}

BOOST_AUTO_TEST_CASE(End_called_twice_throws_InvalidOperationException)
{
    running_context ctx;
    Divider divider(ctx.io());
    auto ar = divider.BeginDivide(9, 3, {}, {});
    BOOST_TEST(divider.EndDivide(ar) == 3);
    BOOST_CHECK_THROW(divider.EndDivide(ar), InvalidOperationException);
}

BOOST_AUTO_TEST_CASE(End_with_nullptr_throws_ArgumentNullException)
{
    running_context ctx;
    Divider divider(ctx.io());
    BOOST_CHECK_THROW(divider.EndDivide(nullptr), ArgumentNullException);
    BOOST_CHECK_THROW(end<void()>(nullptr), ArgumentNullException);
}

BOOST_AUTO_TEST_CASE(End_with_a_result_another_object_began_throws_and_leaves_it_endable)
{
    running_context ctx;
    Divider first(ctx.io());
    Divider second(ctx.io());
    auto ar = first.BeginDivide(8, 2, {}, {});
    BOOST_CHECK_THROW(second.EndDivide(ar), InvalidOperationException);
    BOOST_TEST(first.EndDivide(ar) == 4);
}

BOOST_AUTO_TEST_CASE(End_with_a_result_another_method_began_throws_and_leaves_it_endable)
{
    running_context ctx;
    Divider divider(ctx.io());
    auto ar = divider.BeginNegate(5, {}, {});
    BOOST_CHECK_THROW(divider.EndDivide(ar), InvalidOperationException);
    BOOST_CHECK_THROW(end<void(std::exception_ptr, int)>(ar), InvalidOperationException);
    BOOST_TEST(divider.EndNegate(ar) == -5);
}

BOOST_AUTO_TEST_CASE(End_with_the_wrong_signature_throws_and_leaves_it_endable)
{
    running_context ctx;
    auto ar = asio::post(ctx.io(), apm());
    BOOST_CHECK_THROW(end<void(error_code)>(ar), InvalidOperationException);
    BOOST_CHECK_NO_THROW(end<void()>(ar));
}

BOOST_AUTO_TEST_CASE(End_of_a_method_result_through_the_generic_end_throws)
{
    running_context ctx;
    Divider divider(ctx.io());
    auto ar = divider.BeginDivide(4, 2, {}, {});
    BOOST_CHECK_THROW(end<void(std::exception_ptr, int)>(ar), InvalidOperationException);
    BOOST_TEST(divider.EndDivide(ar) == 2);
}

BOOST_AUTO_TEST_CASE(End_with_a_result_implemented_outside_dotasync_throws)
{
    struct foreign_result : IAsyncResult {
        const std::any& AsyncState() const override { return state; }
        WaitHandle& AsyncWaitHandle() const override { return handle; }
        bool CompletedSynchronously() const override { return true; }
        bool IsCompleted() const override { return true; }
        std::any state;
        mutable ManualResetEvent handle{true};
    };
    BOOST_CHECK_THROW(end<void()>(std::make_shared<foreign_result>()), InvalidOperationException);
}

BOOST_AUTO_TEST_CASE(AsyncWaitHandle_is_created_on_first_request_and_then_reused)
{
    running_context ctx;
    asio::steady_timer timer(ctx.io(), 1h);
    auto ar = timer.async_wait(apm());
    dotasync_test::allocation_scope first_request;
    WaitHandle& handle = ar->AsyncWaitHandle();
    BOOST_TEST(first_request.count() >= 1u);
    dotasync_test::allocation_scope second_request;
    BOOST_TEST(&ar->AsyncWaitHandle() == &handle);
    BOOST_TEST(second_request.count() == 0u);
    BOOST_TEST(!handle.WaitOne(0));
    asio::post(ctx.io(), [&] { timer.cancel(); });
    BOOST_TEST(handle.WaitOne(static_cast<int>(std::chrono::milliseconds(generous).count())));
    BOOST_CHECK_THROW(end<void(error_code)>(ar), OperationCanceledException);
}

BOOST_AUTO_TEST_CASE(End_waits_without_creating_a_wait_handle)
{
    running_context ctx;
    asio::steady_timer timer(ctx.io(), 20ms);
    auto ar = timer.async_wait(apm());
    dotasync_test::allocation_scope ending;
    end<void(error_code)>(ar);
    BOOST_TEST(ending.count() == 0u);
}

namespace {

// Begins and ends operations one after another from their AsyncCallbacks, on
// the one thread that runs an io_context: the steady state of an APM loop in
// an Asio program, where Asio recycles its handler memory too. Returns the
// heap allocations (Asio's included) made by the last `measured` of
// warm_up + measured operations.
struct callback_loop {
    asio::io_context& io;
    int remaining;
    int measured;
    std::optional<dotasync_test::allocation_scope> scope;
    std::size_t count = 0;

    // The callback is one pointer: it fits in std::function's own storage,
    // so copying it into each token allocates nothing.
    struct step {
        callback_loop* loop;
        void operator()(const IAsyncResultPtr& ar) const { loop->next(ar); }
    };

    void next(const IAsyncResultPtr& ar)
    {
        if (ar)
            end<void()>(ar);
        if (remaining == measured)
            scope.emplace();
        if (remaining-- == 0) {
            count = scope->count();
            return;
        }
        asio::post(io, apm(step{this}));
    }
};

std::size_t allocations_of_a_callback_loop(asio::io_context& io, int warm_up, int measured)
{
    callback_loop loop{io, warm_up + measured, measured, std::nullopt};
    asio::post(io, [&] { loop.next(nullptr); });
    io.run();
    return loop.count;
}

} // namespace

BOOST_AUTO_TEST_CASE(Results_begun_and_ended_one_after_another_on_a_thread_reuse_their_memory)
{
    asio::io_context io;
    BOOST_TEST(allocations_of_a_callback_loop(io, 2, 100) == 0u);
}

BOOST_AUTO_TEST_CASE(Results_of_other_signatures_do_not_stop_the_reuse)
{
    asio::io_context io;
    // Fills the thread's cache with blocks of another size.
    {
        auto work = asio::make_work_guard(io);
        std::vector<IAsyncResultPtr> others;
        for (int i = 0; i < 8; ++i)
            others.push_back(async_complete_with(io, apm(), i, i));
        io.poll();
        for (auto& ar : others)
            end<void(error_code, int, int)>(ar);
    }
    io.restart();
    BOOST_TEST(allocations_of_a_callback_loop(io, 2, 100) == 0u);
}

BOOST_AUTO_TEST_CASE(AsyncState_of_a_result_begun_without_state_is_empty)
{
    asio::io_context io;
    auto ar = asio::post(io, apm());
    BOOST_TEST(!ar->AsyncState().has_value());
    io.run();
    end<void()>(ar);
}

BOOST_AUTO_TEST_CASE(A_wait_handle_requested_after_completion_is_already_signalled)
{
    running_context ctx;
    auto ar = asio::post(ctx.io(), apm());
    end<void()>(ar);
    BOOST_TEST(ar->AsyncWaitHandle().WaitOne(0));
}

BOOST_AUTO_TEST_CASE(A_closed_wait_handle_does_not_break_completion)
{
    running_context ctx;
    asio::steady_timer timer(ctx.io(), 20ms);
    auto ar = timer.async_wait(apm());
    ar->AsyncWaitHandle().Close();
    BOOST_CHECK_NO_THROW(end<void(error_code)>(ar));
    BOOST_CHECK_THROW(ar->AsyncWaitHandle().WaitOne(0), ObjectDisposedException);
}

BOOST_AUTO_TEST_CASE(Asio_operations_never_complete_synchronously)
{
    running_context ctx;
    asio::steady_timer timer(ctx.io(), 0ms);
    auto timer_ar = timer.async_wait(apm());
    auto post_ar = asio::post(ctx.io(), apm());
    end<void(error_code)>(timer_ar);
    end<void()>(post_ar);
    BOOST_TEST(!timer_ar->CompletedSynchronously());
    BOOST_TEST(!post_ar->CompletedSynchronously());
}

BOOST_AUTO_TEST_CASE(An_operation_finished_before_Begin_returns_completed_synchronously_with_the_callback_inline)
{
    asio::io_context io;
    bool callback_ran_before_return = false;
    bool completed_synchronously = false;
    std::thread::id callback_thread;
    asio::post(io, [&] {
        bool called = false;
        // dispatch from inside the executor runs the handler inline.
        auto ar = asio::dispatch(io.get_executor(), apm([&](const IAsyncResultPtr&) {
                                     called = true;
                                     callback_thread = std::this_thread::get_id();
                                 }));
        callback_ran_before_return = called;
        completed_synchronously = ar->CompletedSynchronously();
        end<void()>(ar);
    });
    io.run();
    BOOST_TEST(callback_ran_before_return);
    BOOST_TEST(completed_synchronously);
    BOOST_TEST((callback_thread == std::this_thread::get_id()));
}

BOOST_AUTO_TEST_CASE(AsyncState_returns_the_state_given_to_Begin)
{
    running_context ctx;
    auto buffer = std::make_shared<std::vector<char>>(16, 'x');
    std::promise<std::shared_ptr<std::vector<char>>> from_callback;
    auto ar = asio::post(ctx.io(), apm(
                                       [&](const IAsyncResultPtr& r) {
                                           from_callback.set_value(
                                               std::any_cast<std::shared_ptr<std::vector<char>>>(r->AsyncState()));
                                       },
                                       buffer));
    BOOST_TEST(get_within(from_callback.get_future()) == buffer);
    BOOST_TEST(std::any_cast<std::shared_ptr<std::vector<char>>>(ar->AsyncState()) == buffer);
    end<void()>(ar);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(four_ways_to_wait)

BOOST_AUTO_TEST_CASE(Wait_by_blocking_in_End)
{
    running_context ctx;
    Divider divider(ctx.io());
    BOOST_TEST(divider.EndDivide(divider.BeginDivide(42, 6, {}, {})) == 7);
}

BOOST_AUTO_TEST_CASE(Wait_on_the_AsyncWaitHandle_then_End)
{
    running_context ctx;
    Divider divider(ctx.io());
    auto ar = divider.BeginDivide(42, 7, {}, {});
    BOOST_REQUIRE(ar->AsyncWaitHandle().WaitOne(std::chrono::milliseconds(generous)));
    BOOST_TEST(ar->IsCompleted());
    BOOST_TEST(divider.EndDivide(ar) == 6);
}

BOOST_AUTO_TEST_CASE(Wait_by_polling_IsCompleted)
{
    running_context ctx;
    Divider divider(ctx.io());
    auto ar = divider.BeginDivide(42, 2, {}, {});
    const auto deadline = std::chrono::steady_clock::now() + generous;
    while (!ar->IsCompleted() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::yield();
    BOOST_REQUIRE(ar->IsCompleted());
    BOOST_TEST(divider.EndDivide(ar) == 21);
}

BOOST_AUTO_TEST_CASE(Wait_for_the_callback_which_ends_with_the_state)
{
    running_context ctx;
    Divider divider(ctx.io());
    std::promise<int> result;
    divider.BeginDivide(
        42, 3,
        [&](const IAsyncResultPtr& r) {
            auto* owner = std::any_cast<Divider*>(r->AsyncState());
            result.set_value(owner->EndDivide(r));
        },
        &divider);
    BOOST_TEST(get_within(result.get_future()) == 14);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(abandoned_operations)

BOOST_AUTO_TEST_CASE(End_throws_OperationCanceledException_when_the_io_context_is_destroyed)
{
    IAsyncResultPtr ar;
    bool called_back = false;
    {
        asio::io_context io;
        asio::steady_timer timer(io, 1h);
        ar = timer.async_wait(apm([&](const IAsyncResultPtr&) { called_back = true; }));
    }
    BOOST_TEST(ar->IsCompleted());
    BOOST_TEST(ar->AsyncWaitHandle().WaitOne(0));
    BOOST_CHECK_THROW(end<void(error_code)>(ar), OperationCanceledException);
    BOOST_TEST(!called_back);
}

BOOST_AUTO_TEST_CASE(Threads_blocked_in_End_and_WaitOne_are_released_when_the_context_dies)
{
    auto io = std::make_unique<asio::io_context>();
    auto timer = std::make_unique<asio::steady_timer>(*io, 1h);
    auto ended = timer->async_wait(apm());
    auto waited = timer->async_wait(apm());
    WaitHandle& handle = waited->AsyncWaitHandle();
    auto end_outcome = std::async(std::launch::async, [&] {
        try {
            end<void(error_code)>(ended);
            return std::string("returned");
        } catch (const OperationCanceledException&) {
            return std::string("canceled");
        }
    });
    auto wait_outcome = std::async(std::launch::async, [&] { return handle.WaitOne(std::chrono::milliseconds(generous)); });
    timer.reset();
    io.reset();
    BOOST_TEST(get_within(end_outcome) == "canceled");
    BOOST_TEST(wait_outcome.get());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(callbacks_that_throw)

BOOST_AUTO_TEST_CASE(An_exception_from_a_callback_leaves_run_on_a_users_io_context)
{
    asio::io_context io;
    auto ar = asio::post(io, apm([](const IAsyncResultPtr&) { throw std::logic_error("from the callback"); }));
    try {
        io.run();
        BOOST_FAIL("run() returned normally");
    } catch (const std::logic_error& e) {
        BOOST_TEST(std::string(e.what()) == "from the callback");
    }
    // The result was stored before the callback ran.
    BOOST_TEST(ar->IsCompleted());
    BOOST_CHECK_NO_THROW(end<void()>(ar));
}

BOOST_AUTO_TEST_CASE(An_exception_from_a_callback_on_the_default_runtime_reaches_the_unhandled_handler)
{
    unhandled_capture caught;
    asio::steady_timer timer(ThreadPool::Executor(), 1ms);
    auto ar = timer.async_wait(apm([](const IAsyncResultPtr&) { throw std::runtime_error("escaped"); }));
    const auto error = caught.first(generous);
    BOOST_REQUIRE(error);
    BOOST_TEST(what_of(error) == "escaped");
    BOOST_CHECK_NO_THROW(end<void(error_code)>(ar));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(unobserved_failures)

BOOST_AUTO_TEST_CASE(A_failed_result_never_ended_logs_a_warning_when_destroyed)
{
    dotasync_test::log_capture log;
    {
        running_context ctx;
        asio::steady_timer timer(ctx.io(), 1h);
        auto ar = timer.async_wait(apm());
        asio::post(ctx.io(), [&] { timer.cancel(); });
        BOOST_REQUIRE(ar->AsyncWaitHandle().WaitOne(std::chrono::milliseconds(generous)));
    }
    const auto text = log.text();
    BOOST_TEST(text.find("never ended") != std::string::npos, text);
    BOOST_TEST(text.find("OperationCanceledException") != std::string::npos, text);
}

BOOST_AUTO_TEST_CASE(A_failed_result_that_was_ended_logs_nothing)
{
    dotasync_test::log_capture log;
    {
        running_context ctx;
        asio::steady_timer timer(ctx.io(), 1h);
        auto ar = timer.async_wait(apm());
        asio::post(ctx.io(), [&] { timer.cancel(); });
        BOOST_CHECK_THROW(end<void(error_code)>(ar), OperationCanceledException);
    }
    BOOST_TEST(log.text().empty());
}

BOOST_AUTO_TEST_CASE(A_successful_result_never_ended_logs_nothing)
{
    dotasync_test::log_capture log;
    {
        running_context ctx;
        auto ar = asio::post(ctx.io(), apm());
        BOOST_REQUIRE(ar->AsyncWaitHandle().WaitOne(std::chrono::milliseconds(generous)));
    }
    BOOST_TEST(log.text().empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(contention)

BOOST_AUTO_TEST_CASE(Eight_threads_of_ten_thousand_Begin_End_pairs_lose_and_double_nothing)
{
    constexpr int threads = 8;
    constexpr int pairs = 10'000;
    asio::io_context io;
    auto work = asio::make_work_guard(io);
    std::vector<std::thread> runners;
    for (int i = 0; i < 2; ++i)
        runners.emplace_back([&] { io.run(); });

    std::vector<std::atomic<int>> callbacks(threads * pairs);
    std::atomic<long long> sum{0};
    std::vector<std::thread> callers;
    for (int t = 0; t < threads; ++t) {
        callers.emplace_back([&, t] {
            for (int i = 0; i < pairs; ++i) {
                const int id = t * pairs + i;
                auto ar = async_complete_with(
                    io,
                    apm([&callbacks](const IAsyncResultPtr& r) { ++callbacks[std::any_cast<int>(r->AsyncState())]; },
                        id),
                    id);
                // Alternate the ways of waiting, so both race the completion.
                if (i % 2 == 0)
                    ar->AsyncWaitHandle().WaitOne();
                sum += end<void(error_code, int)>(ar);
            }
        });
    }
    for (auto& caller : callers)
        caller.join();
    work.reset();
    for (auto& runner : runners)
        runner.join();

    long long expected = 0;
    for (int id = 0; id < threads * pairs; ++id)
        expected += id;
    BOOST_TEST(sum.load() == expected);
    int wrong = 0;
    for (auto& count : callbacks)
        wrong += count.load() != 1;
    BOOST_TEST(wrong == 0);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(sync_over_async_deadlock_detection)

namespace {

// An io_context run by two threads, for strand tests: a strand is the only
// thing that keeps the second thread from running a completion.
// What End threw, by type, or "returned".
template <class F>
std::string outcome_of(F&& end_call)
{
    try {
        end_call();
        return "returned";
    } catch (const InvalidOperationException& e) {
        return std::string("InvalidOperationException: ") + e.what();
    } catch (const OperationCanceledException&) {
        return "OperationCanceledException";
    }
}

// Starts a timer wait on `strand` from inside it and ends it there at once:
// End must refuse, naming the strand, and leave the result endable.
template <class Executor>
void check_end_of_timer_wait_refused_inside(const Executor& strand)
{
    asio::steady_timer timer(strand, 1h);
    std::promise<std::pair<std::string, IAsyncResultPtr>> inside;
    asio::post(strand, [&] {
        auto ar = timer.async_wait(apm());
        auto what = outcome_of([&] { end<void(error_code)>(ar); });
        timer.cancel();
        inside.set_value({what, ar});
    });
    auto [what, ar] = get_within(inside.get_future());
    BOOST_TEST(what.find("InvalidOperationException") == 0u, what);
    BOOST_TEST(what.find("strand") != std::string::npos, what);
    // The refused End left the result endable.
    BOOST_CHECK_THROW(end<void(error_code)>(ar), OperationCanceledException);
}

} // namespace

BOOST_AUTO_TEST_CASE(End_inside_the_strand_that_must_run_the_completion_throws_InvalidOperationException)
{
    two_thread_context ctx;
    check_end_of_timer_wait_refused_inside(asio::make_strand(ctx.io()));
}

BOOST_AUTO_TEST_CASE(End_on_the_thread_of_a_single_threaded_io_context_throws_InvalidOperationException)
{
    asio::io_context io(1);
    asio::steady_timer timer(io, 1h);
    IAsyncResultPtr ar;
    std::string what;
    asio::post(io, [&] {
        ar = timer.async_wait(apm());
        what = outcome_of([&] { end<void(error_code)>(ar); });
        timer.cancel();
    });
    io.run_for(generous);
    BOOST_TEST(what.find("InvalidOperationException") == 0u, what);
    BOOST_TEST(what.find("single-threaded io_context") != std::string::npos, what);
    BOOST_CHECK_THROW(end<void(error_code)>(ar), OperationCanceledException);
}

BOOST_AUTO_TEST_CASE(EndInvoke_inside_the_strand_of_the_delegate_throws_InvalidOperationException)
{
    two_thread_context ctx;
    auto strand = asio::make_strand(ctx.io());
    Delegate<int()> answer(strand, [] { return 42; });
    std::promise<std::pair<std::string, IAsyncResultPtr>> inside;
    asio::post(strand, [&] {
        auto ar = answer.BeginInvoke({}, {});
        inside.set_value({outcome_of([&] { answer.EndInvoke(ar); }), ar});
    });
    auto [what, ar] = get_within(inside.get_future());
    BOOST_TEST(what.find("InvalidOperationException") == 0u, what);
    BOOST_TEST(answer.EndInvoke(ar) == 42);
}

BOOST_AUTO_TEST_CASE(End_inside_the_strand_a_coroutine_runs_on_throws_InvalidOperationException)
{
    two_thread_context ctx;
    auto strand = asio::make_strand(ctx.io());
    std::promise<std::pair<std::string, IAsyncResultPtr>> inside;
    asio::post(strand, [&] {
        auto ar = asio::co_spawn(
            strand, []() -> asio::awaitable<int> { co_return 7; }, apm());
        inside.set_value({outcome_of([&] { end<void(std::exception_ptr, int)>(ar); }), ar});
    });
    auto [what, ar] = get_within(inside.get_future());
    BOOST_TEST(what.find("InvalidOperationException") == 0u, what);
    BOOST_TEST(end<void(std::exception_ptr, int)>(ar) == 7);
}

BOOST_AUTO_TEST_CASE(End_inside_the_StrandSynchronizationContext_that_must_run_the_completion_throws)
{
    two_thread_context ctx;
    auto context = std::make_shared<StrandSynchronizationContext>(ctx.io().get_executor());
    // The timer holds the context's executor inside an any_io_executor.
    check_end_of_timer_wait_refused_inside(context->get_executor());
}

BOOST_AUTO_TEST_CASE(End_inside_a_StrandSynchronizationContext_of_an_operation_posted_to_it_throws)
{
    two_thread_context ctx;
    auto context = std::make_shared<StrandSynchronizationContext>(ctx.io().get_executor());
    std::promise<std::pair<std::string, IAsyncResultPtr>> inside;
    asio::post(context->get_executor(), [&] {
        // The initiation sees the context's own executor type, not an
        // any_io_executor.
        auto ar = asio::post(context->get_executor(), apm());
        inside.set_value({outcome_of([&] { end<void()>(ar); }), ar});
    });
    auto [what, ar] = get_within(inside.get_future());
    BOOST_TEST(what.find("InvalidOperationException") == 0u, what);
    BOOST_TEST(outcome_of([&] { end<void()>(ar); }) == "returned");
}

BOOST_AUTO_TEST_CASE(End_inside_another_StrandSynchronizationContext_waits_and_returns)
{
    two_thread_context ctx;
    auto completing = std::make_shared<StrandSynchronizationContext>(ctx.io().get_executor());
    auto waiting = std::make_shared<StrandSynchronizationContext>(ctx.io().get_executor());
    asio::steady_timer timer(completing->get_executor(), 5ms);
    std::promise<std::string> inside;
    asio::post(waiting->get_executor(), [&] {
        auto ar = timer.async_wait(apm());
        inside.set_value(outcome_of([&] { end<void(error_code)>(ar); }));
    });
    BOOST_TEST(get_within(inside.get_future()) == "returned");
}

BOOST_AUTO_TEST_CASE(End_inside_a_strand_of_an_operation_another_thread_completes_waits_and_returns)
{
    two_thread_context ctx;
    auto strand = asio::make_strand(ctx.io());
    // The timer is on the io_context itself: the second thread completes it.
    asio::steady_timer timer(ctx.io(), 5ms);
    std::promise<std::string> inside;
    asio::post(strand, [&] {
        auto ar = timer.async_wait(apm());
        inside.set_value(outcome_of([&] { end<void(error_code)>(ar); }));
    });
    BOOST_TEST(get_within(inside.get_future()) == "returned");
}

BOOST_AUTO_TEST_CASE(End_on_a_single_threaded_context_of_an_operation_on_another_context_waits_and_returns)
{
    running_context other;
    asio::steady_timer timer(other.io(), 5ms);
    asio::io_context io(1);
    std::string what;
    asio::post(io, [&] {
        auto ar = timer.async_wait(apm());
        what = outcome_of([&] { end<void(error_code)>(ar); });
    });
    io.run_for(generous);
    BOOST_TEST(what == "returned");
}

BOOST_AUTO_TEST_CASE(End_of_a_finished_operation_inside_its_strand_returns_at_once)
{
    two_thread_context ctx;
    auto strand = asio::make_strand(ctx.io());
    std::promise<std::string> inside;
    asio::post(strand, [&] {
        // dispatch inside the strand completes inline: the result is ready.
        auto ar = asio::dispatch(strand, apm());
        inside.set_value(outcome_of([&] { end<void()>(ar); }));
    });
    BOOST_TEST(get_within(inside.get_future()) == "returned");
}

BOOST_AUTO_TEST_SUITE_END()
