// Internal: the check every member that takes an executor makes before it
// starts or opens anything.
#ifndef DOTASYNC_CORE_DETAIL_CHECK_EXECUTOR_HPP
#define DOTASYNC_CORE_DETAIL_CHECK_EXECUTOR_HPP

#include <dotasync/core/exceptions.hpp>

namespace dotasync::detail {

// Throws ArgumentNullException(parameter) for an executor that refers to no
// execution context: a default-constructed any_io_executor is .NET's null,
// and using it would crash far from the call that passed it. Executor types
// that cannot be empty (io_context::executor_type) pass unchecked.
template <class Executor>
void check_executor(const Executor& executor, const char* parameter = "executor")
{
    if constexpr (requires { static_cast<bool>(executor); }) {
        if (!static_cast<bool>(executor))
            throw ArgumentNullException(parameter);
    }
}

} // namespace dotasync::detail

#endif
