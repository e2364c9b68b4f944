// Counts heap allocations and the bytes they ask for, over the whole process.
//
// A benchmark program that links bench/support/heap_counter.cpp gets replaced
// global operator new/delete (every form) and a replaced aligned_alloc. Asio
// allocates its handler memory with aligned_alloc rather than operator new,
// so counting operator new alone would miss most of an operation's cost.
// Programs that time things must not link it: the counters are atomics, and
// every allocation pays for them.
//
// Thread-safety: the counters may be read from any thread; they count
// allocations made by every thread.
#pragma once

#include <cstddef>
#include <cstdint>

namespace dotasync_bench {

struct heap_totals {
    std::uint64_t allocations = 0;
    std::uint64_t bytes = 0;
};

// Allocations made and bytes asked for since the program started.
heap_totals heap_now() noexcept;

// What was allocated between construction and a call to taken().
class heap_scope {
public:
    heap_scope() noexcept : start_(heap_now()) {}

    heap_totals taken() const noexcept
    {
        const heap_totals now = heap_now();
        return {now.allocations - start_.allocations, now.bytes - start_.bytes};
    }

private:
    heap_totals start_;
};

} // namespace dotasync_bench
