#include <dotasync/threading/synchronization_context.hpp>

#include <dotasync/core/exceptions.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include <boost/asio/post.hpp>

namespace dotasync {

namespace {

thread_local std::shared_ptr<SynchronizationContext> current_context;

} // namespace

SynchronizationContext::~SynchronizationContext() = default;

void SynchronizationContext::Post(SendOrPostCallback d, std::any state)
{
    if (!d)
        throw ArgumentNullException("d");
    boost::asio::post(ThreadPool::Executor(), [d = std::move(d), state = std::move(state)] { d(state); });
}

void SynchronizationContext::Send(SendOrPostCallback d, std::any state)
{
    if (!d)
        throw ArgumentNullException("d");
    d(state);
}

void SynchronizationContext::OperationStarted() {}

void SynchronizationContext::OperationCompleted() {}

std::shared_ptr<SynchronizationContext> SynchronizationContext::Current() noexcept
{
    return current_context;
}

void SynchronizationContext::SetSynchronizationContext(std::shared_ptr<SynchronizationContext> syncContext) noexcept
{
    current_context = std::move(syncContext);
}

namespace detail {

std::shared_ptr<SynchronizationContext>& current_context_slot() noexcept
{
    return current_context;
}

const std::shared_ptr<SynchronizationContext>& default_synchronization_context()
{
    static const auto instance = std::make_shared<SynchronizationContext>();
    return instance;
}

} // namespace detail
} // namespace dotasync
