// HttpWebResponse: the answer to an HttpWebRequest (.NET's), with the whole
// body read.
//
//   auto response = request->EndGetResponse(ar);
//   Stream& body = response->GetResponseStream();
//
// GetResponseStream() is a stream over the body, positioned at its start;
// after Close() it is closed and the getters still answer. ContentLength()
// is -1 when the server sent none.
//
// Thread-safety: none; one thread uses a response.
#ifndef DOTASYNC_HTTP_HTTP_WEB_RESPONSE_HPP
#define DOTASYNC_HTTP_HTTP_WEB_RESPONSE_HPP

#include <dotasync/core/export.hpp>
#include <dotasync/http/http_headers.hpp>
#include <dotasync/http/http_status_code.hpp>
#include <dotasync/http/uri.hpp>
#include <dotasync/io/stream.hpp>

#include <cstdint>
#include <memory>
#include <string>

namespace dotasync {

class HttpResponseMessage;

class DOTASYNC_API HttpWebResponse {
public:
    // The response for message, whose body is in memory.
    explicit HttpWebResponse(const HttpResponseMessage& message);
    ~HttpWebResponse();
    HttpWebResponse(const HttpWebResponse&) = delete;
    HttpWebResponse& operator=(const HttpWebResponse&) = delete;

    HttpStatusCode StatusCode() const noexcept { return status_; }
    const std::string& StatusDescription() const noexcept { return description_; }
    std::string ContentType() const { return headers_.Get("Content-Type"); }
    std::int64_t ContentLength() const noexcept { return content_length_; }
    const WebHeaderCollection& Headers() const noexcept { return headers_; }
    const Uri& ResponseUri() const noexcept { return uri_; }
    Stream& GetResponseStream();
    void Close();
    void Dispose() { Close(); }

private:
    HttpStatusCode status_;
    std::string description_;
    std::int64_t content_length_ = -1;
    WebHeaderCollection headers_;
    Uri uri_;
    std::shared_ptr<Stream> body_;
};

} // namespace dotasync

#endif
