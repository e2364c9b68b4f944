// The shared state of a TaskCompletionSource: its outcome once set, and the
// handlers waiting for it.
#ifndef DOTASYNC_TAP_DETAIL_COMPLETION_SOURCE_STATE_HPP
#define DOTASYNC_TAP_DETAIL_COMPLETION_SOURCE_STATE_HPP

#include <dotasync/core/export.hpp>
#include <dotasync/tap/detail/operation.hpp>
#include <dotasync/tap/task_of.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include <any>
#include <atomic>
#include <exception>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <type_traits>
#include <utility>

namespace dotasync::detail {

// Defined in lib/tap/task_completion_source.cpp.
[[noreturn]] DOTASYNC_API void throw_already_completed();
DOTASYNC_API std::exception_ptr canceled_task_error();
DOTASYNC_API std::exception_ptr abandoned_source_error();

// One handler waiting for the outcome. The state's list owns it; a
// cancellation slot refers to it weakly.
template <class Value>
class completion_waiter {
public:
    virtual ~completion_waiter() = default;

    // Posts the handler with the outcome. Called once, without the state's
    // mutex held.
    virtual void complete(const std::exception_ptr& error, const Value& value) = 0;

    typename std::list<std::shared_ptr<completion_waiter>>::iterator position_;
    bool linked_ = false;
};

template <class Value, class Handler>
class completion_waiter_for final : public completion_waiter<Value> {
    using executor_type = boost::asio::associated_executor_t<Handler, boost::asio::any_io_executor>;

public:
    explicit completion_waiter_for(Handler handler)
        : handler_(std::move(handler)),
          work_(boost::asio::get_associated_executor(handler_, ThreadPool::Executor()))
    {
    }

    void complete(const std::exception_ptr& error, const Value& value) override
    {
        // Posted, never run inside SetResult: the caller of SetResult may hold
        // locks, and .NET recommends the same for its completion sources
        // (RunContinuationsAsynchronously). The work guard travels with the
        // handler, so that the executor stays busy until it has run.
        auto executor = work_.get_executor();
        if constexpr (std::is_same_v<Value, std::monostate>) {
            boost::asio::post(executor, [handler = std::move(handler_), work = std::move(work_), error]() mutable {
                std::move(handler)(error);
                work.reset();
            });
        } else {
            boost::asio::post(executor,
                              [handler = std::move(handler_), work = std::move(work_), error, value]() mutable {
                                  std::move(handler)(error, std::move(value));
                                  work.reset();
                              });
        }
    }

private:
    Handler handler_;
    boost::asio::executor_work_guard<executor_type> work_;
};

template <class T>
class completion_source_state : public std::enable_shared_from_this<completion_source_state<T>> {
public:
    using value_type = value_or_monostate_t<T>;
    using waiter = completion_waiter<value_type>;

    explicit completion_source_state(std::any async_state = {}) noexcept : async_state_(std::move(async_state)) {}
    completion_source_state(const completion_source_state&) = delete;
    completion_source_state& operator=(const completion_source_state&) = delete;

    ~completion_source_state()
    {
        // Nobody can set the outcome any more: release the handlers still
        // waiting rather than leave them pending for ever.
        for (auto& w : waiters_) {
            try {
                w->complete(abandoned_source_error(), value_type());
            } catch (...) {
                // Only allocation can fail here; the handler is then dropped.
            }
        }
        if (task_ && !completed_.load(std::memory_order_acquire))
            task_->set_failure(abandoned_source_error());
    }

    // The one task of this source (.NET's TaskCompletionSource.Task), made on
    // first request and completed with the source's outcome.
    TaskOf<T> task()
    {
        std::shared_ptr<task_state<T>> created;
        {
            std::lock_guard lock(mutex_);
            if (task_)
                return task_access::make(task_);
            task_ = created = make_task_state<T>(async_state_);
            if (!completed_.load(std::memory_order_relaxed))
                return task_access::make(task_);
        }
        // Made after the outcome was set: try_complete did not see it.
        complete_task(*created);
        return task_access::make(std::move(created));
    }

    const std::any& async_state() const noexcept { return async_state_; }

    // Sets the outcome once: false if it was already set.
    bool try_complete(std::exception_ptr error, std::optional<value_type> value)
    {
        std::list<std::shared_ptr<waiter>> waiting;
        std::shared_ptr<task_state<T>> task;
        {
            std::lock_guard lock(mutex_);
            if (completed_.load(std::memory_order_relaxed))
                return false;
            error_ = std::move(error);
            value_ = std::move(value);
            completed_.store(true, std::memory_order_release);
            task = task_;
            waiting.swap(waiters_);
            for (auto& w : waiting)
                w->linked_ = false;
        }
        // The outcome is immutable from here on, so it is read without the
        // lock.
        const value_type none{};
        for (auto& w : waiting)
            w->complete(error_, value_ ? *value_ : none);
        if (task)
            complete_task(*task);
        return true;
    }

    template <class Handler>
    void wait(Handler&& handler)
    {
        // Once set, the outcome never changes: a waiter that comes later reads
        // it without the lock.
        if (completed_.load(std::memory_order_acquire)) {
            complete_with_outcome(std::forward<Handler>(handler));
            return;
        }
        std::unique_lock lock(mutex_);
        if (completed_.load(std::memory_order_relaxed)) {
            lock.unlock();
            complete_with_outcome(std::forward<Handler>(handler));
            return;
        }
        auto slot = boost::asio::get_associated_cancellation_slot(handler);
        auto added = std::make_shared<completion_waiter_for<value_type, std::decay_t<Handler>>>(
            std::forward<Handler>(handler));
        waiters_.push_back(added);
        added->position_ = std::prev(waiters_.end());
        added->linked_ = true;
        lock.unlock();
        if (slot.is_connected()) {
            slot.assign([weak_state = this->weak_from_this(),
                         weak_waiter = std::weak_ptr<waiter>(added)](boost::asio::cancellation_type) {
                auto state = weak_state.lock();
                auto w = weak_waiter.lock();
                if (state && w)
                    state->cancel(w);
            });
        }
    }

private:
    void complete_task(task_state<T>& task) noexcept
    {
        if (error_)
            task.set_failure(error_);
        else if constexpr (std::is_void_v<T>)
            task.set_value();
        else
            task.set_value(*value_);
    }

    template <class Handler>
    void complete_with_outcome(Handler&& handler)
    {
        if constexpr (std::is_same_v<value_type, std::monostate>)
            complete_now(std::forward<Handler>(handler), error_);
        else
            complete_now(std::forward<Handler>(handler), error_, value_ ? *value_ : value_type());
    }

    // Completes one waiter with TaskCanceledException, unless the outcome
    // reached it first.
    void cancel(const std::shared_ptr<waiter>& w)
    {
        {
            std::lock_guard lock(mutex_);
            if (!w->linked_)
                return;
            waiters_.erase(w->position_);
            w->linked_ = false;
        }
        w->complete(canceled_task_error(), value_type());
    }

    std::mutex mutex_;
    std::atomic<bool> completed_{false};
    std::exception_ptr error_;
    std::optional<value_type> value_;
    std::list<std::shared_ptr<waiter>> waiters_;
    std::any async_state_;
    std::shared_ptr<task_state<T>> task_;
};

template <class T>
struct completion_source_initiation {
    std::shared_ptr<completion_source_state<T>> state_;

    template <class Handler>
    void operator()(Handler&& handler) const
    {
        state_->wait(std::forward<Handler>(handler));
    }
};

} // namespace dotasync::detail

#endif
