// Records the process's open file descriptors, so that a test program can
// check it leaves none behind: the set is taken once the library's runtime
// has started (its threads, its epoll and resolver descriptors), and compared
// by the program's last test case.
#pragma once

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <system_error>
#include <thread>

namespace dotasync_test {

// Each open descriptor and what it refers to ("socket:[1234]"). The
// descriptor that lists /proc/self/fd is left out: its number depends on
// which numbers are free at the moment of listing.
inline std::map<int, std::string> open_descriptors()
{
    std::map<int, std::string> open;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
        std::error_code ec;
        const auto target = std::filesystem::read_symlink(entry.path(), ec);
        if (ec)
            continue; // closed between listing and reading: not open any more
        const std::string text = target.string();
        if (text.starts_with("/proc/") && text.ends_with("/fd"))
            continue;
        open.emplace(std::stoi(entry.path().filename().string()), text);
    }
    return open;
}

// The descriptors the program had once its runtime was warm.
inline std::map<int, std::string>& descriptor_baseline()
{
    static std::map<int, std::string> baseline;
    return baseline;
}

inline bool& descriptor_baseline_taken()
{
    static bool taken = false;
    return taken;
}

inline void take_descriptor_baseline()
{
    descriptor_baseline() = open_descriptors();
    descriptor_baseline_taken() = true;
}

// The descriptors open now that were not open, as the same file, at the
// baseline. One that was open at the baseline and has closed since is no
// leak: a runtime or system-library descriptor that happened to be open at
// that moment (under a loaded machine more of them are).
inline std::map<int, std::string> descriptors_opened_since_baseline()
{
    std::map<int, std::string> opened;
    for (auto& [fd, target] : open_descriptors()) {
        const auto it = descriptor_baseline().find(fd);
        if (it == descriptor_baseline().end() || it->second != target)
            opened.emplace(fd, std::move(target));
    }
    return opened;
}

// The descriptors opened since the baseline once none is left, or whatever is
// left after a generous time-out. A descriptor may be open for a moment after
// every operation has completed without being a leak: the system resolver's
// netlink and DNS sockets, for one, belong to a lookup whose waiter was
// canceled and which runs to its end on Asio's resolver thread.
inline std::map<int, std::string> settled_new_descriptors(std::chrono::seconds timeout = std::chrono::seconds(30))
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto opened = descriptors_opened_since_baseline();
    while (!opened.empty() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        opened = descriptors_opened_since_baseline();
    }
    return opened;
}

inline std::string describe(const std::map<int, std::string>& descriptors)
{
    std::string text;
    for (const auto& [fd, target] : descriptors)
        text += std::to_string(fd) + " -> " + target + "\n";
    return text;
}

} // namespace dotasync_test
