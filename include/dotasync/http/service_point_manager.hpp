// ServicePointManager: the process-wide settings .NET Framework's HTTP
// classes share. Here, ServerCertificateValidationCallback: when set,
// HttpClient, WebClient and HttpWebRequest ask it about every https
// server's certificate (sender: empty), as legacy code does with
//   ServicePointManager.ServerCertificateValidationCallback = (s, c, ch, e) => true;
// When empty (the default), a certificate with any SslPolicyErrors fails the
// request.
//
// Thread-safety: get and set from any thread; a request uses the callback
// that was set when its connection was made.
#ifndef DOTASYNC_HTTP_SERVICE_POINT_MANAGER_HPP
#define DOTASYNC_HTTP_SERVICE_POINT_MANAGER_HPP

#include <dotasync/core/export.hpp>
#include <dotasync/http/ssl_stream.hpp>

namespace dotasync {

struct DOTASYNC_API ServicePointManager {
    static RemoteCertificateValidationCallback ServerCertificateValidationCallback();
    static void ServerCertificateValidationCallback(RemoteCertificateValidationCallback value);
};

} // namespace dotasync

#endif
