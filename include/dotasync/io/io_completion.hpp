// io_completion: the completion of one read or write of a Stream, as the
// stream's author receives it.
//
// A class derived from Stream implements its asynchronous reading and writing
// as two functions (see stream.hpp, "Writing a stream"):
//
//   void start_read_some(std::span<std::byte> buffer, io_completion completion) override;
//   void start_write_some(std::span<const std::byte> buffer, io_completion completion) override;
//
// and calls completion.complete(ec, n) exactly once, when the operation is
// over, from any thread: inside start_read_some itself when the data is at
// hand, or later from wherever the stream learns the outcome. Completion
// signature: void(boost::system::error_code, std::size_t).
//
//   - A read of a non-empty buffer completes with asio::error::eof and 0 at
//     the end of the stream, otherwise with the bytes read (at least 1).
//   - A write completes with all bytes written, or with an error and the
//     bytes that were written before it.
//   - A stream closed or canceled meanwhile completes with
//     asio::error::operation_aborted.
//
// Where the result goes is decided here, not by the stream: a complete()
// called inside start_read_some/start_write_some runs an APM caller's callback
// inline (BeginRead then reports CompletedSynchronously()) and resumes a
// coroutine awaiting with use_awaitable inline, up to a nesting limit that
// keeps a chain of such completions from growing the stack, and posts the
// completion of every other face; a complete() called later posts it. Either
// way it reaches the caller's handler on the handler's associated executor,
// or on the stream's executor (get_executor()) when the handler has none.
//
// The caller's per-operation cancellation arrives through
// get_cancellation_slot(): a stream that can stop an operation in flight
// installs a handler there, and completes with operation_aborted when it
// stopped it.
//
// An io_completion destroyed without complete() destroys the caller's handler
// unrun, as Asio does on a destroyed io_context: an APM result then completes
// with OperationCanceledException. A stream must not do that while its
// execution context is alive.
//
// Thread-safety: a value owned by one thread at a time; complete() may be
// called from any thread.
#ifndef DOTASYNC_IO_IO_COMPLETION_HPP
#define DOTASYNC_IO_IO_COMPLETION_HPP

#include <dotasync/core/detail/handler_allocator.hpp>
#include <dotasync/core/detail/inline_completion.hpp>
#include <dotasync/core/export.hpp>

#include <boost/asio/any_completion_executor.hpp>
#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/system/error_code.hpp>

#include <cstddef>
#include <cstdint>
#include <utility>

namespace dotasync {

class Stream;

class DOTASYNC_API io_completion {
public:
    using signature = void(boost::system::error_code, std::size_t);
    using handler_type = boost::asio::any_completion_handler<signature>;
    using executor_type = boost::asio::any_io_executor;

    // An empty completion, for a stream's member that is not holding one.
    io_completion() noexcept = default;

    io_completion(io_completion&&) noexcept = default;
    io_completion& operator=(io_completion&&) noexcept = default;
    io_completion(const io_completion&) = delete;
    io_completion& operator=(const io_completion&) = delete;
    ~io_completion() = default;

    // Delivers the outcome; the completion is empty afterwards. Calling it on
    // an empty completion is a programming error (asserted).
    void complete(boost::system::error_code ec, std::size_t n);

    // As complete(), but never runs the handler inside this call: for a
    // stream that completes while it holds a lock the handler might need.
    void post(boost::system::error_code ec, std::size_t n);

    // The caller's cancellation slot (an unconnected slot when the caller
    // has none).
    boost::asio::cancellation_slot get_cancellation_slot() const noexcept
    {
        return handler_.get_cancellation_slot();
    }

    // The stream's executor: where the completion is posted.
    const executor_type& get_executor() const noexcept { return executor_; }

    // The executor the caller's handler runs on (its associated executor, else
    // the stream's). A stream whose operation runs where that executor cannot
    // see it (a thread of its own, the kernel) keeps its outstanding work with
    // asio::prefer(e, asio::execution::outstanding_work.tracked) meanwhile.
    boost::asio::any_completion_executor get_handler_executor() const;

    explicit operator bool() const noexcept { return static_cast<bool>(handler_); }

private:
    friend class Stream;

    // Made by Stream's initiations only. The handler gets Asio's recycling
    // allocator when it names none, so that its type-erased copy costs no
    // allocation in the steady state of a thread.
    template <class Handler>
    io_completion(Handler&& handler, executor_type executor)
        : handler_(detail::with_handler_allocator(std::forward<Handler>(handler))),
          executor_(std::move(executor)), inline_allowed_(detail::completes_inline_v<Handler>)
    {
    }

    // Marks the calling thread as inside the initiation of a completion for
    // the duration of the stream's start_read_some/start_write_some.
    class initiation_scope {
    public:
        explicit initiation_scope(io_completion& completion) noexcept;
        ~initiation_scope();
        initiation_scope(const initiation_scope&) = delete;
        initiation_scope& operator=(const initiation_scope&) = delete;

    private:
        std::uint64_t previous_;
    };

    handler_type handler_;
    executor_type executor_;
    // Which initiation on which thread made this completion: complete() with
    // the same pair still active is inside it.
    const void* thread_ = nullptr;
    std::uint64_t initiation_ = 0;
    bool inline_allowed_ = false;
};

} // namespace dotasync

#endif
