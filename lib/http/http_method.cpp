#include <dotasync/http/http_method.hpp>

#include <dotasync/core/exceptions.hpp>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace dotasync {

HttpMethod::HttpMethod(std::string method) : method_(std::move(method))
{
    const auto is_token_char = [](unsigned char c) {
        return std::isalnum(c) || (c != 0 && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr);
    };
    if (method_.empty())
        throw ArgumentException("The value cannot be null or empty.", "method");
    if (!std::all_of(method_.begin(), method_.end(), is_token_char))
        throw ArgumentException("The format of the HTTP method is invalid.", "method");
}

} // namespace dotasync
