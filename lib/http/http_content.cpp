#include <dotasync/http/http_content.hpp>

#include "detail/http_content_core.hpp"

#include <dotasync/io/memory_stream.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include <boost/asio/append.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <cctype>

namespace dotasync {

namespace asio = boost::asio;

namespace {

void complete(detail::body_handler handler, std::exception_ptr failure, std::string bytes)
{
    // post runs the handler through its own associated executor, when it
    // has one; the pool is where the call starts from.
    asio::post(ThreadPool::Executor(), asio::append(std::move(handler), std::move(failure), std::move(bytes)));
}

// Reads a StreamContent's stream from its position to its end.
asio::awaitable<std::string> drain(std::shared_ptr<Stream> stream, CancellationToken token)
{
    std::string out;
    std::vector<char> chunk(16 * 1024);
    for (;;) {
        int n = co_await stream->ReadAsync(std::span<std::byte>(reinterpret_cast<std::byte*>(chunk.data()), chunk.size()),
                                           token, asio::use_awaitable);
        if (n <= 0)
            break;
        out.append(chunk.data(), std::size_t(n));
    }
    co_return out;
}

// Called once the first read of a content that was not in memory finished.
void finish_read(const std::shared_ptr<detail::http_content_core>& core, detail::body_handler first,
                 std::exception_ptr failure, std::string bytes)
{
    std::vector<detail::body_handler> waiting;
    {
        std::lock_guard lock(core->mutex);
        core->reading = false;
        if (!failure) {
            core->buffer = bytes;
            core->body.reset();
            core->stream.reset();
        }
        waiting.swap(core->waiting);
    }
    for (auto& h : waiting)
        complete(std::move(h), failure, bytes);
    complete(std::move(first), std::move(failure), std::move(bytes));
}

} // namespace

HttpContent::HttpContent(std::string bytes) : core_(std::make_shared<detail::http_content_core>())
{
    core_->buffer = std::move(bytes);
    headers_.ContentLength(std::int64_t(core_->buffer->size()));
}

HttpContent::HttpContent(std::shared_ptr<Stream> source) : core_(std::make_shared<detail::http_content_core>())
{
    if (!source)
        throw ArgumentNullException("content");
    core_->stream = std::move(source);
}

HttpContent::HttpContent(std::shared_ptr<detail::http_content_core> core) : core_(std::move(core)) {}

HttpContent::~HttpContent() = default;

void HttpContent::start_read(const std::shared_ptr<detail::http_content_core>& core,
                             CancellationToken cancellationToken, detail::body_handler handler)
{
    std::shared_ptr<Stream> stream;
    std::shared_ptr<detail::http_body_source> body;
    {
        std::unique_lock lock(core->mutex);
        if (core->buffer) {
            auto bytes = *core->buffer;
            lock.unlock();
            complete(std::move(handler), nullptr, std::move(bytes));
            return;
        }
        if (core->reading) {
            core->waiting.push_back(std::move(handler));
            return;
        }
        core->reading = true;
        stream = core->stream;
        body = core->body;
    }
    if (body) {
        body->read_all(std::move(cancellationToken), asio::bind_executor(ThreadPool::Executor(),
            [core, first = std::move(handler)](std::exception_ptr e, std::string bytes) mutable {
                finish_read(core, std::move(first), std::move(e), std::move(bytes));
            }));
        return;
    }
    if (!stream) {
        finish_read(core, std::move(handler), nullptr, std::string());
        return;
    }
    auto executor = stream->get_executor();
    asio::co_spawn(executor, drain(std::move(stream), std::move(cancellationToken)),
                   [core, first = std::move(handler)](std::exception_ptr e, std::string bytes) mutable {
                       finish_read(core, std::move(first), std::move(e), std::move(bytes));
                   });
}

std::vector<std::uint8_t> HttpContent::to_bytes(std::string s)
{
    return std::vector<std::uint8_t>(s.begin(), s.end());
}

std::shared_ptr<Stream> HttpContent::to_stream(std::string s)
{
    return std::make_shared<MemoryStream>(std::span<const std::byte>(reinterpret_cast<const std::byte*>(s.data()), s.size()));
}

namespace {

std::string with_charset(const std::string& mediaType)
{
    if (mediaType.find(';') != std::string::npos)
        throw FormatException("The format of value '" + mediaType + "' is invalid.");
    return mediaType + "; charset=utf-8";
}

} // namespace

StringContent::StringContent(std::string content) : StringContent(std::move(content), "text/plain") {}

StringContent::StringContent(std::string content, const std::string& mediaType) : HttpContent(std::move(content))
{
    if (mediaType.empty())
        throw ArgumentException("The value cannot be null or empty.", "mediaType");
    Headers().ContentType(with_charset(mediaType));
}

ByteArrayContent::ByteArrayContent(std::span<const std::uint8_t> content)
    : HttpContent(std::string(content.begin(), content.end()))
{
}

namespace {

std::string slice(std::span<const std::uint8_t> content, int offset, int count)
{
    if (offset < 0 || std::size_t(offset) > content.size())
        throw ArgumentOutOfRangeException("offset");
    if (count < 0 || std::size_t(count) > content.size() - std::size_t(offset))
        throw ArgumentOutOfRangeException("count");
    return std::string(content.begin() + offset, content.begin() + offset + count);
}

} // namespace

ByteArrayContent::ByteArrayContent(std::span<const std::uint8_t> content, int offset, int count)
    : HttpContent(slice(content, offset, count))
{
}

StreamContent::StreamContent(std::shared_ptr<Stream> content) : HttpContent(std::move(content)) {}

namespace detail {

// A content and its reference counts in one block; the constructor it needs
// is HttpContent's private one, which this friend's member may call.
struct http_content_access::made_content final : HttpContent {
    explicit made_content(std::shared_ptr<http_content_core> core) : HttpContent(std::move(core)) {}
};

std::shared_ptr<HttpContent> http_content_access::make(std::shared_ptr<http_content_core> core)
{
    return std::make_shared<made_content>(std::move(core));
}

std::string http_content_access::buffered(const HttpContent& content)
{
    std::lock_guard lock(content.core_->mutex);
    return content.core_->buffer.value_or(std::string());
}

std::string http_content_access::take_buffered(HttpContent& content)
{
    std::lock_guard lock(content.core_->mutex);
    if (!content.core_->buffer)
        return {};
    return std::move(*content.core_->buffer);
}

} // namespace detail

} // namespace dotasync
