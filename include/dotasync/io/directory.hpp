// Directory: .NET's static helpers for directories.
//
//   Directory::CreateDirectory("out/logs");             // and every missing parent
//   for (const std::string& f : Directory::GetFiles("out", "*.log"))
//       File::Delete(f);
//   Directory::Delete("out", true);
//
// As in .NET: CreateDirectory of an existing directory does nothing, and over
// an existing file -> IOException. Exists never throws. Delete of a missing
// directory -> DirectoryNotFoundException; of a directory that is not empty,
// without recursive -> IOException; of a file -> IOException. GetFiles of a
// missing directory -> DirectoryNotFoundException; it returns the paths of
// the files (not directories) in it, the directory joined with the name,
// sorted; searchPattern matches names with '*' (any run of characters) and
// '?' (one character), and AllDirectories searches the subdirectories too.
// An empty path -> ArgumentException; no permission ->
// UnauthorizedAccessException.
//
// Thread-safety: every function may be called from any thread.
#ifndef DOTASYNC_IO_DIRECTORY_HPP
#define DOTASYNC_IO_DIRECTORY_HPP

#include <dotasync/core/export.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace dotasync {

enum class SearchOption { TopDirectoryOnly = 0, AllDirectories = 1 };

struct DOTASYNC_API Directory {
    Directory() = delete;

    static void CreateDirectory(const std::filesystem::path& path);
    static bool Exists(const std::filesystem::path& path) noexcept;
    static void Delete(const std::filesystem::path& path, bool recursive = false);
    static std::vector<std::string> GetFiles(const std::filesystem::path& path, std::string_view searchPattern = "*",
                                             SearchOption searchOption = SearchOption::TopDirectoryOnly);
};

} // namespace dotasync

#endif
