#include "core/detail/cancellation_state.hpp"

namespace dotasync::detail {

std::size_t registration_count(const CancellationToken& token) noexcept
{
    return cancellation_access::state(token) ? cancellation_access::state(token)->count() : 0;
}

} // namespace dotasync::detail
