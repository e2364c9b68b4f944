#include <dotasync/core/wait_handle.hpp>

#include <dotasync/core/exceptions.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <functional>
#include <limits>
#include <optional>

namespace dotasync {

namespace {

using clock_type = std::chrono::steady_clock;

// .NET refuses more handles than a single WaitForMultipleObjects call accepts;
// keeping the limit also lets a multi-wait keep its bookkeeping on the stack.
constexpr std::size_t max_wait_handles = 64;

constexpr const char* timeout_range_message =
    "A time-out is -1 (infinite) or a number of milliseconds from 0 to INT_MAX.";

void check_timeout(int millisecondsTimeout)
{
    if (millisecondsTimeout < WaitHandle::Infinite)
        throw ArgumentOutOfRangeException("millisecondsTimeout", timeout_range_message);
}

// The deadline is fixed once, before the first check, so that however often a
// wait wakes up spuriously it ends at the same moment.
std::optional<clock_type::time_point> deadline_for(int millisecondsTimeout)
{
    if (millisecondsTimeout == WaitHandle::Infinite)
        return std::nullopt;
    return clock_type::now() + std::chrono::milliseconds(millisecondsTimeout);
}

bool auto_reset_for(EventResetMode mode)
{
    if (mode != EventResetMode::AutoReset && mode != EventResetMode::ManualReset)
        throw ArgumentException("The value is not an EventResetMode.", "mode");
    return mode == EventResetMode::AutoReset;
}

} // namespace

namespace detail {

// One WaitAll or WaitAny call. It lives on the waiting thread's stack and is
// registered with every handle it waits on, so that a Set or Close on any of
// them wakes it. A handle only touches a registered waiter while holding its
// own mutex, and the waiter unregisters under that same mutex before it is
// destroyed, so a handle never sees a waiter that has already returned.
struct multi_waiter {
    multi_waiter() = default;
    multi_waiter(const multi_waiter&) = delete;
    multi_waiter& operator=(const multi_waiter&) = delete;

    ~multi_waiter()
    {
        // Every exit, including time-outs and exceptions, comes through here
        // with no handle mutex held, so taking them one at a time cannot
        // deadlock against a Set that holds one of them.
        for (std::size_t i = 0; i < registered_count_; ++i) {
            WaitHandle& handle = *registered_[i];
            std::lock_guard lock(handle.mutex_);
            auto& waiters = handle.waiters_;
            auto it = std::find(waiters.begin(), waiters.end(), this);
            if (it != waiters.end()) {
                *it = waiters.back();
                waiters.pop_back();
            }
        }
    }

    // Called by a handle, with the handle's mutex held.
    void notify() noexcept
    {
        std::lock_guard lock(mutex_);
        changed_ = true;
        cv_.notify_one();
    }

    // Waits on `handles` (already validated) and returns the index of the
    // handle that satisfied the wait (0 for WaitAll) or WaitHandle::WaitTimeout.
    static int wait(std::span<WaitHandle* const> handles, bool wait_all, int millisecondsTimeout)
    {
        // Mutexes are always taken in address order, by every multi-wait, so
        // two calls over overlapping sets cannot deadlock. A handle repeated in
        // WaitAny must be locked only once.
        std::array<WaitHandle*, max_wait_handles> unique{};
        std::copy(handles.begin(), handles.end(), unique.begin());
        auto unique_end = unique.begin() + static_cast<std::ptrdiff_t>(handles.size());
        std::sort(unique.begin(), unique_end, std::less<WaitHandle*>());
        unique_end = std::unique(unique.begin(), unique_end);
        const std::span<WaitHandle* const> locked_set(unique.begin(), unique_end);

        const auto deadline = deadline_for(millisecondsTimeout);
        multi_waiter waiter;

        for (;;) {
            {
                std::array<std::unique_lock<std::mutex>, max_wait_handles> locks;
                for (std::size_t i = 0; i < locked_set.size(); ++i)
                    locks[i] = std::unique_lock(locked_set[i]->mutex_);

                for (WaitHandle* handle : locked_set)
                    handle->throw_if_closed_locked();

                if (const int index = try_satisfy_locked(handles, locked_set, wait_all); index >= 0)
                    return index;
                if (millisecondsTimeout == 0)
                    return WaitHandle::WaitTimeout;

                // Registering and clearing the flag while every handle is still
                // locked means any Set or Close after this check raises the flag
                // again: no wake-up can fall between the check and the sleep.
                waiter.register_with(locked_set);
                std::lock_guard waiter_lock(waiter.mutex_);
                waiter.changed_ = false;
            }

            std::unique_lock waiter_lock(waiter.mutex_);
            const auto changed = [&waiter] { return waiter.changed_; };
            if (!deadline)
                waiter.cv_.wait(waiter_lock, changed);
            else if (!waiter.cv_.wait_until(waiter_lock, *deadline, changed))
                return WaitHandle::WaitTimeout;
        }
    }

private:
    // With every handle locked: returns the satisfying index, consuming
    // auto-reset signals, or -1 when the wait must go on.
    static int try_satisfy_locked(std::span<WaitHandle* const> handles,
                                  std::span<WaitHandle* const> locked_set, bool wait_all) noexcept
    {
        if (wait_all) {
            // WaitAll rejects duplicates, so locked_set holds each handle once
            // and nothing is consumed unless all of them are signalled.
            const bool all = std::all_of(locked_set.begin(), locked_set.end(),
                                         [](const WaitHandle* h) { return h->signaled_; });
            if (!all)
                return -1;
            for (WaitHandle* handle : locked_set)
                handle->try_acquire_locked();
            return 0;
        }
        for (std::size_t i = 0; i < handles.size(); ++i) {
            if (handles[i]->try_acquire_locked())
                return static_cast<int>(i);
        }
        return -1;
    }

    // Called with every handle of `locked_set` locked; only the first call
    // registers, later iterations of the wait loop are already known.
    void register_with(std::span<WaitHandle* const> locked_set)
    {
        while (registered_count_ < locked_set.size()) {
            WaitHandle* handle = locked_set[registered_count_];
            handle->waiters_.push_back(this);
            registered_[registered_count_++] = handle;
        }
    }

    std::mutex mutex_;
    std::condition_variable cv_;
    // Raised by a Set or Close on any registered handle since the last check.
    bool changed_ = false;
    std::array<WaitHandle*, max_wait_handles> registered_{};
    std::size_t registered_count_ = 0;
};

} // namespace detail

WaitHandle::WaitHandle(bool initialState, EventResetMode mode)
    : signaled_(initialState), auto_reset_(auto_reset_for(mode))
{
}

// Destroying a handle that other threads are still blocked on is a caller
// error, as for any synchronization object; there is nothing left to release.
WaitHandle::~WaitHandle() = default;

bool WaitHandle::WaitOne()
{
    return WaitOne(Infinite);
}

bool WaitHandle::WaitOne(int millisecondsTimeout)
{
    check_timeout(millisecondsTimeout);
    const auto deadline = deadline_for(millisecondsTimeout);

    std::unique_lock lock(mutex_);
    for (;;) {
        throw_if_closed_locked();
        if (try_acquire_locked())
            return true;
        if (millisecondsTimeout == 0)
            return false;
        if (!deadline) {
            signaled_cv_.wait(lock);
        } else if (signaled_cv_.wait_until(lock, *deadline) == std::cv_status::timeout) {
            // A Set that raced with the time-out is still taken: its notify may
            // have gone to this thread, and no other waiter would be woken for it.
            throw_if_closed_locked();
            return try_acquire_locked();
        }
    }
}

bool WaitHandle::WaitOne(std::chrono::milliseconds timeout)
{
    // As .NET's TimeSpan overload: -1 ms is infinite, and the value must fit
    // the millisecond count the other overload takes.
    const auto count = timeout.count();
    if (count < Infinite || count > std::numeric_limits<int>::max())
        throw ArgumentOutOfRangeException("timeout", timeout_range_message);
    return WaitOne(static_cast<int>(count));
}

namespace {

void validate_multi_wait(std::span<WaitHandle* const> waitHandles, int millisecondsTimeout)
{
    if (waitHandles.empty())
        throw ArgumentException("At least one wait handle is needed.", "waitHandles");
    if (waitHandles.size() > max_wait_handles)
        throw NotSupportedException("At most 64 wait handles can be waited on at once.");
    check_timeout(millisecondsTimeout);
    if (std::find(waitHandles.begin(), waitHandles.end(), nullptr) != waitHandles.end())
        throw ArgumentNullException("waitHandles");
}

} // namespace

bool WaitHandle::WaitAll(std::span<WaitHandle* const> waitHandles, int millisecondsTimeout)
{
    validate_multi_wait(waitHandles, millisecondsTimeout);

    // A handle listed twice would have to be consumed twice at one moment,
    // which an auto-reset event cannot be; .NET refuses it for every handle.
    std::array<WaitHandle*, max_wait_handles> sorted{};
    std::copy(waitHandles.begin(), waitHandles.end(), sorted.begin());
    const auto sorted_end = sorted.begin() + static_cast<std::ptrdiff_t>(waitHandles.size());
    std::sort(sorted.begin(), sorted_end, std::less<WaitHandle*>());
    if (std::adjacent_find(sorted.begin(), sorted_end) != sorted_end)
        throw ArgumentException("WaitAll was given the same wait handle more than once.", "waitHandles");

    return detail::multi_waiter::wait(waitHandles, true, millisecondsTimeout) != WaitTimeout;
}

bool WaitHandle::WaitAll(std::initializer_list<WaitHandle*> waitHandles, int millisecondsTimeout)
{
    return WaitAll(std::span<WaitHandle* const>(waitHandles.begin(), waitHandles.size()),
                   millisecondsTimeout);
}

int WaitHandle::WaitAny(std::span<WaitHandle* const> waitHandles, int millisecondsTimeout)
{
    validate_multi_wait(waitHandles, millisecondsTimeout);
    return detail::multi_waiter::wait(waitHandles, false, millisecondsTimeout);
}

int WaitHandle::WaitAny(std::initializer_list<WaitHandle*> waitHandles, int millisecondsTimeout)
{
    return WaitAny(std::span<WaitHandle* const>(waitHandles.begin(), waitHandles.size()),
                   millisecondsTimeout);
}

void WaitHandle::Close()
{
    std::lock_guard lock(mutex_);
    if (closed_)
        return;
    closed_ = true;
    // Every blocked thread must wake to throw, not only the one an auto-reset
    // Set would release.
    signaled_cv_.notify_all();
    for (detail::multi_waiter* waiter : waiters_)
        waiter->notify();
}

void WaitHandle::set_signaled()
{
    std::lock_guard lock(mutex_);
    throw_if_closed_locked();
    signaled_ = true;
    // One signal can satisfy only one WaitOne of an auto-reset event; waking
    // the others would only send them back to sleep. Multi-waiters are all
    // woken because each may need this handle together with others.
    if (auto_reset_)
        signaled_cv_.notify_one();
    else
        signaled_cv_.notify_all();
    for (detail::multi_waiter* waiter : waiters_)
        waiter->notify();
}

void WaitHandle::reset_signaled()
{
    std::lock_guard lock(mutex_);
    throw_if_closed_locked();
    signaled_ = false;
}

bool WaitHandle::try_acquire_locked() noexcept
{
    if (!signaled_)
        return false;
    if (auto_reset_)
        signaled_ = false;
    return true;
}

void WaitHandle::throw_if_closed_locked() const
{
    if (closed_)
        throw ObjectDisposedException("WaitHandle");
}

EventWaitHandle::EventWaitHandle(bool initialState, EventResetMode mode)
    : WaitHandle(initialState, mode)
{
}

bool EventWaitHandle::Set()
{
    set_signaled();
    return true;
}

bool EventWaitHandle::Reset()
{
    reset_signaled();
    return true;
}

ManualResetEvent::ManualResetEvent(bool initialState)
    : EventWaitHandle(initialState, EventResetMode::ManualReset)
{
}

AutoResetEvent::AutoResetEvent(bool initialState)
    : EventWaitHandle(initialState, EventResetMode::AutoReset)
{
}

} // namespace dotasync
