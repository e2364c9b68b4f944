#include "user_service.hpp"

#include <dotasync/threading/thread_pool.hpp>

#include <algorithm>

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

std::optional<User> UserService::find(const user_list& users, int userId)
{
    auto it = std::find_if(users.begin(), users.end(), [userId](const User& u) { return u.Id == userId; });
    if (it == users.end())
        return std::nullopt;
    return *it;
}

} // namespace user_service
