// TaskOf<TResult>: .NET's Task<TResult> (TaskOf<void>: the non-generic Task), a
// shared, copyable handle to an operation that is already running.
//
//   TaskOf<int> read = fs->ReadAsync(buffer, use_task);     // started here, hot
//   TaskOf<void> wait = Task::Delay(100ms, use_task);
//   int n = co_await read.async_wait(asio::use_awaitable);  // in an asio::awaitable
//   read.async_wait([](std::exception_ptr e, int n) { ... });   // any completion token
//   int again = read.Result();                              // blocks; any number of times
//
// A task is made by the use_task completion token (tap/use_task.hpp) from any
// Asio or dotasync operation, by TaskCompletionSource::Task(use_task), or by
// ContinueWith. It completes once: RanToCompletion with a value, Canceled
// when the operation failed with OperationCanceledException (or a type
// derived from it), Faulted with any other failure.
//
// Waiting, as .NET:
//   t.async_wait(token)               complete with void(std::exception_ptr, T)
//                                     (void(std::exception_ptr) for
//                                     TaskOf<void>): the failure unwrapped, so
//                                     co_await rethrows the original exception,
//                                     as .NET's await does. A finished task
//                                     completes the handler as Task::FromResult
//                                     does (co_await with use_awaitable
//                                     continues at once, without suspending;
//                                     another handler is posted to its
//                                     executor, or run inline when it has
//                                     none); a running one dispatches it to
//                                     the handler's executor when it
//                                     finishes, and keeps that executor busy
//                                     meanwhile.
//                                     Awaiting is not cancellable, as .NET's
//                                     await of a task is not: cancel the
//                                     operation.
//   Result(), Wait()                  block the calling thread; a failed or
//                                     canceled task throws an
//                                     AggregateException whose
//                                     InnerExceptions() holds the failure (an
//                                     AggregateException failure, as
//                                     WhenAll's, is thrown as it is), as .NET's
//                                     .Result and .Wait() do.
//   Wait(ms), Wait(CancellationToken) the same with a time-out (false when it
//                                     expired) or a token (canceled first ->
//                                     OperationCanceledException).
// A finished task may be awaited any number of times, from any thread; each
// waiter gets a copy of the value, so TResult must be copy constructible (and
// default constructible, because a failure completes with a default value,
// as co_spawn does).
//
// A task is an IAsyncResult, as .NET's Task is: AsIAsyncResult() (or the
// conversion to IAsyncResultPtr) gives the same object, whose AsyncState() is
// the TaskCompletionSource's state and whose AsyncWaitHandle() is set when the
// task completes. A Faulted task whose failure nobody observed (through
// Result, Wait, Exception, co_await or async_wait) is logged when the last
// handle goes, as .NET's UnobservedTaskException.
//
// A default-constructed TaskOf is empty, as a null Task reference: every
// member but operator== throws InvalidOperationException.
//
// Thread-safety: every member may be called from any thread at the same time;
// copies of a task share one operation.
#ifndef DOTASYNC_TAP_TASK_OF_HPP
#define DOTASYNC_TAP_TASK_OF_HPP

#include <dotasync/core/cancellation.hpp>
#include <dotasync/core/detail/handler_completion.hpp>
#include <dotasync/core/exceptions.hpp>
#include <dotasync/core/export.hpp>
#include <dotasync/core/iasync_result.hpp>
#include <dotasync/tap/detail/operation.hpp>
#include <dotasync/tap/detail/ready_awaitable.hpp>
#include <dotasync/tap/detail/task_state.hpp>
#include <dotasync/tap/task_status.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>

#include <any>
#include <exception>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

namespace dotasync {

template <class TResult = void>
class TaskOf;

namespace detail {

struct task_access;

[[noreturn]] DOTASYNC_API void throw_empty_task();

// Calls f with what a waiter of a completed state<T> receives.
template <class T, class F>
void with_task_outcome(const task_state_base& state, F&& f)
{
    const std::exception_ptr& failure = state.failure();
    if constexpr (std::is_void_v<T>) {
        std::forward<F>(f)(failure);
    } else if (failure) {
        std::forward<F>(f)(failure, T());
    } else {
        std::forward<F>(f)(std::exception_ptr(), static_cast<const task_state<T>&>(state).value());
    }
}

// The executor of a handler, keeping it busy: the handler's own, or nothing
// for a handler without one (which then runs on the completing thread, as a
// .NET continuation does).
template <class Handler>
class handler_work {
public:
    explicit handler_work(const Handler& handler)
        : executor_(boost::asio::prefer(boost::asio::get_associated_executor(handler),
                                        boost::asio::execution::outstanding_work.tracked))
    {
    }

    // Dispatches the handler to its executor, and lets the executor go.
    template <class... Values>
    void complete(Handler&& handler, Values&&... values)
    {
        auto executor = std::move(*executor_);
        executor_.reset();
        complete_on(executor, std::move(handler), std::forward<Values>(values)...);
    }

    // Lets the executor go without completing through it.
    void release() noexcept { executor_.reset(); }

private:
    std::optional<std::decay_t<decltype(boost::asio::prefer(
        std::declval<boost::asio::associated_executor_t<Handler>>(), boost::asio::execution::outstanding_work.tracked))>>
        executor_;
};

template <class Handler>
    requires(!has_associated_executor_v<Handler>)
class handler_work<Handler> {
public:
    explicit handler_work(const Handler&) noexcept {}

    template <class... Values>
    void complete(Handler&& handler, Values&&... values)
    {
        std::move(handler)(std::forward<Values>(values)...);
    }

    void release() noexcept {}
};

// An async_wait on a running task: the handler, and work on its executor.
template <class T, class Handler>
class task_wait_node final : public task_continuation {
public:
    explicit task_wait_node(Handler handler) : handler_(std::move(handler)), work_(handler_) {}

    void run(task_state_base& state) noexcept override
    {
        std::unique_ptr<task_wait_node> self(this);
        with_task_outcome<T>(state, [&](auto&&... values) { work_.complete(std::move(handler_), values...); });
    }

    // For a state that completed while the node was being added: completes
    // as a wait on a finished task does, never inside the initiation.
    void run_finished(task_state_base& state) noexcept
    {
        std::unique_ptr<task_wait_node> self(this);
        with_task_outcome<T>(state, [&](auto&&... values) { complete_now(std::move(handler_), values...); });
    }

    void discard() noexcept override { delete this; }

private:
    Handler handler_;
    handler_work<Handler> work_;
};

template <class T>
struct task_wait_initiation {
    std::shared_ptr<task_state_base> state;

    template <class Handler>
    void operator()(Handler&& handler) const
    {
        if (!state->IsCompleted()) {
            auto* node = new task_wait_node<T, std::decay_t<Handler>>(std::forward<Handler>(handler));
            if (state->add_continuation(node))
                return;
            node->run_finished(*state);
            return;
        }
        with_task_outcome<T>(*state,
                             [&](auto&&... values) { complete_now(std::forward<Handler>(handler), values...); });
    }
};

// co_await t.async_wait(use_awaitable) on a task that was running when
// async_wait was called: a task that has finished by the time the coroutine
// awaits it is read at once; a running one suspends the coroutine until it
// completes.
template <class T, class Executor>
boost::asio::awaitable<T, Executor> await_task(std::shared_ptr<task_state_base> state)
{
    if (!state->IsCompleted()) {
        // Named, not a temporary: g++ 12 mishandles a temporary argument of
        // a coroutine call (use_awaitable's initiation is one) made inside a
        // co_await expression. Built without optimisation, the task's state
        // was released once too often (AddressSanitizer: use after free).
        task_wait_initiation<T> initiation{std::move(state)};
        boost::asio::use_awaitable_t<Executor> token;
        co_return co_await boost::asio::async_initiate<boost::asio::use_awaitable_t<Executor>, value_signature_t<T>>(
            std::move(initiation), token);
    }
    const std::exception_ptr& failure = state->failure();
    if (failure)
        std::rethrow_exception(failure);
    if constexpr (!std::is_void_v<T>)
        co_return static_cast<const task_state<T>&>(*state).value();
}

// async_wait for any token. With use_awaitable, a task that has run to
// completion already becomes a coroutine that returns a copy of its value
// (tap/detail/ready_awaitable.hpp), which holds no reference to the task.
template <class T, class Token>
auto wait_for_task(const std::shared_ptr<task_state_base>& state, Token& token)
{
    if constexpr (is_use_awaitable_v<Token>) {
        using executor_type = use_awaitable_executor_t<Token>;
        if (state->status() == TaskStatus::RanToCompletion) {
            if constexpr (std::is_void_v<T>)
                return ready_awaitable<executor_type>(nullptr);
            else
                return value_awaitable<executor_type>(static_cast<const task_state<T>&>(*state).value());
        }
        return await_task<T, executor_type>(state);
    } else {
        return boost::asio::async_initiate<Token, value_signature_t<T>>(task_wait_initiation<T>{state}, token);
    }
}

} // namespace detail

template <>
class DOTASYNC_API TaskOf<void> {
public:
    using result_type = void;

    TaskOf() noexcept = default;

    TaskStatus Status() const { return state().status(); }
    bool IsCompleted() const { return state().IsCompleted(); }
    bool IsCompletedSuccessfully() const { return Status() == TaskStatus::RanToCompletion; }
    bool IsFaulted() const { return Status() == TaskStatus::Faulted; }
    bool IsCanceled() const { return Status() == TaskStatus::Canceled; }
    int Id() const { return state().id(); }
    const std::any& AsyncState() const { return state().AsyncState(); }

    // An AggregateException holding the failure of a Faulted task; null
    // otherwise (also for a Canceled one), as .NET's Task.Exception.
    std::exception_ptr Exception() const;

    void Wait() const;
    bool Wait(int millisecondsTimeout) const;
    void Wait(const CancellationToken& cancellationToken) const;
    bool Wait(int millisecondsTimeout, const CancellationToken& cancellationToken) const;

    IAsyncResultPtr AsIAsyncResult() const { return checked(); }
    operator IAsyncResultPtr() const { return AsIAsyncResult(); } // NOLINT: a Task is an IAsyncResult

    // Completion signature void(std::exception_ptr).
    template <class Token>
    auto async_wait(Token&& token) const
    {
        return detail::wait_for_task<void, Token>(checked(), token);
    }

    // What makes a task an operation that Task::WhenAll and Task::WhenAny
    // accept. Boost 1.81's awaitable limits a bare co_await of an operation:
    // it cannot await one held in a variable (it moves from it without
    // copying), nor one that completes with (std::exception_ptr, T) (its
    // handler for that signature does not compile). So a bare co_await works
    // for an rvalue TaskOf<void> (co_await Task::Delay(1s, use_task)), and
    // every task is awaited as co_await t.async_wait(asio::use_awaitable),
    // any number of times.
    template <class Token>
        requires boost::asio::completion_token_for<Token, void(std::exception_ptr)>
    auto operator()(Token&& token) &&
    {
        return async_wait(std::forward<Token>(token));
    }

    // Runs f(*this) on executor (the default runtime when none is given) once
    // this task completes, whatever its outcome; the task returned completes
    // with f's result or exception. A token canceled before f starts cancels
    // the continuation instead (f never runs).
    // Options: [CancellationToken][, executor], as .NET's overloads.
    template <class F, class... Options>
    auto ContinueWith(F&& f, Options&&... options) const
    {
        return continue_with<TaskOf>(std::forward<F>(f), std::forward<Options>(options)...);
    }

    friend bool operator==(const TaskOf& a, const TaskOf& b) noexcept { return a.state_ == b.state_; }

protected:
    explicit TaskOf(std::shared_ptr<detail::task_state_base> state) noexcept : state_(std::move(state)) {}

    const detail::task_state_base& state() const
    {
        if (!state_)
            detail::throw_empty_task();
        return *state_;
    }

    const std::shared_ptr<detail::task_state_base>& checked() const
    {
        state();
        return state_;
    }

    // ContinueWith, giving f the antecedent as an Antecedent (the caller's
    // own TaskOf type).
    template <class Antecedent, class F>
    auto continue_with(F&& f) const
    {
        return continue_with<Antecedent>(std::forward<F>(f), CancellationToken::None(), ThreadPool::Executor());
    }
    template <class Antecedent, class F>
    auto continue_with(F&& f, CancellationToken cancellationToken) const
    {
        return continue_with<Antecedent>(std::forward<F>(f), std::move(cancellationToken), ThreadPool::Executor());
    }
    template <class Antecedent, class F, class Executor>
    auto continue_with(F&& f, const Executor& executor) const
    {
        return continue_with<Antecedent>(std::forward<F>(f), CancellationToken::None(), executor);
    }
    template <class Antecedent, class F, class Executor>
    auto continue_with(F&& f, CancellationToken cancellationToken, const Executor& executor) const;

private:
    friend struct detail::task_access;
    template <class>
    friend class TaskOf;

    std::shared_ptr<detail::task_state_base> state_;
};

template <class TResult>
class TaskOf : public TaskOf<void> {
    static_assert(!std::is_reference_v<TResult>, "a task holds a value, not a reference");

public:
    using result_type = TResult;

    TaskOf() noexcept = default;

    // Blocks until the task completes; returns a copy of its value, or throws
    // as Wait() does.
    TResult Result() const
    {
        Wait();
        return static_cast<const detail::task_state<TResult>&>(state()).value();
    }

    // Completion signature void(std::exception_ptr, TResult).
    template <class Token>
    auto async_wait(Token&& token) const
    {
        return detail::wait_for_task<TResult, Token>(checked(), token);
    }

    template <class Token>
        requires boost::asio::completion_token_for<Token, void(std::exception_ptr, TResult)>
    auto operator()(Token&& token) &&
    {
        return async_wait(std::forward<Token>(token));
    }

    // f receives this task, typed.
    template <class F, class... Options>
    auto ContinueWith(F&& f, Options&&... options) const
    {
        return this->template continue_with<TaskOf>(std::forward<F>(f), std::forward<Options>(options)...);
    }

private:
    friend struct detail::task_access;

    explicit TaskOf(std::shared_ptr<detail::task_state<TResult>> state) noexcept : TaskOf<void>(std::move(state)) {}
};

namespace detail {

// Makes tasks of states, for the use_task token, TaskCompletionSource and
// the Task helpers.
struct task_access {
    template <class T>
    static TaskOf<T> make(std::shared_ptr<task_state<T>> state) noexcept
    {
        return TaskOf<T>(std::move(state));
    }

    // The task of type Task (TaskOf<T>) over a state made for it.
    template <class Task>
    static Task make_from_base(std::shared_ptr<task_state_base> state) noexcept
    {
        using T = typename Task::result_type;
        if constexpr (std::is_void_v<T>)
            return TaskOf<void>(std::move(state));
        else
            return TaskOf<T>(std::static_pointer_cast<task_state<T>>(std::move(state)));
    }

    template <class T>
    static const std::shared_ptr<task_state_base>& state_of(const TaskOf<T>& task)
    {
        return task.checked();
    }
};

// ContinueWith's node: once the antecedent completes, runs f on the executor
// and completes the continuation's state with what f gives.
template <class Antecedent, class F, class Executor, class R>
class continue_with_node final : public task_continuation {
public:
    continue_with_node(std::weak_ptr<task_state_base> antecedent, F f, CancellationToken token,
                       const Executor& executor, std::shared_ptr<task_state<R>> continuation)
        : antecedent_(std::move(antecedent)), f_(std::move(f)), token_(std::move(token)),
          executor_(boost::asio::prefer(executor, boost::asio::execution::outstanding_work.tracked)),
          continuation_(std::move(continuation))
    {
    }

    void run(task_state_base&) noexcept override
    {
        std::unique_ptr<continue_with_node> self(this);
        try {
            boost::asio::post(executor_, [antecedent = antecedent_.lock(), f = std::move(f_),
                                          token = std::move(token_), continuation = continuation_]() mutable {
                if (token.IsCancellationRequested()) {
                    continuation->set_failure(std::make_exception_ptr(TaskCanceledException()));
                    return;
                }
                Antecedent task = task_access::make_from_base<Antecedent>(std::move(antecedent));
                try {
                    if constexpr (std::is_void_v<R>) {
                        f(task);
                        continuation->set_value();
                    } else {
                        continuation->set_value(f(task));
                    }
                } catch (...) {
                    continuation->set_failure(std::current_exception());
                }
            });
        } catch (...) {
            continuation_->set_failure(std::current_exception());
        }
    }

    void discard() noexcept override { delete this; }

private:
    std::weak_ptr<task_state_base> antecedent_;
    F f_;
    CancellationToken token_;
    // Tracked: the continuation keeps its executor's io_context running
    // until it has run.
    std::decay_t<decltype(boost::asio::prefer(std::declval<const Executor&>(),
                                              boost::asio::execution::outstanding_work.tracked))>
        executor_;
    std::shared_ptr<task_state<R>> continuation_;
};

} // namespace detail

} // namespace dotasync

#include <dotasync/tap/impl/task_of.hpp>

#endif
