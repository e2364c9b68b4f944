// Internal: a handler for one signature made from a handler for another, by a
// function of the values (HttpContent::ReadAsByteArrayAsync is the string
// read with its value turned into bytes). The result keeps the original
// handler's executor, so it completes where the original would have.
#ifndef DOTASYNC_HTTP_DETAIL_HANDLER_TRANSFORM_HPP
#define DOTASYNC_HTTP_DETAIL_HANDLER_TRANSFORM_HPP

#include <dotasync/threading/thread_pool.hpp>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/bind_executor.hpp>

#include <exception>
#include <utility>

namespace dotasync::detail {

template <class Value, class Handler, class Transform>
auto transform_handler(Handler handler, Transform transform)
{
    auto executor = boost::asio::get_associated_executor(handler, ThreadPool::Executor());
    return boost::asio::bind_executor(
        std::move(executor),
        [handler = std::move(handler), transform = std::move(transform)](std::exception_ptr e, Value v) mutable {
            if (e) {
                std::move(handler)(std::move(e), decltype(transform(std::move(v))){});
                return;
            }
            // A transformation that throws reports its exception as the
            // operation's failure.
            try {
                auto out = transform(std::move(v));
                std::move(handler)(std::exception_ptr(), std::move(out));
            } catch (...) {
                std::move(handler)(std::current_exception(), decltype(transform(std::move(v))){});
            }
        });
}

} // namespace dotasync::detail

#endif
