// HttpHeaders and its three kinds: HttpRequestHeaders (a request's and
// HttpClient::DefaultRequestHeaders), HttpResponseHeaders, and
// HttpContentHeaders (a body's: Content-Type, Content-Length, ...).
//
//   client.DefaultRequestHeaders().Add("Accept", "application/json");
//   std::string type = response.Content().Headers().ContentType();
//
// Names compare case-insensitively; a name may have several values, kept in
// the order added. As in .NET:
//   - Add validates: a name that is not an HTTP token -> FormatException
//     ("The header name format is invalid."); a value holding CR or LF ->
//     FormatException; a content header (Content-*, Expires, Last-Modified,
//     Allow) on request or response headers, or another header on content
//     headers -> InvalidOperationException ("Misused header name, ...").
//   - TryAddWithoutValidation skips the kind check (it still refuses CR/LF
//     and bad names, and says so by returning false).
//   - GetValues of a name that is absent -> InvalidOperationException ("The
//     given header was not found.").
// Iteration yields (name, value) pairs, one per value, in order.
//
// Thread-safety: as .NET's, none: a headers object read by requests in
// flight (DefaultRequestHeaders) must not be changed meanwhile.
#ifndef DOTASYNC_HTTP_HTTP_HEADERS_HPP
#define DOTASYNC_HTTP_HTTP_HEADERS_HPP

#include <dotasync/core/export.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dotasync {

class DOTASYNC_API HttpHeaders {
public:
    using value_type = std::pair<std::string, std::string>;
    using const_iterator = std::vector<value_type>::const_iterator;

    void Add(std::string_view name, std::string_view value);
    void Add(std::string_view name, const std::vector<std::string>& values);
    bool TryAddWithoutValidation(std::string_view name, std::string_view value);
    bool Remove(std::string_view name);
    bool Contains(std::string_view name) const;
    std::vector<std::string> GetValues(std::string_view name) const;
    bool TryGetValues(std::string_view name, std::vector<std::string>& values) const;
    void Clear() noexcept { entries_.clear(); }
    // "Name: value" lines, one per value, each ending in "\r\n".
    std::string ToString() const;

    const_iterator begin() const noexcept { return entries_.begin(); }
    const_iterator end() const noexcept { return entries_.end(); }

protected:
    enum class kind { request, response, content, any };
    explicit HttpHeaders(kind k) noexcept : kind_(k) {}

    // The first value of name, if any.
    std::optional<std::string> first(std::string_view name) const;
    void set(std::string_view name, std::string_view value);

private:
    bool accepts(std::string_view name) const;

    kind kind_;
    std::vector<value_type> entries_;
};

class HttpRequestHeaders : public HttpHeaders {
public:
    HttpRequestHeaders() noexcept : HttpHeaders(kind::request) {}
};

class HttpResponseHeaders : public HttpHeaders {
public:
    HttpResponseHeaders() noexcept : HttpHeaders(kind::response) {}
};

// The headers of a WebClient or an HttpWebRequest (.NET's
// WebHeaderCollection): any header, content headers included. Set replaces
// every value of a name.
class WebHeaderCollection : public HttpHeaders {
public:
    WebHeaderCollection() noexcept : HttpHeaders(kind::any) {}
    void Set(std::string_view name, std::string_view value)
    {
        Remove(name);
        Add(name, value);
    }
    // The first value of name, empty when there is none.
    std::string Get(std::string_view name) const { return first(name).value_or(std::string()); }
};

class DOTASYNC_API HttpContentHeaders : public HttpHeaders {
public:
    HttpContentHeaders() noexcept : HttpHeaders(kind::content) {}

    // The whole Content-Type value ("text/plain; charset=utf-8"), empty when
    // there is none; setting an empty value removes it.
    std::string ContentType() const;
    void ContentType(std::string_view value);
    std::optional<std::int64_t> ContentLength() const;
    // A negative length -> ArgumentOutOfRangeException.
    void ContentLength(std::optional<std::int64_t> value);
};

} // namespace dotasync

#endif
