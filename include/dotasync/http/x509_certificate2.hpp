// X509Certificate2: a certificate, with its private key when it has one:
// what SslStream::AuthenticateAsServer presents, and what a
// RemoteCertificateValidationCallback is shown.
//
//   auto identity = X509Certificate2::CreateFromPem(certificatePem, keyPem);
//   co_await tls.AuthenticateAsServerAsync(identity, asio::use_awaitable);
//
// CreateFromPem of text that holds no certificate, or of a key that is not
// the certificate's -> CryptographicException, as .NET.
//
// Thread-safety: an immutable value.
#ifndef DOTASYNC_HTTP_X509_CERTIFICATE2_HPP
#define DOTASYNC_HTTP_X509_CERTIFICATE2_HPP

#include <dotasync/core/exceptions.hpp>
#include <dotasync/core/export.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace dotasync {

class DOTASYNC_API CryptographicException : public SystemException {
public:
    explicit CryptographicException(std::string message = "Error occurred during a cryptographic operation.");
};

namespace detail {
struct x509_data;
}

class DOTASYNC_API X509Certificate2 {
public:
    static X509Certificate2 CreateFromPem(std::string_view certPem);
    static X509Certificate2 CreateFromPem(std::string_view certPem, std::string_view keyPem);

    // "CN=localhost, O=dotasync": the distinguished names, most specific
    // part first, as .NET writes them.
    std::string Subject() const;
    std::string Issuer() const;
    // The SHA-1 hash of the certificate, in upper-case hex.
    std::string Thumbprint() const;
    bool HasPrivateKey() const noexcept;
    // The certificate in PEM form.
    std::string ExportCertificatePem() const;

    // For the library: the OpenSSL objects.
    const std::shared_ptr<const detail::x509_data>& data() const noexcept { return data_; }
    explicit X509Certificate2(std::shared_ptr<const detail::x509_data> data) : data_(std::move(data)) {}

private:
    std::shared_ptr<const detail::x509_data> data_;
};

} // namespace dotasync

#endif
