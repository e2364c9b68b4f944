#include <dotasync/core/cancellation.hpp>

#include <dotasync/core/exceptions.hpp>

#include "core/detail/cancellation_state.hpp"

#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <utility>

namespace dotasync {

// CancellationTokenRegistration

CancellationTokenRegistration::CancellationTokenRegistration(CancellationTokenRegistration&& other) noexcept
    : state_(std::move(other.state_)), node_(std::exchange(other.node_, nullptr))
{
}

CancellationTokenRegistration& CancellationTokenRegistration::operator=(CancellationTokenRegistration&& other) noexcept
{
    if (this != &other) {
        Dispose();
        state_ = std::move(other.state_);
        node_ = std::exchange(other.node_, nullptr);
    }
    return *this;
}

CancellationTokenRegistration::~CancellationTokenRegistration()
{
    Dispose();
}

void CancellationTokenRegistration::Dispose() noexcept
{
    // The state stays: Token() still names the token after Dispose, as in .NET.
    detail::cancellation_node* node = std::exchange(node_, nullptr);
    if (node != nullptr && state_->release(node))
        delete node;
}

bool CancellationTokenRegistration::Unregister() noexcept
{
    if (node_ == nullptr || !state_->unlink(node_))
        return false;
    delete std::exchange(node_, nullptr);
    return true;
}

CancellationToken CancellationTokenRegistration::Token() const noexcept
{
    return CancellationToken(state_);
}

// CancellationToken

// Every canceled token made this way shares one state, so that they compare
// equal, as .NET's CancellationToken(true) tokens do.
CancellationToken::CancellationToken(bool canceled)
    : state_(canceled ? [] {
        static const auto always_canceled = std::make_shared<detail::cancellation_state>(true);
        return always_canceled;
    }()
                      : nullptr)
{
}

bool CancellationToken::IsCancellationRequested() const noexcept
{
    return state_ && state_->canceled();
}

void CancellationToken::ThrowIfCancellationRequested() const
{
    if (IsCancellationRequested())
        throw OperationCanceledException();
}

CancellationTokenRegistration CancellationToken::Register(std::function<void()> callback) const
{
    if (!callback)
        throw ArgumentNullException("callback");
    if (!state_)
        return {};
    if (!state_->canceled()) {
        auto node = std::make_unique<detail::cancellation_node>(std::move(callback));
        if (state_->link(node.get()))
            return CancellationTokenRegistration(state_, node.release());
        callback = std::move(node->callback);
    }
    callback();
    // Empty, but still naming its token, as .NET's registration does.
    return CancellationTokenRegistration(state_, nullptr);
}

// CancellationTokenSource

CancellationTokenSource::CancellationTokenSource() : state_(std::make_shared<detail::cancellation_state>()) {}

CancellationTokenSource::CancellationTokenSource(std::chrono::milliseconds delay) : CancellationTokenSource()
{
    CancelAfter(delay);
}

CancellationToken CancellationTokenSource::Token() const
{
    state_->throw_if_disposed();
    return CancellationToken(state_);
}

bool CancellationTokenSource::IsCancellationRequested() const noexcept
{
    return state_->canceled();
}

void CancellationTokenSource::Cancel()
{
    Cancel(false);
}

void CancellationTokenSource::Cancel(bool throwOnFirstException)
{
    state_->throw_if_disposed();
    state_->cancel(throwOnFirstException);
}

void CancellationTokenSource::CancelAfter(std::chrono::milliseconds delay)
{
    state_->cancel_after(delay);
}

void CancellationTokenSource::CancelAfter(int millisecondsDelay)
{
    CancelAfter(std::chrono::milliseconds(millisecondsDelay));
}

void CancellationTokenSource::Dispose() noexcept
{
    state_->dispose();
}

CancellationTokenSource CancellationTokenSource::CreateLinkedTokenSource(const CancellationToken& token)
{
    return CreateLinkedTokenSource(std::span<const CancellationToken>(&token, 1));
}

CancellationTokenSource CancellationTokenSource::CreateLinkedTokenSource(const CancellationToken& token1,
                                                                         const CancellationToken& token2)
{
    const CancellationToken tokens[] = {token1, token2};
    return CreateLinkedTokenSource(std::span<const CancellationToken>(tokens));
}

CancellationTokenSource
CancellationTokenSource::CreateLinkedTokenSource(std::initializer_list<CancellationToken> tokens)
{
    return CreateLinkedTokenSource(std::span<const CancellationToken>(tokens.begin(), tokens.size()));
}

CancellationTokenSource CancellationTokenSource::CreateLinkedTokenSource(std::span<const CancellationToken> tokens)
{
    CancellationTokenSource linked;
    for (const auto& token : tokens) {
        if (!token.CanBeCanceled())
            continue;
        // Weak: the parent must not keep the linked source alive; the linked
        // state owns the registration and releases it when it goes.
        linked.state_->add_link(token.Register([weak = std::weak_ptr(linked.state_)] {
            if (auto state = weak.lock())
                state->cancel(false);
        }));
    }
    return linked;
}

} // namespace dotasync

