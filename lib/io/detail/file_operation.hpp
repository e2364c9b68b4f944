// One asynchronous read or write that a FileStream back-end carries out on a
// thread the stream's execution context does not know about (a blocking-I/O
// thread, or the kernel through io_uring), and the per-context registry that
// keeps such operations correct when the context goes away. Private to the
// library.
//
// Why a registry: an operation in flight holds its handler and the handler
// executor's outstanding work. If the execution context were destroyed first,
// the back-end would later post into freed memory, and the handler (an APM
// result, a future) would never complete. Asio's own I/O objects avoid this
// through their services' shutdown(); file_operation_service is that service
// for FileStream. When the context shuts down it asks every operation of the
// context to stop, waits until the back-ends are done with them (so that no
// thread touches a buffer after the context's destructor returns), and
// destroys their handlers there, as Asio destroys the handlers of a context
// that is destroyed: an APM result then completes with
// OperationCanceledException.
//
// Thread-safety: every member may be called from any thread.
#ifndef DOTASYNC_LIB_IO_DETAIL_FILE_OPERATION_HPP
#define DOTASYNC_LIB_IO_DETAIL_FILE_OPERATION_HPP

#include <dotasync/io/io_completion.hpp>

#include <boost/asio/any_completion_executor.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/execution_context.hpp>
#include <boost/system/error_code.hpp>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace dotasync::detail {

class file_operation_registry;

class file_operation {
public:
    file_operation(const void* owner, io_completion completion);
    virtual ~file_operation();

    file_operation(const file_operation&) = delete;
    file_operation& operator=(const file_operation&) = delete;

    // Connects the handler's cancellation slot to request_cancel(). Called on
    // the initiating thread, before the back-end may complete the operation.
    void connect_cancellation(const std::shared_ptr<file_operation>& self);

    // Asks the back-end to stop the operation; it may still complete with
    // its data when the request comes too late. Idempotent; any thread.
    void request_cancel() noexcept;
    bool cancel_requested() const noexcept { return cancel_requested_.load(std::memory_order_acquire); }

    const void* owner() const noexcept { return owner_; }

private:
    friend class file_operation_registry;

    // What the back-end does beyond setting the flag (io_uring: ask the
    // kernel to cancel the request).
    virtual void on_cancel() noexcept {}

    const void* owner_;
    // Completed from the registry, which posts it to the stream's executor.
    io_completion completion_;
    // Keeps the handler's executor (its io_context) from running out of work
    // while the operation runs where that context cannot see it.
    boost::asio::any_completion_executor work_;
    std::atomic<bool> cancel_requested_{false};

    // The registry that lists the operation, and the list itself, guarded
    // by the registry's mutex. An operation destroyed before it completed (a
    // job of the blocking pool dropped at exit) unlists itself.
    std::shared_ptr<file_operation_registry> registry_;
    bool listed_ = false;
    file_operation* prev_ = nullptr;
    file_operation* next_ = nullptr;
};

class file_operation_registry : public std::enable_shared_from_this<file_operation_registry> {
public:
    // The registry of the execution context that runs executor's work.
    static std::shared_ptr<file_operation_registry> of(const boost::asio::any_io_executor& executor);

    // Lists op until complete() is called. False when the context has shut
    // down: then the operation must not start, and its handler is destroyed
    // with op (the operation is abandoned, as on a destroyed context).
    bool add(file_operation& op);

    // Delivers (ec, n) to op's completion, which posts it to the stream's
    // executor, and unlists op. During the context's shutdown the handler goes to the
    // shutdown instead, which destroys it.
    void complete(file_operation& op, boost::system::error_code ec, std::size_t n);

    // Requests cancellation of every listed operation of owner.
    void cancel_all_of(const void* owner);

    // The context is going away: cancels every operation, waits until the
    // back-ends have completed them all, and destroys their handlers and
    // work. Later add() calls fail. Called by the service's shutdown().
    void shutdown();

private:
    friend class file_operation;
    void unlink(file_operation& op) noexcept;
    // An operation that goes away unlisted: its handler is destroyed with it.
    void drop(file_operation& op) noexcept;

    std::mutex mutex_;
    std::condition_variable drained_;
    bool shut_down_ = false;
    file_operation* head_ = nullptr;
    // Completions of operations that finished during shutdown, with their
    // work.
    std::vector<io_completion> abandoned_;
    std::vector<boost::asio::any_completion_executor> abandoned_work_;
};

// The execution-context service that owns a context's registry and runs its
// shutdown() when the context is shut down.
class file_operation_service : public boost::asio::execution_context::service {
public:
    static boost::asio::execution_context::id id;

    explicit file_operation_service(boost::asio::execution_context& context);
    ~file_operation_service() override;

    const std::shared_ptr<file_operation_registry>& registry() const noexcept { return registry_; }

private:
    void shutdown() override;

    std::shared_ptr<file_operation_registry> registry_;
};

} // namespace dotasync::detail

#endif
