// TaskFactory::FromAsync: any .NET-style Begin/End pair, as an Asio operation
// (so that co_await, use_future and every other completion token work on
// legacy APM code).
//
//   int n = co_await TaskFactory::FromAsync(
//       [&](std::vector<char>& buf, int offset, int count, AsyncCallback cb, std::any state) {
//           return stream.BeginRead(buf, offset, count, cb, state); },
//       [&](const IAsyncResultPtr& ar) { return stream.EndRead(ar); },
//       std::ref(buffer), 0, 100, asio::use_awaitable);
//
// FromAsync(beginMethod, endMethod, args..., token) calls
// beginMethod(args..., AsyncCallback, std::any state) with copies of args and
// an empty state, and endMethod(ar) once the operation has completed; R is
// what endMethod returns. Completion signature: void(std::exception_ptr, R),
// or void(std::exception_ptr) when R is void; an exception thrown by
// endMethod is the completion's exception_ptr, unchanged, so its original type
// reaches the catch clause.
//
// As .NET's FromAsync does, when the begin method completes synchronously
// (CompletedSynchronously() true, the callback already run inline), the
// callback leaves the result alone and endMethod is called on the initiating
// thread once beginMethod has returned; the operation is then finished, and
// completes as Task::FromResult does: a handler without an executor of its
// own runs at once, inline, and one with an executor is posted to it.
// Otherwise endMethod runs on the thread that calls the callback, and the
// handler is dispatched to its executor from there (a handler without an
// executor runs on that thread).
//
// A Begin/End pair of member functions ports .NET's
// Task.Factory.FromAsync(stream.BeginRead, stream.EndRead, buffer, 0, n, null)
// as one call, the object after the two members:
//
//   int n = co_await TaskFactory::FromAsync(&Stream::BeginRead, &Stream::EndRead, stream,
//                                           buffer, 0, 100, asio::use_awaitable);
//
// The arguments are passed to the begin method as given: an lvalue (the
// buffer) by reference, so it must outlive the operation, as in .NET; the
// object too. A member function template (Stream::BeginRead) is chosen by the
// arguments' types, so they must match its parameters (an int count, not a
// std::size_t).
//
// Argument errors are synchronous: an empty beginMethod or endMethod throws
// ArgumentNullException, and an exception thrown by beginMethod (which
// validates its arguments, rule 1 of the APM) leaves FromAsync itself, before
// anything has started. A begin method that returns a null IAsyncResult
// completes the operation with InvalidOperationException. An APM operation
// cannot be canceled, so FromAsync ignores the handler's cancellation slot.
//
// Thread-safety: FromAsync may be called from any thread.
#ifndef DOTASYNC_TAP_TASK_FACTORY_HPP
#define DOTASYNC_TAP_TASK_FACTORY_HPP

#include <dotasync/core/exceptions.hpp>
#include <dotasync/core/export.hpp>
#include <dotasync/core/iasync_result.hpp>
#include <dotasync/tap/detail/operation.hpp>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>

#include <any>
#include <atomic>
#include <concepts>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <tuple>
#include <type_traits>
#include <utility>

namespace dotasync {

namespace detail {

template <class End>
using from_async_result_t = std::remove_cvref_t<std::invoke_result_t<std::decay_t<End>&, const IAsyncResultPtr&>>;

// Defined in lib/tap/task_factory.cpp.
DOTASYNC_API std::exception_ptr null_async_result_error();

template <class F>
void throw_if_null_method(const F& method, const char* name)
{
    if constexpr (requires {
                      { method == nullptr } -> std::convertible_to<bool>;
                  }) {
        if (method == nullptr)
            throw ArgumentNullException(name);
    }
}

// One FromAsync call; shared between the callback and the initiation, which
// race to finish it when the operation completes on another thread right
// away. finish() runs End exactly once.
template <class Handler, class End>
class from_async_operation {
    using result_type = from_async_result_t<End>;
    using executor_type = boost::asio::associated_executor_t<Handler>;

public:
    from_async_operation(Handler handler, End end)
        : handler_(std::move(handler)),
          end_(std::move(end)),
          work_(boost::asio::make_work_guard(boost::asio::get_associated_executor(handler_)))
    {
    }

    // synchronously: the operation completed inside Begin, and finish() runs
    // on the initiating thread.
    void finish(const IAsyncResultPtr& ar, bool synchronously)
    {
        if (finished_.exchange(true, std::memory_order_acq_rel))
            return;
        std::exception_ptr error;
        if constexpr (std::is_void_v<result_type>) {
            try {
                std::invoke(end_, ar);
            } catch (...) {
                error = std::current_exception();
            }
            deliver(synchronously, std::move(error));
        } else {
            result_type value{};
            try {
                value = std::invoke(end_, ar);
            } catch (...) {
                error = std::current_exception();
            }
            deliver(synchronously, std::move(error), std::move(value));
        }
    }

    void fail(std::exception_ptr error)
    {
        if (finished_.exchange(true, std::memory_order_acq_rel))
            return;
        if constexpr (std::is_void_v<result_type>)
            deliver(true, std::move(error));
        else
            deliver(true, std::move(error), result_type());
    }

private:
    template <class... Values>
    void deliver(bool synchronously, Values&&... values)
    {
        if (synchronously) {
            // Finished before FromAsync returned: the rule of a finished
            // operation (detail::complete_now).
            complete_now(std::move(handler_), std::forward<Values>(values)...);
        } else {
            complete_on(work_.get_executor(), std::move(handler_), std::forward<Values>(values)...);
        }
        work_.reset();
    }

    Handler handler_;
    End end_;
    boost::asio::executor_work_guard<executor_type> work_;
    std::atomic<bool> finished_{false};
};

struct from_async_initiation {
    template <class Handler, class Begin, class End, class... Args>
    void operator()(Handler&& handler, Begin begin, End end, std::tuple<Args...> args) const
    {
        using operation_type = from_async_operation<std::decay_t<Handler>, End>;
        auto operation = std::make_shared<operation_type>(std::forward<Handler>(handler), std::move(end));
        AsyncCallback callback = [operation](const IAsyncResultPtr& ar) {
            // A synchronous completion is finished by the initiation, after
            // Begin has returned, so that End never runs inside Begin.
            if (ar && !ar->CompletedSynchronously())
                operation->finish(ar, false);
        };
        IAsyncResultPtr ar = std::apply(
            [&](Args&... values) -> IAsyncResultPtr {
                return std::invoke(begin, std::move(values)..., std::move(callback), std::any());
            },
            args);
        if (!ar)
            operation->fail(null_async_result_error());
        else if (ar->CompletedSynchronously())
            operation->finish(ar, true);
    }
};

// The class of a pointer to member function.
template <class Member>
struct member_class;
template <class R, class C, class... Params>
struct member_class<R (C::*)(Params...)> {
    using type = C;
};
template <class Member>
using member_class_t = typename member_class<Member>::type;

template <class... Ts>
struct member_arguments {};

// The type of a begin member function of class C taking Arguments... (all but
// the last of ArgumentsThenToken, which is the token), then the callback and
// the state. AsConst makes the first argument a reference to const, which is
// how BeginWrite takes its buffer.
template <class C, bool AsConst, class Arguments, class... ArgumentsThenToken>
struct begin_member;

template <class C, bool AsConst, class... Arguments, class Last>
struct begin_member<C, AsConst, member_arguments<Arguments...>, Last> {
    template <class First, class... Rest>
    static auto pick(member_arguments<First, Rest...>)
        -> IAsyncResultPtr (C::*)(std::conditional_t<AsConst, const std::remove_reference_t<First>&, First>, Rest...,
                                  AsyncCallback, std::any);
    static auto pick(member_arguments<>) -> IAsyncResultPtr (C::*)(AsyncCallback, std::any);
    using type = decltype(pick(member_arguments<Arguments...>()));
};

template <class C, bool AsConst, class... Arguments, class Next, class... More>
struct begin_member<C, AsConst, member_arguments<Arguments...>, Next, More...>
    : begin_member<C, AsConst, member_arguments<Arguments..., Next>, More...> {};

template <class End, bool AsConst, class... ArgumentsThenToken>
using begin_member_t =
    typename begin_member<member_class_t<End>, AsConst, member_arguments<>, ArgumentsThenToken...>::type;

// A buffer is passed by reference to the begin method; std::ref keeps
// FromAsync from copying it.
template <class T>
auto by_reference(T&& value)
{
    if constexpr (std::is_lvalue_reference_v<T>)
        return std::ref(value);
    else
        return std::forward<T>(value);
}

template <class First, class... Rest>
inline constexpr bool first_is_mutable_lvalue =
    std::is_lvalue_reference_v<First> && !std::is_const_v<std::remove_reference_t<First>>;

} // namespace detail

struct TaskFactory {
    TaskFactory() = delete;

    template <class Begin, class End, class... ArgumentsThenToken>
        requires(sizeof...(ArgumentsThenToken) >= 1 &&
                 std::is_invocable_v<std::decay_t<End>&, const IAsyncResultPtr&>)
    static auto FromAsync(Begin&& beginMethod, End&& endMethod, ArgumentsThenToken&&... argumentsThenToken)
    {
        using result_type = detail::from_async_result_t<End>;
        static_assert(std::is_void_v<result_type> || std::is_default_constructible_v<result_type>,
                      "FromAsync passes a value even on failure, so what the end method returns must be default "
                      "constructible");
        using signature = detail::value_signature_t<result_type>;

        detail::throw_if_null_method(beginMethod, "beginMethod");
        detail::throw_if_null_method(endMethod, "endMethod");

        constexpr std::size_t count = sizeof...(ArgumentsThenToken) - 1;
        auto arguments = std::forward_as_tuple(std::forward<ArgumentsThenToken>(argumentsThenToken)...);
        return [&]<std::size_t... I>(std::index_sequence<I...>) {
            using types = std::tuple<ArgumentsThenToken...>;
            using token_type = std::tuple_element_t<count, types>;
            using stored = std::tuple<std::decay_t<std::tuple_element_t<I, types>>...>;
            static_assert(std::is_invocable_r_v<IAsyncResultPtr, std::decay_t<Begin>&,
                                                std::decay_t<std::tuple_element_t<I, types>>..., AsyncCallback,
                                                std::any>,
                          "beginMethod must accept (args..., AsyncCallback, std::any) and return an IAsyncResultPtr");
            return boost::asio::async_initiate<token_type, signature>(
                detail::from_async_initiation(), std::get<count>(arguments), std::forward<Begin>(beginMethod),
                std::forward<End>(endMethod),
                stored(std::forward<std::tuple_element_t<I, types>>(std::get<I>(arguments))...));
        }(std::make_index_sequence<count>());
    }

    // FromAsync(&Class::BeginXxx, &Class::EndXxx, object, args..., token).
    template <class End, class Object, class... ArgumentsThenToken>
        requires(std::is_member_function_pointer_v<End> && sizeof...(ArgumentsThenToken) >= 1 &&
                 std::is_base_of_v<detail::member_class_t<End>, Object>)
    static auto FromAsync(detail::begin_member_t<End, false, ArgumentsThenToken...> beginMethod, End endMethod,
                          Object& object, ArgumentsThenToken&&... argumentsThenToken)
    {
        return from_members(beginMethod, endMethod, object, std::forward<ArgumentsThenToken>(argumentsThenToken)...);
    }

    // The same, for a begin method that takes its first argument (a buffer
    // it only reads) as a reference to const: BeginWrite.
    template <class End, class Object, class... ArgumentsThenToken>
        requires(std::is_member_function_pointer_v<End> && sizeof...(ArgumentsThenToken) >= 2 &&
                 std::is_base_of_v<detail::member_class_t<End>, Object> &&
                 detail::first_is_mutable_lvalue<ArgumentsThenToken...>)
    static auto FromAsync(detail::begin_member_t<End, true, ArgumentsThenToken...> beginMethod, End endMethod,
                          Object& object, ArgumentsThenToken&&... argumentsThenToken)
    {
        return from_members(beginMethod, endMethod, object, std::forward<ArgumentsThenToken>(argumentsThenToken)...);
    }

private:
    template <class BeginMember, class End, class Object, class... ArgumentsThenToken>
    static auto from_members(BeginMember beginMethod, End endMethod, Object& object,
                             ArgumentsThenToken&&... argumentsThenToken)
    {
        if (beginMethod == nullptr)
            throw ArgumentNullException("beginMethod");
        if (endMethod == nullptr)
            throw ArgumentNullException("endMethod");
        constexpr std::size_t count = sizeof...(ArgumentsThenToken) - 1;
        auto arguments = std::forward_as_tuple(std::forward<ArgumentsThenToken>(argumentsThenToken)...);
        return [&]<std::size_t... I>(std::index_sequence<I...>) {
            return FromAsync(
                [&object, beginMethod](auto&&... values) {
                    return (object.*beginMethod)(std::unwrap_reference_t<std::decay_t<decltype(values)>>(values)...);
                },
                [&object, endMethod](const IAsyncResultPtr& ar) { return (object.*endMethod)(ar); },
                detail::by_reference<std::tuple_element_t<I, std::tuple<ArgumentsThenToken...>>>(
                    std::forward<std::tuple_element_t<I, std::tuple<ArgumentsThenToken...>>>(std::get<I>(arguments)))...,
                std::get<count>(arguments));
        }(std::make_index_sequence<count>());
    }
};

} // namespace dotasync

#endif
