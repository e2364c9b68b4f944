// What core needs from the layers above it, which core must not include.
//
// Core's layer may use Asio and spdlog only. Two of its jobs need something
// the threading layer owns: CancellationTokenSource::CancelAfter needs an
// executor to run its timer on when the caller gave none (the default
// runtime's), and End's deadlock probe must see through the executor of a
// StrandSynchronizationContext to the strand inside it. The threading layer
// registers both here while the library loads (lib/threading/layer_hooks.cpp);
// core only calls what was registered.
//
// Private to the library. Thread-safety: registration happens during static
// initialisation, before any caller can reach core; the reads are atomic.
#ifndef DOTASYNC_LIB_CORE_DETAIL_LAYER_HOOKS_HPP
#define DOTASYNC_LIB_CORE_DETAIL_LAYER_HOOKS_HPP

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/strand.hpp>

namespace dotasync::detail {

using background_executor_hook = boost::asio::any_io_executor (*)();

// The strand inside executor, when executor holds a type only a higher layer
// knows (a StrandSynchronizationContext's); null otherwise. The pointer
// refers into executor and lives as long as it does.
using inner_strand_hook =
    const boost::asio::strand<boost::asio::any_io_executor>* (*)(const boost::asio::any_io_executor& executor) noexcept;

void register_background_executor(background_executor_hook hook) noexcept;
void register_inner_strand(inner_strand_hook hook) noexcept;

// The executor of the default runtime. Throws InvalidOperationException if
// the threading layer registered none (it always does in the built library).
boost::asio::any_io_executor background_executor();

// The registered unwrapper's answer, or null when none is registered.
const boost::asio::strand<boost::asio::any_io_executor>*
inner_strand(const boost::asio::any_io_executor& executor) noexcept;

} // namespace dotasync::detail

#endif
