// Internal: whether a completion handler accepts being invoked inside the
// initiating function of its operation.
//
// Asio's rule is that a handler never runs inside the initiating function
// (Boost 1.81 has no immediate executor to say otherwise). The APM pattern is
// the exception: a BeginXxx whose operation finishes at once runs the callback
// inline and reports CompletedSynchronously(). Only the apm token's handler
// says yes (core/impl/apm_token.hpp); a handler that wraps another one and
// keeps its completion semantics forwards the answer of the handler it wraps.
#ifndef DOTASYNC_CORE_DETAIL_INLINE_COMPLETION_HPP
#define DOTASYNC_CORE_DETAIL_INLINE_COMPLETION_HPP

#include <type_traits>

namespace dotasync::detail {

template <class Handler>
struct completes_inline : std::false_type {};

template <class Handler>
inline constexpr bool completes_inline_v = completes_inline<std::decay_t<Handler>>::value;

} // namespace dotasync::detail

#endif
