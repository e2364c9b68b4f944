// A SynchronizationContext that keeps what is posted to it until the test
// pumps it, and counts the operations it is told about; and a scope that makes
// a context current. For tests that decide when completions are delivered.
#pragma once

#include <dotasync/threading/synchronization_context.hpp>

#include <any>
#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace dotasync_test {

class recording_context : public dotasync::SynchronizationContext {
public:
    void Post(dotasync::SendOrPostCallback d, std::any state) override
    {
        std::lock_guard lock(mutex_);
        queue_.emplace_back(std::move(d), std::move(state));
    }
    void OperationStarted() override { ++started; }
    void OperationCompleted() override { ++completed; }

    // Runs what was posted so far, in order, with this context current.
    void pump()
    {
        std::vector<std::pair<dotasync::SendOrPostCallback, std::any>> queue;
        {
            std::lock_guard lock(mutex_);
            queue.swap(queue_);
        }
        auto previous = Current();
        SetSynchronizationContext(shared_from_this());
        for (auto& [d, state] : queue)
            d(state);
        SetSynchronizationContext(previous);
    }

    std::size_t queued()
    {
        std::lock_guard lock(mutex_);
        return queue_.size();
    }

    std::atomic<int> started{0};
    std::atomic<int> completed{0};

private:
    std::mutex mutex_;
    std::vector<std::pair<dotasync::SendOrPostCallback, std::any>> queue_;
};

// Makes context the calling thread's Current() while the scope lives.
class context_scope {
public:
    explicit context_scope(std::shared_ptr<dotasync::SynchronizationContext> context)
        : previous_(dotasync::SynchronizationContext::Current())
    {
        dotasync::SynchronizationContext::SetSynchronizationContext(std::move(context));
    }
    ~context_scope() { dotasync::SynchronizationContext::SetSynchronizationContext(std::move(previous_)); }

    context_scope(const context_scope&) = delete;
    context_scope& operator=(const context_scope&) = delete;

private:
    std::shared_ptr<dotasync::SynchronizationContext> previous_;
};

} // namespace dotasync_test
