// SynchronizationContext: where a piece of work should run, as in .NET.
//
// Code that starts an asynchronous operation captures Current() and later
// hands the operation's completion to that context with Post (asynchronously)
// or Send (waiting until it has run). The event-based pattern (EAP) is built
// on this: AsyncOperationManager::CreateOperation captures Current(), and the
// XxxCompleted and ProgressChanged events are raised through it.
//
// This base class is the default context, as .NET's own
// SynchronizationContext class is: Post queues the callback on the default
// runtime (ThreadPool::Executor()), Send runs it inline on the calling thread,
// and OperationStarted/OperationCompleted do nothing. Derived contexts, such
// as StrandSynchronizationContext and MessageLoopSynchronizationContext,
// override the four virtual members.
//
// Current() is per thread and, as in .NET, null when nothing has been set:
// the default context is what AsyncOperationManager falls back to, not what
// every thread reports. A StrandSynchronizationContext's executor sets
// Current() for the duration of each function it runs, so a thread running
// work for several contexts always reports the one whose work it is running.
//
// Contexts are identity objects shared through std::shared_ptr: they cannot be
// copied, and Current() returns the very object that was set.
//
// Thread-safety: Current() and SetSynchronizationContext() act on the calling
// thread only. The default context's members may be called from any thread.
#ifndef DOTASYNC_THREADING_SYNCHRONIZATION_CONTEXT_HPP
#define DOTASYNC_THREADING_SYNCHRONIZATION_CONTEXT_HPP

#include <dotasync/core/export.hpp>

#include <any>
#include <functional>
#include <memory>
#include <utility>

namespace dotasync {

// The callback Post and Send run, with the state they were given.
using SendOrPostCallback = std::function<void(const std::any& state)>;

class DOTASYNC_API SynchronizationContext : public std::enable_shared_from_this<SynchronizationContext> {
public:
    SynchronizationContext() noexcept = default;
    virtual ~SynchronizationContext();

    SynchronizationContext(const SynchronizationContext&) = delete;
    SynchronizationContext& operator=(const SynchronizationContext&) = delete;

    // Queues d(state) and returns at once. The default context queues it on
    // the default runtime, where an exception escaping d goes to the
    // ThreadPool's unhandled-exception handler. Throws ArgumentNullException
    // for an empty d.
    virtual void Post(SendOrPostCallback d, std::any state);

    // Runs d(state) and returns once it has run; an exception thrown by d
    // propagates to the caller. The default context runs it inline. Throws
    // ArgumentNullException for an empty d.
    virtual void Send(SendOrPostCallback d, std::any state);

    // Called by AsyncOperationManager when an asynchronous operation that
    // reports through this context starts, and by AsyncOperation when it
    // completes, exactly once each. The default context ignores them.
    virtual void OperationStarted();
    virtual void OperationCompleted();

    // The calling thread's current context, or null when none is set.
    static std::shared_ptr<SynchronizationContext> Current() noexcept;

    // Sets the calling thread's current context; null clears it.
    static void SetSynchronizationContext(std::shared_ptr<SynchronizationContext> syncContext) noexcept;
};

namespace detail {

// The calling thread's current-context slot. The strand context's executor
// swaps its context in and out of it around every function it runs.
DOTASYNC_API std::shared_ptr<SynchronizationContext>& current_context_slot() noexcept;

// Makes context the calling thread's current context while the scope lives,
// then puts the previous one back. The scope borrows the caller's shared_ptr
// and swaps it with the slot, so installing and restoring cost no reference
// count changes; the caller's variable holds the previous context meanwhile.
class current_context_scope {
public:
    explicit current_context_scope(std::shared_ptr<SynchronizationContext>& context) noexcept
        : context_(context), slot_(current_context_slot())
    {
        context_.swap(slot_);
    }

    ~current_context_scope() { context_.swap(slot_); }

    current_context_scope(const current_context_scope&) = delete;
    current_context_scope& operator=(const current_context_scope&) = delete;

private:
    std::shared_ptr<SynchronizationContext>& context_;
    std::shared_ptr<SynchronizationContext>& slot_;
};

// The process-wide instance of the default context (the base class).
DOTASYNC_API const std::shared_ptr<SynchronizationContext>& default_synchronization_context();

} // namespace detail
} // namespace dotasync

#endif
