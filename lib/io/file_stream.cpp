#include <dotasync/io/file_stream.hpp>

#include "io/detail/file_core.hpp"
#include "io/detail/path_check.hpp"

#include <dotasync/core/error_mapping.hpp>
#include <dotasync/io/detail/file_backend.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace dotasync {

namespace {

std::error_code errno_code(int value) noexcept
{
    return std::error_code(value, std::system_category());
}

[[noreturn]] void throw_errno(int value, const std::string& path)
{
    throw_if_error(errno_code(value), path);
    throw IOException("The operation failed.", errno_code(value));
}

// The errors of open(2) that .NET names differently from the general mapping.
[[noreturn]] void throw_open_error(int value, const std::filesystem::path& path)
{
    const std::string name = path.string();
    if (value == ENOENT)
        detail::throw_if_directory_missing(path);
    if (value == EEXIST)
        throw IOException("The file '" + name + "' exists already.", errno_code(value));
    if (value == EISDIR)
        throw UnauthorizedAccessException("'" + name + "' is a directory, not a file.");
    throw_errno(value, name);
}

void check_open_arguments(const std::filesystem::path& path, FileMode mode, FileAccess access, FileShare share,
                          int bufferSize, FileOptions options)
{
    detail::check_path(path);
    if (static_cast<int>(mode) < static_cast<int>(FileMode::CreateNew) ||
        static_cast<int>(mode) > static_cast<int>(FileMode::Append))
        throw ArgumentOutOfRangeException("mode", "The value is not a FileMode.");
    if (static_cast<int>(access) < 1 || static_cast<int>(access) > 3)
        throw ArgumentOutOfRangeException("access", "The value is not a FileAccess.");
    if (static_cast<int>(share) < 0 || static_cast<int>(share) > 7)
        throw ArgumentOutOfRangeException("share", "The value is not a FileShare.");
    constexpr auto known = FileOptions::WriteThrough | FileOptions::Asynchronous | FileOptions::RandomAccess |
                           FileOptions::DeleteOnClose | FileOptions::SequentialScan;
    if ((static_cast<std::uint32_t>(options) & ~static_cast<std::uint32_t>(known)) != 0)
        throw ArgumentOutOfRangeException("options", "The value is not a combination of FileOptions.");
    if (bufferSize < 0)
        throw ArgumentOutOfRangeException("bufferSize", "The buffer size must not be negative.");
    const bool writes = has_flag(access, FileAccess::Write);
    if (!writes && (mode == FileMode::Truncate || mode == FileMode::CreateNew || mode == FileMode::Create ||
                    mode == FileMode::Append))
        throw ArgumentException("This FileMode needs write access.", "access");
    if (mode == FileMode::Append && access != FileAccess::Write)
        throw ArgumentException("FileMode::Append needs FileAccess::Write alone.", "access");
}

FileAccess access_for(FileMode mode)
{
    return mode == FileMode::Append ? FileAccess::Write : FileAccess::ReadWrite;
}

} // namespace

FileStream::FileStream(const std::filesystem::path& path, FileMode mode)
    : FileStream(ThreadPool::Executor(), path, mode)
{
}

FileStream::FileStream(const std::filesystem::path& path, FileMode mode, FileAccess access, FileShare share,
                       int bufferSize, FileOptions options)
    : FileStream(ThreadPool::Executor(), path, mode, access, share, bufferSize, options)
{
}

FileStream::FileStream(executor_type executor, const std::filesystem::path& path, FileMode mode)
    : FileStream(std::move(executor), path, mode, access_for(mode))
{
}

FileStream::FileStream(const std::filesystem::path& path, FileMode mode, FileAccess access, FileShare share,
                       int bufferSize, bool useAsync)
    : FileStream(ThreadPool::Executor(), path, mode, access, share, bufferSize, useAsync)
{
}

FileStream::FileStream(executor_type executor, const std::filesystem::path& path, FileMode mode, FileAccess access,
                       FileShare share, int bufferSize, bool useAsync)
    : FileStream(std::move(executor), path, mode, access, share, bufferSize,
                 useAsync ? FileOptions::Asynchronous : FileOptions::None)
{
    is_async_ = useAsync;
}

FileStream::FileStream(executor_type executor, const std::filesystem::path& path, FileMode mode, FileAccess access,
                       FileShare share, int bufferSize, FileOptions options)
    : Stream(std::move(executor), path.string()), access_(access), options_(options),
      buffer_size_(bufferSize > 1 ? static_cast<std::size_t>(bufferSize) : 0)
{
    check_open_arguments(path, mode, access, share, bufferSize, options);
    open(mode, share, options);
}

FileStream::~FileStream()
{
    try {
        Close();
    } catch (...) {
        // A destructor cannot report that the last buffered bytes could not
        // be written; Close() called explicitly does.
    }
}

void FileStream::open(FileMode mode, FileShare share, FileOptions options)
{
    int flags = O_CLOEXEC;
    switch (access_) {
    case FileAccess::Read: flags |= O_RDONLY; break;
    case FileAccess::Write: flags |= O_WRONLY; break;
    case FileAccess::ReadWrite: flags |= O_RDWR; break;
    }
    switch (mode) {
    case FileMode::CreateNew: flags |= O_CREAT | O_EXCL; break;
    // Not O_TRUNC: the file is emptied only once the share lock below is
    // held, so that an open refused by another stream's FileShare::None
    // leaves the file as it was (as .NET checks sharing before truncating).
    case FileMode::Create: flags |= O_CREAT; break;
    case FileMode::Open: break;
    case FileMode::OpenOrCreate: flags |= O_CREAT; break;
    case FileMode::Truncate: break;
    // Not O_APPEND: it would make the kernel ignore the offsets of pwrite.
    case FileMode::Append: flags |= O_CREAT; break;
    }
    if (has_flag(options, FileOptions::WriteThrough))
        flags |= O_SYNC;

    const std::filesystem::path path(name());
    int fd = ::open(path.c_str(), flags, 0666);
    if (fd < 0)
        throw_open_error(errno, path);

    struct fd_guard {
        int fd;
        ~fd_guard()
        {
            if (fd >= 0)
                ::close(fd);
        }
    } guard{fd};

    struct stat st {};
    if (::fstat(fd, &st) != 0)
        throw_errno(errno, name());
    if (S_ISDIR(st.st_mode))
        throw UnauthorizedAccessException("'" + name() + "' is a directory, not a file.");
    seekable_ = S_ISREG(st.st_mode) || S_ISBLK(st.st_mode);

    // FileShare as .NET implements it on Unix: an advisory whole-file lock.
    const int lock = share == FileShare::None ? LOCK_EX : LOCK_SH;
    if (::flock(fd, lock | LOCK_NB) != 0) {
        const int error = errno;
        if (error == EWOULDBLOCK)
            throw IOException("The file '" + name() + "' is in use by another stream or process that does not share it.",
                              errno_code(error));
        // File systems without flock support (some network ones) open
        // without the lock, as .NET does.
        if (error != ENOLCK && error != EOPNOTSUPP)
            throw_errno(error, name());
    }

    if ((mode == FileMode::Create || mode == FileMode::Truncate) && S_ISREG(st.st_mode) &&
        ::ftruncate(fd, 0) != 0)
        throw_errno(errno, name());

    if (has_flag(options, FileOptions::SequentialScan))
        ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    if (has_flag(options, FileOptions::RandomAccess))
        ::posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM);

    core_ = std::make_shared<detail::file_core>(get_executor(), fd, detail::current_file_backend());
    guard.fd = -1;
    if (mode == FileMode::Append) {
        append_start_ = static_cast<std::int64_t>(st.st_size);
        core_->set_position(append_start_);
    }
    if (buffer_size_ > 0)
        buffer_.resize(buffer_size_);
}

bool FileStream::is_closed() const noexcept
{
    return core_->closing();
}

bool FileStream::CanRead() const
{
    return !is_closed() && has_flag(access_, FileAccess::Read);
}

bool FileStream::CanWrite() const
{
    return !is_closed() && has_flag(access_, FileAccess::Write);
}

bool FileStream::CanSeek() const
{
    return !is_closed() && seekable_;
}

std::int64_t FileStream::Length() const
{
    ensure_open();
    if (!seekable_)
        throw NotSupportedException("The file does not support seeking, so it has no length.");
    auto held = core_->acquire();
    if (!held)
        throw ObjectDisposedException(name(), "The stream is closed.");
    struct stat st {};
    if (::fstat(core_->fd(), &st) != 0)
        throw_errno(errno, name());
    std::lock_guard lock(buffer_mutex_);
    std::int64_t length = st.st_size;
    if (buffer_dirty_)
        length = std::max(length, buffer_offset_ + static_cast<std::int64_t>(buffer_length_));
    return length;
}

std::int64_t FileStream::Position() const
{
    ensure_open();
    if (!seekable_)
        throw NotSupportedException("The file does not support seeking.");
    return core_->position();
}

void FileStream::SetPosition(std::int64_t value)
{
    if (value < 0)
        throw ArgumentOutOfRangeException("value", "The position must not be negative.");
    Seek(value, SeekOrigin::Begin);
}

std::int64_t FileStream::Seek(std::int64_t offset, SeekOrigin origin)
{
    ensure_open();
    if (!seekable_)
        throw NotSupportedException("The file does not support seeking.");
    std::int64_t base = 0;
    switch (origin) {
    case SeekOrigin::Begin: base = 0; break;
    case SeekOrigin::Current: base = core_->position(); break;
    case SeekOrigin::End: base = Length(); break;
    default: throw ArgumentException("The seek origin is not one of Begin, Current or End.", "origin");
    }
    const std::int64_t target = base + offset;
    if (target < 0)
        throw IOException("The position would be before the beginning of the file.");
    if (append_start_ >= 0 && target < append_start_)
        throw IOException("A stream opened with FileMode::Append cannot move before the data it found in the file.");
    core_->set_position(target);
    return target;
}

void FileStream::SetLength(std::int64_t value)
{
    if (value < 0)
        throw ArgumentOutOfRangeException("value", "The length must not be negative.");
    ensure_writable();
    if (!seekable_)
        throw NotSupportedException("The file does not support seeking.");
    if (append_start_ >= 0 && value < append_start_)
        throw IOException("A stream opened with FileMode::Append cannot cut off the data it found in the file.");
    std::lock_guard lock(buffer_mutex_);
    flush_write_buffer_locked();
    buffer_length_ = 0;
    auto held = core_->acquire();
    if (!held)
        throw ObjectDisposedException(name(), "The stream is closed.");
    if (::ftruncate(core_->fd(), value) != 0)
        throw_errno(errno, name());
    if (core_->position() > value)
        core_->set_position(value);
}

void FileStream::Flush()
{
    Flush(false);
}

void FileStream::Flush(bool flushToDisk)
{
    ensure_open();
    std::lock_guard lock(buffer_mutex_);
    flush_write_buffer_locked();
    if (flushToDisk && has_flag(access_, FileAccess::Write)) {
        auto held = core_->acquire();
        if (held && ::fsync(core_->fd()) != 0)
            throw_errno(errno, name());
    }
}

void FileStream::Close()
{
    if (!core_ || core_->closing())
        return;
    std::exception_ptr flush_error;
    {
        std::lock_guard lock(buffer_mutex_);
        try {
            flush_write_buffer_locked();
        } catch (...) {
            flush_error = std::current_exception();
        }
        buffer_length_ = 0;
        buffer_dirty_ = false;
    }
    if (has_flag(options_, FileOptions::DeleteOnClose))
        ::unlink(name().c_str());
    core_->close();
    if (flush_error)
        std::rethrow_exception(flush_error);
}

void FileStream::flush_write_buffer_locked()
{
    if (!buffer_dirty_ || buffer_length_ == 0) {
        buffer_dirty_ = false;
        return;
    }
    auto held = core_->acquire();
    if (!held)
        throw ObjectDisposedException(name(), "The stream is closed.");
    std::size_t written = 0;
    while (written < buffer_length_) {
        const ssize_t n = ::pwrite(core_->fd(), buffer_.data() + written, buffer_length_ - written,
                                   buffer_offset_ + static_cast<std::int64_t>(written));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw_errno(errno, name());
        written += static_cast<std::size_t>(n);
    }
    buffer_length_ = 0;
    buffer_dirty_ = false;
}

int FileStream::read_bytes(std::span<std::byte> bytes)
{
    std::lock_guard lock(buffer_mutex_);
    flush_write_buffer_locked();
    auto held = core_->acquire();
    if (!held)
        throw ObjectDisposedException(name(), "The stream is closed.");
    if (bytes.empty())
        return 0;
    const std::int64_t position = core_->position();

    // Served from the buffer when it holds the bytes at the position.
    if (buffer_length_ > 0 && position >= buffer_offset_ &&
        position < buffer_offset_ + static_cast<std::int64_t>(buffer_length_)) {
        const auto skip = static_cast<std::size_t>(position - buffer_offset_);
        const std::size_t n = std::min(bytes.size(), buffer_length_ - skip);
        std::memcpy(bytes.data(), buffer_.data() + skip, n);
        core_->reserve(static_cast<std::int64_t>(n));
        return static_cast<int>(n);
    }

    const bool direct = bytes.size() >= buffer_size_;
    std::byte* target = direct ? bytes.data() : buffer_.data();
    const std::size_t wanted = direct ? bytes.size() : buffer_size_;
    ssize_t n;
    do
        n = ::pread(core_->fd(), target, wanted, position);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        throw_errno(errno, name());
    std::size_t got = static_cast<std::size_t>(n);
    if (!direct) {
        buffer_offset_ = position;
        buffer_length_ = got;
        got = std::min(got, bytes.size());
        std::memcpy(bytes.data(), buffer_.data(), got);
    }
    core_->reserve(static_cast<std::int64_t>(got));
    return static_cast<int>(got);
}

void FileStream::write_bytes(std::span<const std::byte> bytes)
{
    std::lock_guard lock(buffer_mutex_);
    if (!buffer_dirty_)
        buffer_length_ = 0; // drop read data: the write may change it
    const std::int64_t position = core_->position();
    if (bytes.size() < buffer_size_) {
        const bool continues = buffer_dirty_ && position == buffer_offset_ + static_cast<std::int64_t>(buffer_length_);
        if (buffer_dirty_ && (!continues || buffer_length_ + bytes.size() > buffer_size_))
            flush_write_buffer_locked();
        if (!buffer_dirty_) {
            buffer_offset_ = position;
            buffer_length_ = 0;
            buffer_dirty_ = true;
        }
        if (!bytes.empty())
            std::memcpy(buffer_.data() + buffer_length_, bytes.data(), bytes.size());
        buffer_length_ += bytes.size();
        core_->reserve(static_cast<std::int64_t>(bytes.size()));
        return;
    }
    flush_write_buffer_locked();
    auto held = core_->acquire();
    if (!held)
        throw ObjectDisposedException(name(), "The stream is closed.");
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::pwrite(core_->fd(), bytes.data() + written, bytes.size() - written,
                                   position + static_cast<std::int64_t>(written));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            core_->reserve(static_cast<std::int64_t>(written));
            throw_errno(errno, name());
        }
        written += static_cast<std::size_t>(n);
    }
    core_->reserve(static_cast<std::int64_t>(written));
}

void FileStream::prepare_async(bool)
{
    // Without a buffer there is nothing to write out or drop, and no lock to
    // take on the way of every asynchronous operation.
    if (buffer_size_ == 0)
        return;
    std::lock_guard lock(buffer_mutex_);
    flush_write_buffer_locked();
    buffer_length_ = 0;
}

void FileStream::start_read_some(std::span<std::byte> buffer, io_completion completion)
{
    const std::int64_t offset = core_->reserve(static_cast<std::int64_t>(buffer.size()));
    core_->async_read_at(offset, buffer, std::move(completion));
}

void FileStream::start_write_some(std::span<const std::byte> buffer, io_completion completion)
{
    const std::int64_t offset = core_->reserve(static_cast<std::int64_t>(buffer.size()));
    core_->async_write_at(offset, buffer, std::move(completion));
}

} // namespace dotasync
