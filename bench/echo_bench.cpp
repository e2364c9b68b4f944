// The networking benchmark: one load client, the echo servers of
// bench/echo_servers.cpp (APM, SocketAsyncEventArgs, TAP and native Asio, in
// one process) and, when given, the same APM server in C# on Mono, all loaded
// in the same run.
//
// The client is plain Asio on one thread pinned to core 0; each server
// process is pinned to core 1 (when the machine has two). A round loads every
// endpoint once, in a new random order, with C connections that each send M
// messages of S bytes one at a time and check every echoed byte; messages/s
// is wall-clock time over the round's messages, and p50/p99 are the round's
// round-trip latencies. The figures are the medians over the rounds, after
// one warm-up round.
//
// usage: echo_bench --servers PATH [--mono-runtime MONO --mono-server EXE]
//                   [--rounds R] [--connections C] [--messages M] [--size S]
//                   [--benchmark_out=FILE]
// Writes the figures to FILE as Google Benchmark JSON (items_per_second,
// p50_us, p99_us) for tools/bench-table, and prints them. Exits 1 when any
// message was lost or corrupted.
#include "../samples/support/server_process.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <sched.h>
#include <string>
#include <vector>

namespace asio = boost::asio;
using clock_type = std::chrono::steady_clock;

namespace {

struct options {
    std::string servers;
    std::string mono_runtime;
    std::string mono_server;
    std::string out;
    int rounds = 5;
    int connections = 50;
    // Rounds of 400 messages per connection (0.15 s) measured connection
    // set-up and the machine's hiccups as much as echoing: their p99 moved
    // by 40% from run to run. 2000 gives rounds of about a second.
    int messages = 2000;
    int size = 64;
};

struct round_result {
    double messages_per_second = 0;
    double p50_us = 0;
    double p99_us = 0;
    long long failed = 0;
};

asio::awaitable<void> client(asio::ip::tcp::endpoint server, const options& o, int id, std::vector<double>& latencies,
                             long long& failed)
{
    int done = 0;
    try {
        asio::ip::tcp::socket socket(co_await asio::this_coro::executor);
        co_await socket.async_connect(server, asio::use_awaitable);
        socket.set_option(asio::ip::tcp::no_delay(true));
        std::vector<std::uint8_t> out(static_cast<std::size_t>(o.size));
        std::vector<std::uint8_t> in(out.size());
        for (; done < o.messages; ++done) {
            for (std::size_t i = 0; i < out.size(); ++i)
                out[i] = static_cast<std::uint8_t>(id * 31 + done * 7 + static_cast<int>(i));
            const auto start = clock_type::now();
            co_await asio::async_write(socket, asio::buffer(out), asio::use_awaitable);
            co_await asio::async_read(socket, asio::buffer(in), asio::use_awaitable);
            latencies.push_back(std::chrono::duration<double, std::micro>(clock_type::now() - start).count());
            if (in != out)
                ++failed;
        }
    } catch (const std::exception& e) {
        std::cerr << "echo_bench: connection " << id << ": " << e.what() << "\n";
    }
    failed += o.messages - done;
}

round_result load(int port, const options& o)
{
    asio::io_context io(1);
    const asio::ip::tcp::endpoint server(asio::ip::address_v4::loopback(), static_cast<unsigned short>(port));
    std::vector<double> latencies;
    latencies.reserve(static_cast<std::size_t>(o.connections * o.messages));
    long long failed = 0;
    for (int c = 0; c < o.connections; ++c)
        asio::co_spawn(io, client(server, o, c, latencies, failed), asio::detached);
    const auto start = clock_type::now();
    io.run();
    const double seconds = std::chrono::duration<double>(clock_type::now() - start).count();
    std::sort(latencies.begin(), latencies.end());
    const auto at = [&](double q) {
        return latencies.empty() ? 0.0 : latencies[static_cast<std::size_t>(q * static_cast<double>(latencies.size() - 1))];
    };
    return {static_cast<double>(latencies.size()) / seconds, at(0.50), at(0.99), failed};
}

void pin(pid_t pid, int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    sched_setaffinity(pid, sizeof set, &set);
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    options o;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
        if (arg == "--servers")
            o.servers = next();
        else if (arg == "--mono-runtime")
            o.mono_runtime = next();
        else if (arg == "--mono-server")
            o.mono_server = next();
        else if (arg == "--rounds")
            o.rounds = std::max(1, std::atoi(next().c_str()));
        else if (arg == "--connections")
            o.connections = std::max(1, std::atoi(next().c_str()));
        else if (arg == "--messages")
            o.messages = std::max(1, std::atoi(next().c_str()));
        else if (arg == "--size")
            o.size = std::clamp(std::atoi(next().c_str()), 1, 4096);
        else if (arg.rfind("--benchmark_out=", 0) == 0)
            o.out = arg.substr(16);
        else if (arg.rfind("--benchmark_", 0) != 0) {
            std::cerr << "echo_bench: unknown argument " << arg << "\n";
            return 2;
        }
    }
    if (o.servers.empty()) {
        std::cerr << "usage: echo_bench --servers PATH [--mono-runtime MONO --mono-server EXE] [--rounds R] "
                     "[--connections C] [--messages M] [--size S] [--benchmark_out=FILE]\n";
        return 2;
    }

    const bool two_cores = sysconf(_SC_NPROCESSORS_ONLN) >= 2;
    if (two_cores)
        pin(0, 0);
    sample::server_process servers(o.servers, {}, {"apm", "saea", "tap", "native"});
    if (!servers.started() || servers.port("native") == 0) {
        std::cerr << "echo_bench: " << o.servers << " did not start\n";
        return 1;
    }
    std::map<std::string, int> ports;
    for (const char* name : {"apm", "saea", "tap", "native"})
        ports[name] = servers.port(name);
    if (two_cores)
        pin(servers.pid(), 1);

    std::optional<sample::server_process> mono;
    if (!o.mono_runtime.empty() && !o.mono_server.empty()) {
        mono.emplace(o.mono_runtime, std::vector<std::string>{o.mono_server}, std::vector<std::string>{"mono"});
        if (mono->started() && mono->port("mono") != 0) {
            ports["mono"] = mono->port("mono");
            if (two_cores)
                pin(mono->pid(), 1);
        } else {
            std::cerr << "echo_bench: the Mono server did not start; its row is left out\n";
        }
    }

    std::vector<std::string> order;
    for (const auto& [name, port] : ports)
        order.push_back(name);
    std::map<std::string, std::vector<round_result>> results;
    std::mt19937 random(12345);
    long long failed = 0;
    for (int round = 0; round <= o.rounds; ++round) {
        std::shuffle(order.begin(), order.end(), random);
        for (const auto& name : order) {
            const auto r = load(ports[name], o);
            failed += r.failed;
            if (round > 0)
                results[name].push_back(r);
        }
    }

    std::string json = "{\n  \"context\": {\"executable\": \"echo_bench\"},\n  \"benchmarks\": [\n";
    bool first = true;
    std::printf("%-8s %12s %10s %10s   (%d connections x %d messages x %d bytes, median of %d rounds)\n", "server",
                "messages/s", "p50 us", "p99 us", o.connections, o.messages, o.size, o.rounds);
    for (const auto& [name, rounds] : results) {
        std::vector<double> rate, p50, p99;
        for (const auto& r : rounds) {
            rate.push_back(r.messages_per_second);
            p50.push_back(r.p50_us);
            p99.push_back(r.p99_us);
        }
        std::printf("%-8s %12.0f %10.0f %10.0f\n", name.c_str(), median(rate), median(p50), median(p99));
        char entry[512];
        std::snprintf(entry, sizeof entry,
                      "%s    {\"name\": \"echo/%s\", \"run_name\": \"echo/%s\", \"run_type\": \"iteration\", "
                      "\"iterations\": %d, \"real_time\": %.3f, \"cpu_time\": %.3f, \"time_unit\": \"us\", "
                      "\"items_per_second\": %.1f, \"p50_us\": %.1f, \"p99_us\": %.1f}",
                      first ? "" : ",\n", name.c_str(), name.c_str(), o.rounds, median(p50), median(p50), median(rate),
                      median(p50), median(p99));
        json += entry;
        first = false;
    }
    json += "\n  ]\n}\n";
    if (!o.out.empty())
        std::ofstream(o.out) << json;

    if (mono)
        mono->stop();
    servers.stop();
    if (failed > 0) {
        std::cerr << "echo_bench: " << failed << " messages lost or corrupted\n";
        return 1;
    }
    return 0;
}
