// FileStream: a Stream over a file, with .NET's semantics and truly
// asynchronous operations on Linux.
//
//   FileStream fs("data.bin", FileMode::Open, FileAccess::Read);
//   IAsyncResultPtr ar = fs.BeginRead(buffer, 0, 1024, callback, state);
//   int n = fs.EndRead(ar);                           // 0 at end of file
//   int m = co_await fs.ReadAsync(buffer, asio::use_awaitable);
//
// Asynchronous reads first try preadv2(RWF_NOWAIT): data already in the page
// cache is copied at once (BeginRead then completes synchronously, and a
// coroutine awaiting ReadAsync with use_awaitable continues at once; the other
// faces post their completion). Otherwise the operation goes to the
// back-end: io_uring (a ring dotasync owns through liburing, so that consumers
// need no Asio configuration macro) where the library was built with liburing
// and the kernel allows it, else positional pread/pwrite
// on a private pool of blocking-I/O threads (never on threads that run
// io_contexts); see io/detail/file_backend.hpp for the choice.
//
// Position: each BeginRead/ReadAsync/BeginWrite/WriteAsync transfers at the
// current position and advances it when it starts, so operations started one
// after another cover consecutive ranges. An operation that transfers fewer
// bytes than asked (end of file, failure, cancellation) moves the position
// back by the difference when it completes, so once all have completed the
// position is the start plus the bytes transferred, as in .NET.
//
// Cancellation (a CancellationToken passed to an XxxAsync, or the handler's
// cancellation slot) follows Stream's rules. On io_uring the kernel is asked
// to cancel the operation in flight, which it can while the operation waits.
// On the thread pool, an operation canceled before its pread or pwrite
// starts completes with OperationCanceledException without touching the file,
// and a write stops between two pwrite calls; a system call that has started
// cannot be interrupted, so a read that got that far completes with its
// bytes, as an io_uring read the kernel could no longer cancel does. Either
// way, a read reports OperationCanceledException only when it read nothing,
// and the position is then back where it started.
//
// Opening follows .NET: CreateNew on an existing file -> IOException; Open or
// Truncate on a missing file -> FileNotFoundException (FileName() = path); a
// missing directory -> DirectoryNotFoundException; no permission, or a
// directory -> UnauthorizedAccessException; Append positions at the end,
// needs FileAccess::Write, and refuses seeking or truncating before that
// point (IOException). FileShare::None takes an exclusive flock(), any other
// share a shared one; a conflicting lock -> IOException, and the file is left
// as it was (Create and Truncate empty it only once the lock is held). A path
// that is empty or holds a NUL character -> ArgumentException; an empty
// executor -> ArgumentNullException; both before anything is opened.
// FileOptions:
// DeleteOnClose removes the file on Close, WriteThrough opens with O_SYNC,
// SequentialScan and RandomAccess become posix_fadvise hints.
//
// bufferSize buffers small synchronous reads and writes (0 or 1: none);
// asynchronous operations write out or drop that buffer before they start.
//
// Close with operations in flight completes them, with their data if they had
// finished and with OperationCanceledException otherwise; the descriptor is
// closed exactly once, after the last operation stopped using it. The
// destructor closes.
//
// Lifetimes: a FileStream and its io_context may be destroyed in either order.
// Destroying the io_context (or its last reference, for another execution
// context) with operations in flight asks them to stop, waits until the kernel
// or the blocking thread is done with their buffers, and destroys their
// handlers, as Asio does for its own operations: a BeginRead/BeginWrite result
// then completes with OperationCanceledException, so EndRead, EndWrite and
// WaitOne never hang. A stream that outlives its io_context can still be
// ended, closed and destroyed; it starts no new operation there.
//
// Thread-safety: as Stream.
#ifndef DOTASYNC_IO_FILE_STREAM_HPP
#define DOTASYNC_IO_FILE_STREAM_HPP

#include <dotasync/core/export.hpp>
#include <dotasync/io/file_enums.hpp>
#include <dotasync/io/stream.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace dotasync {

namespace detail {
class file_core;
}

class DOTASYNC_API FileStream : public Stream {
public:
    static constexpr int DefaultBufferSize = 4096;

    // Access defaults by mode, as in .NET: Write for Append, else ReadWrite.
    FileStream(const std::filesystem::path& path, FileMode mode);
    FileStream(const std::filesystem::path& path, FileMode mode, FileAccess access, FileShare share = FileShare::Read,
               int bufferSize = DefaultBufferSize, FileOptions options = FileOptions::None);
    // As .NET's docs samples open files. useAsync is what IsAsync() reports;
    // the operations are asynchronous either way, so ported code behaves the
    // same with true and false.
    FileStream(const std::filesystem::path& path, FileMode mode, FileAccess access, FileShare share, int bufferSize,
               bool useAsync);
    FileStream(executor_type executor, const std::filesystem::path& path, FileMode mode, FileAccess access,
               FileShare share, int bufferSize, bool useAsync);
    FileStream(executor_type executor, const std::filesystem::path& path, FileMode mode);
    FileStream(executor_type executor, const std::filesystem::path& path, FileMode mode, FileAccess access,
               FileShare share = FileShare::Read, int bufferSize = DefaultBufferSize,
               FileOptions options = FileOptions::None);
    ~FileStream() override;

    bool CanRead() const override;
    bool CanWrite() const override;
    bool CanSeek() const override;
    // True, except for a stream opened with useAsync false: every FileStream
    // is opened for asynchronous use.
    bool IsAsync() const noexcept { return is_async_; }
    // The path as given to the constructor.
    const std::string& Name() const noexcept { return name(); }

    std::int64_t Length() const override;
    using Stream::Position;
    std::int64_t Position() const override;
    void SetPosition(std::int64_t value) override;
    std::int64_t Seek(std::int64_t offset, SeekOrigin origin) override;
    void SetLength(std::int64_t value) override;

    void Flush() override;
    // flushToDisk also asks the kernel to write the file to the device (fsync).
    void Flush(bool flushToDisk);
    void Close() override;

protected:
    bool is_closed() const noexcept override;
    int read_bytes(std::span<std::byte> bytes) override;
    void write_bytes(std::span<const std::byte> bytes) override;
    void prepare_async(bool write) override;
    void start_read_some(std::span<std::byte> buffer, io_completion completion) override;
    void start_write_some(std::span<const std::byte> buffer, io_completion completion) override;

private:
    void open(FileMode mode, FileShare share, FileOptions options);
    void flush_write_buffer_locked();

    std::shared_ptr<detail::file_core> core_;
    FileAccess access_;
    FileOptions options_;
    bool seekable_ = true;
    bool is_async_ = true;
    // Seeking or truncating before this offset is refused (Append mode).
    std::int64_t append_start_ = -1;

    // The buffer of synchronous reads and writes. It holds either bytes read
    // from [buffer_offset_, buffer_offset_ + buffer_length_) or bytes not yet
    // written to that range, never both.
    mutable std::mutex buffer_mutex_;
    std::size_t buffer_size_;
    std::vector<std::byte> buffer_;
    std::int64_t buffer_offset_ = 0;
    std::size_t buffer_length_ = 0;
    bool buffer_dirty_ = false;
};

} // namespace dotasync

#endif
