// Internal: what HttpClient's templates hand to the library: a request
// checked and resolved against the client's settings, and the one function
// that starts sending it.
#ifndef DOTASYNC_HTTP_DETAIL_HTTP_SEND_HPP
#define DOTASYNC_HTTP_DETAIL_HTTP_SEND_HPP

#include <dotasync/http/http_content.hpp>
#include <dotasync/http/http_method.hpp>
#include <dotasync/http/uri.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dotasync::detail {

struct http_client_core;

// An address argument: a string (absolute, or relative to the client's
// BaseAddress) or a Uri. A string that is no URI at all throws
// UriFormatException here, in the caller.
class http_uri_arg {
public:
    http_uri_arg(const char* uri) : uri_(Uri(uri, UriKind::RelativeOrAbsolute)) {}
    http_uri_arg(std::string_view uri) : uri_(Uri(uri, UriKind::RelativeOrAbsolute)) {}
    http_uri_arg(const std::string& uri) : uri_(Uri(uri, UriKind::RelativeOrAbsolute)) {}
    http_uri_arg(Uri uri) : uri_(std::move(uri)) {}

    const Uri& uri() const noexcept { return uri_; }

private:
    Uri uri_;
};

// A request as it goes on the wire: an absolute address, every header (the
// client's defaults, then the request's, then the content's) and the body.
// The address a request's data holds until its own is set: parsed once and
// shared, as copies of a Uri are, so that making a request's data parses
// nothing.
inline const Uri& placeholder_request_uri()
{
    static const Uri uri("http://localhost/");
    return uri;
}

struct http_request_data {
    HttpMethod method = HttpMethod::Get();
    Uri uri = placeholder_request_uri();
    std::vector<std::pair<std::string, std::string>> headers;
    std::shared_ptr<HttpContent> content;
};

} // namespace dotasync::detail

#endif
