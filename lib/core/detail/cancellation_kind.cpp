#include <dotasync/core/detail/cancellation_kind.hpp>

#include <dotasync/core/error_mapping.hpp>
#include <dotasync/core/exceptions.hpp>

#include <boost/asio/error.hpp>
#include <boost/system/system_error.hpp>

namespace dotasync::detail {

bool is_cancellation(const boost::system::error_code& ec) noexcept
{
    return ec == boost::asio::error::operation_aborted || ec == std::errc::operation_canceled;
}

bool is_cancellation(const std::error_code& ec) noexcept
{
    return is_cancellation(boost::system::error_code(ec));
}

bool is_cancellation(const std::exception_ptr& error) noexcept
{
    if (!error)
        return false;
    try {
        std::rethrow_exception(error);
    } catch (const OperationCanceledException&) {
        return true;
    } catch (const boost::system::system_error& e) {
        return is_cancellation(e.code());
    } catch (const std::system_error& e) {
        return is_cancellation(e.code());
    } catch (...) {
        return false;
    }
}

std::exception_ptr as_operation_canceled(std::exception_ptr error) noexcept
{
    if (!error)
        return error;
    try {
        std::rethrow_exception(error);
    } catch (const OperationCanceledException&) {
        return error;
    } catch (const boost::system::system_error& e) {
        if (is_cancellation(e.code()))
            return exception_from_error(e.code());
    } catch (const std::system_error& e) {
        if (is_cancellation(e.code()))
            return exception_from_error(e.code());
    } catch (...) {
    }
    return error;
}

} // namespace dotasync::detail
