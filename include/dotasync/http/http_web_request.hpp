// HttpWebRequest: one HTTP request in the APM shape, as .NET's; made by
// WebRequest::Create.
//
//   auto request = WebRequest::Create("http://localhost:8080/items");
//   request->BeginGetResponse([request](const IAsyncResultPtr& ar) {
//       auto response = request->EndGetResponse(ar);
//       ...
//   }, state);
//
// Completion signatures:
//   GetResponseAsync        void(std::exception_ptr, std::shared_ptr<HttpWebResponse>)
//   BeginGetResponse        the apm token over GetResponseAsync
//
// As .NET's:
//   - A request is sent once: BeginGetResponse again while the first is in
//     flight -> InvalidOperationException; after the response, the same
//     response is given again.
//   - A body is written to GetRequestStream()/EndGetRequestStream() before
//     the response is asked for; a GET or HEAD with a body ->
//     ProtocolViolationException ("Cannot send a content-body with this
//     verb-type.").
//   - A status outside 2xx is a WebException with Status() ProtocolError
//     and the Response(); other failures are WebExceptions as WebClient's.
//   - Abort() completes a pending request with WebException
//     RequestCanceled; Timeout (100 000 ms, -1 for none) bounds GetResponse
//     and, unlike .NET's, the asynchronous forms too, which .NET leaves
//     unbounded.
//   - EndGetResponse follows the APM rules of every EndXxx (End twice, a
//     result of another object or method -> InvalidOperationException).
//
// Thread-safety: the Begin/End pairs and Abort may be called from any
// thread; the settings are set before the request is sent.
#ifndef DOTASYNC_HTTP_HTTP_WEB_REQUEST_HPP
#define DOTASYNC_HTTP_HTTP_WEB_REQUEST_HPP

#include <dotasync/core/apm_token.hpp>
#include <dotasync/core/cancellation.hpp>
#include <dotasync/core/export.hpp>
#include <dotasync/core/iasync_result.hpp>
#include <dotasync/http/http_headers.hpp>
#include <dotasync/http/http_web_response.hpp>
#include <dotasync/http/uri.hpp>
#include <dotasync/http/web_exception.hpp>
#include <dotasync/io/memory_stream.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>

#include <any>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

namespace dotasync {

namespace detail {
struct http_client_core;
DOTASYNC_API inline constexpr char http_web_request_get_response_method = 0;
DOTASYNC_API inline constexpr char http_web_request_get_request_stream_method = 0;
} // namespace detail

class DOTASYNC_API HttpWebRequest : public std::enable_shared_from_this<HttpWebRequest> {
public:
    using response_signature = void(std::exception_ptr, std::shared_ptr<HttpWebResponse>);

    // Use WebRequest::Create.
    explicit HttpWebRequest(Uri requestUri);
    ~HttpWebRequest();
    HttpWebRequest(const HttpWebRequest&) = delete;
    HttpWebRequest& operator=(const HttpWebRequest&) = delete;

    const Uri& RequestUri() const noexcept { return uri_; }
    const std::string& Method() const noexcept { return method_; }
    // Not an HTTP token -> ArgumentException.
    void Method(const std::string& value);
    std::string ContentType() const { return headers_.Get("Content-Type"); }
    void ContentType(const std::string& value) { headers_.Set("Content-Type", value); }
    // -1 until set or written; negative -> ArgumentOutOfRangeException.
    std::int64_t ContentLength() const noexcept { return content_length_; }
    void ContentLength(std::int64_t value);
    WebHeaderCollection& Headers() noexcept { return headers_; }
    int Timeout() const noexcept { return timeout_; }
    // Milliseconds, or -1 for none; below -1 -> ArgumentOutOfRangeException.
    void Timeout(int value);

    Stream& GetRequestStream();
    IAsyncResultPtr BeginGetRequestStream(AsyncCallback callback, std::any state);
    Stream& EndGetRequestStream(const IAsyncResultPtr& asyncResult);

    std::shared_ptr<HttpWebResponse> GetResponse();
    template <class Token>
    auto GetResponseAsync(Token&& token)
    {
        return GetResponseAsync(CancellationToken::None(), std::forward<Token>(token));
    }
    template <class Token>
    auto GetResponseAsync(CancellationToken cancellationToken, Token&& token)
    {
        return boost::asio::async_initiate<Token, response_signature>(
            [this](auto handler, CancellationToken ct) { start_response(std::move(ct), std::move(handler)); }, token,
            std::move(cancellationToken));
    }

    IAsyncResultPtr BeginGetResponse(AsyncCallback callback, std::any state)
    {
        return GetResponseAsync(detail::bind_apm_owner(apm(std::move(callback), std::move(state)), this,
                                                       &detail::http_web_request_get_response_method));
    }
    std::shared_ptr<HttpWebResponse> EndGetResponse(const IAsyncResultPtr& asyncResult)
    {
        return detail::end_operation<response_signature>(asyncResult, this,
                                                         &detail::http_web_request_get_response_method);
    }
    // Cancels the request in flight, if any.
    void Abort();

private:
    void start_response(CancellationToken cancellationToken,
                        boost::asio::any_completion_handler<response_signature> handler);
    void check_body_allowed() const;

    Uri uri_;
    std::string method_ = "GET";
    std::int64_t content_length_ = -1;
    WebHeaderCollection headers_;
    int timeout_ = 100'000;
    std::shared_ptr<detail::http_client_core> core_;
    std::shared_ptr<MemoryStream> body_;
    std::mutex mutex_;
    bool sent_ = false;
    bool finished_ = false;
    std::shared_ptr<HttpWebResponse> response_;
    CancellationTokenSource abort_;
};

} // namespace dotasync

#endif
