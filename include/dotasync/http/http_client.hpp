// HttpClient: HTTP requests in the TAP shape, as .NET's, over Boost.Beast.
//
//   HttpClient client;
//   client.BaseAddress(Uri("http://localhost:8080/"));
//   std::string page = co_await client.GetStringAsync("/index.html", asio::use_awaitable);
//   HttpResponseMessage r = co_await client.GetAsync("/items", cts.Token(), asio::use_awaitable);
//
// Completion signatures:
//   GetAsync, PostAsync, PutAsync,
//   DeleteAsync, SendAsync     void(std::exception_ptr, HttpResponseMessage)
//   GetStringAsync             void(std::exception_ptr, std::string)
//   GetByteArrayAsync          void(std::exception_ptr, std::vector<std::uint8_t>)
//   GetStreamAsync             void(std::exception_ptr, std::shared_ptr<Stream>)
// Every member takes any Asio completion token (use_awaitable, use_future,
// use_task, apm, eap) and, before it, an optional CancellationToken.
//
// As .NET's HttpClient:
//   - A response is a response whatever its status: GetAsync completes with
//     a 404 as with a 200; EnsureSuccessStatusCode turns it into an
//     HttpRequestException. GetStringAsync, GetByteArrayAsync and
//     GetStreamAsync do that themselves.
//   - A request that cannot be made (refused connection, unknown host, a
//     reset, a malformed response) fails with HttpRequestException; its
//     InnerException is the SocketException, or the IOException of the
//     transport. A response body above MaxResponseContentBufferSize (2 GiB
//     by default) fails with HttpRequestException.
//   - Cancellation (the CancellationToken, CancelPendingRequests, Dispose,
//     or the handler's Asio cancellation slot) and Timeout (100 s by
//     default; InfiniteTimeSpan for none) fail with TaskCanceledException;
//     for Timeout its InnerException is a TimeoutException. The connection
//     of a canceled request is closed.
//   - Redirects (301, 302, 303, 307, 308) are followed, up to 50, as
//     HttpClientHandler's AllowAutoRedirect does: 303, and 301/302 after a
//     POST, continue as GET without the body; an https address never
//     redirects to http. The response's RequestUri() is the last address.
//   - A relative address needs a BaseAddress (InvalidOperationException
//     otherwise, thrown by the call); the settings (BaseAddress, Timeout,
//     MaxResponseContentBufferSize) change only before the first request
//     (InvalidOperationException after).
//   - Connections are kept alive and reused per scheme, host and port; a
//     request that finds a kept connection closed by the server is retried
//     once on a new connection, before any response byte was read. Bodies
//     may be length-delimited, chunked or end with the connection.
//   - Many requests may be in flight at once, from any threads.
// Bodies are kept in memory: a request's content is read in full before it
// is sent, and GetStreamAsync's stream is a MemoryStream over the body.
//
// Completions run on the handler's associated executor, or on the default
// runtime (ThreadPool) when it has none; the exchanges themselves run on
// strands of the client's executor.
//
// Thread-safety: every request member and CancelPendingRequests may be
// called from any thread; the settings are not synchronized.
#ifndef DOTASYNC_HTTP_HTTP_CLIENT_HPP
#define DOTASYNC_HTTP_HTTP_CLIENT_HPP

#include <dotasync/core/cancellation.hpp>
#include <dotasync/core/export.hpp>
#include <dotasync/http/detail/handler_transform.hpp>
#include <dotasync/http/detail/http_send.hpp>
#include <dotasync/http/http_content.hpp>
#include <dotasync/http/http_headers.hpp>
#include <dotasync/http/http_request_message.hpp>
#include <dotasync/http/http_response_message.hpp>
#include <dotasync/http/http_status_code.hpp>
#include <dotasync/http/uri.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dotasync {

class DOTASYNC_API HttpClient {
public:
    using executor_type = boost::asio::any_io_executor;
    using uri_type = detail::http_uri_arg;
    using response_signature = void(std::exception_ptr, HttpResponseMessage);

    static constexpr std::chrono::milliseconds InfiniteTimeSpan{-1};

    // A client on the default runtime (ThreadPool::Executor()).
    HttpClient();
    explicit HttpClient(executor_type executor);
    // Dispose(): cancels the requests in flight.
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    executor_type get_executor() const noexcept;

    const std::optional<Uri>& BaseAddress() const noexcept { return base_address_; }
    // A relative address -> ArgumentException.
    void BaseAddress(Uri value);
    std::chrono::milliseconds Timeout() const noexcept { return timeout_; }
    // Zero or negative other than InfiniteTimeSpan -> ArgumentOutOfRangeException.
    void Timeout(std::chrono::milliseconds value);
    std::int64_t MaxResponseContentBufferSize() const noexcept { return max_buffer_; }
    // Zero or negative -> ArgumentOutOfRangeException.
    void MaxResponseContentBufferSize(std::int64_t value);
    HttpRequestHeaders& DefaultRequestHeaders() noexcept { return default_headers_; }

    template <class Token>
    auto GetAsync(const uri_type& requestUri, Token&& token)
    {
        return GetAsync(requestUri, HttpCompletionOption::ResponseContentRead, CancellationToken::None(),
                        std::forward<Token>(token));
    }
    template <class Token>
    auto GetAsync(const uri_type& requestUri, HttpCompletionOption completionOption, Token&& token)
    {
        return GetAsync(requestUri, completionOption, CancellationToken::None(), std::forward<Token>(token));
    }
    template <class Token>
    auto GetAsync(const uri_type& requestUri, CancellationToken cancellationToken, Token&& token)
    {
        return GetAsync(requestUri, HttpCompletionOption::ResponseContentRead, std::move(cancellationToken),
                        std::forward<Token>(token));
    }
    template <class Token>
    auto GetAsync(const uri_type& requestUri, HttpCompletionOption completionOption,
                  CancellationToken cancellationToken, Token&& token)
    {
        return send(prepare(HttpMethod::Get(), requestUri, nullptr), completionOption, std::move(cancellationToken),
                    std::forward<Token>(token));
    }

    template <class Token>
    auto GetStringAsync(const uri_type& requestUri, Token&& token)
    {
        return GetStringAsync(requestUri, CancellationToken::None(), std::forward<Token>(token));
    }
    template <class Token>
    auto GetStringAsync(const uri_type& requestUri, CancellationToken cancellationToken, Token&& token)
    {
        return get_as<std::string>(requestUri, std::move(cancellationToken), string_of, std::forward<Token>(token));
    }

    template <class Token>
    auto GetByteArrayAsync(const uri_type& requestUri, Token&& token)
    {
        return GetByteArrayAsync(requestUri, CancellationToken::None(), std::forward<Token>(token));
    }
    template <class Token>
    auto GetByteArrayAsync(const uri_type& requestUri, CancellationToken cancellationToken, Token&& token)
    {
        return get_as<std::vector<std::uint8_t>>(requestUri, std::move(cancellationToken), bytes_of, std::forward<Token>(token));
    }

    template <class Token>
    auto GetStreamAsync(const uri_type& requestUri, Token&& token)
    {
        return GetStreamAsync(requestUri, CancellationToken::None(), std::forward<Token>(token));
    }
    template <class Token>
    auto GetStreamAsync(const uri_type& requestUri, CancellationToken cancellationToken, Token&& token)
    {
        return get_as<std::shared_ptr<Stream>>(requestUri, std::move(cancellationToken), stream_of, std::forward<Token>(token));
    }

    template <class Token>
    auto PostAsync(const uri_type& requestUri, std::shared_ptr<HttpContent> content, Token&& token)
    {
        return PostAsync(requestUri, std::move(content), CancellationToken::None(), std::forward<Token>(token));
    }
    template <class Token>
    auto PostAsync(const uri_type& requestUri, std::shared_ptr<HttpContent> content,
                   CancellationToken cancellationToken, Token&& token)
    {
        return send(prepare(HttpMethod::Post(), requestUri, std::move(content)),
                    HttpCompletionOption::ResponseContentRead, std::move(cancellationToken),
                    std::forward<Token>(token));
    }

    template <class Token>
    auto PutAsync(const uri_type& requestUri, std::shared_ptr<HttpContent> content, Token&& token)
    {
        return PutAsync(requestUri, std::move(content), CancellationToken::None(), std::forward<Token>(token));
    }
    template <class Token>
    auto PutAsync(const uri_type& requestUri, std::shared_ptr<HttpContent> content,
                  CancellationToken cancellationToken, Token&& token)
    {
        return send(prepare(HttpMethod::Put(), requestUri, std::move(content)),
                    HttpCompletionOption::ResponseContentRead, std::move(cancellationToken),
                    std::forward<Token>(token));
    }

    template <class Token>
    auto DeleteAsync(const uri_type& requestUri, Token&& token)
    {
        return DeleteAsync(requestUri, CancellationToken::None(), std::forward<Token>(token));
    }
    template <class Token>
    auto DeleteAsync(const uri_type& requestUri, CancellationToken cancellationToken, Token&& token)
    {
        return send(prepare(HttpMethod::Delete(), requestUri, nullptr), HttpCompletionOption::ResponseContentRead,
                    std::move(cancellationToken), std::forward<Token>(token));
    }

    template <class Token>
    auto SendAsync(HttpRequestMessage& request, Token&& token)
    {
        return SendAsync(request, HttpCompletionOption::ResponseContentRead, CancellationToken::None(),
                         std::forward<Token>(token));
    }
    template <class Token>
    auto SendAsync(HttpRequestMessage& request, HttpCompletionOption completionOption, Token&& token)
    {
        return SendAsync(request, completionOption, CancellationToken::None(), std::forward<Token>(token));
    }
    template <class Token>
    auto SendAsync(HttpRequestMessage& request, CancellationToken cancellationToken, Token&& token)
    {
        return SendAsync(request, HttpCompletionOption::ResponseContentRead, std::move(cancellationToken),
                         std::forward<Token>(token));
    }
    template <class Token>
    auto SendAsync(HttpRequestMessage& request, HttpCompletionOption completionOption,
                   CancellationToken cancellationToken, Token&& token)
    {
        return send(prepare(request), completionOption, std::move(cancellationToken), std::forward<Token>(token));
    }

    // Cancels every request in flight; later requests are not affected.
    void CancelPendingRequests();
    // Cancels every request in flight and closes the kept connections; any
    // later request -> ObjectDisposedException. Idempotent.
    void Dispose();

private:
    template <class Token>
    auto send(detail::http_request_data request, HttpCompletionOption option, CancellationToken cancellationToken,
              Token&& token)
    {
        return boost::asio::async_initiate<Token, response_signature>(
            [this](auto handler, detail::http_request_data r, HttpCompletionOption o, CancellationToken ct) {
                start_send(std::move(r), o, std::move(ct), std::move(handler));
            },
            token, std::move(request), option, std::move(cancellationToken));
    }

    // A GET whose body, once the status is checked, is turned into Value.
    template <class Value, class Token>
    auto get_as(const uri_type& requestUri, CancellationToken cancellationToken, Value (*transform)(HttpResponseMessage),
                Token&& token)
    {
        return boost::asio::async_initiate<Token, void(std::exception_ptr, Value)>(
            [this, transform](auto handler, detail::http_request_data request, CancellationToken ct) {
                start_send(std::move(request), HttpCompletionOption::ResponseContentRead, std::move(ct),
                           detail::transform_handler<HttpResponseMessage>(std::move(handler), transform));
            },
            token, prepare(HttpMethod::Get(), requestUri, nullptr), std::move(cancellationToken));
    }

    detail::http_request_data prepare(const HttpMethod& method, const uri_type& requestUri,
                                      std::shared_ptr<HttpContent> content);
    detail::http_request_data prepare(HttpRequestMessage& request);
    void start_send(detail::http_request_data request, HttpCompletionOption option,
                    CancellationToken cancellationToken,
                    boost::asio::any_completion_handler<response_signature> handler);

    void check_settable() const;
    static std::string string_of(HttpResponseMessage response);
    static std::vector<std::uint8_t> bytes_of(HttpResponseMessage response);
    static std::shared_ptr<Stream> stream_of(HttpResponseMessage response);

    std::shared_ptr<detail::http_client_core> core_;
    std::optional<Uri> base_address_;
    std::chrono::milliseconds timeout_{100'000};
    std::int64_t max_buffer_ = 2'147'483'647;
    HttpRequestHeaders default_headers_;
    std::atomic<bool> started_{false};
};

} // namespace dotasync

#endif
