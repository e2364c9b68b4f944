#include <dotasync/core/detail/result_allocator.hpp>

#include <dotasync/core/detail/inline_completion.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <new>

namespace dotasync::detail {

namespace {

// The result memory cache of one thread, in one trivially destructible
// object so that it stays readable while the thread exits. The blocks form a
// stack, the last freed on top, where the next allocation of the same size
// finds it at once. The stack holds as many blocks as callbacks may complete
// inline on one thread's stack, plus a few: a callback that begins the next
// read, which completes inline and runs the next callback, keeps a result
// alive per level, and all of them are freed as the chain unwinds, to be
// reused by the next chain. Results of different signatures differ in size
// and a block is reused only for its own size, so a full cache gives up its
// blocks in turn for new ones: blocks of a size no longer in use cannot
// occupy it for good.
struct result_cache {
    static constexpr std::size_t capacity = max_inline_depth + 4;

    // Sizes apart from the addresses, and in 32 bits (a larger block is never
    // cached), to keep the thread-local object small.
    std::array<void*, capacity> memory{};
    std::array<std::uint32_t, capacity> size{};
    std::uint32_t count = 0;
    std::uint32_t next_evicted = 0;
    bool cleanup_registered = false;
    bool closed = false;
};

// Every operation reads the cache; the initial-exec model reaches it with one
// instruction instead of a call to __tls_get_addr each time. constinit keeps
// it that way: an object initialised at run time would be reached through
// the guard of its initialisation on every access. The object is a
// few hundred bytes, well within the static TLS space the C library keeps for
// shared objects.
[[gnu::tls_model("initial-exec")]] constinit thread_local result_cache this_thread;

// Returns the cached blocks to the global allocator when the thread exits.
struct result_memory_cleanup {
    ~result_memory_cleanup()
    {
        this_thread.closed = true;
        for (std::uint32_t i = 0; i < this_thread.count; ++i)
            ::operator delete(this_thread.memory[i], this_thread.size[i]);
        this_thread.count = 0;
    }
};

thread_local result_memory_cleanup cleanup;

} // namespace

void* allocate_result_memory(std::size_t size)
{
    result_cache& state = this_thread;
    if (!state.closed) {
        for (std::uint32_t i = state.count; i-- > 0;) {
            if (state.size[i] == size) {
                void* memory = state.memory[i];
                --state.count;
                state.memory[i] = state.memory[state.count];
                state.size[i] = state.size[state.count];
                return memory;
            }
        }
    }
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
    if (size > UINT32_MAX) {
        ::operator delete(memory, size);
        return;
    }
    std::uint32_t slot = state.count;
    if (slot < result_cache::capacity) {
        ++state.count;
    } else {
        slot = state.next_evicted;
        state.next_evicted = (slot + 1) % result_cache::capacity;
        ::operator delete(state.memory[slot], state.size[slot]);
    }
    state.memory[slot] = memory;
    state.size[slot] = static_cast<std::uint32_t>(size);
}

} // namespace dotasync::detail
