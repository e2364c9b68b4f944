// SocketAsyncEventArgs: synchronous and asynchronous completion, reuse, the
// outcome fields, and a pooled echo exchange.
#include <dotasync/net/socket_async_event_args.hpp>

#include "net/net_fixture.hpp"
#include "support/allocation_counter.hpp"
#include "support/waiting.hpp"

#include <dotasync/core/exceptions.hpp>
#include <dotasync/net/socket.hpp>

#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <future>
#include <string>
#include <vector>

using namespace dotasync;
using namespace dotasync_test;
namespace asio = boost::asio;

BOOST_TEST_GLOBAL_FIXTURE(net_baseline);

namespace {

// Completed, as a future of the object's outcome.
struct completion_probe {
    std::promise<std::pair<SocketError, int>> promise;
    std::any sender;

    void watch(SocketAsyncEventArgs& e)
    {
        e.Completed += [this](const std::any& s, SocketAsyncEventArgs& args) {
            sender = s;
            promise.set_value({args.SocketError(), args.BytesTransferred()});
        };
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(socket_async_event_args)

BOOST_AUTO_TEST_CASE(a_receive_of_waiting_data_completes_synchronously_and_raises_nothing)
{
    auto [client, server] = connected_pair();
    client->Send(bytes_of("ready"));
    while (server->Available() < 5)
        BOOST_TEST_REQUIRE(server->Poll(10'000'000, SelectMode::SelectRead));
    std::vector<std::uint8_t> buffer(16);
    SocketAsyncEventArgs e;
    e.SetBuffer(buffer, 2, 10);
    bool raised = false;
    e.Completed += [&](const std::any&, SocketAsyncEventArgs&) { raised = true; };
    BOOST_TEST(!server->ReceiveAsync(e));
    BOOST_TEST(!raised);
    BOOST_TEST((e.LastOperation() == SocketAsyncOperation::Receive));
    BOOST_TEST((e.SocketError() == SocketError::Success));
    BOOST_TEST(e.BytesTransferred() == 5);
    BOOST_TEST(std::string(buffer.begin() + 2, buffer.begin() + 7) == "ready");
}

BOOST_AUTO_TEST_CASE(a_pending_receive_raises_Completed_with_the_socket_as_sender)
{
    auto [client, server] = connected_pair();
    std::vector<std::uint8_t> buffer(16);
    SocketAsyncEventArgs e;
    e.SetBuffer(buffer, 0, 16);
    e.UserToken(std::string("token"));
    completion_probe probe;
    probe.watch(e);
    BOOST_TEST(server->ReceiveAsync(e));
    BOOST_CHECK_THROW(server->ReceiveAsync(e), InvalidOperationException); // still in use
    client->Send(bytes_of("later"));
    const auto [error, n] = get_within(probe.promise.get_future());
    BOOST_TEST((error == SocketError::Success));
    BOOST_TEST(n == 5);
    BOOST_TEST(std::any_cast<Socket*>(probe.sender) == server.get());
    BOOST_TEST(std::any_cast<std::string>(e.UserToken()) == "token");
}

BOOST_AUTO_TEST_CASE(the_peer_shutting_down_is_Success_with_0_bytes_and_Close_is_OperationAborted)
{
    auto [client, server] = connected_pair();
    std::vector<std::uint8_t> buffer(16);
    SocketAsyncEventArgs e;
    e.SetBuffer(buffer, 0, 16);
    completion_probe probe;
    probe.watch(e);
    BOOST_TEST(server->ReceiveAsync(e));
    client->Shutdown(SocketShutdown::Send);
    const auto [error, n] = get_within(probe.promise.get_future());
    BOOST_TEST((error == SocketError::Success));
    BOOST_TEST(n == 0);

    SocketAsyncEventArgs pending;
    pending.SetBuffer(buffer, 0, 16);
    completion_probe aborted;
    aborted.watch(pending);
    BOOST_TEST(client->ReceiveAsync(pending));
    client->Close();
    BOOST_TEST((get_within(aborted.promise.get_future()).first == SocketError::OperationAborted));
    BOOST_CHECK_THROW(client->ReceiveAsync(pending), ObjectDisposedException);
}

BOOST_AUTO_TEST_CASE(accept_connect_and_send_through_event_args)
{
    auto listener = loopback_listener();
    SocketAsyncEventArgs accept;
    completion_probe accepted;
    accepted.watch(accept);
    BOOST_TEST(listener->AcceptAsync(accept));

    auto client = std::make_shared<Socket>(AddressFamily::InterNetwork, SocketType::Stream, ProtocolType::Tcp);
    SocketAsyncEventArgs connect;
    BOOST_CHECK_THROW(client->ConnectAsync(connect), ArgumentNullException);
    connect.RemoteEndPoint(*listener->LocalEndPoint());
    completion_probe connected;
    connected.watch(connect);
    BOOST_TEST(client->ConnectAsync(connect));
    BOOST_TEST((get_within(connected.promise.get_future()).first == SocketError::Success));
    BOOST_TEST((get_within(accepted.promise.get_future()).first == SocketError::Success));
    BOOST_TEST_REQUIRE(accept.AcceptSocket() != nullptr);
    BOOST_TEST((accept.LastOperation() == SocketAsyncOperation::Accept));

    auto message = bytes_of("through SAEA");
    SocketAsyncEventArgs send;
    send.SetBuffer(message, 0, static_cast<int>(message.size()));
    completion_probe sent;
    sent.watch(send);
    BOOST_TEST(client->SendAsync(send));
    BOOST_TEST(get_within(sent.promise.get_future()).second == static_cast<int>(message.size()));
    std::vector<std::uint8_t> buffer(32);
    BOOST_TEST(text_of(buffer, accept.AcceptSocket()->Receive(buffer)) == "through SAEA");
}

BOOST_AUTO_TEST_CASE(a_refused_connect_reports_ConnectionRefused_in_the_args)
{
    IPEndPoint nowhere = *loopback_listener()->LocalEndPoint(); // closed again at once
    auto client = std::make_shared<Socket>(AddressFamily::InterNetwork, SocketType::Stream, ProtocolType::Tcp);
    SocketAsyncEventArgs e;
    e.RemoteEndPoint(nowhere);
    completion_probe probe;
    probe.watch(e);
    BOOST_TEST(client->ConnectAsync(e));
    BOOST_TEST((get_within(probe.promise.get_future()).first == SocketError::ConnectionRefused));
}

BOOST_AUTO_TEST_CASE(udp_SendTo_and_ReceiveFrom_through_event_args)
{
    auto a = std::make_shared<Socket>(AddressFamily::InterNetwork, SocketType::Dgram, ProtocolType::Udp);
    auto b = std::make_shared<Socket>(AddressFamily::InterNetwork, SocketType::Dgram, ProtocolType::Udp);
    a->Bind(IPEndPoint(IPAddress::Loopback, 0));
    b->Bind(IPEndPoint(IPAddress::Loopback, 0));
    std::vector<std::uint8_t> in(64);
    SocketAsyncEventArgs receive;
    receive.SetBuffer(in, 0, 64);
    receive.RemoteEndPoint(IPEndPoint(IPAddress::Any, 0));
    completion_probe received;
    received.watch(receive);
    BOOST_TEST(b->ReceiveFromAsync(receive));

    auto out = bytes_of("datagram");
    SocketAsyncEventArgs send;
    send.SetBuffer(out, 0, static_cast<int>(out.size()));
    send.RemoteEndPoint(*b->LocalEndPoint());
    completion_probe sent;
    sent.watch(send);
    BOOST_TEST(a->SendToAsync(send));
    BOOST_TEST(get_within(sent.promise.get_future()).second == 8);
    BOOST_TEST(get_within(received.promise.get_future()).second == 8);
    BOOST_TEST(text_of(in, 8) == "datagram");
    BOOST_TEST((receive.RemoteEndPoint() == a->LocalEndPoint()));
}

BOOST_AUTO_TEST_CASE(SetBuffer_checks_its_window_as_dotnet)
{
    std::vector<std::uint8_t> buffer(8);
    SocketAsyncEventArgs e;
    BOOST_CHECK_THROW(e.SetBuffer(buffer, -1, 2), ArgumentOutOfRangeException);
    BOOST_CHECK_THROW(e.SetBuffer(buffer, 4, 5), ArgumentOutOfRangeException);
    e.SetBuffer(buffer, 4, 4);
    BOOST_TEST(e.Offset() == 4);
    BOOST_TEST(e.Count() == 4);
    BOOST_TEST(e.Buffer().size() == 8u);
    e.SetBuffer(0, 8);
    BOOST_TEST(e.Count() == 8);
    BOOST_CHECK_THROW(e.SetBuffer(1, 8), ArgumentOutOfRangeException);
}

BOOST_AUTO_TEST_CASE(a_synchronously_completed_receive_allocates_nothing)
{
    auto [client, server] = connected_pair();
    std::vector<std::uint8_t> buffer(16);
    SocketAsyncEventArgs e;
    e.SetBuffer(buffer, 0, 16);
    const auto message = bytes_of("x");
    // Warm up: the first calls may fill per-thread caches.
    for (int i = 0; i < 3; ++i) {
        client->Send(message);
        while (server->Available() == 0)
            BOOST_TEST_REQUIRE(server->Poll(10'000'000, SelectMode::SelectRead));
        BOOST_TEST_REQUIRE(!server->ReceiveAsync(e));
    }
    client->Send(message);
    while (server->Available() == 0)
        BOOST_TEST_REQUIRE(server->Poll(10'000'000, SelectMode::SelectRead));
    allocation_scope counter;
    const bool pending = server->ReceiveAsync(e);
    const auto allocations = counter.count();
    BOOST_TEST(!pending);
    BOOST_TEST(e.BytesTransferred() == 1);
    BOOST_TEST(allocations == 0u);
}

DOTASYNC_NO_DESCRIPTOR_LEAKED_TEST()

BOOST_AUTO_TEST_SUITE_END()
