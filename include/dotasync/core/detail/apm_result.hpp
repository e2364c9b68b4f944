// The concrete IAsyncResult behind every APM operation.
//
// apm_result_base holds everything that does not depend on the completion
// signature (completion flags, lazy wait handle, End-once check, the probe
// for End's deadlock check) and is compiled once in lib/core/iasync_result.cpp;
// apm_result<Signature> adds the storage for the completion arguments, and
// apm_result_with_extras<Signature> adds the callback, the state and the
// (owner, method) pair of a BeginXxx method. A token that carries none of
// those gets the smaller apm_result, so that a pending operation costs as
// little memory as possible.
#ifndef DOTASYNC_CORE_DETAIL_APM_RESULT_HPP
#define DOTASYNC_CORE_DETAIL_APM_RESULT_HPP

#include <dotasync/core/detail/completion_traits.hpp>
#include <dotasync/core/error_mapping.hpp>
#include <dotasync/core/iasync_result.hpp>
#include <dotasync/core/logging.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/system/error_code.hpp>

#include <any>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <new>
#include <system_error>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <utility>

namespace dotasync::detail {

// The executor that will run an operation's completion, kept when it is one
// that a single thread at a time runs: a strand (a StrandSynchronizationContext's
// included), or an io_context whose concurrency hint promises one thread.
// Blocking in End on that thread, while the operation is unfinished, can never
// end: the completion would have to run on the very thread that is waiting for
// it. End asks this probe first and throws instead of hanging. Executors it
// cannot see into (thread pools, the default runtime, an io_context run by
// several threads) are not kept.
//
// The probe keeps one tagged pointer (the strand's implementation or the
// io_context) rather than a copy of the executor: a copy of a strand costs a
// reference count and up to seventy bytes in every result. The pointer needs
// no ownership, because a pending operation keeps its executor alive, and
// once the operation has completed End does not ask the probe.
class completion_executor_probe {
public:
    using io_executor = boost::asio::io_context::executor_type;
    using io_strand = boost::asio::strand<io_executor>;
    using any_strand = boost::asio::strand<boost::asio::any_io_executor>;

    template <class Executor>
    void capture(const Executor& executor) noexcept
    {
        if constexpr (std::is_same_v<Executor, boost::asio::any_io_executor>)
            capture_any(executor);
        else if constexpr (std::is_same_v<Executor, io_executor>)
            keep(&executor.context(), kind::context);
        else if constexpr (std::is_same_v<Executor, io_strand> || std::is_same_v<Executor, any_strand>)
            keep(strand_identity(executor), kind::strand);
        else if constexpr (requires {
                               executor.synchronization_context();
                               executor.get_inner_executor();
                           })
            // A StrandSynchronizationContext's executor runs on its inner strand.
            capture(executor.get_inner_executor());
    }

    enum class verdict { may_complete, inside_strand, inside_single_threaded_context };

    // Whether the calling thread is the only one that could run the
    // completion; defined in lib/core/iasync_result.cpp.
    verdict check() const noexcept;

private:
    enum class kind : std::uintptr_t { none = 0, context = 1, strand = 2 };
    static constexpr std::uintptr_t kind_mask = 3;

    void keep(const void* target, kind k) noexcept
    {
        target_ = reinterpret_cast<std::uintptr_t>(target) | static_cast<std::uintptr_t>(k);
    }

    // Defined in lib/core/iasync_result.cpp: an any_io_executor is unwrapped
    // there, and a strand's implementation is not reachable from its public
    // interface.
    void capture_any(const boost::asio::any_io_executor& executor) noexcept;
    static const void* strand_identity(const io_strand& strand) noexcept;
    static const void* strand_identity(const any_strand& strand) noexcept;

    std::uintptr_t target_ = 0;
};

class apm_result_base : public IAsyncResult {
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

    // The failure an abandoned operation completes with.
    static std::exception_ptr abandoned_error() noexcept;

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

// Memory for results comes from a small per-thread cache of freed blocks, as
// Asio recycles the memory of its handlers: an operation that is begun and
// ended over and over on one thread then reuses one block instead of calling
// the global allocator twice per operation. Defined in
// lib/core/iasync_result.cpp; a block may be freed on any thread.
void* allocate_result_memory(std::size_t size);
void deallocate_result_memory(void* memory, std::size_t size) noexcept;

template <class T>
class result_allocator {
public:
    using value_type = T;

    result_allocator() noexcept = default;
    template <class U>
    result_allocator(const result_allocator<U>&) noexcept // NOLINT: rebinding converts implicitly
    {
    }

    T* allocate(std::size_t n)
    {
        if constexpr (alignof(T) > __STDCPP_DEFAULT_NEW_ALIGNMENT__)
            return std::allocator<T>().allocate(n);
        else
            return static_cast<T*>(allocate_result_memory(n * sizeof(T)));
    }

    void deallocate(T* p, std::size_t n) noexcept
    {
        if constexpr (alignof(T) > __STDCPP_DEFAULT_NEW_ALIGNMENT__)
            std::allocator<T>().deallocate(p, n);
        else
            deallocate_result_memory(p, n * sizeof(T));
    }

    friend bool operator==(const result_allocator&, const result_allocator&) noexcept { return true; }
};

// What a token brings beyond the bare operation: the callback, the state and
// the BeginXxx method that began the result.
struct apm_extras {
    AsyncCallback callback;
    std::any state;
    const void* owner = nullptr;
    const void* method = nullptr;
};

template <class Signature>
class apm_result;

template <class Signature>
class apm_result_with_extras;

template <class R, class... Args>
class apm_result<R(Args...)> : public apm_result_base {
    using traits = completion_traits<std::decay_t<Args>...>;
    using values_type = typename traits::values_type;

public:
    using result_type = typename traits::result_type;

    apm_result() noexcept {}

    ~apm_result() override
    {
        const std::uint32_t f = flags();
        if ((f & (failed_flag | ended_flag)) == failed_flag)
            log_unobserved_failure((f & abandoned_flag) != 0 ? abandoned_error() : traits::failure(storage_.values));
        if ((f & (completed_flag | abandoned_flag)) == completed_flag)
            storage_.values.~values_type();
    }

    // The checks every EndXxx starts with: ar is not null, is a result of
    // this signature and was begun by (owner, method).
    static apm_result& checked(const IAsyncResultPtr& ar, const void* owner, const void* method);

    // Stores the completion arguments, publishes, then runs the callback.
    // self is the pointer the callback receives.
    template <class... Vs>
    void complete(const IAsyncResultPtr& self, Vs&&... values)
    {
        ::new (static_cast<void*>(&storage_.values)) values_type(std::forward<Vs>(values)...);
        publish(traits::failed(storage_.values) ? failed_flag : 0);
        run_callback(self);
    }

    // The handler was destroyed without being invoked: the operation can never
    // finish, so waiters must be released with an error rather than hang.
    void abandon() noexcept { publish(failed_flag | abandoned_flag); }

    // Called once, by end(), after end_and_wait() has waited for completion.
    result_type take()
    {
        if ((flags() & abandoned_flag) != 0)
            std::rethrow_exception(abandoned_error());
        return traits::take(std::move(storage_.values));
    }

private:
    // The completion arguments, constructed by complete(): an abandoned or
    // unfinished result has none.
    union storage {
        storage() noexcept {}
        ~storage() {}
        values_type values;
    } storage_;
};

template <class R, class... Args>
class apm_result_with_extras<R(Args...)> final : public apm_result<R(Args...)> {
public:
    explicit apm_result_with_extras(apm_extras extras) noexcept : extras_(std::move(extras)) {}

    const std::any& AsyncState() const override { return extras_.state; }

    bool began_by(const void* owner, const void* method) const noexcept override
    {
        return extras_.owner == owner && extras_.method == method;
    }

private:
    void run_callback(const IAsyncResultPtr& self) override
    {
        if (extras_.callback)
            extras_.callback(self);
    }

    apm_extras extras_;
};

template <class R, class... Args>
apm_result<R(Args...)>& apm_result<R(Args...)>::checked(const IAsyncResultPtr& ar, const void* owner,
                                                          const void* method)
{
    if (!ar)
        throw_null_result();
    // Comparing the dynamic type with the two classes a result of this
    // signature can have is much cheaper than a dynamic_cast, which walks
    // the class hierarchy by name when the types come from different
    // shared objects.
    // The addresses are compared first: the full comparison falls back on
    // the names, which costs a string comparison when they differ.
    IAsyncResult& result = *ar;
    const std::type_info& type = typeid(result);
    const std::type_info& plain = typeid(apm_result);
    const std::type_info& with_extras = typeid(apm_result_with_extras<R(Args...)>);
    apm_result* typed = nullptr;
    if (&type == &plain || (&type != &with_extras && type == plain))
        typed = static_cast<apm_result*>(&result);
    else if (type == with_extras)
        typed = static_cast<apm_result_with_extras<R(Args...)>*>(&result);
    if (typed == nullptr || !typed->began_by(owner, method))
        throw_not_begun_here();
    return *typed;
}

} // namespace dotasync::detail

#endif
