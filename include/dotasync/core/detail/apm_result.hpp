// The concrete IAsyncResult behind every APM operation.
//
// apm_result_base holds everything that does not depend on the completion
// signature (state, callback, completion flag, lazy wait handle, End-once and
// ownership checks) and is compiled once in lib/core/iasync_result.cpp;
// apm_result<Signature> adds the storage for the completion arguments.
#ifndef DOTASYNC_CORE_DETAIL_APM_RESULT_HPP
#define DOTASYNC_CORE_DETAIL_APM_RESULT_HPP

#include <dotasync/core/error_mapping.hpp>
#include <dotasync/core/iasync_result.hpp>
#include <dotasync/core/logging.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/system/error_code.hpp>

#include <any>
#include <atomic>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <system_error>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

namespace dotasync::detail {

// The executor that will run an operation's completion, kept when it is one
// that a single thread at a time runs: a strand, or an io_context whose
// concurrency hint promises one thread. Blocking in End on that thread, while
// the operation is unfinished, can never end: the completion would have to run
// on the very thread that is waiting for it. End asks this probe first and
// throws instead of hanging. Executors it cannot see into (thread pools, the
// default runtime, an io_context run by several threads) are not kept.
class completion_executor_probe {
public:
    using io_executor = boost::asio::io_context::executor_type;

    template <class Executor>
    void capture(const Executor& executor) noexcept
    {
        if constexpr (std::is_same_v<Executor, boost::asio::any_io_executor>) {
            if (const auto* strand = executor.template target<boost::asio::strand<io_executor>>())
                executor_ = *strand;
            else if (const auto* any_strand = executor.template target<boost::asio::strand<boost::asio::any_io_executor>>())
                executor_ = *any_strand;
            else if (const auto* io = executor.template target<io_executor>())
                executor_ = *io;
        } else if constexpr (std::is_same_v<Executor, io_executor> ||
                             std::is_same_v<Executor, boost::asio::strand<io_executor>> ||
                             std::is_same_v<Executor, boost::asio::strand<boost::asio::any_io_executor>>) {
            executor_ = executor;
        }
    }

    enum class verdict { may_complete, inside_strand, inside_single_threaded_context };

    // Whether the calling thread is the only one that could run the
    // completion; defined in lib/core/iasync_result.cpp.
    verdict check() const noexcept;

private:
    std::variant<std::monostate, io_executor, boost::asio::strand<io_executor>,
                 boost::asio::strand<boost::asio::any_io_executor>>
        executor_;
};

class apm_result_base : public IAsyncResult {
public:
    apm_result_base(AsyncCallback callback, std::any state, const void* owner,
                    const void* method) noexcept;
    ~apm_result_base() override;

    apm_result_base(const apm_result_base&) = delete;
    apm_result_base& operator=(const apm_result_base&) = delete;

    const std::any& AsyncState() const override { return state_; }
    WaitHandle& AsyncWaitHandle() const override;
    bool CompletedSynchronously() const override
    {
        return completed_synchronously_.load(std::memory_order_relaxed);
    }
    bool IsCompleted() const override { return state_flag_.load(std::memory_order_acquire) != 0; }

    // The checks every EndXxx starts with: ar is not null and is an
    // apm_result_base begun by (owner, method).
    static apm_result_base& checked(const IAsyncResultPtr& ar, const void* owner, const void* method);

    // Marks the result ended (a second End throws InvalidOperationException)
    // and blocks until the operation completes. When the operation is not
    // finished and the calling thread is the only one able to run its
    // completion, throws InvalidOperationException instead, leaving the result
    // unended.
    void end_and_wait();

    // Remembers the executor that will run the completion, for the check
    // above. Called by the initiating function, before the operation starts.
    template <class Executor>
    void capture_completion_executor(const Executor& executor) noexcept
    {
        completion_executor_.capture(executor);
    }

    // Marks the calling thread as inside the initiating function of this
    // result, so that a completion on the same thread before the initiating
    // function returns is recognised as synchronous.
    class initiation_scope {
    public:
        explicit initiation_scope(const apm_result_base& result) noexcept;
        ~initiation_scope();
        initiation_scope(const initiation_scope&) = delete;
        initiation_scope& operator=(const initiation_scope&) = delete;

    private:
        const apm_result_base* previous_;
    };

protected:
    // Publishes the completion: IsCompleted() becomes true, waiters wake, then
    // the callback runs (unless abandoned). Exceptions from the callback
    // propagate to the caller, which is the completion handler.
    void publish(const IAsyncResultPtr& self, bool failed, bool run_callback);

    // The failure an abandoned operation completes with.
    static std::exception_ptr abandoned_error() noexcept;

    bool failed_unobserved() const noexcept
    {
        return failed_ && !ended_.load(std::memory_order_relaxed);
    }

private:
    void wait_for_completion() const noexcept;

    AsyncCallback callback_;
    std::any state_;
    const void* owner_;
    const void* method_;
    std::atomic<std::uint32_t> state_flag_{0};
    std::atomic<bool> ended_{false};
    std::atomic<bool> completed_synchronously_{false};
    bool failed_ = false;
    mutable std::atomic<ManualResetEvent*> wait_handle_{nullptr};
    completion_executor_probe completion_executor_;
};

// What end() returns for completion arguments T...: void, T, or std::tuple<T...>.
template <class... Ts>
struct end_value {
    using type = std::tuple<Ts...>;
    static type take(std::tuple<Ts...>&& values) { return std::move(values); }
};

template <>
struct end_value<> {
    using type = void;
    static void take(std::tuple<>&&) {}
};

template <class T>
struct end_value<T> {
    using type = T;
    static T take(std::tuple<T>&& values) { return std::move(std::get<0>(values)); }
};

template <class T>
inline constexpr bool is_error_code_v =
    std::is_same_v<T, boost::system::error_code> || std::is_same_v<T, std::error_code>;

template <class T>
inline constexpr bool is_exception_ptr_v = std::is_same_v<T, std::exception_ptr>;

// How end() treats the completion arguments of one signature: a leading
// error_code or exception_ptr is the failure channel, the rest is the value.
template <class... Args>
struct completion_traits {
    using values_type = std::tuple<Args...>;
    using result_type = typename end_value<Args...>::type;
    static constexpr bool has_failure_channel = false;

    static bool failed(const values_type&) noexcept { return false; }
    static std::exception_ptr failure(const values_type&) { return {}; }
    static result_type take(values_type&& values) { return end_value<Args...>::take(std::move(values)); }
};

template <class First, class... Rest>
    requires(is_error_code_v<First> || is_exception_ptr_v<First>)
struct completion_traits<First, Rest...> {
    using values_type = std::tuple<First, Rest...>;
    using result_type = typename end_value<Rest...>::type;
    static constexpr bool has_failure_channel = true;

    static bool failed(const values_type& values) noexcept { return static_cast<bool>(std::get<0>(values)); }

    static std::exception_ptr failure(const values_type& values)
    {
        if constexpr (is_error_code_v<First>)
            return exception_from_error(std::get<0>(values));
        else
            return std::get<0>(values);
    }

    static result_type take(values_type&& values)
    {
        if (auto error = failure(values))
            std::rethrow_exception(error);
        return end_value<Rest...>::take(std::apply(
            [](First&&, Rest&&... rest) { return std::tuple<Rest...>(std::move(rest)...); },
            std::move(values)));
    }
};

template <class Signature>
class apm_result;

template <class R, class... Args>
class apm_result<R(Args...)> final : public apm_result_base {
    using traits = completion_traits<std::decay_t<Args>...>;

public:
    using result_type = typename traits::result_type;

    using apm_result_base::apm_result_base;

    ~apm_result() override
    {
        if (failed_unobserved())
            log_unobserved_failure(abandoned_ ? abandoned_ : traits::failure(*values_));
    }

    template <class... Vs>
    void complete(const std::shared_ptr<apm_result>& self, Vs&&... values)
    {
        values_.emplace(std::forward<Vs>(values)...);
        publish(self, traits::failed(*values_), true);
    }

    // The handler was destroyed without being invoked: the operation can never
    // finish, so waiters must be released with an error rather than hang.
    void abandon(const std::shared_ptr<apm_result>& self) noexcept
    {
        abandoned_ = abandoned_error();
        try {
            publish(self, true, false);
        } catch (...) {
            // publish() throws only from the callback, which is not run here.
        }
    }

    // Called once, by end(), after begin_end() has waited for completion.
    result_type take()
    {
        if (abandoned_)
            std::rethrow_exception(abandoned_);
        return traits::take(std::move(*values_));
    }

private:
    std::optional<typename traits::values_type> values_;
    std::exception_ptr abandoned_;
};

} // namespace dotasync::detail

#endif
