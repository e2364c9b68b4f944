// StrandSynchronizationContext: an Asio strand used as a .NET
// SynchronizationContext.
//
//   auto ui = std::make_shared<StrandSynchronizationContext>(io.get_executor());
//   asio::post(ui->get_executor(), [] { /* Current() == ui here */ });
//   asio::co_spawn(ui->get_executor(), coroutine(), asio::detached);
//
// Everything the context runs runs on its strand, one function at a time and
// in the order it was queued, with SynchronizationContext::Current() equal to
// the context: callbacks given to Post and Send, functions given to
// get_executor() (asio::post, asio::dispatch), completion handlers bound to
// it with asio::bind_executor, and co_spawned coroutines after every
// resumption. EAP operations started from such code therefore raise their
// events back on the same strand, as .NET raises them on the UI thread.
//
// Post queues the callback and returns. Send runs the callback inline when
// the calling thread is already running the strand (so it cannot deadlock on
// itself), and otherwise queues it and blocks until it has run, rethrowing
// what the callback threw. Send from a thread that runs the strand's
// io_context, outside the strand, waits for another thread of that
// io_context to run the strand: with a single-threaded io_context that is a
// deadlock, as Send to a busy UI thread is in .NET. If the io_context is
// destroyed before a sent callback runs, Send throws ObjectDisposedException.
//
// OperationStarted/OperationCompleted count outstanding EAP operations; while
// the count is above zero the context holds outstanding work on its
// executor, so the io_context::run() that hosts it does not return while
// operations started from it are still in flight (a message loop's role).
// As with an executor_work_guard, the last OperationCompleted on an io_context
// that has nothing else to do stops it (Asio's rule): run() then returns, and
// a later run() needs io_context::restart() first.
//
// The io_context behind the executor must outlive the context, as it must
// outlive any strand on it; operations that report to the context (their
// AsyncOperations) hold a reference to it until they complete.
//
// A StrandSynchronizationContext must be owned by a std::shared_ptr (create it
// with std::make_shared): its executor and its queued callbacks hold a
// reference to it, so that it lives as long as work for it is pending.
// get_executor(), Post and Send throw InvalidOperationException otherwise.
// Exceptions escaping a function the context runs leave through the
// io_context::run() of the thread that ran it, as with any Asio handler.
//
// Thread-safety: every member may be called from any thread.
#ifndef DOTASYNC_THREADING_STRAND_SYNCHRONIZATION_CONTEXT_HPP
#define DOTASYNC_THREADING_STRAND_SYNCHRONIZATION_CONTEXT_HPP

#include <dotasync/core/export.hpp>
#include <dotasync/threading/detail/strand_context_executor.hpp>
#include <dotasync/threading/synchronization_context.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/execution/blocking.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/require.hpp>
#include <boost/asio/strand.hpp>

#include <any>
#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <type_traits>
#include <typeinfo>
#include <utility>

namespace dotasync {

namespace detail {

// What a MessageLoopSynchronizationContext's Post checks: whether its loop
// has ended. Held shared while queueing, and exclusively while the loop ends,
// so that nothing is queued on an io_context that is being shut down.
struct loop_gate {
    std::shared_mutex mutex;
    bool finished = false;
};

// typeid(MessageLoopSynchronizationContext), which this header cannot name.
DOTASYNC_API const std::type_info& message_loop_context_type() noexcept;

template <class MakeFunction>
bool try_post_operation_completed_with(SynchronizationContext* context, MakeFunction&& make);

template <class Function>
bool try_post_operation_completed(std::shared_ptr<SynchronizationContext>& context, Function& function);

// One operation's share of an io_context's outstanding work, given back when
// it is destroyed.
class io_context_work {
public:
    explicit io_context_work(boost::asio::io_context& io) noexcept : io_(&io) {}
    io_context_work(io_context_work&& other) noexcept : io_(std::exchange(other.io_, nullptr)) {}
    io_context_work& operator=(io_context_work&&) = delete;
    ~io_context_work()
    {
        if (io_ != nullptr)
            io_->get_executor().on_work_finished();
    }

private:
    boost::asio::io_context* io_;
};

} // namespace detail

class DOTASYNC_API StrandSynchronizationContext : public SynchronizationContext {
public:
    using strand_type = boost::asio::strand<boost::asio::any_io_executor>;
    // A real Asio executor (asio::execution::executor), convertible to
    // asio::any_io_executor.
    using executor_type = detail::strand_context_executor<strand_type>;

    // Makes a new strand on executor. Throws ArgumentNullException for an
    // empty executor.
    explicit StrandSynchronizationContext(boost::asio::any_io_executor executor);
    ~StrandSynchronizationContext() override;

    void Post(SendOrPostCallback d, std::any state) override;
    void Send(SendOrPostCallback d, std::any state) override;
    void OperationStarted() override;
    // Throws InvalidOperationException when called more often than
    // OperationStarted.
    void OperationCompleted() override;

    // The executor that runs functions on the strand with Current() == this.
    executor_type get_executor() const;

    // The strand itself: functions run through it directly run on the same
    // strand but do not set Current().
    const strand_type& get_strand() const noexcept { return strand_; }

    // True while the calling thread runs a function of this strand.
    bool running_in_this_thread() const noexcept { return strand_.running_in_this_thread(); }

    // Operations started (OperationStarted) and not yet completed.
    std::size_t outstanding_operations() const noexcept
    {
        return outstanding_.load(std::memory_order_acquire);
    }

private:
    template <class MakeFunction>
    friend bool detail::try_post_operation_completed_with(SynchronizationContext* context, MakeFunction&& make);

    using io_executor_type = boost::asio::io_context::executor_type;
    using io_post_strand_type = std::decay_t<decltype(boost::asio::require(
        std::declval<const boost::asio::strand<io_executor_type>&>(), boost::asio::execution::blocking.never))>;

    struct strands {
        strand_type strand;
        std::optional<io_post_strand_type> io_post_strand;
    };
    static strands make_strands(boost::asio::any_io_executor executor);
    explicit StrandSynchronizationContext(strands made);

    std::shared_ptr<SynchronizationContext> shared_self() const;
    void end_counted_operation();

    strand_type strand_;
    // The strand with blocking.never, made once: Post uses it directly rather
    // than deriving it through asio::post on every call.
    strand_type never_blocking_strand_;
    // When the executor is an io_context's, the same strand typed on that
    // executor (never blocking), and the executor itself: posting through
    // them avoids the type erasure of any_io_executor, which doubles the
    // cost of a strand post, and each operation counts as work on the
    // io_context directly, without a lock.
    std::optional<io_post_strand_type> io_post_strand_;
    boost::asio::io_context* io_ = nullptr;
    // Otherwise the inner executor with outstanding_work.tracked, held while
    // operations are outstanding.
    mutable std::mutex work_mutex_;
    std::atomic<std::size_t> outstanding_{0};
    boost::asio::any_io_executor work_;

protected:
    // Set by MessageLoopSynchronizationContext, the one derived class whose
    // EAP completions take the direct path below: its gate.
    detail::loop_gate* loop_gate_ = nullptr;
};

namespace detail {

// AsyncOperation's PostOperationCompleted in one step, for a context that is
// exactly a StrandSynchronizationContext over an io_context: ends one of its
// operations and queues the function make() returns on its strand. The
// operation's unit of work on the io_context is given back only once the
// function is queued, so the io_context can neither run out of work in
// between nor be destroyed while this thread is still queueing. A
// MessageLoopSynchronizationContext takes the same path while its loop runs,
// under its gate, as its Post does. Returns false, and calls nothing, for any
// other context (another derived class may override Post), and for a loop
// that has ended, whose Post then drops the completion with a warning.
//
// The queued function must keep the context alive until it has run or been
// destroyed, and set Current() while it runs: once it is queued, the calling
// thread may hold nothing of the context, since the function may already
// have run elsewhere and released it.
template <class MakeFunction>
bool try_post_operation_completed_with(SynchronizationContext* context, MakeFunction&& make)
{
    if (context == nullptr)
        return false;
    const std::type_info& type = typeid(*context);
    if (type != typeid(StrandSynchronizationContext) && type != message_loop_context_type())
        return false;
    auto& self = static_cast<StrandSynchronizationContext&>(*context);
    if (!self.io_post_strand_)
        return false;
    std::shared_lock<std::shared_mutex> open;
    if (self.loop_gate_ != nullptr) {
        open = std::shared_lock<std::shared_mutex>(self.loop_gate_->mutex);
        if (self.loop_gate_->finished)
            return false;
    }
    self.end_counted_operation();
    io_context_work work(*self.io_);
    // The strand is used in place, not copied: a copy released here after the
    // callback had run elsewhere could be the strand's last reference. Asio
    // touches the strand only until the function is queued, and the queued
    // function keeps the context, and with it the strand, alive.
    auto& strand = *self.io_post_strand_;
    strand.execute(make());
    return true;
}

// The same for a function that is to run with the caller's reference to the
// context, which it takes over, so that the caller holds nothing of the
// context afterwards and needs no hand-off with the callback.
template <class Function>
bool try_post_operation_completed(std::shared_ptr<SynchronizationContext>& context, Function& function)
{
    return try_post_operation_completed_with(
        context.get(), [&] { return context_function<Function>(std::move(context), std::move(function)); });
}

} // namespace detail

} // namespace dotasync

#endif
