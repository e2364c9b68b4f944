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
// ArgumentNullException (only a std::span without storage stands for .NET's
// null array: an empty container is an empty array); negative offset or count
// -> ArgumentOutOfRangeException; offset + count past the end of the buffer ->
// ArgumentException, naming no parameter, as .NET; a closed stream ->
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
// Every XxxAsync also takes an optional CancellationToken before the
// completion token; the token is bound to the operation with
// with_cancellation, and its registration is released when the operation
// completes. A token that is already cancelled completes the operation with
// OperationCanceledException, posted, without starting it: no byte is read
// or written, no buffer is written out, and the position does not move.
// Cancelling while the operation runs asks the stream to stop it; what a
// cancelled operation leaves behind:
//   - a read either completes with the bytes it read (the cancellation came
//     too late to stop it) or with OperationCanceledException and no bytes,
//     and then the position is back where the read started: no byte is
//     skipped;
//   - a write either completes or ends with OperationCanceledException after
//     writing a prefix of the bytes (possibly none); the position then counts
//     just that prefix, so a following write continues right after it;
//   - CopyToAsync also checks the token between chunks. A cancelled copy has
//     written a prefix of the source's remaining bytes to the destination;
//     a seekable source is moved back so that its position is just past the
//     bytes that reached the destination, and a second CopyToAsync resumes
//     the copy.
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
#include <dotasync/core/cancellation.hpp>
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
#include <boost/asio/post.hpp>
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
    auto ReadAsync(B&& buffer, int offset, int count, CancellationToken cancellationToken, Token&& token)
    {
        auto bytes = detail::checked_bytes(buffer, offset, count);
        ensure_readable();
        return read_async(bytes, std::move(cancellationToken), std::forward<Token>(token));
    }

    template <detail::mutable_byte_range B, class Token>
    auto ReadAsync(B&& buffer, Token&& token)
    {
        auto bytes = detail::whole_bytes(buffer);
        ensure_readable();
        return read_async(bytes, detail::completion_mode::posted, std::forward<Token>(token));
    }

    template <detail::mutable_byte_range B, class Token>
    auto ReadAsync(B&& buffer, CancellationToken cancellationToken, Token&& token)
    {
        auto bytes = detail::whole_bytes(buffer);
        ensure_readable();
        return read_async(bytes, std::move(cancellationToken), std::forward<Token>(token));
    }

    template <detail::byte_range B, class Token>
    auto WriteAsync(const B& buffer, int offset, int count, Token&& token)
    {
        auto bytes = detail::checked_bytes(buffer, offset, count);
        ensure_writable();
        return write_async(bytes, detail::completion_mode::posted, std::forward<Token>(token));
    }

    template <detail::byte_range B, class Token>
    auto WriteAsync(const B& buffer, int offset, int count, CancellationToken cancellationToken, Token&& token)
    {
        auto bytes = detail::checked_bytes(buffer, offset, count);
        ensure_writable();
        return write_async(bytes, std::move(cancellationToken), std::forward<Token>(token));
    }

    template <detail::byte_range B, class Token>
    auto WriteAsync(const B& buffer, Token&& token)
    {
        auto bytes = detail::whole_bytes(buffer);
        ensure_writable();
        return write_async(bytes, detail::completion_mode::posted, std::forward<Token>(token));
    }

    template <detail::byte_range B, class Token>
    auto WriteAsync(const B& buffer, CancellationToken cancellationToken, Token&& token)
    {
        auto bytes = detail::whole_bytes(buffer);
        ensure_writable();
        return write_async(bytes, std::move(cancellationToken), std::forward<Token>(token));
    }

    // Runs Flush() in the call (what a stream buffers is at most its buffer
    // size, written without waiting for the device), then completes through
    // the token, posted; a failure of Flush arrives through the completion.
    template <class Token>
    auto FlushAsync(Token&& token)
    {
        ensure_open();
        return flush_async(false, std::forward<Token>(token));
    }

    // As FlushAsync(token); a token cancelled before the call skips the
    // flush. Flush runs inside the call, so a later cancellation finds
    // nothing left to stop.
    template <class Token>
    auto FlushAsync(CancellationToken cancellationToken, Token&& token)
    {
        ensure_open();
        const bool canceled = cancellationToken.IsCancellationRequested();
        return flush_async(canceled, with_cancellation(std::move(cancellationToken), std::forward<Token>(token)));
    }

    // Copies the rest of this stream into destination, from the current
    // positions, bufferSize bytes at a time. Cancelling it (through the
    // handler's cancellation slot or a CancellationToken) cancels the read or
    // write in flight and completes with OperationCanceledException; what the
    // streams are left with is in the file comment.
    template <class Token>
    auto CopyToAsync(Stream& destination, Token&& token)
    {
        return CopyToAsync(destination, default_copy_buffer_size, std::forward<Token>(token));
    }

    template <class Token>
    auto CopyToAsync(Stream& destination, CancellationToken cancellationToken, Token&& token)
    {
        return CopyToAsync(destination, default_copy_buffer_size, std::move(cancellationToken),
                           std::forward<Token>(token));
    }

    template <class Token>
    auto CopyToAsync(Stream& destination, int bufferSize, Token&& token)
    {
        check_copy_arguments(destination, bufferSize);
        return boost::asio::async_compose<Token, void(std::exception_ptr)>(
            copy_op{*this, destination, make_copy_buffer(bufferSize), CancellationToken::None()}, token, executor_);
    }

    template <class Token>
    auto CopyToAsync(Stream& destination, int bufferSize, CancellationToken cancellationToken, Token&& token)
    {
        check_copy_arguments(destination, bufferSize);
        return boost::asio::async_compose<Token, void(std::exception_ptr)>(
            copy_op{*this, destination, make_copy_buffer(bufferSize), std::move(cancellationToken)}, token,
            executor_);
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
        return initiate_read(bytes, mode, false, std::forward<Token>(token));
    }

    // A token already cancelled skips prepare_async too: the operation must
    // not touch the file at all.
    template <class Token>
    auto read_async(std::span<std::byte> bytes, CancellationToken cancellationToken, Token&& token)
    {
        const bool canceled = cancellationToken.IsCancellationRequested();
        if (!canceled)
            prepare_async(false);
        return initiate_read(bytes, detail::completion_mode::posted, canceled,
                             with_cancellation(std::move(cancellationToken), std::forward<Token>(token)));
    }

    template <class Token>
    auto write_async(std::span<const std::byte> bytes, detail::completion_mode mode, Token&& token)
    {
        prepare_async(true);
        return initiate_write(bytes, mode, false, std::forward<Token>(token));
    }

    template <class Token>
    auto write_async(std::span<const std::byte> bytes, CancellationToken cancellationToken, Token&& token)
    {
        const bool canceled = cancellationToken.IsCancellationRequested();
        if (!canceled)
            prepare_async(true);
        return initiate_write(bytes, detail::completion_mode::posted, canceled,
                              with_cancellation(std::move(cancellationToken), std::forward<Token>(token)));
    }

    // canceled: complete with operation_aborted, posted, instead of starting.
    template <class Token>
    auto initiate_read(std::span<std::byte> bytes, detail::completion_mode mode, bool canceled, Token&& token)
    {
        return boost::asio::async_initiate<Token, void(std::exception_ptr, int)>(
            [this, bytes, mode, canceled](auto handler) {
                detail::io_handler adapted(detail::with_recycling_allocator(detail::adapt_completion(
                    std::move(handler), [name = name_](auto h, boost::system::error_code ec, std::size_t n) {
                        if (ec == boost::asio::error::eof)
                            ec = {};
                        std::move(h)(exception_from_error(ec, *name), static_cast<int>(n));
                    })));
                if (canceled)
                    return complete_canceled(std::move(adapted));
                start_read(bytes, mode, std::move(adapted));
            },
            token);
    }

    template <class Token>
    auto initiate_write(std::span<const std::byte> bytes, detail::completion_mode mode, bool canceled, Token&& token)
    {
        return boost::asio::async_initiate<Token, void(std::exception_ptr)>(
            [this, bytes, mode, canceled](auto handler) {
                detail::io_handler adapted(detail::with_recycling_allocator(detail::adapt_completion(
                    std::move(handler), [name = name_](auto h, boost::system::error_code ec, std::size_t) {
                        std::move(h)(exception_from_error(ec, *name));
                    })));
                if (canceled)
                    return complete_canceled(std::move(adapted));
                start_write(bytes, mode, std::move(adapted));
            },
            token);
    }

    void complete_canceled(detail::io_handler handler)
    {
        detail::complete_io(std::move(handler), detail::completion_mode::posted, executor_,
                            boost::asio::error::operation_aborted, 0);
    }

    template <class Token>
    auto flush_async(bool canceled, Token&& token)
    {
        return boost::asio::async_initiate<Token, void(std::exception_ptr)>(
            [this, canceled](auto handler) {
                std::exception_ptr error;
                if (canceled) {
                    error = std::make_exception_ptr(
                        OperationCanceledException("The flush was cancelled before it started."));
                } else {
                    try {
                        Flush();
                    } catch (...) {
                        error = std::current_exception();
                    }
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

    void check_copy_arguments(Stream& destination, int bufferSize) const
    {
        if (bufferSize <= 0)
            throw ArgumentOutOfRangeException("bufferSize", "The buffer size must be positive.");
        ensure_readable();
        destination.ensure_writable();
    }

    static std::unique_ptr<std::vector<std::byte>> make_copy_buffer(int bufferSize)
    {
        return std::make_unique<std::vector<std::byte>>(static_cast<std::size_t>(bufferSize));
    }

    // CopyToAsync as one composed operation: read a chunk, write it, repeat
    // until a read returns 0. It drives the streams' start_read and
    // start_write directly, so that it learns how much of a chunk a failed or
    // cancelled write wrote.
    //
    // The token is bound to each read and write on its own, not to the copy
    // as a whole: a step then installs its cancellation handler before its
    // registration is live, and a Cancel() from another thread cannot meet
    // the next step installing its own on a thread of the executor.
    struct copy_op {
        enum class step { starting, reading, writing, stopping };

        Stream& source;
        Stream& destination;
        std::unique_ptr<std::vector<std::byte>> buffer;
        CancellationToken cancellation;
        step state = step::starting;
        // The size of the chunk being written.
        std::size_t chunk = 0;

        template <class Self>
        void operator()(Self& self, std::exception_ptr error = {}, std::size_t n = 0)
        {
            switch (state) {
            case step::starting:
                // Stopping a copy between two chunks leaves both streams in a
                // consistent state, so every kind of cancellation is accepted.
                self.reset_cancellation_state(boost::asio::enable_total_cancellation());
                if (cancellation.IsCancellationRequested()) {
                    // Completing here would run the handler inside the
                    // initiating call.
                    state = step::stopping;
                    return boost::asio::post(source.executor_, std::move(self));
                }
                return read_chunk(self);
            case step::stopping:
                return self.complete(canceled_error());
            case step::reading:
                if (error)
                    return self.complete(error);
                if (n == 0)
                    return self.complete(nullptr);
                // A cancellation that arrived while a step succeeded anyway
                // still ends the copy: the caller asked for it.
                if (canceled(self)) {
                    rewind_source(n);
                    return self.complete(canceled_error());
                }
                return write_chunk(self, n);
            case step::writing:
                if (error) {
                    rewind_source(chunk - n);
                    return self.complete(error);
                }
                if (canceled(self))
                    return self.complete(canceled_error());
                return read_chunk(self);
            }
        }

        template <class Self>
        bool canceled(Self& self) const noexcept
        {
            return self.cancelled() != boost::asio::cancellation_type::none ||
                   cancellation.IsCancellationRequested();
        }

        static std::exception_ptr canceled_error()
        {
            return std::make_exception_ptr(
                OperationCanceledException("The copy was cancelled before it reached the end of the stream."));
        }

        template <class Self>
        void read_chunk(Self& self)
        {
            state = step::reading;
            try {
                source.prepare_async(false);
            } catch (...) {
                return self.complete(std::current_exception());
            }
            // self owns this object: take what the call needs before moving it.
            Stream& from = source;
            const std::span<std::byte> bytes(*buffer);
            CancellationToken token = cancellation;
            start_step(from, std::move(token), std::move(self), [&from, bytes](detail::io_handler handler) {
                from.start_read(bytes, detail::completion_mode::posted, std::move(handler));
            });
        }

        template <class Self>
        void write_chunk(Self& self, std::size_t n)
        {
            state = step::writing;
            chunk = n;
            try {
                // A buffered destination writes out what it holds first.
                destination.prepare_async(true);
            } catch (...) {
                rewind_source(n);
                return self.complete(std::current_exception());
            }
            Stream& to = destination;
            const std::span<const std::byte> bytes(buffer->data(), n);
            CancellationToken token = cancellation;
            start_step(to, std::move(token), std::move(self), [&to, bytes](detail::io_handler handler) {
                to.start_write(bytes, detail::completion_mode::posted, std::move(handler));
            });
        }

        // Runs start(handler) with the token bound to that one step; the step
        // completes self with (exception, bytes), the end of the stream
        // counting as success with 0 bytes.
        template <class Self, class Start>
        static void start_step(Stream& stream, CancellationToken token, Self self, Start start)
        {
            auto bound = with_cancellation(std::move(token), std::move(self));
            boost::asio::async_initiate<decltype(bound), void(std::exception_ptr, std::size_t)>(
                [name = stream.name_, start = std::move(start)](auto handler) mutable {
                    start(detail::io_handler(detail::with_recycling_allocator(detail::adapt_completion(
                        std::move(handler), [name](auto h, boost::system::error_code ec, std::size_t n) {
                            if (ec == boost::asio::error::eof)
                                ec = {};
                            std::move(h)(exception_from_error(ec, *name), n);
                        }))));
                },
                bound);
        }

        // Moves a seekable source back over bytes it read that did not reach
        // the destination, so that its position tells how far the copy got.
        // A source that cannot seek (or fails to) keeps its position: the
        // copy's own failure is what the caller hears about.
        void rewind_source(std::size_t unwritten) noexcept
        {
            if (unwritten == 0)
                return;
            try {
                if (source.CanSeek())
                    source.Seek(-static_cast<std::int64_t>(unwritten), SeekOrigin::Current);
            } catch (...) {
            }
        }
    };

    executor_type executor_;
    std::shared_ptr<const std::string> name_;
};

} // namespace dotasync

#endif
