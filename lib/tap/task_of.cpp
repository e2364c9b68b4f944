#include <dotasync/tap/task_of.hpp>

namespace dotasync {

namespace detail {

void throw_empty_task()
{
    throw InvalidOperationException("The task is empty: it was default-constructed, not made by an operation.");
}

} // namespace detail

std::exception_ptr TaskOf<void>::Exception() const
{
    const auto& s = state();
    if (s.status() != TaskStatus::Faulted)
        return nullptr;
    try {
        s.throw_if_not_successful();
    } catch (...) {
        return std::current_exception();
    }
    return nullptr;
}

void TaskOf<void>::Wait() const
{
    const auto& s = state();
    s.wait();
    s.throw_if_not_successful();
}

bool TaskOf<void>::Wait(int millisecondsTimeout) const
{
    return Wait(millisecondsTimeout, CancellationToken::None());
}

void TaskOf<void>::Wait(const CancellationToken& cancellationToken) const
{
    Wait(-1, cancellationToken);
}

bool TaskOf<void>::Wait(int millisecondsTimeout, const CancellationToken& cancellationToken) const
{
    const auto& s = state();
    if (!s.wait(millisecondsTimeout, cancellationToken))
        return false;
    s.throw_if_not_successful();
    return true;
}

} // namespace dotasync
