// UdpClient: datagram round trips in every face, .NET's send rules, Close.
#include <dotasync/net/udp_client.hpp>

#include "net/net_fixture.hpp"
#include "support/waiting.hpp"

#include <dotasync/core/exceptions.hpp>

#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace dotasync;
using namespace dotasync_test;
namespace asio = boost::asio;

BOOST_TEST_GLOBAL_FIXTURE(net_baseline);

namespace {

IPEndPoint loopback_of(const UdpClient& client)
{
    return IPEndPoint(IPAddress::Loopback, client.Client()->LocalEndPoint()->Port());
}

std::string text(const std::vector<std::uint8_t>& v)
{
    return {v.begin(), v.end()};
}

} // namespace

BOOST_AUTO_TEST_SUITE(udp_client)

BOOST_AUTO_TEST_CASE(datagrams_round_trip_in_every_face_with_their_sender)
{
    UdpClient a(0);
    UdpClient b(0);
    const auto a_ep = loopback_of(a);
    const auto b_ep = loopback_of(b);

    const auto one = bytes_of("one");
    BOOST_TEST(a.Send(one, 3, b_ep) == 3);
    IPEndPoint from(IPAddress::Any, 0);
    BOOST_TEST(text(b.Receive(from)) == "one");
    BOOST_TEST(from.Port() == a_ep.Port());

    auto receiving = b.BeginReceive({}, std::string("state"));
    BOOST_TEST(std::any_cast<std::string>(receiving->AsyncState()) == "state");
    const auto two = bytes_of("two!");
    BOOST_TEST(a.EndSend(a.BeginSend(two, 4, b_ep, {}, {})) == 4);
    IPEndPoint from2(IPAddress::Any, 0);
    BOOST_TEST(text(b.EndReceive(receiving, from2)) == "two!");
    BOOST_TEST(from2.Port() == a_ep.Port());

    auto pending = b.ReceiveAsync(asio::use_future);
    const auto three = bytes_of("three");
    BOOST_TEST(get_within(a.SendAsync(three, 5, b_ep, asio::use_future)) == 5);
    const auto result = get_within(pending);
    BOOST_TEST(text(result.Buffer) == "three");
    BOOST_TEST(result.RemoteEndPoint.Port() == a_ep.Port());
}

BOOST_AUTO_TEST_CASE(a_connected_client_sends_without_an_address_and_refuses_one)
{
    UdpClient server(0);
    UdpClient client;
    client.Connect(IPAddress::Loopback, loopback_of(server).Port());
    const auto hello = bytes_of("hello");
    BOOST_TEST(client.Send(hello, 5) == 5);
    IPEndPoint from(IPAddress::Any, 0);
    BOOST_TEST(text(server.Receive(from)) == "hello");
    BOOST_CHECK_THROW(client.Send(hello, 5, loopback_of(server)), InvalidOperationException);
    UdpClient unconnected;
    BOOST_CHECK_THROW(unconnected.Send(hello, 5), InvalidOperationException);
    BOOST_CHECK_THROW(unconnected.Send(hello, 6, loopback_of(server)), ArgumentOutOfRangeException);
    BOOST_CHECK_THROW(unconnected.Send(hello, -1, loopback_of(server)), ArgumentOutOfRangeException);
}

BOOST_AUTO_TEST_CASE(a_datagram_is_received_whole_up_to_the_largest_size)
{
    UdpClient a(0);
    UdpClient b(0);
    std::vector<std::uint8_t> big(60000, 0x5a);
    big.front() = 1;
    big.back() = 2;
    auto pending = b.ReceiveAsync(asio::use_future);
    a.Send(big, static_cast<int>(big.size()), loopback_of(b));
    BOOST_TEST((get_within(pending).Buffer == big));
}

BOOST_AUTO_TEST_CASE(Close_ends_a_pending_receive_with_ObjectDisposedException_and_a_token_cancels_one)
{
    UdpClient client(0);
    CancellationTokenSource cts;
    auto canceled = client.ReceiveAsync(cts.Token(), asio::use_future);
    cts.Cancel();
    BOOST_CHECK_THROW(get_within(canceled), OperationCanceledException);
    auto ar = client.BeginReceive({}, {});
    client.Close();
    IPEndPoint from(IPAddress::Any, 0);
    BOOST_CHECK_THROW(client.EndReceive(ar, from), ObjectDisposedException);
    BOOST_CHECK_THROW(client.Receive(from), ObjectDisposedException);
    BOOST_CHECK_THROW(client.EnableBroadcast(true), ObjectDisposedException);
    client.Close();
}

BOOST_AUTO_TEST_CASE(options_broadcast_ttl_and_multicast_membership)
{
    UdpClient client(0);
    client.EnableBroadcast(true);
    BOOST_TEST(client.EnableBroadcast());
    client.Ttl(7);
    BOOST_TEST(client.Ttl() == 7);
    BOOST_CHECK_THROW(client.JoinMulticastGroup(IPAddress::Parse("ff02::1")), ArgumentException);
    try {
        client.JoinMulticastGroup(IPAddress::Parse("239.1.2.3"));
        client.DropMulticastGroup(IPAddress::Parse("239.1.2.3"));
    } catch (const SocketException& e) {
        // A machine without a multicast route refuses membership.
        BOOST_TEST_MESSAGE("multicast unavailable here: " << e.what());
    }
}

DOTASYNC_NO_DESCRIPTOR_LEAKED_TEST()

BOOST_AUTO_TEST_SUITE_END()
