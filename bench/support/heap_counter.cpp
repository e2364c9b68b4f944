#include "heap_counter.hpp"

#include <atomic>
#include <cstdlib>
#include <new>

// glibc's own aligned allocation, under the name that stays reachable once
// aligned_alloc is replaced below.
extern "C" void* __libc_memalign(std::size_t alignment, std::size_t size);

namespace dotasync_bench {

namespace {

std::atomic<std::uint64_t> allocation_count{0};
std::atomic<std::uint64_t> allocated_bytes{0};

void record(std::size_t size) noexcept
{
    allocation_count.fetch_add(1, std::memory_order_relaxed);
    allocated_bytes.fetch_add(size, std::memory_order_relaxed);
}

void* counted_new(std::size_t size)
{
    record(size);
    if (void* p = std::malloc(size == 0 ? 1 : size))
        return p;
    throw std::bad_alloc();
}

void* counted_aligned_new(std::size_t size, std::align_val_t alignment)
{
    record(size);
    if (void* p = __libc_memalign(static_cast<std::size_t>(alignment), size == 0 ? 1 : size))
        return p;
    throw std::bad_alloc();
}

} // namespace

heap_totals heap_now() noexcept
{
    return {allocation_count.load(std::memory_order_relaxed), allocated_bytes.load(std::memory_order_relaxed)};
}

} // namespace dotasync_bench

// Asio's recycling allocator takes its blocks from std::aligned_alloc; this
// definition in the executable takes precedence over the C library's, for
// the library's code as well as the program's.
extern "C" void* aligned_alloc(std::size_t alignment, std::size_t size)
{
    dotasync_bench::record(size);
    return __libc_memalign(alignment, size);
}

// The replacements live in their own translation unit so that the compiler
// never sees an inlined malloc paired with a free and warns about it.
void* operator new(std::size_t size) { return dotasync_bench::counted_new(size); }
void* operator new[](std::size_t size) { return dotasync_bench::counted_new(size); }
void* operator new(std::size_t size, std::align_val_t alignment)
{
    return dotasync_bench::counted_aligned_new(size, alignment);
}
void* operator new[](std::size_t size, std::align_val_t alignment)
{
    return dotasync_bench::counted_aligned_new(size, alignment);
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept
{
    try {
        return dotasync_bench::counted_new(size);
    } catch (...) {
        return nullptr;
    }
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept
{
    try {
        return dotasync_bench::counted_new(size);
    } catch (...) {
        return nullptr;
    }
}

void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
