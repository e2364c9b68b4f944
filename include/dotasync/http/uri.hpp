// Uri: an http or https address, parsed and compared the way .NET's Uri does
// for the parts HTTP needs.
//
//   Uri page("http://example.com:8080/a/b?x=1");
//   page.Host();          // "example.com"
//   page.PathAndQuery();  // "/a/b?x=1"
//   Uri(page, "../c").AbsoluteUri();   // "http://example.com:8080/c"
//
// Uri(text) accepts an absolute URI only (scheme, "://", host); anything else
// -> UriFormatException. Uri(text, UriKind::RelativeOrAbsolute) also accepts
// a relative reference, which HttpClient resolves against its BaseAddress.
// Uri(base, relative) resolves a reference as RFC 3986 section 5 says (dot
// segments removed); base must be absolute (InvalidOperationException
// otherwise, as .NET). Scheme and host are lower-cased; the port is the
// scheme's default (80, 443) when none is written, and AbsoluteUri leaves a
// default port out. The path of an absolute URI is never empty ("/").
//
// Thread-safety: a Uri is an immutable value.
#ifndef DOTASYNC_HTTP_URI_HPP
#define DOTASYNC_HTTP_URI_HPP

#include <dotasync/core/exceptions.hpp>
#include <dotasync/core/export.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace dotasync {

class DOTASYNC_API UriFormatException : public FormatException {
public:
    explicit UriFormatException(std::string message = "Invalid URI: The format of the URI could not be determined.");
};

enum class UriKind { RelativeOrAbsolute = 0, Absolute = 1, Relative = 2 };

class DOTASYNC_API Uri {
public:
    explicit Uri(std::string_view uriString);
    Uri(std::string_view uriString, UriKind uriKind);
    Uri(const Uri& baseUri, std::string_view relativeUri);
    Uri(const Uri& baseUri, const Uri& relativeUri);
    // Copies share the parts; moving is copying, so that a Uri moved from
    // still holds its address.
    Uri(const Uri&) = default;
    Uri& operator=(const Uri&) = default;

    bool IsAbsoluteUri() const noexcept { return parts_->absolute_; }
    // The members below describe an absolute URI; on a relative one they
    // throw InvalidOperationException, as .NET does, except ToString() and
    // OriginalString().
    std::string Scheme() const;
    std::string Host() const;
    int Port() const;
    bool IsDefaultPort() const;
    std::string AbsolutePath() const;
    std::string Query() const;
    std::string Fragment() const;
    std::string PathAndQuery() const;
    std::string Authority() const;
    std::string AbsoluteUri() const;
    const std::string& OriginalString() const noexcept { return parts_->original_; }
    std::string ToString() const;

    friend DOTASYNC_API bool operator==(const Uri& a, const Uri& b);

private:
    void require_absolute() const;
    void parse_absolute(std::string_view text);

    // What a Uri is, shared by its copies: a Uri never changes once made
    // (as .NET's is immutable), so a copy or a move is a reference count,
    // not seven strings, and an address passed down a chain of handlers
    // costs nothing to pass.
    struct parts {
        std::string original_;
        bool absolute_ = false;
        std::string scheme_;
        std::string user_info_;
        std::string host_;
        int port_ = -1;
        std::string path_;
        std::string query_;    // with its "?", or empty
        std::string fragment_; // with its "#", or empty
    };
    std::shared_ptr<parts> parts_;
};

} // namespace dotasync

#endif
