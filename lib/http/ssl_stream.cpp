#include <dotasync/http/ssl_stream.hpp>

#include "detail/tls.hpp"

#include <boost/asio/append.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_future.hpp>

#include <atomic>
#include <mutex>

namespace dotasync {

namespace asio = boost::asio;
using boost::system::error_code;

namespace detail {

// A dotasync Stream as the next layer of an Asio TLS stream: its Asio
// members (async_read_some, async_write_some) are what Asio's TLS needs.
struct stream_ref {
    using executor_type = asio::any_io_executor;
    using lowest_layer_type = stream_ref;

    executor_type get_executor() { return stream->get_executor(); }
    lowest_layer_type& lowest_layer() { return *this; }
    const lowest_layer_type& lowest_layer() const { return *this; }

    template <class Buffers, class Handler>
    auto async_read_some(const Buffers& buffers, Handler&& handler)
    {
        return stream->async_read_some(buffers, std::forward<Handler>(handler));
    }
    template <class Buffers, class Handler>
    auto async_write_some(const Buffers& buffers, Handler&& handler)
    {
        return stream->async_write_some(buffers, std::forward<Handler>(handler));
    }

    std::shared_ptr<Stream> stream;
};

struct ssl_stream_state {
    std::shared_ptr<Stream> inner;
    bool leave_open = false;
    RemoteCertificateValidationCallback callback;
    std::unique_ptr<asio::ssl::context> context;
    std::unique_ptr<asio::ssl::stream<stream_ref>> tls;
    std::mutex mutex;
    bool started = false;
    std::atomic<bool> authenticated{false};
    std::atomic<bool> closed{false};
    std::atomic<bool> server{false};
    std::shared_ptr<X509Certificate2> remote;
};

} // namespace detail

AuthenticationException::AuthenticationException(std::string message, std::exception_ptr inner)
    : SystemException(std::move(message), std::move(inner))
{
}

namespace {

void require_authenticated(const detail::ssl_stream_state& state)
{
    if (!state.authenticated.load())
        throw InvalidOperationException("This operation is only allowed using a successfully authenticated context.");
}

} // namespace

SslStream::SslStream(std::shared_ptr<Stream> innerStream, bool leaveInnerStreamOpen,
                     RemoteCertificateValidationCallback userCertificateValidationCallback)
    : Stream(innerStream ? innerStream->get_executor() : throw ArgumentNullException("innerStream"), "SslStream"),
      state_(std::make_shared<detail::ssl_stream_state>())
{
    state_->inner = std::move(innerStream);
    state_->leave_open = leaveInnerStreamOpen;
    state_->callback = std::move(userCertificateValidationCallback);
}

SslStream::~SslStream()
{
    Close();
}

void SslStream::start_authenticate(bool server, const std::string& targetHost, const X509Certificate2* certificate,
                                   CancellationToken cancellationToken,
                                   asio::any_completion_handler<void(std::exception_ptr)> handler)
{
    ensure_open();
    if (server && !certificate->HasPrivateKey())
        throw ArgumentException("The server mode SSL must use a certificate with the associated private key.",
                                "serverCertificate");
    {
        std::lock_guard lock(state_->mutex);
        if (state_->started)
            throw InvalidOperationException("This operation is not allowed on a context that is already "
                                            "authenticated or authenticating.");
        state_->started = true;
        state_->context = server ? detail::make_tls_server_context(*certificate) : detail::make_tls_client_context();
        state_->tls = std::make_unique<asio::ssl::stream<detail::stream_ref>>(detail::stream_ref{state_->inner},
                                                                              *state_->context);
        state_->server = server;
    }
    if (!server)
        detail::set_tls_server_name(state_->tls->native_handle(), targetHost);
    auto executor = get_executor();
    if (cancellationToken.IsCancellationRequested()) {
        asio::post(executor, asio::append(std::move(handler), std::make_exception_ptr(OperationCanceledException(
                                                                  "The operation was canceled."))));
        return;
    }
    auto state = state_;
    const std::any sender(this);
    state_->tls->async_handshake(
        server ? asio::ssl::stream_base::server : asio::ssl::stream_base::client,
        // with_cancellation turns the handshake's error code into the .NET
        // exception, OperationCanceledException when the token stopped it.
        with_cancellation(cancellationToken, [state, executor, sender, targetHost,
                                              handler = std::move(handler)](std::exception_ptr failure) mutable {
            if (failure) {
                try {
                    std::rethrow_exception(failure);
                } catch (const OperationCanceledException&) {
                } catch (...) {
                    failure = std::make_exception_ptr(
                        AuthenticationException("Authentication failed, see inner exception.", failure));
                }
            } else if (!state->server.load()) {
                failure = detail::judge_server_certificate(state->tls->native_handle(), targetHost, state->callback,
                                                           sender);
            }
            if (!failure) {
                state->remote = detail::peer_certificate(state->tls->native_handle());
                state->authenticated.store(true);
            }
            asio::post(executor, asio::append(std::move(handler), failure));
        }));
}

void SslStream::AuthenticateAsClient(const std::string& targetHost)
{
    AuthenticateAsClientAsync(targetHost, asio::use_future).get();
}

IAsyncResultPtr SslStream::BeginAuthenticateAsClient(const std::string& targetHost, AsyncCallback asyncCallback,
                                                     std::any asyncState)
{
    return AuthenticateAsClientAsync(targetHost,
                                     detail::bind_apm_owner(apm(std::move(asyncCallback), std::move(asyncState)), this,
                                                            &detail::ssl_stream_authenticate_as_client_method));
}

void SslStream::EndAuthenticateAsClient(const IAsyncResultPtr& asyncResult)
{
    detail::end_operation<void(std::exception_ptr)>(asyncResult, this,
                                                    &detail::ssl_stream_authenticate_as_client_method);
}

void SslStream::AuthenticateAsServer(const X509Certificate2& serverCertificate)
{
    AuthenticateAsServerAsync(serverCertificate, asio::use_future).get();
}

IAsyncResultPtr SslStream::BeginAuthenticateAsServer(const X509Certificate2& serverCertificate,
                                                     AsyncCallback asyncCallback, std::any asyncState)
{
    return AuthenticateAsServerAsync(serverCertificate,
                                     detail::bind_apm_owner(apm(std::move(asyncCallback), std::move(asyncState)), this,
                                                            &detail::ssl_stream_authenticate_as_server_method));
}

void SslStream::EndAuthenticateAsServer(const IAsyncResultPtr& asyncResult)
{
    detail::end_operation<void(std::exception_ptr)>(asyncResult, this,
                                                    &detail::ssl_stream_authenticate_as_server_method);
}

bool SslStream::IsAuthenticated() const noexcept
{
    return state_->authenticated.load();
}

bool SslStream::IsServer() const noexcept
{
    return state_->server.load();
}

std::shared_ptr<X509Certificate2> SslStream::RemoteCertificate() const
{
    return state_->authenticated.load() ? state_->remote : nullptr;
}

bool SslStream::CanRead() const
{
    return !state_->closed.load() && state_->inner->CanRead();
}

bool SslStream::CanWrite() const
{
    return !state_->closed.load() && state_->inner->CanWrite();
}

void SslStream::Close()
{
    if (state_->closed.exchange(true))
        return;
    if (!state_->leave_open)
        state_->inner->Close();
}

bool SslStream::is_closed() const noexcept
{
    return state_->closed.load();
}

void SslStream::prepare_async(bool)
{
    require_authenticated(*state_);
}

int SslStream::read_bytes(std::span<std::byte> buffer)
{
    require_authenticated(*state_);
    return Stream::read_bytes(buffer);
}

void SslStream::write_bytes(std::span<const std::byte> buffer)
{
    require_authenticated(*state_);
    Stream::write_bytes(buffer);
}

void SslStream::start_read_some(std::span<std::byte> buffer, io_completion completion)
{
    auto slot = completion.get_cancellation_slot();
    state_->tls->async_read_some(
        asio::buffer(buffer.data(), buffer.size()),
        asio::bind_cancellation_slot(slot, [c = std::move(completion)](error_code ec, std::size_t n) mutable {
            // A peer that closes the connection without a TLS close_notify
            // ends the stream as a clean close does.
            if (ec == asio::ssl::error::stream_truncated)
                ec = asio::error::eof;
            c.complete(ec, n);
        }));
}

void SslStream::start_write_some(std::span<const std::byte> buffer, io_completion completion)
{
    auto slot = completion.get_cancellation_slot();
    state_->tls->async_write_some(
        asio::buffer(buffer.data(), buffer.size()),
        asio::bind_cancellation_slot(slot, [c = std::move(completion)](error_code ec, std::size_t n) mutable {
            c.complete(ec, n);
        }));
}

} // namespace dotasync
