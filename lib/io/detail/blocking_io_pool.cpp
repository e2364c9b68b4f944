#include "io/detail/blocking_io_pool.hpp"

namespace dotasync::detail {

boost::asio::thread_pool& blocking_io_pool()
{
    // Enough threads to keep several reads in flight on a disk, few enough not
    // to matter on a small machine: they sleep in the kernel, not on a CPU.
    static boost::asio::thread_pool pool(4);
    return pool;
}

} // namespace dotasync::detail
