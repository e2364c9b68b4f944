// The enumerations of .NET's System.Net.Sockets, with .NET's numeric values:
// AddressFamily, SocketType, ProtocolType, SocketShutdown, SocketFlags (flags),
// SelectMode, SocketOptionLevel, SocketOptionName and SocketAsyncOperation.
// SocketError is in socket_error.hpp.
#ifndef DOTASYNC_NET_SOCKET_ENUMS_HPP
#define DOTASYNC_NET_SOCKET_ENUMS_HPP

#include <dotasync/net/socket_error.hpp>

namespace dotasync {

enum class AddressFamily { Unknown = -1, Unspecified = 0, Unix = 1, InterNetwork = 2, InterNetworkV6 = 23 };
enum class SocketType { Stream = 1, Dgram = 2, Raw = 3, Rdm = 4, Seqpacket = 5, Unknown = -1 };
enum class ProtocolType { IP = 0, Icmp = 1, Tcp = 6, Udp = 17, IPv6 = 41, Unknown = -1 };
enum class SocketShutdown { Receive = 0, Send = 1, Both = 2 };

enum class SocketFlags { None = 0, OutOfBand = 1, Peek = 2, DontRoute = 4, Truncated = 0x100, Partial = 0x8000 };

constexpr SocketFlags operator|(SocketFlags a, SocketFlags b) noexcept
{
    return static_cast<SocketFlags>(static_cast<int>(a) | static_cast<int>(b));
}

constexpr SocketFlags operator&(SocketFlags a, SocketFlags b) noexcept
{
    return static_cast<SocketFlags>(static_cast<int>(a) & static_cast<int>(b));
}

// True when every flag of `flag` is set in `value` (.NET's Enum.HasFlag).
constexpr bool has_flag(SocketFlags value, SocketFlags flag) noexcept
{
    return (value & flag) == flag;
}

enum class SelectMode { SelectRead = 0, SelectWrite = 1, SelectError = 2 };

enum class SocketOptionLevel { IP = 0, Tcp = 6, Udp = 17, IPv6 = 41, Socket = 0xffff };

// Values repeat across levels, as in .NET (NoDelay at Tcp and Debug at Socket
// are both 1): the level says which one is meant.
enum class SocketOptionName {
    // SocketOptionLevel::Socket
    Debug = 1,
    AcceptConnection = 2,
    ReuseAddress = 4,
    KeepAlive = 8,
    DontRoute = 16,
    Broadcast = 32,
    Linger = 128,
    OutOfBandInline = 256,
    DontLinger = -129,
    ExclusiveAddressUse = -5,
    SendBuffer = 0x1001,
    ReceiveBuffer = 0x1002,
    SendLowWater = 0x1003,
    ReceiveLowWater = 0x1004,
    SendTimeout = 0x1005,
    ReceiveTimeout = 0x1006,
    Error = 0x1007,
    Type = 0x1008,
    // SocketOptionLevel::IP and IPv6
    IpTimeToLive = 4,
    MulticastInterface = 9,
    MulticastTimeToLive = 10,
    MulticastLoopback = 11,
    AddMembership = 12,
    DropMembership = 13,
    IPv6Only = 27,
    // SocketOptionLevel::Tcp
    NoDelay = 1,
};

enum class SocketAsyncOperation {
    None = 0,
    Accept,
    Connect,
    Disconnect,
    Receive,
    ReceiveFrom,
    ReceiveMessageFrom,
    Send,
    SendPackets,
    SendTo,
};

} // namespace dotasync

#endif
