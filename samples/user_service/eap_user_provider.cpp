#include "eap_user_provider.hpp"

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

EapUserProvider::EapUserProvider() = default;

EapUserProvider::EapUserProvider(UserService service) : service_(std::move(service)) {}

std::optional<User> EapUserProvider::GetUser(int userId) const
{
    return service_.GetUser(userId);
}

void EapUserProvider::GetUserAsync(int userId)
{
    GetUserAsync(userId, std::any());
}

void EapUserProvider::GetUserAsync(int userId, std::any userState)
{
    // The whole EAP method: the service's Asio operation, completed through
    // an AsyncOperation that raises GetUserCompleted on the caller's context.
    service_.async_get_user(userId, dotasync::eap(operations_, std::move(userState),
                                                  [this](dotasync::AsyncCompletedEventArgs done, std::optional<User> user) {
                                                      GetUserCompletedEventArgs e(std::move(user), done.Error(),
                                                                                  done.Cancelled(), done.UserState());
                                                      GetUserCompleted.Invoke(this, e);
                                                  }));
}

void EapUserProvider::CancelAsync(const std::any& userState)
{
    operations_.cancel(userState);
}

} // namespace user_service
