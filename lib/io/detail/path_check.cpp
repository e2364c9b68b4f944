#include "io/detail/path_check.hpp"

#include <dotasync/core/exceptions.hpp>

#include <cerrno>
#include <system_error>

#include <sys/stat.h>

namespace dotasync::detail {

void check_path(const std::filesystem::path& path)
{
    if (path.empty())
        throw ArgumentException("The path is empty.", "path");
    if (path.native().find('\0') != std::filesystem::path::string_type::npos)
        throw ArgumentException("The path contains a null character ('\\0').", "path");
}

void throw_if_directory_missing(const std::filesystem::path& path)
{
    const auto parent = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    struct stat st {};
    if (::stat(parent.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        throw DirectoryNotFoundException("A directory on the path '" + path.string() + "' does not exist.",
                                         std::error_code(ENOENT, std::generic_category()));
}

} // namespace dotasync::detail
