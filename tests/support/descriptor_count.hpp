// Counts the process's open file descriptors, so that a test program can
// check it leaves none behind: the count is taken once the library's runtime
// has started (its threads, its epoll and resolver descriptors), and compared
// by the program's last test case.
#pragma once

#include <boost/test/unit_test.hpp>

#include <filesystem>

namespace dotasync_test {

inline int open_descriptors()
{
    int n = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd"))
        ++n;
    return n;
}

// The count the program started with (-1 until a baseline was taken).
inline int& descriptor_baseline()
{
    static int baseline = -1;
    return baseline;
}

} // namespace dotasync_test
