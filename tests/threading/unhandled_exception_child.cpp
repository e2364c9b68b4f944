// Run by thread_pool_test: an exception escapes a thread-pool callback with the
// default unhandled-exception handler in place, which must end the process.
#include <dotasync/threading/thread_pool.hpp>

#include <chrono>
#include <stdexcept>
#include <thread>

int main()
{
    dotasync::ThreadPool::QueueUserWorkItem([] { throw std::runtime_error("nobody catches this"); });
    // The pool terminates the process long before this returns; returning 0
    // would tell the parent test that it did not.
    std::this_thread::sleep_for(std::chrono::seconds(60));
    return 0;
}
