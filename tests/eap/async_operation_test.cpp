#include <dotasync/eap/async_operation.hpp>

#include <dotasync/core/event.hpp>
#include <dotasync/core/exceptions.hpp>
#include <dotasync/core/state_cast.hpp>
#include <dotasync/eap/async_completed_event_args.hpp>
#include <dotasync/eap/progress_changed_event_args.hpp>
#include <dotasync/threading/message_loop_synchronization_context.hpp>
#include <dotasync/threading/strand_synchronization_context.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include "support/recording_context.hpp"
#include "support/waiting.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace asio = boost::asio;
using namespace dotasync;
using namespace dotasync_test;

namespace {


void nothing(const std::any&) {}

} // namespace

BOOST_AUTO_TEST_SUITE(creation)

BOOST_AUTO_TEST_CASE(CreateOperation_captures_the_current_context_and_calls_OperationStarted_once)
{
    auto context = std::make_shared<recording_context>();
    context_scope scope(context);
    auto op = AsyncOperationManager::CreateOperation(std::string("state"));
    BOOST_TEST(op->SynchronizationContext() == context);
    BOOST_TEST(std::any_cast<std::string>(op->UserSuppliedState()) == "state");
    BOOST_TEST(context->started == 1);
    BOOST_TEST(context->completed == 0);
    op->OperationCompleted();
}

BOOST_AUTO_TEST_CASE(Without_a_current_context_the_operation_uses_the_default_context_without_installing_it)
{
    BOOST_REQUIRE(!SynchronizationContext::Current());
    auto op = AsyncOperationManager::CreateOperation({});
    BOOST_REQUIRE(op->SynchronizationContext());
    BOOST_TEST(op->SynchronizationContext() == AsyncOperationManager::SynchronizationContext());
    BOOST_TEST((typeid(*op->SynchronizationContext()) == typeid(SynchronizationContext)));
    BOOST_TEST(!SynchronizationContext::Current());
    op->OperationCompleted();
}

BOOST_AUTO_TEST_CASE(An_operation_started_with_no_context_completes_on_the_default_runtime)
{
    auto op = AsyncOperationManager::CreateOperation({});
    std::promise<std::pair<std::thread::id, bool>> ran;
    op->PostOperationCompleted(
        [&](const std::any&) {
            ran.set_value({std::this_thread::get_id(), SynchronizationContext::Current() == nullptr});
        },
        {});
    auto [thread, no_context] = get_within(ran.get_future());
    BOOST_TEST((thread != std::this_thread::get_id()));
    BOOST_TEST(no_context);
}

BOOST_AUTO_TEST_CASE(The_AsyncOperationManager_setter_sets_the_current_context)
{
    auto context = std::make_shared<recording_context>();
    AsyncOperationManager::SynchronizationContext(context);
    BOOST_TEST(SynchronizationContext::Current() == context);
    BOOST_TEST(AsyncOperationManager::SynchronizationContext() == context);
    AsyncOperationManager::SynchronizationContext(nullptr);
    BOOST_TEST(!SynchronizationContext::Current());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(posting)

BOOST_AUTO_TEST_CASE(Post_and_PostOperationCompleted_run_through_the_captured_context_in_order)
{
    auto context = std::make_shared<recording_context>();
    std::shared_ptr<AsyncOperation> op;
    {
        context_scope scope(context);
        op = AsyncOperationManager::CreateOperation({});
    }
    std::vector<std::string> ran;
    bool current = true;
    auto record = [&](const std::any& state) {
        ran.push_back(std::any_cast<std::string>(state));
        current = current && SynchronizationContext::Current() == context;
    };
    // Called from another thread, as an operation's completion would be.
    std::thread([&] {
        op->Post(record, std::string("progress 1"));
        op->Post(record, std::string("progress 2"));
        op->PostOperationCompleted(record, std::string("completed"));
    }).join();
    BOOST_TEST(ran.empty());
    BOOST_TEST(context->completed == 1);
    context->pump();
    BOOST_TEST(ran == (std::vector<std::string>{"progress 1", "progress 2", "completed"}),
               boost::test_tools::per_element());
    BOOST_TEST(current);
}

BOOST_AUTO_TEST_CASE(A_null_callback_throws_ArgumentNullException_and_changes_nothing)
{
    auto context = std::make_shared<recording_context>();
    context_scope scope(context);
    auto op = AsyncOperationManager::CreateOperation({});
    BOOST_CHECK_THROW(op->Post(SendOrPostCallback(), {}), ArgumentNullException);
    BOOST_CHECK_THROW(op->PostOperationCompleted(SendOrPostCallback(), {}), ArgumentNullException);
    BOOST_TEST(!op->is_completed());
    BOOST_TEST(context->queued() == 0u);
    BOOST_TEST(context->completed == 0);
    op->PostOperationCompleted(nothing, {});
    BOOST_TEST(context->completed == 1);
}

BOOST_AUTO_TEST_CASE(After_PostOperationCompleted_every_call_throws_InvalidOperationException)
{
    auto context = std::make_shared<recording_context>();
    context_scope scope(context);
    auto op = AsyncOperationManager::CreateOperation({});
    op->PostOperationCompleted(nothing, {});
    BOOST_TEST(op->is_completed());
    BOOST_CHECK_THROW(op->Post(nothing, {}), InvalidOperationException);
    BOOST_CHECK_THROW(op->PostOperationCompleted(nothing, {}), InvalidOperationException);
    BOOST_CHECK_THROW(op->OperationCompleted(), InvalidOperationException);
    BOOST_TEST(context->queued() == 1u);
    BOOST_TEST(context->completed == 1);
}

BOOST_AUTO_TEST_CASE(After_OperationCompleted_every_call_throws_InvalidOperationException)
{
    auto context = std::make_shared<recording_context>();
    context_scope scope(context);
    auto op = AsyncOperationManager::CreateOperation({});
    op->OperationCompleted();
    BOOST_CHECK_THROW(op->Post(nothing, {}), InvalidOperationException);
    BOOST_CHECK_THROW(op->PostOperationCompleted(nothing, {}), InvalidOperationException);
    BOOST_CHECK_THROW(op->OperationCompleted(), InvalidOperationException);
    BOOST_TEST(context->queued() == 0u);
    BOOST_TEST(context->completed == 1);
}

BOOST_AUTO_TEST_CASE(A_completed_operation_checks_completion_before_the_callback)
{
    auto context = std::make_shared<recording_context>();
    context_scope scope(context);
    auto op = AsyncOperationManager::CreateOperation({});
    op->OperationCompleted();
    // Both rules are broken; .NET reports the completed operation.
    BOOST_CHECK_THROW(op->Post(SendOrPostCallback(), {}), InvalidOperationException);
}

BOOST_AUTO_TEST_CASE(Once_its_completion_has_run_the_operation_no_longer_holds_the_context)
{
    asio::io_context io;
    auto context = std::make_shared<StrandSynchronizationContext>(io.get_executor());
    std::weak_ptr<StrandSynchronizationContext> watch = context;
    std::shared_ptr<AsyncOperation> op;
    {
        context_scope scope(context);
        op = AsyncOperationManager::CreateOperation({});
    }
    bool ran = false;
    std::thread poster([&] { op->PostOperationCompleted([&](const std::any&) { ran = true; }, {}); });
    io.run(); // the operation is outstanding work until it has completed and its callback has run
    poster.join();
    BOOST_TEST(ran);
    BOOST_TEST(op->SynchronizationContext() == context); // still answers while the context lives
    context.reset();
    // Nothing the operation or the posting thread kept holds the context, so
    // the io_context may go now.
    BOOST_TEST(watch.expired());
    BOOST_TEST(!op->SynchronizationContext());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(counts)

BOOST_AUTO_TEST_CASE(OperationStarted_and_OperationCompleted_are_called_once_per_operation)
{
    auto context = std::make_shared<recording_context>();
    context_scope scope(context);
    std::vector<std::shared_ptr<AsyncOperation>> ops;
    for (int i = 0; i < 10; ++i)
        ops.push_back(AsyncOperationManager::CreateOperation(i));
    BOOST_TEST(context->started == 10);
    for (int i = 0; i < 10; ++i) {
        if (i % 2 == 0)
            ops[static_cast<std::size_t>(i)]->PostOperationCompleted(nothing, {});
        else
            ops[static_cast<std::size_t>(i)]->OperationCompleted();
    }
    BOOST_TEST(context->completed == 10);
    ops.clear(); // destroying completed operations changes nothing
    BOOST_TEST(context->completed == 10);
}

BOOST_AUTO_TEST_CASE(An_operation_destroyed_without_completing_calls_OperationCompleted_itself)
{
    auto context = std::make_shared<recording_context>();
    context_scope scope(context);
    auto op = AsyncOperationManager::CreateOperation({});
    op->Post(nothing, {});
    BOOST_TEST(context->completed == 0);
    op.reset();
    BOOST_TEST(context->started == 1);
    BOOST_TEST(context->completed == 1);
}

BOOST_AUTO_TEST_CASE(A_strand_context_counts_the_operation_until_its_completion_has_been_posted)
{
    asio::io_context io;
    auto context = std::make_shared<StrandSynchronizationContext>(io.get_executor());
    std::shared_ptr<AsyncOperation> op;
    asio::post(context->get_executor(), [&] { op = AsyncOperationManager::CreateOperation({}); });
    io.run_one();
    BOOST_REQUIRE(op);
    BOOST_TEST(context->outstanding_operations() == 1u);

    bool completed_on_strand = false;
    std::thread([&] {
        op->PostOperationCompleted(
            [&](const std::any&) { completed_on_strand = SynchronizationContext::Current() == context; }, {});
    }).join();
    BOOST_TEST(context->outstanding_operations() == 0u);
    io.restart();
    io.run();
    BOOST_TEST(completed_on_strand);
}

BOOST_AUTO_TEST_CASE(A_strand_context_over_a_thread_pool_runs_the_completion_on_its_strand_and_stops_counting)
{
    asio::thread_pool pool(2);
    auto context = std::make_shared<StrandSynchronizationContext>(pool.get_executor());
    std::shared_ptr<AsyncOperation> op;
    {
        context_scope scope(context);
        op = AsyncOperationManager::CreateOperation(7);
    }
    BOOST_TEST(context->outstanding_operations() == 1u);
    std::promise<bool> ran;
    op->PostOperationCompleted(
        [&](const std::any& state) {
            ran.set_value(SynchronizationContext::Current() == context && context->running_in_this_thread() &&
                          std::any_cast<int>(state) == 8);
        },
        8);
    BOOST_TEST(context->outstanding_operations() == 0u);
    BOOST_TEST(get_within(ran.get_future()));
    BOOST_CHECK_THROW(op->OperationCompleted(), InvalidOperationException);
}

BOOST_AUTO_TEST_SUITE_END()

// ---------------------------------------------------------------------------
// A component written the .NET way over AsyncOperationManager, with events of
// its own delegate shapes
// ---------------------------------------------------------------------------

namespace {

class CalculatePrimeCompletedEventArgs : public AsyncCompletedEventArgs {
public:
    CalculatePrimeCompletedEventArgs(bool isPrime, std::exception_ptr error, bool cancelled, std::any userState)
        : AsyncCompletedEventArgs(std::move(error), cancelled, std::move(userState)), is_prime_(isPrime)
    {
    }
    bool IsPrime() const
    {
        RaiseExceptionIfNecessary();
        return is_prime_;
    }

private:
    bool is_prime_;
};

// C#: public delegate void ProgressChangedEventHandler(ProgressChangedEventArgs e);
//     public delegate void CalculatePrimeCompletedEventHandler(CalculatePrimeCompletedEventArgs e);
class PrimeCalculator {
public:
    Event<void(ProgressChangedEventArgs&)> ProgressChanged;
    Event<std::function<void(CalculatePrimeCompletedEventArgs&)>> CalculatePrimeCompleted;

    // Reports progress at each quarter of the divisors tried, then completes.
    void CalculatePrimeAsync(int number, std::any userState)
    {
        auto operation = AsyncOperationManager::CreateOperation(std::move(userState));
        ThreadPool::QueueUserWorkItem([this, number, operation] {
            bool prime = number > 1;
            for (int quarter = 1; quarter <= 4; ++quarter) {
                for (int d = 2 + (quarter - 1) * (number / 4); d < 2 + quarter * (number / 4) && d < number; ++d)
                    if (number % d == 0)
                        prime = false;
                operation->Post(
                    [this](const std::any& arg) {
                        auto e = state_cast<ProgressChangedEventArgs>(arg);
                        ProgressChanged.Invoke(e);
                    },
                    ProgressChangedEventArgs(quarter * 25, operation->UserSuppliedState()));
            }
            operation->PostOperationCompleted(
                [this](const std::any& arg) {
                    auto e = state_cast<CalculatePrimeCompletedEventArgs>(arg);
                    CalculatePrimeCompleted.Invoke(e);
                },
                CalculatePrimeCompletedEventArgs(prime, nullptr, false, operation->UserSuppliedState()));
        });
    }
};

} // namespace

BOOST_AUTO_TEST_CASE(A_component_raises_its_custom_shaped_progress_and_completed_events_in_order_on_the_loop)
{
    PrimeCalculator calculator;
    std::vector<std::string> log;
    const auto loop_thread = std::this_thread::get_id();
    bool all_on_loop = true;
    calculator.ProgressChanged += [&](ProgressChangedEventArgs& e) {
        all_on_loop = all_on_loop && std::this_thread::get_id() == loop_thread;
        log.push_back(std::to_string(e.ProgressPercentage()) + "%");
    };
    calculator.CalculatePrimeCompleted += [&](CalculatePrimeCompletedEventArgs& e) {
        all_on_loop = all_on_loop && std::this_thread::get_id() == loop_thread;
        log.push_back(state_cast<std::string>(e.UserState()) + (e.IsPrime() ? " is prime" : " is not prime"));
    };
    MessageLoopSynchronizationContext::Run([&] {
        calculator.CalculatePrimeAsync(7919, "7919");
    });
    MessageLoopSynchronizationContext::Run([&] {
        calculator.CalculatePrimeAsync(7917, "7917");
    });
    BOOST_TEST(all_on_loop);
    BOOST_TEST(log ==
                   (std::vector<std::string>{"25%", "50%", "75%", "100%", "7919 is prime", "25%", "50%", "75%", "100%",
                                             "7917 is not prime"}),
               boost::test_tools::per_element());
}
