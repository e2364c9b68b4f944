// TaskCompletionSource<T>: an operation completed by hand, for wrapping
// callback- and event-based APIs as awaitable operations.
//
//   TaskCompletionSource<std::string> tcs;
//   legacy.Download(url, [tcs](std::string body) mutable { tcs.SetResult(std::move(body)); });
//   std::string body = co_await tcs.Task(asio::use_awaitable);
//
// Task(token) is an Asio initiating function; its completion signature is
// void(std::exception_ptr, T), or void(std::exception_ptr) for
// TaskCompletionSource<void>. Any number of Task() operations may wait on one
// source, before or after it is set, as many .NET awaiters may await one task;
// each receives a copy of the result, so T must be copyable (and default
// constructible, as a failure still passes a value).
//
// SetResult, SetException and SetCanceled set the outcome once; a second Set…
// throws InvalidOperationException and changes nothing, while TrySet… returns
// false instead. SetException(nullptr) throws ArgumentNullException. SetCanceled
// completes the waiting operations with TaskCanceledException.
//
// A Task() started after the outcome was set is finished from the start, and
// completes as Task::FromResult does: inline for a handler without an
// executor of its own (so TaskToAsyncResult::Begin reports
// CompletedSynchronously()), posted to the executor of one that has. A Task() still
// waiting when the outcome is set completes through post on its handler's
// executor (the default runtime for a handler without one), never inside the
// Set… call. Cancelling one Task() (its handler's cancellation slot, or
// with_cancellation) completes that one with TaskCanceledException and leaves
// the source and the other operations alone. When the last copy of the source
// (and of any Task(asio::deferred) operation not yet started) is destroyed
// without an outcome, the operations still waiting complete with
// ObjectDisposedException instead of waiting for ever.
//
// Task(use_task) is the source's one TaskOf<T> (tap/task_of.hpp), the same
// task on every call, whose AsyncState() is the state given to the
// constructor (TaskCompletionSource(std::any state)). Set… completes it, and
// its continuations run as .NET's do by default: dispatched to their
// handlers' executors, so inline inside the Set… call when the calling thread
// already runs that executor or the handler has none. A source destroyed
// without an outcome faults it with ObjectDisposedException.
//
// Copies of a TaskCompletionSource refer to the same source, as copies of a
// .NET reference do. Thread-safety: every member may be called from any
// thread at the same time.
#ifndef DOTASYNC_TAP_TASK_COMPLETION_SOURCE_HPP
#define DOTASYNC_TAP_TASK_COMPLETION_SOURCE_HPP

#include <dotasync/core/exceptions.hpp>
#include <dotasync/core/state_cast.hpp>
#include <dotasync/tap/detail/completion_source_state.hpp>
#include <dotasync/tap/task_of.hpp>
#include <dotasync/tap/use_task.hpp>

#include <boost/asio/async_result.hpp>

#include <any>
#include <exception>
#include <memory>
#include <type_traits>
#include <utility>

namespace dotasync {

namespace detail {

// SetResult and TrySetResult, which take no argument for void.
template <class Derived, class T>
class completion_source_setters {
public:
    void SetResult(T result)
    {
        if (!TrySetResult(std::move(result)))
            throw_already_completed();
    }

    bool TrySetResult(T result)
    {
        return static_cast<Derived&>(*this).state_->try_complete(nullptr, std::move(result));
    }
};

template <class Derived>
class completion_source_setters<Derived, void> {
public:
    void SetResult()
    {
        if (!TrySetResult())
            throw_already_completed();
    }

    bool TrySetResult() { return static_cast<Derived&>(*this).state_->try_complete(nullptr, std::monostate()); }
};

} // namespace detail

template <class T = void>
class TaskCompletionSource : public detail::completion_source_setters<TaskCompletionSource<T>, T> {
    static_assert(std::is_void_v<T> || (std::is_copy_constructible_v<T> && std::is_default_constructible_v<T>),
                  "TaskCompletionSource<T> hands every waiting operation a copy of the result, and a "
                  "default-constructed T with a failure");

public:
    using completion_signature = detail::value_signature_t<T>;

    TaskCompletionSource() : state_(std::make_shared<detail::completion_source_state<T>>()) {}
    // state becomes the AsyncState() of the source's task; nullptr is no state.
    explicit TaskCompletionSource(std::any state)
        : state_(std::make_shared<detail::completion_source_state<T>>(detail::non_null_state(std::move(state))))
    {
    }

    void SetException(std::exception_ptr exception)
    {
        if (!TrySetException(std::move(exception)))
            detail::throw_already_completed();
    }

    bool TrySetException(std::exception_ptr exception)
    {
        if (!exception)
            throw ArgumentNullException("exception");
        return state_->try_complete(std::move(exception), std::nullopt);
    }

    void SetCanceled()
    {
        if (!TrySetCanceled())
            detail::throw_already_completed();
    }

    bool TrySetCanceled() { return state_->try_complete(detail::canceled_task_error(), std::nullopt); }

    // The operation that completes with the outcome.
    // The source's one task (.NET's TaskCompletionSource.Task): every call
    // returns the same TaskOf, completed when the outcome is set.
    TaskOf<T> Task(use_task_t) const { return state_->task(); }

    template <class CompletionToken>
    auto Task(CompletionToken&& token) const
    {
        return boost::asio::async_initiate<CompletionToken, completion_signature>(
            detail::completion_source_initiation<T>{state_}, token);
    }

private:
    friend class detail::completion_source_setters<TaskCompletionSource, T>;

    std::shared_ptr<detail::completion_source_state<T>> state_;
};

} // namespace dotasync

#endif
