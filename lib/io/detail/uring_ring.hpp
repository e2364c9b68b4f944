// The io_uring back-end of FileStream: one process-wide ring, owned through
// liburing, and one thread that reaps its completions. Private to the
// library; compiled only where liburing is (DOTASYNC_HAS_LIBURING).
//
// Why not asio::random_access_file: Asio 1.26 (Boost 1.81, Debian 12)
// prepares its cancel request without clearing the request's user data, so a
// canceled file operation can complete twice or never, and the heap is
// corrupted (fixed in Asio 1.27). Its io_uring service also needs
// BOOST_ASIO_HAS_IO_URING in every translation unit of the program, which an
// existing Asio server cannot be asked to define. Owning the ring here
// removes both: the ring is independent of any io_context, and completions
// reach handlers through file_operation_registry, posted to the stream's
// executor.
//
// Why a thread of its own: the ring then never depends on a user's
// io_context being run, stopped or destroyed, and a context's shutdown can
// wait for the kernel to finish with its buffers while the reaper keeps
// reaping.
//
// Thread-safety: every member may be called from any thread.
#ifndef DOTASYNC_LIB_IO_DETAIL_URING_RING_HPP
#define DOTASYNC_LIB_IO_DETAIL_URING_RING_HPP

#include "io/detail/file_operation.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace dotasync::detail {

class uring_ring;

// A read or write submitted to the ring. The ring keeps it alive until the
// kernel has answered its last request; finish() then runs on the reaper.
class uring_operation : public file_operation {
public:
    using file_operation::file_operation;

    // Called on the reaper thread with the kernel's answer for the request
    // of (offset, bytes) last submitted: bytes transferred, or -errno. Return
    // true to have the same operation submitted again with its new
    // (offset, data, size); it must then have updated them.
    virtual bool on_result(int result) noexcept = 0;

    // What the next request reads or writes.
    int fd = -1;
    bool write = false;
    std::uint64_t offset = 0;
    std::byte* data = nullptr;
    std::size_t size = 0;

private:
    friend class uring_ring;
    void on_cancel() noexcept override;

    // The ring's reference while a request is with the kernel.
    std::shared_ptr<uring_operation> in_ring_;
};

class uring_ring {
public:
    // The process's ring, started on first use; nullptr where io_uring cannot
    // be set up (a seccomp profile, an old kernel), with the reason in why.
    static uring_ring* instance(std::string* why = nullptr);

    // Hands op's request to the kernel. Never fails: a request that cannot be
    // submitted at once (the submission queue is full, the kernel is busy)
    // is submitted as soon as it can.
    void submit(std::shared_ptr<uring_operation> op);

    // Asks the kernel to cancel op's request, if it still has it.
    void cancel(uring_operation& op) noexcept;

    uring_ring(const uring_ring&) = delete;
    uring_ring& operator=(const uring_ring&) = delete;

private:
    struct state;
    explicit uring_ring(std::unique_ptr<state> s);

    void reap() noexcept;

    std::unique_ptr<state> state_;
};

} // namespace dotasync::detail

#endif
