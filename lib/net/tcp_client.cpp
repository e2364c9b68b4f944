#include <dotasync/net/tcp_client.hpp>

#include <dotasync/core/exceptions.hpp>
#include <dotasync/threading/thread_pool.hpp>

namespace dotasync {

namespace {

SocketPtr dual_mode_socket(TcpClient::executor_type executor)
{
    return std::make_shared<Socket>(std::move(executor), SocketType::Stream, ProtocolType::Tcp);
}

} // namespace

TcpClient::TcpClient() : TcpClient(ThreadPool::Executor()) {}

TcpClient::TcpClient(dotasync::AddressFamily family) : TcpClient(ThreadPool::Executor(), family) {}

TcpClient::TcpClient(const std::string& hostname, int port) : TcpClient(ThreadPool::Executor(), hostname, port) {}

TcpClient::TcpClient(executor_type executor) : socket_(dual_mode_socket(std::move(executor))) {}

TcpClient::TcpClient(executor_type executor, dotasync::AddressFamily family)
{
    if (family != dotasync::AddressFamily::InterNetwork && family != dotasync::AddressFamily::InterNetworkV6)
        throw ArgumentException("A TcpClient is for InterNetwork or InterNetworkV6.", "family");
    socket_ = std::make_shared<Socket>(std::move(executor), family, SocketType::Stream, ProtocolType::Tcp);
}

TcpClient::TcpClient(executor_type executor, const std::string& hostname, int port)
    : socket_(dual_mode_socket(std::move(executor)))
{
    Connect(hostname, port);
}

TcpClient::TcpClient(SocketPtr acceptedSocket) : socket_(std::move(acceptedSocket))
{
    if (!socket_)
        throw ArgumentNullException("acceptedSocket");
}

TcpClient::~TcpClient()
{
    Close();
}

const SocketPtr& TcpClient::client() const
{
    if (closed_.load())
        throw ObjectDisposedException("System.Net.Sockets.TcpClient");
    return socket_;
}

void TcpClient::Connect(const std::string& hostname, int port)
{
    client()->Connect(hostname, port);
}

void TcpClient::Connect(const IPAddress& address, int port)
{
    client()->Connect(address, port);
}

void TcpClient::Connect(const IPEndPoint& remoteEP)
{
    client()->Connect(remoteEP);
}

IAsyncResultPtr TcpClient::BeginConnect(const std::string& host, int port, AsyncCallback requestCallback,
                                        std::any state)
{
    return client()->ConnectAsync(host, port,
                                  detail::bind_apm_owner(apm(std::move(requestCallback), std::move(state)), this,
                                                         &detail::tcp_client_connect_method));
}

IAsyncResultPtr TcpClient::BeginConnect(const IPAddress& address, int port, AsyncCallback requestCallback,
                                        std::any state)
{
    return client()->ConnectAsync(address, port,
                                  detail::bind_apm_owner(apm(std::move(requestCallback), std::move(state)), this,
                                                         &detail::tcp_client_connect_method));
}

void TcpClient::EndConnect(const IAsyncResultPtr& asyncResult)
{
    detail::end_operation<void(std::exception_ptr)>(asyncResult, this, &detail::tcp_client_connect_method);
}

NetworkStream& TcpClient::GetStream()
{
    const auto& socket = client();
    std::lock_guard lock(mutex_);
    if (!stream_) {
        if (!socket->Connected())
            throw InvalidOperationException("The operation is not allowed on non-connected sockets.");
        stream_ = std::make_unique<NetworkStream>(socket, true);
    }
    return *stream_;
}

bool TcpClient::Connected() const
{
    return !closed_.load() && socket_->Connected();
}

int TcpClient::Available() const
{
    return client()->Available();
}

bool TcpClient::NoDelay() const
{
    return client()->NoDelay();
}

void TcpClient::NoDelay(bool value)
{
    client()->NoDelay(value);
}

int TcpClient::ReceiveTimeout() const
{
    return client()->ReceiveTimeout();
}

void TcpClient::ReceiveTimeout(int value)
{
    client()->ReceiveTimeout(value);
}

int TcpClient::SendTimeout() const
{
    return client()->SendTimeout();
}

void TcpClient::SendTimeout(int value)
{
    client()->SendTimeout(value);
}

int TcpClient::ReceiveBufferSize() const
{
    return client()->ReceiveBufferSize();
}

void TcpClient::ReceiveBufferSize(int value)
{
    client()->ReceiveBufferSize(value);
}

int TcpClient::SendBufferSize() const
{
    return client()->SendBufferSize();
}

void TcpClient::SendBufferSize(int value)
{
    client()->SendBufferSize(value);
}

LingerOption TcpClient::LingerState() const
{
    return client()->LingerState();
}

void TcpClient::LingerState(const LingerOption& value)
{
    client()->LingerState(value);
}

SocketPtr TcpClient::Client() const
{
    return socket_;
}

void TcpClient::Close()
{
    if (closed_.exchange(true))
        return;
    std::unique_ptr<NetworkStream> stream;
    {
        std::lock_guard lock(mutex_);
        stream = std::move(stream_);
    }
    if (stream)
        stream->Close();
    socket_->Close();
}

} // namespace dotasync
