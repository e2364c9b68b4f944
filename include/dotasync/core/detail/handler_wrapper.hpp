// Internal: the base of every completion handler that wraps another one.
//
// A wrapper changes what the completion carries (an error_code made into an
// exception, a timer kept alive, a cancellation bridge closed) but must look to
// Asio like the handler it wraps: the operation runs on that handler's
// executor, allocates with its allocator and cancels through its slot. One
// partial specialisation of boost::asio::associator, below, forwards every
// associated characteristic of a class derived from handler_wrapper<Handler>
// to the wrapped handler. A wrapper that brings its own cancellation slot
// declares cancellation_slot_type and get_cancellation_slot(), which Asio
// prefers to the associator.
//
// Thread-safety: as any Asio handler, used by one thread at a time.
#ifndef DOTASYNC_CORE_DETAIL_HANDLER_WRAPPER_HPP
#define DOTASYNC_CORE_DETAIL_HANDLER_WRAPPER_HPP

#include <boost/asio/associator.hpp>

#include <type_traits>
#include <utility>

namespace dotasync::detail {

template <class Handler>
class handler_wrapper {
public:
    using wrapped_handler_type = Handler;

    explicit handler_wrapper(Handler handler) noexcept(std::is_nothrow_move_constructible_v<Handler>)
        : handler_(std::move(handler))
    {
    }

    const Handler& wrapped_handler() const noexcept { return handler_; }

protected:
    Handler handler_;
};

template <class T>
concept wraps_handler = requires { typename T::wrapped_handler_type; } &&
                        std::is_base_of_v<handler_wrapper<typename T::wrapped_handler_type>, T>;

} // namespace dotasync::detail

namespace boost::asio {

template <template <class, class> class Associator, class Wrapper, class DefaultCandidate>
    requires dotasync::detail::wraps_handler<Wrapper>
struct associator<Associator, Wrapper, DefaultCandidate>
    : Associator<typename Wrapper::wrapped_handler_type, DefaultCandidate> {
    using inner = Associator<typename Wrapper::wrapped_handler_type, DefaultCandidate>;

    static typename inner::type get(const Wrapper& h) noexcept { return inner::get(h.wrapped_handler()); }

    static auto get(const Wrapper& h, const DefaultCandidate& c) noexcept
        -> decltype(inner::get(h.wrapped_handler(), c))
    {
        return inner::get(h.wrapped_handler(), c);
    }
};

} // namespace boost::asio

#endif
