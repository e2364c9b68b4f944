// Private to the library: the shared state behind CancellationTokenSource
// and its tokens, and the one test hook on it (registration_count).
//
// Thread-safety: every member may be called from any thread; the state's
// mutex orders them.
#ifndef DOTASYNC_LIB_CORE_DETAIL_CANCELLATION_STATE_HPP
#define DOTASYNC_LIB_CORE_DETAIL_CANCELLATION_STATE_HPP

#include <dotasync/core/cancellation.hpp>
#include <dotasync/core/detail/check_delay.hpp>
#include <dotasync/core/exceptions.hpp>

#include "core/detail/asio_internals.hpp"
#include "core/detail/layer_hooks.hpp"

#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace dotasync::detail {

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
        std::unique_lock lock(mutex_);
        if (disposed_)
            throw ObjectDisposedException("CancellationTokenSource");
        if (delay == std::chrono::milliseconds(0)) {
            // No delay cancels now, on the calling thread: the source is
            // canceled when the call returns, as .NET's is.
            ++timer_generation_;
            lock.unlock();
            cancel(false);
            return;
        }
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

// What the public classes keep private, for the library's own use.
struct cancellation_access {
    static const std::shared_ptr<cancellation_state>& state(const CancellationToken& token) noexcept
    {
        return token.state_;
    }
};

// The number of callbacks currently registered on the token's source; for
// tests that check that operations release their registrations.
std::size_t registration_count(const CancellationToken& token) noexcept;

} // namespace dotasync::detail

#endif
