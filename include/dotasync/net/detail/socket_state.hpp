// Internal: the part of a Socket that its operations share with it, and that
// outlives it while they are in flight: the lock that orders every start of
// an operation against Close, whether it is closed, whether it is connected,
// and the synchronous calls blocked on its descriptor.
#ifndef DOTASYNC_NET_DETAIL_SOCKET_STATE_HPP
#define DOTASYNC_NET_DETAIL_SOCKET_STATE_HPP

#include <dotasync/core/export.hpp>

#include <boost/asio/error.hpp>
#include <boost/system/error_code.hpp>

#include <atomic>
#include <cstddef>
#include <exception>
#include <memory>
#include <mutex>

namespace dotasync::detail {

struct socket_state {
    std::mutex mutex;
    // Written under mutex; read without it where a stale answer is harmless.
    std::atomic<bool> closed{false};
    std::atomic<bool> connected{false};
    // The peer shut the connection down: every later receive completes with
    // 0 at once. Asio 1.81 must not be asked again: after a read that found
    // the end of the stream its reactor waits for a readiness edge that
    // never comes, so the next read would never complete.
    std::atomic<bool> receive_ended{false};
    // Synchronous calls using the descriptor: one enters under mutex, after
    // checking closed; Close waits for them to leave (an atomic wait, which
    // keeps a condition variable's 48 bytes out of every socket) before it
    // closes the descriptor.
    std::atomic<int> sync_users{0};
};

// The failure of a socket operation as .NET reports it (null for success):
// operation_aborted or bad_descriptor on a closed socket ->
// ObjectDisposedException, operation_aborted on an open one (a cancellation)
// -> OperationCanceledException; anything else -> SocketException, after
// which the socket is no longer Connected() when the error broke the
// connection.
DOTASYNC_API std::exception_ptr socket_failure(socket_state& state, const boost::system::error_code& ec);

// ObjectDisposedException naming a socket.
DOTASYNC_API std::exception_ptr socket_disposed();

// Maps (error_code, n) to (.NET failure, int); the end of a stream is 0 bytes.
struct socket_transfer_result {
    std::shared_ptr<socket_state> state;

    template <class Handler>
    void operator()(Handler handler, boost::system::error_code ec, std::size_t n) const
    {
        if (ec == boost::asio::error::eof) {
            state->receive_ended.store(true, std::memory_order_relaxed);
            std::move(handler)(std::exception_ptr(), 0);
            return;
        }
        auto failure = socket_failure(*state, ec);
        const int count = failure ? 0 : static_cast<int>(n);
        std::move(handler)(std::move(failure), count);
    }
};

// Keeps Asio's (error_code, n), noting the end of the stream: the face that
// Asio-facing code (and NetworkStream) uses.
struct socket_asio_result {
    std::shared_ptr<socket_state> state;

    template <class Handler>
    void operator()(Handler handler, boost::system::error_code ec, std::size_t n) const
    {
        if (ec == boost::asio::error::eof)
            state->receive_ended.store(true, std::memory_order_relaxed);
        std::move(handler)(ec, n);
    }
};

} // namespace dotasync::detail

#endif
