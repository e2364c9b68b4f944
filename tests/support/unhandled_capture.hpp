// Catches what reaches the default runtime's unhandled-exception handler while
// the object lives, and puts the previous handler back afterwards, also when
// an assertion ends the test early.
#pragma once

#include <dotasync/threading/thread_pool.hpp>

#include <chrono>
#include <exception>
#include <future>
#include <memory>
#include <mutex>
#include <string>

namespace dotasync_test {

class unhandled_capture {
public:
    unhandled_capture()
        : previous_(dotasync::ThreadPool::set_unhandled_exception_handler(
              [state = state_](std::exception_ptr error) {
                  std::call_once(state->once, [&] { state->first.set_value(std::move(error)); });
              }))
    {
    }
    ~unhandled_capture() { dotasync::ThreadPool::set_unhandled_exception_handler(std::move(previous_)); }

    unhandled_capture(const unhandled_capture&) = delete;
    unhandled_capture& operator=(const unhandled_capture&) = delete;

    // The first exception the handler received, waited for up to timeout;
    // null if none came.
    std::exception_ptr first(std::chrono::seconds timeout)
    {
        if (future_.wait_for(timeout) != std::future_status::ready)
            return nullptr;
        return future_.get();
    }

private:
    struct state {
        std::once_flag once;
        std::promise<std::exception_ptr> first;
    };
    std::shared_ptr<state> state_ = std::make_shared<state>();
    std::shared_future<std::exception_ptr> future_ = state_->first.get_future().share();
    dotasync::ThreadPool::unhandled_exception_handler previous_;
};

// What e.what() says, for the exception error holds; empty for none or for
// an exception not derived from std::exception.
inline std::string what_of(const std::exception_ptr& error)
{
    std::string what;
    if (error) {
        try {
            std::rethrow_exception(error);
        } catch (const std::exception& e) {
            what = e.what();
        } catch (...) {
        }
    }
    return what;
}

} // namespace dotasync_test
