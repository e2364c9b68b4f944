// A legacy .NET asynchronous socket server, ported, running inside an Asio
// server next to a native coroutine endpoint.
//
// Port 1 is the classic .NET "Asynchronous Server Socket" shape: a listening
// loop that BeginAccepts and waits on a ManualResetEvent, a StateObject per
// connection with a buffer and a text accumulator, BeginReceive until the
// text holds "<EOF>", then BeginSend of that message back. Port 2 is a
// native Asio coroutine that echoes every byte it reads. Both run on one
// io_context that this program owns and runs on its own threads.
//
// Usage: legacy_echo_server [--apm-port P] [--native-port Q] [--threads T] [--seconds N]
// Prints "apm port P" and "native port Q" once listening (0 picks free
// ports); stops on Ctrl+C, SIGTERM, or after N seconds.
#include <dotasync/dotasync.hpp>

#include "../support/options.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace dotasync;
namespace asio = boost::asio;

namespace {

// ---- The ported .NET server ------------------------------------------------------

// State object for reading client data asynchronously.
struct StateObject {
    static constexpr int BufferSize = 1024;
    SocketPtr workSocket;
    std::vector<std::uint8_t> buffer = std::vector<std::uint8_t>(BufferSize);
    std::string sb;
};

class AsynchronousSocketListener {
public:
    explicit AsynchronousSocketListener(SocketPtr listener) : listener_(std::move(listener)) {}

    // The listening loop of the .NET sample, on a thread of its own.
    void StartListening()
    {
        while (running_) {
            allDone_.Reset();
            try {
                listener_->BeginAccept([this](const IAsyncResultPtr& ar) { AcceptCallback(ar); }, listener_);
            } catch (const ObjectDisposedException&) {
                return;
            }
            allDone_.WaitOne();
        }
    }

    // Closes the listener and every connection: their pending receives
    // complete (EndReceive throws ObjectDisposedException), so nothing is
    // left waiting when the io_context runs out of work.
    void Stop()
    {
        running_ = false;
        listener_->Close();
        allDone_.Set();
        std::vector<std::weak_ptr<Socket>> open;
        {
            std::lock_guard lock(mutex_);
            open.swap(connections_);
        }
        for (auto& weak : open)
            if (auto socket = weak.lock())
                socket->Close();
    }

private:
    void AcceptCallback(const IAsyncResultPtr& ar)
    {
        allDone_.Set();
        auto listener = std::any_cast<SocketPtr>(ar->AsyncState());
        SocketPtr handler;
        try {
            handler = listener->EndAccept(ar);
        } catch (const ObjectDisposedException&) {
            return; // the server is stopping
        }
        {
            std::lock_guard lock(mutex_);
            if (!running_) {
                handler->Close();
                return;
            }
            std::erase_if(connections_, [](const std::weak_ptr<Socket>& w) { return w.expired(); });
            connections_.push_back(handler);
        }
        auto state = std::make_shared<StateObject>();
        state->workSocket = handler;
        BeginReceive(state);
    }

    static void BeginReceive(const std::shared_ptr<StateObject>& state)
    {
        state->workSocket->BeginReceive(state->buffer, 0, StateObject::BufferSize, SocketFlags::None, &ReadCallback,
                                        state);
    }

    static void ReadCallback(const IAsyncResultPtr& ar)
    {
        auto state = std::any_cast<std::shared_ptr<StateObject>>(ar->AsyncState());
        const SocketPtr& handler = state->workSocket;
        int bytesRead = 0;
        try {
            bytesRead = handler->EndReceive(ar);
        } catch (const SocketException&) {
            handler->Close();
            return;
        } catch (const ObjectDisposedException&) {
            return;
        }
        if (bytesRead == 0) { // the client shut the connection down
            handler->Close();
            return;
        }
        state->sb.append(state->buffer.begin(), state->buffer.begin() + bytesRead);
        std::size_t end;
        while ((end = state->sb.find("<EOF>")) != std::string::npos) {
            Send(handler, state->sb.substr(0, end + 5));
            state->sb.erase(0, end + 5);
        }
        BeginReceive(state);
    }

    static void Send(const SocketPtr& handler, const std::string& data)
    {
        auto byteData = std::make_shared<std::vector<std::uint8_t>>(data.begin(), data.end());
        handler->BeginSend(*byteData, 0, static_cast<int>(byteData->size()), SocketFlags::None,
                           [handler, byteData](const IAsyncResultPtr& ar) {
                               try {
                                   handler->EndSend(ar);
                               } catch (const std::exception&) {
                                   handler->Close();
                               }
                           },
                           {});
    }

    SocketPtr listener_;
    ManualResetEvent allDone_{false};
    std::atomic<bool> running_{true};
    std::mutex mutex_;
    std::vector<std::weak_ptr<Socket>> connections_;
};

// ---- The native Asio endpoint ------------------------------------------------------

// Each connection's coroutine runs on one strand, where Stop closes the
// sockets, so that no socket is used by two threads at once.
class native_endpoint {
public:
    native_endpoint(asio::io_context& io, unsigned short port)
        : strand_(asio::make_strand(io)), acceptor_(strand_, {asio::ip::make_address("127.0.0.1"), port})
    {
        asio::co_spawn(strand_, accept(), asio::detached);
    }

    unsigned short port() const { return acceptor_.local_endpoint().port(); }

    void Stop()
    {
        asio::post(strand_, [this] {
            boost::system::error_code ignored;
            acceptor_.close(ignored);
            for (auto& weak : sockets_)
                if (auto socket = weak.lock())
                    socket->close(ignored);
            sockets_.clear();
        });
    }

private:
    asio::awaitable<void> accept()
    {
        try {
            for (;;) {
                auto socket = std::make_shared<asio::ip::tcp::socket>(co_await acceptor_.async_accept(asio::use_awaitable));
                std::erase_if(sockets_, [](const std::weak_ptr<asio::ip::tcp::socket>& w) { return w.expired(); });
                sockets_.push_back(socket);
                asio::co_spawn(strand_, echo(socket), asio::detached);
            }
        } catch (const boost::system::system_error&) {
            // The acceptor was closed.
        }
    }

    static asio::awaitable<void> echo(std::shared_ptr<asio::ip::tcp::socket> socket)
    {
        std::vector<char> data(1024);
        try {
            for (;;) {
                const std::size_t n = co_await socket->async_read_some(asio::buffer(data), asio::use_awaitable);
                co_await asio::async_write(*socket, asio::buffer(data.data(), n), asio::use_awaitable);
            }
        } catch (const boost::system::system_error&) {
            // The client left, or the server stopped.
        }
    }

    asio::strand<asio::io_context::executor_type> strand_;
    asio::ip::tcp::acceptor acceptor_;
    std::vector<std::weak_ptr<asio::ip::tcp::socket>> sockets_;
};

} // namespace

int main(int argc, char** argv)
{
    const int apm_port = sample::int_option(argc, argv, "--apm-port", 0);
    const int native_port = sample::int_option(argc, argv, "--native-port", 0);
    const int threads = sample::int_option(argc, argv, "--threads", 2);
    const int seconds = sample::int_option(argc, argv, "--seconds", 0);

    asio::io_context io;

    // The ported server's socket completes on the program's io_context.
    auto listener = std::make_shared<Socket>(io.get_executor(), AddressFamily::InterNetwork, SocketType::Stream,
                                             ProtocolType::Tcp);
    listener->Bind(IPEndPoint(IPAddress::Loopback, apm_port));
    listener->Listen(1024);
    AsynchronousSocketListener server(listener);

    native_endpoint native(io, static_cast<unsigned short>(native_port));

    std::cout << "apm port " << listener->LocalEndPoint()->Port() << std::endl;
    std::cout << "native port " << native.port() << std::endl;

    asio::signal_set signals(io, SIGINT, SIGTERM);
    asio::steady_timer deadline(io);
    // Stopping closes everything; the threads return once the io_context
    // has run the last completions out.
    auto stop = [&] {
        server.Stop();
        native.Stop();
        signals.cancel();
        deadline.cancel();
    };
    signals.async_wait([&](boost::system::error_code ec, int) {
        if (!ec)
            stop();
    });
    if (seconds > 0) {
        deadline.expires_after(std::chrono::seconds(seconds));
        deadline.async_wait([&](boost::system::error_code ec) {
            if (!ec)
                stop();
        });
    }

    std::thread listening([&] { server.StartListening(); });
    std::vector<std::thread> pool;
    for (int i = 0; i < threads; ++i)
        pool.emplace_back([&] { io.run(); });
    for (auto& t : pool)
        t.join();
    listening.join();
    std::cout << "stopped" << std::endl;
    return 0;
}
