// HttpResponseMessage: what HttpClient's GetAsync, PostAsync, ... and
// SendAsync complete with: status, reason, headers and the body.
//
//   HttpResponseMessage r = co_await client.GetAsync("/items/1", asio::use_awaitable);
//   r.EnsureSuccessStatusCode();          // HttpRequestException for 404, 500, ...
//   std::string text = co_await r.Content().ReadAsStringAsync(asio::use_awaitable);
//
// A response is a value that shares its content: copies read the same body.
// Content() is never null (a response without a body has empty content).
// EnsureSuccessStatusCode on a status outside 200-299 throws
// HttpRequestException("Response status code does not indicate success: 404
// (Not Found).") whose StatusCode() is the status.
//
// Thread-safety: as a value; the content's reads are thread-safe.
#ifndef DOTASYNC_HTTP_HTTP_RESPONSE_MESSAGE_HPP
#define DOTASYNC_HTTP_HTTP_RESPONSE_MESSAGE_HPP

#include <dotasync/core/export.hpp>
#include <dotasync/http/http_content.hpp>
#include <dotasync/http/http_headers.hpp>
#include <dotasync/http/http_request_exception.hpp>
#include <dotasync/http/http_status_code.hpp>
#include <dotasync/http/uri.hpp>

#include <memory>
#include <optional>
#include <string>

namespace dotasync {

namespace detail {
struct http_response_access;
} // namespace detail

class DOTASYNC_API HttpResponseMessage {
public:
    HttpResponseMessage();
    explicit HttpResponseMessage(HttpStatusCode statusCode);

    HttpStatusCode StatusCode() const noexcept { return status_; }
    void StatusCode(HttpStatusCode value) noexcept { status_ = value; }
    const std::string& ReasonPhrase() const noexcept { return reason_; }
    void ReasonPhrase(std::string value) { reason_ = std::move(value); }
    bool IsSuccessStatusCode() const noexcept { return int(status_) >= 200 && int(status_) <= 299; }
    HttpResponseMessage& EnsureSuccessStatusCode();
    HttpResponseHeaders& Headers() noexcept { return headers_; }
    const HttpResponseHeaders& Headers() const noexcept { return headers_; }
    HttpContent& Content() const noexcept { return *content_; }
    void Content(std::shared_ptr<HttpContent> value);
    // The address the response came from: the request's, or the last
    // redirect's (.NET's RequestMessage.RequestUri).
    const std::optional<Uri>& RequestUri() const noexcept { return request_uri_; }
    void RequestUri(Uri value) { request_uri_ = std::move(value); }

private:
    friend struct detail::http_response_access;
    // A response whose content is made already (HttpClient's): the public
    // constructors' empty content would be thrown away at once.
    HttpResponseMessage(HttpStatusCode statusCode, std::shared_ptr<HttpContent> content);

    HttpStatusCode status_;
    std::string reason_;
    HttpResponseHeaders headers_;
    std::shared_ptr<HttpContent> content_;
    std::optional<Uri> request_uri_;
};

} // namespace dotasync

#endif
