#include <dotasync/io/file.hpp>

#include "io/detail/path_check.hpp"

namespace dotasync {

namespace {

template <class Result>
Result read_all(const std::filesystem::path& path)
{
    FileStream stream(path, FileMode::Open, FileAccess::Read, FileShare::Read, 1, FileOptions::SequentialScan);
    Result data(static_cast<std::size_t>(stream.Length()) + 1, {});
    std::size_t filled = 0;
    for (;;) {
        if (filled == data.size())
            data.resize(data.size() * 2);
        const int chunk = static_cast<int>(std::min<std::size_t>(data.size() - filled, 1u << 30));
        const int n = stream.Read(data, static_cast<int>(filled), chunk);
        if (n == 0)
            break;
        filled += static_cast<std::size_t>(n);
    }
    data.resize(filled);
    return data;
}

} // namespace

void File::check_path(const std::filesystem::path& path)
{
    detail::check_path(path);
}

std::unique_ptr<FileStream> File::OpenRead(const std::filesystem::path& path)
{
    return std::make_unique<FileStream>(path, FileMode::Open, FileAccess::Read, FileShare::Read);
}

std::unique_ptr<FileStream> File::OpenWrite(const std::filesystem::path& path)
{
    return std::make_unique<FileStream>(path, FileMode::OpenOrCreate, FileAccess::Write, FileShare::None);
}

std::vector<std::uint8_t> File::ReadAllBytes(const std::filesystem::path& path)
{
    check_path(path);
    return read_all<std::vector<std::uint8_t>>(path);
}

std::string File::ReadAllText(const std::filesystem::path& path)
{
    check_path(path);
    return read_all<std::string>(path);
}

void File::WriteAllBytes(const std::filesystem::path& path, std::span<const std::uint8_t> bytes)
{
    check_path(path);
    FileStream stream(path, FileMode::Create, FileAccess::Write, FileShare::Read, 1);
    std::size_t written = 0;
    while (written < bytes.size()) {
        const int chunk = static_cast<int>(std::min<std::size_t>(bytes.size() - written, 1u << 30));
        stream.Write(bytes, static_cast<int>(written), chunk);
        written += static_cast<std::size_t>(chunk);
    }
    stream.Close();
}

void File::WriteAllText(const std::filesystem::path& path, std::string_view contents)
{
    WriteAllBytes(path,
                  std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(contents.data()), contents.size()));
}

} // namespace dotasync
