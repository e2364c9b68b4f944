// SslStream and https: both ends of a handshake over a TCP connection, data
// through every face, the certificate checks (untrusted, wrong name, a
// callback that decides) and misuse; then HttpClient, WebClient and
// HttpWebRequest against an https server.
//
// The program trusts one self-signed certificate through SSL_CERT_FILE, set
// by the global fixture before any thread starts; a second certificate,
// made the same way, is trusted by nobody.
#include <dotasync/http/ssl_stream.hpp>

#include "local_http_server.hpp"
#include "net/net_fixture.hpp"
#include "support/waiting.hpp"

#include <dotasync/http/http_client.hpp>
#include <dotasync/http/service_point_manager.hpp>
#include <dotasync/http/web_client.hpp>
#include <dotasync/http/web_request.hpp>
#include <dotasync/net/network_stream.hpp>

#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace dotasync;
using namespace dotasync_test;
namespace asio = boost::asio;
using sample::local_http_server;
using sample::pem_identity;

namespace {

const pem_identity& trusted()
{
    static const pem_identity identity = sample::make_self_signed("dotasync trusted");
    return identity;
}

const pem_identity& untrusted()
{
    static const pem_identity identity = sample::make_self_signed("dotasync untrusted");
    return identity;
}

struct trust_store {
    trust_store()
    {
        path = std::filesystem::temp_directory_path() / ("dotasync-ca-" + std::to_string(::getpid()) + ".pem");
        std::ofstream(path) << trusted().certificate;
        ::setenv("SSL_CERT_FILE", path.c_str(), 1);
    }
    ~trust_store() { std::filesystem::remove(path); }
    std::filesystem::path path;
};

// A connected pair of TLS streams, not yet authenticated.
struct tls_pair {
    tls_pair(RemoteCertificateValidationCallback callback = {})
    {
        auto [a, b] = connected_pair();
        client = std::make_shared<SslStream>(std::make_shared<NetworkStream>(a, true), false, std::move(callback));
        server = std::make_shared<SslStream>(std::make_shared<NetworkStream>(b, true));
    }
    std::shared_ptr<SslStream> client;
    std::shared_ptr<SslStream> server;
};

X509Certificate2 identity_of(const pem_identity& pem)
{
    return X509Certificate2::CreateFromPem(pem.certificate, pem.key);
}

template <class E>
void require_failure(std::future<void>& f)
{
    BOOST_REQUIRE(f.wait_for(generous) == std::future_status::ready);
    BOOST_CHECK_THROW(f.get(), E);
}

} // namespace

// One fixture, so that the order is fixed (Boost.Test orders separate
// global fixtures by address): the runtime starts before anything touches
// OpenSSL, as in a program that turns to TLS late. OpenSSL's exit-time
// clean-up must still wait for the pool's threads, whose handshakes leave
// per-thread OpenSSL state that the sanitizer builds' leak check would report.
struct runtime_then_trust_store : net_baseline, trust_store {};
BOOST_TEST_GLOBAL_FIXTURE(runtime_then_trust_store);

BOOST_AUTO_TEST_SUITE(ssl_stream)

BOOST_AUTO_TEST_CASE(both_ends_authenticate_and_bytes_pass_through_every_face)
{
    tls_pair p;
    auto server_done = p.server->AuthenticateAsServerAsync(identity_of(trusted()), asio::use_future);
    p.client->AuthenticateAsClient("localhost");
    get_within(server_done);
    BOOST_TEST(p.client->IsAuthenticated());
    BOOST_TEST(p.server->IsAuthenticated());
    BOOST_TEST(p.server->IsServer());
    BOOST_TEST(!p.client->IsServer());
    BOOST_REQUIRE(p.client->RemoteCertificate());
    BOOST_TEST(p.client->RemoteCertificate()->Subject() == "CN=localhost, O=dotasync trusted");
    BOOST_TEST(p.client->RemoteCertificate()->Thumbprint() == identity_of(trusted()).Thumbprint());

    const std::string hello = "hello over TLS";
    p.client->Write(hello, 0, int(hello.size()));
    std::vector<std::uint8_t> in(hello.size());
    p.server->ReadExactly(in, 0, int(in.size()));
    BOOST_TEST(std::string(in.begin(), in.end()) == hello);

    const std::string reply = "and back, through BeginWrite and ReadAsync";
    p.server->EndWrite(p.server->BeginWrite(reply, 0, int(reply.size()), {}, {}));
    std::vector<std::uint8_t> out(reply.size());
    get_within(p.client->ReadExactlyAsync(out, 0, int(out.size()), asio::use_future));
    BOOST_TEST(std::string(out.begin(), out.end()) == reply);

    // Closing one end ends the other's reads.
    p.server->Close();
    std::vector<std::uint8_t> rest(8);
    BOOST_TEST(get_within(p.client->ReadAsync(rest, 0, 8, asio::use_future)) == 0);
}

BOOST_AUTO_TEST_CASE(the_APM_pair_authenticates_with_a_state)
{
    tls_pair p;
    auto server = p.server->BeginAuthenticateAsServer(identity_of(trusted()), {}, {});
    auto client = p.client->BeginAuthenticateAsClient("127.0.0.1", {}, std::string("state"));
    BOOST_TEST(client->AsyncWaitHandle().WaitOne(generous));
    BOOST_TEST(std::any_cast<std::string>(client->AsyncState()) == "state");
    p.client->EndAuthenticateAsClient(client);
    p.server->EndAuthenticateAsServer(server);
    BOOST_CHECK_THROW(p.client->EndAuthenticateAsClient(client), InvalidOperationException);
    BOOST_CHECK_THROW(p.server->EndAuthenticateAsClient(server), InvalidOperationException);
}

BOOST_AUTO_TEST_CASE(an_untrusted_certificate_fails_unless_the_callback_accepts_it)
{
    {
        tls_pair p;
        auto server = p.server->AuthenticateAsServerAsync(identity_of(untrusted()), asio::use_future);
        auto client = p.client->AuthenticateAsClientAsync("localhost", asio::use_future);
        require_failure<AuthenticationException>(client);
        BOOST_TEST(!p.client->IsAuthenticated());
        p.client->Close();
        BOOST_REQUIRE(server.wait_for(generous) == std::future_status::ready);
    }
    {
        SslPolicyErrors seen = SslPolicyErrors::None;
        std::any sender;
        tls_pair p([&](const std::any& s, const X509Certificate2& certificate, SslPolicyErrors errors) {
            seen = errors;
            sender = s;
            return certificate.Subject() == "CN=localhost, O=dotasync untrusted";
        });
        auto server = p.server->AuthenticateAsServerAsync(identity_of(untrusted()), asio::use_future);
        get_within(p.client->AuthenticateAsClientAsync("localhost", asio::use_future));
        get_within(server);
        BOOST_TEST((seen == SslPolicyErrors::RemoteCertificateChainErrors));
        BOOST_TEST(std::any_cast<SslStream*>(sender) == p.client.get());
    }
    {
        tls_pair p([](const std::any&, const X509Certificate2&, SslPolicyErrors) { return false; });
        auto server = p.server->AuthenticateAsServerAsync(identity_of(trusted()), asio::use_future);
        auto client = p.client->AuthenticateAsClientAsync("localhost", asio::use_future);
        BOOST_REQUIRE(client.wait_for(generous) == std::future_status::ready);
        try {
            client.get();
            BOOST_FAIL("no exception");
        } catch (const AuthenticationException& e) {
            BOOST_TEST(e.Message() ==
                       "The remote certificate was rejected by the provided RemoteCertificateValidationCallback.");
        }
        p.client->Close();
        BOOST_REQUIRE(server.wait_for(generous) == std::future_status::ready);
    }
}

BOOST_AUTO_TEST_CASE(a_trusted_certificate_for_another_name_is_a_name_mismatch)
{
    SslPolicyErrors seen = SslPolicyErrors::None;
    tls_pair p([&](const std::any&, const X509Certificate2&, SslPolicyErrors errors) {
        seen = errors;
        return false;
    });
    auto server = p.server->AuthenticateAsServerAsync(identity_of(trusted()), asio::use_future);
    auto client = p.client->AuthenticateAsClientAsync("example.com", asio::use_future);
    require_failure<AuthenticationException>(client);
    BOOST_TEST((seen == SslPolicyErrors::RemoteCertificateNameMismatch));
    p.client->Close();
    BOOST_REQUIRE(server.wait_for(generous) == std::future_status::ready);
}

BOOST_AUTO_TEST_CASE(misuse_is_refused)
{
    BOOST_CHECK_THROW(SslStream(nullptr), ArgumentNullException);
    BOOST_CHECK_THROW(X509Certificate2::CreateFromPem("not a certificate"), CryptographicException);
    BOOST_CHECK_THROW(X509Certificate2::CreateFromPem(trusted().certificate, untrusted().key), CryptographicException);
    const auto public_only = X509Certificate2::CreateFromPem(trusted().certificate);
    BOOST_TEST(!public_only.HasPrivateKey());

    tls_pair p;
    std::vector<std::uint8_t> buffer(4);
    BOOST_CHECK_THROW(p.client->Read(buffer, 0, 4), InvalidOperationException);
    BOOST_CHECK_THROW(p.client->ReadAsync(buffer, 0, 4, asio::use_future), InvalidOperationException);
    BOOST_CHECK_THROW(p.server->AuthenticateAsServerAsync(public_only, asio::use_future), ArgumentException);
    auto server = p.server->AuthenticateAsServerAsync(identity_of(trusted()), asio::use_future);
    p.client->AuthenticateAsClient("localhost");
    BOOST_CHECK_THROW(p.client->AuthenticateAsClient("localhost"), InvalidOperationException);
    get_within(server);

    CancellationTokenSource canceled;
    canceled.Cancel();
    tls_pair q;
    auto early = q.client->AuthenticateAsClientAsync("localhost", canceled.Token(), asio::use_future);
    require_failure<OperationCanceledException>(early);
}

BOOST_AUTO_TEST_CASE(HttpClient_speaks_https_keeps_the_connection_and_refuses_an_untrusted_server)
{
    local_http_server good(trusted());
    HttpClient client;
    BOOST_TEST(get_within(client.GetStringAsync(good.base_url() + "text", asio::use_future)) == "Hello, World!");
    BOOST_TEST(get_within(client.GetStringAsync(good.base_url() + "chunked/5000", asio::use_future)).size() == 5000u);
    BOOST_TEST(good.connections() == 1);

    local_http_server bad(untrusted());
    auto f = client.GetAsync(bad.base_url() + "text", asio::use_future);
    BOOST_REQUIRE(f.wait_for(generous) == std::future_status::ready);
    try {
        f.get();
        BOOST_FAIL("no exception");
    } catch (const HttpRequestException& e) {
        BOOST_TEST(e.Message() == "The SSL connection could not be established, see inner exception.");
        BOOST_TEST(holds<AuthenticationException>(e.InnerException()));
    }

    // The process-wide callback of legacy code lets it through.
    ServicePointManager::ServerCertificateValidationCallback(
        [](const std::any&, const X509Certificate2&, SslPolicyErrors errors) {
            return errors == SslPolicyErrors::RemoteCertificateChainErrors;
        });
    BOOST_TEST(get_within(client.GetStringAsync(bad.base_url() + "text", asio::use_future)) == "Hello, World!");
    ServicePointManager::ServerCertificateValidationCallback(nullptr);
}

BOOST_AUTO_TEST_CASE(WebClient_and_HttpWebRequest_report_an_untrusted_server_as_TrustFailure)
{
    local_http_server good(trusted());
    local_http_server bad(untrusted());
    WebClient web;
    BOOST_TEST(web.DownloadString(good.base_url() + "text") == "Hello, World!");
    try {
        web.DownloadString(bad.base_url() + "text");
        BOOST_FAIL("no exception");
    } catch (const WebException& e) {
        BOOST_TEST((e.Status() == WebExceptionStatus::TrustFailure));
    }
    auto request = WebRequest::Create(bad.base_url() + "text");
    try {
        request->EndGetResponse(request->BeginGetResponse({}, {}));
        BOOST_FAIL("no exception");
    } catch (const WebException& e) {
        BOOST_TEST((e.Status() == WebExceptionStatus::TrustFailure));
    }
}

BOOST_AUTO_TEST_SUITE_END()
