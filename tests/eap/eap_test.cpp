#include <dotasync/eap/eap.hpp>

#include <dotasync/core/exceptions.hpp>
#include <dotasync/core/event.hpp>
#include <dotasync/threading/message_loop_synchronization_context.hpp>
#include <dotasync/threading/strand_synchronization_context.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include "support/log_capture.hpp"
#include "support/running_context.hpp"
#include "support/waiting.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
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
using boost::system::error_code;

namespace {


// An Asio operation: waits `delay` on a timer, then completes with
// (error_code, value * 2), or with `fail` when that is set.
struct double_op {
    asio::any_io_executor executor;
    int value;
    std::chrono::milliseconds delay;
    error_code fail;
    std::unique_ptr<asio::steady_timer> timer;

    template <class Self>
    void operator()(Self& self)
    {
        timer = std::make_unique<asio::steady_timer>(executor, delay);
        timer->async_wait(std::move(self));
    }

    template <class Self>
    void operator()(Self& self, error_code ec)
    {
        if (!ec && fail)
            ec = fail;
        self.complete(ec, ec ? 0 : value * 2);
    }
};

template <class Token>
auto async_double(asio::any_io_executor executor, int value, std::chrono::milliseconds delay, Token&& token,
                  error_code fail = {})
{
    return asio::async_compose<Token, void(error_code, int)>(double_op{executor, value, delay, fail, nullptr},
                                                             token, executor);
}

struct DoubleCompletedEventArgs : AsyncCompletedEventArgs {
    DoubleCompletedEventArgs(int result, const AsyncCompletedEventArgs& done)
        : AsyncCompletedEventArgs(done), result_(result)
    {
    }
    int Result() const
    {
        RaiseExceptionIfNecessary();
        return result_;
    }
    int result_;
};

// An EAP class written with the adapter, as a user would.
class Doubler {
public:
    explicit Doubler(asio::any_io_executor executor = ThreadPool::Executor()) : executor_(std::move(executor)) {}

    Event<DoubleCompletedEventArgs> DoubleCompleted;

    void DoubleAsync(int value, std::chrono::milliseconds delay, std::any userState, error_code fail = {})
    {
        async_double(
            executor_, value, delay,
            eap(operations_, std::move(userState),
                [this](AsyncCompletedEventArgs done, int result) {
                    DoubleCompletedEventArgs e(result, done);
                    DoubleCompleted.Invoke(this, e);
                }),
            fail);
    }

    bool CancelAsync(const std::any& userState) { return operations_.cancel(userState); }
    eap_operations& operations() { return operations_; }

private:
    asio::any_io_executor executor_;
    eap_operations operations_;
};

// What one completion saw.
struct completion {
    std::any state;
    int result = 0;
    std::exception_ptr error;
    bool canceled = false;
    std::shared_ptr<SynchronizationContext> current;
    bool on_strand = false;
    std::thread::id thread;
};

// Collects completions; a test waits for a number of them.
class collector {
public:
    void add(completion c)
    {
        std::lock_guard lock(mutex_);
        seen_.push_back(std::move(c));
        changed_.notify_all();
    }

    std::vector<completion> wait_for(std::size_t count)
    {
        std::unique_lock lock(mutex_);
        BOOST_REQUIRE(changed_.wait_for(lock, generous, [&] { return seen_.size() >= count; }));
        return seen_;
    }

    std::size_t size()
    {
        std::lock_guard lock(mutex_);
        return seen_.size();
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<completion> seen_;
};

void record_into(Doubler& doubler, collector& sink, std::shared_ptr<StrandSynchronizationContext> strand = {})
{
    doubler.DoubleCompleted += [&sink, strand](const std::any&, const DoubleCompletedEventArgs& e) {
        completion c;
        c.state = e.UserState();
        c.error = e.Error();
        c.canceled = e.Cancelled();
        c.result = e.Error() || e.Cancelled() ? -1 : e.Result();
        c.current = SynchronizationContext::Current();
        c.on_strand = strand && strand->running_in_this_thread();
        c.thread = std::this_thread::get_id();
        sink.add(std::move(c));
    };
}



struct Unregistered {
    int id;
};

enum class Job { Import, Export };

} // namespace

// A running_context whose destruction first waits for every default-runtime
// thread to run one task: a runtime thread that has just posted a completion
// here (the Doubler's timers run on the runtime) may still be inside Asio's
// post when the test has seen that completion, and destroying the context
// under it is a race.
struct quiet_running_context : running_context {
    using running_context::running_context;

    ~quiet_running_context()
    {
        struct gate {
            std::mutex mutex;
            std::condition_variable arrived;
            int waiting = 0;
        };
        const int threads = ThreadPool::ThreadCount();
        auto g = std::make_shared<gate>();
        const auto all_arrived = [g, threads] { return g->waiting >= threads; };
        for (int i = 0; i < threads; ++i)
            asio::post(ThreadPool::Executor(), [g, all_arrived] {
                std::unique_lock lock(g->mutex);
                ++g->waiting;
                g->arrived.notify_all();
                g->arrived.wait_for(lock, generous, all_arrived);
            });
        std::unique_lock lock(g->mutex);
        g->arrived.wait_for(lock, generous, all_arrived);
    }
};

BOOST_AUTO_TEST_SUITE(context_capture)

BOOST_AUTO_TEST_CASE(An_operation_started_on_strand_A_completes_on_strand_A_with_Current_equal_to_A)
{
    quiet_running_context runner(2);
    auto a = std::make_shared<StrandSynchronizationContext>(runner.io().get_executor());
    Doubler doubler; // its timers run on the default runtime
    collector sink;
    record_into(doubler, sink, a);
    asio::post(a->get_executor(), [&] { doubler.DoubleAsync(21, 1ms, std::string("from A")); });
    auto seen = sink.wait_for(1);
    BOOST_TEST(seen[0].result == 42);
    BOOST_TEST(std::any_cast<std::string>(seen[0].state) == "from A");
    BOOST_TEST(seen[0].current == a);
    BOOST_TEST(seen[0].on_strand);
}

BOOST_AUTO_TEST_CASE(An_operation_started_with_no_context_completes_on_the_default_runtime)
{
    BOOST_REQUIRE(!SynchronizationContext::Current());
    Doubler doubler;
    collector sink;
    record_into(doubler, sink);
    doubler.DoubleAsync(1, 1ms, 1);
    auto seen = sink.wait_for(1);
    BOOST_TEST(seen[0].result == 2);
    BOOST_TEST(!seen[0].current);
    BOOST_TEST((seen[0].thread != std::this_thread::get_id()));
}

BOOST_AUTO_TEST_CASE(Completions_of_ten_thousand_concurrent_operations_each_arrive_once_with_their_own_state)
{
    constexpr int count = 10000;
    Doubler doubler;
    std::vector<int> times_completed(count, 0);
    int wrong_results = 0, off_loop = 0;
    const auto loop_thread = std::this_thread::get_id();
    doubler.DoubleCompleted += [&](const std::any&, const DoubleCompletedEventArgs& e) {
        const int i = std::any_cast<int>(e.UserState());
        ++times_completed[static_cast<std::size_t>(i)];
        if (e.Result() != 2 * i)
            ++wrong_results;
        if (std::this_thread::get_id() != loop_thread)
            ++off_loop;
    };
    // The loop runs until every operation has completed and its event has run.
    MessageLoopSynchronizationContext::Run([&] {
        for (int i = 0; i < count; ++i)
            doubler.DoubleAsync(i, std::chrono::milliseconds(i % 7), i);
    });
    BOOST_TEST(wrong_results == 0);
    BOOST_TEST(off_loop == 0);
    int exactly_once = 0;
    for (int n : times_completed)
        exactly_once += n == 1 ? 1 : 0;
    BOOST_TEST(exactly_once == count);
    BOOST_TEST(doubler.operations().size() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(user_state)

BOOST_AUTO_TEST_CASE(A_userState_still_in_flight_throws_ArgumentException_and_starts_nothing)
{
    Doubler doubler;
    collector sink;
    record_into(doubler, sink);
    doubler.DoubleAsync(1, 1h, std::string("job"));
    BOOST_CHECK_THROW(doubler.DoubleAsync(2, 1ms, std::string("job")), ArgumentException);
    BOOST_TEST(doubler.operations().size() == 1u);
    BOOST_TEST(doubler.CancelAsync(std::string("job")));
    auto seen = sink.wait_for(1);
    BOOST_TEST(seen.size() == 1u);
    BOOST_TEST(seen[0].canceled);
}

BOOST_AUTO_TEST_CASE(A_second_operation_without_userState_throws_InvalidOperationException)
{
    Doubler doubler;
    collector sink;
    record_into(doubler, sink);
    doubler.DoubleAsync(1, 1h, {});
    BOOST_CHECK_THROW(doubler.DoubleAsync(2, 1ms, {}), InvalidOperationException);
    BOOST_TEST(doubler.CancelAsync({}));
    sink.wait_for(1);
}

BOOST_AUTO_TEST_CASE(A_nullptr_userState_is_no_userState)
{
    // .NET: GetUserAsync(id, null) is the single-invocation form.
    Doubler doubler;
    collector sink;
    record_into(doubler, sink);
    doubler.DoubleAsync(1, 1h, nullptr);
    BOOST_CHECK_THROW(doubler.DoubleAsync(2, 1ms, {}), InvalidOperationException);
    BOOST_TEST(doubler.CancelAsync(nullptr));
    auto seen = sink.wait_for(1);
    BOOST_TEST(seen.size() == 1u);
    BOOST_TEST(!seen[0].state.has_value());
}

BOOST_AUTO_TEST_CASE(The_userState_is_free_again_when_the_completed_event_runs)
{
    Doubler doubler;
    collector sink;
    int restarted = 0;
    doubler.DoubleCompleted += [&](const std::any&, const DoubleCompletedEventArgs& e) {
        if (std::any_cast<int>(e.UserState()) == 5 && restarted++ == 0)
            doubler.DoubleAsync(50, 1ms, 5); // the same state, from the event handler
    };
    record_into(doubler, sink);
    doubler.DoubleAsync(5, 1ms, 5);
    auto seen = sink.wait_for(2);
    BOOST_TEST(seen[0].result == 10);
    BOOST_TEST(seen[1].result == 100);
}

BOOST_AUTO_TEST_CASE(Strings_compare_by_content_across_string_types)
{
    Doubler doubler;
    collector sink;
    record_into(doubler, sink);
    doubler.DoubleAsync(1, 1h, "name"); // const char*
    BOOST_CHECK_THROW(doubler.DoubleAsync(1, 1h, std::string("name")), ArgumentException);
    BOOST_CHECK_THROW(doubler.DoubleAsync(1, 1h, std::string_view("name")), ArgumentException);
    char buffer[] = "name";
    BOOST_CHECK_THROW(doubler.DoubleAsync(1, 1h, static_cast<char*>(buffer)), ArgumentException);
    BOOST_TEST(doubler.operations().contains(std::string("name")));
    BOOST_TEST(doubler.CancelAsync(std::string("name")));
    sink.wait_for(1);
}

BOOST_AUTO_TEST_CASE(Arithmetic_values_compare_by_type_and_value)
{
    Doubler doubler;
    collector sink;
    record_into(doubler, sink);
    doubler.DoubleAsync(1, 1h, 7);
    BOOST_CHECK_THROW(doubler.DoubleAsync(1, 1h, 7), ArgumentException);
    doubler.DoubleAsync(1, 1h, 7L);   // another type: another key
    doubler.DoubleAsync(1, 1h, 7.0);  // likewise
    doubler.DoubleAsync(1, 1h, 8);    // another value
    BOOST_TEST(doubler.operations().size() == 4u);
    doubler.operations().cancel_all();
    sink.wait_for(4);
}

BOOST_AUTO_TEST_CASE(Pointers_and_shared_ptrs_compare_by_address)
{
    register_user_state_type<std::shared_ptr<Unregistered>>();
    register_user_state_type<Unregistered*>();
    Doubler doubler;
    collector sink;
    record_into(doubler, sink);
    auto object = std::make_shared<Unregistered>(Unregistered{1});
    doubler.DoubleAsync(1, 1h, object);
    BOOST_CHECK_THROW(doubler.DoubleAsync(1, 1h, object), ArgumentException);
    BOOST_CHECK_THROW(doubler.DoubleAsync(1, 1h, object.get()), ArgumentException);       // same address
    BOOST_CHECK_THROW(doubler.DoubleAsync(1, 1h, static_cast<void*>(object.get())), ArgumentException);
    doubler.DoubleAsync(1, 1h, std::make_shared<Unregistered>(Unregistered{1})); // equal value, other object
    BOOST_TEST(doubler.operations().size() == 2u);
    BOOST_TEST(doubler.CancelAsync(object));
    doubler.operations().cancel_all();
    sink.wait_for(2);
}

BOOST_AUTO_TEST_CASE(A_registered_type_compares_with_its_equality)
{
    BOOST_TEST(register_user_state_type<Job>());
    BOOST_TEST(!register_user_state_type<Job>()); // once is enough
    Doubler doubler;
    collector sink;
    record_into(doubler, sink);
    doubler.DoubleAsync(1, 1h, Job::Import);
    BOOST_CHECK_THROW(doubler.DoubleAsync(1, 1h, Job::Import), ArgumentException);
    doubler.DoubleAsync(1, 1h, Job::Export);
    BOOST_TEST(doubler.CancelAsync(Job::Import));
    BOOST_TEST(doubler.CancelAsync(Job::Export));
    auto seen = sink.wait_for(2);
    BOOST_TEST(seen[0].canceled);
    BOOST_TEST(seen[1].canceled);
}

BOOST_AUTO_TEST_CASE(States_of_an_unregistered_type_never_collide_and_cannot_be_looked_up)
{
    Doubler doubler;
    collector sink;
    record_into(doubler, sink);
    doubler.DoubleAsync(1, 1ms, Unregistered{1});
    doubler.DoubleAsync(2, 1ms, Unregistered{1}); // not a duplicate: it cannot be compared
    BOOST_CHECK_THROW(doubler.CancelAsync(Unregistered{1}), ArgumentException);
    BOOST_CHECK_THROW(doubler.operations().contains(Unregistered{1}), ArgumentException);
    auto seen = sink.wait_for(2);
    BOOST_TEST(std::any_cast<Unregistered>(seen[0].state).id == 1);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cancellation)

BOOST_AUTO_TEST_CASE(CancelAsync_completes_the_operation_with_Cancelled_true)
{
    Doubler doubler;
    collector sink;
    record_into(doubler, sink);
    doubler.DoubleAsync(1, 1h, 1);
    doubler.DoubleAsync(2, 1ms, 2);
    BOOST_TEST(doubler.CancelAsync(1));
    auto seen = sink.wait_for(2);
    for (const auto& c : seen) {
        if (std::any_cast<int>(c.state) == 1) {
            BOOST_TEST(c.canceled);
            BOOST_TEST(!c.error); // the cancellation itself is not an error
        } else {
            BOOST_TEST(!c.canceled); // the other operation is untouched
            BOOST_TEST(c.result == 4);
        }
    }
}

BOOST_AUTO_TEST_CASE(Result_of_a_canceled_operation_throws_InvalidOperationException)
{
    Doubler doubler;
    std::promise<std::exception_ptr> thrown;
    doubler.DoubleCompleted += [&](const std::any&, const DoubleCompletedEventArgs& e) {
        thrown.set_value(exception_of([&] { (void)e.Result(); }));
    };
    doubler.DoubleAsync(1, 1h, 1);
    doubler.CancelAsync(1);
    BOOST_TEST(holds<InvalidOperationException>(get_within(thrown.get_future())));
}

BOOST_AUTO_TEST_CASE(CancelAsync_for_a_state_not_in_flight_returns_false)
{
    Doubler doubler;
    collector sink;
    record_into(doubler, sink);
    BOOST_TEST(!doubler.CancelAsync(99));
    doubler.DoubleAsync(1, 1ms, 1);
    sink.wait_for(1);
    BOOST_TEST(!doubler.CancelAsync(1)); // already completed
}

BOOST_AUTO_TEST_CASE(CancelAsync_after_the_operation_finished_leaves_its_completion_not_Cancelled)
{
    // The operation finishes on its own io_context; its completion waits on
    // the strand context's io_context, which has not run yet, when
    // CancelAsync comes. As in .NET, a cancellation that comes too late
    // changes nothing: the completion reports success.
    asio::io_context operation_io;
    asio::io_context context_io;
    auto context = std::make_shared<StrandSynchronizationContext>(context_io.get_executor());
    eap_operations operations;
    std::optional<AsyncCompletedEventArgs> seen;
    SynchronizationContext::SetSynchronizationContext(context);
    asio::post(operation_io, eap(operations, 1, [&](AsyncCompletedEventArgs done) { seen = done; }));
    SynchronizationContext::SetSynchronizationContext(nullptr);
    BOOST_TEST(operation_io.poll() == 1u);
    BOOST_TEST(!operations.cancel(1));
    context_io.poll();
    BOOST_REQUIRE(seen);
    BOOST_TEST(!seen->Cancelled());
    BOOST_TEST(!seen->Error());
    BOOST_TEST(std::any_cast<int>(seen->UserState()) == 1);
}

BOOST_AUTO_TEST_CASE(A_completion_reports_Cancelled_exactly_when_CancelAsync_returned_true)
{
    // Each operation finishes on another thread while CancelAsync races it.
    // A request that comes too late returns false, and the completion must
    // then report success, not a cancellation that never took effect.
    constexpr int count = 20000;
    running_context operation_runner(1);
    asio::io_context context_io;
    auto context = std::make_shared<StrandSynchronizationContext>(context_io.get_executor());
    eap_operations operations;
    std::vector<int> cancelled(count, -1);
    std::vector<int> accepted(count, -1);
    SynchronizationContext::SetSynchronizationContext(context);
    for (int i = 0; i < count; ++i) {
        asio::post(operation_runner.io(),
                   eap(operations, i, [&cancelled, i](AsyncCompletedEventArgs done) { cancelled[i] = done.Cancelled(); }));
        accepted[i] = operations.cancel(i);
    }
    SynchronizationContext::SetSynchronizationContext(nullptr);
    // The context counts its operations as work on context_io, so it runs
    // out of work once every completion has run.
    context_io.run_for(generous);
    BOOST_TEST(std::count(cancelled.begin(), cancelled.end(), -1) == 0);
    BOOST_TEST(cancelled == accepted);
}

BOOST_AUTO_TEST_CASE(An_operation_without_userState_reports_Cancelled_exactly_when_CancelAsync_returned_true)
{
    // The operation without a userState is registered apart from the keyed
    // ones; CancelAsync(null) races its completion on another thread, one
    // operation at a time, since only one can be in flight.
    constexpr int count = 5000;
    running_context operation_runner(1);
    asio::io_context context_io;
    auto work = asio::make_work_guard(context_io);
    auto context = std::make_shared<StrandSynchronizationContext>(context_io.get_executor());
    eap_operations operations;
    int accepted_count = 0;
    for (int i = 0; i < count; ++i) {
        int cancelled = -1;
        SynchronizationContext::SetSynchronizationContext(context);
        asio::post(operation_runner.io(),
                   eap(operations, {}, [&cancelled](AsyncCompletedEventArgs done) { cancelled = done.Cancelled(); }));
        SynchronizationContext::SetSynchronizationContext(nullptr);
        const int accepted = operations.cancel({});
        BOOST_REQUIRE(context_io.run_one_for(generous) == 1u);
        BOOST_REQUIRE(cancelled == accepted);
        accepted_count += accepted;
        // The completion has run, so the slot is free for the next operation.
        BOOST_REQUIRE(!operations.contains({}));
    }
    BOOST_TEST_MESSAGE(accepted_count << " of " << count << " cancellations came in time");
}

BOOST_AUTO_TEST_CASE(An_operation_without_userState_is_counted_found_and_canceled_with_the_others)
{
    Doubler doubler;
    collector sink;
    record_into(doubler, sink);
    doubler.DoubleAsync(1, 1h, {});
    doubler.DoubleAsync(2, 1h, 2);
    BOOST_TEST(doubler.operations().size() == 2u);
    BOOST_TEST(doubler.operations().contains({}));
    BOOST_TEST(doubler.operations().contains(nullptr));
    BOOST_TEST(doubler.operations().contains(2));
    doubler.operations().cancel_all();
    auto seen = sink.wait_for(2);
    BOOST_TEST(seen.size() == 2u);
    for (const auto& c : seen)
        BOOST_TEST(c.canceled);
    BOOST_TEST(doubler.operations().size() == 0u);
    BOOST_TEST(!doubler.operations().contains({}));
    BOOST_TEST(!doubler.CancelAsync({}));
}

BOOST_AUTO_TEST_CASE(Cancelling_twice_completes_once)
{
    Doubler doubler;
    collector sink;
    record_into(doubler, sink);
    doubler.DoubleAsync(1, 1h, 1);
    BOOST_TEST(doubler.CancelAsync(1));
    // The canceled operation completes on the pool at any moment, so the second request may find
    // it pending or gone; either way it must not throw and must not complete it again.
    BOOST_CHECK_NO_THROW(doubler.CancelAsync(1));
    auto first = sink.wait_for(1);
    BOOST_TEST(first[0].canceled);
    // A later operation completing proves no second completion is pending.
    doubler.DoubleAsync(2, 1ms, 2);
    auto seen = sink.wait_for(2);
    BOOST_TEST(seen.size() == 2u);
    BOOST_TEST(std::any_cast<int>(seen[1].state) == 2);
}

BOOST_AUTO_TEST_CASE(An_operation_aborted_by_other_means_reports_OperationCanceledException_as_Error)
{
    asio::io_context io;
    asio::steady_timer timer(io, 1h);
    std::optional<AsyncCompletedEventArgs> seen;
    eap_operations operations;
    MessageLoopSynchronizationContext::Run([&] {
        timer.async_wait(eap(operations, 1, [&](AsyncCompletedEventArgs done) { seen = done; }));
        BOOST_TEST(timer.cancel() == 1u);
        io.run();
    });
    BOOST_REQUIRE(seen);
    BOOST_TEST(!seen->Cancelled());
    BOOST_TEST(holds<OperationCanceledException>(seen->Error()));
}

asio::awaitable<int> sleepy(std::chrono::milliseconds delay)
{
    asio::steady_timer timer(co_await asio::this_coro::executor, delay);
    co_await timer.async_wait(asio::use_awaitable);
    co_return 5;
}

BOOST_AUTO_TEST_CASE(A_coroutine_can_be_canceled_through_CancelAsync)
{
    quiet_running_context runner(1);
    eap_operations operations;
    collector sink;
    auto on_completed = [&sink](AsyncCompletedEventArgs done, int value) {
        completion c;
        c.state = done.UserState();
        c.canceled = done.Cancelled();
        c.error = done.Error();
        c.result = value;
        sink.add(std::move(c));
    };
    asio::co_spawn(runner.io(), sleepy(1h), eap(operations, 1, on_completed));
    asio::co_spawn(runner.io(), sleepy(1ms), eap(operations, 2, on_completed));
    auto first = sink.wait_for(1);
    BOOST_TEST(std::any_cast<int>(first[0].state) == 2);
    BOOST_TEST(first[0].result == 5);
    BOOST_TEST(operations.cancel(1));
    auto seen = sink.wait_for(2);
    BOOST_TEST(seen[1].canceled);
    BOOST_TEST(!seen[1].error);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(errors)

BOOST_AUTO_TEST_CASE(A_failed_error_code_arrives_as_the_mapped_exception_in_Error)
{
    Doubler doubler;
    collector sink;
    record_into(doubler, sink);
    doubler.DoubleAsync(1, 1ms, 1, asio::error::timed_out);
    auto seen = sink.wait_for(1);
    BOOST_TEST(!seen[0].canceled);
    BOOST_TEST(holds<TimeoutException>(seen[0].error));
}

BOOST_AUTO_TEST_CASE(Result_of_a_failed_operation_throws_TargetInvocationException)
{
    Doubler doubler;
    std::promise<std::exception_ptr> thrown;
    doubler.DoubleCompleted += [&](const std::any&, const DoubleCompletedEventArgs& e) {
        thrown.set_value(exception_of([&] { (void)e.Result(); }));
    };
    doubler.DoubleAsync(1, 1ms, 1, asio::error::timed_out);
    auto error = get_within(thrown.get_future());
    BOOST_TEST(holds<TargetInvocationException>(error));
}

asio::awaitable<int> failing()
{
    co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
    throw std::domain_error("coroutine failed");
}

BOOST_AUTO_TEST_CASE(An_exception_ptr_channel_arrives_unchanged_in_Error)
{
    quiet_running_context runner(1);
    std::promise<std::exception_ptr> error;
    asio::co_spawn(runner.io(), failing(),
                   eap(1, [&](AsyncCompletedEventArgs done, int) { error.set_value(done.Error()); }));
    BOOST_TEST(holds<std::domain_error>(get_within(error.get_future())));
}

BOOST_AUTO_TEST_CASE(An_empty_callback_throws_ArgumentNullException)
{
    eap_operations operations;
    using callback = std::function<void(AsyncCompletedEventArgs)>;
    BOOST_CHECK_THROW(eap(operations, 1, callback()), ArgumentNullException);
    BOOST_CHECK_THROW(eap(1, callback()), ArgumentNullException);
}

// A context that counts operations, so that tests can see every one end.
class counting_context : public SynchronizationContext {
public:
    void OperationStarted() override { ++started; }
    void OperationCompleted() override { ++completed; }
    std::atomic<int> started{0};
    std::atomic<int> completed{0};
};

struct throwing_initiation {
    template <class Handler>
    void operator()(Handler&&) const
    {
        throw std::invalid_argument("bad argument");
    }
};

// An initiating function that validates its arguments and throws, as
// .NET's XxxAsync methods do before anything starts.
template <class Token>
void async_refuse(Token&& token)
{
    asio::async_initiate<Token, void()>(throwing_initiation{}, token);
}

BOOST_AUTO_TEST_CASE(An_initiating_function_that_throws_starts_nothing_and_never_calls_back)
{
    auto context = std::make_shared<counting_context>();
    SynchronizationContext::SetSynchronizationContext(context);
    eap_operations operations;
    bool called = false;
    BOOST_CHECK_THROW(async_refuse(eap(operations, 1, [&](AsyncCompletedEventArgs) { called = true; })),
                      std::invalid_argument);
    SynchronizationContext::SetSynchronizationContext(nullptr);
    BOOST_TEST(!operations.contains(1)); // the state is free again
    BOOST_TEST(context->started.load() == 1);
    BOOST_TEST(context->completed.load() == 1);
    BOOST_TEST(!called);
}

BOOST_AUTO_TEST_CASE(An_operation_whose_io_context_is_destroyed_ends_without_a_callback)
{
    auto context = std::make_shared<counting_context>();
    bool called = false;
    eap_operations operations;
    {
        asio::io_context io;
        asio::steady_timer timer(io, 1h);
        SynchronizationContext::SetSynchronizationContext(context);
        timer.async_wait(eap(operations, 1, [&](AsyncCompletedEventArgs) { called = true; }));
        SynchronizationContext::SetSynchronizationContext(nullptr);
        BOOST_TEST(operations.contains(1));
    } // the timer's handler is destroyed with the io_context
    BOOST_TEST(!operations.contains(1));
    BOOST_TEST(context->started.load() == 1);
    BOOST_TEST(context->completed.load() == 1);
    BOOST_TEST(!called);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(lifetime)

BOOST_AUTO_TEST_CASE(An_untracked_operation_completes_through_its_AsyncOperation)
{
    quiet_running_context runner(1);
    auto a = std::make_shared<StrandSynchronizationContext>(runner.io().get_executor());
    std::promise<bool> on_a;
    asio::post(a->get_executor(), [&] {
        asio::post(ThreadPool::Executor(), eap(std::string("once"), [&](AsyncCompletedEventArgs done) {
                       on_a.set_value(SynchronizationContext::Current() == a &&
                                      std::any_cast<std::string>(done.UserState()) == "once");
                   }));
    });
    BOOST_TEST(get_within(on_a.get_future()));
}

BOOST_AUTO_TEST_CASE(An_operation_that_completes_after_its_message_loop_ended_is_dropped_with_a_warning)
{
    // The loop ends with an exception while the operation is in flight; its
    // completion must neither run nor be queued on the ended loop (which
    // would keep the loop's context alive through its own queue).
    asio::io_context io;
    asio::steady_timer timer(io, 1h);
    eap_operations operations;
    bool called = false;
    std::weak_ptr<SynchronizationContext> loop;
    BOOST_CHECK_THROW(MessageLoopSynchronizationContext::Run([&] {
                          loop = SynchronizationContext::Current();
                          timer.async_wait(eap(operations, 1, [&called](AsyncCompletedEventArgs) { called = true; }));
                          throw std::runtime_error("the loop ends");
                      }),
                      std::runtime_error);
    log_capture log;
    timer.cancel();
    io.run_for(generous);
    BOOST_TEST(!called);
    BOOST_TEST(log.text().find("loop has ended") != std::string::npos);
    BOOST_TEST(operations.size() == 0u);
    BOOST_TEST(loop.expired());
}

BOOST_AUTO_TEST_CASE(A_completion_queued_on_a_strand_context_whose_io_context_is_destroyed_ends_the_operation_once)
{
    // The operation ends on the context when its completion is queued; the
    // completion, destroyed unrun with its io_context, must not end it again
    // (which OperationCompleted would refuse) and must release the context.
    log_capture log;
    asio::io_context operation_io;
    eap_operations operations;
    bool called = false;
    std::weak_ptr<StrandSynchronizationContext> released;
    {
        asio::io_context context_io;
        auto context = std::make_shared<StrandSynchronizationContext>(context_io.get_executor());
        released = context;
        SynchronizationContext::SetSynchronizationContext(context);
        asio::post(operation_io, eap(operations, 1, [&called](AsyncCompletedEventArgs) { called = true; }));
        SynchronizationContext::SetSynchronizationContext(nullptr);
        BOOST_TEST(context->outstanding_operations() == 1u);
        BOOST_TEST(operation_io.poll() == 1u);
        BOOST_TEST(context->outstanding_operations() == 0u);
        // The queued completion holds the context's last reference, so that
        // the context and its strand go with the io_context they run on.
    }
    BOOST_TEST(!called);
    BOOST_TEST(released.expired());
    BOOST_TEST(operations.size() == 0u);
    BOOST_TEST(log.text().empty(), log.text());
}

BOOST_AUTO_TEST_CASE(Destroying_the_operations_table_cancels_in_flight_operations_and_drops_their_callbacks)
{
    int called = 0;
    std::size_t outstanding = 0;
    MessageLoopSynchronizationContext::Run([&] {
        auto loop = std::dynamic_pointer_cast<StrandSynchronizationContext>(SynchronizationContext::Current());
        auto operations = std::make_unique<eap_operations>();
        auto timer = std::make_shared<asio::steady_timer>(ThreadPool::Executor(), 1h);
        timer->async_wait(eap(*operations, 1, [&called, timer](AsyncCompletedEventArgs) { ++called; }));
        outstanding = loop->outstanding_operations();
        operations.reset();
    });
    // Run returned, so the canceled operation has ended; its callback was dropped.
    BOOST_TEST(outstanding == 1u);
    BOOST_TEST(called == 0);
}

BOOST_AUTO_TEST_SUITE_END()
