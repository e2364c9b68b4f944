// The process-wide runtime behind ThreadPool and every object constructed
// without an executor. Private to the library.
#ifndef DOTASYNC_LIB_THREADING_DEFAULT_RUNTIME_HPP
#define DOTASYNC_LIB_THREADING_DEFAULT_RUNTIME_HPP

#include <dotasync/threading/thread_pool.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace dotasync::detail {

class default_runtime {
public:
    // The runtime, started on the first call; stopped and joined at exit.
    static default_runtime& instance();

    boost::asio::io_context& context() noexcept { return io_; }
    int thread_count() const noexcept { return static_cast<int>(threads_.size()); }

    ThreadPool::unhandled_exception_handler
    set_unhandled_exception_handler(ThreadPool::unhandled_exception_handler handler);

    default_runtime(const default_runtime&) = delete;
    default_runtime& operator=(const default_runtime&) = delete;

private:
    default_runtime();
    ~default_runtime();

    void run_thread();
    void handle_unhandled(std::exception_ptr error);

    boost::asio::io_context io_;
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
    std::vector<std::thread> threads_;
    std::mutex handler_mutex_;
    ThreadPool::unhandled_exception_handler handler_;
};

} // namespace dotasync::detail

#endif
