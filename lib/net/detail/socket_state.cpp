#include <dotasync/net/detail/socket_state.hpp>

#include <dotasync/core/exceptions.hpp>

#include <boost/system/errc.hpp>

namespace dotasync::detail {

namespace {

// Errors that leave the connection as it was: .NET's Connected stays true
// after them.
bool keeps_connection(const boost::system::error_code& ec)
{
    namespace errc = boost::system::errc;
    return ec == boost::asio::error::would_block || ec == errc::interrupted || ec == errc::operation_in_progress ||
           ec == errc::message_size || ec == errc::no_buffer_space;
}

} // namespace

std::exception_ptr socket_disposed()
{
    return std::make_exception_ptr(ObjectDisposedException("System.Net.Sockets.Socket"));
}

std::exception_ptr socket_failure(socket_state& state, const boost::system::error_code& ec)
{
    if (!ec)
        return {};
    if (ec == boost::asio::error::operation_aborted || ec == boost::asio::error::bad_descriptor) {
        if (state.closed.load())
            return socket_disposed();
        if (ec == boost::asio::error::operation_aborted)
            return std::make_exception_ptr(OperationCanceledException("The operation was canceled."));
    }
    if (!keeps_connection(ec))
        state.connected.store(false);
    const std::error_code code = ec;
    return std::make_exception_ptr(SocketException(code, ec.message()));
}

} // namespace dotasync::detail
