#include <dotasync/core/event.hpp>

#include <boost/test/unit_test.hpp>

#include "support/allocation_counter.hpp"

#include <atomic>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace dotasync;

namespace {

struct Args {
    int value = 0;
    std::vector<std::string> log;
};

} // namespace

BOOST_AUTO_TEST_CASE(Invoke_calls_the_handlers_in_subscription_order_with_sender_and_args)
{
    Event<Args> event;
    event += [](const std::any& sender, Args& e) { e.log.push_back("first:" + std::any_cast<std::string>(sender)); };
    event += [](const std::any&, Args& e) { e.log.push_back("second"); };
    event += [](const std::any&, Args& e) { e.log.push_back("third"); };
    Args e;
    event.Invoke(std::string("me"), e);
    BOOST_TEST(e.log == (std::vector<std::string>{"first:me", "second", "third"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(Handlers_may_take_the_args_by_const_reference_or_modify_them)
{
    Event<Args> event;
    event += [](const std::any&, Args& e) { e.value = 5; };
    int seen = 0;
    event += [&seen](const std::any&, const Args& e) { seen = e.value; };
    Args e;
    event.Invoke({}, e);
    BOOST_TEST(e.value == 5);
    BOOST_TEST(seen == 5);
}

BOOST_AUTO_TEST_CASE(Removing_a_subscription_stops_that_handler_only)
{
    Event<Args> event;
    event += [](const std::any&, Args& e) { e.log.push_back("a"); };
    auto b = event += [](const std::any&, Args& e) { e.log.push_back("b"); };
    event += [](const std::any&, Args& e) { e.log.push_back("c"); };
    event -= b;
    BOOST_TEST(event.handler_count() == 2u);
    Args e;
    event.Invoke({}, e);
    BOOST_TEST(e.log == (std::vector<std::string>{"a", "c"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(The_same_handler_added_twice_runs_twice_and_each_subscription_removes_one)
{
    Event<Args> event;
    EventHandler<Args> handler = [](const std::any&, Args& e) { ++e.value; };
    auto first = event += handler;
    auto second = event += handler;
    BOOST_TEST((first != second));
    Args e;
    event.Invoke({}, e);
    BOOST_TEST(e.value == 2);
    event -= first;
    event.Invoke({}, e);
    BOOST_TEST(e.value == 3);
}

BOOST_AUTO_TEST_CASE(Removing_an_unknown_empty_or_foreign_subscription_does_nothing)
{
    Event<Args> event;
    Event<Args> other;
    event += [](const std::any&, Args& e) { ++e.value; };
    auto foreign = other += [](const std::any&, Args&) {};
    auto removed = event += [](const std::any&, Args&) {};
    event -= removed;
    event -= removed; // a second time
    event -= Event<Args>::Subscription();
    event -= foreign;
    BOOST_TEST(event.handler_count() == 1u);
    BOOST_TEST(other.handler_count() == 1u);
}

BOOST_AUTO_TEST_CASE(Adding_an_empty_handler_does_nothing_and_returns_an_empty_subscription)
{
    Event<Args> event;
    auto subscription = event += EventHandler<Args>();
    BOOST_TEST(!subscription);
    BOOST_TEST(event.handler_count() == 0u);
    Args e;
    event.Invoke({}, e); // no handlers: nothing happens
}

BOOST_AUTO_TEST_CASE(An_exception_from_a_handler_propagates_and_skips_the_later_handlers)
{
    Event<Args> event;
    event += [](const std::any&, Args&) { throw std::runtime_error("handler failed"); };
    event += [](const std::any&, Args& e) { e.value = 1; };
    Args e;
    BOOST_CHECK_THROW(event.Invoke({}, e), std::runtime_error);
    BOOST_TEST(e.value == 0);
}

BOOST_AUTO_TEST_CASE(A_handler_removed_during_a_raise_may_get_that_raise_but_no_later_one)
{
    Event<Args> event;
    Event<Args>::Subscription second;
    event += [&](const std::any&, Args&) { event -= second; };
    second = event += [](const std::any&, Args& e) { ++e.value; };
    Args e;
    event.Invoke({}, e); // the raise started with both handlers
    BOOST_TEST(e.value == 1);
    event.Invoke({}, e);
    BOOST_TEST(e.value == 1);
}

BOOST_AUTO_TEST_CASE(A_handler_added_during_a_raise_runs_from_the_next_raise_on)
{
    Event<Args> event;
    bool added = false;
    event += [&](const std::any&, Args&) {
        if (!added) {
            added = true;
            event += [](const std::any&, Args& e) { ++e.value; };
        }
    };
    Args e;
    event.Invoke({}, e);
    BOOST_TEST(e.value == 0);
    event.Invoke({}, e);
    BOOST_TEST(e.value == 1);
}

BOOST_AUTO_TEST_CASE(Raising_does_not_allocate)
{
    Event<Args> event;
    event += [](const std::any&, Args& e) { ++e.value; };
    event += [](const std::any&, Args& e) { ++e.value; };
    Args e;
    const std::any sender(&event);
    dotasync_test::allocation_scope scope;
    event.Invoke(sender, e);
    BOOST_TEST(scope.count() == 0u);
    BOOST_TEST(e.value == 2);
}

BOOST_AUTO_TEST_CASE(Subscribing_and_unsubscribing_while_other_threads_raise_loses_no_handler)
{
    Event<Args> event;
    std::atomic<long> permanent_calls{0};
    // This handler stays subscribed throughout: every raise must reach it.
    event += [&](const std::any&, Args&) { permanent_calls.fetch_add(1, std::memory_order_relaxed); };

    constexpr int raises_per_thread = 20000;
    std::atomic<bool> raising{true};
    std::vector<std::thread> raisers;
    for (int t = 0; t < 2; ++t)
        raisers.emplace_back([&] {
            for (int i = 0; i < raises_per_thread; ++i) {
                Args e;
                event.Invoke({}, e);
            }
        });

    std::atomic<long> transient_calls{0};
    std::thread churn([&] {
        while (raising.load()) {
            auto s = event += [&](const std::any&, Args&) { transient_calls.fetch_add(1, std::memory_order_relaxed); };
            event -= s;
        }
    });
    for (auto& t : raisers)
        t.join();
    raising = false;
    churn.join();

    BOOST_TEST(permanent_calls.load() == 2L * raises_per_thread);
    BOOST_TEST(event.handler_count() == 1u);
    // After the churn, a raise reaches only the permanent handler.
    const long transient_before = transient_calls.load();
    Args e;
    event.Invoke({}, e);
    BOOST_TEST(transient_calls.load() == transient_before);
}

// ---------------------------------------------------------------------------
// Events of other delegate shapes
// ---------------------------------------------------------------------------

namespace {

struct ProgressArgs {
    int percent = 0;
};

// .NET: delegate void ProgressChangedEventHandler(ProgressChangedEventArgs e);
using ProgressChangedEventHandler = std::function<void(const ProgressArgs&)>;

} // namespace

BOOST_AUTO_TEST_CASE(An_event_of_a_one_argument_delegate_passes_that_argument_to_every_handler)
{
    Event<ProgressChangedEventHandler> progressChanged;
    std::vector<std::string> log;
    progressChanged += [&](const ProgressArgs& e) { log.push_back("first:" + std::to_string(e.percent)); };
    auto second = progressChanged += [&](const ProgressArgs& e) { log.push_back("second:" + std::to_string(e.percent)); };
    progressChanged.Invoke(ProgressArgs{40});
    progressChanged -= second;
    progressChanged.Invoke(ProgressArgs{80});
    BOOST_TEST(log == (std::vector<std::string>{"first:40", "second:40", "first:80"}), boost::test_tools::per_element());
    BOOST_TEST(progressChanged.handler_count() == 1u);
}

BOOST_AUTO_TEST_CASE(An_event_of_a_function_signature_takes_several_arguments_and_references)
{
    // .NET: delegate void PrimeFoundHandler(int prime, ref bool stop);
    Event<void(int, bool&)> primeFound;
    std::vector<int> seen;
    primeFound += [&](int prime, bool& stop) {
        seen.push_back(prime);
        stop = prime >= 5;
    };
    primeFound += std::function<void(int, bool&)>();
    bool stop = false;
    for (int prime : {2, 3, 5, 7}) {
        primeFound.Invoke(prime, stop);
        if (stop)
            break;
    }
    BOOST_TEST(seen == (std::vector<int>{2, 3, 5}), boost::test_tools::per_element());
    // The empty handler added above was ignored, as .NET ignores adding null.
    BOOST_TEST(primeFound.handler_count() == 1u);
}

BOOST_AUTO_TEST_CASE(An_exception_from_a_handler_of_a_custom_event_stops_the_raise)
{
    Event<void(int)> event;
    int after = 0;
    event += [](int) { throw std::runtime_error("handler failed"); };
    event += [&](int) { ++after; };
    BOOST_CHECK_THROW(event.Invoke(1), std::runtime_error);
    BOOST_TEST(after == 0);
}
