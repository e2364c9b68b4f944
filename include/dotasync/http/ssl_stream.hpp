// SslStream: TLS over any dotasync Stream, as .NET's: authenticate as the
// client or the server, then read and write plain bytes through every face
// of Stream.
//
//   auto tcp = std::make_shared<NetworkStream>(socket, true);
//   SslStream tls(tcp);
//   co_await tls.AuthenticateAsClientAsync("example.com", asio::use_awaitable);
//   co_await tls.WriteAsync(request, asio::use_awaitable);
//
// Completion signature of AuthenticateAsClientAsync and
// AuthenticateAsServerAsync: void(std::exception_ptr).
//
// The client checks the server's certificate against the system's CA store
// (OpenSSL's default paths, which SSL_CERT_FILE and SSL_CERT_DIR can
// replace) and the target host name, as .NET does. The outcome is a
// SslPolicyErrors value; with no RemoteCertificateValidationCallback, any
// error fails the handshake with AuthenticationException ("The remote
// certificate is invalid according to the validation procedure."); with
// one, the callback decides (false -> AuthenticationException "The remote
// certificate was rejected by the provided
// RemoteCertificateValidationCallback."). The callback's sender is this
// SslStream (an SslStream* in the std::any); .NET's X509Chain argument is
// not given. A handshake that fails otherwise is an AuthenticationException
// around the IOException of the transport.
//
// Reading or writing before authentication -> InvalidOperationException
// ("This operation is only allowed using a successfully authenticated
// context."); authenticating twice -> InvalidOperationException. Close
// closes the inner stream unless leaveInnerStreamOpen. A read returns 0 once
// the peer closed the TLS session or the connection.
//
// Thread-safety: one read and one write may be in flight at once, as on
// any Stream.
#ifndef DOTASYNC_HTTP_SSL_STREAM_HPP
#define DOTASYNC_HTTP_SSL_STREAM_HPP

#include <dotasync/core/apm_token.hpp>
#include <dotasync/core/cancellation.hpp>
#include <dotasync/core/exceptions.hpp>
#include <dotasync/core/export.hpp>
#include <dotasync/core/iasync_result.hpp>
#include <dotasync/http/x509_certificate2.hpp>
#include <dotasync/io/stream.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>

#include <any>
#include <functional>
#include <memory>
#include <string>

namespace dotasync {

class DOTASYNC_API AuthenticationException : public SystemException {
public:
    explicit AuthenticationException(std::string message = "Authentication failed.", std::exception_ptr inner = {});
};

enum class SslPolicyErrors {
    None = 0,
    RemoteCertificateNotAvailable = 1,
    RemoteCertificateNameMismatch = 2,
    RemoteCertificateChainErrors = 4,
};

constexpr SslPolicyErrors operator|(SslPolicyErrors a, SslPolicyErrors b) noexcept
{
    return SslPolicyErrors(int(a) | int(b));
}
constexpr SslPolicyErrors operator&(SslPolicyErrors a, SslPolicyErrors b) noexcept
{
    return SslPolicyErrors(int(a) & int(b));
}

using RemoteCertificateValidationCallback =
    std::function<bool(const std::any& sender, const X509Certificate2& certificate, SslPolicyErrors sslPolicyErrors)>;

namespace detail {
struct ssl_stream_state;
DOTASYNC_API inline constexpr char ssl_stream_authenticate_as_client_method = 0;
DOTASYNC_API inline constexpr char ssl_stream_authenticate_as_server_method = 0;
} // namespace detail

class DOTASYNC_API SslStream : public Stream {
public:
    // A null inner stream -> ArgumentNullException.
    explicit SslStream(std::shared_ptr<Stream> innerStream, bool leaveInnerStreamOpen = false,
                       RemoteCertificateValidationCallback userCertificateValidationCallback = {});
    ~SslStream() override;

    void AuthenticateAsClient(const std::string& targetHost);
    IAsyncResultPtr BeginAuthenticateAsClient(const std::string& targetHost, AsyncCallback asyncCallback,
                                              std::any asyncState);
    void EndAuthenticateAsClient(const IAsyncResultPtr& asyncResult);
    template <class Token>
    auto AuthenticateAsClientAsync(const std::string& targetHost, Token&& token)
    {
        return AuthenticateAsClientAsync(targetHost, CancellationToken::None(), std::forward<Token>(token));
    }
    template <class Token>
    auto AuthenticateAsClientAsync(const std::string& targetHost, CancellationToken cancellationToken, Token&& token)
    {
        return boost::asio::async_initiate<Token, void(std::exception_ptr)>(
            [this](auto handler, const std::string& host, CancellationToken ct) {
                start_authenticate(false, host, nullptr, std::move(ct), std::move(handler));
            },
            token, targetHost, std::move(cancellationToken));
    }

    // A certificate without its private key -> ArgumentException.
    void AuthenticateAsServer(const X509Certificate2& serverCertificate);
    IAsyncResultPtr BeginAuthenticateAsServer(const X509Certificate2& serverCertificate, AsyncCallback asyncCallback,
                                              std::any asyncState);
    void EndAuthenticateAsServer(const IAsyncResultPtr& asyncResult);
    template <class Token>
    auto AuthenticateAsServerAsync(const X509Certificate2& serverCertificate, Token&& token)
    {
        return AuthenticateAsServerAsync(serverCertificate, CancellationToken::None(), std::forward<Token>(token));
    }
    template <class Token>
    auto AuthenticateAsServerAsync(const X509Certificate2& serverCertificate, CancellationToken cancellationToken,
                                   Token&& token)
    {
        return boost::asio::async_initiate<Token, void(std::exception_ptr)>(
            [this](auto handler, const X509Certificate2& certificate, CancellationToken ct) {
                start_authenticate(true, std::string(), &certificate, std::move(ct), std::move(handler));
            },
            token, serverCertificate, std::move(cancellationToken));
    }

    bool IsAuthenticated() const noexcept;
    bool IsServer() const noexcept;
    // The peer's certificate, once authenticated (the server's, for a client).
    std::shared_ptr<X509Certificate2> RemoteCertificate() const;

    bool CanRead() const override;
    bool CanWrite() const override;
    bool CanSeek() const override { return false; }
    void Flush() override {}
    void Close() override;

protected:
    bool is_closed() const noexcept override;
    void prepare_async(bool write) override;
    int read_bytes(std::span<std::byte> buffer) override;
    void write_bytes(std::span<const std::byte> buffer) override;
    void start_read_some(std::span<std::byte> buffer, io_completion completion) override;
    void start_write_some(std::span<const std::byte> buffer, io_completion completion) override;

private:
    void start_authenticate(bool server, const std::string& targetHost, const X509Certificate2* certificate,
                            CancellationToken cancellationToken,
                            boost::asio::any_completion_handler<void(std::exception_ptr)> handler);

    std::shared_ptr<detail::ssl_stream_state> state_;
};

} // namespace dotasync

#endif
