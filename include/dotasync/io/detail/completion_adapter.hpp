// Internal: a completion handler that runs a function over another handler's
// arguments, while keeping that handler's associated executor, allocator and
// cancellation slot, so that Asio treats the pair as the original handler.
#ifndef DOTASYNC_IO_DETAIL_COMPLETION_ADAPTER_HPP
#define DOTASYNC_IO_DETAIL_COMPLETION_ADAPTER_HPP

#include <dotasync/core/detail/inline_completion.hpp>

#include <boost/asio/associator.hpp>

#include <type_traits>

#include <utility>

namespace dotasync::detail {

// Invoking the adapter calls fn(std::move(handler), args...).
template <class Handler, class Fn>
class completion_adapter {
public:
    completion_adapter(Handler handler, Fn fn) : handler_(std::move(handler)), fn_(std::move(fn)) {}

    template <class... Args>
    void operator()(Args&&... args)
    {
        std::move(fn_)(std::move(handler_), std::forward<Args>(args)...);
    }

    const Handler& inner() const noexcept { return handler_; }

private:
    Handler handler_;
    Fn fn_;
};

// The adapter completes as the handler it wraps would: inline where that
// handler accepts it.
template <class Handler, class Fn>
struct completes_inline<completion_adapter<Handler, Fn>> : completes_inline<Handler> {};

template <class Handler, class Fn>
completion_adapter<std::decay_t<Handler>, std::decay_t<Fn>> adapt_completion(Handler&& handler, Fn&& fn)
{
    return {std::forward<Handler>(handler), std::forward<Fn>(fn)};
}

} // namespace dotasync::detail

namespace boost::asio {

template <template <class, class> class Associator, class Handler, class Fn, class DefaultCandidate>
struct associator<Associator, dotasync::detail::completion_adapter<Handler, Fn>, DefaultCandidate>
    : Associator<Handler, DefaultCandidate> {
    static typename Associator<Handler, DefaultCandidate>::type
    get(const dotasync::detail::completion_adapter<Handler, Fn>& h) noexcept
    {
        return Associator<Handler, DefaultCandidate>::get(h.inner());
    }

    static auto get(const dotasync::detail::completion_adapter<Handler, Fn>& h, const DefaultCandidate& c) noexcept
        -> decltype(Associator<Handler, DefaultCandidate>::get(h.inner(), c))
    {
        return Associator<Handler, DefaultCandidate>::get(h.inner(), c);
    }
};

} // namespace boost::asio

#endif
