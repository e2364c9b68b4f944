#include <dotasync/tap/task_completion_source.hpp>

#include <dotasync/core/exceptions.hpp>

namespace dotasync::detail {

void throw_already_completed()
{
    throw InvalidOperationException(
        "The outcome of this TaskCompletionSource was already set; it can be set only once.");
}

std::exception_ptr canceled_task_error()
{
    return std::make_exception_ptr(TaskCanceledException());
}

std::exception_ptr abandoned_source_error()
{
    return std::make_exception_ptr(ObjectDisposedException(
        "TaskCompletionSource",
        "The TaskCompletionSource was destroyed before it set a result, so its task can never complete."));
}

} // namespace dotasync::detail
