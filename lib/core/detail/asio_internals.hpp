// Every use dotasync makes of Boost.Asio's private internals, in one place.
//
// Asio offers no public way to do three things dotasync needs:
//   - to name a strand without copying it (End's deadlock probe keeps one
//     pointer per pending result) and to ask whether the calling thread runs
//     inside that strand;
//   - to read the concurrency hint an io_context was made with (the probe
//     trusts a hint of one thread);
//   - to take small blocks from the per-thread recycling cache Asio keeps for
//     its own operations (the nodes of CancellationToken registrations).
// Each relies on a detail of Asio's implementation. Those details were checked
// for the Boost versions that DOTASYNC_ASIO_INTERNALS_VERIFIED accepts; on any
// other version the functions fall back to what public Asio allows (no strand
// identity, no hint, the global allocator), and tests/core/asio_internals_test
// fails so that the new version is checked before it is trusted.
//
// Private to the library. Thread-safety: as the Asio calls they wrap.
#ifndef DOTASYNC_LIB_CORE_DETAIL_ASIO_INTERNALS_HPP
#define DOTASYNC_LIB_CORE_DETAIL_ASIO_INTERNALS_HPP

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/version.hpp>

#include <cstddef>

// The Boost versions whose Asio internals this file was checked against.
#if BOOST_VERSION >= 108100 && BOOST_VERSION < 108200
#define DOTASYNC_ASIO_INTERNALS_VERIFIED 1
#else
#define DOTASYNC_ASIO_INTERNALS_VERIFIED 0
#endif

namespace dotasync::detail::asio_internals {

inline constexpr bool verified = DOTASYNC_ASIO_INTERNALS_VERIFIED != 0;

using io_strand = boost::asio::strand<boost::asio::io_context::executor_type>;
using any_strand = boost::asio::strand<boost::asio::any_io_executor>;

// The object Asio records while a strand runs a function: the same for every
// copy of one strand, different for different strands. Null when unverified.
const void* strand_identity(const io_strand& strand) noexcept;
const void* strand_identity(const any_strand& strand) noexcept;

// Whether the calling thread is inside a function run by the strand whose
// identity this is.
bool running_in_strand(const void* identity) noexcept;

// Whether context was made with a concurrency hint that promises one thread
// (1, or any hint that turns the scheduler's locking off).
bool promises_one_thread(boost::asio::io_context& context) noexcept;

// Blocks from the calling thread's recycling cache, in the slots Asio keeps
// for parallel groups (which nothing else in dotasync uses), or from the
// global allocator when the thread runs no io_context.
void* allocate_recycled(std::size_t size);
void deallocate_recycled(void* block, std::size_t size) noexcept;

} // namespace dotasync::detail::asio_internals

#endif
