// state_cast and state_as: reading a state object back the way .NET's casts do.
//
//   auto buffer = dotasync::state_cast<std::shared_ptr<Buffer>>(ar->AsyncState());  // (Buffer)ar.AsyncState
//   auto name   = dotasync::state_cast<std::string>(e.UserState());                 // a literal passed as state
//   auto stream = dotasync::state_as<std::shared_ptr<Stream>>(ar->AsyncState());    // ar.AsyncState as Stream
//   auto worker = dotasync::state_cast<BackgroundWorker*>(sender);
//
// A .NET state (AsyncState, UserState, sender, Argument) is an `object`; a
// dotasync one is a std::any, which std::any_cast reads back only as the
// exact type it holds. state_cast<T>(value) accepts what .NET's (T)value
// accepts, and throws InvalidCastException ("Unable to cast object of type
// 'X' to type 'T'.") otherwise:
//   - the exact type T;
//   - std::string from a const char* or char* (a string literal passed as
//     state) and from a std::string_view: .NET has one string type;
//   - std::shared_ptr<Base> from a std::shared_ptr<Derived>, and Base* from
//     Derived*, for a public unambiguous base, when the held type is
//     registered (below); the result shares ownership with the state;
//   - std::optional<U> from anything U is read from;
//   - std::any: the value itself.
// A null state (an empty std::any, one holding nullptr, a null C string)
// reads as a null pointer, an empty shared_ptr or an empty optional; read as
// any other type it throws InvalidCastException, where .NET's unboxing of
// null throws NullReferenceException (dotasync has none).
//
// state_as<T>(value) is .NET's `as`: the same conversions, but a value of
// another type gives null instead of an exception. T is a pointer, a
// shared_ptr or a std::optional, the C++ forms of a nullable reference.
//
// Derived-to-base reads need to know the type the state holds, which a
// std::any cannot tell. register_state_type<T>() makes them possible for
// states of type T (a Derived* or a std::shared_ptr<Derived>); the apm token
// registers the state type it is given itself (apm(callback, state) with a
// pointer or shared_ptr of a known type), as does
// register_user_state_type<T>() for EAP states. Registering twice changes
// nothing and returns false.
//
// nullptr as a state is no state: apm(callback, nullptr), the eap token,
// AsyncOperationManager::CreateOperation and the event-argument classes
// store an empty std::any for it, as .NET stores null, so that
// AsyncState().has_value() is false.
//
// Thread-safety: the functions may be called from any thread at once.
#ifndef DOTASYNC_CORE_STATE_CAST_HPP
#define DOTASYNC_CORE_STATE_CAST_HPP

#include <dotasync/core/exceptions.hpp>
#include <dotasync/core/export.hpp>

#include <any>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeindex>
#include <typeinfo>
#include <utility>

namespace dotasync {

namespace detail {

template <class T>
struct is_std_shared_ptr : std::false_type {};
template <class T>
struct is_std_shared_ptr<std::shared_ptr<T>> : std::true_type {};

template <class T>
struct is_std_optional : std::false_type {};
template <class T>
struct is_std_optional<std::optional<T>> : std::true_type {};

// What a pointer or a shared_ptr points to; void for other types.
template <class T>
struct pointee {
    using type = void;
};
template <class T>
struct pointee<T*> {
    using type = T;
};
template <class T>
struct pointee<std::shared_ptr<T>> {
    using type = T;
};
template <class T>
using pointee_t = typename pointee<T>::type;

// The state types a derived-to-base read can start from: a pointer or a
// shared_ptr to a class.
template <class T>
inline constexpr bool is_class_pointer_v = std::is_class_v<pointee_t<T>>;

// What a registered state type lends a derived-to-base read: its address,
// thrown as the derived pointer so that a handler for a base pointer catches
// it (the language's own derived-to-base conversion, done at run time), and
// its owner, when it is a shared_ptr.
struct state_upcast {
    void (*throw_address)(const std::any& state);
    std::shared_ptr<const void> (*owner)(const std::any& state);
};

template <class T>
const state_upcast state_upcast_of{
    [](const std::any& state) {
        const T& held = *std::any_cast<T>(&state);
        if constexpr (std::is_pointer_v<T>)
            throw held;
        else
            throw held.get();
    },
    [](const std::any& state) -> std::shared_ptr<const void> {
        if constexpr (std::is_pointer_v<T>)
            return nullptr;
        else
            return *std::any_cast<T>(&state);
    }};

DOTASYNC_API bool register_state_upcast(std::type_index type, const state_upcast* upcast);
DOTASYNC_API const state_upcast* find_state_upcast(std::type_index type) noexcept;

// Whether a state is no state: empty, or nullptr, which stands for .NET's
// null wherever a state is given.
inline bool holds_no_state(const std::any& state) noexcept
{
    if (!state.has_value())
        return true;
    // Every BeginXxx asks this of its state. The first characters of the
    // names settle almost every other type without the string comparison
    // that type_info's equality falls back on.
    const std::type_info& type = state.type();
    const std::type_info& null = typeid(std::nullptr_t);
    return &type == &null || (type.name()[0] == null.name()[0] && type == null);
}

// Whether a state reads as .NET's null: no state, or a null C string.
DOTASYNC_API bool is_null_state(const std::any& state) noexcept;

// nullptr is no state: the empty std::any stands for .NET's null. Returns
// state itself, so that the member it initialises is its only move.
inline std::any&& non_null_state(std::any&& state) noexcept
{
    if (holds_no_state(state))
        state.reset();
    return std::move(state);
}

[[noreturn]] DOTASYNC_API void throw_invalid_cast(const std::type_info& from, const std::type_info& to);
[[noreturn]] DOTASYNC_API void throw_null_cast(const std::type_info& to);

// The conversions of the file comment, null excluded: the value read as T,
// or nothing when .NET's cast would fail.
template <class T>
std::optional<T> try_state_cast(const std::any& state)
{
    if (const T* exact = std::any_cast<T>(&state))
        return *exact;
    if constexpr (std::is_same_v<T, std::string>) {
        if (const auto* text = std::any_cast<const char*>(&state))
            return std::string(*text);
        if (const auto* text = std::any_cast<char*>(&state))
            return std::string(*text);
        if (const auto* view = std::any_cast<std::string_view>(&state))
            return std::string(*view);
    }
    using target = pointee_t<T>;
    if constexpr (std::is_pointer_v<T> && std::is_const_v<target>) {
        if (const auto* mutable_pointer = std::any_cast<std::remove_const_t<target>*>(&state))
            return *mutable_pointer;
    }
    if constexpr (is_std_shared_ptr<T>::value && std::is_const_v<target>) {
        if (const auto* mutable_owner = std::any_cast<std::shared_ptr<std::remove_const_t<target>>>(&state))
            return *mutable_owner;
    }
    if constexpr (is_class_pointer_v<T>) {
        const state_upcast* upcast = find_state_upcast(std::type_index(state.type()));
        if (upcast == nullptr)
            return std::nullopt;
        using pointer = target*;
        try {
            upcast->throw_address(state);
        } catch (pointer address) {
            if constexpr (std::is_pointer_v<T>)
                return address;
            else
                return T(upcast->owner(state), address);
        } catch (...) {
        }
    }
    return std::nullopt;
}

} // namespace detail

// Makes derived-to-base reads of states of type T possible; see the file
// comment. T is the type the std::any holds: Derived* or std::shared_ptr<Derived>.
template <class T>
bool register_state_type()
{
    static_assert(detail::is_class_pointer_v<T>, "register a pointer or a shared_ptr to a class");
    return detail::register_state_upcast(std::type_index(typeid(T)), &detail::state_upcast_of<T>);
}

// .NET's (T)state; see the file comment.
template <class T>
T state_cast(const std::any& state)
{
    static_assert(std::is_same_v<T, std::decay_t<T>>, "read a state as a value type: no references or const");
    if constexpr (std::is_same_v<T, std::any>) {
        return detail::is_null_state(state) ? std::any() : state;
    } else if constexpr (detail::is_std_optional<T>::value) {
        if (detail::is_null_state(state))
            return std::nullopt;
        return state_cast<typename T::value_type>(state);
    } else {
        if (detail::is_null_state(state)) {
            if constexpr (std::is_pointer_v<T> || detail::is_std_shared_ptr<T>::value)
                return T();
            else
                detail::throw_null_cast(typeid(T));
        }
        if (auto value = detail::try_state_cast<T>(state))
            return std::move(*value);
        detail::throw_invalid_cast(state.type(), typeid(T));
    }
}

// .NET's `state as T`; see the file comment.
template <class T>
T state_as(const std::any& state)
{
    if constexpr (detail::is_std_optional<T>::value) {
        if (detail::is_null_state(state))
            return std::nullopt;
        return detail::try_state_cast<typename T::value_type>(state);
    } else {
        static_assert(std::is_pointer_v<T> || detail::is_std_shared_ptr<T>::value,
                      "state_as<T> needs a nullable T: a pointer, a shared_ptr or a std::optional");
        if (detail::is_null_state(state))
            return T();
        return detail::try_state_cast<T>(state).value_or(T());
    }
}

} // namespace dotasync

#endif
