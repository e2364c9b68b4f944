#include <dotasync/http/uri.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace dotasync {

namespace {

std::string lower(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

int default_port(std::string_view scheme)
{
    if (scheme == "http" || scheme == "ws")
        return 80;
    if (scheme == "https" || scheme == "wss")
        return 443;
    if (scheme == "ftp")
        return 21;
    return -1;
}

// The length of the scheme at the start of s (0 when s does not start with
// one followed by ':').
std::size_t scheme_length(std::string_view s)
{
    if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0])))
        return 0;
    std::size_t i = 1;
    while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '+' || s[i] == '-' || s[i] == '.'))
        ++i;
    return i < s.size() && s[i] == ':' ? i : 0;
}

// RFC 3986 section 5.2.4.
std::string remove_dot_segments(std::string_view in)
{
    std::string out;
    while (!in.empty()) {
        if (in.starts_with("../"))
            in.remove_prefix(3);
        else if (in.starts_with("./"))
            in.remove_prefix(2);
        else if (in.starts_with("/./"))
            in.remove_prefix(2);
        else if (in == "/.")
            in = "/";
        else if (in.starts_with("/../") || in == "/..") {
            in = in.size() == 3 ? std::string_view("/") : in.substr(3);
            const auto slash = out.rfind('/');
            out.erase(slash == std::string::npos ? 0 : slash);
        } else if (in == "." || in == "..")
            in = {};
        else {
            const auto next = in.find('/', 1);
            const auto segment = in.substr(0, next);
            out += segment;
            in.remove_prefix(segment.size());
        }
    }
    return out;
}

// The parts of a URI reference (RFC 3986 appendix B); a part that is absent
// is not the same as an empty one, hence the flags.
struct reference {
    std::string_view scheme;
    bool has_authority = false;
    std::string_view authority;
    std::string_view path;
    bool has_query = false;
    std::string_view query; // without "?"
    bool has_fragment = false;
    std::string_view fragment; // without "#"
};

reference split(std::string_view s)
{
    reference r;
    if (const auto n = scheme_length(s)) {
        r.scheme = s.substr(0, n);
        s.remove_prefix(n + 1);
    }
    if (const auto hash = s.find('#'); hash != std::string_view::npos) {
        r.has_fragment = true;
        r.fragment = s.substr(hash + 1);
        s = s.substr(0, hash);
    }
    if (const auto q = s.find('?'); q != std::string_view::npos) {
        r.has_query = true;
        r.query = s.substr(q + 1);
        s = s.substr(0, q);
    }
    if (s.starts_with("//")) {
        r.has_authority = true;
        s.remove_prefix(2);
        const auto end = s.find('/');
        r.authority = s.substr(0, end);
        s = end == std::string_view::npos ? std::string_view() : s.substr(end);
    }
    r.path = s;
    return r;
}

// c followed by part. (Written out rather than as "?" + std::string(part):
// g++ 12 at -O3 warns falsely about overlapping copies in that form.)
std::string prefixed(char c, std::string_view part)
{
    std::string out;
    out.reserve(part.size() + 1);
    out += c;
    out.append(part.data(), part.size());
    return out;
}

bool has_bad_characters(std::string_view s)
{
    return std::any_of(s.begin(), s.end(), [](unsigned char c) { return c <= 0x20 || c == 0x7f; });
}

} // namespace

UriFormatException::UriFormatException(std::string message) : FormatException(std::move(message)) {}

Uri::Uri(std::string_view uriString) : Uri(uriString, UriKind::Absolute) {}

Uri::Uri(std::string_view uriString, UriKind uriKind) : parts_(std::make_shared<parts>())
{
    if (uriKind != UriKind::RelativeOrAbsolute && uriKind != UriKind::Absolute && uriKind != UriKind::Relative)
        throw ArgumentException("The value of the UriKind is not valid.", "uriKind");
    parts_->original_ = std::string(uriString);
    const auto text = trim(uriString);
    const auto r = split(text);
    const bool looks_absolute = !r.scheme.empty() && r.has_authority;
    if (uriKind == UriKind::Relative) {
        if (looks_absolute)
            throw UriFormatException("Invalid URI: A relative URI cannot be created because the 'uriString' "
                                     "parameter represents an absolute URI.");
        return;
    }
    if (looks_absolute) {
        parse_absolute(text);
        return;
    }
    if (uriKind == UriKind::Absolute) {
        if (text.empty())
            throw UriFormatException("Invalid URI: The URI is empty.");
        throw UriFormatException();
    }
}

Uri::Uri(const Uri& baseUri, const Uri& relativeUri)
    : Uri(baseUri, relativeUri.parts_->absolute_ ? std::string_view(relativeUri.AbsoluteUri())
                                                 : std::string_view(relativeUri.parts_->original_))
{
}

Uri::Uri(const Uri& baseUri, std::string_view relativeUri) : parts_(std::make_shared<parts>())
{
    if (!baseUri.parts_->absolute_)
        throw InvalidOperationException("This operation is not supported for a relative URI.");
    const auto text = trim(relativeUri);
    const auto r = split(text);
    std::string target;
    if (!r.scheme.empty() && r.has_authority) {
        target = std::string(text);
    } else if (!r.scheme.empty()) {
        throw UriFormatException();
    } else {
        target = baseUri.parts_->scheme_ + "://";
        std::string path;
        std::string query;
        if (r.has_authority) {
            target += r.authority;
            path = remove_dot_segments(r.path);
            query = r.has_query ? prefixed('?', r.query) : "";
        } else {
            target += baseUri.Authority();
            if (r.path.empty()) {
                path = baseUri.parts_->path_;
                query = r.has_query ? prefixed('?', r.query) : baseUri.parts_->query_;
            } else {
                if (r.path.front() == '/') {
                    path = remove_dot_segments(r.path);
                } else {
                    const auto slash = baseUri.parts_->path_.rfind('/');
                    const auto merged = baseUri.parts_->path_.substr(0, slash == std::string::npos ? 0 : slash + 1) +
                                        std::string(r.path);
                    path = remove_dot_segments(merged);
                }
                query = r.has_query ? prefixed('?', r.query) : "";
            }
        }
        target += path + query;
        if (r.has_fragment)
            target += prefixed('#', r.fragment);
    }
    parts_->original_ = target;
    parse_absolute(target);
}

void Uri::parse_absolute(std::string_view text)
{
    if (has_bad_characters(text))
        throw UriFormatException("Invalid URI: The URI contains a character that is not allowed.");
    const auto r = split(text);
    parts_->scheme_ = lower(r.scheme);
    auto authority = r.authority;
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        parts_->user_info_ = std::string(authority.substr(0, at));
        authority.remove_prefix(at + 1);
    }
    std::string_view host;
    std::string_view port;
    if (authority.starts_with('[')) {
        const auto close = authority.find(']');
        if (close == std::string_view::npos)
            throw UriFormatException("Invalid URI: The hostname could not be parsed.");
        host = authority.substr(0, close + 1);
        const auto rest = authority.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':')
                throw UriFormatException("Invalid URI: The hostname could not be parsed.");
            port = rest.substr(1);
        }
    } else {
        const auto colon = authority.find(':');
        host = authority.substr(0, colon);
        if (colon != std::string_view::npos)
            port = authority.substr(colon + 1);
    }
    if (host.empty())
        throw UriFormatException("Invalid URI: The hostname could not be parsed.");
    parts_->host_ = lower(host);
    parts_->port_ = default_port(parts_->scheme_);
    if (!port.empty()) {
        int value = -1;
        const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (ec != std::errc() || end != port.data() + port.size() || value < 0 || value > 65535)
            throw UriFormatException("Invalid URI: Invalid port specified.");
        parts_->port_ = value;
    }
    parts_->path_ = r.path.empty() ? std::string("/") : remove_dot_segments(r.path);
    if (parts_->path_.empty() || parts_->path_.front() != '/')
        parts_->path_.insert(parts_->path_.begin(), '/');
    parts_->query_ = r.has_query ? prefixed('?', r.query) : "";
    parts_->fragment_ = r.has_fragment ? prefixed('#', r.fragment) : "";
    parts_->absolute_ = true;
}

void Uri::require_absolute() const
{
    if (!parts_->absolute_)
        throw InvalidOperationException("This operation is not supported for a relative URI.");
}

std::string Uri::Scheme() const
{
    require_absolute();
    return parts_->scheme_;
}

std::string Uri::Host() const
{
    require_absolute();
    return parts_->host_;
}

int Uri::Port() const
{
    require_absolute();
    return parts_->port_;
}

bool Uri::IsDefaultPort() const
{
    require_absolute();
    return parts_->port_ == default_port(parts_->scheme_);
}

std::string Uri::AbsolutePath() const
{
    require_absolute();
    return parts_->path_;
}

std::string Uri::Query() const
{
    require_absolute();
    return parts_->query_;
}

std::string Uri::Fragment() const
{
    require_absolute();
    return parts_->fragment_;
}

std::string Uri::PathAndQuery() const
{
    require_absolute();
    return parts_->path_ + parts_->query_;
}

std::string Uri::Authority() const
{
    require_absolute();
    if (IsDefaultPort())
        return parts_->host_;
    return parts_->host_ + ":" + std::to_string(parts_->port_);
}

std::string Uri::AbsoluteUri() const
{
    require_absolute();
    std::string s = parts_->scheme_ + "://";
    if (!parts_->user_info_.empty())
        s += parts_->user_info_ + "@";
    return s + Authority() + parts_->path_ + parts_->query_ + parts_->fragment_;
}

std::string Uri::ToString() const
{
    return parts_->absolute_ ? AbsoluteUri() : parts_->original_;
}

bool operator==(const Uri& a, const Uri& b)
{
    if (a.parts_->absolute_ != b.parts_->absolute_)
        return false;
    if (!a.parts_->absolute_)
        return a.parts_->original_ == b.parts_->original_;
    // .NET ignores the fragment when it compares URIs.
    return a.parts_->scheme_ == b.parts_->scheme_ && a.parts_->user_info_ == b.parts_->user_info_ && a.parts_->host_ == b.parts_->host_ && a.parts_->port_ == b.parts_->port_ &&
           a.parts_->path_ == b.parts_->path_ && a.parts_->query_ == b.parts_->query_;
}

} // namespace dotasync
