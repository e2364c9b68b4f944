#include <dotasync/io/stream.hpp>

#include <dotasync/core/exceptions.hpp>
#include <dotasync/io/memory_stream.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include "io/io_support.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <array>
#include <optional>
#include <vector>

namespace asio = boost::asio;
using namespace dotasync;
using namespace dotasync_test;

namespace {

// A stream that cannot seek and whose reads never finish on their own: they
// complete only when cancelled through their slot, which shows that Stream's
// faces pass the slot down to the one read a stream implements.
class pending_stream : public Stream {
public:
    explicit pending_stream(executor_type ex) : Stream(std::move(ex), "pending") {}
    bool CanRead() const override { return !closed_; }
    bool CanWrite() const override { return false; }
    bool CanSeek() const override { return false; }
    void Close() override { closed_ = true; }

    std::optional<detail::io_handler> pending;

protected:
    bool is_closed() const noexcept override { return closed_; }
    int read_bytes(std::span<std::byte>) override { return 0; }
    void write_bytes(std::span<const std::byte>) override {}
    void start_read(std::span<std::byte>, detail::completion_mode, detail::io_handler handler) override
    {
        auto slot = asio::get_associated_cancellation_slot(handler);
        if (slot.is_connected())
            slot.assign([this](asio::cancellation_type) {
                auto h = std::move(*pending);
                pending.reset();
                detail::complete_io(std::move(h), detail::completion_mode::posted, get_executor(),
                                    asio::error::operation_aborted, 0);
            });
        pending.emplace(std::move(handler));
    }
    void start_write(std::span<const std::byte>, detail::completion_mode, detail::io_handler handler) override
    {
        detail::complete_io(std::move(handler), detail::completion_mode::posted, get_executor(), {}, 0);
    }

private:
    bool closed_ = false;
};

} // namespace

BOOST_AUTO_TEST_CASE(A_stream_that_cannot_seek_throws_NotSupportedException_for_position_members)
{
    asio::io_context io;
    pending_stream s(io.get_executor());
    BOOST_CHECK_THROW(s.Length(), NotSupportedException);
    BOOST_CHECK_THROW(s.Position(), NotSupportedException);
    BOOST_CHECK_THROW(s.SetPosition(0), NotSupportedException);
    BOOST_CHECK_THROW(s.Seek(0, SeekOrigin::Begin), NotSupportedException);
    BOOST_CHECK_THROW(s.SetLength(0), NotSupportedException);
    std::vector<std::uint8_t> buf(1);
    BOOST_CHECK_THROW(s.Write(buf, 0, 1), NotSupportedException);
}

BOOST_AUTO_TEST_CASE(ReadAsync_honours_per_operation_cancellation)
{
    asio::io_context io;
    pending_stream s(io.get_executor());
    std::vector<std::uint8_t> buf(10);
    asio::cancellation_signal signal;
    std::exception_ptr outcome;
    bool done = false;
    s.ReadAsync(buf, asio::bind_cancellation_slot(signal.slot(), [&](std::exception_ptr e, int) {
                    outcome = e;
                    done = true;
                }));
    BOOST_TEST(s.pending.has_value());
    signal.emit(asio::cancellation_type::terminal);
    io.run();
    BOOST_REQUIRE(done);
    BOOST_CHECK_THROW(std::rethrow_exception(outcome), OperationCanceledException);
}

BOOST_AUTO_TEST_CASE(Argument_checks_come_before_the_state_checks)
{
    asio::io_context io;
    pending_stream s(io.get_executor());
    s.Close();
    std::vector<std::uint8_t> buf(10);
    BOOST_CHECK_THROW(s.BeginRead(buf, -1, 1, {}, {}), ArgumentOutOfRangeException);
    BOOST_CHECK_THROW(s.BeginRead(buf, 0, 1, {}, {}), ObjectDisposedException);
}

BOOST_AUTO_TEST_CASE(Every_byte_range_type_is_accepted)
{
    MemoryStream ms;
    std::vector<char> chars(4, 'x');
    std::vector<std::byte> bytes(4);
    std::array<unsigned char, 4> array{};
    std::uint8_t raw[4] = {};
    ms.Write(chars, 0, 4);
    ms.Write(std::span<const char>(chars), 0, 4);
    ms.SetPosition(0);
    BOOST_TEST(ms.Read(bytes, 0, 4) == 4);
    BOOST_TEST(ms.Read(array, 0, 2) == 2);
    BOOST_TEST(ms.Read(std::span<std::uint8_t>(raw), 0, 2) == 2);
    BOOST_TEST(ms.Read(raw, 2, 2) == 0);
    BOOST_TEST(array[0] == 'x');
}

BOOST_AUTO_TEST_CASE(The_empty_buffer_of_an_empty_vector_is_not_null)
{
    MemoryStream ms;
    std::vector<std::uint8_t> empty;
    BOOST_TEST(ms.Read(empty, 0, 0) == 0);
    BOOST_TEST(ms.EndRead(ms.BeginRead(empty, 0, 0, {}, {})) == 0);
}

BOOST_AUTO_TEST_CASE(FlushAsync_completes_through_the_token)
{
    MemoryStream ms;
    ms.FlushAsync(asio::use_future).get();
    ms.Close();
    BOOST_CHECK_THROW(ms.FlushAsync(asio::use_future), ObjectDisposedException);
}

BOOST_AUTO_TEST_CASE(Cancelling_CopyToAsync_completes_it_with_OperationCanceledException)
{
    asio::io_context io;
    const auto bytes = pattern(1 << 20);
    MemoryStream source(io.get_executor());
    source.Write(bytes, 0, static_cast<int>(bytes.size()));
    source.SetPosition(0);
    MemoryStream destination(io.get_executor());
    asio::cancellation_signal signal;
    std::exception_ptr outcome;
    bool done = false;
    source.CopyToAsync(destination, 1024, asio::bind_cancellation_slot(signal.slot(), [&](std::exception_ptr e) {
                           outcome = e;
                           done = true;
                       }));
    signal.emit(asio::cancellation_type::total);
    io.run();
    BOOST_REQUIRE(done);
    BOOST_CHECK_THROW(std::rethrow_exception(outcome), OperationCanceledException);
    BOOST_TEST(destination.Length() < static_cast<std::int64_t>(bytes.size()));
}
