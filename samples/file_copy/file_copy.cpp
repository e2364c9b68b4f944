// Copies a file chunk by chunk with ReadAsync and WriteAsync, draws a
// progress bar from the reports of a Progress<T>, stops on Ctrl+C, and prints
// the throughput at the end.
//
//   file_copy <source> <destination>
//
// Ctrl+C cancels the copy through a CancellationTokenSource: an
// asio::signal_set catches SIGINT and calls Cancel(), and the read or write
// in flight completes with OperationCanceledException. The sample then
// removes the partial destination (a truncated copy that looks complete is
// worse than none), prints "cancelled" and exits with status 130.
//
// The progress reports run on a StrandSynchronizationContext over the
// sample's io_context, captured when the Progress is constructed, so the bar
// is drawn on the same thread as everything else, in the order reported.
#include <dotasync/dotasync.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace asio = boost::asio;
using namespace dotasync;

namespace {

constexpr int chunk_size = 1 << 20;

void draw_progress(std::int64_t done, std::int64_t total)
{
    constexpr int width = 40;
    const double fraction = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
    const int filled = static_cast<int>(fraction * width);
    std::printf("\r[%s%s] %5.1f%%", std::string(static_cast<std::size_t>(filled), '#').c_str(),
                std::string(static_cast<std::size_t>(width - filled), ' ').c_str(), fraction * 100.0);
    std::fflush(stdout);
}

// The copy loop .NET code writes when it wants progress: CopyToAsync has no
// progress parameter. Reports the bytes copied so far after every chunk.
asio::awaitable<std::int64_t> copy_with_progress(Stream& source, Stream& destination,
                                                 IProgress<std::int64_t>& progress, CancellationToken token)
{
    std::vector<std::uint8_t> buffer(chunk_size);
    std::int64_t copied = 0;
    for (int n; (n = co_await source.ReadAsync(buffer, token, asio::use_awaitable)) > 0;) {
        co_await destination.WriteAsync(buffer, 0, n, token, asio::use_awaitable);
        copied += n;
        progress.Report(copied);
    }
    co_return copied;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::cerr << "usage: file_copy <source> <destination>\n";
        return 2;
    }
    const std::filesystem::path destination_path = argv[2];
    try {
        asio::io_context io;
        auto context = std::make_shared<StrandSynchronizationContext>(io.get_executor());
        SynchronizationContext::SetSynchronizationContext(context);
        // The thread's current context refers to io, so it must be let go of
        // before io is destroyed, on every way out of this block.
        struct current_context_reset {
            ~current_context_reset() { SynchronizationContext::SetSynchronizationContext(nullptr); }
        } reset_current_context;

        FileStream source(io.get_executor(), argv[1], FileMode::Open, FileAccess::Read, FileShare::Read, 0,
                          FileOptions::SequentialScan);
        const std::int64_t total = source.Length();
        auto destination = std::make_unique<FileStream>(io.get_executor(), destination_path, FileMode::Create,
                                                        FileAccess::Write, FileShare::None, 0);

        CancellationTokenSource cts;
        asio::signal_set interrupt(io, SIGINT);
        interrupt.async_wait([&](boost::system::error_code ec, int) {
            if (!ec)
                cts.Cancel();
        });

        // Redraws only when the bar would change, not for every chunk.
        int drawn = -1;
        Progress<std::int64_t> progress([total, &drawn](const std::int64_t& copied) {
            const int percent = total > 0 ? static_cast<int>(copied * 100 / total) : 100;
            if (percent != drawn)
                draw_progress(copied, total);
            drawn = percent;
        });
        draw_progress(0, total);

        std::exception_ptr outcome;
        std::int64_t copied = 0;
        const auto start = std::chrono::steady_clock::now();
        asio::co_spawn(context->get_executor(), copy_with_progress(source, *destination, progress, cts.Token()),
                       [&](std::exception_ptr error, std::int64_t n) {
                           outcome = error;
                           copied = n;
                           interrupt.cancel();
                       });
        io.run();
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

        try {
            if (outcome)
                std::rethrow_exception(outcome);
        } catch (const OperationCanceledException&) {
            destination.reset();
            std::error_code ignored;
            std::filesystem::remove(destination_path, ignored);
            std::cerr << "\ncancelled: removed the partial copy " << destination_path.string() << '\n';
            return 130;
        }
        draw_progress(copied, total);
        destination->Close();
        const double mib = static_cast<double>(copied) / (1024.0 * 1024.0);
        std::printf("\ncopied %.1f MiB in %.3f s: %.1f MB/s\n", mib, seconds,
                    seconds > 0 ? static_cast<double>(copied) / 1e6 / seconds : 0.0);
        return 0;
    } catch (const Exception& e) {
        std::cerr << "\nfile_copy: " << e.Message() << '\n';
        return 1;
    }
}
