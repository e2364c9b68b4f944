#include "http_client_core.hpp"

#include "http_content_core.hpp"
#include "tls.hpp"

#include <dotasync/core/exceptions.hpp>
#include <dotasync/http/service_point_manager.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

namespace dotasync::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

struct http_response_access {
    static std::unique_ptr<HttpResponseMessage> make(HttpStatusCode status, std::shared_ptr<HttpContent> content)
    {
        return std::unique_ptr<HttpResponseMessage>(new HttpResponseMessage(status, std::move(content)));
    }
};

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
// Connections kept per scheme, host and port; more are closed when done.
constexpr std::size_t max_idle_per_key = 32;
constexpr int max_redirects = 50;

struct http_connection {
    explicit http_connection(asio::any_io_executor executor) : socket(std::move(executor)) {}
    tcp::socket socket;
    // The TLS session over socket, for https.
    std::unique_ptr<asio::ssl::stream<tcp::socket&>> tls;
    beast::flat_buffer buffer;
    std::string key;
};

// Runs op on the connection's stream: the TLS session, or the socket.
template <class Op>
auto on_stream(http_connection& connection, Op op)
{
    if (connection.tls)
        return op(*connection.tls);
    return op(connection.socket);
}
using connection_ptr = std::unique_ptr<http_connection>;
using response_parser = http::response_parser<http::buffer_body>;

enum class stop_reason : int { none = 0, canceled = 1, timed_out = 2 };

// A request's own strand. Over an io_context's executor it is typed on that
// executor: such a strand (a shared_ptr and a pointer) fits in an
// any_io_executor's small buffer, where one over an any_io_executor does
// not, and each of the dozen copies, requires and prefers of the request's
// executor that Asio's coroutines make per request took a heap block.
asio::any_io_executor make_request_strand(const asio::any_io_executor& executor)
{
    if (const auto* io = executor.target<asio::io_context::executor_type>())
        return asio::make_strand(*io);
    return asio::make_strand(executor);
}

// What may stop one request, and the one place that stops it. stop() may be
// called from any thread; abort() and the pointers run and live on the
// strand, as the request's coroutine does, so a stop either closes the
// socket under the operation in flight or is seen by the coroutine's next
// check().
struct exchange_control : std::enable_shared_from_this<exchange_control> {
    explicit exchange_control(const asio::any_io_executor& executor) : strand(make_request_strand(executor)) {}

    void stop(stop_reason why)
    {
        int expected = 0;
        if (!reason.compare_exchange_strong(expected, int(why)))
            return;
        asio::post(strand, [self = shared_from_this()] { self->abort(); });
    }

    void abort()
    {
        if (resolver)
            resolver->cancel();
        if (connection) {
            error_code ignored;
            connection->socket.close(ignored);
        }
    }

    void watch(const CancellationToken& token)
    {
        if (!token.CanBeCanceled())
            return;
        std::weak_ptr<exchange_control> weak = weak_from_this();
        auto registration = token.Register([weak] {
            if (auto self = weak.lock())
                self->stop(stop_reason::canceled);
        });
        std::lock_guard lock(mutex);
        registrations.push_back(std::move(registration));
    }

    // Called on the strand when the coroutine ends, however it ends.
    void finish();

    void release_registrations()
    {
        std::vector<CancellationTokenRegistration> taken;
        {
            std::lock_guard lock(mutex);
            taken.swap(registrations);
        }
        for (auto& r : taken)
            r.Dispose();
    }

    void check() const
    {
        switch (stop_reason(reason.load())) {
        case stop_reason::none:
            return;
        case stop_reason::timed_out: {
            std::ostringstream seconds;
            seconds << double(timeout.count()) / 1000.0;
            throw TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of " +
                                            seconds.str() + " seconds elapsing.",
                                        std::make_exception_ptr(TimeoutException("The operation was canceled.")));
        }
        case stop_reason::canceled:
            break;
        }
        throw TaskCanceledException("The operation was canceled.");
    }

    asio::any_io_executor strand;
    std::atomic<int> reason{0};
    // The client whose deadline list holds this request, while it does.
    std::shared_ptr<http_client_core> deadline_owner;
    std::multimap<std::chrono::steady_clock::time_point, std::weak_ptr<exchange_control>>::iterator deadline;
    std::chrono::milliseconds timeout{0};
    tcp::resolver* resolver = nullptr;
    http_connection* connection = nullptr;
    std::mutex mutex;
    std::vector<CancellationTokenRegistration> registrations;
};

// Clears the control's view of the request's objects before they go, in
// the same strand turn, so that no later abort() reaches them.
struct finish_guard {
    std::shared_ptr<exchange_control> control;
    ~finish_guard() { control->finish(); }
};

std::exception_ptr transport_failure(const error_code& ec, bool reading)
{
    if (ec == http::error::end_of_stream || ec == http::error::partial_message || ec == asio::error::eof)
        return std::make_exception_ptr(HttpRequestException(
            "An error occurred while sending the request.",
            std::make_exception_ptr(IOException("The response ended prematurely.", std::error_code(ec)))));
    if (ec.category() == http::make_error_code(http::error::bad_version).category() || ec == http::error::header_limit ||
        ec == http::error::body_limit)
        return std::make_exception_ptr(
            HttpRequestException("The server returned an invalid or unrecognized response.",
                                 std::make_exception_ptr(IOException(ec.message(), std::error_code(ec)))));
    auto socket = std::make_exception_ptr(SocketException(std::error_code(ec)));
    const std::string what = reading ? "Unable to read data from the transport connection: "
                                     : "Unable to write data to the transport connection: ";
    return std::make_exception_ptr(HttpRequestException(
        "An error occurred while sending the request.",
        std::make_exception_ptr(IOException(what + ec.message() + ".", std::error_code(ec), socket))));
}

[[noreturn]] void throw_connect_failure(const error_code& ec, const Uri& uri)
{
    SocketException socket{std::error_code(ec)};
    const std::string message = std::string(socket.what()) + " (" + uri.Host() + ":" + std::to_string(uri.Port()) + ")";
    throw HttpRequestException(message, std::make_exception_ptr(socket));
}

// A kept connection the server closed while it was idle shows as one of
// these on the first write or before the first response byte.
bool is_stale(const error_code& ec)
{
    return ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
           ec == asio::error::broken_pipe || ec == http::error::partial_message;
}

bool is_redirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

} // namespace

// Every request in flight is an entry in its client's deadline list (at
// time_point::max() without a time-out): CancelPendingRequests stops them
// all, and one timer per client waits for the earliest deadline. A request
// adds and removes its entry under the client's mutex, and the timer is
// re-armed only when a request's deadline comes before every other, which
// with one Timeout for all is the first request only. (A timer per request
// would cost two timerfd system calls per request, and a CancellationToken
// registration per request an allocation.)
struct http_client_core : std::enable_shared_from_this<http_client_core> {
    using clock = std::chrono::steady_clock;
    using deadline_list = std::multimap<clock::time_point, std::weak_ptr<exchange_control>>;

    // The timer runs on the default runtime, not on the client's executor:
    // a wait of up to Timeout must not keep the caller's io_context::run()
    // from returning once its requests are done.
    explicit http_client_core(asio::any_io_executor e) : executor(std::move(e)), deadline_timer(ThreadPool::Executor())
    {
    }

    void add_deadline(const std::shared_ptr<exchange_control>& control, clock::time_point at)
    {
        std::lock_guard lock(mutex);
        control->deadline = deadlines.emplace(at, control);
        control->deadline_owner = shared_from_this();
        if (at < armed_for)
            arm(at);
    }

    // Stops every request in flight.
    void stop_all()
    {
        std::vector<std::shared_ptr<exchange_control>> live;
        {
            std::lock_guard lock(mutex);
            for (const auto& [at, weak] : deadlines)
                if (auto c = weak.lock())
                    live.push_back(std::move(c));
        }
        for (auto& c : live)
            c->stop(stop_reason::canceled);
    }

    void remove_deadline(exchange_control& control)
    {
        std::lock_guard lock(mutex);
        deadlines.erase(control.deadline);
    }

    asio::any_io_executor executor;
    std::mutex mutex;
    asio::steady_timer deadline_timer;
    deadline_list deadlines;
    clock::time_point armed_for = clock::time_point::max();

    connection_ptr take(const std::string& key)
    {
        std::lock_guard lock(mutex);
        const auto it = idle.find(key);
        if (it == idle.end() || it->second.empty())
            return nullptr;
        auto c = std::move(it->second.back());
        it->second.pop_back();
        return c;
    }

    void give_back(connection_ptr c)
    {
        std::lock_guard lock(mutex);
        if (disposed)
            return;
        auto& kept = idle[c->key];
        if (kept.size() < max_idle_per_key)
            kept.push_back(std::move(c));
    }

    // The client TLS context, made with the first https connection.
    asio::ssl::context& tls_context()
    {
        std::lock_guard lock(mutex);
        if (!tls)
            tls = make_tls_client_context();
        return *tls;
    }

    std::unique_ptr<asio::ssl::context> tls;
    std::map<std::string, std::vector<connection_ptr>> idle;
    bool disposed = false;

private:
    // Called with the mutex held.
    void arm(clock::time_point at)
    {
        armed_for = at;
        deadline_timer.expires_at(at);
        deadline_timer.async_wait([weak = weak_from_this()](error_code ec) {
            if (ec)
                return;
            if (auto self = weak.lock())
                self->expire();
        });
    }

    void expire()
    {
        std::vector<std::shared_ptr<exchange_control>> late;
        {
            std::lock_guard lock(mutex);
            const auto now = clock::now();
            armed_for = clock::time_point::max();
            // Past entries stay until their requests, stopped now, remove
            // them as they end; stopping twice does nothing.
            auto it = deadlines.begin();
            for (; it != deadlines.end() && it->first <= now; ++it)
                if (auto c = it->second.lock())
                    late.push_back(std::move(c));
            if (it != deadlines.end())
                arm(it->first);
        }
        for (auto& c : late)
            c->stop(stop_reason::timed_out);
    }
};

void exchange_control::finish()
{
    resolver = nullptr;
    connection = nullptr;
    if (deadline_owner) {
        deadline_owner->remove_deadline(*this);
        deadline_owner.reset();
    }
    release_registrations();
}

namespace {

// The body of one response, still on its connection.
class body_reader : public http_body_source, public std::enable_shared_from_this<body_reader> {
public:
    body_reader(std::shared_ptr<http_client_core> core, connection_ptr connection,
                std::unique_ptr<response_parser> parser, std::int64_t max_buffer,
                std::function<void(std::int64_t, std::int64_t)> progress)
        : core_(std::move(core)), connection_(std::move(connection)), parser_(std::move(parser)),
          max_buffer_(max_buffer), progress_(std::move(progress))
    {
    }

    bool done() const { return parser_->is_done(); }

    asio::awaitable<std::string> read(std::shared_ptr<exchange_control> control)
    {
        if (!connection_)
            throw HttpRequestException("The response ended prematurely: its connection was closed.");
        auto& body = parser_->get().body();
        const std::int64_t total =
            parser_->content_length() ? std::int64_t(*parser_->content_length()) : std::int64_t(-1);
        if (total > max_buffer_) {
            connection_.reset();
            throw too_large();
        }
        std::string out;
        if (total > 0)
            out.reserve(std::size_t(total));
        try {
            control->connection = connection_.get();
            while (!parser_->is_done()) {
                control->check();
                // The bytes go straight into the result: as much room as the
                // announced length leaves (one read for most bodies), or a
                // chunk at a time when the length is unknown or progress is
                // reported.
                const std::size_t before = out.size();
                std::size_t room = total > 0 && std::size_t(total) > before ? std::size_t(total) - before : chunk_size;
                if (progress_)
                    room = std::min(room, chunk_size);
                out.resize(before + room);
                body.data = out.data() + before;
                body.size = room;
                error_code ec;
                if (!parse_buffered(ec)) {
                    auto [rec, n] = co_await on_stream(*connection_, [this](auto& stream) {
                        return http::async_read(stream, connection_->buffer, *parser_, use_tuple);
                    });
                    control->check();
                    ec = rec;
                }
                if (ec == http::error::need_buffer)
                    ec = {};
                if (ec)
                    std::rethrow_exception(transport_failure(ec, true));
                const auto got = room - body.size;
                out.resize(before + got);
                if (std::int64_t(out.size()) > max_buffer_)
                    throw too_large();
                if (progress_ && got > 0)
                    progress_(std::int64_t(out.size()), total);
            }
        } catch (...) {
            control->connection = nullptr;
            connection_.reset();
            throw;
        }
        control->connection = nullptr;
        if (parser_->keep_alive())
            core_->give_back(std::move(connection_));
        else
            connection_.reset();
        co_return out;
    }

    void read_all(CancellationToken cancellationToken, body_handler handler) override
    {
        auto control = std::make_shared<exchange_control>(core_->executor);
        control->watch(cancellationToken);
        auto self = shared_from_this();
        asio::co_spawn(
            control->strand,
            [self, control]() -> asio::awaitable<std::string> {
                finish_guard guard{control};
                co_return co_await self->read(control);
            },
            std::move(handler));
    }

private:
    // Parses body bytes that are already in the connection's buffer (all of
    // a small response arrives with its header) into the body's room, as
    // Beast's read does before it reads from the socket, but without its
    // asynchronous read, which completes by posting: a trip through the
    // scheduler and the strand for bytes that are already here. Returns
    // false, with nothing to report, when the parser needs more bytes than
    // the buffer holds; otherwise ec is the outcome, as a read gives it.
    bool parse_buffered(error_code& ec)
    {
        auto& buffer = connection_->buffer;
        if (buffer.size() == 0)
            return false;
        const auto used = parser_->put(buffer.data(), ec);
        buffer.consume(used);
        if (ec == http::error::need_more || (!ec && used == 0)) {
            ec = {};
            return false;
        }
        return true;
    }

    HttpRequestException too_large() const
    {
        return HttpRequestException("Cannot write more bytes to the buffer than the configured maximum buffer size: " +
                                    std::to_string(max_buffer_) + ".");
    }

    std::shared_ptr<http_client_core> core_;
    connection_ptr connection_;
    std::unique_ptr<response_parser> parser_;
    std::int64_t max_buffer_;
    std::function<void(std::int64_t, std::int64_t)> progress_;
    static constexpr std::size_t chunk_size = 16 * 1024;
};

asio::awaitable<connection_ptr> connect(std::shared_ptr<http_client_core> core,
                                        std::shared_ptr<exchange_control> control, const Uri& uri, std::string key)
{
    auto host = uri.Host();
    if (host.size() > 2 && host.front() == '[')
        host = host.substr(1, host.size() - 2);
    tcp::resolver resolver(control->strand);
    control->resolver = &resolver;
    auto [rec, results] = co_await resolver.async_resolve(host, std::to_string(uri.Port()), use_tuple);
    control->resolver = nullptr;
    control->check();
    if (rec)
        throw_connect_failure(rec, uri);
    auto connection = std::make_unique<http_connection>(core->executor);
    connection->key = std::move(key);
    control->connection = connection.get();
    auto [cec, endpoint] = co_await asio::async_connect(connection->socket, results, use_tuple);
    control->connection = nullptr;
    control->check();
    if (cec)
        throw_connect_failure(cec, uri);
    error_code ignored;
    connection->socket.set_option(tcp::no_delay(true), ignored);
    if (uri.Scheme() == "https") {
        connection->tls = std::make_unique<asio::ssl::stream<tcp::socket&>>(connection->socket, core->tls_context());
        set_tls_server_name(connection->tls->native_handle(), host);
        control->connection = connection.get();
        auto [hec] = co_await connection->tls->async_handshake(asio::ssl::stream_base::client, use_tuple);
        control->connection = nullptr;
        control->check();
        std::exception_ptr failure;
        if (hec)
            failure = std::make_exception_ptr(AuthenticationException(
                "Authentication failed, see inner exception.",
                std::make_exception_ptr(IOException(hec.message(), std::error_code(hec)))));
        else
            failure = judge_server_certificate(connection->tls->native_handle(), host,
                                               ServicePointManager::ServerCertificateValidationCallback(), std::any());
        if (failure)
            throw HttpRequestException("The SSL connection could not be established, see inner exception.", failure);
    }
    co_return connection;
}

asio::awaitable<std::string> read_content(const std::shared_ptr<HttpContent>& content)
{
    co_return co_await asio::async_initiate<const asio::use_awaitable_t<>&, void(std::exception_ptr, std::string)>(
        [&content](auto handler) {
            http_content_access::read(http_content_access::core(*content), CancellationToken::None(),
                                      std::move(handler));
        },
        asio::use_awaitable);
}

http::request<http::string_body> build_request(const HttpMethod& method, const Uri& uri,
                                               const http_request_data& request, const std::string* body)
{
    http::request<http::string_body> message;
    message.method_string(method.Method());
    message.target(uri.PathAndQuery());
    message.version(11);
    message.set(http::field::host, uri.Authority());
    for (const auto& [name, value] : request.headers)
        message.insert(name, value);
    if (body) {
        for (const auto& [name, value] : request.content->Headers())
            if (!beast::iequals(name, "Content-Length"))
                message.insert(name, value);
        message.body() = *body;
        message.prepare_payload();
    } else if (method == HttpMethod::Post() || method == HttpMethod::Put() || method == HttpMethod::Patch()) {
        message.content_length(0);
    }
    return message;
}

// Where kept connections are found: scheme, host and port, made with one
// allocation.
std::string connection_key(const Uri& uri)
{
    const std::string scheme = uri.Scheme();
    const std::string host = uri.Host();
    const std::string port = std::to_string(uri.Port());
    std::string key;
    key.reserve(scheme.size() + 3 + host.size() + 1 + port.size());
    key.append(scheme).append("://").append(host).append(1, ':').append(port);
    return key;
}

// The response travels from the coroutine to the caller's handler through
// several of co_spawn's layers, each of which moves it; a response (its
// headers, its address) costs hundreds of instructions to move, a pointer
// nothing.
using response_ptr = std::unique_ptr<HttpResponseMessage>;

asio::awaitable<response_ptr> exchange(std::shared_ptr<http_client_core> core,
                                       std::shared_ptr<exchange_control> control, http_request_data request,
                                       http_send_options options)
{
    finish_guard guard{control};
    control->check();
    std::string body;
    bool has_body = request.content != nullptr;
    if (has_body) {
        body = co_await read_content(request.content);
        control->check();
    }

    Uri uri = request.uri;
    HttpMethod method = request.method;
    for (int redirects = 0;; ++redirects) {
        const auto message = build_request(method, uri, request, has_body ? &body : nullptr);
        const std::string key = connection_key(uri);
        connection_ptr connection;
        std::unique_ptr<response_parser> parser;
        for (int attempt = 0;; ++attempt) {
            connection = core->take(key);
            const bool reused = connection != nullptr;
            if (!connection)
                connection = co_await connect(core, control, uri, key);
            control->connection = connection.get();
            auto [wec, written] = co_await on_stream(
                *connection, [&message](auto& stream) { return http::async_write(stream, message, use_tuple); });
            control->check();
            error_code ec = wec;
            bool reading = false;
            if (!ec) {
                parser = std::make_unique<response_parser>();
                parser->body_limit(boost::none);
                if (method == HttpMethod::Head())
                    parser->skip(true);
                auto [rec, n] = co_await on_stream(*connection, [&](auto& stream) {
                    return http::async_read_header(stream, connection->buffer, *parser, use_tuple);
                });
                control->check();
                ec = rec;
                reading = true;
                if (!ec)
                    break;
            }
            control->connection = nullptr;
            connection.reset();
            const bool got_nothing = !parser || !parser->got_some();
            if (reused && attempt == 0 && got_nothing && is_stale(ec))
                continue;
            std::rethrow_exception(transport_failure(ec, reading));
        }

        auto& head = parser->get();
        const int status = head.result_int();
        if (is_redirect(status) && redirects < max_redirects) {
            const auto location = head[http::field::location];
            std::optional<Uri> next;
            if (!location.empty()) {
                try {
                    next.emplace(uri, std::string_view(location.data(), location.size()));
                } catch (const Exception&) {
                    // A Location that is no URI ends the redirects: the 3xx is
                    // the response, as .NET gives it.
                }
            }
            if (next && (next->Scheme() == "http" || next->Scheme() == "https") &&
                !(uri.Scheme() == "https" && next->Scheme() == "http")) {
                // The 3xx body is not read: the connection goes with it.
                control->connection = nullptr;
                connection.reset();
                if (status == 303 || ((status == 301 || status == 302) && method == HttpMethod::Post())) {
                    if (method != HttpMethod::Head())
                        method = HttpMethod::Get();
                    has_body = false;
                    body.clear();
                }
                uri = *next;
                continue;
            }
        }

        auto content_core = std::make_shared<http_content_core>();
        auto content = http_content_access::make(content_core);
        auto response = http_response_access::make(static_cast<HttpStatusCode>(status), content);
        response->ReasonPhrase(std::string(head.reason()));
        response->RequestUri(uri);
        for (const auto& field : head) {
            const std::string_view name(field.name_string().data(), field.name_string().size());
            const std::string_view value(field.value().data(), field.value().size());
            if (is_http_content_header(name))
                content->Headers().TryAddWithoutValidation(name, value);
            else
                response->Headers().TryAddWithoutValidation(name, value);
        }
        auto reader = std::make_shared<body_reader>(core, std::move(connection), std::move(parser), options.max_buffer,
                                                    std::move(options.progress));
        if (options.completion == HttpCompletionOption::ResponseContentRead || reader->done())
            content_core->buffer = co_await reader->read(control);
        else
            content_core->body = std::move(reader);
        co_return response;
    }
}

} // namespace

std::shared_ptr<http_client_core> make_http_client_core(asio::any_io_executor executor)
{
    return std::make_shared<http_client_core>(std::move(executor));
}

asio::any_io_executor http_executor(const http_client_core& core) noexcept
{
    return core.executor;
}

void http_cancel_pending(http_client_core& core)
{
    core.stop_all();
}

void http_dispose(http_client_core& core)
{
    std::map<std::string, std::vector<connection_ptr>> idle;
    {
        std::lock_guard lock(core.mutex);
        if (core.disposed)
            return;
        core.disposed = true;
        idle.swap(core.idle);
    }
    http_cancel_pending(core);
}

bool http_disposed(http_client_core& core)
{
    std::lock_guard lock(core.mutex);
    return core.disposed;
}

void http_start_send(const std::shared_ptr<http_client_core>& core, http_request_data request,
                     http_send_options options, CancellationToken cancellationToken, http_response_handler handler)
{
    auto control = std::make_shared<exchange_control>(core->executor);
    control->timeout = options.timeout;
    control->watch(cancellationToken);
    // The entry in the client's list exists before the request starts, so
    // that CancelPendingRequests from now on reaches it.
    core->add_deadline(control, options.timeout.count() > 0
                                    ? std::chrono::steady_clock::now() + options.timeout
                                    : std::chrono::steady_clock::time_point::max());
    auto slot = asio::get_associated_cancellation_slot(handler);
    if (slot.is_connected()) {
        slot.assign([weak = std::weak_ptr<exchange_control>(control)](asio::cancellation_type) {
            if (auto c = weak.lock())
                c->stop(stop_reason::canceled);
        });
    }
    auto executor = asio::get_associated_executor(handler, ThreadPool::Executor());
    asio::co_spawn(control->strand, exchange(core, control, std::move(request), std::move(options)),
                   asio::bind_executor(std::move(executor), [handler = std::move(handler)](
                                                                std::exception_ptr e, response_ptr r) mutable {
                       auto own_slot = asio::get_associated_cancellation_slot(handler);
                       if (own_slot.is_connected())
                           own_slot.clear();
                       std::move(handler)(std::move(e), r ? std::move(*r) : HttpResponseMessage());
                   }));
}

} // namespace dotasync::detail
