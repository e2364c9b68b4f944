// A small HTTP/1.1 server on 127.0.0.1 for the HTTP samples and tests, on a
// thread of its own. It serves:
//   GET  /text                 "Hello, World!" (text/plain; charset=utf-8); HEAD too
//   GET  /bytes/N              N bytes "abc...zab..." with Content-Length
//   GET  /chunked/N            the same N bytes, chunked in pieces of 1000
//   GET  /until-close/N        the same N bytes, ended by closing the connection
//   GET  /slow/N?ms=T          the same N bytes, the second half T ms after the first
//   GET  /delay/T              "done" after T ms
//   GET  /page/NAME            an HTML page of a size fixed by NAME
//   ANY  /status/N             status N, body "status N"
//   ANY  /redirect/N           302 to /redirect/N-1; /redirect/0 -> 302 to /text
//   ANY  /redirect-to?code=C&url=U   status C with Location U
//   ANY  /echo                 the request body back, with X-Method, and every
//                              request header as X-Req-<name>
//   GET  /close                "bye", then the connection is closed
//   GET  /drop                 closes the connection without an answer
//   GET  /hang                 never answers
//   ANY  /sink                 never answers, nor reads the request's body
//   anything else              404 "not found"
// requests() counts requests whose head was read.
// Every connection is kept alive between requests unless the request asks
// otherwise. Given a TLS identity, it speaks https only. The destructor
// closes everything.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "self_signed_certificate.hpp"

#include <atomic>
#include <optional>
#include <string>
#include <thread>

namespace sample {

class local_http_server {
public:
    explicit local_http_server(std::optional<pem_identity> tls = std::nullopt);
    ~local_http_server();
    local_http_server(const local_http_server&) = delete;
    local_http_server& operator=(const local_http_server&) = delete;

    int port() const noexcept { return port_; }
    // "http://127.0.0.1:PORT/" (https with a TLS identity)
    std::string base_url() const;
    // Connections accepted and requests answered so far.
    int connections() const noexcept { return connections_.load(); }
    int requests() const noexcept { return requests_.load(); }

private:
    boost::asio::io_context io_{1};
    boost::asio::ip::tcp::acceptor acceptor_;
    int port_ = 0;
    bool tls_ = false;
    std::atomic<int> connections_{0};
    std::atomic<int> requests_{0};
    std::thread thread_;
};

// The bytes /bytes/N, /chunked/N, /until-close/N and /slow/N serve.
std::string pattern_bytes(std::size_t n);

} // namespace sample
