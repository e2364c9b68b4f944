#include <dotasync/threading/message_loop_synchronization_context.hpp>

#include <dotasync/core/exceptions.hpp>
#include <dotasync/core/logging.hpp>

#include <boost/asio/post.hpp>

#include <spdlog/logger.h>

#include <exception>
#include <mutex>
#include <shared_mutex>
#include <typeinfo>
#include <utility>

namespace dotasync {

const std::type_info& detail::message_loop_context_type() noexcept
{
    return typeid(MessageLoopSynchronizationContext);
}

MessageLoopSynchronizationContext::MessageLoopSynchronizationContext(private_tag)
    : StrandSynchronizationContext(loop_io_.get_executor()), loop_thread_(std::this_thread::get_id())
{
    loop_gate_ = &gate_;
}

MessageLoopSynchronizationContext::~MessageLoopSynchronizationContext() = default;

void MessageLoopSynchronizationContext::Run(std::function<void()> main)
{
    if (!main)
        throw ArgumentNullException("main");

    auto context = std::make_shared<MessageLoopSynchronizationContext>(private_tag{});
    std::shared_ptr<SynchronizationContext> current = context;
    // Handlers the loop runs outside the strand run on this thread too, so
    // the whole thread reports the loop's context while the loop runs.
    detail::current_context_scope scope(current);

    std::exception_ptr failure;
    try {
        boost::asio::post(context->get_executor(), std::move(main));
        context->loop_io_.run();
    } catch (...) {
        failure = std::current_exception();
    }
    context->finish();
    if (failure)
        std::rethrow_exception(failure);
}

void MessageLoopSynchronizationContext::finish() noexcept
{
    {
        // Waits for Posts in progress; later ones see the gate closed and drop
        // their callback instead of queuing it on a stopped loop.
        std::unique_lock lock(gate_.mutex);
        gate_.finished = true;
    }
    // What is still queued (only after an exception ended the loop) holds
    // references to this context; destroying it now breaks those cycles.
    // Handlers destroyed here may post to this context, so no lock is held.
    loop_io_.shutdown();
}

void MessageLoopSynchronizationContext::Post(SendOrPostCallback d, std::any state)
{
    if (!d)
        throw ArgumentNullException("d");
    std::shared_lock lock(gate_.mutex);
    if (gate_.finished) {
        logger()->warn("A callback was posted to a MessageLoopSynchronizationContext whose loop has ended; "
                       "it was dropped.");
        return;
    }
    StrandSynchronizationContext::Post(std::move(d), std::move(state));
}

void MessageLoopSynchronizationContext::Send(SendOrPostCallback d, std::any state)
{
    if (!d)
        throw ArgumentNullException("d");
    {
        std::shared_lock lock(gate_.mutex);
        if (gate_.finished)
            throw ObjectDisposedException("MessageLoopSynchronizationContext",
                                          "The message loop has ended; Send cannot run the callback.");
    }
    if (loop_io_.get_executor().running_in_this_thread()) {
        // Whatever the loop thread is running, no other thread can run the
        // callback for it: waiting would deadlock.
        std::shared_ptr<SynchronizationContext> self = shared_from_this();
        detail::current_context_scope scope(self);
        d(state);
        return;
    }
    StrandSynchronizationContext::Send(std::move(d), std::move(state));
}

} // namespace dotasync
