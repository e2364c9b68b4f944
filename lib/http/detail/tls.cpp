#include "tls.hpp"

#include <boost/asio/ip/address.hpp>

#include <openssl/x509v3.h>

namespace dotasync::detail {

namespace asio = boost::asio;

namespace {

// OpenSSL registers its exit-time clean-up with atexit when it is first
// initialised, and exit runs such clean-ups and static destructors in the
// reverse order of their registration. Initialised by the first TLS
// operation, after the default runtime had started, OpenSSL would be torn
// down while the runtime's threads may still be running TLS handlers, and
// every pool thread that had used TLS would leave its per-thread OpenSSL
// state behind. Initialised while the library is loaded, before anything can
// start the runtime, its clean-up runs after the runtime's destructor has
// joined the threads. Should it fail here, the first TLS operation fails too
// and reports it.
[[maybe_unused]] const bool openssl_initialized_at_load = OPENSSL_init_ssl(0, nullptr) == 1;

} // namespace

x509_data::~x509_data()
{
    X509_free(certificate);
    EVP_PKEY_free(key);
}

std::unique_ptr<asio::ssl::context> make_tls_client_context()
{
    auto context = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
    context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                         asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                         asio::ssl::context::no_tlsv1_1);
    boost::system::error_code ignored;
    context->set_default_verify_paths(ignored);
    context->set_verify_mode(asio::ssl::verify_peer);
    // The verdict is given after the handshake, from the verification result
    // OpenSSL keeps, so that a callback can accept what the store refuses.
    context->set_verify_callback([](bool, asio::ssl::verify_context&) { return true; });
    return context;
}

std::unique_ptr<asio::ssl::context> make_tls_server_context(const X509Certificate2& certificate)
{
    auto context = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
    context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                         asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                         asio::ssl::context::no_tlsv1_1);
    const auto& data = certificate.data();
    if (SSL_CTX_use_certificate(context->native_handle(), data->certificate) != 1 ||
        SSL_CTX_use_PrivateKey(context->native_handle(), data->key) != 1 ||
        SSL_CTX_check_private_key(context->native_handle()) != 1)
        throw CryptographicException("The certificate and its private key could not be used.");
    return context;
}

namespace {

bool is_address(const std::string& host)
{
    boost::system::error_code ec;
    asio::ip::make_address(host, ec);
    return !ec;
}

} // namespace

void set_tls_server_name(SSL* ssl, const std::string& host)
{
    if (!is_address(host))
        SSL_set_tlsext_host_name(ssl, host.c_str());
}

std::shared_ptr<X509Certificate2> peer_certificate(SSL* ssl)
{
    X509* peer = SSL_get1_peer_certificate(ssl);
    if (!peer)
        return nullptr;
    auto data = std::make_shared<x509_data>();
    data->certificate = peer;
    return std::make_shared<X509Certificate2>(std::move(data));
}

std::exception_ptr judge_server_certificate(SSL* ssl, const std::string& host,
                                            const RemoteCertificateValidationCallback& callback,
                                            const std::any& sender)
{
    auto certificate = peer_certificate(ssl);
    SslPolicyErrors errors = SslPolicyErrors::None;
    if (!certificate) {
        errors = SslPolicyErrors::RemoteCertificateNotAvailable;
    } else {
        if (SSL_get_verify_result(ssl) != X509_V_OK)
            errors = errors | SslPolicyErrors::RemoteCertificateChainErrors;
        X509* x = certificate->data()->certificate;
        const bool matches = is_address(host) ? X509_check_ip_asc(x, host.c_str(), 0) == 1
                                              : X509_check_host(x, host.data(), host.size(), 0, nullptr) == 1;
        if (!matches)
            errors = errors | SslPolicyErrors::RemoteCertificateNameMismatch;
    }
    if (callback) {
        const auto& shown = certificate ? *certificate : X509Certificate2(std::make_shared<x509_data>());
        if (callback(sender, shown, errors))
            return nullptr;
        return std::make_exception_ptr(AuthenticationException(
            "The remote certificate was rejected by the provided RemoteCertificateValidationCallback."));
    }
    if (errors == SslPolicyErrors::None)
        return nullptr;
    return std::make_exception_ptr(
        AuthenticationException("The remote certificate is invalid according to the validation procedure."));
}

} // namespace dotasync::detail
