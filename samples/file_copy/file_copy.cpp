// Copies a file with CopyToAsync, draws a progress bar while it runs, stops
// cleanly on Ctrl+C, and prints the throughput at the end.
//
//   file_copy <source> <destination>
//
// Ctrl+C cancels the copy through Asio per-operation cancellation: the
// handler of CopyToAsync is bound to a cancellation signal that the SIGINT
// handler emits.
#include <dotasync/dotasync.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <functional>
#include <iostream>
#include <string>

namespace asio = boost::asio;
using namespace dotasync;
using namespace std::chrono_literals;

namespace {

void draw_progress(std::int64_t done, std::int64_t total)
{
    constexpr int width = 40;
    const double fraction = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
    const int filled = static_cast<int>(fraction * width);
    std::printf("\r[%s%s] %5.1f%%", std::string(static_cast<std::size_t>(filled), '#').c_str(),
                std::string(static_cast<std::size_t>(width - filled), ' ').c_str(), fraction * 100.0);
    std::fflush(stdout);
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::cerr << "usage: file_copy <source> <destination>\n";
        return 2;
    }
    try {
        asio::io_context io;
        FileStream source(io.get_executor(), argv[1], FileMode::Open, FileAccess::Read, FileShare::Read, 0,
                          FileOptions::SequentialScan);
        FileStream destination(io.get_executor(), argv[2], FileMode::Create, FileAccess::Write, FileShare::None, 0);
        const std::int64_t total = source.Length();

        asio::cancellation_signal cancel;
        asio::signal_set interrupt(io, SIGINT);
        asio::steady_timer ticker(io);
        bool finished = false;
        std::exception_ptr outcome;

        interrupt.async_wait([&](boost::system::error_code ec, int) {
            if (!ec)
                cancel.emit(asio::cancellation_type::total);
        });

        // The progress bar: the destination's position is how far the copy got.
        std::function<void()> tick = [&] {
            draw_progress(destination.Position(), total);
            ticker.expires_after(100ms);
            ticker.async_wait([&](boost::system::error_code ec) {
                if (!ec && !finished)
                    tick();
            });
        };
        tick();

        const auto start = std::chrono::steady_clock::now();
        source.CopyToAsync(destination, 1 << 20,
                           asio::bind_cancellation_slot(cancel.slot(), [&](std::exception_ptr error) {
                               finished = true;
                               outcome = error;
                               ticker.cancel();
                               interrupt.cancel();
                           }));
        io.run();
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

        if (outcome)
            std::rethrow_exception(outcome);
        draw_progress(total, total);
        destination.Close();
        const double mib = static_cast<double>(total) / (1024.0 * 1024.0);
        std::printf("\ncopied %.1f MiB in %.3f s: %.1f MB/s\n", mib, seconds,
                    seconds > 0 ? static_cast<double>(total) / 1e6 / seconds : 0.0);
        return 0;
    } catch (const OperationCanceledException&) {
        std::cerr << "\ncopy cancelled\n";
        return 130;
    } catch (const Exception& e) {
        std::cerr << "\nfile_copy: " << e.Message() << '\n';
        return 1;
    }
}
