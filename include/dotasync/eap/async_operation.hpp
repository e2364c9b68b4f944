// AsyncOperation and AsyncOperationManager: how an EAP class raises its
// events on the context of the code that started the operation.
//
//   void GetUserAsync(int userId, std::any userState)
//   {
//       auto op = AsyncOperationManager::CreateOperation(userState);   // captures the context
//       ... start the work; when it ends, on any thread:
//       op->PostOperationCompleted([this](const std::any& e) { raise GetUserCompleted }, args);
//   }
//
// CreateOperation captures SynchronizationContext::Current(), or the default
// context when the calling thread has none (the default context posts to the
// default runtime, as .NET's posts to the thread pool), and calls the
// context's OperationStarted(). Post runs a callback through that context
// (for progress reports); PostOperationCompleted posts the last callback and
// ends the operation; OperationCompleted ends it without a callback. Ending
// calls the context's OperationCompleted() exactly once; an operation
// destroyed without being ended does so itself, so a context that counts
// outstanding operations never waits for one that can no longer finish.
//
// Once the operation has ended it lets go of its context, so that the
// context's last reference is not left with whatever thread ended the
// operation: after PostOperationCompleted the callback does not start until
// the posting thread has released the context. Code that sees the completion
// callback run may therefore tear down the context and its io_context.
// SynchronizationContext() still returns the context after completion while
// something else keeps it alive, and null after that.
//
// Errors: an empty callback throws ArgumentNullException; Post,
// PostOperationCompleted or OperationCompleted on an ended operation throws
// InvalidOperationException. A call that throws changes nothing.
//
// Thread-safety: every member may be called from any thread; calls on one
// operation are serialised, so a Post that returned before
// PostOperationCompleted queues its callback first.
#ifndef DOTASYNC_EAP_ASYNC_OPERATION_HPP
#define DOTASYNC_EAP_ASYNC_OPERATION_HPP

#include <dotasync/core/export.hpp>
#include <dotasync/threading/synchronization_context.hpp>

#include <any>
#include <memory>
#include <mutex>

namespace dotasync {

class DOTASYNC_API AsyncOperation {
    struct private_tag {};

public:
    AsyncOperation(private_tag, std::any userSuppliedState, std::shared_ptr<dotasync::SynchronizationContext> context);
    ~AsyncOperation();

    AsyncOperation(const AsyncOperation&) = delete;
    AsyncOperation& operator=(const AsyncOperation&) = delete;

    const std::any& UserSuppliedState() const noexcept { return user_state_; }
    // The context captured at creation; see the file comment for after completion.
    std::shared_ptr<dotasync::SynchronizationContext> SynchronizationContext() const;

    void Post(SendOrPostCallback d, std::any arg);
    void PostOperationCompleted(SendOrPostCallback d, std::any arg);
    void OperationCompleted();

    // True once the operation has ended (a dotasync addition, for tests and
    // diagnostics).
    bool is_completed() const;

    [[deprecated("use is_completed()")]] bool IsCompleted() const { return is_completed(); }

private:
    friend class AsyncOperationManager;

    void verify_not_completed() const;

    std::any user_state_;
    // Held until the operation ends; weak_context_ answers afterwards.
    std::shared_ptr<dotasync::SynchronizationContext> context_;
    std::weak_ptr<dotasync::SynchronizationContext> weak_context_;
    // Recursive: a context whose Post runs the callback inline may let the
    // callback use the operation again.
    mutable std::recursive_mutex mutex_;
    bool completed_ = false;
};

namespace detail {

// PostOperationCompleted for any context: posts d(arg) through context, then
// calls its OperationCompleted(), and leaves context empty. The callback is
// held back until this thread has released the context. If Post throws,
// context is left as it was.
DOTASYNC_API void post_operation_completed(std::shared_ptr<dotasync::SynchronizationContext>& context, SendOrPostCallback d,
                                           std::any arg);

} // namespace detail

class DOTASYNC_API AsyncOperationManager {
public:
    AsyncOperationManager() = delete;

    // Captures the current context (see the file comment) and calls its
    // OperationStarted().
    static std::shared_ptr<AsyncOperation> CreateOperation(std::any userSuppliedState);

    // The context CreateOperation would capture now: Current(), or the
    // default context when the calling thread has none. Unlike .NET, reading
    // it does not install the default context on the calling thread.
    static std::shared_ptr<dotasync::SynchronizationContext> SynchronizationContext();
    // Sets the calling thread's current context (SetSynchronizationContext).
    static void SynchronizationContext(std::shared_ptr<dotasync::SynchronizationContext> context) noexcept;
};

} // namespace dotasync

#endif
