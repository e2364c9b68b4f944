// Internal: a completion handler that runs a function over another handler's
// arguments, while keeping that handler's associated executor, allocator and
// cancellation slot, so that Asio treats the pair as the original handler.
#ifndef DOTASYNC_IO_DETAIL_COMPLETION_ADAPTER_HPP
#define DOTASYNC_IO_DETAIL_COMPLETION_ADAPTER_HPP

#include <dotasync/core/detail/handler_wrapper.hpp>
#include <dotasync/core/detail/inline_completion.hpp>

#include <type_traits>
#include <utility>

namespace dotasync::detail {

// Invoking the adapter calls fn(std::move(handler), args...).
template <class Handler, class Fn>
class completion_adapter : public handler_wrapper<Handler> {
public:
    completion_adapter(Handler handler, Fn fn) : handler_wrapper<Handler>(std::move(handler)), fn_(std::move(fn)) {}

    template <class... Args>
    void operator()(Args&&... args)
    {
        std::move(fn_)(std::move(this->handler_), std::forward<Args>(args)...);
    }

private:
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

#endif
