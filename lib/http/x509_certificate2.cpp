#include <dotasync/http/x509_certificate2.hpp>

#include "detail/tls.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdio>

namespace dotasync {

CryptographicException::CryptographicException(std::string message) : SystemException(std::move(message)) {}

namespace {

struct bio_deleter {
    void operator()(BIO* b) const noexcept { BIO_free(b); }
};
using bio_ptr = std::unique_ptr<BIO, bio_deleter>;

bio_ptr memory_of(std::string_view text)
{
    return bio_ptr(BIO_new_mem_buf(text.data(), int(text.size())));
}

std::string name_of(const X509_NAME* name)
{
    bio_ptr out(BIO_new(BIO_s_mem()));
    // RFC 2253 order (most specific first) with ", " between parts, as
    // .NET's Subject reads.
    X509_NAME_print_ex(out.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    char* data = nullptr;
    const long n = BIO_get_mem_data(out.get(), &data);
    std::string s(data, std::size_t(n));
    std::string spaced;
    for (std::size_t i = 0; i < s.size(); ++i) {
        spaced += s[i];
        if (s[i] == ',' && (i == 0 || s[i - 1] != '\\'))
            spaced += ' ';
    }
    return spaced;
}

} // namespace

X509Certificate2 X509Certificate2::CreateFromPem(std::string_view certPem)
{
    auto data = std::make_shared<detail::x509_data>();
    auto in = memory_of(certPem);
    data->certificate = PEM_read_bio_X509(in.get(), nullptr, nullptr, nullptr);
    if (!data->certificate)
        throw CryptographicException("No certificate was found in the input.");
    return X509Certificate2(std::move(data));
}

X509Certificate2 X509Certificate2::CreateFromPem(std::string_view certPem, std::string_view keyPem)
{
    auto data = std::make_shared<detail::x509_data>();
    auto in = memory_of(certPem);
    data->certificate = PEM_read_bio_X509(in.get(), nullptr, nullptr, nullptr);
    if (!data->certificate)
        throw CryptographicException("No certificate was found in the input.");
    auto key_in = memory_of(keyPem);
    data->key = PEM_read_bio_PrivateKey(key_in.get(), nullptr, nullptr, nullptr);
    if (!data->key)
        throw CryptographicException("No private key was found in the input.");
    if (X509_check_private_key(data->certificate, data->key) != 1)
        throw CryptographicException("The key does not match the certificate.");
    return X509Certificate2(std::move(data));
}

std::string X509Certificate2::Subject() const
{
    return data_->certificate ? name_of(X509_get_subject_name(data_->certificate)) : std::string();
}

std::string X509Certificate2::Issuer() const
{
    return data_->certificate ? name_of(X509_get_issuer_name(data_->certificate)) : std::string();
}

std::string X509Certificate2::Thumbprint() const
{
    if (!data_->certificate)
        return {};
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    X509_digest(data_->certificate, EVP_sha1(), digest, &n);
    std::string hex;
    char two[3];
    for (unsigned i = 0; i < n; ++i) {
        std::snprintf(two, sizeof two, "%02X", digest[i]);
        hex += two;
    }
    return hex;
}

bool X509Certificate2::HasPrivateKey() const noexcept
{
    return data_->key != nullptr;
}

std::string X509Certificate2::ExportCertificatePem() const
{
    if (!data_->certificate)
        return {};
    bio_ptr out(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(out.get(), data_->certificate);
    char* data = nullptr;
    const long n = BIO_get_mem_data(out.get(), &data);
    return std::string(data, std::size_t(n));
}

} // namespace dotasync
