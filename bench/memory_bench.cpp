// Heap use of each face against raw Asio, counted rather than timed: this
// program links bench/support/heap_counter.cpp, which counts every operator
// new and aligned_alloc (where Asio takes its handler memory from).
//
// Memory per pending operation (bytes allocated while N operations are
// pending, divided by N; the objects they wait on exist beforehand):
//   mem_apm_timer/{dotasync,raw}: steady_timer::async_wait with the apm token
//     (no callback, no wait handle asked for) against a plain handler.
//   mem_eap_timer/{dotasync,raw}: async_wait through the eap token with a
//     table and a userState per operation, started under a
//     StrandSynchronizationContext, against a handler bound to a strand.
//   mem_cancellation_registration/dotasync: CancellationToken::Register with
//     a callback that fits std::function's small buffer.
//   mem_pending_task/dotasync: a steady_timer wait started with use_task (its
//     int value appended), held as a TaskOf<int>, against mem_apm_timer/raw.
//   mem_idle_connection/{dotasync,raw}: an accepted loopback connection made
//     a Socket (Socket::Adopt) with a pending BeginReceive whose state is the
//     socket, against the tcp::socket moved into a shared_ptr with a pending
//     async_read_some whose handler holds it. The connections and their
//     receive buffers exist beforehand; both sides count the object that
//     keeps the connection and its pending receive.
//
// Heap allocations per completed operation, after a warm-up that fills
// Asio's per-thread recycling caches, on one thread:
//   allocs_apm_immediate/{dotasync,raw}: asio::post with apm + poll_one +
//     end, against post of a handler + poll_one.
//   allocs_delegate/{dotasync,raw}: Delegate::BeginInvoke + poll_one +
//     EndInvoke on an io_context, against post(use_future(f)) + poll_one + get.
//   allocs_tap_co_await/{dotasync,raw}: co_await Task::FromResult against
//     co_await asio::post.
//   allocs_tap_use_future/{dotasync,raw}: Task::Run(use_future) against
//     post(use_future(f)), each with poll_one and get.
//   allocs_eap_strand/{dotasync,raw}: the eap_strand scenario of eap_bench
//     with one subscriber, against post of a handler bound to a strand.
//   allocs_eap_message_loop/{dotasync,raw}: the eap_message_loop scenario of
//     eap_bench: one MessageLoopSynchronizationContext::Run starting 1000
//     operations that complete on the default runtime's threads, less a Run
//     that starts none, per operation; against handlers bound to an
//     io_context, posted to the runtime's executor and run by that
//     io_context.
//
// Results are the counters bytes_per_op and allocs_per_op.
#include "support/heap_counter.hpp"
#include "support/scenario_support.hpp"

#include <dotasync/apm/delegate.hpp>
#include <dotasync/core/apm_token.hpp>
#include <dotasync/core/cancellation.hpp>
#include <dotasync/core/event.hpp>
#include <dotasync/core/exceptions.hpp>
#include <dotasync/eap/eap.hpp>
#include <dotasync/net/socket.hpp>
#include <dotasync/tap/task.hpp>
#include <dotasync/tap/task_of.hpp>
#include <dotasync/tap/use_task.hpp>
#include <dotasync/threading/message_loop_synchronization_context.hpp>
#include <dotasync/threading/strand_synchronization_context.hpp>
#include <dotasync/threading/synchronization_context.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include <benchmark/benchmark.h>

#include <boost/asio/append.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <any>
#include <chrono>
#include <memory>
#include <vector>

namespace asio = boost::asio;
using dotasync_bench::current_context_scope;
using dotasync_bench::heap_scope;
using dotasync_bench::heap_totals;
using dotasync_bench::work;

namespace {

constexpr int pending = 1000;
constexpr int warm_up = 100;
constexpr int completed = 1000;

void report(benchmark::State& state, heap_totals taken, int operations)
{
    state.counters["bytes_per_op"] = static_cast<double>(taken.bytes) / operations;
    state.counters["allocs_per_op"] = static_cast<double>(taken.allocations) / operations;
}

std::vector<asio::steady_timer> make_timers(asio::io_context& io)
{
    std::vector<asio::steady_timer> timers;
    timers.reserve(pending);
    for (int i = 0; i < pending; ++i)
        timers.emplace_back(io, std::chrono::hours(1));
    return timers;
}

void cancel_all(std::vector<asio::steady_timer>& timers)
{
    for (auto& t : timers)
        t.cancel();
}

void mem_apm_timer_dotasync(benchmark::State& state)
{
    for (auto _ : state) {
        asio::io_context io;
        auto timers = make_timers(io);
        std::vector<dotasync::IAsyncResultPtr> results;
        results.reserve(pending);
        heap_scope scope;
        for (auto& t : timers)
            results.push_back(t.async_wait(dotasync::apm()));
        report(state, scope.taken(), pending);
        cancel_all(timers);
        io.run();
        // Ending each result observes its cancellation, which would otherwise
        // be logged as an unobserved failure.
        for (const auto& ar : results) {
            try {
                dotasync::end<void(boost::system::error_code)>(ar);
            } catch (const dotasync::OperationCanceledException&) {
            }
        }
    }
}

void mem_apm_timer_raw(benchmark::State& state)
{
    for (auto _ : state) {
        asio::io_context io;
        auto timers = make_timers(io);
        int done = 0;
        heap_scope scope;
        for (auto& t : timers)
            t.async_wait([&done](boost::system::error_code) { ++done; });
        report(state, scope.taken(), pending);
        cancel_all(timers);
        io.run();
    }
}

void mem_pending_task_dotasync(benchmark::State& state)
{
    for (auto _ : state) {
        asio::io_context io;
        auto timers = make_timers(io);
        std::vector<dotasync::TaskOf<int>> tasks;
        tasks.reserve(pending);
        heap_scope scope;
        for (auto& t : timers)
            tasks.push_back(t.async_wait(asio::append(dotasync::use_task, 1)));
        report(state, scope.taken(), pending);
        cancel_all(timers);
        io.run();
    }
}

void mem_eap_timer_dotasync(benchmark::State& state)
{
    for (auto _ : state) {
        asio::io_context io;
        auto timers = make_timers(io);
        current_context_scope context(std::make_shared<dotasync::StrandSynchronizationContext>(io.get_executor()));
        int done = 0;
        {
            dotasync::eap_operations operations;
            heap_scope scope;
            for (int i = 0; i < pending; ++i)
                timers[i].async_wait(
                    dotasync::eap(operations, i, [&done](dotasync::AsyncCompletedEventArgs) { ++done; }));
            report(state, scope.taken(), pending);
            cancel_all(timers);
            io.run();
        }
    }
}

void mem_eap_timer_raw(benchmark::State& state)
{
    for (auto _ : state) {
        asio::io_context io;
        auto timers = make_timers(io);
        const auto strand = asio::make_strand(io);
        int done = 0;
        heap_scope scope;
        for (auto& t : timers)
            t.async_wait(asio::bind_executor(strand, [&done](boost::system::error_code) { ++done; }));
        report(state, scope.taken(), pending);
        cancel_all(timers);
        io.run();
    }
}

void mem_cancellation_registration(benchmark::State& state)
{
    for (auto _ : state) {
        dotasync::CancellationTokenSource cts;
        const auto token = cts.Token();
        std::vector<dotasync::CancellationTokenRegistration> registrations;
        registrations.reserve(pending);
        int called = 0;
        heap_scope scope;
        for (int i = 0; i < pending; ++i)
            registrations.push_back(token.Register([&called] { ++called; }));
        report(state, scope.taken(), pending);
    }
}

// Runs op warm_up times, then counts what completed more runs allocate.
template <class Op>
void count_per_operation(benchmark::State& state, Op op)
{
    for (auto _ : state) {
        for (int i = 0; i < warm_up; ++i)
            op();
        heap_scope scope;
        for (int i = 0; i < completed; ++i)
            op();
        report(state, scope.taken(), completed);
    }
}

void allocs_apm_immediate_dotasync(benchmark::State& state)
{
    asio::io_context io;
    auto guard = asio::make_work_guard(io);
    count_per_operation(state, [&io] {
        auto ar = asio::post(io, dotasync::apm());
        io.poll_one();
        dotasync::end<void()>(ar);
    });
}

void allocs_apm_immediate_raw(benchmark::State& state)
{
    asio::io_context io;
    auto guard = asio::make_work_guard(io);
    int done = 0;
    count_per_operation(state, [&io, &done] {
        asio::post(io, [&done] { ++done; });
        io.poll_one();
    });
}

void allocs_delegate_dotasync(benchmark::State& state)
{
    asio::io_context io;
    auto guard = asio::make_work_guard(io);
    const dotasync::Delegate<int(int)> d(io.get_executor(), &work);
    count_per_operation(state, [&io, &d] {
        auto ar = d.BeginInvoke(1, {}, {});
        io.poll_one();
        benchmark::DoNotOptimize(d.EndInvoke(ar));
    });
}

void allocs_delegate_raw(benchmark::State& state)
{
    asio::io_context io;
    auto guard = asio::make_work_guard(io);
    count_per_operation(state, [&io] {
        auto f = asio::post(io, asio::use_future([] { return work(1); }));
        io.poll_one();
        benchmark::DoNotOptimize(f.get());
    });
}

asio::awaitable<void> await_from_result(benchmark::State& state)
{
    for (int i = 0; i < warm_up; ++i)
        co_await dotasync::Task::FromResult(i, asio::use_awaitable);
    heap_scope scope;
    for (int i = 0; i < completed; ++i)
        co_await dotasync::Task::FromResult(i, asio::use_awaitable);
    report(state, scope.taken(), completed);
}

asio::awaitable<void> await_post(benchmark::State& state)
{
    for (int i = 0; i < warm_up; ++i)
        co_await asio::post(asio::use_awaitable);
    heap_scope scope;
    for (int i = 0; i < completed; ++i)
        co_await asio::post(asio::use_awaitable);
    report(state, scope.taken(), completed);
}

template <asio::awaitable<void> (*Loop)(benchmark::State&)>
void allocs_co_await(benchmark::State& state)
{
    for (auto _ : state) {
        asio::io_context io;
        asio::co_spawn(io, Loop(state), asio::detached);
        io.run();
    }
}

void allocs_tap_use_future_dotasync(benchmark::State& state)
{
    asio::io_context io;
    auto guard = asio::make_work_guard(io);
    const auto ex = io.get_executor();
    count_per_operation(state, [&io, &ex] {
        auto f = dotasync::Task::Run(ex, [] { return work(1); }, asio::use_future);
        io.poll_one();
        benchmark::DoNotOptimize(f.get());
    });
}

void allocs_tap_use_future_raw(benchmark::State& state)
{
    asio::io_context io;
    auto guard = asio::make_work_guard(io);
    const auto ex = io.get_executor();
    count_per_operation(state, [&io, &ex] {
        auto f = asio::post(ex, asio::use_future([] { return work(1); }));
        io.poll_one();
        benchmark::DoNotOptimize(f.get());
    });
}

void allocs_eap_strand_dotasync(benchmark::State& state)
{
    asio::io_context io;
    auto guard = asio::make_work_guard(io);
    current_context_scope context(std::make_shared<dotasync::StrandSynchronizationContext>(io.get_executor()));
    dotasync::eap_operations operations;
    dotasync::Event<dotasync::AsyncCompletedEventArgs> completed;
    int raised = 0;
    completed += [&raised](const std::any&, const dotasync::AsyncCompletedEventArgs&) { ++raised; };
    count_per_operation(state, [&] {
        asio::post(io, dotasync::eap(operations, std::any(), [&completed](dotasync::AsyncCompletedEventArgs e) {
                       completed.Invoke(&completed, e);
                   }));
        io.poll();
    });
}

// What runs(n) allocates per operation beyond what runs(0) allocates, for
// scenarios that pay a fixed cost per run (a message loop, an io_context).
template <class Runs>
void count_per_operation_in_runs(benchmark::State& state, Runs runs)
{
    for (auto _ : state) {
        runs(warm_up);
        heap_scope fixed_scope;
        runs(0);
        const heap_totals fixed = fixed_scope.taken();
        heap_scope scope;
        runs(completed);
        const heap_totals taken = scope.taken();
        report(state, {taken.allocations - fixed.allocations, taken.bytes - fixed.bytes}, completed);
    }
}

void allocs_eap_message_loop_dotasync(benchmark::State& state)
{
    const auto pool = dotasync::ThreadPool::Executor();
    dotasync::eap_operations operations;
    dotasync::Event<dotasync::AsyncCompletedEventArgs> ping_completed;
    long raised = 0;
    ping_completed += [&raised](const std::any&, const dotasync::AsyncCompletedEventArgs&) { ++raised; };
    count_per_operation_in_runs(state, [&](int n) {
        dotasync::MessageLoopSynchronizationContext::Run([&] {
            for (int i = 0; i < n; ++i)
                asio::post(pool, dotasync::eap(operations, std::any(i),
                                               [&ping_completed](dotasync::AsyncCompletedEventArgs e) {
                                                   ping_completed.Invoke(&ping_completed, e);
                                               }));
        });
    });
    if (raised != state.iterations() * (warm_up + completed))
        state.SkipWithError("an event was not raised");
}

void allocs_eap_message_loop_raw(benchmark::State& state)
{
    const auto pool = dotasync::ThreadPool::Executor();
    long raised = 0;
    count_per_operation_in_runs(state, [&](int n) {
        asio::io_context loop;
        for (int i = 0; i < n; ++i)
            asio::post(pool, asio::bind_executor(loop, [&raised] { ++raised; }));
        loop.run();
    });
}

void allocs_eap_strand_raw(benchmark::State& state)
{
    asio::io_context io;
    auto guard = asio::make_work_guard(io);
    const auto strand = asio::make_strand(io);
    int raised = 0;
    count_per_operation(state, [&] {
        asio::post(io, asio::bind_executor(strand, [&raised] { ++raised; }));
        io.poll();
    });
}

// Idle connections: loopback pairs whose server ends are handed to a
// scenario, and whose client ends stay open so that nothing arrives.
constexpr int idle_connections = 200;
constexpr std::size_t idle_buffer = 4096;

struct loopback_pairs {
    explicit loopback_pairs(asio::io_context& io)
    {
        using asio::ip::tcp;
        tcp::acceptor acceptor(io, {asio::ip::address_v4::loopback(), 0});
        for (int i = 0; i < idle_connections; ++i) {
            clients.emplace_back(io).connect(acceptor.local_endpoint());
            servers.push_back(acceptor.accept());
            buffers.emplace_back(idle_buffer);
        }
    }

    std::vector<asio::ip::tcp::socket> clients;
    std::vector<asio::ip::tcp::socket> servers;
    std::vector<std::vector<std::uint8_t>> buffers;
};

void mem_idle_connection_dotasync(benchmark::State& state)
{
    for (auto _ : state) {
        asio::io_context io;
        loopback_pairs pairs(io);
        std::vector<dotasync::SocketPtr> sockets;
        sockets.reserve(idle_connections);
        heap_scope scope;
        for (int i = 0; i < idle_connections; ++i) {
            auto socket = dotasync::Socket::Adopt(std::move(pairs.servers[static_cast<std::size_t>(i)]));
            socket->BeginReceive(pairs.buffers[static_cast<std::size_t>(i)], 0, static_cast<int>(idle_buffer),
                                 dotasync::SocketFlags::None,
                                 [](const dotasync::IAsyncResultPtr& ar) {
                                     try {
                                         std::any_cast<dotasync::SocketPtr>(ar->AsyncState())->EndReceive(ar);
                                     } catch (const dotasync::ObjectDisposedException&) {
                                     }
                                 },
                                 socket);
            sockets.push_back(std::move(socket));
        }
        report(state, scope.taken(), idle_connections);
        for (auto& socket : sockets)
            socket->Close();
        io.run();
    }
}

void mem_idle_connection_raw(benchmark::State& state)
{
    for (auto _ : state) {
        asio::io_context io;
        loopback_pairs pairs(io);
        std::vector<std::shared_ptr<asio::ip::tcp::socket>> sockets;
        sockets.reserve(idle_connections);
        heap_scope scope;
        for (int i = 0; i < idle_connections; ++i) {
            auto socket = std::make_shared<asio::ip::tcp::socket>(std::move(pairs.servers[static_cast<std::size_t>(i)]));
            socket->async_read_some(asio::buffer(pairs.buffers[static_cast<std::size_t>(i)]),
                                    [socket](boost::system::error_code, std::size_t) {});
            sockets.push_back(std::move(socket));
        }
        report(state, scope.taken(), idle_connections);
        for (auto& socket : sockets)
            socket->close();
        io.run();
    }
}

} // namespace

// Counts do not vary between runs, so each benchmark runs once.
#define COUNTED(function, name) BENCHMARK(function)->Name(name)->Iterations(1)

COUNTED(mem_apm_timer_dotasync, "mem_apm_timer/dotasync");
COUNTED(mem_apm_timer_raw, "mem_apm_timer/raw");
COUNTED(mem_pending_task_dotasync, "mem_pending_task/dotasync");
COUNTED(mem_eap_timer_dotasync, "mem_eap_timer/dotasync");
COUNTED(mem_eap_timer_raw, "mem_eap_timer/raw");
COUNTED(mem_cancellation_registration, "mem_cancellation_registration/dotasync");
COUNTED(mem_idle_connection_dotasync, "mem_idle_connection/dotasync");
COUNTED(mem_idle_connection_raw, "mem_idle_connection/raw");
COUNTED(allocs_apm_immediate_dotasync, "allocs_apm_immediate/dotasync");
COUNTED(allocs_apm_immediate_raw, "allocs_apm_immediate/raw");
COUNTED(allocs_delegate_dotasync, "allocs_delegate/dotasync");
COUNTED(allocs_delegate_raw, "allocs_delegate/raw");
COUNTED(allocs_co_await<await_from_result>, "allocs_tap_co_await/dotasync");
COUNTED(allocs_co_await<await_post>, "allocs_tap_co_await/raw");
COUNTED(allocs_tap_use_future_dotasync, "allocs_tap_use_future/dotasync");
COUNTED(allocs_tap_use_future_raw, "allocs_tap_use_future/raw");
COUNTED(allocs_eap_strand_dotasync, "allocs_eap_strand/dotasync");
COUNTED(allocs_eap_strand_raw, "allocs_eap_strand/raw");
COUNTED(allocs_eap_message_loop_dotasync, "allocs_eap_message_loop/dotasync");
COUNTED(allocs_eap_message_loop_raw, "allocs_eap_message_loop/raw");

BENCHMARK_MAIN();
