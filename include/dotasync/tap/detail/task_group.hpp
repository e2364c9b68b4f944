// The machinery behind Task::WhenAll and Task::WhenAny: a group of child
// operations, each with its own cancellation signal, whose completions are
// gathered into one.
#ifndef DOTASYNC_TAP_DETAIL_TASK_GROUP_HPP
#define DOTASYNC_TAP_DETAIL_TASK_GROUP_HPP

#include <dotasync/core/detail/cancellation_kind.hpp>
#include <dotasync/tap/detail/operation.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/cancellation_type.hpp>

#include <array>
#include <atomic>
#include <cstddef>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace dotasync::detail {

// Defined in lib/tap/task.cpp.

// WhenAll's rule, after .NET: the faults (failures other than cancellation)
// win; one fault is returned as it is, several as one AggregateException in
// operand order; with no fault, the first cancellation; otherwise null.
std::exception_ptr when_all_failure(std::span<const std::exception_ptr> failures);

// Logs the failure of an operation WhenAny let go, as an unobserved failure.
void log_discarded_failure(const std::exception_ptr& error) noexcept;

// What every group shares: one cancellation signal per child, and the mutex
// that keeps emissions on those signals apart from the children's
// completions. A child's signal receives an emission only between the moment
// its initiating function returned (launched) and the moment its handler ran
// (done), as Asio requires. The mutex is recursive because a child may
// complete inline, from inside an emission.
class operation_group {
public:
    explicit operation_group(std::size_t count)
        : signals_(new boost::asio::cancellation_signal[count]), done_(count, 0), launched_(count, 0)
    {
    }

    boost::asio::cancellation_slot child_slot(std::size_t index) noexcept { return signals_[index].slot(); }

    // Emits type to every child that is running (except one), and to every
    // child launched from now on.
    void cancel_children(boost::asio::cancellation_type type, std::size_t except = static_cast<std::size_t>(-1))
    {
        std::lock_guard lock(mutex_);
        pending_cancel_ = pending_cancel_ | type;
        except_ = except;
        for (std::size_t i = 0; i < done_.size(); ++i)
            if (i != except && launched_[i] && !done_[i])
                signals_[i].emit(type);
    }

protected:
    void mark_launched(std::size_t index)
    {
        std::lock_guard lock(mutex_);
        launched_[index] = 1;
        if (pending_cancel_ != boost::asio::cancellation_type::none && index != except_ && !done_[index])
            signals_[index].emit(pending_cancel_);
    }

    void mark_done(std::size_t index)
    {
        std::lock_guard lock(mutex_);
        done_[index] = 1;
    }

    bool cancel_pending() const
    {
        std::lock_guard lock(mutex_);
        return pending_cancel_ != boost::asio::cancellation_type::none;
    }

    // Forwards the cancellations the outer handler's slot emits to the
    // children. The forwarder holds the group weakly: the slot may keep it
    // after the group is gone.
    template <class Handler, class Group>
    static void forward_outer_cancellation(const Handler& handler, const std::shared_ptr<Group>& group)
    {
        auto slot = boost::asio::get_associated_cancellation_slot(handler);
        if (slot.is_connected()) {
            slot.assign([weak = std::weak_ptr<Group>(group)](boost::asio::cancellation_type type) {
                if (auto self = weak.lock())
                    self->cancel_children(type);
            });
        }
    }

private:
    mutable std::recursive_mutex mutex_;
    std::unique_ptr<boost::asio::cancellation_signal[]> signals_;
    std::vector<char> done_;
    std::vector<char> launched_;
    boost::asio::cancellation_type pending_cancel_ = boost::asio::cancellation_type::none;
    std::size_t except_ = static_cast<std::size_t>(-1);
};

// The executor the children's handlers report: the outer handler's, when it
// has one (so that children complete where the outer handler must run, and
// keep it busy meanwhile), else whatever each child would use by default.
template <class Handler>
class outer_executor {
public:
    static constexpr bool forwards = has_associated_executor_v<Handler>;
    using type = boost::asio::associated_executor_t<Handler>;

    explicit outer_executor(const Handler& handler) : executor_(boost::asio::get_associated_executor(handler)) {}

    const type& get() const noexcept { return executor_; }

    // Where an awaitable child is co_spawn'ed.
    boost::asio::any_io_executor spawn_executor() const
    {
        if constexpr (forwards)
            return boost::asio::any_io_executor(executor_);
        else
            return ThreadPool::Executor();
    }

private:
    type executor_;
};

// The handler each child receives. Its cancellation slot is the child's own
// signal; its executor is described above.
template <class Group, class Index>
class group_child_handler {
public:
    using cancellation_slot_type = boost::asio::cancellation_slot;

    group_child_handler(std::shared_ptr<Group> group, Index index) noexcept
        : group_(std::move(group)), index_(index)
    {
    }

    cancellation_slot_type get_cancellation_slot() const noexcept
    {
        return group_ ? group_->child_slot(index_) : cancellation_slot_type();
    }

    template <class... Values>
    void operator()(Values&&... values)
    {
        auto group = std::move(group_);
        group->child_completed(index_, std::forward<Values>(values)...);
    }

    std::shared_ptr<Group> group_;
    Index index_;
};

// Gives a child's associated_executor the marker Asio uses for "no executor
// of its own", when the outer handler has none, so that a group nested in
// another sees the truth.
template <bool Forwards>
struct child_executor_marker {};

template <>
struct child_executor_marker<false> {
    using asio_associated_executor_is_unspecialised = void;
};

template <class T>
T take_or_default(std::optional<T>& value)
{
    return value ? std::move(*value) : T();
}

// WhenAll over a fixed list of operations.
template <class Handler, class... Ops>
class when_all_group : public operation_group,
                       public std::enable_shared_from_this<when_all_group<Handler, Ops...>> {
    static constexpr std::size_t count = sizeof...(Ops);

public:
    static constexpr bool all_void = (std::is_void_v<operation_value_t<Ops>> && ...);
    using outer_executor_type = outer_executor<Handler>;

    explicit when_all_group(Handler handler)
        : operation_group(count), executor_(handler), handler_(std::move(handler)), remaining_(count)
    {
    }

    const outer_executor_type& executor() const noexcept { return executor_; }

    template <class... Args>
    void launch(Args&&... ops)
    {
        forward_outer_cancellation(handler_, this->shared_from_this());
        launch_each(std::index_sequence_for<Ops...>(), std::forward<Args>(ops)...);
    }

    template <std::size_t I, class... Values>
    void child_completed(std::integral_constant<std::size_t, I>, Values&&... values)
    {
        using op_type = std::tuple_element_t<I, std::tuple<Ops...>>;
        auto [failure, value] = split_completion<operation_signature_t<op_type>>(std::forward<Values>(values)...);
        mark_done(I);
        failures_[I] = std::move(failure);
        std::get<I>(values_) = std::move(value);
        if (remaining_.fetch_sub(1, std::memory_order_acq_rel) == 1)
            complete(std::index_sequence_for<Ops...>());
    }

private:
    template <std::size_t... I, class... Args>
    void launch_each(std::index_sequence<I...>, Args&&... ops)
    {
        (launch_one<I>(std::forward<Args>(ops)), ...);
    }

    template <std::size_t I, class Op>
    void launch_one(Op&& op)
    {
        using child = group_child_handler<when_all_group, std::integral_constant<std::size_t, I>>;
        launch_operation(std::forward<Op>(op), executor_.spawn_executor(), child(this->shared_from_this(), {}));
        mark_launched(I);
    }

    template <std::size_t... I>
    void complete(std::index_sequence<I...>)
    {
        std::exception_ptr failure = when_all_failure(failures_);
        if constexpr (all_void)
            std::move(handler_)(std::move(failure));
        else
            std::move(handler_)(std::move(failure),
                                std::tuple<value_or_monostate_t<operation_value_t<Ops>>...>(
                                    take_or_default(std::get<I>(values_))...));
    }

    outer_executor_type executor_;
    Handler handler_;
    std::atomic<std::size_t> remaining_;
    std::array<std::exception_ptr, count> failures_;
    std::tuple<std::optional<value_or_monostate_t<operation_value_t<Ops>>>...> values_;
};

// WhenAll over a range: every operation has the same type.
template <class Handler, class Op>
class when_all_range_group : public operation_group,
                             public std::enable_shared_from_this<when_all_range_group<Handler, Op>> {
    using value_type = operation_value_t<Op>;

public:
    using outer_executor_type = outer_executor<Handler>;

    when_all_range_group(Handler handler, std::size_t count)
        : operation_group(count),
          executor_(handler),
          handler_(std::move(handler)),
          remaining_(count),
          failures_(count),
          values_(count)
    {
    }

    const outer_executor_type& executor() const noexcept { return executor_; }

    void launch(std::vector<Op>& ops)
    {
        forward_outer_cancellation(handler_, this->shared_from_this());
        for (std::size_t i = 0; i < ops.size(); ++i) {
            launch_operation(std::move(ops[i]), executor_.spawn_executor(),
                             group_child_handler<when_all_range_group, std::size_t>(this->shared_from_this(), i));
            mark_launched(i);
        }
    }

    template <class... Values>
    void child_completed(std::size_t index, Values&&... values)
    {
        auto [failure, value] = split_completion<operation_signature_t<Op>>(std::forward<Values>(values)...);
        mark_done(index);
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
            std::move(handler_)(std::move(failure));
        } else {
            std::vector<value_type> results;
            results.reserve(values_.size());
            for (auto& value : values_)
                results.push_back(take_or_default(value));
            std::move(handler_)(std::move(failure), std::move(results));
        }
    }

    outer_executor_type executor_;
    Handler handler_;
    std::atomic<std::size_t> remaining_;
    std::vector<std::exception_ptr> failures_;
    std::vector<std::optional<value_or_monostate_t<value_type>>> values_;
};

// WhenAny over a fixed list of operations. The first child to complete wins:
// the outer handler gets its failure, its index and its value; the others are
// asked to cancel and their outcomes are dropped (a failure other than a
// cancellation is logged as unobserved).
template <class Handler, class... Ops>
class when_any_group : public operation_group,
                       public std::enable_shared_from_this<when_any_group<Handler, Ops...>> {
    static constexpr std::size_t count = sizeof...(Ops);

public:
    static constexpr bool all_void = (std::is_void_v<operation_value_t<Ops>> && ...);
    using variant_type = std::variant<value_or_monostate_t<operation_value_t<Ops>>...>;
    using outer_executor_type = outer_executor<Handler>;

    explicit when_any_group(Handler handler) : operation_group(count), executor_(handler), handler_(std::move(handler))
    {
    }

    const outer_executor_type& executor() const noexcept { return executor_; }

    template <class... Args>
    void launch(Args&&... ops)
    {
        forward_outer_cancellation(handler_, this->shared_from_this());
        launch_each(std::index_sequence_for<Ops...>(), std::forward<Args>(ops)...);
    }

    template <std::size_t I, class... Values>
    void child_completed(std::integral_constant<std::size_t, I>, Values&&... values)
    {
        using op_type = std::tuple_element_t<I, std::tuple<Ops...>>;
        auto [failure, value] = split_completion<operation_signature_t<op_type>>(std::forward<Values>(values)...);
        mark_done(I);
        if (won_.exchange(true, std::memory_order_acq_rel)) {
            if (failure && !is_cancellation(failure))
                log_discarded_failure(failure);
            return;
        }
        cancel_children(boost::asio::cancellation_type::terminal, I);
        if constexpr (all_void)
            std::move(handler_)(std::move(failure), I);
        else
            std::move(handler_)(std::move(failure), I, variant_type(std::in_place_index<I>, take_or_default(value)));
    }

private:
    template <std::size_t... I, class... Args>
    void launch_each(std::index_sequence<I...>, Args&&... ops)
    {
        (launch_one<I>(std::forward<Args>(ops)), ...);
    }

    template <std::size_t I, class Op>
    void launch_one(Op&& op)
    {
        // Once a child has won, the ones not started yet are never started.
        if (won_.load(std::memory_order_acquire))
            return;
        using child = group_child_handler<when_any_group, std::integral_constant<std::size_t, I>>;
        launch_operation(std::forward<Op>(op), executor_.spawn_executor(), child(this->shared_from_this(), {}));
        mark_launched(I);
    }

    outer_executor_type executor_;
    Handler handler_;
    std::atomic<bool> won_{false};
};

// WhenAny over a range.
template <class Handler, class Op>
class when_any_range_group : public operation_group,
                             public std::enable_shared_from_this<when_any_range_group<Handler, Op>> {
    using value_type = operation_value_t<Op>;

public:
    using outer_executor_type = outer_executor<Handler>;

    when_any_range_group(Handler handler, std::size_t count)
        : operation_group(count), executor_(handler), handler_(std::move(handler))
    {
    }

    const outer_executor_type& executor() const noexcept { return executor_; }

    void launch(std::vector<Op>& ops)
    {
        forward_outer_cancellation(handler_, this->shared_from_this());
        for (std::size_t i = 0; i < ops.size() && !won_.load(std::memory_order_acquire); ++i) {
            launch_operation(std::move(ops[i]), executor_.spawn_executor(),
                             group_child_handler<when_any_range_group, std::size_t>(this->shared_from_this(), i));
            mark_launched(i);
        }
    }

    template <class... Values>
    void child_completed(std::size_t index, Values&&... values)
    {
        auto [failure, value] = split_completion<operation_signature_t<Op>>(std::forward<Values>(values)...);
        mark_done(index);
        if (won_.exchange(true, std::memory_order_acq_rel)) {
            if (failure && !is_cancellation(failure))
                log_discarded_failure(failure);
            return;
        }
        cancel_children(boost::asio::cancellation_type::terminal, index);
        if constexpr (std::is_void_v<value_type>)
            std::move(handler_)(std::move(failure), index);
        else
            std::move(handler_)(std::move(failure), index, take_or_default(value));
    }

private:
    outer_executor_type executor_;
    Handler handler_;
    std::atomic<bool> won_{false};
};

// The completion signatures.
template <class... Ops>
using when_all_signature_t =
    std::conditional_t<(std::is_void_v<operation_value_t<Ops>> && ...), void(std::exception_ptr),
                       void(std::exception_ptr, std::tuple<value_or_monostate_t<operation_value_t<Ops>>...>)>;

template <class Op>
using when_all_range_signature_t =
    std::conditional_t<std::is_void_v<operation_value_t<Op>>, void(std::exception_ptr),
                       void(std::exception_ptr, std::vector<value_or_monostate_t<operation_value_t<Op>>>)>;

template <class... Ops>
using when_any_signature_t =
    std::conditional_t<(std::is_void_v<operation_value_t<Ops>> && ...), void(std::exception_ptr, std::size_t),
                       void(std::exception_ptr, std::size_t,
                            std::variant<value_or_monostate_t<operation_value_t<Ops>>...>)>;

template <class Op>
using when_any_range_signature_t =
    std::conditional_t<std::is_void_v<operation_value_t<Op>>, void(std::exception_ptr, std::size_t),
                       void(std::exception_ptr, std::size_t, value_or_monostate_t<operation_value_t<Op>>)>;

struct when_all_initiation {
    template <class Handler, class... Ops>
    void operator()(Handler&& handler, Ops&&... ops) const
    {
        if constexpr (sizeof...(Ops) == 0) {
            complete_now(std::forward<Handler>(handler), std::exception_ptr());
        } else {
            auto group = std::make_shared<when_all_group<std::decay_t<Handler>, std::decay_t<Ops>...>>(
                std::forward<Handler>(handler));
            group->launch(std::forward<Ops>(ops)...);
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
        auto group = std::make_shared<when_all_range_group<std::decay_t<Handler>, Op>>(std::forward<Handler>(handler),
                                                                                      ops.size());
        group->launch(ops);
    }
};

struct when_any_initiation {
    template <class Handler, class... Ops>
    void operator()(Handler&& handler, Ops&&... ops) const
    {
        auto group = std::make_shared<when_any_group<std::decay_t<Handler>, std::decay_t<Ops>...>>(
            std::forward<Handler>(handler));
        group->launch(std::forward<Ops>(ops)...);
    }
};

struct when_any_range_initiation {
    template <class Handler, class Op>
    void operator()(Handler&& handler, std::vector<Op> ops) const
    {
        auto group = std::make_shared<when_any_range_group<std::decay_t<Handler>, Op>>(std::forward<Handler>(handler),
                                                                                      ops.size());
        group->launch(ops);
    }
};

} // namespace dotasync::detail

namespace boost::asio {

// A child's handler reports the outer handler's executor when that has one,
// and otherwise the default the child's operation offers.
template <class Group, class Index, class Executor>
struct associated_executor<dotasync::detail::group_child_handler<Group, Index>, Executor>
    : dotasync::detail::child_executor_marker<Group::outer_executor_type::forwards> {
    using outer = typename Group::outer_executor_type;
    using type = std::conditional_t<outer::forwards, typename outer::type, Executor>;

    static type get(const dotasync::detail::group_child_handler<Group, Index>& h) noexcept
    {
        if constexpr (outer::forwards)
            return h.group_->executor().get();
        else
            return Executor();
    }

    static type get(const dotasync::detail::group_child_handler<Group, Index>& h, const Executor& ex) noexcept
    {
        if constexpr (outer::forwards)
            return h.group_->executor().get();
        else
            return ex;
    }
};

} // namespace boost::asio

#endif
