#include <dotasync/io/stream.hpp>

#include <dotasync/core/exceptions.hpp>
#include <dotasync/io/memory_stream.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include "io/io_support.hpp"
#include "core/detail/cancellation_state.hpp"
#include "support/pipe_stream.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <array>
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <vector>

namespace asio = boost::asio;
using namespace dotasync;
using namespace dotasync_test;

namespace {

// A stream that cannot seek and whose reads never finish on their own: they
// complete only when canceled through their slot, which shows that Stream's
// faces pass the slot down to the one read a stream implements.
class pending_stream : public Stream {
public:
    explicit pending_stream(executor_type ex) : Stream(std::move(ex), "pending") {}
    bool CanRead() const override { return !closed_; }
    bool CanWrite() const override { return false; }
    bool CanSeek() const override { return false; }
    void Close() override { closed_ = true; }

    std::optional<io_completion> pending;

protected:
    bool is_closed() const noexcept override { return closed_; }
    void start_read_some(std::span<std::byte>, io_completion completion) override
    {
        auto slot = completion.get_cancellation_slot();
        if (slot.is_connected())
            slot.assign([this](asio::cancellation_type) {
                auto c = std::move(*pending);
                pending.reset();
                c.complete(asio::error::operation_aborted, 0);
            });
        pending.emplace(std::move(completion));
    }
    void start_write_some(std::span<const std::byte>, io_completion completion) override
    {
        completion.complete({}, 0);
    }

private:
    bool closed_ = false;
};

// A readable and writable stream that another thread closes right after the
// first question about its state, whichever member asks it: the Close lands
// between the checks a Begin/XxxAsync call makes, every time.
class closing_stream : public Stream {
public:
    explicit closing_stream(executor_type ex) : Stream(std::move(ex), "closing") {}
    bool CanRead() const override { return !closed_now(); }
    bool CanWrite() const override { return !closed_now(); }
    bool CanSeek() const override { return false; }

protected:
    bool is_closed() const noexcept override { return closed_now(); }
    int read_bytes(std::span<std::byte>) override { return 0; }
    void write_bytes(std::span<const std::byte>) override {}
    void start_read_some(std::span<std::byte>, io_completion completion) override
    {
        completion.complete(asio::error::operation_aborted, 0);
    }
    void start_write_some(std::span<const std::byte>, io_completion completion) override
    {
        completion.complete(asio::error::operation_aborted, 0);
    }

private:
    bool closed_now() const noexcept { return questions_++ > 0; }
    mutable int questions_ = 0;
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

namespace {

// Runs op(cancellationToken, handler) for an operation with one
// exception_ptr (and maybe a count) in its completion, on io, and returns
// what it completed with.
template <class Op>
std::exception_ptr outcome_of(asio::io_context& io, Op op)
{
    std::optional<std::exception_ptr> outcome;
    op([&](std::exception_ptr e, auto...) { outcome = e; });
    BOOST_TEST(!outcome.has_value()); // completions are posted, never inline
    io.restart();
    io.run();
    BOOST_REQUIRE(outcome.has_value());
    return *outcome;
}

} // namespace

BOOST_AUTO_TEST_CASE(Every_XxxAsync_with_a_live_token_completes_and_releases_its_registration)
{
    asio::io_context io;
    CancellationTokenSource cts;
    const auto token = cts.Token();
    const auto bytes = pattern(1000);
    MemoryStream ms(io.get_executor());
    BOOST_TEST(!outcome_of(io, [&](auto h) { ms.WriteAsync(bytes, token, h); }));
    BOOST_TEST(!outcome_of(io, [&](auto h) { ms.WriteAsync(bytes, 10, 20, token, h); }));
    BOOST_TEST(!outcome_of(io, [&](auto h) { ms.FlushAsync(token, h); }));
    BOOST_TEST(ms.Length() == 1020);
    ms.SetPosition(0);
    std::vector<std::uint8_t> got(1000);
    int n = -1;
    BOOST_TEST(!outcome_of(io, [&](auto h) {
        ms.ReadAsync(got, token, [&n, h](std::exception_ptr e, int k) mutable {
            n = k;
            h(e);
        });
    }));
    BOOST_TEST(n == 1000);
    BOOST_TEST(got == bytes);
    BOOST_TEST(!outcome_of(io, [&](auto h) {
        ms.ReadAsync(got, 5, 10, token, [&n, h](std::exception_ptr e, int k) mutable {
            n = k;
            h(e);
        });
    }));
    BOOST_TEST(n == 10);
    MemoryStream copy(io.get_executor()), small_chunks(io.get_executor());
    ms.SetPosition(0);
    BOOST_TEST(!outcome_of(io, [&](auto h) { ms.CopyToAsync(copy, token, h); }));
    ms.SetPosition(0);
    BOOST_TEST(!outcome_of(io, [&](auto h) { ms.CopyToAsync(small_chunks, 7, token, h); }));
    BOOST_TEST(copy.ToArray() == ms.ToArray());
    BOOST_TEST(small_chunks.ToArray() == ms.ToArray());
    BOOST_TEST(detail::registration_count(token) == 0u);
}

// As in .NET, where MemoryStream's ReadAsync and WriteAsync return finished
// tasks and await continues at once: with or without a token, and the token's
// registration is released.
BOOST_AUTO_TEST_CASE(co_await_XxxAsync_on_data_at_hand_continues_before_work_queued_earlier_runs_with_or_without_a_token)
{
    asio::io_context io;
    MemoryStream ms(io.get_executor());
    CancellationTokenSource cts;
    const auto bytes = pattern(100);
    int queued_ran = 0;
    std::vector<int> queued_ran_when_each_returned;
    std::vector<int> reads;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            asio::post(io, [&] { ++queued_ran; });
            std::vector<std::uint8_t> got(100);
            co_await ms.WriteAsync(bytes, asio::use_awaitable);
            queued_ran_when_each_returned.push_back(queued_ran);
            ms.SetPosition(0);
            reads.push_back(co_await ms.ReadAsync(got, 0, 100, asio::use_awaitable));
            queued_ran_when_each_returned.push_back(queued_ran);
            co_await ms.WriteAsync(bytes, cts.Token(), asio::use_awaitable);
            queued_ran_when_each_returned.push_back(queued_ran);
            ms.SetPosition(0);
            reads.push_back(co_await ms.ReadAsync(got, 0, 100, cts.Token(), asio::use_awaitable));
            queued_ran_when_each_returned.push_back(queued_ran);
        },
        asio::detached);
    io.run();
    BOOST_TEST(reads == std::vector<int>({100, 100}), boost::test_tools::per_element());
    BOOST_TEST(queued_ran_when_each_returned == std::vector<int>({0, 0, 0, 0}), boost::test_tools::per_element());
    BOOST_TEST(queued_ran == 1);
    BOOST_TEST(detail::registration_count(cts.Token()) == 0u);
}

BOOST_AUTO_TEST_CASE(An_already_canceled_token_completes_every_XxxAsync_with_OperationCanceledException_and_no_IO)
{
    asio::io_context io;
    CancellationTokenSource cts;
    cts.Cancel();
    const auto token = cts.Token();
    const auto bytes = pattern(100);
    MemoryStream ms(io.get_executor());
    ms.Write(bytes, 0, 100);
    ms.SetPosition(10);
    std::vector<std::uint8_t> buf(50, 0xEE);
    MemoryStream destination(io.get_executor());
    const auto canceled = [&](auto start) {
        BOOST_CHECK_THROW(std::rethrow_exception(outcome_of(io, start)), OperationCanceledException);
    };
    canceled([&](auto h) { ms.ReadAsync(buf, token, h); });
    canceled([&](auto h) { ms.ReadAsync(buf, 0, 10, token, h); });
    canceled([&](auto h) { ms.WriteAsync(bytes, token, h); });
    canceled([&](auto h) { ms.WriteAsync(bytes, 0, 10, token, h); });
    canceled([&](auto h) { ms.FlushAsync(token, h); });
    canceled([&](auto h) { ms.CopyToAsync(destination, token, h); });
    canceled([&](auto h) { ms.CopyToAsync(destination, 16, token, h); });
    BOOST_TEST(ms.Position() == 10);
    BOOST_TEST(ms.ToArray() == bytes);
    BOOST_TEST(buf == std::vector<std::uint8_t>(50, 0xEE));
    BOOST_TEST(destination.Length() == 0);
    BOOST_TEST(detail::registration_count(token) == 0u);
}

BOOST_AUTO_TEST_CASE(Argument_and_state_checks_come_before_the_token)
{
    asio::io_context io;
    MemoryStream ms(io.get_executor());
    const CancellationToken canceled(true);
    std::vector<std::uint8_t> buf(10);
    BOOST_CHECK_EXCEPTION(ms.ReadAsync(buf, 0, 11, canceled, asio::use_future), ArgumentException, is_bad_range);
    BOOST_CHECK_THROW(ms.WriteAsync(buf, -1, 1, canceled, asio::use_future), ArgumentOutOfRangeException);
    BOOST_CHECK_THROW(ms.CopyToAsync(ms, 0, canceled, asio::use_future), ArgumentOutOfRangeException);
    ms.Close();
    BOOST_CHECK_THROW(ms.ReadAsync(buf, canceled, asio::use_future), ObjectDisposedException);
    BOOST_CHECK_THROW(ms.FlushAsync(canceled, asio::use_future), ObjectDisposedException);
}

BOOST_AUTO_TEST_CASE(Cancelling_the_token_of_a_pending_ReadAsync_completes_it_with_OperationCanceledException)
{
    asio::io_context io;
    pending_stream s(io.get_executor());
    CancellationTokenSource cts;
    std::vector<std::uint8_t> buf(10);
    std::optional<std::exception_ptr> outcome;
    s.ReadAsync(buf, 0, 10, cts.Token(), [&](std::exception_ptr e, int) { outcome = e; });
    BOOST_TEST(s.pending.has_value());
    BOOST_TEST(detail::registration_count(cts.Token()) == 1u);
    cts.Cancel();
    io.run();
    BOOST_REQUIRE(outcome.has_value());
    BOOST_CHECK_THROW(std::rethrow_exception(*outcome), OperationCanceledException);
    BOOST_TEST(detail::registration_count(cts.Token()) == 0u);
}

BOOST_AUTO_TEST_CASE(A_long_lived_token_does_not_grow_with_the_operations_it_was_given_to)
{
    asio::io_context io;
    CancellationTokenSource cts;
    const auto bytes = pattern(64);
    MemoryStream ms(io.get_executor());
    std::vector<std::uint8_t> buf(64);
    int completed = 0;
    for (int i = 0; i < 1000; ++i) {
        ms.WriteAsync(bytes, cts.Token(), [&](std::exception_ptr e) { completed += e ? 0 : 1; });
        io.restart();
        io.run();
    }
    BOOST_TEST(completed == 1000);
    BOOST_TEST(detail::registration_count(cts.Token()) == 0u);
}

BOOST_AUTO_TEST_CASE(CopyToAsync_checks_the_token_between_chunks_and_rewinds_the_source_to_what_was_written)
{
    // Each step of a copy between MemoryStreams is one posted handler, so
    // cancelling after a few of them lands between two chunks.
    const auto bytes = pattern(1 << 16);
    for (int steps = 1; steps <= 6; ++steps) {
        asio::io_context io;
        MemoryStream source(io.get_executor()), destination(io.get_executor());
        source.Write(bytes, 0, static_cast<int>(bytes.size()));
        source.SetPosition(100);
        CancellationTokenSource cts;
        std::optional<std::exception_ptr> outcome;
        source.CopyToAsync(destination, 1000, cts.Token(), [&](std::exception_ptr e) { outcome = e; });
        for (int i = 0; i < steps; ++i)
            io.run_one();
        cts.Cancel();
        io.run();
        BOOST_REQUIRE(outcome.has_value());
        BOOST_CHECK_THROW(std::rethrow_exception(*outcome), OperationCanceledException);
        const auto copied = destination.ToArray();
        BOOST_TEST(copied.size() < bytes.size() - 100);
        BOOST_TEST(copied.size() % 1000 == 0u);
        BOOST_TEST(std::equal(copied.begin(), copied.end(), bytes.begin() + 100));
        BOOST_TEST(source.Position() == 100 + static_cast<std::int64_t>(copied.size()));
        BOOST_TEST(detail::registration_count(cts.Token()) == 0u);
    }
}

BOOST_AUTO_TEST_CASE(A_Close_landing_between_the_state_checks_is_reported_as_ObjectDisposedException)
{
    asio::io_context io;
    std::vector<std::uint8_t> buf(4);
    // Either the call saw the stream open (and its operation ends as
    // canceled) or it reports the stream closed; never that a stream which
    // can read and write cannot.
    const auto open_or_disposed = [&](auto call) {
        closing_stream s(io.get_executor());
        try {
            call(s);
        } catch (const ObjectDisposedException&) {
        }
    };
    open_or_disposed([&](Stream& s) { s.BeginRead(buf, 0, 4, {}, {}); });
    open_or_disposed([&](Stream& s) { s.BeginWrite(buf, 0, 4, {}, {}); });
    open_or_disposed([&](Stream& s) { s.Read(buf, 0, 4); });
    open_or_disposed([&](Stream& s) { s.Write(buf, 0, 4); });
    open_or_disposed([&](Stream& s) { s.ReadAsync(buf, [](std::exception_ptr, int) {}); });
    open_or_disposed([&](Stream& s) { s.WriteAsync(buf, [](std::exception_ptr) {}); });
    // The Asio faces report it as an error code: bad_descriptor, not
    // operation_not_supported.
    for (int write = 0; write < 2; ++write) {
        closing_stream s(io.get_executor());
        boost::system::error_code result;
        const auto record = [&](boost::system::error_code ec, std::size_t) { result = ec; };
        if (write != 0)
            s.async_write_some(asio::buffer(buf), record);
        else
            s.async_read_some(asio::buffer(buf), record);
        io.restart();
        io.run();
        BOOST_TEST(result != asio::error::operation_not_supported);
    }
    io.restart();
    io.run();
}

// The pipe the tests write through the public authoring API: its reads wait
// for data, so the rules for unfinished operations show.
BOOST_AUTO_TEST_CASE(A_stream_written_with_the_public_API_completes_a_waiting_read_from_a_later_write)
{
    running_context context;
    pipe_stream pipe(context.io().get_executor(), 4);
    std::vector<std::uint8_t> in(8), out{1, 2, 3, 4, 5, 6};
    auto read = pipe.ReadAsync(in, asio::use_future);
    BOOST_TEST((read.wait_for(std::chrono::milliseconds(0)) == std::future_status::timeout));
    // Six bytes into a pipe of four: two go to the waiting reader, four are
    // kept, and the write completes.
    auto write = pipe.WriteAsync(out, asio::use_future);
    BOOST_REQUIRE(read.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    BOOST_TEST(read.get() == 6);
    BOOST_REQUIRE(write.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    write.get();
    BOOST_TEST((std::vector<std::uint8_t>(in.begin(), in.begin() + 6) == out));
}

BOOST_AUTO_TEST_CASE(Cancelling_a_waiting_read_of_a_user_stream_completes_it_with_OperationCanceledException)
{
    running_context context;
    pipe_stream pipe(context.io().get_executor(), 4);
    std::vector<std::uint8_t> in(8);
    CancellationTokenSource cts;
    auto read = pipe.ReadAsync(in, cts.Token(), asio::use_future);
    cts.Cancel();
    BOOST_REQUIRE(read.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    BOOST_CHECK_THROW(read.get(), OperationCanceledException);
    // The pipe is usable afterwards.
    pipe.WriteByte(9);
    BOOST_TEST(pipe.ReadByte() == 9);
}

BOOST_AUTO_TEST_CASE(Waiting_inside_the_only_thread_that_could_complete_a_user_stream_throws_InvalidOperationException)
{
    running_context context;
    auto strand = asio::make_strand(context.io());
    // One pipe per check, so that each read is the only one waiting.
    std::vector<std::unique_ptr<pipe_stream>> pipes;
    const auto pipe = [&]() -> pipe_stream& { return *pipes.emplace_back(std::make_unique<pipe_stream>(strand, 4)); };
    std::vector<std::uint8_t> in(8);
    std::promise<void> checked;
    // Whether each wait was refused, recorded on the strand and checked on
    // the test's thread: Boost.Test is not for other threads.
    std::array<bool, 3> refused{};
    const auto refuses = [](auto wait) {
        try {
            wait();
        } catch (const InvalidOperationException&) {
            return true;
        }
        return false;
    };
    asio::post(strand, [&] {
        // Read has no synchronous path here: it waits for the asynchronous
        // read, which only this strand could complete.
        refused[0] = refuses([&] { pipe().Read(in, 0, 8); });
        auto& second = pipe();
        auto ar = second.async_read_some(asio::buffer(in), apm());
        refused[1] = refuses([&] { end<void(boost::system::error_code, std::size_t)>(ar); });
        auto& third = pipe();
        auto begun = third.BeginRead(in, 0, 8, {}, {});
        refused[2] = refuses([&] { third.EndRead(begun); });
        // The results stay endable: once data arrives, they complete.
        second.WriteByte(1);
        third.WriteByte(2);
        checked.set_value();
    });
    BOOST_REQUIRE(checked.get_future().wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    BOOST_TEST(refused[0]);
    BOOST_TEST(refused[1]);
    BOOST_TEST(refused[2]);
    for (auto& p : pipes)
        p->Close();
    context.drain();
}
