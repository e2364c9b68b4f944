// ThreadPool: .NET's process-wide pool, backed by dotasync's default runtime.
//
// The default runtime is one io_context run by a small pool of threads. It is
// started on first use (no thread exists before), and stopped and joined when
// the process exits; operations still pending then are abandoned, which
// completes their IAsyncResults with OperationCanceledException. Objects built
// without an executor use it; objects built with an executor never touch it.
//
// The pool's threads are named "dotasync-pool" (as shown by debuggers, top and
// /proc/<pid>/task/*/comm).
//
// An exception escaping a function run by the pool goes to the unhandled-
// exception handler. The default handler logs it at critical level and calls
// std::terminate(), as an unhandled exception on a .NET thread-pool thread ends
// the process. A handler that returns keeps the pool running.
//
// Thread-safety: every member may be called from any thread.
#ifndef DOTASYNC_THREADING_THREAD_POOL_HPP
#define DOTASYNC_THREADING_THREAD_POOL_HPP

#include <dotasync/core/export.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <any>
#include <exception>
#include <functional>
#include <utility>

namespace dotasync {

class DOTASYNC_API ThreadPool {
public:
    // What runs an exception that escapes a function run by the default
    // runtime (a dotasync addition: .NET ends the process, and so does the
    // default handler, after logging).
    using unhandled_exception_handler = std::function<void(std::exception_ptr)>;
    using UnhandledExceptionHandler [[deprecated("use unhandled_exception_handler")]] = unhandled_exception_handler;

    ThreadPool() = delete;

    // Queues callBack to run on a pool thread. Throws ArgumentNullException
    // for an empty function. Returns true, as .NET does.
    static bool QueueUserWorkItem(std::function<void()> callBack);
    static bool QueueUserWorkItem(std::function<void(const std::any&)> callBack, std::any state);

    // The default runtime's executor; starts the runtime if needed.
    static boost::asio::any_io_executor Executor();

    // Number of threads the default runtime runs (it is started if needed).
    static int ThreadCount();

    // Replaces the unhandled-exception handler and returns the previous one.
    // An empty handler restores the default (log, then terminate).
    static unhandled_exception_handler set_unhandled_exception_handler(unhandled_exception_handler handler);

    [[deprecated("use set_unhandled_exception_handler()")]] static unhandled_exception_handler
    SetUnhandledExceptionHandler(unhandled_exception_handler handler)
    {
        return set_unhandled_exception_handler(std::move(handler));
    }
};

} // namespace dotasync

#endif
