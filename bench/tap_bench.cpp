// The TAP face against raw Asio, in one process run. tools/run-bench runs
// this program pinned to one core (taskset -c 0), for the thread-pool rows.
//
//   tap_co_await_immediate/{dotasync,raw}: a coroutine awaiting, in a loop, an
//     operation that completes at once: Task::FromResult against asio::post,
//     both with use_awaitable. One iteration is one co_await. The raw post
//     suspends the coroutine and queues it, where awaiting FromResult
//     continues at once, so this row compares what a porter writes with the
//     raw Asio code a porter would otherwise write.
//   tap_co_await_ready/raw: the same loop awaiting a raw Asio coroutine that
//     returns at once, which is what awaiting a finished operation costs
//     without dotasync (Task::FromResult and a finished TaskOf are awaited
//     this way, without suspending).
//   tap_co_await_task/dotasync: the same loop awaiting a TaskOf made by the
//     use_task token of an operation that completes at once
//     (Task::FromResult(x, use_task).async_wait(use_awaitable)), against
//     tap_co_await_immediate/raw.
//   tap_co_await_finished_task/dotasync: the same loop awaiting one TaskOf
//     that finished before the loop (t.async_wait(use_awaitable)): what an
//     await of a finished task costs, without making the task.
//   tap_use_future/{dotasync,raw}: Task::Run on an io_context's executor
//     against asio::post(executor, use_future(f)); poll_one and get() on the
//     same thread.
//   tap_use_future_pinned/{dotasync,raw}: the same on the default runtime's
//     executor, whose threads share the one core. Its work runs on those
//     threads while the benchmark's thread waits, so these two rows are
//     timed by the wall clock (UseRealTime).
#include "support/scenario_support.hpp"

#include <dotasync/tap/task.hpp>
#include <dotasync/tap/use_task.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include <benchmark/benchmark.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

namespace asio = boost::asio;
using dotasync::Task;
using dotasync_bench::work;

namespace {

asio::awaitable<void> await_from_result(benchmark::State& state)
{
    int i = 0;
    for (auto _ : state) {
        i = co_await Task::FromResult(i + 1, asio::use_awaitable);
        benchmark::DoNotOptimize(i);
    }
}

asio::awaitable<void> await_task(benchmark::State& state)
{
    int i = 0;
    for (auto _ : state) {
        i = co_await Task::FromResult(i + 1, dotasync::use_task).async_wait(asio::use_awaitable);
        benchmark::DoNotOptimize(i);
    }
}

asio::awaitable<int> ready(int value)
{
    co_return value;
}

asio::awaitable<void> await_ready(benchmark::State& state)
{
    int i = 0;
    for (auto _ : state) {
        i = co_await ready(i + 1);
        benchmark::DoNotOptimize(i);
    }
}

asio::awaitable<void> await_finished_task(benchmark::State& state)
{
    const dotasync::TaskOf<int> finished = Task::FromResult(1, dotasync::use_task);
    int i = 0;
    for (auto _ : state) {
        i += co_await finished.async_wait(asio::use_awaitable);
        benchmark::DoNotOptimize(i);
    }
}

asio::awaitable<void> await_post(benchmark::State& state)
{
    for (auto _ : state)
        co_await asio::post(asio::use_awaitable);
}

template <asio::awaitable<void> (*Loop)(benchmark::State&)>
void co_await_loop(benchmark::State& state)
{
    asio::io_context io;
    asio::co_spawn(io, Loop(state), asio::detached);
    io.run();
}

void tap_use_future_dotasync(benchmark::State& state)
{
    asio::io_context io;
    auto guard = asio::make_work_guard(io);
    const auto ex = io.get_executor();
    int i = 0;
    for (auto _ : state) {
        auto f = Task::Run(ex, [i] { return work(i); }, asio::use_future);
        io.poll_one();
        i = f.get();
    }
    benchmark::DoNotOptimize(i);
}

void tap_use_future_raw(benchmark::State& state)
{
    asio::io_context io;
    auto guard = asio::make_work_guard(io);
    const auto ex = io.get_executor();
    int i = 0;
    for (auto _ : state) {
        auto f = asio::post(ex, asio::use_future([i] { return work(i); }));
        io.poll_one();
        i = f.get();
    }
    benchmark::DoNotOptimize(i);
}

void tap_use_future_pinned_dotasync(benchmark::State& state)
{
    const auto ex = dotasync::ThreadPool::Executor();
    int i = 0;
    for (auto _ : state)
        i = Task::Run(ex, [i] { return work(i); }, asio::use_future).get();
    benchmark::DoNotOptimize(i);
}

void tap_use_future_pinned_raw(benchmark::State& state)
{
    const auto ex = dotasync::ThreadPool::Executor();
    int i = 0;
    for (auto _ : state)
        i = asio::post(ex, asio::use_future([i] { return work(i); })).get();
    benchmark::DoNotOptimize(i);
}

} // namespace

BENCHMARK(co_await_loop<await_from_result>)->Name("tap_co_await_immediate/dotasync");
BENCHMARK(co_await_loop<await_post>)->Name("tap_co_await_immediate/raw");
BENCHMARK(co_await_loop<await_ready>)->Name("tap_co_await_ready/raw");
BENCHMARK(co_await_loop<await_task>)->Name("tap_co_await_task/dotasync");
BENCHMARK(co_await_loop<await_finished_task>)->Name("tap_co_await_finished_task/dotasync");
BENCHMARK(tap_use_future_dotasync)->Name("tap_use_future/dotasync");
BENCHMARK(tap_use_future_raw)->Name("tap_use_future/raw");
BENCHMARK(tap_use_future_pinned_dotasync)->Name("tap_use_future_pinned/dotasync")->UseRealTime();
BENCHMARK(tap_use_future_pinned_raw)->Name("tap_use_future_pinned/raw")->UseRealTime();

BENCHMARK_MAIN();
