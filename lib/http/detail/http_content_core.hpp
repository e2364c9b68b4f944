// Private: the body behind an HttpContent, wherever its bytes are: in memory,
// in a stream not read yet (StreamContent), or still on the connection (a
// response read with ResponseHeadersRead).
#ifndef DOTASYNC_LIB_HTTP_DETAIL_HTTP_CONTENT_CORE_HPP
#define DOTASYNC_LIB_HTTP_DETAIL_HTTP_CONTENT_CORE_HPP

#include <dotasync/core/cancellation.hpp>
#include <dotasync/http/http_content.hpp>
#include <dotasync/io/stream.hpp>

#include <boost/asio/any_completion_handler.hpp>

#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dotasync::detail {

using body_handler = boost::asio::any_completion_handler<void(std::exception_ptr, std::string)>;

// Bytes still to be read, from the connection.
class http_body_source {
public:
    virtual ~http_body_source() = default;
    // Reads the whole body; completes on the handler's executor.
    virtual void read_all(CancellationToken cancellationToken, body_handler handler) = 0;
};

struct http_content_core {
    std::mutex mutex;
    std::optional<std::string> buffer;
    std::shared_ptr<Stream> stream;
    std::shared_ptr<http_body_source> body;
    // Reads that arrived while the first one was reading; they complete
    // with its outcome.
    std::vector<body_handler> waiting;
    bool reading = false;
};

// Whether name belongs to a body's headers (Content-*, Expires,
// Last-Modified, Allow) rather than to a request's or a response's.
bool is_http_content_header(std::string_view name) noexcept;

// Whether two header names are the same, as HTTP compares them (without case).
bool same_http_header_name(std::string_view a, std::string_view b) noexcept;

// Whether text is an HTTP token (RFC 9110: one or more of the ASCII letters
// and digits and !#$%&'*+-.^_`|~), as header names and methods must be.
bool is_http_token(std::string_view text) noexcept;

struct http_content_access {
    struct made_content;
    static std::shared_ptr<HttpContent> make(std::shared_ptr<http_content_core> core);
    static const std::shared_ptr<http_content_core>& core(const HttpContent& content) { return content.core_; }
    static void read(const std::shared_ptr<http_content_core>& core, CancellationToken cancellationToken,
                     body_handler handler)
    {
        HttpContent::start_read(core, std::move(cancellationToken), std::move(handler));
    }
    // The bytes of a content that is in memory (a response read with
    // ResponseContentRead); empty otherwise.
    static std::string buffered(const HttpContent& content);
    // The same bytes, moved out: for a response nothing else shares.
    static std::string take_buffered(HttpContent& content);
};

} // namespace dotasync::detail

#endif
