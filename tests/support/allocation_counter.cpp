#include "support/allocation_counter.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace dotasync_test {

namespace {

std::atomic<long long> live_blocks{0};

// Asio takes the memory of its handlers and recycled blocks from
// std::aligned_alloc and gives it back with std::free. The program replaces
// both (in builds without a sanitizer, whose runtime owns malloc and free):
// aligned_alloc counts like operator new, and free must recognise the blocks
// it made. They are remembered in a fixed table of atomic slots, so that free
// needs neither a lock nor an allocation; a block is looked for in a window of
// slots after its hash, whichever of them an earlier free has emptied.
constexpr std::size_t aligned_slots = 1 << 14;
constexpr std::size_t aligned_window = 64;
constinit std::array<std::atomic<void*>, aligned_slots> aligned_blocks{};

std::size_t aligned_home(const void* p) noexcept
{
    return (reinterpret_cast<std::uintptr_t>(p) >> 4) * 0x9E3779B97F4A7C15ull >> 50;
}

// Moves p's slot from `from` to `to` (null to p: remember; p to null:
// forget); false when no slot of p's window holds `from`.
bool swap_aligned_slot(const void* p, void* from, void* to) noexcept
{
    const std::size_t home = aligned_home(p);
    for (std::size_t i = 0; i < aligned_window; ++i) {
        void* expected = from;
        if (aligned_blocks[(home + i) % aligned_slots].compare_exchange_strong(expected, to))
            return true;
    }
    return false;
}

// A full window leaves a block counted as made but not as live, which can
// only hide growth, never invent it.
[[maybe_unused]] void remember_aligned(void* p) noexcept
{
    if (swap_aligned_slot(p, nullptr, p))
        live_blocks.fetch_add(1, std::memory_order_relaxed);
}

[[maybe_unused]] void forget_aligned(void* p) noexcept
{
    if (swap_aligned_slot(p, p, nullptr))
        live_blocks.fetch_sub(1, std::memory_order_relaxed);
}

} // namespace

long long live_allocations() noexcept
{
    return live_blocks.load(std::memory_order_relaxed);
}

std::size_t& allocations_on_this_thread() noexcept
{
    static thread_local std::size_t count = 0;
    return count;
}

} // namespace dotasync_test

// The replacement lives in its own translation unit so that the compiler never
// sees an inlined malloc paired with a free and warns about the mismatch.
void* operator new(std::size_t size)
{
    ++dotasync_test::allocations_on_this_thread();
    if (void* p = std::malloc(size == 0 ? 1 : size)) {
        dotasync_test::live_blocks.fetch_add(1, std::memory_order_relaxed);
        return p;
    }
    throw std::bad_alloc();
}

void operator delete(void* p) noexcept
{
    if (p != nullptr)
        dotasync_test::live_blocks.fetch_sub(1, std::memory_order_relaxed);
    std::free(p);
}

void operator delete(void* p, std::size_t) noexcept
{
    if (p != nullptr)
        dotasync_test::live_blocks.fetch_sub(1, std::memory_order_relaxed);
    std::free(p);
}

// The nothrow forms (Asio's any_completion_executor uses one) must come from
// the same malloc as the delete above frees with: AddressSanitizer reports
// its own operator new paired with free as a mismatch.
void* operator new(std::size_t size, const std::nothrow_t&) noexcept
{
    ++dotasync_test::allocations_on_this_thread();
    void* p = std::malloc(size == 0 ? 1 : size);
    if (p != nullptr)
        dotasync_test::live_blocks.fetch_add(1, std::memory_order_relaxed);
    return p;
}

void operator delete(void* p, const std::nothrow_t&) noexcept
{
    if (p != nullptr)
        dotasync_test::live_blocks.fetch_sub(1, std::memory_order_relaxed);
    std::free(p);
}

#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)

// glibc's own entry points, which the replacements below forward to.
extern "C" void* __libc_memalign(std::size_t alignment, std::size_t size);
extern "C" void __libc_free(void* p);

extern "C" void* aligned_alloc(std::size_t alignment, std::size_t size)
{
    ++dotasync_test::allocations_on_this_thread();
    void* p = __libc_memalign(alignment, size);
    if (p != nullptr)
        dotasync_test::remember_aligned(p);
    return p;
}

extern "C" void free(void* p)
{
    if (p != nullptr)
        dotasync_test::forget_aligned(p);
    __libc_free(p);
}

#endif
