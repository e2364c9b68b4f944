// SocketError, the networking layer's error codes. Defined in
// core/socket_error.hpp, because SocketException reports it.
#ifndef DOTASYNC_NET_SOCKET_ERROR_HPP
#define DOTASYNC_NET_SOCKET_ERROR_HPP

#include <dotasync/core/socket_error.hpp>

#endif
