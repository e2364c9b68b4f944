// The part of a FileStream that asynchronous operations share and that may
// outlive the FileStream object: the descriptor, the position, and the
// back-end. Private to the library.
//
// Descriptor lifetime: every use of the descriptor (a synchronous call or an
// asynchronous operation, from its start until the kernel is done with the
// buffer) holds a lease. close() refuses new leases, cancels what can be
// canceled, and the descriptor is closed exactly once, when the last lease
// is returned, so an operation in flight never reads through a descriptor
// number that was closed and reused meanwhile.
//
// Position rule (the one .NET follows): an operation of n bytes reads or
// writes at the current position and advances it by n when it starts, so
// operations started one after another cover consecutive ranges; when it
// completes with fewer bytes (end of file, failure, cancellation), the
// position is moved back by the shortfall. Once all operations have completed,
// the position is the start plus the bytes actually transferred.
//
// Cancellation (the handler's cancellation slot, or close()): io_uring
// requests are canceled in the kernel where it still can; thread-pool
// operations are stopped before their pread starts, and writes also between
// two pwrite calls (io_uring writes likewise between two requests). A read
// reports the bytes it read whenever it read any, so a canceled read has
// read nothing and the position rule moves the position back to its start;
// a canceled write reports the prefix it wrote.
//
// Lifetime: operations in flight are listed in the file_operation_registry of
// the stream's execution context, so that destroying that context abandons
// them safely (see file_operation.hpp). The core needs nothing of the context
// after it is gone: a FileStream may be closed or destroyed before or after
// its io_context.
#ifndef DOTASYNC_LIB_IO_DETAIL_FILE_CORE_HPP
#define DOTASYNC_LIB_IO_DETAIL_FILE_CORE_HPP

#include "io/detail/file_operation.hpp"

#include <dotasync/io/detail/file_backend.hpp>
#include <dotasync/io/io_completion.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>

namespace dotasync::detail {

class file_core : public std::enable_shared_from_this<file_core> {
public:
    file_core(boost::asio::any_io_executor executor, int fd, file_backend backend);
    ~file_core();

    file_core(const file_core&) = delete;
    file_core& operator=(const file_core&) = delete;

    // A use of the descriptor; returned by destruction or reset().
    class lease {
    public:
        lease() = default;
        // Takes over a use that core already counted (see enter()).
        explicit lease(std::shared_ptr<file_core> core) noexcept : core_(std::move(core)) {}
        lease(lease&&) noexcept = default;
        lease& operator=(lease&& other) noexcept
        {
            reset();
            core_ = std::move(other.core_);
            return *this;
        }
        ~lease() { reset(); }
        void reset() noexcept
        {
            if (auto core = std::move(core_))
                core->release();
        }
        explicit operator bool() const noexcept { return core_ != nullptr; }

    private:
        std::shared_ptr<file_core> core_;
    };

    // An empty lease once close() has been called.
    lease acquire();

    int fd() const noexcept { return fd_; }
    file_backend backend() const noexcept { return backend_; }
    bool closing() const noexcept { return (uses_.load(std::memory_order_acquire) & closing_bit) != 0; }

    std::int64_t position() const noexcept { return position_.load(std::memory_order_acquire); }
    void set_position(std::int64_t value) noexcept { position_.store(value, std::memory_order_release); }
    // Reserves n bytes at the current position; returns where they start.
    std::int64_t reserve(std::int64_t n) noexcept { return position_.fetch_add(n, std::memory_order_acq_rel); }
    // Gives back the part of a reservation that was not transferred.
    void give_back(std::int64_t shortfall) noexcept
    {
        if (shortfall != 0)
            position_.fetch_sub(shortfall, std::memory_order_acq_rel);
    }

    // The asynchronous operations at an offset the caller reserved. Neither
    // throws: a closed core completes the handler with operation_aborted.
    void async_read_at(std::int64_t offset, std::span<std::byte> bytes, io_completion&& completion);
    void async_write_at(std::int64_t offset, std::span<const std::byte> bytes, io_completion&& completion);

    // Refuses new leases, cancels what is in flight, and closes the
    // descriptor now or when the last lease is returned. Idempotent.
    void close();

    const boost::asio::any_io_executor& executor() const noexcept { return executor_; }

private:
    class transfer;
    class pool_transfer;
    class uring_transfer;

    // Counts a use without holding a reference to the core, for a use that
    // ends before the caller (who keeps the core alive) returns: two atomic
    // operations fewer than a lease on the path of every cached read. False,
    // with nothing counted, once close() has been called. A use that turns
    // out to outlive the call becomes a lease(shared_from_this()).
    bool enter() noexcept;
    void release() noexcept;
    void close_descriptor() noexcept;

    // Hands the rest of an operation to the back-end: size bytes at offset,
    // of which the fast path already read done.
    void start_transfer(lease held, bool write, std::int64_t offset, std::byte* data, std::size_t size,
                        std::size_t done, io_completion&& completion);

    boost::asio::any_io_executor executor_;
    const int fd_;
    const file_backend backend_;
    const std::shared_ptr<file_operation_registry> registry_;
    std::atomic<std::int64_t> position_{0};
    // Cleared when the file system refuses RWF_NOWAIT, so that the fast path
    // is not tried again on every read.
    std::atomic<bool> nowait_reads_{true};

    // The number of leases, with closing_bit set once close() was called.
    // One atomic word, so that the lease taken and returned by every read
    // costs no lock, and close() and the last release agree on who closes.
    static constexpr std::uint64_t closing_bit = std::uint64_t(1) << 63;
    std::atomic<std::uint64_t> uses_{0};
    std::atomic<bool> closed_{false};

};

} // namespace dotasync::detail

#endif
