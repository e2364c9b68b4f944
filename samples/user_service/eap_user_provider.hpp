// EapUserProvider: the UserService exposed the event-based way (EAP), as in
// .NET's walk-through.
//
//   provider.GetUserCompleted += [](const std::any&, const GetUserCompletedEventArgs& e) {
//       if (auto user = e.Result()) std::cout << user->Name;   // Result() rethrows failures
//   };
//   provider.GetUserAsync(100);
//
// GetUserAsync captures the calling thread's SynchronizationContext;
// GetUserCompleted is raised through it (on a message loop's thread, on a
// strand, or on the default runtime when there is none). Several lookups may
// be in flight at once, each with its own userState: a userState still in
// flight throws ArgumentException, and GetUserAsync(userId), which has none,
// throws InvalidOperationException while a previous one is in flight.
// CancelAsync(userState) cancels that lookup: it completes with Cancelled()
// true. An unknown id completes with an empty Result().
//
// The provider must outlive its lookups, or be destroyed on the thread of
// the context they report to: destroying it cancels them and drops their
// events.
//
// Thread-safety: every member may be called from any thread.
#ifndef DOTASYNC_SAMPLES_USER_SERVICE_EAP_USER_PROVIDER_HPP
#define DOTASYNC_SAMPLES_USER_SERVICE_EAP_USER_PROVIDER_HPP

#include "user_service.hpp"

#include <dotasync/core/event.hpp>
#include <dotasync/eap/async_completed_event_args.hpp>
#include <dotasync/eap/eap.hpp>

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

class EapUserProvider {
public:
    EapUserProvider();
    explicit EapUserProvider(UserService service);

    EapUserProvider(const EapUserProvider&) = delete;
    EapUserProvider& operator=(const EapUserProvider&) = delete;

    dotasync::Event<GetUserCompletedEventArgs> GetUserCompleted;

    // Synchronous: blocks for the lookup time.
    std::optional<User> GetUser(int userId) const;

    void GetUserAsync(int userId);
    void GetUserAsync(int userId, std::any userState);
    void CancelAsync(const std::any& userState);

private:
    UserService service_;
    // Last, so that it is destroyed first: lookups in flight are cancelled
    // and their events dropped before the rest of the provider goes.
    dotasync::eap_operations operations_;
};

} // namespace user_service

#endif
