#include "io/detail/path_check.hpp"

#include <dotasync/core/exceptions.hpp>

namespace dotasync::detail {

void check_path(const std::filesystem::path& path)
{
    if (path.empty())
        throw ArgumentException("The path is empty.", "path");
    if (path.native().find('\0') != std::filesystem::path::string_type::npos)
        throw ArgumentException("The path contains a null character ('\\0').", "path");
}

} // namespace dotasync::detail
