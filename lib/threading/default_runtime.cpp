#include "threading/default_runtime.hpp"

#include <dotasync/core/logging.hpp>

#include <spdlog/logger.h>

#include <algorithm>
#include <exception>

#include <pthread.h>

namespace dotasync::detail {

namespace {

// Ported .NET code blocks pool threads in EndXxx more often than Asio code
// would; a few threads more than cores keeps such code from starving the pool.
constexpr unsigned minimum_threads = 4;

// The name debuggers, top and /proc show for the pool's threads.
constexpr const char* thread_name = "dotasync-pool";

} // namespace

default_runtime& default_runtime::instance()
{
    // The logger is created first so that it outlives the runtime: operations
    // abandoned while the runtime shuts down may still log.
    static const auto keep_logger = logger();
    static default_runtime runtime;
    return runtime;
}

default_runtime::default_runtime()
    : io_(), work_(boost::asio::make_work_guard(io_))
{
    const unsigned count = std::max(minimum_threads, std::thread::hardware_concurrency());
    threads_.reserve(count);
    for (unsigned i = 0; i < count; ++i)
        threads_.emplace_back([this] { run_thread(); });
}

default_runtime::~default_runtime()
{
    work_.reset();
    io_.stop();
    for (auto& thread : threads_) {
        // exit() called from a pool thread destroys the runtime on that
        // thread, which cannot join itself.
        if (thread.get_id() == std::this_thread::get_id())
            thread.detach();
        else
            thread.join();
    }
}

void default_runtime::run_thread()
{
    pthread_setname_np(pthread_self(), thread_name);
    for (;;) {
        try {
            io_.run();
            return;
        } catch (...) {
            handle_unhandled(std::current_exception());
        }
    }
}

void default_runtime::handle_unhandled(std::exception_ptr error)
{
    ThreadPool::unhandled_exception_handler handler;
    {
        std::lock_guard lock(handler_mutex_);
        handler = handler_;
    }
    if (handler) {
        handler(error);
        return;
    }
    log_callback_exception("a thread-pool callback", error);
    logger()->flush();
    std::terminate();
}

ThreadPool::unhandled_exception_handler
default_runtime::set_unhandled_exception_handler(ThreadPool::unhandled_exception_handler handler)
{
    std::lock_guard lock(handler_mutex_);
    std::swap(handler_, handler);
    return handler;
}

} // namespace dotasync::detail
