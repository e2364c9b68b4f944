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
// Argument errors are synchronous: an empty beginMethod or endMethod throws
// ArgumentNullException, and an exception thrown by beginMethod (which
// validates its arguments, rule 1 of the APM) leaves FromAsync itself, before
// anything has started. A begin method that returns a null IAsyncResult
// completes the operation with InvalidOperationException. An APM operation
// cannot be cancelled, so FromAsync ignores the handler's cancellation slot.
//
// Thread-safety: FromAsync may be called from any thread.
#ifndef DOTASYNC_TAP_TASK_FACTORY_HPP
#define DOTASYNC_TAP_TASK_FACTORY_HPP

#include <dotasync/core/exceptions.hpp>
#include <dotasync/core/iasync_result.hpp>
#include <dotasync/tap/detail/operation.hpp>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/dispatch.hpp>
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
std::exception_ptr null_async_result_error();

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
            auto executor = work_.get_executor();
            boost::asio::dispatch(executor, [handler = std::move(handler_),
                                             ... values = std::forward<Values>(values)]() mutable {
                std::move(handler)(std::move(values)...);
            });
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

} // namespace detail

struct TaskFactory {
    TaskFactory() = delete;

    template <class Begin, class End, class... ArgumentsThenToken>
        requires(sizeof...(ArgumentsThenToken) >= 1)
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
};

} // namespace dotasync

#endif
