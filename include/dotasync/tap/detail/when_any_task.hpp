// Task::WhenAny over tasks: completes with the task that finished first, as
// .NET's WhenAny, whatever that task's outcome, and leaves the others running.
#ifndef DOTASYNC_TAP_DETAIL_WHEN_ANY_TASK_HPP
#define DOTASYNC_TAP_DETAIL_WHEN_ANY_TASK_HPP

#include <dotasync/core/detail/handler_completion.hpp>
#include <dotasync/tap/task_of.hpp>


#include <atomic>
#include <cstddef>
#include <exception>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

namespace dotasync::detail {

template <class T>
struct is_task : std::false_type {};

template <class T>
struct is_task<TaskOf<T>> : std::true_type {};

template <class T>
concept task_handle = is_task<std::decay_t<T>>::value;

// The result type of WhenAny over tasks of these types: the common one, or
// void (every TaskOf<T> is a TaskOf<void>, as every Task<T> is a Task).
template <class... Tasks>
struct common_task_result {
    using type = void;
};

template <class First, class... Rest>
    requires(std::is_same_v<typename std::decay_t<First>::result_type, typename std::decay_t<Rest>::result_type> && ...)
struct common_task_result<First, Rest...> {
    using type = typename std::decay_t<First>::result_type;
};

// The outer handler and the claim that makes one task the winner. Each task
// holds the race through its wait until it completes.
template <class Handler, class Task>
class task_race {
public:
    explicit task_race(Handler handler) : handler_(std::move(handler)), work_(handler_) {}

    // The first task to finish completes the outer handler; tasks already
    // finished when WhenAny starts are looked at in operand order first.
    static void start(Handler handler, std::vector<Task> tasks)
    {
        for (auto& task : tasks) {
            if (task.IsCompleted()) {
                complete_now(std::move(handler), std::exception_ptr(), std::move(task));
                return;
            }
        }
        auto race = std::make_shared<task_race>(std::move(handler));
        race->starting_.store(true, std::memory_order_relaxed);
        for (auto& task : tasks) {
            // The wait holds its task weakly: a task that never completes
            // must not be kept alive by its own continuation. While the task
            // completes, its operation holds it.
            std::weak_ptr<task_state_base> weak = task_access::state_of(task);
            task.async_wait([race, weak = std::move(weak)](auto&&...) {
                if (auto state = weak.lock())
                    race->finished(task_access::make_from_base<Task>(std::move(state)));
            });
            if (race->won_.load(std::memory_order_acquire))
                break;
        }
        race->starting_.store(false, std::memory_order_release);
    }

private:
    void finished(Task task)
    {
        if (won_.exchange(true, std::memory_order_acq_rel))
            return;
        // A task finishing while the waits are being added may do so inside
        // WhenAny's initiating function, where the handler must not run.
        if (starting_.load(std::memory_order_acquire)) {
            complete_now(std::move(handler_), std::exception_ptr(), std::move(task));
            work_.release();
        } else {
            work_.complete(std::move(handler_), std::exception_ptr(), std::move(task));
        }
    }

    std::atomic<bool> won_{false};
    std::atomic<bool> starting_{false};
    Handler handler_;
    handler_work<Handler> work_;
};

template <class Task>
struct when_any_task_initiation {
    template <class Handler>
    void operator()(Handler&& handler, std::vector<Task> tasks) const
    {
        task_race<std::decay_t<Handler>, Task>::start(std::forward<Handler>(handler), std::move(tasks));
    }
};

} // namespace dotasync::detail

#endif
