#include <dotasync/core/detail/completion_executor_probe.hpp>

#include "core/detail/asio_internals.hpp"
#include "core/detail/layer_hooks.hpp"

namespace dotasync::detail {

const void* completion_executor_probe::strand_identity(const io_strand& strand) noexcept
{
    return asio_internals::strand_identity(strand);
}

const void* completion_executor_probe::strand_identity(const any_strand& strand) noexcept
{
    return asio_internals::strand_identity(strand);
}

void completion_executor_probe::capture_any(const boost::asio::any_io_executor& executor) noexcept
{
    if (const auto* io = executor.target<io_executor>())
        capture(*io);
    else if (const auto* strand = executor.target<io_strand>())
        capture(*strand);
    else if (const auto* any = executor.target<any_strand>())
        capture(*any);
    else if (const auto* inner = inner_strand(executor))
        // A StrandSynchronizationContext's executor, which the threading
        // layer sees through for core.
        capture(*inner);
}

completion_executor_probe::verdict completion_executor_probe::check() const noexcept
{
    const auto address = target_ & ~kind_mask;
    switch (static_cast<kind>(target_ & kind_mask)) {
    case kind::context: {
        auto& context = *reinterpret_cast<boost::asio::io_context*>(address);
        return context.get_executor().running_in_this_thread() && asio_internals::promises_one_thread(context)
                   ? verdict::inside_single_threaded_context
                   : verdict::may_complete;
    }
    case kind::strand:
        return asio_internals::running_in_strand(reinterpret_cast<const void*>(address)) ? verdict::inside_strand
                                                                                          : verdict::may_complete;
    case kind::none:
        break;
    }
    return verdict::may_complete;
}

} // namespace dotasync::detail
