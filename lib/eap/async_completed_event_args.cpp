#include <dotasync/eap/async_completed_event_args.hpp>

#include <dotasync/core/exceptions.hpp>

#include <dotasync/core/state_cast.hpp>

#include <utility>

namespace dotasync {

AsyncCompletedEventArgs::AsyncCompletedEventArgs(std::exception_ptr error, bool canceled, std::any userState)
    : error_(std::move(error)), canceled_(canceled), user_state_(detail::non_null_state(std::move(userState)))
{
}

AsyncCompletedEventArgs::~AsyncCompletedEventArgs() = default;

void AsyncCompletedEventArgs::RaiseExceptionIfNecessary() const
{
    // The error is checked first, as .NET does: a canceled operation that
    // also failed reports the failure.
    if (error_)
        throw TargetInvocationException(
            "The asynchronous operation failed, so it has no result; InnerException() holds the failure.", error_);
    if (canceled_)
        throw InvalidOperationException("The asynchronous operation was cancelled, so it has no result.");
}

} // namespace dotasync
