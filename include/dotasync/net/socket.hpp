// Socket: .NET's System.Net.Sockets.Socket over an Asio socket, with every
// face of each operation: synchronous (Receive), APM (BeginReceive/
// EndReceive), TAP (ReceiveAsync with any Asio completion token and an
// optional CancellationToken).
//
//   auto listener = std::make_shared<Socket>(AddressFamily::InterNetwork, SocketType::Stream, ProtocolType::Tcp);
//   listener->Bind(IPEndPoint(IPAddress::Loopback, 0));
//   listener->Listen(100);
//   listener->BeginAccept([&](const IAsyncResultPtr& ar) { SocketPtr peer = listener->EndAccept(ar); ... }, {});
//   int n = co_await peer->ReceiveAsync(buffer, asio::use_awaitable);   // 0 once the peer shut down
//
// Completion signatures of the XxxAsync members (and what EndXxx returns):
//   AcceptAsync                       void(std::exception_ptr, SocketPtr)
//   ConnectAsync                      void(std::exception_ptr)
//   SendAsync, ReceiveAsync, SendToAsync
//                                     void(std::exception_ptr, int)
//   ReceiveFromAsync                  void(std::exception_ptr, SocketReceiveFromResult)
//
// Every operation is one initiation over the Asio socket; the faces differ
// only in their completion token, so a BeginReceive costs what an
// async_receive does, plus its IAsyncResult. Asynchronous operations never
// complete inside their initiating function (CompletedSynchronously() is
// always false), as .NET Framework's sockets.
//
// Errors, as .NET: a failure of the network is a SocketException whose
// SocketErrorCode() says which (ConnectionRefused, ConnectionReset,
// AddressAlreadyInUse, TimedOut, HostNotFound, Shutdown, ...). A receive on a
// connection the peer has shut down completes with 0 bytes, never an
// exception. A stream send sends every byte before it completes. Bad
// arguments are thrown by the call itself, before anything starts: a
// std::span without storage asked for bytes -> ArgumentNullException;
// negative offset or size, or past the buffer -> ArgumentOutOfRangeException;
// an EndPoint of another kind -> ArgumentException; an operation the socket's
// type does not have (Listen on a datagram socket, Accept before Listen) ->
// InvalidOperationException or SocketException as .NET reports it.
//
// Close: every member afterwards throws ObjectDisposedException. Operations
// in flight complete at once, and their End (or their XxxAsync's completion)
// throws ObjectDisposedException, as .NET Framework does; a synchronous call
// blocked in another thread returns with the same exception. The descriptor
// is closed exactly once, when no call is using it. Close(timeout) lingers up
// to timeout seconds for unsent data (0: reset the connection). The
// destructor closes.
//
// Cancellation: a CancellationToken given to an XxxAsync (or the handler's
// Asio cancellation slot) stops that operation alone; it completes with
// OperationCanceledException and the socket stays usable.
//
// Synchronous members block the calling thread (up to ReceiveTimeout and
// SendTimeout, in milliseconds; 0 or -1 is infinite; expiry ->
// SocketException TimedOut, as .NET). With Blocking(false) they throw
// SocketException WouldBlock instead of waiting.
//
// Executors: a socket constructed with an executor completes there (the
// caller's io_context, for embedding next to native Asio handlers); without
// one it uses the default runtime (ThreadPool::Executor()). Completions run on
// the handler's associated executor, else the socket's. native_socket() gives
// the Asio socket; Adopt() makes a Socket of a connected Asio socket (from a
// native acceptor) and native_socket().release()/std::move hands it back.
//
// Thread-safety: every member may be called from any thread, at the same time
// as any other, including Close. As in .NET, two sends (or two receives) in
// flight on one stream socket at once may interleave their bytes.
#ifndef DOTASYNC_NET_SOCKET_HPP
#define DOTASYNC_NET_SOCKET_HPP

#include <dotasync/core/apm_token.hpp>
#include <dotasync/core/cancellation.hpp>
#include <dotasync/core/export.hpp>
#include <dotasync/core/iasync_result.hpp>
#include <dotasync/io/detail/byte_buffer.hpp>
#include <dotasync/net/detail/socket_state.hpp>
#include <dotasync/net/ip_end_point.hpp>
#include <dotasync/net/linger_option.hpp>
#include <dotasync/net/socket_enums.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>

#include <any>
#include <cstddef>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace dotasync {

class Socket;
class SocketAsyncEventArgs;
using SocketPtr = std::shared_ptr<Socket>;

struct SocketReceiveFromResult {
    int ReceivedBytes = 0;
    IPEndPoint RemoteEndPoint{IPAddress::Any, 0};
};

class DOTASYNC_API Socket {
public:
    using executor_type = boost::asio::any_io_executor;

    // A socket of the given kind, on the default runtime. Supported: Stream
    // with Tcp and Dgram with Udp (ProtocolType::IP picks the type's
    // protocol), InterNetwork or InterNetworkV6; anything else ->
    // SocketException (AddressFamilyNotSupported, ProtocolType, ...).
    Socket(dotasync::AddressFamily addressFamily, dotasync::SocketType socketType,
           dotasync::ProtocolType protocolType);
    // An IPv6 socket in dual mode (IPv4 peers too), or IPv4 where the machine
    // has no IPv6.
    Socket(dotasync::SocketType socketType, dotasync::ProtocolType protocolType);
    Socket(executor_type executor, dotasync::AddressFamily addressFamily, dotasync::SocketType socketType,
           dotasync::ProtocolType protocolType);
    Socket(executor_type executor, dotasync::SocketType socketType, dotasync::ProtocolType protocolType);
    ~Socket();
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;

    // A Socket of a connected Asio TCP socket (one a native acceptor
    // accepted); it completes on that socket's executor. A closed socket ->
    // ArgumentException.
    static SocketPtr Adopt(boost::asio::ip::tcp::socket&& socket);

    dotasync::AddressFamily AddressFamily() const noexcept { return family_; }
    dotasync::SocketType SocketType() const noexcept { return type_; }
    dotasync::ProtocolType ProtocolType() const noexcept { return protocol_; }

    // ---- Set-up ---------------------------------------------------------
    void Bind(const EndPoint& localEP);
    void Listen(int backlog = 4096);

    // ---- Accept ---------------------------------------------------------
    SocketPtr Accept();
    IAsyncResultPtr BeginAccept(AsyncCallback callback, std::any state);
    SocketPtr EndAccept(const IAsyncResultPtr& asyncResult);
    template <class Token>
    auto AcceptAsync(Token&& token);
    template <class Token>
    auto AcceptAsync(CancellationToken cancellationToken, Token&& token);

    // ---- Connect --------------------------------------------------------
    void Connect(const EndPoint& remoteEP);
    void Connect(const IPAddress& address, int port);
    // Tries the host's addresses of this socket's family in turn.
    void Connect(const std::string& host, int port);
    IAsyncResultPtr BeginConnect(const EndPoint& remoteEP, AsyncCallback callback, std::any state);
    IAsyncResultPtr BeginConnect(const IPAddress& address, int port, AsyncCallback callback, std::any state);
    IAsyncResultPtr BeginConnect(const std::string& host, int port, AsyncCallback callback, std::any state);
    void EndConnect(const IAsyncResultPtr& asyncResult);
    template <class Token>
    auto ConnectAsync(const EndPoint& remoteEP, Token&& token);
    template <class Token>
    auto ConnectAsync(const EndPoint& remoteEP, CancellationToken cancellationToken, Token&& token);
    template <class Token>
    auto ConnectAsync(const IPAddress& address, int port, Token&& token);
    template <class Token>
    auto ConnectAsync(const IPAddress& address, int port, CancellationToken cancellationToken, Token&& token);
    template <class Token>
    auto ConnectAsync(const std::string& host, int port, Token&& token);
    template <class Token>
    auto ConnectAsync(const std::string& host, int port, CancellationToken cancellationToken, Token&& token);

    // ---- Send -----------------------------------------------------------
    template <detail::byte_range B>
    int Send(const B& buffer, SocketFlags socketFlags = SocketFlags::None);
    template <detail::byte_range B>
    int Send(const B& buffer, int offset, int size, SocketFlags socketFlags = SocketFlags::None);
    template <detail::byte_range B>
    IAsyncResultPtr BeginSend(const B& buffer, int offset, int size, SocketFlags socketFlags, AsyncCallback callback,
                              std::any state);
    int EndSend(const IAsyncResultPtr& asyncResult);
    template <detail::byte_range B, class Token>
    auto SendAsync(const B& buffer, Token&& token);
    template <detail::byte_range B, class Token>
    auto SendAsync(const B& buffer, SocketFlags socketFlags, Token&& token);
    template <detail::byte_range B, class Token>
    auto SendAsync(const B& buffer, SocketFlags socketFlags, CancellationToken cancellationToken, Token&& token);

    // ---- Receive --------------------------------------------------------
    // The bytes received, at least 1, or 0 once the peer has shut down.
    template <detail::mutable_byte_range B>
    int Receive(B&& buffer, SocketFlags socketFlags = SocketFlags::None);
    template <detail::mutable_byte_range B>
    int Receive(B&& buffer, int offset, int size, SocketFlags socketFlags = SocketFlags::None);
    template <detail::mutable_byte_range B>
    IAsyncResultPtr BeginReceive(B&& buffer, int offset, int size, SocketFlags socketFlags, AsyncCallback callback,
                                 std::any state);
    int EndReceive(const IAsyncResultPtr& asyncResult);
    template <detail::mutable_byte_range B, class Token>
    auto ReceiveAsync(B&& buffer, Token&& token);
    template <detail::mutable_byte_range B, class Token>
    auto ReceiveAsync(B&& buffer, SocketFlags socketFlags, Token&& token);
    template <detail::mutable_byte_range B, class Token>
    auto ReceiveAsync(B&& buffer, SocketFlags socketFlags, CancellationToken cancellationToken, Token&& token);

    // ---- Datagrams ------------------------------------------------------
    template <detail::byte_range B>
    int SendTo(const B& buffer, const EndPoint& remoteEP);
    template <detail::byte_range B>
    int SendTo(const B& buffer, int offset, int size, SocketFlags socketFlags, const EndPoint& remoteEP);
    template <detail::byte_range B>
    IAsyncResultPtr BeginSendTo(const B& buffer, int offset, int size, SocketFlags socketFlags,
                                const EndPoint& remoteEP, AsyncCallback callback, std::any state);
    int EndSendTo(const IAsyncResultPtr& asyncResult);
    template <detail::byte_range B, class Token>
    auto SendToAsync(const B& buffer, const EndPoint& remoteEP, Token&& token);
    template <detail::byte_range B, class Token>
    auto SendToAsync(const B& buffer, SocketFlags socketFlags, const EndPoint& remoteEP,
                     CancellationToken cancellationToken, Token&& token);

    // remoteEP receives the sender's address (it must be an IPEndPoint).
    template <detail::mutable_byte_range B>
    int ReceiveFrom(B&& buffer, EndPoint& remoteEP);
    template <detail::mutable_byte_range B>
    int ReceiveFrom(B&& buffer, int offset, int size, SocketFlags socketFlags, EndPoint& remoteEP);
    // remoteEP is only checked here, as in .NET: EndReceiveFrom's gets the sender.
    template <detail::mutable_byte_range B>
    IAsyncResultPtr BeginReceiveFrom(B&& buffer, int offset, int size, SocketFlags socketFlags,
                                     const EndPoint& remoteEP, AsyncCallback callback, std::any state);
    int EndReceiveFrom(const IAsyncResultPtr& asyncResult, EndPoint& endPoint);
    template <detail::mutable_byte_range B, class Token>
    auto ReceiveFromAsync(B&& buffer, const EndPoint& remoteEP, Token&& token);
    template <detail::mutable_byte_range B, class Token>
    auto ReceiveFromAsync(B&& buffer, SocketFlags socketFlags, const EndPoint& remoteEP,
                          CancellationToken cancellationToken, Token&& token);

    // ---- SocketAsyncEventArgs (socket_async_event_args.hpp) --------------
    // Each returns false when the operation completed inside the call (then
    // Completed is not raised) and true when Completed will be raised.
    // Arguments and the socket's state are checked as by the other faces and
    // thrown; the object already in use -> InvalidOperationException.
    bool AcceptAsync(SocketAsyncEventArgs& e);
    bool ConnectAsync(SocketAsyncEventArgs& e);
    bool SendAsync(SocketAsyncEventArgs& e);
    bool ReceiveAsync(SocketAsyncEventArgs& e);
    bool SendToAsync(SocketAsyncEventArgs& e);
    bool ReceiveFromAsync(SocketAsyncEventArgs& e);

    // ---- Ending ---------------------------------------------------------
    void Shutdown(SocketShutdown how);
    void Close();
    void Close(int timeout);
    void Dispose() { Close(); }

    // ---- State and options ----------------------------------------------
    // True after a successful Connect or Accept, until Close or an operation
    // that found the connection broken (as .NET's, the state of the last
    // operation).
    bool Connected() const noexcept;
    bool IsBound() const;
    int Available() const;
    std::optional<IPEndPoint> LocalEndPoint() const;
    std::optional<IPEndPoint> RemoteEndPoint() const;

    bool NoDelay() const;
    void NoDelay(bool value);
    bool Blocking() const;
    void Blocking(bool value);
    int ReceiveBufferSize() const;
    void ReceiveBufferSize(int value);
    int SendBufferSize() const;
    void SendBufferSize(int value);
    int ReceiveTimeout() const;
    void ReceiveTimeout(int value);
    int SendTimeout() const;
    void SendTimeout(int value);
    bool DualMode() const;
    void DualMode(bool value);
    LingerOption LingerState() const;
    void LingerState(const LingerOption& value);
    bool EnableBroadcast() const;
    void EnableBroadcast(bool value);
    bool ExclusiveAddressUse() const;
    void ExclusiveAddressUse(bool value);
    short Ttl() const;
    void Ttl(short value);

    void SetSocketOption(SocketOptionLevel optionLevel, SocketOptionName optionName, int optionValue);
    void SetSocketOption(SocketOptionLevel optionLevel, SocketOptionName optionName, bool optionValue);
    int GetSocketOption(SocketOptionLevel optionLevel, SocketOptionName optionName) const;

    // Waits up to microSeconds (-1: forever) for the socket to become
    // readable (data, a pending connection, or the connection closed),
    // writable, or in error.
    bool Poll(int microSeconds, SelectMode mode) const;

    executor_type get_executor() const noexcept { return executor_; }

    // ---- Asio ------------------------------------------------------------
    // The same receive and send as ReceiveAsync and SendAsync, with Asio's
    // completion signature void(boost::system::error_code, std::size_t):
    // asio::error::eof once the peer has shut down, operation_aborted when
    // the socket was closed or the operation canceled. They use the first
    // non-empty buffer of the sequence; async_send sends all of it on a
    // stream socket. They check nothing: a closed socket completes with
    // operation_aborted.
    template <class MutableBufferSequence, class Token>
    auto async_receive(const MutableBufferSequence& buffers, boost::asio::socket_base::message_flags flags,
                       Token&& token);
    template <class ConstBufferSequence, class Token>
    auto async_send(const ConstBufferSequence& buffers, boost::asio::socket_base::message_flags flags,
                    Token&& token);

    // The Asio socket of a stream socket (before Listen); the acceptor of a
    // listening one; the socket of a datagram one. The wrong kind ->
    // InvalidOperationException. Using them while dotasync operations are in
    // flight follows Asio's rules, not this class's.
    boost::asio::ip::tcp::socket& native_socket();
    boost::asio::ip::tcp::acceptor& native_acceptor();
    boost::asio::ip::udp::socket& native_udp_socket();

private:
    struct adopt_key {};

public:
    // For Adopt and accepted sockets only (the key is private).
    Socket(adopt_key, boost::asio::ip::tcp::socket&& socket);

private:
    struct accept_op {};
    struct connect_op {};
    struct send_op {};
    struct receive_op {};
    struct send_to_op {};
    struct receive_from_op {};
    struct asio_send_op {};
    struct asio_receive_op {};
    template <class Signature>
    struct canceled_op {};
    template <class Op>
    class initiation;
    class sync_scope;
    class connect_host_op;

    using accept_signature = void(std::exception_ptr, SocketPtr);
    using connect_signature = void(std::exception_ptr);
    using transfer_signature = void(std::exception_ptr, int);
    using receive_from_signature = void(std::exception_ptr, SocketReceiveFromResult);

    void open(dotasync::AddressFamily family, dotasync::SocketType type, dotasync::ProtocolType protocol);
    void ensure_open() const;
    [[noreturn]] void throw_disposed() const;
    static boost::asio::socket_base::message_flags checked_flags(SocketFlags flags);
    static IPEndPoint checked_end_point(const EndPoint& ep);
    IPEndPoint compatible(const IPEndPoint& ep) const;

    template <class Signature, class Op, class Token, class... Args>
    auto start_face(Token&& token, Args&&... args);
    template <class Signature, class Op, class Token, class... Args>
    auto cancellable_face(CancellationToken cancellationToken, Token&& token, Args&&... args);
    template <class... Values, class Handler>
    void start(canceled_op<void(std::exception_ptr, Values...)>, Handler&& handler);

    // The initiations, one per operation; each holds the state's lock while it starts
    // the Asio operation, so that Close cannot run in the middle of it.
    template <class Handler>
    void start(accept_op, Handler&& handler);
    template <class Handler>
    void start(connect_op, Handler&& handler, IPEndPoint remote);
    template <class Handler>
    void start(connect_op, Handler&& handler, std::string host, int port);
    template <class Handler>
    void start(send_op, Handler&& handler, std::span<const std::byte> bytes,
               boost::asio::socket_base::message_flags flags);
    template <class Handler>
    void start(asio_send_op, Handler&& handler, std::span<const std::byte> bytes,
               boost::asio::socket_base::message_flags flags);
    template <class Handler>
    void start(asio_receive_op, Handler&& handler, std::span<std::byte> bytes,
               boost::asio::socket_base::message_flags flags);
    template <class Result, class Handler>
    void start_send(Handler&& handler, std::span<const std::byte> bytes,
                    boost::asio::socket_base::message_flags flags);
    template <class Result, class Handler>
    void start_receive(Handler&& handler, std::span<std::byte> bytes,
                       boost::asio::socket_base::message_flags flags);
    template <class Result, class Handler>
    void complete_closed(Handler&& handler);
    template <class Handler>
    void start(receive_op, Handler&& handler, std::span<std::byte> bytes,
               boost::asio::socket_base::message_flags flags);
    template <class Handler>
    void start(send_to_op, Handler&& handler, std::span<const std::byte> bytes,
               boost::asio::socket_base::message_flags flags, IPEndPoint remote);
    template <class Handler>
    void start(receive_from_op, Handler&& handler, std::span<std::byte> bytes,
               boost::asio::socket_base::message_flags flags);

    // A handler that completes, posted, with ObjectDisposedException (the
    // socket was closed between the call's check and the start).
    template <class Handler, class... Values>
    void complete_disposed(Handler&& handler, Values&&... values);

    // Non-template parts of the operations (socket.cpp).
    void check_can_accept() const;
    void check_can_connect() const;
    static void check_host(const std::string& host, int port);
    // Under the state's lock: the resolved endpoints this socket can connect
    // to, and a fresh descriptor for another attempt.
    std::vector<boost::asio::ip::tcp::endpoint>
    reachable(const boost::asio::ip::tcp::resolver::results_type& results) const;
    void reopen(boost::system::error_code& ec);
    void check_can_transfer(bool datagram, bool receive_from) const;
    std::optional<IPEndPoint> local_end_point_locked() const;
    int native_handle_locked() const;
    void connected_by(const boost::system::error_code& ec) noexcept;
    SocketPtr accepted(boost::asio::ip::tcp::socket&& peer) const;

    int send_bytes(std::span<const std::byte> bytes, boost::asio::socket_base::message_flags flags);
    int receive_bytes(std::span<std::byte> bytes, boost::asio::socket_base::message_flags flags);
    int send_to_bytes(std::span<const std::byte> bytes, boost::asio::socket_base::message_flags flags,
                      const IPEndPoint& remote);
    int receive_from_bytes(std::span<std::byte> bytes, boost::asio::socket_base::message_flags flags,
                           EndPoint& remote);
    int read_setting(const int& setting) const;
    void write_timeout(int& setting, int value);
    IAsyncResultPtr begin_connect(IPEndPoint remote, AsyncCallback callback, std::any state);

    executor_type executor_;
    dotasync::AddressFamily family_;
    dotasync::SocketType type_;
    dotasync::ProtocolType protocol_;
    std::shared_ptr<detail::socket_state> state_;
    std::variant<std::monostate, boost::asio::ip::tcp::socket, boost::asio::ip::tcp::acceptor,
                 boost::asio::ip::udp::socket>
        native_;
    bool blocking_ = true;
    int receive_timeout_ = 0;
    int send_timeout_ = 0;
};

} // namespace dotasync

#include <dotasync/net/impl/socket.hpp>

#endif
