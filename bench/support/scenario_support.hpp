// Pieces that several benchmark programs share: the work item the thread-pool
// scenarios run, and a scope that makes a context current on the calling
// thread through the public API, as user code would.
#pragma once

#include <dotasync/threading/synchronization_context.hpp>

#include <memory>
#include <utility>

namespace dotasync_bench {

// Small enough that the scenarios measure the machinery around it.
inline int work(int x) noexcept
{
    return x + 1;
}

// Sets the calling thread's current SynchronizationContext for the lifetime
// of the scope, and clears it afterwards.
class current_context_scope {
public:
    explicit current_context_scope(std::shared_ptr<dotasync::SynchronizationContext> context)
    {
        dotasync::SynchronizationContext::SetSynchronizationContext(std::move(context));
    }
    ~current_context_scope() { dotasync::SynchronizationContext::SetSynchronizationContext(nullptr); }
    current_context_scope(const current_context_scope&) = delete;
    current_context_scope& operator=(const current_context_scope&) = delete;
};

} // namespace dotasync_bench
