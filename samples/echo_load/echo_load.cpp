// Load for an echo server: N connections, each sending M messages of S bytes
// ("...<EOF>"-terminated) one at a time and checking every echoed byte.
// Prints messages/s, p50/p99/max round-trip latency and the lost and
// corrupted counts; exits non-zero when anything was lost or corrupted.
//
// Usage: echo_load --port P [--connections N] [--messages M] [--size S]
//        echo_load --server PATH [...]   starts PATH (legacy_echo_server),
//                                        loads both of its endpoints, stops it
#include <dotasync/dotasync.hpp>

#include "../support/server_process.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <algorithm>
#include <cstdio>
#include <chrono>
#include <cstdlib>
#include <future>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

using namespace dotasync;
namespace asio = boost::asio;
using clock_type = std::chrono::steady_clock;

namespace {

struct options {
    int port = 0;
    int connections = 50;
    int messages = 200;
    int size = 64;
    std::string server;
};

struct outcome {
    long long echoed = 0;
    long long lost = 0;
    long long corrupted = 0;
    std::vector<double> latencies_us;
};

std::vector<std::uint8_t> message_for(int connection, int index, int size)
{
    std::string text = std::to_string(connection) + ":" + std::to_string(index) + ":";
    while (static_cast<int>(text.size()) + 5 < size)
        text.push_back(static_cast<char>('a' + (connection + index + static_cast<int>(text.size())) % 26));
    text += "<EOF>";
    return {text.begin(), text.end()};
}

asio::awaitable<void> client(asio::io_context& io, const options& o, int id, outcome& result)
{
    TcpClient tcp(io.get_executor());
    try {
        co_await tcp.ConnectAsync(IPAddress::Loopback, o.port, asio::use_awaitable);
        tcp.NoDelay(true);
        auto& stream = tcp.GetStream();
        for (int m = 0; m < o.messages; ++m) {
            const auto out = message_for(id, m, o.size);
            std::vector<std::uint8_t> in(out.size());
            const auto start = clock_type::now();
            co_await stream.WriteAsync(out, asio::use_awaitable);
            co_await stream.ReadExactlyAsync(in, asio::use_awaitable);
            result.latencies_us.push_back(
                std::chrono::duration<double, std::micro>(clock_type::now() - start).count());
            if (in == out)
                ++result.echoed;
            else
                ++result.corrupted;
        }
    } catch (const std::exception& e) {
        std::cerr << "connection " << id << ": " << e.what() << "\n";
    }
    result.lost += o.messages - result.echoed - result.corrupted;
}

// Runs the load against o.port on one io_context run by two threads; true
// when every message came back intact.
bool load(const options& o, const std::string& label)
{
    asio::io_context io;
    std::vector<outcome> results(static_cast<std::size_t>(o.connections));
    std::vector<std::future<void>> done;
    const auto start = clock_type::now();
    for (int c = 0; c < o.connections; ++c)
        done.push_back(asio::co_spawn(io, client(io, o, c, results[static_cast<std::size_t>(c)]), asio::use_future));
    std::thread helper([&] { io.run(); });
    io.run();
    helper.join();
    const double seconds = std::chrono::duration<double>(clock_type::now() - start).count();

    outcome total;
    for (auto& r : results) {
        total.echoed += r.echoed;
        total.lost += r.lost;
        total.corrupted += r.corrupted;
        total.latencies_us.insert(total.latencies_us.end(), r.latencies_us.begin(), r.latencies_us.end());
    }
    std::sort(total.latencies_us.begin(), total.latencies_us.end());
    const auto at = [&](double q) {
        if (total.latencies_us.empty())
            return 0.0;
        return total.latencies_us[static_cast<std::size_t>(q * static_cast<double>(total.latencies_us.size() - 1))];
    };
    std::printf("%-8s %d connections x %d messages x %d bytes: %.0f messages/s, p50 %.0f us, p99 %.0f us, "
                "max %.0f us, lost %lld, corrupted %lld\n",
                label.c_str(), o.connections, o.messages, o.size, static_cast<double>(total.echoed) / seconds,
                at(0.5), at(0.99), total.latencies_us.empty() ? 0.0 : total.latencies_us.back(), total.lost,
                total.corrupted);
    return total.lost == 0 && total.corrupted == 0;
}

} // namespace

int main(int argc, char** argv)
{
    options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string name = argv[i];
        if (name == "--port")
            o.port = std::atoi(argv[i + 1]);
        else if (name == "--connections")
            o.connections = std::atoi(argv[i + 1]);
        else if (name == "--messages")
            o.messages = std::atoi(argv[i + 1]);
        else if (name == "--size")
            o.size = std::max(16, std::atoi(argv[i + 1]));
        else if (name == "--server")
            o.server = argv[i + 1];
    }
    if (o.server.empty()) {
        if (o.port <= 0) {
            std::cerr << "usage: echo_load --port P | --server PATH [--connections N] [--messages M] [--size S]\n";
            return 2;
        }
        return load(o, "port " + std::to_string(o.port)) ? 0 : 1;
    }

    sample::server_process server(o.server, {"--seconds", "120"}, {"apm", "native"});
    if (!server.started() || server.port("apm") == 0 || server.port("native") == 0) {
        std::cerr << "the server " << o.server << " did not start\n";
        return 1;
    }
    options apm = o;
    apm.port = server.port("apm");
    options native = o;
    native.port = server.port("native");
    const bool ok = load(apm, "APM") && load(native, "native");
    const bool stopped = server.stop();
    std::cout << (stopped ? "server stopped" : "server did not stop cleanly") << std::endl;
    return ok && stopped ? 0 : 1;
}
