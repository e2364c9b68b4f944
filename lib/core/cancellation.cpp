#include <dotasync/core/cancellation.hpp>

#include <dotasync/core/detail/check_delay.hpp>
#include <dotasync/core/error_mapping.hpp>
#include <dotasync/core/exceptions.hpp>

#include "core/detail/asio_internals.hpp"
#include "core/detail/layer_hooks.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/system_error.hpp>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

namespace dotasync {

namespace detail {

// One registered callback. It sits in its source's list from Register() until
// Cancel() takes it out to run it or the registration removes it. The
// registration owns it, except while Cancel() is running it and the
// registration was disposed from inside the callback: then Cancel() frees it
// after the callback returns (an orphan).
struct cancellation_node {
    explicit cancellation_node(std::function<void()> f) : callback(std::move(f)) {}

    // Nodes come and go with operations (with_cancellation registers one per
    // operation), so they take their memory where Asio takes an operation's:
    // from the per-thread recycling cache of a thread that runs an io_context.
    // Not from the default slots, which the operation and with_cancellation's
    // bridge already fill (two per thread), but from the slots Asio keeps for
    // parallel groups, which nothing else here uses.
    static void* operator new(std::size_t size) { return asio_internals::allocate_recycled(size); }
    static void operator delete(void* p, std::size_t size) noexcept { asio_internals::deallocate_recycled(p, size); }

    std::function<void()> callback;
    cancellation_node* prev = nullptr;
    cancellation_node* next = nullptr;
    bool linked = false;
    bool orphaned = false;
};

class cancellation_state : public std::enable_shared_from_this<cancellation_state> {
public:
    cancellation_state() = default;
    explicit cancellation_state(bool canceled) : canceled_(canceled) {}

    cancellation_state(const cancellation_state&) = delete;
    cancellation_state& operator=(const cancellation_state&) = delete;

    ~cancellation_state()
    {
        // Registrations keep the state alive, so none is left in the list;
        // what remains to release is the timer and the links.
        timer_.reset();
        links_.clear();
    }

    bool canceled() const noexcept { return canceled_.load(std::memory_order_acquire); }

    void throw_if_disposed() const
    {
        std::lock_guard lock(mutex_);
        if (disposed_)
            throw ObjectDisposedException("CancellationTokenSource");
    }

    // Links a new node, or returns false if cancellation has already been
    // requested (the caller then runs the callback itself).
    bool link(cancellation_node* node)
    {
        std::lock_guard lock(mutex_);
        if (canceled())
            return false;
        node->prev = tail_;
        node->next = nullptr;
        if (tail_ != nullptr)
            tail_->next = node;
        else
            head_ = node;
        tail_ = node;
        node->linked = true;
        ++count_;
        return true;
    }

    // Removes a node that has not run; true if it was still linked.
    bool unlink(cancellation_node* node) noexcept
    {
        std::lock_guard lock(mutex_);
        if (!node->linked)
            return false;
        unlink_locked(node);
        return true;
    }

    // Removes the node and returns once no thread other than the caller is
    // running its callback. Returns true if the caller must free the node,
    // false if it has been orphaned to the Cancel() running it on this thread.
    bool release(cancellation_node* node) noexcept
    {
        std::unique_lock lock(mutex_);
        if (node->linked) {
            unlink_locked(node);
            return true;
        }
        if (executing_ == node) {
            if (executing_thread_ == std::this_thread::get_id()) {
                node->orphaned = true;
                return false;
            }
            callback_done_.wait(lock, [&] { return executing_ != node; });
        }
        return true;
    }

    void cancel(bool throw_on_first_exception)
    {
        // The caller's handle could be destroyed by a callback.
        auto keep_alive = shared_from_this();
        std::vector<std::exception_ptr> errors;
        std::unique_lock lock(mutex_);
        if (canceled())
            return;
        canceled_.store(true, std::memory_order_release);
        // Newest first, as .NET runs them.
        while (cancellation_node* node = tail_) {
            unlink_locked(node);
            executing_ = node;
            executing_thread_ = std::this_thread::get_id();
            lock.unlock();
            std::exception_ptr error;
            try {
                node->callback();
            } catch (...) {
                error = std::current_exception();
            }
            lock.lock();
            executing_ = nullptr;
            const bool orphaned = node->orphaned;
            callback_done_.notify_all();
            if (orphaned) {
                lock.unlock();
                delete node;
                lock.lock();
            }
            if (error) {
                if (throw_on_first_exception)
                    std::rethrow_exception(error);
                errors.push_back(std::move(error));
            }
        }
        lock.unlock();
        if (!errors.empty())
            throw AggregateException(std::move(errors));
    }

    void cancel_after(std::chrono::milliseconds delay)
    {
        check_delay(delay);
        std::lock_guard lock(mutex_);
        if (disposed_)
            throw ObjectDisposedException("CancellationTokenSource");
        if (canceled())
            return;
        // Each CancelAfter starts a new generation; a wait of an earlier one
        // that fires anyway (it was already queued when this call re-armed
        // the timer) must not cancel.
        const std::uint64_t generation = ++timer_generation_;
        if (delay == std::chrono::milliseconds(-1)) {
            if (timer_)
                timer_->cancel();
            return;
        }
        if (!timer_)
            timer_.emplace(background_executor());
        timer_->expires_after(delay);
        timer_->async_wait([weak = weak_from_this(), generation](const boost::system::error_code& ec) {
            if (ec)
                return;
            auto self = weak.lock();
            if (self && self->timer_generation_current(generation))
                self->cancel(false);
        });
    }

    void add_link(CancellationTokenRegistration registration)
    {
        std::lock_guard lock(mutex_);
        if (disposed_)
            return;
        links_.push_back(std::move(registration));
    }

    void dispose() noexcept
    {
        std::optional<boost::asio::steady_timer> timer;
        std::vector<CancellationTokenRegistration> links;
        {
            std::lock_guard lock(mutex_);
            if (disposed_)
                return;
            disposed_ = true;
            ++timer_generation_;
            timer.swap(timer_);
            links.swap(links_);
        }
        // Released outside the lock: disposing a link may wait for a callback
        // that is cancelling this very source.
    }

    std::size_t count() const noexcept
    {
        std::lock_guard lock(mutex_);
        return count_;
    }

private:
    bool timer_generation_current(std::uint64_t generation)
    {
        std::lock_guard lock(mutex_);
        return !disposed_ && timer_generation_ == generation;
    }

    void unlink_locked(cancellation_node* node) noexcept
    {
        if (node->prev != nullptr)
            node->prev->next = node->next;
        else
            head_ = node->next;
        if (node->next != nullptr)
            node->next->prev = node->prev;
        else
            tail_ = node->prev;
        node->prev = node->next = nullptr;
        node->linked = false;
        --count_;
    }

    mutable std::mutex mutex_;
    std::condition_variable callback_done_;
    std::atomic<bool> canceled_{false};
    bool disposed_ = false;
    cancellation_node* head_ = nullptr;
    cancellation_node* tail_ = nullptr;
    std::size_t count_ = 0;
    cancellation_node* executing_ = nullptr;
    std::thread::id executing_thread_;
    std::optional<boost::asio::steady_timer> timer_;
    std::uint64_t timer_generation_ = 0;
    std::vector<CancellationTokenRegistration> links_;
};

std::size_t registration_count(const CancellationToken& token) noexcept
{
    return token.state_ ? token.state_->count() : 0;
}

// cancellation_bridge

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

} // namespace detail

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
    detail::cancellation_node* node = std::exchange(node_, nullptr);
    auto state = std::move(state_);
    if (node != nullptr && state->release(node))
        delete node;
}

bool CancellationTokenRegistration::Unregister() noexcept
{
    if (node_ == nullptr || !state_->unlink(node_))
        return false;
    delete std::exchange(node_, nullptr);
    state_.reset();
    return true;
}

CancellationToken CancellationTokenRegistration::Token() const noexcept
{
    return CancellationToken(state_);
}

// CancellationToken

CancellationToken::CancellationToken(bool canceled)
    : state_(canceled ? std::make_shared<detail::cancellation_state>(true) : nullptr)
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
    return {};
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
