// HttpMethod: the method of an HTTP request, as .NET's.
//
//   HttpRequestMessage request(HttpMethod::Post(), "http://localhost/items");
//
// A method made from a string must be a non-empty HTTP token (letters, digits
// and !#$%&'*+-.^_`|~): anything else -> ArgumentException, as .NET.
// Methods compare case-sensitively, as HTTP does.
//
// Thread-safety: an HttpMethod is an immutable value.
#ifndef DOTASYNC_HTTP_HTTP_METHOD_HPP
#define DOTASYNC_HTTP_HTTP_METHOD_HPP

#include <dotasync/core/export.hpp>

#include <string>

namespace dotasync {

class DOTASYNC_API HttpMethod {
public:
    explicit HttpMethod(std::string method);

    static HttpMethod Get() { return HttpMethod(known, "GET"); }
    static HttpMethod Post() { return HttpMethod(known, "POST"); }
    static HttpMethod Put() { return HttpMethod(known, "PUT"); }
    static HttpMethod Delete() { return HttpMethod(known, "DELETE"); }
    static HttpMethod Head() { return HttpMethod(known, "HEAD"); }
    static HttpMethod Options() { return HttpMethod(known, "OPTIONS"); }
    static HttpMethod Patch() { return HttpMethod(known, "PATCH"); }
    static HttpMethod Trace() { return HttpMethod(known, "TRACE"); }

    const std::string& Method() const noexcept { return method_; }
    const std::string& ToString() const noexcept { return method_; }

    friend bool operator==(const HttpMethod&, const HttpMethod&) = default;

private:
    struct known_t {};
    static constexpr known_t known{};
    HttpMethod(known_t, const char* method) : method_(method) {}

    std::string method_;
};

} // namespace dotasync

#endif
