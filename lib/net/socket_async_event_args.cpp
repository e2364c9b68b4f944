// SocketAsyncEventArgs, and the Socket members that take one (they are
// SocketAsyncEventArgs's half of Socket, kept beside the class they serve).
#include <dotasync/net/socket_async_event_args.hpp>

#include <dotasync/net/socket.hpp>

#include <boost/asio/buffer.hpp>

#include <cerrno>
#include <sys/socket.h>

namespace dotasync {

void SocketAsyncEventArgs::check_window(std::size_t size, int offset, int count)
{
    if (offset < 0 || static_cast<std::size_t>(offset) > size)
        throw ArgumentOutOfRangeException("offset", "offset must be within the buffer.");
    if (count < 0 || static_cast<std::size_t>(count) > size - static_cast<std::size_t>(offset))
        throw ArgumentOutOfRangeException("count", "count must not reach past the end of the buffer.");
}

void SocketAsyncEventArgs::SetBuffer(int offset, int count)
{
    check_window(buffer_.size(), offset, count);
    offset_ = offset;
    count_ = count;
}

void SocketAsyncEventArgs::begin(SocketAsyncOperation operation)
{
    if (in_use_.exchange(true))
        throw InvalidOperationException(
            "An asynchronous socket operation is already in progress using this SocketAsyncEventArgs instance.");
    last_operation_ = operation;
    bytes_transferred_ = 0;
    socket_error_ = dotasync::SocketError::Success;
}

bool SocketAsyncEventArgs::finish(dotasync::SocketError error, std::size_t n, Socket* sender, bool raise)
{
    socket_error_ = error;
    bytes_transferred_ = static_cast<int>(n);
    in_use_.store(false);
    if (raise)
        Completed.Invoke(std::any(sender), *this);
    return raise;
}

bool SocketAsyncEventArgs::finish(const boost::system::error_code& ec, std::size_t n, Socket* sender, bool raise)
{
    if (!ec || ec == boost::asio::error::eof)
        return finish(dotasync::SocketError::Success, ec ? 0 : n, sender, raise);
    return finish(socket_error_of(std::error_code(ec)), 0, sender, raise);
}

bool SocketAsyncEventArgs::finish(const std::exception_ptr& error, std::size_t n, Socket* sender, bool raise)
{
    if (!error)
        return finish(dotasync::SocketError::Success, n, sender, raise);
    dotasync::SocketError code = dotasync::SocketError::SocketError;
    try {
        std::rethrow_exception(error);
    } catch (const SocketException& e) {
        code = e.SocketErrorCode();
    } catch (const ObjectDisposedException&) {
        code = dotasync::SocketError::OperationAborted;
    } catch (const OperationCanceledException&) {
        code = dotasync::SocketError::OperationAborted;
    } catch (...) {
    }
    return finish(code, 0, sender, raise);
}

// ---- Socket's members ------------------------------------------------------------

bool Socket::ReceiveAsync(SocketAsyncEventArgs& e)
{
    check_can_transfer(false, false);
    const auto flags = checked_flags(e.SocketFlags());
    e.begin(SocketAsyncOperation::Receive);
    const auto window = e.window();
    {
        // Data already waiting is taken in the call: the operation completes
        // synchronously and Completed is not raised.
        std::unique_lock lock(state_->mutex);
        if (!state_->closed.load(std::memory_order_relaxed)) {
            if (state_->receive_ended.load(std::memory_order_relaxed)) {
                lock.unlock();
                return e.finish(dotasync::SocketError::Success, 0, this, false);
            }
            const ssize_t n = ::recv(native_handle_locked(), window.data(), window.size(), flags | MSG_DONTWAIT);
            if (n > 0 || (n == 0 && !window.empty())) {
                if (n == 0)
                    state_->receive_ended.store(true, std::memory_order_relaxed);
                lock.unlock();
                return e.finish(dotasync::SocketError::Success, static_cast<std::size_t>(n), this, false);
            }
            if (n < 0 && errno != EAGAIN && errno != EINTR) {
                const boost::system::error_code ec(errno, boost::system::system_category());
                lock.unlock();
                detail::socket_failure(*state_, ec);
                return e.finish(ec, 0, this, false);
            }
        }
    }
    async_receive(boost::asio::buffer(window.data(), window.size()), flags,
                  [this, &e](boost::system::error_code ec, std::size_t n) { e.finish(ec, n, this, true); });
    return true;
}

bool Socket::SendAsync(SocketAsyncEventArgs& e)
{
    check_can_transfer(false, false);
    const auto flags = checked_flags(e.SocketFlags());
    e.begin(SocketAsyncOperation::Send);
    const auto window = e.window();
    async_send(boost::asio::buffer(window.data(), window.size()), flags,
               [this, &e](boost::system::error_code ec, std::size_t n) {
                   if (ec)
                       detail::socket_failure(*state_, ec);
                   e.finish(ec, n, this, true);
               });
    return true;
}

bool Socket::AcceptAsync(SocketAsyncEventArgs& e)
{
    check_can_accept();
    e.begin(SocketAsyncOperation::Accept);
    // A Close racing this call is reported by the start as a throw: the
    // object is free again before the exception leaves.
    try {
        e.AcceptSocket(nullptr);
        AcceptAsync([this, &e](std::exception_ptr error, SocketPtr accepted) {
            e.AcceptSocket(std::move(accepted));
            e.finish(error, 0, this, true);
        });
    } catch (...) {
        e.abandon();
        throw;
    }
    return true;
}

bool Socket::ConnectAsync(SocketAsyncEventArgs& e)
{
    if (!e.RemoteEndPoint())
        throw ArgumentNullException("remoteEP");
    const IPEndPoint remote = compatible(*e.RemoteEndPoint());
    check_can_connect();
    e.begin(SocketAsyncOperation::Connect);
    // A Close racing this call is reported by the start as a throw: the
    // object is free again before the exception leaves.
    try {
        ConnectAsync(remote, [this, &e](std::exception_ptr error) { e.finish(error, 0, this, true); });
    } catch (...) {
        e.abandon();
        throw;
    }
    return true;
}

bool Socket::SendToAsync(SocketAsyncEventArgs& e)
{
    if (!e.RemoteEndPoint())
        throw ArgumentNullException("remoteEP");
    const IPEndPoint remote = compatible(*e.RemoteEndPoint());
    check_can_transfer(true, false);
    const auto flags = e.SocketFlags();
    checked_flags(flags);
    e.begin(SocketAsyncOperation::SendTo);
    // A Close racing this call is reported by the start as a throw: the
    // object is free again before the exception leaves.
    try {
        SendToAsync(std::span<const std::byte>(e.window()), flags, remote, CancellationToken::None(),
                    [this, &e](std::exception_ptr error, int n) {
                        e.finish(error, static_cast<std::size_t>(n), this, true);
                    });
    } catch (...) {
        e.abandon();
        throw;
    }
    return true;
}

bool Socket::ReceiveFromAsync(SocketAsyncEventArgs& e)
{
    if (!e.RemoteEndPoint())
        throw ArgumentNullException("remoteEP");
    check_can_transfer(true, true);
    const auto flags = e.SocketFlags();
    checked_flags(flags);
    e.begin(SocketAsyncOperation::ReceiveFrom);
    // A Close racing this call is reported by the start as a throw: the
    // object is free again before the exception leaves.
    try {
        ReceiveFromAsync(e.window(), flags, *e.RemoteEndPoint(), CancellationToken::None(),
                         [this, &e](std::exception_ptr error, SocketReceiveFromResult result) {
                             if (!error)
                                 e.RemoteEndPoint(result.RemoteEndPoint);
                             e.finish(error, static_cast<std::size_t>(result.ReceivedBytes), this, true);
                         });
    } catch (...) {
        e.abandon();
        throw;
    }
    return true;
}

} // namespace dotasync
