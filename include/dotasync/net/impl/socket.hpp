// The templates of Socket: one initiation per operation, and the faces over
// it (BeginXxx is XxxAsync with the apm token bound to this socket and method).
#ifndef DOTASYNC_NET_IMPL_SOCKET_HPP
#define DOTASYNC_NET_IMPL_SOCKET_HPP

#include <dotasync/core/detail/handler_completion.hpp>
#include <dotasync/core/exceptions.hpp>
#include <dotasync/core/export.hpp>
#include <dotasync/io/detail/completion_adapter.hpp>

#include <boost/asio/append.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/post.hpp>

#include <utility>

namespace dotasync {

namespace detail {

// Tags naming Socket's BeginXxx methods, so that EndReceive refuses a result
// that BeginSend (or another object) began.
DOTASYNC_API inline constexpr char socket_accept_method = 0;
DOTASYNC_API inline constexpr char socket_connect_method = 0;
DOTASYNC_API inline constexpr char socket_send_method = 0;
DOTASYNC_API inline constexpr char socket_receive_method = 0;
DOTASYNC_API inline constexpr char socket_send_to_method = 0;
DOTASYNC_API inline constexpr char socket_receive_from_method = 0;

// A stream send: every byte, one async_send after another, each started under
// the socket's lock so that a Close in another thread cannot run in the
// middle of one.
struct socket_send_all {
    std::shared_ptr<socket_state> state;
    boost::asio::ip::tcp::socket* socket;
    std::span<const std::byte> bytes;
    boost::asio::socket_base::message_flags flags;
    std::size_t sent = 0;
    bool started = false;

    template <class Self>
    void operator()(Self& self, boost::system::error_code ec = {}, std::size_t n = 0)
    {
        if (started) {
            sent += n;
            if (ec || sent == bytes.size()) {
                self.complete(ec, sent);
                return;
            }
        }
        std::unique_lock lock(state->mutex);
        if (state->closed.load(std::memory_order_relaxed)) {
            lock.unlock();
            // Posted: the first step runs inside the initiating function.
            boost::asio::post(boost::asio::append(std::move(self), boost::asio::error::operation_aborted, 0));
            return;
        }
        started = true;
        socket->async_send(boost::asio::buffer(bytes.data() + sent, bytes.size() - sent), flags, std::move(self));
    }
};

} // namespace detail

template <class Op>
class Socket::initiation {
public:
    explicit initiation(Socket& socket) noexcept : socket_(&socket) {}

    executor_type get_executor() const noexcept { return socket_->executor_; }

    template <class Handler, class... Args>
    void operator()(Handler&& handler, Args&&... args) const
    {
        socket_->start(Op{}, std::forward<Handler>(handler), std::forward<Args>(args)...);
    }

private:
    Socket* socket_;
};

template <class Signature, class Op, class Token, class... Args>
auto Socket::start_face(Token&& token, Args&&... args)
{
    return boost::asio::async_initiate<Token, Signature>(initiation<Op>(*this), token, std::forward<Args>(args)...);
}

// A token canceled before the call cancels the operation without starting it,
// so that it cannot take data that is already waiting.
template <class Signature, class Op, class Token, class... Args>
auto Socket::cancellable_face(CancellationToken cancellationToken, Token&& token, Args&&... args)
{
    const bool canceled = cancellationToken.IsCancellationRequested();
    auto wrapped = with_cancellation(std::move(cancellationToken), std::forward<Token>(token));
    if (canceled)
        return boost::asio::async_initiate<decltype(wrapped), Signature>(initiation<canceled_op<Signature>>(*this),
                                                                         wrapped);
    return boost::asio::async_initiate<decltype(wrapped), Signature>(initiation<Op>(*this), wrapped,
                                                                     std::forward<Args>(args)...);
}

template <class... Values, class Handler>
void Socket::start(canceled_op<void(std::exception_ptr, Values...)>, Handler&& handler)
{
    detail::complete_later(std::forward<Handler>(handler), executor_,
                           std::make_exception_ptr(OperationCanceledException("The operation was canceled.")),
                           Values()...);
}

template <class Handler, class... Values>
void Socket::complete_disposed(Handler&& handler, Values&&... values)
{
    detail::complete_later(std::forward<Handler>(handler), executor_, detail::socket_disposed(),
                           std::forward<Values>(values)...);
}

// ---- Initiations -----------------------------------------------------------

template <class Handler>
void Socket::start(accept_op, Handler&& handler)
{
    std::unique_lock lock(state_->mutex);
    auto* acceptor = std::get_if<boost::asio::ip::tcp::acceptor>(&native_);
    if (state_->closed.load(std::memory_order_relaxed) || acceptor == nullptr) {
        lock.unlock();
        complete_disposed(std::forward<Handler>(handler), SocketPtr());
        return;
    }
    acceptor->async_accept(detail::adapt_completion(
        std::forward<Handler>(handler),
        [state = state_](auto handler, boost::system::error_code ec, boost::asio::ip::tcp::socket peer) {
            std::exception_ptr failure = detail::socket_failure(*state, ec);
            SocketPtr accepted;
            if (!failure) {
                try {
                    accepted = std::make_shared<Socket>(adopt_key{}, std::move(peer));
                } catch (...) {
                    failure = std::current_exception();
                }
            }
            std::move(handler)(std::move(failure), std::move(accepted));
        }));
}

template <class Handler>
void Socket::start(connect_op, Handler&& handler, IPEndPoint remote)
{
    std::unique_lock lock(state_->mutex);
    if (state_->closed.load(std::memory_order_relaxed)) {
        lock.unlock();
        complete_disposed(std::forward<Handler>(handler));
        return;
    }
    auto adapted = detail::adapt_completion(std::forward<Handler>(handler),
                                            [state = state_](auto handler, boost::system::error_code ec) {
                                                std::exception_ptr failure = detail::socket_failure(*state, ec);
                                                if (!failure)
                                                    state->connected.store(true);
                                                std::move(handler)(std::move(failure));
                                            });
    if (auto* tcp = std::get_if<boost::asio::ip::tcp::socket>(&native_))
        tcp->async_connect(remote.native(), std::move(adapted));
    else
        std::get<boost::asio::ip::udp::socket>(native_).async_connect(remote.native_udp(), std::move(adapted));
}

template <class Result, class Handler>
void Socket::start_send(Handler&& handler, std::span<const std::byte> bytes,
                        boost::asio::socket_base::message_flags flags)
{
    if (auto* tcp = std::get_if<boost::asio::ip::tcp::socket>(&native_)) {
        // The composed send takes the lock for each of its steps.
        auto adapted =
            detail::adapt_completion(std::forward<Handler>(handler), Result{state_});
        boost::asio::async_compose<decltype(adapted), void(boost::system::error_code, std::size_t)>(
            detail::socket_send_all{state_, tcp, bytes, flags}, adapted, *tcp);
        return;
    }
    std::unique_lock lock(state_->mutex);
    if (state_->closed.load(std::memory_order_relaxed)) {
        lock.unlock();
        complete_closed<Result>(std::forward<Handler>(handler));
        return;
    }
    std::get<boost::asio::ip::udp::socket>(native_).async_send(
        boost::asio::buffer(bytes.data(), bytes.size()), flags,
        detail::adapt_completion(std::forward<Handler>(handler), Result{state_}));
}

template <class Result, class Handler>
void Socket::start_receive(Handler&& handler, std::span<std::byte> bytes,
                           boost::asio::socket_base::message_flags flags)
{
    std::unique_lock lock(state_->mutex);
    if (state_->closed.load(std::memory_order_relaxed)) {
        lock.unlock();
        complete_closed<Result>(std::forward<Handler>(handler));
        return;
    }
    const auto buffer = boost::asio::buffer(bytes.data(), bytes.size());
    auto adapted = detail::adapt_completion(std::forward<Handler>(handler), Result{state_});
    if (state_->receive_ended.load(std::memory_order_relaxed)) {
        lock.unlock();
        boost::asio::post(executor_, boost::asio::append(std::move(adapted), boost::asio::error::eof, 0));
        return;
    }
    if (auto* tcp = std::get_if<boost::asio::ip::tcp::socket>(&native_))
        tcp->async_receive(buffer, flags, std::move(adapted));
    else
        std::get<boost::asio::ip::udp::socket>(native_).async_receive(buffer, flags, std::move(adapted));
}

template <class Handler>
void Socket::start(send_op, Handler&& handler, std::span<const std::byte> bytes,
                   boost::asio::socket_base::message_flags flags)
{
    start_send<detail::socket_transfer_result>(std::forward<Handler>(handler), bytes, flags);
}

template <class Handler>
void Socket::start(receive_op, Handler&& handler, std::span<std::byte> bytes,
                   boost::asio::socket_base::message_flags flags)
{
    start_receive<detail::socket_transfer_result>(std::forward<Handler>(handler), bytes, flags);
}

template <class Handler>
void Socket::start(asio_send_op, Handler&& handler, std::span<const std::byte> bytes,
                   boost::asio::socket_base::message_flags flags)
{
    start_send<detail::socket_asio_result>(std::forward<Handler>(handler), bytes, flags);
}

template <class Handler>
void Socket::start(asio_receive_op, Handler&& handler, std::span<std::byte> bytes,
                   boost::asio::socket_base::message_flags flags)
{
    start_receive<detail::socket_asio_result>(std::forward<Handler>(handler), bytes, flags);
}

// A transfer started on a closed socket: operation_aborted through Result, so
// that each face reports it as it reports a Close in flight.
template <class Result, class Handler>
void Socket::complete_closed(Handler&& handler)
{
    boost::asio::post(executor_, boost::asio::append(detail::adapt_completion(std::forward<Handler>(handler),
                                                                              Result{state_}),
                                                     boost::asio::error::operation_aborted, std::size_t(0)));
}

template <class Handler>
void Socket::start(send_to_op, Handler&& handler, std::span<const std::byte> bytes,
                   boost::asio::socket_base::message_flags flags, IPEndPoint remote)
{
    std::unique_lock lock(state_->mutex);
    if (state_->closed.load(std::memory_order_relaxed)) {
        lock.unlock();
        complete_disposed(std::forward<Handler>(handler), 0);
        return;
    }
    std::get<boost::asio::ip::udp::socket>(native_).async_send_to(
        boost::asio::buffer(bytes.data(), bytes.size()), remote.native_udp(), flags,
        detail::adapt_completion(std::forward<Handler>(handler), detail::socket_transfer_result{state_}));
}

template <class Handler>
void Socket::start(receive_from_op, Handler&& handler, std::span<std::byte> bytes,
                   boost::asio::socket_base::message_flags flags)
{
    std::unique_lock lock(state_->mutex);
    if (state_->closed.load(std::memory_order_relaxed)) {
        lock.unlock();
        complete_disposed(std::forward<Handler>(handler), SocketReceiveFromResult());
        return;
    }
    // The sender's address is written into storage that moves with the
    // handler, so it stays where Asio was told until the handler runs.
    auto sender = std::make_unique<boost::asio::ip::udp::endpoint>();
    auto& where = *sender;
    auto adapted = detail::adapt_completion(
        std::forward<Handler>(handler),
        [state = state_, sender = std::move(sender)](auto handler, boost::system::error_code ec, std::size_t n) {
            std::exception_ptr failure = detail::socket_failure(*state, ec);
            SocketReceiveFromResult result;
            if (!failure) {
                result.ReceivedBytes = static_cast<int>(n);
                result.RemoteEndPoint = IPEndPoint(*sender);
            }
            std::move(handler)(std::move(failure), std::move(result));
        });
    std::get<boost::asio::ip::udp::socket>(native_).async_receive_from(boost::asio::buffer(bytes.data(), bytes.size()),
                                                                       where, flags, std::move(adapted));
}

// Connecting by host name: resolve, then try each address of a family this
// socket can reach, in the resolver's order, reopening the socket between
// attempts (a socket whose connect failed cannot try again). Each attempt
// starts under the socket's lock.
class Socket::connect_host_op {
public:
    connect_host_op(Socket& socket, std::string host, int port)
        : socket_(&socket), state_(socket.state_), host_(std::move(host)), port_(port),
          resolver_(std::make_unique<boost::asio::ip::tcp::resolver>(socket.executor_))
    {
    }

    template <class Self>
    void operator()(Self& self)
    {
        resolver_->async_resolve(host_, std::to_string(port_), std::move(self));
    }

    template <class Self>
    void operator()(Self& self, boost::system::error_code ec, boost::asio::ip::tcp::resolver::results_type results)
    {
        if (ec) {
            self.complete(ec);
            return;
        }
        {
            std::lock_guard lock(state_->mutex);
            if (!state_->closed.load(std::memory_order_relaxed))
                endpoints_ = socket_->reachable(results);
        }
        if (endpoints_.empty()) {
            self.complete(state_->closed.load() ? boost::asio::error::operation_aborted
                                                : boost::asio::error::address_family_not_supported);
            return;
        }
        next(self);
    }

    template <class Self>
    void operator()(Self& self, boost::system::error_code ec)
    {
        if (!ec)
            state_->connected.store(true);
        if (!ec || ec == boost::asio::error::operation_aborted || next_ == endpoints_.size()) {
            self.complete(ec);
            return;
        }
        next(self);
    }

private:
    template <class Self>
    void next(Self& self)
    {
        std::unique_lock lock(state_->mutex);
        if (state_->closed.load(std::memory_order_relaxed)) {
            lock.unlock();
            self.complete(boost::asio::error::operation_aborted);
            return;
        }
        auto& tcp = std::get<boost::asio::ip::tcp::socket>(socket_->native_);
        if (next_ > 0) {
            boost::system::error_code ignored;
            socket_->reopen(ignored);
        }
        tcp.async_connect(endpoints_[next_++], std::move(self));
    }

    Socket* socket_;
    std::shared_ptr<detail::socket_state> state_;
    std::string host_;
    int port_;
    std::unique_ptr<boost::asio::ip::tcp::resolver> resolver_;
    std::vector<boost::asio::ip::tcp::endpoint> endpoints_;
    std::size_t next_ = 0;
};

template <class Handler>
void Socket::start(connect_op, Handler&& handler, std::string host, int port)
{
    auto adapted = detail::adapt_completion(std::forward<Handler>(handler),
                                            [state = state_](auto handler, boost::system::error_code ec) {
                                                std::move(handler)(detail::socket_failure(*state, ec));
                                            });
    boost::asio::async_compose<decltype(adapted), void(boost::system::error_code)>(
        connect_host_op(*this, std::move(host), port), adapted, executor_);
}

// ---- Faces -------------------------------------------------------------------

template <class MutableBufferSequence, class Token>
auto Socket::async_receive(const MutableBufferSequence& buffers, boost::asio::socket_base::message_flags flags,
                           Token&& token)
{
    const auto first = detail::first_buffer<boost::asio::mutable_buffer>(buffers);
    return start_face<void(boost::system::error_code, std::size_t), asio_receive_op>(
        std::forward<Token>(token), std::span<std::byte>(static_cast<std::byte*>(first.data()), first.size()), flags);
}

template <class ConstBufferSequence, class Token>
auto Socket::async_send(const ConstBufferSequence& buffers, boost::asio::socket_base::message_flags flags,
                        Token&& token)
{
    const auto first = detail::first_buffer<boost::asio::const_buffer>(buffers);
    return start_face<void(boost::system::error_code, std::size_t), asio_send_op>(
        std::forward<Token>(token), std::span<const std::byte>(static_cast<const std::byte*>(first.data()), first.size()),
        flags);
}

template <class Token>
auto Socket::AcceptAsync(Token&& token)
{
    check_can_accept();
    return start_face<accept_signature, accept_op>(std::forward<Token>(token));
}

template <class Token>
auto Socket::AcceptAsync(CancellationToken cancellationToken, Token&& token)
{
    check_can_accept();
    return cancellable_face<accept_signature, accept_op>(
        std::move(cancellationToken), std::forward<Token>(token));
}

template <class Token>
auto Socket::ConnectAsync(const EndPoint& remoteEP, Token&& token)
{
    return ConnectAsync(remoteEP, CancellationToken::None(), std::forward<Token>(token));
}

template <class Token>
auto Socket::ConnectAsync(const EndPoint& remoteEP, CancellationToken cancellationToken, Token&& token)
{
    IPEndPoint remote = compatible(checked_end_point(remoteEP));
    check_can_connect();
    return cancellable_face<connect_signature, connect_op>(
        std::move(cancellationToken), std::forward<Token>(token), std::move(remote));
}

template <class Token>
auto Socket::ConnectAsync(const IPAddress& address, int port, Token&& token)
{
    return ConnectAsync(IPEndPoint(address, port), CancellationToken::None(), std::forward<Token>(token));
}

template <class Token>
auto Socket::ConnectAsync(const IPAddress& address, int port, CancellationToken cancellationToken, Token&& token)
{
    return ConnectAsync(IPEndPoint(address, port), std::move(cancellationToken), std::forward<Token>(token));
}

template <class Token>
auto Socket::ConnectAsync(const std::string& host, int port, Token&& token)
{
    return ConnectAsync(host, port, CancellationToken::None(), std::forward<Token>(token));
}

template <class Token>
auto Socket::ConnectAsync(const std::string& host, int port, CancellationToken cancellationToken, Token&& token)
{
    check_host(host, port);
    check_can_connect();
    return cancellable_face<connect_signature, connect_op>(
        std::move(cancellationToken), std::forward<Token>(token), host, port);
}

template <detail::byte_range B>
int Socket::Send(const B& buffer, SocketFlags socketFlags)
{
    return send_bytes(detail::whole_bytes(buffer), checked_flags(socketFlags));
}

template <detail::byte_range B>
int Socket::Send(const B& buffer, int offset, int size, SocketFlags socketFlags)
{
    return send_bytes(detail::checked_bytes(buffer, offset, size), checked_flags(socketFlags));
}

template <detail::byte_range B>
IAsyncResultPtr Socket::BeginSend(const B& buffer, int offset, int size, SocketFlags socketFlags,
                                  AsyncCallback callback, std::any state)
{
    auto bytes = detail::checked_bytes(buffer, offset, size);
    const auto flags = checked_flags(socketFlags);
    check_can_transfer(false, false);
    return start_face<transfer_signature, send_op>(
        detail::bind_apm_owner(apm(std::move(callback), std::move(state)), this, &detail::socket_send_method),
        std::span<const std::byte>(bytes), flags);
}

template <detail::byte_range B, class Token>
auto Socket::SendAsync(const B& buffer, Token&& token)
{
    return SendAsync(buffer, SocketFlags::None, CancellationToken::None(), std::forward<Token>(token));
}

template <detail::byte_range B, class Token>
auto Socket::SendAsync(const B& buffer, SocketFlags socketFlags, Token&& token)
{
    return SendAsync(buffer, socketFlags, CancellationToken::None(), std::forward<Token>(token));
}

template <detail::byte_range B, class Token>
auto Socket::SendAsync(const B& buffer, SocketFlags socketFlags, CancellationToken cancellationToken, Token&& token)
{
    auto bytes = detail::whole_bytes(buffer);
    const auto flags = checked_flags(socketFlags);
    check_can_transfer(false, false);
    return cancellable_face<transfer_signature, send_op>(
        std::move(cancellationToken), std::forward<Token>(token), std::span<const std::byte>(bytes),
        flags);
}

template <detail::mutable_byte_range B>
int Socket::Receive(B&& buffer, SocketFlags socketFlags)
{
    return receive_bytes(detail::whole_bytes(buffer), checked_flags(socketFlags));
}

template <detail::mutable_byte_range B>
int Socket::Receive(B&& buffer, int offset, int size, SocketFlags socketFlags)
{
    return receive_bytes(detail::checked_bytes(buffer, offset, size), checked_flags(socketFlags));
}

template <detail::mutable_byte_range B>
IAsyncResultPtr Socket::BeginReceive(B&& buffer, int offset, int size, SocketFlags socketFlags,
                                     AsyncCallback callback, std::any state)
{
    auto bytes = detail::checked_bytes(buffer, offset, size);
    const auto flags = checked_flags(socketFlags);
    check_can_transfer(false, false);
    return start_face<transfer_signature, receive_op>(
        detail::bind_apm_owner(apm(std::move(callback), std::move(state)), this, &detail::socket_receive_method),
        std::span<std::byte>(bytes), flags);
}

template <detail::mutable_byte_range B, class Token>
auto Socket::ReceiveAsync(B&& buffer, Token&& token)
{
    return ReceiveAsync(std::forward<B>(buffer), SocketFlags::None, CancellationToken::None(),
                        std::forward<Token>(token));
}

template <detail::mutable_byte_range B, class Token>
auto Socket::ReceiveAsync(B&& buffer, SocketFlags socketFlags, Token&& token)
{
    return ReceiveAsync(std::forward<B>(buffer), socketFlags, CancellationToken::None(), std::forward<Token>(token));
}

template <detail::mutable_byte_range B, class Token>
auto Socket::ReceiveAsync(B&& buffer, SocketFlags socketFlags, CancellationToken cancellationToken, Token&& token)
{
    auto bytes = detail::whole_bytes(buffer);
    const auto flags = checked_flags(socketFlags);
    check_can_transfer(false, false);
    return cancellable_face<transfer_signature, receive_op>(
        std::move(cancellationToken), std::forward<Token>(token), std::span<std::byte>(bytes),
        flags);
}

template <detail::byte_range B>
int Socket::SendTo(const B& buffer, const EndPoint& remoteEP)
{
    return SendTo(buffer, 0, static_cast<int>(std::ranges::size(buffer)), SocketFlags::None, remoteEP);
}

template <detail::byte_range B>
int Socket::SendTo(const B& buffer, int offset, int size, SocketFlags socketFlags, const EndPoint& remoteEP)
{
    auto bytes = detail::checked_bytes(buffer, offset, size);
    const auto flags = checked_flags(socketFlags);
    return send_to_bytes(bytes, flags, compatible(checked_end_point(remoteEP)));
}

template <detail::byte_range B>
IAsyncResultPtr Socket::BeginSendTo(const B& buffer, int offset, int size, SocketFlags socketFlags,
                                    const EndPoint& remoteEP, AsyncCallback callback, std::any state)
{
    auto bytes = detail::checked_bytes(buffer, offset, size);
    const auto flags = checked_flags(socketFlags);
    IPEndPoint remote = compatible(checked_end_point(remoteEP));
    check_can_transfer(true, false);
    return start_face<transfer_signature, send_to_op>(
        detail::bind_apm_owner(apm(std::move(callback), std::move(state)), this, &detail::socket_send_to_method),
        std::span<const std::byte>(bytes), flags, std::move(remote));
}

template <detail::byte_range B, class Token>
auto Socket::SendToAsync(const B& buffer, const EndPoint& remoteEP, Token&& token)
{
    return SendToAsync(buffer, SocketFlags::None, remoteEP, CancellationToken::None(), std::forward<Token>(token));
}

template <detail::byte_range B, class Token>
auto Socket::SendToAsync(const B& buffer, SocketFlags socketFlags, const EndPoint& remoteEP,
                         CancellationToken cancellationToken, Token&& token)
{
    auto bytes = detail::whole_bytes(buffer);
    const auto flags = checked_flags(socketFlags);
    IPEndPoint remote = compatible(checked_end_point(remoteEP));
    check_can_transfer(true, false);
    return cancellable_face<transfer_signature, send_to_op>(
        std::move(cancellationToken), std::forward<Token>(token), std::span<const std::byte>(bytes),
        flags, std::move(remote));
}

template <detail::mutable_byte_range B>
int Socket::ReceiveFrom(B&& buffer, EndPoint& remoteEP)
{
    return receive_from_bytes(detail::whole_bytes(buffer), 0, remoteEP);
}

template <detail::mutable_byte_range B>
int Socket::ReceiveFrom(B&& buffer, int offset, int size, SocketFlags socketFlags, EndPoint& remoteEP)
{
    auto bytes = detail::checked_bytes(buffer, offset, size);
    return receive_from_bytes(bytes, checked_flags(socketFlags), remoteEP);
}

template <detail::mutable_byte_range B>
IAsyncResultPtr Socket::BeginReceiveFrom(B&& buffer, int offset, int size, SocketFlags socketFlags,
                                         const EndPoint& remoteEP, AsyncCallback callback, std::any state)
{
    auto bytes = detail::checked_bytes(buffer, offset, size);
    const auto flags = checked_flags(socketFlags);
    checked_end_point(remoteEP);
    check_can_transfer(true, true);
    return start_face<receive_from_signature, receive_from_op>(
        detail::bind_apm_owner(apm(std::move(callback), std::move(state)), this, &detail::socket_receive_from_method),
        std::span<std::byte>(bytes), flags);
}

template <detail::mutable_byte_range B, class Token>
auto Socket::ReceiveFromAsync(B&& buffer, const EndPoint& remoteEP, Token&& token)
{
    return ReceiveFromAsync(std::forward<B>(buffer), SocketFlags::None, remoteEP, CancellationToken::None(),
                            std::forward<Token>(token));
}

template <detail::mutable_byte_range B, class Token>
auto Socket::ReceiveFromAsync(B&& buffer, SocketFlags socketFlags, const EndPoint& remoteEP,
                              CancellationToken cancellationToken, Token&& token)
{
    auto bytes = detail::whole_bytes(buffer);
    const auto flags = checked_flags(socketFlags);
    checked_end_point(remoteEP);
    check_can_transfer(true, true);
    return cancellable_face<receive_from_signature, receive_from_op>(
        std::move(cancellationToken), std::forward<Token>(token), std::span<std::byte>(bytes),
        flags);
}

} // namespace dotasync

#endif
