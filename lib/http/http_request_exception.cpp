#include <dotasync/http/http_request_exception.hpp>

namespace dotasync {

HttpRequestException::HttpRequestException(std::string message, std::exception_ptr inner,
                                           std::optional<HttpStatusCode> statusCode)
    : Exception(std::move(message), std::move(inner)), status_code_(statusCode)
{
}

} // namespace dotasync
