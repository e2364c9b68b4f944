// WebClient: HTTP downloads and uploads in the event-based (EAP) shape, as
// .NET's: start with XxxAsync, learn the outcome from XxxCompleted, raised on
// the SynchronizationContext that was current when XxxAsync was called.
//
//   WebClient web;
//   web.DownloadProgressChanged += [](const std::any&, const DownloadProgressChangedEventArgs& e) {
//       std::cout << e.ProgressPercentage() << "%\n";
//   };
//   web.DownloadStringCompleted += [](const std::any&, const DownloadStringCompletedEventArgs& e) {
//       if (!e.Cancelled() && !e.Error()) std::cout << e.Result();
//   };
//   web.DownloadStringAsync("http://localhost:8080/page");
//
// As .NET's WebClient:
//   - One operation at a time: XxxAsync (or a synchronous call) while IsBusy()
//     -> NotSupportedException ("WebClient does not support concurrent I/O
//     operations."). IsBusy() turns false just before the completed event,
//     so its handler may start the next operation.
//   - Failures are WebExceptions: a status outside 2xx is ProtocolError with
//     the Response(); refused and unknown hosts are ConnectFailure and
//     NameResolutionFailure; CancelAsync gives Cancelled() true and an
//     Error() of RequestCanceled.
//   - DownloadProgressChanged is raised on the same context, before the
//     completed event, as the body arrives (TotalBytesToReceive() -1 when
//     the server sent no length).
//   - The synchronous members (DownloadString, ...) throw the WebException.
//   - BaseAddress (empty: none) resolves relative addresses; Headers() are
//     sent with every request, Content-Type included.
// The sender of every event is this WebClient, as a WebClient* in the
// std::any.
// DownloadStringTaskAsync is the TAP form: completion signature
// void(std::exception_ptr, std::string), any completion token.
//
// Destroying a WebClient cancels its operation; no event is raised after the
// destructor began.
//
// Thread-safety: the members may be called from any thread; events run on
// the captured context.
#ifndef DOTASYNC_HTTP_WEB_CLIENT_HPP
#define DOTASYNC_HTTP_WEB_CLIENT_HPP

#include <dotasync/core/cancellation.hpp>
#include <dotasync/core/event.hpp>
#include <dotasync/core/export.hpp>
#include <dotasync/eap/async_completed_event_args.hpp>
#include <dotasync/http/detail/http_send.hpp>
#include <dotasync/http/http_headers.hpp>
#include <dotasync/http/web_client_event_args.hpp>
#include <dotasync/http/web_exception.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>

#include <any>
#include <memory>
#include <string>
#include <vector>

namespace dotasync {

namespace detail {
struct web_client_state;
}

class DOTASYNC_API WebClient {
public:
    using uri_type = detail::http_uri_arg;

    WebClient();
    ~WebClient();
    WebClient(const WebClient&) = delete;
    WebClient& operator=(const WebClient&) = delete;

    Event<DownloadStringCompletedEventArgs> DownloadStringCompleted;
    Event<DownloadDataCompletedEventArgs> DownloadDataCompleted;
    Event<AsyncCompletedEventArgs> DownloadFileCompleted;
    Event<UploadStringCompletedEventArgs> UploadStringCompleted;
    Event<DownloadProgressChangedEventArgs> DownloadProgressChanged;

    std::string DownloadString(const uri_type& address);
    void DownloadStringAsync(const uri_type& address) { DownloadStringAsync(address, std::any()); }
    void DownloadStringAsync(const uri_type& address, std::any userToken);

    std::vector<std::uint8_t> DownloadData(const uri_type& address);
    void DownloadDataAsync(const uri_type& address) { DownloadDataAsync(address, std::any()); }
    void DownloadDataAsync(const uri_type& address, std::any userToken);

    void DownloadFile(const uri_type& address, const std::string& fileName);
    void DownloadFileAsync(const uri_type& address, const std::string& fileName)
    {
        DownloadFileAsync(address, fileName, std::any());
    }
    void DownloadFileAsync(const uri_type& address, const std::string& fileName, std::any userToken);

    // POST unless a method is given.
    std::string UploadString(const uri_type& address, const std::string& data);
    std::string UploadString(const uri_type& address, const std::string& method, const std::string& data);
    void UploadStringAsync(const uri_type& address, const std::string& data)
    {
        UploadStringAsync(address, "POST", data, std::any());
    }
    void UploadStringAsync(const uri_type& address, const std::string& method, const std::string& data,
                           std::any userToken);

    template <class Token>
    auto DownloadStringTaskAsync(const uri_type& address, Token&& token)
    {
        return DownloadStringTaskAsync(address, CancellationToken::None(), std::forward<Token>(token));
    }
    template <class Token>
    auto DownloadStringTaskAsync(const uri_type& address, CancellationToken cancellationToken, Token&& token)
    {
        return boost::asio::async_initiate<Token, void(std::exception_ptr, std::string)>(
            [this](auto handler, const uri_type& a, CancellationToken ct) {
                start_task(a, std::move(ct), std::move(handler));
            },
            token, address, std::move(cancellationToken));
    }

    // Cancels the operation in flight, if any.
    void CancelAsync();
    bool IsBusy() const;

    WebHeaderCollection& Headers() noexcept { return headers_; }
    // The address relative ones resolve against; empty for none. A value
    // that is not an absolute URI -> ArgumentException.
    std::string BaseAddress() const;
    void BaseAddress(const std::string& value);

private:
    enum class operation { download_string, download_data, download_file, upload_string };
    struct outcome;

    void start(operation op, const uri_type& address, std::string method, std::string body, std::string fileName,
               std::any userToken);
    outcome run_sync(operation op, const uri_type& address, std::string method, std::string body,
                     std::string fileName);
    void start_task(const uri_type& address, CancellationToken cancellationToken,
                    boost::asio::any_completion_handler<void(std::exception_ptr, std::string)> handler);
    void raise(operation op, outcome& result, std::any userToken);

    std::shared_ptr<detail::web_client_state> state_;
    WebHeaderCollection headers_;
    std::optional<Uri> base_address_;
};

} // namespace dotasync

#endif
