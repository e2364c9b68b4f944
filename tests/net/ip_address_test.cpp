// IPAddress, IPEndPoint, SocketError and Dns: parsing, printing, mapping and
// resolution, as .NET does them.
#include <dotasync/net/ip_address.hpp>

#include "net/net_fixture.hpp"
#include "support/waiting.hpp"

#include <dotasync/core/exceptions.hpp>
#include <dotasync/net/dns.hpp>
#include <dotasync/net/ip_end_point.hpp>
#include <dotasync/net/socket_error.hpp>

#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cerrno>
#include <future>

using namespace dotasync;
using namespace dotasync_test;
namespace asio = boost::asio;

BOOST_TEST_GLOBAL_FIXTURE(net_baseline);

BOOST_AUTO_TEST_SUITE(ip_address)

BOOST_AUTO_TEST_CASE(Parse_reads_IPv4_and_IPv6_text_and_ToString_writes_it_back)
{
    BOOST_TEST(IPAddress::Parse("192.168.1.10").ToString() == "192.168.1.10");
    BOOST_TEST((IPAddress::Parse("192.168.1.10").AddressFamily() == AddressFamily::InterNetwork));
    BOOST_TEST(IPAddress::Parse("::1").ToString() == "::1");
    BOOST_TEST(IPAddress::Parse("[::1]").ToString() == "::1");
    BOOST_TEST((IPAddress::Parse("fe80::1").AddressFamily() == AddressFamily::InterNetworkV6));
    BOOST_TEST((IPAddress::Parse("::1") == IPAddress::IPv6Loopback));
    BOOST_TEST((IPAddress::Parse("127.0.0.1") == IPAddress::Loopback));
}

BOOST_AUTO_TEST_CASE(Parse_of_anything_else_throws_FormatException_and_TryParse_returns_false)
{
    for (const char* bad : {"", "not an address", "256.1.1.1", "1.2.3", "::g", "1.2.3.4:80"}) {
        BOOST_CHECK_THROW(IPAddress::Parse(bad), FormatException);
        IPAddress address = IPAddress::Broadcast;
        BOOST_TEST(!IPAddress::TryParse(bad, address));
        BOOST_TEST((address == IPAddress::Broadcast)); // left as it was
    }
}

BOOST_AUTO_TEST_CASE(the_static_addresses_have_dotnets_values)
{
    BOOST_TEST(IPAddress::Any.ToString() == "0.0.0.0");
    BOOST_TEST(IPAddress::Loopback.ToString() == "127.0.0.1");
    BOOST_TEST(IPAddress::Broadcast.ToString() == "255.255.255.255");
    BOOST_TEST(IPAddress::None.ToString() == "255.255.255.255");
    BOOST_TEST(IPAddress::IPv6Any.ToString() == "::");
    BOOST_TEST(IPAddress::IPv6Loopback.ToString() == "::1");
    BOOST_TEST(IPAddress::IPv6None.ToString() == "::");
}

BOOST_AUTO_TEST_CASE(addresses_from_bytes_and_from_a_long_and_back_to_bytes)
{
    // .NET's IPAddress(long) holds the first byte in the low bits.
    BOOST_TEST(IPAddress(0x0100007FLL).ToString() == "127.0.0.1");
    const std::uint8_t v4[] = {10, 0, 0, 1};
    BOOST_TEST(IPAddress(std::span<const std::uint8_t>(v4)).ToString() == "10.0.0.1");
    BOOST_TEST((IPAddress::Parse("10.0.0.1").GetAddressBytes() == std::vector<std::uint8_t>{10, 0, 0, 1}));
    BOOST_TEST(IPAddress::IPv6Loopback.GetAddressBytes().size() == 16u);
    const std::uint8_t three[] = {1, 2, 3};
    BOOST_CHECK_THROW(IPAddress(std::span<const std::uint8_t>(three)), ArgumentException);
    BOOST_CHECK_THROW(IPAddress(-1LL), ArgumentOutOfRangeException);
    BOOST_CHECK_THROW(IPAddress(0x100000000LL), ArgumentOutOfRangeException);
}

BOOST_AUTO_TEST_CASE(mapping_between_IPv4_and_IPv6_and_loopback_detection)
{
    const auto mapped = IPAddress::Loopback.MapToIPv6();
    BOOST_TEST(mapped.ToString() == "::ffff:127.0.0.1");
    BOOST_TEST(mapped.IsIPv4MappedToIPv6());
    BOOST_TEST((mapped.MapToIPv4() == IPAddress::Loopback));
    BOOST_TEST(IPAddress::IsLoopback(mapped));
    BOOST_TEST(IPAddress::IsLoopback(IPAddress::IPv6Loopback));
    BOOST_TEST(IPAddress::IsLoopback(IPAddress::Parse("127.8.9.10")));
    BOOST_TEST(!IPAddress::IsLoopback(IPAddress::Parse("10.0.0.1")));
    BOOST_TEST(IPAddress::Parse("fe80::1").IsIPv6LinkLocal());
    BOOST_TEST(IPAddress::Parse("ff02::1").IsIPv6Multicast());
    BOOST_TEST((socket_error_of_call([] { (void)IPAddress::Loopback.ScopeId(); }) ==
                SocketError::OperationNotSupported));
    auto scoped = IPAddress::Parse("fe80::1");
    scoped.ScopeId(3);
    BOOST_TEST(scoped.ScopeId() == 3);
}

BOOST_AUTO_TEST_CASE(IPEndPoint_prints_parses_and_checks_its_port)
{
    BOOST_TEST(IPEndPoint(IPAddress::Loopback, 8080).ToString() == "127.0.0.1:8080");
    BOOST_TEST(IPEndPoint(IPAddress::IPv6Loopback, 8080).ToString() == "[::1]:8080");
    BOOST_TEST((IPEndPoint::Parse("127.0.0.1:80") == IPEndPoint(IPAddress::Loopback, 80)));
    BOOST_TEST((IPEndPoint::Parse("[::1]:443") == IPEndPoint(IPAddress::IPv6Loopback, 443)));
    BOOST_TEST((IPEndPoint::Parse("::1") == IPEndPoint(IPAddress::IPv6Loopback, 0)));
    BOOST_TEST((IPEndPoint::Parse("10.1.2.3") == IPEndPoint(IPAddress::Parse("10.1.2.3"), 0)));
    for (const char* bad : {"", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "[::1]x", "host:80"})
        BOOST_CHECK_THROW(IPEndPoint::Parse(bad), FormatException);
    BOOST_CHECK_THROW(IPEndPoint(IPAddress::Loopback, -1), ArgumentOutOfRangeException);
    BOOST_CHECK_THROW(IPEndPoint(IPAddress::Loopback, 65536), ArgumentOutOfRangeException);
    IPEndPoint ep(IPAddress::Loopback, 1);
    BOOST_CHECK_THROW(ep.Port(70000), ArgumentOutOfRangeException);
    BOOST_TEST(ep.Port() == 1);
    BOOST_TEST((ep.AddressFamily() == AddressFamily::InterNetwork));
}

BOOST_AUTO_TEST_CASE(SocketError_values_and_the_errno_table_follow_dotnet)
{
    BOOST_TEST(static_cast<int>(SocketError::ConnectionRefused) == 10061);
    BOOST_TEST(static_cast<int>(SocketError::HostNotFound) == 11001);
    BOOST_TEST(static_cast<int>(SocketError::OperationAborted) == 995);
    const std::pair<int, SocketError> table[] = {
        {ECONNREFUSED, SocketError::ConnectionRefused}, {ECONNRESET, SocketError::ConnectionReset},
        {ETIMEDOUT, SocketError::TimedOut},             {EADDRINUSE, SocketError::AddressAlreadyInUse},
        {ESHUTDOWN, SocketError::Shutdown},             {ECANCELED, SocketError::OperationAborted},
        {EAGAIN, SocketError::WouldBlock},              {ENOTCONN, SocketError::NotConnected},
        {EHOSTUNREACH, SocketError::HostUnreachable},   {ENETUNREACH, SocketError::NetworkUnreachable},
        {EACCES, SocketError::AccessDenied},            {EINVAL, SocketError::InvalidArgument},
    };
    for (const auto& [error, expected] : table) {
        BOOST_TEST((socket_error_of(std::error_code(error, std::system_category())) == expected));
        BOOST_TEST((socket_error_of(std::error_code(error, std::generic_category())) == expected));
        BOOST_TEST(socket_error_code(expected).value() == error);
    }
    // A write to a connection shut down reports EPIPE on Linux: .NET calls it Shutdown.
    BOOST_TEST((socket_error_of(std::error_code(EPIPE, std::system_category())) == SocketError::Shutdown));
    BOOST_TEST((socket_error_of({}) == SocketError::Success));
    BOOST_TEST((socket_error_of(std::error_code(EIO, std::system_category())) == SocketError::SocketError));
    BOOST_TEST(std::string(to_string(SocketError::TimedOut)) == "TimedOut");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(dns)

BOOST_AUTO_TEST_CASE(localhost_resolves_to_a_loopback_address_in_every_face)
{
    const auto is_loopback = [](const std::vector<IPAddress>& list) {
        return !list.empty() && std::all_of(list.begin(), list.end(), [](const IPAddress& a) {
            return IPAddress::IsLoopback(a);
        });
    };
    BOOST_TEST(is_loopback(Dns::GetHostAddresses("localhost")));
    BOOST_TEST(is_loopback(Dns::EndGetHostAddresses(Dns::BeginGetHostAddresses("localhost", {}, {}))));
    BOOST_TEST(is_loopback(get_within(Dns::GetHostAddressesAsync("localhost", asio::use_future))));
    const auto entry = get_within(Dns::GetHostEntryAsync("localhost", asio::use_future));
    BOOST_TEST(is_loopback(entry.AddressList()));
    BOOST_TEST(!entry.HostName().empty());
    BOOST_TEST(is_loopback(Dns::EndGetHostEntry(Dns::BeginGetHostEntry("localhost", {}, {})).AddressList()));
}

BOOST_AUTO_TEST_CASE(an_address_is_returned_without_a_lookup_and_its_entry_names_it)
{
    BOOST_TEST((Dns::GetHostAddresses("10.9.8.7") == std::vector<IPAddress>{IPAddress::Parse("10.9.8.7")}));
    BOOST_TEST((get_within(Dns::GetHostAddressesAsync("::1", asio::use_future)) ==
                std::vector<IPAddress>{IPAddress::IPv6Loopback}));
    const auto entry = Dns::GetHostEntry(IPAddress::Loopback);
    BOOST_TEST(!entry.HostName().empty());
    BOOST_TEST((entry.AddressList() == std::vector<IPAddress>{IPAddress::Loopback}));
}

BOOST_AUTO_TEST_CASE(an_unknown_host_is_a_SocketException_with_HostNotFound_in_every_face)
{
    const std::string unknown = "no-such-host.invalid";
    BOOST_TEST((socket_error_of_call([&] { Dns::GetHostAddresses(unknown); }) == SocketError::HostNotFound));
    BOOST_TEST((socket_error_of_call([&] { Dns::GetHostEntry(unknown); }) == SocketError::HostNotFound));
    auto ar = Dns::BeginGetHostAddresses(unknown, {}, {});
    BOOST_TEST((socket_error_of_call([&] { Dns::EndGetHostAddresses(ar); }) == SocketError::HostNotFound));
    BOOST_TEST((socket_error_of_call([&] { get_within(Dns::GetHostEntryAsync(unknown, asio::use_future)); }) ==
                SocketError::HostNotFound));
}

BOOST_AUTO_TEST_CASE(a_canceled_token_ends_the_wait_with_OperationCanceledException_and_End_rules_hold)
{
    CancellationTokenSource cts;
    cts.Cancel();
    BOOST_CHECK_THROW(get_within(Dns::GetHostAddressesAsync("localhost", cts.Token(), asio::use_future)),
                      OperationCanceledException);
    auto ar = Dns::BeginGetHostEntry("localhost", {}, {});
    BOOST_CHECK_THROW(Dns::EndGetHostAddresses(ar), InvalidOperationException);
    Dns::EndGetHostEntry(ar);
    BOOST_CHECK_THROW(Dns::EndGetHostEntry(ar), InvalidOperationException);
    BOOST_CHECK_THROW(Dns::GetHostAddresses(std::string(300, 'a')), ArgumentOutOfRangeException);
    BOOST_TEST(!Dns::GetHostName().empty());
}

DOTASYNC_NO_DESCRIPTOR_LEAKED_TEST()

BOOST_AUTO_TEST_SUITE_END()
