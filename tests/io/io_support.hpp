// Helpers shared by the I/O tests: a private temporary directory, files with
// a known pattern, checksums, descriptor counts and a running io_context.
#pragma once

#include <dotasync/core/exceptions.hpp>
#include <dotasync/io/detail/file_backend.hpp>

#include <boost/test/unit_test.hpp>

#include "support/running_context.hpp"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <typeinfo>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace dotasync_test {

// A unique directory under the system's temporary directory, removed with
// everything in it when the object goes.
class temp_dir {
public:
    temp_dir()
    {
        std::random_device rd;
        const auto base = std::filesystem::temp_directory_path();
        for (;;) {
            path_ = base / ("dotasync-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
            if (std::filesystem::create_directory(path_))
                break;
        }
    }
    ~temp_dir()
    {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;

    const std::filesystem::path& path() const noexcept { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

// Deterministic bytes that differ at every offset, so that a read at a wrong
// offset is caught.
inline std::vector<std::uint8_t> pattern(std::size_t size, std::uint32_t seed = 1)
{
    std::vector<std::uint8_t> bytes(size);
    std::uint64_t x = 0x9E3779B97F4A7C15ull ^ seed;
    for (std::size_t i = 0; i < size; ++i) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        bytes[i] = static_cast<std::uint8_t>(x);
    }
    return bytes;
}

inline void write_file(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// Asks the kernel to forget the file's cached pages, so that reads go to the
// back-end instead of the RWF_NOWAIT fast path. Best effort: some file
// systems keep them.
inline void drop_from_cache(const std::filesystem::path& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    ::fdatasync(fd);
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    ::close(fd);
}

inline std::vector<std::uint8_t> read_file(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// FNV-1a over the bytes.
inline std::uint64_t checksum(const std::uint8_t* data, std::size_t size, std::uint64_t h = 0xcbf29ce484222325ull)
{
    for (std::size_t i = 0; i < size; ++i) {
        h ^= data[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

inline std::size_t open_descriptor_count()
{
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd"))
        ++n;
    return n;
}

// .NET's answer to an offset and count that reach past the end of the
// buffer: exactly ArgumentException (not a derived one), naming no parameter.
inline bool is_bad_range(const dotasync::ArgumentException& e)
{
    return typeid(e) == typeid(dotasync::ArgumentException) && e.ParamName().empty();
}


// Suite fixture: FileStreams opened in the suite use Backend.
template <dotasync::detail::file_backend Backend>
struct backend_fixture {
    backend_fixture() { previous = dotasync::detail::set_file_backend(Backend); }
    ~backend_fixture() { dotasync::detail::set_file_backend(previous); }
    dotasync::detail::file_backend previous;
};

// Suite precondition: the io_uring back-end works here.
inline boost::test_tools::assertion_result uring_available(boost::unit_test::test_unit_id)
{
    boost::test_tools::assertion_result result(
        dotasync::detail::file_backend_available(dotasync::detail::file_backend::uring));
    if (!result)
        result.message() << "io_uring is not available here, so the io_uring back-end is not tested: "
                         << dotasync::detail::uring_unavailable_reason();
    return result;
}

} // namespace dotasync_test
