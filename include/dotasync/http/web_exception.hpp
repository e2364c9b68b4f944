// WebException and WebExceptionStatus: how WebClient and HttpWebRequest
// report a failure, as .NET's: Status() says what went wrong, and for a
// status code outside 2xx (ProtocolError) Response() is the server's
// answer, body included. ProtocolViolationException: a body where the
// method allows none.
#ifndef DOTASYNC_HTTP_WEB_EXCEPTION_HPP
#define DOTASYNC_HTTP_WEB_EXCEPTION_HPP

#include <dotasync/core/exceptions.hpp>
#include <dotasync/core/export.hpp>
#include <dotasync/http/http_web_response.hpp>

#include <memory>
#include <string>

namespace dotasync {

enum class WebExceptionStatus {
    Success = 0,
    NameResolutionFailure = 1,
    ConnectFailure = 2,
    ReceiveFailure = 3,
    SendFailure = 4,
    PipelineFailure = 5,
    RequestCanceled = 6,
    ProtocolError = 7,
    ConnectionClosed = 8,
    TrustFailure = 9,
    SecureChannelFailure = 10,
    ServerProtocolViolation = 11,
    KeepAliveFailure = 12,
    Pending = 13,
    Timeout = 14,
    ProxyNameResolutionFailure = 15,
    UnknownError = 16,
    MessageLengthLimitExceeded = 17,
};

class DOTASYNC_API WebException : public InvalidOperationException {
public:
    explicit WebException(std::string message, WebExceptionStatus status = WebExceptionStatus::UnknownError,
                          std::exception_ptr inner = {}, std::shared_ptr<HttpWebResponse> response = nullptr);

    WebExceptionStatus Status() const noexcept { return status_; }
    const std::shared_ptr<HttpWebResponse>& Response() const noexcept { return response_; }

private:
    WebExceptionStatus status_;
    std::shared_ptr<HttpWebResponse> response_;
};

class DOTASYNC_API ProtocolViolationException : public InvalidOperationException {
public:
    explicit ProtocolViolationException(std::string message);
};

} // namespace dotasync

#endif
