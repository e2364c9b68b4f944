#include <dotasync/io/file.hpp>

#include <dotasync/core/exceptions.hpp>

#include "io/io_support.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

namespace asio = boost::asio;
using namespace dotasync;
using namespace dotasync_test;

BOOST_AUTO_TEST_CASE(WriteAllBytes_and_ReadAllBytes_round_trip)
{
    temp_dir dir;
    const auto bytes = pattern(100000);
    File::WriteAllBytes(dir / "a", bytes);
    BOOST_TEST(File::ReadAllBytes(dir / "a") == bytes);
    File::WriteAllBytes(dir / "a", pattern(3)); // replaces the contents
    BOOST_TEST(File::ReadAllBytes(dir / "a").size() == 3u);
}

BOOST_AUTO_TEST_CASE(WriteAllText_and_ReadAllText_round_trip)
{
    temp_dir dir;
    File::WriteAllText(dir / "t.txt", "héllo\nworld");
    BOOST_TEST(File::ReadAllText(dir / "t.txt") == "héllo\nworld");
    File::WriteAllText(dir / "empty.txt", "");
    BOOST_TEST(File::ReadAllText(dir / "empty.txt").empty());
}

BOOST_AUTO_TEST_CASE(The_async_twins_round_trip_with_futures)
{
    temp_dir dir;
    const auto bytes = pattern(70000);
    File::WriteAllBytesAsync(dir / "a", bytes, asio::use_future).get();
    BOOST_TEST(File::ReadAllBytesAsync(dir / "a", asio::use_future).get() == bytes);
    File::WriteAllTextAsync(dir / "t", std::string(5000, 'z'), asio::use_future).get();
    BOOST_TEST(File::ReadAllTextAsync(dir / "t", asio::use_future).get() == std::string(5000, 'z'));
}

BOOST_AUTO_TEST_CASE(The_async_twins_work_in_a_coroutine)
{
    temp_dir dir;
    asio::io_context io;
    std::string text;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            co_await File::WriteAllTextAsync(dir / "c", "coroutine", asio::use_awaitable);
            text = co_await File::ReadAllTextAsync(dir / "c", asio::use_awaitable);
        },
        asio::detached);
    io.run();
    BOOST_TEST(text == "coroutine");
}

BOOST_AUTO_TEST_CASE(Reading_a_missing_file_throws_FileNotFoundException)
{
    temp_dir dir;
    BOOST_CHECK_THROW(File::ReadAllBytes(dir / "missing"), FileNotFoundException);
    BOOST_CHECK_THROW(File::ReadAllTextAsync(dir / "missing", asio::use_future).get(), FileNotFoundException);
    BOOST_CHECK_THROW(File::OpenRead(dir / "missing"), FileNotFoundException);
}

BOOST_AUTO_TEST_CASE(An_empty_path_throws_ArgumentException_from_the_call)
{
    BOOST_CHECK_THROW(File::ReadAllBytes(""), ArgumentException);
    BOOST_CHECK_THROW(File::ReadAllBytesAsync("", asio::use_future), ArgumentException);
    BOOST_CHECK_THROW(File::WriteAllTextAsync("", "x", asio::use_future), ArgumentException);
}

BOOST_AUTO_TEST_CASE(OpenRead_shares_reading_and_OpenWrite_locks_the_file)
{
    temp_dir dir;
    File::WriteAllText(dir / "a", "abc");
    auto reader = File::OpenRead(dir / "a");
    BOOST_TEST(reader->CanRead());
    BOOST_TEST(!reader->CanWrite());
    auto second = File::OpenRead(dir / "a");
    BOOST_CHECK_THROW(File::OpenWrite(dir / "a"), IOException);
    reader->Close();
    second->Close();
    auto writer = File::OpenWrite(dir / "a");
    BOOST_TEST(writer->CanWrite());
    BOOST_TEST(writer->Length() == 3); // OpenOrCreate keeps the contents
    BOOST_CHECK_THROW(File::OpenRead(dir / "a"), IOException);
}

BOOST_AUTO_TEST_CASE(Exists_tells_files_from_everything_else_and_never_throws)
{
    temp_dir dir;
    File::WriteAllText(dir / "a", "x");
    BOOST_TEST(File::Exists(dir / "a"));
    BOOST_TEST(!File::Exists(dir / "missing"));
    BOOST_TEST(!File::Exists(dir.path()));
    BOOST_TEST(!File::Exists(""));
    BOOST_TEST(!File::Exists(std::string("a\0b", 3)));
}

// Mono's File.Delete says nothing about a missing directory on the way;
// .NET's documentation names DirectoryNotFoundException, and the
// documentation wins.
BOOST_AUTO_TEST_CASE(Delete_removes_a_file_ignores_a_missing_one_and_refuses_directories)
{
    temp_dir dir;
    File::WriteAllText(dir / "a", "x");
    File::Delete(dir / "a");
    BOOST_TEST(!File::Exists(dir / "a"));
    BOOST_CHECK_NO_THROW(File::Delete(dir / "a"));
    BOOST_CHECK_THROW(File::Delete(dir / "nodir" / "a"), DirectoryNotFoundException);
    BOOST_CHECK_THROW(File::Delete(dir.path()), UnauthorizedAccessException);
    BOOST_CHECK_THROW(File::Delete(""), ArgumentException);
}

BOOST_AUTO_TEST_CASE(Copy_and_Move_follow_dotnet_and_refuse_to_overwrite_unless_asked)
{
    temp_dir dir;
    const auto bytes = pattern(5000);
    File::WriteAllBytes(dir / "a", bytes);
    File::Copy(dir / "a", dir / "b");
    BOOST_TEST(File::ReadAllBytes(dir / "b") == bytes);
    BOOST_CHECK_THROW(File::Copy(dir / "a", dir / "b"), IOException);
    File::WriteAllText(dir / "c", "c");
    File::Copy(dir / "c", dir / "b", true);
    BOOST_TEST(File::ReadAllText(dir / "b") == "c");
    BOOST_CHECK_EXCEPTION(File::Copy(dir / "missing", dir / "d"), FileNotFoundException,
                          [&](const FileNotFoundException& e) { return e.FileName() == (dir / "missing").string(); });
    BOOST_CHECK_THROW(File::Copy(dir / "a", dir / "nodir" / "d"), DirectoryNotFoundException);
    BOOST_CHECK_THROW(File::Copy(dir.path(), dir / "d"), UnauthorizedAccessException);

    File::Move(dir / "a", dir / "moved");
    BOOST_TEST(!File::Exists(dir / "a"));
    BOOST_TEST(File::ReadAllBytes(dir / "moved") == bytes);
    BOOST_CHECK_THROW(File::Move(dir / "moved", dir / "b"), IOException);
    BOOST_TEST(File::ReadAllText(dir / "b") == "c");
    File::Move(dir / "moved", dir / "b", true);
    BOOST_TEST(File::ReadAllBytes(dir / "b") == bytes);
    BOOST_CHECK_THROW(File::Move(dir / "missing", dir / "e"), FileNotFoundException);
    BOOST_TEST(!File::Exists(dir / "e"));
}

BOOST_AUTO_TEST_CASE(ReadAllLines_splits_at_every_dotnet_line_ending_and_WriteAllLines_ends_each_line)
{
    temp_dir dir;
    File::WriteAllText(dir / "l", "a\r\nb\nc\r\rd\n");
    BOOST_TEST((File::ReadAllLines(dir / "l") == std::vector<std::string>{"a", "b", "c", "", "d"}));
    File::WriteAllText(dir / "l", "no ending");
    BOOST_TEST((File::ReadAllLines(dir / "l") == std::vector<std::string>{"no ending"}));
    File::WriteAllText(dir / "l", "");
    BOOST_TEST(File::ReadAllLines(dir / "l").empty());
    File::WriteAllLines(dir / "w", {"x", "y"});
    BOOST_TEST(File::ReadAllText(dir / "w") == "x\ny\n");
    BOOST_CHECK_THROW(File::ReadAllLines(dir / "missing"), FileNotFoundException);
}

BOOST_AUTO_TEST_CASE(AppendAllText_creates_or_extends_the_file)
{
    temp_dir dir;
    File::AppendAllText(dir / "a", "one");
    File::AppendAllText(dir / "a", "two");
    BOOST_TEST(File::ReadAllText(dir / "a") == "onetwo");
    BOOST_CHECK_THROW(File::AppendAllText(dir / "nodir" / "a", "x"), DirectoryNotFoundException);
}

BOOST_AUTO_TEST_CASE(The_lines_and_append_async_twins_work_with_futures_and_report_failures_through_them)
{
    temp_dir dir;
    File::WriteAllLinesAsync(dir / "l", {"a", "b"}, asio::use_future).get();
    File::AppendAllTextAsync(dir / "l", "c\r\n", asio::use_future).get();
    BOOST_TEST((File::ReadAllLinesAsync(dir / "l", asio::use_future).get() == std::vector<std::string>{"a", "b", "c"}));
    auto missing = File::ReadAllLinesAsync(dir / "missing", asio::use_future);
    BOOST_CHECK_THROW(missing.get(), FileNotFoundException);
    auto nodir = File::AppendAllTextAsync(dir / "nodir" / "a", "x", asio::use_future);
    BOOST_CHECK_THROW(nodir.get(), DirectoryNotFoundException);
    BOOST_CHECK_THROW(File::ReadAllLinesAsync("", asio::use_future), ArgumentException);
}
