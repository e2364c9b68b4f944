// MemoryStream: a growable, seekable stream over memory, as .NET's.
//
// Its asynchronous operations finish at once: BeginRead/BeginWrite complete
// synchronously (CompletedSynchronously() true, callback inline, within the
// nesting limit of Stream), the Asio and TAP faces post their completion to
// the handler's executor (the stream's executor, or the default runtime's).
//
// Thread-safety: every member may be called from any thread; the position is
// shared, as in .NET.
#ifndef DOTASYNC_IO_MEMORY_STREAM_HPP
#define DOTASYNC_IO_MEMORY_STREAM_HPP

#include <dotasync/io/stream.hpp>

#include <cstdint>
#include <mutex>
#include <span>
#include <vector>

namespace dotasync {

class MemoryStream : public Stream {
public:
    MemoryStream();
    explicit MemoryStream(executor_type executor);
    // A stream whose initial contents are a copy of bytes, positioned at 0.
    explicit MemoryStream(std::span<const std::byte> bytes);
    ~MemoryStream() override;

    bool CanRead() const override;
    bool CanWrite() const override;
    bool CanSeek() const override;

    std::int64_t Length() const override;
    std::int64_t Position() const override;
    void SetPosition(std::int64_t value) override;
    std::int64_t Seek(std::int64_t offset, SeekOrigin origin) override;
    void SetLength(std::int64_t value) override;
    void Close() override;

    // A copy of the whole contents, wherever the position is (works after
    // Close, as in .NET).
    std::vector<std::uint8_t> ToArray() const;

protected:
    bool is_closed() const noexcept override;
    int read_bytes(std::span<std::byte> bytes) override;
    void write_bytes(std::span<const std::byte> bytes) override;
    void start_read(std::span<std::byte> bytes, detail::completion_mode mode, detail::io_handler handler) override;
    void start_write(std::span<const std::byte> bytes, detail::completion_mode mode,
                     detail::io_handler handler) override;

private:
    int read_locked(std::span<std::byte> bytes);
    void write_locked(std::span<const std::byte> bytes);

    mutable std::mutex mutex_;
    std::vector<std::byte> data_;
    std::int64_t position_ = 0;
    bool closed_ = false;
};

} // namespace dotasync

#endif
