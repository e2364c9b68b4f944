// UserService: the service of .NET's EAP walk-through, shared by the samples.
//
// It looks users up in an in-memory list (100 "Adam", 101 "Eve"). A lookup
// takes a configurable time, standing for a database round trip:
//
//   std::optional<User> GetUser(int userId)      synchronous; blocks the caller
//   async_get_user(userId, token)                asynchronous; any Asio token
//
// async_get_user waits on an asio::steady_timer (no thread sleeps) and then
// completes with void(boost::system::error_code, std::optional<User>): an
// empty optional for an unknown id, as .NET's FirstOrDefault returns null.
// It supports Asio per-operation cancellation (terminal): a cancelled lookup
// completes with operation_aborted.
//
// Thread-safety: the service is immutable; it may be used from any thread.
#ifndef DOTASYNC_SAMPLES_USER_SERVICE_USER_SERVICE_HPP
#define DOTASYNC_SAMPLES_USER_SERVICE_USER_SERVICE_HPP

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace user_service {

struct User {
    int Id = 0;
    std::string Name;
};

class UserService {
public:
    using executor_type = boost::asio::any_io_executor;

    // Lookups wait on timers of the default runtime.
    explicit UserService(std::chrono::milliseconds lookupTime = std::chrono::milliseconds(200));
    UserService(executor_type executor, std::chrono::milliseconds lookupTime = std::chrono::milliseconds(200));

    // Waits for the lookup time on the calling thread, then returns the user.
    std::optional<User> GetUser(int userId) const;

    template <class CompletionToken>
    auto async_get_user(int userId, CompletionToken&& token) const
    {
        return boost::asio::async_compose<CompletionToken, void(boost::system::error_code, std::optional<User>)>(
            lookup{users_, userId, executor_, lookup_time_, nullptr}, token, executor_);
    }

    executor_type get_executor() const { return executor_; }
    std::chrono::milliseconds LookupTime() const { return lookup_time_; }

private:
    using user_list = std::vector<User>;

    static std::optional<User> find(const user_list& users, int userId);

    // The composed operation. It shares the user list rather than pointing to
    // the service, so that a lookup in flight stays valid if the service goes.
    struct lookup {
        std::shared_ptr<const user_list> users;
        int user_id;
        executor_type executor;
        std::chrono::milliseconds delay;
        std::unique_ptr<boost::asio::steady_timer> timer;

        template <class Self>
        void operator()(Self& self)
        {
            timer = std::make_unique<boost::asio::steady_timer>(executor, delay);
            timer->async_wait(std::move(self));
        }

        template <class Self>
        void operator()(Self& self, boost::system::error_code ec)
        {
            if (ec)
                self.complete(ec, std::nullopt);
            else
                self.complete(ec, find(*users, user_id));
        }
    };

    std::shared_ptr<const user_list> users_;
    executor_type executor_;
    std::chrono::milliseconds lookup_time_;
};

} // namespace user_service

#endif
