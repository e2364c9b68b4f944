// Private: how WebClient and HttpWebRequest turn what the HTTP engine
// reports into .NET's WebException.
#ifndef DOTASYNC_LIB_HTTP_DETAIL_WEB_FAILURE_HPP
#define DOTASYNC_LIB_HTTP_DETAIL_WEB_FAILURE_HPP

#include <dotasync/http/http_response_message.hpp>
#include <dotasync/http/uri.hpp>

#include <exception>

namespace dotasync::detail {

// The WebException for a failure of the engine: RequestCanceled for a
// cancellation, Timeout for the time-out, NameResolutionFailure and
// ConnectFailure for the connection, ReceiveFailure for the rest of the
// exchange. Anything else is returned as it is.
std::exception_ptr web_failure(const std::exception_ptr& failure, const Uri& uri);

// The ProtocolError WebException for a response outside 2xx, or null.
std::exception_ptr web_status_failure(const HttpResponseMessage& response);

} // namespace dotasync::detail

#endif
