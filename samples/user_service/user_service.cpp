#include "user_service.hpp"

#include <dotasync/threading/thread_pool.hpp>

#include <algorithm>
#include <utility>

namespace user_service {

UserService::UserService(std::chrono::milliseconds lookupTime)
    : UserService(dotasync::ThreadPool::Executor(), lookupTime)
{
}

UserService::UserService(executor_type executor, std::chrono::milliseconds lookupTime)
    : users_(std::make_shared<const user_list>(user_list{{100, "Adam"}, {101, "Eve"}})),
      executor_(std::move(executor)), lookup_time_(lookupTime)
{
}

std::optional<User> UserService::GetUser(int userId) const
{
    // A synchronous wait on a timer: the calling thread blocks, as a
    // synchronous database call would block it.
    boost::asio::steady_timer timer(executor_, lookup_time_);
    timer.wait();
    return find(*users_, userId);
}

dotasync::IAsyncResultPtr UserService::BeginGetUser(int userId, dotasync::AsyncCallback callback,
                                                   std::any state) const
{
    // The whole APM Begin: the lookup, with the apm token of this method of
    // this object.
    return async_get_user(userId, get_user_method.begin(this, std::move(callback), std::move(state)));
}

std::optional<User> UserService::EndGetUser(const dotasync::IAsyncResultPtr& asyncResult) const
{
    return get_user_method.end(this, asyncResult);
}

void UserService::GetUserAsync(int userId)
{
    start_get_user(userId, std::any());
}

void UserService::start_get_user(int userId, std::any userState)
{
    // The whole EAP method: the lookup, completed through the eap token,
    // which raises GetUserCompleted on the caller's context.
    async_get_user(userId, dotasync::eap(operations_, std::move(userState),
                                         [this](dotasync::AsyncCompletedEventArgs done, std::optional<User> user) {
                                             GetUserCompletedEventArgs e(std::move(user), done.Error(),
                                                                         done.Cancelled(), done.UserState());
                                             GetUserCompleted.Invoke(this, e);
                                         }));
}

void UserService::CancelAsync(const std::any& userState)
{
    operations_.cancel(userState);
}

std::optional<User> UserService::find(const user_list& users, int userId)
{
    auto it = std::find_if(users.begin(), users.end(), [userId](const User& u) { return u.Id == userId; });
    if (it == users.end())
        return std::nullopt;
    return *it;
}

} // namespace user_service
