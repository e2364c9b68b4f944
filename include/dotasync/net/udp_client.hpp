// UdpClient: datagrams made simple, as .NET's.
//
//   UdpClient udp(0);                                       // bound to a free port
//   udp.Send(bytes, n, IPEndPoint(IPAddress::Loopback, 9000));
//   UdpReceiveResult r = co_await udp.ReceiveAsync(asio::use_awaitable);
//
// Completion signatures:
//   SendAsync      void(std::exception_ptr, int)
//   ReceiveAsync   void(std::exception_ptr, UdpReceiveResult)
//
// A receive returns one whole datagram (up to 65,507 bytes) and its sender.
// Sending to an address on a connected client -> InvalidOperationException,
// as .NET; without an address on an unconnected one -> InvalidOperationException.
// After Close every member throws ObjectDisposedException and operations in
// flight complete with it.
//
// Thread-safety: every member may be called from any thread.
#ifndef DOTASYNC_NET_UDP_CLIENT_HPP
#define DOTASYNC_NET_UDP_CLIENT_HPP

#include <dotasync/core/export.hpp>
#include <dotasync/io/detail/completion_adapter.hpp>
#include <dotasync/net/dns.hpp>
#include <dotasync/net/socket.hpp>

#include <boost/asio/async_result.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace dotasync {

struct UdpReceiveResult {
    std::vector<std::uint8_t> Buffer;
    IPEndPoint RemoteEndPoint{IPAddress::Any, 0};
};

namespace detail {
DOTASYNC_API inline constexpr char udp_send_method = 0;
DOTASYNC_API inline constexpr char udp_receive_method = 0;
}

class DOTASYNC_API UdpClient {
public:
    using executor_type = Socket::executor_type;
    // The largest payload of an IPv4 UDP datagram.
    static constexpr int max_datagram = 65507;

    UdpClient();
    explicit UdpClient(int port);
    explicit UdpClient(dotasync::AddressFamily family);
    UdpClient(int port, dotasync::AddressFamily family);
    explicit UdpClient(const IPEndPoint& localEP);
    UdpClient(const std::string& hostname, int port);
    explicit UdpClient(executor_type executor);
    UdpClient(executor_type executor, int port);
    UdpClient(executor_type executor, const IPEndPoint& localEP);
    ~UdpClient();
    UdpClient(const UdpClient&) = delete;
    UdpClient& operator=(const UdpClient&) = delete;

    void Connect(const std::string& hostname, int port);
    void Connect(const IPAddress& addr, int port);
    void Connect(const IPEndPoint& endPoint);

    // bytes: any contiguous range of one-byte elements; the first `bytes`
    // count of it are sent (more than it holds -> ArgumentOutOfRangeException).
    template <detail::byte_range B>
    int Send(const B& dgram, int bytes);
    template <detail::byte_range B>
    int Send(const B& dgram, int bytes, const IPEndPoint& endPoint);
    template <detail::byte_range B>
    int Send(const B& dgram, int bytes, const std::string& hostname, int port);
    // One datagram; remoteEP receives its sender.
    std::vector<std::uint8_t> Receive(IPEndPoint& remoteEP);

    template <detail::byte_range B>
    IAsyncResultPtr BeginSend(const B& datagram, int bytes, AsyncCallback requestCallback, std::any state);
    template <detail::byte_range B>
    IAsyncResultPtr BeginSend(const B& datagram, int bytes, const IPEndPoint& endPoint, AsyncCallback requestCallback,
                              std::any state);
    int EndSend(const IAsyncResultPtr& asyncResult);
    IAsyncResultPtr BeginReceive(AsyncCallback requestCallback, std::any state);
    std::vector<std::uint8_t> EndReceive(const IAsyncResultPtr& asyncResult, IPEndPoint& remoteEP);

    template <detail::byte_range B, class Token>
    auto SendAsync(const B& datagram, int bytes, Token&& token)
    {
        return send_async(bytes_of(datagram, bytes), nullptr, std::forward<Token>(token));
    }
    template <detail::byte_range B, class Token>
    auto SendAsync(const B& datagram, int bytes, const IPEndPoint& endPoint, Token&& token)
    {
        return send_async(bytes_of(datagram, bytes), &endPoint, std::forward<Token>(token));
    }
    template <class Token>
    auto ReceiveAsync(Token&& token)
    {
        return ReceiveAsync(CancellationToken::None(), std::forward<Token>(token));
    }
    template <class Token>
    auto ReceiveAsync(CancellationToken cancellationToken, Token&& token)
    {
        return boost::asio::async_initiate<Token, void(std::exception_ptr, UdpReceiveResult)>(
            [](auto handler, SocketPtr socket, CancellationToken ct) {
                auto buffer = std::make_shared<std::vector<std::uint8_t>>(max_datagram);
                auto& bytes = *buffer;
                socket->ReceiveFromAsync(bytes, SocketFlags::None, IPEndPoint(IPAddress::Any, 0), std::move(ct),
                                         detail::adapt_completion(std::move(handler), received{std::move(buffer)}));
            },
            token, receiving_socket(), std::move(cancellationToken));
    }

    bool EnableBroadcast() const;
    void EnableBroadcast(bool value);
    short Ttl() const;
    void Ttl(short value);
    int Available() const;
    void JoinMulticastGroup(const IPAddress& multicastAddr);
    void DropMulticastGroup(const IPAddress& multicastAddr);

    SocketPtr Client() const { return socket_; }
    void Close();
    void Dispose() { Close(); }

private:
    struct received {
        std::shared_ptr<std::vector<std::uint8_t>> buffer;

        template <class Handler>
        void operator()(Handler handler, std::exception_ptr error, SocketReceiveFromResult r) const
        {
            UdpReceiveResult result;
            if (!error) {
                buffer->resize(static_cast<std::size_t>(r.ReceivedBytes));
                result.Buffer = std::move(*buffer);
                result.RemoteEndPoint = r.RemoteEndPoint;
            }
            std::move(handler)(std::move(error), std::move(result));
        }
    };

    template <detail::byte_range B>
    static std::span<const std::byte> bytes_of(const B& datagram, int bytes)
    {
        const auto whole = detail::whole_bytes(datagram);
        if (bytes < 0 || static_cast<std::size_t>(bytes) > whole.size())
            throw ArgumentOutOfRangeException("bytes", "bytes must be between 0 and the size of the datagram.");
        return whole.first(static_cast<std::size_t>(bytes));
    }

    template <class Token>
    auto send_async(std::span<const std::byte> bytes, const IPEndPoint* endPoint, Token&& token)
    {
        const auto& socket = sending_socket(endPoint);
        if (endPoint != nullptr)
            return socket->SendToAsync(bytes, SocketFlags::None, *endPoint, CancellationToken::None(),
                                       std::forward<Token>(token));
        return socket->SendAsync(bytes, SocketFlags::None, CancellationToken::None(), std::forward<Token>(token));
    }

    const SocketPtr& client() const;
    // The socket, after .NET's checks for sending to endPoint (null: to the
    // connected peer).
    const SocketPtr& sending_socket(const IPEndPoint* endPoint) const;
    // The socket, bound to an ephemeral port first when it is not bound yet
    // (.NET receives on an unbound UdpClient only after a send bound it).
    SocketPtr receiving_socket() const;
    void multicast(const IPAddress& group, bool join);
    int send_bytes(std::span<const std::byte> bytes, const IPEndPoint* endPoint);

    SocketPtr socket_;
    std::atomic<bool> connected_{false};
    std::atomic<bool> closed_{false};
};

template <detail::byte_range B>
int UdpClient::Send(const B& dgram, int bytes)
{
    return send_bytes(bytes_of(dgram, bytes), nullptr);
}

template <detail::byte_range B>
int UdpClient::Send(const B& dgram, int bytes, const IPEndPoint& endPoint)
{
    return send_bytes(bytes_of(dgram, bytes), &endPoint);
}

template <detail::byte_range B>
int UdpClient::Send(const B& dgram, int bytes, const std::string& hostname, int port)
{
    const auto span = bytes_of(dgram, bytes);
    const IPEndPoint endPoint(Dns::GetHostAddresses(hostname).at(0), port);
    return send_bytes(span, &endPoint);
}

template <detail::byte_range B>
IAsyncResultPtr UdpClient::BeginSend(const B& datagram, int bytes, AsyncCallback requestCallback, std::any state)
{
    return send_async(bytes_of(datagram, bytes), nullptr,
                      detail::bind_apm_owner(apm(std::move(requestCallback), std::move(state)), this,
                                             &detail::udp_send_method));
}

template <detail::byte_range B>
IAsyncResultPtr UdpClient::BeginSend(const B& datagram, int bytes, const IPEndPoint& endPoint,
                                     AsyncCallback requestCallback, std::any state)
{
    return send_async(bytes_of(datagram, bytes), &endPoint,
                      detail::bind_apm_owner(apm(std::move(requestCallback), std::move(state)), this,
                                             &detail::udp_send_method));
}

} // namespace dotasync

#endif
