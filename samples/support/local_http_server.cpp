#include "local_http_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <charconv>
#include <memory>
#include <chrono>
#include <string_view>

namespace sample {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

int number(std::string_view s, int fallback = 0)
{
    int value = fallback;
    std::from_chars(s.data(), s.data() + s.size(), value);
    return value;
}

// The value of name in a query string "a=1&b=2".
std::string query_value(std::string_view query, std::string_view name)
{
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto pair = query.substr(0, amp);
        const auto eq = pair.find('=');
        if (pair.substr(0, eq) == name && eq != std::string_view::npos)
            return std::string(pair.substr(eq + 1));
        if (amp == std::string_view::npos)
            break;
        query.remove_prefix(amp + 1);
    }
    return {};
}

asio::awaitable<void> sleep_for(int ms)
{
    asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::milliseconds(ms));
    co_await timer.async_wait(use_tuple);
}

std::string page_of(std::string_view name)
{
    std::size_t size = 1000;
    for (char c : name)
        size += std::size_t(static_cast<unsigned char>(c)) * 37;
    std::string html = "<html><head><title>" + std::string(name) + "</title></head><body>";
    while (html.size() + 14 < size)
        html += "<p>dotasync</p>";
    return html + "</body></html>";
}

// Answers one request; false when the connection is to be closed.
template <class Socket>
asio::awaitable<bool> answer(Socket& socket, const http::request<http::string_body>& request)
{
    const std::string_view full(request.target().data(), request.target().size());
    const auto q = full.find('?');
    const std::string_view path = full.substr(0, q);
    const std::string_view query = q == std::string_view::npos ? std::string_view() : full.substr(q + 1);
    const bool keep = request.keep_alive();

    http::response<http::string_body> response{http::status::ok, 11};
    response.keep_alive(keep);
    auto send = [&]() -> asio::awaitable<bool> {
        response.prepare_payload();
        auto [ec, n] = co_await http::async_write(socket, response, use_tuple);
        co_return !ec && keep;
    };
    auto send_raw = [&](std::string bytes) -> asio::awaitable<bool> {
        auto [ec, n] = co_await asio::async_write(socket, asio::buffer(bytes), use_tuple);
        co_return !ec;
    };

    if (path == "/text") {
        if (request.method() == http::verb::head) {
            const bool ok = co_await send_raw(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 13\r\n\r\n");
            co_return ok && keep;
        }
        response.set(http::field::content_type, "text/plain; charset=utf-8");
        response.body() = "Hello, World!";
        co_return co_await send();
    }
    if (path.starts_with("/bytes/")) {
        response.set(http::field::content_type, "application/octet-stream");
        response.body() = pattern_bytes(std::size_t(number(path.substr(7))));
        co_return co_await send();
    }
    if (path.starts_with("/chunked/")) {
        const auto body = pattern_bytes(std::size_t(number(path.substr(9))));
        std::string out = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
        for (std::size_t i = 0; i < body.size(); i += 1000) {
            const auto piece = body.substr(i, 1000);
            char size[16];
            const auto end = std::to_chars(size, size + sizeof size, piece.size(), 16).ptr;
            out += std::string(size, end) + "\r\n" + piece + "\r\n";
        }
        out += "0\r\n\r\n";
        const bool ok = co_await send_raw(std::move(out));
        co_return ok && keep;
    }
    if (path.starts_with("/until-close/")) {
        co_await send_raw("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n" +
                          pattern_bytes(std::size_t(number(path.substr(13)))));
        co_return false;
    }
    if (path.starts_with("/slow/")) {
        const auto body = pattern_bytes(std::size_t(number(path.substr(6))));
        const int ms = number(query_value(query, "ms"), 100);
        const auto half = body.size() / 2;
        if (!co_await send_raw("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " +
                               std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, half)))
            co_return false;
        co_await sleep_for(ms);
        const bool ok = co_await send_raw(body.substr(half));
        co_return ok && keep;
    }
    if (path.starts_with("/delay/")) {
        co_await sleep_for(number(path.substr(7)));
        response.body() = "done";
        co_return co_await send();
    }
    if (path.starts_with("/page/")) {
        response.set(http::field::content_type, "text/html; charset=utf-8");
        response.body() = page_of(path.substr(6));
        co_return co_await send();
    }
    if (path.starts_with("/status/")) {
        const int code = number(path.substr(8), 500);
        response.result(static_cast<unsigned>(code));
        response.body() = "status " + std::to_string(code);
        co_return co_await send();
    }
    if (path.starts_with("/redirect/")) {
        const int n = number(path.substr(10));
        response.result(http::status::found);
        response.set(http::field::location, n > 0 ? "/redirect/" + std::to_string(n - 1) : std::string("/text"));
        co_return co_await send();
    }
    if (path == "/redirect-to") {
        response.result(static_cast<unsigned>(number(query_value(query, "code"), 302)));
        response.set(http::field::location, query_value(query, "url"));
        co_return co_await send();
    }
    if (path == "/echo") {
        response.set("X-Method", std::string(request.method_string()));
        for (const auto& field : request)
            response.insert("X-Req-" + std::string(field.name_string()), field.value());
        response.body() = request.body();
        co_return co_await send();
    }
    if (path == "/close") {
        response.keep_alive(false);
        response.body() = "bye";
        response.prepare_payload();
        co_await http::async_write(socket, response, use_tuple);
        co_return false;
    }
    if (path == "/drop")
        co_return false;
    if (path == "/hang") {
        asio::steady_timer forever(co_await asio::this_coro::executor, asio::steady_timer::time_point::max());
        co_await forever.async_wait(use_tuple);
        co_return false;
    }
    response.result(http::status::not_found);
    response.body() = "not found";
    co_return co_await send();
}

template <class Socket>
asio::awaitable<void> serve(Socket& socket, std::atomic<int>& requests)
{
    beast::flat_buffer buffer;
    for (;;) {
        // The head first: /sink never reads a body, so that a client's
        // upload stalls once the connection's buffers are full.
        http::request_parser<http::string_body> parser;
        parser.body_limit(boost::none);
        auto [hec, hn] = co_await http::async_read_header(socket, buffer, parser, use_tuple);
        if (hec)
            break;
        requests.fetch_add(1);
        if (parser.get().target() == "/sink") {
            asio::steady_timer forever(co_await asio::this_coro::executor, asio::steady_timer::time_point::max());
            co_await forever.async_wait(use_tuple);
            break;
        }
        auto [ec, n] = co_await http::async_read(socket, buffer, parser, use_tuple);
        if (ec)
            break;
        if (!co_await answer(socket, parser.get()))
            break;
    }
}

asio::awaitable<void> session(tcp::socket socket, std::shared_ptr<asio::ssl::context> tls, std::atomic<int>& requests)
{
    boost::system::error_code ignored;
    if (tls) {
        asio::ssl::stream<tcp::socket> secure(std::move(socket), *tls);
        auto [ec] = co_await secure.async_handshake(asio::ssl::stream_base::server, use_tuple);
        if (!ec) {
            co_await serve(secure, requests);
            co_await secure.async_shutdown(use_tuple);
        }
        secure.lowest_layer().close(ignored);
        co_return;
    }
    co_await serve(socket, requests);
    socket.shutdown(tcp::socket::shutdown_send, ignored);
    socket.close(ignored);
}

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, std::shared_ptr<asio::ssl::context> tls,
                                  std::atomic<int>& connections, std::atomic<int>& requests)
{
    for (;;) {
        auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
        if (ec == asio::error::operation_aborted || !acceptor.is_open())
            co_return;
        if (ec)
            continue;
        connections.fetch_add(1);
        socket.set_option(tcp::no_delay(true), ec);
        asio::co_spawn(acceptor.get_executor(), session(std::move(socket), tls, requests), asio::detached);
    }
}

} // namespace

std::string pattern_bytes(std::size_t n)
{
    std::string s(n, '\0');
    for (std::size_t i = 0; i < n; ++i)
        s[i] = char('a' + i % 26);
    return s;
}

local_http_server::local_http_server(std::optional<pem_identity> tls)
    : acceptor_(io_, tcp::endpoint(asio::ip::address_v4::loopback(), 0)), tls_(tls.has_value())
{
    port_ = acceptor_.local_endpoint().port();
    std::shared_ptr<asio::ssl::context> context;
    if (tls) {
        context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
        context->use_certificate_chain(asio::buffer(tls->certificate));
        context->use_private_key(asio::buffer(tls->key), asio::ssl::context::pem);
    }
    asio::co_spawn(io_, accept_loop(acceptor_, std::move(context), connections_, requests_), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
}

local_http_server::~local_http_server()
{
    io_.stop();
    thread_.join();
}

std::string local_http_server::base_url() const
{
    return (tls_ ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port_) + "/";
}

} // namespace sample
