// HttpContent: the body of a request or a response, with its headers, and
// the classes that make one: StringContent, ByteArrayContent, StreamContent.
//
//   auto body = std::make_shared<StringContent>(R"({"id":1})", "application/json");
//   HttpResponseMessage r = co_await client.PostAsync("/items", body, asio::use_awaitable);
//   std::string text = co_await r.Content().ReadAsStringAsync(asio::use_awaitable);
//
// Completion signatures:
//   ReadAsStringAsync       void(std::exception_ptr, std::string)
//   ReadAsByteArrayAsync    void(std::exception_ptr, std::vector<std::uint8_t>)
//   ReadAsStreamAsync       void(std::exception_ptr, std::shared_ptr<Stream>)
//
// The body of a response read with HttpCompletionOption::ResponseContentRead
// (the default) is in memory already; one read with ResponseHeadersRead is
// read from the connection by the first ReadAsXxxAsync, and kept, so that
// later reads give the same bytes (as .NET's LoadIntoBufferAsync). A
// StreamContent is read from its stream once, when it is first needed.
// ReadAsStreamAsync gives a MemoryStream over the whole body. The text is
// the bytes as they are (UTF-8 in, UTF-8 out): no charset conversion.
// A CancellationToken stops a read from the connection (the completion is
// TaskCanceledException, and the connection is closed).
//
// Thread-safety: the reads may be called from any thread; Headers() is not
// synchronized.
#ifndef DOTASYNC_HTTP_HTTP_CONTENT_HPP
#define DOTASYNC_HTTP_HTTP_CONTENT_HPP

#include <dotasync/core/cancellation.hpp>
#include <dotasync/core/export.hpp>
#include <dotasync/http/detail/handler_transform.hpp>
#include <dotasync/http/http_headers.hpp>
#include <dotasync/io/stream.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>

#include <cstdint>
#include <exception>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace dotasync {

namespace detail {
struct http_content_core;
struct http_content_access;
} // namespace detail

class DOTASYNC_API HttpContent {
public:
    virtual ~HttpContent();
    HttpContent(const HttpContent&) = delete;
    HttpContent& operator=(const HttpContent&) = delete;

    HttpContentHeaders& Headers() noexcept { return headers_; }
    const HttpContentHeaders& Headers() const noexcept { return headers_; }

    template <class Token>
    auto ReadAsStringAsync(Token&& token)
    {
        return ReadAsStringAsync(CancellationToken::None(), std::forward<Token>(token));
    }
    template <class Token>
    auto ReadAsStringAsync(CancellationToken cancellationToken, Token&& token)
    {
        return boost::asio::async_initiate<Token, void(std::exception_ptr, std::string)>(
            [core = core_](auto handler, CancellationToken ct) { start_read(core, std::move(ct), std::move(handler)); },
            token, std::move(cancellationToken));
    }

    template <class Token>
    auto ReadAsByteArrayAsync(Token&& token)
    {
        return ReadAsByteArrayAsync(CancellationToken::None(), std::forward<Token>(token));
    }
    template <class Token>
    auto ReadAsByteArrayAsync(CancellationToken cancellationToken, Token&& token)
    {
        return boost::asio::async_initiate<Token, void(std::exception_ptr, std::vector<std::uint8_t>)>(
            [core = core_](auto handler, CancellationToken ct) {
                start_read(core, std::move(ct), detail::transform_handler<std::string>(std::move(handler), to_bytes));
            },
            token, std::move(cancellationToken));
    }

    template <class Token>
    auto ReadAsStreamAsync(Token&& token)
    {
        return ReadAsStreamAsync(CancellationToken::None(), std::forward<Token>(token));
    }
    template <class Token>
    auto ReadAsStreamAsync(CancellationToken cancellationToken, Token&& token)
    {
        return boost::asio::async_initiate<Token, void(std::exception_ptr, std::shared_ptr<Stream>)>(
            [core = core_](auto handler, CancellationToken ct) {
                start_read(core, std::move(ct), detail::transform_handler<std::string>(std::move(handler), to_stream));
            },
            token, std::move(cancellationToken));
    }

protected:
    // Content whose bytes are known now.
    explicit HttpContent(std::string bytes);
    // Content read from a stream when first needed.
    explicit HttpContent(std::shared_ptr<Stream> source);

private:
    friend struct detail::http_content_access;
    explicit HttpContent(std::shared_ptr<detail::http_content_core> core);

    static void start_read(const std::shared_ptr<detail::http_content_core>& core, CancellationToken cancellationToken,
                           boost::asio::any_completion_handler<void(std::exception_ptr, std::string)> handler);
    static std::vector<std::uint8_t> to_bytes(std::string s);
    static std::shared_ptr<Stream> to_stream(std::string s);

    HttpContentHeaders headers_;
    std::shared_ptr<detail::http_content_core> core_;
};

// Text, sent as UTF-8 with Content-Type "text/plain; charset=utf-8" unless
// another media type is given ("application/json" gives
// "application/json; charset=utf-8", as .NET).
class DOTASYNC_API StringContent : public HttpContent {
public:
    explicit StringContent(std::string content);
    StringContent(std::string content, const std::string& mediaType);
};

// Bytes, sent as they are, with no Content-Type.
class DOTASYNC_API ByteArrayContent : public HttpContent {
public:
    explicit ByteArrayContent(std::span<const std::uint8_t> content);
    ByteArrayContent(std::span<const std::uint8_t> content, int offset, int count);
};

// The bytes of a readable stream, from its position to its end; a null
// stream -> ArgumentNullException.
class DOTASYNC_API StreamContent : public HttpContent {
public:
    explicit StreamContent(std::shared_ptr<Stream> content);
};

} // namespace dotasync

#endif
