// Private: how WebClient and HttpWebRequest send their WebHeaderCollection,
// which holds request and content headers alike.
#ifndef DOTASYNC_LIB_HTTP_DETAIL_WEB_HEADERS_HPP
#define DOTASYNC_LIB_HTTP_DETAIL_WEB_HEADERS_HPP

#include <dotasync/http/http_content.hpp>
#include <dotasync/http/http_headers.hpp>

#include <string>
#include <utility>
#include <vector>

namespace dotasync::detail {

// Appends the request headers of headers to request; the content headers go
// to content (when there is a body), replacing the content's own of the same
// name (StringContent's Content-Type) with every value the collection holds.
// Content-Length is never taken: the engine sets it from the body.
void apply_web_headers(const WebHeaderCollection& headers, HttpContent* content,
                       std::vector<std::pair<std::string, std::string>>& request);

} // namespace dotasync::detail

#endif
