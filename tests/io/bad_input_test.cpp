// Every bad input to a stream member or to FileStream's constructor, in every
// state of the stream: each gets .NET's exception, thrown by the call itself,
// and leaves nothing behind (no callback, no moved position, no changed
// byte, no descriptor).
#include <dotasync/io/file_stream.hpp>

#include <dotasync/core/cancellation.hpp>
#include <dotasync/core/exceptions.hpp>
#include <dotasync/io/memory_stream.hpp>

#include "io/io_support.hpp"

#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <climits>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <typeindex>
#include <typeinfo>
#include <vector>

namespace asio = boost::asio;
namespace utf = boost::unit_test;
using namespace dotasync;
using namespace dotasync_test;

namespace {

constexpr int sized = 16;

enum class buffer_kind { sized, empty, empty_with_capacity, null_span };
enum class stream_state { read_write, read_only, write_only, closed };

const char* to_string(buffer_kind kind)
{
    switch (kind) {
    case buffer_kind::sized: return "a 16-byte vector";
    case buffer_kind::empty: return "an empty vector";
    case buffer_kind::empty_with_capacity: return "an empty vector with capacity";
    case buffer_kind::null_span: return "a std::span without storage";
    }
    return "?";
}

const char* to_string(stream_state state)
{
    switch (state) {
    case stream_state::read_write: return "read-write";
    case stream_state::read_only: return "read-only";
    case stream_state::write_only: return "write-only";
    case stream_state::closed: return "closed";
    }
    return "?";
}

// What a call threw: its dynamic type (none when it returned) and, for an
// ArgumentException, the parameter it names.
struct outcome {
    std::optional<std::type_index> type;
    std::string param;
};

template <class F>
outcome outcome_of(F call)
{
    try {
        call();
    } catch (const ArgumentException& e) {
        return {typeid(e), e.ParamName()};
    } catch (const Exception& e) {
        return {typeid(e), {}};
    }
    return {};
}

std::size_t size_of(buffer_kind kind)
{
    return kind == buffer_kind::sized ? sized : 0;
}

// What .NET throws, in .NET's order: the buffer, offset, count, their sum,
// then the stream. No type: the call is valid (and, with a count of 0,
// transfers nothing).
outcome expected(buffer_kind kind, int offset, int count, stream_state state, bool reads)
{
    if (kind == buffer_kind::null_span && (offset != 0 || count != 0))
        return {typeid(ArgumentNullException), "buffer"};
    if (offset < 0)
        return {typeid(ArgumentOutOfRangeException), "offset"};
    if (count < 0)
        return {typeid(ArgumentOutOfRangeException), "count"};
    if (static_cast<std::int64_t>(offset) + count > static_cast<std::int64_t>(size_of(kind)))
        return {typeid(ArgumentException), ""};
    if (state == stream_state::closed)
        return {typeid(ObjectDisposedException), ""};
    if (reads ? state == stream_state::write_only : state == stream_state::read_only)
        return {typeid(NotSupportedException), ""};
    return {};
}

// The (offset, count) pairs: negative, INT_MIN, INT_MAX, sums that overflow
// an int, past the end, and the empty ranges that are valid.
const std::pair<int, int> ranges[] = {
    {-1, 1},  {0, -1},        {-1, -1},       {INT_MIN, 0},       {0, INT_MIN}, {INT_MAX, 0},
    {0, INT_MAX}, {INT_MAX, INT_MAX}, {1, INT_MAX}, {INT_MAX, 1}, {17, 0},      {16, 1},
    {8, 9},   {0, 17},        {0, 0},         {16, 0},            {8, 0},       {0, 1},
};

struct member {
    const char* name;
    bool reads;
};

const member members[] = {
    {"Read", true},       {"Write", false},      {"BeginRead", true},
    {"BeginWrite", false}, {"ReadAsync", true},   {"ReadAsync with a token", true},
    {"WriteAsync", false}, {"WriteAsync with a token", false},
};

// Calls f with the buffer of the kind: the container itself, or the
// documented null (a span without storage).
template <class F>
void with_buffer(buffer_kind kind, std::vector<std::uint8_t>& storage, F f)
{
    if (kind == buffer_kind::null_span)
        f(std::span<std::uint8_t>());
    else
        f(storage);
}

// Calls the member; a call that should be refused gets a callback that
// counts (it must never run), and a valid one (a count of 0) is ended here.
template <class B>
void call_member(const member& m, Stream& s, B&& b, int o, int c, bool valid, std::atomic<int>& calls)
{
    const AsyncCallback counting = [&](const IAsyncResultPtr&) { ++calls; };
    const AsyncCallback callback = valid ? AsyncCallback() : counting;
    CancellationTokenSource cts;
    const std::string name = m.name;
    if (name == "Read")
        s.Read(b, o, c);
    else if (name == "Write")
        s.Write(b, o, c);
    else if (name == "BeginRead")
        s.EndRead(s.BeginRead(b, o, c, callback, {}));
    else if (name == "BeginWrite")
        s.EndWrite(s.BeginWrite(b, o, c, callback, {}));
    else if (name == "ReadAsync")
        s.ReadAsync(b, o, c, asio::use_future).get();
    else if (name == "ReadAsync with a token")
        s.ReadAsync(b, o, c, cts.Token(), asio::use_future).get();
    else if (name == "WriteAsync")
        s.WriteAsync(b, o, c, asio::use_future).get();
    else
        s.WriteAsync(b, o, c, cts.Token(), asio::use_future).get();
}

// A stream under test and what must not change.
struct subject {
    std::unique_ptr<Stream> stream;
    std::function<std::vector<std::uint8_t>()> contents;
};

// Runs every member × range × buffer against the stream made by open(state)
// for every state, checking the exception and that nothing changed.
void run_matrix(const std::function<subject(stream_state)>& open, std::initializer_list<stream_state> states)
{
    std::atomic<int> calls{0};
    int cases = 0;
    for (const stream_state state : states) {
        subject s = open(state);
        const auto bytes_before = s.contents();
        std::optional<std::int64_t> position, length;
        if (state != stream_state::closed) {
            position = s.stream->Position();
            length = s.stream->Length();
        }
        const auto descriptors = open_descriptor_count();
        for (const auto& m : members) {
            for (const buffer_kind kind :
                 {buffer_kind::sized, buffer_kind::empty, buffer_kind::empty_with_capacity, buffer_kind::null_span}) {
                for (const auto& [offset, count] : ranges) {
                    std::vector<std::uint8_t> storage(size_of(kind));
                    if (kind == buffer_kind::empty_with_capacity)
                        storage.reserve(64);
                    const outcome want = expected(kind, offset, count, state, m.reads);
                    // A valid call with a count above 0 transfers bytes: not bad input.
                    if (!want.type && count != 0)
                        continue;
                    ++cases;
                    std::ostringstream what;
                    what << m.name << "(" << to_string(kind) << ", " << offset << ", " << count << ") on a "
                         << to_string(state) << " stream";
                    BOOST_TEST_CONTEXT(what.str())
                    {
                        const outcome got = outcome_of([&] {
                            with_buffer(kind, storage, [&](auto&& b) {
                                call_member(m, *s.stream, b, offset, count, !want.type, calls);
                            });
                        });
                        BOOST_TEST((got.type == want.type), "threw " << (got.type ? got.type->name() : "nothing"));
                        BOOST_TEST(got.param == want.param);
                        if (position) {
                            BOOST_TEST(s.stream->Position() == *position);
                            BOOST_TEST(s.stream->Length() == *length);
                        }
                        BOOST_TEST(open_descriptor_count() == descriptors);
                    }
                }
            }
        }
        if (state != stream_state::closed)
            s.stream->Flush();
        BOOST_TEST(s.contents() == bytes_before, boost::test_tools::per_element());
    }
    // Refused calls never start an operation, so their callbacks never run.
    BOOST_TEST(calls.load() == 0);
    BOOST_TEST_MESSAGE(cases << " calls checked");
}

template <detail::file_backend Backend>
void file_stream_matrix()
{
    backend_fixture<Backend> backend;
    temp_dir dir;
    const auto path = dir / "a";
    write_file(path, pattern(100));
    run_matrix(
        [&](stream_state state) {
            const FileAccess access = state == stream_state::read_only    ? FileAccess::Read
                                      : state == stream_state::write_only ? FileAccess::Write
                                                                          : FileAccess::ReadWrite;
            auto fs = std::make_unique<FileStream>(path, FileMode::Open, access, FileShare::ReadWrite);
            fs->SetPosition(10);
            if (state == stream_state::closed)
                fs->Close();
            return subject{std::move(fs), [path] { return read_file(path); }};
        },
        {stream_state::read_write, stream_state::read_only, stream_state::write_only, stream_state::closed});
}

} // namespace

BOOST_AUTO_TEST_CASE(Every_bad_stream_call_on_a_FileStream_with_the_thread_pool_throws_the_dotnet_exception)
{
    file_stream_matrix<detail::file_backend::threadpool>();
}

BOOST_AUTO_TEST_CASE(Every_bad_stream_call_on_a_FileStream_with_io_uring_throws_the_dotnet_exception,
                     *utf::precondition(uring_available))
{
    file_stream_matrix<detail::file_backend::uring>();
}

BOOST_AUTO_TEST_CASE(Every_bad_stream_call_on_a_MemoryStream_throws_the_dotnet_exception)
{
    const auto initial = pattern(100);
    run_matrix(
        [&](stream_state state) {
            auto ms = std::make_unique<MemoryStream>(std::as_bytes(std::span(initial)));
            ms->SetPosition(10);
            MemoryStream* raw = ms.get();
            if (state == stream_state::closed)
                ms->Close();
            return subject{std::move(ms), [raw] { return raw->ToArray(); }};
        },
        {stream_state::read_write, stream_state::closed});
}

// FileStream's constructor: every invalid argument is refused before the file
// system is touched, with .NET's exception and parameter name.
BOOST_AUTO_TEST_CASE(Every_invalid_FileStream_constructor_argument_throws_and_touches_no_file)
{
    temp_dir dir;
    const auto existing = dir / "existing";
    const auto missing = dir / "missing";
    write_file(existing, pattern(100));
    const auto descriptors = open_descriptor_count();
    struct bad_open {
        std::string what;
        std::function<void(const std::filesystem::path&)> open;
        std::type_index type;
        std::string param;
    };
    const auto bad_mode = [](int v) { return static_cast<FileMode>(v); };
    const auto bad_access = [](int v) { return static_cast<FileAccess>(v); };
    const auto bad_share = [](int v) { return static_cast<FileShare>(v); };
    std::vector<bad_open> cases;
    for (int v : {0, 7, -1, INT_MIN, INT_MAX})
        cases.push_back({"FileMode " + std::to_string(v),
                         [=](const auto& p) { FileStream(p, bad_mode(v), FileAccess::ReadWrite); },
                         typeid(ArgumentOutOfRangeException), "mode"});
    for (int v : {0, 4, -1, INT_MIN})
        cases.push_back({"FileAccess " + std::to_string(v),
                         [=](const auto& p) { FileStream(p, FileMode::OpenOrCreate, bad_access(v)); },
                         typeid(ArgumentOutOfRangeException), "access"});
    for (int v : {8, -1, INT_MIN, INT_MAX})
        cases.push_back({"FileShare " + std::to_string(v),
                         [=](const auto& p) { FileStream(p, FileMode::OpenOrCreate, FileAccess::ReadWrite, bad_share(v)); },
                         typeid(ArgumentOutOfRangeException), "share"});
    for (std::uint32_t v : {1u, 0x20000000u, 0xffffffffu})
        cases.push_back({"FileOptions " + std::to_string(v),
                         [=](const auto& p) {
                             FileStream(p, FileMode::OpenOrCreate, FileAccess::ReadWrite, FileShare::Read, 4096,
                                        static_cast<FileOptions>(v));
                         },
                         typeid(ArgumentOutOfRangeException), "options"});
    for (int v : {-1, INT_MIN})
        cases.push_back({"bufferSize " + std::to_string(v),
                         [=](const auto& p) {
                             FileStream(p, FileMode::OpenOrCreate, FileAccess::ReadWrite, FileShare::Read, v);
                         },
                         typeid(ArgumentOutOfRangeException), "bufferSize"});
    for (FileMode mode : {FileMode::Create, FileMode::CreateNew, FileMode::Truncate, FileMode::Append})
        cases.push_back({"FileAccess::Read with FileMode " + std::to_string(static_cast<int>(mode)),
                         [=](const auto& p) { FileStream(p, mode, FileAccess::Read); }, typeid(ArgumentException),
                         "access"});
    cases.push_back({"FileMode::Append with FileAccess::ReadWrite",
                     [](const auto& p) { FileStream(p, FileMode::Append, FileAccess::ReadWrite); },
                     typeid(ArgumentException), "access"});
    cases.push_back({"an empty path", [](const auto&) { FileStream(std::filesystem::path(), FileMode::Create); },
                     typeid(ArgumentException), "path"});
    cases.push_back({"a path with a NUL",
                     [](const auto& p) { FileStream(p.string() + std::string("\0x", 2), FileMode::Create); },
                     typeid(ArgumentException), "path"});
    cases.push_back({"an empty executor",
                     [](const auto& p) { FileStream(asio::any_io_executor(), p, FileMode::Create); },
                     typeid(ArgumentNullException), "executor"});

    for (const auto& c : cases) {
        for (const auto& path : {existing, missing}) {
            BOOST_TEST_CONTEXT(c.what << " on " << path.filename())
            {
                const outcome got = outcome_of([&] { c.open(path); });
                BOOST_TEST((got.type == c.type), "threw " << (got.type ? got.type->name() : "nothing"));
                BOOST_TEST(got.param == c.param);
                BOOST_TEST(!std::filesystem::exists(missing));
                BOOST_TEST(read_file(existing) == pattern(100), boost::test_tools::per_element());
                BOOST_TEST(open_descriptor_count() == descriptors);
            }
        }
    }
}
