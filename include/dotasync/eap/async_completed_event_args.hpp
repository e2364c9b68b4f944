// AsyncCompletedEventArgs: what an EAP XxxCompleted event reports.
//
//   void OnGetUserCompleted(const std::any& sender, const GetUserCompletedEventArgs& e)
//   {
//       if (e.Cancelled()) ...;
//       else if (e.Error()) ...;              // the operation's failure
//       else use(e.Result());                 // Result() calls RaiseExceptionIfNecessary()
//   }
//
// Error() is the failure of the operation (null on success), Cancelled() is
// true when the operation was canceled, UserState() is the userState given
// to XxxAsync. Derived classes that add a Result() call
// RaiseExceptionIfNecessary() first, as .NET's generated event args do: with
// an error it throws TargetInvocationException whose InnerException() is the
// error; otherwise, when canceled, InvalidOperationException. The error is
// checked first, so a canceled operation that also failed reports the
// failure.
//
// Thread-safety: immutable after construction.
#ifndef DOTASYNC_EAP_ASYNC_COMPLETED_EVENT_ARGS_HPP
#define DOTASYNC_EAP_ASYNC_COMPLETED_EVENT_ARGS_HPP

#include <dotasync/core/export.hpp>
#include <dotasync/eap/event_args.hpp>

#include <any>
#include <exception>

namespace dotasync {

class DOTASYNC_API AsyncCompletedEventArgs : public EventArgs {
public:
    AsyncCompletedEventArgs(std::exception_ptr error, bool canceled, std::any userState);
    ~AsyncCompletedEventArgs() override;

    AsyncCompletedEventArgs(const AsyncCompletedEventArgs&) = default;
    AsyncCompletedEventArgs(AsyncCompletedEventArgs&&) = default;
    AsyncCompletedEventArgs& operator=(const AsyncCompletedEventArgs&) = default;
    AsyncCompletedEventArgs& operator=(AsyncCompletedEventArgs&&) = default;

    const std::exception_ptr& Error() const noexcept { return error_; }
    bool Cancelled() const noexcept { return canceled_; }
    const std::any& UserState() const noexcept { return user_state_; }

    // Throws as described in the file comment when the operation failed or
    // was canceled; does nothing otherwise. (Protected in .NET; public here
    // so that code outside a derived class can check a result too.)
    void RaiseExceptionIfNecessary() const;

private:
    std::exception_ptr error_;
    bool canceled_;
    std::any user_state_;
};

} // namespace dotasync

#endif
