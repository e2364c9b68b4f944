// The Asio executor of a StrandSynchronizationContext.
//
// strand_context_executor<Inner> wraps an executor Inner (a strand, or a
// strand with properties required or preferred on it) together with the
// context it belongs to. It is a full asio::execution::executor: execute()
// runs the function through Inner with SynchronizationContext::Current() set
// to the context for the duration of the call, queries are forwarded to
// Inner, and require/prefer apply to Inner and re-wrap the result, so the
// context survives every transformation Asio applies to an executor (post's
// blocking.never and relationship.fork, a work guard's outstanding_work.tracked,
// conversion to any_io_executor).
//
// The executor holds the context by shared_ptr, so copies kept by pending
// handlers keep the context alive after user code has let go of it.
//
// Thread-safety: an executor is a value; distinct copies may be used from any
// thread at once, as Asio executors are.
#ifndef DOTASYNC_THREADING_DETAIL_STRAND_CONTEXT_EXECUTOR_HPP
#define DOTASYNC_THREADING_DETAIL_STRAND_CONTEXT_EXECUTOR_HPP

#include <dotasync/threading/synchronization_context.hpp>

#include <boost/asio/execution.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/query.hpp>
#include <boost/asio/require.hpp>

#include <memory>
#include <type_traits>
#include <utility>

namespace dotasync::detail {

// The function a strand_context_executor hands to its inner executor: the
// user's function plus the context to make current while it runs.
template <class Function>
class context_function {
public:
    template <class F>
    context_function(std::shared_ptr<SynchronizationContext> context, F&& function)
        : context_(std::move(context)), function_(std::forward<F>(function))
    {
    }

    void operator()()
    {
        current_context_scope scope(context_);
        function_();
    }

private:
    std::shared_ptr<SynchronizationContext> context_;
    Function function_;
};

template <class InnerExecutor>
class strand_context_executor {
public:
    using inner_executor_type = InnerExecutor;

    strand_context_executor(std::shared_ptr<SynchronizationContext> context, InnerExecutor inner) noexcept
        : context_(std::move(context)), inner_(std::move(inner))
    {
    }

    template <class Property>
        requires boost::asio::can_query_v<const InnerExecutor&, Property>
    decltype(auto) query(const Property& property) const
        noexcept(boost::asio::is_nothrow_query_v<const InnerExecutor&, Property>)
    {
        return boost::asio::query(inner_, property);
    }

    template <class Property>
        requires boost::asio::can_require_v<const InnerExecutor&, Property>
    auto require(const Property& property) const
        noexcept(boost::asio::is_nothrow_require_v<const InnerExecutor&, Property>)
    {
        using result = std::decay_t<typename boost::asio::require_result<const InnerExecutor&, Property>::type>;
        return strand_context_executor<result>(context_, boost::asio::require(inner_, property));
    }

    template <class Property>
        requires boost::asio::can_prefer_v<const InnerExecutor&, Property>
    auto prefer(const Property& property) const
        noexcept(boost::asio::is_nothrow_prefer_v<const InnerExecutor&, Property>)
    {
        using result = std::decay_t<typename boost::asio::prefer_result<const InnerExecutor&, Property>::type>;
        return strand_context_executor<result>(context_, boost::asio::prefer(inner_, property));
    }

    template <class Function>
    void execute(Function&& function) const
    {
        inner_.execute(context_function<std::decay_t<Function>>(context_, std::forward<Function>(function)));
    }

    // True while the calling thread runs a function of this executor's
    // strand (through this executor or through the strand itself).
    bool running_in_this_thread() const noexcept
        requires requires(const InnerExecutor& e) { e.running_in_this_thread(); }
    {
        return inner_.running_in_this_thread();
    }

    // The context whose executor this is.
    const std::shared_ptr<SynchronizationContext>& synchronization_context() const noexcept { return context_; }
    const InnerExecutor& get_inner_executor() const noexcept { return inner_; }

    friend bool operator==(const strand_context_executor& a, const strand_context_executor& b) noexcept
    {
        return a.context_ == b.context_ && a.inner_ == b.inner_;
    }

    friend bool operator!=(const strand_context_executor& a, const strand_context_executor& b) noexcept
    {
        return !(a == b);
    }

private:
    std::shared_ptr<SynchronizationContext> context_;
    InnerExecutor inner_;
};

} // namespace dotasync::detail

#endif
