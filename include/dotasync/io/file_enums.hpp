// The enumerations that describe how a FileStream opens its file: FileMode,
// FileAccess, FileShare and FileOptions, with .NET's names and values.
//
// FileAccess, FileShare and FileOptions are flag sets: combine them with |
// and test them with has_flag().
//
// Thread-safety: plain values.
#ifndef DOTASYNC_IO_FILE_ENUMS_HPP
#define DOTASYNC_IO_FILE_ENUMS_HPP

#include <cstdint>
#include <type_traits>

namespace dotasync {

enum class FileMode { CreateNew = 1, Create, Open, OpenOrCreate, Truncate, Append };

enum class FileAccess { Read = 1, Write = 2, ReadWrite = 3 };

// FileShare is honoured as .NET honours it on Unix: as an advisory flock()
// lock that other dotasync or .NET processes respect (None takes an exclusive
// lock, anything else a shared one).
enum class FileShare { None = 0, Read = 1, Write = 2, ReadWrite = 3, Delete = 4 };

// The values are .NET's, so that flags stored or exchanged as integers keep
// their meaning.
enum class FileOptions : std::uint32_t {
    None = 0,
    WriteThrough = 0x80000000u,
    Asynchronous = 0x40000000u,
    RandomAccess = 0x10000000u,
    DeleteOnClose = 0x04000000u,
    SequentialScan = 0x08000000u,
};

namespace detail {
template <class E>
inline constexpr bool is_file_flag_v =
    std::is_same_v<E, FileAccess> || std::is_same_v<E, FileShare> || std::is_same_v<E, FileOptions>;
}

template <class E>
    requires detail::is_file_flag_v<E>
constexpr E operator|(E a, E b) noexcept
{
    using U = std::underlying_type_t<E>;
    return static_cast<E>(static_cast<U>(a) | static_cast<U>(b));
}

template <class E>
    requires detail::is_file_flag_v<E>
constexpr E operator&(E a, E b) noexcept
{
    using U = std::underlying_type_t<E>;
    return static_cast<E>(static_cast<U>(a) & static_cast<U>(b));
}

// True when every flag of `flag` is set in `value` (.NET's Enum.HasFlag).
template <class E>
    requires detail::is_file_flag_v<E>
constexpr bool has_flag(E value, E flag) noexcept
{
    return (value & flag) == flag;
}

} // namespace dotasync

#endif
