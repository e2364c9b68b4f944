// Asio glue for the eap token: the async_result specialisation and the
// handler it hands to an initiating function.
//
// The handler's completion signature is the operation's own; it is
// move-only, invoked at most once, and exposes the operation's cancellation
// slot through get_cancellation_slot(). Thread-safety: as any Asio handler,
// it is used by one thread at a time.
#ifndef DOTASYNC_EAP_IMPL_EAP_HPP
#define DOTASYNC_EAP_IMPL_EAP_HPP

#include <dotasync/core/detail/cancellation_kind.hpp>
#include <dotasync/core/detail/completion_traits.hpp>
#include <dotasync/core/detail/move_only.hpp>
#include <dotasync/eap/async_completed_event_args.hpp>
#include <dotasync/eap/detail/eap_table.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/cancellation_signal.hpp>

#include <any>
#include <exception>
#include <memory>
#include <tuple>
#include <type_traits>
#include <utility>

namespace dotasync {
namespace detail {

// What the completion carries to the context: the callback, the values it
// will be called with after the event arguments, and the operation's entry,
// which holds the rest (eap_entry::take_completed_args).
template <class Callback, class Values>
struct eap_delivery {
    Callback callback;
    [[no_unique_address]] Values values;
    eap_entry_ptr entry;

    void operator()()
    {
        if (!entry->owner_alive())
            return;
        std::apply([this](auto&... vs) { callback(entry->take_completed_args(), std::move(vs)...); }, values);
    }
};

template <class Callback, class Signature>
class eap_handler;

template <class Callback, class R, class... Args>
class eap_handler<Callback, R(Args...)> : move_only {
    using completion = completion_traits<std::decay_t<Args>...>;
    using values_type = typename completion::value_args_type;

public:
    using cancellation_slot_type = boost::asio::cancellation_slot;

    eap_handler(eap_entry_ptr entry, Callback callback)
        : entry_(std::move(entry)), callback_(std::move(callback))
    {
    }

    eap_handler(eap_handler&&) noexcept = default;

    ~eap_handler()
    {
        if (entry_)
            abandon();
    }

    cancellation_slot_type get_cancellation_slot() const noexcept
    {
        return entry_ ? entry_->slot() : cancellation_slot_type();
    }

    template <class... Vs>
    void operator()(Vs&&... vs)
    {
        auto entry = std::move(entry_);
        const bool cancel_requested = entry->finish();
        deliver(std::move(entry), cancel_requested, std::forward<Vs>(vs)...);
    }

private:
    template <class First, class... Rest>
        requires completion::has_failure_channel
    void deliver(eap_entry_ptr entry, bool cancel_requested, First&& channel, Rest&&... rest)
    {
        std::exception_ptr error;
        // A cancellation the caller asked for is reported as Cancelled, not as
        // an Error; any other failure is the Error.
        if (!(cancel_requested && is_cancellation(channel)))
            error = failure_of(channel);
        post(std::move(entry), std::move(error), values_type(std::forward<Rest>(rest)...));
    }

    template <class... Vs>
        requires(!completion::has_failure_channel)
    void deliver(eap_entry_ptr entry, bool, Vs&&... vs)
    {
        post(std::move(entry), nullptr, values_type(std::forward<Vs>(vs)...));
    }

    void post(eap_entry_ptr entry, std::exception_ptr error, values_type values)
    {
        auto& target = *entry;
        eap_delivery<Callback, values_type> delivery{std::move(callback_), std::move(values), std::move(entry)};
        target.post_completed(delivery, std::move(error));
    }

    // The handler is destroyed without having been invoked: either the
    // initiating function threw (nothing started), or the io_context that
    // held the operation was destroyed. In both cases no completion callback
    // can be delivered safely, so the operation just ends.
    void abandon() noexcept
    {
        auto entry = std::move(entry_);
        entry->finish();
        entry->end();
    }

    eap_entry_ptr entry_;
    Callback callback_;
};

struct eap_access {
    template <class Callback, class Initiation>
    static eap_entry_ptr start(eap<Callback>& token, const Initiation& initiation)
    {
        // Only an operation in a table can be canceled.
        return eap_entry::start(token.table_, std::move(token.user_state_),
                                token.table_ ? cancel_executor(initiation) : cancel_executor_ref());
    }

    template <class Callback>
    static Callback&& callback(eap<Callback>& token) noexcept
    {
        return std::move(token.callback_);
    }

    // The executor the operation runs on, when the initiation names one that
    // an any_io_executor can hold.
    template <class Initiation>
    static cancel_executor_ref cancel_executor(const Initiation& initiation)
    {
        if constexpr (requires { initiation.get_executor(); }) {
            if constexpr (std::is_convertible_v<decltype(initiation.get_executor()), boost::asio::any_io_executor>)
                return cancel_executor_ref(initiation.get_executor());
        }
        return {};
    }
};

} // namespace detail
} // namespace dotasync

namespace boost::asio {

template <class Callback, class R, class... Args>
class async_result<dotasync::eap<Callback>, R(Args...)> {
public:
    using return_type = void;

    template <class Initiation, class RawToken, class... InitArgs>
    static void initiate(Initiation&& initiation, RawToken&& token, InitArgs&&... args)
    {
        using values_type = typename dotasync::detail::completion_traits<std::decay_t<Args>...>::value_args_type;
        static_assert(
            []<class... Vs>(std::tuple<Vs...>*) {
                return std::is_invocable_v<Callback&, dotasync::AsyncCompletedEventArgs, Vs...>;
            }(static_cast<values_type*>(nullptr)),
            "the eap callback must accept (AsyncCompletedEventArgs, the completion values after the error channel)");

        dotasync::eap<Callback> owned(std::forward<RawToken>(token));
        auto entry = dotasync::detail::eap_access::start(owned, initiation);
        std::forward<Initiation>(initiation)(
            dotasync::detail::eap_handler<Callback, R(Args...)>(std::move(entry),
                                                                dotasync::detail::eap_access::callback(owned)),
            std::forward<InitArgs>(args)...);
    }
};

} // namespace boost::asio

#endif
