#include <dotasync/tap/progress.hpp>

#include <dotasync/core/exceptions.hpp>
#include <dotasync/threading/message_loop_synchronization_context.hpp>
#include <dotasync/threading/strand_synchronization_context.hpp>
#include <dotasync/threading/synchronization_context.hpp>

#include "support/recording_context.hpp"
#include "support/waiting.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <any>
#include <functional>
#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
using namespace dotasync;
using namespace dotasync_test;

namespace {


} // namespace

BOOST_AUTO_TEST_SUITE(construction)

BOOST_AUTO_TEST_CASE(An_empty_handler_throws_ArgumentNullException)
{
    const std::function<void(const int&)> empty;
    BOOST_CHECK_THROW(Progress<int> progress(empty), ArgumentNullException);
    BOOST_CHECK_THROW(Progress<int> progress(nullptr), ArgumentNullException);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(report)

BOOST_AUTO_TEST_CASE(Report_runs_the_handler_on_the_context_captured_at_construction)
{
    const auto loop_thread = std::this_thread::get_id();
    std::vector<int> seen;
    std::vector<bool> on_loop_context;
    std::shared_ptr<SynchronizationContext> loop;

    MessageLoopSynchronizationContext::Run([&] {
        loop = SynchronizationContext::Current();
        auto progress = std::make_shared<Progress<int>>([&](const int& value) {
            seen.push_back(value);
            on_loop_context.push_back(std::this_thread::get_id() == loop_thread
                                      && SynchronizationContext::Current() == loop);
        });
        // Reported from another thread: the handler still runs on the loop.
        std::thread([progress] { progress->Report(7); }).join();
    });

    BOOST_TEST(seen == std::vector<int>({7}));
    BOOST_TEST(on_loop_context == std::vector<bool>({true}));
}

BOOST_AUTO_TEST_CASE(Report_on_the_captured_context_does_not_run_the_handler_inline)
{
    std::vector<std::string> events;
    MessageLoopSynchronizationContext::Run([&] {
        auto progress = std::make_shared<Progress<int>>([&](const int& value) {
            events.push_back("handler " + std::to_string(value));
        });
        progress->Report(1);
        events.push_back("Report returned");
    });
    BOOST_TEST(events == std::vector<std::string>({"Report returned", "handler 1"}));
}

BOOST_AUTO_TEST_CASE(Reports_through_a_strand_context_arrive_in_order)
{
    asio::io_context io;
    auto work = asio::make_work_guard(io);
    std::vector<std::thread> threads;
    for (int i = 0; i < 2; ++i)
        threads.emplace_back([&io] { io.run(); });

    auto strand = std::make_shared<StrandSynchronizationContext>(io.get_executor());
    constexpr int count = 1000;
    std::vector<int> seen;
    std::promise<void> all_seen;
    std::unique_ptr<Progress<int>> progress;
    {
        context_scope scope(strand);
        progress = std::make_unique<Progress<int>>([&](const int& value) {
            seen.push_back(value); // the strand runs one handler at a time
            if (value == count - 1)
                all_seen.set_value();
        });
    }
    std::thread reporter([&] {
        for (int i = 0; i < count; ++i)
            progress->Report(i);
    });
    reporter.join();
    auto done = all_seen.get_future();
    const bool finished = done.wait_for(generous) == std::future_status::ready;

    work.reset();
    for (auto& t : threads)
        t.join();
    BOOST_REQUIRE(finished);
    std::vector<int> expected(count);
    for (int i = 0; i < count; ++i)
        expected[static_cast<std::size_t>(i)] = i;
    BOOST_TEST(seen == expected);
}

BOOST_AUTO_TEST_CASE(Without_a_current_context_reports_run_on_the_default_runtime)
{
    BOOST_REQUIRE(!SynchronizationContext::Current());
    std::promise<std::thread::id> ran_on;
    Progress<int> progress([&](const int&) { ran_on.set_value(std::this_thread::get_id()); });
    progress.Report(1);
    BOOST_TEST((get_within(ran_on.get_future()) != std::this_thread::get_id()));
}

BOOST_AUTO_TEST_CASE(ProgressChanged_is_raised_after_the_handler_with_the_reported_value)
{
    auto context = std::make_shared<recording_context>();
    context_scope scope(context);
    std::vector<std::string> events;
    Progress<std::string> progress([&](const std::string& value) { events.push_back("handler " + value); });
    progress.ProgressChanged += [&](const std::any& sender, std::string& value) {
        BOOST_TEST(!sender.has_value());
        events.push_back("event " + value);
    };

    progress.Report("half");
    BOOST_TEST(events.empty());
    context->pump();
    BOOST_TEST(events == std::vector<std::string>({"handler half", "event half"}));
}

BOOST_AUTO_TEST_CASE(A_Progress_with_only_ProgressChanged_subscribers_raises_the_event)
{
    auto context = std::make_shared<recording_context>();
    context_scope scope(context);
    Progress<double> progress;
    std::vector<double> seen;
    progress.ProgressChanged += [&](const std::any&, const double& value) { seen.push_back(value); };

    progress.Report(0.25);
    progress.Report(0.5);
    context->pump();
    BOOST_TEST(seen == std::vector<double>({0.25, 0.5}));
}

BOOST_AUTO_TEST_CASE(Report_with_neither_handler_nor_subscriber_posts_nothing)
{
    auto context = std::make_shared<recording_context>();
    context_scope scope(context);
    Progress<int> progress;
    progress.Report(1);
    BOOST_TEST(context->queued() == 0u);
}

BOOST_AUTO_TEST_CASE(The_reported_value_is_copied_when_Report_is_called)
{
    auto context = std::make_shared<recording_context>();
    context_scope scope(context);
    std::vector<std::string> seen;
    Progress<std::string> progress([&](const std::string& value) { seen.push_back(value); });
    std::string value = "before";
    progress.Report(value);
    value = "after";
    context->pump();
    BOOST_TEST(seen == std::vector<std::string>({"before"}));
}

BOOST_AUTO_TEST_CASE(A_report_queued_before_the_Progress_is_destroyed_still_runs)
{
    auto context = std::make_shared<recording_context>();
    context_scope scope(context);
    std::vector<int> seen;
    {
        Progress<int> progress([&](const int& value) { seen.push_back(value); });
        progress.Report(3);
    }
    context->pump();
    BOOST_TEST(seen == std::vector<int>({3}));
}

BOOST_AUTO_TEST_CASE(An_exception_from_the_handler_is_the_contexts_to_handle)
{
    // A message loop ends with the exception, as a .NET UI thread would.
    BOOST_CHECK_THROW(MessageLoopSynchronizationContext::Run([] {
                          auto progress = std::make_shared<Progress<int>>(
                              [](const int&) { throw std::logic_error("handler failed"); });
                          progress->Report(1);
                      }),
                      std::logic_error);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(iprogress)

namespace {

// An operation written against the interface, as .NET methods take IProgress<T>.
void count_to(int n, IProgress<int>& progress)
{
    for (int i = 1; i <= n; ++i)
        progress.Report(i);
}

class recording_progress : public Progress<int> {
public:
    std::vector<int> intercepted;

protected:
    void OnReport(const int& value) override
    {
        intercepted.push_back(value);
        Progress<int>::OnReport(value);
    }
};

} // namespace

BOOST_AUTO_TEST_CASE(A_Progress_is_usable_through_IProgress)
{
    auto context = std::make_shared<recording_context>();
    context_scope scope(context);
    std::vector<int> seen;
    Progress<int> progress([&](const int& value) { seen.push_back(value); });
    count_to(3, progress);
    context->pump();
    BOOST_TEST(seen == std::vector<int>({1, 2, 3}));
}

BOOST_AUTO_TEST_CASE(A_derived_class_sees_every_report_through_OnReport)
{
    auto context = std::make_shared<recording_context>();
    context_scope scope(context);
    recording_progress progress;
    std::vector<int> seen;
    progress.ProgressChanged += [&](const std::any&, const int& value) { seen.push_back(value); };
    count_to(2, progress);
    BOOST_TEST(progress.intercepted == std::vector<int>({1, 2}));
    context->pump();
    BOOST_TEST(seen == std::vector<int>({1, 2}));
}

BOOST_AUTO_TEST_SUITE_END()
