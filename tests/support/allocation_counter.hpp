// Counts heap allocations made by the current thread. A test program that
// links tests/support/allocation_counter.cpp gets a replaced global operator
// new, and (without a sanitizer) replaced aligned_alloc and free, which feed
// the count: Asio's handler memory comes from aligned_alloc.
#pragma once

#include <cstddef>

namespace dotasync_test {

std::size_t& allocations_on_this_thread() noexcept;

// Blocks allocated with operator new or aligned_alloc, by any thread, and not
// freed yet. Tests
// compare it before and after many operations to show memory does not grow.
long long live_allocations() noexcept;

// Allocations the current thread makes while the scope is alive.
class allocation_scope {
public:
    allocation_scope() noexcept : start_(allocations_on_this_thread()) {}
    std::size_t count() const noexcept { return allocations_on_this_thread() - start_; }

private:
    std::size_t start_;
};

} // namespace dotasync_test
