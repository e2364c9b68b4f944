#include <dotasync/eap/progress_changed_event_args.hpp>

#include <utility>

namespace dotasync {

ProgressChangedEventArgs::ProgressChangedEventArgs(int progressPercentage, std::any userState)
    : progress_percentage_(progressPercentage), user_state_(std::move(userState))
{
}

ProgressChangedEventArgs::~ProgressChangedEventArgs() = default;

} // namespace dotasync
