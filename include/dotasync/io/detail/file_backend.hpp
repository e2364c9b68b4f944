// Internal: which back-end a FileStream uses for its asynchronous operations.
//
// io_uring (a ring that dotasync owns through liburing) is used when the
// library was built with liburing and the kernel allows it; whether it does is
// probed once, at first use, because containers often forbid io_uring_setup. The thread-pool
// back-end (positional pread/pwrite on a private pool of blocking-I/O threads)
// is used everywhere else. DOTASYNC_FILE_BACKEND=uring|threadpool forces one
// (uring where unavailable falls back, with a warning). The choice is logged at
// debug level.
//
// Tests and benchmarks choose a back-end for the FileStreams opened afterwards
// with set_file_backend(); FileStreams already open keep theirs.
//
// Thread-safety: all functions may be called from any thread.
#ifndef DOTASYNC_IO_DETAIL_FILE_BACKEND_HPP
#define DOTASYNC_IO_DETAIL_FILE_BACKEND_HPP

#include <dotasync/core/export.hpp>

#include <cstddef>
#include <string>

namespace dotasync::detail {

enum class file_backend { automatic, threadpool, uring };

// True when FileStreams can use the back-end here. For uring this runs the
// probe (once); the reason it failed is in uring_unavailable_reason().
DOTASYNC_API bool file_backend_available(file_backend backend);
DOTASYNC_API std::string uring_unavailable_reason();

// The back-end new FileStreams use: the one set by set_file_backend(), else
// the environment's, else the best available.
DOTASYNC_API file_backend current_file_backend();

// Overrides the choice for FileStreams opened from now on; automatic restores
// the default. Returns the previous override.
DOTASYNC_API file_backend set_file_backend(file_backend backend);

DOTASYNC_API const char* to_string(file_backend backend) noexcept;

} // namespace dotasync::detail

#endif
