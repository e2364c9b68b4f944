// Internal: the allocator of APM results.
//
// Thread-safety: allocators are values; a block may be freed on any thread.
#ifndef DOTASYNC_CORE_DETAIL_RESULT_ALLOCATOR_HPP
#define DOTASYNC_CORE_DETAIL_RESULT_ALLOCATOR_HPP

#include <dotasync/core/export.hpp>

#include <cstddef>
#include <memory>
#include <new>

namespace dotasync::detail {

// Memory for results comes from a small per-thread cache of freed blocks, as
// Asio recycles the memory of its handlers: an operation that is begun and
// ended over and over on one thread then reuses one block instead of calling
// the global allocator twice per operation. EAP operations' entries
// (eap_entry) take their memory here too. Defined in
// lib/core/detail/result_allocator.cpp; a block may be freed on any thread.
DOTASYNC_API void* allocate_result_memory(std::size_t size);
DOTASYNC_API void deallocate_result_memory(void* memory, std::size_t size) noexcept;

template <class T>
class result_allocator {
public:
    using value_type = T;

    result_allocator() noexcept = default;
    template <class U>
    result_allocator(const result_allocator<U>&) noexcept // NOLINT: rebinding converts implicitly
    {
    }

    T* allocate(std::size_t n)
    {
        if constexpr (alignof(T) > __STDCPP_DEFAULT_NEW_ALIGNMENT__)
            return std::allocator<T>().allocate(n);
        else
            return static_cast<T*>(allocate_result_memory(n * sizeof(T)));
    }

    void deallocate(T* p, std::size_t n) noexcept
    {
        if constexpr (alignof(T) > __STDCPP_DEFAULT_NEW_ALIGNMENT__)
            std::allocator<T>().deallocate(p, n);
        else
            deallocate_result_memory(p, n * sizeof(T));
    }

    friend bool operator==(const result_allocator&, const result_allocator&) noexcept { return true; }
};

} // namespace dotasync::detail

#endif
