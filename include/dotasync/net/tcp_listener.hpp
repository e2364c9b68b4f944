// TcpListener: listens for TCP connections, as .NET's.
//
//   TcpListener listener(IPAddress::Loopback, 8080);
//   listener.Start();
//   listener.BeginAcceptTcpClient(callback, state);         // EndAcceptTcpClient(ar) in the callback
//   TcpClientPtr c = co_await listener.AcceptTcpClientAsync(asio::use_awaitable);
//
// Completion signatures:
//   AcceptSocketAsync       void(std::exception_ptr, SocketPtr)
//   AcceptTcpClientAsync    void(std::exception_ptr, TcpClientPtr)
//
// Accepting before Start (or after Stop) -> InvalidOperationException. Stop
// closes the listening socket: accepts in flight complete with
// ObjectDisposedException; Start may be called again. Accepted connections
// complete on the listener's executor.
//
// Thread-safety: every member may be called from any thread.
#ifndef DOTASYNC_NET_TCP_LISTENER_HPP
#define DOTASYNC_NET_TCP_LISTENER_HPP

#include <dotasync/core/export.hpp>
#include <dotasync/io/detail/completion_adapter.hpp>
#include <dotasync/net/socket.hpp>
#include <dotasync/net/tcp_client.hpp>

#include <boost/asio/async_result.hpp>

#include <mutex>

namespace dotasync {

namespace detail {
DOTASYNC_API inline constexpr char tcp_listener_accept_socket_method = 0;
DOTASYNC_API inline constexpr char tcp_listener_accept_client_method = 0;
}

class DOTASYNC_API TcpListener {
public:
    using executor_type = Socket::executor_type;

    TcpListener(const IPAddress& localaddr, int port);
    explicit TcpListener(const IPEndPoint& localEP);
    TcpListener(executor_type executor, const IPAddress& localaddr, int port);
    TcpListener(executor_type executor, const IPEndPoint& localEP);
    ~TcpListener();
    TcpListener(const TcpListener&) = delete;
    TcpListener& operator=(const TcpListener&) = delete;

    // A listener on every IPv6 and IPv4 address (dual mode) at port.
    static std::unique_ptr<TcpListener> Create(int port);

    void Start();
    void Start(int backlog);
    void Stop();
    // Whether a connection is waiting to be accepted.
    bool Pending() const;
    // The bound end point once started (the port the system chose for 0).
    IPEndPoint LocalEndpoint() const;
    SocketPtr Server() const;
    bool Active() const;

    SocketPtr AcceptSocket();
    TcpClientPtr AcceptTcpClient();
    IAsyncResultPtr BeginAcceptSocket(AsyncCallback callback, std::any state);
    SocketPtr EndAcceptSocket(const IAsyncResultPtr& asyncResult);
    IAsyncResultPtr BeginAcceptTcpClient(AsyncCallback callback, std::any state);
    TcpClientPtr EndAcceptTcpClient(const IAsyncResultPtr& asyncResult);

    template <class Token>
    auto AcceptSocketAsync(Token&& token)
    {
        return AcceptSocketAsync(CancellationToken::None(), std::forward<Token>(token));
    }
    template <class Token>
    auto AcceptSocketAsync(CancellationToken cancellationToken, Token&& token)
    {
        return active_server()->AcceptAsync(std::move(cancellationToken), std::forward<Token>(token));
    }
    template <class Token>
    auto AcceptTcpClientAsync(Token&& token)
    {
        return AcceptTcpClientAsync(CancellationToken::None(), std::forward<Token>(token));
    }
    template <class Token>
    auto AcceptTcpClientAsync(CancellationToken cancellationToken, Token&& token)
    {
        return boost::asio::async_initiate<Token, void(std::exception_ptr, TcpClientPtr)>(
            [](auto handler, SocketPtr server, CancellationToken ct) {
                server->AcceptAsync(std::move(ct), detail::adapt_completion(std::move(handler), &client_of<decltype(handler)>));
            },
            token, active_server(), std::move(cancellationToken));
    }

private:
    template <class Handler>
    static void client_of(Handler handler, std::exception_ptr error, SocketPtr socket)
    {
        TcpClientPtr client;
        if (!error) {
            try {
                client = std::make_shared<TcpClient>(std::move(socket));
            } catch (...) {
                error = std::current_exception();
            }
        }
        std::move(handler)(std::move(error), std::move(client));
    }

    SocketPtr active_server() const;
    SocketPtr make_server() const;

    executor_type executor_;
    IPEndPoint endpoint_;
    mutable std::mutex mutex_;
    SocketPtr server_;
    bool active_ = false;
    bool dual_mode_ = false;
};

} // namespace dotasync

#endif
