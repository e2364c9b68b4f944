#include <dotasync/core/exceptions.hpp>

#include <utility>

namespace dotasync {

namespace {

// .NET appends the parameter name to an argument exception's message, in
// this form; ported code that logs Message(), or tests that compare it, then
// see the same text.
std::string with_param(std::string message, const std::string& param)
{
    if (!param.empty())
        message += " (Parameter '" + param + "')";
    return message;
}

// .NET's ObjectDisposedException names the object on a line of its own
// whenever it has a name, whatever message it was given.
std::string disposed_message(std::string message, const std::string& objectName)
{
    if (!objectName.empty())
        message += "\nObject name: '" + objectName + "'.";
    return message;
}

const std::vector<std::exception_ptr>& non_null(const std::vector<std::exception_ptr>& inners)
{
    for (const auto& inner : inners)
        if (!inner)
            throw ArgumentException("An element of innerExceptions is null.", "innerExceptions");
    return inners;
}

std::string describe_inner(const std::exception_ptr& inner)
{
    if (!inner)
        return {};
    try {
        std::rethrow_exception(inner);
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "a non-standard exception";
    }
}

std::string aggregate_message(std::string message, const std::vector<std::exception_ptr>& inners)
{
    for (const auto& inner : inners)
        message += " (" + describe_inner(inner) + ")";
    return message;
}

} // namespace

Exception::Exception(std::string message, std::exception_ptr inner)
    : std::runtime_error(std::move(message)), inner_(std::move(inner))
{
}

SystemException::SystemException(std::string message, std::exception_ptr inner)
    : Exception(std::move(message), std::move(inner))
{
}

InvalidOperationException::InvalidOperationException(std::string message, std::exception_ptr inner)
    : SystemException(std::move(message), std::move(inner))
{
}

ObjectDisposedException::ObjectDisposedException(std::string objectName)
    : InvalidOperationException(disposed_message("Cannot access a disposed object.", objectName)),
      object_name_(std::move(objectName))
{
}

ObjectDisposedException::ObjectDisposedException(std::string objectName, std::string message)
    : InvalidOperationException(disposed_message(std::move(message), objectName)),
      object_name_(std::move(objectName))
{
}

ArgumentException::ArgumentException(std::string message, std::string paramName,
                                     std::exception_ptr inner)
    : SystemException(with_param(std::move(message), paramName), std::move(inner)),
      param_name_(std::move(paramName))
{
}

ArgumentNullException::ArgumentNullException(std::string paramName)
    : ArgumentException("Value cannot be null.", std::move(paramName))
{
}

ArgumentNullException::ArgumentNullException(std::string paramName, std::string message)
    : ArgumentException(std::move(message), std::move(paramName))
{
}

ArgumentOutOfRangeException::ArgumentOutOfRangeException(std::string paramName)
    : ArgumentException("Specified argument was out of the range of valid values.", std::move(paramName))
{
}

ArgumentOutOfRangeException::ArgumentOutOfRangeException(std::string paramName, std::string message)
    : ArgumentException(std::move(message), std::move(paramName))
{
}

NotSupportedException::NotSupportedException(std::string message, std::exception_ptr inner)
    : SystemException(std::move(message), std::move(inner))
{
}

FormatException::FormatException(std::string message) : SystemException(std::move(message)) {}

InvalidCastException::InvalidCastException(std::string message, std::exception_ptr inner)
    : SystemException(std::move(message), std::move(inner))
{
}

TimeoutException::TimeoutException(std::string message, std::exception_ptr inner)
    : SystemException(std::move(message), std::move(inner))
{
}

OperationCanceledException::OperationCanceledException(std::string message, std::exception_ptr inner)
    : SystemException(std::move(message), std::move(inner))
{
}

TaskCanceledException::TaskCanceledException(std::string message, std::exception_ptr inner)
    : OperationCanceledException(std::move(message), std::move(inner))
{
}

IOException::IOException(std::string message, std::error_code errorCode, std::exception_ptr inner)
    : SystemException(std::move(message), std::move(inner)), error_code_(errorCode)
{
}

FileNotFoundException::FileNotFoundException(std::string message, std::string fileName,
                                             std::error_code errorCode)
    : IOException(std::move(message), errorCode), file_name_(std::move(fileName))
{
}

DirectoryNotFoundException::DirectoryNotFoundException(std::string message, std::error_code errorCode)
    : IOException(std::move(message), errorCode)
{
}

EndOfStreamException::EndOfStreamException(std::string message, std::error_code errorCode)
    : IOException(std::move(message), errorCode)
{
}

UnauthorizedAccessException::UnauthorizedAccessException(std::string message, std::exception_ptr inner)
    : SystemException(std::move(message), std::move(inner))
{
}

SocketException::SocketException(std::error_code errorCode)
    : SocketException(errorCode, errorCode.message())
{
}

SocketException::SocketException(std::error_code errorCode, std::string message)
    : SystemException(std::move(message)), error_code_(errorCode), socket_error_(socket_error_of(errorCode))
{
}

SocketException::SocketException(SocketError socketError)
    : SocketException(socket_error_code(socketError))
{
}

TargetInvocationException::TargetInvocationException(std::exception_ptr inner)
    : TargetInvocationException("The target of an invocation threw an exception.",
                                std::move(inner))
{
}

TargetInvocationException::TargetInvocationException(std::string message, std::exception_ptr inner)
    : Exception(std::move(message), std::move(inner))
{
}

AggregateException::AggregateException(std::vector<std::exception_ptr> innerExceptions)
    : AggregateException("One or more operations failed.", std::move(innerExceptions))
{
}

AggregateException::AggregateException(std::string message,
                                       std::vector<std::exception_ptr> innerExceptions)
    : Exception(aggregate_message(std::move(message), non_null(innerExceptions)),
                innerExceptions.empty() ? std::exception_ptr{} : innerExceptions.front()),
      inner_exceptions_(std::move(innerExceptions))
{
}

} // namespace dotasync
