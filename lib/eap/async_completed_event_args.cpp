#include <dotasync/eap/async_completed_event_args.hpp>

#include <dotasync/core/exceptions.hpp>

#include <utility>

namespace dotasync {

AsyncCompletedEventArgs::AsyncCompletedEventArgs(std::exception_ptr error, bool cancelled, std::any userState)
    : error_(std::move(error)), cancelled_(cancelled), user_state_(std::move(userState))
{
}

AsyncCompletedEventArgs::~AsyncCompletedEventArgs() = default;

void AsyncCompletedEventArgs::RaiseExceptionIfNecessary() const
{
    // The order and the messages are .NET's.
    if (error_)
        throw TargetInvocationException("An exception occurred during the operation, making the result invalid. "
                                        "Check InnerException for exception details.",
                                        error_);
    if (cancelled_)
        throw InvalidOperationException("Operation has been cancelled.");
}

} // namespace dotasync
