// Cooperative cancellation, as .NET does it: CancellationTokenSource,
// CancellationToken and CancellationTokenRegistration, and with_cancellation(),
// which connects a token to any Asio operation.
//
//   CancellationTokenSource cts;
//   cts.CancelAfter(std::chrono::seconds(5));
//   auto n = co_await socket.async_read_some(buf, with_cancellation(cts.Token(), asio::use_awaitable));
//
// A CancellationTokenSource owns the cancellation state; Token() hands out
// CancellationTokens that observe it. Cancel() sets the state once and for all
// and then runs the callbacks registered on its tokens, on the calling thread,
// newest first (as .NET does). Exceptions thrown by callbacks do not stop the
// others: Cancel() throws them afterwards as one AggregateException, or, with
// Cancel(true), lets the first one out at once and runs no further callbacks.
// Register() on a token that is already canceled runs the callback at once,
// on the calling thread, and returns an empty registration.
//
// CancelAfter(delay) arms a timer on the default runtime (ThreadPool) that
// calls Cancel(); a later CancelAfter replaces the delay, -1 ms disarms it, any
// other negative delay throws ArgumentOutOfRangeException. An exception from a
// callback run by that timer goes to ThreadPool's unhandled-exception handler.
// CreateLinkedTokenSource(tokens...) makes a source that is canceled when any
// of the tokens is; its registrations on those tokens are released when the
// linked source is disposed or its state is destroyed.
//
// A CancellationTokenRegistration unregisters its callback when it is
// destroyed or disposed. Dispose() waits for the callback if another thread is
// running it at that moment (so that what the callback uses may be freed right
// after), but returns at once when called from inside the callback itself.
// Adding and removing a registration are O(1) and free its memory: a
// long-lived token shared by a million short operations does not grow.
//
// CancellationToken::None() (and a default-constructed token) can never be
// canceled: CanBeCanceled() is false and Register() does nothing.
//
// Copies of a CancellationTokenSource refer to the same source, as copies of a
// .NET reference do. Dispose() disarms the timer and releases the links; after
// it, Token(), Cancel() and CancelAfter() throw ObjectDisposedException, while
// tokens already handed out keep working.
//
// with_cancellation(token, completion_token) is a completion-token adapter:
// the operation's handler gets a cancellation slot, and cancelling the token
// emits asio::cancellation_type::terminal on it (the type every Asio operation
// and co_spawn'ed coroutine honours by default). The registration is released
// when the operation completes (or its handler is destroyed). If the handler
// already had a cancellation slot (a coroutine's, a parallel group's), its
// cancellations are forwarded too. A token canceled before the operation
// starts cancels it as soon as it has started. A leading error_code in the
// completion signature becomes a std::exception_ptr made by
// exception_from_error(), so that end(), use_future and use_awaitable all
// report a canceled operation as OperationCanceledException:
//
//   void(error_code, T...)         -> void(std::exception_ptr, T...)
//   any other signature            -> unchanged
//
// For the same reason, a leading exception_ptr that holds a system_error for
// operation_aborted (what a co_spawn'ed coroutine canceled inside an Asio
// operation throws) is replaced by OperationCanceledException; any other
// exception passes unchanged.
//
// An operation that does not support Asio's per-operation cancellation
// (asio::post, a Delegate's call) is not interrupted: it runs to completion.
//
// Thread-safety: every member of the three classes may be called from any
// thread at the same time. with_cancellation may cancel from any thread: it
// serialises each emission against the completion of the operation, so a
// cancellation racing the completion produces exactly one outcome.
#ifndef DOTASYNC_CORE_CANCELLATION_HPP
#define DOTASYNC_CORE_CANCELLATION_HPP

#include <dotasync/core/export.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <memory>
#include <span>
#include <type_traits>
#include <utility>

namespace dotasync {

class CancellationToken;

namespace detail {
class cancellation_state;
struct cancellation_node;
struct cancellation_access;
} // namespace detail

class DOTASYNC_API CancellationTokenRegistration {
public:
    // An empty registration: Dispose() and Unregister() do nothing.
    CancellationTokenRegistration() noexcept = default;
    CancellationTokenRegistration(CancellationTokenRegistration&& other) noexcept;
    // Disposes the registration held so far, then takes other's.
    CancellationTokenRegistration& operator=(CancellationTokenRegistration&& other) noexcept;
    CancellationTokenRegistration(const CancellationTokenRegistration&) = delete;
    CancellationTokenRegistration& operator=(const CancellationTokenRegistration&) = delete;
    ~CancellationTokenRegistration();

    // Unregisters the callback; if another thread is running it, waits until
    // it returns.
    void Dispose() noexcept;

    // Unregisters the callback without waiting. Returns true if the callback
    // was removed before it started, false if it has run, is running, or the
    // registration is empty.
    bool Unregister() noexcept;

    // The token the callback was registered on (None() for an empty one).
    CancellationToken Token() const noexcept;

private:
    friend class CancellationToken;

    CancellationTokenRegistration(std::shared_ptr<detail::cancellation_state> state,
                                  detail::cancellation_node* node) noexcept
        : state_(std::move(state)), node_(node)
    {
    }

    std::shared_ptr<detail::cancellation_state> state_;
    detail::cancellation_node* node_ = nullptr;
};

class DOTASYNC_API CancellationToken {
public:
    // The same as None().
    CancellationToken() noexcept = default;

    // A token that is already canceled (true) or can never be (false), as
    // .NET's CancellationToken(bool).
    explicit CancellationToken(bool canceled);

    static CancellationToken None() noexcept { return CancellationToken(); }

    bool IsCancellationRequested() const noexcept;
    bool CanBeCanceled() const noexcept { return state_ != nullptr; }

    // Throws OperationCanceledException if cancellation was requested.
    void ThrowIfCancellationRequested() const;

    // Runs callback when the token is canceled, or at once if it already is.
    // An empty callback throws ArgumentNullException.
    //
    // Unlike .NET, where an undisposed registration stays, the registration
    // returned unregisters the callback when it is destroyed (RAII), so that
    // a callback never outlives what it captured. Discarding it would
    // unregister at once, so it is [[nodiscard]]: a ported
    // token.Register(cb); does not compile with -Werror and warns otherwise.
    [[nodiscard("the registration unregisters the callback when destroyed: keep it as long as the callback "
                "must run")]] CancellationTokenRegistration
    Register(std::function<void()> callback) const;

    // Tokens are equal when they observe the same source (all tokens that can
    // never be canceled are equal).
    friend bool operator==(const CancellationToken& a, const CancellationToken& b) noexcept
    {
        return a.state_ == b.state_;
    }

private:
    friend class CancellationTokenSource;
    friend class CancellationTokenRegistration;
    friend struct detail::cancellation_access;

    explicit CancellationToken(std::shared_ptr<detail::cancellation_state> state) noexcept
        : state_(std::move(state))
    {
    }

    std::shared_ptr<detail::cancellation_state> state_;
};

class DOTASYNC_API CancellationTokenSource {
public:
    CancellationTokenSource();
    // A source that cancels itself after delay (see CancelAfter).
    explicit CancellationTokenSource(std::chrono::milliseconds delay);

    // Throws ObjectDisposedException after Dispose().
    CancellationToken Token() const;

    bool IsCancellationRequested() const noexcept;

    void Cancel();
    void Cancel(bool throwOnFirstException);

    void CancelAfter(std::chrono::milliseconds delay);
    void CancelAfter(int millisecondsDelay);

    // Disarms the CancelAfter timer and unregisters a linked source from the
    // tokens it is linked to. Safe to call more than once.
    void Dispose() noexcept;

    static CancellationTokenSource CreateLinkedTokenSource(const CancellationToken& token);
    static CancellationTokenSource CreateLinkedTokenSource(const CancellationToken& token1,
                                                           const CancellationToken& token2);
    static CancellationTokenSource CreateLinkedTokenSource(std::span<const CancellationToken> tokens);
    static CancellationTokenSource CreateLinkedTokenSource(std::initializer_list<CancellationToken> tokens);

private:
    std::shared_ptr<detail::cancellation_state> state_;
};

namespace detail {

template <class CompletionToken>
struct with_cancellation_t {
    CancellationToken cancellation_token_;
    CompletionToken completion_token_;
};

} // namespace detail

// The completion-token adapter described in the file comment.
template <class CompletionToken>
detail::with_cancellation_t<std::decay_t<CompletionToken>> with_cancellation(CancellationToken cancellationToken,
                                                                            CompletionToken&& token)
{
    return {std::move(cancellationToken), std::forward<CompletionToken>(token)};
}

} // namespace dotasync

#include <dotasync/core/impl/cancellation.hpp>

#endif
