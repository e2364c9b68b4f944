#include <dotasync/net/network_stream.hpp>

#include <dotasync/core/exceptions.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/buffer.hpp>

namespace dotasync {

namespace {

NetworkStream::executor_type executor_of(const SocketPtr& socket)
{
    if (!socket)
        throw ArgumentNullException("socket");
    return socket->get_executor();
}

// The completion a socket operation hands back to the stream's io_completion,
// with the caller's cancellation slot so that Asio can stop the operation.
auto completing(io_completion& completion)
{
    auto slot = completion.get_cancellation_slot();
    return boost::asio::bind_cancellation_slot(
        slot, [c = std::move(completion)](boost::system::error_code ec, std::size_t n) mutable { c.complete(ec, n); });
}

std::string transport_failure_message(bool write, const std::string& reason)
{
    return std::string(write ? "Unable to write data to the transport connection: "
                             : "Unable to read data from the transport connection: ") +
           reason + ".";
}

// As .NET's NetworkStream: a network failure of a read or a write is an
// IOException whose InnerException is the SocketException.
std::exception_ptr transport_failure(const boost::system::error_code& ec, const std::string&, bool write)
{
    const std::error_code code = ec;
    auto inner = std::make_exception_ptr(SocketException(code));
    return std::make_exception_ptr(IOException(transport_failure_message(write, ec.message()), code, inner));
}

template <class Transfer>
auto wrapping_socket_failures(bool write, Transfer transfer)
{
    try {
        return transfer();
    } catch (const SocketException& e) {
        throw IOException(transport_failure_message(write, e.what()), e.ErrorCode(), std::current_exception());
    }
}

} // namespace

NetworkStream::NetworkStream(SocketPtr socket, bool ownsSocket)
    : Stream(executor_of(socket), "NetworkStream", &transport_failure), socket_(std::move(socket)),
      owns_socket_(ownsSocket)
{
    if (socket_->SocketType() != dotasync::SocketType::Stream)
        throw IOException("The operation is not allowed on non-stream oriented sockets.");
    if (!socket_->Connected())
        throw IOException("The operation is not allowed on non-connected sockets.");
    if (!socket_->Blocking())
        throw IOException("The operation is not allowed on a non-blocking Socket.");
}

NetworkStream::~NetworkStream()
{
    Close();
}

bool NetworkStream::CanRead() const
{
    return !closed_.load();
}

bool NetworkStream::CanWrite() const
{
    return !closed_.load();
}

bool NetworkStream::is_closed() const noexcept
{
    return closed_.load();
}

void NetworkStream::Close()
{
    if (closed_.exchange(true))
        return;
    if (owns_socket_)
        socket_->Close();
}

bool NetworkStream::DataAvailable() const
{
    ensure_open();
    return socket_->Available() > 0;
}

int NetworkStream::ReadTimeout() const
{
    ensure_open();
    const int value = socket_->ReceiveTimeout();
    return value == 0 ? -1 : value;
}

void NetworkStream::ReadTimeout(int value)
{
    if (value == 0 || value < -1)
        throw ArgumentOutOfRangeException("value", "The time-out must be positive or -1 (infinite).");
    ensure_open();
    socket_->ReceiveTimeout(value);
}

int NetworkStream::WriteTimeout() const
{
    ensure_open();
    const int value = socket_->SendTimeout();
    return value == 0 ? -1 : value;
}

void NetworkStream::WriteTimeout(int value)
{
    if (value == 0 || value < -1)
        throw ArgumentOutOfRangeException("value", "The time-out must be positive or -1 (infinite).");
    ensure_open();
    socket_->SendTimeout(value);
}

int NetworkStream::read_bytes(std::span<std::byte> buffer)
{
    return wrapping_socket_failures(false, [&] { return socket_->Receive(buffer); });
}

void NetworkStream::write_bytes(std::span<const std::byte> buffer)
{
    wrapping_socket_failures(true, [&] { socket_->Send(buffer); });
}

void NetworkStream::start_read_some(std::span<std::byte> buffer, io_completion completion)
{
    socket_->async_receive(boost::asio::buffer(buffer.data(), buffer.size()), 0, completing(completion));
}

void NetworkStream::start_write_some(std::span<const std::byte> buffer, io_completion completion)
{
    socket_->async_send(boost::asio::buffer(buffer.data(), buffer.size()), 0, completing(completion));
}

} // namespace dotasync
