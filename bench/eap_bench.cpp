// The EAP face against raw Asio, same thread, in one process run.
//
//   eap_strand/dotasync/N: an EAP class whose XxxAsync starts an operation
//     that completes at once (asio::post) through the eap token, called from
//     a thread whose current SynchronizationContext is a
//     StrandSynchronizationContext; the completion raises an Event with N
//     subscribers on that strand. io_context::poll runs both steps.
//   eap_strand/raw: the same two steps in raw Asio: the operation's handler
//     bound to a strand (asio::bind_executor), so that its completion is
//     posted to the strand.
//   eap_message_loop/dotasync: 256 operations started from a
//     MessageLoopSynchronizationContext, each completing on the default
//     runtime's threads (asio::post to its executor through the eap token);
//     the loop runs until every completion has raised the event on it.
//     Timed by the wall clock; items_per_second counts completions.
//   eap_message_loop/raw: the same hops in raw Asio: 256 handlers bound to
//     an io_context run by the benchmark's thread, posted to the runtime's
//     executor, so that each hops there and back.
//
// Each iteration is one operation. The cost of an extra subscriber is the
// slope between the 1- and 8-subscriber runs.
#include "support/scenario_support.hpp"

#include <dotasync/core/event.hpp>
#include <dotasync/eap/async_completed_event_args.hpp>
#include <dotasync/eap/eap.hpp>
#include <dotasync/threading/message_loop_synchronization_context.hpp>
#include <dotasync/threading/strand_synchronization_context.hpp>
#include <dotasync/threading/synchronization_context.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include <benchmark/benchmark.h>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include <any>
#include <memory>

namespace asio = boost::asio;
using dotasync::AsyncCompletedEventArgs;
using dotasync_bench::current_context_scope;

namespace {

// An EAP class in the shape the README describes, over an operation that
// completes at once.
class Pinger {
public:
    explicit Pinger(asio::io_context::executor_type ex) : ex_(ex) {}

    dotasync::Event<AsyncCompletedEventArgs> PingCompleted;

    void PingAsync(std::any userState)
    {
        asio::post(ex_, dotasync::eap(operations_, std::move(userState),
                                      [this](AsyncCompletedEventArgs e) { PingCompleted.Invoke(this, e); }));
    }

    // The same operation, completing on the default runtime's threads.
    void PingOnPoolAsync(std::any userState)
    {
        asio::post(dotasync::ThreadPool::Executor(),
                   dotasync::eap(operations_, std::move(userState),
                                 [this](AsyncCompletedEventArgs e) { PingCompleted.Invoke(this, e); }));
    }

private:
    asio::io_context::executor_type ex_;
    dotasync::eap_operations operations_;
};

void eap_strand_dotasync(benchmark::State& state)
{
    asio::io_context io;
    auto work = asio::make_work_guard(io);
    current_context_scope scope(std::make_shared<dotasync::StrandSynchronizationContext>(io.get_executor()));
    Pinger pinger(io.get_executor());
    long raised = 0;
    for (auto i = state.range(0); i > 0; --i)
        pinger.PingCompleted += [&raised](const std::any&, const AsyncCompletedEventArgs&) { ++raised; };
    for (auto _ : state) {
        pinger.PingAsync({});
        io.poll();
    }
    if (raised != state.iterations() * state.range(0))
        state.SkipWithError("an event was not raised");
}

void eap_strand_raw(benchmark::State& state)
{
    asio::io_context io;
    auto work = asio::make_work_guard(io);
    const auto strand = asio::make_strand(io);
    long raised = 0;
    for (auto _ : state) {
        asio::post(io, asio::bind_executor(strand, [&raised] { ++raised; }));
        io.poll();
    }
    if (raised != state.iterations())
        state.SkipWithError("a handler did not run");
}

constexpr int batch = 256;

void eap_message_loop_dotasync(benchmark::State& state)
{
    asio::io_context unused;
    Pinger pinger(unused.get_executor());
    long raised = 0;
    pinger.PingCompleted += [&raised](const std::any&, const AsyncCompletedEventArgs&) { ++raised; };
    for (auto _ : state) {
        dotasync::MessageLoopSynchronizationContext::Run([&pinger] {
            for (int i = 0; i < batch; ++i)
                pinger.PingOnPoolAsync(i);
        });
    }
    if (raised != state.iterations() * batch)
        state.SkipWithError("an event was not raised");
    state.SetItemsProcessed(state.iterations() * batch);
}

void eap_message_loop_raw(benchmark::State& state)
{
    const auto pool = dotasync::ThreadPool::Executor();
    long raised = 0;
    for (auto _ : state) {
        asio::io_context loop;
        for (int i = 0; i < batch; ++i)
            asio::post(pool, asio::bind_executor(loop, [&raised] { ++raised; }));
        loop.run();
    }
    if (raised != state.iterations() * batch)
        state.SkipWithError("a handler did not run");
    state.SetItemsProcessed(state.iterations() * batch);
}

} // namespace

BENCHMARK(eap_strand_dotasync)->Name("eap_strand/dotasync")->Arg(1)->Arg(2)->Arg(4)->Arg(8);
BENCHMARK(eap_strand_raw)->Name("eap_strand/raw");
BENCHMARK(eap_message_loop_dotasync)->Name("eap_message_loop/dotasync")->UseRealTime();
BENCHMARK(eap_message_loop_raw)->Name("eap_message_loop/raw")->UseRealTime();

BENCHMARK_MAIN();
