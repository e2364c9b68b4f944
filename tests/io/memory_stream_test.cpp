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

#include <algorithm>
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

BOOST_AUTO_TEST_CASE(Capacity_grows_as_in_dotnet_and_can_be_set_but_not_below_Length)
{
    MemoryStream s;
    BOOST_TEST(s.Capacity() == 0);
    const auto ten = pattern(10);
    s.Write(ten, 0, 10);
    BOOST_TEST(s.Capacity() == 256);
    const auto more = pattern(300);
    s.Write(more, 0, 300);
    BOOST_TEST(s.Capacity() == 512);
    BOOST_CHECK_THROW(s.Capacity(309), ArgumentOutOfRangeException);
    s.Capacity(400);
    BOOST_TEST(s.Capacity() == 400);
    BOOST_TEST(s.Length() == 310);
    auto contents = s.ToArray();
    BOOST_TEST(std::vector<std::uint8_t>(contents.begin(), contents.begin() + 10) == ten);
    BOOST_TEST(std::vector<std::uint8_t>(contents.begin() + 10, contents.end()) == more);
    MemoryStream sized(16);
    BOOST_TEST(sized.Capacity() == 16);
    BOOST_TEST(sized.Length() == 0);
    BOOST_CHECK_THROW(MemoryStream(-1), ArgumentOutOfRangeException);
    s.Close();
    BOOST_CHECK_THROW(s.Capacity(), ObjectDisposedException);
    BOOST_CHECK_THROW(s.Capacity(1000), ObjectDisposedException);
}

BOOST_AUTO_TEST_CASE(GetBuffer_and_TryGetBuffer_expose_the_memory_without_a_copy)
{
    MemoryStream s;
    const auto bytes = pattern(10);
    s.Write(bytes, 0, 10);
    const auto buffer = s.GetBuffer();
    BOOST_TEST(buffer.size() == 256u);
    BOOST_TEST(std::vector<std::uint8_t>(buffer.begin(), buffer.begin() + 10) == bytes);
    buffer[0] = 0xAB;
    BOOST_TEST(s.ToArray()[0] == 0xAB);
    std::span<std::uint8_t> contents;
    BOOST_TEST(s.TryGetBuffer(contents));
    BOOST_TEST(contents.size() == 10u);
    BOOST_TEST(contents.data() == buffer.data());
    // Both work after Close, as in .NET.
    s.Close();
    BOOST_TEST(s.GetBuffer().data() == buffer.data());
    BOOST_TEST(s.TryGetBuffer(contents));
}

BOOST_AUTO_TEST_CASE(Bytes_uncovered_by_SetLength_or_a_write_past_the_end_read_as_zeros)
{
    MemoryStream s;
    const auto bytes = pattern(20);
    s.Write(bytes, 0, 20);
    s.SetLength(5);
    s.SetLength(20);
    auto contents = s.ToArray();
    BOOST_TEST(std::all_of(contents.begin() + 5, contents.end(), [](std::uint8_t b) { return b == 0; }));
    s.SetLength(5);
    s.Position(15);
    s.WriteByte(7);
    contents = s.ToArray();
    BOOST_TEST(contents.size() == 16u);
    BOOST_TEST(std::all_of(contents.begin() + 5, contents.begin() + 15, [](std::uint8_t b) { return b == 0; }));
    BOOST_TEST(contents[15] == 7);
}

BOOST_AUTO_TEST_CASE(WriteTo_writes_the_whole_contents_wherever_the_position_is)
{
    const auto bytes = pattern(1000);
    MemoryStream s(std::as_bytes(std::span(bytes)));
    s.Position(600);
    MemoryStream copy;
    s.WriteTo(copy);
    BOOST_TEST(copy.ToArray() == bytes);
    BOOST_TEST(s.Position() == 600);
    s.Close();
    BOOST_CHECK_THROW(s.WriteTo(copy), ObjectDisposedException);
    BOOST_TEST(s.ToArray() == bytes);
}

BOOST_AUTO_TEST_CASE(Position_has_a_setter_overload_as_dotnet_properties_do)
{
    MemoryStream s;
    const auto bytes = pattern(10);
    s.Write(bytes, 0, 10);
    s.Position(3);
    BOOST_TEST(s.Position() == 3);
    BOOST_TEST(s.ReadByte() == bytes[3]);
    BOOST_CHECK_THROW(s.Position(-1), ArgumentOutOfRangeException);
}
