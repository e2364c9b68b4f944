// Processing tasks as they complete, the .NET documentation's pattern: start
// every download at once as a hot task, then take whichever finishes first
// with Task::WhenAny, remove it from the list and add up its size, until the
// list is empty. No download is canceled because another one finished.
//
// The "web" is a loopback server in this program: asked for page i, it waits
// a while (longer for lower pages, so they finish out of order) and sends
// 1000 * (i + 1) bytes. Everything runs on one io_context on this thread.
// Exits 0 when every page arrived whole and the total is right.
#include <dotasync/dotasync.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

using namespace dotasync;
namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;

namespace {

constexpr int pages = 8;

int page_size(int page)
{
    return 1000 * (page + 1);
}

// Serves one request: reads the page number, waits, sends the page, closes.
awaitable<void> serve_page(TcpClientPtr client)
{
    NetworkStream& stream = client->GetStream();
    std::vector<std::uint8_t> request(1);
    if (co_await stream.ReadAsync(request, use_awaitable) == 1) {
        const int page = request[0];
        co_await Task::Delay(co_await asio::this_coro::executor, std::chrono::milliseconds(20 * (pages - page)),
                             use_awaitable);
        std::vector<std::uint8_t> content(static_cast<std::size_t>(page_size(page)), 'x');
        co_await stream.WriteAsync(content, use_awaitable);
    }
    client->Close();
}

awaitable<void> serve(TcpListener& listener, CancellationToken token)
{
    try {
        for (;;) {
            TcpClientPtr client = co_await listener.AcceptTcpClientAsync(token, use_awaitable);
            asio::co_spawn(co_await asio::this_coro::executor, serve_page(std::move(client)), asio::detached);
        }
    } catch (const OperationCanceledException&) {
    }
    listener.Stop();
}

// .NET's ProcessUrlAsync: downloads one page and returns its length.
awaitable<int> ProcessPageAsync(int port, int page)
{
    TcpClient client(co_await asio::this_coro::executor);
    co_await client.ConnectAsync(IPAddress::Loopback, port, use_awaitable);
    NetworkStream& stream = client.GetStream();
    std::vector<std::uint8_t> request(1, static_cast<std::uint8_t>(page));
    co_await stream.WriteAsync(request, use_awaitable);
    int length = 0;
    std::vector<std::uint8_t> buffer(4096);
    for (;;) {
        const int n = co_await stream.ReadAsync(buffer, use_awaitable);
        if (n == 0)
            break;
        length += n;
    }
    std::cout << "page " << page << ": " << length << " bytes" << std::endl;
    co_return length;
}

awaitable<int> SumPageSizesAsync(int port)
{
    auto executor = co_await asio::this_coro::executor;
    std::vector<TaskOf<int>> downloadTasks;
    for (int page = 0; page < pages; ++page)
        downloadTasks.push_back(asio::co_spawn(executor, ProcessPageAsync(port, page), use_task));
    const std::vector<TaskOf<int>> all = downloadTasks;

    int total = 0;
    while (!downloadTasks.empty()) {
        TaskOf<int> finishedTask = co_await Task::WhenAny(downloadTasks, use_awaitable);
        std::erase(downloadTasks, finishedTask);
        total += co_await finishedTask.async_wait(use_awaitable);
    }
    const auto canceled = std::count_if(all.begin(), all.end(), [](const TaskOf<int>& t) { return t.IsCanceled(); });
    std::cout << "total bytes downloaded: " << total << ", downloads canceled: " << canceled << std::endl;
    co_return total;
}

} // namespace

int main()
{
    try {
        asio::io_context io;
        TcpListener listener(io.get_executor(), IPAddress::Loopback, 0);
        listener.Start();
        CancellationTokenSource stop;
        asio::co_spawn(io, serve(listener, stop.Token()), asio::detached);
        TaskOf<int> total = asio::co_spawn(io, SumPageSizesAsync(listener.LocalEndpoint().Port()), use_task);
        total.ContinueWith([&stop](const TaskOf<int>&) { stop.Cancel(); }, io.get_executor());
        io.run();

        int expected = 0;
        for (int page = 0; page < pages; ++page)
            expected += page_size(page);
        if (total.Result() != expected) {
            std::cerr << "tasks_as_they_complete: " << total.Result() << " bytes, expected " << expected << std::endl;
            return 1;
        }
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "tasks_as_they_complete: " << e.what() << std::endl;
        return 1;
    }
}
