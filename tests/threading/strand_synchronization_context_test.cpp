#include <dotasync/threading/strand_synchronization_context.hpp>

#include <dotasync/core/exceptions.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include "support/running_context.hpp"
#include "support/waiting.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/execution.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

namespace asio = boost::asio;
using namespace dotasync;
using namespace dotasync_test;

namespace {


using executor_type = StrandSynchronizationContext::executor_type;

static_assert(asio::execution::is_executor<executor_type>::value);
static_assert(asio::execution::executor<executor_type>);
static_assert(std::is_convertible_v<executor_type, asio::any_io_executor>);



} // namespace

BOOST_AUTO_TEST_SUITE(construction)

BOOST_AUTO_TEST_CASE(An_empty_executor_throws_ArgumentNullException)
{
    BOOST_CHECK_THROW(StrandSynchronizationContext(asio::any_io_executor()), ArgumentNullException);
}

BOOST_AUTO_TEST_CASE(A_context_not_owned_by_a_shared_ptr_refuses_to_hand_out_its_executor)
{
    asio::io_context io;
    StrandSynchronizationContext context(io.get_executor());
    BOOST_CHECK_THROW(context.get_executor(), InvalidOperationException);
    BOOST_CHECK_THROW(context.Post([](const std::any&) {}, {}), InvalidOperationException);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(executor)

BOOST_AUTO_TEST_CASE(A_function_posted_to_the_executor_sees_Current_equal_to_the_context_and_it_is_restored_after)
{
    asio::io_context io;
    auto context = std::make_shared<StrandSynchronizationContext>(io.get_executor());
    std::shared_ptr<SynchronizationContext> inside, after;
    bool on_strand = false;
    asio::post(context->get_executor(), [&] {
        inside = SynchronizationContext::Current();
        on_strand = context->running_in_this_thread();
    });
    asio::post(io, [&] { after = SynchronizationContext::Current(); });
    io.run();
    BOOST_TEST(inside == context);
    BOOST_TEST(on_strand);
    BOOST_TEST(!after);
}

BOOST_AUTO_TEST_CASE(A_handler_bound_with_bind_executor_runs_with_Current_equal_to_the_context)
{
    asio::io_context io;
    auto context = std::make_shared<StrandSynchronizationContext>(io.get_executor());
    asio::steady_timer timer(io, 1ms);
    std::shared_ptr<SynchronizationContext> seen;
    timer.async_wait(asio::bind_executor(context->get_executor(),
                                         [&](boost::system::error_code) { seen = SynchronizationContext::Current(); }));
    io.run();
    BOOST_TEST(seen == context);
}

asio::awaitable<std::vector<bool>> hop_around(std::shared_ptr<StrandSynchronizationContext> expected)
{
    std::vector<bool> seen;
    auto check = [&] {
        seen.push_back(SynchronizationContext::Current() == expected && expected->running_in_this_thread());
    };
    check();
    asio::steady_timer timer(co_await asio::this_coro::executor, 1ms);
    co_await timer.async_wait(asio::use_awaitable);
    check();
    // Completes on a default-runtime thread; the coroutine resumes on its own executor.
    co_await asio::post(ThreadPool::Executor(), asio::use_awaitable);
    check();
    for (int i = 0; i < 3; ++i) {
        timer.expires_after(1ms);
        co_await timer.async_wait(asio::use_awaitable);
        check();
    }
    co_return seen;
}

BOOST_AUTO_TEST_CASE(A_coroutine_spawned_on_the_executor_keeps_Current_across_every_co_await)
{
    running_context runner(2);
    auto context = std::make_shared<StrandSynchronizationContext>(runner.io().get_executor());
    auto future = asio::co_spawn(context->get_executor(), hop_around(context), asio::use_future);
    const auto seen = get_within(future);
    BOOST_TEST(seen.size() == 6u);
    for (bool ok : seen)
        BOOST_TEST(ok);
}

BOOST_AUTO_TEST_CASE(Queries_are_forwarded_and_require_and_prefer_keep_the_context)
{
    asio::io_context io;
    auto context = std::make_shared<StrandSynchronizationContext>(io.get_executor());
    auto ex = context->get_executor();
    BOOST_TEST(&asio::query(ex, asio::execution::context) == &io);

    auto never = asio::require(ex, asio::execution::blocking.never);
    BOOST_TEST((asio::query(never, asio::execution::blocking) == asio::execution::blocking.never));
    BOOST_TEST(never.synchronization_context() == context);

    std::shared_ptr<SynchronizationContext> seen;
    asio::any_io_executor erased = ex;
    asio::execution::execute(erased, [&] { seen = SynchronizationContext::Current(); });

    {
        // Created after the function was queued: releasing the last unit of
        // work on an idle io_context would stop it, as a work guard does.
        auto tracked = asio::prefer(ex, asio::execution::outstanding_work.tracked);
        BOOST_TEST(tracked.synchronization_context() == context);
    }
    io.run();
    BOOST_TEST(seen == context);
}

BOOST_AUTO_TEST_CASE(Executors_compare_equal_when_they_belong_to_the_same_context)
{
    asio::io_context io;
    auto a = std::make_shared<StrandSynchronizationContext>(io.get_executor());
    auto b = std::make_shared<StrandSynchronizationContext>(io.get_executor());
    BOOST_TEST((a->get_executor() == a->get_executor()));
    BOOST_TEST((a->get_executor() != b->get_executor()));
}

BOOST_AUTO_TEST_CASE(A_pending_function_keeps_the_context_alive_after_the_last_user_reference_is_gone)
{
    asio::io_context io;
    auto context = std::make_shared<StrandSynchronizationContext>(io.get_executor());
    std::weak_ptr<StrandSynchronizationContext> watch = context;
    bool alive_inside = false;
    asio::post(context->get_executor(), [&] { alive_inside = SynchronizationContext::Current() != nullptr; });
    context.reset();
    BOOST_TEST(!watch.expired());
    io.run();
    BOOST_TEST(alive_inside);
    BOOST_TEST(watch.expired());
}

BOOST_AUTO_TEST_CASE(An_exception_escaping_a_function_leaves_through_run_and_Current_is_restored)
{
    asio::io_context io;
    auto context = std::make_shared<StrandSynchronizationContext>(io.get_executor());
    asio::post(context->get_executor(), [] { throw std::runtime_error("from the strand"); });
    BOOST_CHECK_THROW(io.run(), std::runtime_error);
    BOOST_TEST(!SynchronizationContext::Current());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(post_and_send)

BOOST_AUTO_TEST_CASE(Post_runs_the_callback_with_its_state_on_the_strand_with_Current_equal_to_the_context)
{
    asio::io_context io;
    auto context = std::make_shared<StrandSynchronizationContext>(io.get_executor());
    int state = 0;
    bool current = false, on_strand = false;
    context->Post(
        [&](const std::any& s) {
            state = std::any_cast<int>(s);
            current = SynchronizationContext::Current() == context;
            on_strand = context->running_in_this_thread();
        },
        42);
    BOOST_TEST(state == 0); // queued, not run inline
    io.run();
    BOOST_TEST(state == 42);
    BOOST_TEST(current);
    BOOST_TEST(on_strand);
}

BOOST_AUTO_TEST_CASE(Posts_run_in_FIFO_order_and_never_two_at_once_on_the_default_runtime)
{
    BOOST_REQUIRE(ThreadPool::ThreadCount() >= 2);
    auto context = std::make_shared<StrandSynchronizationContext>(ThreadPool::Executor());
    constexpr int count = 20000;
    std::atomic<int> running{0};
    std::atomic<int> overlaps{0};
    std::vector<int> order; // touched only by the strand
    order.reserve(count);
    std::promise<void> done;

    auto item = [&](int i) {
        if (running.fetch_add(1) != 0)
            overlaps.fetch_add(1);
        order.push_back(i);
        running.fetch_sub(1);
        if (i == count - 1)
            done.set_value();
    };
    for (int i = 0; i < count; ++i) {
        // Every way of queuing goes through the same strand, in order: Post
        // takes a path typed on the io_context, the others any_io_executor.
        if (i % 3 == 0)
            context->Post([&item, i](const std::any&) { item(i); }, {});
        else if (i % 3 == 1)
            asio::post(context->get_executor(), [&item, i] { item(i); });
        else
            asio::post(context->get_strand(), [&item, i] { item(i); });
    }
    auto finished = done.get_future();
    get_within(finished);
    BOOST_TEST(overlaps.load() == 0);
    BOOST_REQUIRE(order.size() == static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i)
        BOOST_REQUIRE(order[static_cast<std::size_t>(i)] == i);
}

BOOST_AUTO_TEST_CASE(Send_from_another_thread_waits_until_the_callback_has_run_on_the_strand)
{
    running_context runner(1);
    auto context = std::make_shared<StrandSynchronizationContext>(runner.io().get_executor());
    std::thread::id ran_on;
    bool current = false;
    context->Send(
        [&](const std::any&) {
            ran_on = std::this_thread::get_id();
            current = SynchronizationContext::Current() == context;
        },
        {});
    // Send has returned, so the callback has run.
    BOOST_TEST((ran_on != std::thread::id()));
    BOOST_TEST((ran_on != std::this_thread::get_id()));
    BOOST_TEST(current);
}

BOOST_AUTO_TEST_CASE(Send_rethrows_what_the_callback_threw)
{
    running_context runner(1);
    auto context = std::make_shared<StrandSynchronizationContext>(runner.io().get_executor());
    BOOST_CHECK_THROW(context->Send([](const std::any&) { throw std::logic_error("sent"); }, {}), std::logic_error);
}

BOOST_AUTO_TEST_CASE(Send_on_the_strand_runs_inline_instead_of_deadlocking)
{
    asio::io_context io;
    auto context = std::make_shared<StrandSynchronizationContext>(io.get_executor());
    std::vector<int> steps;
    context->Post(
        [&](const std::any&) {
            steps.push_back(1);
            context->Send([&](const std::any&) { steps.push_back(2); }, {});
            steps.push_back(3);
        },
        {});
    io.run();
    BOOST_TEST(steps == (std::vector<int>{1, 2, 3}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(Send_through_the_bare_strand_still_sees_Current_equal_to_the_context)
{
    asio::io_context io;
    auto context = std::make_shared<StrandSynchronizationContext>(io.get_executor());
    bool current = false;
    asio::post(context->get_strand(), [&] {
        context->Send([&](const std::any&) { current = SynchronizationContext::Current() == context; }, {});
    });
    io.run();
    BOOST_TEST(current);
}

BOOST_AUTO_TEST_CASE(Post_and_Send_with_an_empty_callback_throw_ArgumentNullException)
{
    asio::io_context io;
    auto context = std::make_shared<StrandSynchronizationContext>(io.get_executor());
    BOOST_CHECK_THROW(context->Post(SendOrPostCallback(), {}), ArgumentNullException);
    BOOST_CHECK_THROW(context->Send(SendOrPostCallback(), {}), ArgumentNullException);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(outstanding_operations)

BOOST_AUTO_TEST_CASE(run_does_not_return_while_operations_are_outstanding)
{
    asio::io_context io;
    auto context = std::make_shared<StrandSynchronizationContext>(io.get_executor());
    context->OperationStarted();
    context->OperationStarted();
    BOOST_TEST(context->outstanding_operations() == 2u);

    // With no work, run_for would return at once and stop the io_context;
    // outstanding operations keep it running until the time is up.
    io.run_for(20ms);
    BOOST_TEST(!io.stopped());

    context->OperationCompleted();
    io.run_for(20ms);
    BOOST_TEST(!io.stopped());

    context->OperationCompleted();
    BOOST_TEST(context->outstanding_operations() == 0u);
    io.run(); // returns: nothing left
    BOOST_TEST(io.stopped());
}

BOOST_AUTO_TEST_CASE(On_an_executor_that_is_not_an_io_context_s_operations_keep_its_context_busy_too)
{
    asio::thread_pool pool(1);
    auto context = std::make_shared<StrandSynchronizationContext>(pool.get_executor());
    context->OperationStarted();
    context->OperationStarted();
    BOOST_TEST(context->outstanding_operations() == 2u);
    std::promise<bool> ran;
    context->Post([&](const std::any&) { ran.set_value(SynchronizationContext::Current() == context); }, {});
    auto future = ran.get_future();
    BOOST_TEST(get_within(future));
    context->OperationCompleted();
    context->OperationCompleted();
    BOOST_TEST(context->outstanding_operations() == 0u);
    BOOST_CHECK_THROW(context->OperationCompleted(), InvalidOperationException);
}

BOOST_AUTO_TEST_CASE(OperationCompleted_without_a_matching_OperationStarted_throws_InvalidOperationException)
{
    asio::io_context io;
    auto context = std::make_shared<StrandSynchronizationContext>(io.get_executor());
    BOOST_CHECK_THROW(context->OperationCompleted(), InvalidOperationException);
    context->OperationStarted();
    context->OperationCompleted();
    BOOST_CHECK_THROW(context->OperationCompleted(), InvalidOperationException);
    BOOST_TEST(context->outstanding_operations() == 0u);
}

BOOST_AUTO_TEST_CASE(A_completion_posted_before_the_last_operation_completes_still_runs)
{
    running_context runner(1);
    asio::io_context io;
    auto context = std::make_shared<StrandSynchronizationContext>(io.get_executor());
    context->OperationStarted();
    std::promise<void> ran;
    // Another thread finishes the operation the way AsyncOperation does:
    // post the completion, then report the operation completed.
    asio::post(runner.io(), [&] {
        context->Post([&](const std::any&) { ran.set_value(); }, {});
        context->OperationCompleted();
    });
    io.run(); // returns once the completion has run and nothing is outstanding
    auto future = ran.get_future();
    BOOST_TEST((future.wait_for(0s) == std::future_status::ready));
}

BOOST_AUTO_TEST_SUITE_END()
