#include <dotasync/net/socket.hpp>

#include <dotasync/core/exceptions.hpp>
#include <dotasync/net/dns.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/socket_base.hpp>

#include <cerrno>
#include <chrono>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace dotasync {

namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using udp = asio::ip::udp;

[[noreturn]] void throw_socket_error(int error)
{
    throw SocketException(std::error_code(error, std::system_category()));
}

// Waits up to timeout_ms (0 or -1: forever) for events; false on time-out.
bool wait_for(int fd, short events, int timeout_ms)
{
    pollfd p{fd, events, 0};
    const int wait = timeout_ms <= 0 ? -1 : timeout_ms;
    for (;;) {
        const int r = ::poll(&p, 1, wait);
        if (r > 0)
            return true;
        if (r == 0)
            return false;
        if (errno != EINTR)
            throw_socket_error(errno);
    }
}

// Asio's native_handle() is not const; reading it changes nothing.
template <class Variant>
int native_handle_of(const Variant& native)
{
    return std::visit(
        [](auto& s) -> int {
            if constexpr (std::is_same_v<std::decay_t<decltype(s)>, std::monostate>)
                return -1;
            else
                return s.native_handle();
        },
        const_cast<Variant&>(native));
}

} // namespace

// A synchronous call's hold on the descriptor: Close waits for it to leave.
class Socket::sync_scope {
public:
    explicit sync_scope(const Socket& socket) : owner_(socket.state_), state_(*owner_)
    {
        std::lock_guard lock(state_.mutex);
        if (state_.closed.load(std::memory_order_relaxed))
            socket.throw_disposed();
        fd_ = native_handle_of(socket.native_);
        blocking_ = socket.blocking_;
        receive_timeout_ = socket.receive_timeout_;
        send_timeout_ = socket.send_timeout_;
        state_.sync_users.fetch_add(1, std::memory_order_relaxed);
    }

    ~sync_scope()
    {
        if (state_.sync_users.fetch_sub(1, std::memory_order_release) == 1)
            state_.sync_users.notify_all();
    }

    sync_scope(const sync_scope&) = delete;
    sync_scope& operator=(const sync_scope&) = delete;

    int fd() const noexcept { return fd_; }
    // The socket's settings when the call began (read under the lock).
    bool blocking() const noexcept { return blocking_; }
    int receive_timeout() const noexcept { return receive_timeout_; }
    int send_timeout() const noexcept { return send_timeout_; }

    // Throws what a failed system call means: ObjectDisposedException when
    // Close interrupted it, the SocketException for errno otherwise.
    [[noreturn]] void fail(int error) const
    {
        if (state_.closed.load())
            std::rethrow_exception(detail::socket_disposed());
        std::rethrow_exception(detail::socket_failure(state_, {error, boost::system::system_category()}));
    }

    void check_open() const
    {
        if (state_.closed.load())
            std::rethrow_exception(detail::socket_disposed());
    }

    // After a system call that failed with error: returns when the call
    // should be tried again (interrupted, or the descriptor became ready
    // for events within timeout_ms), throws otherwise: a failure,
    // WouldBlock for a non-blocking socket, TimedOut, or
    // ObjectDisposedException when Close came meanwhile.
    void wait_to_retry(int error, short events, int timeout_ms) const
    {
        check_open();
        if (error == EINTR)
            return;
        if (error != EAGAIN)
            fail(error);
        if (!blocking_)
            throw SocketException(SocketError::WouldBlock);
        if (!wait_for(fd_, events, timeout_ms))
            throw SocketException(SocketError::TimedOut);
        check_open();
    }

private:
    // Held so that the state outlives the notification in the destructor:
    // a Close woken by the last call leaving may destroy the socket at once.
    std::shared_ptr<detail::socket_state> owner_;
    detail::socket_state& state_;
    int fd_ = -1;
    bool blocking_ = true;
    int receive_timeout_ = 0;
    int send_timeout_ = 0;
};

// ---- Construction ------------------------------------------------------------

Socket::Socket(dotasync::AddressFamily addressFamily, dotasync::SocketType socketType,
               dotasync::ProtocolType protocolType)
    : Socket(ThreadPool::Executor(), addressFamily, socketType, protocolType)
{
}

Socket::Socket(dotasync::SocketType socketType, dotasync::ProtocolType protocolType)
    : Socket(ThreadPool::Executor(), socketType, protocolType)
{
}

Socket::Socket(executor_type executor, dotasync::AddressFamily addressFamily, dotasync::SocketType socketType,
               dotasync::ProtocolType protocolType)
    : executor_(std::move(executor)), family_(addressFamily), type_(socketType), protocol_(protocolType),
      state_(std::make_shared<detail::socket_state>())
{
    if (!executor_)
        throw ArgumentNullException("executor");
    open(addressFamily, socketType, protocolType);
}

Socket::Socket(executor_type executor, dotasync::SocketType socketType, dotasync::ProtocolType protocolType)
    : executor_(std::move(executor)), family_(dotasync::AddressFamily::InterNetworkV6), type_(socketType),
      protocol_(protocolType), state_(std::make_shared<detail::socket_state>())
{
    if (!executor_)
        throw ArgumentNullException("executor");
    try {
        open(dotasync::AddressFamily::InterNetworkV6, socketType, protocolType);
    } catch (const SocketException& e) {
        // A machine without IPv6: IPv4 only, as .NET falls back.
        if (e.SocketErrorCode() != SocketError::AddressFamilyNotSupported)
            throw;
        family_ = dotasync::AddressFamily::InterNetwork;
        open(family_, socketType, protocolType);
        return;
    }
    DualMode(true);
}

Socket::Socket(adopt_key, tcp::socket&& socket)
    : executor_(socket.get_executor()), type_(dotasync::SocketType::Stream), protocol_(dotasync::ProtocolType::Tcp),
      state_(std::make_shared<detail::socket_state>())
{
    if (!socket.is_open())
        throw ArgumentException("The socket to adopt is not open.", "socket");
    boost::system::error_code ec;
    const auto local = socket.local_endpoint(ec);
    if (ec)
        throw_socket_error(ec.value());
    family_ = local.address().is_v4() ? dotasync::AddressFamily::InterNetwork : dotasync::AddressFamily::InterNetworkV6;
    socket.non_blocking(true, ec);
    if (ec)
        throw_socket_error(ec.value());
    native_.emplace<tcp::socket>(std::move(socket));
    state_->connected.store(true);
}

SocketPtr Socket::Adopt(tcp::socket&& socket)
{
    return std::make_shared<Socket>(adopt_key{}, std::move(socket));
}

Socket::~Socket()
{
    Close();
}

void Socket::open(dotasync::AddressFamily family, dotasync::SocketType type, dotasync::ProtocolType protocol)
{
    if (family != dotasync::AddressFamily::InterNetwork && family != dotasync::AddressFamily::InterNetworkV6)
        throw SocketException(SocketError::AddressFamilyNotSupported);
    const bool v4 = family == dotasync::AddressFamily::InterNetwork;
    boost::system::error_code ec;
    if (type == dotasync::SocketType::Stream) {
        if (protocol != dotasync::ProtocolType::Tcp && protocol != dotasync::ProtocolType::IP)
            throw SocketException(SocketError::ProtocolType);
        protocol_ = dotasync::ProtocolType::Tcp;
        auto& s = native_.emplace<tcp::socket>(executor_);
        s.open(v4 ? tcp::v4() : tcp::v6(), ec);
        if (!ec)
            s.non_blocking(true, ec);
    } else if (type == dotasync::SocketType::Dgram) {
        if (protocol != dotasync::ProtocolType::Udp && protocol != dotasync::ProtocolType::IP)
            throw SocketException(SocketError::ProtocolType);
        protocol_ = dotasync::ProtocolType::Udp;
        auto& s = native_.emplace<udp::socket>(executor_);
        s.open(v4 ? udp::v4() : udp::v6(), ec);
        if (!ec)
            s.non_blocking(true, ec);
    } else {
        throw SocketException(SocketError::SocketNotSupported);
    }
    if (ec) {
        native_.emplace<std::monostate>();
        throw_socket_error(ec.value());
    }
}

void Socket::reopen(boost::system::error_code& ec)
{
    auto& s = std::get<tcp::socket>(native_);
    const bool dual = family_ == dotasync::AddressFamily::InterNetworkV6 && [&] {
        asio::ip::v6_only option;
        boost::system::error_code ignored;
        s.get_option(option, ignored);
        return !option.value();
    }();
    const auto protocol = family_ == dotasync::AddressFamily::InterNetwork ? tcp::v4() : tcp::v6();
    s.close(ec);
    s.open(protocol, ec);
    if (!ec)
        s.non_blocking(true, ec);
    if (!ec && dual)
        s.set_option(asio::ip::v6_only(false), ec);
}

// ---- Checks ------------------------------------------------------------------

void Socket::throw_disposed() const
{
    std::rethrow_exception(detail::socket_disposed());
}

void Socket::ensure_open() const
{
    if (state_->closed.load())
        throw_disposed();
}

asio::socket_base::message_flags Socket::checked_flags(SocketFlags flags)
{
    constexpr int supported = static_cast<int>(SocketFlags::OutOfBand | SocketFlags::Peek | SocketFlags::DontRoute);
    if ((static_cast<int>(flags) & ~supported) != 0)
        throw SocketException(SocketError::OperationNotSupported);
    // .NET's values are the Linux MSG_ values for these three.
    return static_cast<asio::socket_base::message_flags>(flags);
}

IPEndPoint Socket::checked_end_point(const EndPoint& ep)
{
    const auto* ip = dynamic_cast<const IPEndPoint*>(&ep);
    if (ip == nullptr)
        throw ArgumentException("Only an IPEndPoint can be used with this socket.", "remoteEP");
    return *ip;
}

IPEndPoint Socket::compatible(const IPEndPoint& ep) const
{
    if (family_ == dotasync::AddressFamily::InterNetwork) {
        if (ep.AddressFamily() == dotasync::AddressFamily::InterNetwork)
            return ep;
        if (ep.Address().IsIPv4MappedToIPv6())
            return IPEndPoint(ep.Address().MapToIPv4(), ep.Port());
        throw SocketException(SocketError::AddressFamilyNotSupported);
    }
    if (ep.AddressFamily() == dotasync::AddressFamily::InterNetworkV6)
        return ep;
    if (!DualMode())
        throw SocketException(SocketError::AddressFamilyNotSupported);
    return IPEndPoint(ep.Address().MapToIPv6(), ep.Port());
}

std::vector<tcp::endpoint> Socket::reachable(const tcp::resolver::results_type& results) const
{
    const bool v4 = family_ == dotasync::AddressFamily::InterNetwork;
    bool dual = false;
    if (!v4) {
        asio::ip::v6_only option;
        boost::system::error_code ignored;
        std::get<tcp::socket>(native_).get_option(option, ignored);
        dual = !option.value();
    }
    std::vector<tcp::endpoint> endpoints;
    for (const auto& entry : results) {
        const auto ep = entry.endpoint();
        if (v4 && ep.address().is_v4())
            endpoints.push_back(ep);
        else if (!v4 && ep.address().is_v6())
            endpoints.push_back(ep);
        else if (!v4 && dual)
            endpoints.emplace_back(asio::ip::make_address_v6(asio::ip::v4_mapped, ep.address().to_v4()), ep.port());
    }
    return endpoints;
}

void Socket::check_host(const std::string& host, int port)
{
    if (host.empty())
        throw ArgumentNullException("host");
    if (port < IPEndPoint::MinPort || port > IPEndPoint::MaxPort)
        throw ArgumentOutOfRangeException("port", "The port must be between 0 and 65535.");
}

void Socket::check_can_accept() const
{
    std::lock_guard lock(state_->mutex);
    if (state_->closed.load(std::memory_order_relaxed))
        throw_disposed();
    if (!std::holds_alternative<tcp::acceptor>(native_))
        throw InvalidOperationException("You must call the Listen method before performing this operation.");
}

void Socket::check_can_connect() const
{
    std::lock_guard lock(state_->mutex);
    if (state_->closed.load(std::memory_order_relaxed))
        throw_disposed();
    if (std::holds_alternative<tcp::acceptor>(native_))
        throw InvalidOperationException("The socket is listening; it cannot connect.");
    if (type_ == dotasync::SocketType::Stream && state_->connected.load())
        throw SocketException(SocketError::IsConnected);
}

void Socket::check_can_transfer(bool datagram, bool receive_from) const
{
    std::lock_guard lock(state_->mutex);
    if (state_->closed.load(std::memory_order_relaxed))
        throw_disposed();
    if (std::holds_alternative<tcp::acceptor>(native_))
        throw SocketException(SocketError::NotConnected);
    if (datagram && type_ != dotasync::SocketType::Dgram)
        throw SocketException(SocketError::OperationNotSupported);
    if (receive_from && !local_end_point_locked())
        throw InvalidOperationException("You must call the Bind method before performing this operation.");
}

// ---- Set-up ------------------------------------------------------------------

void Socket::Bind(const EndPoint& localEP)
{
    const IPEndPoint local = compatible(checked_end_point(localEP));
    std::lock_guard lock(state_->mutex);
    if (state_->closed.load(std::memory_order_relaxed))
        throw_disposed();
    boost::system::error_code ec;
    std::visit(
        [&](auto& s) {
            if constexpr (std::is_same_v<std::decay_t<decltype(s)>, udp::socket>)
                s.bind(local.native_udp(), ec);
            else if constexpr (!std::is_same_v<std::decay_t<decltype(s)>, std::monostate>)
                s.bind(local.native(), ec);
        },
        native_);
    if (ec)
        throw_socket_error(ec.value());
}

void Socket::Listen(int backlog)
{
    std::lock_guard lock(state_->mutex);
    if (state_->closed.load(std::memory_order_relaxed))
        throw_disposed();
    if (type_ != dotasync::SocketType::Stream)
        throw SocketException(SocketError::OperationNotSupported);
    if (state_->connected.load())
        throw SocketException(SocketError::IsConnected);
    boost::system::error_code ec;
    if (auto* s = std::get_if<tcp::socket>(&native_)) {
        // The descriptor moves from the socket to an acceptor: Asio keeps the
        // two roles in two classes, .NET in one.
        const auto protocol = family_ == dotasync::AddressFamily::InterNetwork ? tcp::v4() : tcp::v6();
        const int fd = s->release(ec);
        if (ec)
            throw_socket_error(ec.value());
        auto& acceptor = native_.emplace<tcp::acceptor>(executor_);
        acceptor.assign(protocol, fd, ec);
        if (ec) {
            ::close(fd);
            native_.emplace<std::monostate>();
            state_->closed.store(true);
            throw_socket_error(ec.value());
        }
        acceptor.non_blocking(true, ec);
    }
    std::get<tcp::acceptor>(native_).listen(backlog > 0 ? backlog : asio::socket_base::max_listen_connections, ec);
    if (ec)
        throw_socket_error(ec.value());
}

// ---- Accept --------------------------------------------------------------------

SocketPtr Socket::Accept()
{
    check_can_accept();
    sync_scope scope(*this);
    for (;;) {
        const int fd = ::accept4(scope.fd(), nullptr, nullptr, SOCK_CLOEXEC);
        if (fd >= 0) {
            tcp::socket peer(executor_);
            boost::system::error_code ec;
            peer.assign(family_ == dotasync::AddressFamily::InterNetwork ? tcp::v4() : tcp::v6(), fd, ec);
            if (ec) {
                ::close(fd);
                throw_socket_error(ec.value());
            }
            return std::make_shared<Socket>(adopt_key{}, std::move(peer));
        }
        // A connection reset while it waited in the backlog is skipped.
        const int error = errno;
        scope.wait_to_retry(error == ECONNABORTED ? EINTR : error, POLLIN, 0);
    }
}

IAsyncResultPtr Socket::BeginAccept(AsyncCallback callback, std::any state)
{
    check_can_accept();
    return start_face<accept_signature, accept_op>(
        detail::bind_apm_owner(apm(std::move(callback), std::move(state)), this, &detail::socket_accept_method));
}

SocketPtr Socket::EndAccept(const IAsyncResultPtr& asyncResult)
{
    return detail::end_operation<accept_signature>(asyncResult, this, &detail::socket_accept_method);
}

// ---- Connect -------------------------------------------------------------------

void Socket::Connect(const EndPoint& remoteEP)
{
    const IPEndPoint remote = compatible(checked_end_point(remoteEP));
    check_can_connect();
    sync_scope scope(*this);
    const auto endpoint = remote.native();
    if (::connect(scope.fd(), endpoint.data(), static_cast<socklen_t>(endpoint.size())) != 0) {
        int error = errno;
        if (error != EINPROGRESS && error != EINTR)
            scope.fail(error);
        if (!scope.blocking())
            throw SocketException(SocketError::WouldBlock);
        wait_for(scope.fd(), POLLOUT, 0);
        scope.check_open();
        socklen_t length = sizeof(error);
        if (::getsockopt(scope.fd(), SOL_SOCKET, SO_ERROR, &error, &length) != 0)
            scope.fail(errno);
        if (error != 0)
            scope.fail(error);
    }
    state_->connected.store(true);
}

void Socket::Connect(const IPAddress& address, int port)
{
    Connect(IPEndPoint(address, port));
}

void Socket::Connect(const std::string& host, int port)
{
    check_host(host, port);
    check_can_connect();
    const auto addresses = Dns::GetHostAddresses(host);
    std::exception_ptr last;
    bool tried = false;
    for (const auto& address : addresses) {
        const bool usable = address.AddressFamily() == family_ ||
                            (family_ == dotasync::AddressFamily::InterNetworkV6 && DualMode());
        if (!usable)
            continue;
        if (tried) {
            std::lock_guard lock(state_->mutex);
            if (state_->closed.load(std::memory_order_relaxed))
                throw_disposed();
            boost::system::error_code ec;
            reopen(ec);
            if (ec)
                throw_socket_error(ec.value());
        }
        tried = true;
        try {
            Connect(IPEndPoint(address, port));
            return;
        } catch (const SocketException&) {
            last = std::current_exception();
        }
    }
    if (last)
        std::rethrow_exception(last);
    throw SocketException(SocketError::AddressFamilyNotSupported);
}

IAsyncResultPtr Socket::begin_connect(IPEndPoint remote, AsyncCallback callback, std::any state)
{
    check_can_connect();
    return start_face<connect_signature, connect_op>(
        detail::bind_apm_owner(apm(std::move(callback), std::move(state)), this, &detail::socket_connect_method),
        std::move(remote));
}

IAsyncResultPtr Socket::BeginConnect(const EndPoint& remoteEP, AsyncCallback callback, std::any state)
{
    return begin_connect(compatible(checked_end_point(remoteEP)), std::move(callback), std::move(state));
}

IAsyncResultPtr Socket::BeginConnect(const IPAddress& address, int port, AsyncCallback callback, std::any state)
{
    return begin_connect(compatible(IPEndPoint(address, port)), std::move(callback), std::move(state));
}

IAsyncResultPtr Socket::BeginConnect(const std::string& host, int port, AsyncCallback callback, std::any state)
{
    check_host(host, port);
    check_can_connect();
    return start_face<connect_signature, connect_op>(
        detail::bind_apm_owner(apm(std::move(callback), std::move(state)), this, &detail::socket_connect_method),
        host, port);
}

void Socket::EndConnect(const IAsyncResultPtr& asyncResult)
{
    detail::end_operation<connect_signature>(asyncResult, this, &detail::socket_connect_method);
}

// ---- Transfers -------------------------------------------------------------------

int Socket::EndSend(const IAsyncResultPtr& asyncResult)
{
    return detail::end_operation<transfer_signature>(asyncResult, this, &detail::socket_send_method);
}

int Socket::EndReceive(const IAsyncResultPtr& asyncResult)
{
    return detail::end_operation<transfer_signature>(asyncResult, this, &detail::socket_receive_method);
}

int Socket::EndSendTo(const IAsyncResultPtr& asyncResult)
{
    return detail::end_operation<transfer_signature>(asyncResult, this, &detail::socket_send_to_method);
}

int Socket::EndReceiveFrom(const IAsyncResultPtr& asyncResult, EndPoint& endPoint)
{
    auto* remote = dynamic_cast<IPEndPoint*>(&endPoint);
    if (remote == nullptr)
        throw ArgumentException("Only an IPEndPoint can receive the sender's address.", "endPoint");
    auto result =
        detail::end_operation<receive_from_signature>(asyncResult, this, &detail::socket_receive_from_method);
    *remote = result.RemoteEndPoint;
    return result.ReceivedBytes;
}

int Socket::send_bytes(std::span<const std::byte> bytes, asio::socket_base::message_flags flags)
{
    check_can_transfer(false, false);
    sync_scope scope(*this);
    const bool stream = type_ == dotasync::SocketType::Stream;
    std::size_t sent = 0;
    do {
        const ssize_t n = ::send(scope.fd(), bytes.data() + sent, bytes.size() - sent, flags | MSG_NOSIGNAL);
        if (n >= 0) {
            sent += static_cast<std::size_t>(n);
            if (!stream)
                break;
            continue;
        }
        // A non-blocking socket reports what it could send; nothing -> WouldBlock.
        if (errno == EAGAIN && !scope.blocking() && sent > 0)
            break;
        scope.wait_to_retry(errno, POLLOUT, scope.send_timeout());
    } while (sent < bytes.size());
    return static_cast<int>(sent);
}

int Socket::receive_bytes(std::span<std::byte> bytes, asio::socket_base::message_flags flags)
{
    check_can_transfer(false, false);
    sync_scope scope(*this);
    for (;;) {
        const ssize_t n = ::recv(scope.fd(), bytes.data(), bytes.size(), flags | MSG_DONTWAIT);
        if (n >= 0) {
            // Close wakes a blocked receive by shutting the socket down, which
            // looks like the end of the stream: it is not one.
            scope.check_open();
            return static_cast<int>(n);
        }
        scope.wait_to_retry(errno, POLLIN, scope.receive_timeout());
    }
}

int Socket::send_to_bytes(std::span<const std::byte> bytes, asio::socket_base::message_flags flags,
                          const IPEndPoint& remote)
{
    check_can_transfer(true, false);
    sync_scope scope(*this);
    const auto endpoint = remote.native_udp();
    for (;;) {
        const ssize_t n = ::sendto(scope.fd(), bytes.data(), bytes.size(), flags | MSG_NOSIGNAL, endpoint.data(),
                                   static_cast<socklen_t>(endpoint.size()));
        if (n >= 0)
            return static_cast<int>(n);
        scope.wait_to_retry(errno, POLLOUT, scope.send_timeout());
    }
}

int Socket::receive_from_bytes(std::span<std::byte> bytes, asio::socket_base::message_flags flags, EndPoint& remote)
{
    auto* ip_remote = dynamic_cast<IPEndPoint*>(&remote);
    if (ip_remote == nullptr)
        throw ArgumentException("Only an IPEndPoint can receive the sender's address.", "remoteEP");
    check_can_transfer(true, true);
    sync_scope scope(*this);
    for (;;) {
        udp::endpoint sender;
        socklen_t length = static_cast<socklen_t>(sender.capacity());
        const ssize_t n =
            ::recvfrom(scope.fd(), bytes.data(), bytes.size(), flags | MSG_DONTWAIT, sender.data(), &length);
        if (n >= 0) {
            scope.check_open();
            sender.resize(length);
            *ip_remote = IPEndPoint(sender);
            return static_cast<int>(n);
        }
        scope.wait_to_retry(errno, POLLIN, scope.receive_timeout());
    }
}

// ---- Ending ----------------------------------------------------------------------

void Socket::Shutdown(SocketShutdown how)
{
    std::lock_guard lock(state_->mutex);
    if (state_->closed.load(std::memory_order_relaxed))
        throw_disposed();
    const int fd = native_handle_of(native_);
    const int native_how = how == SocketShutdown::Receive ? SHUT_RD : how == SocketShutdown::Send ? SHUT_WR : SHUT_RDWR;
    if (::shutdown(fd, native_how) != 0)
        throw_socket_error(errno);
}

void Socket::Close()
{
    std::unique_lock lock(state_->mutex);
    if (state_->closed.load(std::memory_order_relaxed))
        return;
    state_->closed.store(true);
    state_->connected.store(false);
    if (state_->sync_users.load(std::memory_order_relaxed) > 0) {
        // A synchronous call blocked in poll() does not notice close(): a
        // shutdown wakes it (for listening, connecting and datagram sockets
        // too), and the descriptor is closed only once it has left. No call
        // can enter once closed is set, so the lock is not needed to wait.
        ::shutdown(native_handle_of(native_), SHUT_RDWR);
        lock.unlock();
        for (int users; (users = state_->sync_users.load(std::memory_order_acquire)) != 0;)
            state_->sync_users.wait(users, std::memory_order_acquire);
        lock.lock();
    }
    // Closing the Asio object completes its pending operations with
    // operation_aborted, which the completions report as
    // ObjectDisposedException.
    std::visit(
        [](auto& s) {
            if constexpr (!std::is_same_v<std::decay_t<decltype(s)>, std::monostate>) {
                boost::system::error_code ignored;
                s.close(ignored);
            }
        },
        native_);
}

void Socket::Close(int timeout)
{
    if (timeout < -1)
        throw ArgumentOutOfRangeException("timeout", "The time-out must be -1 or more.");
    if (timeout >= 0 && !state_->closed.load()) {
        std::lock_guard lock(state_->mutex);
        if (!state_->closed.load(std::memory_order_relaxed)) {
            const ::linger value{1, timeout};
            ::setsockopt(native_handle_of(native_), SOL_SOCKET, SO_LINGER, &value, sizeof(value));
        }
    }
    Close();
}

// ---- State and options -----------------------------------------------------------

bool Socket::Connected() const noexcept
{
    return state_->connected.load();
}

bool Socket::IsBound() const
{
    return LocalEndPoint().has_value();
}

int Socket::Available() const
{
    sync_scope scope(*this);
    int n = 0;
    if (::ioctl(scope.fd(), FIONREAD, &n) != 0)
        scope.fail(errno);
    return n;
}

std::optional<IPEndPoint> Socket::LocalEndPoint() const
{
    std::lock_guard lock(state_->mutex);
    if (state_->closed.load(std::memory_order_relaxed))
        throw_disposed();
    return local_end_point_locked();
}

int Socket::native_handle_locked() const
{
    return native_handle_of(native_);
}

// A socket is bound once it has a port: Bind, Connect, Listen and a first
// SendTo all give it one, and the kernel never gives port 0.
std::optional<IPEndPoint> Socket::local_end_point_locked() const
{
    boost::system::error_code ec;
    std::optional<IPEndPoint> result;
    std::visit(
        [&](const auto& s) {
            if constexpr (!std::is_same_v<std::decay_t<decltype(s)>, std::monostate>) {
                const auto ep = s.local_endpoint(ec);
                if (!ec && ep.port() != 0)
                    result.emplace(IPEndPoint(IPAddress(ep.address()), ep.port()));
            }
        },
        native_);
    return result;
}

std::optional<IPEndPoint> Socket::RemoteEndPoint() const
{
    std::lock_guard lock(state_->mutex);
    if (state_->closed.load(std::memory_order_relaxed))
        throw_disposed();
    boost::system::error_code ec;
    std::optional<IPEndPoint> result;
    std::visit(
        [&](const auto& s) {
            if constexpr (requires { s.remote_endpoint(ec); }) {
                const auto ep = s.remote_endpoint(ec);
                if (!ec)
                    result.emplace(IPEndPoint(IPAddress(ep.address()), ep.port()));
            }
        },
        native_);
    return result;
}

namespace {

struct native_option {
    int level;
    int name;
};

native_option native_option_of(SocketOptionLevel level, SocketOptionName name)
{
    switch (level) {
    case SocketOptionLevel::Socket:
        switch (name) {
        case SocketOptionName::Debug: return {SOL_SOCKET, SO_DEBUG};
        case SocketOptionName::AcceptConnection: return {SOL_SOCKET, SO_ACCEPTCONN};
        case SocketOptionName::ReuseAddress: return {SOL_SOCKET, SO_REUSEADDR};
        case SocketOptionName::KeepAlive: return {SOL_SOCKET, SO_KEEPALIVE};
        case SocketOptionName::DontRoute: return {SOL_SOCKET, SO_DONTROUTE};
        case SocketOptionName::Broadcast: return {SOL_SOCKET, SO_BROADCAST};
        case SocketOptionName::OutOfBandInline: return {SOL_SOCKET, SO_OOBINLINE};
        case SocketOptionName::SendBuffer: return {SOL_SOCKET, SO_SNDBUF};
        case SocketOptionName::ReceiveBuffer: return {SOL_SOCKET, SO_RCVBUF};
        case SocketOptionName::SendLowWater: return {SOL_SOCKET, SO_SNDLOWAT};
        case SocketOptionName::ReceiveLowWater: return {SOL_SOCKET, SO_RCVLOWAT};
        case SocketOptionName::Error: return {SOL_SOCKET, SO_ERROR};
        case SocketOptionName::Type: return {SOL_SOCKET, SO_TYPE};
        default: break;
        }
        break;
    case SocketOptionLevel::IP:
        switch (name) {
        case SocketOptionName::IpTimeToLive: return {IPPROTO_IP, IP_TTL};
        case SocketOptionName::MulticastTimeToLive: return {IPPROTO_IP, IP_MULTICAST_TTL};
        case SocketOptionName::MulticastLoopback: return {IPPROTO_IP, IP_MULTICAST_LOOP};
        default: break;
        }
        break;
    case SocketOptionLevel::IPv6:
        switch (name) {
        case SocketOptionName::IpTimeToLive: return {IPPROTO_IPV6, IPV6_UNICAST_HOPS};
        case SocketOptionName::IPv6Only: return {IPPROTO_IPV6, IPV6_V6ONLY};
        case SocketOptionName::MulticastTimeToLive: return {IPPROTO_IPV6, IPV6_MULTICAST_HOPS};
        case SocketOptionName::MulticastLoopback: return {IPPROTO_IPV6, IPV6_MULTICAST_LOOP};
        default: break;
        }
        break;
    case SocketOptionLevel::Tcp:
        if (name == SocketOptionName::NoDelay)
            return {IPPROTO_TCP, TCP_NODELAY};
        break;
    default: break;
    }
    throw SocketException(SocketError::ProtocolOption);
}

} // namespace

void Socket::SetSocketOption(SocketOptionLevel optionLevel, SocketOptionName optionName, int optionValue)
{
    if (optionLevel == SocketOptionLevel::Socket && optionName == SocketOptionName::ReceiveTimeout) {
        ReceiveTimeout(optionValue);
        return;
    }
    if (optionLevel == SocketOptionLevel::Socket && optionName == SocketOptionName::SendTimeout) {
        SendTimeout(optionValue);
        return;
    }
    if (optionLevel == SocketOptionLevel::Socket && optionName == SocketOptionName::DontLinger) {
        LingerState(LingerOption(optionValue == 0, LingerState().LingerTime()));
        return;
    }
    const auto option = native_option_of(optionLevel, optionName);
    sync_scope scope(*this);
    if (::setsockopt(scope.fd(), option.level, option.name, &optionValue, sizeof(optionValue)) != 0)
        scope.fail(errno);
}

void Socket::SetSocketOption(SocketOptionLevel optionLevel, SocketOptionName optionName, bool optionValue)
{
    SetSocketOption(optionLevel, optionName, optionValue ? 1 : 0);
}

int Socket::GetSocketOption(SocketOptionLevel optionLevel, SocketOptionName optionName) const
{
    if (optionLevel == SocketOptionLevel::Socket && optionName == SocketOptionName::ReceiveTimeout)
        return ReceiveTimeout();
    if (optionLevel == SocketOptionLevel::Socket && optionName == SocketOptionName::SendTimeout)
        return SendTimeout();
    if (optionLevel == SocketOptionLevel::Socket && optionName == SocketOptionName::DontLinger)
        return LingerState().Enabled() ? 0 : 1;
    const auto option = native_option_of(optionLevel, optionName);
    sync_scope scope(*this);
    int value = 0;
    socklen_t length = sizeof(value);
    if (::getsockopt(scope.fd(), option.level, option.name, &value, &length) != 0)
        scope.fail(errno);
    if (optionLevel == SocketOptionLevel::Socket && optionName == SocketOptionName::Type)
        return value == SOCK_STREAM ? static_cast<int>(dotasync::SocketType::Stream)
                                    : static_cast<int>(dotasync::SocketType::Dgram);
    return value;
}

bool Socket::NoDelay() const
{
    return GetSocketOption(SocketOptionLevel::Tcp, SocketOptionName::NoDelay) != 0;
}

void Socket::NoDelay(bool value)
{
    SetSocketOption(SocketOptionLevel::Tcp, SocketOptionName::NoDelay, value);
}

bool Socket::Blocking() const
{
    ensure_open();
    std::lock_guard lock(state_->mutex);
    return blocking_;
}

void Socket::Blocking(bool value)
{
    ensure_open();
    std::lock_guard lock(state_->mutex);
    blocking_ = value;
}

int Socket::ReceiveBufferSize() const
{
    return GetSocketOption(SocketOptionLevel::Socket, SocketOptionName::ReceiveBuffer);
}

void Socket::ReceiveBufferSize(int value)
{
    if (value < 0)
        throw ArgumentOutOfRangeException("value", "The buffer size must not be negative.");
    SetSocketOption(SocketOptionLevel::Socket, SocketOptionName::ReceiveBuffer, value);
}

int Socket::SendBufferSize() const
{
    return GetSocketOption(SocketOptionLevel::Socket, SocketOptionName::SendBuffer);
}

void Socket::SendBufferSize(int value)
{
    if (value < 0)
        throw ArgumentOutOfRangeException("value", "The buffer size must not be negative.");
    SetSocketOption(SocketOptionLevel::Socket, SocketOptionName::SendBuffer, value);
}

int Socket::read_setting(const int& setting) const
{
    ensure_open();
    std::lock_guard lock(state_->mutex);
    return setting;
}

void Socket::write_timeout(int& setting, int value)
{
    if (value < -1)
        throw ArgumentOutOfRangeException("value", "The time-out must be -1 or more.");
    ensure_open();
    std::lock_guard lock(state_->mutex);
    setting = value == -1 ? 0 : value;
}

int Socket::ReceiveTimeout() const
{
    return read_setting(receive_timeout_);
}

void Socket::ReceiveTimeout(int value)
{
    write_timeout(receive_timeout_, value);
}

int Socket::SendTimeout() const
{
    return read_setting(send_timeout_);
}

void Socket::SendTimeout(int value)
{
    write_timeout(send_timeout_, value);
}

bool Socket::DualMode() const
{
    if (family_ != dotasync::AddressFamily::InterNetworkV6)
        throw NotSupportedException("DualMode is only for InterNetworkV6 sockets.");
    return GetSocketOption(SocketOptionLevel::IPv6, SocketOptionName::IPv6Only) == 0;
}

void Socket::DualMode(bool value)
{
    if (family_ != dotasync::AddressFamily::InterNetworkV6)
        throw NotSupportedException("DualMode is only for InterNetworkV6 sockets.");
    SetSocketOption(SocketOptionLevel::IPv6, SocketOptionName::IPv6Only, !value);
}

LingerOption Socket::LingerState() const
{
    sync_scope scope(*this);
    ::linger value{};
    socklen_t length = sizeof(value);
    if (::getsockopt(scope.fd(), SOL_SOCKET, SO_LINGER, &value, &length) != 0)
        scope.fail(errno);
    return LingerOption(value.l_onoff != 0, value.l_linger);
}

void Socket::LingerState(const LingerOption& value)
{
    if (value.LingerTime() < 0 || value.LingerTime() > 65535)
        throw ArgumentException("The linger time must be between 0 and 65535 seconds.", "value");
    sync_scope scope(*this);
    const ::linger native{value.Enabled() ? 1 : 0, value.LingerTime()};
    if (::setsockopt(scope.fd(), SOL_SOCKET, SO_LINGER, &native, sizeof(native)) != 0)
        scope.fail(errno);
}

bool Socket::EnableBroadcast() const
{
    return GetSocketOption(SocketOptionLevel::Socket, SocketOptionName::Broadcast) != 0;
}

void Socket::EnableBroadcast(bool value)
{
    SetSocketOption(SocketOptionLevel::Socket, SocketOptionName::Broadcast, value);
}

short Socket::Ttl() const
{
    const auto level =
        family_ == dotasync::AddressFamily::InterNetwork ? SocketOptionLevel::IP : SocketOptionLevel::IPv6;
    return static_cast<short>(GetSocketOption(level, SocketOptionName::IpTimeToLive));
}

void Socket::Ttl(short value)
{
    if (value < 0 || value > 255)
        throw ArgumentOutOfRangeException("value", "The time to live must be between 0 and 255.");
    const auto level =
        family_ == dotasync::AddressFamily::InterNetwork ? SocketOptionLevel::IP : SocketOptionLevel::IPv6;
    SetSocketOption(level, SocketOptionName::IpTimeToLive, static_cast<int>(value));
}

bool Socket::Poll(int microSeconds, SelectMode mode) const
{
    if (microSeconds < -1)
        throw ArgumentOutOfRangeException("microSeconds", "The time-out must be -1 or more.");
    sync_scope scope(*this);
    const short events = mode == SelectMode::SelectRead ? POLLIN : mode == SelectMode::SelectWrite ? POLLOUT : POLLPRI;
    pollfd p{scope.fd(), events, 0};
    const int timeout = microSeconds == -1 ? -1 : (microSeconds + 999) / 1000;
    int r;
    do
        r = ::poll(&p, 1, timeout);
    while (r < 0 && errno == EINTR);
    if (r < 0)
        scope.fail(errno);
    scope.check_open();
    switch (mode) {
    case SelectMode::SelectRead: return (p.revents & (POLLIN | POLLHUP | POLLERR)) != 0;
    case SelectMode::SelectWrite: return (p.revents & POLLOUT) != 0;
    case SelectMode::SelectError: return (p.revents & (POLLPRI | POLLERR)) != 0;
    }
    return false;
}

tcp::socket& Socket::native_socket()
{
    if (auto* s = std::get_if<tcp::socket>(&native_))
        return *s;
    throw InvalidOperationException("The socket is not a stream socket that is not listening.");
}

tcp::acceptor& Socket::native_acceptor()
{
    if (auto* s = std::get_if<tcp::acceptor>(&native_))
        return *s;
    throw InvalidOperationException("The socket is not listening.");
}

udp::socket& Socket::native_udp_socket()
{
    if (auto* s = std::get_if<udp::socket>(&native_))
        return *s;
    throw InvalidOperationException("The socket is not a datagram socket.");
}

} // namespace dotasync
