// HttpRequestException: an HTTP request failed: the connection (its
// InnerException is then the SocketException), the exchange (a malformed
// response, a body larger than allowed), or a status that does not indicate
// success (EnsureSuccessStatusCode, GetStringAsync; StatusCode() then holds
// it).
#ifndef DOTASYNC_HTTP_HTTP_REQUEST_EXCEPTION_HPP
#define DOTASYNC_HTTP_HTTP_REQUEST_EXCEPTION_HPP

#include <dotasync/core/exceptions.hpp>
#include <dotasync/core/export.hpp>
#include <dotasync/http/http_status_code.hpp>

#include <optional>
#include <string>

namespace dotasync {

class DOTASYNC_API HttpRequestException : public Exception {
public:
    explicit HttpRequestException(std::string message = "An error occurred while sending the request.",
                                  std::exception_ptr inner = {},
                                  std::optional<HttpStatusCode> statusCode = std::nullopt);

    std::optional<HttpStatusCode> StatusCode() const noexcept { return status_code_; }

private:
    std::optional<HttpStatusCode> status_code_;
};

} // namespace dotasync

#endif
