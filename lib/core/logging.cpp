#include <dotasync/core/logging.hpp>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "core/detail/type_name.hpp"

#include <cstdlib>
#include <string_view>
#include <typeinfo>

namespace dotasync {

namespace {

std::shared_ptr<spdlog::logger> make_logger()
{
    auto existing = spdlog::get("dotasync");
    if (existing)
        return existing;
    auto created = spdlog::stderr_color_mt("dotasync");
    created->set_level(spdlog::level::warn);
    if (const char* name = std::getenv("DOTASYNC_LOG_LEVEL")) {
        // spdlog reads any unknown name as "off"; a typo must not silence
        // critical messages, so only "off" itself turns logging off.
        const auto level = spdlog::level::from_str(name);
        if (level != spdlog::level::off || std::string_view(name) == "off")
            created->set_level(level);
        else
            created->warn("DOTASYNC_LOG_LEVEL='{}' is not a level name; keeping 'warn'", name);
    }
    return created;
}

} // namespace

std::shared_ptr<spdlog::logger> logger()
{
    // Held here as well as in spdlog's registry so that operations finishing
    // during static destruction can still log after the registry is gone.
    static const std::shared_ptr<spdlog::logger> instance = make_logger();
    return instance;
}

namespace detail {

std::string describe_exception(const std::exception_ptr& error)
{
    if (!error)
        return "no exception";
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        return type_name(typeid(e)) + ": " + e.what();
    } catch (...) {
        return "an exception not derived from std::exception";
    }
}

void log_unobserved_failure(const std::exception_ptr& error) noexcept
{
    try {
        logger()->warn("an asynchronous operation failed and its result was never ended: {}",
                       describe_exception(error));
    } catch (...) {
        // Logging must never turn a destructor into a terminate.
    }
}

void log_callback_exception(std::string_view where, const std::exception_ptr& error) noexcept
{
    try {
        logger()->critical("unhandled exception in {}: {}", where, describe_exception(error));
    } catch (...) {
    }
}

} // namespace detail
} // namespace dotasync
