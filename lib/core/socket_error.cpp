#include <dotasync/core/socket_error.hpp>

#include <cerrno>
#include <cstring>
#include <string>
#include <netdb.h>

namespace dotasync {

namespace {

SocketError from_errno(int value) noexcept
{
    switch (value) {
    case 0: return SocketError::Success;
    case ECANCELED: return SocketError::OperationAborted;
    case EINTR: return SocketError::Interrupted;
    case EACCES:
    case EPERM: return SocketError::AccessDenied;
    case EFAULT: return SocketError::Fault;
    case EINVAL: return SocketError::InvalidArgument;
    case EMFILE:
    case ENFILE: return SocketError::TooManyOpenSockets;
    case EAGAIN: return SocketError::WouldBlock;
    case EINPROGRESS: return SocketError::InProgress;
    case EALREADY: return SocketError::AlreadyInProgress;
    case ENOTSOCK:
    case EBADF: return SocketError::NotSocket;
    case EDESTADDRREQ: return SocketError::DestinationAddressRequired;
    case EMSGSIZE: return SocketError::MessageSize;
    case EPROTOTYPE: return SocketError::ProtocolType;
    case ENOPROTOOPT: return SocketError::ProtocolOption;
    case EPROTONOSUPPORT: return SocketError::ProtocolNotSupported;
    case ESOCKTNOSUPPORT: return SocketError::SocketNotSupported;
    case EOPNOTSUPP: return SocketError::OperationNotSupported;
    case EPFNOSUPPORT: return SocketError::ProtocolFamilyNotSupported;
    case EAFNOSUPPORT: return SocketError::AddressFamilyNotSupported;
    case EADDRINUSE: return SocketError::AddressAlreadyInUse;
    case EADDRNOTAVAIL: return SocketError::AddressNotAvailable;
    case ENETDOWN: return SocketError::NetworkDown;
    case ENETUNREACH: return SocketError::NetworkUnreachable;
    case ENETRESET: return SocketError::NetworkReset;
    case ECONNABORTED: return SocketError::ConnectionAborted;
    case ECONNRESET: return SocketError::ConnectionReset;
    case ENOBUFS:
    case ENOMEM: return SocketError::NoBufferSpaceAvailable;
    case EISCONN: return SocketError::IsConnected;
    case ENOTCONN: return SocketError::NotConnected;
    // Writing to a connection the peer or this side shut down: .NET on Unix
    // reports EPIPE as Shutdown.
    case EPIPE:
    case ESHUTDOWN: return SocketError::Shutdown;
    case ETIMEDOUT: return SocketError::TimedOut;
    case ECONNREFUSED: return SocketError::ConnectionRefused;
    case EHOSTDOWN: return SocketError::HostDown;
    case EHOSTUNREACH: return SocketError::HostUnreachable;
    default: return SocketError::SocketError;
    }
}

// Asio's resolver categories: "asio.netdb" holds h_errno values and
// "asio.addrinfo" getaddrinfo's EAI_ values.
SocketError from_netdb(int value) noexcept
{
    switch (value) {
    case HOST_NOT_FOUND: return SocketError::HostNotFound;
    case TRY_AGAIN: return SocketError::TryAgain;
    case NO_RECOVERY: return SocketError::NoRecovery;
    case NO_DATA: return SocketError::NoData;
    default: return SocketError::SocketError;
    }
}

SocketError from_addrinfo(int value) noexcept
{
    switch (value) {
    case EAI_SERVICE: return SocketError::TypeNotFound;
    case EAI_SOCKTYPE: return SocketError::SocketNotSupported;
    case EAI_AGAIN: return SocketError::TryAgain;
    case EAI_NONAME: return SocketError::HostNotFound;
    case EAI_FAIL: return SocketError::NoRecovery;
    case EAI_FAMILY: return SocketError::AddressFamilyNotSupported;
    default: return SocketError::SocketError;
    }
}

bool named(const std::error_code& ec, const char* name) noexcept
{
    return std::strcmp(ec.category().name(), name) == 0;
}

class socket_error_category : public std::error_category {
public:
    const char* name() const noexcept override { return "SocketError"; }
    std::string message(int value) const override { return to_string(static_cast<SocketError>(value)); }
};

} // namespace

std::error_code socket_error_code(SocketError error) noexcept
{
    if (error == SocketError::Success)
        return {};
    // Where two errno values share a SocketError, the one Linux reports for
    // sockets is the canonical one; otherwise the only errno that maps to it.
    switch (error) {
    case SocketError::AccessDenied: return {EACCES, std::system_category()};
    case SocketError::NotSocket: return {ENOTSOCK, std::system_category()};
    case SocketError::Shutdown: return {ESHUTDOWN, std::system_category()};
    case SocketError::NoBufferSpaceAvailable: return {ENOBUFS, std::system_category()};
    case SocketError::TooManyOpenSockets: return {EMFILE, std::system_category()};
    default: break;
    }
    for (int value = 1; value < 134; ++value)
        if (from_errno(value) == error)
            return {value, std::system_category()};
    static const socket_error_category category;
    return {static_cast<int>(error), category};
}

SocketError socket_error_of(const std::error_code& ec) noexcept
{
    if (!ec)
        return SocketError::Success;
    if (ec.category() == std::system_category() || ec.category() == std::generic_category() ||
        named(ec, "system") || named(ec, "generic"))
        return from_errno(ec.value());
    if (named(ec, "SocketError"))
        return static_cast<SocketError>(ec.value());
    if (named(ec, "asio.netdb"))
        return from_netdb(ec.value());
    if (named(ec, "asio.addrinfo"))
        return from_addrinfo(ec.value());
    // asio.misc: eof is a connection closed by the peer, the rest have no
    // Winsock counterpart.
    if (named(ec, "asio.misc") && ec.value() == 2)
        return SocketError::ConnectionReset;
    return SocketError::SocketError;
}

const char* to_string(SocketError error) noexcept
{
    switch (error) {
    case SocketError::Success: return "Success";
    case SocketError::OperationAborted: return "OperationAborted";
    case SocketError::IOPending: return "IOPending";
    case SocketError::Interrupted: return "Interrupted";
    case SocketError::AccessDenied: return "AccessDenied";
    case SocketError::Fault: return "Fault";
    case SocketError::InvalidArgument: return "InvalidArgument";
    case SocketError::TooManyOpenSockets: return "TooManyOpenSockets";
    case SocketError::WouldBlock: return "WouldBlock";
    case SocketError::InProgress: return "InProgress";
    case SocketError::AlreadyInProgress: return "AlreadyInProgress";
    case SocketError::NotSocket: return "NotSocket";
    case SocketError::DestinationAddressRequired: return "DestinationAddressRequired";
    case SocketError::MessageSize: return "MessageSize";
    case SocketError::ProtocolType: return "ProtocolType";
    case SocketError::ProtocolOption: return "ProtocolOption";
    case SocketError::ProtocolNotSupported: return "ProtocolNotSupported";
    case SocketError::SocketNotSupported: return "SocketNotSupported";
    case SocketError::OperationNotSupported: return "OperationNotSupported";
    case SocketError::ProtocolFamilyNotSupported: return "ProtocolFamilyNotSupported";
    case SocketError::AddressFamilyNotSupported: return "AddressFamilyNotSupported";
    case SocketError::AddressAlreadyInUse: return "AddressAlreadyInUse";
    case SocketError::AddressNotAvailable: return "AddressNotAvailable";
    case SocketError::NetworkDown: return "NetworkDown";
    case SocketError::NetworkUnreachable: return "NetworkUnreachable";
    case SocketError::NetworkReset: return "NetworkReset";
    case SocketError::ConnectionAborted: return "ConnectionAborted";
    case SocketError::ConnectionReset: return "ConnectionReset";
    case SocketError::NoBufferSpaceAvailable: return "NoBufferSpaceAvailable";
    case SocketError::IsConnected: return "IsConnected";
    case SocketError::NotConnected: return "NotConnected";
    case SocketError::Shutdown: return "Shutdown";
    case SocketError::TimedOut: return "TimedOut";
    case SocketError::ConnectionRefused: return "ConnectionRefused";
    case SocketError::HostDown: return "HostDown";
    case SocketError::HostUnreachable: return "HostUnreachable";
    case SocketError::TypeNotFound: return "TypeNotFound";
    case SocketError::HostNotFound: return "HostNotFound";
    case SocketError::TryAgain: return "TryAgain";
    case SocketError::NoRecovery: return "NoRecovery";
    case SocketError::NoData: return "NoData";
    case SocketError::SocketError: return "SocketError";
    }
    return "SocketError";
}

} // namespace dotasync
