// The link between one operation's Asio cancellation slot and whatever may
// cancel it: a CancellationToken, and the cancellation slot the operation's
// handler already had. Used by with_cancellation and by the Task helpers.
//
// Included by core/impl/cancellation.hpp once the public classes are complete;
// include <dotasync/core/cancellation.hpp> rather than this header.
#ifndef DOTASYNC_CORE_DETAIL_CANCELLATION_BRIDGE_HPP
#define DOTASYNC_CORE_DETAIL_CANCELLATION_BRIDGE_HPP

#include <dotasync/core/export.hpp>

#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/cancellation_type.hpp>

#include <memory>
#include <mutex>

namespace dotasync::detail {

// Asio's cancellation signals are not thread-safe: an emission must not
// overlap the operation's completion, and nothing may be emitted once the
// handler has run (the operation's objects may be gone by then). A token can
// be canceled from any thread, so every emission goes through request(),
// which holds a mutex while it emits; finish(), called when the handler runs
// or is destroyed, takes the same mutex and closes the bridge. The mutex is
// recursive because an operation may complete inline, on the emitting thread,
// from inside the emission.
class DOTASYNC_API cancellation_bridge : public std::enable_shared_from_this<cancellation_bridge> {
public:
    cancellation_bridge() = default;
    cancellation_bridge(const cancellation_bridge&) = delete;
    cancellation_bridge& operator=(const cancellation_bridge&) = delete;

    // The slot the operation sees as its handler's cancellation slot.
    boost::asio::cancellation_slot slot() noexcept { return signal_.slot(); }

    // Forwards what the handler's own slot emits. Call before start().
    void forward_from(boost::asio::cancellation_slot outer);

    // Registers with the token. Call before the operation is initiated, so
    // that the registration exists before anything can complete; a
    // cancellation that arrives before start() is held back until then.
    void connect(const CancellationToken& token);

    // The initiating function has returned: the operation has installed its
    // cancellation handler, so a held-back cancellation can be emitted.
    void start();

    // The handler is being invoked or destroyed: emits nothing more, waits for
    // an emission in progress on another thread, and releases the token
    // registration.
    void finish() noexcept;

    // Emits type to the operation, unless it has finished; before start(),
    // remembers it instead.
    void request(boost::asio::cancellation_type type);

private:
    std::recursive_mutex mutex_;
    boost::asio::cancellation_signal signal_;
    boost::asio::cancellation_type pending_ = boost::asio::cancellation_type::none;
    bool started_ = false;
    bool finished_ = false;
    CancellationTokenRegistration registration_;
};

} // namespace dotasync::detail

#endif
