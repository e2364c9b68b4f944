// A program built the way a user's project builds against an installed
// dotasync: through pkg-config only. It reads a file through the io_uring or
// thread-pool back-end, on an io_context of its own, which fails (or crashes)
// when its view of io_context differs from the library's.
#include <dotasync/dotasync.hpp>

#include <boost/asio/io_context.hpp>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: consumer <scratch directory>\n");
        return 2;
    }
    const std::filesystem::path path = std::filesystem::path(argv[1]) / "consumer.txt";
    dotasync::File::WriteAllText(path, "installed dotasync works");

    boost::asio::io_context io;
    dotasync::FileStream fs(io.get_executor(), path, dotasync::FileMode::Open, dotasync::FileAccess::Read);
    std::vector<char> buffer(64);
    int read = -1;
    fs.ReadAsync(buffer, [&](std::exception_ptr error, int n) { read = error ? -1 : n; });
    io.run();
    const std::string text(buffer.data(), read > 0 ? static_cast<std::size_t>(read) : 0);
    std::printf("read %d bytes: %s\n", read, text.c_str());
    return text == "installed dotasync works" ? 0 : 1;
}
