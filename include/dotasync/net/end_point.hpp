// EndPoint: .NET's abstract network address; IPEndPoint is the one dotasync
// sockets use. Members that take an EndPoint (Socket::Bind, SendTo, ...)
// accept an IPEndPoint and refuse any other kind with ArgumentException.
//
// Thread-safety: as a value.
#ifndef DOTASYNC_NET_END_POINT_HPP
#define DOTASYNC_NET_END_POINT_HPP

#include <dotasync/core/export.hpp>
#include <dotasync/net/socket_enums.hpp>

#include <string>

namespace dotasync {

class DOTASYNC_API EndPoint {
public:
    virtual ~EndPoint() = default;

    virtual dotasync::AddressFamily AddressFamily() const = 0;
    virtual std::string ToString() const = 0;

protected:
    EndPoint() = default;
    EndPoint(const EndPoint&) = default;
    EndPoint& operator=(const EndPoint&) = default;
};

} // namespace dotasync

#endif
