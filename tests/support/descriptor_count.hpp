// Counts the process's open file descriptors, so that a test program can
// check it leaves none behind: the count is taken once the library's runtime
// has started (its threads, its epoll and resolver descriptors), and compared
// by the program's last test case.
#pragma once

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <filesystem>
#include <string>
#include <system_error>
#include <thread>

namespace dotasync_test {

inline int open_descriptors()
{
    int n = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd"))
        ++n;
    return n;
}

// What each open descriptor refers to ("3 -> socket:[1234]"), for the message
// of a failed check.
inline std::string describe_descriptors()
{
    std::string text;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
        std::error_code ec;
        const auto target = std::filesystem::read_symlink(entry.path(), ec);
        text += entry.path().filename().string() + " -> " + (ec ? std::string("?") : target.string()) + "\n";
    }
    return text;
}

// The count the program started with (-1 until a baseline was taken).
inline int& descriptor_baseline()
{
    static int baseline = -1;
    return baseline;
}

// The count once it has come back to the baseline, or after a generous time-out.
// A descriptor may be open for a moment after every operation has completed
// without being a leak: the system resolver's netlink and DNS sockets, for one,
// belong to a lookup whose waiter was canceled and which runs to its end on
// Asio's resolver thread.
inline int settled_descriptors(std::chrono::seconds timeout = std::chrono::seconds(30))
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    int count = open_descriptors();
    while (count != descriptor_baseline() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        count = open_descriptors();
    }
    return count;
}

} // namespace dotasync_test
