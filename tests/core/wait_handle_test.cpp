#include <dotasync/core/wait_handle.hpp>

#include <dotasync/core/exceptions.hpp>

#include <boost/test/unit_test.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

using namespace dotasync;
using namespace std::chrono_literals;

namespace {

// Long enough that only a bug makes a wait for something certain time out.
constexpr int generous_ms = 10'000;
// For a thread whose wait must be ended by something else: longer than the
// test's own generous wait for it, so the test can tell the two apart.
constexpr int waiter_timeout_ms = 3 * generous_ms;
// Short, for waits that are meant to time out.
constexpr int short_ms = 50;

// Counts worker threads that reached a given point (started, released,
// finished), so the test thread can wait for them without sleeping. Boost.Test assertions are not thread-safe,
// so worker threads report here and the test thread checks.
class release_counter {
public:
    void increment()
    {
        std::lock_guard lock(mutex_);
        ++count_;
        cv_.notify_all();
    }

    bool wait_for_at_least(int n)
    {
        std::unique_lock lock(mutex_);
        return cv_.wait_for(lock, std::chrono::milliseconds(generous_ms),
                            [&] { return count_ >= n; });
    }

    int count()
    {
        std::lock_guard lock(mutex_);
        return count_;
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    int count_ = 0;
};

enum class outcome { pending, returned_true, returned_false, disposed, other_exception };

template <class F>
outcome run_wait(F&& wait)
{
    try {
        return wait() ? outcome::returned_true : outcome::returned_false;
    } catch (const ObjectDisposedException&) {
        return outcome::disposed;
    } catch (...) {
        return outcome::other_exception;
    }
}

template <class E>
auto param_is(const char* name)
{
    return [name](const E& e) { return e.ParamName() == name; };
}

// ArgumentNullException and ArgumentOutOfRangeException derive from
// ArgumentException, so a test that wants the base type itself checks this.
bool is_plain_argument_exception(const ArgumentException& e)
{
    return dynamic_cast<const ArgumentNullException*>(&e) == nullptr &&
           dynamic_cast<const ArgumentOutOfRangeException*>(&e) == nullptr &&
           e.ParamName() == "waitHandles";
}

} // namespace

BOOST_AUTO_TEST_SUITE(wait_handle)

// Initial states

BOOST_AUTO_TEST_CASE(ManualResetEvent_created_signalled_stays_signalled_across_waits)
{
    ManualResetEvent ev(true);
    BOOST_TEST(ev.WaitOne(0));
    BOOST_TEST(ev.WaitOne(0));
    BOOST_TEST(ev.WaitOne());
}

BOOST_AUTO_TEST_CASE(ManualResetEvent_created_unsignalled_is_not_signalled)
{
    ManualResetEvent ev(false);
    BOOST_TEST(!ev.WaitOne(0));
}

BOOST_AUTO_TEST_CASE(AutoResetEvent_created_signalled_releases_one_wait_then_resets)
{
    AutoResetEvent ev(true);
    BOOST_TEST(ev.WaitOne(0));
    BOOST_TEST(!ev.WaitOne(0));
}

BOOST_AUTO_TEST_CASE(AutoResetEvent_created_unsignalled_is_not_signalled)
{
    AutoResetEvent ev(false);
    BOOST_TEST(!ev.WaitOne(0));
}

BOOST_AUTO_TEST_CASE(EventWaitHandle_honours_the_reset_mode_it_is_given)
{
    EventWaitHandle manual(true, EventResetMode::ManualReset);
    EventWaitHandle automatic(true, EventResetMode::AutoReset);
    BOOST_TEST(manual.WaitOne(0));
    BOOST_TEST(manual.WaitOne(0));
    BOOST_TEST(automatic.WaitOne(0));
    BOOST_TEST(!automatic.WaitOne(0));
}

BOOST_AUTO_TEST_CASE(EventWaitHandle_with_an_invalid_mode_throws_ArgumentException)
{
    BOOST_CHECK_EXCEPTION(EventWaitHandle(false, static_cast<EventResetMode>(7)), ArgumentException,
                          param_is<ArgumentException>("mode"));
}

// Set and Reset

BOOST_AUTO_TEST_CASE(Set_and_Reset_return_true)
{
    ManualResetEvent ev(false);
    BOOST_TEST(ev.Set());
    BOOST_TEST(ev.Set());
    BOOST_TEST(ev.Reset());
    BOOST_TEST(ev.Reset());
}

BOOST_AUTO_TEST_CASE(Set_signals_and_Reset_unsignals_a_manual_reset_event)
{
    ManualResetEvent ev(false);
    ev.Set();
    BOOST_TEST(ev.WaitOne(0));
    ev.Reset();
    BOOST_TEST(!ev.WaitOne(0));
}

BOOST_AUTO_TEST_CASE(Reset_discards_a_pending_auto_reset_signal)
{
    AutoResetEvent ev(false);
    ev.Set();
    ev.Reset();
    BOOST_TEST(!ev.WaitOne(0));
}

BOOST_AUTO_TEST_CASE(Repeated_Set_on_an_auto_reset_event_leaves_a_single_signal)
{
    AutoResetEvent ev(false);
    ev.Set();
    ev.Set();
    BOOST_TEST(ev.WaitOne(0));
    BOOST_TEST(!ev.WaitOne(0));
}

// Count threads, each waiting on one handle with the waiter time-out and
// recording how its wait ended. The threads are joined by join() or, when an
// assertion ends the test early, by the destructor (the handle must still be
// signalled or time out by then).
template <int Count>
struct waiting_threads {
    explicit waiting_threads(WaitHandle& handle)
    {
        for (int i = 0; i < Count; ++i)
            threads.emplace_back([this, &handle, i] {
                started.increment();
                outcomes[i] = run_wait([&] { return handle.WaitOne(waiter_timeout_ms); });
                released.increment();
            });
    }

    void join() { threads.clear(); }

    release_counter started;
    release_counter released;
    std::array<std::atomic<outcome>, Count> outcomes{};
    std::vector<std::jthread> threads;
};

// Releasing waiters

BOOST_AUTO_TEST_CASE(Manual_reset_Set_releases_every_waiting_thread)
{
    constexpr int thread_count = 8;
    ManualResetEvent ev(false);
    waiting_threads<thread_count> waiters(ev);
    BOOST_TEST_REQUIRE(waiters.started.wait_for_at_least(thread_count));
    ev.Set();
    BOOST_TEST(waiters.released.wait_for_at_least(thread_count));
    waiters.join();
    for (const auto& o : waiters.outcomes)
        BOOST_TEST((o.load() == outcome::returned_true));
    BOOST_TEST(ev.WaitOne(0));
}

BOOST_AUTO_TEST_CASE(Auto_reset_Set_releases_exactly_one_waiter_each_time)
{
    constexpr int thread_count = 4;
    AutoResetEvent ev(false);
    waiting_threads<thread_count> waiters(ev);
    BOOST_TEST_REQUIRE(waiters.started.wait_for_at_least(thread_count));
    for (int k = 1; k <= thread_count; ++k) {
        ev.Set();
        BOOST_TEST_REQUIRE(waiters.released.wait_for_at_least(k));
        BOOST_TEST(waiters.released.count() == k);
        // The released thread took the signal with it.
        BOOST_TEST(!ev.WaitOne(0));
    }
    waiters.join();
    for (const auto& o : waiters.outcomes)
        BOOST_TEST((o.load() == outcome::returned_true));
}

BOOST_AUTO_TEST_CASE(Auto_reset_Set_releases_one_of_a_WaitOne_and_a_WaitAny_waiter)
{
    AutoResetEvent ev(false);
    release_counter started;
    release_counter released;
    std::atomic<outcome> one_outcome{outcome::pending};
    std::atomic<int> any_result{-1};
    {
        std::jthread one([&] {
            started.increment();
            one_outcome = run_wait([&] { return ev.WaitOne(waiter_timeout_ms); });
            released.increment();
        });
        std::jthread any([&] {
            started.increment();
            any_result = WaitHandle::WaitAny({&ev}, waiter_timeout_ms);
            released.increment();
        });
        BOOST_TEST_REQUIRE(started.wait_for_at_least(2));
        ev.Set();
        BOOST_TEST_REQUIRE(released.wait_for_at_least(1));
        BOOST_TEST(released.count() == 1);
        ev.Set();
        BOOST_TEST_REQUIRE(released.wait_for_at_least(2));
    }
    BOOST_TEST((one_outcome.load() == outcome::returned_true));
    BOOST_TEST(any_result.load() == 0);
    BOOST_TEST(!ev.WaitOne(0));
}

BOOST_AUTO_TEST_CASE(WaitOne_without_timeout_returns_when_set_from_another_thread)
{
    AutoResetEvent ev(false);
    std::jthread setter([&] { ev.Set(); });
    BOOST_TEST(ev.WaitOne());
}

// Time-outs

BOOST_AUTO_TEST_CASE(WaitOne_with_timeout_returns_false_when_never_signalled)
{
    ManualResetEvent ev(false);
    const auto start = std::chrono::steady_clock::now();
    BOOST_TEST(!ev.WaitOne(short_ms));
    BOOST_TEST((std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(short_ms)));
}

BOOST_AUTO_TEST_CASE(WaitOne_with_zero_timeout_reports_the_state_without_blocking)
{
    ManualResetEvent unsignalled(false);
    ManualResetEvent signalled(true);
    BOOST_TEST(!unsignalled.WaitOne(0));
    BOOST_TEST(signalled.WaitOne(0));
}

BOOST_AUTO_TEST_CASE(WaitOne_with_timeout_returns_true_when_set_from_another_thread)
{
    ManualResetEvent ev(false);
    std::jthread setter([&] { ev.Set(); });
    BOOST_TEST(ev.WaitOne(generous_ms));
}

BOOST_AUTO_TEST_CASE(WaitOne_with_negative_timeout_other_than_infinite_throws)
{
    ManualResetEvent ev(true);
    BOOST_CHECK_EXCEPTION(ev.WaitOne(-2), ArgumentOutOfRangeException,
                          param_is<ArgumentOutOfRangeException>("millisecondsTimeout"));
    BOOST_CHECK_EXCEPTION(ev.WaitOne(std::numeric_limits<int>::min()), ArgumentOutOfRangeException,
                          param_is<ArgumentOutOfRangeException>("millisecondsTimeout"));
    BOOST_TEST(ev.WaitOne(WaitHandle::Infinite));
}

BOOST_AUTO_TEST_CASE(WaitOne_chrono_overload_times_out_when_never_signalled)
{
    AutoResetEvent ev(false);
    const auto start = std::chrono::steady_clock::now();
    BOOST_TEST(!ev.WaitOne(std::chrono::milliseconds(short_ms)));
    BOOST_TEST((std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(short_ms)));
}

BOOST_AUTO_TEST_CASE(WaitOne_chrono_overload_consumes_an_auto_reset_signal)
{
    AutoResetEvent ev(true);
    BOOST_TEST(ev.WaitOne(0ms));
    BOOST_TEST(!ev.WaitOne(0ms));
    std::jthread setter([&] { ev.Set(); });
    BOOST_TEST(ev.WaitOne(std::chrono::milliseconds(generous_ms)));
}

BOOST_AUTO_TEST_CASE(WaitOne_chrono_overload_treats_minus_one_ms_as_infinite)
{
    ManualResetEvent ev(false);
    std::jthread setter([&] { ev.Set(); });
    BOOST_TEST(ev.WaitOne(-1ms));
}

BOOST_AUTO_TEST_CASE(WaitOne_chrono_overload_rejects_out_of_range_timeouts)
{
    ManualResetEvent ev(true);
    BOOST_CHECK_EXCEPTION(ev.WaitOne(-2ms), ArgumentOutOfRangeException,
                          param_is<ArgumentOutOfRangeException>("timeout"));
    const auto too_long = std::chrono::milliseconds(std::int64_t{std::numeric_limits<int>::max()} + 1);
    BOOST_CHECK_EXCEPTION(ev.WaitOne(too_long), ArgumentOutOfRangeException,
                          param_is<ArgumentOutOfRangeException>("timeout"));
}

// WaitAny

BOOST_AUTO_TEST_CASE(WaitAny_returns_the_lowest_signalled_index)
{
    ManualResetEvent a(false), b(true), c(true);
    BOOST_TEST(WaitHandle::WaitAny({&a, &b, &c}, 0) == 1);
    BOOST_TEST(WaitHandle::WaitAny({&c, &b, &a}, 0) == 0);
    const std::array<WaitHandle*, 3> handles{&a, &b, &c};
    BOOST_TEST(WaitHandle::WaitAny(handles, generous_ms) == 1);
}

BOOST_AUTO_TEST_CASE(WaitAny_returns_WaitTimeout_when_nothing_is_signalled)
{
    AutoResetEvent a(false);
    ManualResetEvent b(false);
    BOOST_TEST(WaitHandle::WaitAny({&a, &b}, 0) == WaitHandle::WaitTimeout);
    const auto start = std::chrono::steady_clock::now();
    BOOST_TEST(WaitHandle::WaitAny({&a, &b}, short_ms) == WaitHandle::WaitTimeout);
    BOOST_TEST((std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(short_ms)));
    BOOST_TEST(WaitHandle::WaitTimeout == 258);
}

BOOST_AUTO_TEST_CASE(WaitAny_wakes_when_a_handle_is_set_from_another_thread)
{
    AutoResetEvent a(false), b(false), c(false);
    std::jthread setter([&] { b.Set(); });
    BOOST_TEST(WaitHandle::WaitAny({&a, &b, &c}, generous_ms) == 1);
    BOOST_TEST(!b.WaitOne(0));
}

BOOST_AUTO_TEST_CASE(WaitAny_without_timeout_wakes_when_a_handle_is_set)
{
    ManualResetEvent a(false), b(false);
    std::jthread setter([&] { a.Set(); });
    BOOST_TEST(WaitHandle::WaitAny({&a, &b}) == 0);
}

BOOST_AUTO_TEST_CASE(WaitAny_consumes_only_the_winning_auto_reset_signal)
{
    AutoResetEvent a(true), b(true);
    ManualResetEvent m(true);
    BOOST_TEST(WaitHandle::WaitAny({&a, &b, &m}, 0) == 0);
    BOOST_TEST(!a.WaitOne(0));
    BOOST_TEST(WaitHandle::WaitAny({&a, &b, &m}, 0) == 1);
    BOOST_TEST(WaitHandle::WaitAny({&a, &b, &m}, 0) == 2);
    // A manual-reset winner is not consumed.
    BOOST_TEST(WaitHandle::WaitAny({&a, &b, &m}, 0) == 2);
    BOOST_TEST(!b.WaitOne(0));
}

BOOST_AUTO_TEST_CASE(WaitAny_accepts_a_repeated_handle)
{
    AutoResetEvent a(false), b(true);
    BOOST_TEST(WaitHandle::WaitAny({&a, &b, &a, &b}, 0) == 1);
    BOOST_TEST(WaitHandle::WaitAny({&a, &b, &a, &b}, 0) == WaitHandle::WaitTimeout);
}

BOOST_AUTO_TEST_CASE(WaitAny_that_timed_out_leaves_the_handles_usable)
{
    // A registration left behind would point into a finished call's stack,
    // which the next Set would touch (the sanitizer builds report it).
    AutoResetEvent a(false), b(false);
    BOOST_TEST(WaitHandle::WaitAny({&a, &b}, 1) == WaitHandle::WaitTimeout);
    BOOST_TEST(a.Set());
    BOOST_TEST(b.Set());
    BOOST_TEST(WaitHandle::WaitAny({&b, &a}, 0) == 0);
    BOOST_TEST(a.WaitOne(0));
}

BOOST_AUTO_TEST_CASE(WaitAny_with_negative_timeout_other_than_infinite_throws)
{
    ManualResetEvent a(true);
    BOOST_CHECK_EXCEPTION(WaitHandle::WaitAny({&a}, -2), ArgumentOutOfRangeException,
                          param_is<ArgumentOutOfRangeException>("millisecondsTimeout"));
}

// WaitAll

BOOST_AUTO_TEST_CASE(WaitAll_returns_false_on_timeout_when_a_handle_stays_unsignalled)
{
    ManualResetEvent a(true), b(false);
    BOOST_TEST(!WaitHandle::WaitAll({&a, &b}, 0));
    const auto start = std::chrono::steady_clock::now();
    BOOST_TEST(!WaitHandle::WaitAll({&a, &b}, short_ms));
    BOOST_TEST((std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(short_ms)));
}

BOOST_AUTO_TEST_CASE(WaitAll_returns_true_when_every_handle_is_signalled)
{
    AutoResetEvent a(true);
    ManualResetEvent m(true);
    AutoResetEvent b(true);
    const std::array<WaitHandle*, 3> handles{&a, &m, &b};
    BOOST_TEST(WaitHandle::WaitAll(handles, 0));
    // The auto-reset signals were consumed, the manual-reset one was not.
    BOOST_TEST(!a.WaitOne(0));
    BOOST_TEST(!b.WaitOne(0));
    BOOST_TEST(m.WaitOne(0));
}

BOOST_AUTO_TEST_CASE(WaitAll_does_not_consume_an_auto_reset_signal_while_another_handle_is_unsignalled)
{
    AutoResetEvent a(true);
    ManualResetEvent b(false);
    BOOST_TEST(!WaitHandle::WaitAll({&a, &b}, short_ms));
    BOOST_TEST(a.WaitOne(0));
}

BOOST_AUTO_TEST_CASE(WaitAll_wakes_when_the_last_handle_is_set_from_another_thread)
{
    AutoResetEvent a(true), b(false);
    std::jthread setter([&] { b.Set(); });
    BOOST_TEST(WaitHandle::WaitAll({&a, &b}, generous_ms));
    BOOST_TEST(!a.WaitOne(0));
    BOOST_TEST(!b.WaitOne(0));
}

BOOST_AUTO_TEST_CASE(WaitAll_without_timeout_waits_for_handles_set_one_after_the_other)
{
    AutoResetEvent a(false), b(false);
    std::jthread setter([&] {
        a.Set();
        b.Set();
    });
    BOOST_TEST(WaitHandle::WaitAll({&b, &a}));
}

BOOST_AUTO_TEST_CASE(WaitAll_with_negative_timeout_other_than_infinite_throws)
{
    ManualResetEvent a(true);
    BOOST_CHECK_EXCEPTION(WaitHandle::WaitAll({&a}, -5), ArgumentOutOfRangeException,
                          param_is<ArgumentOutOfRangeException>("millisecondsTimeout"));
}

// Argument errors

BOOST_AUTO_TEST_CASE(WaitAll_and_WaitAny_with_no_handles_throw_ArgumentException)
{
    const std::span<WaitHandle* const> none;
    BOOST_CHECK_EXCEPTION(WaitHandle::WaitAll(none, 0), ArgumentException, is_plain_argument_exception);
    BOOST_CHECK_EXCEPTION(WaitHandle::WaitAny(none, 0), ArgumentException, is_plain_argument_exception);
    BOOST_CHECK_EXCEPTION(WaitHandle::WaitAll({}, 0), ArgumentException, is_plain_argument_exception);
    BOOST_CHECK_EXCEPTION(WaitHandle::WaitAny({}, 0), ArgumentException, is_plain_argument_exception);
}

BOOST_AUTO_TEST_CASE(WaitAll_and_WaitAny_with_a_null_handle_throw_ArgumentNullException)
{
    ManualResetEvent a(true);
    BOOST_CHECK_EXCEPTION(WaitHandle::WaitAll({&a, nullptr}, 0), ArgumentNullException,
                          param_is<ArgumentNullException>("waitHandles"));
    BOOST_CHECK_EXCEPTION(WaitHandle::WaitAny({&a, nullptr}, 0), ArgumentNullException,
                          param_is<ArgumentNullException>("waitHandles"));
}

BOOST_AUTO_TEST_CASE(WaitAll_with_a_repeated_handle_throws_ArgumentException)
{
    AutoResetEvent a(true), b(true);
    BOOST_CHECK_EXCEPTION(WaitHandle::WaitAll({&a, &b, &a}, 0), ArgumentException,
                          is_plain_argument_exception);
    // The rejected call consumed nothing.
    BOOST_TEST(a.WaitOne(0));
    BOOST_TEST(b.WaitOne(0));
}

BOOST_AUTO_TEST_CASE(WaitAll_and_WaitAny_accept_64_handles_and_refuse_65)
{
    std::vector<std::unique_ptr<ManualResetEvent>> events;
    std::vector<WaitHandle*> handles;
    for (int i = 0; i < 65; ++i) {
        events.push_back(std::make_unique<ManualResetEvent>(true));
        handles.push_back(events.back().get());
    }
    const std::span<WaitHandle* const> all(handles);
    BOOST_CHECK_THROW(WaitHandle::WaitAll(all, 0), NotSupportedException);
    BOOST_CHECK_THROW(WaitHandle::WaitAny(all, 0), NotSupportedException);
    BOOST_TEST(WaitHandle::WaitAll(all.first(64), 0));
    BOOST_TEST(WaitHandle::WaitAny(all.first(64), 0) == 0);
}

// Close

BOOST_AUTO_TEST_CASE(Close_makes_WaitOne_Set_and_Reset_throw_ObjectDisposedException)
{
    AutoResetEvent ev(true);
    ev.Close();
    BOOST_CHECK_THROW(ev.WaitOne(), ObjectDisposedException);
    BOOST_CHECK_THROW(ev.WaitOne(0), ObjectDisposedException);
    BOOST_CHECK_THROW(ev.WaitOne(0ms), ObjectDisposedException);
    BOOST_CHECK_THROW(ev.Set(), ObjectDisposedException);
    BOOST_CHECK_THROW(ev.Reset(), ObjectDisposedException);
}

BOOST_AUTO_TEST_CASE(Close_makes_WaitAny_and_WaitAll_over_the_handle_throw)
{
    ManualResetEvent open(true), closed(true);
    closed.Close();
    BOOST_CHECK_THROW(WaitHandle::WaitAny({&open, &closed}, 0), ObjectDisposedException);
    BOOST_CHECK_THROW(WaitHandle::WaitAll({&open, &closed}, 0), ObjectDisposedException);
    BOOST_TEST(open.WaitOne(0));
}

BOOST_AUTO_TEST_CASE(Close_twice_is_harmless)
{
    ManualResetEvent ev(false);
    ev.Close();
    BOOST_CHECK_NO_THROW(ev.Close());
    BOOST_CHECK_THROW(ev.WaitOne(0), ObjectDisposedException);
}

BOOST_AUTO_TEST_CASE(Close_wakes_a_thread_blocked_in_WaitOne_which_throws_ObjectDisposedException)
{
    AutoResetEvent ev(false);
    release_counter started;
    release_counter finished;
    std::atomic<outcome> result{outcome::pending};
    {
        std::jthread waiter([&] {
            started.increment();
            result = run_wait([&] { return ev.WaitOne(waiter_timeout_ms); });
            finished.increment();
        });
        BOOST_TEST_REQUIRE(started.wait_for_at_least(1));
        ev.Close();
        // Reported well before the waiter's own time-out, so it was Close
        // that ended the wait.
        BOOST_TEST(finished.wait_for_at_least(1));
    }
    BOOST_TEST((result.load() == outcome::disposed));
}

BOOST_AUTO_TEST_CASE(Close_wakes_threads_blocked_in_WaitAny_and_WaitAll_which_throw)
{
    AutoResetEvent open(false), closing(false);
    release_counter started;
    release_counter finished;
    std::atomic<outcome> any_result{outcome::pending};
    std::atomic<outcome> all_result{outcome::pending};
    {
        std::jthread any_waiter([&] {
            started.increment();
            any_result = run_wait([&] {
                return WaitHandle::WaitAny({&open, &closing}, waiter_timeout_ms) != WaitHandle::WaitTimeout;
            });
            finished.increment();
        });
        std::jthread all_waiter([&] {
            started.increment();
            all_result = run_wait([&] { return WaitHandle::WaitAll({&closing, &open}, waiter_timeout_ms); });
            finished.increment();
        });
        BOOST_TEST_REQUIRE(started.wait_for_at_least(2));
        closing.Close();
        BOOST_TEST(finished.wait_for_at_least(2));
    }
    BOOST_TEST((any_result.load() == outcome::disposed));
    BOOST_TEST((all_result.load() == outcome::disposed));
    // The failed waits unregistered from the handle that stayed open.
    BOOST_TEST(open.Set());
    BOOST_TEST(open.WaitOne(0));
}

BOOST_AUTO_TEST_CASE(Destroying_a_closed_or_signalled_handle_does_not_throw)
{
    BOOST_CHECK_NO_THROW({
        AutoResetEvent closed(true);
        closed.Close();
        ManualResetEvent signalled(true);
    });
}

// Stress
//
// A lost wake-up does not always show as a failed wait: a WaitOne that was
// never woken still finds the signal when its time-out expires. So every wait
// here may last longer than the test waits for the whole run, and a run that
// has not finished in that time fails.

BOOST_AUTO_TEST_CASE(Auto_reset_ping_pong_between_four_threads_loses_no_wake_up)
{
    // Two pairs; in each pair one thread sets ping and waits for pong, the
    // other waits for ping and sets pong. Strict alternation means no Set can
    // coalesce with another, so every Set must release exactly one wait.
    constexpr int iterations = 10'000;
    struct pair_events {
        AutoResetEvent ping{false};
        AutoResetEvent pong{false};
    };
    std::array<pair_events, 2> pairs;
    std::array<std::atomic<int>, 4> completed{};
    release_counter finished;
    {
        std::vector<std::jthread> threads;
        for (std::size_t p = 0; p < pairs.size(); ++p) {
            threads.emplace_back([&, p] {
                for (int i = 0; i < iterations; ++i) {
                    pairs[p].ping.Set();
                    if (!pairs[p].pong.WaitOne(waiter_timeout_ms))
                        break;
                    ++completed[2 * p];
                }
                finished.increment();
            });
            threads.emplace_back([&, p] {
                for (int i = 0; i < iterations; ++i) {
                    if (!pairs[p].ping.WaitOne(waiter_timeout_ms))
                        break;
                    pairs[p].pong.Set();
                    ++completed[2 * p + 1];
                }
                finished.increment();
            });
        }
        BOOST_TEST(finished.wait_for_at_least(4));
    }
    for (const auto& c : completed)
        BOOST_TEST(c.load() == iterations);
}

BOOST_AUTO_TEST_CASE(WaitAll_and_WaitAny_under_load_lose_no_wake_up)
{
    // A coordinator releases two workers and collects both answers, first
    // with WaitAll and then with two WaitAny calls that must report each
    // worker exactly once.
    constexpr int rounds = 5'000;
    std::array<AutoResetEvent, 2> go{AutoResetEvent(false), AutoResetEvent(false)};
    std::array<AutoResetEvent, 2> done{AutoResetEvent(false), AutoResetEvent(false)};
    std::atomic<bool> stop{false};
    std::atomic<int> all_ok{0};
    std::atomic<int> any_ok{0};
    release_counter finished;
    {
        std::vector<std::jthread> threads;
        for (std::size_t w = 0; w < 2; ++w) {
            threads.emplace_back([&, w] {
                while (go[w].WaitOne(waiter_timeout_ms) && !stop)
                    done[w].Set();
            });
        }
        threads.emplace_back([&] {
            for (int r = 0; r < rounds; ++r) {
                go[0].Set();
                go[1].Set();
                if (!WaitHandle::WaitAll({&done[0], &done[1]}, waiter_timeout_ms))
                    break;
                ++all_ok;
            }
            for (int r = 0; r < rounds; ++r) {
                go[0].Set();
                go[1].Set();
                const int first = WaitHandle::WaitAny({&done[0], &done[1]}, waiter_timeout_ms);
                const int second = WaitHandle::WaitAny({&done[0], &done[1]}, waiter_timeout_ms);
                if (first == WaitHandle::WaitTimeout || second == WaitHandle::WaitTimeout ||
                    first == second)
                    break;
                ++any_ok;
            }
            stop = true;
            go[0].Set();
            go[1].Set();
            finished.increment();
        });
        BOOST_TEST(finished.wait_for_at_least(1));
    }
    BOOST_TEST(all_ok.load() == rounds);
    BOOST_TEST(any_ok.load() == rounds);
}

BOOST_AUTO_TEST_SUITE_END()
