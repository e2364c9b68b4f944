#include <dotasync/http/http_response_message.hpp>

#include "detail/http_content_core.hpp"

namespace dotasync {

HttpResponseMessage::HttpResponseMessage() : HttpResponseMessage(HttpStatusCode::OK) {}

HttpResponseMessage::HttpResponseMessage(HttpStatusCode statusCode)
    : status_(statusCode),
      content_(detail::http_content_access::make([] {
          auto core = std::make_shared<detail::http_content_core>();
          core->buffer.emplace();
          return core;
      }()))
{
    if (int(statusCode) < 0 || int(statusCode) > 999)
        throw ArgumentOutOfRangeException("statusCode");
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
