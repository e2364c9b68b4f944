// TapUserProvider: the UserService exposed the task-based way (TAP), as
// .NET's `Task<User> GetUserAsync(int userId, CancellationToken ct)`.
//
//   std::optional<User> user = co_await provider.GetUserAsync(100, asio::use_awaitable);
//   auto future = provider.GetUserAsync(101, cts.Token(), asio::use_future);
//   provider.GetUserAsync(100, [](std::exception_ptr error, std::optional<User> user) { ... });
//
// GetUserAsync(userId[, ct], token) is an Asio initiating function with the
// completion signature void(std::exception_ptr, std::optional<User>): an
// empty optional for an unknown id, and OperationCanceledException when ct is
// cancelled before or during the lookup. co_await and future::get() rethrow
// the exception, as awaiting a .NET task does.
//
// Thread-safety: every member may be called from any thread.
#ifndef DOTASYNC_SAMPLES_USER_SERVICE_TAP_USER_PROVIDER_HPP
#define DOTASYNC_SAMPLES_USER_SERVICE_TAP_USER_PROVIDER_HPP

#include "user_service.hpp"

#include <dotasync/core/cancellation.hpp>

#include <optional>
#include <utility>

namespace user_service {

class TapUserProvider {
public:
    TapUserProvider() = default;
    explicit TapUserProvider(UserService service) : service_(std::move(service)) {}

    // Synchronous: blocks for the lookup time.
    std::optional<User> GetUser(int userId) const { return service_.GetUser(userId); }

    template <class CompletionToken>
    auto GetUserAsync(int userId, CompletionToken&& token) const
    {
        return GetUserAsync(userId, dotasync::CancellationToken::None(), std::forward<CompletionToken>(token));
    }

    // The whole TAP method: the service's Asio operation with the token
    // bound to its cancellation slot; with_cancellation also turns the
    // service's error_code into the .NET exception.
    template <class CompletionToken>
    auto GetUserAsync(int userId, dotasync::CancellationToken ct, CompletionToken&& token) const
    {
        return service_.async_get_user(userId,
                                       dotasync::with_cancellation(std::move(ct), std::forward<CompletionToken>(token)));
    }

private:
    UserService service_;
};

} // namespace user_service

#endif
