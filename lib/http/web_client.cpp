#include <dotasync/http/web_client.hpp>

#include "detail/http_client_core.hpp"
#include "detail/http_content_core.hpp"
#include "detail/web_failure.hpp"
#include "detail/web_headers.hpp"

#include <dotasync/eap/async_operation.hpp>
#include <dotasync/http/http_content.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include <boost/asio/bind_executor.hpp>

#include <fstream>
#include <future>
#include <mutex>

namespace dotasync {

namespace asio = boost::asio;

namespace detail {

struct web_client_state {
    std::shared_ptr<http_client_core> core = make_http_client_core(ThreadPool::Executor());
    std::mutex mutex;
    bool busy = false;
    CancellationTokenSource cancellation;
    // Held while an event is raised, and by the destructor while it detaches
    // the client, so that no event reaches a client being destroyed.
    std::recursive_mutex owner_mutex;
    WebClient* owner = nullptr;
};

} // namespace detail

struct WebClient::outcome {
    std::exception_ptr error;
    bool cancelled = false;
    std::string body;
};

namespace {

constexpr std::chrono::milliseconds web_timeout{100'000};

// The outcome of one exchange, as WebClient reports it: the WebException
// for a failure, the body otherwise (written to fileName for a file).
template <class Outcome>
Outcome finish(std::exception_ptr failure, const HttpResponseMessage& response, const Uri& uri,
               const std::string& fileName)
{
    Outcome result;
    if (failure) {
        result.error = detail::web_failure(failure, uri);
        try {
            std::rethrow_exception(result.error);
        } catch (const WebException& e) {
            result.cancelled = e.Status() == WebExceptionStatus::RequestCanceled;
        } catch (...) {
        }
        return result;
    }
    if ((result.error = detail::web_status_failure(response)))
        return result;
    result.body = detail::http_content_access::buffered(response.Content());
    if (!fileName.empty()) {
        std::ofstream file(fileName, std::ios::binary | std::ios::trunc);
        file.write(result.body.data(), std::streamsize(result.body.size()));
        file.close();
        if (!file)
            result.error = std::make_exception_ptr(WebException(
                "An exception occurred during a WebClient request.", WebExceptionStatus::UnknownError,
                std::make_exception_ptr(IOException("Could not write the file '" + fileName + "'."))));
    }
    return result;
}

} // namespace

WebClient::WebClient() : state_(std::make_shared<detail::web_client_state>())
{
    state_->owner = this;
}

WebClient::~WebClient()
{
    {
        std::lock_guard owner_lock(state_->owner_mutex);
        state_->owner = nullptr;
    }
    CancelAsync();
    detail::http_dispose(*state_->core);
}

std::string WebClient::BaseAddress() const
{
    return base_address_ ? base_address_->AbsoluteUri() : std::string();
}

void WebClient::BaseAddress(const std::string& value)
{
    if (value.empty()) {
        base_address_.reset();
        return;
    }
    try {
        base_address_ = Uri(value);
    } catch (const UriFormatException& e) {
        throw ArgumentException("The specified value is not a valid absolute URI.", "value",
                                std::make_exception_ptr(e));
    }
}

bool WebClient::IsBusy() const
{
    std::lock_guard lock(state_->mutex);
    return state_->busy;
}

void WebClient::CancelAsync()
{
    CancellationTokenSource taken;
    {
        std::lock_guard lock(state_->mutex);
        if (!state_->busy)
            return;
        taken = std::exchange(state_->cancellation, CancellationTokenSource());
    }
    taken.Cancel();
}

namespace {

struct prepared {
    Uri uri;
    detail::http_request_data data;
};

prepared prepare(const std::optional<Uri>& base, const WebHeaderCollection& headers,
                 const detail::http_uri_arg& address, const std::string& method, std::string body, bool has_body)
{
    const Uri& given = address.uri();
    prepared p{given.IsAbsoluteUri() ? given
                                     : (base ? Uri(*base, given.OriginalString())
                                             : throw ArgumentException("The URI is relative and no BaseAddress is set.",
                                                                       "address")),
               {}};
    const auto scheme = p.uri.Scheme();
    if (scheme != "http" && scheme != "https")
        throw NotSupportedException("The URI prefix is not recognized.");
    p.data.method = HttpMethod(method);
    p.data.uri = p.uri;
    std::shared_ptr<HttpContent> content;
    if (has_body)
        content = std::make_shared<StringContent>(std::move(body));
    detail::apply_web_headers(headers, content.get(), p.data.headers);
    if (content && !headers.Contains("Content-Type"))
        content->Headers().ContentType("application/x-www-form-urlencoded");
    p.data.content = std::move(content);
    return p;
}

CancellationToken claim(detail::web_client_state& state)
{
    std::lock_guard lock(state.mutex);
    if (state.busy)
        throw NotSupportedException("WebClient does not support concurrent I/O operations.");
    state.busy = true;
    return state.cancellation.Token();
}

void release(detail::web_client_state& state)
{
    std::lock_guard lock(state.mutex);
    state.busy = false;
}

} // namespace

void WebClient::start(operation op, const uri_type& address, std::string method, std::string body,
                      std::string fileName, std::any userToken)
{
    const bool has_body = op == operation::upload_string;
    auto p = prepare(base_address_, headers_, address, method, std::move(body), has_body);
    auto token = claim(*state_);
    std::shared_ptr<AsyncOperation> async_operation;
    try {
        async_operation = AsyncOperationManager::CreateOperation(userToken);
    } catch (...) {
        release(*state_);
        throw;
    }
    detail::http_send_options options;
    options.timeout = web_timeout;
    std::weak_ptr<detail::web_client_state> weak = state_;
    if (op != operation::upload_string) {
        options.progress = [weak, async_operation, userToken](std::int64_t received, std::int64_t total) {
            async_operation->Post(
                [weak, received, total, userToken](const std::any&) {
                    auto state = weak.lock();
                    if (!state)
                        return;
                    std::lock_guard owner_lock(state->owner_mutex);
                    if (!state->owner)
                        return;
                    DownloadProgressChangedEventArgs e(received, total, userToken);
                    state->owner->DownloadProgressChanged.Invoke(std::any(state->owner), e);
                },
                std::any());
        };
    }
    detail::http_start_send(
        state_->core, std::move(p.data), std::move(options), std::move(token),
        asio::bind_executor(ThreadPool::Executor(), [state = state_, async_operation, op, uri = p.uri,
                                                     fileName = std::move(fileName), userToken](
                                                        std::exception_ptr e, HttpResponseMessage r) mutable {
            auto result = std::make_shared<outcome>(finish<outcome>(std::move(e), r, uri, fileName));
            async_operation->PostOperationCompleted(
                [state, op, result, userToken](const std::any&) {
                    std::lock_guard owner_lock(state->owner_mutex);
                    release(*state);
                    if (state->owner)
                        state->owner->raise(op, *result, userToken);
                },
                std::any());
        }));
}

void WebClient::raise(operation op, outcome& result, std::any userToken)
{
    const std::any sender(this);
    switch (op) {
    case operation::download_string: {
        DownloadStringCompletedEventArgs e(std::move(result.body), result.error, result.cancelled, std::move(userToken));
        DownloadStringCompleted.Invoke(sender, e);
        break;
    }
    case operation::download_data: {
        DownloadDataCompletedEventArgs e(std::vector<std::uint8_t>(result.body.begin(), result.body.end()),
                                         result.error, result.cancelled, std::move(userToken));
        DownloadDataCompleted.Invoke(sender, e);
        break;
    }
    case operation::download_file: {
        AsyncCompletedEventArgs e(result.error, result.cancelled, std::move(userToken));
        DownloadFileCompleted.Invoke(sender, e);
        break;
    }
    case operation::upload_string: {
        UploadStringCompletedEventArgs e(std::move(result.body), result.error, result.cancelled, std::move(userToken));
        UploadStringCompleted.Invoke(sender, e);
        break;
    }
    }
}

WebClient::outcome WebClient::run_sync(operation op, const uri_type& address, std::string method, std::string body,
                                       std::string fileName)
{
    auto p = prepare(base_address_, headers_, address, method, std::move(body), op == operation::upload_string);
    auto token = claim(*state_);
    std::promise<outcome> promise;
    auto future = promise.get_future();
    detail::http_send_options options;
    options.timeout = web_timeout;
    detail::http_start_send(state_->core, std::move(p.data), std::move(options), std::move(token),
                            asio::bind_executor(ThreadPool::Executor(), [&promise, uri = p.uri, &fileName](
                                                                            std::exception_ptr e,
                                                                            HttpResponseMessage r) {
                                promise.set_value(finish<outcome>(std::move(e), r, uri, fileName));
                            }));
    auto result = future.get();
    release(*state_);
    if (result.error)
        std::rethrow_exception(result.error);
    return result;
}

void WebClient::start_task(const uri_type& address, CancellationToken cancellationToken,
                           asio::any_completion_handler<void(std::exception_ptr, std::string)> handler)
{
    auto p = prepare(base_address_, headers_, address, "GET", std::string(), false);
    auto token = claim(*state_);
    // The caller's token cancels as CancelAsync does.
    auto linked = std::make_shared<CancellationTokenSource>(
        CancellationTokenSource::CreateLinkedTokenSource(token, cancellationToken));
    detail::http_send_options options;
    options.timeout = web_timeout;
    detail::http_start_send(
        state_->core, std::move(p.data), std::move(options), linked->Token(),
        asio::bind_executor(ThreadPool::Executor(),
                            [state = state_, linked, uri = p.uri, handler = std::move(handler)](
                                std::exception_ptr e, HttpResponseMessage r) mutable {
                                auto result = finish<outcome>(std::move(e), r, uri, std::string());
                                release(*state);
                                std::move(handler)(result.error, std::move(result.body));
                            }));
}

std::string WebClient::DownloadString(const uri_type& address)
{
    return run_sync(operation::download_string, address, "GET", {}, {}).body;
}

void WebClient::DownloadStringAsync(const uri_type& address, std::any userToken)
{
    start(operation::download_string, address, "GET", {}, {}, std::move(userToken));
}

std::vector<std::uint8_t> WebClient::DownloadData(const uri_type& address)
{
    const auto body = run_sync(operation::download_data, address, "GET", {}, {}).body;
    return std::vector<std::uint8_t>(body.begin(), body.end());
}

void WebClient::DownloadDataAsync(const uri_type& address, std::any userToken)
{
    start(operation::download_data, address, "GET", {}, {}, std::move(userToken));
}

void WebClient::DownloadFile(const uri_type& address, const std::string& fileName)
{
    if (fileName.empty())
        throw ArgumentNullException("fileName");
    run_sync(operation::download_file, address, "GET", {}, fileName);
}

void WebClient::DownloadFileAsync(const uri_type& address, const std::string& fileName, std::any userToken)
{
    if (fileName.empty())
        throw ArgumentNullException("fileName");
    start(operation::download_file, address, "GET", {}, fileName, std::move(userToken));
}

std::string WebClient::UploadString(const uri_type& address, const std::string& data)
{
    return UploadString(address, "POST", data);
}

std::string WebClient::UploadString(const uri_type& address, const std::string& method, const std::string& data)
{
    return run_sync(operation::upload_string, address, method, data, {}).body;
}

void WebClient::UploadStringAsync(const uri_type& address, const std::string& method, const std::string& data,
                                  std::any userToken)
{
    start(operation::upload_string, address, method, data, {}, std::move(userToken));
}

} // namespace dotasync
