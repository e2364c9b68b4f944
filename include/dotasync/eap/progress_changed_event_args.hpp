// ProgressChangedEventArgs: what an EAP ProgressChanged event reports.
//
// ProgressPercentage() is the percentage the operation reported (not checked
// against 0..100, as in .NET); UserState() is the state given with the report
// (BackgroundWorker::ReportProgress) or to XxxAsync.
//
// Thread-safety: immutable after construction.
#ifndef DOTASYNC_EAP_PROGRESS_CHANGED_EVENT_ARGS_HPP
#define DOTASYNC_EAP_PROGRESS_CHANGED_EVENT_ARGS_HPP

#include <dotasync/core/export.hpp>
#include <dotasync/eap/event_args.hpp>

#include <any>

namespace dotasync {

class DOTASYNC_API ProgressChangedEventArgs : public EventArgs {
public:
    ProgressChangedEventArgs(int progressPercentage, std::any userState);
    ~ProgressChangedEventArgs() override;

    ProgressChangedEventArgs(const ProgressChangedEventArgs&) = default;
    ProgressChangedEventArgs(ProgressChangedEventArgs&&) = default;
    ProgressChangedEventArgs& operator=(const ProgressChangedEventArgs&) = default;
    ProgressChangedEventArgs& operator=(ProgressChangedEventArgs&&) = default;

    int ProgressPercentage() const noexcept { return progress_percentage_; }
    const std::any& UserState() const noexcept { return user_state_; }

private:
    int progress_percentage_;
    std::any user_state_;
};

} // namespace dotasync

#endif
