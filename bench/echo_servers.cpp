// The echo servers of the networking benchmark, in one process, on one
// io_context run by one thread (the driver pins the process to a core of its
// own). Each echoes what it receives, one receive and one send at a time per
// connection, through a different face:
//   apm     BeginAccept/BeginReceive/BeginSend with callbacks, as legacy .NET
//   saea    SocketAsyncEventArgs, one per connection, false = completed now
//   tap     co_await AcceptAsync/ReceiveAsync/SendAsync (use_awaitable)
//   native  Asio's own acceptor and socket in a coroutine: the reference
// Prints "<name> port N" for each; runs until it is killed.
#include <dotasync/dotasync.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <iostream>
#include <list>
#include <memory>
#include <span>
#include <vector>

using namespace dotasync;
namespace asio = boost::asio;

namespace {

constexpr int buffer_size = 4096;

SocketPtr listen_on_loopback(asio::io_context& io)
{
    auto listener = std::make_shared<Socket>(io.get_executor(), AddressFamily::InterNetwork, SocketType::Stream,
                                             ProtocolType::Tcp);
    listener->Bind(IPEndPoint(IPAddress::Loopback, 0));
    listener->Listen(1024);
    return listener;
}

// ---- APM -------------------------------------------------------------------------

struct apm_connection {
    SocketPtr socket;
    std::vector<std::uint8_t> buffer = std::vector<std::uint8_t>(buffer_size);
};

void apm_receive(const std::shared_ptr<apm_connection>& c);

void apm_send_callback(const IAsyncResultPtr& ar)
{
    auto c = std::any_cast<std::shared_ptr<apm_connection>>(ar->AsyncState());
    try {
        c->socket->EndSend(ar);
    } catch (const std::exception&) {
        c->socket->Close();
        return;
    }
    apm_receive(c);
}

void apm_receive_callback(const IAsyncResultPtr& ar)
{
    auto c = std::any_cast<std::shared_ptr<apm_connection>>(ar->AsyncState());
    int n = 0;
    try {
        n = c->socket->EndReceive(ar);
    } catch (const std::exception&) {
        c->socket->Close();
        return;
    }
    if (n == 0) {
        c->socket->Close();
        return;
    }
    c->socket->BeginSend(c->buffer, 0, n, SocketFlags::None, &apm_send_callback, c);
}

void apm_receive(const std::shared_ptr<apm_connection>& c)
{
    c->socket->BeginReceive(c->buffer, 0, buffer_size, SocketFlags::None, &apm_receive_callback, c);
}

void apm_accept_callback(const IAsyncResultPtr& ar)
{
    auto listener = std::any_cast<SocketPtr>(ar->AsyncState());
    SocketPtr socket;
    try {
        socket = listener->EndAccept(ar);
    } catch (const std::exception&) {
        return;
    }
    listener->BeginAccept(&apm_accept_callback, listener);
    socket->NoDelay(true);
    apm_receive(std::make_shared<apm_connection>(apm_connection{socket}));
}

// ---- SocketAsyncEventArgs ----------------------------------------------------------

class saea_endpoint {
public:
    explicit saea_endpoint(SocketPtr listener) : listener_(std::move(listener))
    {
        accept_.Completed += [this](const std::any&, SocketAsyncEventArgs& e) {
            if (accepted(e))
                accept();
        };
        accept();
    }

private:
    struct connection {
        SocketPtr socket;
        std::vector<std::uint8_t> buffer = std::vector<std::uint8_t>(buffer_size);
        SocketAsyncEventArgs args;
    };

    // Accepts until an accept stays pending.
    void accept()
    {
        do
            accept_.AcceptSocket(nullptr);
        while (!listener_->AcceptAsync(accept_) && accepted(accept_));
    }

    bool accepted(SocketAsyncEventArgs& e)
    {
        if (e.SocketError() != SocketError::Success)
            return false;
        auto& c = connections_.emplace_back();
        c.socket = e.AcceptSocket();
        c.socket->NoDelay(true);
        c.args.SetBuffer(c.buffer, 0, buffer_size);
        c.args.Completed += [&c](const std::any&, SocketAsyncEventArgs& args) {
            if (args.LastOperation() == SocketAsyncOperation::Receive ? received(c) : sent(c))
                receive(c);
        };
        receive(c);
        return true;
    }

    // Receives until a receive or a send stays pending.
    static void receive(connection& c)
    {
        while (!c.socket->ReceiveAsync(c.args))
            if (!received(c))
                return;
    }

    // True when the echo was sent at once and the next receive is due.
    static bool received(connection& c)
    {
        if (c.args.SocketError() != SocketError::Success || c.args.BytesTransferred() == 0) {
            c.socket->Close();
            return false;
        }
        c.args.SetBuffer(0, c.args.BytesTransferred());
        return !c.socket->SendAsync(c.args) && sent(c);
    }

    static bool sent(connection& c)
    {
        if (c.args.SocketError() != SocketError::Success) {
            c.socket->Close();
            return false;
        }
        c.args.SetBuffer(0, buffer_size);
        return true;
    }

    SocketPtr listener_;
    SocketAsyncEventArgs accept_;
    // A list, so that the args of a connection never move.
    std::list<connection> connections_;
};

// ---- TAP ---------------------------------------------------------------------------

asio::awaitable<void> tap_echo(SocketPtr socket)
{
    std::vector<std::uint8_t> buffer(buffer_size);
    try {
        for (;;) {
            const int n = co_await socket->ReceiveAsync(buffer, asio::use_awaitable);
            if (n == 0)
                break;
            co_await socket->SendAsync(std::span<const std::uint8_t>(buffer.data(), static_cast<std::size_t>(n)),
                                       asio::use_awaitable);
        }
    } catch (const std::exception&) {
    }
    socket->Close();
}

asio::awaitable<void> tap_accept(SocketPtr listener)
{
    for (;;) {
        SocketPtr socket = co_await listener->AcceptAsync(asio::use_awaitable);
        socket->NoDelay(true);
        asio::co_spawn(co_await asio::this_coro::executor, tap_echo(std::move(socket)), asio::detached);
    }
}

// ---- Native Asio -------------------------------------------------------------------

asio::awaitable<void> native_echo(asio::ip::tcp::socket socket)
{
    std::vector<std::uint8_t> buffer(buffer_size);
    try {
        for (;;) {
            const std::size_t n = co_await socket.async_read_some(asio::buffer(buffer), asio::use_awaitable);
            co_await asio::async_write(socket, asio::buffer(buffer.data(), n), asio::use_awaitable);
        }
    } catch (const std::exception&) {
    }
}

asio::awaitable<void> native_accept(asio::ip::tcp::acceptor& acceptor)
{
    for (;;) {
        auto socket = co_await acceptor.async_accept(asio::use_awaitable);
        socket.set_option(asio::ip::tcp::no_delay(true));
        asio::co_spawn(acceptor.get_executor(), native_echo(std::move(socket)), asio::detached);
    }
}

} // namespace

int main()
{
    asio::io_context io(1);

    auto apm = listen_on_loopback(io);
    apm->BeginAccept(&apm_accept_callback, apm);

    auto saea_listener = listen_on_loopback(io);
    saea_endpoint saea(saea_listener);

    auto tap = listen_on_loopback(io);
    asio::co_spawn(io, tap_accept(tap), asio::detached);

    asio::ip::tcp::acceptor native(io, {asio::ip::address_v4::loopback(), 0});
    asio::co_spawn(io, native_accept(native), asio::detached);

    std::cout << "apm port " << apm->LocalEndPoint()->Port() << "\n"
              << "saea port " << saea_listener->LocalEndPoint()->Port() << "\n"
              << "tap port " << tap->LocalEndPoint()->Port() << "\n"
              << "native port " << native.local_endpoint().port() << std::endl;
    io.run();
}
