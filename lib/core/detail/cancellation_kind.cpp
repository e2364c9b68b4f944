#include <dotasync/core/detail/cancellation_kind.hpp>

#include <dotasync/core/error_mapping.hpp>
#include <dotasync/core/exceptions.hpp>

#include <boost/asio/error.hpp>
#include <boost/system/system_error.hpp>

#include <optional>

namespace dotasync::detail {

namespace {

// What a failure is, as far as cancellation goes: an OperationCanceledException
// already, or a system_error of either library and its code.
struct failure_kind {
    bool operation_canceled = false;
    std::optional<boost::system::error_code> code;
};

failure_kind kind_of(const std::exception_ptr& error) noexcept
{
    try {
        std::rethrow_exception(error);
    } catch (const OperationCanceledException&) {
        return {true, std::nullopt};
    } catch (const boost::system::system_error& e) {
        return {false, e.code()};
    } catch (const std::system_error& e) {
        return {false, boost::system::error_code(e.code())};
    } catch (...) {
        return {};
    }
}

} // namespace

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
    const failure_kind kind = kind_of(error);
    return kind.operation_canceled || (kind.code && is_cancellation(*kind.code));
}

std::exception_ptr as_operation_canceled(std::exception_ptr error) noexcept
{
    if (!error)
        return error;
    const failure_kind kind = kind_of(error);
    if (kind.code && is_cancellation(*kind.code))
        return exception_from_error(*kind.code);
    return error;
}

} // namespace dotasync::detail
