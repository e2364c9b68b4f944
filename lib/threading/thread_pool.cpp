#include <dotasync/threading/thread_pool.hpp>

#include "core/detail/layer_hooks.hpp"
#include "threading/default_runtime.hpp"

#include <dotasync/core/exceptions.hpp>

#include <boost/asio/post.hpp>

namespace dotasync {

namespace {

// Core runs CancelAfter's timer on the default runtime without including this
// layer: the pool hands it the executor while the library loads.
[[maybe_unused]] const bool executor_registered = [] {
    detail::register_background_executor([] { return ThreadPool::Executor(); });
    return true;
}();

} // namespace

bool ThreadPool::QueueUserWorkItem(std::function<void()> callBack)
{
    if (!callBack)
        throw ArgumentNullException("callBack");
    boost::asio::post(detail::default_runtime::instance().context(), std::move(callBack));
    return true;
}

bool ThreadPool::QueueUserWorkItem(std::function<void(const std::any&)> callBack, std::any state)
{
    if (!callBack)
        throw ArgumentNullException("callBack");
    boost::asio::post(detail::default_runtime::instance().context(),
                      [callBack = std::move(callBack), state = std::move(state)] { callBack(state); });
    return true;
}

boost::asio::any_io_executor ThreadPool::Executor()
{
    return detail::default_runtime::instance().context().get_executor();
}

int ThreadPool::ThreadCount()
{
    return detail::default_runtime::instance().thread_count();
}

ThreadPool::unhandled_exception_handler
ThreadPool::set_unhandled_exception_handler(unhandled_exception_handler handler)
{
    return detail::default_runtime::instance().set_unhandled_exception_handler(std::move(handler));
}

} // namespace dotasync
