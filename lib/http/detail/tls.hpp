// Private: what SslStream and the HTTP engine share of TLS: the OpenSSL
// objects behind an X509Certificate2, the client and server contexts, and
// the judgement of a server's certificate, .NET's way.
#ifndef DOTASYNC_LIB_HTTP_DETAIL_TLS_HPP
#define DOTASYNC_LIB_HTTP_DETAIL_TLS_HPP

#include <dotasync/http/ssl_stream.hpp>
#include <dotasync/http/x509_certificate2.hpp>

#include <boost/asio/ssl/context.hpp>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <any>
#include <exception>
#include <memory>
#include <string>

namespace dotasync::detail {

struct x509_data {
    x509_data() = default;
    x509_data(const x509_data&) = delete;
    x509_data& operator=(const x509_data&) = delete;
    ~x509_data();

    X509* certificate = nullptr;
    EVP_PKEY* key = nullptr;
};

// A context for clients: the system's CA store, peer verification on. The
// handshake never fails on the certificate itself: judge_server_certificate
// decides afterwards, as .NET's validation callback does.
std::unique_ptr<boost::asio::ssl::context> make_tls_client_context();
// A context for a server presenting certificate (which has its key).
std::unique_ptr<boost::asio::ssl::context> make_tls_server_context(const X509Certificate2& certificate);

// Sets the name the client asks for (SNI), unless host is an address.
void set_tls_server_name(SSL* ssl, const std::string& host);

// After a client handshake with host: null when the certificate is
// accepted, else the AuthenticationException. callback may be empty.
std::exception_ptr judge_server_certificate(SSL* ssl, const std::string& host,
                                            const RemoteCertificateValidationCallback& callback,
                                            const std::any& sender);

// The peer's certificate, or null.
std::shared_ptr<X509Certificate2> peer_certificate(SSL* ssl);

} // namespace dotasync::detail

#endif
