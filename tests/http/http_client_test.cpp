// HttpClient against the local HTTP server: every request member, bodies of
// every framing, redirects, connection reuse, and every failure a caller can
// see: refused and unknown hosts, statuses, time-out, cancellation at each
// stage, disposal and misuse.
#include <dotasync/http/http_client.hpp>

#include "local_http_server.hpp"
#include "support/waiting.hpp"

#include <dotasync/core/exceptions.hpp>
#include <dotasync/core/socket_error.hpp>
#include <dotasync/tap/use_task.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>
#include <thread>

using namespace dotasync;
using namespace dotasync_test;
namespace asio = boost::asio;
using sample::local_http_server;
using sample::pattern_bytes;

namespace {

// The exception a future holds, rethrown and caught as E; fails the test
// when it holds none or another type.
template <class E, class T>
E failure_of(std::future<T> future)
{
    BOOST_REQUIRE(future.wait_for(generous) == std::future_status::ready);
    try {
        future.get();
    } catch (const E& e) {
        return e;
    } catch (const std::exception& e) {
        BOOST_FAIL(std::string("unexpected exception: ") + e.what());
    }
    BOOST_FAIL("no exception");
    throw;
}

template <class E>
bool inner_is(const Exception& e)
{
    return holds<E>(e.InnerException());
}

// A port nothing listens on: bound, then closed.
int closed_port()
{
    asio::io_context io;
    asio::ip::tcp::acceptor a(io, {asio::ip::address_v4::loopback(), 0});
    return a.local_endpoint().port();
}

// The Message of e's InnerException, empty when it has none.
std::string inner_message(const Exception& e)
{
    return read_as<Exception>(e.InnerException(), [](const Exception& inner) { return inner.Message(); },
                              std::string());
}

// A server on a thread of its own that answers each connection's first
// request with the same bytes, written at once, then closes the connection.
class canned_server {
public:
    explicit canned_server(std::string response)
        : acceptor_(io_, {asio::ip::address_v4::loopback(), 0}), response_(std::move(response))
    {
        accept();
        thread_ = std::thread([this] { io_.run(); });
    }

    ~canned_server()
    {
        asio::post(io_, [this] { acceptor_.close(); });
        thread_.join();
    }

    std::string url() const { return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + "/"; }

private:
    void accept()
    {
        acceptor_.async_accept([this](boost::system::error_code ec, asio::ip::tcp::socket socket) {
            if (ec)
                return;
            auto peer = std::make_shared<asio::ip::tcp::socket>(std::move(socket));
            auto request = std::make_shared<std::string>();
            asio::async_read_until(*peer, asio::dynamic_buffer(*request), "\r\n\r\n",
                                   [this, peer, request](boost::system::error_code rec, std::size_t) {
                                       if (rec)
                                           return;
                                       asio::async_write(*peer, asio::buffer(response_),
                                                         [peer](boost::system::error_code, std::size_t) {
                                                             boost::system::error_code ignored;
                                                             peer->shutdown(asio::ip::tcp::socket::shutdown_both,
                                                                            ignored);
                                                         });
                                   });
            accept();
        });
    }

    asio::io_context io_;
    asio::ip::tcp::acceptor acceptor_;
    const std::string response_;
    std::thread thread_;
};

} // namespace

BOOST_AUTO_TEST_SUITE(http_client)

BOOST_AUTO_TEST_CASE(a_body_that_arrives_with_its_header_broken_or_cut_short_fails_the_request)
{
    // The whole response comes in one segment, so the body is parsed from
    // the bytes read with the header.
    HttpClient client;
    {
        canned_server server("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
        auto e = failure_of<HttpRequestException>(client.GetStringAsync(server.url(), asio::use_future));
        BOOST_TEST(e.Message() == "An error occurred while sending the request.");
        BOOST_REQUIRE(inner_is<IOException>(e));
        BOOST_TEST(inner_message(e) == "The response ended prematurely.");
    }
    {
        canned_server server("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
        auto e = failure_of<HttpRequestException>(client.GetStringAsync(server.url(), asio::use_future));
        BOOST_TEST(e.Message() == "The server returned an invalid or unrecognized response.");
        BOOST_TEST(inner_is<IOException>(e));
    }
    {
        canned_server server("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
        BOOST_TEST(get_within(client.GetStringAsync(server.url(), asio::use_future)) == "hello");
    }
}

BOOST_AUTO_TEST_CASE(GetStringAsync_gives_the_body_through_every_token)
{
    local_http_server server;
    HttpClient client;
    const auto url = server.base_url() + "text";
    BOOST_TEST(get_within(client.GetStringAsync(url, asio::use_future)) == "Hello, World!");

    auto task = client.GetStringAsync(url, use_task);
    BOOST_TEST(task.Result() == "Hello, World!");

    asio::io_context io;
    std::string awaited;
    asio::co_spawn(io, [&]() -> asio::awaitable<void> {
        awaited = co_await client.GetStringAsync(url, asio::use_awaitable);
    }, asio::detached);
    io.run();
    BOOST_TEST(awaited == "Hello, World!");
}

BOOST_AUTO_TEST_CASE(GetAsync_gives_status_headers_and_content_headers)
{
    local_http_server server;
    HttpClient client;
    auto r = get_within(client.GetAsync(server.base_url() + "text", asio::use_future));
    BOOST_TEST((r.StatusCode() == HttpStatusCode::OK));
    BOOST_TEST(r.ReasonPhrase() == "OK");
    BOOST_TEST(r.IsSuccessStatusCode());
    BOOST_TEST(r.Content().Headers().ContentType() == "text/plain; charset=utf-8");
    BOOST_TEST(*r.Content().Headers().ContentLength() == 13);
    BOOST_TEST(!r.Headers().Contains("Content-Type"));
    BOOST_TEST(r.RequestUri()->AbsoluteUri() == server.base_url() + "text");
    BOOST_TEST(get_within(r.Content().ReadAsStringAsync(asio::use_future)) == "Hello, World!");
}

BOOST_AUTO_TEST_CASE(bodies_read_whole_whether_length_delimited_chunked_or_ended_by_close)
{
    local_http_server server;
    HttpClient client;
    for (const char* framing : {"bytes", "chunked", "until-close"}) {
        for (int size : {0, 1, 999, 1000, 1001, 70000, 300000}) {
            BOOST_TEST_CONTEXT(framing << " " << size)
            {
                const auto body = get_within(client.GetStringAsync(
                    server.base_url() + framing + "/" + std::to_string(size), asio::use_future));
                BOOST_TEST(body.size() == std::size_t(size));
                BOOST_TEST((body == pattern_bytes(std::size_t(size))));
            }
        }
    }
    const auto bytes = get_within(client.GetByteArrayAsync(server.base_url() + "chunked/5", asio::use_future));
    BOOST_TEST((bytes == std::vector<std::uint8_t>{'a', 'b', 'c', 'd', 'e'}));
    auto stream = get_within(client.GetStreamAsync(server.base_url() + "bytes/3000", asio::use_future));
    BOOST_TEST(stream->Length() == 3000);
}

BOOST_AUTO_TEST_CASE(a_HEAD_response_has_headers_and_no_body)
{
    local_http_server server;
    HttpClient client;
    HttpRequestMessage head(HttpMethod::Head(), server.base_url() + "text");
    auto r = get_within(client.SendAsync(head, asio::use_future));
    BOOST_TEST(*r.Content().Headers().ContentLength() == 13);
    BOOST_TEST(get_within(r.Content().ReadAsStringAsync(asio::use_future)).empty());
    // The connection is still usable after a body-less response.
    BOOST_TEST(get_within(client.GetStringAsync(server.base_url() + "text", asio::use_future)) == "Hello, World!");
    BOOST_TEST(server.connections() == 1);
}

BOOST_AUTO_TEST_CASE(a_status_is_a_response_for_GetAsync_and_an_HttpRequestException_for_GetStringAsync)
{
    local_http_server server;
    HttpClient client;
    auto r = get_within(client.GetAsync(server.base_url() + "status/404", asio::use_future));
    BOOST_TEST((r.StatusCode() == HttpStatusCode::NotFound));
    BOOST_TEST(r.ReasonPhrase() == "Not Found");
    BOOST_TEST(get_within(r.Content().ReadAsStringAsync(asio::use_future)) == "status 404");
    BOOST_CHECK_THROW(r.EnsureSuccessStatusCode(), HttpRequestException);

    auto e = failure_of<HttpRequestException>(client.GetStringAsync(server.base_url() + "status/500", asio::use_future));
    BOOST_TEST((e.StatusCode() == HttpStatusCode::InternalServerError));
    BOOST_TEST(e.Message() == "Response status code does not indicate success: 500 (Internal Server Error).");
    auto b = failure_of<HttpRequestException>(client.GetByteArrayAsync(server.base_url() + "status/403", asio::use_future));
    BOOST_TEST((b.StatusCode() == HttpStatusCode::Forbidden));
}

BOOST_AUTO_TEST_CASE(redirects_are_followed_and_RequestUri_is_the_last_address)
{
    local_http_server server;
    HttpClient client;
    auto r = get_within(client.GetAsync(server.base_url() + "redirect/3", asio::use_future));
    BOOST_TEST((r.StatusCode() == HttpStatusCode::OK));
    BOOST_TEST(get_within(r.Content().ReadAsStringAsync(asio::use_future)) == "Hello, World!");
    BOOST_TEST(r.RequestUri()->AbsoluteUri() == server.base_url() + "text");
    // Five requests: /redirect/3, 2, 1 and 0, then the page.
    BOOST_TEST(server.requests() == 5);

    // More than 50 redirects: the 51st 3xx is the response, as .NET gives it.
    auto many = get_within(client.GetAsync(server.base_url() + "redirect/60", asio::use_future));
    BOOST_TEST((many.StatusCode() == HttpStatusCode::Found));
    BOOST_TEST(many.RequestUri()->AbsoluteUri() == server.base_url() + "redirect/10");
}

BOOST_AUTO_TEST_CASE(a_303_or_a_302_after_POST_continues_as_GET_and_a_307_keeps_the_method_and_body)
{
    local_http_server server;
    HttpClient client;
    const auto to_echo = [&](int code) { return server.base_url() + "redirect-to?code=" + std::to_string(code) + "&url=/echo"; };
    for (int code : {302, 303}) {
        auto r = get_within(client.PostAsync(to_echo(code), std::make_shared<StringContent>("payload"), asio::use_future));
        BOOST_TEST(r.Headers().GetValues("X-Method").front() == "GET");
        BOOST_TEST(get_within(r.Content().ReadAsStringAsync(asio::use_future)).empty());
        BOOST_TEST(!r.Headers().Contains("X-Req-Content-Type"));
    }
    for (int code : {307, 308}) {
        auto r = get_within(client.PostAsync(to_echo(code), std::make_shared<StringContent>("payload"), asio::use_future));
        BOOST_TEST(r.Headers().GetValues("X-Method").front() == "POST");
        BOOST_TEST(get_within(r.Content().ReadAsStringAsync(asio::use_future)) == "payload");
    }
    // A Location that leaves http(s) is not followed.
    auto r = get_within(client.GetAsync(server.base_url() + "redirect-to?code=301&url=ftp://h/x", asio::use_future));
    BOOST_TEST((r.StatusCode() == HttpStatusCode::MovedPermanently));
}

BOOST_AUTO_TEST_CASE(Post_Put_Delete_and_Send_carry_method_body_and_headers)
{
    local_http_server server;
    HttpClient client;
    client.BaseAddress(Uri(server.base_url()));
    client.DefaultRequestHeaders().Add("Accept", "application/json");
    client.DefaultRequestHeaders().Add("X-Default", "d");

    auto post = get_within(client.PostAsync("echo", std::make_shared<StringContent>(R"({"a":1})", "application/json"),
                                            asio::use_future));
    BOOST_TEST(post.Headers().GetValues("X-Method").front() == "POST");
    BOOST_TEST(post.Headers().GetValues("X-Req-Content-Type").front() == "application/json; charset=utf-8");
    BOOST_TEST(post.Headers().GetValues("X-Req-Content-Length").front() == "7");
    BOOST_TEST(post.Headers().GetValues("X-Req-Accept").front() == "application/json");
    BOOST_TEST(get_within(post.Content().ReadAsStringAsync(asio::use_future)) == R"({"a":1})");

    auto put = get_within(client.PutAsync("/echo", std::make_shared<StringContent>("p"), asio::use_future));
    BOOST_TEST(put.Headers().GetValues("X-Method").front() == "PUT");
    auto del = get_within(client.DeleteAsync("echo", asio::use_future));
    BOOST_TEST(del.Headers().GetValues("X-Method").front() == "DELETE");

    HttpRequestMessage request(HttpMethod("PATCH"), "echo");
    request.Headers().Add("X-Default", "mine");
    request.Content(std::make_shared<StringContent>("patched"));
    auto patch = get_within(client.SendAsync(request, asio::use_future));
    BOOST_TEST(patch.Headers().GetValues("X-Method").front() == "PATCH");
    BOOST_TEST((patch.Headers().GetValues("X-Req-X-Default") == std::vector<std::string>{"mine"}));
    BOOST_TEST(get_within(patch.Content().ReadAsStringAsync(asio::use_future)) == "patched");
    BOOST_CHECK_THROW(client.SendAsync(request, asio::use_future), InvalidOperationException);
}

BOOST_AUTO_TEST_CASE(connections_are_kept_alive_and_a_closed_one_is_replaced)
{
    local_http_server server;
    HttpClient client;
    for (int i = 0; i < 5; ++i)
        BOOST_TEST(get_within(client.GetStringAsync(server.base_url() + "text", asio::use_future)) == "Hello, World!");
    BOOST_TEST(server.connections() == 1);
    // The server closes after /close; the next request makes a new connection.
    BOOST_TEST(get_within(client.GetStringAsync(server.base_url() + "close", asio::use_future)) == "bye");
    BOOST_TEST(get_within(client.GetStringAsync(server.base_url() + "text", asio::use_future)) == "Hello, World!");
    BOOST_TEST(server.connections() == 2);
}

BOOST_AUTO_TEST_CASE(a_kept_connection_the_server_dropped_is_retried_once_on_a_new_one)
{
    auto server = std::make_unique<local_http_server>();
    HttpClient client;
    BOOST_TEST(get_within(client.GetStringAsync(server->base_url() + "text", asio::use_future)) == "Hello, World!");
    // /drop closes the connection with no answer: a fresh connection that
    // fails this way is an error, not retried.
    auto e = failure_of<HttpRequestException>(client.GetStringAsync(server->base_url() + "drop", asio::use_future));
    BOOST_TEST(inner_is<IOException>(e));
    BOOST_TEST(std::string(e.what()) == "An error occurred while sending the request.");
}

BOOST_AUTO_TEST_CASE(many_requests_in_flight_from_many_threads_each_get_their_own_body)
{
    local_http_server server;
    HttpClient client;
    std::vector<std::thread> threads;
    std::atomic<int> right{0};
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            std::vector<std::future<std::string>> futures;
            for (int i = 0; i < 16; ++i)
                futures.push_back(client.GetStringAsync(
                    server.base_url() + "bytes/" + std::to_string(100 * t + i), asio::use_future));
            for (int i = 0; i < 16; ++i) {
                if (futures[std::size_t(i)].wait_for(generous) != std::future_status::ready)
                    continue;
                if (futures[std::size_t(i)].get() == pattern_bytes(std::size_t(100 * t + i)))
                    right.fetch_add(1);
            }
        });
    }
    for (auto& t : threads)
        t.join();
    BOOST_TEST(right.load() == 64);
    BOOST_TEST(server.requests() == 64);
}

BOOST_AUTO_TEST_CASE(a_refused_connection_is_an_HttpRequestException_around_a_SocketException)
{
    HttpClient client;
    const int port = closed_port();
    auto e = failure_of<HttpRequestException>(
        client.GetAsync("http://127.0.0.1:" + std::to_string(port) + "/", asio::use_future));
    BOOST_TEST(!e.StatusCode());
    BOOST_REQUIRE(inner_is<SocketException>(e));
    try {
        std::rethrow_exception(e.InnerException());
    } catch (const SocketException& s) {
        BOOST_TEST((s.SocketErrorCode() == SocketError::ConnectionRefused));
    }
    BOOST_TEST(std::string(e.what()).ends_with("(127.0.0.1:" + std::to_string(port) + ")"));
}

BOOST_AUTO_TEST_CASE(an_unknown_host_is_an_HttpRequestException_around_HostNotFound)
{
    HttpClient client;
    auto e = failure_of<HttpRequestException>(client.GetAsync("http://no-such-host.invalid/", asio::use_future));
    BOOST_REQUIRE(inner_is<SocketException>(e));
    try {
        std::rethrow_exception(e.InnerException());
    } catch (const SocketException& s) {
        BOOST_TEST((s.SocketErrorCode() == SocketError::HostNotFound || s.SocketErrorCode() == SocketError::TryAgain));
    }
}

BOOST_AUTO_TEST_CASE(Timeout_fails_with_TaskCanceledException_around_TimeoutException_and_closes_the_connection)
{
    local_http_server server;
    HttpClient client;
    client.Timeout(std::chrono::milliseconds(200));
    auto e = failure_of<TaskCanceledException>(client.GetAsync(server.base_url() + "hang", asio::use_future));
    BOOST_TEST(inner_is<TimeoutException>(e));
    BOOST_TEST(std::string(e.what()) ==
               "The request was canceled due to the configured HttpClient.Timeout of 0.2 seconds elapsing.");
    // The time-out also covers a body that stalls.
    failure_of<TaskCanceledException>(client.GetAsync(server.base_url() + "slow/100?ms=60000", asio::use_future));
    // The client is still usable.
    BOOST_TEST(get_within(client.GetStringAsync(server.base_url() + "text", asio::use_future)) == "Hello, World!");
}

BOOST_AUTO_TEST_CASE(a_CancellationToken_cancels_before_the_start_while_waiting_and_while_reading_the_body)
{
    local_http_server server;
    HttpClient client;
    CancellationTokenSource canceled;
    canceled.Cancel();
    auto before = failure_of<TaskCanceledException>(client.GetAsync(server.base_url() + "text", canceled.Token(), asio::use_future));
    BOOST_TEST(!inner_is<TimeoutException>(before));
    BOOST_TEST(server.requests() == 0);

    CancellationTokenSource waiting;
    auto pending = client.GetAsync(server.base_url() + "hang", waiting.Token(), asio::use_future);
    waiting.CancelAfter(std::chrono::milliseconds(50));
    failure_of<TaskCanceledException>(std::move(pending));

    // Headers first, then the body read is canceled half-way.
    auto r = get_within(client.GetAsync(server.base_url() + "slow/1000?ms=60000",
                                        HttpCompletionOption::ResponseHeadersRead, asio::use_future));
    BOOST_TEST(*r.Content().Headers().ContentLength() == 1000);
    CancellationTokenSource reading;
    auto body = r.Content().ReadAsStringAsync(reading.Token(), asio::use_future);
    reading.CancelAfter(std::chrono::milliseconds(50));
    failure_of<TaskCanceledException>(std::move(body));
}

BOOST_AUTO_TEST_CASE(a_CancellationToken_cancels_while_the_request_body_is_being_sent)
{
    local_http_server server;
    HttpClient client;
    // 64 MiB to a server that reads none of it: the write stalls once the
    // connection's buffers are full, and the cancellation ends it there.
    auto body = std::make_shared<StringContent>(std::string(64 * 1024 * 1024, 'x'));
    CancellationTokenSource cts;
    auto sending = client.PostAsync(server.base_url() + "sink", body, cts.Token(), asio::use_future);
    for (int i = 0; i < 1000 && server.requests() < 1; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    BOOST_TEST(server.requests() == 1);
    cts.Cancel();
    failure_of<TaskCanceledException>(std::move(sending));
}

BOOST_AUTO_TEST_CASE(ResponseHeadersRead_completes_before_the_body_which_is_read_later_and_kept)
{
    local_http_server server;
    HttpClient client;
    auto r = get_within(client.GetAsync(server.base_url() + "slow/2000?ms=200",
                                        HttpCompletionOption::ResponseHeadersRead, asio::use_future));
    auto first = r.Content().ReadAsStringAsync(asio::use_future);
    auto second = r.Content().ReadAsByteArrayAsync(asio::use_future);
    BOOST_TEST((get_within(first) == pattern_bytes(2000)));
    BOOST_TEST(get_within(second).size() == 2000u);
    BOOST_TEST((get_within(r.Content().ReadAsStringAsync(asio::use_future)) == pattern_bytes(2000)));
    // The connection went back to the pool once the body was read.
    BOOST_TEST(get_within(client.GetStringAsync(server.base_url() + "text", asio::use_future)) == "Hello, World!");
    BOOST_TEST(server.connections() == 1);
}

BOOST_AUTO_TEST_CASE(CancelPendingRequests_cancels_those_in_flight_only)
{
    local_http_server server;
    HttpClient client;
    auto a = client.GetAsync(server.base_url() + "hang", asio::use_future);
    auto b = client.GetAsync(server.base_url() + "hang", asio::use_future);
    // Both requests reached the server before they are canceled.
    for (int i = 0; i < 1000 && server.requests() < 2; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    client.CancelPendingRequests();
    failure_of<TaskCanceledException>(std::move(a));
    failure_of<TaskCanceledException>(std::move(b));
    BOOST_TEST(get_within(client.GetStringAsync(server.base_url() + "text", asio::use_future)) == "Hello, World!");
}

BOOST_AUTO_TEST_CASE(Dispose_cancels_requests_in_flight_and_refuses_new_ones)
{
    local_http_server server;
    HttpClient client;
    auto pending = client.GetAsync(server.base_url() + "hang", asio::use_future);
    client.Dispose();
    failure_of<TaskCanceledException>(std::move(pending));
    BOOST_CHECK_THROW(client.GetAsync(server.base_url() + "text", asio::use_future), ObjectDisposedException);
    client.Dispose();
}

BOOST_AUTO_TEST_CASE(the_handlers_cancellation_slot_cancels_the_request)
{
    local_http_server server;
    HttpClient client;
    asio::io_context io;
    std::exception_ptr seen;
    asio::cancellation_signal signal;
    client.GetAsync(server.base_url() + "hang",
                    asio::bind_cancellation_slot(signal.slot(), asio::bind_executor(io, [&](std::exception_ptr e, HttpResponseMessage) { seen = e; })));
    asio::steady_timer later(io, std::chrono::milliseconds(50));
    later.async_wait([&](boost::system::error_code) { signal.emit(asio::cancellation_type::terminal); });
    io.run_for(generous);
    BOOST_TEST(holds<TaskCanceledException>(seen));
}

BOOST_AUTO_TEST_CASE(a_body_over_MaxResponseContentBufferSize_is_an_HttpRequestException)
{
    local_http_server server;
    HttpClient client;
    client.MaxResponseContentBufferSize(1000);
    BOOST_TEST(get_within(client.GetStringAsync(server.base_url() + "bytes/1000", asio::use_future)).size() == 1000u);
    for (const char* framing : {"bytes", "chunked"}) {
        auto e = failure_of<HttpRequestException>(
            client.GetStringAsync(server.base_url() + framing + "/1001", asio::use_future));
        BOOST_TEST(e.Message() == "Cannot write more bytes to the buffer than the configured maximum buffer size: 1000.");
    }
}

BOOST_AUTO_TEST_CASE(settings_are_checked_and_fixed_once_a_request_started)
{
    local_http_server server;
    HttpClient client;
    BOOST_TEST(client.Timeout() == std::chrono::milliseconds(100'000));
    BOOST_CHECK_THROW(client.Timeout(std::chrono::milliseconds(0)), ArgumentOutOfRangeException);
    client.Timeout(HttpClient::InfiniteTimeSpan);
    BOOST_CHECK_THROW(client.MaxResponseContentBufferSize(0), ArgumentOutOfRangeException);
    BOOST_CHECK_THROW(client.BaseAddress(Uri("x", UriKind::Relative)), ArgumentException);
    // A relative address without a BaseAddress, a bad scheme, and text that
    // is no URI are refused by the call itself.
    BOOST_CHECK_THROW(client.GetAsync("items/1", asio::use_future), InvalidOperationException);
    BOOST_CHECK_THROW(client.GetAsync("ftp://h/x", asio::use_future), ArgumentException);
    BOOST_CHECK_THROW(client.GetAsync("http://", asio::use_future), UriFormatException);

    get_within(client.GetStringAsync(server.base_url() + "text", asio::use_future));
    BOOST_CHECK_THROW(client.Timeout(std::chrono::milliseconds(5)), InvalidOperationException);
    BOOST_CHECK_THROW(client.BaseAddress(Uri(server.base_url())), InvalidOperationException);
    BOOST_CHECK_THROW(client.MaxResponseContentBufferSize(5), InvalidOperationException);
}

BOOST_AUTO_TEST_SUITE_END()
