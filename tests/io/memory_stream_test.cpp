#include <dotasync/io/memory_stream.hpp>

#include <dotasync/core/exceptions.hpp>

#include "io/io_support.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <boost/test/unit_test.hpp>

#include <array>
#include <cstddef>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
using namespace dotasync;
using namespace dotasync_test;

BOOST_AUTO_TEST_CASE(An_empty_executor_throws_ArgumentNullException)
{
    BOOST_CHECK_EXCEPTION(MemoryStream(boost::asio::any_io_executor()), ArgumentNullException,
                          [](const ArgumentNullException& e) { return e.ParamName() == "executor"; });
}

BOOST_AUTO_TEST_CASE(Writes_grow_the_stream_and_reads_return_them)
{
    MemoryStream ms;
    const auto bytes = pattern(1000);
    ms.Write(bytes, 0, 1000);
    BOOST_TEST(ms.Length() == 1000);
    BOOST_TEST(ms.Position() == 1000);
    ms.SetPosition(0);
    std::vector<std::uint8_t> got(1000);
    BOOST_TEST(ms.Read(got, 0, 1000) == 1000);
    BOOST_TEST(got == bytes);
    BOOST_TEST(ms.Read(got, 0, 10) == 0);
    BOOST_TEST(ms.ToArray() == bytes);
}

BOOST_AUTO_TEST_CASE(Writing_past_the_end_fills_the_gap_with_zeros)
{
    MemoryStream ms;
    ms.SetPosition(5);
    const std::array<char, 2> ab{'a', 'b'};
    ms.Write(ab, 0, 2);
    BOOST_TEST(ms.ToArray() == (std::vector<std::uint8_t>{0, 0, 0, 0, 0, 'a', 'b'}));
}

BOOST_AUTO_TEST_CASE(Seek_and_SetLength_behave_as_in_dotnet)
{
    MemoryStream ms;
    ms.SetLength(100);
    BOOST_TEST(ms.Seek(-10, SeekOrigin::End) == 90);
    BOOST_TEST(ms.Seek(5, SeekOrigin::Current) == 95);
    ms.SetLength(50);
    BOOST_TEST(ms.Position() == 50);
    BOOST_CHECK_THROW(ms.Seek(-1, SeekOrigin::Begin), IOException);
    BOOST_CHECK_THROW(ms.SetPosition(-1), ArgumentOutOfRangeException);
    BOOST_CHECK_THROW(ms.SetLength(-1), ArgumentOutOfRangeException);
}

BOOST_AUTO_TEST_CASE(A_stream_made_from_bytes_starts_at_0_with_them)
{
    const auto bytes = pattern(10);
    MemoryStream ms(std::as_bytes(std::span(bytes)));
    BOOST_TEST(ms.Position() == 0);
    BOOST_TEST(ms.ToArray() == bytes);
}

BOOST_AUTO_TEST_CASE(BeginRead_completes_synchronously)
{
    const auto bytes = pattern(10);
    MemoryStream ms(std::as_bytes(std::span(bytes)));
    std::vector<std::byte> got(10);
    bool inline_callback = false;
    auto ar = ms.BeginRead(got, 0, 10, [&](const IAsyncResultPtr& r) { inline_callback = r->CompletedSynchronously(); },
                           std::string("state"));
    BOOST_TEST(ar->CompletedSynchronously());
    BOOST_TEST(inline_callback);
    BOOST_TEST(std::any_cast<std::string>(ar->AsyncState()) == "state");
    BOOST_TEST(ms.EndRead(ar) == 10);
    BOOST_CHECK_THROW(ms.EndRead(ar), InvalidOperationException);
}

BOOST_AUTO_TEST_CASE(ReadAsync_and_WriteAsync_work_with_futures_and_coroutines)
{
    asio::io_context io;
    MemoryStream ms(io.get_executor());
    const auto bytes = pattern(100);
    int read = -1;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            co_await ms.WriteAsync(bytes, asio::use_awaitable);
            ms.SetPosition(0);
            std::vector<std::uint8_t> got(100);
            read = co_await ms.ReadAsync(got, 0, 100, asio::use_awaitable);
            BOOST_TEST(got == bytes);
        },
        asio::detached);
    io.run();
    BOOST_TEST(read == 100);
}

BOOST_AUTO_TEST_CASE(Asio_composed_operations_work_on_a_MemoryStream)
{
    MemoryStream ms;
    const auto bytes = pattern(5000);
    BOOST_TEST(asio::async_write(ms, asio::buffer(bytes), asio::use_future).get() == 5000u);
    ms.SetPosition(0);
    std::vector<std::uint8_t> got(5000);
    BOOST_TEST(asio::async_read(ms, asio::buffer(got), asio::use_future).get() == 5000u);
    BOOST_TEST(got == bytes);
    // Reading past the end gives eof, as Asio expects of a stream.
    BOOST_CHECK_THROW(asio::async_read(ms, asio::buffer(got), asio::use_future).get(), boost::system::system_error);
}

BOOST_AUTO_TEST_CASE(A_closed_MemoryStream_throws_ObjectDisposedException_but_ToArray_works)
{
    MemoryStream ms;
    const auto bytes = pattern(3);
    ms.Write(bytes, 0, 3);
    ms.Close();
    std::vector<std::uint8_t> buf(3);
    BOOST_TEST(!ms.CanRead());
    BOOST_CHECK_THROW(ms.Read(buf, 0, 3), ObjectDisposedException);
    BOOST_CHECK_THROW(ms.BeginWrite(buf, 0, 3, {}, {}), ObjectDisposedException);
    BOOST_CHECK_THROW(ms.Length(), ObjectDisposedException);
    BOOST_TEST(ms.ToArray() == bytes);
}
