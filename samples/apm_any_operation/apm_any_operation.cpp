// Any Asio operation, started and finished the .NET APM way.
//
// Asio's initiating functions (async_wait, async_read_some, co_spawn, ...)
// take a completion token that decides what the call returns. Passing
// dotasync::apm(callback, state) makes them return an IAsyncResultPtr, the
// object a .NET BeginXxx method returns; dotasync::end<Signature>(ar) is then
// the matching EndXxx. Nothing has to be written per operation: the timer
// and the coroutine below are plain Asio.
//
// The operations run on an io_context of the program's own, driven by one
// thread, as in a server that embeds dotasync. The main thread plays the part
// of .NET code that calls BeginXxx and EndXxx.
#include <dotasync/dotasync.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <exception>
#include <iostream>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

// Which thread is speaking: "main", or "io" for the thread that runs the
// io_context and therefore every completion handler and callback.
thread_local std::string thread_name = "main";

// Both threads print; this keeps each line whole.
void say(const std::string& line)
{
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    std::cout << "[" << thread_name << "] " << line << '\n' << std::flush;
}

std::string yes_no(bool value) { return value ? "true" : "false"; }

// 1. A timer with a callback and a state object. The callback calls end()
// itself: by the time a callback runs the result is stored, so end() returns
// at once. This is the usual shape of .NET APM code.
void timer_with_callback(asio::io_context& io)
{
    say("1. steady_timer::async_wait with apm(callback, state)");

    // The state is what the callback needs: here a label and an event the
    // callback sets, so that the main thread can tell when it has run. The
    // event is shared because the callback may still be inside Set() when the
    // main thread's WaitOne returns and this function ends.
    struct TimerState {
        std::string label;
        std::chrono::steady_clock::time_point started;
        std::shared_ptr<dotasync::ManualResetEvent> done;
    };

    dotasync::AsyncCallback callback = [](const dotasync::IAsyncResultPtr& ar) {
        const auto& state = std::any_cast<const TimerState&>(ar->AsyncState());
        try {
            dotasync::end<void(boost::system::error_code)>(ar); // does not block: the wait is over
            auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - state.started);
            say("   callback: \"" + state.label + "\" expired; at least 200 ms passed: " +
                yes_no(elapsed >= 200ms));
        } catch (const std::exception& e) {
            // An exception leaving a callback would leave io_context::run()
            // on the io thread; report it here instead.
            say(std::string("   callback: the wait failed: ") + e.what());
        }
        state.done->Set();
    };

    asio::steady_timer timer(io, 200ms);
    auto done = std::make_shared<dotasync::ManualResetEvent>(false);
    TimerState state{"the 200 ms timer", std::chrono::steady_clock::now(), done};
    dotasync::IAsyncResultPtr ar = timer.async_wait(dotasync::apm(callback, std::move(state)));

    // An Asio operation never completes inside its initiating function, so
    // CompletedSynchronously() is false and the callback has not run yet.
    say("   async_wait returned: CompletedSynchronously() = " + yes_no(ar->CompletedSynchronously()) +
        ", IsCompleted() = " + yes_no(ar->IsCompleted()));

    // The main thread is free meanwhile. It waits, at the end, only so that
    // the timer outlives its operation and the output stays in order.
    if (!done->WaitOne(10s))
        throw dotasync::TimeoutException("The timer callback did not run within ten seconds.");
    say("   the callback has run; IsCompleted() = " + yes_no(ar->IsCompleted()));
}

// A computation with a result, written as an ordinary Asio coroutine. It
// waits a little first, to stand for I/O, then returns the sum of the squares
// of 1..n.
asio::awaitable<int> sum_of_squares(int n)
{
    if (n < 0)
        throw std::invalid_argument("sum_of_squares: n must not be negative");
    asio::steady_timer pause(co_await asio::this_coro::executor, 50ms);
    co_await pause.async_wait(asio::use_awaitable);
    int sum = 0;
    for (int i = 1; i <= n; ++i)
        sum += i * i;
    co_return sum;
}

// 2. A coroutine's result through co_spawn. co_spawn completes with
// void(std::exception_ptr, int), so end<void(std::exception_ptr, int)>
// returns the int, or rethrows what the coroutine threw. No callback here:
// end() blocks the main thread until the coroutine has finished.
void coroutine_result(asio::io_context& io)
{
    say("2. co_spawn with apm(), finished by end<void(std::exception_ptr, int)>");

    dotasync::IAsyncResultPtr ar = asio::co_spawn(io, sum_of_squares(10), dotasync::apm());
    say("   co_spawn returned: CompletedSynchronously() = " + yes_no(ar->CompletedSynchronously()));
    int sum = dotasync::end<void(std::exception_ptr, int)>(ar);
    say("   end returned " + std::to_string(sum) + " (1 + 4 + ... + 100)");

    // A coroutine that throws: end() rethrows the very exception, as .NET's
    // EndXxx rethrows the failure of the operation.
    dotasync::IAsyncResultPtr failing = asio::co_spawn(io, sum_of_squares(-1), dotasync::apm());
    try {
        dotasync::end<void(std::exception_ptr, int)>(failing);
        say("   unexpected: end returned");
    } catch (const std::invalid_argument& e) {
        say(std::string("   end rethrew std::invalid_argument: ") + e.what());
    }
}

// 3. A cancelled operation. Asio reports cancellation as the error code
// operation_aborted; end() maps it to OperationCanceledException, as a
// cancelled .NET operation would throw.
void cancelled_timer(asio::io_context& io)
{
    say("3. a cancelled steady_timer::async_wait");

    asio::steady_timer timer(io, 1h);
    dotasync::IAsyncResultPtr ar = timer.async_wait(dotasync::apm());
    say("   async_wait returned: CompletedSynchronously() = " + yes_no(ar->CompletedSynchronously()));

    // An Asio I/O object is not safe to use from two threads at once, and the
    // io thread owns this one while the wait is pending; so the cancellation
    // is posted to the io thread rather than called from here.
    asio::post(io, [&timer] { timer.cancel(); });

    try {
        dotasync::end<void(boost::system::error_code)>(ar);
        say("   unexpected: end returned");
    } catch (const dotasync::OperationCanceledException& e) {
        say(std::string("   end threw OperationCanceledException: ") + e.what());
    }
}

} // namespace

int main()
{
    asio::io_context io;
    // Keeps run() going while no operation is pending, between sections.
    auto work = asio::make_work_guard(io);
    std::thread io_thread([&io] {
        thread_name = "io";
        io.run();
    });

    int status = 0;
    try {
        timer_with_callback(io);
        coroutine_result(io);
        cancelled_timer(io);
    } catch (const std::exception& e) {
        say(std::string("apm_any_operation: ") + e.what());
        status = 1;
    }

    work.reset();
    io_thread.join();
    return status;
}
