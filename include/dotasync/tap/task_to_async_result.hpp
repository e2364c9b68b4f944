// TaskToAsyncResult: any Asio operation or awaitable, handed to APM code as an
// IAsyncResult (.NET's System.Threading.Tasks.TaskToAsyncResult).
//
//   IAsyncResultPtr BeginCompute(int n, AsyncCallback callback, std::any state)
//   { return TaskToAsyncResult::Begin(ComputeAsync(n), std::move(callback), std::move(state)); }
//   int EndCompute(const IAsyncResultPtr& ar) { return TaskToAsyncResult::End<int>(ar); }
//
// Begin(op, callback, state) starts op, an Asio asynchronous operation
// (timer.async_wait(asio::deferred), Task::Run(f, asio::deferred), a lambda
// taking a completion token, ...) or an asio::awaitable, which is co_spawn'ed
// on the default runtime. It returns at once with the IAsyncResultPtr; when
// the operation completes, the result is stored, the wait handle signalled
// and the callback invoked with it, by the rules of the apm token
// (core/apm_token.hpp).
//
// End<T>(ar) waits for the operation and returns its value, T, by end()'s
// rules (core/apm_token.hpp): a leading error_code or exception_ptr of the
// completion signature is the failure, thrown as the .NET exception mapped
// from the error_code, or rethrown unchanged; the rest is the value (void, a
// type, or std::tuple of several). End<T> with another T than the operation
// produces, a result that Begin did not return, or a second End throw
// InvalidOperationException; a null result ArgumentNullException. End called
// on the only thread able to run the completion (inside its strand, say)
// throws InvalidOperationException instead of hanging (see apm_token.hpp).
//
// .NET's rule for a finished task holds: an operation that completes while
// Begin is still running (Task::FromResult, a TaskCompletionSource already
// set, FromAsync over a synchronous Begin) completes synchronously:
// CompletedSynchronously() is true and the callback has run, inline, on the
// calling thread before Begin returns. Other operations complete later,
// through the executor that runs their completion.
//
// A TaskOf<T> is an operation Begin accepts, and End<T> also accepts the
// task's own IAsyncResult (task.AsIAsyncResult()): it waits for the task and
// returns its value or rethrows its failure unwrapped, any number of times.
//
// Thread-safety: Begin and End may be called from any thread.
#ifndef DOTASYNC_TAP_TASK_TO_ASYNC_RESULT_HPP
#define DOTASYNC_TAP_TASK_TO_ASYNC_RESULT_HPP

#include <dotasync/core/apm_token.hpp>
#include <dotasync/core/detail/handler_wrapper.hpp>
#include <dotasync/core/export.hpp>
#include <dotasync/tap/detail/operation.hpp>
#include <dotasync/tap/detail/task_state.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include <boost/asio/async_result.hpp>

#include <any>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

namespace dotasync {

namespace detail {

// The address of this object identifies TaskToAsyncResult::Begin as the
// method that began a result, for End's ownership check.
DOTASYNC_API inline constexpr char task_to_async_result_tag = 0;

// Every operation's completion is stored in one shape per value type, so that
// End<T> needs to know only T. The value travels in an optional so that T need
// not be default constructible.
template <class T>
struct task_result_signature {
    using type = void(std::exception_ptr, std::optional<T>);
};

template <>
struct task_result_signature<void> {
    using type = void(std::exception_ptr);
};

template <class T>
using task_result_signature_t = typename task_result_signature<T>::type;

// Converts the operation's completion into that shape and passes it on to the
// apm handler.
template <class Handler, class Signature>
class task_result_handler : public handler_wrapper<Handler> {
public:
    using handler_wrapper<Handler>::handler_wrapper;

    template <class... Values>
    void operator()(Values&&... values)
    {
        auto [failure, value] = split_completion<Signature>(std::forward<Values>(values)...);
        if constexpr (std::is_void_v<typename signature_traits<Signature>::result_type>)
            std::move(handler_)(std::move(failure));
        else
            std::move(handler_)(std::move(failure), std::move(value));
    }

private:
    using handler_wrapper<Handler>::handler_;
};

// Wraps the operation's initiation; exposes its executor, which the apm token
// keeps for End's deadlock check.
template <class Initiation, class Signature>
class task_result_initiation {
public:
    explicit task_result_initiation(Initiation initiation) : initiation_(std::move(initiation)) {}

    auto get_executor() const noexcept
        requires requires(const Initiation& i) { i.get_executor(); }
    {
        return initiation_.get_executor();
    }

    template <class Handler, class... Args>
    void operator()(Handler&& handler, Args&&... args)
    {
        std::move(initiation_)(task_result_handler<std::decay_t<Handler>, Signature>(std::forward<Handler>(handler)),
                               std::forward<Args>(args)...);
    }

private:
    Initiation initiation_;
};

// The completion token Begin hands the operation.
template <class T>
struct task_result_token {
    apm token_;
};

} // namespace detail

struct TaskToAsyncResult {
    TaskToAsyncResult() = delete;

    template <detail::task_operation Operation>
    static IAsyncResultPtr Begin(Operation&& task, AsyncCallback callback, std::any state)
    {
        using value_type = detail::operation_value_t<std::decay_t<Operation>>;
        detail::task_result_token<value_type> token{
            detail::bind_apm_owner(apm(std::move(callback), std::move(state)), nullptr,
                                   &detail::task_to_async_result_tag)};
        // The token has no executor: an awaitable runs on the default runtime.
        return detail::launch_operation(std::forward<Operation>(task), ThreadPool::Executor(), std::move(token));
    }

    template <class T = void>
    static T End(const IAsyncResultPtr& asyncResult)
    {
        // A task is an IAsyncResult of its own: End waits for it and unwraps
        // its outcome, as .NET's End does for a Task.
        if (const auto* state = dynamic_cast<const detail::task_state<T>*>(asyncResult.get())) {
            const auto& task = *state;
            task.wait();
            if (const auto& failure = task.failure())
                std::rethrow_exception(failure);
            if constexpr (!std::is_void_v<T>)
                return task.value();
            else
                return;
        }
        if constexpr (std::is_void_v<T>) {
            detail::end_operation<detail::task_result_signature_t<T>>(asyncResult, nullptr,
                                                                       &detail::task_to_async_result_tag);
        } else {
            return std::move(*detail::end_operation<detail::task_result_signature_t<T>>(
                asyncResult, nullptr, &detail::task_to_async_result_tag));
        }
    }
};

} // namespace dotasync

namespace boost::asio {

template <class T, class R, class... Args>
class async_result<dotasync::detail::task_result_token<T>, R(Args...)> {
public:
    using return_type = dotasync::IAsyncResultPtr;

    template <class Initiation, class RawToken, class... InitArgs>
    static return_type initiate(Initiation&& initiation, RawToken&& token, InitArgs&&... args)
    {
        dotasync::apm inner = std::forward<RawToken>(token).token_;
        return async_initiate<dotasync::apm, dotasync::detail::task_result_signature_t<T>>(
            dotasync::detail::task_result_initiation<std::decay_t<Initiation>, R(Args...)>(
                std::forward<Initiation>(initiation)),
            inner, std::forward<InitArgs>(args)...);
    }
};

} // namespace boost::asio

#endif
