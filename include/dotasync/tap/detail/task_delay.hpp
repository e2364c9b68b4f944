// The initiation behind Task::Delay: a steady_timer owned by the operation.
#ifndef DOTASYNC_TAP_DETAIL_TASK_DELAY_HPP
#define DOTASYNC_TAP_DETAIL_TASK_DELAY_HPP

#include <dotasync/core/cancellation.hpp>
#include <dotasync/core/detail/cancellation_kind.hpp>
#include <dotasync/core/detail/handler_completion.hpp>
#include <dotasync/core/detail/check_delay.hpp>
#include <dotasync/core/detail/handler_wrapper.hpp>
#include <dotasync/core/error_mapping.hpp>
#include <dotasync/core/exceptions.hpp>

#include <boost/asio/basic_waitable_timer.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <exception>
#include <memory>
#include <type_traits>
#include <utility>

namespace dotasync::detail {

// Turns the timer's error_code into Delay's exception_ptr, and owns the timer
// so that it lives exactly as long as the wait. Everything associated with
// the handler (executor, allocator, cancellation slot) is the wrapped
// handler's: the timer cancels through the caller's slot directly.
template <class Handler, class Timer>
class delay_handler : public handler_wrapper<Handler> {
public:
    delay_handler(Handler handler, std::unique_ptr<Timer> timer)
        : handler_wrapper<Handler>(std::move(handler)), timer_(std::move(timer))
    {
    }

    void operator()(const boost::system::error_code& ec)
    {
        // The timer goes only after the handler has run: until the handler
        // has recorded the completion, whoever cancels this operation (a
        // token, a WhenAny that another operation won) may still emit on its
        // slot, and that reaches into the timer.
        auto timer = std::move(timer_);
        std::exception_ptr error;
        if (is_cancellation(ec))
            error = std::make_exception_ptr(TaskCanceledException());
        else if (ec)
            error = exception_from_error(ec);
        std::move(this->handler_)(error);
    }

private:
    std::unique_ptr<Timer> timer_;
};

template <class Executor>
class delay_initiation {
public:
    using executor_type = Executor;

    explicit delay_initiation(Executor executor) : executor_(std::move(executor)) {}

    executor_type get_executor() const noexcept { return executor_; }

    template <class Handler>
    void operator()(Handler&& handler, std::chrono::milliseconds delay) const
    {
        using timer_type = boost::asio::basic_waitable_timer<std::chrono::steady_clock,
                                                             boost::asio::wait_traits<std::chrono::steady_clock>,
                                                             Executor>;
        auto timer = std::make_unique<timer_type>(executor_);
        if (delay == infinite_delay)
            timer->expires_at(timer_type::time_point::max());
        else
            timer->expires_after(delay);
        timer_type& waiting = *timer;
        waiting.async_wait(delay_handler<std::decay_t<Handler>, timer_type>(std::forward<Handler>(handler),
                                                                            std::move(timer)));
    }

    // With the token the operation is canceled by: one canceled before the
    // timer starts completes with TaskCanceledException at once (posted), so
    // that even a zero delay never wins against it.
    template <class Handler>
    void operator()(Handler&& handler, std::chrono::milliseconds delay, const CancellationToken& token) const
    {
        if (token.IsCancellationRequested()) {
            complete_later(std::forward<Handler>(handler), executor_,
                           std::make_exception_ptr(TaskCanceledException()));
            return;
        }
        (*this)(std::forward<Handler>(handler), delay);
    }

private:
    Executor executor_;
};

} // namespace dotasync::detail

#endif
