#include "io/detail/uring_ring.hpp"

#include <dotasync/core/logging.hpp>

#include <spdlog/spdlog.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <iterator>
#include <mutex>
#include <thread>
#include <vector>

#include <liburing.h>
#include <pthread.h>
#include <sched.h>

namespace dotasync::detail {

namespace {

// Room for many operations of many streams at once; completions beyond the
// completion queue's size wait in the kernel (IORING_FEAT_NODROP) until the
// reaper has made room.
constexpr unsigned submission_entries = 256;
constexpr unsigned completion_entries = 4096;

// The user data of cancel requests, whose answers nobody waits for.
constexpr std::uint64_t cancel_tag = 0;

bool transient(int rc) noexcept
{
    return rc == -EBUSY || rc == -EAGAIN || rc == -EINTR;
}

} // namespace

struct uring_ring::state {
    io_uring ring{};
    // Guards the submission queue, which has a single producer at a time.
    std::mutex mutex;
    // Counts submissions. The reaper reads it (acquire) before it touches an
    // operation whose answer arrived, which orders the submitter's writes to
    // the operation before the reaper's reads in the eyes of ThreadSanitizer:
    // the kernel, which really carries the pointer across, is invisible to it.
    std::atomic<std::uint64_t> submitted{0};
    // Set when an io_uring_enter was refused for a passing reason and
    // requests wait in the submission queue; the reaper then retries soon.
    std::atomic<bool> unsubmitted{false};
};

uring_ring* uring_ring::instance(std::string* why)
{
    struct outcome {
        uring_ring* ring = nullptr;
        std::string reason;
    };
    static const outcome created = [] {
        outcome o;
        auto s = std::make_unique<state>();
        io_uring_params params{};
        params.flags = IORING_SETUP_CQSIZE;
        params.cq_entries = completion_entries;
        const int rc = ::io_uring_queue_init_params(submission_entries, &s->ring, &params);
        if (rc != 0) {
            o.reason = std::string("io_uring_queue_init failed: ") + std::strerror(-rc);
            return o;
        }
        if ((params.features & IORING_FEAT_NODROP) == 0) {
            ::io_uring_queue_exit(&s->ring);
            o.reason = "the kernel's io_uring may drop completions (no IORING_FEAT_NODROP; Linux 5.5 or later needed)";
            return o;
        }
        // Never destroyed: operations may be in flight until the process
        // ends, and the kernel releases the ring with the process.
        o.ring = new uring_ring(std::move(s));
        return o;
    }();
    if (why != nullptr)
        *why = created.reason;
    return created.ring;
}

uring_ring::uring_ring(std::unique_ptr<state> s) : state_(std::move(s))
{
    std::thread reaper([this] { reap(); });
    ::pthread_setname_np(reaper.native_handle(), "dotasync-uring");
    reaper.detach();
}

void uring_ring::submit(std::shared_ptr<uring_operation> op)
{
    uring_operation& target = *op;
    std::unique_lock lock(state_->mutex);
    // Checked under the mutex that cancel() submits under: a cancellation
    // either is seen here or submits its cancel request after this request.
    if (target.cancel_requested()) {
        lock.unlock();
        target.on_result(-ECANCELED);
        return;
    }
    target.in_ring_ = std::move(op);
    io_uring_sqe* sqe = ::io_uring_get_sqe(&state_->ring);
    while (sqe == nullptr) {
        // The queue is full of requests the kernel has not taken yet.
        if (transient(::io_uring_submit(&state_->ring))) {
            lock.unlock();
            std::this_thread::yield();
            lock.lock();
        }
        sqe = ::io_uring_get_sqe(&state_->ring);
    }
    if (target.write)
        ::io_uring_prep_write(sqe, target.fd, target.data, static_cast<unsigned>(target.size), target.offset);
    else
        ::io_uring_prep_read(sqe, target.fd, target.data, static_cast<unsigned>(target.size), target.offset);
    ::io_uring_sqe_set_data64(sqe, reinterpret_cast<std::uintptr_t>(&target));
    state_->submitted.fetch_add(1, std::memory_order_release);
    const int rc = ::io_uring_submit(&state_->ring);
    if (rc < 0) {
        // The request stays queued; whoever submits next takes it along, and
        // the reaper retries within a millisecond.
        state_->unsubmitted.store(true, std::memory_order_release);
        if (!transient(rc))
            logger()->warn("io_uring_submit failed: {}; retrying", std::strerror(-rc));
    }
}

void uring_ring::cancel(uring_operation& op) noexcept
{
    std::lock_guard lock(state_->mutex);
    // The operation is alive as long as someone can cancel it (the caller
    // holds it), so its address names no other request meanwhile.
    io_uring_sqe* sqe = ::io_uring_get_sqe(&state_->ring);
    if (sqe == nullptr) {
        ::io_uring_submit(&state_->ring);
        sqe = ::io_uring_get_sqe(&state_->ring);
        if (sqe == nullptr)
            return; // the flag set by request_cancel() still stops a write between requests
    }
    ::io_uring_prep_cancel64(sqe, reinterpret_cast<std::uintptr_t>(&op), 0);
    ::io_uring_sqe_set_data64(sqe, cancel_tag);
    if (::io_uring_submit(&state_->ring) < 0)
        state_->unsubmitted.store(true, std::memory_order_release);
}

void uring_operation::on_cancel() noexcept
{
    if (uring_ring* ring = uring_ring::instance())
        ring->cancel(*this);
}

void uring_ring::reap() noexcept
{
    std::vector<std::shared_ptr<uring_operation>> again;
    for (;;) {
        io_uring_cqe* cqe = nullptr;
        int rc;
        if (state_->unsubmitted.exchange(false, std::memory_order_acq_rel)) {
            {
                std::lock_guard lock(state_->mutex);
                if (::io_uring_submit(&state_->ring) < 0)
                    state_->unsubmitted.store(true, std::memory_order_release);
            }
            // Not io_uring_wait_cqe_timeout: on kernels without
            // IORING_FEAT_EXT_ARG it queues a timeout request, and the
            // submission queue belongs to whoever holds the mutex.
            rc = ::io_uring_peek_cqe(&state_->ring, &cqe);
            if (rc < 0)
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
        } else {
            rc = ::io_uring_wait_cqe(&state_->ring, &cqe);
        }
        if (rc < 0)
            continue; // -EINTR, or nothing yet while a submission is retried

        // The batch is fixed before the submission counter is read: every
        // answer in it was submitted before that read, so the read orders
        // the submitters' writes before the handling below. Answers that
        // arrive meanwhile wait for the next batch.
        io_uring_cqe* batch[64];
        const unsigned count = ::io_uring_peek_batch_cqe(&state_->ring, batch, std::size(batch));
        state_->submitted.load(std::memory_order_acquire);
        for (unsigned i = 0; i < count; ++i) {
            const std::uint64_t tag = ::io_uring_cqe_get_data64(batch[i]);
            if (tag == cancel_tag)
                continue;
            auto* op = reinterpret_cast<uring_operation*>(static_cast<std::uintptr_t>(tag));
            std::shared_ptr<uring_operation> held = std::move(op->in_ring_);
            if (op->on_result(batch[i]->res))
                again.push_back(std::move(held));
        }
        ::io_uring_cq_advance(&state_->ring, count);
        // Submitted after the completion queue has room again.
        for (auto& op : again)
            submit(std::move(op));
        again.clear();
    }
}

} // namespace dotasync::detail
