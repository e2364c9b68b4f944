#include <dotasync/threading/message_loop_synchronization_context.hpp>

#include <dotasync/core/exceptions.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/test/unit_test.hpp>

#include "support/log_capture.hpp"
#include "support/waiting.hpp"

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


std::shared_ptr<MessageLoopSynchronizationContext> current_loop()
{
    return std::dynamic_pointer_cast<MessageLoopSynchronizationContext>(SynchronizationContext::Current());
}

} // namespace

BOOST_AUTO_TEST_CASE(Run_runs_main_on_the_calling_thread_with_the_loop_as_Current)
{
    std::thread::id main_thread;
    std::shared_ptr<MessageLoopSynchronizationContext> loop;
    bool on_strand = false;
    MessageLoopSynchronizationContext::Run([&] {
        main_thread = std::this_thread::get_id();
        loop = current_loop();
        on_strand = loop && loop->running_in_this_thread();
    });
    BOOST_TEST((main_thread == std::this_thread::get_id()));
    BOOST_REQUIRE(loop);
    BOOST_TEST((loop->loop_thread_id() == std::this_thread::get_id()));
    BOOST_TEST(on_strand);
}

BOOST_AUTO_TEST_CASE(Run_restores_the_previous_Current)
{
    auto previous = std::make_shared<SynchronizationContext>();
    SynchronizationContext::SetSynchronizationContext(previous);
    MessageLoopSynchronizationContext::Run([] {});
    BOOST_TEST(SynchronizationContext::Current() == previous);
    SynchronizationContext::SetSynchronizationContext(nullptr);
    MessageLoopSynchronizationContext::Run([] {});
    BOOST_TEST(!SynchronizationContext::Current());
}

BOOST_AUTO_TEST_CASE(Run_returns_only_after_work_posted_from_other_threads_for_outstanding_operations_has_run)
{
    std::vector<std::thread::id> ran_on;
    MessageLoopSynchronizationContext::Run([&] {
        auto loop = SynchronizationContext::Current();
        loop->OperationStarted();
        // The "operation" finishes on a pool thread, later, and reports back
        // to the loop, the way AsyncOperation::PostOperationCompleted does.
        ThreadPool::QueueUserWorkItem([loop, &ran_on] {
            for (int i = 0; i < 3; ++i)
                loop->Post([&ran_on](const std::any&) { ran_on.push_back(std::this_thread::get_id()); }, {});
            loop->OperationCompleted();
        });
    });
    BOOST_TEST(ran_on.size() == 3u);
    for (auto id : ran_on)
        BOOST_TEST((id == std::this_thread::get_id()));
}

BOOST_AUTO_TEST_CASE(Handlers_bound_to_the_loop_executor_run_on_the_loop_thread)
{
    std::thread::id ran_on;
    MessageLoopSynchronizationContext::Run([&] {
        auto loop = current_loop();
        asio::post(ThreadPool::Executor(), asio::bind_executor(loop->get_executor(), [&ran_on] {
                       ran_on = std::this_thread::get_id();
                   }));
    });
    BOOST_TEST((ran_on == std::this_thread::get_id()));
}

BOOST_AUTO_TEST_CASE(An_exception_escaping_main_leaves_Run_and_Current_is_restored)
{
    BOOST_CHECK_THROW(MessageLoopSynchronizationContext::Run([] { throw std::runtime_error("main failed"); }),
                      std::runtime_error);
    BOOST_TEST(!SynchronizationContext::Current());
}

BOOST_AUTO_TEST_CASE(An_exception_ends_the_loop_and_what_is_still_queued_is_destroyed)
{
    auto token = std::make_shared<int>(0);
    std::weak_ptr<int> watch = token;
    bool second_ran = false;
    BOOST_CHECK_THROW(MessageLoopSynchronizationContext::Run([&] {
                          auto loop = SynchronizationContext::Current();
                          loop->Post([](const std::any&) { throw std::logic_error("first"); }, {});
                          loop->Post([&second_ran, token](const std::any&) { second_ran = true; }, {});
                      }),
                      std::logic_error);
    token.reset();
    BOOST_TEST(!second_ran);
    BOOST_TEST(watch.expired());
}

BOOST_AUTO_TEST_CASE(Run_with_an_empty_main_throws_ArgumentNullException)
{
    BOOST_CHECK_THROW(MessageLoopSynchronizationContext::Run(std::function<void()>()), ArgumentNullException);
}

BOOST_AUTO_TEST_CASE(Send_on_the_loop_thread_outside_the_strand_runs_inline)
{
    bool ran = false;
    MessageLoopSynchronizationContext::Run([&] {
        auto loop = current_loop();
        // A handler posted to the io_context itself, not to the strand.
        asio::post(loop->get_strand().get_inner_executor(), [loop, &ran] {
            loop->Send([&ran](const std::any&) { ran = true; }, {});
        });
    });
    BOOST_TEST(ran);
}

BOOST_AUTO_TEST_CASE(Send_from_another_thread_runs_the_callback_on_the_loop_thread)
{
    std::thread::id ran_on;
    MessageLoopSynchronizationContext::Run([&] {
        auto loop = SynchronizationContext::Current();
        loop->OperationStarted();
        ThreadPool::QueueUserWorkItem([loop, &ran_on] {
            loop->Send([&ran_on](const std::any&) { ran_on = std::this_thread::get_id(); }, {});
            loop->OperationCompleted();
        });
    });
    BOOST_TEST((ran_on == std::this_thread::get_id()));
}

BOOST_AUTO_TEST_CASE(After_the_loop_has_ended_Post_drops_the_callback_with_a_warning_and_Send_throws)
{
    std::shared_ptr<SynchronizationContext> loop;
    MessageLoopSynchronizationContext::Run([&] { loop = SynchronizationContext::Current(); });
    BOOST_REQUIRE(loop);

    dotasync_test::log_capture log;
    bool ran = false;
    loop->Post([&ran](const std::any&) { ran = true; }, {});
    BOOST_TEST(!ran);
    BOOST_TEST(log.text().find("loop has ended") != std::string::npos);
    BOOST_CHECK_THROW(loop->Send([](const std::any&) {}, {}), ObjectDisposedException);
}

BOOST_AUTO_TEST_CASE(A_loop_nested_in_another_runs_separately_and_restores_the_outer_one)
{
    std::shared_ptr<SynchronizationContext> outer, inner, outer_again;
    MessageLoopSynchronizationContext::Run([&] {
        outer = SynchronizationContext::Current();
        MessageLoopSynchronizationContext::Run([&] { inner = SynchronizationContext::Current(); });
        outer_again = SynchronizationContext::Current();
    });
    BOOST_TEST(outer);
    BOOST_TEST(inner);
    BOOST_TEST(inner != outer);
    BOOST_TEST(outer_again == outer);
}
