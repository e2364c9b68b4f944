// Delegate<R(Args...)>: a callable that can be invoked asynchronously the way
// .NET delegates are, with BeginInvoke/EndInvoke.
//
//   Delegate<int(int, int&)> d([](int ms, int& threadId) { ...; return ms; });
//   IAsyncResultPtr ar = d.BeginInvoke(3000, threadId, callback, state);
//   int value = d.EndInvoke(threadId, ar);     // blocks, copies threadId back
//
// BeginInvoke copies its arguments and runs the target on the delegate's
// executor (the default runtime unless one was given). EndInvoke takes one
// `T&` for each non-const lvalue-reference parameter of the signature, in
// order, and copies the values the target left in them back into those
// arguments, as .NET does for out and ref parameters. An exception thrown by
// the target is rethrown, unchanged, by EndInvoke. The callback runs on the
// executor's thread right after the target returns.
//
// async_invoke(args..., token) is the one initiating function behind
// BeginInvoke, usable with any Asio completion token. Its completion signature
// is void(std::exception_ptr, R) — void(std::exception_ptr) when R is void —
// with one more argument, std::tuple<out values...>, when the signature has
// reference parameters. Like Asio's co_spawn, it needs R to be default
// constructible, because a failure still passes a value.
//
// EndInvoke throws ArgumentNullException for a null result and
// InvalidOperationException for a result ended twice or begun by another
// delegate (copies of a delegate are the same delegate).
//
// A delegate can also be made from an object and one of its member
// functions, as .NET's `new Caller(obj.Method)`: Delegate<R(Args...)>(&obj,
// &T::Method) (the object must outlive the delegate) or
// Delegate<R(Args...)>(shared_ptr, &T::Method) (the delegate keeps it alive).
// A null object throws ArgumentException, a null member ArgumentNullException.
//
// AsyncDelegate<DelegateType>(ar) returns the delegate whose BeginInvoke
// returned ar, as .NET's ((AsyncResult)ar).AsyncDelegate, so that a callback
// can call EndInvoke without being handed the delegate.
//
// Thread-safety: a Delegate may be invoked from any number of threads at once;
// the target must tolerate that, as in .NET.
#ifndef DOTASYNC_APM_DELEGATE_HPP
#define DOTASYNC_APM_DELEGATE_HPP

#include <dotasync/apm/detail/delegate_invoker.hpp>
#include <dotasync/core/apm_token.hpp>
#include <dotasync/core/detail/check_executor.hpp>
#include <dotasync/core/detail/apm_result_base.hpp>
#include <dotasync/core/exceptions.hpp>
#include <dotasync/core/state_cast.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>

#include <any>
#include <concepts>
#include <functional>
#include <memory>
#include <type_traits>
#include <typeinfo>
#include <utility>

namespace dotasync {

template <class Signature>
class Delegate;

template <class R, class... Args>
class Delegate<R(Args...)>
    : public detail::delegate_end_invoke<Delegate<R(Args...)>, R, detail::out_parameters_t<Args...>> {
    using target_type = detail::delegate_target<R(Args...)>;
    using invoker = detail::delegate_invoker<R(Args...)>;

public:
    using executor_type = boost::asio::any_io_executor;
    using completion_signature = typename invoker::completion_signature;
    using signature = R(Args...);

    template <class F>
        requires(!std::is_same_v<std::decay_t<F>, Delegate> && std::is_invocable_r_v<R, std::decay_t<F>&, Args...>)
    Delegate(F callable) // NOLINT: implicit, as a lambda converts to a .NET delegate
        : target_(make_target(executor_type(), std::move(callable)))
    {
    }

    template <class F>
        requires std::is_invocable_r_v<R, std::decay_t<F>&, Args...>
    Delegate(executor_type executor, F callable) : target_(make_target(checked(std::move(executor)), std::move(callable)))
    {
    }

    // .NET's `new Caller(obj.Method)`: the member function method of object.
    // The object must outlive the delegate and every call begun on it.
    template <class T, class M>
        requires std::is_member_function_pointer_v<M> && std::is_invocable_r_v<R, M, T*, Args...>
    Delegate(T* object, M method) : target_(make_target(executor_type(), bound(object, method)))
    {
    }

    // The same with shared ownership: the delegate keeps the object alive, as
    // a .NET delegate keeps its target.
    template <class T, class M>
        requires std::is_member_function_pointer_v<M> && std::is_invocable_r_v<R, M, T*, Args...>
    Delegate(std::shared_ptr<T> object, M method) : target_(make_target(executor_type(), bound(object, method)))
    {
    }

    // Runs the target on the calling thread.
    R Invoke(Args... args) const { return target_->invoke(std::forward<Args>(args)...); }

    // The APM face: starts the call on the delegate's executor.
    IAsyncResultPtr BeginInvoke(Args... args, AsyncCallback callback, std::any state) const
    {
        return async_invoke(std::forward<Args>(args)...,
                            detail::bind_apm_owner(apm(std::move(callback), std::move(state)), target_.get(),
                                                   &detail::invoke_method_tag<R(Args...)>, target_));
    }

    // The initiating function: any completion token.
    template <class CompletionToken>
    auto async_invoke(Args... args, CompletionToken&& token) const
    {
        return boost::asio::async_initiate<CompletionToken, completion_signature>(
            typename invoker::initiation{target_, get_executor()}, token,
            typename invoker::stored_arguments(std::forward<Args>(args)...));
    }

    executor_type get_executor() const { return target_->executor ? target_->executor : ThreadPool::Executor(); }

private:
    friend class detail::delegate_end_invoke<Delegate, R, detail::out_parameters_t<Args...>>;
    template <class DelegateType>
    friend DelegateType AsyncDelegate(const IAsyncResultPtr& asyncResult);

    explicit Delegate(std::shared_ptr<target_type> target) noexcept : target_(std::move(target)) {}

    static executor_type checked(executor_type executor)
    {
        detail::check_executor(executor);
        return executor;
    }

    template <class Object, class M>
    static auto bound(Object object, M method)
    {
        if (object == nullptr)
            throw ArgumentException("Delegate to an instance method cannot have null 'this'.", "target");
        if (method == nullptr)
            throw ArgumentNullException("method");
        return [object = std::move(object), method](Args... args) -> R {
            return std::invoke(method, &*object, std::forward<Args>(args)...);
        };
    }

    template <class F>
    static std::shared_ptr<target_type> make_target(executor_type executor, F callable)
    {
        // Function pointers, member pointers and std::function can be null;
        // .NET has no null delegate object, so refuse one at construction.
        if constexpr (requires(const F& f) {
                          { f == nullptr } -> std::convertible_to<bool>;
                      }) {
            if (callable == nullptr)
                throw ArgumentNullException("method");
        }
        return std::make_shared<detail::delegate_target_impl<F, R(Args...)>>(std::move(executor),
                                                                               std::move(callable));
    }

    template <class... Outs>
    R end_invoke(const IAsyncResultPtr& ar, Outs&... outs) const
    {
        constexpr const void* method = &detail::invoke_method_tag<R(Args...)>;
        if constexpr (std::is_void_v<decltype(detail::end_operation<completion_signature>(ar, nullptr, nullptr))>)
            detail::end_operation<completion_signature>(ar, target_.get(), method);
        else
            return invoker::finish(detail::end_operation<completion_signature>(ar, target_.get(), method), outs...);
    }

    std::shared_ptr<target_type> target_;
};

template <class T>
struct is_delegate : std::false_type {};
template <class Signature>
struct is_delegate<Delegate<Signature>> : std::true_type {};

// .NET's ((AsyncResult)asyncResult).AsyncDelegate: the delegate whose
// BeginInvoke returned asyncResult (a copy of it, which is the same
// delegate). The result keeps the delegate alive. Throws
// ArgumentNullException for a null result and InvalidCastException for a
// result that a BeginInvoke of a DelegateType did not return.
template <class DelegateType>
DelegateType AsyncDelegate(const IAsyncResultPtr& asyncResult)
{
    static_assert(is_delegate<DelegateType>::value, "AsyncDelegate<T> reads a Delegate<Signature> back");
    using target_type = typename DelegateType::target_type;
    if (!asyncResult)
        throw ArgumentNullException("asyncResult");
    const auto* result = dynamic_cast<const detail::apm_result_base*>(asyncResult.get());
    const detail::apm_extras* extras = result != nullptr ? result->extras() : nullptr;
    if (extras == nullptr || extras->method != &detail::invoke_method_tag<typename DelegateType::signature> ||
        !extras->origin)
        detail::throw_invalid_cast(typeid(*asyncResult), typeid(DelegateType));
    return DelegateType(std::static_pointer_cast<target_type>(std::const_pointer_cast<void>(extras->origin)));
}

} // namespace dotasync

#endif
