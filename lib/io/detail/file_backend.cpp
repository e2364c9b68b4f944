#include <dotasync/io/detail/file_backend.hpp>

#include "io/detail/blocking_io_pool.hpp"

#include <dotasync/core/logging.hpp>

#include <boost/asio/post.hpp>

#include <spdlog/spdlog.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <mutex>
#include <string_view>

#if defined(DOTASYNC_HAS_LIBURING)
#include "io/detail/uring_ring.hpp"
#endif

namespace dotasync::detail {

namespace {

struct probe_result {
    bool available = false;
    std::string reason;
};

const probe_result& uring_probe()
{
    static const probe_result result = [] {
        probe_result r;
#if defined(DOTASYNC_HAS_LIBURING)
        // Containers often refuse io_uring_setup (EPERM under a seccomp
        // profile), and old kernels lack it or drop completions.
        r.available = uring_ring::instance(&r.reason) != nullptr;
#else
        r.reason = "dotasync was built without liburing (meson option io_uring)";
#endif
        return r;
    }();
    return result;
}

std::atomic<file_backend> override_backend{file_backend::automatic};

file_backend environment_choice()
{
    static const file_backend chosen = [] {
        file_backend choice = file_backend_available(file_backend::uring) ? file_backend::uring
                                                                          : file_backend::threadpool;
        const char* env = std::getenv("DOTASYNC_FILE_BACKEND");
        const std::string_view wanted = env != nullptr ? env : "";
        if (wanted == "threadpool") {
            choice = file_backend::threadpool;
        } else if (wanted == "uring") {
            if (!file_backend_available(file_backend::uring))
                logger()->warn("DOTASYNC_FILE_BACKEND=uring, but io_uring is not available ({}); "
                               "using the thread-pool back-end",
                               uring_unavailable_reason());
        } else if (!wanted.empty()) {
            logger()->warn("DOTASYNC_FILE_BACKEND='{}' is not one of uring, threadpool; ignored", wanted);
        }
        if (choice == file_backend::uring)
            logger()->debug("FileStream back-end: io_uring");
        else
            logger()->debug("FileStream back-end: thread pool ({})",
                            wanted == "threadpool" ? std::string("forced by DOTASYNC_FILE_BACKEND")
                                                   : uring_unavailable_reason());
        return choice;
    }();
    return chosen;
}

} // namespace

bool file_backend_available(file_backend backend)
{
    switch (backend) {
    case file_backend::uring: return uring_probe().available;
    case file_backend::threadpool:
    case file_backend::automatic: return true;
    }
    return false;
}

std::string uring_unavailable_reason()
{
    return uring_probe().reason;
}

file_backend current_file_backend()
{
    const file_backend forced = override_backend.load(std::memory_order_acquire);
    if (forced == file_backend::uring && file_backend_available(file_backend::uring))
        return file_backend::uring;
    if (forced == file_backend::threadpool)
        return file_backend::threadpool;
    return environment_choice();
}

file_backend set_file_backend(file_backend backend)
{
    return override_backend.exchange(backend, std::memory_order_acq_rel);
}

const char* to_string(file_backend backend) noexcept
{
    switch (backend) {
    case file_backend::uring: return "uring";
    case file_backend::threadpool: return "threadpool";
    case file_backend::automatic: return "automatic";
    }
    return "?";
}

} // namespace dotasync::detail
