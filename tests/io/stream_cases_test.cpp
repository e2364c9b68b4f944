// The behaviour every stream shares, run against each kind of stream:
// MemoryStream, FileStream on both back-ends, and pipe_stream, which the tests
// write themselves through the public stream-authoring API. A stream that
// passes these gets every face of Stream right.
#include <dotasync/io/stream.hpp>

#include <dotasync/core/exceptions.hpp>
#include <dotasync/io/file_stream.hpp>
#include <dotasync/io/memory_stream.hpp>
#include <dotasync/tap/task_factory.hpp>

#include "io/io_support.hpp"
#include "support/pipe_stream.hpp"
#include "support/waiting.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <boost/mpl/list.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <future>
#include <memory>
#include <vector>

namespace asio = boost::asio;
using namespace dotasync;
using namespace dotasync_test;
using namespace dotasync_test;
using bytes = std::vector<std::uint8_t>;

namespace {


// What an Asio face completed with, waited for with a time limit.
template <class Start>
std::pair<boost::system::error_code, std::size_t> outcome_of(Start start)
{
    std::promise<std::pair<boost::system::error_code, std::size_t>> outcome;
    start([&](boost::system::error_code ec, std::size_t n) { outcome.set_value({ec, n}); });
    return get_within(outcome.get_future());
}

running_context& shared_context()
{
    static running_context context;
    return context;
}

// Each kind makes streams that hold given contents, positioned at their
// start, and tells what was written to a stream it made.
struct memory_kind {
    std::unique_ptr<Stream> with(const bytes& contents, Stream::executor_type ex = shared_context().io().get_executor())
    {
        auto s = std::make_unique<MemoryStream>(std::move(ex));
        s->Write(contents, 0, static_cast<int>(contents.size()));
        s->Position(0);
        return s;
    }
    bytes written(Stream& s) { return static_cast<MemoryStream&>(s).ToArray(); }
};

template <detail::file_backend Backend>
struct file_kind : backend_fixture<Backend> {
    temp_dir dir;
    int files = 0;

    std::unique_ptr<Stream> with(const bytes& contents, Stream::executor_type ex = shared_context().io().get_executor())
    {
        const auto path = dir / ("f" + std::to_string(files++));
        write_file(path, contents);
        return std::make_unique<FileStream>(std::move(ex), path, FileMode::Open, FileAccess::ReadWrite);
    }
    bytes written(Stream& s)
    {
        s.Flush();
        return read_file(static_cast<FileStream&>(s).Name());
    }
};

struct pipe_kind {
    std::unique_ptr<Stream> with(const bytes& contents, Stream::executor_type ex = shared_context().io().get_executor())
    {
        auto s = std::make_unique<pipe_stream>(std::move(ex), 1 << 20);
        s->Write(contents, 0, static_cast<int>(contents.size()));
        s->CompleteWriting();
        return s;
    }
    bytes written(Stream& s) { return static_cast<pipe_stream&>(s).Drain(); }
};

using kinds = boost::mpl::list<memory_kind, file_kind<detail::file_backend::threadpool>,
                               file_kind<detail::file_backend::uring>, pipe_kind>;

bytes concat(const bytes& a, const bytes& b)
{
    bytes r = a;
    r.insert(r.end(), b.begin(), b.end());
    return r;
}

} // namespace

BOOST_AUTO_TEST_CASE_TEMPLATE(Every_read_face_returns_the_contents_and_then_the_end, Kind, kinds)
{
    Kind kind;
    const bytes data = pattern(10000, 7);
    const auto chunks = [&](auto read_chunk) {
        auto s = kind.with(data);
        bytes out, buf(999);
        for (int n; (n = read_chunk(*s, buf)) > 0;)
            out.insert(out.end(), buf.begin(), buf.begin() + n);
        BOOST_TEST(out == data);
        BOOST_TEST(s->ReadByte() == -1);
    };
    chunks([](Stream& s, bytes& buf) { return s.Read(buf, 0, 999); });
    chunks([](Stream& s, bytes& buf) { return s.EndRead(s.BeginRead(buf, 0, 999, {}, {})); });
    chunks([](Stream& s, bytes& buf) { return get_within(s.ReadAsync(buf, 0, 999, asio::use_future)); });
    chunks([](Stream& s, bytes& buf) {
        return get_within(TaskFactory::FromAsync(&Stream::BeginRead, &Stream::EndRead, s, buf, 0, 999, asio::use_future));
    });
    chunks([](Stream& s, bytes& buf) {
        const int b = s.ReadByte();
        buf[0] = static_cast<std::uint8_t>(b);
        return b == -1 ? 0 : 1;
    });
    {
        auto s = kind.with(data);
        bytes buf(data.size());
        BOOST_TEST(get_within(asio::async_read(*s, asio::buffer(buf), asio::use_future)) == data.size());
        BOOST_TEST(buf == data);
        bytes more(10);
        auto [ec, n] = outcome_of([&](auto h) { s->async_read_some(asio::buffer(more), h); });
        BOOST_TEST(ec == asio::error::eof);
        BOOST_TEST(n == 0u);
    }
    {
        auto s = kind.with(data);
        bytes buf(data.size());
        s->ReadExactly(buf);
        BOOST_TEST(buf == data);
    }
    {
        auto s = kind.with(data);
        bytes buf(data.size());
        get_within(s->ReadExactlyAsync(buf, asio::use_future));
        BOOST_TEST(buf == data);
    }
    {
        auto s = kind.with(data);
        bytes buf(data.size() + 10);
        BOOST_TEST(s->ReadAtLeast(buf, static_cast<int>(data.size())) == static_cast<int>(data.size()));
        BOOST_TEST(bytes(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(data.size())) == data);
    }
    {
        auto s = kind.with(data);
        bytes buf(data.size());
        BOOST_TEST(get_within(s->ReadAtLeastAsync(buf, static_cast<int>(data.size()), asio::use_future)) ==
                   static_cast<int>(data.size()));
        BOOST_TEST(buf == data);
    }
    {
        auto s = kind.with(data);
        MemoryStream copy;
        s->CopyTo(copy, 333);
        BOOST_TEST(copy.ToArray() == data);
    }
    {
        auto s = kind.with(data);
        MemoryStream copy;
        get_within(s->CopyToAsync(copy, 333, asio::use_future));
        BOOST_TEST(copy.ToArray() == data);
    }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(Every_write_face_writes_the_bytes, Kind, kinds)
{
    Kind kind;
    const bytes data = pattern(3000, 9);
    const auto check = [&](auto write_all) {
        auto s = kind.with({});
        write_all(*s);
        BOOST_TEST(kind.written(*s) == data);
    };
    check([&](Stream& s) { s.Write(data, 0, static_cast<int>(data.size())); });
    check([&](Stream& s) {
        for (std::uint8_t b : data)
            s.WriteByte(b);
    });
    check([&](Stream& s) { s.EndWrite(s.BeginWrite(data, 0, static_cast<int>(data.size()), {}, {})); });
    check([&](Stream& s) { get_within(s.WriteAsync(data, asio::use_future)); });
    check([&](Stream& s) { get_within(s.WriteAsync(data, 0, 1000, asio::use_future)), get_within(s.WriteAsync(data, 1000, 2000, asio::use_future)); });
    check([&](Stream& s) { BOOST_TEST(get_within(asio::async_write(s, asio::buffer(data), asio::use_future)) == data.size()); });
    check([&](Stream& s) {
        bytes buffer = data;
        get_within(TaskFactory::FromAsync(&Stream::BeginWrite, &Stream::EndWrite, s, buffer, 0,
                                   static_cast<int>(buffer.size()), asio::use_future));
    });
    check([&](Stream& s) {
        MemoryStream source(std::as_bytes(std::span(data)));
        source.CopyTo(s);
    });
}

BOOST_AUTO_TEST_CASE_TEMPLATE(At_the_end_ReadExactly_throws_EndOfStreamException_and_ReadAtLeast_may_return_less,
                              Kind, kinds)
{
    Kind kind;
    const bytes data = pattern(10, 3);
    bytes buf(20);
    BOOST_CHECK_THROW(kind.with(data)->ReadExactly(buf), EndOfStreamException);
    BOOST_CHECK_THROW(kind.with(data)->ReadExactly(buf, 5, 15), EndOfStreamException);
    BOOST_CHECK_THROW(kind.with(data)->ReadAtLeast(buf, 11), EndOfStreamException);
    BOOST_CHECK_THROW(get_within(kind.with(data)->ReadExactlyAsync(buf, asio::use_future)), EndOfStreamException);
    BOOST_CHECK_THROW(get_within(kind.with(data)->ReadAtLeastAsync(buf, 11, asio::use_future)), EndOfStreamException);
    BOOST_TEST(kind.with(data)->ReadAtLeast(buf, 20, false) == 10);
    BOOST_TEST(bytes(buf.begin(), buf.begin() + 10) == data);
    BOOST_TEST(get_within(kind.with(data)->ReadAtLeastAsync(buf, 20, false, asio::use_future)) == 10);
    // Asking for nothing reads nothing.
    auto s = kind.with(data);
    BOOST_TEST(s->ReadAtLeast(buf, 0) == 0);
    BOOST_TEST(get_within(s->ReadAtLeastAsync(buf, 0, asio::use_future)) == 0);
    BOOST_TEST(s->ReadByte() == data[0]);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(Bad_arguments_throw_from_the_call_and_consume_nothing, Kind, kinds)
{
    Kind kind;
    const bytes data = pattern(100, 5);
    auto s = kind.with(data);
    bytes buf(10);
    MemoryStream other;
    BOOST_CHECK_THROW(s->Read(buf, -1, 1), ArgumentOutOfRangeException);
    BOOST_CHECK_THROW(s->Read(buf, 0, -1), ArgumentOutOfRangeException);
    BOOST_CHECK_EXCEPTION(s->Read(buf, 5, 6), ArgumentException, is_bad_range);
    BOOST_CHECK_EXCEPTION(s->BeginRead(buf, 5, 6, {}, {}), ArgumentException, is_bad_range);
    BOOST_CHECK_EXCEPTION(s->ReadAsync(buf, 5, 6, asio::use_future), ArgumentException, is_bad_range);
    BOOST_CHECK_EXCEPTION(s->ReadExactly(buf, 5, 6), ArgumentException, is_bad_range);
    BOOST_CHECK_EXCEPTION(s->ReadExactlyAsync(buf, 5, 6, asio::use_future), ArgumentException, is_bad_range);
    BOOST_CHECK_EXCEPTION(s->Write(buf, 5, 6), ArgumentException, is_bad_range);
    BOOST_CHECK_EXCEPTION(s->WriteAsync(buf, 5, 6, asio::use_future), ArgumentException, is_bad_range);
    BOOST_CHECK_THROW(s->ReadAtLeast(buf, -1), ArgumentOutOfRangeException);
    BOOST_CHECK_THROW(s->ReadAtLeast(buf, 11), ArgumentOutOfRangeException);
    BOOST_CHECK_THROW(s->ReadAtLeastAsync(buf, 11, asio::use_future), ArgumentOutOfRangeException);
    BOOST_CHECK_THROW(s->CopyTo(other, 0), ArgumentOutOfRangeException);
    BOOST_CHECK_THROW(s->CopyToAsync(other, -1, asio::use_future), ArgumentOutOfRangeException);
    BOOST_CHECK_THROW(s->BeginRead(std::span<std::uint8_t>(), 0, 1, {}, {}), ArgumentNullException);
    BOOST_TEST(s->ReadByte() == data[0]);
    BOOST_TEST(kind.written(*s) == (std::is_same_v<Kind, pipe_kind> ? bytes(data.begin() + 1, data.end()) : data));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(A_closed_stream_throws_ObjectDisposedException_from_every_member, Kind, kinds)
{
    Kind kind;
    auto s = kind.with(pattern(100, 5));
    s->Close();
    bytes buf(10);
    MemoryStream other;
    BOOST_TEST(!s->CanRead());
    BOOST_TEST(!s->CanWrite());
    BOOST_CHECK_THROW(s->Read(buf, 0, 1), ObjectDisposedException);
    BOOST_CHECK_THROW(s->Write(buf, 0, 1), ObjectDisposedException);
    BOOST_CHECK_THROW(s->ReadByte(), ObjectDisposedException);
    BOOST_CHECK_THROW(s->WriteByte(1), ObjectDisposedException);
    BOOST_CHECK_THROW(s->BeginRead(buf, 0, 1, {}, {}), ObjectDisposedException);
    BOOST_CHECK_THROW(s->BeginWrite(buf, 0, 1, {}, {}), ObjectDisposedException);
    BOOST_CHECK_THROW(s->ReadAsync(buf, asio::use_future), ObjectDisposedException);
    BOOST_CHECK_THROW(s->WriteAsync(buf, asio::use_future), ObjectDisposedException);
    BOOST_CHECK_THROW(s->ReadExactly(buf), ObjectDisposedException);
    BOOST_CHECK_THROW(s->ReadAtLeast(buf, 1), ObjectDisposedException);
    BOOST_CHECK_THROW(s->ReadExactlyAsync(buf, asio::use_future), ObjectDisposedException);
    BOOST_CHECK_THROW(s->ReadAtLeastAsync(buf, 1, asio::use_future), ObjectDisposedException);
    BOOST_CHECK_THROW(s->CopyTo(other), ObjectDisposedException);
    BOOST_CHECK_THROW(other.CopyTo(*s), ObjectDisposedException);
    BOOST_CHECK_THROW(s->CopyToAsync(other, asio::use_future), ObjectDisposedException);
    BOOST_CHECK_THROW(s->FlushAsync(asio::use_future), ObjectDisposedException);
    BOOST_TEST(outcome_of([&](auto h) { s->async_read_some(asio::buffer(buf), h); }).first ==
               asio::error::bad_descriptor);
    BOOST_TEST(outcome_of([&](auto h) { s->async_write_some(asio::buffer(buf), h); }).first ==
               asio::error::bad_descriptor);
    // Closing again is allowed, both ways.
    s->Dispose();
    get_within(s->DisposeAsync(asio::use_future));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(EndRead_and_EndWrite_follow_the_APM_rules, Kind, kinds)
{
    Kind kind;
    auto s = kind.with(pattern(100, 5));
    auto t = kind.with(pattern(100, 5));
    bytes buf(10);
    BOOST_CHECK_THROW(s->EndRead(nullptr), ArgumentNullException);
    BOOST_CHECK_THROW(s->EndWrite(nullptr), ArgumentNullException);
    auto read = s->BeginRead(buf, 0, 10, {}, std::string("state"));
    BOOST_TEST(std::any_cast<std::string>(read->AsyncState()) == "state");
    BOOST_CHECK_THROW(s->EndWrite(read), InvalidOperationException);
    BOOST_CHECK_THROW(t->EndRead(read), InvalidOperationException);
    BOOST_CHECK_THROW((end<void(std::exception_ptr, int)>(read)), InvalidOperationException);
    BOOST_TEST(s->EndRead(read) == 10);
    BOOST_CHECK_THROW(s->EndRead(read), InvalidOperationException);
    auto write = s->BeginWrite(buf, 0, 10, {}, {});
    BOOST_CHECK_THROW(s->EndRead(write), InvalidOperationException);
    s->EndWrite(write);
    BOOST_CHECK_THROW(s->EndWrite(write), InvalidOperationException);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(An_already_canceled_token_completes_every_XxxAsync_as_canceled_touching_nothing,
                              Kind, kinds)
{
    Kind kind;
    const bytes data = pattern(100, 5);
    auto s = kind.with(data);
    CancellationTokenSource cts;
    cts.Cancel();
    const auto token = cts.Token();
    bytes buf(10);
    MemoryStream other;
    BOOST_CHECK_THROW(get_within(s->ReadAsync(buf, token, asio::use_future)), OperationCanceledException);
    BOOST_CHECK_THROW(get_within(s->WriteAsync(buf, token, asio::use_future)), OperationCanceledException);
    BOOST_CHECK_THROW(get_within(s->ReadExactlyAsync(buf, token, asio::use_future)), OperationCanceledException);
    BOOST_CHECK_THROW(get_within(s->ReadAtLeastAsync(buf, 1, true, token, asio::use_future)), OperationCanceledException);
    BOOST_CHECK_THROW(get_within(s->CopyToAsync(other, token, asio::use_future)), OperationCanceledException);
    BOOST_CHECK_THROW(get_within(s->FlushAsync(token, asio::use_future)), OperationCanceledException);
    BOOST_TEST(other.Length() == 0);
    BOOST_TEST(kind.written(*s) == data);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(Completions_without_an_executor_run_on_the_stream_executor, Kind, kinds)
{
    Kind kind;
    auto s = kind.with(pattern(100, 5));
    bytes buf(10);
    std::promise<std::thread::id> read_thread, write_thread;
    s->ReadAsync(buf, [&](std::exception_ptr, int) { read_thread.set_value(std::this_thread::get_id()); });
    s->WriteAsync(buf, [&](std::exception_ptr) { write_thread.set_value(std::this_thread::get_id()); });
    BOOST_TEST(get_within(read_thread.get_future()) == shared_context().thread_id());
    BOOST_TEST(get_within(write_thread.get_future()) == shared_context().thread_id());
}

BOOST_AUTO_TEST_CASE_TEMPLATE(CompletedSynchronously_says_whether_the_callback_ran_inside_BeginRead, Kind, kinds)
{
    Kind kind;
    auto s = kind.with(pattern(100, 5));
    bytes buf(10);
    for (int i = 0; i < 5; ++i) {
        bool returned = false;
        // Recorded in the callback, which may run on the stream's thread,
        // and checked here: Boost.Test is not for other threads.
        std::promise<std::pair<bool, bool>> seen;
        auto ar = s->BeginRead(buf, 0, 10, [&](const IAsyncResultPtr& r) {
            seen.set_value({!returned, r->CompletedSynchronously()});
        }, {});
        returned = true;
        const auto [ran_inside, said_synchronously] = get_within(seen.get_future());
        BOOST_TEST(ran_inside == said_synchronously);
        BOOST_TEST(ar->CompletedSynchronously() == said_synchronously);
        BOOST_TEST(s->EndRead(ar) == 10);
    }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(Coroutines_await_every_TAP_member, Kind, kinds)
{
    Kind kind;
    const bytes data = pattern(1000, 11);
    auto s = kind.with(data);
    auto result = asio::co_spawn(
        shared_context().io(),
        [&]() -> asio::awaitable<bytes> {
            bytes first(100), second(200), rest(1000);
            const int n = co_await s->ReadAsync(first, asio::use_awaitable);
            co_await s->ReadExactlyAsync(std::span(first).subspan(static_cast<std::size_t>(n)), asio::use_awaitable);
            co_await s->ReadExactlyAsync(second, asio::use_awaitable);
            const int m = co_await s->ReadAtLeastAsync(rest, 1, false, asio::use_awaitable);
            MemoryStream tail;
            co_await s->CopyToAsync(tail, asio::use_awaitable);
            co_await s->FlushAsync(asio::use_awaitable);
            bytes all = concat(concat(first, second), bytes(rest.begin(), rest.begin() + m));
            co_return concat(all, tail.ToArray());
        },
        asio::use_future);
    BOOST_TEST(get_within(std::move(result)) == data);
    get_within(s->DisposeAsync(asio::use_future));
    BOOST_TEST(!s->CanRead());
}

// End on an unfinished operation, on the only thread that could complete
// it, would wait for ever; it throws instead and leaves the result to be
// ended later. The operation is made unfinished the way each stream allows:
// a FileStream write always goes to its back-end; reads of the others
// complete inside BeginRead until Stream's nesting limit posts one.
BOOST_AUTO_TEST_CASE_TEMPLATE(End_inside_the_completing_strand_or_single_threaded_context_throws_InvalidOperationException,
                              Kind, kinds)
{
    constexpr bool write = std::is_same_v<Kind, file_kind<detail::file_backend::threadpool>> ||
                           std::is_same_v<Kind, file_kind<detail::file_backend::uring>>;
    Kind kind;
    // What the chain of callbacks shares; it outlives the handler that
    // starts it, since the pending operation's callback runs later. The
    // callbacks hold it weakly: the pending result holds its callback, and
    // the chain holds the pending result.
    struct chain {
        std::unique_ptr<Stream> stream;
        bytes buf = bytes(100);
        IAsyncResultPtr pending;
        int depth = 0;
        std::promise<void> done;
        // What the strand saw, checked on the test's thread.
        bool found_pending = false;
        bool end_refused = false;

        void next(const std::shared_ptr<chain>& self, const IAsyncResultPtr& ar)
        {
            if (ar && ar == pending)
                return;
            if (ar)
                write ? stream->EndWrite(ar) : static_cast<void>(stream->EndRead(ar));
            if (pending || ++depth > 50)
                return;
            AsyncCallback callback = [weak = std::weak_ptr<chain>(self)](const IAsyncResultPtr& r) {
                if (auto alive = weak.lock())
                    alive->next(alive, r);
            };
            auto begun = write ? stream->BeginWrite(buf, depth, 1, callback, {})
                               : stream->BeginRead(buf, depth, 1, callback, {});
            if (!begun->IsCompleted())
                pending = begun;
        }
    };
    const auto run_in = [&](Stream::executor_type executor) {
        auto c = std::make_shared<chain>();
        c->stream = kind.with(pattern(100, 5), executor);
        asio::post(executor, [c] {
            c->next(c, nullptr);
            c->found_pending = static_cast<bool>(c->pending);
            if (!c->found_pending)
                return c->done.set_value();
            try {
                write ? c->stream->EndWrite(c->pending) : static_cast<void>(c->stream->EndRead(c->pending));
            } catch (const InvalidOperationException&) {
                c->end_refused = true;
            }
            // Still endable, off this thread, once it has completed.
            std::thread([c] {
                write ? c->stream->EndWrite(c->pending) : static_cast<void>(c->stream->EndRead(c->pending));
                c->done.set_value();
            }).detach();
        });
        BOOST_TEST_REQUIRE((c->done.get_future().wait_for(generous) == std::future_status::ready));
        BOOST_TEST(c->found_pending);
        BOOST_TEST(c->end_refused);
    };
    run_in(asio::make_strand(shared_context().io()));
    asio::io_context single(1);
    auto work = asio::make_work_guard(single);
    std::thread single_thread([&] { single.run(); });
    run_in(single.get_executor());
    work.reset();
    single.stop();
    single_thread.join();
}
