#include <dotasync/core/detail/result_allocator.hpp>

#include <array>
#include <cstddef>
#include <new>
#include <utility>

namespace dotasync::detail {

namespace {

// The result memory cache of one thread, in one trivially destructible
// object so that it stays readable while the thread exits. A few blocks are
// enough: results that are begun and ended one after the other reuse the
// same one or two, and a thread that keeps many results pending gains nothing
// from more. Results of different signatures differ in size and a block is
// reused only for its own size, so a full cache gives up its blocks in turn
// for new ones: blocks of a size no longer in use cannot occupy it for good.
struct result_cache {
    struct block {
        void* memory = nullptr;
        std::size_t size = 0;
    };

    std::array<block, 4> blocks{};
    std::size_t next_evicted = 0;
    bool cleanup_registered = false;
    bool closed = false;
};

// Every operation reads the cache; the initial-exec model reaches it with one
// instruction instead of a call to __tls_get_addr each time. The object is a
// few dozen bytes, well within the static TLS space the C library keeps for
// shared objects.
[[gnu::tls_model("initial-exec")]] thread_local result_cache this_thread;

// Returns the cached blocks to the global allocator when the thread exits.
struct result_memory_cleanup {
    ~result_memory_cleanup()
    {
        this_thread.closed = true;
        for (auto& b : this_thread.blocks)
            if (b.memory != nullptr)
                ::operator delete(std::exchange(b.memory, nullptr), b.size);
    }
};

thread_local result_memory_cleanup cleanup;

} // namespace

void* allocate_result_memory(std::size_t size)
{
    result_cache& state = this_thread;
    if (!state.closed)
        for (auto& b : state.blocks)
            if (b.memory != nullptr && b.size == size)
                return std::exchange(b.memory, nullptr);
    return ::operator new(size);
}

void deallocate_result_memory(void* memory, std::size_t size) noexcept
{
    result_cache& state = this_thread;
    if (state.closed) {
        ::operator delete(memory, size);
        return;
    }
    if (!state.cleanup_registered) {
        state.cleanup_registered = true;
        static_cast<void>(&cleanup);
    }
    for (auto& b : state.blocks) {
        if (b.memory == nullptr) {
            b = {memory, size};
            return;
        }
    }
    auto& evicted = state.blocks[state.next_evicted];
    state.next_evicted = (state.next_evicted + 1) % state.blocks.size();
    ::operator delete(evicted.memory, evicted.size);
    evicted = {memory, size};
}

} // namespace dotasync::detail
