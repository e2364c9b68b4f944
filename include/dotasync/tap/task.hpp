// Task: .NET's static Task helpers, as Asio initiating functions that accept
// any completion token (use_awaitable, use_future, deferred, apm, a callback).
//
//   int n = co_await Task::Run([] { return compute(); }, asio::use_awaitable);
//   co_await Task::Delay(100ms, cts.Token(), asio::use_awaitable);
//   auto [a, b] = co_await Task::WhenAll(op1, op2, asio::use_awaitable);
//   TaskOf<int> first = co_await Task::WhenAny(tasks, asio::use_awaitable);   // a std::vector<TaskOf<int>>
//   auto [index, winner] = co_await Task::WhenAny(op1, op2, asio::use_awaitable);
//
// Completion signatures (R void drops the value argument):
//
//   Run(f, token)                  void(std::exception_ptr, R)   R = f's return type
//   Delay(delay, token)            void(std::exception_ptr)   (delay: milliseconds or int)
//   Yield(token), CompletedTask(token)
//                                  void(std::exception_ptr)
//   FromCanceled<T>(ct, token)     void(std::exception_ptr, T)   (T void: void(std::exception_ptr))
//   FromResult(value, token)       void(std::exception_ptr, T)
//   FromException<T>(e, token)     void(std::exception_ptr, T)
//   WhenAll(ops..., token)         void(std::exception_ptr, std::tuple<V...>)
//   WhenAll(range, token)          void(std::exception_ptr, std::vector<V>)
//   WhenAny(tasks..., token)       void(std::exception_ptr, TaskOf<T>)   T: the tasks' common
//                                  result type, void when they differ
//   WhenAny(task range, token)     void(std::exception_ptr, TaskOf<T>)
//   WhenAny(ops..., token)         void(std::exception_ptr, std::size_t index, TaskOf<std::variant<V...>>)
//                                  (TaskOf<void> when no operation has a value)
//   WhenAny(range, token)          void(std::exception_ptr, std::size_t index, TaskOf<V>)
//
// An operation (an element of ops or of range) is an Asio asynchronous
// operation, such as timer.async_wait(asio::deferred), Task::Delay(1s,
// asio::deferred) or a lambda [&](auto token) { return ...(token); }, or an
// asio::awaitable, which is co_spawn'ed on the completion handler's executor
// (the default runtime when it has none). V is the value the operation
// produces by end()'s rules: a leading error_code or exception_ptr is its
// failure, the rest its value (T, std::tuple<T...> for several); an operation
// without a value contributes std::monostate, and when no operation has a
// value, WhenAll drops the tuple and WhenAny the variant. Values passed with a
// failure are default-constructed, so value types must be default
// constructible, as co_spawn requires.
//
// Run posts f to the default runtime (ThreadPool), or to the executor given,
// and completes on the handler's executor. A CancellationToken, or the
// handler's cancellation slot, that is canceled before f starts keeps it
// from starting and completes with TaskCanceledException; a running f is not
// interrupted, as in .NET (pass it the token).
//
// Delay waits on a steady_timer of the default runtime (or of the executor
// given). delay = -1 ms waits until canceled; any other negative delay throws
// ArgumentOutOfRangeException from the call itself, before anything starts.
// Cancelled through the token or the handler's slot, it completes with
// TaskCanceledException; a token canceled before the timer starts completes it
// so at once, whatever the delay (even zero).
//
// FromResult, FromException, FromCanceled and CompletedTask are finished from
// the start. co_await with use_awaitable continues at once, without
// suspending or posting, as .NET's await of a finished task does: the
// coroutine keeps its thread, and work queued on its executor does not run in
// between. A handler without an executor of its own (a plain callback, the
// apm token) runs at once, inline, as a continuation of a finished .NET task
// does, so that TaskToAsyncResult reports CompletedSynchronously(); any other
// handler with an executor (a future's, a strand, a coroutine reached through
// another token such as deferred) is posted to it, so that a loop of such
// completions never nests its resumptions.
//
// WhenAll starts every operation and completes when all have completed; it
// never cancels one because another failed. Its failure follows .NET: the
// faults (failures other than OperationCanceledException) come first — one
// fault is passed as it is, with its original type, several as one
// AggregateException holding them all in operand order; when nothing
// faulted, the first cancellation; otherwise none. co_await (and a task made
// with use_task, awaited) rethrows that AggregateException itself where
// .NET's await would rethrow the first fault alone; its InnerExceptions()
// start with that fault, and the task's Exception() is the AggregateException,
// as .NET's. Cancelling WhenAll (its handler's slot, or with_cancellation)
// cancels every operation still running.
//
// WhenAny, as .NET's: over tasks (TaskOf, tap/task_of.hpp) it completes with
// the task that finished first, successfully even when that task failed or
// was canceled (await the task to see its outcome); when several have
// already finished, the first in operand order. Over operations it starts
// them in order and completes as soon as the first one completes, with its
// index and a finished task holding its outcome (value, failure or
// cancellation); operations not started yet by then are never started.
// WhenAny never cancels the others: they run to completion and their outcomes
// are dropped (a failure other than a cancellation of an operation is logged
// as unobserved); cancel them with their own tokens. Cancelling WhenAny over
// operations (its handler's slot, or with_cancellation) cancels every
// operation still running, and the first one to complete wins. WhenAny with
// no task or operation (an empty range) throws ArgumentException.
//
// Thread-safety: the functions may be called from any thread. The operations
// of one WhenAll/WhenAny may complete on different threads at once.
#ifndef DOTASYNC_TAP_TASK_HPP
#define DOTASYNC_TAP_TASK_HPP

#include <dotasync/core/cancellation.hpp>
#include <dotasync/core/detail/check_delay.hpp>
#include <dotasync/core/detail/check_executor.hpp>
#include <dotasync/core/exceptions.hpp>
#include <dotasync/tap/detail/operation.hpp>
#include <dotasync/tap/detail/ready_awaitable.hpp>
#include <dotasync/tap/detail/task_delay.hpp>
#include <dotasync/tap/detail/when_all_group.hpp>
#include <dotasync/tap/detail/when_any_group.hpp>
#include <dotasync/tap/detail/when_any_task.hpp>
#include <dotasync/tap/detail/task_run.hpp>
#include <dotasync/tap/task_of.hpp>
#include <dotasync/tap/use_task.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include <boost/asio/async_result.hpp>
#include <boost/asio/execution/executor.hpp>
#include <boost/asio/is_executor.hpp>

#include <chrono>
#include <cstddef>
#include <exception>
#include <functional>
#include <ranges>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace dotasync {

namespace detail {

template <class T>
concept asio_executor =
    boost::asio::execution::is_executor<std::decay_t<T>>::value || boost::asio::is_executor<std::decay_t<T>>::value;

template <class F>
concept run_function = std::is_invocable_v<std::decay_t<F>&> && !asio_executor<F>;

// True when every argument but the last is an operation.
template <class... Args>
consteval bool operations_then_token()
{
    return []<std::size_t... I>(std::index_sequence<I...>) {
        return (task_operation<std::tuple_element_t<I, std::tuple<Args...>>> && ...);
    }(std::make_index_sequence<sizeof...(Args) - 1>());
}

// True when every argument but the last is a TaskOf.
template <class... Args>
consteval bool tasks_then_token()
{
    return []<std::size_t... I>(std::index_sequence<I...>) {
        return (task_handle<std::tuple_element_t<I, std::tuple<Args...>>> && ...);
    }(std::make_index_sequence<sizeof...(Args) - 1>());
}

template <class Range>
concept task_range =
    std::ranges::input_range<Range> && task_handle<std::ranges::range_value_t<std::remove_cvref_t<Range>>>;

template <class Range>
concept operation_range = std::ranges::input_range<Range> && !task_operation<Range> &&
                          task_operation<std::ranges::range_value_t<std::remove_cvref_t<Range>>>;

template <class Range>
auto to_operation_vector(Range&& range)
{
    using op_type = std::decay_t<std::ranges::range_value_t<std::remove_cvref_t<Range>>>;
    if constexpr (std::is_same_v<std::remove_cvref_t<Range>, std::vector<op_type>>) {
        return std::vector<op_type>(std::forward<Range>(range));
    } else {
        std::vector<op_type> ops;
        for (auto&& op : range) {
            if constexpr (std::is_rvalue_reference_v<Range&&>)
                ops.push_back(std::move(op));
            else
                ops.push_back(op);
        }
        return ops;
    }
}

struct from_result_initiation {
    template <class Handler, class... Values>
    void operator()(Handler&& handler, Values&&... values) const
    {
        complete_now(std::forward<Handler>(handler), std::forward<Values>(values)...);
    }
};

// An operation that is finished from the start: with use_awaitable, a
// coroutine that returns at once (tap/detail/ready_awaitable.hpp); with
// use_task, a task made finished; with any other token, an initiation that
// completes the handler as complete_now does.
template <class CompletionToken, class Signature, class... Values>
auto finished_operation(std::remove_reference_t<CompletionToken>& token, Values&&... values)
{
    if constexpr (is_use_awaitable_v<CompletionToken>)
        return ready_awaitable<use_awaitable_executor_t<CompletionToken>>(std::forward<Values>(values)...);
    else if constexpr (std::is_same_v<std::decay_t<CompletionToken>, use_task_t>)
        return task_access::make(make_finished_task_state<typename signature_traits<Signature>::result_type>(
            std::forward<Values>(values)...));
    else
        return boost::asio::async_initiate<CompletionToken, Signature>(from_result_initiation(), token,
                                                                        std::forward<Values>(values)...);
}

} // namespace detail

struct Task {
    Task() = delete;

    // Run ------------------------------------------------------------------

    template <detail::run_function F, class CompletionToken>
    static auto Run(F&& function, CompletionToken&& token)
    {
        return Run(ThreadPool::Executor(), std::forward<F>(function), CancellationToken::None(),
                   std::forward<CompletionToken>(token));
    }

    template <detail::run_function F, class CompletionToken>
    static auto Run(F&& function, CancellationToken cancellationToken, CompletionToken&& token)
    {
        return Run(ThreadPool::Executor(), std::forward<F>(function), std::move(cancellationToken),
                   std::forward<CompletionToken>(token));
    }

    template <detail::asio_executor Executor, detail::run_function F, class CompletionToken>
    static auto Run(const Executor& executor, F&& function, CompletionToken&& token)
    {
        return Run(executor, std::forward<F>(function), CancellationToken::None(),
                   std::forward<CompletionToken>(token));
    }

    template <detail::asio_executor Executor, detail::run_function F, class CompletionToken>
    static auto Run(const Executor& executor, F&& function, CancellationToken cancellationToken,
                    CompletionToken&& token)
    {
        using result_type = detail::run_result_t<F>;
        static_assert(!detail::is_awaitable<result_type>::value,
                      "Task::Run calls a function; it does not run the coroutine that function returns. Pass the "
                      "awaitable itself to WhenAll, WhenAny or TaskToAsyncResult::Begin, or co_spawn it");
        static_assert(std::is_void_v<result_type> || std::is_default_constructible_v<result_type>,
                      "Task::Run passes a value even on failure, so the function's result type must be default "
                      "constructible");
        detail::check_executor(executor);
        if constexpr (requires(const std::decay_t<F>& f) {
                          { f == nullptr } -> std::convertible_to<bool>;
                      }) {
            if (function == nullptr)
                throw ArgumentNullException("function");
        }
        return boost::asio::async_initiate<CompletionToken, detail::run_signature_t<result_type>>(
            detail::run_initiation<std::decay_t<Executor>>(executor), token, std::forward<F>(function),
            std::move(cancellationToken));
    }

    // Delay ----------------------------------------------------------------

    template <class CompletionToken>
    static auto Delay(std::chrono::milliseconds delay, CompletionToken&& token)
    {
        return Delay(ThreadPool::Executor(), delay, std::forward<CompletionToken>(token));
    }

    template <class CompletionToken>
    static auto Delay(std::chrono::milliseconds delay, CancellationToken cancellationToken, CompletionToken&& token)
    {
        return Delay(ThreadPool::Executor(), delay, std::move(cancellationToken),
                     std::forward<CompletionToken>(token));
    }

    template <detail::asio_executor Executor, class CompletionToken>
    static auto Delay(const Executor& executor, std::chrono::milliseconds delay, CompletionToken&& token)
    {
        detail::check_executor(executor);
        detail::check_delay(delay);
        return boost::asio::async_initiate<CompletionToken, void(std::exception_ptr)>(
            detail::delay_initiation<std::decay_t<Executor>>(executor), token, delay);
    }

    template <detail::asio_executor Executor, class CompletionToken>
    static auto Delay(const Executor& executor, std::chrono::milliseconds delay, CancellationToken cancellationToken,
                      CompletionToken&& token)
    {
        detail::check_executor(executor);
        detail::check_delay(delay);
        CancellationToken checked_at_start = cancellationToken;
        auto cancellable = with_cancellation(std::move(cancellationToken), std::forward<CompletionToken>(token));
        return boost::asio::async_initiate<decltype(cancellable), void(std::exception_ptr)>(
            detail::delay_initiation<std::decay_t<Executor>>(executor), cancellable, delay,
            std::move(checked_at_start));
    }

    // .NET's Delay(int millisecondsDelay[, cancellationToken]).
    template <class CompletionToken>
    static auto Delay(int millisecondsDelay, CompletionToken&& token)
    {
        return Delay(std::chrono::milliseconds(millisecondsDelay), std::forward<CompletionToken>(token));
    }

    template <class CompletionToken>
    static auto Delay(int millisecondsDelay, CancellationToken cancellationToken, CompletionToken&& token)
    {
        return Delay(std::chrono::milliseconds(millisecondsDelay), std::move(cancellationToken),
                     std::forward<CompletionToken>(token));
    }

    // Yield ------------------------------------------------------------------

    // Completes at once, but always posted (to the handler's executor, or the
    // default runtime for a handler without one): .NET's await Task.Yield(),
    // which lets other work run before the coroutine continues.
    template <class CompletionToken>
    static auto Yield(CompletionToken&& token)
    {
        return boost::asio::async_initiate<CompletionToken, void(std::exception_ptr)>(
            [](auto handler) { detail::complete_later(std::move(handler), ThreadPool::Executor(), std::exception_ptr()); },
            token);
    }

    // CompletedTask, FromCanceled -----------------------------------------------

    // A finished operation without a value, completing as FromResult does.
    template <class CompletionToken>
    static auto CompletedTask(CompletionToken&& token)
    {
        return detail::finished_operation<CompletionToken, void(std::exception_ptr)>(token, std::exception_ptr());
    }

    // A finished operation canceled by cancellationToken: it completes with
    // TaskCanceledException. A token not canceled throws
    // ArgumentOutOfRangeException, as .NET's.
    template <class T = void, class CompletionToken>
    static auto FromCanceled(const CancellationToken& cancellationToken, CompletionToken&& token)
    {
        if (!cancellationToken.IsCancellationRequested())
            throw ArgumentOutOfRangeException("cancellationToken", "The token has not had cancellation requested.");
        auto canceled = std::make_exception_ptr(TaskCanceledException());
        if constexpr (std::is_void_v<T>) {
            return detail::finished_operation<CompletionToken, void(std::exception_ptr)>(token, std::move(canceled));
        } else {
            static_assert(std::is_default_constructible_v<T>, "FromCanceled passes a default-constructed T");
            return detail::finished_operation<CompletionToken, void(std::exception_ptr, T)>(token, std::move(canceled),
                                                                                            T());
        }
    }

    // FromResult, FromException -------------------------------------------

    template <class T, class CompletionToken>
    static auto FromResult(T&& result, CompletionToken&& token)
    {
        using value_type = std::decay_t<T>;
        return detail::finished_operation<CompletionToken, void(std::exception_ptr, value_type)>(
            token, std::exception_ptr(), value_type(std::forward<T>(result)));
    }

    // A null exception throws ArgumentNullException.
    template <class T = void, class CompletionToken>
    static auto FromException(std::exception_ptr exception, CompletionToken&& token)
    {
        if (!exception)
            throw ArgumentNullException("exception");
        if constexpr (std::is_void_v<T>) {
            return detail::finished_operation<CompletionToken, void(std::exception_ptr)>(token, std::move(exception));
        } else {
            static_assert(std::is_default_constructible_v<T>, "FromException passes a default-constructed T");
            return detail::finished_operation<CompletionToken, void(std::exception_ptr, T)>(token, std::move(exception),
                                                                                            T());
        }
    }

    // WhenAll --------------------------------------------------------------

    template <class... OperationsThenToken>
        requires(sizeof...(OperationsThenToken) >= 1 && detail::operations_then_token<OperationsThenToken...>())
    static auto WhenAll(OperationsThenToken&&... operationsThenToken)
    {
        constexpr std::size_t count = sizeof...(OperationsThenToken) - 1;
        auto arguments = std::forward_as_tuple(std::forward<OperationsThenToken>(operationsThenToken)...);
        return [&]<std::size_t... I>(std::index_sequence<I...>) {
            using types = std::tuple<OperationsThenToken...>;
            using token_type = std::tuple_element_t<count, types>;
            using signature = detail::when_all_signature_t<std::decay_t<std::tuple_element_t<I, types>>...>;
            return boost::asio::async_initiate<token_type, signature>(
                detail::when_all_initiation(), std::get<count>(arguments),
                std::forward<std::tuple_element_t<I, types>>(std::get<I>(arguments))...);
        }(std::make_index_sequence<count>());
    }

    template <detail::operation_range Range, class CompletionToken>
    static auto WhenAll(Range&& tasks, CompletionToken&& token)
    {
        auto ops = detail::to_operation_vector(std::forward<Range>(tasks));
        using op_type = typename decltype(ops)::value_type;
        return boost::asio::async_initiate<CompletionToken, detail::when_all_range_signature_t<op_type>>(
            detail::when_all_range_initiation(), token, std::move(ops));
    }

    // WhenAny --------------------------------------------------------------

    // Over tasks: completes with the task that finished first.
    template <class... TasksThenToken>
        requires(sizeof...(TasksThenToken) >= 2 && detail::tasks_then_token<TasksThenToken...>())
    static auto WhenAny(TasksThenToken&&... tasksThenToken)
    {
        constexpr std::size_t count = sizeof...(TasksThenToken) - 1;
        auto arguments = std::forward_as_tuple(std::forward<TasksThenToken>(tasksThenToken)...);
        return [&]<std::size_t... I>(std::index_sequence<I...>) {
            using types = std::tuple<TasksThenToken...>;
            using task_type = TaskOf<typename detail::common_task_result<std::tuple_element_t<I, types>...>::type>;
            std::vector<task_type> tasks{task_type(std::get<I>(arguments))...};
            return boost::asio::async_initiate<std::tuple_element_t<count, types>,
                                               void(std::exception_ptr, task_type)>(
                detail::when_any_task_initiation<task_type>(), std::get<count>(arguments), std::move(tasks));
        }(std::make_index_sequence<count>());
    }

    template <detail::task_range Range, class CompletionToken>
    static auto WhenAny(Range&& tasks, CompletionToken&& token)
    {
        using task_type = std::decay_t<std::ranges::range_value_t<std::remove_cvref_t<Range>>>;
        std::vector<task_type> copies(std::ranges::begin(tasks), std::ranges::end(tasks));
        if (copies.empty())
            throw ArgumentException("WhenAny needs at least one task, and the range is empty.", "tasks");
        return boost::asio::async_initiate<CompletionToken, void(std::exception_ptr, task_type)>(
            detail::when_any_task_initiation<task_type>(), token, std::move(copies));
    }

    // Over operations: completes with the index of the one that finished
    // first and a finished task holding its outcome.
    template <class... OperationsThenToken>
        requires(sizeof...(OperationsThenToken) >= 2 && detail::operations_then_token<OperationsThenToken...>() &&
                 !detail::tasks_then_token<OperationsThenToken...>())
    static auto WhenAny(OperationsThenToken&&... operationsThenToken)
    {
        constexpr std::size_t count = sizeof...(OperationsThenToken) - 1;
        auto arguments = std::forward_as_tuple(std::forward<OperationsThenToken>(operationsThenToken)...);
        return [&]<std::size_t... I>(std::index_sequence<I...>) {
            using types = std::tuple<OperationsThenToken...>;
            using token_type = std::tuple_element_t<count, types>;
            using signature = detail::when_any_signature_t<std::decay_t<std::tuple_element_t<I, types>>...>;
            return boost::asio::async_initiate<token_type, signature>(
                detail::when_any_initiation(), std::get<count>(arguments),
                std::forward<std::tuple_element_t<I, types>>(std::get<I>(arguments))...);
        }(std::make_index_sequence<count>());
    }

    template <detail::operation_range Range, class CompletionToken>
        requires(!detail::task_range<Range>)
    static auto WhenAny(Range&& tasks, CompletionToken&& token)
    {
        auto ops = detail::to_operation_vector(std::forward<Range>(tasks));
        if (ops.empty())
            throw ArgumentException("WhenAny needs at least one operation, and the range is empty.", "tasks");
        using op_type = typename decltype(ops)::value_type;
        return boost::asio::async_initiate<CompletionToken, detail::when_any_range_signature_t<op_type>>(
            detail::when_any_range_initiation(), token, std::move(ops));
    }
};

} // namespace dotasync

#endif
