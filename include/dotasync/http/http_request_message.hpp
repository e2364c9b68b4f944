// HttpRequestMessage: a request for HttpClient::SendAsync: method, address,
// headers and an optional body.
//
//   HttpRequestMessage request(HttpMethod::Put(), "http://localhost/items/1");
//   request.Headers().Add("If-Match", "\"v1\"");
//   request.Content(std::make_shared<StringContent>("new text"));
//   HttpResponseMessage r = co_await client.SendAsync(request, asio::use_awaitable);
//
// The address may be relative when the client has a BaseAddress. A request
// can be sent once: sending it again -> InvalidOperationException ("The
// request message was already sent. Cannot send the same request message
// multiple times."), as .NET.
//
// Thread-safety: none; a request is built by one thread, then sent.
#ifndef DOTASYNC_HTTP_HTTP_REQUEST_MESSAGE_HPP
#define DOTASYNC_HTTP_HTTP_REQUEST_MESSAGE_HPP

#include <dotasync/http/http_content.hpp>
#include <dotasync/http/http_headers.hpp>
#include <dotasync/http/http_method.hpp>
#include <dotasync/http/uri.hpp>

#include <memory>
#include <optional>
#include <string_view>

namespace dotasync {

class HttpRequestMessage {
public:
    HttpRequestMessage() : method_(HttpMethod::Get()) {}
    HttpRequestMessage(HttpMethod method, Uri requestUri) : method_(std::move(method)), uri_(std::move(requestUri)) {}
    HttpRequestMessage(HttpMethod method, std::string_view requestUri)
        : method_(std::move(method)), uri_(Uri(requestUri, UriKind::RelativeOrAbsolute))
    {
    }

    const HttpMethod& Method() const noexcept { return method_; }
    void Method(HttpMethod value) { method_ = std::move(value); }
    const std::optional<Uri>& RequestUri() const noexcept { return uri_; }
    void RequestUri(Uri value) { uri_ = std::move(value); }
    HttpRequestHeaders& Headers() noexcept { return headers_; }
    const HttpRequestHeaders& Headers() const noexcept { return headers_; }
    const std::shared_ptr<HttpContent>& Content() const noexcept { return content_; }
    void Content(std::shared_ptr<HttpContent> value) { content_ = std::move(value); }

private:
    friend class HttpClient;

    HttpMethod method_;
    std::optional<Uri> uri_;
    HttpRequestHeaders headers_;
    std::shared_ptr<HttpContent> content_;
    bool sent_ = false;
};

} // namespace dotasync

#endif
