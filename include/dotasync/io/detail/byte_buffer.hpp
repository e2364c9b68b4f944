// Internal: the byte ranges Stream members accept, and the .NET argument
// checks on (buffer, offset, count).
#ifndef DOTASYNC_IO_DETAIL_BYTE_BUFFER_HPP
#define DOTASYNC_IO_DETAIL_BYTE_BUFFER_HPP

#include <dotasync/core/exceptions.hpp>

#include <boost/asio/buffer.hpp>

#include <cstddef>
#include <limits>
#include <ranges>
#include <span>
#include <type_traits>

namespace dotasync::detail {

// A contiguous range of one-byte elements: std::vector<std::uint8_t>,
// std::vector<char>, std::vector<std::byte>, std::array, std::span, ...
template <class B>
concept byte_range = std::ranges::contiguous_range<B> && std::ranges::sized_range<B> &&
                     sizeof(std::ranges::range_value_t<B>) == 1 &&
                     std::is_trivially_copyable_v<std::ranges::range_value_t<B>>;

template <class B>
concept mutable_byte_range =
    byte_range<B> && !std::is_const_v<std::remove_reference_t<std::ranges::range_reference_t<B>>>;

template <class B>
inline constexpr bool is_span_v = false;
template <class T, std::size_t Extent>
inline constexpr bool is_span_v<std::span<T, Extent>> = true;

// Checks (offset, count) against the buffer the way .NET does, in .NET's
// order, and returns the selected bytes.
//
// .NET's null array has one spelling: a std::span without storage (data() is
// null, as in std::span<std::uint8_t>()) that is asked for bytes. A container
// is always an array, however empty: an empty std::vector is .NET's empty
// array whatever its capacity, so asking it for bytes is out of range, never
// null.
template <class B>
auto checked_bytes(B&& buffer, int offset, int count)
{
    auto* data = std::ranges::data(buffer);
    const auto size = static_cast<std::size_t>(std::ranges::size(buffer));
    if constexpr (is_span_v<std::remove_cvref_t<B>>) {
        if (data == nullptr && (offset != 0 || count != 0))
            throw ArgumentNullException("buffer");
    }
    if (offset < 0)
        throw ArgumentOutOfRangeException("offset", "The offset must not be negative.");
    if (count < 0)
        throw ArgumentOutOfRangeException("count", "The count must not be negative.");
    if (static_cast<std::size_t>(offset) > size || size - static_cast<std::size_t>(offset) < static_cast<std::size_t>(count))
        // .NET names no parameter here: it is the pair that is wrong.
        throw ArgumentException("The offset and count describe bytes beyond the end of the buffer.");
    using byte_type = std::conditional_t<std::is_const_v<std::remove_pointer_t<decltype(data)>>, const std::byte,
                                         std::byte>;
    if (data == nullptr)
        return std::span<byte_type>();
    return std::span<byte_type>(reinterpret_cast<byte_type*>(data) + offset, static_cast<std::size_t>(count));
}

template <class B>
auto whole_bytes(B&& buffer)
{
    const auto size = std::ranges::size(buffer);
    if (size > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        throw ArgumentOutOfRangeException("buffer", "A single operation can transfer at most 2 GiB - 1 bytes.");
    return checked_bytes(std::forward<B>(buffer), 0, static_cast<int>(size));
}

// The first non-empty buffer of an Asio buffer sequence (an empty one when
// there is none): what a stream's async_read_some and a socket's
// async_receive transfer.
template <class Buffer, class Sequence>
Buffer first_buffer(const Sequence& buffers)
{
    for (auto it = boost::asio::buffer_sequence_begin(buffers); it != boost::asio::buffer_sequence_end(buffers); ++it) {
        Buffer b(*it);
        if (b.size() != 0)
            return b;
    }
    return Buffer();
}

} // namespace dotasync::detail

#endif
