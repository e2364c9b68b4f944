#include <dotasync/eap/async_operation.hpp>

#include <dotasync/core/exceptions.hpp>
#include <dotasync/core/logging.hpp>

#include <exception>
#include <utility>

namespace dotasync {

AsyncOperation::AsyncOperation(private_tag, std::any userSuppliedState,
                               std::shared_ptr<dotasync::SynchronizationContext> context)
    : user_state_(std::move(userSuppliedState)), context_(std::move(context))
{
}

AsyncOperation::~AsyncOperation()
{
    // As .NET's finalizer does: an operation nobody ended still ends, so that
    // a context counting outstanding operations is not kept waiting.
    if (completed_)
        return;
    try {
        context_->OperationCompleted();
    } catch (...) {
        detail::log_callback_exception("SynchronizationContext::OperationCompleted (operation destroyed unended)",
                                       std::current_exception());
    }
}

void AsyncOperation::verify_not_completed() const
{
    if (completed_)
        throw InvalidOperationException(
            "The asynchronous operation has already completed and accepts no further calls.");
}

void AsyncOperation::Post(SendOrPostCallback d, std::any arg)
{
    std::lock_guard lock(mutex_);
    verify_not_completed();
    if (!d)
        throw ArgumentNullException("d");
    context_->Post(std::move(d), std::move(arg));
}

void AsyncOperation::PostOperationCompleted(SendOrPostCallback d, std::any arg)
{
    std::lock_guard lock(mutex_);
    verify_not_completed();
    if (!d)
        throw ArgumentNullException("d");
    // Posted before the operation ends, so that a context counting operations
    // has the callback queued before the count can drop to zero.
    context_->Post(std::move(d), std::move(arg));
    completed_ = true;
    context_->OperationCompleted();
}

void AsyncOperation::OperationCompleted()
{
    std::lock_guard lock(mutex_);
    verify_not_completed();
    completed_ = true;
    context_->OperationCompleted();
}

bool AsyncOperation::IsCompleted() const
{
    std::lock_guard lock(mutex_);
    return completed_;
}

std::shared_ptr<AsyncOperation> AsyncOperationManager::CreateOperation(std::any userSuppliedState)
{
    auto context = SynchronizationContext();
    context->OperationStarted();
    try {
        return std::make_shared<AsyncOperation>(AsyncOperation::private_tag{}, std::move(userSuppliedState),
                                                context);
    } catch (...) {
        // Nothing may be left half done: the context was told the operation
        // started, so tell it that it has ended.
        context->OperationCompleted();
        throw;
    }
}

std::shared_ptr<dotasync::SynchronizationContext> AsyncOperationManager::SynchronizationContext()
{
    if (auto current = dotasync::SynchronizationContext::Current())
        return current;
    return detail::default_synchronization_context();
}

void AsyncOperationManager::SynchronizationContext(std::shared_ptr<dotasync::SynchronizationContext> context) noexcept
{
    dotasync::SynchronizationContext::SetSynchronizationContext(std::move(context));
}

} // namespace dotasync
