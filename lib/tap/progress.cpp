#include <dotasync/tap/progress.hpp>

namespace dotasync::detail {

std::shared_ptr<SynchronizationContext> capture_progress_context()
{
    if (auto current = SynchronizationContext::Current())
        return current;
    return default_synchronization_context();
}

} // namespace dotasync::detail
