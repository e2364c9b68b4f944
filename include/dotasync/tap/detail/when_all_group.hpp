// Task::WhenAll: every child runs to its end; the outer handler gets the
// failures by .NET's rule and the values in operand order.
#ifndef DOTASYNC_TAP_DETAIL_WHEN_ALL_GROUP_HPP
#define DOTASYNC_TAP_DETAIL_WHEN_ALL_GROUP_HPP

#include <dotasync/core/export.hpp>
#include <dotasync/tap/detail/operation_group.hpp>

#include <array>
#include <atomic>
#include <cstddef>
#include <exception>
#include <memory>
#include <optional>
#include <span>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace dotasync::detail {

// WhenAll's rule, after .NET: the faults (failures other than cancellation)
// win; one fault is returned as it is, several as one AggregateException in
// operand order; with no fault, the first cancellation, as an
// OperationCanceledException; otherwise null. Defined in
// lib/tap/detail/when_all_group.cpp.
DOTASYNC_API std::exception_ptr when_all_failure(std::span<const std::exception_ptr> failures);

// WhenAll over a fixed list of operations.
template <class Handler, class... Ops>
class when_all_group : public group_base<when_all_group<Handler, Ops...>, Handler> {
    using base = group_base<when_all_group, Handler>;
    static constexpr std::size_t count = sizeof...(Ops);

public:
    static constexpr bool all_void = (std::is_void_v<operation_value_t<Ops>> && ...);

    explicit when_all_group(Handler handler) : base(std::move(handler), count), remaining_(count) {}

    template <std::size_t I, class... Values>
    void child_completed(std::integral_constant<std::size_t, I>, Values&&... values)
    {
        auto [failure, value] =
            this->template finish_child<std::tuple_element_t<I, std::tuple<Ops...>>>(I, std::forward<Values>(values)...);
        failures_[I] = std::move(failure);
        std::get<I>(values_) = std::move(value);
        if (remaining_.fetch_sub(1, std::memory_order_acq_rel) == 1)
            complete(std::index_sequence_for<Ops...>());
    }

private:
    template <std::size_t... I>
    void complete(std::index_sequence<I...>)
    {
        std::exception_ptr failure = when_all_failure(failures_);
        if constexpr (all_void)
            std::move(this->handler_)(std::move(failure));
        else
            std::move(this->handler_)(std::move(failure),
                                      std::tuple<value_or_monostate_t<operation_value_t<Ops>>...>(
                                          take_or_default(std::get<I>(values_))...));
    }

    std::atomic<std::size_t> remaining_;
    std::array<std::exception_ptr, count> failures_;
    std::tuple<std::optional<value_or_monostate_t<operation_value_t<Ops>>>...> values_;
};

// WhenAll over a range: every operation has the same type.
template <class Handler, class Op>
class when_all_range_group : public group_base<when_all_range_group<Handler, Op>, Handler> {
    using base = group_base<when_all_range_group, Handler>;
    using value_type = operation_value_t<Op>;

public:
    when_all_range_group(Handler handler, std::size_t count)
        : base(std::move(handler), count), remaining_(count), failures_(count), values_(count)
    {
    }

    template <class... Values>
    void child_completed(std::size_t index, Values&&... values)
    {
        auto [failure, value] = this->template finish_child<Op>(index, std::forward<Values>(values)...);
        failures_[index] = std::move(failure);
        values_[index] = std::move(value);
        if (remaining_.fetch_sub(1, std::memory_order_acq_rel) == 1)
            complete();
    }

private:
    void complete()
    {
        std::exception_ptr failure = when_all_failure(failures_);
        if constexpr (std::is_void_v<value_type>) {
            std::move(this->handler_)(std::move(failure));
        } else {
            std::vector<value_type> results;
            results.reserve(values_.size());
            for (auto& value : values_)
                results.push_back(take_or_default(value));
            std::move(this->handler_)(std::move(failure), std::move(results));
        }
    }

    std::atomic<std::size_t> remaining_;
    std::vector<std::exception_ptr> failures_;
    std::vector<std::optional<value_or_monostate_t<value_type>>> values_;
};

template <class... Ops>
using when_all_signature_t =
    std::conditional_t<(std::is_void_v<operation_value_t<Ops>> && ...), void(std::exception_ptr),
                       void(std::exception_ptr, std::tuple<value_or_monostate_t<operation_value_t<Ops>>...>)>;

template <class Op>
using when_all_range_signature_t =
    std::conditional_t<std::is_void_v<operation_value_t<Op>>, void(std::exception_ptr),
                       void(std::exception_ptr, std::vector<value_or_monostate_t<operation_value_t<Op>>>)>;

struct when_all_initiation {
    template <class Handler, class... Ops>
    void operator()(Handler&& handler, Ops&&... ops) const
    {
        if constexpr (sizeof...(Ops) == 0) {
            complete_now(std::forward<Handler>(handler), std::exception_ptr());
        } else {
            when_all_group<std::decay_t<Handler>, std::decay_t<Ops>...>::start(std::forward<Handler>(handler),
                                                                               std::forward<Ops>(ops)...);
        }
    }
};

struct when_all_range_initiation {
    template <class Handler, class Op>
    void operator()(Handler&& handler, std::vector<Op> ops) const
    {
        if (ops.empty()) {
            if constexpr (std::is_void_v<operation_value_t<Op>>)
                complete_now(std::forward<Handler>(handler), std::exception_ptr());
            else
                complete_now(std::forward<Handler>(handler), std::exception_ptr(),
                             std::vector<value_or_monostate_t<operation_value_t<Op>>>());
            return;
        }
        when_all_range_group<std::decay_t<Handler>, Op>::start_range(std::forward<Handler>(handler), ops);
    }
};

} // namespace dotasync::detail

#endif
