// Cancelling asynchronous operations with a CancellationTokenSource, as in
// .NET's task-cancellation walk-through.
//
// A CancellationTokenSource hands out CancellationTokens; an operation that is
// given a token gives up when the source's Cancel() is called, and reports it
// by throwing OperationCanceledException (Task::Delay throws the derived
// TaskCanceledException, as .NET's Task.Delay does).
//
//   1. A three-second Task::Delay, awaited in a coroutine, while a second
//      coroutine calls Cancel() after 100 ms.
//   2. CancelAfter: the source cancels itself; here with use_future, for code
//      that blocks instead of awaiting.
//   3. Any Asio operation: with_cancellation connects a token to a plain
//      steady_timer wait, and a linked source cancels when either its caller
//      or its own time limit does.
//
// The delays are long and the cancellations quick, so the whole program takes
// well under a second.
#include <dotasync/dotasync.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>
#include <cxxabi.h>
#include <exception>
#include <future>
#include <iostream>
#include <memory>
#include <string>
#include <typeinfo>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using dotasync::CancellationTokenSource;
using dotasync::OperationCanceledException;
using dotasync::Task;

namespace {

using Clock = std::chrono::steady_clock;

std::string Elapsed(Clock::time_point since)
{
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count();
    return std::to_string(ms) + " ms";
}

// The exception's type name, as .NET prints it with GetType().Name.
std::string TypeName(const std::exception& e)
{
    int status = 0;
    std::unique_ptr<char, void (*)(void*)> name(abi::__cxa_demangle(typeid(e).name(), nullptr, nullptr, &status),
                                                std::free);
    std::string full = status == 0 && name ? name.get() : typeid(e).name();
    return full.substr(full.rfind(':') + 1);
}

// 1. The delay and the cancel, as two coroutines on one io_context.
asio::awaitable<void> WaitThreeSeconds(CancellationTokenSource& cts)
{
    const auto start = Clock::now();
    std::cout << "1. Task::Delay(3s, token) started\n";
    try {
        co_await Task::Delay(3s, cts.Token(), asio::use_awaitable);
        std::cout << "   the delay ran to completion (unexpected)\n";
    } catch (const OperationCanceledException& e) {
        std::cout << "   caught " << TypeName(e) << " after " << Elapsed(start) << ": " << e.what() << '\n';
    }
}

asio::awaitable<void> CancelSoon(CancellationTokenSource& cts)
{
    co_await Task::Delay(100ms, asio::use_awaitable);
    std::cout << "   calling Cancel()\n";
    cts.Cancel();
}

void CancelTheDelay()
{
    asio::io_context io;
    CancellationTokenSource cts;
    // A callback registered on the token runs inside Cancel(), before the
    // awaiting coroutine resumes.
    auto registration = cts.Token().Register([] { std::cout << "   the token's callback ran\n"; });
    asio::co_spawn(io, WaitThreeSeconds(cts), asio::detached);
    asio::co_spawn(io, CancelSoon(cts), asio::detached);
    io.run();
}

// 2. CancelAfter, and a caller that blocks on a future.
void CancelAfterATimeLimit()
{
    std::cout << "2. CancelAfter(100 ms), with use_future\n";
    CancellationTokenSource cts;
    cts.CancelAfter(100ms);
    const auto start = Clock::now();
    std::future<void> delay = Task::Delay(3s, cts.Token(), asio::use_future);
    try {
        delay.get();
        std::cout << "   the delay ran to completion (unexpected)\n";
    } catch (const OperationCanceledException& e) {
        std::cout << "   caught " << TypeName(e) << " after " << Elapsed(start)
                  << "; IsCancellationRequested() = " << std::boolalpha << cts.IsCancellationRequested() << '\n';
    }
}

// 3. Any Asio operation, and a linked source.
asio::awaitable<void> WaitForTimer(dotasync::CancellationToken callerToken)
{
    // The operation's own time limit, linked to the caller's token: whichever
    // fires first cancels the wait.
    auto timeout = CancellationTokenSource::CreateLinkedTokenSource(callerToken);
    timeout.CancelAfter(100ms);

    asio::steady_timer timer(co_await asio::this_coro::executor, 1h);
    const auto start = Clock::now();
    try {
        co_await timer.async_wait(dotasync::with_cancellation(timeout.Token(), asio::use_awaitable));
        std::cout << "   the timer expired (unexpected)\n";
    } catch (const OperationCanceledException& e) {
        std::cout << "   caught " << TypeName(e) << " after " << Elapsed(start) << "; the caller's token "
                  << (callerToken.IsCancellationRequested() ? "was" : "was not")
                  << " cancelled, so the time limit did it\n";
    }
}

void CancelAnyAsioOperation()
{
    std::cout << "3. with_cancellation on a steady_timer, with a linked time limit\n";
    asio::io_context io;
    CancellationTokenSource caller;
    asio::co_spawn(io, WaitForTimer(caller.Token()), asio::detached);
    io.run();
}

} // namespace

int main()
{
    try {
        std::cout << "Application started.\n";
        CancelTheDelay();
        CancelAfterATimeLimit();
        CancelAnyAsioOperation();
        std::cout << "Application ending.\n";
        return 0;
    } catch (const std::exception& e) {
        std::cout << "cancellation: " << e.what() << '\n';
        return 1;
    }
}
