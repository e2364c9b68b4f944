#include <dotasync/http/http_web_request.hpp>
#include <dotasync/http/web_request.hpp>

#include "detail/http_client_core.hpp"
#include "detail/http_content_core.hpp"
#include "detail/web_failure.hpp"
#include "detail/web_headers.hpp"

#include <dotasync/http/http_method.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include <boost/asio/append.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>

namespace dotasync {

namespace asio = boost::asio;

std::shared_ptr<HttpWebRequest> WebRequest::Create(std::string_view requestUriString)
{
    return Create(Uri(requestUriString));
}

std::shared_ptr<HttpWebRequest> WebRequest::Create(const Uri& requestUri)
{
    if (!requestUri.IsAbsoluteUri() || (requestUri.Scheme() != "http" && requestUri.Scheme() != "https"))
        throw NotSupportedException("The URI prefix is not recognized.");
    return std::make_shared<HttpWebRequest>(requestUri);
}

HttpWebRequest::HttpWebRequest(Uri requestUri)
    : uri_(std::move(requestUri)), core_(detail::make_http_client_core(ThreadPool::Executor()))
{
}

HttpWebRequest::~HttpWebRequest()
{
    abort_.Cancel();
    detail::http_dispose(*core_);
}

void HttpWebRequest::Method(const std::string& value)
{
    HttpMethod checked(value);
    method_ = checked.Method();
}

void HttpWebRequest::ContentLength(std::int64_t value)
{
    if (value < 0)
        throw ArgumentOutOfRangeException("value", "The Content-Length value must be greater than or equal to zero.");
    content_length_ = value;
}

void HttpWebRequest::Timeout(int value)
{
    if (value < -1)
        throw ArgumentOutOfRangeException("value", "Timeout can be only be set to 'System.Threading.Timeout.Infinite' "
                                                   "or a value >= 0.");
    timeout_ = value;
}

void HttpWebRequest::check_body_allowed() const
{
    if (method_ == "GET" || method_ == "HEAD")
        throw ProtocolViolationException("Cannot send a content-body with this verb-type.");
}

Stream& HttpWebRequest::GetRequestStream()
{
    check_body_allowed();
    std::lock_guard lock(mutex_);
    if (sent_)
        throw InvalidOperationException("This operation cannot be performed after the request has been submitted.");
    if (!body_)
        body_ = std::make_shared<MemoryStream>();
    return *body_;
}

IAsyncResultPtr HttpWebRequest::BeginGetRequestStream(AsyncCallback callback, std::any state)
{
    // The stream is memory: it is ready at once, so the operation completes
    // synchronously, as a FileStream read the page cache satisfies does.
    Stream& stream = GetRequestStream();
    auto token = detail::bind_apm_owner(apm(std::move(callback), std::move(state)), this,
                                        &detail::http_web_request_get_request_stream_method);
    return asio::async_initiate<apm, void(std::exception_ptr, Stream*)>(
        [&stream](auto handler) { std::move(handler)(std::exception_ptr(), &stream); }, token);
}

Stream& HttpWebRequest::EndGetRequestStream(const IAsyncResultPtr& asyncResult)
{
    return *detail::end_operation<void(std::exception_ptr, Stream*)>(
        asyncResult, this, &detail::http_web_request_get_request_stream_method);
}

std::shared_ptr<HttpWebResponse> HttpWebRequest::GetResponse()
{
    return GetResponseAsync(asio::use_future).get();
}

void HttpWebRequest::Abort()
{
    abort_.Cancel();
}

void HttpWebRequest::start_response(CancellationToken cancellationToken,
                                    asio::any_completion_handler<response_signature> handler)
{
    detail::http_request_data data;
    {
        std::lock_guard lock(mutex_);
        if (finished_ && response_) {
            asio::post(ThreadPool::Executor(), asio::append(std::move(handler), std::exception_ptr(), response_));
            return;
        }
        if (sent_)
            throw InvalidOperationException("Cannot re-call BeginGetResponse while a previous call is still in "
                                            "progress.");
        sent_ = true;
    }
    data.method = HttpMethod(method_);
    data.uri = uri_;
    std::shared_ptr<HttpContent> content;
    if (body_) {
        const auto bytes = body_->ToArray();
        content = std::make_shared<ByteArrayContent>(bytes);
    } else if (content_length_ > 0) {
        throw ProtocolViolationException("You must write ContentLength bytes to the request stream before calling "
                                         "[Begin]GetResponse.");
    }
    detail::apply_web_headers(headers_, content.get(), data.headers);
    data.content = std::move(content);
    detail::http_send_options options;
    options.timeout = std::chrono::milliseconds(timeout_ < 0 ? 0 : timeout_);
    auto linked = std::make_shared<CancellationTokenSource>(
        CancellationTokenSource::CreateLinkedTokenSource(abort_.Token(), cancellationToken));
    auto self = shared_from_this();
    detail::http_start_send(
        core_, std::move(data), std::move(options), linked->Token(),
        asio::bind_executor(ThreadPool::Executor(), [self, linked, handler = std::move(handler)](
                                                        std::exception_ptr e, HttpResponseMessage r) mutable {
            std::shared_ptr<HttpWebResponse> response;
            if (e) {
                e = detail::web_failure(e, self->uri_);
            } else if (!(e = detail::web_status_failure(r))) {
                response = std::make_shared<HttpWebResponse>(r);
            }
            {
                std::lock_guard lock(self->mutex_);
                self->finished_ = true;
                self->response_ = response;
            }
            std::move(handler)(std::move(e), std::move(response));
        }));
}

} // namespace dotasync
