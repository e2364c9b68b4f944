#include <dotasync/io/stream.hpp>

#include <dotasync/core/detail/check_executor.hpp>
#include <dotasync/core/error_mapping.hpp>

#include <boost/asio/error.hpp>

#include <vector>

namespace dotasync {

Stream::Stream(executor_type executor, std::string name) : Stream(std::move(executor), std::move(name), nullptr) {}

Stream::Stream(executor_type executor, std::string name, failure_mapper map_failure)
    : executor_(std::move(executor)),
      name_(std::make_shared<const detail::stream_identity>(detail::stream_identity{std::move(name), map_failure}))
{
    // Before a derived constructor opens anything.
    detail::check_executor(executor_);
}

namespace detail {

std::exception_ptr stream_identity::failure_of(const boost::system::error_code& ec, bool write) const
{
    if (!ec)
        return {};
    // Cancellation and a closed stream keep Stream's exceptions.
    if (map_failure == nullptr || ec == boost::asio::error::operation_aborted ||
        ec == boost::asio::error::bad_descriptor)
        return exception_from_error(ec, name);
    return map_failure(ec, name, write);
}

} // namespace detail

Stream::~Stream() = default;

std::int64_t Stream::Length() const
{
    throw NotSupportedException("This stream does not support seeking, so it has no length.");
}

std::int64_t Stream::Position() const
{
    throw NotSupportedException("This stream does not support seeking, so it has no position.");
}

void Stream::SetPosition(std::int64_t)
{
    throw NotSupportedException("This stream does not support seeking.");
}

std::int64_t Stream::Seek(std::int64_t, SeekOrigin)
{
    throw NotSupportedException("This stream does not support seeking.");
}

void Stream::SetLength(std::int64_t)
{
    throw NotSupportedException("This stream cannot change its length.");
}

void Stream::Flush() {}

void Stream::Close() {}

void Stream::start_read_some(std::span<std::byte>, io_completion completion)
{
    completion.complete(boost::asio::error::operation_not_supported, 0);
}

void Stream::start_write_some(std::span<const std::byte>, io_completion completion)
{
    completion.complete(boost::asio::error::operation_not_supported, 0);
}

// A stream without a synchronous path of its own reads through its
// asynchronous one. The apm token's End does the waiting, so a Read on the
// only thread that could complete the read throws instead of hanging.
int Stream::read_bytes(std::span<std::byte> buffer)
{
    prepare_async(false);
    return EndRead(read_face(buffer, launch::ready,
                             detail::bind_apm_owner(apm(), this, &detail::stream_read_method)));
}

void Stream::write_bytes(std::span<const std::byte> buffer)
{
    prepare_async(true);
    EndWrite(write_face(buffer, launch::ready, detail::bind_apm_owner(apm(), this, &detail::stream_write_method)));
}

int Stream::EndRead(const IAsyncResultPtr& asyncResult)
{
    return detail::end_operation<void(std::exception_ptr, int)>(asyncResult, this, &detail::stream_read_method);
}

void Stream::EndWrite(const IAsyncResultPtr& asyncResult)
{
    detail::end_operation<void(std::exception_ptr)>(asyncResult, this, &detail::stream_write_method);
}

int Stream::ReadByte()
{
    ensure_readable();
    std::byte value{};
    return read_bytes(std::span<std::byte>(&value, 1)) == 0 ? -1 : static_cast<int>(value);
}

void Stream::WriteByte(std::uint8_t value)
{
    ensure_writable();
    const std::byte byte{value};
    write_bytes(std::span<const std::byte>(&byte, 1));
}

int Stream::read_at_least(std::span<std::byte> bytes, std::size_t minimum, bool throwOnEndOfStream)
{
    std::size_t total = 0;
    while (total < minimum) {
        const int n = read_bytes(bytes.subspan(total));
        if (n == 0) {
            if (throwOnEndOfStream)
                throw EndOfStreamException("The stream ended before the bytes asked for were read.");
            break;
        }
        total += static_cast<std::size_t>(n);
    }
    return static_cast<int>(total);
}

void Stream::CopyTo(Stream& destination, int bufferSize)
{
    check_copy_arguments(destination, bufferSize);
    std::vector<std::byte> buffer(static_cast<std::size_t>(bufferSize));
    for (;;) {
        const int n = read_bytes(buffer);
        if (n == 0)
            return;
        destination.write_bytes(std::span<const std::byte>(buffer.data(), static_cast<std::size_t>(n)));
    }
}

void Stream::check_copy_arguments(Stream& destination, int bufferSize) const
{
    if (bufferSize <= 0)
        throw ArgumentOutOfRangeException("bufferSize", "The buffer size must be positive.");
    ensure_readable();
    destination.ensure_writable();
}

void Stream::launch_read(std::span<std::byte> buffer, launch how, io_completion&& completion)
{
    if (how != launch::ready) {
        const boost::system::error_code ec =
            how == launch::canceled ? boost::asio::error::operation_aborted : prepare_asio_operation(false);
        if (ec)
            // Outside the initiation scope: posted, whatever the face.
            return completion.complete(ec, 0);
    }
    io_completion::initiation_scope scope(completion);
    if (buffer.empty())
        return completion.complete({}, 0);
    start_read_some(buffer, std::move(completion));
}

void Stream::launch_write(std::span<const std::byte> buffer, launch how, io_completion&& completion)
{
    if (how != launch::ready) {
        const boost::system::error_code ec =
            how == launch::canceled ? boost::asio::error::operation_aborted : prepare_asio_operation(true);
        if (ec)
            return completion.complete(ec, 0);
    }
    io_completion::initiation_scope scope(completion);
    if (buffer.empty())
        return completion.complete({}, 0);
    start_write_some(buffer, std::move(completion));
}

Stream::launch Stream::prepare_for(bool write, const CancellationToken& cancellationToken)
{
    if (cancellationToken.IsCancellationRequested())
        return launch::canceled;
    prepare_async(write);
    return launch::ready;
}

void Stream::ensure_open() const
{
    if (is_closed())
        throw ObjectDisposedException(name(), "The stream is closed.");
}

// CanRead() is false for a closed stream too, and a Close() on another
// thread may come between any two checks: the stream is asked whether it is
// closed after CanRead() said no, so that a stream closed meanwhile is
// reported as closed, never as one that cannot read.
void Stream::ensure_readable() const
{
    if (!CanRead()) {
        ensure_open();
        throw NotSupportedException("The stream does not support reading.");
    }
}

void Stream::ensure_writable() const
{
    if (!CanWrite()) {
        ensure_open();
        throw NotSupportedException("The stream does not support writing.");
    }
}

boost::system::error_code Stream::prepare_asio_operation(bool write) noexcept
{
    if (write ? !CanWrite() : !CanRead())
        return is_closed() ? boost::asio::error::bad_descriptor : boost::asio::error::operation_not_supported;
    try {
        prepare_async(write);
    } catch (const IOException& e) {
        if (e.ErrorCode())
            return boost::system::error_code(e.ErrorCode());
        return make_error_code(boost::system::errc::io_error);
    } catch (...) {
        return make_error_code(boost::system::errc::io_error);
    }
    return {};
}

} // namespace dotasync
