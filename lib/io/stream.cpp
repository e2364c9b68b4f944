#include <dotasync/io/stream.hpp>

#include <dotasync/core/detail/check_executor.hpp>

#include <boost/asio/append.hpp>
#include <boost/asio/post.hpp>

namespace dotasync {

namespace detail {

namespace {

// Inline completions nested on this thread. A callback that begins the next
// read, which completes inline and runs the next callback, and so on, would
// otherwise grow the stack with every read of a cached file.
//
// initial-exec: this counter is touched twice by every operation that
// completes inline, and the default model for a shared library reaches it
// through a call to __tls_get_addr each time.
[[gnu::tls_model("initial-exec")]] thread_local int inline_depth = 0;
constexpr int max_inline_depth = 16;

} // namespace

void complete_io(io_handler handler, completion_mode mode, const boost::asio::any_io_executor& executor,
                 boost::system::error_code ec, std::size_t n)
{
    if (mode == completion_mode::inline_allowed && inline_depth < max_inline_depth) {
        ++inline_depth;
        struct leave {
            ~leave() { --inline_depth; }
        } guard;
        std::move(handler)(ec, n);
        return;
    }
    // Posted to the stream's executor, then dispatched to the handler's own
    // associated executor, as Asio's I/O objects complete their operations.
    boost::asio::post(executor, boost::asio::append(std::move(handler), ec, n));
}

} // namespace detail

Stream::Stream(executor_type executor, std::string name)
    : executor_(std::move(executor)), name_(std::make_shared<const std::string>(std::move(name)))
{
    // Before a derived constructor opens anything.
    detail::check_executor(executor_);
}

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
