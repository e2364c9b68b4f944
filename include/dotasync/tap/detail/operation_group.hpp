// The machinery Task::WhenAll and Task::WhenAny share: a group of child
// operations, each with its own cancellation signal, whose completions are
// gathered into one outer handler (tap/detail/when_all_group.hpp and
// tap/detail/when_any_group.hpp).
#ifndef DOTASYNC_TAP_DETAIL_OPERATION_GROUP_HPP
#define DOTASYNC_TAP_DETAIL_OPERATION_GROUP_HPP

#include <dotasync/tap/detail/operation.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/cancellation_type.hpp>

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace dotasync::detail {

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

    // Emits type to every child that is running, and to every child
    // launched from now on.
    void cancel_children(boost::asio::cancellation_type type)
    {
        std::lock_guard lock(mutex_);
        pending_cancel_ = pending_cancel_ | type;
        for (std::size_t i = 0; i < done_.size(); ++i)
            if (launched_[i] && !done_[i])
                signals_[i].emit(type);
    }

protected:
    void mark_launched(std::size_t index)
    {
        std::lock_guard lock(mutex_);
        launched_[index] = 1;
        if (pending_cancel_ != boost::asio::cancellation_type::none && !done_[index])
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

// What each kind of group adds to operation_group: the outer handler, its
// executor, and the launching of one child with the handler that reports
// back to the group. Derived is the group (CRTP), whose child_completed(index,
// values...) each child's handler calls. With ChildrenOnOuterExecutor, the
// children's handlers report the outer handler's executor (WhenAll completes
// the outer handler from the last child's completion); without, they report
// none, so that a child whose result is known at its start (FromResult)
// completes inside its launch, and the group hands the outer handler to its
// executor itself (WhenAny, whose first finished child must be the first in
// operand order).
template <class Derived, class Handler, bool ChildrenOnOuterExecutor = true>
class group_base : public operation_group, public std::enable_shared_from_this<Derived> {
public:
    using outer_executor_type = outer_executor<Handler>;
    static constexpr bool children_report_outer_executor = ChildrenOnOuterExecutor && outer_executor_type::forwards;

    const outer_executor_type& executor() const noexcept { return executor_; }

protected:
    group_base(Handler handler, std::size_t count)
        : operation_group(count), executor_(handler), handler_(std::move(handler))
    {
    }

public:
    // Makes the group for handler and launches the children in it; the group
    // keeps itself alive through its children's handlers.
    template <class H, class... Ops>
    static void start(H&& handler, Ops&&... ops)
    {
        std::make_shared<Derived>(std::forward<H>(handler))->launch(std::forward<Ops>(ops)...);
    }

    template <class H, class Op>
    static void start_range(H&& handler, std::vector<Op>& ops)
    {
        std::make_shared<Derived>(std::forward<H>(handler), ops.size())->launch_range(ops);
    }

    // Launches a fixed list of children, in order; a child reports its
    // position as an integral_constant. Derived::may_launch() is asked before
    // each one: WhenAny starts no child once one has won.
    template <class... Ops>
    void launch(Ops&&... ops)
    {
        forward_outer_cancellation(handler_, this->shared_from_this());
        launching_.store(true, std::memory_order_relaxed);
        launch_each(std::index_sequence_for<Ops...>(), std::forward<Ops>(ops)...);
        launching_.store(false, std::memory_order_release);
    }

    // The same for a range; a child reports its position as a size_t.
    template <class Op>
    void launch_range(std::vector<Op>& ops)
    {
        forward_outer_cancellation(handler_, this->shared_from_this());
        launching_.store(true, std::memory_order_relaxed);
        for (std::size_t i = 0; i < ops.size() && derived().may_launch(); ++i)
            launch_child(std::move(ops[i]), i, i);
        launching_.store(false, std::memory_order_release);
    }

    bool may_launch() const noexcept { return true; }

protected:
    // What a child's completion starts with: the child is done, and what it
    // completed with becomes (failure, value) by end()'s rules.
    template <class Op, class... Values>
    auto finish_child(std::size_t position, Values&&... values)
    {
        mark_done(position);
        return split_completion<operation_signature_t<Op>>(std::forward<Values>(values)...);
    }

    // Whether the children are being launched: a child completing meanwhile
    // may be inside the initiating function, where the outer handler must
    // not run.
    bool launching() const noexcept { return launching_.load(std::memory_order_acquire); }

    // For a group whose children do not report the outer executor: completes
    // the outer handler through work (its executor, kept busy until now),
    // posted while the children are being launched, dispatched afterwards.
    template <class Work, class... Values>
    void complete_outer(Work& work, Values&&... values)
    {
        if (launching()) {
            // Posted first: the work goes only once the posted handler counts.
            complete_now(std::move(handler_), std::forward<Values>(values)...);
            work.release();
        } else {
            work.complete(std::move(handler_), std::forward<Values>(values)...);
        }
    }

    outer_executor_type executor_;
    Handler handler_;

private:
    std::atomic<bool> launching_{false};

    Derived& derived() noexcept { return static_cast<Derived&>(*this); }

    template <std::size_t... I, class... Ops>
    void launch_each(std::index_sequence<I...>, Ops&&... ops)
    {
        ((derived().may_launch() ? launch_child(std::forward<Ops>(ops), std::integral_constant<std::size_t, I>(), I)
                                 : void()),
         ...);
    }

    template <class Op, class Index>
    void launch_child(Op&& op, Index index, std::size_t position)
    {
        launch_operation(std::forward<Op>(op), executor_.spawn_executor(),
                         group_child_handler<Derived, Index>(this->shared_from_this(), index));
        mark_launched(position);
    }
};

template <class T>
T take_or_default(std::optional<T>& value)
{
    return value ? std::move(*value) : T();
}

} // namespace dotasync::detail

namespace boost::asio {

// A child's handler reports the outer handler's executor when that has one,
// and otherwise the default the child's operation offers.
template <class Group, class Index, class Executor>
struct associated_executor<dotasync::detail::group_child_handler<Group, Index>, Executor>
    : dotasync::detail::child_executor_marker<Group::children_report_outer_executor> {
    static constexpr bool forwards = Group::children_report_outer_executor;
    using outer = typename Group::outer_executor_type;
    using type = std::conditional_t<forwards, typename outer::type, Executor>;

    static type get(const dotasync::detail::group_child_handler<Group, Index>& h) noexcept
    {
        if constexpr (forwards)
            return h.group_->executor().get();
        else
            return Executor();
    }

    static type get(const dotasync::detail::group_child_handler<Group, Index>& h, const Executor& ex) noexcept
    {
        if constexpr (forwards)
            return h.group_->executor().get();
        else
            return ex;
    }
};

} // namespace boost::asio

#endif
