// The bookkeeping behind the eap adapter: user-state keys, one entry per
// operation in flight, and the table that maps one to the other. Compiled in
// lib/eap/eap.cpp.
//
// Thread-safety: keys are values; eap_entry and eap_table guard their state
// with their own mutexes and may be used from any thread.
#ifndef DOTASYNC_EAP_DETAIL_EAP_TABLE_HPP
#define DOTASYNC_EAP_DETAIL_EAP_TABLE_HPP

#include <dotasync/core/export.hpp>
#include <dotasync/eap/async_completed_event_args.hpp>
#include <dotasync/eap/async_operation.hpp>
#include <dotasync/threading/strand_synchronization_context.hpp>
#include <dotasync/threading/synchronization_context.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/smart_ptr/intrusive_ptr.hpp>
#include <boost/smart_ptr/intrusive_ref_counter.hpp>

#include <any>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <string_view>
#include <type_traits>
#include <typeindex>
#include <unordered_map>
#include <utility>
#include <vector>

namespace dotasync::detail {

// How keys of one kind compare: two keys are equal when they have the same
// kind and equal() says so. Kinds are compared by address.
struct user_state_kind {
    bool (*equal)(const std::any& a, const std::any& b) noexcept;
    const char* name;
};

// The comparable form of a userState: its kind, a normalised value (a
// std::string for every string type, a const void* for every pointer type,
// the value itself otherwise) and a hash. A state of a type nobody registered
// gets a unique key, equal only to itself.
class DOTASYNC_API user_state_key {
public:
    user_state_key(const user_state_kind* kind, std::any value, std::size_t hash) noexcept
        : kind_(kind), value_(std::move(value)), hash_(hash)
    {
    }

    // The key of state; a unique key when state's type is not registered.
    static user_state_key of(const std::any& state);
    // The key of state; throws ArgumentException when state's type is not
    // registered, since such a state can never match a started operation.
    static user_state_key lookup(const std::any& state);

    static user_state_key of_address(const volatile void* address) noexcept;
    static user_state_key of_string(std::string_view text);

    bool is_empty() const noexcept;
    std::size_t hash() const noexcept { return hash_; }

    friend bool operator==(const user_state_key& a, const user_state_key& b) noexcept
    {
        if (a.kind_ != b.kind_)
            return false;
        if (a.kind_ == nullptr)
            return a.hash_ == b.hash_; // unique keys: the hash is a serial number
        return a.kind_->equal(a.value_, b.value_);
    }

    struct hasher {
        std::size_t operator()(const user_state_key& key) const noexcept { return key.hash_; }
    };

private:
    const user_state_kind* kind_;
    std::any value_;
    std::size_t hash_;
};

using user_state_key_maker = user_state_key (*)(const std::any& state);

// Registers how states of one type become keys; the first registration of a
// type wins. Returns false when the type was already registered.
DOTASYNC_API bool register_user_state_key_maker(std::type_index type, user_state_key_maker maker);

class eap_table;
class eap_entry;
using eap_entry_ptr = boost::intrusive_ptr<eap_entry>;

// Where an operation's cancellation is emitted, in one word: an io_context's
// executor as a pointer to the io_context, any other executor as a pointer
// to an any_io_executor of its own, told apart by the lowest bit.
class cancel_executor_ref {
public:
    cancel_executor_ref() noexcept = default;

    template <class Executor>
    explicit cancel_executor_ref(const Executor& executor)
    {
        if constexpr (std::is_same_v<Executor, boost::asio::io_context::executor_type>) {
            bits_ = reinterpret_cast<std::uintptr_t>(&executor.context());
        } else {
            boost::asio::any_io_executor any(executor);
            if (const auto* io = any.target<boost::asio::io_context::executor_type>())
                bits_ = reinterpret_cast<std::uintptr_t>(&io->context());
            else if (any)
                bits_ = reinterpret_cast<std::uintptr_t>(new boost::asio::any_io_executor(std::move(any))) | owned;
        }
    }

    cancel_executor_ref(cancel_executor_ref&& other) noexcept : bits_(std::exchange(other.bits_, 0)) {}

    cancel_executor_ref& operator=(cancel_executor_ref&& other) noexcept
    {
        cancel_executor_ref(std::move(other)).swap(*this);
        return *this;
    }

    ~cancel_executor_ref()
    {
        if ((bits_ & owned) != 0)
            delete other();
    }

    void swap(cancel_executor_ref& other) noexcept { std::swap(bits_, other.bits_); }

    explicit operator bool() const noexcept { return bits_ != 0; }

    boost::asio::any_io_executor get() const
    {
        if (bits_ == 0)
            return {};
        if ((bits_ & owned) != 0)
            return *other();
        return reinterpret_cast<boost::asio::io_context*>(bits_)->get_executor();
    }

private:
    static constexpr std::uintptr_t owned = 1;

    boost::asio::any_io_executor* other() const noexcept
    {
        return reinterpret_cast<boost::asio::any_io_executor*>(bits_ & ~owned);
    }

    std::uintptr_t bits_ = 0;
};

// One EAP operation from start to completion. It does what an
// AsyncOperation does (captures the context, calls its OperationStarted and
// OperationCompleted once each, posts the completion through it) without
// being one, so that an operation costs one allocation and a completion on
// a StrandSynchronizationContext none.
// Counted intrusively: an operation in flight is one allocation, without a
// shared_ptr control block beside it.
class DOTASYNC_API eap_entry final : public boost::intrusive_ref_counter<eap_entry, boost::thread_safe_counter> {
public:
    eap_entry(std::shared_ptr<eap_table> table, user_state_key key, cancel_executor_ref cancel_executor);
    // Ends the operation if nothing else has.
    ~eap_entry();

    eap_entry(const eap_entry&) = delete;
    eap_entry& operator=(const eap_entry&) = delete;

    // An entry is made by XxxAsync and freed when its completion has run,
    // usually on the caller's thread, which then starts the next operation:
    // the per-thread cache of APM result memory serves it, where Asio's own
    // caches cannot (XxxAsync is mostly called outside the io_context's run).
    static void* operator new(std::size_t size);
    static void operator delete(void* memory, std::size_t size) noexcept;

    // Starts an operation: registers userState in table (null for an
    // untracked operation), then captures the current context (the default
    // one when there is none) and calls its OperationStarted(). Throws
    // ArgumentException (InvalidOperationException for an empty userState)
    // when the state is already in flight.
    static eap_entry_ptr start(const std::shared_ptr<eap_table>& table, std::any userState,
                               cancel_executor_ref cancel_executor);

    // The slot the operation's handler exposes; not connected for an
    // untracked operation, which nobody can cancel.
    boost::asio::cancellation_slot slot() noexcept;

    // Ends the operation by queueing delivery on the captured context (as
    // PostOperationCompleted does), with error as the completion's Error.
    // Called once, by the operation's handler, after finish(). delivery is
    // an eap_delivery, which holds this entry.
    template <class Delivery>
    void post_completed(Delivery& delivery, std::exception_ptr error);

    // The completion's event arguments: the error given to post_completed,
    // whether cancellation was requested before the operation finished, and
    // the userState, which they take over. Called once, by the delivery.
    AsyncCompletedEventArgs take_completed_args();

    // The captured context, without ending the operation on it: the
    // completion queued on a strand context has already ended it.
    std::shared_ptr<SynchronizationContext> release_context() noexcept { return std::move(context_); }

    // Ends the operation without a completion callback.
    void end() noexcept;

    // The operation's handler ran or was destroyed: no cancellation is
    // emitted from now on and the userState is free for a new operation.
    // Returns whether cancellation had been requested.
    bool finish() noexcept;

    // CancelAsync for this operation. Returns false when it has finished.
    bool request_cancel();

    // False once the eap_operations object the operation was started through
    // has been destroyed: its completion callback is then not run.
    bool owner_alive() const noexcept;

private:
    friend class eap_table;

    void emit_cancellation();

    // finished and cancel_requested bits. An operation nobody cancels only
    // ever sets finished, with one atomic operation and no lock. First, so
    // that it shares a word with the reference count.
    static constexpr unsigned finished = 1;
    static constexpr unsigned cancel_requested = 2;
    std::atomic<unsigned> state_{0};
    std::shared_ptr<eap_table> table_;
    user_state_key key_;
    // Where the cancellation signal is emitted: the operation's I/O executor,
    // since Asio cancellation slots are not thread-safe. Empty when the
    // initiation did not tell; the signal is then emitted on the calling
    // thread.
    cancel_executor_ref cancel_executor_;
    // The captured context, held until the operation ends, or until its
    // completion, queued on a strand context, runs.
    std::shared_ptr<SynchronizationContext> context_;
    std::any user_state_;
    // The completion's Error, kept here rather than in the queued completion,
    // so that the completion takes as little room as the operation's own
    // handler did, and Asio reuses that handler's memory for it.
    std::exception_ptr error_;
    // Taken by the cancellation paths only: by request_cancel and by the
    // emission, and by finish() once cancellation was requested, so that the
    // operation cannot finish halfway through an emission. Recursive because
    // emitting may, for an operation that completes inside its cancellation
    // handler, run finish() on the same thread. Made by the first
    // request_cancel, before it sets cancel_requested, so that operations
    // nobody cancels do not carry one.
    std::recursive_mutex& cancel_mutex();
    std::atomic<std::recursive_mutex*> cancel_mutex_{nullptr};
    boost::asio::cancellation_signal signal_;
    // The next entry in the table's bucket, guarded by the table's mutex.
    eap_entry* next_in_bucket_ = nullptr;
};

// The operations in flight of one eap_operations object, by userState.
class DOTASYNC_API eap_table {
public:
    eap_table() = default;
    eap_table(const eap_table&) = delete;
    eap_table& operator=(const eap_table&) = delete;

    bool cancel(const std::any& userState);
    bool contains(const std::any& userState) const;
    std::size_t size() const;
    void cancel_all();
    // The owner is being destroyed: completions still pending are dropped.
    void detach();
    bool alive() const noexcept { return alive_.load(std::memory_order_acquire); }

private:
    friend class eap_entry;

    void insert(eap_entry& entry);
    void remove(eap_entry& entry) noexcept;
    eap_entry* find_locked(const user_state_key& key) const noexcept;
    eap_entry*& bucket_locked(std::size_t hash) noexcept { return buckets_[hash % buckets_.size()]; }
    // A counted reference to the operation in the unkeyed slot, or null.
    eap_entry_ptr borrow_unkeyed() const;

    // A hash table threaded through the entries themselves, so that
    // registering an operation allocates nothing (beyond the occasional
    // growth of the bucket array). An entry is in the table only while its
    // handler holds it, so the plain pointers never dangle.
    mutable std::mutex mutex_;
    std::vector<eap_entry*> buckets_;
    std::size_t size_ = 0;
    // The operation in flight that was started without a userState, if
    // any. Most EAP classes run one operation at a time and are given no
    // state, so this slot registers such an operation with one atomic
    // exchange instead of the mutex. The lowest bit marks the slot borrowed:
    // CancelAsync and cancel_all count a reference to the entry while it is
    // set, and remove waits for them, so that the entry is not freed between
    // their reading the slot and counting the reference.
    mutable std::atomic<std::uintptr_t> unkeyed_{0};
    std::atomic<bool> alive_{true};
};

// What a strand context queues for an EAP completion: the delivery alone.
// The entry the delivery holds keeps the context alive, and Current() is
// set from it when the delivery runs; carrying the context beside the
// delivery, as Post's functions do, would make the queued function larger
// than the operation's handler, whose memory Asio's recycling cache then
// could not give to it.
template <class Delivery>
class queued_delivery {
public:
    explicit queued_delivery(Delivery&& delivery) noexcept : delivery_(std::move(delivery)) {}
    queued_delivery(queued_delivery&&) noexcept = default;
    queued_delivery& operator=(queued_delivery&&) = delete;

    ~queued_delivery()
    {
        // Destroyed without having run (its io_context went away): the
        // operation has ended on the context already and must not end again
        // when the entry is destroyed.
        if (delivery_.entry)
            static_cast<void>(delivery_.entry->release_context());
    }

    void operator()()
    {
        auto context = delivery_.entry->release_context();
        current_context_scope scope(context);
        delivery_();
    }

private:
    Delivery delivery_;
};

template <class Delivery>
void eap_entry::post_completed(Delivery& delivery, std::exception_ptr error)
{
    error_ = std::move(error);
    if (try_post_operation_completed_with(context_.get(),
                                          [&] { return queued_delivery<Delivery>(std::move(delivery)); }))
        return;
    // Any other context takes a copyable SendOrPostCallback.
    auto shared = std::make_shared<Delivery>(std::move(delivery));
    post_operation_completed(context_, [shared](const std::any&) { (*shared)(); }, {});
}

} // namespace dotasync::detail

#endif
