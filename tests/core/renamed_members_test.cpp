// dotasync-only members of .NET-named classes follow the naming rule
// (snake_case); the PascalCase spellings they had keep working, deprecated,
// so that code written against them still compiles.
#include <dotasync/core/event.hpp>
#include <dotasync/eap/async_operation.hpp>
#include <dotasync/threading/message_loop_synchronization_context.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include <boost/test/unit_test.hpp>

#include <any>
#include <exception>
#include <memory>

using namespace dotasync;

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

BOOST_AUTO_TEST_CASE(HandlerCount_answers_as_handler_count)
{
    Event<int> event;
    [[maybe_unused]] auto subscription = event += [](const std::any&, int&) {};
    BOOST_TEST(event.HandlerCount() == event.handler_count());
    BOOST_TEST(event.handler_count() == 1u);
}

BOOST_AUTO_TEST_CASE(IsCompleted_of_an_AsyncOperation_answers_as_is_completed)
{
    auto op = AsyncOperationManager::CreateOperation(std::any());
    BOOST_TEST(!op->IsCompleted());
    op->OperationCompleted();
    BOOST_TEST(op->IsCompleted());
    BOOST_TEST(op->is_completed());
}

BOOST_AUTO_TEST_CASE(SetUnhandledExceptionHandler_is_set_unhandled_exception_handler)
{
    int which = 0;
    ThreadPool::UnhandledExceptionHandler first = [&](std::exception_ptr) { which = 1; };
    auto original = ThreadPool::SetUnhandledExceptionHandler(first);
    auto seen = ThreadPool::set_unhandled_exception_handler(original);
    seen(nullptr);
    BOOST_TEST(which == 1);
}

BOOST_AUTO_TEST_CASE(LoopThreadId_answers_as_loop_thread_id)
{
    bool same = false;
    MessageLoopSynchronizationContext::Run([&] {
        auto loop = std::dynamic_pointer_cast<MessageLoopSynchronizationContext>(SynchronizationContext::Current());
        same = loop && loop->LoopThreadId() == loop->loop_thread_id();
    });
    BOOST_TEST(same);
}

#pragma GCC diagnostic pop
