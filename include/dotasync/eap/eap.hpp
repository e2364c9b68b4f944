// The eap adapter: any Asio operation, completed the event-based (EAP) way.
//
//   class UserService {
//   public:
//       Event<GetUserCompletedEventArgs> GetUserCompleted;
//
//       void GetUserAsync(int userId, std::any userState)
//       {
//           service_.async_get_user(userId, dotasync::eap(operations_, std::move(userState),
//               [this](AsyncCompletedEventArgs done, std::optional<User> user) {
//                   GetUserCompletedEventArgs e(std::move(user), done.Error(), done.Cancelled(), done.UserState());
//                   GetUserCompleted.Invoke(this, e);
//               }));
//       }
//       void CancelAsync(const std::any& userState) { operations_.cancel(userState); }
//
//   private:
//       dotasync::eap_operations operations_;
//   };
//
// eap(operations, userState, onCompleted) is a completion token. The
// initiating function it is given returns void, after it has
//   1. registered userState in operations: a state still in flight throws
//      ArgumentException ("userState must be unique", as in .NET), or
//      InvalidOperationException when userState is empty (the single-
//      invocation XxxAsync(args) overload called again too early);
//   2. captured SynchronizationContext::Current() (the default context when
//      there is none) and called its OperationStarted(), as
//      AsyncOperationManager::CreateOperation does;
//   3. started the operation with a handler whose cancellation slot belongs
//      to this operation.
// If the initiating function throws, nothing has started: the state is free
// again and onCompleted is never called.
//
// When the operation completes, its handler removes userState from the
// table (so the event handler may reuse it at once) and posts onCompleted
// through the captured context as AsyncOperation::PostOperationCompleted
// does, so it runs there: on the strand of a StrandSynchronizationContext
// (with no heap allocation), on the default runtime otherwise. The context's
// OperationCompleted() is called exactly once per operation. onCompleted receives an AsyncCompletedEventArgs
// and the completion values that follow the error channel. For an operation
// with completion signature void(error_code, T...) or void(exception_ptr,
// T...), onCompleted(AsyncCompletedEventArgs, T...) is called with
//   - Error(): the failure (an error_code mapped by exception_from_error, or
//     the exception_ptr), null on success;
//   - Cancelled(): true when operations.cancel(userState) was called before
//     the operation completed; a failure that only reports the cancellation
//     (operation_aborted, OperationCanceledException) is then not an Error();
//   - UserState(): userState;
// and for void(T...) with Error() null. The values are the operation's own,
// which Asio operations default when they fail.
//
// operations.cancel(userState) cancels that one operation through Asio
// per-operation cancellation: it emits cancellation_type::terminal on the
// handler's slot, on the operation's I/O executor when the initiation names
// one (Asio's slots are not thread-safe). An operation that ignores
// cancellation runs to its end and then completes with Cancelled() true.
// cancel returns false when no operation with that state is in flight, as
// .NET's CancelAsync does nothing then.
//
// eap(userState, onCompleted) without a table completes through the
// captured context the same way, for one-off operations that need neither
// the duplicate check nor cancellation.
//
// userState equality. userState is a std::any; two states are the same key when
//   - both are empty;
//   - both hold the same arithmetic type (int, long, double, char, bool, ...)
//     with equal values (an int 1 and a long 1 differ);
//   - both hold strings with the same content: std::string, std::string_view,
//     const char* and char* all compare by content with each other;
//   - both hold pointers or shared_ptrs to the same address: void*, const
//     void*, std::shared_ptr<void>, std::shared_ptr<const void>, and any T*
//     or std::shared_ptr<T> registered with register_user_state_type<T*>()
//     or register_user_state_type<std::shared_ptr<T>>();
//   - both hold the same registered type T (an enum, a struct) and compare
//     equal with ==, hashed with std::hash<T>: register_user_state_type<T>().
// A state of any other type is a key equal to nothing else: such operations
// never collide, and cancel(), contains() given such a state throw
// ArgumentException (the state could never match).
//
// If an operation's handler is destroyed without being invoked (its
// io_context was destroyed with the operation pending), the operation ends
// without a completion callback: the executor that would run it may be gone
// with the io_context. The operation still ends (OperationCompleted), so a
// context counting operations does not wait for it.
//
// Destroying an eap_operations object cancels its operations in flight and
// drops their completion callbacks (they typically refer to the object):
// the operations still end. Destroy it on the thread of the context
// its operations report to (or after they have completed), so that no
// callback is running at that moment.
//
// Thread-safety: eap_operations may be used from any thread at once; an eap
// token is a value used once.
#ifndef DOTASYNC_EAP_EAP_HPP
#define DOTASYNC_EAP_EAP_HPP

#include <dotasync/core/exceptions.hpp>
#include <dotasync/core/export.hpp>
#include <dotasync/core/state_cast.hpp>
#include <dotasync/eap/async_completed_event_args.hpp>
#include <dotasync/eap/detail/eap_table.hpp>

#include <any>
#include <concepts>
#include <cstddef>
#include <functional>
#include <memory>
#include <type_traits>
#include <typeindex>
#include <typeinfo>
#include <utility>

namespace dotasync {

template <class Callback>
class eap;

// The operations in flight of one EAP class, keyed by userState.
class DOTASYNC_API eap_operations {
public:
    eap_operations();
    // Cancels the operations in flight and drops their completion callbacks.
    ~eap_operations();

    eap_operations(const eap_operations&) = delete;
    eap_operations& operator=(const eap_operations&) = delete;

    // Requests cancellation of the operation started with userState; false
    // when none is in flight.
    bool cancel(const std::any& userState);
    // Requests cancellation of every operation in flight.
    void cancel_all();
    // Whether an operation started with userState is in flight.
    bool contains(const std::any& userState) const;
    // Operations in flight.
    std::size_t size() const;

private:
    template <class Callback>
    friend class eap;

    std::shared_ptr<detail::eap_table> table_;
};

namespace detail {
struct eap_access;

template <class T>
const user_state_kind user_state_value_kind{
    [](const std::any& a, const std::any& b) noexcept {
        return *std::any_cast<T>(&a) == *std::any_cast<T>(&b);
    },
    typeid(T).name()};

template <class T>
user_state_key make_user_state_key(const std::any& state)
{
    const T& value = *std::any_cast<T>(&state);
    if constexpr (std::is_pointer_v<T>)
        return user_state_key::of_address(value);
    else if constexpr (is_std_shared_ptr<T>::value)
        return user_state_key::of_address(value.get());
    else
        return user_state_key(&user_state_value_kind<T>, state, std::hash<T>{}(value));
}

} // namespace detail

// Makes userStates of type T comparable (see the file comment): pointers and
// shared_ptrs by address, other types with == and std::hash<T>. Pointers to
// classes also become readable as pointers to their bases with state_cast. Registering a
// type that is already registered changes nothing and returns false.
template <class T>
bool register_user_state_type()
{
    static_assert(std::is_same_v<T, std::decay_t<T>>, "register the type a std::any holds: no references or const");
    if constexpr (!std::is_pointer_v<T> && !detail::is_std_shared_ptr<T>::value) {
        static_assert(std::is_copy_constructible_v<T>, "a userState type must be copyable, as std::any requires");
        static_assert(requires(const T& a, const T& b) {
            { a == b } -> std::convertible_to<bool>;
            { std::hash<T>{}(a) } -> std::convertible_to<std::size_t>;
        }, "a userState type must have == and a std::hash specialisation");
    }
    // A pointer state is also readable as a pointer to its bases (state_cast).
    if constexpr (detail::is_class_pointer_v<T>)
        register_state_type<T>();
    return detail::register_user_state_key_maker(std::type_index(typeid(T)), &detail::make_user_state_key<T>);
}

// The completion token; see the file comment.
template <class Callback>
class eap {
public:
    eap(eap_operations& operations, std::any userState, Callback onCompleted)
        : table_(operations.table_), user_state_(detail::non_null_state(std::move(userState))),
          callback_(checked(std::move(onCompleted)))
    {
    }

    eap(std::any userState, Callback onCompleted)
        : user_state_(detail::non_null_state(std::move(userState))), callback_(checked(std::move(onCompleted)))
    {
    }

private:
    friend struct detail::eap_access;

    static Callback checked(Callback callback)
    {
        if constexpr (requires(const Callback& c) {
                          { c == nullptr } -> std::convertible_to<bool>;
                      }) {
            if (callback == nullptr)
                throw ArgumentNullException("onCompleted");
        }
        return callback;
    }

    std::shared_ptr<detail::eap_table> table_;
    std::any user_state_;
    Callback callback_;
};

} // namespace dotasync

#include <dotasync/eap/impl/eap.hpp>

#endif
