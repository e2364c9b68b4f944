#include <dotasync/http/http_client.hpp>

#include "detail/http_client_core.hpp"
#include "detail/http_content_core.hpp"

#include <dotasync/io/memory_stream.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include <algorithm>

namespace dotasync {

namespace {

constexpr const char* object_name = "System.Net.Http.HttpClient";

} // namespace

HttpClient::HttpClient() : HttpClient(ThreadPool::Executor()) {}

HttpClient::HttpClient(executor_type executor) : core_(detail::make_http_client_core(std::move(executor))) {}

HttpClient::~HttpClient()
{
    Dispose();
}

HttpClient::executor_type HttpClient::get_executor() const noexcept
{
    return detail::http_executor(*core_);
}

void HttpClient::check_settable() const
{
    if (detail::http_disposed(*core_))
        throw ObjectDisposedException(object_name);
    if (started_.load())
        throw InvalidOperationException("This instance has already started one or more requests. Properties can only "
                                        "be modified before sending the first request.");
}

void HttpClient::BaseAddress(Uri value)
{
    if (!value.IsAbsoluteUri())
        throw ArgumentException("The base address must be an absolute URI.", "value");
    check_settable();
    base_address_ = std::move(value);
}

void HttpClient::Timeout(std::chrono::milliseconds value)
{
    if (value != InfiniteTimeSpan && value.count() <= 0)
        throw ArgumentOutOfRangeException("value", "The timeout must be positive or InfiniteTimeSpan.");
    check_settable();
    timeout_ = value;
}

void HttpClient::MaxResponseContentBufferSize(std::int64_t value)
{
    if (value <= 0)
        throw ArgumentOutOfRangeException("value", "The buffer size must be positive.");
    check_settable();
    max_buffer_ = value;
}

detail::http_request_data HttpClient::prepare(const HttpMethod& method, const uri_type& requestUri,
                                              std::shared_ptr<HttpContent> content)
{
    if (detail::http_disposed(*core_))
        throw ObjectDisposedException(object_name);
    const Uri& given = requestUri.uri();
    detail::http_request_data data;
    if (given.IsAbsoluteUri())
        data.uri = given;
    else if (base_address_)
        data.uri = Uri(*base_address_, given.OriginalString());
    else
        throw InvalidOperationException("An invalid request URI was provided. Either the request URI must be an "
                                        "absolute URI or BaseAddress must be set.");
    const auto scheme = data.uri.Scheme();
    if (scheme != "http" && scheme != "https")
        throw ArgumentException("Only 'http' and 'https' schemes are allowed.", "requestUri");
    data.method = method;
    data.content = std::move(content);
    data.headers.assign(default_headers_.begin(), default_headers_.end());
    return data;
}

detail::http_request_data HttpClient::prepare(HttpRequestMessage& request)
{
    if (request.sent_)
        throw InvalidOperationException(
            "The request message was already sent. Cannot send the same request message multiple times.");
    if (!request.RequestUri() && !base_address_)
        throw InvalidOperationException("An invalid request URI was provided. Either the request URI must be an "
                                        "absolute URI or BaseAddress must be set.");
    auto data = prepare(request.Method(), request.RequestUri() ? *request.RequestUri() : *base_address_,
                        request.Content());
    // A request's own header replaces a default one of the same name.
    std::erase_if(data.headers, [&](const auto& entry) { return request.Headers().Contains(entry.first); });
    for (const auto& entry : request.Headers())
        data.headers.push_back(entry);
    request.sent_ = true;
    return data;
}

void HttpClient::start_send(detail::http_request_data request, HttpCompletionOption option,
                            CancellationToken cancellationToken,
                            boost::asio::any_completion_handler<response_signature> handler)
{
    if (detail::http_disposed(*core_))
        throw ObjectDisposedException(object_name);
    started_.store(true);
    detail::http_send_options options;
    options.completion = option;
    options.timeout = timeout_ == InfiniteTimeSpan ? std::chrono::milliseconds(0) : timeout_;
    options.max_buffer = max_buffer_;
    detail::http_start_send(core_, std::move(request), std::move(options), std::move(cancellationToken),
                            std::move(handler));
}

std::string HttpClient::string_of(HttpResponseMessage response)
{
    response.EnsureSuccessStatusCode();
    // The response is this function's own copy, and its content is shared
    // with nothing else, so the body can be moved out.
    return detail::http_content_access::take_buffered(response.Content());
}

std::vector<std::uint8_t> HttpClient::bytes_of(HttpResponseMessage response)
{
    const auto s = string_of(std::move(response));
    return std::vector<std::uint8_t>(s.begin(), s.end());
}

std::shared_ptr<Stream> HttpClient::stream_of(HttpResponseMessage response)
{
    const auto s = string_of(std::move(response));
    return std::make_shared<MemoryStream>(
        std::span<const std::byte>(reinterpret_cast<const std::byte*>(s.data()), s.size()));
}

void HttpClient::CancelPendingRequests()
{
    detail::http_cancel_pending(*core_);
}

void HttpClient::Dispose()
{
    detail::http_dispose(*core_);
}

} // namespace dotasync
