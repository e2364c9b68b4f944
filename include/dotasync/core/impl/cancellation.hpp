// Asio glue for with_cancellation: the handler and initiation wrappers and the
// async_result specialisation.
#ifndef DOTASYNC_CORE_IMPL_CANCELLATION_HPP
#define DOTASYNC_CORE_IMPL_CANCELLATION_HPP

#include <dotasync/core/detail/cancellation_bridge.hpp>
#include <dotasync/core/detail/cancellation_kind.hpp>
#include <dotasync/core/detail/completion_traits.hpp>
#include <dotasync/core/detail/handler_allocator.hpp>
#include <dotasync/core/detail/handler_wrapper.hpp>
#include <dotasync/core/detail/inline_completion.hpp>
#include <dotasync/core/detail/move_only.hpp>

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/system/error_code.hpp>

#include <exception>
#include <memory>
#include <system_error>
#include <type_traits>
#include <utility>

namespace dotasync::detail {

// The completion signature with_cancellation presents to the completion
// token: a leading error_code becomes an exception_ptr.
template <class Signature>
struct cancellable_signature {
    using type = Signature;
};

template <class R, class First, class... Rest>
    requires is_error_code_v<std::decay_t<First>>
struct cancellable_signature<R(First, Rest...)> {
    using type = R(std::exception_ptr, Rest...);
};

template <class Signature>
using cancellable_signature_t = typename cancellable_signature<Signature>::type;

// The handler the operation receives: its cancellation slot is the bridge's;
// every other associated characteristic (executor, allocator) is the wrapped
// handler's.
template <class Handler>
class cancellable_handler : public handler_wrapper<Handler>, move_only {
public:
    using cancellation_slot_type = boost::asio::cancellation_slot;

    cancellable_handler(Handler handler, std::shared_ptr<cancellation_bridge> bridge) noexcept(
        std::is_nothrow_move_constructible_v<Handler>)
        : handler_wrapper<Handler>(std::move(handler)), bridge_(std::move(bridge))
    {
    }

    cancellable_handler(cancellable_handler&&) noexcept = default;

    ~cancellable_handler()
    {
        // Destroyed without being invoked: the operation was abandoned, and
        // its registration must not outlive it.
        if (bridge_)
            bridge_->finish();
    }

    cancellation_slot_type get_cancellation_slot() const noexcept
    {
        return bridge_ ? bridge_->slot() : cancellation_slot_type();
    }

    template <class... Values>
    void operator()(Values&&... values)
    {
        if (auto bridge = std::move(bridge_))
            bridge->finish();
        invoke(std::forward<Values>(values)...);
    }

private:
    using handler_wrapper<Handler>::handler_;

    void invoke() { std::move(handler_)(); }

    // The failure channel reaches the token's handler as an exception_ptr, and
    // a cancellation as OperationCanceledException, whichever way the
    // operation reported it.
    template <class First, class... Rest>
    void invoke(First&& first, Rest&&... rest)
    {
        if constexpr (is_error_code_v<std::decay_t<First>>)
            std::move(handler_)(failure_of(first), std::forward<Rest>(rest)...);
        else if constexpr (is_exception_ptr_v<std::decay_t<First>>)
            std::move(handler_)(as_operation_canceled(std::forward<First>(first)), std::forward<Rest>(rest)...);
        else
            std::move(handler_)(std::forward<First>(first), std::forward<Rest>(rest)...);
    }

    std::shared_ptr<cancellation_bridge> bridge_;
};

// A token does not change where the operation may complete: inline where the
// wrapped handler accepts it (a coroutine awaiting ReadAsync with a token
// continues at once on data at hand). The bridge allows it: finish() runs
// when the handler is invoked, inside the initiation, and the start() that
// follows the initiation then emits nothing.
template <class Handler>
struct completes_inline<cancellable_handler<Handler>> : completes_inline<Handler> {};

// Wraps the operation's initiation: builds the bridge, hands the operation the
// wrapped handler, then starts the bridge. Exposes the initiation's executor,
// so that what looks for it (the apm token's deadlock check) still finds it.
template <class Initiation>
class cancellable_initiation {
public:
    cancellable_initiation(Initiation initiation, CancellationToken token)
        : initiation_(std::move(initiation)), token_(std::move(token))
    {
    }

    auto get_executor() const noexcept
        requires requires(const Initiation& i) { i.get_executor(); }
    {
        return initiation_.get_executor();
    }

    template <class Handler, class... Args>
    void operator()(Handler&& handler, Args&&... args)
    {
        using handler_type = std::decay_t<Handler>;
        std::shared_ptr<cancellation_bridge> bridge;
        auto outer = boost::asio::get_associated_cancellation_slot(handler);
        constexpr bool forwardable = std::is_same_v<decltype(outer), boost::asio::cancellation_slot>;
        bool forward = false;
        if constexpr (forwardable)
            forward = outer.is_connected();
        if (token_.CanBeCanceled() || forward) {
            bridge = allocate_shared_for<cancellation_bridge>(handler);
            if constexpr (forwardable) {
                if (forward)
                    bridge->forward_from(outer);
            }
            bridge->connect(token_);
        }
        std::move(initiation_)(cancellable_handler<handler_type>(std::forward<Handler>(handler), bridge),
                               std::forward<Args>(args)...);
        if (bridge)
            bridge->start();
    }

private:
    Initiation initiation_;
    CancellationToken token_;
};

} // namespace dotasync::detail

namespace boost::asio {

template <class CompletionToken, class R, class... Args>
class async_result<dotasync::detail::with_cancellation_t<CompletionToken>, R(Args...)> {
    using inner_signature = dotasync::detail::cancellable_signature_t<R(Args...)>;

public:
    template <class Initiation, class RawToken, class... InitArgs>
    static auto initiate(Initiation&& initiation, RawToken&& token, InitArgs&&... args)
    {
        CompletionToken inner = std::forward<RawToken>(token).completion_token_;
        return async_initiate<CompletionToken, inner_signature>(
            dotasync::detail::cancellable_initiation<std::decay_t<Initiation>>(
                std::forward<Initiation>(initiation), std::forward<RawToken>(token).cancellation_token_),
            inner, std::forward<InitArgs>(args)...);
    }
};

} // namespace boost::asio

#endif
