// GetUserCompletedEventArgs: what UserService's GetUserCompleted event
// carries, as in .NET's walk-through.
//
// Thread-safety: immutable once raised; read it from any thread.
#ifndef DOTASYNC_SAMPLES_USER_SERVICE_GET_USER_COMPLETED_EVENT_ARGS_HPP
#define DOTASYNC_SAMPLES_USER_SERVICE_GET_USER_COMPLETED_EVENT_ARGS_HPP

#include "user.hpp"

#include <dotasync/eap/async_completed_event_args.hpp>

#include <any>
#include <exception>
#include <optional>

namespace user_service {

class GetUserCompletedEventArgs : public dotasync::AsyncCompletedEventArgs {
public:
    GetUserCompletedEventArgs(std::optional<User> result, std::exception_ptr error, bool cancelled,
                              std::any userState);

    // The user, or empty for an unknown id; throws as
    // RaiseExceptionIfNecessary() does when the lookup failed or was cancelled.
    const std::optional<User>& Result() const;

private:
    std::optional<User> result_;
};

} // namespace user_service

#endif
