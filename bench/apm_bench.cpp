// The APM face against raw Asio, same thread, in one process run.
//
//   apm_immediate/{dotasync,raw}: an operation that completes at once
//     (asio::post), run by io_context::poll_one on the calling thread; the
//     dotasync side starts it with the apm token and ends it with end<>().
//   apm_callback_loop/{dotasync,raw}: a chain where each completion starts
//     the next operation: the AsyncCallback ends the result and begins again,
//     against a handler that re-posts itself.
//
// Each iteration is one operation, so the reported time is per operation.
#include <dotasync/core/apm_token.hpp>

#include <benchmark/benchmark.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

namespace asio = boost::asio;

namespace {

void apm_immediate_dotasync(benchmark::State& state)
{
    asio::io_context io;
    auto work = asio::make_work_guard(io);
    const auto ex = io.get_executor();
    for (auto _ : state) {
        auto ar = asio::post(ex, dotasync::apm());
        io.poll_one();
        dotasync::end<void()>(ar);
    }
}

void apm_immediate_raw(benchmark::State& state)
{
    asio::io_context io;
    auto work = asio::make_work_guard(io);
    const auto ex = io.get_executor();
    bool done = false;
    for (auto _ : state) {
        asio::post(ex, [&done] { done = true; });
        io.poll_one();
        benchmark::DoNotOptimize(done);
    }
}

// What the callback of the loop needs, behind one pointer so that the
// AsyncCallback stays within std::function's small-object buffer.
struct apm_loop {
    asio::io_context::executor_type ex;
    benchmark::State& state;

    void begin()
    {
        asio::post(ex, dotasync::apm([this](const dotasync::IAsyncResultPtr& ar) {
            dotasync::end<void()>(ar);
            if (state.KeepRunning())
                begin();
        }));
    }
};

void apm_callback_loop_dotasync(benchmark::State& state)
{
    asio::io_context io;
    apm_loop loop{io.get_executor(), state};
    loop.begin();
    io.run();
}

struct raw_loop {
    asio::io_context::executor_type ex;
    benchmark::State* state;

    void operator()() const
    {
        if (state->KeepRunning())
            asio::post(ex, *this);
    }
};

void apm_callback_loop_raw(benchmark::State& state)
{
    asio::io_context io;
    asio::post(io, raw_loop{io.get_executor(), &state});
    io.run();
}

} // namespace

BENCHMARK(apm_immediate_dotasync)->Name("apm_immediate/dotasync");
BENCHMARK(apm_immediate_raw)->Name("apm_immediate/raw");
BENCHMARK(apm_callback_loop_dotasync)->Name("apm_callback_loop/dotasync");
BENCHMARK(apm_callback_loop_raw)->Name("apm_callback_loop/raw");

BENCHMARK_MAIN();
