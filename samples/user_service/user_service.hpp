// UserService: the service of .NET's walk-through, with the three
// asynchronous faces written once each over one Asio operation.
//
// It looks users up in an in-memory list (100 "Adam", 101 "Eve"). A lookup
// takes a configurable time, standing for a database round trip:
//
//   GetUser(userId)                          synchronous; blocks the caller
//   async_get_user(userId, token)            the one Asio initiating function
//   BeginGetUser(userId, callback, state)    APM, with
//   EndGetUser(asyncResult)                    dotasync::apm_method
//   GetUserAsync(userId[, userState])        EAP: GetUserCompleted is raised
//   CancelAsync(userState)                     through the caller's context
//   GetUserAsync(userId[, ct], token)        TAP: co_await, use_future, use_task,
//                                              a callback
//
// async_get_user waits on an asio::steady_timer (no thread sleeps) and then
// completes with void(boost::system::error_code, std::optional<User>): an
// empty optional for an unknown id, as .NET's FirstOrDefault returns null.
// It supports Asio per-operation cancellation (terminal): a cancelled lookup
// completes with operation_aborted. A lookup in flight shares the user list,
// so it stays valid if the service goes.
//
// APM: EndGetUser follows every .NET rule (a result of another object or
// method, a second End, a null result, End on the only thread able to
// complete the lookup: each throws; see dotasync/core/apm_method.hpp).
//
// EAP: GetUserAsync captures the calling thread's SynchronizationContext;
// GetUserCompleted is raised through it (on a message loop's thread, on a
// strand, or on the default runtime when there is none), with the service
// as sender (a UserService* in the std::any). Several lookups may be in
// flight at once, each with its own userState: a userState still in flight
// throws ArgumentException, and GetUserAsync(userId), which has none, throws
// InvalidOperationException while a previous one is in flight.
// CancelAsync(userState) cancels that lookup: it completes with Cancelled()
// true. Destroying the service cancels its EAP lookups and drops their
// events; destroy it on the thread of the context they report to.
//
// TAP: GetUserAsync(userId[, ct], token) completes with
// void(std::exception_ptr, std::optional<User>); a CancellationToken
// cancelled before or during the lookup gives OperationCanceledException.
//
// Thread-safety: every member may be called from any thread.
#ifndef DOTASYNC_SAMPLES_USER_SERVICE_USER_SERVICE_HPP
#define DOTASYNC_SAMPLES_USER_SERVICE_USER_SERVICE_HPP

#include "get_user_completed_event_args.hpp"
#include "user.hpp"

#include <dotasync/core/apm_method.hpp>
#include <dotasync/core/cancellation.hpp>
#include <dotasync/core/event.hpp>
#include <dotasync/eap/eap.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/error_code.hpp>

#include <any>
#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace user_service {

class UserService {
public:
    using executor_type = boost::asio::any_io_executor;
    using lookup_signature = void(boost::system::error_code, std::optional<User>);
    using task_signature = void(std::exception_ptr, std::optional<User>);

    // Lookups wait on timers of the default runtime.
    explicit UserService(std::chrono::milliseconds lookupTime = std::chrono::milliseconds(200));
    UserService(executor_type executor, std::chrono::milliseconds lookupTime = std::chrono::milliseconds(200));

    // Raises GetUserCompleted with this object as sender: not copyable.
    UserService(const UserService&) = delete;
    UserService& operator=(const UserService&) = delete;

    // Waits for the lookup time on the calling thread, then returns the user.
    std::optional<User> GetUser(int userId) const;

    // The Asio initiating function the three faces share.
    template <class CompletionToken>
    auto async_get_user(int userId, CompletionToken&& token) const
    {
        return boost::asio::async_compose<CompletionToken, lookup_signature>(
            lookup{users_, userId, executor_, lookup_time_, nullptr}, token, executor_);
    }

    // APM.
    dotasync::IAsyncResultPtr BeginGetUser(int userId, dotasync::AsyncCallback callback, std::any state) const;
    std::optional<User> EndGetUser(const dotasync::IAsyncResultPtr& asyncResult) const;

    // EAP.
    dotasync::Event<GetUserCompletedEventArgs> GetUserCompleted;
    void GetUserAsync(int userId);
    // A template only so that a completion token, which the TAP overloads
    // take, never converts to a userState.
    template <class UserState>
        requires(!boost::asio::completion_token_for<UserState, task_signature>)
    void GetUserAsync(int userId, UserState&& userState)
    {
        start_get_user(userId, std::any(std::forward<UserState>(userState)));
    }
    void CancelAsync(const std::any& userState);

    // TAP: .NET's Task<User> GetUserAsync(int userId[, CancellationToken ct]).
    template <boost::asio::completion_token_for<task_signature> CompletionToken>
    auto GetUserAsync(int userId, CompletionToken&& token) const
    {
        return GetUserAsync(userId, dotasync::CancellationToken::None(), std::forward<CompletionToken>(token));
    }

    template <boost::asio::completion_token_for<task_signature> CompletionToken>
    auto GetUserAsync(int userId, dotasync::CancellationToken ct, CompletionToken&& token) const
    {
        // with_cancellation binds ct to the lookup's cancellation slot and
        // turns its error_code into the .NET exception.
        return async_get_user(userId, dotasync::with_cancellation(std::move(ct), std::forward<CompletionToken>(token)));
    }

    executor_type get_executor() const { return executor_; }
    std::chrono::milliseconds LookupTime() const { return lookup_time_; }

private:
    using user_list = std::vector<User>;

    static constexpr dotasync::apm_method<lookup_signature> get_user_method{};

    static std::optional<User> find(const user_list& users, int userId);

    // The EAP face.
    void start_get_user(int userId, std::any userState);

    // The composed operation.
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
    // Last, so that it is destroyed first: EAP lookups in flight are
    // cancelled and their events dropped before the rest of the service goes.
    dotasync::eap_operations operations_;
};

} // namespace user_service

#endif
