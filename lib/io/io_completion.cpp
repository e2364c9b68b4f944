#include <dotasync/io/io_completion.hpp>

#include <dotasync/core/detail/inline_completion.hpp>

#include <boost/asio/append.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/post.hpp>

#include <cassert>

namespace dotasync {

namespace {

// What this thread knows about the initiations it is inside of.
//
// initial-exec: this is touched by every operation, and the default model
// for a shared library reaches it through a call to __tls_get_addr each time.
struct initiation_state {
    // The last number handed to an initiation on this thread.
    std::uint64_t last = 0;
    // The initiation the thread is inside of now: 0 for none.
    std::uint64_t active = 0;
    // Callbacks run inline and still on the stack. A callback that begins the
    // next read, which completes inline and runs the next callback, and so on,
    // would otherwise grow the stack with every read of cached data.
    int inline_depth = 0;
};

[[gnu::tls_model("initial-exec")]] constinit thread_local initiation_state this_thread;

using detail::max_inline_depth;

} // namespace

io_completion::initiation_scope::initiation_scope(io_completion& completion) noexcept
    : previous_(this_thread.active)
{
    completion.thread_ = &this_thread;
    completion.initiation_ = ++this_thread.last;
    this_thread.active = completion.initiation_;
}

io_completion::initiation_scope::~initiation_scope()
{
    this_thread.active = previous_;
}

void io_completion::complete(boost::system::error_code ec, std::size_t n)
{
    assert(handler_ && "io_completion::complete called twice");
    const bool inside_initiation = thread_ == &this_thread && this_thread.active == initiation_;
    if (inside_initiation && inline_allowed_ && this_thread.inline_depth < max_inline_depth) {
        ++this_thread.inline_depth;
        struct leave {
            ~leave() { --this_thread.inline_depth; }
        } guard;
        handler_type handler = std::move(handler_);
        std::move(handler)(ec, n);
        return;
    }
    post(ec, n);
}

void io_completion::post(boost::system::error_code ec, std::size_t n)
{
    assert(handler_ && "io_completion completed twice");
    // Posted to the stream's executor, then dispatched to the handler's own
    // associated executor, as Asio's I/O objects complete their operations.
    boost::asio::post(executor_, boost::asio::append(std::move(handler_), ec, n));
}

boost::asio::any_completion_executor io_completion::get_handler_executor() const
{
    return boost::asio::get_associated_executor(handler_, executor_);
}

} // namespace dotasync
