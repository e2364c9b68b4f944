// An io_context run by background threads for the lifetime of the object,
// for tests whose completions must run somewhere while the test thread waits.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <dotasync/threading/thread_pool.hpp>

#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
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
        let_runtime_threads_leave();
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
    // A default-runtime thread that has just posted a completion to this
    // context (an EAP delivery, a Task continuation) may still be inside
    // Asio's post, signalling the scheduler's condition variable, when the
    // test has already seen the completion. Destroying the context then is a
    // race. Every runtime thread running one task of ours proves each has
    // left what it was doing; a runtime blocked by the test itself is waited
    // for no longer than the generous time-out.
    static void let_runtime_threads_leave()
    {
        struct gate {
            std::mutex mutex;
            std::condition_variable arrived;
            int waiting = 0;
        };
        const int threads = dotasync::ThreadPool::ThreadCount();
        auto g = std::make_shared<gate>();
        for (int i = 0; i < threads; ++i)
            boost::asio::post(dotasync::ThreadPool::Executor(), [g, threads] {
                std::unique_lock lock(g->mutex);
                ++g->waiting;
                g->arrived.notify_all();
                g->arrived.wait_for(lock, std::chrono::seconds(10), [&] { return g->waiting >= threads; });
            });
        std::unique_lock lock(g->mutex);
        g->arrived.wait_for(lock, std::chrono::seconds(10), [&] { return g->waiting >= threads; });
    }

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
