// dotasync logs through one spdlog logger named "dotasync".
//
// Its level starts at warn, or at the level named by the environment variable
// DOTASYNC_LOG_LEVEL (trace, debug, info, warn, error, critical, off) when the
// logger is first used. Code may change the level or replace the sinks through
// the logger itself; spdlog is kept out of this header so that including
// dotasync does not cost every translation unit spdlog's compile time.
//
// Logged: operations that failed and whose result nobody ended (warn), an
// exception escaping a user's callback on the default runtime (critical), and
// back-end choices at start-up (debug).
//
// Thread-safety: logger() may be called from any thread.
#ifndef DOTASYNC_CORE_LOGGING_HPP
#define DOTASYNC_CORE_LOGGING_HPP

#include <dotasync/core/export.hpp>

#include <exception>
#include <memory>
#include <string>
#include <string_view>

namespace spdlog {
class logger;
}

namespace dotasync {

// The "dotasync" logger, created on first use and registered with spdlog.
DOTASYNC_API std::shared_ptr<spdlog::logger> logger();

namespace detail {

// Out-of-line helpers so that header templates can log without spdlog.
DOTASYNC_API void log_unobserved_failure(const std::exception_ptr& error) noexcept;
DOTASYNC_API void log_callback_exception(std::string_view where, const std::exception_ptr& error) noexcept;
DOTASYNC_API std::string describe_exception(const std::exception_ptr& error);

} // namespace detail
} // namespace dotasync

#endif
