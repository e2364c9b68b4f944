// Internal: .NET's rule for the delays of CancelAfter and Task::Delay.
#ifndef DOTASYNC_CORE_DETAIL_CHECK_DELAY_HPP
#define DOTASYNC_CORE_DETAIL_CHECK_DELAY_HPP

#include <dotasync/core/exceptions.hpp>

#include <chrono>

namespace dotasync::detail {

inline constexpr std::chrono::milliseconds infinite_delay{-1};
// The largest delay .NET accepts: UInt32.MaxValue - 1 milliseconds (UInt32.MaxValue is its -1).
inline constexpr std::chrono::milliseconds max_delay{4'294'967'294};

// Throws ArgumentOutOfRangeException(parameter) for a delay below -1 ms
// (infinite) or above max_delay, before anything starts. Larger values would
// overflow the clock arithmetic of a timer and fire at once.
inline void check_delay(std::chrono::milliseconds delay, const char* parameter = "delay")
{
    if (delay < infinite_delay || delay > max_delay)
        throw ArgumentOutOfRangeException(
            parameter, "The delay must be -1 (infinite) or a number of milliseconds from 0 to 4294967294.");
}

} // namespace dotasync::detail

#endif
