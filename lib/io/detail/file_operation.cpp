#include "io/detail/file_operation.hpp"

#include <boost/asio/execution/context.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/query.hpp>

namespace dotasync::detail {

namespace asio = boost::asio;

file_operation::file_operation(const void* owner, io_completion completion)
    : owner_(owner), completion_(std::move(completion)),
      work_(asio::prefer(completion_.get_handler_executor(), asio::execution::outstanding_work.tracked))
{
}

file_operation::~file_operation()
{
    // The last reference is released after every write of listed_, so it
    // can be read without the registry's lock; completed operations, the
    // usual case, then take no lock here.
    if (registry_ && listed_)
        registry_->drop(*this);
}

void file_operation::connect_cancellation(const std::shared_ptr<file_operation>& self)
{
    auto slot = completion_.get_cancellation_slot();
    if (!slot.is_connected())
        return;
    // The slot keeps its handler installed after the operation completed, as
    // Asio's own operations leave theirs: clearing it from the back-end's
    // thread could overlap an emission from the thread that cancels. The
    // handler holds the operation, so a late emission finds it alive and
    // asks for nothing that matters any more.
    slot.assign([op = self](asio::cancellation_type) { op->request_cancel(); });
}

void file_operation::request_cancel() noexcept
{
    if (cancel_requested_.exchange(true, std::memory_order_acq_rel))
        return;
    on_cancel();
}

std::shared_ptr<file_operation_registry> file_operation_registry::of(const asio::any_io_executor& executor)
{
    auto& context = asio::query(executor, asio::execution::context);
    return asio::use_service<file_operation_service>(context).registry();
}

bool file_operation_registry::add(file_operation& op)
{
    std::lock_guard lock(mutex_);
    if (shut_down_)
        return false;
    op.registry_ = shared_from_this();
    op.listed_ = true;
    op.prev_ = nullptr;
    op.next_ = head_;
    if (head_ != nullptr)
        head_->prev_ = &op;
    head_ = &op;
    return true;
}

void file_operation_registry::unlink(file_operation& op) noexcept
{
    op.listed_ = false;
    if (op.prev_ != nullptr)
        op.prev_->next_ = op.next_;
    else
        head_ = op.next_;
    if (op.next_ != nullptr)
        op.next_->prev_ = op.prev_;
    op.prev_ = op.next_ = nullptr;
}

void file_operation_registry::drop(file_operation& op) noexcept
{
    std::lock_guard lock(mutex_);
    if (!op.listed_)
        return;
    unlink(op);
    if (shut_down_)
        drained_.notify_all();
}

void file_operation_registry::complete(file_operation& op, boost::system::error_code ec, std::size_t n)
{
    std::lock_guard lock(mutex_);
    unlink(op);
    if (shut_down_) {
        abandoned_.push_back(std::move(op.completion_));
        abandoned_work_.push_back(std::move(op.work_));
        drained_.notify_all();
        return;
    }
    // Posted under the lock: the context cannot begin its shutdown between
    // the check above and the post, so the post never meets a freed context.
    // Never inline, even when the back-end finished inside the initiation:
    // the handler might start an operation, which needs this lock.
    op.completion_.post(ec, n);
    // The posted handler counts as the context's work from here on.
    op.work_ = asio::any_completion_executor();
}

void file_operation_registry::cancel_all_of(const void* owner)
{
    std::lock_guard lock(mutex_);
    for (file_operation* op = head_; op != nullptr; op = op->next_)
        if (op->owner_ == owner)
            op->request_cancel();
}

void file_operation_registry::shutdown()
{
    std::vector<io_completion> handlers;
    std::vector<asio::any_completion_executor> work;
    {
        std::unique_lock lock(mutex_);
        shut_down_ = true;
        for (file_operation* op = head_; op != nullptr; op = op->next_)
            op->request_cancel();
        // A read or write the kernel is already doing cannot be interrupted;
        // it ends by itself, and the buffer is not touched after this.
        drained_.wait(lock, [this] { return head_ == nullptr; });
        handlers.swap(abandoned_);
        work.swap(abandoned_work_);
    }
    // Destroyed outside the lock: an abandoned APM result completes here, and
    // that may run code that starts another operation.
    handlers.clear();
    work.clear();
}

asio::execution_context::id file_operation_service::id;

file_operation_service::file_operation_service(asio::execution_context& context)
    : service(context), registry_(std::make_shared<file_operation_registry>())
{
}

file_operation_service::~file_operation_service() = default;

void file_operation_service::shutdown()
{
    registry_->shutdown();
}

} // namespace dotasync::detail
