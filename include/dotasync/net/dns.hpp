// Dns: name resolution, as .NET's, through Asio's resolver.
//
//   std::vector<IPAddress> a = Dns::GetHostAddresses("localhost");
//   IPHostEntry e = co_await Dns::GetHostEntryAsync("example.com", asio::use_awaitable);
//
// Completion signatures:
//   GetHostAddressesAsync   void(std::exception_ptr, std::vector<IPAddress>)
//   GetHostEntryAsync       void(std::exception_ptr, IPHostEntry)
//
// A host name that is already an address is returned as it is, without a
// lookup (GetHostEntry of an address looks its name up, as .NET does). An
// empty name means this machine. An unknown host -> SocketException with
// SocketErrorCode() HostNotFound (TryAgain when the resolver could not reach
// its servers). The asynchronous forms run on the default runtime and
// complete on the handler's executor; a CancellationToken stops waiting for
// the answer (the completion is OperationCanceledException), though the
// system's resolver may go on looking the name up in the background.
//
// Thread-safety: every member may be called from any thread.
#ifndef DOTASYNC_NET_DNS_HPP
#define DOTASYNC_NET_DNS_HPP

#include <dotasync/core/apm_token.hpp>
#include <dotasync/core/cancellation.hpp>
#include <dotasync/core/export.hpp>
#include <dotasync/core/iasync_result.hpp>
#include <dotasync/net/ip_address.hpp>
#include <dotasync/net/ip_host_entry.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>

#include <any>
#include <exception>
#include <string>
#include <vector>

namespace dotasync {

struct DOTASYNC_API Dns {
    static std::string GetHostName();

    static std::vector<IPAddress> GetHostAddresses(const std::string& hostNameOrAddress);
    static IPHostEntry GetHostEntry(const std::string& hostNameOrAddress);
    static IPHostEntry GetHostEntry(const IPAddress& address);

    static IAsyncResultPtr BeginGetHostAddresses(const std::string& hostNameOrAddress, AsyncCallback requestCallback,
                                                 std::any state);
    static std::vector<IPAddress> EndGetHostAddresses(const IAsyncResultPtr& asyncResult);
    static IAsyncResultPtr BeginGetHostEntry(const std::string& hostNameOrAddress, AsyncCallback requestCallback,
                                             std::any stateObject);
    static IPHostEntry EndGetHostEntry(const IAsyncResultPtr& asyncResult);

    template <class Token>
    static auto GetHostAddressesAsync(const std::string& hostNameOrAddress, Token&& token)
    {
        return GetHostAddressesAsync(hostNameOrAddress, CancellationToken::None(), std::forward<Token>(token));
    }
    template <class Token>
    static auto GetHostAddressesAsync(const std::string& hostNameOrAddress, CancellationToken cancellationToken,
                                      Token&& token)
    {
        return boost::asio::async_initiate<Token, addresses_signature>(
            [](auto handler, const std::string& host, CancellationToken ct) {
                start_addresses(std::move(handler), host, std::move(ct));
            },
            token, hostNameOrAddress, std::move(cancellationToken));
    }

    template <class Token>
    static auto GetHostEntryAsync(const std::string& hostNameOrAddress, Token&& token)
    {
        return GetHostEntryAsync(hostNameOrAddress, CancellationToken::None(), std::forward<Token>(token));
    }
    template <class Token>
    static auto GetHostEntryAsync(const std::string& hostNameOrAddress, CancellationToken cancellationToken,
                                  Token&& token)
    {
        return boost::asio::async_initiate<Token, entry_signature>(
            [](auto handler, const std::string& host, CancellationToken ct) {
                start_entry(std::move(handler), host, std::move(ct));
            },
            token, hostNameOrAddress, std::move(cancellationToken));
    }

private:
    using addresses_signature = void(std::exception_ptr, std::vector<IPAddress>);
    using entry_signature = void(std::exception_ptr, IPHostEntry);

    static void start_addresses(boost::asio::any_completion_handler<addresses_signature> handler,
                                const std::string& host, CancellationToken cancellationToken);
    static void start_entry(boost::asio::any_completion_handler<entry_signature> handler, const std::string& host,
                            CancellationToken cancellationToken);
};

} // namespace dotasync

#endif
