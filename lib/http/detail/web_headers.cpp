#include "web_headers.hpp"

#include "http_content_core.hpp"

namespace dotasync::detail {

void apply_web_headers(const WebHeaderCollection& headers, HttpContent* content,
                       std::vector<std::pair<std::string, std::string>>& request)
{
    const auto taken = [&](const std::string& name) {
        return content && !same_http_header_name(name, "Content-Length");
    };
    // Every name is removed before any value is added, so that a name with
    // several values keeps them all.
    for (const auto& [name, value] : headers)
        if (is_http_content_header(name) && taken(name))
            content->Headers().Remove(name);
    for (const auto& [name, value] : headers) {
        if (!is_http_content_header(name))
            request.emplace_back(name, value);
        else if (taken(name))
            content->Headers().TryAddWithoutValidation(name, value);
    }
}

} // namespace dotasync::detail
