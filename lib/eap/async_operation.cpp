#include <dotasync/eap/async_operation.hpp>

#include <dotasync/core/exceptions.hpp>
#include <dotasync/core/state_cast.hpp>
#include <dotasync/core/logging.hpp>
#include <dotasync/threading/strand_synchronization_context.hpp>

#include <atomic>
#include <exception>
#include <thread>
#include <utility>

namespace dotasync {

namespace {

// Holds back a completion callback until the thread that posted it has
// released its reference to the context. Without it that thread could drop
// the last reference after the callback has run, destroying the context
// (and its strand) after user code had already torn down its io_context.
class completion_handoff {
public:
    void release() noexcept
    {
        released_.store(true, std::memory_order_release);
        released_.notify_all();
    }

    void wait() const noexcept
    {
        // A context that runs the callback inline, inside Post, runs it on the
        // posting thread, which cannot release before Post returns.
        if (std::this_thread::get_id() == poster_)
            return;
        released_.wait(false, std::memory_order_acquire);
    }

private:
    std::atomic<bool> released_{false};
    const std::thread::id poster_ = std::this_thread::get_id();
};

} // namespace

AsyncOperation::AsyncOperation(private_tag, std::any userSuppliedState,
                               std::shared_ptr<dotasync::SynchronizationContext> context)
    : user_state_(detail::non_null_state(std::move(userSuppliedState))), context_(std::move(context)), weak_context_(context_)
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
    struct call {
        SendOrPostCallback d;
        std::any arg;
        void operator()() { d(arg); }
    } completion{std::move(d), std::move(arg)};
    try {
        if (!detail::try_post_operation_completed(context_, completion))
            detail::post_operation_completed(context_, std::move(completion.d), std::move(completion.arg));
    } catch (...) {
        // The operation has ended once the context has been let go, even if
        // the context's OperationCompleted threw.
        completed_ = !context_;
        throw;
    }
    completed_ = true;
}

void AsyncOperation::OperationCompleted()
{
    std::shared_ptr<dotasync::SynchronizationContext> context;
    {
        std::lock_guard lock(mutex_);
        verify_not_completed();
        completed_ = true;
        context = std::move(context_);
    }
    context->OperationCompleted();
}

namespace detail {

void post_operation_completed(std::shared_ptr<dotasync::SynchronizationContext>& context, SendOrPostCallback d,
                              std::any arg)
{
    auto handoff = std::make_shared<completion_handoff>();
    // Posted before the operation ends, so that a context counting
    // operations has the callback queued before the count can drop to zero.
    context->Post(
        [d = std::move(d), handoff](const std::any& state) {
            handoff->wait();
            d(state);
        },
        std::move(arg));
    auto held = std::move(context);

    // Whatever OperationCompleted does, the reference goes and the callback
    // is let through.
    struct release_on_exit {
        std::shared_ptr<dotasync::SynchronizationContext>& context;
        completion_handoff& handoff;
        ~release_on_exit()
        {
            context.reset();
            handoff.release();
        }
    } release{held, *handoff};
    held->OperationCompleted();
}

} // namespace detail

std::shared_ptr<dotasync::SynchronizationContext> AsyncOperation::SynchronizationContext() const
{
    std::lock_guard lock(mutex_);
    return context_ ? context_ : weak_context_.lock();
}

bool AsyncOperation::is_completed() const
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
