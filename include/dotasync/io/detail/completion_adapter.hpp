// Internal: a completion handler that runs a function over another handler's
// arguments, while keeping that handler's associated executor, allocator and
// cancellation slot, so that Asio treats the pair as the original handler.
#ifndef DOTASYNC_IO_DETAIL_COMPLETION_ADAPTER_HPP
#define DOTASYNC_IO_DETAIL_COMPLETION_ADAPTER_HPP

#include <boost/asio/associated_allocator.hpp>
#include <boost/asio/associator.hpp>
#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/recycling_allocator.hpp>

#include <memory>
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

template <class Handler, class Fn>
completion_adapter<std::decay_t<Handler>, std::decay_t<Fn>> adapt_completion(Handler&& handler, Fn&& fn)
{
    return {std::forward<Handler>(handler), std::forward<Fn>(fn)};
}

// Handlers without an allocator of their own get Asio's recycling
// allocator, which reuses the memory of the type-erased handler from one
// operation to the next on the same thread instead of going to malloc.
template <class Handler>
auto with_recycling_allocator(Handler&& handler)
{
    using allocator = boost::asio::associated_allocator_t<std::decay_t<Handler>>;
    if constexpr (std::is_same_v<allocator, std::allocator<void>>)
        return boost::asio::bind_allocator(boost::asio::recycling_allocator<void>(), std::forward<Handler>(handler));
    else
        return std::forward<Handler>(handler);
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
