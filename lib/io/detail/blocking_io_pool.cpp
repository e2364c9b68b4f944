#include "io/detail/blocking_io_pool.hpp"

namespace dotasync::detail {

boost::asio::thread_pool& blocking_io_pool()
{
    static boost::asio::thread_pool pool(blocking_io_threads);
    return pool;
}

} // namespace dotasync::detail
