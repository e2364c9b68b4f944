#include <dotasync/http/http_headers.hpp>

#include <dotasync/core/exceptions.hpp>

#include "detail/http_content_core.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace dotasync {

namespace {

// Header names are ASCII: case and character classes are ASCII's, whatever
// the C library's locale says about other bytes, and a table lookup is what
// a header received with every response can afford.
constexpr unsigned char ascii_lower(unsigned char c) noexcept
{
    return c >= 'A' && c <= 'Z' ? static_cast<unsigned char>(c - 'A' + 'a') : c;
}

constexpr auto token_chars = [] {
    std::array<bool, 256> table{};
    for (int c = '0'; c <= '9'; ++c)
        table[c] = true;
    for (int c = 'a'; c <= 'z'; ++c)
        table[c] = table[c - 'a' + 'A'] = true;
    for (unsigned char c : std::string_view("!#$%&'*+-.^_`|~"))
        table[c] = true;
    return table;
}();

} // namespace

bool detail::same_http_header_name(std::string_view a, std::string_view b) noexcept
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
               return ascii_lower(x) == ascii_lower(y);
           });
}

bool detail::is_http_token(std::string_view text) noexcept
{
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](unsigned char c) { return token_chars[c]; });
}

using detail::is_http_token;
using detail::same_http_header_name;

namespace {

bool has_new_line(std::string_view value)
{
    return value.find_first_of("\r\n") != std::string_view::npos;
}

} // namespace

bool detail::is_http_content_header(std::string_view name) noexcept
{
    if (name.size() >= 8 && same_http_header_name(name.substr(0, 8), "content-"))
        return true;
    return same_http_header_name(name, "expires") || same_http_header_name(name, "last-modified") ||
           same_http_header_name(name, "allow");
}

bool HttpHeaders::accepts(std::string_view name) const
{
    return kind_ == kind::any || detail::is_http_content_header(name) == (kind_ == kind::content);
}

void HttpHeaders::Add(std::string_view name, std::string_view value)
{
    if (!is_http_token(name))
        throw FormatException("The header name format is invalid.");
    if (!accepts(name))
        throw InvalidOperationException("Misused header name, '" + std::string(name) +
                                        "'. Make sure request headers are used with HttpRequestMessage, response "
                                        "headers with HttpResponseMessage, and content headers with HttpContent "
                                        "objects.");
    if (has_new_line(value))
        throw FormatException("New-line characters are not allowed in header values.");
    entries_.emplace_back(std::string(name), std::string(value));
}

void HttpHeaders::Add(std::string_view name, const std::vector<std::string>& values)
{
    // Every value is checked before any is added, so that a bad one leaves
    // the headers as they were.
    if (!is_http_token(name))
        throw FormatException("The header name format is invalid.");
    if (std::any_of(values.begin(), values.end(), [](const std::string& v) { return has_new_line(v); }))
        throw FormatException("New-line characters are not allowed in header values.");
    if (values.empty())
        return;
    Add(name, values.front());
    for (std::size_t i = 1; i < values.size(); ++i)
        entries_.emplace_back(std::string(name), values[i]);
}

bool HttpHeaders::TryAddWithoutValidation(std::string_view name, std::string_view value)
{
    if (!is_http_token(name) || has_new_line(value))
        return false;
    entries_.emplace_back(std::string(name), std::string(value));
    return true;
}

bool HttpHeaders::Remove(std::string_view name)
{
    const auto before = entries_.size();
    std::erase_if(entries_, [&](const value_type& e) { return same_http_header_name(e.first, name); });
    return entries_.size() != before;
}

bool HttpHeaders::Contains(std::string_view name) const
{
    return std::any_of(entries_.begin(), entries_.end(), [&](const value_type& e) { return same_http_header_name(e.first, name); });
}

std::vector<std::string> HttpHeaders::GetValues(std::string_view name) const
{
    std::vector<std::string> values;
    if (!TryGetValues(name, values))
        throw InvalidOperationException("The given header was not found.");
    return values;
}

bool HttpHeaders::TryGetValues(std::string_view name, std::vector<std::string>& values) const
{
    std::vector<std::string> found;
    for (const auto& [n, v] : entries_)
        if (same_http_header_name(n, name))
            found.push_back(v);
    if (found.empty())
        return false;
    values = std::move(found);
    return true;
}

std::string HttpHeaders::ToString() const
{
    std::string s;
    for (const auto& [n, v] : entries_)
        s += n + ": " + v + "\r\n";
    return s;
}

std::optional<std::string> HttpHeaders::first(std::string_view name) const
{
    for (const auto& [n, v] : entries_)
        if (same_http_header_name(n, name))
            return v;
    return std::nullopt;
}

void HttpHeaders::set(std::string_view name, std::string_view value)
{
    Remove(name);
    if (!value.empty())
        entries_.emplace_back(std::string(name), std::string(value));
}

std::string HttpContentHeaders::ContentType() const
{
    return first("Content-Type").value_or(std::string());
}

void HttpContentHeaders::ContentType(std::string_view value)
{
    if (has_new_line(value))
        throw FormatException("New-line characters are not allowed in header values.");
    set("Content-Type", value);
}

std::optional<std::int64_t> HttpContentHeaders::ContentLength() const
{
    const auto text = first("Content-Length");
    if (!text)
        return std::nullopt;
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || end != text->data() + text->size() || value < 0)
        return std::nullopt;
    return value;
}

void HttpContentHeaders::ContentLength(std::optional<std::int64_t> value)
{
    if (value && *value < 0)
        throw ArgumentOutOfRangeException("value", "Specified argument was out of the range of valid values.");
    set("Content-Length", value ? std::to_string(*value) : std::string());
}

} // namespace dotasync
