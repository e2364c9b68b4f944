// Socket: every face over loopback, with .NET's errors, End rules and Close.
#include <dotasync/net/socket.hpp>

#include "net/net_fixture.hpp"
#include "support/running_context.hpp"
#include "support/waiting.hpp"

#include <dotasync/core/exceptions.hpp>
#include <dotasync/core/wait_handle.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <boost/test/unit_test.hpp>

#include <array>
#include <atomic>
#include <cstdint>
#include <future>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

using namespace dotasync;
using namespace dotasync_test;
namespace asio = boost::asio;

BOOST_TEST_GLOBAL_FIXTURE(net_baseline);

namespace {

SocketPtr tcp_socket(AddressFamily family = AddressFamily::InterNetwork)
{
    return std::make_shared<Socket>(family, SocketType::Stream, ProtocolType::Tcp);
}

SocketPtr udp_socket(AddressFamily family = AddressFamily::InterNetwork)
{
    return std::make_shared<Socket>(family, SocketType::Dgram, ProtocolType::Udp);
}

} // namespace

BOOST_AUTO_TEST_SUITE(socket_class)

// ---- The APM server shape ---------------------------------------------------------

BOOST_AUTO_TEST_CASE(BeginAccept_BeginConnect_BeginSend_BeginReceive_round_trip_with_state_and_callbacks)
{
    auto listener = loopback_listener();
    auto client = tcp_socket();

    std::promise<SocketPtr> accepted;
    std::promise<std::any> accept_state;
    listener->BeginAccept(
        [&](const IAsyncResultPtr& ar) {
            accept_state.set_value(ar->AsyncState());
            accepted.set_value(listener->EndAccept(ar));
        },
        std::string("listener"));

    ManualResetEvent connect_done(false);
    auto connect_ar = client->BeginConnect(*listener->LocalEndPoint(), [&](const IAsyncResultPtr&) { connect_done.Set(); },
                                           42);
    BOOST_TEST(connect_done.WaitOne(generous));
    client->EndConnect(connect_ar);
    BOOST_TEST(!connect_ar->CompletedSynchronously());
    BOOST_TEST(std::any_cast<int>(connect_ar->AsyncState()) == 42);
    BOOST_TEST(client->Connected());

    auto server = get_within(accepted.get_future());
    BOOST_TEST(std::any_cast<std::string>(get_within(accept_state.get_future())) == "listener");
    BOOST_TEST(server->Connected());
    BOOST_TEST((server->RemoteEndPoint() == client->LocalEndPoint()));

    const auto message = bytes_of("hello, server<EOF>");
    auto send_ar = client->BeginSend(message, 0, static_cast<int>(message.size()), SocketFlags::None, {}, {});
    BOOST_TEST(client->EndSend(send_ar) == static_cast<int>(message.size()));

    std::vector<std::uint8_t> buffer(64);
    std::string received;
    while (received.find("<EOF>") == std::string::npos) {
        auto ar = server->BeginReceive(buffer, 0, static_cast<int>(buffer.size()), SocketFlags::None, {}, {});
        const int n = server->EndReceive(ar);
        BOOST_TEST_REQUIRE(n > 0);
        received += text_of(buffer, n);
    }
    BOOST_TEST(received == "hello, server<EOF>");
}

BOOST_AUTO_TEST_CASE(EndReceive_returns_0_once_the_peer_has_shut_down)
{
    auto [client, server] = connected_pair();
    client->Send(bytes_of("last words"));
    client->Shutdown(SocketShutdown::Send);
    std::vector<std::uint8_t> buffer(4);
    std::string received;
    for (;;) {
        const int n = server->EndReceive(server->BeginReceive(buffer, 0, 4, SocketFlags::None, {}, {}));
        if (n == 0)
            break;
        received += text_of(buffer, n);
    }
    BOOST_TEST(received == "last words");
    // Again: still 0, still no exception.
    BOOST_TEST(server->EndReceive(server->BeginReceive(buffer, 0, 4, SocketFlags::None, {}, {})) == 0);
    BOOST_TEST(get_within(server->ReceiveAsync(buffer, asio::use_future)) == 0);
    BOOST_TEST(server->Receive(buffer) == 0);
}

BOOST_AUTO_TEST_CASE(a_large_BeginSend_sends_every_byte_before_it_completes)
{
    auto [client, server] = connected_pair();
    std::vector<std::uint8_t> big(8 * 1024 * 1024);
    std::iota(big.begin(), big.end(), std::uint8_t{0});
    auto ar = client->BeginSend(big, 0, static_cast<int>(big.size()), SocketFlags::None, {}, {});
    std::vector<std::uint8_t> got;
    std::vector<std::uint8_t> buffer(65536);
    while (got.size() < big.size()) {
        const int n = server->Receive(buffer);
        BOOST_TEST_REQUIRE(n > 0);
        got.insert(got.end(), buffer.begin(), buffer.begin() + n);
    }
    BOOST_TEST(client->EndSend(ar) == static_cast<int>(big.size()));
    BOOST_TEST((got == big));
}

// ---- TAP ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(AcceptAsync_ConnectAsync_SendAsync_ReceiveAsync_work_in_a_coroutine_on_the_callers_io_context)
{
    running_context ctx;
    auto listener = std::make_shared<Socket>(ctx.io().get_executor(), AddressFamily::InterNetwork,
                                             SocketType::Stream, ProtocolType::Tcp);
    listener->Bind(IPEndPoint(IPAddress::Loopback, 0));
    listener->Listen();
    const auto endpoint = *listener->LocalEndPoint();

    auto echoed = asio::co_spawn(
        ctx.io(),
        [&]() -> asio::awaitable<std::string> {
            auto client = std::make_shared<Socket>(ctx.io().get_executor(), AddressFamily::InterNetwork,
                                                   SocketType::Stream, ProtocolType::Tcp);
            // The kernel completes the handshake against the backlog, so the
            // connect need not wait for the accept.
            co_await client->ConnectAsync(endpoint, asio::use_awaitable);
            auto server = co_await listener->AcceptAsync(asio::use_awaitable);
            if (server->get_executor() != asio::any_io_executor(ctx.io().get_executor()))
                co_return std::string("accepted on another executor");
            const auto message = bytes_of("ping");
            const int sent = co_await client->SendAsync(message, asio::use_awaitable);
            std::vector<std::uint8_t> buffer(16);
            const int n = co_await server->ReceiveAsync(buffer, SocketFlags::None, asio::use_awaitable);
            co_await server->SendAsync(std::span(buffer.data(), static_cast<std::size_t>(n)), asio::use_awaitable);
            std::vector<std::uint8_t> back(16);
            const int m = co_await client->ReceiveAsync(back, asio::use_awaitable);
            co_return std::to_string(sent) + ":" + text_of(back, m);
        },
        asio::use_future);
    BOOST_TEST(get_within(echoed) == "4:ping");
}

BOOST_AUTO_TEST_CASE(a_canceled_ReceiveAsync_throws_OperationCanceledException_and_leaves_the_socket_usable)
{
    auto [client, server] = connected_pair();
    std::vector<std::uint8_t> buffer(16);
    CancellationTokenSource cts;
    auto pending = server->ReceiveAsync(buffer, SocketFlags::None, cts.Token(), asio::use_future);
    cts.Cancel();
    BOOST_CHECK_THROW(get_within(pending), OperationCanceledException);
    BOOST_TEST(server->Connected());

    client->Send(bytes_of("still here"));
    const int n = get_within(server->ReceiveAsync(buffer, asio::use_future));
    BOOST_TEST(text_of(buffer, n) == "still here");
}

BOOST_AUTO_TEST_CASE(a_token_canceled_before_the_call_cancels_the_receive_without_consuming_data)
{
    auto [client, server] = connected_pair();
    client->Send(bytes_of("kept"));
    CancellationTokenSource cts;
    cts.Cancel();
    std::vector<std::uint8_t> buffer(16);
    BOOST_CHECK_THROW(get_within(server->ReceiveAsync(buffer, SocketFlags::None, cts.Token(), asio::use_future)),
                      OperationCanceledException);
    const int n = server->Receive(buffer);
    BOOST_TEST(text_of(buffer, n) == "kept");
}

// ---- Errors --------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(connecting_where_nobody_listens_fails_with_ConnectionRefused_in_every_face)
{
    IPEndPoint nowhere(IPAddress::Loopback, 0);
    {
        // A port that was just free and is bound by nobody now.
        auto probe = loopback_listener();
        nowhere = *probe->LocalEndPoint();
    }
    BOOST_TEST((socket_error_of_call([&] { tcp_socket()->Connect(nowhere); }) == SocketError::ConnectionRefused));
    auto s = tcp_socket();
    auto ar = s->BeginConnect(nowhere, {}, {});
    BOOST_TEST((socket_error_of_call([&] { s->EndConnect(ar); }) == SocketError::ConnectionRefused));
    BOOST_TEST(!s->Connected());
    BOOST_TEST((socket_error_of_call([&] { get_within(tcp_socket()->ConnectAsync(nowhere, asio::use_future)); }) ==
                SocketError::ConnectionRefused));
}

BOOST_AUTO_TEST_CASE(binding_a_port_in_use_throws_AddressAlreadyInUse)
{
    auto listener = loopback_listener();
    auto other = tcp_socket();
    BOOST_TEST((socket_error_of_call([&] { other->Bind(*listener->LocalEndPoint()); }) ==
                SocketError::AddressAlreadyInUse));
    // The socket is still usable: bind elsewhere.
    other->Bind(IPEndPoint(IPAddress::Loopback, 0));
    BOOST_TEST(other->IsBound());
}

BOOST_AUTO_TEST_CASE(a_reset_connection_fails_the_receive_with_ConnectionReset_and_Connected_turns_false)
{
    auto [client, server] = connected_pair();
    std::vector<std::uint8_t> buffer(16);
    auto ar = server->BeginReceive(buffer, 0, 16, SocketFlags::None, {}, {});
    client->Close(0); // linger 0: the connection is reset
    BOOST_TEST((socket_error_of_call([&] { server->EndReceive(ar); }) == SocketError::ConnectionReset));
    BOOST_TEST(!server->Connected());
}

BOOST_AUTO_TEST_CASE(sending_after_the_peer_reset_fails_with_a_SocketException_not_a_signal)
{
    auto [client, server] = connected_pair();
    client->Close(0);
    std::vector<std::uint8_t> buffer(16);
    BOOST_TEST((socket_error_of_call([&] { server->Receive(buffer); }) == SocketError::ConnectionReset));
    const auto error = socket_error_of_call([&] {
        for (int i = 0; i < 100; ++i)
            server->Send(buffer);
    });
    BOOST_TEST((error == SocketError::Shutdown || error == SocketError::ConnectionReset));
}

BOOST_AUTO_TEST_CASE(a_receive_timeout_expires_with_TimedOut_and_a_non_blocking_receive_with_WouldBlock)
{
    auto [client, server] = connected_pair();
    std::vector<std::uint8_t> buffer(16);
    server->ReceiveTimeout(50);
    BOOST_TEST(server->ReceiveTimeout() == 50);
    BOOST_TEST((socket_error_of_call([&] { server->Receive(buffer); }) == SocketError::TimedOut));
    server->ReceiveTimeout(0);
    server->Blocking(false);
    BOOST_TEST(!server->Blocking());
    BOOST_TEST((socket_error_of_call([&] { server->Receive(buffer); }) == SocketError::WouldBlock));
    BOOST_CHECK_THROW(server->ReceiveTimeout(-2), ArgumentOutOfRangeException);
}

BOOST_AUTO_TEST_CASE(bad_arguments_are_thrown_by_the_call_and_start_nothing)
{
    auto [client, server] = connected_pair();
    std::vector<std::uint8_t> buffer(8);
    BOOST_CHECK_THROW(server->BeginReceive(buffer, -1, 4, SocketFlags::None, {}, {}), ArgumentOutOfRangeException);
    BOOST_CHECK_THROW(server->BeginReceive(buffer, 0, -4, SocketFlags::None, {}, {}), ArgumentOutOfRangeException);
    BOOST_CHECK_THROW(server->BeginReceive(buffer, 6, 4, SocketFlags::None, {}, {}), ArgumentException);
    BOOST_CHECK_THROW(server->BeginReceive(std::span<std::uint8_t>(), 0, 4, SocketFlags::None, {}, {}),
                      ArgumentNullException);
    BOOST_CHECK_THROW(client->BeginSend(buffer, 9, 0, SocketFlags::None, {}, {}), ArgumentException);
    BOOST_CHECK_THROW(client->Send(buffer, 0, 9), ArgumentException);
    BOOST_TEST((socket_error_of_call([&] { client->Send(buffer, SocketFlags::Partial); }) ==
                SocketError::OperationNotSupported));
    BOOST_CHECK_THROW(client->BeginConnect(std::string(), 80, {}, {}), ArgumentNullException);
    BOOST_CHECK_THROW(client->BeginConnect("localhost", 70000, {}, {}), ArgumentOutOfRangeException);
    // Nothing was started: the data sent now is the first the server sees.
    client->Send(bytes_of("first"));
    BOOST_TEST(text_of(buffer, server->Receive(buffer)) == "first");
}

BOOST_AUTO_TEST_CASE(End_rules_other_method_other_socket_twice_and_null_are_refused)
{
    auto [client, server] = connected_pair();
    std::vector<std::uint8_t> buffer(8);
    auto send_ar = client->BeginSend(buffer, 0, 8, SocketFlags::None, {}, {});
    BOOST_CHECK_THROW(client->EndReceive(send_ar), InvalidOperationException);
    BOOST_CHECK_THROW(server->EndSend(send_ar), InvalidOperationException);
    BOOST_TEST(client->EndSend(send_ar) == 8);
    BOOST_CHECK_THROW(client->EndSend(send_ar), InvalidOperationException);
    BOOST_CHECK_THROW(client->EndSend(nullptr), ArgumentNullException);
    BOOST_TEST(server->Receive(buffer) == 8);
}

BOOST_AUTO_TEST_CASE(the_wrong_operation_for_the_socket_state_is_refused_as_dotnet_does)
{
    auto s = tcp_socket();
    BOOST_CHECK_THROW(s->BeginAccept({}, {}), InvalidOperationException);
    BOOST_CHECK_THROW(s->Accept(), InvalidOperationException);
    auto u = udp_socket();
    BOOST_TEST((socket_error_of_call([&] { u->Listen(); }) == SocketError::OperationNotSupported));
    std::vector<std::uint8_t> buffer(8);
    IPEndPoint from(IPAddress::Any, 0);
    BOOST_CHECK_THROW(u->ReceiveFrom(buffer, from), InvalidOperationException);
    auto listener = loopback_listener();
    BOOST_TEST((socket_error_of_call([&] { listener->Send(buffer); }) == SocketError::NotConnected));
    BOOST_CHECK_THROW(listener->Connect(IPEndPoint(IPAddress::Loopback, 9)), InvalidOperationException);
    BOOST_TEST((socket_error_of_call([] { Socket(AddressFamily::InterNetwork, SocketType::Stream, ProtocolType::Udp); }) ==
                SocketError::ProtocolType));
    BOOST_TEST((socket_error_of_call([] { Socket(AddressFamily::Unix, SocketType::Stream, ProtocolType::Tcp); }) ==
                SocketError::AddressFamilyNotSupported));
}

// ---- Close -----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(Close_during_a_pending_BeginReceive_runs_the_callback_and_EndReceive_throws_ObjectDisposedException)
{
    auto [client, server] = connected_pair();
    std::vector<std::uint8_t> buffer(8);
    std::promise<std::exception_ptr> ended;
    server->BeginReceive(buffer, 0, 8, SocketFlags::None,
                         [&](const IAsyncResultPtr& ar) {
                             ended.set_value(exception_of([&] { server->EndReceive(ar); }));
                         },
                         {});
    server->Close();
    BOOST_TEST(holds<ObjectDisposedException>(get_within(ended.get_future())));
    BOOST_TEST(!server->Connected());
}

BOOST_AUTO_TEST_CASE(Close_during_a_pending_BeginAccept_and_AcceptAsync_completes_both_with_ObjectDisposedException)
{
    auto listener = loopback_listener();
    auto ar = listener->BeginAccept({}, {});
    auto pending = listener->AcceptAsync(asio::use_future);
    listener->Close();
    BOOST_CHECK_THROW(listener->EndAccept(ar), ObjectDisposedException);
    BOOST_CHECK_THROW(get_within(pending), ObjectDisposedException);
}

BOOST_AUTO_TEST_CASE(Close_wakes_a_synchronous_Receive_and_Accept_blocked_in_other_threads)
{
    auto [client, server] = connected_pair();
    auto listener = loopback_listener();
    std::vector<std::uint8_t> buffer(8);
    auto receiving = std::async(std::launch::async, [&] { return exception_of([&] { server->Receive(buffer); }); });
    auto accepting = std::async(std::launch::async, [&] { return exception_of([&] { listener->Accept(); }); });
    // Close may come before the calls block; either way they end with it.
    server->Close();
    listener->Close();
    BOOST_TEST(holds<ObjectDisposedException>(get_within(receiving)));
    BOOST_TEST(holds<ObjectDisposedException>(get_within(accepting)));
}

BOOST_AUTO_TEST_CASE(every_member_of_a_closed_socket_throws_ObjectDisposedException)
{
    auto s = tcp_socket();
    s->Close();
    s->Close(); // a second Close does nothing
    std::vector<std::uint8_t> buffer(8);
    BOOST_CHECK_THROW(s->Bind(IPEndPoint(IPAddress::Loopback, 0)), ObjectDisposedException);
    BOOST_CHECK_THROW(s->Connect(IPEndPoint(IPAddress::Loopback, 9)), ObjectDisposedException);
    BOOST_CHECK_THROW(s->BeginConnect(IPEndPoint(IPAddress::Loopback, 9), {}, {}), ObjectDisposedException);
    BOOST_CHECK_THROW(s->BeginReceive(buffer, 0, 8, SocketFlags::None, {}, {}), ObjectDisposedException);
    BOOST_CHECK_THROW(s->SendAsync(buffer, asio::use_future), ObjectDisposedException);
    BOOST_CHECK_THROW(s->Receive(buffer), ObjectDisposedException);
    BOOST_CHECK_THROW(s->LocalEndPoint(), ObjectDisposedException);
    BOOST_CHECK_THROW(s->Available(), ObjectDisposedException);
    BOOST_CHECK_THROW(s->NoDelay(true), ObjectDisposedException);
    BOOST_CHECK_THROW(s->Poll(0, SelectMode::SelectRead), ObjectDisposedException);
    BOOST_CHECK_THROW(s->Shutdown(SocketShutdown::Both), ObjectDisposedException);
}

// ---- Synchronous members and state -----------------------------------------------------

BOOST_AUTO_TEST_CASE(synchronous_Accept_Connect_Send_Receive_and_the_end_points)
{
    auto listener = tcp_socket();
    BOOST_TEST(!listener->LocalEndPoint().has_value());
    BOOST_TEST(!listener->IsBound());
    listener->Bind(IPEndPoint(IPAddress::Loopback, 0));
    listener->Listen(4);
    BOOST_TEST(listener->LocalEndPoint()->Port() != 0);

    auto accepting = std::async(std::launch::async, [&] { return listener->Accept(); });
    auto client = tcp_socket();
    BOOST_TEST(!client->RemoteEndPoint().has_value());
    client->Connect(IPAddress::Loopback, listener->LocalEndPoint()->Port());
    auto server = get_within(accepting);
    BOOST_TEST((client->RemoteEndPoint() == listener->LocalEndPoint()));
    BOOST_TEST((server->LocalEndPoint() == listener->LocalEndPoint()));

    BOOST_TEST(client->Send(bytes_of("abcdef"), 1, 4) == 4);
    std::vector<std::uint8_t> buffer(10, '.');
    while (server->Available() < 4)
        BOOST_TEST_REQUIRE(server->Poll(10'000'000, SelectMode::SelectRead));
    BOOST_TEST(server->Available() == 4);
    BOOST_TEST(server->Receive(buffer, 2, 2, SocketFlags::Peek) == 2);
    BOOST_TEST(server->Receive(buffer, 2, 8) == 4);
    BOOST_TEST(std::string(buffer.begin(), buffer.end()) == "..bcde....");
}

BOOST_AUTO_TEST_CASE(Connect_by_host_name_in_every_face)
{
    auto listener = loopback_listener();
    const int port = listener->LocalEndPoint()->Port();
    auto a = tcp_socket();
    a->Connect("localhost", port);
    BOOST_TEST(a->Connected());
    auto b = tcp_socket();
    b->EndConnect(b->BeginConnect("localhost", port, {}, {}));
    BOOST_TEST(b->Connected());
    auto c = tcp_socket();
    get_within(c->ConnectAsync(std::string("localhost"), port, asio::use_future));
    BOOST_TEST(c->Connected());
    BOOST_TEST((socket_error_of_call([&] { tcp_socket()->Connect("no-such-host.invalid", port); }) ==
                SocketError::HostNotFound));
    auto d = tcp_socket();
    BOOST_TEST((socket_error_of_call([&] {
                    get_within(d->ConnectAsync(std::string("no-such-host.invalid"), port, asio::use_future));
                }) == SocketError::HostNotFound));
    // Three connections were made.
    for (int i = 0; i < 3; ++i)
        BOOST_TEST(get_within(listener->AcceptAsync(asio::use_future))->Connected());
}

BOOST_AUTO_TEST_CASE(options_read_back_what_was_set)
{
    auto [client, server] = connected_pair();
    client->NoDelay(true);
    BOOST_TEST(client->NoDelay());
    client->NoDelay(false);
    BOOST_TEST(!client->NoDelay());
    client->ReceiveBufferSize(65536);
    BOOST_TEST(client->ReceiveBufferSize() >= 65536);
    client->LingerState(LingerOption(true, 5));
    BOOST_TEST((client->LingerState() == LingerOption(true, 5)));
    client->SetSocketOption(SocketOptionLevel::Socket, SocketOptionName::KeepAlive, true);
    BOOST_TEST(client->GetSocketOption(SocketOptionLevel::Socket, SocketOptionName::KeepAlive) != 0);
    BOOST_TEST(client->GetSocketOption(SocketOptionLevel::Socket, SocketOptionName::Type) ==
               static_cast<int>(SocketType::Stream));
    client->Ttl(42);
    BOOST_TEST(client->Ttl() == 42);
    BOOST_CHECK_THROW(client->DualMode(), NotSupportedException);
    BOOST_TEST((socket_error_of_call([&] {
                    client->SetSocketOption(SocketOptionLevel::Udp, SocketOptionName::NoDelay, 1);
                }) == SocketError::ProtocolOption));
    BOOST_TEST(client->Poll(0, SelectMode::SelectWrite));
    BOOST_TEST(!server->Poll(0, SelectMode::SelectRead));
}

// ---- Datagrams -------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(udp_SendTo_and_ReceiveFrom_round_trip_in_every_face_with_the_senders_address)
{
    auto a = udp_socket();
    auto b = udp_socket();
    a->Bind(IPEndPoint(IPAddress::Loopback, 0));
    b->Bind(IPEndPoint(IPAddress::Loopback, 0));
    const auto a_ep = *a->LocalEndPoint();
    const auto b_ep = *b->LocalEndPoint();
    std::vector<std::uint8_t> buffer(64);

    BOOST_TEST(a->SendTo(bytes_of("one"), b_ep) == 3);
    IPEndPoint from(IPAddress::Any, 0);
    BOOST_TEST(text_of(buffer, b->ReceiveFrom(buffer, from)) == "one");
    BOOST_TEST((from == a_ep));

    auto recv_ar = b->BeginReceiveFrom(buffer, 0, 64, SocketFlags::None, IPEndPoint(IPAddress::Any, 0), {}, {});
    const auto two = bytes_of("two");
    a->EndSendTo(a->BeginSendTo(two, 0, 3, SocketFlags::None, b_ep, {}, {}));
    IPEndPoint from2(IPAddress::Any, 0);
    BOOST_TEST(text_of(buffer, b->EndReceiveFrom(recv_ar, from2)) == "two");
    BOOST_TEST((from2 == a_ep));

    auto pending = b->ReceiveFromAsync(buffer, IPEndPoint(IPAddress::Any, 0), asio::use_future);
    BOOST_TEST(get_within(a->SendToAsync(bytes_of("three"), b_ep, asio::use_future)) == 5);
    const auto result = get_within(pending);
    BOOST_TEST(text_of(buffer, result.ReceivedBytes) == "three");
    BOOST_TEST((result.RemoteEndPoint == a_ep));

    // A connected datagram socket sends and receives without addresses.
    a->Connect(b_ep);
    BOOST_TEST(a->Connected());
    BOOST_TEST(get_within(a->SendAsync(bytes_of("four"), asio::use_future)) == 4);
    BOOST_TEST(text_of(buffer, b->Receive(buffer)) == "four");
    BOOST_TEST((socket_error_of_call([&] { a->SendTo(bytes_of("x"), IPEndPoint(IPAddress::IPv6Loopback, 1)); }) ==
                SocketError::AddressFamilyNotSupported));
}

// ---- IPv6 and dual mode ----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(ipv6_loopback_round_trip_and_a_dual_mode_listener_accepting_ipv4)
{
    if (!has_ipv6_loopback()) {
        BOOST_TEST_MESSAGE("skipped: this machine has no IPv6 loopback");
        return;
    }
    auto listener = loopback_listener(AddressFamily::InterNetworkV6);
    auto client = tcp_socket(AddressFamily::InterNetworkV6);
    client->Connect(*listener->LocalEndPoint());
    auto server = get_within(listener->AcceptAsync(asio::use_future));
    BOOST_TEST((server->RemoteEndPoint()->Address() == IPAddress::IPv6Loopback));
    client->Send(bytes_of("six"));
    std::vector<std::uint8_t> buffer(8);
    BOOST_TEST(text_of(buffer, server->Receive(buffer)) == "six");

    auto dual = std::make_shared<Socket>(SocketType::Stream, ProtocolType::Tcp);
    BOOST_TEST((dual->AddressFamily() == AddressFamily::InterNetworkV6));
    BOOST_TEST(dual->DualMode());
    dual->Bind(IPEndPoint(IPAddress::IPv6Any, 0));
    dual->Listen();
    auto v4 = tcp_socket();
    v4->Connect(IPAddress::Loopback, dual->LocalEndPoint()->Port());
    auto from_v4 = get_within(dual->AcceptAsync(asio::use_future));
    BOOST_TEST(from_v4->RemoteEndPoint()->Address().IsIPv4MappedToIPv6());
    BOOST_TEST((from_v4->RemoteEndPoint()->Address().MapToIPv4() == IPAddress::Loopback));
}

// ---- Embedding -------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_native_asio_acceptor_hands_a_connection_to_ported_code_and_gets_it_back)
{
    running_context ctx;
    asio::ip::tcp::acceptor acceptor(ctx.io(), asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    auto accepted = acceptor.async_accept(asio::use_future);
    auto client = tcp_socket();
    client->Connect(IPAddress::Loopback, acceptor.local_endpoint().port());
    SocketPtr ported = Socket::Adopt(get_within(accepted));
    BOOST_TEST(ported->Connected());
    BOOST_TEST((ported->get_executor() == asio::any_io_executor(ctx.io().get_executor())));
    client->Send(bytes_of("to ported code"));
    std::vector<std::uint8_t> buffer(32);
    BOOST_TEST(text_of(buffer, ported->EndReceive(ported->BeginReceive(buffer, 0, 32, SocketFlags::None, {}, {}))) ==
               "to ported code");
    // And back to native Asio.
    asio::ip::tcp::socket native = std::move(ported->native_socket());
    asio::write(native, asio::buffer("back", 4));
    BOOST_TEST(text_of(buffer, client->Receive(buffer)) == "back");
    BOOST_CHECK_THROW(Socket::Adopt(asio::ip::tcp::socket(ctx.io())), ArgumentException);
}

DOTASYNC_NO_DESCRIPTOR_LEAKED_TEST()

BOOST_AUTO_TEST_SUITE_END()
