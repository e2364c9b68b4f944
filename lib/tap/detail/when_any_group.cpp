#include <dotasync/tap/detail/when_any_group.hpp>

#include <dotasync/core/exceptions.hpp>
#include <dotasync/core/logging.hpp>

#include <spdlog/logger.h>

namespace dotasync::detail {

void log_discarded_failure(const std::exception_ptr& error) noexcept
{
    try {
        logger()->warn("an operation that lost a Task::WhenAny failed, and nobody observes its failure: {}",
                       describe_exception(error));
    } catch (...) {
        // Logging must never turn a completion into a terminate.
    }
}

} // namespace dotasync::detail
