#include <dotasync/tap/detail/task_state.hpp>

#include <dotasync/core/cancellation.hpp>
#include <dotasync/core/detail/cancellation_kind.hpp>
#include <dotasync/core/exceptions.hpp>
#include <dotasync/core/logging.hpp>

#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace dotasync::detail {

namespace {

std::atomic<int> last_task_id{0};

// Whether failure is (or derives from) AggregateException.
bool is_aggregate(const std::exception_ptr& failure) noexcept
{
    try {
        std::rethrow_exception(failure);
    } catch (const AggregateException&) {
        return true;
    } catch (...) {
        return false;
    }
}

// A blocked Wait(timeout, token): woken by the task's completion or by the
// token. Shared, because the continuation may run after the wait gave up.
struct blocked_waiter {
    std::mutex mutex;
    std::condition_variable changed;
    bool woken = false;

    void wake()
    {
        {
            std::lock_guard lock(mutex);
            woken = true;
        }
        changed.notify_all();
    }
};

class wake_waiter final : public task_continuation {
public:
    explicit wake_waiter(std::shared_ptr<blocked_waiter> waiter) noexcept : waiter_(std::move(waiter)) {}

    void run(task_state_base&) noexcept override
    {
        waiter_->wake();
        delete this;
    }

    void discard() noexcept override { delete this; }

private:
    std::shared_ptr<blocked_waiter> waiter_;
};

} // namespace

task_state_base::task_state_base(std::any state) noexcept : state_(std::move(state)) {}

void task_state_base::clean_up() noexcept
{
    auto* node = continuations_.load(std::memory_order_acquire);
    if (node != completed_marker()) {
        while (node != nullptr) {
            auto* next = node->next;
            node->discard();
            node = next;
        }
    }
    if (status() == TaskStatus::Faulted && !observed_.load(std::memory_order_relaxed)) {
        try {
            logger()->warn("a faulted task was dropped and its exception never observed (by Wait, Result, "
                           "Exception or an await): {}",
                           describe_exception(failure_));
        } catch (...) {
            // Logging must never turn a destructor into a terminate.
        }
    }
    delete wait_handle_.load(std::memory_order_acquire);
}

WaitHandle& task_state_base::AsyncWaitHandle() const
{
    if (auto* existing = wait_handle_.load(std::memory_order_acquire))
        return *existing;
    auto* created = new ManualResetEvent(IsCompleted());
    ManualResetEvent* expected = nullptr;
    if (!wait_handle_.compare_exchange_strong(expected, created, std::memory_order_acq_rel)) {
        delete created;
        return *expected;
    }
    // finish() may have looked for the handle just before it was published.
    if (IsCompleted())
        created->Set();
    return *created;
}

int task_state_base::id() const noexcept
{
    int current = id_.load(std::memory_order_acquire);
    if (current != 0)
        return current;
    int fresh = last_task_id.fetch_add(1, std::memory_order_relaxed) + 1;
    if (fresh == 0)
        fresh = last_task_id.fetch_add(1, std::memory_order_relaxed) + 1;
    return id_.compare_exchange_strong(current, fresh, std::memory_order_acq_rel) ? fresh : current;
}

void task_state_base::wait() const noexcept
{
    for (int seen; (seen = status_.load(std::memory_order_acquire)) < finished;)
        status_.wait(seen, std::memory_order_acquire);
}

bool task_state_base::wait(int timeout_ms, const CancellationToken& token) const
{
    if (timeout_ms < -1)
        throw ArgumentOutOfRangeException("millisecondsTimeout",
                                          "The time-out must be -1 (infinite) or a non-negative number.");
    if (IsCompleted())
        return true;
    token.ThrowIfCancellationRequested();
    if (timeout_ms == -1 && !token.CanBeCanceled()) {
        wait();
        return true;
    }
    auto waiter = std::make_shared<blocked_waiter>();
    auto* node = new wake_waiter(waiter);
    if (!const_cast<task_state_base*>(this)->add_continuation(node)) {
        node->discard();
        return true;
    }
    auto registration = token.Register([waiter] { waiter->wake(); });
    {
        std::unique_lock lock(waiter->mutex);
        const auto woken = [&] { return waiter->woken; };
        if (timeout_ms == -1)
            waiter->changed.wait(lock, woken);
        else
            waiter->changed.wait_for(lock, std::chrono::milliseconds(timeout_ms), woken);
    }
    if (IsCompleted())
        return true;
    token.ThrowIfCancellationRequested();
    return false;
}

bool task_state_base::add_continuation(task_continuation* node) noexcept
{
    auto* head = continuations_.load(std::memory_order_acquire);
    do {
        if (head == completed_marker())
            return false;
        node->next = head;
    } while (!continuations_.compare_exchange_weak(head, node, std::memory_order_acq_rel, std::memory_order_acquire));
    return true;
}

void task_state_base::throw_if_not_successful() const
{
    const auto& error = failure();
    if (!error)
        return;
    if (is_aggregate(error))
        std::rethrow_exception(error);
    throw AggregateException({error});
}

namespace {

TaskStatus outcome_of(const std::exception_ptr& failure) noexcept
{
    if (!failure)
        return TaskStatus::RanToCompletion;
    return is_cancellation(failure) ? TaskStatus::Canceled : TaskStatus::Faulted;
}

} // namespace

void task_state_base::fail_unpublished(std::exception_ptr failure) noexcept
{
    const TaskStatus outcome = outcome_of(failure);
    failure_ = std::move(failure);
    status_.store(static_cast<int>(outcome), std::memory_order_release);
    continuations_.store(completed_marker(), std::memory_order_release);
}

void task_state_base::finish(std::exception_ptr failure) noexcept
{
    const TaskStatus outcome = outcome_of(failure);
    failure_ = std::move(failure);
    status_.store(static_cast<int>(outcome), std::memory_order_seq_cst);
    status_.notify_all();
    if (auto* handle = wait_handle_.load(std::memory_order_seq_cst))
        handle->Set();
    // Nodes were pushed at the head: reversed, they run in the order added.
    auto* node = continuations_.exchange(completed_marker(), std::memory_order_acq_rel);
    task_continuation* ordered = nullptr;
    while (node != nullptr) {
        auto* next = node->next;
        node->next = ordered;
        ordered = node;
        node = next;
    }
    while (ordered != nullptr) {
        auto* next = ordered->next;
        ordered->run(*this);
        ordered = next;
    }
}

} // namespace dotasync::detail
