#include <dotasync/threading/thread_pool.hpp>

#include <dotasync/core/exceptions.hpp>

#include "support/waiting.hpp"
#include "support/unhandled_capture.hpp"

#include <boost/asio/post.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <set>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

using namespace dotasync;
using namespace dotasync_test;

namespace {


// The threads of this process that carry the pool's name. Counting by name
// keeps threads of other origin (a sanitizer's, say) out of the count.
std::size_t pool_threads_in_process()
{
    std::size_t count = 0;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task")) {
        std::ifstream comm(entry.path() / "comm");
        std::string name;
        std::getline(comm, name);
        count += name == "dotasync-pool";
    }
    return count;
}

} // namespace

// Must stay the first case of this program: it observes the runtime start.
BOOST_AUTO_TEST_CASE(The_default_runtime_starts_its_threads_on_first_use_only)
{
    BOOST_TEST(pool_threads_in_process() == 0u);
    const int pool_threads = ThreadPool::ThreadCount();
    BOOST_TEST(pool_threads >= 2);
    // The threads name themselves as they start; give them time to do so.
    const auto deadline = std::chrono::steady_clock::now() + generous;
    while (pool_threads_in_process() < static_cast<std::size_t>(pool_threads) &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::yield();
    BOOST_TEST(pool_threads_in_process() == static_cast<std::size_t>(pool_threads));
    // Further use starts nothing more.
    ThreadPool::Executor();
    BOOST_TEST(pool_threads_in_process() == static_cast<std::size_t>(pool_threads));
}

BOOST_AUTO_TEST_CASE(QueueUserWorkItem_runs_the_callback_on_a_pool_thread)
{
    std::promise<std::thread::id> ran_on;
    BOOST_TEST(ThreadPool::QueueUserWorkItem([&] { ran_on.set_value(std::this_thread::get_id()); }));
    BOOST_TEST((get_within(ran_on.get_future()) != std::this_thread::get_id()));
}

BOOST_AUTO_TEST_CASE(QueueUserWorkItem_passes_the_state)
{
    std::promise<int> state_seen;
    ThreadPool::QueueUserWorkItem([&](const std::any& state) { state_seen.set_value(std::any_cast<int>(state)); }, 17);
    BOOST_TEST(get_within(state_seen.get_future()) == 17);
}

BOOST_AUTO_TEST_CASE(QueueUserWorkItem_with_an_empty_callback_throws_ArgumentNullException)
{
    BOOST_CHECK_THROW(ThreadPool::QueueUserWorkItem(std::function<void()>()), ArgumentNullException);
    BOOST_CHECK_THROW(ThreadPool::QueueUserWorkItem(std::function<void(const std::any&)>(), 1),
                      ArgumentNullException);
}

BOOST_AUTO_TEST_CASE(Work_posted_to_the_Executor_runs_on_the_pool_threads_concurrently)
{
    // Two items that each wait for the other can only both finish if the pool
    // runs them on different threads at the same time.
    std::promise<void> first_started;
    std::promise<void> second_started;
    auto first_seen = first_started.get_future().share();
    auto second_seen = second_started.get_future().share();
    std::promise<bool> both;
    boost::asio::post(ThreadPool::Executor(), [&] {
        first_started.set_value();
        both.set_value(second_seen.wait_for(generous) == std::future_status::ready);
    });
    boost::asio::post(ThreadPool::Executor(), [&, first_seen] {
        second_started.set_value();
        first_seen.wait_for(generous);
    });
    auto future = both.get_future();
    BOOST_REQUIRE(future.wait_for(2 * generous) == std::future_status::ready);
    BOOST_TEST(future.get());
}

BOOST_AUTO_TEST_CASE(A_custom_unhandled_exception_handler_receives_the_exception_and_the_pool_keeps_running)
{
    unhandled_capture caught;
    ThreadPool::QueueUserWorkItem([] { throw InvalidOperationException("thrown by work"); });
    const auto error = caught.first(generous);

    // Every pool thread must still serve work afterwards.
    std::vector<std::future<void>> later;
    std::vector<std::promise<void>> done(static_cast<std::size_t>(ThreadPool::ThreadCount()) * 4);
    for (auto& p : done) {
        later.push_back(p.get_future());
        ThreadPool::QueueUserWorkItem([&p] { p.set_value(); });
    }
    bool all_ran = true;
    for (auto& f : later)
        all_ran = all_ran && f.wait_for(generous) == std::future_status::ready;

    BOOST_REQUIRE(error);
    BOOST_TEST(what_of(error) == "thrown by work");
    BOOST_TEST(all_ran);
}

BOOST_AUTO_TEST_CASE(set_unhandled_exception_handler_returns_the_previous_handler)
{
    int which = 0;
    auto original = ThreadPool::set_unhandled_exception_handler([&](std::exception_ptr) { which = 1; });
    auto first = ThreadPool::set_unhandled_exception_handler([&](std::exception_ptr) { which = 2; });
    BOOST_REQUIRE(first);
    first(nullptr);
    BOOST_TEST(which == 1);
    auto second = ThreadPool::set_unhandled_exception_handler(original);
    BOOST_REQUIRE(second);
    second(nullptr);
    BOOST_TEST(which == 2);
}

BOOST_AUTO_TEST_CASE(The_default_unhandled_exception_handler_logs_and_terminates_the_process)
{
    const char* helpers = std::getenv("DOTASYNC_TEST_HELPERS");
    BOOST_REQUIRE_MESSAGE(helpers != nullptr, "DOTASYNC_TEST_HELPERS must name the folder of test helper programs");
    const std::string program = std::string(helpers) + "/unhandled_exception_child";
    const std::string log = std::filesystem::temp_directory_path() / ("dotasync_child_" + std::to_string(getpid()));

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    char* argv[] = {const_cast<char*>(program.c_str()), nullptr};
    pid_t child = 0;
    const int spawned = posix_spawn(&child, program.c_str(), &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    BOOST_REQUIRE_EQUAL(spawned, 0);

    int status = 0;
    BOOST_REQUIRE_EQUAL(waitpid(child, &status, 0), child);
    std::ifstream in(log);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::filesystem::remove(log);

    BOOST_TEST(WIFSIGNALED(status), "the child exited with status " << WEXITSTATUS(status));
    if (WIFSIGNALED(status))
        BOOST_TEST(WTERMSIG(status) == SIGABRT);
    BOOST_TEST(text.find("nobody catches this") != std::string::npos, text);
    BOOST_TEST(text.find("critical") != std::string::npos, text);
}
