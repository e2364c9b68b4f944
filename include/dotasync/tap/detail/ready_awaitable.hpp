// The fast path of an operation that is finished before it is awaited
// (Task::FromResult, a TaskOf that has completed): with the use_awaitable
// token it becomes a coroutine that returns its value, or throws its failure,
// without suspending. Awaiting it runs it on the awaiting coroutine's own
// thread of execution, as .NET's await continues synchronously on a finished
// task: nothing is posted, so other work queued on the executor does not run
// in between, and Asio's coroutine pump resumes the awaiter from its loop, so
// a long loop of such awaits does not grow the stack either.
#ifndef DOTASYNC_TAP_DETAIL_READY_AWAITABLE_HPP
#define DOTASYNC_TAP_DETAIL_READY_AWAITABLE_HPP

#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <exception>
#include <type_traits>
#include <utility>

namespace dotasync::detail {

template <class Token>
struct use_awaitable_token : std::false_type {};

template <class Executor>
struct use_awaitable_token<boost::asio::use_awaitable_t<Executor>> : std::true_type {
    using executor_type = Executor;
};

// Whether Token is Asio's use_awaitable (for any executor type).
template <class Token>
inline constexpr bool is_use_awaitable_v = use_awaitable_token<std::decay_t<Token>>::value;

template <class Token>
using use_awaitable_executor_t = typename use_awaitable_token<std::decay_t<Token>>::executor_type;

// The awaitable of an operation that has completed with failure (or with
// none): the use_awaitable face of the signature void(std::exception_ptr).
template <class Executor>
boost::asio::awaitable<void, Executor> ready_awaitable(std::exception_ptr failure)
{
    if (failure)
        std::rethrow_exception(std::move(failure));
    co_return;
}

// The awaitable of an operation that has completed with a value: its frame
// holds the value alone.
template <class Executor, class T>
boost::asio::awaitable<T, Executor> value_awaitable(T value)
{
    co_return std::move(value);
}

// The awaitable of an operation that has failed. The value is never
// returned; it gives the coroutine the co_return its type needs.
template <class Executor, class T>
boost::asio::awaitable<T, Executor> failed_awaitable(std::exception_ptr failure, T value)
{
    if (failure)
        std::rethrow_exception(std::move(failure));
    co_return std::move(value);
}

// The same for void(std::exception_ptr, T).
template <class Executor, class T>
boost::asio::awaitable<T, Executor> ready_awaitable(std::exception_ptr failure, T value)
{
    if (failure)
        return failed_awaitable<Executor>(std::move(failure), std::move(value));
    return value_awaitable<Executor>(std::move(value));
}

} // namespace dotasync::detail

#endif // DOTASYNC_TAP_DETAIL_READY_AWAITABLE_HPP
