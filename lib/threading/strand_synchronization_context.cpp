#include <dotasync/threading/strand_synchronization_context.hpp>

#include <dotasync/core/exceptions.hpp>
#include <dotasync/threading/detail/strand_context_executor.hpp>

#include "core/detail/layer_hooks.hpp"

#include <boost/asio/execution/blocking.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/require.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>

#include <future>
#include <utility>

namespace dotasync {

namespace {

using any_strand = boost::asio::strand<boost::asio::any_io_executor>;

// End's deadlock probe, in core, must see the strand inside a context's
// executor; core cannot include this layer, so the context tells it how
// while the library loads.
[[maybe_unused]] const bool unwrapper_registered = [] {
    detail::register_inner_strand([](const boost::asio::any_io_executor& executor) noexcept -> const any_strand* {
        if (const auto* context = executor.target<detail::strand_context_executor<any_strand>>())
            return &context->get_inner_executor();
        return nullptr;
    });
    return true;
}();

boost::asio::any_io_executor checked(boost::asio::any_io_executor executor)
{
    if (!executor)
        throw ArgumentNullException("executor");
    return executor;
}

} // namespace

StrandSynchronizationContext::strands StrandSynchronizationContext::make_strands(boost::asio::any_io_executor executor)
{
    if (const auto* io = executor.target<io_executor_type>()) {
        // One strand seen through two executor types: the any_io_executor
        // view shares the typed strand's implementation, so both serialise
        // against each other.
        auto typed = boost::asio::make_strand(*io);
        return {strand_type(typed), boost::asio::require(typed, boost::asio::execution::blocking.never)};
    }
    return {boost::asio::make_strand(checked(std::move(executor))), std::nullopt};
}

StrandSynchronizationContext::StrandSynchronizationContext(boost::asio::any_io_executor executor)
    : StrandSynchronizationContext(make_strands(std::move(executor)))
{
}

StrandSynchronizationContext::StrandSynchronizationContext(strands made)
    : strand_(std::move(made.strand)),
      never_blocking_strand_(boost::asio::require(strand_, boost::asio::execution::blocking.never)),
      io_post_strand_(std::move(made.io_post_strand))
{
    if (io_post_strand_)
        io_ = &io_post_strand_->get_inner_executor().context();
}

StrandSynchronizationContext::~StrandSynchronizationContext() = default;

std::shared_ptr<SynchronizationContext> StrandSynchronizationContext::shared_self() const
{
    auto self = std::const_pointer_cast<SynchronizationContext>(weak_from_this().lock());
    if (!self)
        throw InvalidOperationException("A StrandSynchronizationContext must be owned by a std::shared_ptr "
                                        "(create it with std::make_shared) before it is used.");
    return self;
}

StrandSynchronizationContext::executor_type StrandSynchronizationContext::get_executor() const
{
    return executor_type(shared_self(), strand_);
}

void StrandSynchronizationContext::Post(SendOrPostCallback d, std::any state)
{
    if (!d)
        throw ArgumentNullException("d");
    auto callback = [d = std::move(d), state = std::move(state)] { d(state); };
    if (io_post_strand_)
        io_post_strand_->execute(detail::context_function<decltype(callback)>(shared_self(), std::move(callback)));
    else
        never_blocking_strand_.execute(
            detail::context_function<decltype(callback)>(shared_self(), std::move(callback)));
}

void StrandSynchronizationContext::Send(SendOrPostCallback d, std::any state)
{
    if (!d)
        throw ArgumentNullException("d");
    auto self = shared_self();
    if (strand_.running_in_this_thread()) {
        // Code running on the strand through the bare strand has not set
        // Current(); the callback sees this context either way.
        detail::current_context_scope scope(self);
        d(state);
        return;
    }

    std::promise<void> done;
    auto finished = done.get_future();
    boost::asio::post(executor_type(std::move(self), strand_),
                      [d = std::move(d), state = std::move(state), done = std::move(done)]() mutable {
                          try {
                              d(state);
                              done.set_value();
                          } catch (...) {
                              done.set_exception(std::current_exception());
                          }
                      });
    try {
        finished.get();
    } catch (const std::future_error&) {
        // The queued callback was destroyed without running: its io_context
        // was shut down.
        throw ObjectDisposedException("StrandSynchronizationContext",
                                      "The strand's io_context was shut down before the sent callback ran.");
    }
}

void StrandSynchronizationContext::OperationStarted()
{
    if (io_ != nullptr) {
        // Each operation holds one unit of the io_context's work.
        outstanding_.fetch_add(1, std::memory_order_acq_rel);
        io_->get_executor().on_work_started();
        return;
    }
    std::lock_guard lock(work_mutex_);
    if (outstanding_.load(std::memory_order_relaxed) == 0)
        work_ = boost::asio::prefer(strand_.get_inner_executor(), boost::asio::execution::outstanding_work.tracked);
    outstanding_.fetch_add(1, std::memory_order_acq_rel);
}

void StrandSynchronizationContext::OperationCompleted()
{
    if (io_ != nullptr) {
        end_counted_operation();
        io_->get_executor().on_work_finished();
        return;
    }
    boost::asio::any_io_executor released;
    {
        std::lock_guard lock(work_mutex_);
        end_counted_operation();
        if (outstanding_.load(std::memory_order_relaxed) == 0)
            released = std::exchange(work_, boost::asio::any_io_executor());
    }
    // Releasing the work may let io_context::run() return; done outside the
    // lock because it can wake other threads.
}

void StrandSynchronizationContext::end_counted_operation()
{
    auto count = outstanding_.load(std::memory_order_relaxed);
    do {
        if (count == 0)
            throw InvalidOperationException(
                "OperationCompleted was called more often than OperationStarted on this context.");
    } while (!outstanding_.compare_exchange_weak(count, count - 1, std::memory_order_acq_rel,
                                                 std::memory_order_relaxed));
}

} // namespace dotasync
