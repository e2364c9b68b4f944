#include "support/allocation_counter.hpp"

#include <cstdlib>
#include <new>

namespace dotasync_test {

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
    if (void* p = std::malloc(size == 0 ? 1 : size))
        return p;
    throw std::bad_alloc();
}

void operator delete(void* p) noexcept
{
    std::free(p);
}

void operator delete(void* p, std::size_t) noexcept
{
    std::free(p);
}
