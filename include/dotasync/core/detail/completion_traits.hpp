// Internal: how a completion signature splits into a failure and a value.
//
// The rule every face follows (end(), the eap token, with_cancellation, the
// Task helpers): a leading boost::system::error_code, std::error_code or
// std::exception_ptr is the failure channel; the arguments after it are the
// value, which End returns as void, T or std::tuple<T...>. An error_code
// becomes the .NET exception exception_from_error() makes of it; an
// exception_ptr is the failure unchanged.
#ifndef DOTASYNC_CORE_DETAIL_COMPLETION_TRAITS_HPP
#define DOTASYNC_CORE_DETAIL_COMPLETION_TRAITS_HPP

#include <dotasync/core/error_mapping.hpp>

#include <boost/system/error_code.hpp>

#include <exception>
#include <system_error>
#include <tuple>
#include <type_traits>
#include <utility>

namespace dotasync::detail {

template <class T>
inline constexpr bool is_error_code_v =
    std::is_same_v<T, boost::system::error_code> || std::is_same_v<T, std::error_code>;

template <class T>
inline constexpr bool is_exception_ptr_v = std::is_same_v<T, std::exception_ptr>;

template <class T>
inline constexpr bool is_failure_channel_v = is_error_code_v<T> || is_exception_ptr_v<T>;

// What end() returns for completion arguments T...: void, T, or std::tuple<T...>.
template <class... Ts>
struct end_value {
    using type = std::tuple<Ts...>;
    static type take(std::tuple<Ts...>&& values) { return std::move(values); }
};

template <>
struct end_value<> {
    using type = void;
    static void take(std::tuple<>&&) {}
};

template <class T>
struct end_value<T> {
    using type = T;
    static T take(std::tuple<T>&& values) { return std::move(std::get<0>(values)); }
};

// The failure a channel value stands for; null when it reports success.
template <class Channel>
std::exception_ptr failure_of(const Channel& channel)
{
    if constexpr (is_error_code_v<Channel>)
        return exception_from_error(channel);
    else
        return channel;
}

// values_type: every completion argument; value_args_type: those after the
// failure channel; result_type: what End returns.
template <class... Args>
struct completion_traits {
    using values_type = std::tuple<Args...>;
    using value_args_type = std::tuple<Args...>;
    using result_type = typename end_value<Args...>::type;
    static constexpr bool has_failure_channel = false;

    static bool failed(const values_type&) noexcept { return false; }
    static std::exception_ptr failure(const values_type&) { return {}; }
    static result_type take(values_type&& values) { return end_value<Args...>::take(std::move(values)); }
};

template <class First, class... Rest>
    requires is_failure_channel_v<First>
struct completion_traits<First, Rest...> {
    using channel_type = First;
    using values_type = std::tuple<First, Rest...>;
    using value_args_type = std::tuple<Rest...>;
    using result_type = typename end_value<Rest...>::type;
    static constexpr bool has_failure_channel = true;

    static bool failed(const values_type& values) noexcept { return static_cast<bool>(std::get<0>(values)); }

    static std::exception_ptr failure(const values_type& values) { return failure_of(std::get<0>(values)); }

    static result_type take(values_type&& values)
    {
        if (auto error = failure(values))
            std::rethrow_exception(error);
        return end_value<Rest...>::take(std::apply(
            [](First&&, Rest&&... rest) { return std::tuple<Rest...>(std::move(rest)...); },
            std::move(values)));
    }
};

// The same for a signature R(Args...).
template <class Signature>
struct signature_traits;

template <class R, class... Args>
struct signature_traits<R(Args...)> : completion_traits<std::decay_t<Args>...> {};

} // namespace dotasync::detail

#endif
