#include <dotasync/io/memory_stream.hpp>

#include <dotasync/threading/thread_pool.hpp>

#include <algorithm>
#include <cstring>
#include <limits>

namespace dotasync {

namespace {

constexpr std::int64_t max_length = std::numeric_limits<int>::max();

} // namespace

MemoryStream::MemoryStream() : MemoryStream(ThreadPool::Executor()) {}

MemoryStream::MemoryStream(executor_type executor) : Stream(std::move(executor), "MemoryStream") {}

MemoryStream::MemoryStream(std::span<const std::byte> bytes) : MemoryStream()
{
    data_.assign(bytes.begin(), bytes.end());
}

MemoryStream::~MemoryStream() = default;

bool MemoryStream::CanRead() const
{
    std::lock_guard lock(mutex_);
    return !closed_;
}

bool MemoryStream::CanWrite() const
{
    return CanRead();
}

bool MemoryStream::CanSeek() const
{
    return CanRead();
}

bool MemoryStream::is_closed() const noexcept
{
    std::lock_guard lock(mutex_);
    return closed_;
}

std::int64_t MemoryStream::Length() const
{
    ensure_open();
    std::lock_guard lock(mutex_);
    return static_cast<std::int64_t>(data_.size());
}

std::int64_t MemoryStream::Position() const
{
    ensure_open();
    std::lock_guard lock(mutex_);
    return position_;
}

void MemoryStream::SetPosition(std::int64_t value)
{
    if (value < 0)
        throw ArgumentOutOfRangeException("value", "The position must not be negative.");
    ensure_open();
    if (value > max_length)
        throw ArgumentOutOfRangeException("value", "A MemoryStream cannot grow beyond 2 GiB - 1 bytes.");
    std::lock_guard lock(mutex_);
    position_ = value;
}

std::int64_t MemoryStream::Seek(std::int64_t offset, SeekOrigin origin)
{
    ensure_open();
    std::lock_guard lock(mutex_);
    std::int64_t base = 0;
    switch (origin) {
    case SeekOrigin::Begin: base = 0; break;
    case SeekOrigin::Current: base = position_; break;
    case SeekOrigin::End: base = static_cast<std::int64_t>(data_.size()); break;
    default: throw ArgumentException("The seek origin is not one of Begin, Current or End.", "origin");
    }
    const std::int64_t target = base + offset;
    if (target < 0)
        throw IOException("The position would be before the beginning of the stream.");
    if (target > max_length)
        throw ArgumentOutOfRangeException("offset", "A MemoryStream cannot grow beyond 2 GiB - 1 bytes.");
    position_ = target;
    return position_;
}

void MemoryStream::SetLength(std::int64_t value)
{
    if (value < 0 || value > max_length)
        throw ArgumentOutOfRangeException("value", "The length must be between 0 and 2 GiB - 1 bytes.");
    ensure_open();
    std::lock_guard lock(mutex_);
    data_.resize(static_cast<std::size_t>(value));
    position_ = std::min(position_, value);
}

void MemoryStream::Close()
{
    std::lock_guard lock(mutex_);
    closed_ = true;
}

std::vector<std::uint8_t> MemoryStream::ToArray() const
{
    std::lock_guard lock(mutex_);
    std::vector<std::uint8_t> copy(data_.size());
    if (!data_.empty())
        std::memcpy(copy.data(), data_.data(), data_.size());
    return copy;
}

int MemoryStream::read_locked(std::span<std::byte> bytes)
{
    const auto size = static_cast<std::int64_t>(data_.size());
    if (position_ >= size)
        return 0;
    const auto n = static_cast<std::size_t>(std::min<std::int64_t>(size - position_, static_cast<std::int64_t>(bytes.size())));
    // An empty read may come with no storage at all (an empty vector), and
    // memcpy must not be given a null pointer even for no bytes.
    if (n != 0)
        std::memcpy(bytes.data(), data_.data() + position_, n);
    position_ += static_cast<std::int64_t>(n);
    return static_cast<int>(n);
}

void MemoryStream::write_locked(std::span<const std::byte> bytes)
{
    const std::int64_t end = position_ + static_cast<std::int64_t>(bytes.size());
    if (end > max_length)
        throw IOException("A MemoryStream cannot grow beyond 2 GiB - 1 bytes.");
    if (end > static_cast<std::int64_t>(data_.size()))
        data_.resize(static_cast<std::size_t>(end));
    if (!bytes.empty())
        std::memcpy(data_.data() + position_, bytes.data(), bytes.size());
    position_ = end;
}

int MemoryStream::read_bytes(std::span<std::byte> bytes)
{
    std::lock_guard lock(mutex_);
    return read_locked(bytes);
}

void MemoryStream::write_bytes(std::span<const std::byte> bytes)
{
    std::lock_guard lock(mutex_);
    write_locked(bytes);
}

void MemoryStream::start_read(std::span<std::byte> bytes, detail::completion_mode mode, detail::io_handler handler)
{
    boost::system::error_code ec;
    std::size_t n = 0;
    {
        std::lock_guard lock(mutex_);
        if (closed_)
            ec = boost::asio::error::operation_aborted;
        else {
            n = static_cast<std::size_t>(read_locked(bytes));
            if (n == 0 && !bytes.empty())
                ec = boost::asio::error::eof;
        }
    }
    detail::complete_io(std::move(handler), mode, get_executor(), ec, n);
}

void MemoryStream::start_write(std::span<const std::byte> bytes, detail::completion_mode mode,
                               detail::io_handler handler)
{
    boost::system::error_code ec;
    {
        std::lock_guard lock(mutex_);
        if (closed_)
            ec = boost::asio::error::operation_aborted;
        else if (position_ + static_cast<std::int64_t>(bytes.size()) > max_length)
            ec = boost::asio::error::no_memory;
        else
            write_locked(bytes);
    }
    detail::complete_io(std::move(handler), mode, get_executor(), ec, ec ? 0 : bytes.size());
}

} // namespace dotasync
