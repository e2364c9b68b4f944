#include <dotasync/eap/progress_changed_event_args.hpp>

#include <dotasync/core/state_cast.hpp>

#include <utility>

namespace dotasync {

ProgressChangedEventArgs::ProgressChangedEventArgs(int progressPercentage, std::any userState)
    : progress_percentage_(progressPercentage), user_state_(detail::non_null_state(std::move(userState)))
{
}

ProgressChangedEventArgs::~ProgressChangedEventArgs() = default;

} // namespace dotasync
