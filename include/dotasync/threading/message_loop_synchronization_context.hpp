// MessageLoopSynchronizationContext: a console program's stand-in for the UI
// thread of a .NET desktop application.
//
//   int main()
//   {
//       MessageLoopSynchronizationContext::Run([] {
//           provider.GetUserAsync(100);   // GetUserCompleted will run on this thread
//       });
//   }   // Run returns once the operation has completed and its event has run
//
// Run(main) makes a new io_context and a strand context on it, makes that
// context the calling thread's Current(), runs main on it as the loop's first
// message, and then runs the loop on the calling thread until no work is
// left: nothing queued, no Asio operation pending on the loop's io_context,
// and no EAP operation started from the loop still outstanding (the context
// counts them through OperationStarted/OperationCompleted). Every callback
// posted to the context, every handler bound to its executor and every
// XxxCompleted event of an operation started on the loop runs on the calling
// thread, one at a time. Current() is restored when Run returns.
//
// An exception escaping main or any function the loop runs ends the loop:
// Run destroys what is still queued and rethrows it, as an unhandled
// exception on a .NET UI thread ends Application.Run. Once Run has returned,
// the context no longer runs anything: Post drops the callback (and logs a
// warning, since an EAP completion would be lost), and Send throws
// ObjectDisposedException.
//
// Send called on the loop thread runs the callback inline even outside the
// strand, because the loop thread is the only thread that could run it.
//
// Thread-safety: Run may be called from any thread, also nested inside
// another loop (it then runs a separate loop). The context's members may be
// called from any thread, as StrandSynchronizationContext's.
#ifndef DOTASYNC_THREADING_MESSAGE_LOOP_SYNCHRONIZATION_CONTEXT_HPP
#define DOTASYNC_THREADING_MESSAGE_LOOP_SYNCHRONIZATION_CONTEXT_HPP

#include <dotasync/core/export.hpp>
#include <dotasync/threading/strand_synchronization_context.hpp>

#include <boost/asio/io_context.hpp>

#include <any>
#include <functional>
#include <thread>

namespace dotasync {

namespace detail {

// The loop's io_context, a base class so that it is built before the strand
// context that runs on it and destroyed after it. shutdown() is exposed so
// that Run can destroy what is still queued when the loop ends.
class DOTASYNC_API message_loop_io_context {
protected:
    struct loop_io_context : boost::asio::io_context {
        loop_io_context() : boost::asio::io_context(1) {}
        using boost::asio::io_context::shutdown;
    };

    loop_io_context loop_io_;
};

} // namespace detail

class DOTASYNC_API MessageLoopSynchronizationContext : private detail::message_loop_io_context,
                                          public StrandSynchronizationContext {
    struct private_tag {};

public:
    // Runs main, then the loop, on the calling thread; see the file comment.
    // Throws ArgumentNullException for an empty main, and rethrows what
    // escaped a function the loop ran.
    static void Run(std::function<void()> main);

    // Drops the callback (with a warning) once the loop has ended.
    void Post(SendOrPostCallback d, std::any state) override;
    // Inline on the loop thread; ObjectDisposedException once the loop has ended.
    void Send(SendOrPostCallback d, std::any state) override;

    // The thread that runs the loop.
    std::thread::id loop_thread_id() const noexcept { return loop_thread_; }

    [[deprecated("use loop_thread_id()")]] std::thread::id LoopThreadId() const noexcept { return loop_thread_; }

    explicit MessageLoopSynchronizationContext(private_tag);
    ~MessageLoopSynchronizationContext() override;

private:
    void finish() noexcept;

    std::thread::id loop_thread_;
    // Held shared by Post (and by the EAP completions that bypass it) and
    // exclusively by finish(), so that nothing is queued on the io_context
    // while it is being shut down.
    detail::loop_gate gate_;
};

} // namespace dotasync

#endif
