#include <dotasync/io/file_stream.hpp>

#include <dotasync/core/exceptions.hpp>
#include <dotasync/io/file.hpp>
#include <dotasync/io/memory_stream.hpp>
#include <dotasync/tap/task_factory.hpp>

#include "io/io_support.hpp"

#include "core/detail/cancellation_state.hpp"
#include "io/detail/blocking_io_pool.hpp"
#include "support/waiting.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <boost/test/unit_test.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

namespace asio = boost::asio;
namespace utf = boost::unit_test;
using namespace dotasync;
using namespace dotasync_test;
using namespace dotasync_test;

namespace {

constexpr std::size_t big_size = 64u << 20;

// The 64 MiB file is written once per test program and shared by both
// back-ends' suites; the directory goes at exit.
struct big_file {
    static big_file& instance()
    {
        static big_file file;
        return file;
    }
    temp_dir dir;
    std::filesystem::path path = dir / "big.bin";
    std::uint64_t sum;

private:
    big_file()
    {
        const auto bytes = pattern(big_size, 64);
        write_file(path, bytes);
        sum = checksum(bytes.data(), bytes.size());
    }
};

// What async_read_some completed with, waited for with a time limit.
std::pair<boost::system::error_code, std::size_t> read_some_outcome(Stream& stream, std::vector<std::uint8_t>& buf)
{
    std::promise<std::pair<boost::system::error_code, std::size_t>> outcome;
    auto f = outcome.get_future();
    stream.async_read_some(asio::buffer(buf),
                           [&](boost::system::error_code ec, std::size_t n) { outcome.set_value({ec, n}); });
    return get_within(f);
}

// Keeps every thread of the thread-pool back-end busy until release() (or
// destruction), so that a thread-pool operation started meanwhile stays
// queued: cancelling it then catches it before its system call.
class blocking_io_hold {
public:
    blocking_io_hold()
    {
        const auto count = detail::blocking_io_threads;
        for (std::size_t i = 0; i < count; ++i)
            asio::post(detail::blocking_io_pool(), [state = state_] {
                {
                    std::lock_guard lock(state->mutex);
                    ++state->holding;
                }
                state->changed.notify_all();
                std::unique_lock lock(state->mutex);
                state->changed.wait_for(lock, generous, [&] { return state->released; });
            });
        std::unique_lock lock(state_->mutex);
        BOOST_REQUIRE(state_->changed.wait_for(lock, generous, [&] { return state_->holding == count; }));
    }
    ~blocking_io_hold() { release(); }
    blocking_io_hold(const blocking_io_hold&) = delete;
    blocking_io_hold& operator=(const blocking_io_hold&) = delete;

    void release()
    {
        {
            std::lock_guard lock(state_->mutex);
            state_->released = true;
        }
        state_->changed.notify_all();
    }

private:
    struct state {
        std::mutex mutex;
        std::condition_variable changed;
        std::size_t holding = 0;
        bool released = false;
    };
    std::shared_ptr<state> state_ = std::make_shared<state>();
};

bool uses_thread_pool()
{
    return detail::current_file_backend() == detail::file_backend::threadpool;
}

bool is_root()
{
    return ::geteuid() == 0;
}

boost::test_tools::assertion_result not_root(utf::test_unit_id)
{
    boost::test_tools::assertion_result r(!is_root());
    if (!r)
        r.message() << "running as root, which file permissions do not restrict";
    return r;
}

} // namespace

BOOST_AUTO_TEST_SUITE(threadpool_backend, *utf::fixture<backend_fixture<detail::file_backend::threadpool>>())
#include "io/file_stream_cases.ipp"
BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(uring_backend,
                      *utf::precondition(uring_available) *
                          utf::fixture<backend_fixture<detail::file_backend::uring>>())
#include "io/file_stream_cases.ipp"
BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(The_useAsync_constructor_opens_as_dotnet_samples_do_and_reports_IsAsync)
{
    temp_dir dir;
    const auto bytes = pattern(1000);
    write_file(dir / "a", bytes);
    FileStream sync(dir / "a", FileMode::Open, FileAccess::Read, FileShare::Read, 4096, false);
    FileStream async(dir / "a", FileMode::Open, FileAccess::Read, FileShare::Read, 4096, true);
    BOOST_TEST(!sync.IsAsync());
    BOOST_TEST(async.IsAsync());
    std::vector<std::uint8_t> a(1000), b(1000);
    BOOST_TEST(sync.EndRead(sync.BeginRead(a, 0, 1000, {}, {})) == 1000);
    BOOST_TEST(async.ReadAsync(b, asio::use_future).get() == 1000);
    BOOST_TEST(a == bytes);
    BOOST_TEST(b == bytes);
    BOOST_CHECK_THROW(FileStream(dir / "a", FileMode::Open, FileAccess::Read, FileShare::Read, -1, true),
                      ArgumentOutOfRangeException);
}

BOOST_AUTO_TEST_CASE(FromAsync_takes_FileStream_members_with_the_stream)
{
    temp_dir dir;
    const auto bytes = pattern(100);
    write_file(dir / "a", bytes);
    FileStream fs(dir / "a", FileMode::Open);
    std::vector<std::uint8_t> buffer(100);
    BOOST_TEST(TaskFactory::FromAsync(&FileStream::BeginRead, &FileStream::EndRead, fs, buffer, 0, 100,
                                      asio::use_future)
                   .get() == 100);
    BOOST_TEST(buffer == bytes);
}
