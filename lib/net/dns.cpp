#include <dotasync/net/dns.hpp>

#include <dotasync/core/error_mapping.hpp>
#include <dotasync/core/exceptions.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include <boost/asio/append.hpp>
#include <boost/asio/ip/host_name.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <algorithm>
#include <mutex>
#include <optional>

namespace dotasync {

namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// The resolver's answer as .NET's exception: every resolver error becomes a
// SocketException (a missing name is HostNotFound).
std::exception_ptr dns_failure(const boost::system::error_code& ec, const std::string& host)
{
    if (!ec)
        return {};
    if (ec == asio::error::operation_aborted)
        return std::make_exception_ptr(OperationCanceledException("The name resolution was canceled."));
    const std::error_code code = ec;
    const SocketError error = socket_error_of(code);
    if (error == SocketError::SocketError)
        return std::make_exception_ptr(SocketException(socket_error_code(SocketError::HostNotFound),
                                                       "No such host is known: '" + host + "'."));
    return std::make_exception_ptr(SocketException(code, ec.message() + ": '" + host + "'"));
}

std::vector<IPAddress> addresses_of(const tcp::resolver::results_type& results)
{
    std::vector<IPAddress> addresses;
    for (const auto& entry : results) {
        IPAddress address(entry.endpoint().address());
        if (std::find(addresses.begin(), addresses.end(), address) == addresses.end())
            addresses.push_back(std::move(address));
    }
    return addresses;
}

IPHostEntry entry_of(const tcp::resolver::results_type& results, const std::string& host)
{
    IPHostEntry entry;
    entry.HostName(results.empty() || results.begin()->host_name().empty() ? host : results.begin()->host_name());
    entry.AddressList(addresses_of(results));
    return entry;
}

std::string lookup_name(const std::string& host)
{
    return host.empty() ? asio::ip::host_name() : host;
}

void check_name(const std::string& host)
{
    if (host.size() > 255)
        throw ArgumentOutOfRangeException("hostNameOrAddress", "A host name is at most 255 characters.");
    if (host.find('\0') != std::string::npos)
        throw ArgumentException("A host name cannot hold a NUL character.", "hostNameOrAddress");
}

// One asynchronous lookup: the resolver's answer and a cancellation race to
// complete the handler; the first one wins.
template <class Signature>
struct lookup : std::enable_shared_from_this<lookup<Signature>> {
    explicit lookup(asio::any_completion_handler<Signature> h)
        : handler(std::move(h)), resolver(ThreadPool::Executor())
    {
    }

    template <class... Values>
    void finish(Values&&... values)
    {
        std::optional<asio::any_completion_handler<Signature>> taken;
        {
            std::lock_guard lock(mutex);
            if (!handler)
                return;
            taken.emplace(std::move(handler));
        }
        registration.Dispose();
        asio::post(ThreadPool::Executor(), asio::append(std::move(*taken), std::forward<Values>(values)...));
    }

    void watch(const CancellationToken& token)
    {
        if (!token.CanBeCanceled())
            return;
        std::weak_ptr<lookup> weak = this->shared_from_this();
        auto registered = token.Register([weak] {
            if (auto self = weak.lock())
                self->cancel();
        });
        std::lock_guard lock(mutex);
        registration = std::move(registered);
    }

    void cancel();

    std::mutex mutex;
    asio::any_completion_handler<Signature> handler;
    tcp::resolver resolver;
    CancellationTokenRegistration registration;
};

template <>
void lookup<void(std::exception_ptr, std::vector<IPAddress>)>::cancel()
{
    finish(std::make_exception_ptr(OperationCanceledException("The name resolution was canceled.")),
           std::vector<IPAddress>());
}

template <>
void lookup<void(std::exception_ptr, IPHostEntry)>::cancel()
{
    finish(std::make_exception_ptr(OperationCanceledException("The name resolution was canceled.")), IPHostEntry());
}

} // namespace

std::string Dns::GetHostName()
{
    return asio::ip::host_name();
}

std::vector<IPAddress> Dns::GetHostAddresses(const std::string& hostNameOrAddress)
{
    check_name(hostNameOrAddress);
    IPAddress address;
    if (IPAddress::TryParse(hostNameOrAddress, address))
        return {address};
    tcp::resolver resolver(ThreadPool::Executor());
    boost::system::error_code ec;
    const auto host = lookup_name(hostNameOrAddress);
    const auto results = resolver.resolve(host, "", ec);
    if (auto failure = dns_failure(ec, host))
        std::rethrow_exception(failure);
    return addresses_of(results);
}

IPHostEntry Dns::GetHostEntry(const std::string& hostNameOrAddress)
{
    check_name(hostNameOrAddress);
    IPAddress address;
    if (IPAddress::TryParse(hostNameOrAddress, address))
        return GetHostEntry(address);
    tcp::resolver resolver(ThreadPool::Executor());
    boost::system::error_code ec;
    const auto host = lookup_name(hostNameOrAddress);
    const auto results = resolver.resolve(host, "", tcp::resolver::canonical_name, ec);
    if (auto failure = dns_failure(ec, host))
        std::rethrow_exception(failure);
    return entry_of(results, host);
}

IPHostEntry Dns::GetHostEntry(const IPAddress& address)
{
    tcp::resolver resolver(ThreadPool::Executor());
    boost::system::error_code ec;
    const auto results = resolver.resolve(tcp::endpoint(address.native(), 0), ec);
    if (auto failure = dns_failure(ec, address.ToString()))
        std::rethrow_exception(failure);
    IPHostEntry entry;
    entry.HostName(results.empty() ? address.ToString() : results.begin()->host_name());
    entry.AddressList({address});
    return entry;
}

void Dns::start_addresses(asio::any_completion_handler<addresses_signature> handler, const std::string& hostName,
                          CancellationToken cancellationToken)
{
    check_name(hostName);
    IPAddress address;
    if (IPAddress::TryParse(hostName, address)) {
        asio::post(ThreadPool::Executor(),
                   asio::append(std::move(handler), std::exception_ptr(), std::vector<IPAddress>{address}));
        return;
    }
    auto op = std::make_shared<lookup<addresses_signature>>(std::move(handler));
    op->watch(cancellationToken);
    // A token canceled before the call has completed the handler already;
    // starting the lookup anyway would only leave it running unobserved.
    if (cancellationToken.IsCancellationRequested())
        return;
    const auto host = lookup_name(hostName);
    op->resolver.async_resolve(host, "", [op, host](boost::system::error_code ec, tcp::resolver::results_type results) {
        auto failure = dns_failure(ec, host);
        op->finish(failure, failure ? std::vector<IPAddress>() : addresses_of(results));
    });
}

void Dns::start_entry(asio::any_completion_handler<entry_signature> handler, const std::string& hostName,
                      CancellationToken cancellationToken)
{
    check_name(hostName);
    auto op = std::make_shared<lookup<entry_signature>>(std::move(handler));
    op->watch(cancellationToken);
    // A token canceled before the call has completed the handler already;
    // starting the lookup anyway would only leave it running unobserved.
    if (cancellationToken.IsCancellationRequested())
        return;
    IPAddress address;
    if (IPAddress::TryParse(hostName, address)) {
        op->resolver.async_resolve(tcp::endpoint(address.native(), 0),
                                   [op, address](boost::system::error_code ec, tcp::resolver::results_type results) {
                                       auto failure = dns_failure(ec, address.ToString());
                                       IPHostEntry entry;
                                       if (!failure) {
                                           entry.HostName(results.empty() ? address.ToString()
                                                                          : results.begin()->host_name());
                                           entry.AddressList({address});
                                       }
                                       op->finish(failure, std::move(entry));
                                   });
        return;
    }
    const auto host = lookup_name(hostName);
    op->resolver.async_resolve(host, "", tcp::resolver::canonical_name,
                               [op, host](boost::system::error_code ec, tcp::resolver::results_type results) {
                                   auto failure = dns_failure(ec, host);
                                   op->finish(failure, failure ? IPHostEntry() : entry_of(results, host));
                               });
}

namespace {
inline constexpr char dns_addresses_method = 0;
inline constexpr char dns_entry_method = 0;
} // namespace

IAsyncResultPtr Dns::BeginGetHostAddresses(const std::string& hostNameOrAddress, AsyncCallback requestCallback,
                                           std::any state)
{
    return GetHostAddressesAsync(hostNameOrAddress, detail::bind_apm_owner(apm(std::move(requestCallback),
                                                                               std::move(state)),
                                                                           &dns_addresses_method,
                                                                           &dns_addresses_method));
}

std::vector<IPAddress> Dns::EndGetHostAddresses(const IAsyncResultPtr& asyncResult)
{
    return detail::end_operation<addresses_signature>(asyncResult, &dns_addresses_method, &dns_addresses_method);
}

IAsyncResultPtr Dns::BeginGetHostEntry(const std::string& hostNameOrAddress, AsyncCallback requestCallback,
                                       std::any stateObject)
{
    return GetHostEntryAsync(hostNameOrAddress, detail::bind_apm_owner(apm(std::move(requestCallback),
                                                                           std::move(stateObject)),
                                                                       &dns_entry_method, &dns_entry_method));
}

IPHostEntry Dns::EndGetHostEntry(const IAsyncResultPtr& asyncResult)
{
    return detail::end_operation<entry_signature>(asyncResult, &dns_entry_method, &dns_entry_method);
}

} // namespace dotasync
