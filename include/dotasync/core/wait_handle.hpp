// Wait handles: .NET's WaitHandle family, for code that blocks on events or on
// IAsyncResult::AsyncWaitHandle().
//
// A time-out is in milliseconds; -1 (Infinite) waits forever and any other
// negative value throws ArgumentOutOfRangeException. WaitOne returns false on
// time-out; WaitAny returns the index of the handle that was signalled (the
// lowest when several are) or WaitTimeout; WaitAll returns false on time-out.
// WaitAll and WaitAny accept any mix of handles, including the wait handles of
// asynchronous results. An empty set or a repeated handle in WaitAll throws
// ArgumentException, a null entry ArgumentNullException. WaitAll takes every
// handle at once or none: an auto-reset event is consumed only when all of the
// handles are signalled together.
//
// Close() releases the handle: waiting on it, or setting it, afterwards throws
// ObjectDisposedException, and threads blocked on it wake up and throw too.
//
// Thread-safety: every member may be called from any thread at the same time.
#ifndef DOTASYNC_CORE_WAIT_HANDLE_HPP
#define DOTASYNC_CORE_WAIT_HANDLE_HPP

#include <dotasync/core/export.hpp>

#include <chrono>
#include <condition_variable>
#include <initializer_list>
#include <mutex>
#include <span>
#include <vector>

namespace dotasync {

namespace detail {
struct multi_waiter;
}

enum class EventResetMode { AutoReset = 0, ManualReset = 1 };

class DOTASYNC_API WaitHandle {
public:
    static constexpr int WaitTimeout = 258;
    static constexpr int Infinite = -1;

    WaitHandle(const WaitHandle&) = delete;
    WaitHandle& operator=(const WaitHandle&) = delete;
    virtual ~WaitHandle();

    bool WaitOne();
    bool WaitOne(int millisecondsTimeout);
    bool WaitOne(std::chrono::milliseconds timeout);

    static bool WaitAll(std::span<WaitHandle* const> waitHandles, int millisecondsTimeout = Infinite);
    static bool WaitAll(std::initializer_list<WaitHandle*> waitHandles, int millisecondsTimeout = Infinite);
    static int WaitAny(std::span<WaitHandle* const> waitHandles, int millisecondsTimeout = Infinite);
    static int WaitAny(std::initializer_list<WaitHandle*> waitHandles, int millisecondsTimeout = Infinite);

    void Close();

protected:
    WaitHandle(bool initialState, EventResetMode mode);

    // Signal and unsignal, for EventWaitHandle. They throw
    // ObjectDisposedException once the handle is closed.
    void set_signaled();
    void reset_signaled();

private:
    friend struct detail::multi_waiter;

    // Called with mutex_ held: true if signalled, consuming the signal of an
    // auto-reset handle.
    bool try_acquire_locked() noexcept;
    void throw_if_closed_locked() const;

    std::mutex mutex_;
    std::condition_variable signaled_cv_;
    bool signaled_;
    bool closed_ = false;
    const bool auto_reset_;
    // WaitAll/WaitAny callers blocked on this handle among others.
    std::vector<detail::multi_waiter*> waiters_;
};

class DOTASYNC_API EventWaitHandle : public WaitHandle {
public:
    EventWaitHandle(bool initialState, EventResetMode mode);

    // .NET returns true on success; failure is reported by exception.
    bool Set();
    bool Reset();
};

class DOTASYNC_API ManualResetEvent : public EventWaitHandle {
public:
    explicit ManualResetEvent(bool initialState);
};

class DOTASYNC_API AutoResetEvent : public EventWaitHandle {
public:
    explicit AutoResetEvent(bool initialState);
};

} // namespace dotasync

#endif
