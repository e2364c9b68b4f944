// Private: the engine under HttpClient, WebClient and HttpWebRequest. One
// request is one coroutine on a strand of the client's executor: take a kept
// connection or make one, write the request, read the response head, follow
// redirects, and read the body (at once, or later through the response's
// content). Everything that may end a request early (a CancellationToken,
// CancelPendingRequests, the handler's cancellation slot, the time-out)
// goes through one exchange_control, which closes the connection on the
// strand; the coroutine then reports why it stopped.
#ifndef DOTASYNC_LIB_HTTP_DETAIL_HTTP_CLIENT_CORE_HPP
#define DOTASYNC_LIB_HTTP_DETAIL_HTTP_CLIENT_CORE_HPP

#include <dotasync/core/cancellation.hpp>
#include <dotasync/http/detail/http_send.hpp>
#include <dotasync/http/http_response_message.hpp>
#include <dotasync/http/http_status_code.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>

namespace dotasync::detail {

struct http_client_core;

struct http_send_options {
    HttpCompletionOption completion = HttpCompletionOption::ResponseContentRead;
    // Non-positive: none.
    std::chrono::milliseconds timeout{100'000};
    std::int64_t max_buffer = 2'147'483'647;
    // Called on the request's strand as body bytes arrive: (bytes so far,
    // announced length or -1).
    std::function<void(std::int64_t, std::int64_t)> progress;
};

using http_response_handler = boost::asio::any_completion_handler<void(std::exception_ptr, HttpResponseMessage)>;

std::shared_ptr<http_client_core> make_http_client_core(boost::asio::any_io_executor executor);
boost::asio::any_io_executor http_executor(const http_client_core& core) noexcept;
// Stops every request of the client in flight.
void http_cancel_pending(http_client_core& core);
// Cancels pending requests, closes kept connections; later sends fail with
// ObjectDisposedException(objectName).
void http_dispose(http_client_core& core);
bool http_disposed(http_client_core& core);

void http_start_send(const std::shared_ptr<http_client_core>& core, http_request_data request,
                     http_send_options options, CancellationToken cancellationToken, http_response_handler handler);

} // namespace dotasync::detail

#endif
