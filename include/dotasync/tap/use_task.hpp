// use_task: the completion token that turns any Asio or dotasync operation into
// a running TaskOf<T>, the fourth face of every initiating function.
//
//   TaskOf<int> read = fs->ReadAsync(buffer, use_task);
//   TaskOf<void> delay = Task::Delay(1s, use_task);
//   TaskOf<std::size_t> n = socket.async_read_some(asio::buffer(data), use_task);
//   TaskOf<int> spawned = asio::co_spawn(executor, compute(), use_task);
//
// The operation is started by the call, as a .NET task starts hot: it runs
// whether or not anybody awaits the task. T follows end()'s rule for the
// completion signature: a leading error_code or exception_ptr is the failure
// (an error_code becomes the .NET exception that the other faces throw), the
// rest the value (void, T, or std::tuple<T...> for several). The operation
// completes the task on whatever thread its handler runs; the handler has no
// executor of its own, so it runs where the operation's I/O object completes.
// A handler destroyed without being invoked (its executor shut down)
// completes the task as Canceled, so that nothing waits for ever.
//
// Thread-safety: the token is a constant value.
#ifndef DOTASYNC_TAP_USE_TASK_HPP
#define DOTASYNC_TAP_USE_TASK_HPP

#include <dotasync/core/detail/apm_result_base.hpp>
#include <dotasync/core/detail/completion_traits.hpp>
#include <dotasync/tap/task_of.hpp>

#include <boost/asio/async_result.hpp>

#include <memory>
#include <tuple>
#include <utility>

namespace dotasync {

struct use_task_t {
    constexpr use_task_t() noexcept = default;
};

inline constexpr use_task_t use_task;

namespace detail {

// The handler use_task gives an operation: it completes the task's state.
template <class Signature>
class task_completion_handler;

template <class R, class... Args>
class task_completion_handler<R(Args...)> {
    using traits = signature_traits<R(Args...)>;

public:
    using result_type = typename traits::result_type;

    explicit task_completion_handler(std::shared_ptr<task_state<result_type>> state) noexcept
        : state_(std::move(state))
    {
    }

    task_completion_handler(task_completion_handler&&) noexcept = default;
    task_completion_handler& operator=(task_completion_handler&&) noexcept = default;

    ~task_completion_handler()
    {
        if (state_)
            state_->set_failure(apm_result_base::abandoned_error());
    }

    template <class... Values>
    void operator()(Values&&... values)
    {
        auto state = std::move(state_);
        typename traits::values_type stored(std::forward<Values>(values)...);
        if (auto failure = traits::failure(stored)) {
            state->set_failure(std::move(failure));
            return;
        }
        if constexpr (std::is_void_v<result_type>) {
            state->set_value();
        } else {
            state->set_value(traits::take(std::move(stored)));
        }
    }

private:
    std::shared_ptr<task_state<result_type>> state_;
};

} // namespace detail
} // namespace dotasync

namespace boost::asio {

template <class Signature>
class async_result<dotasync::use_task_t, Signature> {
public:
    using handler_type = dotasync::detail::task_completion_handler<Signature>;
    using return_type = dotasync::TaskOf<typename handler_type::result_type>;

    template <class Initiation, class... InitArgs>
    static return_type initiate(Initiation&& initiation, dotasync::use_task_t, InitArgs&&... args)
    {
        using value_type = typename handler_type::result_type;
        auto state = dotasync::detail::make_task_state<value_type>();
        std::forward<Initiation>(initiation)(handler_type(state), std::forward<InitArgs>(args)...);
        return dotasync::detail::task_access::make(std::move(state));
    }
};

} // namespace boost::asio

#endif
