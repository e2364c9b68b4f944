// SocketError: .NET's socket error codes, with .NET's numeric values (the
// Winsock numbers), and how an operating-system or Asio error becomes one.
//
// It lives in core because SocketException (core/exceptions.hpp) reports it;
// net/socket_error.hpp is the networking layer's name for the same header.
//
// Thread-safety: the functions are pure and may be called from any thread.
#ifndef DOTASYNC_CORE_SOCKET_ERROR_HPP
#define DOTASYNC_CORE_SOCKET_ERROR_HPP

#include <dotasync/core/export.hpp>

#include <system_error>

namespace dotasync {

enum class SocketError {
    Success = 0,
    OperationAborted = 995,
    IOPending = 997,
    Interrupted = 10004,
    AccessDenied = 10013,
    Fault = 10014,
    InvalidArgument = 10022,
    TooManyOpenSockets = 10024,
    WouldBlock = 10035,
    InProgress = 10036,
    AlreadyInProgress = 10037,
    NotSocket = 10038,
    DestinationAddressRequired = 10039,
    MessageSize = 10040,
    ProtocolType = 10041,
    ProtocolOption = 10042,
    ProtocolNotSupported = 10043,
    SocketNotSupported = 10044,
    OperationNotSupported = 10045,
    ProtocolFamilyNotSupported = 10046,
    AddressFamilyNotSupported = 10047,
    AddressAlreadyInUse = 10048,
    AddressNotAvailable = 10049,
    NetworkDown = 10050,
    NetworkUnreachable = 10051,
    NetworkReset = 10052,
    ConnectionAborted = 10053,
    ConnectionReset = 10054,
    NoBufferSpaceAvailable = 10055,
    IsConnected = 10056,
    NotConnected = 10057,
    Shutdown = 10058,
    TimedOut = 10060,
    ConnectionRefused = 10061,
    HostDown = 10064,
    HostUnreachable = 10065,
    TypeNotFound = 10109,
    HostNotFound = 11001,
    TryAgain = 11002,
    NoRecovery = 11003,
    NoData = 11004,
    SocketError = -1,
};

// The SocketError an error code stands for, as .NET on Linux reports it
// (ECONNREFUSED -> ConnectionRefused, EPIPE -> Shutdown, Asio's
// host_not_found -> HostNotFound, operation_aborted -> OperationAborted, ...);
// SocketError::SocketError for a code with no counterpart, Success for none.
DOTASYNC_API SocketError socket_error_of(const std::error_code& ec) noexcept;

// An error code for a SocketError: the errno it stands for where there is one
// (ConnectionRefused -> ECONNREFUSED), else the value in a "SocketError"
// category whose message is the .NET name.
DOTASYNC_API std::error_code socket_error_code(SocketError error) noexcept;

// The .NET name of the value ("ConnectionRefused"), for messages and logs.
DOTASYNC_API const char* to_string(SocketError error) noexcept;

} // namespace dotasync

#endif
