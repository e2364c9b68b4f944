// Internal: End's check that a wait could never end.
//
// Thread-safety: a probe is written once, by the initiating function, before
// the operation starts; check() may then be called from any thread.
#ifndef DOTASYNC_CORE_DETAIL_COMPLETION_EXECUTOR_PROBE_HPP
#define DOTASYNC_CORE_DETAIL_COMPLETION_EXECUTOR_PROBE_HPP

#include <dotasync/core/export.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include <cstdint>
#include <type_traits>

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
class DOTASYNC_API completion_executor_probe {
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
    // completion; defined in lib/core/detail/completion_executor_probe.cpp.
    verdict check() const noexcept;

private:
    enum class kind : std::uintptr_t { none = 0, context = 1, strand = 2 };
    static constexpr std::uintptr_t kind_mask = 3;

    void keep(const void* target, kind k) noexcept
    {
        target_ = reinterpret_cast<std::uintptr_t>(target) | static_cast<std::uintptr_t>(k);
    }

    // Defined in lib/core/detail/completion_executor_probe.cpp: an
    // any_io_executor is unwrapped there, and a strand's implementation is
    // reached through lib/core/detail/asio_internals.
    void capture_any(const boost::asio::any_io_executor& executor) noexcept;
    static const void* strand_identity(const io_strand& strand) noexcept;
    static const void* strand_identity(const any_strand& strand) noexcept;

    std::uintptr_t target_ = 0;
};

} // namespace dotasync::detail

#endif
