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
