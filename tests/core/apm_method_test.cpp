// apm_method: a class written with the public kit keeps every APM rule.
#include <dotasync/core/apm_method.hpp>

#include <dotasync/core/exceptions.hpp>
#include <dotasync/core/state_cast.hpp>

#include "support/running_context.hpp"
#include "support/waiting.hpp"

#include <boost/asio/async_result.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/error.hpp>
#include <boost/test/unit_test.hpp>

#include <any>
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <utility>

namespace asio = boost::asio;
using namespace dotasync;
using namespace dotasync_test;
using namespace std::chrono_literals;
using error_code = boost::system::error_code;

namespace {

// A socket stand-in written as a porter would write one: two pairs of the
// same completion signature, one pair of another, each Begin one Asio
// initiation and each End one call.
class Channel {
    using transfer = void(error_code, int);
    static constexpr apm_method<transfer> send_method{};
    static constexpr apm_method<transfer> receive_method{};
    static constexpr apm_method<void(error_code)> flush_method{};

    // The one initiating function behind sends and receives.
    template <class Token>
    auto async_transfer(int count, error_code failure, Token&& token)
    {
        return asio::async_initiate<Token, transfer>(
            [this](auto handler, int n, error_code ec) {
                asio::post(executor_, [handler = std::move(handler), n, ec]() mutable { handler(ec, ec ? 0 : n); });
            },
            token, count, failure);
    }

public:
    explicit Channel(asio::any_io_executor executor) : executor_(std::move(executor)) {}

    IAsyncResultPtr BeginSend(int count, AsyncCallback callback, std::any state)
    {
        if (count < 0)
            throw ArgumentOutOfRangeException("count");
        return async_transfer(count, error_code(), send_method.begin(this, std::move(callback), std::move(state)));
    }
    int EndSend(const IAsyncResultPtr& asyncResult) { return send_method.end(this, asyncResult); }

    // Receives fail with connection_reset when asked for more than 100 bytes.
    IAsyncResultPtr BeginReceive(int count, AsyncCallback callback, std::any state)
    {
        const error_code failure = count > 100 ? asio::error::connection_reset : error_code();
        return async_transfer(count, failure, receive_method.begin(this, std::move(callback), std::move(state)));
    }
    int EndReceive(const IAsyncResultPtr& asyncResult) { return receive_method.end(this, asyncResult); }

    // Waits on a timer of the channel's executor, so that a flush can be left
    // pending and ended inside that executor.
    IAsyncResultPtr BeginFlush(std::chrono::steady_clock::duration delay, AsyncCallback callback, std::any state)
    {
        timer_ = std::make_unique<asio::steady_timer>(executor_, delay);
        return timer_->async_wait(flush_method.begin(this, std::move(callback), std::move(state)));
    }
    void EndFlush(const IAsyncResultPtr& asyncResult) { flush_method.end(this, asyncResult); }
    void CancelFlush() { timer_->cancel(); }

private:
    asio::any_io_executor executor_;
    std::unique_ptr<asio::steady_timer> timer_;
};

template <class F>
std::string message_of(F&& call)
{
    try {
        call();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "no exception";
}

} // namespace

BOOST_AUTO_TEST_CASE(Begin_then_End_returns_the_operation_value)
{
    running_context ctx;
    Channel channel(ctx.io().get_executor());
    BOOST_TEST(channel.EndSend(channel.BeginSend(42, {}, {})) == 42);
}

BOOST_AUTO_TEST_CASE(Begin_with_an_invalid_argument_throws_at_once_and_never_calls_back)
{
    running_context ctx;
    Channel channel(ctx.io().get_executor());
    bool called = false;
    BOOST_CHECK_THROW(channel.BeginSend(-1, [&](const IAsyncResultPtr&) { called = true; }, {}),
                      ArgumentOutOfRangeException);
    // A later operation completes after anything the refused one could have posted.
    channel.EndSend(channel.BeginSend(1, {}, {}));
    BOOST_TEST(!called);
}

BOOST_AUTO_TEST_CASE(EndSend_with_a_BeginReceive_result_throws_InvalidOperationException_and_leaves_it_endable)
{
    running_context ctx;
    Channel channel(ctx.io().get_executor());
    auto received = channel.BeginReceive(7, {}, {});
    BOOST_CHECK_THROW(channel.EndSend(received), InvalidOperationException);
    BOOST_TEST(channel.EndReceive(received) == 7);
}

BOOST_AUTO_TEST_CASE(End_with_a_result_another_object_began_throws_InvalidOperationException)
{
    running_context ctx;
    Channel first(ctx.io().get_executor());
    Channel second(ctx.io().get_executor());
    auto ar = first.BeginSend(3, {}, {});
    BOOST_CHECK_THROW(second.EndSend(ar), InvalidOperationException);
    BOOST_TEST(first.EndSend(ar) == 3);
}

BOOST_AUTO_TEST_CASE(End_called_twice_throws_InvalidOperationException)
{
    running_context ctx;
    Channel channel(ctx.io().get_executor());
    auto ar = channel.BeginSend(5, {}, {});
    BOOST_TEST(channel.EndSend(ar) == 5);
    BOOST_TEST(message_of([&] { channel.EndSend(ar); }) == "End was already called for this asynchronous operation.");
    BOOST_CHECK_THROW(channel.EndSend(ar), InvalidOperationException);
}

BOOST_AUTO_TEST_CASE(End_with_nullptr_throws_ArgumentNullException_naming_asyncResult)
{
    running_context ctx;
    Channel channel(ctx.io().get_executor());
    BOOST_CHECK_THROW(channel.EndSend(nullptr), ArgumentNullException);
    BOOST_TEST(message_of([&] { channel.EndSend(nullptr); }) == "Value cannot be null. (Parameter 'asyncResult')");
}

BOOST_AUTO_TEST_CASE(End_with_a_result_of_another_completion_signature_throws_InvalidOperationException)
{
    running_context ctx;
    Channel channel(ctx.io().get_executor());
    auto flushed = channel.BeginFlush(0ms, {}, {});
    BOOST_CHECK_THROW(channel.EndSend(flushed), InvalidOperationException);
    BOOST_CHECK_NO_THROW(channel.EndFlush(flushed));
}

BOOST_AUTO_TEST_CASE(End_with_a_result_made_by_the_bare_apm_token_throws_InvalidOperationException)
{
    running_context ctx;
    Channel channel(ctx.io().get_executor());
    apm token;
    auto bare = asio::async_initiate<apm, void(error_code, int)>(
        [&](auto handler) { asio::post(ctx.io(), [h = std::move(handler)]() mutable { h(error_code(), 1); }); },
        token);
    BOOST_CHECK_THROW(channel.EndSend(bare), InvalidOperationException);
    BOOST_TEST(end<void(error_code, int)>(bare) == 1);
}

BOOST_AUTO_TEST_CASE(End_rethrows_a_failure_as_its_dotnet_exception)
{
    running_context ctx;
    Channel channel(ctx.io().get_executor());
    auto ar = channel.BeginReceive(1000, {}, {});
    BOOST_CHECK_THROW(channel.EndReceive(ar), SocketException);
}

BOOST_AUTO_TEST_CASE(End_inside_the_strand_that_must_complete_the_operation_throws_instead_of_hanging)
{
    two_thread_context ctx;
    auto strand = asio::make_strand(ctx.io());
    Channel channel(strand);
    std::promise<std::pair<std::string, IAsyncResultPtr>> inside;
    asio::post(strand, [&] {
        auto ar = channel.BeginFlush(1h, {}, {});
        std::string what = "returned";
        try {
            channel.EndFlush(ar);
        } catch (const InvalidOperationException& e) {
            what = e.what();
        }
        channel.CancelFlush();
        inside.set_value({what, ar});
    });
    auto [what, ar] = get_within(inside.get_future());
    BOOST_TEST(what.find("strand") != std::string::npos, what);
    // The refused End left the result endable: it now reports the cancellation.
    BOOST_CHECK_THROW(channel.EndFlush(ar), OperationCanceledException);
}

BOOST_AUTO_TEST_CASE(The_callback_receives_the_state_and_ends_without_blocking)
{
    running_context ctx;
    Channel channel(ctx.io().get_executor());
    // Boost.Test is used on the test's thread only: the callback reports.
    struct seen {
        bool completed;
        int sent;
        std::string state;
    };
    std::promise<seen> done;
    channel.BeginSend(
        9,
        [&](const IAsyncResultPtr& ar) {
            const bool completed = ar->IsCompleted();
            done.set_value({completed, channel.EndSend(ar), state_cast<std::string>(ar->AsyncState())});
        },
        "send #1");
    const seen result = get_within(done.get_future());
    BOOST_TEST(result.completed);
    BOOST_TEST(result.sent == 9);
    BOOST_TEST(result.state == "send #1");
}

BOOST_AUTO_TEST_CASE(A_nullptr_state_is_an_empty_AsyncState)
{
    running_context ctx;
    Channel channel(ctx.io().get_executor());
    auto ar = channel.BeginSend(1, {}, nullptr);
    BOOST_TEST(!ar->AsyncState().has_value());
    channel.EndSend(ar);
    auto token_ar = asio::post(ctx.io(), apm({}, nullptr));
    BOOST_TEST(!token_ar->AsyncState().has_value());
    end<void()>(token_ar);
}
