#include <dotasync/tap/task_factory.hpp>

#include <dotasync/apm/delegate.hpp>
#include <dotasync/core/exceptions.hpp>
#include <dotasync/core/wait_handle.hpp>
#include <dotasync/io/memory_stream.hpp>

#include "support/waiting.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <any>
#include <chrono>
#include <functional>
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

namespace {



// An IAsyncResult that is finished when it is made, as a BeginXxx returns
// when it could answer at once.
class finished_result : public IAsyncResult {
public:
    finished_result(int value, std::any state) : value_(value), state_(std::move(state)) {}
    const std::any& AsyncState() const override { return state_; }
    WaitHandle& AsyncWaitHandle() const override { return handle_; }
    bool CompletedSynchronously() const override { return true; }
    bool IsCompleted() const override { return true; }
    int value() const { return value_; }

private:
    int value_;
    std::any state_;
    mutable ManualResetEvent handle_{true};
};

// A legacy class whose BeginGet completes synchronously: the callback runs
// inside BeginGet, as .NET's APM allows.
class Cache {
public:
    IAsyncResultPtr BeginGet(int key, AsyncCallback callback, std::any state)
    {
        if (key < 0)
            throw ArgumentOutOfRangeException("key", "Keys are not negative.");
        auto ar = std::make_shared<finished_result>(key * 10, std::move(state));
        inside_begin_ = true;
        if (callback)
            callback(ar);
        inside_begin_ = false;
        return ar;
    }

    int EndGet(const IAsyncResultPtr& ar)
    {
        end_ran_inside_begin = inside_begin_;
        end_thread = std::this_thread::get_id();
        return std::dynamic_pointer_cast<finished_result>(ar)->value();
    }

    bool end_ran_inside_begin = false;
    std::thread::id end_thread;

private:
    bool inside_begin_ = false;
};

} // namespace

BOOST_AUTO_TEST_SUITE(from_async)

BOOST_AUTO_TEST_CASE(co_await_FromAsync_over_BeginInvoke_and_EndInvoke_returns_the_value)
{
    Delegate<int(int, int)> add([](int a, int b) { return a + b; });
    asio::io_context io;
    auto result = asio::co_spawn(
        io,
        [&]() -> asio::awaitable<int> {
            co_return co_await TaskFactory::FromAsync(
                [&](int a, int b, AsyncCallback callback, std::any state) {
                    return add.BeginInvoke(a, b, std::move(callback), std::move(state));
                },
                [&](const IAsyncResultPtr& ar) { return add.EndInvoke(ar); }, 2, 3, asio::use_awaitable);
        },
        asio::use_future);
    io.run_for(generous);
    BOOST_TEST(get_within(result) == 5);
}

BOOST_AUTO_TEST_CASE(FromAsync_rethrows_what_the_end_method_throws_with_its_original_type)
{
    Delegate<int()> failing([]() -> int { throw std::out_of_range("from the legacy method"); });
    auto result = TaskFactory::FromAsync(
        [&](AsyncCallback callback, std::any state) { return failing.BeginInvoke(std::move(callback), std::move(state)); },
        [&](const IAsyncResultPtr& ar) { return failing.EndInvoke(ar); }, asio::use_future);
    BOOST_CHECK_THROW(get_within(result), std::out_of_range);
}

BOOST_AUTO_TEST_CASE(FromAsync_of_a_void_end_method_completes_without_a_value)
{
    std::atomic<bool> ran{false};
    Delegate<void()> work([&] { ran = true; });
    std::future<void> done = TaskFactory::FromAsync(
        [&](AsyncCallback callback, std::any state) { return work.BeginInvoke(std::move(callback), std::move(state)); },
        [&](const IAsyncResultPtr& ar) { work.EndInvoke(ar); }, asio::use_future);
    get_within(done);
    BOOST_TEST(ran.load());
}

BOOST_AUTO_TEST_CASE(FromAsync_passes_copies_of_the_arguments_and_an_empty_state_to_Begin)
{
    Delegate<std::string(std::string)> echo([](std::string s) { return s; });
    bool state_was_empty = false;
    std::string text = "original";
    auto result = TaskFactory::FromAsync(
        [&](std::string s, AsyncCallback callback, std::any state) {
            state_was_empty = !state.has_value();
            return echo.BeginInvoke(std::move(s), std::move(callback), std::move(state));
        },
        [&](const IAsyncResultPtr& ar) { return echo.EndInvoke(ar); }, text, asio::use_future);
    text = "changed";
    BOOST_TEST(get_within(result) == "original");
    BOOST_TEST(state_was_empty);
}

BOOST_AUTO_TEST_CASE(An_argument_passed_with_std_ref_reaches_Begin_as_the_callers_object)
{
    std::vector<int> buffer(3, 0);
    Delegate<int(std::vector<int>*)> fill([](std::vector<int>* b) {
        for (auto& v : *b)
            v = 1;
        return static_cast<int>(b->size());
    });
    auto result = TaskFactory::FromAsync(
        [&](std::vector<int>& b, AsyncCallback callback, std::any state) {
            return fill.BeginInvoke(&b, std::move(callback), std::move(state));
        },
        [&](const IAsyncResultPtr& ar) { return fill.EndInvoke(ar); }, std::ref(buffer), asio::use_future);
    BOOST_TEST(get_within(result) == 3);
    BOOST_TEST(buffer == (std::vector<int>{1, 1, 1}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(A_synchronous_Begin_is_ended_after_it_returns_on_the_calling_thread)
{
    Cache cache;
    std::optional<int> seen;
    TaskFactory::FromAsync(
        [&](int key, AsyncCallback callback, std::any state) {
            return cache.BeginGet(key, std::move(callback), std::move(state));
        },
        [&](const IAsyncResultPtr& ar) { return cache.EndGet(ar); }, 4,
        [&](std::exception_ptr e, int value) {
            if (!e)
                seen = value;
        });
    // A finished operation completes at once: a plain callback has run.
    BOOST_TEST(seen.value_or(-1) == 40);
    BOOST_TEST(!cache.end_ran_inside_begin);
    BOOST_TEST((cache.end_thread == std::this_thread::get_id()));
}

BOOST_AUTO_TEST_CASE(An_exception_from_Begin_leaves_FromAsync_itself_and_nothing_completes)
{
    Cache cache;
    int completions = 0;
    BOOST_CHECK_THROW(TaskFactory::FromAsync(
                          [&](int key, AsyncCallback callback, std::any state) {
                              return cache.BeginGet(key, std::move(callback), std::move(state));
                          },
                          [&](const IAsyncResultPtr& ar) { return cache.EndGet(ar); }, -1,
                          [&](std::exception_ptr, int) { ++completions; }),
                      ArgumentOutOfRangeException);
    BOOST_TEST(completions == 0);
}

BOOST_AUTO_TEST_CASE(An_empty_begin_or_end_method_throws_ArgumentNullException)
{
    std::function<IAsyncResultPtr(AsyncCallback, std::any)> no_begin;
    std::function<int(const IAsyncResultPtr&)> no_end;
    auto some_begin = [](AsyncCallback, std::any) { return IAsyncResultPtr(); };
    auto some_end = [](const IAsyncResultPtr&) { return 0; };
    BOOST_CHECK_THROW(TaskFactory::FromAsync(no_begin, some_end, asio::use_future), ArgumentNullException);
    BOOST_CHECK_THROW(TaskFactory::FromAsync(some_begin, no_end, asio::use_future), ArgumentNullException);
}

BOOST_AUTO_TEST_CASE(A_Begin_that_returns_null_completes_with_InvalidOperationException)
{
    auto result = TaskFactory::FromAsync([](AsyncCallback, std::any) { return IAsyncResultPtr(); },
                                         [](const IAsyncResultPtr&) { return 0; }, asio::use_future);
    BOOST_CHECK_THROW(get_within(result), InvalidOperationException);
}

BOOST_AUTO_TEST_CASE(An_asynchronous_completion_runs_End_on_the_thread_that_calls_back)
{
    Delegate<int()> answer([] { return 1; });
    std::promise<std::thread::id> ended_on;
    auto result = TaskFactory::FromAsync(
        [&](AsyncCallback callback, std::any state) { return answer.BeginInvoke(std::move(callback), std::move(state)); },
        [&](const IAsyncResultPtr& ar) {
            ended_on.set_value(std::this_thread::get_id());
            return answer.EndInvoke(ar);
        },
        asio::use_future);
    BOOST_TEST(get_within(result) == 1);
    auto thread = ended_on.get_future();
    BOOST_TEST((get_within(thread) != std::this_thread::get_id()));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(FromAsync_takes_a_stream_s_Begin_and_End_members_with_the_object)
{
    MemoryStream stream;
    std::vector<std::uint8_t> data{1, 2, 3, 4, 5};
    TaskFactory::FromAsync(&MemoryStream::BeginWrite, &MemoryStream::EndWrite, stream, data, 0, 5, asio::use_future)
        .get();
    stream.Position(0);
    std::vector<std::uint8_t> buffer(5);
    // The buffer is the caller's, by reference, as .NET passes an array.
    const int n = TaskFactory::FromAsync(&Stream::BeginRead, &Stream::EndRead, stream, buffer, 1, 4, asio::use_future)
                      .get();
    BOOST_TEST(n == 4);
    BOOST_TEST((buffer == std::vector<std::uint8_t>{0, 1, 2, 3, 4}));
    // A failure of the begin method leaves FromAsync itself.
    BOOST_CHECK_THROW(
        TaskFactory::FromAsync(&Stream::BeginRead, &Stream::EndRead, stream, buffer, 3, 4, asio::use_future),
        ArgumentException);
    using begin_type = IAsyncResultPtr (Stream::*)(std::vector<std::uint8_t>&, int, int, AsyncCallback, std::any);
    BOOST_CHECK_THROW(TaskFactory::FromAsync(begin_type(nullptr), &Stream::EndRead, stream, buffer, 0, 1,
                                             asio::use_future),
                      ArgumentNullException);
}
