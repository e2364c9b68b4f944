// The apm completion token: any Asio operation, started the .NET APM way.
//
//   IAsyncResultPtr ar = timer.async_wait(dotasync::apm(callback, state));
//   ...
//   dotasync::end<void(boost::system::error_code)>(ar);   // blocks, then returns or throws
//
// apm(callback, state) works with every Asio initiating function (timers,
// sockets, asio::post, asio::async_compose, co_spawn): the initiating function
// returns an IAsyncResultPtr instead of calling a handler. When the operation
// completes, its arguments are stored, IsCompleted() becomes true, the wait
// handle (if one was requested) is signalled, and then the callback runs on the
// thread that ran the completion handler, as Asio would have run the handler.
// An exception thrown by the callback leaves through that handler: out of
// io_context::run() on a user's context, into the unhandled-exception handler
// on the default runtime.
//
// end<Signature>(ar) waits for completion and returns what the operation
// produced, following the completion signature:
//
//   void(error_code, T...)        throws the .NET exception mapped from a failed
//                                 error_code (see error_mapping.hpp), else returns T...
//   void(std::exception_ptr, T...) rethrows a non-null exception, else returns T...
//   void(T...)                    returns T...
//
// where "returns T..." means void for none, T for one, std::tuple<T...> for more.
// end() throws ArgumentNullException for a null result, InvalidOperationException
// when the result was already ended, was produced by an operation of another
// signature, or was begun by a method of an object (a FileStream's BeginRead,
// say) rather than by apm() directly. A class writes its own BeginXxx/EndXxx
// pairs with apm_method (core/apm_method.hpp), which adds the check that End
// receives a result of its own Begin.
//
// end() on an unfinished operation, called on the only thread that could run
// its completion, throws InvalidOperationException rather than wait for ever
// (the sync-over-async deadlock), and leaves the result endable. Detected: the
// operation completes on a strand (a StrandSynchronizationContext's executor
// included) and end() runs inside that strand; or it
// completes on an io_context created with concurrency hint 1 (or an unsafe
// hint) and end() runs on that io_context's thread. The executor is the one
// the initiating function exposes (an I/O object's, co_spawn's, a
// Delegate's); elsewhere (thread pools, an io_context several threads may
// run, std::future::get) nothing can be told, and the wait proceeds.
//
// If an operation's handler is destroyed without being invoked (its io_context
// was stopped and destroyed), the result completes with
// OperationCanceledException: end() and AsyncWaitHandle().WaitOne() return
// instead of hanging. The callback is not run then, because the executor that
// would have run it no longer exists.
//
// A result that failed and was never ended logs a warning when it is destroyed,
// as .NET reports unobserved task exceptions.
//
// Thread-safety: an apm token is a value; copy it freely. end() may be called
// from any thread, once per result: a second end() that follows the first is
// refused, but two end() calls racing each other on one result are not
// always told apart.
#ifndef DOTASYNC_CORE_APM_TOKEN_HPP
#define DOTASYNC_CORE_APM_TOKEN_HPP

#include <dotasync/core/iasync_result.hpp>
#include <dotasync/core/state_cast.hpp>

#include <any>
#include <memory>
#include <type_traits>
#include <utility>

namespace dotasync {

namespace detail {
struct apm_access;
}

class apm {
public:
    // nullptr as state is no state (AsyncState() is empty), as .NET's null.
    explicit apm(AsyncCallback callback = {}, std::any state = {})
        : callback_(std::move(callback)), state_(detail::non_null_state(std::move(state)))
    {
    }

    // A state given as a pointer or shared_ptr of a known type also becomes
    // readable as a pointer to any of its bases (state_cast).
    template <class State>
        requires detail::is_class_pointer_v<std::decay_t<State>>
    apm(AsyncCallback callback, State&& state) : callback_(std::move(callback))
    {
        static const bool registered = (register_state_type<std::decay_t<State>>(), true);
        (void)registered;
        state_ = std::forward<State>(state);
    }

private:
    friend struct detail::apm_access;

    AsyncCallback callback_;
    std::any state_;
    // Set by BeginXxx methods, so that EndXxx can reject a result that another
    // object or another method began.
    const void* owner_ = nullptr;
    const void* method_ = nullptr;
    // What began the result, kept alive with it (a Delegate's target, for
    // AsyncDelegate).
    std::shared_ptr<const void> origin_;
};

// Waits for the operation behind ar and returns its result or throws its
// failure; see the file comment for the rules.
template <class Signature>
auto end(const IAsyncResultPtr& ar);

} // namespace dotasync

#include <dotasync/core/impl/apm_token.hpp>

#endif
