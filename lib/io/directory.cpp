#include <dotasync/io/directory.hpp>

#include <dotasync/core/error_mapping.hpp>
#include <dotasync/core/exceptions.hpp>

#include "io/detail/path_check.hpp"

#include <algorithm>
#include <cerrno>
#include <system_error>

#include <sys/stat.h>

namespace dotasync {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void throw_not_found(const fs::path& path)
{
    throw DirectoryNotFoundException("The directory '" + path.string() + "' does not exist.",
                                     std::make_error_code(std::errc::no_such_file_or_directory));
}

// Whether name matches a .NET search pattern of '*' and '?'.
bool matches(std::string_view pattern, std::string_view name)
{
    std::size_t p = 0, n = 0, star = std::string_view::npos, resume = 0;
    while (n < name.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
            ++p;
            ++n;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            resume = n;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            n = ++resume;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

} // namespace

void Directory::CreateDirectory(const fs::path& path)
{
    detail::check_path(path);
    std::error_code ec;
    fs::create_directories(path, ec);
    if (!ec)
        return;
    if (ec == std::errc::file_exists || ec == std::errc::not_a_directory)
        throw IOException("'" + path.string() + "' exists and is not a directory.", ec);
    throw_if_error(ec, path.string());
}

bool Directory::Exists(const fs::path& path) noexcept
{
    struct stat st {};
    return !path.empty() && ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

void Directory::Delete(const fs::path& path, bool recursive)
{
    detail::check_path(path);
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0)
        throw_not_found(path);
    if (!S_ISDIR(st.st_mode))
        throw IOException("'" + path.string() + "' is not a directory.", std::make_error_code(std::errc::not_a_directory));
    std::error_code ec;
    if (recursive)
        fs::remove_all(path, ec);
    else
        fs::remove(path, ec);
    if (ec == std::errc::directory_not_empty)
        throw IOException("The directory '" + path.string() + "' is not empty.", ec);
    throw_if_error(ec, path.string());
}

std::vector<std::string> Directory::GetFiles(const fs::path& path, std::string_view searchPattern,
                                             SearchOption searchOption)
{
    detail::check_path(path);
    if (searchOption != SearchOption::TopDirectoryOnly && searchOption != SearchOption::AllDirectories)
        throw ArgumentOutOfRangeException("searchOption", "The value is not a SearchOption.");
    if (!Exists(path))
        throw_not_found(path);
    std::vector<std::string> files;
    std::error_code ec;
    const auto consider = [&](const fs::directory_entry& entry) {
        std::error_code ignored;
        if (!entry.is_directory(ignored) && matches(searchPattern, entry.path().filename().string()))
            files.push_back(entry.path().string());
    };
    if (searchOption == SearchOption::AllDirectories) {
        for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec))
            consider(*it);
    } else {
        for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec))
            consider(*it);
    }
    throw_if_error(ec, path.string());
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace dotasync
