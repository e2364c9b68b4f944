#include <dotasync/net/ip_end_point.hpp>

#include <dotasync/core/exceptions.hpp>

#include <charconv>

namespace dotasync {

namespace {

int checked_port(int port)
{
    if (port < IPEndPoint::MinPort || port > IPEndPoint::MaxPort)
        throw ArgumentOutOfRangeException("port", "The port must be between 0 and 65535.");
    return port;
}

bool parse_port(std::string_view text, int& port)
{
    if (text.empty())
        return false;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
    return ec == std::errc() && end == text.data() + text.size() && port >= IPEndPoint::MinPort &&
           port <= IPEndPoint::MaxPort;
}

} // namespace

IPEndPoint::IPEndPoint(IPAddress address, int port) : address_(std::move(address)), port_(checked_port(port)) {}

IPEndPoint::IPEndPoint(std::int64_t address, int port) : address_(address), port_(checked_port(port)) {}

IPEndPoint::IPEndPoint(const boost::asio::ip::tcp::endpoint& endpoint)
    : address_(endpoint.address()), port_(endpoint.port())
{
}

IPEndPoint::IPEndPoint(const boost::asio::ip::udp::endpoint& endpoint)
    : address_(endpoint.address()), port_(endpoint.port())
{
}

void IPEndPoint::Port(int value)
{
    port_ = checked_port(value);
}

std::string IPEndPoint::ToString() const
{
    // Appended piece by piece: g++ 12 at -O3 warns (-Wrestrict, a false
    // positive) about "[" + std::string.
    const bool v6 = address_.AddressFamily() == AddressFamily::InterNetworkV6;
    std::string text;
    if (v6)
        text += '[';
    text += address_.ToString();
    if (v6)
        text += ']';
    text += ':';
    text += std::to_string(port_);
    return text;
}

bool IPEndPoint::TryParse(std::string_view s, IPEndPoint& result)
{
    IPAddress address;
    int port = 0;
    const auto last_colon = s.rfind(':');
    if (!s.empty() && s.front() == '[') {
        // "[v6]:port" or "[v6]".
        const auto close = s.find(']');
        if (close == std::string_view::npos)
            return false;
        const auto rest = s.substr(close + 1);
        if (!rest.empty() && (rest.front() != ':' || !parse_port(rest.substr(1), port)))
            return false;
        if (!IPAddress::TryParse(s.substr(0, close + 1), address))
            return false;
    } else if (last_colon != std::string_view::npos && s.find(':') == last_colon) {
        // One colon: IPv4 with a port.
        if (!parse_port(s.substr(last_colon + 1), port) || !IPAddress::TryParse(s.substr(0, last_colon), address) ||
            address.AddressFamily() != AddressFamily::InterNetwork)
            return false;
    } else if (!IPAddress::TryParse(s, address)) {
        return false;
    }
    result = IPEndPoint(address, port);
    return true;
}

IPEndPoint IPEndPoint::Parse(std::string_view s)
{
    IPEndPoint result(IPAddress::Any, 0);
    if (!TryParse(s, result))
        throw FormatException("An invalid IP endpoint was specified: '" + std::string(s) + "'.");
    return result;
}

} // namespace dotasync
