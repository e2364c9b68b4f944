// The machinery behind Delegate: type-erased targets, the initiation that
// runs a target on an executor, and the EndInvoke signature built from the
// delegate's reference parameters.
#ifndef DOTASYNC_APM_DETAIL_DELEGATE_INVOKER_HPP
#define DOTASYNC_APM_DETAIL_DELEGATE_INVOKER_HPP

#include <dotasync/core/export.hpp>
#include <dotasync/core/iasync_result.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>

#include <exception>
#include <functional>
#include <memory>
#include <tuple>
#include <type_traits>
#include <utility>

namespace dotasync::detail {

// The address of this object identifies "Invoke" of a delegate of this
// signature as the method that began a result, for EndInvoke's ownership
// check and for AsyncDelegate's type check.
template <class Signature>
DOTASYNC_API inline constexpr char invoke_method_tag = 0;

template <class... Ts>
struct type_list {};

template <class T>
inline constexpr bool is_out_parameter_v =
    std::is_lvalue_reference_v<T> && !std::is_const_v<std::remove_reference_t<T>>;

// The decayed types of the non-const lvalue-reference parameters, in order:
// .NET's out and ref parameters.
template <class List, class... Args>
struct collect_out_parameters {
    using type = List;
};
template <class... Done, class First, class... Rest>
struct collect_out_parameters<type_list<Done...>, First, Rest...> {
    using type = typename collect_out_parameters<
        std::conditional_t<is_out_parameter_v<First>, type_list<Done..., std::decay_t<First>>, type_list<Done...>>,
        Rest...>::type;
};

template <class... Args>
using out_parameters_t = typename collect_out_parameters<type_list<>, Args...>::type;

// The completion signature of async_invoke: (error, [value], [out values]).
template <class R, class OutsTuple, bool HasOuts>
struct invoke_signature {
    using type = void(std::exception_ptr, R, OutsTuple);
};
template <class R, class OutsTuple>
struct invoke_signature<R, OutsTuple, false> {
    using type = void(std::exception_ptr, R);
};
template <class OutsTuple>
struct invoke_signature<void, OutsTuple, true> {
    using type = void(std::exception_ptr, OutsTuple);
};
template <class OutsTuple>
struct invoke_signature<void, OutsTuple, false> {
    using type = void(std::exception_ptr);
};

template <class Signature>
class delegate_target;

// What a delegate is: its target and the executor it runs on (empty for the
// default runtime). Copies of a Delegate share one, so that they are the same
// delegate, and a result begun by BeginInvoke keeps it for AsyncDelegate.
template <class R, class... Args>
class delegate_target<R(Args...)> {
public:
    explicit delegate_target(boost::asio::any_io_executor executor) : executor(std::move(executor)) {}
    virtual ~delegate_target() = default;
    virtual R invoke(Args... args) = 0;

    const boost::asio::any_io_executor executor;
};

template <class F, class Signature>
class delegate_target_impl;

template <class F, class R, class... Args>
class delegate_target_impl<F, R(Args...)> final : public delegate_target<R(Args...)> {
public:
    delegate_target_impl(boost::asio::any_io_executor executor, F f)
        : delegate_target<R(Args...)>(std::move(executor)), f_(std::move(f))
    {
    }

    R invoke(Args... args) override
    {
        if constexpr (std::is_void_v<R>)
            std::invoke(f_, std::forward<Args>(args)...);
        else
            return std::invoke(f_, std::forward<Args>(args)...);
    }

private:
    F f_;
};

// Passes a stored copy to the target: by reference for reference parameters
// (so that out values land in the copy), by move for value parameters (so that
// move-only arguments work).
template <class Arg, class Stored>
decltype(auto) pass_stored(Stored& stored) noexcept
{
    if constexpr (std::is_lvalue_reference_v<Arg>)
        return static_cast<Stored&>(stored);
    else
        return static_cast<Stored&&>(stored);
}

// Stands in for an executor, to tell whether a handler has one of its own:
// get_associated_executor returns the fallback it is given only when the
// handler has none.
struct no_executor {};

template <class Handler>
inline constexpr bool has_no_executor_v =
    std::is_same_v<boost::asio::associated_executor_t<Handler, no_executor>, no_executor>;

template <class Signature, class OutList>
struct delegate_invoker_base;

template <class R, class... Args, class... Outs>
struct delegate_invoker_base<R(Args...), type_list<Outs...>> {
    static_assert(std::is_void_v<R> || std::is_default_constructible_v<R>,
                  "async_invoke passes a value even on failure, so R must be default constructible");
    static_assert(!std::is_reference_v<R>, "a delegate that returns a reference cannot be invoked asynchronously");

    static constexpr bool has_outs = sizeof...(Outs) > 0;
    using outs_type = std::tuple<Outs...>;
    using stored_arguments = std::tuple<std::decay_t<Args>...>;
    using completion_signature = typename invoke_signature<R, outs_type, has_outs>::type;

    // Gathers the out values, in parameter order, from the stored copies.
    template <std::size_t I = 0, class... Taken>
    static outs_type take_outs(stored_arguments& stored, Taken&&... taken)
    {
        if constexpr (I == sizeof...(Args)) {
            return outs_type(std::forward<Taken>(taken)...);
        } else if constexpr (is_out_parameter_v<std::tuple_element_t<I, std::tuple<Args...>>>) {
            return take_outs<I + 1>(stored, std::forward<Taken>(taken)..., std::move(std::get<I>(stored)));
        } else {
            return take_outs<I + 1>(stored, std::forward<Taken>(taken)...);
        }
    }

    template <std::size_t... I>
    static decltype(auto) call(delegate_target<R(Args...)>& target, stored_arguments& stored,
                               std::index_sequence<I...>)
    {
        return target.invoke(pass_stored<Args>(std::get<I>(stored))...);
    }

    // Runs the target and passes the completion arguments to complete.
    template <class Complete>
    static void run(delegate_target<R(Args...)>& target, stored_arguments& stored, Complete&& complete)
    {
        constexpr auto indices = std::index_sequence_for<Args...>{};
        std::exception_ptr error;
        if constexpr (std::is_void_v<R>) {
            try {
                call(target, stored, indices);
            } catch (...) {
                error = std::current_exception();
            }
            if constexpr (has_outs)
                complete(error, take_outs(stored));
            else
                complete(error);
        } else {
            R value{};
            try {
                value = call(target, stored, indices);
            } catch (...) {
                error = std::current_exception();
            }
            if constexpr (has_outs)
                complete(error, std::move(value), take_outs(stored));
            else
                complete(error, std::move(value));
        }
    }

    // Turns what end() returned into EndInvoke's result, copying out values
    // into the caller's references.
    template <class Ended, class... OutRefs>
    static R finish(Ended&& ended, OutRefs&... outs)
    {
        if constexpr (std::is_void_v<R>) {
            if constexpr (has_outs)
                std::tie(outs...) = std::forward<Ended>(ended);
        } else if constexpr (has_outs) {
            std::tie(outs...) = std::move(std::get<1>(ended));
            return std::move(std::get<0>(ended));
        } else {
            return std::forward<Ended>(ended);
        }
    }

    class initiation {
    public:
        initiation(std::shared_ptr<delegate_target<R(Args...)>> target, boost::asio::any_io_executor executor)
            : target_(std::move(target)), executor_(std::move(executor))
        {
        }

        using executor_type = boost::asio::any_io_executor;
        const executor_type& get_executor() const noexcept { return executor_; }

        template <class Handler>
        void operator()(Handler&& handler, stored_arguments stored) const&
        {
            start(target_, std::forward<Handler>(handler), std::move(stored));
        }

        template <class Handler>
        void operator()(Handler&& handler, stored_arguments stored) &&
        {
            start(std::move(target_), std::forward<Handler>(handler), std::move(stored));
        }

    private:
        template <class Handler>
        void start(std::shared_ptr<delegate_target<R(Args...)>> target, Handler&& handler,
                   stored_arguments stored) const
        {
            if constexpr (has_no_executor_v<std::decay_t<Handler>>) {
                // A handler without an executor of its own (the apm token's, a
                // plain function object) completes on executor_, where the
                // target has just run: it is called right there, as dispatch
                // would, and the posted function is the only work to count.
                boost::asio::post(executor_, [target = std::move(target), stored = std::move(stored),
                                              handler = std::forward<Handler>(handler)]() mutable {
                    run(*target, stored, [&](auto&&... results) {
                        std::move(handler)(std::forward<decltype(results)>(results)...);
                    });
                });
            } else {
                // The handler's own executor (a coroutine's, a strand) must
                // run the completion, and must not run out of work while the
                // target runs. A tracking copy of that executor, rather than
                // a work guard, holds the work: destroying it releases the
                // strand before the work, whereas a work guard's reset lets
                // the io_context finish and be destroyed while the copy of its
                // strand is still alive here.
                auto work = boost::asio::prefer(boost::asio::get_associated_executor(handler, executor_),
                                                boost::asio::execution::outstanding_work.tracked);
                boost::asio::post(executor_, [target = std::move(target), stored = std::move(stored),
                                              handler = std::forward<Handler>(handler),
                                              work = std::move(work)]() mutable {
                    run(*target, stored, [&](auto&&... results) {
                        boost::asio::dispatch(work, [handler = std::move(handler),
                                                     ... results = std::forward<decltype(results)>(results)]() mutable {
                                                  std::move(handler)(std::move(results)...);
                                              });
                    });
                });
            }
        }

        std::shared_ptr<delegate_target<R(Args...)>> target_;
        boost::asio::any_io_executor executor_;
    };
};

template <class Signature>
struct delegate_invoker;
template <class R, class... Args>
struct delegate_invoker<R(Args...)> : delegate_invoker_base<R(Args...), out_parameters_t<Args...>> {};

// Gives Delegate an EndInvoke whose parameters are one T& per out parameter
// followed by the result.
template <class Derived, class R, class OutList>
class delegate_end_invoke;

template <class Derived, class R, class... Outs>
class delegate_end_invoke<Derived, R, type_list<Outs...>> {
public:
    R EndInvoke(Outs&... outs, const IAsyncResultPtr& asyncResult) const
    {
        return static_cast<const Derived&>(*this).end_invoke(asyncResult, outs...);
    }
};

} // namespace dotasync::detail

#endif
