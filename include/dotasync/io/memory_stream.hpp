// MemoryStream: a growable, seekable stream over memory, as .NET's.
//
// Its asynchronous operations finish inside their initiation: BeginRead and
// BeginWrite complete synchronously (CompletedSynchronously() true, callback
// inline, within Stream's nesting limit), and a coroutine awaiting ReadAsync
// or WriteAsync with use_awaitable continues at once, within the same limit,
// as .NET's await of MemoryStream's finished tasks does; the other faces post
// their completion to the handler's executor (the stream's executor, or the
// default runtime's).
//
// The memory behind the stream is Capacity() bytes, of which the first
// Length() are the contents; it grows as .NET's does (to at least 256 bytes,
// and at least doubling), and bytes between the old end and a write or
// SetLength past it read as zeros.
//
// Thread-safety: every member may be called from any thread; the position is
// shared, as in .NET. What GetBuffer and TryGetBuffer return stays valid until
// the stream's memory is reallocated (a write past Capacity(), a Capacity(n)
// call) or the stream is destroyed.
#ifndef DOTASYNC_IO_MEMORY_STREAM_HPP
#define DOTASYNC_IO_MEMORY_STREAM_HPP

#include <dotasync/core/export.hpp>
#include <dotasync/io/stream.hpp>

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

namespace dotasync {

class DOTASYNC_API MemoryStream : public Stream {
public:
    MemoryStream();
    explicit MemoryStream(executor_type executor);
    // An empty stream whose memory holds capacity bytes; a negative capacity
    // -> ArgumentOutOfRangeException.
    explicit MemoryStream(int capacity);
    // A stream whose initial contents are a copy of bytes, positioned at 0.
    explicit MemoryStream(std::span<const std::byte> bytes);
    ~MemoryStream() override;

    bool CanRead() const override;
    bool CanWrite() const override;
    bool CanSeek() const override;

    std::int64_t Length() const override;
    using Stream::Position;
    std::int64_t Position() const override;
    void SetPosition(std::int64_t value) override;
    std::int64_t Seek(std::int64_t offset, SeekOrigin origin) override;
    void SetLength(std::int64_t value) override;
    void Close() override;

    // The size of the memory behind the stream. The setter reallocates it to
    // exactly value bytes; less than Length() -> ArgumentOutOfRangeException.
    // Both throw ObjectDisposedException on a closed stream.
    int Capacity() const;
    void Capacity(int value);

    // The memory behind the stream, all Capacity() bytes of it, without a
    // copy (works after Close, as in .NET).
    std::span<std::uint8_t> GetBuffer();
    // The contents, Length() bytes, without a copy; always true.
    bool TryGetBuffer(std::span<std::uint8_t>& buffer);
    // A copy of the whole contents, wherever the position is (works after
    // Close, as in .NET).
    std::vector<std::uint8_t> ToArray() const;
    // Writes the whole contents to stream, wherever the position is.
    void WriteTo(Stream& stream);

protected:
    bool is_closed() const noexcept override;
    int read_bytes(std::span<std::byte> bytes) override;
    void write_bytes(std::span<const std::byte> bytes) override;
    void start_read_some(std::span<std::byte> buffer, io_completion completion) override;
    void start_write_some(std::span<const std::byte> buffer, io_completion completion) override;

private:
    int read_locked(std::span<std::byte> bytes);
    void write_locked(std::span<const std::byte> bytes);
    void ensure_capacity_locked(std::size_t needed);
    void set_length_locked(std::int64_t value);
    void reallocate_locked(std::size_t capacity);

    mutable std::mutex mutex_;
    std::unique_ptr<std::uint8_t[]> memory_;
    std::size_t capacity_ = 0;
    std::int64_t length_ = 0;
    std::int64_t position_ = 0;
    bool closed_ = false;
};

} // namespace dotasync

#endif
