// SocketAsyncEventArgs: the reusable operation object of .NET's
// high-throughput socket pattern.
//
//   SocketAsyncEventArgs e;
//   e.SetBuffer(buffer, 0, 4096);
//   e.Completed += [](const std::any& sender, SocketAsyncEventArgs& e) { ProcessReceive(e); };
//   if (!socket->ReceiveAsync(e))
//       ProcessReceive(e);             // completed synchronously: Completed is not raised
//
// Socket::AcceptAsync/ConnectAsync/SendAsync/ReceiveAsync/SendToAsync/
// ReceiveFromAsync(e) return false when the operation completed inside the
// call (then Completed is not raised, as in .NET) and true when Completed
// will be raised, on the socket's executor, with the socket (a Socket*) as
// sender. The outcome is in the object: BytesTransferred(), SocketError()
// (Success, or the failure: ConnectionReset, OperationAborted once the socket
// was closed, ...), LastOperation(), AcceptSocket() after an accept,
// RemoteEndPoint() after a receive-from. A receive of 0 bytes with Success
// means the peer has shut down.
//
// An object may carry one operation at a time: starting another while it is
// in flight -> InvalidOperationException. A completed receive or send
// allocates nothing; the buffer (SetBuffer) must stay alive while an
// operation uses it, and the object until its operation has completed.
//
// Thread-safety: not for concurrent use, as in .NET; the Completed handlers
// may be changed from any thread.
#ifndef DOTASYNC_NET_SOCKET_ASYNC_EVENT_ARGS_HPP
#define DOTASYNC_NET_SOCKET_ASYNC_EVENT_ARGS_HPP

#include <dotasync/core/event.hpp>
#include <dotasync/core/exceptions.hpp>
#include <dotasync/core/export.hpp>
#include <dotasync/io/detail/byte_buffer.hpp>
#include <dotasync/net/ip_end_point.hpp>
#include <dotasync/net/socket_enums.hpp>

#include <boost/asio/ip/udp.hpp>
#include <boost/system/error_code.hpp>

#include <any>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

namespace dotasync {

class Socket;
using SocketPtr = std::shared_ptr<Socket>;

class DOTASYNC_API SocketAsyncEventArgs {
public:
    SocketAsyncEventArgs() = default;
    SocketAsyncEventArgs(const SocketAsyncEventArgs&) = delete;
    SocketAsyncEventArgs& operator=(const SocketAsyncEventArgs&) = delete;

    Event<SocketAsyncEventArgs> Completed;

    // The memory operations read into or write from: count bytes at offset
    // of buffer (checked as .NET: negative, or past the buffer ->
    // ArgumentOutOfRangeException). buffer must outlive its use.
    template <detail::mutable_byte_range B>
    void SetBuffer(B&& buffer, int offset, int count)
    {
        const auto whole = detail::whole_bytes(buffer);
        check_window(whole.size(), offset, count);
        buffer_ = std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(whole.data()), whole.size());
        offset_ = offset;
        count_ = count;
    }
    // A new window over the buffer already set.
    void SetBuffer(int offset, int count);

    std::span<std::uint8_t> Buffer() const noexcept { return buffer_; }
    int Offset() const noexcept { return offset_; }
    int Count() const noexcept { return count_; }
    int BytesTransferred() const noexcept { return bytes_transferred_; }
    dotasync::SocketError SocketError() const noexcept { return socket_error_; }
    void SocketError(dotasync::SocketError value) noexcept { socket_error_ = value; }
    dotasync::SocketFlags SocketFlags() const noexcept { return socket_flags_; }
    void SocketFlags(dotasync::SocketFlags value) noexcept { socket_flags_ = value; }
    SocketAsyncOperation LastOperation() const noexcept { return last_operation_; }
    const SocketPtr& AcceptSocket() const noexcept { return accept_socket_; }
    void AcceptSocket(SocketPtr value) { accept_socket_ = std::move(value); }
    const std::optional<IPEndPoint>& RemoteEndPoint() const noexcept { return remote_end_point_; }
    void RemoteEndPoint(IPEndPoint value) { remote_end_point_ = std::move(value); }
    const std::any& UserToken() const noexcept { return user_token_; }
    void UserToken(std::any value) { user_token_ = std::move(value); }

private:
    friend class Socket;

    static void check_window(std::size_t size, int offset, int count);

    // Marks the object in use for operation (InvalidOperationException when
    // it already is) and clears the previous outcome.
    void begin(SocketAsyncOperation operation);
    std::span<std::byte> window() const noexcept
    {
        return std::as_writable_bytes(buffer_.subspan(static_cast<std::size_t>(offset_),
                                                      static_cast<std::size_t>(count_)));
    }
    // Records the outcome and frees the object for its next operation;
    // raises Completed with sender when raise is true. Returns raise, for
    // the Socket member's result.
    bool finish(dotasync::SocketError error, std::size_t n, Socket* sender, bool raise);
    bool finish(const boost::system::error_code& ec, std::size_t n, Socket* sender, bool raise);
    bool finish(const std::exception_ptr& error, std::size_t n, Socket* sender, bool raise);
    // Frees the object after its operation could not start.
    void abandon() noexcept { in_use_.store(false); }

    std::span<std::uint8_t> buffer_;
    int offset_ = 0;
    int count_ = 0;
    int bytes_transferred_ = 0;
    dotasync::SocketError socket_error_ = dotasync::SocketError::Success;
    dotasync::SocketFlags socket_flags_ = dotasync::SocketFlags::None;
    SocketAsyncOperation last_operation_ = SocketAsyncOperation::None;
    SocketPtr accept_socket_;
    std::optional<IPEndPoint> remote_end_point_;
    std::any user_token_;
    std::atomic<bool> in_use_{false};
};

} // namespace dotasync

#endif
