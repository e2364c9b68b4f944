// A self-signed certificate and its key, made in the process with OpenSSL,
// for the https samples and tests: valid for a day, for the names
// "localhost" and 127.0.0.1.
#pragma once

#include <string>

namespace sample {

struct pem_identity {
    std::string certificate; // PEM
    std::string key;         // PEM, unencrypted
};

// organization becomes the certificate's O=, so that two identities made in
// one process have different names.
pem_identity make_self_signed(const std::string& organization = "dotasync test");

} // namespace sample
