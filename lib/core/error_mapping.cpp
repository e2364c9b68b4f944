#include <dotasync/core/error_mapping.hpp>

#include <dotasync/core/exceptions.hpp>

#include <boost/asio/error.hpp>
#include <boost/system/errc.hpp>

#include <cerrno>
#include <string>

namespace dotasync {

namespace {

namespace errc = boost::system::errc;
namespace aerr = boost::asio::error;

// The same errno can arrive in the system category (from Asio) or in the
// generic one (from std::make_error_code), so errors are compared with
// portable conditions, or by value where no condition exists.
bool is_errno(const boost::system::error_code& ec, int value)
{
    // Through std::error_code, so that a code that already crossed from one
    // library to the other (and came back wrapped) is recognised too.
    const std::error_code code = ec;
    return code.value() == value &&
           (code.category() == std::system_category() || code.category() == std::generic_category());
}

bool is_socket_error(const boost::system::error_code& ec)
{
    if (ec.category() == aerr::get_netdb_category() || ec.category() == aerr::get_addrinfo_category())
        return true;
    return ec == errc::connection_refused || ec == errc::connection_reset || ec == errc::connection_aborted ||
           ec == errc::network_unreachable || ec == errc::network_down || ec == errc::network_reset ||
           ec == errc::host_unreachable || ec == errc::not_connected || ec == errc::address_in_use ||
           ec == errc::already_connected || ec == errc::not_a_socket || ec == errc::no_protocol_option ||
           ec == errc::address_family_not_supported || ec == errc::message_size || is_errno(ec, ESHUTDOWN);
}

std::string describe(const boost::system::error_code& ec, std::string_view context)
{
    std::string message = ec.message();
    if (!context.empty()) {
        message += ": '";
        message += context;
        message += "'";
    }
    return message;
}

} // namespace

std::exception_ptr exception_from_error(const boost::system::error_code& ec, std::string_view context)
{
    if (!ec)
        return {};
    const std::error_code code = ec;
    if (ec == aerr::operation_aborted || ec == errc::operation_canceled)
        return std::make_exception_ptr(OperationCanceledException(describe(ec, context)));
    if (ec == errc::no_such_file_or_directory)
        return std::make_exception_ptr(FileNotFoundException(
            context.empty() ? std::string("The file was not found.")
                            : "The file '" + std::string(context) + "' was not found.",
            std::string(context), code));
    if (ec == errc::not_a_directory)
        return std::make_exception_ptr(DirectoryNotFoundException(
            context.empty() ? std::string("A directory in the path was not found.")
                            : "A directory in the path '" + std::string(context) + "' was not found.",
            code));
    if (ec == errc::permission_denied || ec == errc::operation_not_permitted)
        return std::make_exception_ptr(UnauthorizedAccessException(
            context.empty() ? std::string("Access was denied.")
                            : "Access to '" + std::string(context) + "' was denied."));
    if (ec == aerr::eof)
        return std::make_exception_ptr(EndOfStreamException(describe(ec, context), code));
    if (ec == errc::timed_out)
        return std::make_exception_ptr(TimeoutException(describe(ec, context)));
    if (ec == aerr::bad_descriptor || ec == errc::bad_file_descriptor)
        return std::make_exception_ptr(ObjectDisposedException(std::string(context)));
    if (ec == errc::invalid_argument)
        return std::make_exception_ptr(ArgumentException(describe(ec, context)));
    if (ec == errc::not_supported || ec == errc::operation_not_supported ||
        ec == errc::function_not_supported)
        return std::make_exception_ptr(NotSupportedException(describe(ec, context)));
    if (is_socket_error(ec))
        return std::make_exception_ptr(SocketException(code, describe(ec, context)));
    return std::make_exception_ptr(IOException(describe(ec, context), code));
}

std::exception_ptr exception_from_error(const std::error_code& ec, std::string_view context)
{
    return exception_from_error(boost::system::error_code(ec), context);
}

void throw_if_error(const boost::system::error_code& ec, std::string_view context)
{
    if (auto ex = exception_from_error(ec, context))
        std::rethrow_exception(ex);
}

void throw_if_error(const std::error_code& ec, std::string_view context)
{
    throw_if_error(boost::system::error_code(ec), context);
}

} // namespace dotasync
