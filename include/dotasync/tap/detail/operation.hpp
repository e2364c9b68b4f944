// What the Task helpers share: which objects count as an operation, what value
// an operation produces, and how one is launched.
#ifndef DOTASYNC_TAP_DETAIL_OPERATION_HPP
#define DOTASYNC_TAP_DETAIL_OPERATION_HPP

#include <dotasync/core/detail/completion_traits.hpp>
#include <dotasync/core/detail/handler_completion.hpp>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>

#include <exception>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

namespace dotasync::detail {

template <class T>
struct is_awaitable : std::false_type {};

template <class T, class Executor>
struct is_awaitable<boost::asio::awaitable<T, Executor>> : std::true_type {};

// An operation the Task helpers accept: an Asio asynchronous operation (a
// deferred operation such as timer.async_wait(asio::deferred), or any callable
// that initiates one when given a completion token), or an asio::awaitable,
// which is co_spawn'ed when the helper starts.
template <class Op>
concept task_operation =
    is_awaitable<std::decay_t<Op>>::value || boost::asio::is_async_operation<std::decay_t<Op>>::value;

// void(std::exception_ptr, T), or void(std::exception_ptr) when T is void:
// the completion signature of the Task helpers that produce one value.
template <class T>
struct value_signature {
    using type = void(std::exception_ptr, T);
};

template <>
struct value_signature<void> {
    using type = void(std::exception_ptr);
};

template <class T>
using value_signature_t = typename value_signature<T>::type;

template <class Op>
struct operation_signature {
    using type = boost::asio::completion_signature_of_t<std::decay_t<Op>>;
};

template <class T, class Executor>
struct operation_signature<boost::asio::awaitable<T, Executor>> {
    using type = value_signature_t<T>;
};

template <class Op>
using operation_signature_t = typename operation_signature<std::decay_t<Op>>::type;

template <class Op>
using operation_value_t = typename signature_traits<operation_signature_t<Op>>::result_type;

// The value an operation contributes to a tuple or variant of results:
// std::monostate stands for void.
template <class T>
using value_or_monostate_t = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

// Turns the arguments an operation completed with into (failure, value).
template <class Signature, class... Values>
auto split_completion(Values&&... values)
{
    using traits = signature_traits<Signature>;
    using value_type = value_or_monostate_t<typename traits::result_type>;
    typename traits::values_type stored(std::forward<Values>(values)...);
    std::exception_ptr failure = traits::failure(stored);
    if (failure)
        return std::pair<std::exception_ptr, std::optional<value_type>>(std::move(failure), std::nullopt);
    if constexpr (std::is_void_v<typename traits::result_type>) {
        return std::pair<std::exception_ptr, std::optional<value_type>>(nullptr, value_type());
    } else {
        return std::pair<std::exception_ptr, std::optional<value_type>>(nullptr, traits::take(std::move(stored)));
    }
}

// Starts op with token (a handler, or a completion token) and returns what
// the initiating function returns. An awaitable is co_spawn'ed on the token's
// associated executor, or on fallback when it has none. An operation passed
// as an lvalue is copied first: a deferred operation can be started only
// from an rvalue, and the caller keeps its own.
template <class Op, class Executor, class Token>
decltype(auto) launch_operation(Op&& op, const Executor& fallback, Token&& token)
{
    using op_type = std::decay_t<Op>;
    if constexpr (is_awaitable<op_type>::value) {
        using awaitable_executor = typename op_type::executor_type;
        auto executor = awaitable_executor(boost::asio::get_associated_executor(token, fallback));
        return boost::asio::co_spawn(executor, std::forward<Op>(op), std::forward<Token>(token));
    } else if constexpr (std::is_lvalue_reference_v<Op>) {
        op_type copy(op);
        return std::move(copy)(std::forward<Token>(token));
    } else {
        return std::move(op)(std::forward<Token>(token));
    }
}

} // namespace dotasync::detail

#endif
