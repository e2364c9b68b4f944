// The .NET exception hierarchy, so that ported catch clauses keep their meaning.
//
// Every type derives from dotasync::Exception, itself a std::runtime_error, and
// keeps .NET's constructor parameter order (ArgumentNullException takes the
// parameter name first, as in .NET). Message() returns the text what() returns.
//
// Thread-safety: exception objects are immutable after construction.
#ifndef DOTASYNC_CORE_EXCEPTIONS_HPP
#define DOTASYNC_CORE_EXCEPTIONS_HPP

#include <dotasync/core/export.hpp>
#include <dotasync/core/socket_error.hpp>

#include <exception>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace dotasync {

class DOTASYNC_API Exception : public std::runtime_error {
public:
    explicit Exception(std::string message, std::exception_ptr inner = {});

    std::string Message() const { return what(); }
    std::exception_ptr InnerException() const noexcept { return inner_; }

private:
    std::exception_ptr inner_;
};

class DOTASYNC_API SystemException : public Exception {
public:
    explicit SystemException(std::string message = "A system error occurred.",
                             std::exception_ptr inner = {});
};

class DOTASYNC_API InvalidOperationException : public SystemException {
public:
    explicit InvalidOperationException(
        std::string message = "The operation is not valid for the object's current state.",
        std::exception_ptr inner = {});
};

class DOTASYNC_API ObjectDisposedException : public InvalidOperationException {
public:
    explicit ObjectDisposedException(std::string objectName);
    ObjectDisposedException(std::string objectName, std::string message);

    const std::string& ObjectName() const noexcept { return object_name_; }

private:
    std::string object_name_;
};

class DOTASYNC_API ArgumentException : public SystemException {
public:
    explicit ArgumentException(std::string message = "Value does not fall within the expected range.",
                               std::string paramName = {}, std::exception_ptr inner = {});

    const std::string& ParamName() const noexcept { return param_name_; }

private:
    std::string param_name_;
};

class DOTASYNC_API ArgumentNullException : public ArgumentException {
public:
    explicit ArgumentNullException(std::string paramName = {});
    ArgumentNullException(std::string paramName, std::string message);
};

class DOTASYNC_API ArgumentOutOfRangeException : public ArgumentException {
public:
    explicit ArgumentOutOfRangeException(std::string paramName = {});
    ArgumentOutOfRangeException(std::string paramName, std::string message);
};

class DOTASYNC_API NotSupportedException : public SystemException {
public:
    explicit NotSupportedException(std::string message = "The operation is not supported.",
                                   std::exception_ptr inner = {});
};

// A string in the wrong format (IPAddress::Parse of "not an address").
class DOTASYNC_API FormatException : public SystemException {
public:
    explicit FormatException(std::string message = "The input string was not in a correct format.");
};

// A value read back as a type it does not hold: a state, userState or sender
// given to state_cast (core/state_cast.hpp) as the wrong type, as .NET's
// cast throws.
class DOTASYNC_API InvalidCastException : public SystemException {
public:
    explicit InvalidCastException(std::string message = "Specified cast is not valid.",
                                  std::exception_ptr inner = {});
};

class DOTASYNC_API TimeoutException : public SystemException {
public:
    explicit TimeoutException(std::string message = "The operation did not complete in the time allowed.",
                              std::exception_ptr inner = {});
};

class DOTASYNC_API OperationCanceledException : public SystemException {
public:
    explicit OperationCanceledException(std::string message = "The operation was canceled before it completed.",
                                        std::exception_ptr inner = {});
};

class DOTASYNC_API TaskCanceledException : public OperationCanceledException {
public:
    explicit TaskCanceledException(std::string message = "The task was canceled before it completed.",
                                   std::exception_ptr inner = {});
};

class DOTASYNC_API IOException : public SystemException {
public:
    explicit IOException(std::string message = "An input/output operation failed.",
                         std::error_code errorCode = {}, std::exception_ptr inner = {});

    std::error_code ErrorCode() const noexcept { return error_code_; }

private:
    std::error_code error_code_;
};

class DOTASYNC_API FileNotFoundException : public IOException {
public:
    explicit FileNotFoundException(std::string message = "The file was not found.",
                                   std::string fileName = {}, std::error_code errorCode = {});

    const std::string& FileName() const noexcept { return file_name_; }

private:
    std::string file_name_;
};

class DOTASYNC_API DirectoryNotFoundException : public IOException {
public:
    explicit DirectoryNotFoundException(
        std::string message = "A directory in the path was not found.", std::error_code errorCode = {});
};

class DOTASYNC_API EndOfStreamException : public IOException {
public:
    explicit EndOfStreamException(std::string message = "The read went past the end of the stream.",
                                  std::error_code errorCode = {});
};

class DOTASYNC_API UnauthorizedAccessException : public SystemException {
public:
    explicit UnauthorizedAccessException(std::string message = "Access was denied.",
                                         std::exception_ptr inner = {});
};

// A socket or name-resolution failure. SocketErrorCode() is the .NET code,
// NativeErrorCode() the operating system's (errno, or the resolver's code),
// ErrorCode() the error_code it came from.
class DOTASYNC_API SocketException : public SystemException {
public:
    // .NET's SocketException(int errorCode): the message is the code's.
    explicit SocketException(SocketError socketError);
    explicit SocketException(std::error_code errorCode);
    SocketException(std::error_code errorCode, std::string message);

    SocketError SocketErrorCode() const noexcept { return socket_error_; }
    int NativeErrorCode() const noexcept { return error_code_.value(); }
    std::error_code ErrorCode() const noexcept { return error_code_; }

private:
    std::error_code error_code_;
    SocketError socket_error_;
};

class DOTASYNC_API TargetInvocationException : public Exception {
public:
    explicit TargetInvocationException(std::exception_ptr inner);
    TargetInvocationException(std::string message, std::exception_ptr inner);
};

class DOTASYNC_API AggregateException : public Exception {
public:
    explicit AggregateException(std::vector<std::exception_ptr> innerExceptions);
    AggregateException(std::string message, std::vector<std::exception_ptr> innerExceptions);

    const std::vector<std::exception_ptr>& InnerExceptions() const noexcept { return inner_exceptions_; }

private:
    std::vector<std::exception_ptr> inner_exceptions_;
};

} // namespace dotasync

#endif
