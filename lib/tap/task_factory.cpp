#include <dotasync/tap/task_factory.hpp>

#include <dotasync/core/exceptions.hpp>

namespace dotasync::detail {

std::exception_ptr null_async_result_error()
{
    return std::make_exception_ptr(
        InvalidOperationException("The begin method returned a null IAsyncResult, so the operation cannot be tracked."));
}

} // namespace dotasync::detail
