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
        take_descriptor_baseline();
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
        BOOST_TEST_REQUIRE(dotasync_test::descriptor_baseline_taken());                                            \
        const auto left_open = dotasync_test::settled_new_descriptors();                                           \
        BOOST_TEST_MESSAGE("open descriptors: " << dotasync_test::descriptor_baseline().size()                     \
                                                << " after warming up, " << left_open.size() << " more at the end"); \
        BOOST_TEST(left_open.empty(), "descriptors opened by the tests and still open:\n"                          \
                                          << dotasync_test::describe(left_open) << "open at the start:\n"          \
                                          << dotasync_test::describe(dotasync_test::descriptor_baseline()));        \
    }
