// HttpClient in the TAP shape: the "cancel async tasks after a period of
// time" program of .NET's documentation. Pages are fetched one after the
// other with GetAsync and a CancellationToken that CancelAfter cancels; the
// last page never answers, so the deadline ends the run.
//
// The pages come from a local HTTP server the program starts itself.
#include <dotasync/core/cancellation.hpp>
#include <dotasync/core/exceptions.hpp>
#include <dotasync/http/http_client.hpp>

#include "local_http_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace asio = boost::asio;
using namespace dotasync;

namespace {

asio::awaitable<std::size_t> ProcessUrlAsync(const std::string& url, HttpClient& client, CancellationToken token)
{
    HttpResponseMessage response = co_await client.GetAsync(url, token, asio::use_awaitable);
    std::vector<std::uint8_t> content = co_await response.Content().ReadAsByteArrayAsync(token, asio::use_awaitable);
    std::printf("%-50s %8zu\n", url.c_str(), content.size());
    co_return content.size();
}

asio::awaitable<void> SumPageSizesAsync(const std::vector<std::string>& urls, HttpClient& client,
                                        CancellationTokenSource& cts)
{
    std::size_t total = 0;
    try {
        for (const auto& url : urls)
            total += co_await ProcessUrlAsync(url, client, cts.Token());
    } catch (const TaskCanceledException&) {
        std::printf("\nTasks cancelled: timed out.\n");
    }
    std::printf("\nTotal bytes returned:  %zu\n", total);
}

} // namespace

int main()
{
    sample::local_http_server server;
    const auto base = server.base_url();
    const std::vector<std::string> urls = {
        base + "page/docs",          base + "page/overview",       base + "page/async-programming",
        base + "page/cancellation",  base + "page/task-parallelism", base + "page/what-is-new",
        base + "hang",
    };

    std::printf("Application started.\n");
    HttpClient client;
    CancellationTokenSource cts;
    cts.CancelAfter(std::chrono::milliseconds(1500));

    asio::io_context io;
    asio::co_spawn(io, SumPageSizesAsync(urls, client, cts), [](std::exception_ptr e) {
        if (e)
            std::rethrow_exception(e);
    });
    io.run();
    std::printf("\nApplication ending.\n");
}
