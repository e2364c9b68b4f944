// The .NET checks every path-taking member of File and FileStream makes
// before it touches the file system. Private to the library.
#ifndef DOTASYNC_LIB_IO_DETAIL_PATH_CHECK_HPP
#define DOTASYNC_LIB_IO_DETAIL_PATH_CHECK_HPP

#include <filesystem>

namespace dotasync::detail {

// Throws ArgumentException (ParamName "path") for an empty path and for one
// that holds a NUL character: the system would end the path at the NUL and
// open another file than the one named ("victim.bin\0.tmp" is victim.bin).
void check_path(const std::filesystem::path& path);

// Throws DirectoryNotFoundException when the directory that would hold path
// does not exist: how .NET tells a missing directory on the way from a
// missing file.
void throw_if_directory_missing(const std::filesystem::path& path);

} // namespace dotasync::detail

#endif
