// Delegate::BeginInvoke/EndInvoke against raw Asio on the same executor (the
// default runtime's io_context and its threads). tools/run-bench runs this
// program pinned to one core (taskset -c 0): waking a thread on another core
// costs tens of microseconds on the machines this was written for and varies
// too much to compare.
//
//   delegate_roundtrip/{dotasync,raw}: one call and its wait, BeginInvoke then
//     EndInvoke, against asio::post(executor, asio::use_future(f)).get().
//   delegate_stream/{dotasync,raw,std_async}: a batch of calls started one
//     after the other and then waited for: BeginInvoke each then EndInvoke
//     each, against asio::post of each call with a countdown, and against
//     std::async. Throughput is items_per_second.
//
// The calls run on the runtime's threads while the benchmark's own thread
// sleeps in EndInvoke or get(), so every row is timed by the wall clock
// (UseRealTime): CPU time of the waiting thread would leave out the work.
#include "support/scenario_support.hpp"

#include <dotasync/apm/delegate.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include <benchmark/benchmark.h>

#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>

#include <atomic>
#include <future>
#include <vector>

namespace asio = boost::asio;
using dotasync_bench::work;

namespace {

constexpr int batch = 256;
// std::async makes one thread per call, so a smaller batch keeps a run short.
constexpr int async_batch = 32;

void delegate_roundtrip_dotasync(benchmark::State& state)
{
    const dotasync::Delegate<int(int)> d(dotasync::ThreadPool::Executor(), &work);
    int i = 0;
    for (auto _ : state) {
        i = d.EndInvoke(d.BeginInvoke(i, {}, {}));
        benchmark::DoNotOptimize(i);
    }
}

void delegate_roundtrip_raw(benchmark::State& state)
{
    const auto ex = dotasync::ThreadPool::Executor();
    int i = 0;
    for (auto _ : state) {
        i = asio::post(ex, asio::use_future([i] { return work(i); })).get();
        benchmark::DoNotOptimize(i);
    }
}

void delegate_stream_dotasync(benchmark::State& state)
{
    const dotasync::Delegate<int(int)> d(dotasync::ThreadPool::Executor(), &work);
    std::vector<dotasync::IAsyncResultPtr> pending;
    pending.reserve(batch);
    for (auto _ : state) {
        for (int i = 0; i < batch; ++i)
            pending.push_back(d.BeginInvoke(i, {}, {}));
        for (const auto& ar : pending)
            benchmark::DoNotOptimize(d.EndInvoke(ar));
        pending.clear();
    }
    state.SetItemsProcessed(state.iterations() * batch);
}

void delegate_stream_raw(benchmark::State& state)
{
    const auto ex = dotasync::ThreadPool::Executor();
    std::atomic<int> remaining{0};
    std::vector<int> results(batch);
    for (auto _ : state) {
        remaining.store(batch, std::memory_order_relaxed);
        for (int i = 0; i < batch; ++i)
            asio::post(ex, [&remaining, &results, i] {
                results[i] = work(i);
                if (remaining.fetch_sub(1, std::memory_order_acq_rel) == 1)
                    remaining.notify_one();
            });
        for (int left = remaining.load(std::memory_order_acquire); left != 0;
             left = remaining.load(std::memory_order_acquire))
            remaining.wait(left, std::memory_order_acquire);
        benchmark::DoNotOptimize(results.data());
    }
    state.SetItemsProcessed(state.iterations() * batch);
}

void delegate_stream_std_async(benchmark::State& state)
{
    std::vector<std::future<int>> pending;
    pending.reserve(async_batch);
    for (auto _ : state) {
        for (int i = 0; i < async_batch; ++i)
            pending.push_back(std::async(std::launch::async, &work, i));
        for (auto& f : pending)
            benchmark::DoNotOptimize(f.get());
        pending.clear();
    }
    state.SetItemsProcessed(state.iterations() * async_batch);
}

} // namespace

BENCHMARK(delegate_roundtrip_dotasync)->Name("delegate_roundtrip/dotasync")->UseRealTime();
BENCHMARK(delegate_roundtrip_raw)->Name("delegate_roundtrip/raw")->UseRealTime();
BENCHMARK(delegate_stream_dotasync)->Name("delegate_stream/dotasync")->UseRealTime();
BENCHMARK(delegate_stream_raw)->Name("delegate_stream/raw")->UseRealTime();
BENCHMARK(delegate_stream_std_async)->Name("delegate_stream/std_async")->UseRealTime();

BENCHMARK_MAIN();
