// What the networking tests share: a warmed-up runtime whose descriptors make
// the baseline of the program's descriptor count, loopback listeners and
// connected pairs.
#pragma once

#include "support/descriptor_count.hpp"
#include "support/waiting.hpp"

#include <dotasync/core/exceptions.hpp>
#include <dotasync/net/dns.hpp>
#include <dotasync/net/socket.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>

#include <cstdint>
#include <future>
#include <string>
#include <utility>
#include <vector>

namespace dotasync_test {

// The default runtime and Asio's resolver start descriptors of their own on
// first use; they are part of the baseline, not leaks.
struct net_baseline {
    net_baseline()
    {
        using namespace dotasync;
        std::promise<void> ran;
        boost::asio::post(ThreadPool::Executor(), [&] { ran.set_value(); });
        ran.get_future().wait();
        Dns::GetHostAddressesAsync("localhost", boost::asio::use_future).get();
        { Socket warm(AddressFamily::InterNetwork, SocketType::Stream, ProtocolType::Tcp); }
        descriptor_baseline() = open_descriptors();
    }
};

inline dotasync::SocketPtr loopback_listener(dotasync::AddressFamily family = dotasync::AddressFamily::InterNetwork)
{
    using namespace dotasync;
    auto listener = std::make_shared<Socket>(family, SocketType::Stream, ProtocolType::Tcp);
    listener->Bind(IPEndPoint(family == AddressFamily::InterNetwork ? IPAddress::Loopback : IPAddress::IPv6Loopback, 0));
    listener->Listen(16);
    return listener;
}

// A connected (client, server) pair over loopback.
inline std::pair<dotasync::SocketPtr, dotasync::SocketPtr> connected_pair()
{
    using namespace dotasync;
    auto listener = loopback_listener();
    auto client = std::make_shared<Socket>(AddressFamily::InterNetwork, SocketType::Stream, ProtocolType::Tcp);
    auto accepted = listener->AcceptAsync(boost::asio::use_future);
    client->Connect(*listener->LocalEndPoint());
    return {client, get_within(accepted)};
}

inline std::vector<std::uint8_t> bytes_of(const std::string& s)
{
    return {s.begin(), s.end()};
}

// The first n bytes of v, as text.
inline std::string text_of(const std::vector<std::uint8_t>& v, int n)
{
    return std::string(v.begin(), v.begin() + n);
}

// The SocketError of the SocketException f throws; Success when it returns.
template <class F>
dotasync::SocketError socket_error_of_call(F&& f)
{
    try {
        f();
    } catch (const dotasync::SocketException& e) {
        return e.SocketErrorCode();
    }
    return dotasync::SocketError::Success;
}

inline bool has_ipv6_loopback()
{
    using namespace dotasync;
    try {
        Socket probe(AddressFamily::InterNetworkV6, SocketType::Stream, ProtocolType::Tcp);
        probe.Bind(IPEndPoint(IPAddress::IPv6Loopback, 0));
        return true;
    } catch (const SocketException&) {
        return false;
    }
}

} // namespace dotasync_test

// The last test case of a networking program: every descriptor its tests
// opened is closed again.
#define DOTASYNC_NO_DESCRIPTOR_LEAKED_TEST()                                                                       \
    BOOST_AUTO_TEST_CASE(zz_no_descriptor_is_left_open)                                                            \
    {                                                                                                              \
        BOOST_TEST_REQUIRE(dotasync_test::descriptor_baseline() >= 0);                                             \
        const int settled = dotasync_test::settled_descriptors();                                                  \
        BOOST_TEST_MESSAGE("open descriptors: " << dotasync_test::descriptor_baseline() << " after warming up, "   \
                                                << settled << " at the end");                                      \
        BOOST_TEST(settled == dotasync_test::descriptor_baseline(), "open descriptors:\n"                          \
                                                                        << dotasync_test::describe_descriptors());  \
    }
