// Asio glue for the apm token: the async_result specialisation and the handler
// it hands to an initiating function.
#ifndef DOTASYNC_CORE_IMPL_APM_TOKEN_HPP
#define DOTASYNC_CORE_IMPL_APM_TOKEN_HPP

#include <dotasync/core/detail/apm_result.hpp>
#include <dotasync/core/exceptions.hpp>

#include <boost/asio/async_result.hpp>

#include <memory>
#include <utility>

namespace dotasync {
namespace detail {

struct apm_access {
    static apm with_owner(apm token, const void* owner, const void* method) noexcept
    {
        token.owner_ = owner;
        token.method_ = method;
        return token;
    }

    template <class Signature>
    static std::shared_ptr<apm_result<Signature>> make_result(apm&& token)
    {
        return std::make_shared<apm_result<Signature>>(std::move(token.callback_), std::move(token.state_),
                                                       token.owner_, token.method_);
    }
};

// The completion handler an apm-token operation receives. Move-only; exactly
// one of invocation or destruction completes the result.
template <class Signature>
class apm_handler;

template <class R, class... Args>
class apm_handler<R(Args...)> {
public:
    explicit apm_handler(std::shared_ptr<apm_result<R(Args...)>> result) noexcept
        : result_(std::move(result))
    {
    }

    apm_handler(apm_handler&&) noexcept = default;
    apm_handler& operator=(apm_handler&&) = delete;
    apm_handler(const apm_handler&) = delete;
    apm_handler& operator=(const apm_handler&) = delete;

    ~apm_handler()
    {
        if (result_)
            result_->abandon(result_);
    }

    template <class... Vs>
    void operator()(Vs&&... values)
    {
        auto result = std::move(result_);
        result->complete(result, std::forward<Vs>(values)...);
    }

private:
    std::shared_ptr<apm_result<R(Args...)>> result_;
};

// Begins an operation for a BeginXxx method: the result remembers (owner,
// method) so that end_operation() with another owner or method is refused.
inline apm bind_apm_owner(apm token, const void* owner, const void* method) noexcept
{
    return apm_access::with_owner(std::move(token), owner, method);
}

// What an EndXxx method calls: the .NET checks, the wait, then the result.
template <class Signature>
auto end_operation(const IAsyncResultPtr& ar, const void* owner, const void* method)
{
    auto* typed = dynamic_cast<apm_result<Signature>*>(&apm_result_base::checked(ar, owner, method));
    if (typed == nullptr)
        throw InvalidOperationException(
            "The IAsyncResult was not returned by the asynchronous operation this End method ends.");
    typed->end_and_wait();
    return typed->take();
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
        auto result = dotasync::detail::apm_access::make_result<R(Args...)>(
            dotasync::apm(std::forward<RawToken>(token)));
        // The handler has no executor of its own, so the operation completes
        // on its initiation's executor, when it has one: End checks it.
        if constexpr (requires { initiation.get_executor(); })
            result->capture_completion_executor(initiation.get_executor());
        {
            dotasync::detail::apm_result_base::initiation_scope scope(*result);
            std::forward<Initiation>(initiation)(dotasync::detail::apm_handler<R(Args...)>(result),
                                                 std::forward<InitArgs>(args)...);
        }
        return result;
    }
};

} // namespace boost::asio

#endif
