// IPAddress: an IPv4 or IPv6 address, as .NET's.
//
//   IPAddress a = IPAddress::Parse("192.168.1.10");   // FormatException if it is not one
//   IPAddress::Loopback.ToString();                    // "127.0.0.1"
//   IPAddress::Parse("::ffff:10.0.0.1").MapToIPv4();   // 10.0.0.1
//
// A value type; native() and the constructor from an Asio address convert to
// and from boost::asio::ip::address for embedding.
//
// Thread-safety: a value; the static addresses may be read from any thread.
#ifndef DOTASYNC_NET_IP_ADDRESS_HPP
#define DOTASYNC_NET_IP_ADDRESS_HPP

#include <dotasync/core/export.hpp>
#include <dotasync/net/socket_enums.hpp>

#include <boost/asio/ip/address.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dotasync {

class DOTASYNC_API IPAddress {
public:
    // 0.0.0.0, the default of .NET's fields before assignment.
    IPAddress() = default;
    // An IPv4 address from its 32-bit value in network byte order, as .NET's
    // IPAddress(long): 0x0100007F is 127.0.0.1. Outside 0..0xFFFFFFFF ->
    // ArgumentOutOfRangeException.
    explicit IPAddress(std::int64_t newAddress);
    // 4 bytes (IPv4) or 16 bytes (IPv6) in network order; another size ->
    // ArgumentException.
    explicit IPAddress(std::span<const std::uint8_t> address, std::int64_t scopeid = 0);
    explicit IPAddress(const boost::asio::ip::address& address) : address_(address) {}

    // Dotted-quad IPv4 or RFC 4291 IPv6 text (with an optional "%scope" and,
    // as .NET accepts, surrounding brackets); anything else -> FormatException.
    static IPAddress Parse(std::string_view ipString);
    static bool TryParse(std::string_view ipString, IPAddress& address);

    static const IPAddress Any;
    static const IPAddress Loopback;
    static const IPAddress Broadcast;
    static const IPAddress None;
    static const IPAddress IPv6Any;
    static const IPAddress IPv6Loopback;
    static const IPAddress IPv6None;

    dotasync::AddressFamily AddressFamily() const noexcept;
    std::string ToString() const;
    std::vector<std::uint8_t> GetAddressBytes() const;
    // The IPv6 scope id; SocketException (OperationNotSupported) for an IPv4
    // address, as .NET.
    std::int64_t ScopeId() const;
    void ScopeId(std::int64_t value);

    bool IsIPv4MappedToIPv6() const noexcept;
    bool IsIPv6LinkLocal() const noexcept;
    bool IsIPv6Multicast() const noexcept;
    IPAddress MapToIPv6() const;
    // The IPv4 address of an IPv4-mapped IPv6 address (its last four bytes
    // for any other IPv6 address, as .NET); an IPv4 address unchanged.
    IPAddress MapToIPv4() const;

    static bool IsLoopback(const IPAddress& address) noexcept;

    const boost::asio::ip::address& native() const noexcept { return address_; }

    friend bool operator==(const IPAddress& a, const IPAddress& b) noexcept { return a.address_ == b.address_; }

private:
    boost::asio::ip::address address_{boost::asio::ip::address_v4()};
};

} // namespace dotasync

#endif
