#include "support/allocation_counter.hpp"

#include <atomic>
#include <cstdlib>
#include <new>

namespace dotasync_test {

namespace {
std::atomic<long long> live_blocks{0};
}

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
