#include <dotasync/net/udp_client.hpp>

#include <dotasync/core/exceptions.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include <boost/asio/ip/multicast.hpp>

#include <netinet/in.h>
#include <sys/socket.h>

namespace dotasync {

namespace {

SocketPtr udp_socket(UdpClient::executor_type executor, dotasync::AddressFamily family)
{
    if (family != dotasync::AddressFamily::InterNetwork && family != dotasync::AddressFamily::InterNetworkV6)
        throw ArgumentException("A UdpClient is for InterNetwork or InterNetworkV6.", "family");
    return std::make_shared<Socket>(std::move(executor), family, SocketType::Dgram, ProtocolType::Udp);
}

int checked_port(int port)
{
    if (port < IPEndPoint::MinPort || port > IPEndPoint::MaxPort)
        throw ArgumentOutOfRangeException("port", "The port must be between 0 and 65535.");
    return port;
}

} // namespace

UdpClient::UdpClient() : UdpClient(ThreadPool::Executor()) {}

UdpClient::UdpClient(int port) : UdpClient(ThreadPool::Executor(), port) {}

UdpClient::UdpClient(dotasync::AddressFamily family)
    : socket_(udp_socket(ThreadPool::Executor(), family))
{
}

UdpClient::UdpClient(int port, dotasync::AddressFamily family)
    : socket_(udp_socket(ThreadPool::Executor(), family))
{
    socket_->Bind(IPEndPoint(family == dotasync::AddressFamily::InterNetwork ? IPAddress::Any : IPAddress::IPv6Any,
                             checked_port(port)));
}

UdpClient::UdpClient(const IPEndPoint& localEP) : UdpClient(ThreadPool::Executor(), localEP) {}

UdpClient::UdpClient(const std::string& hostname, int port) : UdpClient(ThreadPool::Executor())
{
    Connect(hostname, port);
}

UdpClient::UdpClient(executor_type executor)
    : socket_(udp_socket(std::move(executor), dotasync::AddressFamily::InterNetwork))
{
}

UdpClient::UdpClient(executor_type executor, int port)
    : socket_(udp_socket(std::move(executor), dotasync::AddressFamily::InterNetwork))
{
    socket_->Bind(IPEndPoint(IPAddress::Any, checked_port(port)));
}

UdpClient::UdpClient(executor_type executor, const IPEndPoint& localEP)
    : socket_(udp_socket(std::move(executor), localEP.AddressFamily()))
{
    socket_->Bind(localEP);
}

UdpClient::~UdpClient()
{
    Close();
}

const SocketPtr& UdpClient::client() const
{
    if (closed_.load())
        throw ObjectDisposedException("System.Net.Sockets.UdpClient");
    return socket_;
}

void UdpClient::Connect(const std::string& hostname, int port)
{
    checked_port(port);
    for (const auto& address : Dns::GetHostAddresses(hostname)) {
        if (address.AddressFamily() == socket_->AddressFamily()) {
            Connect(IPEndPoint(address, port));
            return;
        }
    }
    throw SocketException(SocketError::AddressFamilyNotSupported);
}

void UdpClient::Connect(const IPAddress& addr, int port)
{
    Connect(IPEndPoint(addr, port));
}

void UdpClient::Connect(const IPEndPoint& endPoint)
{
    client()->Connect(endPoint);
    connected_.store(true);
}

const SocketPtr& UdpClient::sending_socket(const IPEndPoint* endPoint) const
{
    const auto& socket = client();
    if (endPoint != nullptr && connected_.load())
        throw InvalidOperationException("Cannot send packets to an arbitrary host while connected.");
    if (endPoint == nullptr && !connected_.load())
        throw InvalidOperationException("The operation is not allowed on non-connected sockets.");
    return socket;
}

SocketPtr UdpClient::receiving_socket() const
{
    const auto& socket = client();
    if (!socket->IsBound())
        socket->Bind(IPEndPoint(socket->AddressFamily() == dotasync::AddressFamily::InterNetwork
                                    ? IPAddress::Any
                                    : IPAddress::IPv6Any,
                                0));
    return socket;
}

int UdpClient::send_bytes(std::span<const std::byte> bytes, const IPEndPoint* endPoint)
{
    const auto& socket = sending_socket(endPoint);
    return endPoint != nullptr ? socket->SendTo(bytes, *endPoint) : socket->Send(bytes);
}

std::vector<std::uint8_t> UdpClient::Receive(IPEndPoint& remoteEP)
{
    std::vector<std::uint8_t> buffer(max_datagram);
    const int n = receiving_socket()->ReceiveFrom(buffer, remoteEP);
    buffer.resize(static_cast<std::size_t>(n));
    return buffer;
}

int UdpClient::EndSend(const IAsyncResultPtr& asyncResult)
{
    return detail::end_operation<void(std::exception_ptr, int)>(asyncResult, this, &detail::udp_send_method);
}

IAsyncResultPtr UdpClient::BeginReceive(AsyncCallback requestCallback, std::any state)
{
    return ReceiveAsync(detail::bind_apm_owner(apm(std::move(requestCallback), std::move(state)), this,
                                               &detail::udp_receive_method));
}

std::vector<std::uint8_t> UdpClient::EndReceive(const IAsyncResultPtr& asyncResult, IPEndPoint& remoteEP)
{
    auto result = detail::end_operation<void(std::exception_ptr, UdpReceiveResult)>(asyncResult, this,
                                                                                     &detail::udp_receive_method);
    remoteEP = result.RemoteEndPoint;
    return std::move(result.Buffer);
}

bool UdpClient::EnableBroadcast() const
{
    return client()->EnableBroadcast();
}

void UdpClient::EnableBroadcast(bool value)
{
    client()->EnableBroadcast(value);
}

short UdpClient::Ttl() const
{
    return client()->Ttl();
}

void UdpClient::Ttl(short value)
{
    client()->Ttl(value);
}

int UdpClient::Available() const
{
    return client()->Available();
}

void UdpClient::multicast(const IPAddress& group, bool join)
{
    const auto& socket = client();
    if (group.AddressFamily() != socket->AddressFamily())
        throw ArgumentException("The multicast group is of another address family than the client.",
                                "multicastAddr");
    auto& native = socket->native_udp_socket();
    boost::system::error_code ec;
    if (join)
        native.set_option(boost::asio::ip::multicast::join_group(group.native()), ec);
    else
        native.set_option(boost::asio::ip::multicast::leave_group(group.native()), ec);
    if (ec)
        throw SocketException(std::error_code(ec), ec.message());
}

void UdpClient::JoinMulticastGroup(const IPAddress& multicastAddr)
{
    multicast(multicastAddr, true);
}

void UdpClient::DropMulticastGroup(const IPAddress& multicastAddr)
{
    multicast(multicastAddr, false);
}

void UdpClient::Close()
{
    if (closed_.exchange(true))
        return;
    socket_->Close();
}

} // namespace dotasync
