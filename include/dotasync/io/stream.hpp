// Stream: .NET's abstract byte stream, and the public way to write one.
//
// Every stream has the synchronous members (Read, Write, ReadByte, ReadExactly,
// CopyTo, ...), the APM pair (BeginRead/EndRead, BeginWrite/EndWrite), the TAP
// members (ReadAsync, WriteAsync, ReadExactlyAsync, FlushAsync, CopyToAsync,
// DisposeAsync, with any Asio completion token and an optional
// CancellationToken) and Asio's AsyncReadStream/AsyncWriteStream members, so
// that asio::async_read and asio::async_write work on every dotasync stream.
//
// One operation, three faces: each direction has one initiation, which starts
// the stream's start_read_some or start_write_some. async_read_some is that
// initiation with the caller's token; ReadAsync is the same initiation with a
// token that turns (error_code, n) into (.NET exception, n); BeginRead is
// ReadAsync with the apm token. The composed members (ReadExactlyAsync,
// CopyToAsync, ...) go through the same initiation for every step.
//
// Completion signatures:
//   ReadAsync, ReadAtLeastAsync   void(std::exception_ptr, int)   0 at end of stream
//   WriteAsync, ReadExactlyAsync,
//   FlushAsync, CopyToAsync,
//   DisposeAsync                  void(std::exception_ptr)
//   async_read_some               void(boost::system::error_code, std::size_t)   asio::error::eof at end
//   async_write_some              void(boost::system::error_code, std::size_t)
// The TAP members report failures as the .NET exceptions (so use_future and
// use_awaitable rethrow an IOException, not a system_error); the Asio members
// report error codes, as Asio's own streams do.
//
// Argument checks follow .NET and are thrown by the Begin/XxxAsync call
// itself, before anything starts: a std::span without storage asked for bytes
// -> ArgumentNullException (an empty container is an empty array, not null);
// negative offset or count -> ArgumentOutOfRangeException; offset + count past
// the end of the buffer -> ArgumentException; a closed stream ->
// ObjectDisposedException; the wrong direction -> NotSupportedException. The
// Asio members report the last two as bad_descriptor and
// operation_not_supported.
//
// BeginRead/BeginWrite complete synchronously when the stream finishes the
// operation inside start_read_some/start_write_some (a MemoryStream, a
// FileStream read the page cache satisfies): CompletedSynchronously() is then
// true and the callback has run before BeginRead returns, up to a nesting
// limit per thread, past which the callback is posted. A coroutine that
// co_awaits ReadAsync/WriteAsync with use_awaitable (with or without a
// CancellationToken) continues at once in the same case and within the same
// limit, as .NET's await of a task that finished synchronously does. No other
// face ever completes inside its initiating function. EndRead/EndWrite on an
// unfinished
// operation, called where its completion would have to run (inside the strand
// the stream completes on, or on the only thread of an io_context made with
// concurrency hint 1), throw InvalidOperationException instead of hanging.
//
// Cancellation: every asynchronous member honours the handler's Asio
// cancellation slot and a CancellationToken given before the completion
// token. A token already canceled completes with OperationCanceledException,
// posted, touching nothing. A read canceled in flight either completes with
// its bytes or with OperationCanceledException and no bytes; a write
// canceled in flight has written a prefix of its bytes, which a seekable
// stream's position counts. CopyToAsync also checks between chunks; a
// canceled copy leaves a seekable source just past the bytes that reached
// the destination. docs/streams.md has the details.
//
// Buffers passed to asynchronous members must stay alive until the operation
// completes, as in Asio.
//
// Writing a stream: derive from Stream and implement CanRead, CanWrite,
// CanSeek, is_closed and the initiations of the directions the stream has
// (start_read_some, start_write_some; io_completion.hpp says how to complete
// them). Where the stream has them, override the synchronous fast paths
// (read_bytes, write_bytes; by default they start the asynchronous operation
// and wait for it), Length, Position, SetPosition, Seek, SetLength, Flush and
// Close, and prepare_async. A class that overrides Position() adds
// `using Stream::Position;` to keep the setter visible. Every member above
// then works, with the .NET rules. samples/custom_stream is a complete example.
//
// Thread-safety: a stream may be used from several threads, but as in .NET the
// position is shared, so concurrent operations need an order of their own.
// Completions run on the handler's associated executor, or on the stream's
// executor (get_executor()) when the handler has none.
#ifndef DOTASYNC_IO_STREAM_HPP
#define DOTASYNC_IO_STREAM_HPP

#include <dotasync/core/apm_token.hpp>
#include <dotasync/core/cancellation.hpp>
#include <dotasync/core/export.hpp>
#include <dotasync/core/iasync_result.hpp>
#include <dotasync/io/detail/byte_buffer.hpp>
#include <dotasync/io/io_completion.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/system/error_code.hpp>

#include <any>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <span>
#include <string>

namespace dotasync {

namespace detail {

// What the .NET faces keep of a stream to report its failures: the name they
// carry, and the stream's translation of a read's or a write's failure.
struct DOTASYNC_API stream_identity {
    // The .NET exception for a read's or a write's failure ec, given the
    // stream's name.
    using failure_mapper = std::exception_ptr (*)(const boost::system::error_code& ec, const std::string& name,
                                                  bool write);

    std::string name;
    failure_mapper map_failure = nullptr;

    // The .NET exception for ec (null for success), as the stream reports it.
    std::exception_ptr failure_of(const boost::system::error_code& ec, bool write) const;
};

} // namespace detail

enum class SeekOrigin { Begin, Current, End };

class DOTASYNC_API Stream {
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
    void Position(std::int64_t value) { SetPosition(value); }
    virtual void SetPosition(std::int64_t value);
    virtual std::int64_t Seek(std::int64_t offset, SeekOrigin origin);
    virtual void SetLength(std::int64_t value);

    virtual void Flush();
    // Closes the stream; a second Close does nothing. Operations in flight
    // complete, with their data if they had finished and with
    // OperationCanceledException otherwise.
    virtual void Close();
    void Dispose() { Close(); }

    // ---- Synchronous members -------------------------------------------
    template <detail::mutable_byte_range B>
    int Read(B&& buffer, int offset, int count);
    template <detail::byte_range B>
    void Write(const B& buffer, int offset, int count);
    // The next byte, or -1 at the end of the stream.
    int ReadByte();
    void WriteByte(std::uint8_t value);
    // Reads until the range is full; EndOfStreamException when the stream
    // ends first (the bytes read until then are consumed).
    template <detail::mutable_byte_range B>
    void ReadExactly(B&& buffer, int offset, int count);
    template <detail::mutable_byte_range B>
    void ReadExactly(B&& buffer);
    // Reads at least minimumBytes (0 <= minimumBytes <= the buffer's size,
    // else ArgumentOutOfRangeException) and returns how many it read. At the
    // end of the stream: EndOfStreamException, or the bytes read when
    // throwOnEndOfStream is false.
    template <detail::mutable_byte_range B>
    int ReadAtLeast(B&& buffer, int minimumBytes, bool throwOnEndOfStream = true);
    // Copies the rest of this stream into destination, bufferSize bytes at a
    // time.
    void CopyTo(Stream& destination, int bufferSize = default_copy_buffer_size);

    // ---- APM -----------------------------------------------------------
    template <detail::mutable_byte_range B>
    IAsyncResultPtr BeginRead(B&& buffer, int offset, int count, AsyncCallback callback, std::any state);
    // Waits for the read and returns the number of bytes read: 0 at the end.
    int EndRead(const IAsyncResultPtr& asyncResult);
    template <detail::byte_range B>
    IAsyncResultPtr BeginWrite(const B& buffer, int offset, int count, AsyncCallback callback, std::any state);
    void EndWrite(const IAsyncResultPtr& asyncResult);

    // ---- TAP -----------------------------------------------------------
    template <detail::mutable_byte_range B, class Token>
    auto ReadAsync(B&& buffer, int offset, int count, Token&& token);
    template <detail::mutable_byte_range B, class Token>
    auto ReadAsync(B&& buffer, int offset, int count, CancellationToken cancellationToken, Token&& token);
    template <detail::mutable_byte_range B, class Token>
    auto ReadAsync(B&& buffer, Token&& token);
    template <detail::mutable_byte_range B, class Token>
    auto ReadAsync(B&& buffer, CancellationToken cancellationToken, Token&& token);

    template <detail::byte_range B, class Token>
    auto WriteAsync(const B& buffer, int offset, int count, Token&& token);
    template <detail::byte_range B, class Token>
    auto WriteAsync(const B& buffer, int offset, int count, CancellationToken cancellationToken, Token&& token);
    template <detail::byte_range B, class Token>
    auto WriteAsync(const B& buffer, Token&& token);
    template <detail::byte_range B, class Token>
    auto WriteAsync(const B& buffer, CancellationToken cancellationToken, Token&& token);

    // As ReadExactly and ReadAtLeast; the failures arrive through the token.
    template <detail::mutable_byte_range B, class Token>
    auto ReadExactlyAsync(B&& buffer, int offset, int count, Token&& token);
    template <detail::mutable_byte_range B, class Token>
    auto ReadExactlyAsync(B&& buffer, int offset, int count, CancellationToken cancellationToken, Token&& token);
    template <detail::mutable_byte_range B, class Token>
    auto ReadExactlyAsync(B&& buffer, Token&& token);
    template <detail::mutable_byte_range B, class Token>
    auto ReadExactlyAsync(B&& buffer, CancellationToken cancellationToken, Token&& token);
    template <detail::mutable_byte_range B, class Token>
    auto ReadAtLeastAsync(B&& buffer, int minimumBytes, Token&& token);
    template <detail::mutable_byte_range B, class Token>
    auto ReadAtLeastAsync(B&& buffer, int minimumBytes, bool throwOnEndOfStream, Token&& token);
    template <detail::mutable_byte_range B, class Token>
    auto ReadAtLeastAsync(B&& buffer, int minimumBytes, bool throwOnEndOfStream,
                          CancellationToken cancellationToken, Token&& token);

    // Runs Flush() in the call (what a stream buffers is written without
    // waiting for the device), then completes through the token, posted; a
    // failure of Flush arrives through the completion. A token canceled
    // before the call skips the flush.
    template <class Token>
    auto FlushAsync(Token&& token);
    template <class Token>
    auto FlushAsync(CancellationToken cancellationToken, Token&& token);

    // Copies the rest of this stream into destination, from the current
    // positions, bufferSize bytes at a time (81920 by default).
    template <class Token>
    auto CopyToAsync(Stream& destination, Token&& token);
    template <class Token>
    auto CopyToAsync(Stream& destination, CancellationToken cancellationToken, Token&& token);
    template <class Token>
    auto CopyToAsync(Stream& destination, int bufferSize, Token&& token);
    template <class Token>
    auto CopyToAsync(Stream& destination, int bufferSize, CancellationToken cancellationToken, Token&& token);

    // Runs Close() in the call, then completes through the token, posted.
    template <class Token>
    auto DisposeAsync(Token&& token);

    // ---- Asio ----------------------------------------------------------
    // AsyncReadStream: reads into the first non-empty buffer of the sequence;
    // asio::error::eof at the end of the stream.
    template <class MutableBufferSequence, class Token>
    auto async_read_some(const MutableBufferSequence& buffers, Token&& token);
    // AsyncWriteStream: writes some of the first non-empty buffer.
    template <class ConstBufferSequence, class Token>
    auto async_write_some(const ConstBufferSequence& buffers, Token&& token);

    executor_type get_executor() const noexcept { return executor_; }

protected:
    static constexpr int default_copy_buffer_size = 81920;

    // name is what error messages and ObjectDisposedException name: the path
    // for a FileStream. An empty executor -> ArgumentNullException.
    Stream(executor_type executor, std::string name);
    // As above, for a stream whose failures are not the file system's: the
    // asynchronous faces report a read's or a write's failure ec as
    // map_failure(ec, name, write) returns it (cancellation and a closed
    // stream are reported before it is asked). .NET's NetworkStream reports
    // a network failure as an IOException around a SocketException this way;
    // a stream with its own read_bytes/write_bytes reports those failures
    // itself.
    using failure_mapper = detail::stream_identity::failure_mapper;
    Stream(executor_type executor, std::string name, failure_mapper map_failure);

    // ---- What a stream implements (see "Writing a stream" above) --------
    virtual bool is_closed() const noexcept = 0;

    // The one asynchronous read and write of the stream; see io_completion.hpp
    // for how to complete them. They are called with a non-empty buffer, after
    // the state checks and prepare_async, and must not throw (other than
    // std::bad_alloc). By default they complete with operation_not_supported.
    virtual void start_read_some(std::span<std::byte> buffer, io_completion completion);
    virtual void start_write_some(std::span<const std::byte> buffer, io_completion completion);

    // Synchronous fast paths for Read and Write (after the checks); a failure
    // is thrown as a .NET exception. By default: the asynchronous operation,
    // waited for (InvalidOperationException where that wait could never end).
    virtual int read_bytes(std::span<std::byte> buffer);
    virtual void write_bytes(std::span<const std::byte> buffer);

    // Runs in the Begin/XxxAsync call, after the argument checks and before
    // the operation starts; a failure here is thrown to the caller. Buffered
    // streams write out or drop their buffer here.
    virtual void prepare_async(bool /*write*/) {}

    const std::string& name() const noexcept { return name_->name; }

    void ensure_open() const;
    void ensure_readable() const;
    void ensure_writable() const;

private:
    // How an initiation starts: after the Asio face's checks (reported as
    // error codes), after a .NET face's checks, or as canceled.
    enum class launch { check, ready, canceled };

    class initiate_read_some;
    class initiate_write_some;
    template <bool Exactly>
    struct read_loop;
    struct copy_loop;

    template <class Handler>
    io_completion make_completion(Handler&& handler) const
    {
        return io_completion(std::forward<Handler>(handler), executor_);
    }

    void launch_read(std::span<std::byte> buffer, launch how, io_completion&& completion);
    void launch_write(std::span<const std::byte> buffer, launch how, io_completion&& completion);

    template <class Token>
    auto read_face(std::span<std::byte> bytes, launch how, Token&& token);
    template <class Token>
    auto write_face(std::span<const std::byte> bytes, launch how, Token&& token);
    template <class Token>
    auto read_async(std::span<std::byte> bytes, CancellationToken cancellationToken, Token&& token);
    template <class Token>
    auto write_async(std::span<const std::byte> bytes, CancellationToken cancellationToken, Token&& token);
    template <bool Exactly, class Token>
    auto read_at_least_async(std::span<std::byte> bytes, std::size_t minimum, bool throwOnEndOfStream,
                             CancellationToken cancellationToken, Token&& token);
    template <class Token>
    auto copy_async(Stream& destination, int bufferSize, CancellationToken cancellationToken, Token&& token);
    template <class Token, class Action>
    auto run_and_post(Token&& token, Action action);

    launch prepare_for(bool write, const CancellationToken& cancellationToken);
    int read_at_least(std::span<std::byte> bytes, std::size_t minimum, bool throwOnEndOfStream);
    void check_copy_arguments(Stream& destination, int bufferSize) const;
    // The checks and preparation of the Asio members, as an error code.
    boost::system::error_code prepare_asio_operation(bool write) noexcept;

    executor_type executor_;
    std::shared_ptr<const detail::stream_identity> name_;
};

} // namespace dotasync

#include <dotasync/io/impl/stream.hpp>

#endif
