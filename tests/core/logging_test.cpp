#include <dotasync/core/logging.hpp>

#include <dotasync/core/exceptions.hpp>

#include <boost/cstdlib.hpp>
#include <boost/test/unit_test.hpp>

#include <spdlog/logger.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

extern char** environ;

using namespace dotasync;

namespace {

// The level names logging.hpp documents for DOTASYNC_LOG_LEVEL, and the
// level each one must select.
struct level_name {
    const char* name;
    spdlog::level::level_enum level;
};

constexpr level_name documented_levels[] = {
    {"trace", spdlog::level::trace}, {"debug", spdlog::level::debug},
    {"info", spdlog::level::info},   {"warn", spdlog::level::warn},
    {"error", spdlog::level::err},   {"critical", spdlog::level::critical},
    {"off", spdlog::level::off},
};

std::optional<spdlog::level::level_enum> level_named(std::string_view name)
{
    for (const auto& entry : documented_levels)
        if (name == entry.name)
            return entry.level;
    return std::nullopt;
}

// The name the sink's %l flag writes for a level ("warning" for warn).
std::string level_text(spdlog::level::level_enum level)
{
    const auto view = spdlog::level::to_string_view(level);
    return std::string(view.data(), view.size());
}

// The child-process helper below runs only when its parent sets this.
constexpr const char* expected_level_variable = "DOTASYNC_TEST_EXPECTED_LEVEL";
constexpr const char* child_test_path = "logging/child_process_logger_starts_at_the_expected_level";

// Re-runs this test program, with only the helper test case enabled, in an
// environment where DOTASYNC_LOG_LEVEL is log_level (or unset) and the helper
// expects expected_level. Returns the child's wait status. A quiet child
// writes its report to /dev/null.
int run_child(const std::optional<std::string>& log_level, const std::string& expected_level,
              bool quiet = false)
{
    std::vector<std::string> env;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        const std::string_view text(*entry);
        if (text.starts_with("DOTASYNC_LOG_LEVEL=") ||
            text.starts_with(std::string(expected_level_variable) + "="))
            continue;
        env.emplace_back(text);
    }
    if (log_level)
        env.push_back("DOTASYNC_LOG_LEVEL=" + *log_level);
    env.push_back(std::string(expected_level_variable) + "=" + expected_level);

    std::vector<char*> envp;
    for (auto& entry : env)
        envp.push_back(entry.data());
    envp.push_back(nullptr);

    const auto& suite = boost::unit_test::framework::master_test_suite();
    BOOST_TEST_REQUIRE(suite.argc >= 1);
    std::string program = suite.argv[0];
    std::string run_test = std::string("--run_test=") + child_test_path;
    std::string report_level = "--report_level=no";
    std::vector<char*> argv = {program.data(), run_test.data(), report_level.data(), nullptr};

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (quiet) {
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    }
    pid_t pid = 0;
    const int spawn_error = posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    BOOST_TEST_REQUIRE(spawn_error == 0, "posix_spawnp failed: " << std::strerror(spawn_error));

    int status = 0;
    pid_t waited = 0;
    do {
        waited = waitpid(pid, &status, 0);
    } while (waited == -1 && errno == EINTR);
    BOOST_TEST_REQUIRE(waited == pid);
    return status;
}

void check_child_succeeded(int status)
{
    BOOST_TEST(WIFEXITED(status), "child did not exit normally (signal "
                                      << (WIFSIGNALED(status) ? WTERMSIG(status) : 0) << ")");
    if (WIFEXITED(status))
        BOOST_TEST(WEXITSTATUS(status) == 0, "child test failed, exit status " << WEXITSTATUS(status));
}

// Adds a sink that records what the dotasync logger writes, as
// "<level>|<logger name>|<text>" lines, and restores the logger's level and
// sinks on destruction.
class captured_log {
public:
    captured_log() : saved_level_(logger()->level())
    {
        sink_ = std::make_shared<spdlog::sinks::ostream_sink_mt>(stream_);
        sink_->set_pattern("%l|%n|%v");
        logger()->sinks().push_back(sink_);
    }

    ~captured_log()
    {
        auto& sinks = logger()->sinks();
        sinks.erase(std::remove(sinks.begin(), sinks.end(), sink_), sinks.end());
        logger()->set_level(saved_level_);
    }

    captured_log(const captured_log&) = delete;
    captured_log& operator=(const captured_log&) = delete;

    std::string text() const { return stream_.str(); }
    bool contains(std::string_view part) const { return text().find(part) != std::string::npos; }
    void clear()
    {
        stream_.str({});
        stream_.clear();
    }

private:
    spdlog::level::level_enum saved_level_;
    std::ostringstream stream_;
    std::shared_ptr<spdlog::sinks::ostream_sink_mt> sink_;
};

// A sink whose every write fails, as a full disk or a closed pipe would.
class throwing_sink : public spdlog::sinks::base_sink<std::mutex> {
protected:
    void sink_it_(const spdlog::details::log_msg&) override { throw std::runtime_error("sink failure"); }
    void flush_() override { throw std::runtime_error("sink failure"); }
};

struct user_failure {
    int code;
};

} // namespace

BOOST_AUTO_TEST_SUITE(logging)

// ---------------------------------------------------------------------------
// The logger
// ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(logger_returns_the_same_logger_on_every_call)
{
    const auto first = logger();
    const auto second = logger();
    BOOST_TEST_REQUIRE(first != nullptr);
    BOOST_TEST(first == second);
}

BOOST_AUTO_TEST_CASE(logger_is_named_dotasync)
{
    BOOST_TEST(logger()->name() == "dotasync");
}

BOOST_AUTO_TEST_CASE(logger_is_registered_with_spdlog_under_its_name)
{
    const auto mine = logger();
    BOOST_TEST((spdlog::get("dotasync") == mine));
}

// ---------------------------------------------------------------------------
// The initial level, from DOTASYNC_LOG_LEVEL (checked in child processes,
// since the variable is read once, when the logger is first used)
// ---------------------------------------------------------------------------

// Helper for the two tests below: never runs on its own.
BOOST_AUTO_TEST_CASE(child_process_logger_starts_at_the_expected_level,
                     *boost::unit_test::disabled() *
                         boost::unit_test::precondition([](boost::unit_test::test_unit_id) {
                             return std::getenv(expected_level_variable) != nullptr;
                         }))
{
    const char* expected_name = std::getenv(expected_level_variable);
    BOOST_TEST_REQUIRE(expected_name != nullptr);
    const auto expected = level_named(expected_name);
    BOOST_TEST_REQUIRE(expected.has_value(), "unknown expected level " << expected_name);
    const char* configured = std::getenv("DOTASYNC_LOG_LEVEL");
    BOOST_TEST_CONTEXT("DOTASYNC_LOG_LEVEL=" << (configured ? configured : "<unset>"))
    {
        BOOST_TEST(logger()->level() == *expected, "level is " << level_text(logger()->level())
                                                               << ", expected " << expected_name);
    }
}

BOOST_AUTO_TEST_CASE(logger_level_defaults_to_warn_when_DOTASYNC_LOG_LEVEL_is_unset)
{
    check_child_succeeded(run_child(std::nullopt, "warn"));
}

BOOST_AUTO_TEST_CASE(DOTASYNC_LOG_LEVEL_sets_the_initial_level)
{
    // The child's check is live: a level other than the expected one fails
    // it (Boost.Test exits with 201 when a test case fails), so a child that
    // skipped its check cannot pass for one that made it.
    const int mismatch = run_child(std::string("debug"), "error", /*quiet=*/true);
    BOOST_TEST_REQUIRE(WIFEXITED(mismatch));
    BOOST_TEST_REQUIRE(WEXITSTATUS(mismatch) == boost::exit_test_failure);

    for (const auto& entry : documented_levels) {
        BOOST_TEST_CONTEXT("DOTASYNC_LOG_LEVEL=" << entry.name)
        {
            check_child_succeeded(run_child(std::string(entry.name), entry.name));
        }
    }
}

BOOST_AUTO_TEST_CASE(an_unknown_DOTASYNC_LOG_LEVEL_keeps_warn_instead_of_turning_logging_off)
{
    check_child_succeeded(run_child(std::string("WARNING"), "warn"));
    check_child_succeeded(run_child(std::string("verbose"), "warn"));
}

BOOST_AUTO_TEST_CASE(logger_level_can_be_changed_from_code)
{
    captured_log log;
    logger()->set_level(spdlog::level::err);
    detail::log_unobserved_failure(std::make_exception_ptr(InvalidOperationException("filtered out")));
    BOOST_TEST(!log.contains("filtered out"));

    logger()->set_level(spdlog::level::warn);
    detail::log_unobserved_failure(std::make_exception_ptr(InvalidOperationException("let through")));
    BOOST_TEST(log.contains("let through"));
}

// ---------------------------------------------------------------------------
// What is logged
// ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_sink_added_by_the_user_receives_unobserved_failures)
{
    captured_log log;
    logger()->set_level(spdlog::level::warn);
    detail::log_unobserved_failure(std::make_exception_ptr(InvalidOperationException("boom")));
    BOOST_TEST(log.contains("boom"), "captured: " << log.text());
    BOOST_TEST(log.contains("dotasync::InvalidOperationException"), "captured: " << log.text());
    BOOST_TEST(log.contains("|dotasync|"), "captured: " << log.text());
}

BOOST_AUTO_TEST_CASE(unobserved_failures_are_logged_at_warn)
{
    captured_log log;
    logger()->set_level(spdlog::level::trace);
    detail::log_unobserved_failure(std::make_exception_ptr(TimeoutException("late")));
    BOOST_TEST(log.text().starts_with(level_text(spdlog::level::warn) + "|"), "captured: " << log.text());
}

BOOST_AUTO_TEST_CASE(replacing_the_sinks_sends_unobserved_failures_only_to_the_new_sink)
{
    const auto saved_sinks = logger()->sinks();
    const auto saved_level = logger()->level();
    std::ostringstream replacement;
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(replacement);
    logger()->sinks() = {sink};
    logger()->set_level(spdlog::level::warn);

    detail::log_unobserved_failure(std::make_exception_ptr(IOException("disk gone")));
    const bool only_new_sink = logger()->sinks().size() == 1;

    logger()->sinks() = saved_sinks;
    logger()->set_level(saved_level);

    BOOST_TEST(only_new_sink);
    BOOST_TEST(replacement.str().find("disk gone") != std::string::npos, "captured: " << replacement.str());
    BOOST_TEST(replacement.str().find("dotasync::IOException") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(log_callback_exception_logs_at_critical_with_the_location_text)
{
    captured_log log;
    logger()->set_level(spdlog::level::warn);
    detail::log_callback_exception("the BeginRead callback",
                                   std::make_exception_ptr(ArgumentNullException("buffer")));
    BOOST_TEST(log.text().starts_with(level_text(spdlog::level::critical) + "|"), "captured: " << log.text());
    BOOST_TEST(log.contains("the BeginRead callback"), "captured: " << log.text());
    BOOST_TEST(log.contains("dotasync::ArgumentNullException"), "captured: " << log.text());
    BOOST_TEST(log.contains("buffer"), "captured: " << log.text());
}

BOOST_AUTO_TEST_CASE(log_callback_exception_is_logged_when_the_level_filters_out_warnings)
{
    captured_log log;
    logger()->set_level(spdlog::level::critical);
    detail::log_unobserved_failure(std::make_exception_ptr(InvalidOperationException("not shown")));
    detail::log_callback_exception("a Completed handler", std::make_exception_ptr(std::runtime_error("shown")));
    BOOST_TEST(!log.contains("not shown"));
    BOOST_TEST(log.contains("a Completed handler"));
    BOOST_TEST(log.contains("shown"));
}

BOOST_AUTO_TEST_CASE(log_callback_exception_logs_exceptions_not_derived_from_std_exception)
{
    captured_log log;
    logger()->set_level(spdlog::level::warn);
    detail::log_callback_exception("a user callback", std::make_exception_ptr(user_failure{3}));
    BOOST_TEST(log.contains("a user callback"), "captured: " << log.text());
    BOOST_TEST(log.text().starts_with(level_text(spdlog::level::critical) + "|"), "captured: " << log.text());
}

BOOST_AUTO_TEST_CASE(logging_helpers_survive_a_failing_sink_and_a_throwing_error_handler)
{
    // Both helpers are noexcept and run in destructors: a failing sink or an
    // error handler that throws must not escape (it would call terminate).
    auto failing = std::make_shared<throwing_sink>();
    logger()->sinks().push_back(failing);
    const auto saved_level = logger()->level();
    logger()->set_level(spdlog::level::warn);
    int handler_calls = 0;
    logger()->set_error_handler([&](const std::string& message) {
        ++handler_calls;
        throw std::runtime_error("error handler failure: " + message);
    });

    detail::log_unobserved_failure(std::make_exception_ptr(InvalidOperationException("boom")));
    const int calls_after_unobserved = handler_calls;
    detail::log_callback_exception("a callback", std::make_exception_ptr(InvalidOperationException("boom")));
    const int calls_after_callback = handler_calls;

    logger()->set_error_handler(nullptr);
    auto& sinks = logger()->sinks();
    sinks.erase(std::remove(sinks.begin(), sinks.end(), failing), sinks.end());
    logger()->set_level(saved_level);

    // Reaching here means nothing escaped; the counts show that each helper
    // really went through the throwing handler.
    BOOST_TEST(calls_after_unobserved > 0);
    BOOST_TEST(calls_after_callback > calls_after_unobserved);
}

// ---------------------------------------------------------------------------
// describe_exception, the text both helpers log
// ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(describe_exception_gives_the_demangled_type_and_the_message)
{
    const std::string text =
        detail::describe_exception(std::make_exception_ptr(FileNotFoundException("no such file", "a.txt")));
    BOOST_TEST(text.find("dotasync::FileNotFoundException") != std::string::npos, "text: " << text);
    BOOST_TEST(text.find("no such file") != std::string::npos, "text: " << text);
}

BOOST_AUTO_TEST_CASE(describe_exception_handles_null_and_non_standard_exceptions)
{
    BOOST_TEST(!detail::describe_exception(nullptr).empty());
    BOOST_TEST(!detail::describe_exception(std::make_exception_ptr(user_failure{1})).empty());
    BOOST_TEST(!detail::describe_exception(std::make_exception_ptr(42)).empty());
}

BOOST_AUTO_TEST_SUITE_END()
