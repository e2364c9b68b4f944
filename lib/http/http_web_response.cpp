#include <dotasync/http/http_web_response.hpp>

#include "detail/http_content_core.hpp"

#include <dotasync/http/http_response_message.hpp>
#include <dotasync/io/memory_stream.hpp>

namespace dotasync {

HttpWebResponse::HttpWebResponse(const HttpResponseMessage& message)
    : status_(message.StatusCode()), description_(message.ReasonPhrase()),
      uri_(message.RequestUri() ? *message.RequestUri() : Uri("http://localhost/"))
{
    for (const auto& [name, value] : message.Headers())
        headers_.TryAddWithoutValidation(name, value);
    for (const auto& [name, value] : message.Content().Headers())
        headers_.TryAddWithoutValidation(name, value);
    content_length_ = message.Content().Headers().ContentLength().value_or(-1);
    const auto body = detail::http_content_access::buffered(message.Content());
    body_ = std::make_shared<MemoryStream>(
        std::span<const std::byte>(reinterpret_cast<const std::byte*>(body.data()), body.size()));
}

HttpWebResponse::~HttpWebResponse() = default;

Stream& HttpWebResponse::GetResponseStream()
{
    return *body_;
}

void HttpWebResponse::Close()
{
    body_->Close();
}

} // namespace dotasync
