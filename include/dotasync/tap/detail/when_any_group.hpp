// Task::WhenAny over operations: the first child to complete wins and is
// reported as a finished task; the others run on, and their outcomes are
// dropped.
#ifndef DOTASYNC_TAP_DETAIL_WHEN_ANY_GROUP_HPP
#define DOTASYNC_TAP_DETAIL_WHEN_ANY_GROUP_HPP

#include <dotasync/core/detail/cancellation_kind.hpp>
#include <dotasync/core/export.hpp>
#include <dotasync/tap/detail/operation_group.hpp>
#include <dotasync/tap/task_of.hpp>

#include <atomic>
#include <cstddef>
#include <exception>
#include <memory>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace dotasync::detail {

// Logs the failure of an operation WhenAny let go, as an unobserved failure.
// Defined in lib/tap/detail/when_any_group.cpp.
DOTASYNC_API void log_discarded_failure(const std::exception_ptr& error) noexcept;

// WhenAny's rule: the first child to complete wins; the later ones are
// dropped, and a failure among them other than a cancellation is logged, as
// .NET reports an unobserved task exception.
class first_completion {
public:
    bool decided() const noexcept { return won_.load(std::memory_order_acquire); }

    // True for the first child only.
    bool claim(const std::exception_ptr& failure) noexcept
    {
        if (!won_.exchange(true, std::memory_order_acq_rel))
            return true;
        if (failure && !is_cancellation(failure))
            log_discarded_failure(failure);
        return false;
    }

private:
    std::atomic<bool> won_{false};
};

// The winner of a WhenAny, as a finished task holding its outcome.
template <class T, class Value>
TaskOf<T> finished_task(std::exception_ptr failure, std::optional<Value>& value)
{
    auto state = make_task_state<T>();
    if (failure)
        state->set_failure(std::move(failure));
    else if constexpr (std::is_void_v<T>)
        state->set_value();
    else
        state->set_value(std::move(*value));
    return task_access::make(std::move(state));
}

// WhenAny over a fixed list of operations. The first child to complete wins:
// the outer handler gets its index and a finished task with its outcome, and
// no failure of its own, as .NET's WhenAny. The others are not canceled; their
// outcomes are dropped (a failure other than a cancellation is logged as
// unobserved).
template <class Handler, class... Ops>
class when_any_group : public group_base<when_any_group<Handler, Ops...>, Handler, false> {
    using base = group_base<when_any_group, Handler, false>;
    static constexpr std::size_t count = sizeof...(Ops);

public:
    static constexpr bool all_void = (std::is_void_v<operation_value_t<Ops>> && ...);
    using variant_type = std::variant<value_or_monostate_t<operation_value_t<Ops>>...>;
    using task_type = TaskOf<std::conditional_t<all_void, void, variant_type>>;

    explicit when_any_group(Handler handler) : base(std::move(handler), count), work_(this->handler_) {}

    // Once a child has won, the ones not started yet are never started.
    bool may_launch() const noexcept { return !first_.decided(); }

    template <std::size_t I, class... Values>
    void child_completed(std::integral_constant<std::size_t, I>, Values&&... values)
    {
        auto [failure, value] =
            this->template finish_child<std::tuple_element_t<I, std::tuple<Ops...>>>(I, std::forward<Values>(values)...);
        if (!first_.claim(failure))
            return;
        std::optional<variant_type> winner;
        if constexpr (!all_void)
            if (value)
                winner.emplace(std::in_place_index<I>, std::move(*value));
        this->complete_outer(work_, std::exception_ptr(), I,
                             finished_task<typename task_type::result_type>(std::move(failure), winner));
    }

private:
    first_completion first_;
    handler_work<Handler> work_;
};

// WhenAny over a range.
template <class Handler, class Op>
class when_any_range_group : public group_base<when_any_range_group<Handler, Op>, Handler, false> {
    using base = group_base<when_any_range_group, Handler, false>;
    using value_type = operation_value_t<Op>;

public:
    when_any_range_group(Handler handler, std::size_t count)
        : base(std::move(handler), count), work_(this->handler_)
    {
    }

    bool may_launch() const noexcept { return !first_.decided(); }

    template <class... Values>
    void child_completed(std::size_t index, Values&&... values)
    {
        auto [failure, value] = this->template finish_child<Op>(index, std::forward<Values>(values)...);
        if (!first_.claim(failure))
            return;
        this->complete_outer(work_, std::exception_ptr(), index, finished_task<value_type>(std::move(failure), value));
    }

private:
    first_completion first_;
    handler_work<Handler> work_;
};

template <class... Ops>
using when_any_signature_t =
    void(std::exception_ptr, std::size_t,
         TaskOf<std::conditional_t<(std::is_void_v<operation_value_t<Ops>> && ...), void,
                                   std::variant<value_or_monostate_t<operation_value_t<Ops>>...>>>);

template <class Op>
using when_any_range_signature_t = void(std::exception_ptr, std::size_t, TaskOf<operation_value_t<Op>>);

struct when_any_initiation {
    template <class Handler, class... Ops>
    void operator()(Handler&& handler, Ops&&... ops) const
    {
        when_any_group<std::decay_t<Handler>, std::decay_t<Ops>...>::start(std::forward<Handler>(handler),
                                                                           std::forward<Ops>(ops)...);
    }
};

struct when_any_range_initiation {
    template <class Handler, class Op>
    void operator()(Handler&& handler, std::vector<Op> ops) const
    {
        when_any_range_group<std::decay_t<Handler>, Op>::start_range(std::forward<Handler>(handler), ops);
    }
};

} // namespace dotasync::detail

#endif
