// The templates of Stream: its two initiations, the faces over them, and the
// composed operations (ReadExactlyAsync, ReadAtLeastAsync, CopyToAsync).
#ifndef DOTASYNC_IO_IMPL_STREAM_HPP
#define DOTASYNC_IO_IMPL_STREAM_HPP

#include <dotasync/core/error_mapping.hpp>
#include <dotasync/core/exceptions.hpp>
#include <dotasync/core/export.hpp>
#include <dotasync/io/detail/completion_adapter.hpp>

#include <boost/asio/append.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/cancellation_state.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>

#include <utility>
#include <vector>

namespace dotasync {

namespace detail {

// Tags naming the BeginXxx methods, so that EndRead refuses a result that
// BeginWrite (or another object) began.
DOTASYNC_API inline constexpr char stream_read_method = 0;
DOTASYNC_API inline constexpr char stream_write_method = 0;

// A transfer's (error_code, n) as the .NET faces report it: the .NET
// exception for the code, naming the stream, and the end of the stream as 0
// bytes.
template <class Count>
struct dotnet_transfer_result {
    std::shared_ptr<const stream_identity> stream;
    bool write = false;

    template <class Handler>
    void operator()(Handler handler, boost::system::error_code ec, std::size_t n) const
    {
        if (ec == boost::asio::error::eof)
            ec = {};
        std::move(handler)(stream->failure_of(ec, write), static_cast<Count>(n));
    }
};

struct dotnet_write_result {
    std::shared_ptr<const stream_identity> stream;

    template <class Handler>
    void operator()(Handler handler, boost::system::error_code ec, std::size_t) const
    {
        std::move(handler)(stream->failure_of(ec, true));
    }
};

// An initiation seen through a token that changes its completion: the same
// initiation, whose handler is wrapped by Result. The executor stays visible,
// so that the apm token's End finds the one the stream completes on.
template <class Initiation, class Result>
class dotnet_initiation {
public:
    dotnet_initiation(Initiation initiation, Result result)
        : initiation_(std::move(initiation)), result_(std::move(result))
    {
    }

    auto get_executor() const noexcept { return initiation_.get_executor(); }

    template <class Handler, class... Args>
    void operator()(Handler&& handler, Args&&... args)
    {
        initiation_(adapt_completion(std::forward<Handler>(handler), std::move(result_)),
                    std::forward<Args>(args)...);
    }

private:
    Initiation initiation_;
    Result result_;
};

} // namespace detail

// The one initiation of each direction. Every face hands it the caller's
// handler (wrapped or not); it erases the handler's type once, into the
// io_completion the stream receives.
class Stream::initiate_read_some {
public:
    explicit initiate_read_some(Stream& stream) noexcept : stream_(&stream) {}

    executor_type get_executor() const noexcept { return stream_->executor_; }

    template <class Handler>
    void operator()(Handler&& handler, std::span<std::byte> buffer, launch how) const
    {
        stream_->launch_read(buffer, how, stream_->make_completion(std::forward<Handler>(handler)));
    }

private:
    Stream* stream_;
};

class Stream::initiate_write_some {
public:
    explicit initiate_write_some(Stream& stream) noexcept : stream_(&stream) {}

    executor_type get_executor() const noexcept { return stream_->executor_; }

    template <class Handler>
    void operator()(Handler&& handler, std::span<const std::byte> buffer, launch how) const
    {
        stream_->launch_write(buffer, how, stream_->make_completion(std::forward<Handler>(handler)));
    }

private:
    Stream* stream_;
};

template <class Token>
auto Stream::read_face(std::span<std::byte> bytes, launch how, Token&& token)
{
    return boost::asio::async_initiate<Token, void(std::exception_ptr, int)>(
        detail::dotnet_initiation(initiate_read_some(*this), detail::dotnet_transfer_result<int>{name_}), token, bytes,
        how);
}

template <class Token>
auto Stream::write_face(std::span<const std::byte> bytes, launch how, Token&& token)
{
    return boost::asio::async_initiate<Token, void(std::exception_ptr)>(
        detail::dotnet_initiation(initiate_write_some(*this), detail::dotnet_write_result{name_}), token, bytes, how);
}

template <detail::mutable_byte_range B>
int Stream::Read(B&& buffer, int offset, int count)
{
    auto bytes = detail::checked_bytes(buffer, offset, count);
    ensure_readable();
    return read_bytes(bytes);
}

template <detail::byte_range B>
void Stream::Write(const B& buffer, int offset, int count)
{
    auto bytes = detail::checked_bytes(buffer, offset, count);
    ensure_writable();
    write_bytes(bytes);
}

template <detail::mutable_byte_range B>
void Stream::ReadExactly(B&& buffer, int offset, int count)
{
    auto bytes = detail::checked_bytes(buffer, offset, count);
    ensure_readable();
    read_at_least(bytes, bytes.size(), true);
}

template <detail::mutable_byte_range B>
void Stream::ReadExactly(B&& buffer)
{
    auto bytes = detail::whole_bytes(buffer);
    ensure_readable();
    read_at_least(bytes, bytes.size(), true);
}

template <detail::mutable_byte_range B>
int Stream::ReadAtLeast(B&& buffer, int minimumBytes, bool throwOnEndOfStream)
{
    auto bytes = detail::whole_bytes(buffer);
    if (minimumBytes < 0 || static_cast<std::size_t>(minimumBytes) > bytes.size())
        throw ArgumentOutOfRangeException("minimumBytes",
                                          "minimumBytes must be between 0 and the size of the buffer.");
    ensure_readable();
    return read_at_least(bytes, static_cast<std::size_t>(minimumBytes), throwOnEndOfStream);
}

template <detail::mutable_byte_range B>
IAsyncResultPtr Stream::BeginRead(B&& buffer, int offset, int count, AsyncCallback callback, std::any state)
{
    auto bytes = detail::checked_bytes(buffer, offset, count);
    ensure_readable();
    prepare_async(false);
    return read_face(bytes, launch::ready,
                     detail::bind_apm_owner(apm(std::move(callback), std::move(state)), this,
                                            &detail::stream_read_method));
}

template <detail::byte_range B>
IAsyncResultPtr Stream::BeginWrite(const B& buffer, int offset, int count, AsyncCallback callback, std::any state)
{
    auto bytes = detail::checked_bytes(buffer, offset, count);
    ensure_writable();
    prepare_async(true);
    return write_face(bytes, launch::ready,
                      detail::bind_apm_owner(apm(std::move(callback), std::move(state)), this,
                                             &detail::stream_write_method));
}

template <detail::mutable_byte_range B, class Token>
auto Stream::ReadAsync(B&& buffer, int offset, int count, Token&& token)
{
    auto bytes = detail::checked_bytes(buffer, offset, count);
    ensure_readable();
    prepare_async(false);
    return read_face(bytes, launch::ready, std::forward<Token>(token));
}

template <detail::mutable_byte_range B, class Token>
auto Stream::ReadAsync(B&& buffer, int offset, int count, CancellationToken cancellationToken, Token&& token)
{
    auto bytes = detail::checked_bytes(buffer, offset, count);
    ensure_readable();
    return read_async(bytes, std::move(cancellationToken), std::forward<Token>(token));
}

template <detail::mutable_byte_range B, class Token>
auto Stream::ReadAsync(B&& buffer, Token&& token)
{
    auto bytes = detail::whole_bytes(buffer);
    ensure_readable();
    prepare_async(false);
    return read_face(bytes, launch::ready, std::forward<Token>(token));
}

template <detail::mutable_byte_range B, class Token>
auto Stream::ReadAsync(B&& buffer, CancellationToken cancellationToken, Token&& token)
{
    auto bytes = detail::whole_bytes(buffer);
    ensure_readable();
    return read_async(bytes, std::move(cancellationToken), std::forward<Token>(token));
}

template <detail::byte_range B, class Token>
auto Stream::WriteAsync(const B& buffer, int offset, int count, Token&& token)
{
    auto bytes = detail::checked_bytes(buffer, offset, count);
    ensure_writable();
    prepare_async(true);
    return write_face(bytes, launch::ready, std::forward<Token>(token));
}

template <detail::byte_range B, class Token>
auto Stream::WriteAsync(const B& buffer, int offset, int count, CancellationToken cancellationToken, Token&& token)
{
    auto bytes = detail::checked_bytes(buffer, offset, count);
    ensure_writable();
    return write_async(bytes, std::move(cancellationToken), std::forward<Token>(token));
}

template <detail::byte_range B, class Token>
auto Stream::WriteAsync(const B& buffer, Token&& token)
{
    auto bytes = detail::whole_bytes(buffer);
    ensure_writable();
    prepare_async(true);
    return write_face(bytes, launch::ready, std::forward<Token>(token));
}

template <detail::byte_range B, class Token>
auto Stream::WriteAsync(const B& buffer, CancellationToken cancellationToken, Token&& token)
{
    auto bytes = detail::whole_bytes(buffer);
    ensure_writable();
    return write_async(bytes, std::move(cancellationToken), std::forward<Token>(token));
}

// A token already canceled skips prepare_async too: the operation must not
// touch the stream at all.
template <class Token>
auto Stream::read_async(std::span<std::byte> bytes, CancellationToken cancellationToken, Token&& token)
{
    const launch how = prepare_for(false, cancellationToken);
    return read_face(bytes, how, with_cancellation(std::move(cancellationToken), std::forward<Token>(token)));
}

template <class Token>
auto Stream::write_async(std::span<const std::byte> bytes, CancellationToken cancellationToken, Token&& token)
{
    const launch how = prepare_for(true, cancellationToken);
    return write_face(bytes, how, with_cancellation(std::move(cancellationToken), std::forward<Token>(token)));
}

template <detail::mutable_byte_range B, class Token>
auto Stream::ReadExactlyAsync(B&& buffer, int offset, int count, Token&& token)
{
    return ReadExactlyAsync(std::forward<B>(buffer), offset, count, CancellationToken::None(),
                            std::forward<Token>(token));
}

template <detail::mutable_byte_range B, class Token>
auto Stream::ReadExactlyAsync(B&& buffer, int offset, int count, CancellationToken cancellationToken, Token&& token)
{
    auto bytes = detail::checked_bytes(buffer, offset, count);
    ensure_readable();
    return read_at_least_async<true>(bytes, bytes.size(), true, std::move(cancellationToken),
                                     std::forward<Token>(token));
}

template <detail::mutable_byte_range B, class Token>
auto Stream::ReadExactlyAsync(B&& buffer, Token&& token)
{
    return ReadExactlyAsync(std::forward<B>(buffer), CancellationToken::None(), std::forward<Token>(token));
}

template <detail::mutable_byte_range B, class Token>
auto Stream::ReadExactlyAsync(B&& buffer, CancellationToken cancellationToken, Token&& token)
{
    auto bytes = detail::whole_bytes(buffer);
    ensure_readable();
    return read_at_least_async<true>(bytes, bytes.size(), true, std::move(cancellationToken),
                                     std::forward<Token>(token));
}

template <detail::mutable_byte_range B, class Token>
auto Stream::ReadAtLeastAsync(B&& buffer, int minimumBytes, Token&& token)
{
    return ReadAtLeastAsync(std::forward<B>(buffer), minimumBytes, true, CancellationToken::None(),
                            std::forward<Token>(token));
}

template <detail::mutable_byte_range B, class Token>
auto Stream::ReadAtLeastAsync(B&& buffer, int minimumBytes, bool throwOnEndOfStream, Token&& token)
{
    return ReadAtLeastAsync(std::forward<B>(buffer), minimumBytes, throwOnEndOfStream, CancellationToken::None(),
                            std::forward<Token>(token));
}

template <detail::mutable_byte_range B, class Token>
auto Stream::ReadAtLeastAsync(B&& buffer, int minimumBytes, bool throwOnEndOfStream,
                              CancellationToken cancellationToken, Token&& token)
{
    auto bytes = detail::whole_bytes(buffer);
    if (minimumBytes < 0 || static_cast<std::size_t>(minimumBytes) > bytes.size())
        throw ArgumentOutOfRangeException("minimumBytes",
                                          "minimumBytes must be between 0 and the size of the buffer.");
    ensure_readable();
    return read_at_least_async<false>(bytes, static_cast<std::size_t>(minimumBytes), throwOnEndOfStream,
                                      std::move(cancellationToken), std::forward<Token>(token));
}

// Runs action() in the call and posts its outcome to the handler: what
// FlushAsync and DisposeAsync do.
template <class Token, class Action>
auto Stream::run_and_post(Token&& token, Action action)
{
    return boost::asio::async_initiate<Token, void(std::exception_ptr)>(
        [this, action = std::move(action)](auto handler) mutable {
            std::exception_ptr error;
            try {
                action();
            } catch (...) {
                error = std::current_exception();
            }
            boost::asio::post(executor_, boost::asio::append(std::move(handler), error));
        },
        token);
}

template <class Token>
auto Stream::FlushAsync(Token&& token)
{
    ensure_open();
    return run_and_post(std::forward<Token>(token), [this] { Flush(); });
}

template <class Token>
auto Stream::FlushAsync(CancellationToken cancellationToken, Token&& token)
{
    ensure_open();
    const bool canceled = cancellationToken.IsCancellationRequested();
    return run_and_post(with_cancellation(std::move(cancellationToken), std::forward<Token>(token)),
                        [this, canceled] {
                            if (canceled)
                                throw OperationCanceledException("The flush was cancelled before it started.");
                            Flush();
                        });
}

template <class Token>
auto Stream::DisposeAsync(Token&& token)
{
    return run_and_post(std::forward<Token>(token), [this] { Close(); });
}

template <class Token>
auto Stream::CopyToAsync(Stream& destination, Token&& token)
{
    return copy_async(destination, default_copy_buffer_size, CancellationToken::None(), std::forward<Token>(token));
}

template <class Token>
auto Stream::CopyToAsync(Stream& destination, CancellationToken cancellationToken, Token&& token)
{
    return copy_async(destination, default_copy_buffer_size, std::move(cancellationToken),
                      std::forward<Token>(token));
}

template <class Token>
auto Stream::CopyToAsync(Stream& destination, int bufferSize, Token&& token)
{
    return copy_async(destination, bufferSize, CancellationToken::None(), std::forward<Token>(token));
}

template <class Token>
auto Stream::CopyToAsync(Stream& destination, int bufferSize, CancellationToken cancellationToken, Token&& token)
{
    return copy_async(destination, bufferSize, std::move(cancellationToken), std::forward<Token>(token));
}

template <class MutableBufferSequence, class Token>
auto Stream::async_read_some(const MutableBufferSequence& buffers, Token&& token)
{
    const auto first = detail::first_buffer<boost::asio::mutable_buffer>(buffers);
    return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        initiate_read_some(*this), token, std::span<std::byte>(static_cast<std::byte*>(first.data()), first.size()),
        launch::check);
}

template <class ConstBufferSequence, class Token>
auto Stream::async_write_some(const ConstBufferSequence& buffers, Token&& token)
{
    const auto first = detail::first_buffer<boost::asio::const_buffer>(buffers);
    return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        initiate_write_some(*this), token,
        std::span<const std::byte>(static_cast<const std::byte*>(first.data()), first.size()), launch::check);
}

} // namespace dotasync

#include <dotasync/io/impl/stream_loops.hpp>

#endif
