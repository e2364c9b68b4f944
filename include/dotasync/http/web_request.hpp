// WebRequest: the factory of .NET's request classes; here, of
// HttpWebRequest for http addresses. Any other scheme ->
// NotSupportedException ("The URI prefix is not recognized."); text that is
// no absolute URI -> UriFormatException.
#ifndef DOTASYNC_HTTP_WEB_REQUEST_HPP
#define DOTASYNC_HTTP_WEB_REQUEST_HPP

#include <dotasync/core/export.hpp>
#include <dotasync/http/http_web_request.hpp>
#include <dotasync/http/uri.hpp>

#include <memory>
#include <string_view>

namespace dotasync {

struct DOTASYNC_API WebRequest {
    static std::shared_ptr<HttpWebRequest> Create(std::string_view requestUriString);
    static std::shared_ptr<HttpWebRequest> Create(const Uri& requestUri);
};

} // namespace dotasync

#endif
