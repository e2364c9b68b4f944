// Internal: the shared state behind a TaskOf<T>: the outcome of one running
// operation, the continuations waiting for it, and the IAsyncResult a task is.
//
// task_state_base holds what does not depend on T (lib/tap/detail/
// task_state.cpp); task_state<T> adds the value. The state is completed once,
// by the handler the use_task token gave the operation (or by a
// TaskCompletionSource); completing publishes the outcome, wakes blocked
// waiters, sets the wait handle, then runs the continuations in the order
// they were added.
//
// Thread-safety: every member may be called from any thread at any time; a
// state is completed by one thread once.
#ifndef DOTASYNC_TAP_DETAIL_TASK_STATE_HPP
#define DOTASYNC_TAP_DETAIL_TASK_STATE_HPP

#include <dotasync/core/export.hpp>
#include <dotasync/core/iasync_result.hpp>
#include <dotasync/core/wait_handle.hpp>
#include <dotasync/tap/task_status.hpp>

#include <boost/asio/recycling_allocator.hpp>

#include <any>
#include <atomic>
#include <cstdint>
#include <exception>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace dotasync {

class CancellationToken;

namespace detail {

class task_state_base;

// Something to do once a state completes. The state owns the node until it
// runs it, and a node that runs destroys itself.
class task_continuation {
public:
    task_continuation* next = nullptr;

    // Called once, after the state completed; destroys the node.
    virtual void run(task_state_base& state) noexcept = 0;
    // Called instead of run when the state is destroyed without completing
    // (a TaskCompletionSource-made task nobody completed).
    virtual void discard() noexcept = 0;

protected:
    ~task_continuation() = default;
};

class DOTASYNC_API task_state_base : public IAsyncResult {
public:
    // Inline, so that a state made per operation (use_task) costs no call.
    task_state_base() noexcept = default;
    explicit task_state_base(std::any state) noexcept;
    // Inline: a state that ran to completion with nothing left to discard,
    // log or free (the state of every use_task operation that succeeded)
    // is destroyed without a call into the library.
    ~task_state_base() override
    {
        if (continuations_.load(std::memory_order_acquire) != completed_marker() ||
            status_.load(std::memory_order_relaxed) == static_cast<int>(TaskStatus::Faulted) ||
            wait_handle_.load(std::memory_order_acquire) != nullptr)
            clean_up();
    }

    task_state_base(const task_state_base&) = delete;
    task_state_base& operator=(const task_state_base&) = delete;

    // ---- IAsyncResult ---------------------------------------------------
    const std::any& AsyncState() const override { return state_; }
    WaitHandle& AsyncWaitHandle() const override;
    // A task's continuations never run inside the call that made it.
    bool CompletedSynchronously() const override { return false; }
    bool IsCompleted() const override { return status_.load(std::memory_order_acquire) >= finished; }

    TaskStatus status() const noexcept { return static_cast<TaskStatus>(status_.load(std::memory_order_acquire)); }
    // Assigned on first request, from 1 up, as .NET's Task.Id.
    int id() const noexcept;

    // The failure, once completed (null for success). Reading it counts as
    // observing it: a faulted task nobody observed is logged when destroyed.
    const std::exception_ptr& failure() const noexcept
    {
        observed_.store(true, std::memory_order_relaxed);
        return failure_;
    }

    // Blocks until completed.
    void wait() const noexcept;
    // Blocks until completed (true), timeout_ms passed (false; -1 waits for
    // ever) or token is canceled (throws OperationCanceledException).
    bool wait(int timeout_ms, const CancellationToken& token) const;

    // Adds node, to run at completion; false when the state has completed
    // already (the caller keeps the node).
    bool add_continuation(task_continuation* node) noexcept;

    // Throws what .NET's Wait() and Result throw for a task that did not run
    // to completion: an AggregateException around the failure (the failure
    // itself when it is already an AggregateException).
    void throw_if_not_successful() const;

protected:
    // Publishes the outcome (the value, if any, is already stored), then
    // runs the continuations. Called once.
    void finish(std::exception_ptr failure) noexcept;

    // finish() for a state no other thread can see yet, made finished (the
    // task of FromResult or FromException through use_task): nobody waits on
    // it and it has no continuations, so the outcome is only stored, without
    // the fences and the wake-up that finish() needs. Inline for success,
    // whose outcome needs no look at an exception.
    void finish_unpublished(std::exception_ptr failure) noexcept
    {
        if (failure) {
            fail_unpublished(std::move(failure));
            return;
        }
        // Whoever receives the task from this thread is synchronised with it
        // by the hand-over; release costs nothing more where it is a plain
        // store.
        status_.store(finished, std::memory_order_release);
        // Continuations added from now on run at once, as on any finished
        // state.
        continuations_.store(completed_marker(), std::memory_order_release);
    }

    static constexpr int finished = static_cast<int>(TaskStatus::RanToCompletion);

private:
    // The value of continuations_ once the state has completed: no node is
    // ever added after it, and it is never run or discarded. An address no
    // node can have (nodes are aligned), so that it needs no object.
    static task_continuation* completed_marker() noexcept
    {
        return reinterpret_cast<task_continuation*>(std::uintptr_t{1});
    }

    // The destructor's work beyond freeing the members: discarding
    // continuations, logging an unobserved failure, freeing the wait handle.
    void clean_up() noexcept;
    void fail_unpublished(std::exception_ptr failure) noexcept;

    std::atomic<int> status_{static_cast<int>(TaskStatus::WaitingForActivation)};
    mutable std::atomic<bool> observed_{false};
    mutable std::atomic<int> id_{0};
    std::atomic<task_continuation*> continuations_{nullptr};
    mutable std::atomic<ManualResetEvent*> wait_handle_{nullptr};
    std::exception_ptr failure_;
    std::any state_;
};

template <class T>
class task_state final : public task_state_base {
public:
    // Leaves the value unconstructed until set_value.
    task_state() noexcept {}
    explicit task_state(std::any state) noexcept : task_state_base(std::move(state)) {}

    ~task_state() override
    {
        if (status() == TaskStatus::RanToCompletion)
            value_.~T();
    }

    template <class... Values>
    void set_value(Values&&... values) noexcept
    {
        finish(construct_value(std::forward<Values>(values)...));
    }

    // set_value for a state nobody else holds yet (finish_unpublished).
    template <class... Values>
    void set_value_unpublished(Values&&... values) noexcept
    {
        finish_unpublished(construct_value(std::forward<Values>(values)...));
    }

    void set_failure_unpublished(std::exception_ptr failure) noexcept { finish_unpublished(std::move(failure)); }

    void set_failure(std::exception_ptr failure) noexcept { finish(std::move(failure)); }

    // The value of a task that ran to completion.
    const T& value() const noexcept { return value_; }

private:
    // Makes the value; a constructor that throws makes the task faulted with
    // its exception, which is returned.
    template <class... Values>
    std::exception_ptr construct_value(Values&&... values) noexcept
    {
        try {
            ::new (static_cast<void*>(&value_)) T(std::forward<Values>(values)...);
        } catch (...) {
            return std::current_exception();
        }
        return nullptr;
    }

    union {
        T value_;
    };
};

template <>
class task_state<void> final : public task_state_base {
public:
    task_state() noexcept = default;
    explicit task_state(std::any state) noexcept : task_state_base(std::move(state)) {}

    void set_value() noexcept { finish(nullptr); }
    void set_failure(std::exception_ptr failure) noexcept { finish(std::move(failure)); }
    void set_value_unpublished() noexcept { finish_unpublished(nullptr); }
    void set_failure_unpublished(std::exception_ptr failure) noexcept { finish_unpublished(std::move(failure)); }
};

// A new state (and its reference counts, in the same block) from the
// calling thread's Asio recycling cache, as Asio allocates a handler: a task
// is made and dropped once per operation, and the cache spares the heap on
// that path. The block is freed into the cache of whichever thread drops
// the last reference, or to the heap when that cache is full.
template <class T, class... AsyncState>
std::shared_ptr<task_state<T>> make_task_state(AsyncState&&... state)
{
    static_assert(sizeof...(AsyncState) <= 1, "a state has one AsyncState");
    return std::allocate_shared<task_state<T>>(boost::asio::recycling_allocator<task_state<T>>(),
                                               std::forward<AsyncState>(state)...);
}

// A state finished from the start with failure or, when failure is null,
// with the value made of values (none for a void state; with a failure, the
// values are not used).
//
// Always inlined: called out of line, it hands the new pointer back through
// memory, and the caller's 16-byte load of the two words its 8-byte stores
// wrote cannot be forwarded from them, a stall that cost more than the call.
template <class T, class... Values>
[[gnu::always_inline]] inline std::shared_ptr<task_state<T>> make_finished_task_state(std::exception_ptr failure,
                                                                                       Values&&... values)
{
    auto state = make_task_state<T>();
    if (failure) {
        state->set_failure_unpublished(std::move(failure));
    } else {
        state->set_value_unpublished(std::forward<Values>(values)...);
    }
    return state;
}

} // namespace detail
} // namespace dotasync

#endif
