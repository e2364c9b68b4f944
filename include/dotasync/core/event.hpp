// Event<Args>: a .NET event, the list of handlers an object raises.
//
//   Event<GetUserCompletedEventArgs> GetUserCompleted;
//   auto subscription = provider.GetUserCompleted += [](const std::any& sender,
//                                                       const GetUserCompletedEventArgs& e) { ... };
//   provider.GetUserCompleted -= subscription;
//   GetUserCompleted.Invoke(this, e);          // inside the provider
//
// += adds a handler and returns the Subscription that -= takes to remove it
// again (C++ cannot compare two std::functions, so the subscription stands
// for the handler). Invoke calls the handlers in subscription order with the
// sender and the arguments; handlers may take `Args&` (DoWork sets Result and
// Cancel through it) or `const Args&`. As in .NET, adding an empty handler
// does nothing (it returns an empty Subscription), and removing a
// subscription that is not, or no longer, subscribed does nothing.
//
// An exception thrown by a handler propagates out of Invoke and the handlers
// after it are not called, as with a .NET multicast delegate.
//
// Events of other delegate shapes. .NET components declare their own
// delegate types (`delegate void ProgressChangedEventHandler(
// ProgressChangedEventArgs e)`); Event<void(Params...)>, or
// Event<std::function<void(Params...)>>, is an event of that shape: its
// handlers are std::function<void(Params...)> and Invoke(args...) passes
// them the same arguments:
//
//   using ProgressChangedEventHandler = std::function<void(ProgressChangedEventArgs&)>;
//   Event<ProgressChangedEventHandler> ProgressChanged;
//   ProgressChanged += [](ProgressChangedEventArgs& e) { ... };
//   ProgressChanged.Invoke(e);
//
// Only delegates returning void are events here, as .NET's design rules ask.
//
// Thread-safety: +=, -= and Invoke may be called from any thread at once,
// also from inside a handler. Invoke calls the handlers of the list as it was
// when Invoke started: a handler added meanwhile is called from the next
// raise on, and a handler removed meanwhile may still receive this raise but
// none that starts after -= has returned. Raising costs one lock and no
// allocation.
#ifndef DOTASYNC_CORE_EVENT_HPP
#define DOTASYNC_CORE_EVENT_HPP

#include <any>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <type_traits>
#include <utility>
#include <vector>

namespace dotasync {

template <class Args>
using EventHandler = std::function<void(const std::any& sender, Args& e)>;

namespace detail {

// The handler list every Event shape shares: +=, -= and the snapshot a raise
// walks.
template <class Handler>
class event_handlers {
public:
    // Names one handler added to one event; empty when default-constructed.
    class Subscription {
    public:
        Subscription() noexcept = default;

        explicit operator bool() const noexcept { return id_ != 0; }
        friend bool operator==(const Subscription&, const Subscription&) noexcept = default;

    private:
        friend class event_handlers;
        Subscription(const event_handlers* event, std::uint64_t id) noexcept : event_(event), id_(id) {}

        const event_handlers* event_ = nullptr;
        std::uint64_t id_ = 0;
    };

    event_handlers() = default;
    // An event belongs to the object that raises it: copying one would copy
    // its subscribers, which .NET never does.
    event_handlers(const event_handlers&) = delete;
    event_handlers& operator=(const event_handlers&) = delete;

    Subscription operator+=(Handler handler)
    {
        if (!handler)
            return {};
        std::lock_guard lock(mutex_);
        const std::uint64_t id = ++last_id_;
        auto next = std::make_shared<handler_list>();
        if (handlers_) {
            next->reserve(handlers_->size() + 1);
            *next = *handlers_;
        }
        next->push_back({id, std::move(handler)});
        handlers_ = std::move(next);
        return Subscription(this, id);
    }

    void operator-=(const Subscription& subscription)
    {
        if (subscription.event_ != this || subscription.id_ == 0)
            return;
        std::lock_guard lock(mutex_);
        if (!handlers_)
            return;
        auto next = std::make_shared<handler_list>();
        next->reserve(handlers_->size());
        for (const auto& entry : *handlers_)
            if (entry.id != subscription.id_)
                next->push_back(entry);
        if (next->size() == handlers_->size())
            return;
        if (next->empty())
            handlers_.reset();
        else
            handlers_ = std::move(next);
    }

    // Number of handlers subscribed now (a dotasync addition: .NET events
    // have no such member).
    std::size_t handler_count() const
    {
        std::lock_guard lock(mutex_);
        return handlers_ ? handlers_->size() : 0;
    }

    [[deprecated("use handler_count()")]] std::size_t HandlerCount() const { return handler_count(); }

protected:
    // Calls call(handler) for every handler of the list as it is now.
    template <class Call>
    void raise(Call&& call) const
    {
        std::shared_ptr<const handler_list> snapshot;
        {
            std::lock_guard lock(mutex_);
            snapshot = handlers_;
        }
        if (!snapshot)
            return;
        for (const auto& entry : *snapshot)
            call(entry.handler);
    }

private:
    struct entry {
        std::uint64_t id;
        Handler handler;
    };
    using handler_list = std::vector<entry>;

    // Copy-on-write: a raise holds the list it started with while += and -=
    // publish new lists, so handlers run without the lock held.
    mutable std::mutex mutex_;
    std::shared_ptr<const handler_list> handlers_;
    std::uint64_t last_id_ = 0;
};

} // namespace detail

// The (sender, e) event of .NET's EventHandler<TEventArgs>.
template <class Args>
class Event : public detail::event_handlers<EventHandler<Args>> {
public:
    // Raises the event: calls every handler, in subscription order.
    void Invoke(const std::any& sender, Args& e) const
    {
        this->raise([&](const EventHandler<Args>& handler) { handler(sender, e); });
    }
};

// An event of a delegate type of its own, such as
// `delegate void ProgressChangedEventHandler(ProgressChangedEventArgs e)`.
template <class... Params>
class Event<void(Params...)> : public detail::event_handlers<std::function<void(Params...)>> {
    static_assert((!std::is_rvalue_reference_v<Params> && ...),
                  "every handler receives the same arguments, so none can be an rvalue reference");

public:
    // Raises the event: calls every handler, in subscription order, with the
    // same arguments.
    void Invoke(Params... args) const
    {
        this->raise([&](const std::function<void(Params...)>& handler) { handler(args...); });
    }
};

// The same, named by the std::function that stands for the delegate type:
// `using ProgressChangedEventHandler = std::function<void(ProgressChangedEventArgs&)>;`
// then `Event<ProgressChangedEventHandler> ProgressChanged;`.
template <class... Params>
class Event<std::function<void(Params...)>> : public Event<void(Params...)> {};

} // namespace dotasync

#endif
