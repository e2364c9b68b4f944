// HTTP GET requests/s on one kept-alive connection to the local HTTP server
// (samples/support/local_http_server, on a thread of its own), in one
// process run:
//
//   http_get/dotasync: HttpClient::GetStringAsync awaited in a loop; the
//     client runs on the awaiting coroutine's io_context.
//   http_get/raw: the same requests written by hand with Boost.Beast:
//     async_write of the request, async_read of a string_body response, on
//     one socket.
//   http_get/mono: with --mono <runtime> <HttpGet.exe>, the C# HttpClient
//     program of bench/peers/HttpGet.cs doing the same requests against the
//     same server; its own stopwatch times them.
//
// Each iteration is one request; the work runs on two threads (client and
// server), so the rows are timed by the wall clock (UseRealTime).
#include "local_http_server.hpp"

#include <dotasync/http/http_client.hpp>

#include <benchmark/benchmark.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

sample::local_http_server& server()
{
    static sample::local_http_server s;
    return s;
}

asio::awaitable<void> dotasync_loop(benchmark::State& state, dotasync::HttpClient& client, std::string url)
{
    std::size_t bytes = 0;
    for (auto _ : state) {
        std::string body = co_await client.GetStringAsync(url, asio::use_awaitable);
        bytes += body.size();
    }
    benchmark::DoNotOptimize(bytes);
}

void http_get_dotasync(benchmark::State& state)
{
    asio::io_context io(1);
    dotasync::HttpClient client(io.get_executor());
    asio::co_spawn(io, dotasync_loop(state, client, server().base_url() + "text"), [](std::exception_ptr e) {
        if (e)
            std::rethrow_exception(e);
    });
    io.run();
    state.SetItemsProcessed(state.iterations());
}

asio::awaitable<void> raw_loop(benchmark::State& state, int port)
{
    tcp::socket socket(co_await asio::this_coro::executor);
    co_await socket.async_connect({asio::ip::address_v4::loopback(), static_cast<unsigned short>(port)},
                                  asio::use_awaitable);
    socket.set_option(tcp::no_delay(true));
    beast::flat_buffer buffer;
    http::request<http::empty_body> request{http::verb::get, "/text", 11};
    request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
    std::size_t bytes = 0;
    for (auto _ : state) {
        co_await http::async_write(socket, request, asio::use_awaitable);
        http::response<http::string_body> response;
        co_await http::async_read(socket, buffer, response, asio::use_awaitable);
        bytes += response.body().size();
    }
    benchmark::DoNotOptimize(bytes);
}

void http_get_raw(benchmark::State& state)
{
    asio::io_context io(1);
    asio::co_spawn(io, raw_loop(state, server().port()), [](std::exception_ptr e) {
        if (e)
            std::rethrow_exception(e);
    });
    io.run();
    state.SetItemsProcessed(state.iterations());
}

std::string mono_runtime;
std::string mono_program;

void http_get_mono(benchmark::State& state)
{
    constexpr int requests = 20000;
    for (auto _ : state) {
        const std::string command =
            mono_runtime + " " + mono_program + " " + server().base_url() + "text " + std::to_string(requests);
        FILE* out = ::popen(command.c_str(), "r");
        if (!out)
            throw std::runtime_error("cannot start " + command);
        char line[128] = {};
        const bool read = std::fgets(line, sizeof line, out) != nullptr;
        const int status = ::pclose(out);
        if (!read || status != 0) {
            state.SkipWithError("the Mono program failed");
            return;
        }
        state.SetIterationTime(std::stod(line));
    }
    state.SetItemsProcessed(state.iterations() * requests);
}

} // namespace

int main(int argc, char** argv)
{
    // --mono <runtime> <program> is this program's own; the rest goes to
    // Google Benchmark.
    std::vector<char*> rest;
    for (int i = 0; i < argc; ++i) {
        if (std::strcmp(argv[i], "--mono") == 0 && i + 2 < argc) {
            mono_runtime = argv[i + 1];
            mono_program = argv[i + 2];
            i += 2;
            continue;
        }
        rest.push_back(argv[i]);
    }
    int rest_count = static_cast<int>(rest.size());
    benchmark::Initialize(&rest_count, rest.data());
    benchmark::RegisterBenchmark("http_get/dotasync", http_get_dotasync)->UseRealTime();
    benchmark::RegisterBenchmark("http_get/raw", http_get_raw)->UseRealTime();
    if (!mono_program.empty())
        benchmark::RegisterBenchmark("http_get/mono", http_get_mono)->UseManualTime()->Iterations(1);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
}
