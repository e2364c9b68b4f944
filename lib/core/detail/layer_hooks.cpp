#include "core/detail/layer_hooks.hpp"

#include <dotasync/core/exceptions.hpp>

#include <atomic>

namespace dotasync::detail {

namespace {

// Constant-initialised, so a registration made by another translation unit's
// static initialiser is never overwritten by this one's.
constinit std::atomic<background_executor_hook> background_hook{nullptr};
constinit std::atomic<inner_strand_hook> strand_hook{nullptr};

} // namespace

void register_background_executor(background_executor_hook hook) noexcept
{
    background_hook.store(hook, std::memory_order_release);
}

void register_inner_strand(inner_strand_hook hook) noexcept
{
    strand_hook.store(hook, std::memory_order_release);
}

boost::asio::any_io_executor background_executor()
{
    const auto hook = background_hook.load(std::memory_order_acquire);
    if (hook == nullptr)
        throw InvalidOperationException("The default runtime is not available: the threading layer is not loaded.");
    return hook();
}

const boost::asio::strand<boost::asio::any_io_executor>*
inner_strand(const boost::asio::any_io_executor& executor) noexcept
{
    const auto hook = strand_hook.load(std::memory_order_acquire);
    return hook == nullptr ? nullptr : hook(executor);
}

} // namespace dotasync::detail
