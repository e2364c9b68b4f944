#include <dotasync/net/ip_address.hpp>

#include <dotasync/core/exceptions.hpp>

#include <algorithm>
#include <array>
#include <cstring>

namespace dotasync {

namespace asio_ip = boost::asio::ip;

const IPAddress IPAddress::Any{asio_ip::address_v4::any()};
const IPAddress IPAddress::Loopback{asio_ip::address_v4::loopback()};
const IPAddress IPAddress::Broadcast{asio_ip::address_v4::broadcast()};
const IPAddress IPAddress::None{asio_ip::address_v4::broadcast()};
const IPAddress IPAddress::IPv6Any{asio_ip::address_v6::any()};
const IPAddress IPAddress::IPv6Loopback{asio_ip::address_v6::loopback()};
const IPAddress IPAddress::IPv6None{asio_ip::address_v6::any()};

IPAddress::IPAddress(std::int64_t newAddress)
{
    if (newAddress < 0 || newAddress > 0xFFFFFFFFLL)
        throw ArgumentOutOfRangeException("newAddress", "An IPv4 address is a value from 0 to 0xFFFFFFFF.");
    // .NET's value holds the bytes in memory order: the low byte is the first.
    const auto v = static_cast<std::uint32_t>(newAddress);
    const asio_ip::address_v4::bytes_type bytes{static_cast<unsigned char>(v), static_cast<unsigned char>(v >> 8),
                                                static_cast<unsigned char>(v >> 16),
                                                static_cast<unsigned char>(v >> 24)};
    address_ = asio_ip::address_v4(bytes);
}

IPAddress::IPAddress(std::span<const std::uint8_t> address, std::int64_t scopeid)
{
    if (address.size() == 4) {
        asio_ip::address_v4::bytes_type bytes;
        std::copy(address.begin(), address.end(), bytes.begin());
        address_ = asio_ip::address_v4(bytes);
    } else if (address.size() == 16) {
        if (scopeid < 0 || scopeid > 0xFFFFFFFFLL)
            throw ArgumentOutOfRangeException("scopeid", "The scope id is a value from 0 to 0xFFFFFFFF.");
        asio_ip::address_v6::bytes_type bytes;
        std::copy(address.begin(), address.end(), bytes.begin());
        address_ = asio_ip::address_v6(bytes, static_cast<asio_ip::scope_id_type>(scopeid));
    } else {
        throw ArgumentException("An IP address is 4 bytes (IPv4) or 16 bytes (IPv6).", "address");
    }
}

bool IPAddress::TryParse(std::string_view ipString, IPAddress& address)
{
    // .NET accepts an IPv6 address in brackets, as it appears in a URI.
    if (ipString.size() > 2 && ipString.front() == '[' && ipString.back() == ']')
        ipString = ipString.substr(1, ipString.size() - 2);
    if (ipString.empty() || ipString.find('\0') != std::string_view::npos)
        return false;
    boost::system::error_code ec;
    const auto parsed = asio_ip::make_address(std::string(ipString), ec);
    if (ec)
        return false;
    address = IPAddress(parsed);
    return true;
}

IPAddress IPAddress::Parse(std::string_view ipString)
{
    IPAddress address;
    if (!TryParse(ipString, address))
        throw FormatException("An invalid IP address was specified: '" + std::string(ipString) + "'.");
    return address;
}

AddressFamily IPAddress::AddressFamily() const noexcept
{
    return address_.is_v4() ? AddressFamily::InterNetwork : AddressFamily::InterNetworkV6;
}

std::string IPAddress::ToString() const
{
    return address_.to_string();
}

std::vector<std::uint8_t> IPAddress::GetAddressBytes() const
{
    if (address_.is_v4()) {
        const auto bytes = address_.to_v4().to_bytes();
        return {bytes.begin(), bytes.end()};
    }
    const auto bytes = address_.to_v6().to_bytes();
    return {bytes.begin(), bytes.end()};
}

std::int64_t IPAddress::ScopeId() const
{
    if (address_.is_v4())
        throw SocketException(SocketError::OperationNotSupported);
    return address_.to_v6().scope_id();
}

void IPAddress::ScopeId(std::int64_t value)
{
    if (address_.is_v4())
        throw SocketException(SocketError::OperationNotSupported);
    if (value < 0 || value > 0xFFFFFFFFLL)
        throw ArgumentOutOfRangeException("value", "The scope id is a value from 0 to 0xFFFFFFFF.");
    auto v6 = address_.to_v6();
    v6.scope_id(static_cast<asio_ip::scope_id_type>(value));
    address_ = v6;
}

bool IPAddress::IsIPv4MappedToIPv6() const noexcept
{
    return address_.is_v6() && address_.to_v6().is_v4_mapped();
}

bool IPAddress::IsIPv6LinkLocal() const noexcept
{
    return address_.is_v6() && address_.to_v6().is_link_local();
}

bool IPAddress::IsIPv6Multicast() const noexcept
{
    return address_.is_v6() && address_.to_v6().is_multicast();
}

IPAddress IPAddress::MapToIPv6() const
{
    if (address_.is_v6())
        return *this;
    return IPAddress(asio_ip::make_address_v6(asio_ip::v4_mapped, address_.to_v4()));
}

IPAddress IPAddress::MapToIPv4() const
{
    if (address_.is_v4())
        return *this;
    const auto bytes = address_.to_v6().to_bytes();
    return IPAddress(asio_ip::address_v4({bytes[12], bytes[13], bytes[14], bytes[15]}));
}

bool IPAddress::IsLoopback(const IPAddress& address) noexcept
{
    if (address.IsIPv4MappedToIPv6())
        return address.MapToIPv4().address_.is_loopback();
    return address.address_.is_loopback();
}

} // namespace dotasync
