// TaskStatus: the stage of a task's life, with .NET's names and numeric values.
//
// A TaskOf made by use_task or a TaskCompletionSource is WaitingForActivation
// until its operation completes (.NET's status for a promise-style task), then
// RanToCompletion, Canceled (it completed with OperationCanceledException or
// a type derived from it) or Faulted (any other failure).
#ifndef DOTASYNC_TAP_TASK_STATUS_HPP
#define DOTASYNC_TAP_TASK_STATUS_HPP

namespace dotasync {

enum class TaskStatus {
    Created = 0,
    WaitingForActivation = 1,
    WaitingToRun = 2,
    Running = 3,
    WaitingForChildrenToComplete = 4,
    RanToCompletion = 5,
    Canceled = 6,
    Faulted = 7,
};

} // namespace dotasync

#endif
