// TcpListener and TcpClient: the .NET listener/client pair in every face, and
// the classic APM echo server under a 200-connection load.
#include <dotasync/net/tcp_listener.hpp>

#include "net/net_fixture.hpp"
#include "support/running_context.hpp"
#include "support/waiting.hpp"

#include <dotasync/core/exceptions.hpp>
#include <dotasync/core/wait_handle.hpp>
#include <dotasync/net/tcp_client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <future>
#include <string>
#include <thread>
#include <vector>

using namespace dotasync;
using namespace dotasync_test;
namespace asio = boost::asio;

BOOST_TEST_GLOBAL_FIXTURE(net_baseline);

namespace {

// The classic .NET asynchronous server socket shape: BeginAcceptTcpClient,
// then per connection BeginRead until "<EOF>", then BeginWrite of everything
// read. Each connection echoes every message it gets.
class apm_echo_server {
public:
    explicit apm_echo_server(TcpListener& listener) : listener_(listener) { accept_next(); }

    int accepted() const { return accepted_.load(); }
    // Waits until the accept loop has seen the listener stop.
    bool stopped() { return stopped_.get_future().wait_for(generous) == std::future_status::ready; }

private:
    struct connection {
        TcpClientPtr client;
        std::vector<std::uint8_t> buffer = std::vector<std::uint8_t>(1024);
        std::string pending;
    };

    void accept_next()
    {
        try {
            listener_.BeginAcceptTcpClient(
                [this](const IAsyncResultPtr& ar) {
                    TcpClientPtr client;
                    try {
                        client = listener_.EndAcceptTcpClient(ar);
                    } catch (const ObjectDisposedException&) {
                        stopped_.set_value(); // the listener stopped
                        return;
                    }
                    ++accepted_;
                    accept_next();
                    auto c = std::make_shared<connection>();
                    c->client = client;
                    read(c);
                },
                {});
        } catch (const InvalidOperationException&) {
        }
    }

    static void read(const std::shared_ptr<connection>& c)
    {
        auto& stream = c->client->GetStream();
        stream.BeginRead(c->buffer, 0, static_cast<int>(c->buffer.size()),
                         [c](const IAsyncResultPtr& ar) {
                             int n = 0;
                             try {
                                 n = c->client->GetStream().EndRead(ar);
                             } catch (const std::exception&) {
                                 return;
                             }
                             if (n == 0) {
                                 c->client->Close();
                                 return;
                             }
                             c->pending.append(c->buffer.begin(), c->buffer.begin() + n);
                             std::size_t end;
                             while ((end = c->pending.find("<EOF>")) != std::string::npos) {
                                 auto reply = std::make_shared<std::vector<std::uint8_t>>(
                                     c->pending.begin(), c->pending.begin() + static_cast<long>(end + 5));
                                 c->pending.erase(0, end + 5);
                                 c->client->GetStream().BeginWrite(
                                     *reply, 0, static_cast<int>(reply->size()),
                                     [c, reply](const IAsyncResultPtr& w) {
                                         try {
                                             c->client->GetStream().EndWrite(w);
                                         } catch (const std::exception&) {
                                         }
                                     },
                                     {});
                             }
                             read(c);
                         },
                         {});
    }

    TcpListener& listener_;
    std::atomic<int> accepted_{0};
    std::promise<void> stopped_;
};

} // namespace

BOOST_AUTO_TEST_SUITE(tcp_listener)

BOOST_AUTO_TEST_CASE(Start_AcceptTcpClient_and_a_TcpClient_talk_through_their_streams)
{
    TcpListener listener(IPAddress::Loopback, 0);
    BOOST_TEST(!listener.Active());
    listener.Start();
    BOOST_TEST(listener.Active());
    const int port = listener.LocalEndpoint().Port();
    BOOST_TEST(port != 0);
    BOOST_TEST(!listener.Pending());

    TcpClient client("localhost", port);
    BOOST_TEST(client.Connected());
    while (!listener.Pending())
        BOOST_TEST_REQUIRE(listener.Server()->Poll(10'000'000, SelectMode::SelectRead));
    TcpClientPtr server = listener.AcceptTcpClient();
    BOOST_TEST(server->Connected());

    auto& out = client.GetStream();
    BOOST_TEST(&out == &client.GetStream());
    const auto hello = bytes_of("hello");
    out.Write(hello, 0, 5);
    std::vector<std::uint8_t> buffer(5);
    server->GetStream().ReadExactly(buffer);
    BOOST_TEST(std::string(buffer.begin(), buffer.end()) == "hello");
    BOOST_TEST(!server->GetStream().DataAvailable());
}

BOOST_AUTO_TEST_CASE(every_accept_face_and_the_End_rules)
{
    TcpListener listener(IPEndPoint(IPAddress::Loopback, 0));
    listener.Start(8);
    const auto ep = listener.LocalEndpoint();
    std::vector<std::unique_ptr<TcpClient>> clients;
    for (int i = 0; i < 4; ++i) {
        clients.push_back(std::make_unique<TcpClient>());
        clients.back()->Connect(ep);
    }
    auto socket_ar = listener.BeginAcceptSocket({}, {});
    BOOST_CHECK_THROW(listener.EndAcceptTcpClient(socket_ar), InvalidOperationException);
    BOOST_TEST(listener.EndAcceptSocket(socket_ar)->Connected());
    BOOST_TEST(listener.EndAcceptTcpClient(listener.BeginAcceptTcpClient({}, {}))->Connected());
    BOOST_TEST(get_within(listener.AcceptSocketAsync(asio::use_future))->Connected());
    BOOST_TEST(get_within(listener.AcceptTcpClientAsync(asio::use_future))->Connected());
    BOOST_CHECK_THROW(listener.EndAcceptSocket(socket_ar), InvalidOperationException);
}

BOOST_AUTO_TEST_CASE(accepting_before_Start_throws_and_Stop_ends_pending_accepts_with_ObjectDisposedException)
{
    TcpListener listener(IPAddress::Loopback, 0);
    BOOST_CHECK_THROW(listener.AcceptSocket(), InvalidOperationException);
    BOOST_CHECK_THROW(listener.BeginAcceptTcpClient({}, {}), InvalidOperationException);
    BOOST_CHECK_THROW(listener.Pending(), InvalidOperationException);
    listener.Start();
    auto ar = listener.BeginAcceptTcpClient({}, {});
    auto pending = listener.AcceptSocketAsync(asio::use_future);
    listener.Stop();
    BOOST_CHECK_THROW(listener.EndAcceptTcpClient(ar), ObjectDisposedException);
    BOOST_CHECK_THROW(get_within(pending), ObjectDisposedException);
    BOOST_TEST(!listener.Active());
    // Start again, on a fresh socket.
    listener.Start();
    TcpClient client;
    client.Connect(IPAddress::Loopback, listener.LocalEndpoint().Port());
    BOOST_TEST(get_within(listener.AcceptTcpClientAsync(asio::use_future))->Connected());
}

BOOST_AUTO_TEST_CASE(a_port_in_use_fails_Start_with_AddressAlreadyInUse_and_leaves_the_listener_stopped)
{
    TcpListener first(IPAddress::Loopback, 0);
    first.Start();
    TcpListener second(first.LocalEndpoint());
    try {
        second.Start();
        BOOST_FAIL("Start succeeded on a port in use");
    } catch (const SocketException& e) {
        BOOST_TEST((e.SocketErrorCode() == SocketError::AddressAlreadyInUse));
    }
    BOOST_TEST(!second.Active());
}

BOOST_AUTO_TEST_CASE(a_canceled_AcceptTcpClientAsync_throws_OperationCanceledException)
{
    TcpListener listener(IPAddress::Loopback, 0);
    listener.Start();
    CancellationTokenSource cts;
    auto pending = listener.AcceptTcpClientAsync(cts.Token(), asio::use_future);
    cts.Cancel();
    BOOST_CHECK_THROW(get_within(pending), OperationCanceledException);
    BOOST_TEST(listener.Active());
}

BOOST_AUTO_TEST_CASE(TcpClient_connects_in_every_face_and_refuses_a_stream_before_it_is_connected)
{
    TcpListener listener(IPAddress::Loopback, 0);
    listener.Start();
    const int port = listener.LocalEndpoint().Port();

    TcpClient a;
    BOOST_CHECK_THROW(a.GetStream(), InvalidOperationException);
    a.EndConnect(a.BeginConnect("localhost", port, {}, {}));
    BOOST_TEST(a.Connected());
    TcpClient b;
    auto ar = b.BeginConnect(IPAddress::Loopback, port, {}, {});
    BOOST_CHECK_THROW(a.EndConnect(ar), InvalidOperationException);
    b.EndConnect(ar);
    TcpClient c(AddressFamily::InterNetwork);
    get_within(c.ConnectAsync(std::string("localhost"), port, asio::use_future));
    BOOST_TEST(c.Connected());

    TcpClient refused;
    const int closed_port = [] {
        TcpListener probe(IPAddress::Loopback, 0);
        probe.Start();
        return probe.LocalEndpoint().Port();
    }();
    try {
        refused.Connect(IPAddress::Loopback, closed_port);
        BOOST_FAIL("connected to a closed port");
    } catch (const SocketException& e) {
        BOOST_TEST((e.SocketErrorCode() == SocketError::ConnectionRefused));
    }

    c.NoDelay(true);
    BOOST_TEST(c.NoDelay());
    c.Close();
    BOOST_TEST(!c.Connected());
    BOOST_CHECK_THROW(c.GetStream(), ObjectDisposedException);
    BOOST_CHECK_THROW(c.Available(), ObjectDisposedException);
    c.Close();
}

BOOST_AUTO_TEST_CASE(closing_a_TcpClient_ends_its_pending_read_and_the_peer_reads_0)
{
    TcpListener listener(IPAddress::Loopback, 0);
    listener.Start();
    TcpClient client(IPAddress::Loopback.ToString(), listener.LocalEndpoint().Port());
    auto server = listener.AcceptTcpClient();
    std::vector<std::uint8_t> buffer(8);
    auto pending = client.GetStream().ReadAsync(buffer, asio::use_future);
    client.Close();
    BOOST_CHECK_THROW(get_within(pending), OperationCanceledException);
    BOOST_TEST(get_within(server->GetStream().ReadAsync(buffer, asio::use_future)) == 0);
}

BOOST_AUTO_TEST_CASE(the_APM_echo_server_echoes_every_byte_of_200_connections_times_100_messages)
{
    running_context ctx(2);
    TcpListener listener(ctx.io().get_executor(), IPAddress::Loopback, 0);
    listener.Start(256);
    apm_echo_server server(listener);
    const int port = listener.LocalEndpoint().Port();

    constexpr int connections = 200;
    constexpr int messages = 100;
    std::atomic<int> checked{0};
    std::atomic<int> corrupted{0};
    std::vector<std::future<void>> done;
    for (int c = 0; c < connections; ++c) {
        done.push_back(asio::co_spawn(
            ctx.io(),
            [&, c]() -> asio::awaitable<void> {
                TcpClient client(ctx.io().get_executor());
                co_await client.ConnectAsync(IPAddress::Loopback, port, asio::use_awaitable);
                auto& stream = client.GetStream();
                for (int m = 0; m < messages; ++m) {
                    const std::string text = "connection " + std::to_string(c) + " message " + std::to_string(m) +
                                             std::string(static_cast<std::size_t>(m % 37), 'x') + "<EOF>";
                    const auto out = bytes_of(text);
                    co_await stream.WriteAsync(out, asio::use_awaitable);
                    std::vector<std::uint8_t> in(out.size());
                    co_await stream.ReadExactlyAsync(in, asio::use_awaitable);
                    if (in == out)
                        ++checked;
                    else
                        ++corrupted;
                }
                client.Close();
            },
            asio::use_future));
    }
    for (auto& f : done)
        BOOST_TEST_REQUIRE((f.wait_for(std::chrono::seconds(120)) == std::future_status::ready));
    for (auto& f : done)
        f.get();
    BOOST_TEST(checked.load() == connections * messages);
    BOOST_TEST(corrupted.load() == 0);
    BOOST_TEST(server.accepted() == connections);
    listener.Stop();
    BOOST_TEST(server.stopped());
}

DOTASYNC_NO_DESCRIPTOR_LEAKED_TEST()

BOOST_AUTO_TEST_SUITE_END()
