// Internal: what every APM result has, whatever its completion signature:
// the completion flags, the lazy wait handle, the End-once check and End's
// deadlock probe. Compiled once, in lib/core/detail/apm_result_base.cpp.
//
// Thread-safety: IsCompleted, CompletedSynchronously and AsyncWaitHandle may
// be called from any thread at any time; End is called once.
#ifndef DOTASYNC_CORE_DETAIL_APM_RESULT_BASE_HPP
#define DOTASYNC_CORE_DETAIL_APM_RESULT_BASE_HPP

#include <dotasync/core/detail/completion_executor_probe.hpp>
#include <dotasync/core/export.hpp>
#include <dotasync/core/iasync_result.hpp>
#include <dotasync/core/wait_handle.hpp>

#include <any>
#include <atomic>
#include <cstdint>
#include <exception>
#include <memory>

namespace dotasync::detail {

// What a token brings beyond the bare operation: the callback, the state,
// the BeginXxx method that began the result and, for a Delegate, the target
// it hands back.
struct apm_extras {
    AsyncCallback callback;
    std::any state;
    const void* owner = nullptr;
    const void* method = nullptr;
    std::shared_ptr<const void> origin;
};

class DOTASYNC_API apm_result_base : public IAsyncResult {
public:
    apm_result_base() noexcept = default;
    ~apm_result_base() override;

    apm_result_base(const apm_result_base&) = delete;
    apm_result_base& operator=(const apm_result_base&) = delete;

    // A result without a state returns an empty one.
    const std::any& AsyncState() const override;
    WaitHandle& AsyncWaitHandle() const override;
    bool CompletedSynchronously() const override
    {
        return (flags_.load(std::memory_order_acquire) & completed_synchronously_flag) != 0;
    }
    bool IsCompleted() const override { return (flags_.load(std::memory_order_acquire) & completed_flag) != 0; }

    // Whether the BeginXxx method (owner, method) began this result; apm()
    // used directly is (nullptr, nullptr).
    virtual bool began_by(const void* owner, const void* method) const noexcept
    {
        return owner == nullptr && method == nullptr;
    }

    // The extras of a result begun with a callback, a state or by a BeginXxx
    // method; null for a bare one.
    virtual const apm_extras* extras() const noexcept { return nullptr; }

    // The failure an abandoned operation completes with (its handler was
    // destroyed unrun); tasks use it too.
    static std::exception_ptr abandoned_error() noexcept;

    // The refusals every EndXxx can make before looking at the result.
    [[noreturn]] static void throw_null_result();
    [[noreturn]] static void throw_not_begun_here();

    // Marks the result ended (a second End throws InvalidOperationException)
    // and blocks until the operation completes. When the operation is not
    // finished and the calling thread is the only one able to run its
    // completion, throws InvalidOperationException instead, leaving the result
    // unended.
    void end_and_wait()
    {
        // A finished result, ended for the first time, needs no more than
        // this; everything else is decided out of line. Once the result is
        // complete nothing but End writes the flags, and End is called once
        // per result, so a plain store marks it ended: an atomic
        // read-modify-write here would cost as much as the rest of End. An
        // End that follows another one, on any thread, still sees the mark.
        const std::uint32_t seen = flags_.load(std::memory_order_acquire);
        if ((seen & (completed_flag | ended_flag)) == completed_flag) {
            flags_.store(seen | ended_flag, std::memory_order_relaxed);
            return;
        }
        end_and_wait_slow();
    }

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
        ~initiation_scope() { *slot_ = previous_; }
        initiation_scope(const initiation_scope&) = delete;
        initiation_scope& operator=(const initiation_scope&) = delete;

    private:
        // The calling thread's record of the result being initiated.
        const apm_result_base** slot_;
        const apm_result_base* previous_;
    };

protected:
    // The bits of flags_. Completion sets completed_flag together with what
    // it learned (failed, abandoned, synchronous) in one atomic step, so that
    // whoever sees the result completed also sees how it completed.
    static constexpr std::uint32_t completed_flag = 1;
    static constexpr std::uint32_t failed_flag = 2;
    static constexpr std::uint32_t abandoned_flag = 4;
    static constexpr std::uint32_t completed_synchronously_flag = 8;
    static constexpr std::uint32_t ended_flag = 16;

    // Publishes the completion: IsCompleted() becomes true and waiters wake.
    // The callback is the caller's to run afterwards.
    void publish(std::uint32_t outcome) noexcept;

    // Runs the AsyncCallback, when there is one.
    virtual void run_callback(const IAsyncResultPtr& self);


    std::uint32_t flags() const noexcept { return flags_.load(std::memory_order_acquire); }

    bool failed_unobserved() const noexcept
    {
        return (flags() & (failed_flag | ended_flag)) == failed_flag;
    }

private:
    [[noreturn]] static void throw_ended_twice();
    void end_and_wait_slow();
    void wait_for_completion() const noexcept;

    std::atomic<std::uint32_t> flags_{0};
    mutable std::atomic<ManualResetEvent*> wait_handle_{nullptr};
    completion_executor_probe completion_executor_;
};

} // namespace dotasync::detail

#endif
