// The private threads on which the thread-pool file back-end blocks in pread
// and pwrite. They never run an io_context, so a slow disk never stalls the
// threads that run completion handlers. Private to the library.
#ifndef DOTASYNC_LIB_IO_DETAIL_BLOCKING_IO_POOL_HPP
#define DOTASYNC_LIB_IO_DETAIL_BLOCKING_IO_POOL_HPP

#include <boost/asio/thread_pool.hpp>

#include <cstddef>

namespace dotasync::detail {

// Enough threads to keep several reads in flight on a disk, few enough not
// to matter on a small machine: they sleep in the kernel, not on a CPU.
inline constexpr std::size_t blocking_io_threads = 4;

// Started on first use; joined at exit, when jobs not yet run are destroyed
// (their operations complete as abandoned).
boost::asio::thread_pool& blocking_io_pool();

} // namespace dotasync::detail

#endif
