#include <dotasync/io/file.hpp>

#include "io/detail/path_check.hpp"

#include <cerrno>
#include <cstdio>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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

std::error_code errno_code(int value) noexcept
{
    return std::error_code(value, std::generic_category());
}

bool is_a_directory(const std::filesystem::path& path) noexcept
{
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// .NET tells a missing file from a missing directory on the way to it.
[[noreturn]] void throw_missing(const std::filesystem::path& path)
{
    detail::throw_if_directory_missing(path);
    throw FileNotFoundException("The file '" + path.string() + "' does not exist.", path.string(),
                                errno_code(ENOENT));
}

// The checks File.Copy and File.Move make before touching anything.
void check_transfer(const std::filesystem::path& source, const std::filesystem::path& destination, bool overwrite)
{
    detail::check_path(source);
    detail::check_path(destination);
    struct stat st {};
    if (::stat(source.c_str(), &st) != 0)
        throw_missing(source);
    if (S_ISDIR(st.st_mode))
        throw UnauthorizedAccessException("'" + source.string() + "' is a directory, not a file.");
    detail::throw_if_directory_missing(destination);
    if (is_a_directory(destination))
        throw IOException("The destination '" + destination.string() + "' is a directory.", errno_code(EISDIR));
    if (!overwrite && ::access(destination.c_str(), F_OK) == 0)
        throw IOException("The file '" + destination.string() + "' exists already.", errno_code(EEXIST));
}

// Writes every byte, in chunks a single Write accepts.
void write_all(const std::filesystem::path& path, FileMode mode, std::span<const std::uint8_t> bytes)
{
    FileStream stream(path, mode, FileAccess::Write, FileShare::Read, 1);
    std::size_t written = 0;
    while (written < bytes.size()) {
        const int chunk = static_cast<int>(std::min<std::size_t>(bytes.size() - written, 1u << 30));
        stream.Write(bytes, static_cast<int>(written), chunk);
        written += static_cast<std::size_t>(chunk);
    }
    stream.Close();
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
    write_all(path, FileMode::Create, bytes);
}

void File::WriteAllText(const std::filesystem::path& path, std::string_view contents)
{
    WriteAllBytes(path,
                  std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(contents.data()), contents.size()));
}

} // namespace dotasync

namespace dotasync {

std::vector<std::string> File::ReadAllLines(const std::filesystem::path& path)
{
    return split_lines(ReadAllText(path));
}

void File::WriteAllLines(const std::filesystem::path& path, const std::vector<std::string>& contents)
{
    WriteAllText(path, join_lines(contents));
}

void File::AppendAllText(const std::filesystem::path& path, std::string_view contents)
{
    check_path(path);
    write_all(path, FileMode::Append,
              std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(contents.data()), contents.size()));
}

bool File::Exists(const std::filesystem::path& path) noexcept
{
    if (path.empty())
        return false;
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && !S_ISDIR(st.st_mode);
}

void File::Delete(const std::filesystem::path& path)
{
    check_path(path);
    if (::unlink(path.c_str()) == 0)
        return;
    const int error = errno;
    if (error == ENOENT) {
        // A missing file is no error; a missing directory on the way is.
        detail::throw_if_directory_missing(path);
        return;
    }
    if (error == EISDIR || (error == EPERM && is_a_directory(path)))
        throw UnauthorizedAccessException("'" + path.string() + "' is a directory, not a file.");
    throw_if_error(errno_code(error), path.string());
}

void File::Copy(const std::filesystem::path& sourceFileName, const std::filesystem::path& destFileName,
                bool overwrite)
{
    check_transfer(sourceFileName, destFileName, overwrite);
    std::error_code ec;
    std::filesystem::copy_file(sourceFileName, destFileName,
                               overwrite ? std::filesystem::copy_options::overwrite_existing
                                         : std::filesystem::copy_options::none,
                               ec);
    if (ec == std::errc::file_exists)
        throw IOException("The file '" + destFileName.string() + "' exists already.", ec);
    throw_if_error(ec, destFileName.string());
}

void File::Move(const std::filesystem::path& sourceFileName, const std::filesystem::path& destFileName,
                bool overwrite)
{
    check_transfer(sourceFileName, destFileName, overwrite);
    // RENAME_NOREPLACE refuses an existing destination atomically; where the
    // file system does not support it, the check above stands.
    if (::renameat2(AT_FDCWD, sourceFileName.c_str(), AT_FDCWD, destFileName.c_str(),
                    overwrite ? 0u : RENAME_NOREPLACE) == 0)
        return;
    int error = errno;
    if (error == EINVAL && !overwrite)
        error = ::rename(sourceFileName.c_str(), destFileName.c_str()) == 0 ? 0 : errno;
    if (error == EXDEV) {
        // Another file system: a copy, then the source goes.
        Copy(sourceFileName, destFileName, overwrite);
        Delete(sourceFileName);
        return;
    }
    if (error == EEXIST)
        throw IOException("The file '" + destFileName.string() + "' exists already.", errno_code(error));
    if (error == ENOENT)
        throw_missing(sourceFileName);
    if (error != 0)
        throw_if_error(errno_code(error), sourceFileName.string());
}

std::vector<std::string> File::split_lines(std::string_view text)
{
    std::vector<std::string> lines;
    std::size_t start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\r' && text[i] != '\n')
            continue;
        lines.emplace_back(text.substr(start, i - start));
        if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
            ++i;
        start = i + 1;
    }
    // A last line without an ending is a line; an ending at the very end
    // does not start another.
    if (start < text.size())
        lines.emplace_back(text.substr(start));
    return lines;
}

std::string File::join_lines(const std::vector<std::string>& lines)
{
    std::string text;
    for (const auto& line : lines) {
        text += line;
        text += '\n';
    }
    return text;
}

} // namespace dotasync
