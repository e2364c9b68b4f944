// IPEndPoint: an IP address and a port, as .NET's.
//
//   IPEndPoint ep(IPAddress::Loopback, 8080);
//   ep.ToString();                          // "127.0.0.1:8080"; IPv6: "[::1]:8080"
//   IPEndPoint::Parse("[::1]:8080");        // FormatException if it is not one
//
// A port outside 0..65535 -> ArgumentOutOfRangeException. native() and the
// constructors from Asio endpoints convert for embedding.
//
// Thread-safety: a value.
#ifndef DOTASYNC_NET_IP_END_POINT_HPP
#define DOTASYNC_NET_IP_END_POINT_HPP

#include <dotasync/core/export.hpp>
#include <dotasync/net/end_point.hpp>
#include <dotasync/net/ip_address.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace dotasync {

class DOTASYNC_API IPEndPoint final : public EndPoint {
public:
    static constexpr int MinPort = 0;
    static constexpr int MaxPort = 65535;

    IPEndPoint(IPAddress address, int port);
    IPEndPoint(std::int64_t address, int port);
    explicit IPEndPoint(const boost::asio::ip::tcp::endpoint& endpoint);
    explicit IPEndPoint(const boost::asio::ip::udp::endpoint& endpoint);

    IPEndPoint(const IPEndPoint&) = default;
    IPEndPoint& operator=(const IPEndPoint&) = default;

    // "address:port", "[v6address]:port", or an address alone (port 0).
    static IPEndPoint Parse(std::string_view s);
    static bool TryParse(std::string_view s, IPEndPoint& result);

    const IPAddress& Address() const noexcept { return address_; }
    void Address(IPAddress value) { address_ = std::move(value); }
    int Port() const noexcept { return port_; }
    void Port(int value);

    dotasync::AddressFamily AddressFamily() const override { return address_.AddressFamily(); }
    std::string ToString() const override;

    boost::asio::ip::tcp::endpoint native() const noexcept
    {
        return {address_.native(), static_cast<unsigned short>(port_)};
    }
    boost::asio::ip::udp::endpoint native_udp() const noexcept
    {
        return {address_.native(), static_cast<unsigned short>(port_)};
    }

    friend bool operator==(const IPEndPoint& a, const IPEndPoint& b) noexcept
    {
        return a.port_ == b.port_ && a.address_ == b.address_;
    }

private:
    IPAddress address_;
    int port_ = 0;
};

} // namespace dotasync

#endif
