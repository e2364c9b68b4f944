#include <dotasync/http/http_response_message.hpp>

#include "detail/http_content_core.hpp"

namespace dotasync {

HttpResponseMessage::HttpResponseMessage() : HttpResponseMessage(HttpStatusCode::OK) {}

namespace {

// What a response made by user code holds until it is given content: an
// empty body, in memory.
std::shared_ptr<HttpContent> empty_content()
{
    auto core = std::make_shared<detail::http_content_core>();
    core->buffer.emplace();
    return detail::http_content_access::make(std::move(core));
}

} // namespace

HttpResponseMessage::HttpResponseMessage(HttpStatusCode statusCode) : HttpResponseMessage(statusCode, empty_content())
{
}

HttpResponseMessage::HttpResponseMessage(HttpStatusCode statusCode, std::shared_ptr<HttpContent> content)
    : status_(statusCode), content_(std::move(content))
{
    if (int(statusCode) < 0 || int(statusCode) > 999)
        throw ArgumentOutOfRangeException("statusCode");
    if (!content_)
        throw ArgumentNullException("content");
}

HttpResponseMessage& HttpResponseMessage::EnsureSuccessStatusCode()
{
    if (!IsSuccessStatusCode())
        throw HttpRequestException("Response status code does not indicate success: " + std::to_string(int(status_)) +
                                       " (" + reason_ + ").",
                                   nullptr, status_);
    return *this;
}

void HttpResponseMessage::Content(std::shared_ptr<HttpContent> value)
{
    if (!value)
        throw ArgumentNullException("value");
    content_ = std::move(value);
}

} // namespace dotasync
