#include <dotasync/core/cancellation.hpp>

#include "core/detail/cancellation_state.hpp"

namespace dotasync::detail {

void cancellation_bridge::forward_from(boost::asio::cancellation_slot outer)
{
    outer.assign([weak = weak_from_this()](boost::asio::cancellation_type type) {
        if (auto self = weak.lock())
            self->request(type);
    });
}

void cancellation_bridge::connect(const CancellationToken& token)
{
    if (!token.CanBeCanceled())
        return;
    // The callback holds a plain pointer: the bridge owns the registration,
    // and disposing it waits for a callback running elsewhere, so the bridge
    // is alive whenever the callback runs. weak_from_this() then tells
    // whether it is still in use or already being destroyed.
    registration_ = token.Register([raw = this] {
        if (auto self = raw->weak_from_this().lock())
            self->request(boost::asio::cancellation_type::terminal);
    });
}

void cancellation_bridge::start()
{
    std::lock_guard lock(mutex_);
    started_ = true;
    if (!finished_ && pending_ != boost::asio::cancellation_type::none)
        signal_.emit(pending_);
}

void cancellation_bridge::finish() noexcept
{
    {
        std::lock_guard lock(mutex_);
        finished_ = true;
    }
    registration_.Dispose();
}

void cancellation_bridge::request(boost::asio::cancellation_type type)
{
    std::lock_guard lock(mutex_);
    if (finished_)
        return;
    if (!started_) {
        pending_ = pending_ | type;
        return;
    }
    signal_.emit(type);
}

} // namespace dotasync::detail
