// Internal: whether a completion handler accepts being invoked inside the
// initiating function of its operation.
//
// Asio's rule is that a handler never runs inside the initiating function
// (Boost 1.81 has no immediate executor to say otherwise). Two handlers are
// the exception:
//   - the apm token's (core/impl/apm_token.hpp): a BeginXxx whose operation
//     finishes at once runs the callback inline and reports
//     CompletedSynchronously();
//   - use_awaitable's: Asio starts an awaited operation only once the
//     coroutine has suspended, from the coroutine's own turn on its executor,
//     so resuming it there is what .NET's await of a task that finished
//     synchronously does, and it saves the trip through the scheduler.
// A handler that wraps another one and keeps its completion semantics
// forwards the answer of the handler it wraps. Whoever completes inline
// bounds the nesting (io_completion does).
#ifndef DOTASYNC_CORE_DETAIL_INLINE_COMPLETION_HPP
#define DOTASYNC_CORE_DETAIL_INLINE_COMPLETION_HPP

#include <boost/asio/detail/config.hpp>

#include <type_traits>

#if defined(BOOST_ASIO_HAS_CO_AWAIT)
namespace boost::asio::detail {
// Declared as boost/asio/impl/use_awaitable.hpp declares it, so that the
// answer below is the same in every translation unit, whether or not it
// includes the coroutine headers.
template <typename, typename...>
class awaitable_handler;
} // namespace boost::asio::detail
#endif

namespace dotasync::detail {

template <class Handler>
struct completes_inline : std::false_type {};

// How many callbacks completed inline may be on one thread's stack at once;
// the next completion is posted instead. The APM result cache
// (lib/core/detail/result_allocator.cpp) keeps as many blocks, so that a
// chain of reads that complete inline reuses its results' memory.
inline constexpr int max_inline_depth = 16;

template <class Handler>
inline constexpr bool completes_inline_v = completes_inline<std::decay_t<Handler>>::value;

#if defined(BOOST_ASIO_HAS_CO_AWAIT)
template <class Executor, class... Args>
struct completes_inline<boost::asio::detail::awaitable_handler<Executor, Args...>> : std::true_type {};
#endif

} // namespace dotasync::detail

#endif
