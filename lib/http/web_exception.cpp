#include <dotasync/http/web_exception.hpp>

#include "detail/web_failure.hpp"

#include <dotasync/core/socket_error.hpp>
#include <dotasync/http/http_request_exception.hpp>
#include <dotasync/http/ssl_stream.hpp>

namespace dotasync {

WebException::WebException(std::string message, WebExceptionStatus status, std::exception_ptr inner,
                           std::shared_ptr<HttpWebResponse> response)
    : InvalidOperationException(std::move(message), std::move(inner)), status_(status), response_(std::move(response))
{
}

ProtocolViolationException::ProtocolViolationException(std::string message)
    : InvalidOperationException(std::move(message))
{
}

namespace detail {

std::exception_ptr web_failure(const std::exception_ptr& failure, const Uri& uri)
{
    try {
        std::rethrow_exception(failure);
    } catch (const TaskCanceledException& e) {
        try {
            if (e.InnerException())
                std::rethrow_exception(e.InnerException());
        } catch (const TimeoutException&) {
            return std::make_exception_ptr(
                WebException("The operation has timed out.", WebExceptionStatus::Timeout, failure));
        } catch (...) {
        }
        return std::make_exception_ptr(WebException("The request was aborted: The request was canceled.",
                                                    WebExceptionStatus::RequestCanceled, failure));
    } catch (const HttpRequestException& e) {
        try {
            if (e.InnerException())
                std::rethrow_exception(e.InnerException());
        } catch (const SocketException& s) {
            if (s.SocketErrorCode() == SocketError::HostNotFound || s.SocketErrorCode() == SocketError::TryAgain ||
                s.SocketErrorCode() == SocketError::NoData)
                return std::make_exception_ptr(WebException("The remote name could not be resolved: '" + uri.Host() +
                                                                "'",
                                                            WebExceptionStatus::NameResolutionFailure,
                                                            e.InnerException()));
            return std::make_exception_ptr(
                WebException("Unable to connect to the remote server", WebExceptionStatus::ConnectFailure,
                             e.InnerException()));
        } catch (const AuthenticationException& a) {
            // A certificate refused has no inner failure; a handshake that
            // broke down has the transport's.
            if (!a.InnerException())
                return std::make_exception_ptr(WebException("The underlying connection was closed: Could not "
                                                            "establish trust relationship for the SSL/TLS secure "
                                                            "channel.",
                                                            WebExceptionStatus::TrustFailure, e.InnerException()));
            return std::make_exception_ptr(WebException("The request was aborted: Could not create SSL/TLS secure "
                                                        "channel.",
                                                        WebExceptionStatus::SecureChannelFailure, e.InnerException()));
        } catch (...) {
        }
        return std::make_exception_ptr(
            WebException("The underlying connection was closed: An unexpected error occurred on a receive.",
                         WebExceptionStatus::ReceiveFailure, failure));
    } catch (...) {
        return failure;
    }
}

std::exception_ptr web_status_failure(const HttpResponseMessage& response)
{
    if (response.IsSuccessStatusCode())
        return nullptr;
    return std::make_exception_ptr(WebException("The remote server returned an error: (" +
                                                    std::to_string(int(response.StatusCode())) + ") " +
                                                    response.ReasonPhrase() + ".",
                                                WebExceptionStatus::ProtocolError, nullptr,
                                                std::make_shared<HttpWebResponse>(response)));
}

} // namespace detail

} // namespace dotasync
