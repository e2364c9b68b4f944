// Internal: how a handler is completed once its result is known, outside an
// Asio I/O object. The "inline or post" rule of every face is here:
//
//   complete_now     a result known when the operation starts (a finished
//                    Task, FromResult): inline for a handler without an
//                    executor of its own, posted to the handler's executor
//                    otherwise;
//   complete_later   a result produced by another party (SetResult, a
//                    worker thread): always posted, never inside the caller;
//   complete_on      a result produced on a thread that may already run the
//                    handler's executor: dispatched to it.
//
// Each posts or dispatches one function object that calls the handler with the
// values: to the executor chosen here, so Asio adds no dispatcher of its own
// between the two.
//
// An I/O operation of a Stream follows io_completion's rule instead, and the
// apm token decides inline completion by detail::completes_inline.
#ifndef DOTASYNC_CORE_DETAIL_HANDLER_COMPLETION_HPP
#define DOTASYNC_CORE_DETAIL_HANDLER_COMPLETION_HPP

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/execution/blocking.hpp>
#include <boost/asio/execution/executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>

#include <type_traits>
#include <utility>

namespace dotasync::detail {

// The call of handler with values, as one move-only function object.
template <class Handler, class... Values>
auto bind_completion(Handler&& handler, Values&&... values)
{
    return [handler = std::forward<Handler>(handler), ... values = std::forward<Values>(values)]() mutable {
        std::move(handler)(std::move(values)...);
    };
}

// Whether Handler has an associated executor of its own, rather than the
// default Asio gives it.
template <class Handler>
inline constexpr bool has_associated_executor_v =
    !requires { typename boost::asio::associated_executor<Handler>::asio_associated_executor_is_unspecialised; };

// A handler with an executor (a coroutine's, a strand, a future's) is posted
// to it, never run inline, even from that executor's own thread: a coroutine
// awaiting finished operations in a loop would otherwise resume inside the
// previous resumption, and nest until the stack runs out. A handler without
// one runs at once: this is how TaskToAsyncResult sees such an operation
// complete synchronously.
template <class Handler, class... Values>
void complete_now(Handler&& handler, Values&&... values)
{
    if constexpr (has_associated_executor_v<std::decay_t<Handler>>) {
        auto executor = boost::asio::get_associated_executor(handler);
        boost::asio::post(executor, bind_completion(std::forward<Handler>(handler), std::forward<Values>(values)...));
    } else {
        std::forward<Handler>(handler)(std::forward<Values>(values)...);
    }
}

// Posted to the handler's executor, or to fallback when it has none, so that
// the handler never runs inside the caller and its locks.
template <class Handler, class Executor, class... Values>
void complete_later(Handler&& handler, const Executor& fallback, Values&&... values)
{
    auto executor = boost::asio::get_associated_executor(handler, fallback);
    boost::asio::post(executor, bind_completion(std::forward<Handler>(handler), std::forward<Values>(values)...));
}

// Dispatched to executor (the handler's, kept alive by the caller's work
// guard): inline when the calling thread already runs it. A standard
// executor is given the call directly, as asio::dispatch ends up doing,
// without the initiation and the copy of the executor that dispatch adds on
// the way.
template <class Executor, class Handler, class... Values>
void complete_on(const Executor& executor, Handler&& handler, Values&&... values)
{
    if constexpr (boost::asio::execution::is_executor<Executor>::value) {
        boost::asio::prefer(executor, boost::asio::execution::blocking.possibly)
            .execute(bind_completion(std::forward<Handler>(handler), std::forward<Values>(values)...));
    } else {
        boost::asio::dispatch(executor,
                              bind_completion(std::forward<Handler>(handler), std::forward<Values>(values)...));
    }
}

} // namespace dotasync::detail

#endif
