#include "io/detail/file_core.hpp"

#include "io/detail/blocking_io_pool.hpp"
#if defined(DOTASYNC_HAS_LIBURING)
#include "io/detail/uring_ring.hpp"
#endif

#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>

#include <cerrno>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

namespace dotasync::detail {

namespace {

namespace asio = boost::asio;
using error_code = boost::system::error_code;

error_code errno_code(int value) noexcept
{
    return error_code(value, boost::system::system_category());
}

// One pread or pwrite of bytes at offset, repeated while a signal interrupts
// it: the bytes transferred, or 0 with ec set.
template <class Syscall, class Byte>
std::size_t positional_io(Syscall syscall, int fd, std::span<Byte> bytes, std::int64_t offset, error_code& ec) noexcept
{
    for (;;) {
        const ssize_t n = syscall(fd, bytes.data(), bytes.size(), offset);
        if (n >= 0)
            return static_cast<std::size_t>(n);
        if (errno != EINTR) {
            ec = errno_code(errno);
            return 0;
        }
    }
}

} // namespace

file_core::file_core(asio::any_io_executor executor, int fd, file_backend backend)
    : executor_(std::move(executor)), fd_(fd), backend_(backend), registry_(file_operation_registry::of(executor_))
{
}

file_core::~file_core()
{
    close_descriptor();
}

file_core::lease file_core::acquire()
{
    if (!enter())
        return lease();
    return lease(shared_from_this());
}

bool file_core::enter() noexcept
{
    const std::uint64_t previous = uses_.fetch_add(1, std::memory_order_acq_rel);
    if ((previous & closing_bit) != 0) {
        // Too late: give the count back, closing if it was the last one.
        release();
        return false;
    }
    return true;
}

void file_core::release() noexcept
{
    if (uses_.fetch_sub(1, std::memory_order_acq_rel) == (closing_bit | 1))
        close_descriptor();
}

void file_core::close()
{
    const std::uint64_t previous = uses_.fetch_or(closing_bit, std::memory_order_acq_rel);
    if ((previous & closing_bit) != 0)
        return;
    if (previous == 0)
        return close_descriptor();
    // Operations in flight: the last lease returned closes the descriptor.
    // Each is asked to stop; what the kernel or a blocking thread is doing
    // already finishes with its data.
    registry_->cancel_all_of(this);
}

void file_core::close_descriptor() noexcept
{
    if (closed_.exchange(true, std::memory_order_acq_rel))
        return;
    ::close(fd_);
}

void file_core::async_read_at(std::int64_t offset, std::span<std::byte> bytes, io_completion&& completion)
{
    if (!enter()) {
        give_back(static_cast<std::int64_t>(bytes.size()));
        return completion.complete(asio::error::operation_aborted, 0);
    }
    // The use ends before the handler runs: an inline completion may begin
    // the next operation, or close the stream.
    const auto finish_here = [&](error_code ec, std::size_t n) {
        release();
        give_back(static_cast<std::int64_t>(bytes.size() - n));
        completion.complete(ec, n);
    };
    if (bytes.empty())
        return finish_here({}, 0);

    // The fast path: data already in the page cache is copied here, without a
    // thread hop or a round trip through a ring. RWF_NOWAIT makes the kernel
    // answer EAGAIN instead of blocking on the disk.
    std::size_t done = 0;
    if (nowait_reads_.load(std::memory_order_relaxed)) {
        iovec iov{bytes.data(), bytes.size()};
        const ssize_t n = ::preadv2(fd_, &iov, 1, offset, RWF_NOWAIT);
        if (n >= 0) {
            done = static_cast<std::size_t>(n);
            // A short answer is either the end of the file or the end of what
            // was cached. 0 comes only at the end of the file; otherwise the
            // file's size tells, and only the rest of a partly cached range
            // goes to the back-end.
            struct stat st {};
            if (done == bytes.size() || done == 0 ||
                (::fstat(fd_, &st) == 0 && offset + n >= static_cast<std::int64_t>(st.st_size)))
                return finish_here(done == 0 ? asio::error::eof : error_code(), done);
        } else if (errno == EOPNOTSUPP || errno == EINVAL || errno == ENOSYS) {
            nowait_reads_.store(false, std::memory_order_relaxed);
        } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            return finish_here(errno_code(errno), 0);
        }
    }

    // The use outlives this call now: the back-end holds it as a lease.
    start_transfer(lease(shared_from_this()), false, offset, bytes.data(), bytes.size(), done, std::move(completion));
}

void file_core::async_write_at(std::int64_t offset, std::span<const std::byte> bytes, io_completion&& completion)
{
    lease held = acquire();
    if (!held) {
        give_back(static_cast<std::int64_t>(bytes.size()));
        return completion.complete(asio::error::operation_aborted, 0);
    }
    if (bytes.empty())
        return completion.complete({}, 0);
    // The back-ends never write through the pointer of a write.
    start_transfer(std::move(held), true, offset, const_cast<std::byte*>(bytes.data()), bytes.size(), 0,
                   std::move(completion));
}

// What both back-ends share: the reservation of size bytes at offset, the
// lease on the descriptor, and the rules for what a read or write reports.
class file_core::transfer {
public:
    transfer(std::shared_ptr<file_core> core, lease held, bool write, std::int64_t offset, std::byte* data,
             std::size_t size, std::size_t done)
        : core_(std::move(core)), held_(std::move(held)), write_(write), offset_(offset), data_(data), size_(size),
          done_(done)
    {
    }

protected:
    // The outcome of the back-end's work: done_ bytes in all (those of the
    // fast path included) and the failure that stopped it, if any.
    void finish(file_operation& op, error_code ec) noexcept
    {
        if (!write_) {
            // Bytes read are reported; a failure after them comes back from
            // the next read. A read that got nothing, and no failure, is at
            // the end of the file.
            if (done_ > 0)
                ec = {};
            else if (!ec)
                ec = asio::error::eof;
        } else if (!ec && done_ < size_) {
            // Stopped between two requests, with a prefix written.
            ec = asio::error::operation_aborted;
        }
        held_.reset();
        core_->give_back(static_cast<std::int64_t>(size_ - done_));
        core_->registry_->complete(op, ec, done_);
    }

    std::shared_ptr<file_core> core_;
    lease held_;
    const bool write_;
    const std::int64_t offset_;
    std::byte* const data_;
    const std::size_t size_;
    std::size_t done_;
};

// A read that reaches the pool after cancellation was requested, or after
// close(), completes as canceled with only the bytes the fast path copied.
// A pread that has started cannot be interrupted: the read then completes
// with what it read, as an io_uring read that the kernel could no longer
// cancel does. A write stops between two pwrite calls once cancellation is
// requested, having written a prefix of the bytes.
class file_core::pool_transfer final : public file_operation, public transfer {
public:
    pool_transfer(std::shared_ptr<file_core> core, lease held, bool write, std::int64_t offset, std::byte* data,
                  std::size_t size, std::size_t done, io_completion completion)
        : file_operation(core.get(), std::move(completion)),
          transfer(std::move(core), std::move(held), write, offset, data, size, done)
    {
    }

    void run() noexcept
    {
        error_code ec;
        if (core_->closing() || cancel_requested()) {
            if (done_ == 0 || write_)
                ec = asio::error::operation_aborted;
        } else if (write_) {
            while (done_ < size_ && !ec) {
                if (done_ > 0 && cancel_requested())
                    break;
                done_ += positional_io(::pwrite, core_->fd_, std::span<const std::byte>(data_ + done_, size_ - done_),
                                       offset_ + static_cast<std::int64_t>(done_), ec);
            }
        } else {
            // One pread is a complete read_some: its bytes continue those
            // the fast path copied.
            done_ += positional_io(::pread, core_->fd_, std::span<std::byte>(data_ + done_, size_ - done_),
                                   offset_ + static_cast<std::int64_t>(done_), ec);
        }
        finish(*this, ec);
    }
};

#if defined(DOTASYNC_HAS_LIBURING)

// The kernel reads or writes; a write whose request wrote only part of its
// bytes is submitted again for the rest, unless cancellation was requested.
class file_core::uring_transfer final : public uring_operation, public transfer {
public:
    uring_transfer(std::shared_ptr<file_core> core, lease held, bool write, std::int64_t offset, std::byte* data,
                   std::size_t size, std::size_t done, io_completion completion)
        : uring_operation(core.get(), std::move(completion)),
          transfer(std::move(core), std::move(held), write, offset, data, size, done)
    {
        fd = core_->fd_;
        uring_operation::write = write_;
        aim();
    }

    bool on_result(int result) noexcept override
    {
        if ((result == -EINTR || result == -EAGAIN) && !cancel_requested())
            return true;
        error_code ec;
        if (result == -ECANCELED || result == -EINTR || result == -EAGAIN) {
            ec = asio::error::operation_aborted;
        } else if (result < 0) {
            ec = errno_code(-result);
        } else {
            done_ += static_cast<std::size_t>(result);
            if (write_ && done_ < size_) {
                if (result > 0 && !cancel_requested()) {
                    aim();
                    return true;
                }
                if (result == 0)
                    ec = make_error_code(boost::system::errc::io_error);
            }
        }
        finish(*this, ec);
        return false;
    }

private:
    void aim() noexcept
    {
        offset = static_cast<std::uint64_t>(offset_) + done_;
        data = data_ + done_;
        // One request moves at most what a single read or write may.
        size = std::min<std::size_t>(size_ - done_, 0x7ffff000);
    }
};

#endif

void file_core::start_transfer(lease held, bool write, std::int64_t offset, std::byte* data, std::size_t size,
                               std::size_t done, io_completion&& completion)
{
#if defined(DOTASYNC_HAS_LIBURING)
    if (backend_ == file_backend::uring) {
        auto op = std::make_shared<uring_transfer>(shared_from_this(), std::move(held), write, offset, data, size,
                                                   done, std::move(completion));
        // On a context that has shut down, the operation is abandoned:
        // its handler goes with it.
        if (!registry_->add(*op))
            return;
        op->connect_cancellation(op);
        return uring_ring::instance()->submit(std::move(op));
    }
#endif
    auto op = std::make_shared<pool_transfer>(shared_from_this(), std::move(held), write, offset, data, size, done,
                                              std::move(completion));
    if (!registry_->add(*op))
        return;
    op->connect_cancellation(op);
    asio::post(blocking_io_pool(), [op = std::move(op)] { op->run(); });
}

} // namespace dotasync::detail
