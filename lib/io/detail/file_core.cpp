#include "io/detail/file_core.hpp"

#include "io/detail/blocking_io_pool.hpp"

#include <boost/asio/append.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#if defined(BOOST_ASIO_HAS_IO_URING)
#include <boost/asio/write_at.hpp>
#endif

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

// A pending thread-pool operation: what the blocking thread needs, and what
// the completion needs to reach the handler's executor.
struct pool_op {
    io_handler handler;
    // The stream's executor: the completion is posted there and dispatched
    // from there to the handler's associated executor.
    asio::any_io_executor executor;
    // Keeps the handler's executor (its io_context) from running out of work
    // while the operation runs on a thread it does not know about.
    asio::any_completion_executor work;
    // Set from the handler's cancellation slot; shared with the slot's
    // handler, which may outlive the operation.
    std::shared_ptr<std::atomic<bool>> cancelled;
};

pool_op make_pool_op(io_handler handler, const asio::any_io_executor& executor)
{
    pool_op op{std::move(handler), executor, {}, {}};
    op.work = asio::prefer(asio::get_associated_executor(op.handler, executor), asio::execution::outstanding_work.tracked);
    auto slot = asio::get_associated_cancellation_slot(op.handler);
    if (slot.is_connected()) {
        op.cancelled = std::make_shared<std::atomic<bool>>(false);
        slot.assign([flag = op.cancelled](asio::cancellation_type) { flag->store(true, std::memory_order_release); });
    }
    return op;
}

bool cancel_requested(const pool_op& op) noexcept
{
    return op.cancelled && op.cancelled->load(std::memory_order_acquire);
}

void finish_pool_op(pool_op op, error_code ec, std::size_t n)
{
    // The handler's cancellation slot keeps the flag setter installed, as
    // Asio's own operations leave theirs: clearing it here, on a thread of
    // the blocking pool, could overlap an emission from the thread that
    // cancels. The setter only sets a flag that nothing reads any more.
    asio::post(op.executor, asio::append(std::move(op.handler), ec, n));
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
    : executor_(std::move(executor)), fd_(fd), backend_(backend)
{
#if defined(BOOST_ASIO_HAS_IO_URING)
    if (backend_ == file_backend::uring) {
        uring_file_.emplace(executor_);
        uring_file_->assign(fd_);
    }
#endif
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
    // io_uring operations are asked to stop; thread-pool operations that have
    // not started see closing() and complete as cancelled, and those running
    // finish with their data.
#if defined(BOOST_ASIO_HAS_IO_URING)
    if (uring_file_) {
        std::lock_guard uring_lock(uring_mutex_);
        boost::system::error_code ignored;
        // After the last lease closed the file already, this fails harmlessly.
        uring_file_->cancel(ignored);
    }
#endif
}

void file_core::close_descriptor() noexcept
{
    if (closed_.exchange(true, std::memory_order_acq_rel))
        return;
#if defined(BOOST_ASIO_HAS_IO_URING)
    if (uring_file_) {
        std::lock_guard uring_lock(uring_mutex_);
        boost::system::error_code ignored;
        uring_file_->close(ignored);
        return;
    }
#endif
    ::close(fd_);
}

void file_core::async_read_at(std::int64_t offset, std::span<std::byte> bytes, completion_mode mode,
                              io_handler handler)
{
    if (!enter()) {
        give_back(static_cast<std::int64_t>(bytes.size()));
        return complete_io(std::move(handler), completion_mode::posted, executor_, asio::error::operation_aborted, 0);
    }
    // The use ends before the handler runs: an inline completion may begin
    // the next operation, or close the stream.
    const auto finish_here = [&](error_code ec, std::size_t n) {
        release();
        give_back(static_cast<std::int64_t>(bytes.size() - n));
        complete_io(std::move(handler), mode, executor_, ec, n);
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
    lease held(shared_from_this());
#if defined(BOOST_ASIO_HAS_IO_URING)
    if (uring_file_)
        return uring_read(std::move(held), offset, bytes, done, std::move(handler));
#endif
    pool_read(std::move(held), offset, bytes, done, std::move(handler));
}

void file_core::async_write_at(std::int64_t offset, std::span<const std::byte> bytes, completion_mode mode,
                               io_handler handler)
{
    lease held = acquire();
    if (!held) {
        give_back(static_cast<std::int64_t>(bytes.size()));
        return complete_io(std::move(handler), completion_mode::posted, executor_, asio::error::operation_aborted, 0);
    }
    if (bytes.empty())
        return complete_io(std::move(handler), mode, executor_, {}, 0);
#if defined(BOOST_ASIO_HAS_IO_URING)
    if (uring_file_)
        return uring_write(std::move(held), offset, bytes, std::move(handler));
#endif
    pool_write(std::move(held), offset, bytes, std::move(handler));
}

// A read that reaches the pool after cancellation was requested, or after
// close(), completes as cancelled with only the bytes the fast path copied.
// A pread that has started cannot be interrupted: the read then completes
// with what it read, as an io_uring read that the kernel could no longer
// cancel does.
void file_core::pool_read(lease held, std::int64_t offset, std::span<std::byte> bytes, std::size_t done,
                          io_handler handler)
{
    run_on_pool(std::move(held), bytes.size(), done, std::move(handler),
                [offset, bytes, done](int fd, const pool_op&, error_code& ec) {
                    // One pread is a complete read_some: its bytes continue
                    // those the fast path copied.
                    const std::size_t n = positional_io(::pread, fd, bytes.subspan(done),
                                                        offset + static_cast<std::int64_t>(done), ec);
                    // Bytes already copied are reported; a failure after
                    // them comes back from the next read.
                    if (done > 0)
                        ec = {};
                    else if (!ec && n == 0)
                        ec = asio::error::eof;
                    return done + n;
                });
}

// A write stops between two pwrite calls once cancellation is requested,
// having written a prefix of the bytes; the position then counts that prefix.
void file_core::pool_write(lease held, std::int64_t offset, std::span<const std::byte> bytes, io_handler handler)
{
    run_on_pool(std::move(held), bytes.size(), 0, std::move(handler),
                [offset, bytes](int fd, const pool_op& op, error_code& ec) {
                    std::size_t total = 0;
                    while (total < bytes.size() && !ec) {
                        if (total > 0 && cancel_requested(op)) {
                            ec = asio::error::operation_aborted;
                            break;
                        }
                        total += positional_io(::pwrite, fd, bytes.subspan(total),
                                               offset + static_cast<std::int64_t>(total), ec);
                    }
                    return total;
                });
}

template <class Transfer>
void file_core::run_on_pool(lease held, std::size_t size, std::size_t done, io_handler handler, Transfer transfer)
{
    asio::post(blocking_io_pool(), [self = shared_from_this(), held = std::move(held), size, done,
                                    op = make_pool_op(std::move(handler), executor_),
                                    transfer = std::move(transfer)]() mutable {
        error_code ec;
        std::size_t total = done;
        if (self->closing() || cancel_requested(op)) {
            // What the fast path copied is in the caller's buffer already.
            if (done == 0)
                ec = asio::error::operation_aborted;
        } else {
            total = transfer(self->fd_, op, ec);
        }
        held.reset();
        self->give_back(static_cast<std::int64_t>(size - total));
        finish_pool_op(std::move(op), ec, total);
    });
}

#if defined(BOOST_ASIO_HAS_IO_URING)

void file_core::uring_read(lease held, std::int64_t offset, std::span<std::byte> bytes, std::size_t done,
                           io_handler handler)
{
    auto completion = adapt_completion(
        std::move(handler), [self = shared_from_this(), held = std::move(held), size = bytes.size(),
                             done](io_handler h, error_code ec, std::size_t n) mutable {
            n += done;
            // As on the thread pool: bytes read are reported, and a read
            // cancelled before it read anything moves the position back by
            // all it asked for.
            if (n > 0)
                ec = {};
            held.reset();
            self->give_back(static_cast<std::int64_t>(size - n));
            std::move(h)(ec, n);
        });
    std::lock_guard lock(uring_mutex_);
    uring_file_->async_read_some_at(static_cast<std::uint64_t>(offset) + done,
                                    asio::buffer(bytes.data() + done, bytes.size() - done), std::move(completion));
}

void file_core::uring_write(lease held, std::int64_t offset, std::span<const std::byte> bytes, io_handler handler)
{
    auto completion = adapt_completion(std::move(handler), [self = shared_from_this(), held = std::move(held),
                                                            size = bytes.size()](io_handler h, error_code ec,
                                                                                 std::size_t n) mutable {
        held.reset();
        self->give_back(static_cast<std::int64_t>(size - n));
        std::move(h)(ec, n);
    });
    std::lock_guard lock(uring_mutex_);
    asio::async_write_at(*uring_file_, static_cast<std::uint64_t>(offset), asio::buffer(bytes.data(), bytes.size()),
                         std::move(completion));
}

#endif

} // namespace dotasync::detail
