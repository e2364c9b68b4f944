// The initiation behind Task::Run.
#ifndef DOTASYNC_TAP_DETAIL_TASK_RUN_HPP
#define DOTASYNC_TAP_DETAIL_TASK_RUN_HPP

#include <dotasync/core/cancellation.hpp>
#include <dotasync/core/detail/handler_allocator.hpp>
#include <dotasync/core/exceptions.hpp>
#include <dotasync/tap/detail/operation.hpp>

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/post.hpp>

#include <atomic>
#include <exception>
#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

namespace dotasync::detail {

template <class F>
using run_result_t = std::remove_cvref_t<std::invoke_result_t<std::decay_t<F>&>>;

template <class R>
using run_signature_t = value_signature_t<R>;

// One Task::Run call: the function, the handler and what completing it
// needs. Movable, so that a call nobody can cancel travels inside the work
// item it posts, as the handler of a raw post does.
template <class F, class Handler, class Executor>
class run_operation {
    using result_type = run_result_t<F>;
    using work_executor = boost::asio::associated_executor_t<Handler, Executor>;
    using tracked_executor = std::decay_t<decltype(boost::asio::prefer(
        std::declval<work_executor>(), boost::asio::execution::outstanding_work.tracked))>;

public:
    run_operation(F function, Handler handler, CancellationToken token, const Executor& executor)
        : run_operation(std::move(function), std::move(handler), std::move(token), executor,
                        boost::asio::get_associated_executor(handler, executor))
    {
    }

    // cancel_requested: the handler's slot asked for cancellation before the
    // function started, which keeps it from starting; once it runs, only the
    // function itself can stop, by watching a token, as in .NET.
    void run(bool cancel_requested = false)
    {
        std::exception_ptr error;
        const bool canceled = cancel_requested || token_.IsCancellationRequested();
        if constexpr (std::is_void_v<result_type>) {
            if (canceled)
                error = std::make_exception_ptr(TaskCanceledException());
            else
                try {
                    std::invoke(function_);
                } catch (...) {
                    error = std::current_exception();
                }
            finish(error);
        } else {
            result_type value{};
            if (canceled)
                error = std::make_exception_ptr(TaskCanceledException());
            else
                try {
                    value = std::invoke(function_);
                } catch (...) {
                    error = std::current_exception();
                }
            finish(error, std::move(value));
        }
    }

private:
    // The handler's executor is compared untracked (tracking work changes an
    // io_context executor's type), then moved into the tracked one. The
    // references keep the handler where it is until every argument has been
    // evaluated, its executor included.
    run_operation(F&& function, Handler&& handler, CancellationToken&& token, const Executor& executor,
                  work_executor handler_executor)
        : function_(std::move(function)),
          handler_(std::move(handler)),
          inline_completion_(same_executor(handler_executor, executor)),
          work_(boost::asio::prefer(std::move(handler_executor), boost::asio::execution::outstanding_work.tracked)),
          token_(std::move(token))
    {
    }

    // Whether the handler's executor is the very executor the function runs
    // on (a coroutine on an io_context running Task::Run on that
    // io_context): then the function's thread is the handler's, and
    // dispatching to it would run the handler inline anyway.
    static bool same_executor(const work_executor& handler_executor, const Executor& executor) noexcept
    {
        if constexpr (std::is_same_v<work_executor, Executor>) {
            return handler_executor == executor;
        } else if constexpr (requires { handler_executor.template target<Executor>(); }) {
            const auto* target = handler_executor.template target<Executor>();
            return target != nullptr && *target == executor;
        } else {
            return false;
        }
    }

    template <class... Values>
    void finish(Values&&... values)
    {
        // The work is given back when executor goes, after the handler: an
        // io_context whose last unit of work goes stops.
        auto executor = std::move(work_);
        if (inline_completion_) {
            std::move(handler_)(std::forward<Values>(values)...);
            return;
        }
        // The handler runs on its own executor (a coroutine's, a strand),
        // which the tracked executor has kept alive meanwhile.
        complete_on(executor, std::move(handler_), std::forward<Values>(values)...);
    }

    F function_;
    Handler handler_;
    // The handler's executor is the one the function runs on: call it there.
    bool inline_completion_;
    // The handler's executor, tracking work: it keeps that executor running
    // until the handler has been called. Made from the handler's executor
    // by one move, and read in place by the dispatch. It is held even when
    // the handler runs inline, because giving back the last unit of work
    // stops an io_context.
    tracked_executor work_;
    CancellationToken token_;
};

// A Task::Run call whose handler has a cancellation slot: shared between the
// queued work item and the slot, which may still hold a (weak) reference
// after the call has finished.
template <class Operation>
class cancellable_run_operation {
public:
    explicit cancellable_run_operation(Operation operation) : operation_(std::move(operation)) {}

    void request_cancel() noexcept { cancel_requested_.store(true, std::memory_order_relaxed); }
    void run() { operation_.run(cancel_requested_.load(std::memory_order_relaxed)); }

private:
    Operation operation_;
    std::atomic<bool> cancel_requested_{false};
};

template <class Executor>
class run_initiation {
public:
    using executor_type = Executor;

    explicit run_initiation(Executor executor) : executor_(std::move(executor)) {}

    executor_type get_executor() const noexcept { return executor_; }

    template <class Handler, class F>
    void operator()(Handler&& handler, F&& function, CancellationToken token) const
    {
        using operation_type = run_operation<std::decay_t<F>, std::decay_t<Handler>, Executor>;
        using shared_type = cancellable_run_operation<operation_type>;
        auto slot = boost::asio::get_associated_cancellation_slot(handler);
        if (!slot.is_connected()) {
            boost::asio::post(executor_, [operation = operation_type(std::forward<F>(function),
                                                                     std::forward<Handler>(handler),
                                                                     std::move(token), executor_)]() mutable {
                operation.run();
            });
            return;
        }
        // Allocated as Asio allocates its operations: with the handler's
        // allocator, or Asio's per-thread recycling allocator when it names
        // none, so that a Run costs no more heap allocations than the post it
        // wraps.
        // The allocator is taken before the handler moves into the operation.
        auto allocator = handler_allocator<shared_type>(handler);
        auto operation = std::allocate_shared<shared_type>(
            allocator, operation_type(std::forward<F>(function), std::forward<Handler>(handler), std::move(token),
                                      executor_));
        slot.assign([weak = std::weak_ptr<shared_type>(operation)](boost::asio::cancellation_type) {
            if (auto op = weak.lock())
                op->request_cancel();
        });
        boost::asio::post(executor_, [operation = std::move(operation)] { operation->run(); });
    }

private:
    Executor executor_;
};

} // namespace dotasync::detail

#endif
