// TcpClient: a TCP connection made simple, as .NET's: connect, then read and
// write through GetStream().
//
//   TcpClient client;
//   co_await client.ConnectAsync("localhost", 8080, asio::use_awaitable);
//   NetworkStream& stream = client.GetStream();
//
// Completion signature of ConnectAsync: void(std::exception_ptr).
//
// A TcpClient made without an address family uses a dual-mode IPv6 socket
// (IPv4 peers too), or IPv4 where the machine has no IPv6. GetStream() on a
// client that is not connected -> InvalidOperationException; every member
// after Close -> ObjectDisposedException. Close closes the stream and the
// socket; operations in flight complete as Socket::Close says.
//
// Thread-safety: every member may be called from any thread.
#ifndef DOTASYNC_NET_TCP_CLIENT_HPP
#define DOTASYNC_NET_TCP_CLIENT_HPP

#include <dotasync/core/export.hpp>
#include <dotasync/net/network_stream.hpp>
#include <dotasync/net/socket.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

namespace dotasync {

class TcpClient;
using TcpClientPtr = std::shared_ptr<TcpClient>;

namespace detail {
DOTASYNC_API inline constexpr char tcp_client_connect_method = 0;
}

class DOTASYNC_API TcpClient {
public:
    using executor_type = Socket::executor_type;

    TcpClient();
    explicit TcpClient(dotasync::AddressFamily family);
    // Connects at once (SocketException on failure).
    TcpClient(const std::string& hostname, int port);
    explicit TcpClient(executor_type executor);
    TcpClient(executor_type executor, dotasync::AddressFamily family);
    TcpClient(executor_type executor, const std::string& hostname, int port);
    // A client over a connected socket (what TcpListener::AcceptTcpClient
    // returns); a null socket -> ArgumentNullException.
    explicit TcpClient(SocketPtr acceptedSocket);
    ~TcpClient();
    TcpClient(const TcpClient&) = delete;
    TcpClient& operator=(const TcpClient&) = delete;

    void Connect(const std::string& hostname, int port);
    void Connect(const IPAddress& address, int port);
    void Connect(const IPEndPoint& remoteEP);
    IAsyncResultPtr BeginConnect(const std::string& host, int port, AsyncCallback requestCallback, std::any state);
    IAsyncResultPtr BeginConnect(const IPAddress& address, int port, AsyncCallback requestCallback, std::any state);
    void EndConnect(const IAsyncResultPtr& asyncResult);
    template <class Token>
    auto ConnectAsync(const std::string& host, int port, Token&& token)
    {
        return client()->ConnectAsync(host, port, std::forward<Token>(token));
    }
    template <class Token>
    auto ConnectAsync(const std::string& host, int port, CancellationToken cancellationToken, Token&& token)
    {
        return client()->ConnectAsync(host, port, std::move(cancellationToken), std::forward<Token>(token));
    }
    template <class Token>
    auto ConnectAsync(const IPAddress& address, int port, Token&& token)
    {
        return client()->ConnectAsync(address, port, std::forward<Token>(token));
    }
    template <class Token>
    auto ConnectAsync(const IPAddress& address, int port, CancellationToken cancellationToken, Token&& token)
    {
        return client()->ConnectAsync(address, port, std::move(cancellationToken), std::forward<Token>(token));
    }
    template <class Token>
    auto ConnectAsync(const IPEndPoint& remoteEP, CancellationToken cancellationToken, Token&& token)
    {
        return client()->ConnectAsync(remoteEP, std::move(cancellationToken), std::forward<Token>(token));
    }

    // The stream over the connection, made on the first call; it owns the
    // socket.
    NetworkStream& GetStream();

    bool Connected() const;
    int Available() const;
    bool NoDelay() const;
    void NoDelay(bool value);
    int ReceiveTimeout() const;
    void ReceiveTimeout(int value);
    int SendTimeout() const;
    void SendTimeout(int value);
    int ReceiveBufferSize() const;
    void ReceiveBufferSize(int value);
    int SendBufferSize() const;
    void SendBufferSize(int value);
    LingerOption LingerState() const;
    void LingerState(const LingerOption& value);

    // The socket (.NET's Client property).
    SocketPtr Client() const;

    void Close();
    void Dispose() { Close(); }

private:
    const SocketPtr& client() const;

    SocketPtr socket_;
    mutable std::mutex mutex_;
    std::unique_ptr<NetworkStream> stream_;
    std::atomic<bool> closed_{false};
};

} // namespace dotasync

#endif
