#include <dotasync/threading/synchronization_context.hpp>

#include <dotasync/core/exceptions.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include "support/waiting.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <thread>
#include <tuple>

using namespace dotasync;
using namespace dotasync_test;

namespace {


// Clears the calling thread's context when a test ends, whatever it set.
struct clear_current {
    ~clear_current() { SynchronizationContext::SetSynchronizationContext(nullptr); }
};

} // namespace

BOOST_AUTO_TEST_CASE(Current_is_null_on_a_thread_that_set_nothing)
{
    BOOST_TEST(!SynchronizationContext::Current());
    std::shared_ptr<SynchronizationContext> seen = std::make_shared<SynchronizationContext>();
    std::thread([&] { seen = SynchronizationContext::Current(); }).join();
    BOOST_TEST(!seen);
}

BOOST_AUTO_TEST_CASE(SetSynchronizationContext_sets_Current_for_the_calling_thread_only)
{
    clear_current cleanup;
    auto context = std::make_shared<SynchronizationContext>();
    SynchronizationContext::SetSynchronizationContext(context);
    BOOST_TEST(SynchronizationContext::Current() == context);

    std::shared_ptr<SynchronizationContext> other_thread_saw = context;
    std::thread([&] { other_thread_saw = SynchronizationContext::Current(); }).join();
    BOOST_TEST(!other_thread_saw);

    SynchronizationContext::SetSynchronizationContext(nullptr);
    BOOST_TEST(!SynchronizationContext::Current());
}

BOOST_AUTO_TEST_CASE(The_default_context_posts_to_a_pool_thread_where_Current_is_null)
{
    clear_current cleanup;
    auto context = std::make_shared<SynchronizationContext>();
    SynchronizationContext::SetSynchronizationContext(context);

    std::promise<std::tuple<std::thread::id, bool, int>> ran;
    context->Post(
        [&](const std::any& state) {
            ran.set_value({std::this_thread::get_id(), SynchronizationContext::Current() == nullptr,
                           std::any_cast<int>(state)});
        },
        7);
    auto [thread, no_context, state] = get_within(ran.get_future());
    BOOST_TEST((thread != std::this_thread::get_id()));
    BOOST_TEST(no_context);
    BOOST_TEST(state == 7);
}

BOOST_AUTO_TEST_CASE(The_default_context_sends_inline_and_propagates_exceptions)
{
    auto context = std::make_shared<SynchronizationContext>();
    std::thread::id ran_on;
    context->Send([&](const std::any&) { ran_on = std::this_thread::get_id(); }, {});
    BOOST_TEST((ran_on == std::this_thread::get_id()));

    BOOST_CHECK_THROW(context->Send([](const std::any&) { throw std::logic_error("from the callback"); }, {}),
                      std::logic_error);
}

BOOST_AUTO_TEST_CASE(Post_and_Send_with_an_empty_callback_throw_ArgumentNullException)
{
    auto context = std::make_shared<SynchronizationContext>();
    BOOST_CHECK_THROW(context->Post(SendOrPostCallback(), {}), ArgumentNullException);
    BOOST_CHECK_THROW(context->Send(SendOrPostCallback(), {}), ArgumentNullException);
}

BOOST_AUTO_TEST_CASE(The_default_context_ignores_OperationStarted_and_OperationCompleted)
{
    auto context = std::make_shared<SynchronizationContext>();
    context->OperationCompleted(); // more completions than starts is not an error here
    context->OperationStarted();
    context->OperationCompleted();
}

BOOST_AUTO_TEST_CASE(current_context_scope_installs_a_context_and_restores_the_previous_one)
{
    clear_current cleanup;
    auto outer = std::make_shared<SynchronizationContext>();
    SynchronizationContext::SetSynchronizationContext(outer);
    {
        std::shared_ptr<SynchronizationContext> inner = std::make_shared<SynchronizationContext>();
        auto expected = inner;
        detail::current_context_scope scope(inner);
        BOOST_TEST(SynchronizationContext::Current() == expected);
    }
    BOOST_TEST(SynchronizationContext::Current() == outer);
}
