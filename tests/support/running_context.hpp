// An io_context run by background threads for the lifetime of the object,
// for tests whose completions must run somewhere while the test thread waits.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <future>
#include <thread>
#include <vector>

namespace dotasync_test {

class running_context {
public:
    explicit running_context(int threads = 1) : work_(boost::asio::make_work_guard(io_))
    {
        for (int i = 0; i < threads; ++i)
            threads_.emplace_back([this] { io_.run(); });
    }
    ~running_context()
    {
        work_.reset();
        io_.stop();
        for (auto& t : threads_)
            t.join();
    }
    running_context(const running_context&) = delete;
    running_context& operator=(const running_context&) = delete;

    boost::asio::io_context& io() noexcept { return io_; }
    // The first thread's id: the only one's, for a context run by one thread.
    std::thread::id thread_id() const noexcept { return threads_.front().get_id(); }

    // Returns once everything posted to a context run by one thread before
    // the call has run.
    void drain()
    {
        std::promise<void> done;
        boost::asio::post(io_, [&] { done.set_value(); });
        done.get_future().wait();
    }

private:
    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
    std::vector<std::thread> threads_;
};

// Two threads, for tests whose completions may run on either; usable as a
// Boost.Test fixture.
struct two_thread_context : running_context {
    two_thread_context() : running_context(2) {}
};

} // namespace dotasync_test
