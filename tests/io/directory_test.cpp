#include <dotasync/io/directory.hpp>

#include <dotasync/core/exceptions.hpp>
#include <dotasync/io/file.hpp>

#include "io/io_support.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace dotasync;
using namespace dotasync_test;

BOOST_AUTO_TEST_CASE(CreateDirectory_makes_every_missing_parent_and_accepts_an_existing_directory)
{
    temp_dir dir;
    Directory::CreateDirectory(dir / "a/b/c");
    BOOST_TEST(Directory::Exists(dir / "a/b/c"));
    BOOST_CHECK_NO_THROW(Directory::CreateDirectory(dir / "a/b"));
    File::WriteAllText(dir / "f", "x");
    BOOST_CHECK_THROW(Directory::CreateDirectory(dir / "f"), IOException);
    BOOST_CHECK_THROW(Directory::CreateDirectory(""), ArgumentException);
}

BOOST_AUTO_TEST_CASE(Exists_is_true_for_directories_only_and_never_throws)
{
    temp_dir dir;
    File::WriteAllText(dir / "f", "x");
    BOOST_TEST(Directory::Exists(dir.path()));
    BOOST_TEST(!Directory::Exists(dir / "f"));
    BOOST_TEST(!Directory::Exists(dir / "missing"));
    BOOST_TEST(!Directory::Exists(""));
}

// Mono throws DirectoryNotFoundException for Directory.Delete of a file;
// .NET's documentation names IOException, and the documentation wins.
BOOST_AUTO_TEST_CASE(Delete_refuses_a_directory_that_is_not_empty_unless_recursive)
{
    temp_dir dir;
    Directory::CreateDirectory(dir / "d/sub");
    File::WriteAllText(dir / "d/sub/f", "x");
    BOOST_CHECK_THROW(Directory::Delete(dir / "d"), IOException);
    BOOST_TEST(File::Exists(dir / "d/sub/f"));
    Directory::Delete(dir / "d", true);
    BOOST_TEST(!Directory::Exists(dir / "d"));
    Directory::CreateDirectory(dir / "empty");
    Directory::Delete(dir / "empty");
    BOOST_TEST(!Directory::Exists(dir / "empty"));
    BOOST_CHECK_THROW(Directory::Delete(dir / "missing"), DirectoryNotFoundException);
    File::WriteAllText(dir / "f", "x");
    BOOST_CHECK_THROW(Directory::Delete(dir / "f"), IOException);
    BOOST_TEST(File::Exists(dir / "f"));
}

BOOST_AUTO_TEST_CASE(GetFiles_lists_matching_files_sorted_at_the_top_or_through_every_level)
{
    temp_dir dir;
    Directory::CreateDirectory(dir / "sub");
    for (const char* name : {"b.txt", "a.txt", "c.log", "sub/d.txt", "sub/e.log"})
        File::WriteAllText(dir / name, "x");
    const auto at = [&](const char* name) { return (dir / name).string(); };
    BOOST_TEST((Directory::GetFiles(dir.path()) == std::vector<std::string>{at("a.txt"), at("b.txt"), at("c.log")}));
    BOOST_TEST((Directory::GetFiles(dir.path(), "*.txt") == std::vector<std::string>{at("a.txt"), at("b.txt")}));
    BOOST_TEST((Directory::GetFiles(dir.path(), "?.log", SearchOption::AllDirectories) ==
                std::vector<std::string>{at("c.log"), at("sub/e.log")}));
    BOOST_TEST(Directory::GetFiles(dir.path(), "*.none").empty());
    BOOST_CHECK_THROW(Directory::GetFiles(dir / "missing"), DirectoryNotFoundException);
    BOOST_CHECK_THROW(Directory::GetFiles(dir.path(), "*", static_cast<SearchOption>(7)), ArgumentOutOfRangeException);
}
