#include "get_user_completed_event_args.hpp"

#include <utility>

namespace user_service {

GetUserCompletedEventArgs::GetUserCompletedEventArgs(std::optional<User> result, std::exception_ptr error,
                                                     bool cancelled, std::any userState)
    : AsyncCompletedEventArgs(std::move(error), cancelled, std::move(userState)), result_(std::move(result))
{
}

const std::optional<User>& GetUserCompletedEventArgs::Result() const
{
    RaiseExceptionIfNecessary();
    return result_;
}

} // namespace user_service
