#include <dotasync/http/http_method.hpp>

#include <dotasync/core/exceptions.hpp>

#include "detail/http_content_core.hpp"

namespace dotasync {

HttpMethod::HttpMethod(std::string method) : method_(std::move(method))
{
    if (method_.empty())
        throw ArgumentException("The value cannot be null or empty.", "method");
    if (!detail::is_http_token(method_))
        throw ArgumentException("The format of the HTTP method is invalid.", "method");
}

} // namespace dotasync
