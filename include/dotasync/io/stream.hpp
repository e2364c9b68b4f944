// Stream: .NET's abstract byte stream, with its synchronous members, the APM
// pair (BeginRead/EndRead, BeginWrite/EndWrite), the TAP members (ReadAsync,
// WriteAsync, FlushAsync, CopyToAsync, any Asio completion token) and Asio's
// AsyncReadStream/AsyncWriteStream members, so that asio::async_read and
// asio::async_write work on every dotasync stream.
//
// Each concrete stream writes its asynchronous read and write once
// (start_read/start_write); every face above is a thin layer over them.
//
// Completion signatures:
//   ReadAsync            void(std::exception_ptr, int)   bytes read, 0 at end of stream
//   WriteAsync           void(std::exception_ptr)
//   FlushAsync           void(std::exception_ptr)
//   CopyToAsync          void(std::exception_ptr)
//   async_read_some      void(boost::system::error_code, std::size_t)   asio::error::eof at end
//   async_write_some     void(boost::system::error_code, std::size_t)
// The TAP members report failures as the .NET exceptions (so use_future and
// use_awaitable rethrow an IOException, not a system_error); the Asio members
// report error codes, as Asio's own streams do.
//
// Argument checks follow .NET and are thrown by the Begin/XxxAsync call
// itself, before anything starts: a range without storage asked for bytes ->
// ArgumentNullException; negative offset or count, or offset + count past the
// end of the buffer -> ArgumentOutOfRangeException; a closed stream ->
// ObjectDisposedException; reading a stream that cannot read (or writing one
// that cannot write) -> NotSupportedException.
//
// BeginRead may complete synchronously when the data is at hand (a FileStream
// read that the page cache satisfies): CompletedSynchronously() is then true
// and the callback has run inline before BeginRead returns. To keep a chain of
// callbacks that each begin the next read from growing the stack without
// bound, after a few nested inline completions on one thread the callback is
// posted instead. The Asio and TAP faces never complete inside the initiating
// function: their completion is always posted to the handler's executor.
//
// Every asynchronous operation honours Asio per-operation cancellation (the
// handler's cancellation slot): a cancelled operation that had not started
// completes with OperationCanceledException (operation_aborted).
//
// Buffers passed to asynchronous members must stay alive until the operation
// completes, as in Asio.
//
// Thread-safety: a stream may be used from several threads, but as in .NET the
// position is shared, so concurrent operations need an order of their own.
// Completions run on the handler's associated executor, or on the stream's
// executor (get_executor()) when the handler has none.
#ifndef DOTASYNC_IO_STREAM_HPP
#define DOTASYNC_IO_STREAM_HPP

#include <dotasync/core/apm_token.hpp>
#include <dotasync/core/error_mapping.hpp>
#include <dotasync/core/exceptions.hpp>
#include <dotasync/io/detail/byte_buffer.hpp>
#include <dotasync/io/detail/completion_adapter.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/cancellation_state.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/error.hpp>
#include <boost/system/error_code.hpp>

#include <any>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace dotasync {

enum class SeekOrigin { Begin, Current, End };

namespace detail {

// The completion handler every concrete stream's operation receives.
using io_handler = boost::asio::any_completion_handler<void(boost::system::error_code, std::size_t)>;

// Whether an operation that finishes inside its initiating function may call
// its handler there (the APM face) or must post it (the Asio and TAP faces).
enum class completion_mode { posted, inline_allowed };

// Completes handler with (ec, n): inline when mode allows it and the inline
// nesting depth on this thread is below the limit, otherwise through the
// handler's associated executor (executor when it has none).
void complete_io(io_handler handler, completion_mode mode, const boost::asio::any_io_executor& executor,
                 boost::system::error_code ec, std::size_t n);

inline constexpr char stream_read_method = 0;
inline constexpr char stream_write_method = 0;

} // namespace detail

class Stream {
public:
    using executor_type = boost::asio::any_io_executor;

    virtual ~Stream();
    Stream(const Stream&) = delete;
    Stream& operator=(const Stream&) = delete;

    virtual bool CanRead() const = 0;
    virtual bool CanWrite() const = 0;
    virtual bool CanSeek() const = 0;

    // Streams that cannot seek throw NotSupportedException from these.
    virtual std::int64_t Length() const;
    virtual std::int64_t Position() const;
    virtual void SetPosition(std::int64_t value);
    virtual std::int64_t Seek(std::int64_t offset, SeekOrigin origin);
    virtual void SetLength(std::int64_t value);

    virtual void Flush();
    // Closes the stream; a second Close does nothing. Operations in flight
    // complete, with their data if they had finished and with
    // OperationCanceledException otherwise.
    virtual void Close();
    void Dispose() { Close(); }

    template <detail::mutable_byte_range B>
    int Read(B&& buffer, int offset, int count)
    {
        auto bytes = detail::checked_bytes(buffer, offset, count);
        ensure_readable();
        return read_bytes(bytes);
    }

    template <detail::byte_range B>
    void Write(const B& buffer, int offset, int count)
    {
        auto bytes = detail::checked_bytes(buffer, offset, count);
        ensure_writable();
        write_bytes(bytes);
    }

    template <detail::mutable_byte_range B>
    IAsyncResultPtr BeginRead(B&& buffer, int offset, int count, AsyncCallback callback, std::any state)
    {
        auto bytes = detail::checked_bytes(buffer, offset, count);
        ensure_readable();
        return read_async(bytes, detail::completion_mode::inline_allowed,
                          detail::bind_apm_owner(apm(std::move(callback), std::move(state)), this,
                                                 &detail::stream_read_method));
    }

    // Waits for the read and returns the number of bytes read: 0 at the end of
    // the stream.
    int EndRead(const IAsyncResultPtr& asyncResult)
    {
        return detail::end_operation<void(std::exception_ptr, int)>(asyncResult, this, &detail::stream_read_method);
    }

    template <detail::byte_range B>
    IAsyncResultPtr BeginWrite(const B& buffer, int offset, int count, AsyncCallback callback, std::any state)
    {
        auto bytes = detail::checked_bytes(buffer, offset, count);
        ensure_writable();
        return write_async(bytes, detail::completion_mode::inline_allowed,
                           detail::bind_apm_owner(apm(std::move(callback), std::move(state)), this,
                                                  &detail::stream_write_method));
    }

    void EndWrite(const IAsyncResultPtr& asyncResult)
    {
        detail::end_operation<void(std::exception_ptr)>(asyncResult, this, &detail::stream_write_method);
    }

    template <detail::mutable_byte_range B, class Token>
    auto ReadAsync(B&& buffer, int offset, int count, Token&& token)
    {
        auto bytes = detail::checked_bytes(buffer, offset, count);
        ensure_readable();
        return read_async(bytes, detail::completion_mode::posted, std::forward<Token>(token));
    }

    template <detail::mutable_byte_range B, class Token>
    auto ReadAsync(B&& buffer, Token&& token)
    {
        auto bytes = detail::whole_bytes(buffer);
        ensure_readable();
        return read_async(bytes, detail::completion_mode::posted, std::forward<Token>(token));
    }

    template <detail::byte_range B, class Token>
    auto WriteAsync(const B& buffer, int offset, int count, Token&& token)
    {
        auto bytes = detail::checked_bytes(buffer, offset, count);
        ensure_writable();
        return write_async(bytes, detail::completion_mode::posted, std::forward<Token>(token));
    }

    template <detail::byte_range B, class Token>
    auto WriteAsync(const B& buffer, Token&& token)
    {
        auto bytes = detail::whole_bytes(buffer);
        ensure_writable();
        return write_async(bytes, detail::completion_mode::posted, std::forward<Token>(token));
    }

    // Runs Flush() in the call (what a stream buffers is at most its buffer
    // size, written without waiting for the device), then completes through
    // the token, posted; a failure of Flush arrives through the completion.
    template <class Token>
    auto FlushAsync(Token&& token)
    {
        ensure_open();
        return boost::asio::async_initiate<Token, void(std::exception_ptr)>(
            [this](auto handler) {
                std::exception_ptr error;
                try {
                    Flush();
                } catch (...) {
                    error = std::current_exception();
                }
                detail::complete_io(detail::io_handler(detail::adapt_completion(
                                        std::move(handler),
                                        [error](auto h, boost::system::error_code, std::size_t) {
                                            std::move(h)(error);
                                        })),
                                    detail::completion_mode::posted, executor_, {}, 0);
            },
            token);
    }

    // Copies the rest of this stream into destination, from the current
    // positions, bufferSize bytes at a time. Cancelling it (through the
    // handler's cancellation slot) cancels the read or write in flight and
    // completes with OperationCanceledException.
    template <class Token>
    auto CopyToAsync(Stream& destination, Token&& token)
    {
        return CopyToAsync(destination, default_copy_buffer_size, std::forward<Token>(token));
    }

    template <class Token>
    auto CopyToAsync(Stream& destination, int bufferSize, Token&& token)
    {
        if (bufferSize <= 0)
            throw ArgumentOutOfRangeException("bufferSize", "The buffer size must be positive.");
        ensure_readable();
        destination.ensure_writable();
        return boost::asio::async_compose<Token, void(std::exception_ptr)>(
            copy_op{*this, destination, std::make_unique<std::vector<std::byte>>(static_cast<std::size_t>(bufferSize))},
            token, executor_);
    }

    // Asio's AsyncReadStream: reads into the first non-empty buffer of the
    // sequence; asio::error::eof at the end of the stream.
    template <class MutableBufferSequence, class Token>
    auto async_read_some(const MutableBufferSequence& buffers, Token&& token)
    {
        boost::asio::mutable_buffer first = first_buffer<boost::asio::mutable_buffer>(buffers);
        std::span<std::byte> bytes(static_cast<std::byte*>(first.data()), first.size());
        return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
            [this, bytes](auto handler) {
                if (auto ec = prepare_asio_operation(false))
                    return detail::complete_io(detail::io_handler(std::move(handler)),
                                               detail::completion_mode::posted, executor_, ec, 0);
                start_read(bytes, detail::completion_mode::posted, detail::io_handler(std::move(handler)));
            },
            token);
    }

    // Asio's AsyncWriteStream: writes the first non-empty buffer of the
    // sequence.
    template <class ConstBufferSequence, class Token>
    auto async_write_some(const ConstBufferSequence& buffers, Token&& token)
    {
        boost::asio::const_buffer first = first_buffer<boost::asio::const_buffer>(buffers);
        std::span<const std::byte> bytes(static_cast<const std::byte*>(first.data()), first.size());
        return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
            [this, bytes](auto handler) {
                if (auto ec = prepare_asio_operation(true))
                    return detail::complete_io(detail::io_handler(std::move(handler)),
                                               detail::completion_mode::posted, executor_, ec, 0);
                start_write(bytes, detail::completion_mode::posted, detail::io_handler(std::move(handler)));
            },
            token);
    }

    executor_type get_executor() const noexcept { return executor_; }

protected:
    static constexpr int default_copy_buffer_size = 81920;

    // name is what error messages and ObjectDisposedException name: the path
    // for a FileStream.
    Stream(executor_type executor, std::string name);

    virtual bool is_closed() const noexcept = 0;
    virtual int read_bytes(std::span<std::byte> bytes) = 0;
    virtual void write_bytes(std::span<const std::byte> bytes) = 0;

    // Runs in the Begin/XxxAsync call, after the argument checks and before
    // the operation starts; a failure here is thrown to the caller. Buffered
    // streams write out or drop their buffer here.
    virtual void prepare_async(bool /*write*/) {}

    // The one asynchronous read and write of a concrete stream. They must not
    // throw (other than std::bad_alloc): a stream closed meanwhile completes
    // the handler with operation_aborted. A read of a non-empty span at the end
    // of the stream completes with asio::error::eof and 0; a write completes
    // after all bytes were written.
    virtual void start_read(std::span<std::byte> bytes, detail::completion_mode mode, detail::io_handler handler) = 0;
    virtual void start_write(std::span<const std::byte> bytes, detail::completion_mode mode,
                             detail::io_handler handler) = 0;

    const std::string& name() const noexcept { return *name_; }

    void ensure_open() const;
    void ensure_readable() const;
    void ensure_writable() const;

private:
    template <class Buffer, class Sequence>
    static Buffer first_buffer(const Sequence& buffers)
    {
        for (auto it = boost::asio::buffer_sequence_begin(buffers); it != boost::asio::buffer_sequence_end(buffers);
             ++it) {
            Buffer b(*it);
            if (b.size() != 0)
                return b;
        }
        return Buffer();
    }

    // The checks and preparation of the Asio members, reported as an error
    // code rather than thrown: bad_descriptor for a closed stream,
    // operation_not_supported for the wrong direction, io_error when a
    // buffered write could not be written out.
    boost::system::error_code prepare_asio_operation(bool write) noexcept;

    template <class Token>
    auto read_async(std::span<std::byte> bytes, detail::completion_mode mode, Token&& token)
    {
        prepare_async(false);
        return boost::asio::async_initiate<Token, void(std::exception_ptr, int)>(
            [this, bytes, mode](auto handler) {
                start_read(bytes, mode,
                           detail::io_handler(detail::with_recycling_allocator(detail::adapt_completion(
                               std::move(handler), [name = name_](auto h, boost::system::error_code ec, std::size_t n) {
                                   if (ec == boost::asio::error::eof)
                                       ec = {};
                                   std::move(h)(exception_from_error(ec, *name), static_cast<int>(n));
                               }))));
            },
            token);
    }

    template <class Token>
    auto write_async(std::span<const std::byte> bytes, detail::completion_mode mode, Token&& token)
    {
        prepare_async(true);
        return boost::asio::async_initiate<Token, void(std::exception_ptr)>(
            [this, bytes, mode](auto handler) {
                start_write(bytes, mode,
                            detail::io_handler(detail::with_recycling_allocator(detail::adapt_completion(
                                std::move(handler), [name = name_](auto h, boost::system::error_code ec, std::size_t) {
                                    std::move(h)(exception_from_error(ec, *name));
                                }))));
            },
            token);
    }

    // CopyToAsync as one composed operation: read, write, repeat until a read
    // returns 0.
    struct copy_op {
        Stream& source;
        Stream& destination;
        std::unique_ptr<std::vector<std::byte>> buffer;
        bool writing = false;
        bool started = false;

        template <class Self>
        void operator()(Self& self, std::exception_ptr error = {}, int n = -1)
        {
            if (!started) {
                // Stopping a copy between two chunks leaves both streams in a
                // consistent state, so every kind of cancellation is accepted.
                started = true;
                self.reset_cancellation_state(boost::asio::enable_total_cancellation());
            }
            if (error)
                return self.complete(error);
            // A cancellation that arrived while a step succeeded anyway still
            // ends the copy: the caller asked for it.
            if (self.cancelled() != boost::asio::cancellation_type::none)
                return self.complete(std::make_exception_ptr(
                    OperationCanceledException("The copy was cancelled before it reached the end of the stream.")));
            if (!writing && n == 0)
                return self.complete(nullptr);
            try {
                if (!writing && n > 0) {
                    writing = true;
                    destination.write_async(std::span<const std::byte>(buffer->data(), static_cast<std::size_t>(n)),
                                            detail::completion_mode::posted, std::move(self));
                } else {
                    writing = false;
                    source.read_async(std::span<std::byte>(*buffer), detail::completion_mode::posted, std::move(self));
                }
            } catch (...) {
                // prepare_async failed (a buffered write could not be written
                // out); self is still ours when it throws.
                self.complete(std::current_exception());
            }
        }
    };

    executor_type executor_;
    std::shared_ptr<const std::string> name_;
};

} // namespace dotasync

#endif
