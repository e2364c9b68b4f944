// NetworkStream: a Stream over a connected stream Socket, as .NET's.
//
//   NetworkStream& stream = client.GetStream();
//   int n = co_await stream.ReadAsync(buffer, asio::use_awaitable);   // 0 once the peer shut down
//   stream.BeginWrite(bytes, 0, size, callback, state);
//
// Every Stream face works (synchronous, APM, TAP, Asio's async_read_some and
// async_write_some, the composed ReadExactlyAsync, CopyToAsync, ...), each
// read and write being one receive or send of the socket; Stream's rules for
// arguments, cancellation and Close hold. A read returns 0 once the peer has
// shut the connection down; a write sends every byte. Length, Position,
// Seek and SetLength throw NotSupportedException. A network failure is, as
// in .NET, an IOException ("Unable to read data from the transport
// connection: ...") whose InnerException is the socket's SocketException.
//
// Close closes the socket too when the stream owns it (ownsSocket, and
// always for TcpClient::GetStream()); otherwise the socket stays open.
// Operations in flight then complete as Stream's Close says.
//
// Thread-safety: as Stream; one read and one write may be in flight at once.
#ifndef DOTASYNC_NET_NETWORK_STREAM_HPP
#define DOTASYNC_NET_NETWORK_STREAM_HPP

#include <dotasync/core/export.hpp>
#include <dotasync/io/stream.hpp>
#include <dotasync/net/socket.hpp>

#include <atomic>

namespace dotasync {

class DOTASYNC_API NetworkStream : public Stream {
public:
    // A null socket -> ArgumentNullException; a socket that is not a
    // connected stream socket, or not in blocking mode -> IOException.
    explicit NetworkStream(SocketPtr socket, bool ownsSocket = false);
    ~NetworkStream() override;

    bool CanRead() const override;
    bool CanWrite() const override;
    bool CanSeek() const override { return false; }
    void Flush() override {}
    void Close() override;

    // Whether data is waiting to be read; ObjectDisposedException once closed.
    bool DataAvailable() const;
    // The socket (.NET's Socket property).
    const SocketPtr& Socket() const noexcept { return socket_; }

    // ReadTimeout/WriteTimeout: the socket's ReceiveTimeout/SendTimeout, for
    // the synchronous members (0 or -1: infinite).
    int ReadTimeout() const;
    void ReadTimeout(int value);
    int WriteTimeout() const;
    void WriteTimeout(int value);

protected:
    bool is_closed() const noexcept override;
    int read_bytes(std::span<std::byte> buffer) override;
    void write_bytes(std::span<const std::byte> buffer) override;
    void start_read_some(std::span<std::byte> buffer, io_completion completion) override;
    void start_write_some(std::span<const std::byte> buffer, io_completion completion) override;

private:
    SocketPtr socket_;
    bool owns_socket_;
    std::atomic<bool> closed_{false};
};

} // namespace dotasync

#endif
