#include <dotasync/io/memory_stream.hpp>

#include <dotasync/threading/thread_pool.hpp>

#include <boost/asio/error.hpp>

#include <algorithm>
#include <cstring>
#include <limits>

namespace dotasync {

namespace {

constexpr std::int64_t max_length = std::numeric_limits<int>::max();

} // namespace

MemoryStream::MemoryStream() : MemoryStream(ThreadPool::Executor()) {}

MemoryStream::MemoryStream(executor_type executor) : Stream(std::move(executor), "MemoryStream") {}

MemoryStream::MemoryStream(int capacity) : MemoryStream()
{
    if (capacity < 0)
        throw ArgumentOutOfRangeException("capacity", "The capacity must not be negative.");
    reallocate_locked(static_cast<std::size_t>(capacity));
}

MemoryStream::MemoryStream(std::span<const std::byte> bytes) : MemoryStream()
{
    if (bytes.size() > static_cast<std::size_t>(max_length))
        throw ArgumentOutOfRangeException("bytes", "A MemoryStream cannot hold more than 2 GiB - 1 bytes.");
    reallocate_locked(bytes.size());
    if (!bytes.empty())
        std::memcpy(memory_.get(), bytes.data(), bytes.size());
    length_ = static_cast<std::int64_t>(bytes.size());
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
    return length_;
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
    case SeekOrigin::End: base = length_; break;
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
    set_length_locked(value);
    position_ = std::min(position_, value);
}

void MemoryStream::Close()
{
    std::lock_guard lock(mutex_);
    closed_ = true;
}

int MemoryStream::Capacity() const
{
    ensure_open();
    std::lock_guard lock(mutex_);
    return static_cast<int>(capacity_);
}

void MemoryStream::Capacity(int value)
{
    ensure_open();
    std::lock_guard lock(mutex_);
    if (value < length_)
        throw ArgumentOutOfRangeException("value", "The capacity must not be less than the length of the stream.");
    if (static_cast<std::size_t>(value) != capacity_)
        reallocate_locked(static_cast<std::size_t>(value));
}

std::span<std::uint8_t> MemoryStream::GetBuffer()
{
    std::lock_guard lock(mutex_);
    return {memory_.get(), capacity_};
}

bool MemoryStream::TryGetBuffer(std::span<std::uint8_t>& buffer)
{
    std::lock_guard lock(mutex_);
    buffer = std::span<std::uint8_t>(memory_.get(), static_cast<std::size_t>(length_));
    return true;
}

std::vector<std::uint8_t> MemoryStream::ToArray() const
{
    std::lock_guard lock(mutex_);
    return std::vector<std::uint8_t>(memory_.get(), memory_.get() + length_);
}

void MemoryStream::WriteTo(Stream& stream)
{
    ensure_open();
    // A copy, so that the destination is written without this stream's lock:
    // it may be this stream, or call back into it.
    const std::vector<std::uint8_t> contents = ToArray();
    stream.Write(contents, 0, static_cast<int>(contents.size()));
}

void MemoryStream::reallocate_locked(std::size_t capacity)
{
    auto memory = std::make_unique<std::uint8_t[]>(capacity);
    if (length_ > 0)
        std::memcpy(memory.get(), memory_.get(), static_cast<std::size_t>(length_));
    memory_ = std::move(memory);
    capacity_ = capacity;
}

// Grows the memory as .NET does: to at least 256 bytes, and at least double.
void MemoryStream::ensure_capacity_locked(std::size_t needed)
{
    if (needed > capacity_)
        reallocate_locked(std::max({needed, std::size_t{256}, std::min<std::size_t>(capacity_ * 2, max_length)}));
}

// Bytes between the old end and the new one read as zeros: the memory may
// still hold what a SetLength cut off.
void MemoryStream::set_length_locked(std::int64_t value)
{
    ensure_capacity_locked(static_cast<std::size_t>(value));
    if (value > length_)
        std::memset(memory_.get() + length_, 0, static_cast<std::size_t>(value - length_));
    length_ = value;
}

int MemoryStream::read_locked(std::span<std::byte> bytes)
{
    if (position_ >= length_)
        return 0;
    const auto n =
        static_cast<std::size_t>(std::min<std::int64_t>(length_ - position_, static_cast<std::int64_t>(bytes.size())));
    // An empty read may come with no storage at all (an empty vector), and
    // memcpy must not be given a null pointer even for no bytes.
    if (n != 0)
        std::memcpy(bytes.data(), memory_.get() + position_, n);
    position_ += static_cast<std::int64_t>(n);
    return static_cast<int>(n);
}

void MemoryStream::write_locked(std::span<const std::byte> bytes)
{
    const std::int64_t end = position_ + static_cast<std::int64_t>(bytes.size());
    if (end > max_length)
        throw IOException("A MemoryStream cannot grow beyond 2 GiB - 1 bytes.");
    if (end > length_) {
        ensure_capacity_locked(static_cast<std::size_t>(end));
        // A write that starts past the end leaves a gap that reads as zeros.
        if (position_ > length_)
            std::memset(memory_.get() + length_, 0, static_cast<std::size_t>(position_ - length_));
        length_ = end;
    }
    if (!bytes.empty())
        std::memcpy(memory_.get() + position_, bytes.data(), bytes.size());
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

void MemoryStream::start_read_some(std::span<std::byte> buffer, io_completion completion)
{
    boost::system::error_code ec;
    std::size_t n = 0;
    {
        std::lock_guard lock(mutex_);
        if (closed_)
            ec = boost::asio::error::operation_aborted;
        else if ((n = static_cast<std::size_t>(read_locked(buffer))) == 0)
            ec = boost::asio::error::eof;
    }
    completion.complete(ec, n);
}

void MemoryStream::start_write_some(std::span<const std::byte> buffer, io_completion completion)
{
    boost::system::error_code ec;
    {
        std::lock_guard lock(mutex_);
        if (closed_)
            ec = boost::asio::error::operation_aborted;
        else if (position_ + static_cast<std::int64_t>(buffer.size()) > max_length)
            ec = boost::asio::error::no_memory;
        else
            write_locked(buffer);
    }
    completion.complete(ec, ec ? 0 : buffer.size());
}

} // namespace dotasync
