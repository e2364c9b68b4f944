// Internal: whether a failure only reports that an operation was canceled.
//
// One answer for every face: the apm and eap tokens, with_cancellation,
// Task::Delay and the Task groups all ask here. A cancellation is
//   - Asio's operation_aborted, or the generic errc::operation_canceled
//     (ECANCELED), as an error_code of either library;
//   - an OperationCanceledException, TaskCanceledException included;
//   - a boost::system::system_error or std::system_error carrying one of those
//     codes (what co_spawn reports for a coroutine canceled inside an Asio
//     operation).
// Anything else, and no failure at all, is not. tests/core/cancellation_kind_test.cpp
// pins the answer for each kind.
//
// Thread-safety: pure functions.
#ifndef DOTASYNC_CORE_DETAIL_CANCELLATION_KIND_HPP
#define DOTASYNC_CORE_DETAIL_CANCELLATION_KIND_HPP

#include <dotasync/core/export.hpp>

#include <boost/system/error_code.hpp>

#include <exception>
#include <system_error>

namespace dotasync::detail {

DOTASYNC_API bool is_cancellation(const boost::system::error_code& ec) noexcept;
DOTASYNC_API bool is_cancellation(const std::error_code& ec) noexcept;
DOTASYNC_API bool is_cancellation(const std::exception_ptr& error) noexcept;

// A cancellation that is not yet an OperationCanceledException (an error
// code's system_error) becomes the one exception_from_error() makes of its
// code; any other failure is returned unchanged. What a .NET caller catches
// for a canceled operation is always OperationCanceledException.
DOTASYNC_API std::exception_ptr as_operation_canceled(std::exception_ptr error) noexcept;

} // namespace dotasync::detail

#endif
