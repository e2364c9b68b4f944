// The one place where an error_code reported by Asio or the operating system
// becomes the .NET exception that ported code catches.
//
//   operation_aborted                   -> OperationCanceledException
//   no_such_file_or_directory           -> FileNotFoundException (FileName() = context)
//   not_a_directory                     -> DirectoryNotFoundException
//   permission_denied, not permitted    -> UnauthorizedAccessException
//   asio::error::eof                    -> EndOfStreamException
//   timed_out                           -> TimeoutException
//   bad_descriptor                      -> ObjectDisposedException
//   invalid_argument                    -> ArgumentException
//   not_supported and its kin           -> NotSupportedException
//   socket and name-resolution errors   -> SocketException
//   anything else                       -> IOException (ErrorCode() = the code)
//
// Thread-safety: the functions are pure and may be called from any thread.
#ifndef DOTASYNC_CORE_ERROR_MAPPING_HPP
#define DOTASYNC_CORE_ERROR_MAPPING_HPP

#include <dotasync/core/export.hpp>

#include <exception>
#include <string_view>
#include <system_error>

#include <boost/system/error_code.hpp>

namespace dotasync {

// Returns a null exception_ptr when ec holds no error. context names the
// object the error is about (a path, an object name) and ends up in the
// exception's message and, where .NET has one, in FileName() or ObjectName().
DOTASYNC_API std::exception_ptr exception_from_error(const boost::system::error_code& ec,
                                                     std::string_view context = {});
DOTASYNC_API std::exception_ptr exception_from_error(const std::error_code& ec, std::string_view context = {});

// Throws the exception exception_from_error() describes; does nothing when ec
// holds no error.
DOTASYNC_API void throw_if_error(const boost::system::error_code& ec, std::string_view context = {});
DOTASYNC_API void throw_if_error(const std::error_code& ec, std::string_view context = {});

} // namespace dotasync

#endif
