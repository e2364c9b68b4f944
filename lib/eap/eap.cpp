#include <dotasync/eap/eap.hpp>

#include <dotasync/core/detail/result_allocator.hpp>
#include <dotasync/core/exceptions.hpp>
#include <dotasync/core/logging.hpp>
#include <dotasync/core/state_cast.hpp>

#include <boost/asio/dispatch.hpp>

#include <atomic>
#include <cstdint>
#include <algorithm>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace dotasync {

namespace detail {

namespace {

// The mark of a borrowed unkeyed slot (eap_table::unkeyed_); entries are
// aligned, so an entry's address never has it.
constexpr std::uintptr_t borrowed = 1;

const user_state_kind empty_kind{[](const std::any&, const std::any&) noexcept { return true; }, "empty"};

const user_state_kind string_kind{
    [](const std::any& a, const std::any& b) noexcept {
        return *std::any_cast<std::string>(&a) == *std::any_cast<std::string>(&b);
    },
    "string"};

const user_state_kind address_kind{
    [](const std::any& a, const std::any& b) noexcept {
        return *std::any_cast<const volatile void*>(&a) == *std::any_cast<const volatile void*>(&b);
    },
    "address"};

template <class T>
user_state_key string_key(const std::any& state)
{
    const T& value = *std::any_cast<T>(&state);
    if constexpr (std::is_pointer_v<T>) {
        // A null C string has no content to compare; it is the null address.
        if (value == nullptr)
            return user_state_key::of_address(nullptr);
    }
    return user_state_key::of_string(std::string_view(value));
}

// The registry of key makers by type. Built-in types are registered when it
// is first used; register_user_state_type adds more.
class key_registry {
public:
    static key_registry& instance()
    {
        static key_registry registry;
        return registry;
    }

    user_state_key_maker find(std::type_index type) const
    {
        std::shared_lock lock(mutex_);
        auto it = makers_.find(type);
        return it == makers_.end() ? nullptr : it->second;
    }

    bool add(std::type_index type, user_state_key_maker maker)
    {
        std::unique_lock lock(mutex_);
        return makers_.try_emplace(type, maker).second;
    }

private:
    key_registry()
    {
        add_values<bool, char, signed char, unsigned char, wchar_t, char8_t, char16_t, char32_t, short,
                   unsigned short, int, unsigned int, long, unsigned long, long long, unsigned long long, float,
                   double, long double>();
        makers_.try_emplace(typeid(std::string), &string_key<std::string>);
        makers_.try_emplace(typeid(std::string_view), &string_key<std::string_view>);
        makers_.try_emplace(typeid(const char*), &string_key<const char*>);
        makers_.try_emplace(typeid(char*), &string_key<char*>);
        makers_.try_emplace(typeid(void*), &make_user_state_key<void*>);
        makers_.try_emplace(typeid(const void*), &make_user_state_key<const void*>);
        makers_.try_emplace(typeid(std::shared_ptr<void>), &make_user_state_key<std::shared_ptr<void>>);
        makers_.try_emplace(typeid(std::shared_ptr<const void>), &make_user_state_key<std::shared_ptr<const void>>);
    }

    template <class... Ts>
    void add_values()
    {
        (makers_.try_emplace(typeid(Ts), &make_user_state_key<Ts>), ...);
    }

    mutable std::shared_mutex mutex_;
    std::unordered_map<std::type_index, user_state_key_maker> makers_;
};

std::string type_name(const std::any& state)
{
    return state.type().name();
}

} // namespace

user_state_key user_state_key::of(const std::any& state)
{
    // nullptr is .NET's null: no state, as the eap token stores it.
    if (holds_no_state(state))
        return user_state_key(&empty_kind, std::any(), 0);
    if (auto maker = key_registry::instance().find(state.type()))
        return maker(state);
    // Unique keys carry a serial number where other keys carry a hash.
    static std::atomic<std::size_t> serial{0};
    return user_state_key(nullptr, std::any(), serial.fetch_add(1, std::memory_order_relaxed));
}

user_state_key user_state_key::lookup(const std::any& state)
{
    if (!holds_no_state(state) && !key_registry::instance().find(state.type()))
        throw ArgumentException("A userState of type " + type_name(state) +
                                    " cannot be compared with the states of started operations; register the type "
                                    "with dotasync::register_user_state_type<T>().",
                                "userState");
    return of(state);
}

user_state_key user_state_key::of_address(const volatile void* address) noexcept
{
    return user_state_key(&address_kind, std::any(address), std::hash<const volatile void*>{}(address));
}

user_state_key user_state_key::of_string(std::string_view text)
{
    return user_state_key(&string_kind, std::any(std::string(text)), std::hash<std::string_view>{}(text));
}

bool user_state_key::is_empty() const noexcept
{
    return kind_ == &empty_kind;
}

bool register_user_state_key_maker(std::type_index type, user_state_key_maker maker)
{
    return key_registry::instance().add(type, maker);
}

// eap_entry

eap_entry::eap_entry(std::shared_ptr<eap_table> table, user_state_key key, cancel_executor_ref cancel_executor)
    : table_(std::move(table)), key_(std::move(key)), cancel_executor_(std::move(cancel_executor))
{
}

eap_entry::~eap_entry()
{
    end();
    delete cancel_mutex_.load(std::memory_order_acquire);
}

void* eap_entry::operator new(std::size_t size)
{
    return allocate_result_memory(size);
}

void eap_entry::operator delete(void* memory, std::size_t size) noexcept
{
    deallocate_result_memory(memory, size);
}

std::recursive_mutex& eap_entry::cancel_mutex()
{
    auto* mutex = cancel_mutex_.load(std::memory_order_acquire);
    if (mutex != nullptr)
        return *mutex;
    auto made = std::make_unique<std::recursive_mutex>();
    if (cancel_mutex_.compare_exchange_strong(mutex, made.get(), std::memory_order_acq_rel,
                                              std::memory_order_acquire))
        return *made.release();
    return *mutex; // another request_cancel made it first
}

void eap_entry::end() noexcept
{
    // As AsyncOperation does: an operation that did not end otherwise still
    // ends, so that a context counting operations is not kept waiting.
    if (auto context = std::move(context_)) {
        try {
            context->OperationCompleted();
        } catch (...) {
            log_callback_exception("SynchronizationContext::OperationCompleted (EAP operation)",
                                   std::current_exception());
        }
    }
}

eap_entry_ptr eap_entry::start(const std::shared_ptr<eap_table>& table, std::any userState,
                               cancel_executor_ref cancel_executor)
{
    eap_entry_ptr entry(new eap_entry(
        table, table ? user_state_key::of(userState) : user_state_key(nullptr, std::any(), 0),
        std::move(cancel_executor)));
    if (table)
        table->insert(*entry);
    try {
        auto context = AsyncOperationManager::SynchronizationContext();
        context->OperationStarted();
        entry->context_ = std::move(context);
        entry->user_state_ = std::move(userState);
    } catch (...) {
        if (table)
            table->remove(*entry);
        throw;
    }
    return entry;
}

boost::asio::cancellation_slot eap_entry::slot() noexcept
{
    return table_ ? signal_.slot() : boost::asio::cancellation_slot();
}

bool eap_entry::finish() noexcept
{
    const bool cancel_was_requested = (state_.fetch_or(finished, std::memory_order_acq_rel) & cancel_requested) != 0;
    cancel_executor_ref executor; // released after the lock
    if (cancel_was_requested) {
        // A cancellation may be copying the executor or emitting right now;
        // the lock (made before cancel_requested was set) waits for it.
        // Later ones see finished and do nothing.
        std::lock_guard lock(*cancel_mutex_.load(std::memory_order_acquire));
        executor = std::exchange(cancel_executor_, cancel_executor_ref());
    } else {
        // No cancellation has started, and none will touch the executor now
        // that finished is set. The operation's executor may be a strand of
        // an io_context that user code destroys once the completion has run;
        // the entry, which may live on a little longer, must not keep it.
        executor = std::exchange(cancel_executor_, cancel_executor_ref());
    }
    if (table_)
        table_->remove(*this);
    return cancel_was_requested;
}

bool eap_entry::request_cancel()
{
    boost::asio::any_io_executor executor;
    {
        std::lock_guard lock(cancel_mutex());
        // Never set once the operation has finished: the completion's
        // Cancelled reads it later, and must say what finish() saw.
        auto previous = state_.load(std::memory_order_acquire);
        while ((previous & finished) == 0 &&
               !state_.compare_exchange_weak(previous, previous | cancel_requested, std::memory_order_acq_rel,
                                             std::memory_order_acquire)) {
        }
        if ((previous & finished) != 0)
            return false;
        if ((previous & cancel_requested) != 0)
            return true;
        executor = cancel_executor_.get();
    }
    if (executor) {
        boost::asio::dispatch(executor, [self = eap_entry_ptr(this)] { self->emit_cancellation(); });
    } else {
        emit_cancellation();
    }
    return true;
}

void eap_entry::emit_cancellation()
{
    // Held while emitting, so that the operation cannot finish (and its
    // handler free what the slot's cancellation handler refers to) halfway.
    std::lock_guard lock(cancel_mutex());
    if ((state_.load(std::memory_order_acquire) & finished) == 0)
        signal_.emit(boost::asio::cancellation_type::terminal);
}

AsyncCompletedEventArgs eap_entry::take_completed_args()
{
    const bool canceled = (state_.load(std::memory_order_acquire) & cancel_requested) != 0;
    return AsyncCompletedEventArgs(std::move(error_), canceled, std::move(user_state_));
}

bool eap_entry::owner_alive() const noexcept
{
    return !table_ || table_->alive();
}

// eap_table

eap_entry* eap_table::find_locked(const user_state_key& key) const noexcept
{
    if (buckets_.empty())
        return nullptr;
    for (eap_entry* e = buckets_[key.hash() % buckets_.size()]; e != nullptr; e = e->next_in_bucket_)
        if (e->key_ == key)
            return e;
    return nullptr;
}

eap_entry_ptr eap_table::borrow_unkeyed() const
{
    auto bits = unkeyed_.load(std::memory_order_acquire);
    for (;;) {
        if (bits == 0)
            return {};
        if ((bits & borrowed) != 0) {
            // Another CancelAsync is counting its reference: a few
            // instructions, unless its thread was preempted.
            std::this_thread::yield();
            bits = unkeyed_.load(std::memory_order_acquire);
            continue;
        }
        if (unkeyed_.compare_exchange_weak(bits, bits | borrowed, std::memory_order_acquire,
                                           std::memory_order_acquire))
            break;
    }
    eap_entry_ptr entry(reinterpret_cast<eap_entry*>(bits));
    unkeyed_.store(bits, std::memory_order_release);
    return entry;
}

void eap_table::insert(eap_entry& entry)
{
    if (entry.key_.is_empty()) {
        std::uintptr_t none = 0;
        if (!unkeyed_.compare_exchange_strong(none, reinterpret_cast<std::uintptr_t>(&entry),
                                              std::memory_order_acq_rel, std::memory_order_relaxed))
            throw InvalidOperationException("An operation started without a userState is still in progress; "
                                            "pass a unique userState to run several at once.");
        return;
    }
    std::lock_guard lock(mutex_);
    if (find_locked(entry.key_) != nullptr) {
        throw ArgumentException("Another operation started with this userState is still in progress; "
                                "each operation in flight needs its own userState.",
                                "userState");
    }
    // Two entries per bucket on average: a pointer per operation in flight
    // is all the table costs.
    if (size_ + 1 > 2 * buckets_.size()) {
        // Grown before anything is linked, so that a failed allocation
        // leaves the table as it was.
        std::vector<eap_entry*> grown(std::max<std::size_t>(8, buckets_.size() * 2), nullptr);
        for (eap_entry* head : buckets_) {
            while (head != nullptr) {
                eap_entry* next = head->next_in_bucket_;
                auto& bucket = grown[head->key_.hash() % grown.size()];
                head->next_in_bucket_ = bucket;
                bucket = head;
                head = next;
            }
        }
        buckets_.swap(grown);
    }
    auto& bucket = bucket_locked(entry.key_.hash());
    entry.next_in_bucket_ = bucket;
    bucket = &entry;
    ++size_;
}

void eap_table::remove(eap_entry& entry) noexcept
{
    if (entry.key_.is_empty()) {
        const auto mine = reinterpret_cast<std::uintptr_t>(&entry);
        for (;;) {
            auto expected = mine;
            if (unkeyed_.compare_exchange_weak(expected, 0, std::memory_order_acq_rel, std::memory_order_relaxed))
                return;
            // Borrowed: a CancelAsync is counting a reference to this entry,
            // which must stay alive until it has.
            if (expected == (mine | borrowed))
                std::this_thread::yield();
            else if (expected != mine)
                return; // the slot holds another operation: this one was never in it
        }
    }
    std::lock_guard lock(mutex_);
    if (buckets_.empty())
        return;
    for (eap_entry** link = &bucket_locked(entry.key_.hash()); *link != nullptr; link = &(*link)->next_in_bucket_) {
        if (*link == &entry) {
            *link = entry.next_in_bucket_;
            entry.next_in_bucket_ = nullptr;
            --size_;
            return;
        }
    }
}

bool eap_table::cancel(const std::any& userState)
{
    const auto key = user_state_key::lookup(userState);
    if (key.is_empty()) {
        const auto entry = borrow_unkeyed();
        return entry && entry->request_cancel();
    }
    eap_entry_ptr entry;
    {
        std::lock_guard lock(mutex_);
        // An entry is in the table only while its handler holds it, so it is
        // alive here.
        entry = find_locked(key);
        if (!entry)
            return false;
    }
    return entry->request_cancel();
}

bool eap_table::contains(const std::any& userState) const
{
    const auto key = user_state_key::lookup(userState);
    if (key.is_empty())
        return unkeyed_.load(std::memory_order_acquire) != 0;
    std::lock_guard lock(mutex_);
    return find_locked(key) != nullptr;
}

std::size_t eap_table::size() const
{
    const std::size_t unkeyed = unkeyed_.load(std::memory_order_acquire) != 0 ? 1 : 0;
    std::lock_guard lock(mutex_);
    return size_ + unkeyed;
}

void eap_table::cancel_all()
{
    std::vector<eap_entry_ptr> entries;
    if (auto unkeyed = borrow_unkeyed())
        entries.push_back(std::move(unkeyed));
    {
        std::lock_guard lock(mutex_);
        entries.reserve(entries.size() + size_);
        for (eap_entry* head : buckets_)
            for (eap_entry* e = head; e != nullptr; e = e->next_in_bucket_)
                entries.emplace_back(e);
    }
    for (const auto& entry : entries)
        entry->request_cancel();
}

void eap_table::detach()
{
    alive_.store(false, std::memory_order_release);
    cancel_all();
}

} // namespace detail

eap_operations::eap_operations() : table_(std::make_shared<detail::eap_table>()) {}

eap_operations::~eap_operations()
{
    try {
        table_->detach();
    } catch (...) {
        detail::log_callback_exception("eap_operations destructor", std::current_exception());
    }
}

bool eap_operations::cancel(const std::any& userState)
{
    return table_->cancel(userState);
}

void eap_operations::cancel_all()
{
    table_->cancel_all();
}

bool eap_operations::contains(const std::any& userState) const
{
    return table_->contains(userState);
}

std::size_t eap_operations::size() const
{
    return table_->size();
}

} // namespace dotasync
