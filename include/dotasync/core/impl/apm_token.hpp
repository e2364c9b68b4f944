// Asio glue for the apm token: the async_result specialisation and the handler
// it hands to an initiating function.
#ifndef DOTASYNC_CORE_IMPL_APM_TOKEN_HPP
#define DOTASYNC_CORE_IMPL_APM_TOKEN_HPP

#include <dotasync/core/detail/apm_result.hpp>
#include <dotasync/core/detail/inline_completion.hpp>
#include <dotasync/core/detail/move_only.hpp>
#include <dotasync/core/exceptions.hpp>

#include <boost/asio/async_result.hpp>

#include <memory>
#include <utility>

namespace dotasync {
namespace detail {

struct apm_access {
    static apm&& with_owner(apm&& token, const void* owner, const void* method,
                            std::shared_ptr<const void> origin) noexcept
    {
        token.owner_ = owner;
        token.method_ = method;
        token.origin_ = std::move(origin);
        return std::move(token);
    }

    // Makes the result an operation begun with token completes: the small
    // apm_result when the token carries nothing but the operation, the one
    // with extras otherwise.
    template <class Signature, class Token>
    static IAsyncResultPtr make_result(Token&& token)
    {
        // A bound token always names its method (bind_apm_owner), so the
        // method alone tells whether the token is bound.
        if (!token.callback_ && !token.state_.has_value() && token.method_ == nullptr)
            return std::allocate_shared<apm_result<Signature>>(result_allocator<apm_result<Signature>>());
        return std::allocate_shared<apm_result_with_extras<Signature>>(
            result_allocator<apm_result_with_extras<Signature>>(), std::forward<Token>(token).callback_,
            std::forward<Token>(token).state_, token.owner_, token.method_, std::forward<Token>(token).origin_);
    }
};

// The completion handler an apm-token operation receives. Move-only; exactly
// one of invocation or destruction completes the result. It holds the result
// as the IAsyncResultPtr the callback receives, so that completing costs no
// reference count of its own.
template <class Signature>
class apm_handler;

template <class R, class... Args>
class apm_handler<R(Args...)> : move_only {
public:
    explicit apm_handler(IAsyncResultPtr result) noexcept : result_(std::move(result)) {}

    apm_handler(apm_handler&&) noexcept = default;

    ~apm_handler()
    {
        if (result_)
            typed().abandon();
    }

    template <class... Vs>
    void operator()(Vs&&... values)
    {
        const IAsyncResultPtr result = std::move(result_);
        static_cast<apm_result<R(Args...)>&>(*result).complete(result, std::forward<Vs>(values)...);
    }

private:
    apm_result<R(Args...)>& typed() const noexcept { return static_cast<apm_result<R(Args...)>&>(*result_); }

    IAsyncResultPtr result_;
};

// An operation that finishes inside its initiating function completes an APM
// result there: the callback runs inline and CompletedSynchronously() is true.
template <class Signature>
struct completes_inline<apm_handler<Signature>> : std::true_type {};

// Begins an operation for a BeginXxx method: the result remembers (owner,
// method) so that end_operation() with another owner or method is refused.
// method is the address of a tag object naming the method, never null.
// origin, when given, is kept alive with the result and can be handed back
// (Delegate::BeginInvoke and AsyncDelegate). Returns token itself, so that a
// BeginXxx hands the temporary it made to the initiating function without
// moving its callback and state once more.
inline apm&& bind_apm_owner(apm&& token, const void* owner, const void* method,
                            std::shared_ptr<const void> origin = nullptr) noexcept
{
    return apm_access::with_owner(std::move(token), owner, method, std::move(origin));
}

// What an EndXxx method calls: the .NET checks, the wait, then the result.
template <class Signature>
auto end_operation(const IAsyncResultPtr& ar, const void* owner, const void* method)
{
    auto& result = apm_result<Signature>::checked(ar, owner, method);
    result.end_and_wait();
    return result.take();
}

} // namespace detail

template <class Signature>
auto end(const IAsyncResultPtr& ar)
{
    return detail::end_operation<Signature>(ar, nullptr, nullptr);
}

} // namespace dotasync

namespace boost::asio {

template <class R, class... Args>
class async_result<dotasync::apm, R(Args...)> {
public:
    using return_type = dotasync::IAsyncResultPtr;

    template <class Initiation, class RawToken, class... InitArgs>
    static return_type initiate(Initiation&& initiation, RawToken&& token, InitArgs&&... args)
    {
        dotasync::IAsyncResultPtr result =
            dotasync::detail::apm_access::make_result<R(Args...)>(std::forward<RawToken>(token));
        auto& typed = static_cast<dotasync::detail::apm_result<R(Args...)>&>(*result);
        // The handler has no executor of its own, so the operation completes
        // on its initiation's executor, when it has one: End checks it.
        if constexpr (requires { initiation.get_executor(); })
            typed.capture_completion_executor(initiation.get_executor());
        {
            dotasync::detail::apm_result_base::initiation_scope scope(typed);
            std::forward<Initiation>(initiation)(dotasync::detail::apm_handler<R(Args...)>(result),
                                                 std::forward<InitArgs>(args)...);
        }
        return result;
    }
};

} // namespace boost::asio

#endif
