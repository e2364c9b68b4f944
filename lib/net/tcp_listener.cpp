#include <dotasync/net/tcp_listener.hpp>

#include <dotasync/core/exceptions.hpp>
#include <dotasync/threading/thread_pool.hpp>

namespace dotasync {

TcpListener::TcpListener(const IPAddress& localaddr, int port)
    : TcpListener(ThreadPool::Executor(), IPEndPoint(localaddr, port))
{
}

TcpListener::TcpListener(const IPEndPoint& localEP) : TcpListener(ThreadPool::Executor(), localEP) {}

TcpListener::TcpListener(executor_type executor, const IPAddress& localaddr, int port)
    : TcpListener(std::move(executor), IPEndPoint(localaddr, port))
{
}

TcpListener::TcpListener(executor_type executor, const IPEndPoint& localEP)
    : executor_(std::move(executor)), endpoint_(localEP)
{
    if (!executor_)
        throw ArgumentNullException("executor");
    server_ = make_server();
}

TcpListener::~TcpListener()
{
    Stop();
}

std::unique_ptr<TcpListener> TcpListener::Create(int port)
{
    auto listener = std::make_unique<TcpListener>(IPAddress::IPv6Any, port);
    {
        std::lock_guard lock(listener->mutex_);
        if (listener->server_->AddressFamily() == dotasync::AddressFamily::InterNetworkV6) {
            listener->server_->DualMode(true);
            listener->dual_mode_ = true;
        }
    }
    return listener;
}

SocketPtr TcpListener::make_server() const
{
    return std::make_shared<Socket>(executor_, endpoint_.AddressFamily(), SocketType::Stream, ProtocolType::Tcp);
}

void TcpListener::Start()
{
    Start(static_cast<int>(boost::asio::socket_base::max_listen_connections));
}

void TcpListener::Start(int backlog)
{
    if (backlog < 0)
        throw ArgumentOutOfRangeException("backlog", "The backlog must not be negative.");
    std::lock_guard lock(mutex_);
    if (active_)
        return;
    try {
        server_->Bind(endpoint_);
        server_->Listen(backlog);
    } catch (...) {
        server_->Close();
        server_ = make_server();
        if (dual_mode_)
            server_->DualMode(true);
        throw;
    }
    active_ = true;
}

void TcpListener::Stop()
{
    SocketPtr old;
    {
        std::lock_guard lock(mutex_);
        if (!active_)
            return;
        old = std::move(server_);
        active_ = false;
        // A fresh socket, so that Start works again, as in .NET; Create's
        // dual mode carries over.
        server_ = make_server();
        if (old->AddressFamily() == dotasync::AddressFamily::InterNetworkV6)
            server_->DualMode(dual_mode_);
    }
    if (old)
        old->Close();
}

bool TcpListener::Pending() const
{
    return active_server()->Poll(0, SelectMode::SelectRead);
}

IPEndPoint TcpListener::LocalEndpoint() const
{
    std::lock_guard lock(mutex_);
    if (active_)
        if (auto bound = server_->LocalEndPoint())
            return *bound;
    return endpoint_;
}

SocketPtr TcpListener::Server() const
{
    std::lock_guard lock(mutex_);
    return server_;
}

bool TcpListener::Active() const
{
    std::lock_guard lock(mutex_);
    return active_;
}

SocketPtr TcpListener::active_server() const
{
    std::lock_guard lock(mutex_);
    if (!active_)
        throw InvalidOperationException("Not listening. You must call the Start() method before calling this method.");
    return server_;
}

SocketPtr TcpListener::AcceptSocket()
{
    return active_server()->Accept();
}

TcpClientPtr TcpListener::AcceptTcpClient()
{
    return std::make_shared<TcpClient>(active_server()->Accept());
}

IAsyncResultPtr TcpListener::BeginAcceptSocket(AsyncCallback callback, std::any state)
{
    return active_server()->AcceptAsync(detail::bind_apm_owner(apm(std::move(callback), std::move(state)), this,
                                                               &detail::tcp_listener_accept_socket_method));
}

SocketPtr TcpListener::EndAcceptSocket(const IAsyncResultPtr& asyncResult)
{
    return detail::end_operation<void(std::exception_ptr, SocketPtr)>(asyncResult, this,
                                                                      &detail::tcp_listener_accept_socket_method);
}

IAsyncResultPtr TcpListener::BeginAcceptTcpClient(AsyncCallback callback, std::any state)
{
    return active_server()->AcceptAsync(detail::bind_apm_owner(apm(std::move(callback), std::move(state)), this,
                                                               &detail::tcp_listener_accept_client_method));
}

TcpClientPtr TcpListener::EndAcceptTcpClient(const IAsyncResultPtr& asyncResult)
{
    auto socket = detail::end_operation<void(std::exception_ptr, SocketPtr)>(
        asyncResult, this, &detail::tcp_listener_accept_client_method);
    return std::make_shared<TcpClient>(std::move(socket));
}

} // namespace dotasync
