#include <dotasync/tap/detail/when_all_group.hpp>

#include <dotasync/core/detail/cancellation_kind.hpp>
#include <dotasync/core/exceptions.hpp>

#include <vector>

namespace dotasync::detail {

std::exception_ptr when_all_failure(std::span<const std::exception_ptr> failures)
{
    std::vector<std::exception_ptr> faults;
    std::exception_ptr first_cancellation;
    for (const auto& failure : failures) {
        if (!failure)
            continue;
        if (is_cancellation(failure)) {
            if (!first_cancellation)
                first_cancellation = failure;
        } else {
            faults.push_back(failure);
        }
    }
    if (faults.size() == 1)
        return faults.front();
    if (faults.size() > 1)
        return std::make_exception_ptr(AggregateException(std::move(faults)));
    return as_operation_canceled(first_cancellation);
}

} // namespace dotasync::detail
