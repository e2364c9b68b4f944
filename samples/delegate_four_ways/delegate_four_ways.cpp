// The four ways to wait for an asynchronous call, with a dotasync Delegate.
//
// A Delegate wraps an ordinary, synchronous function. BeginInvoke starts that
// function on a thread of the default runtime and returns at once with an
// IAsyncResultPtr; EndInvoke collects the return value and the out
// parameters. Between the two, the caller chooses how to wait:
//
//   1. call EndInvoke straight away and let it block until the call is over;
//   2. wait on AsyncWaitHandle(), which can be given a time-out or combined
//      with other handles, then call EndInvoke;
//   3. poll IsCompleted() while doing something useful in between;
//   4. pass an AsyncCallback, which runs when the call is over, and give it
//      what it needs through the state argument, read back with AsyncState().
//
// Each section prints the id of the main thread and the id of the thread that
// ran the method, so that you can see that the method really ran elsewhere.
#include <dotasync/dotasync.hpp>

#include <atomic>
#include <chrono>
#include <exception>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace {

// A small number per thread, in the order the threads first ask for one, like
// .NET's ManagedThreadId. It is easier to read than std::thread::id.
int ManagedThreadId()
{
    static std::atomic<int> next{1};
    thread_local const int id = next.fetch_add(1);
    return id;
}

// The main thread and a pool thread both write to the console. This keeps
// every line whole, and starts a new line when someone writes while the
// polling section is half-way through a row of dots.
class Console {
public:
    static void WriteLine(const std::string& line)
    {
        std::lock_guard lock(mutex_);
        if (mid_line_)
            std::cout << '\n';
        std::cout << line << '\n' << std::flush;
        mid_line_ = false;
    }

    // Writes without ending the line; a fresh line is indented like the
    // others.
    static void Write(const std::string& text)
    {
        std::lock_guard lock(mutex_);
        if (!mid_line_)
            std::cout << "  ";
        std::cout << text << std::flush;
        mid_line_ = true;
    }

    // Ends the current line, if one was started with Write.
    static void EndLine()
    {
        std::lock_guard lock(mutex_);
        if (mid_line_)
            std::cout << '\n' << std::flush;
        mid_line_ = false;
    }

private:
    static inline std::mutex mutex_;
    static inline bool mid_line_ = false;
};

class AsyncDemo {
public:
    // The synchronous method that the sample calls asynchronously. It sleeps
    // to stand for work that takes a while, and reports the thread it ran on
    // through an out parameter.
    std::string TestMethod(int callDuration, int& threadId)
    {
        Console::WriteLine("  Test method begins.");
        std::this_thread::sleep_for(std::chrono::milliseconds(callDuration));
        threadId = ManagedThreadId();
        return "My call time was " + std::to_string(callDuration) + " ms.";
    }
};

// The signature of TestMethod, as a delegate type. int& is an out parameter:
// BeginInvoke copies it, and EndInvoke copies the method's value back into
// the variable passed to EndInvoke.
using AsyncMethodCaller = dotasync::Delegate<std::string(int, int&)>;

constexpr int callDuration = 300;

void ReportResult(int threadId, const std::string& returnValue)
{
    Console::WriteLine("  The call executed on thread " + std::to_string(threadId) + ", with return value \"" +
                       returnValue + "\".");
}

// 1. Block in EndInvoke. The simplest way: the main thread does what it has
// to do, and when it needs the result it calls EndInvoke, which waits for the
// call to finish if it has not yet.
void WaitWithEndInvoke(const AsyncMethodCaller& caller)
{
    Console::WriteLine("1. Blocking in EndInvoke");
    int threadId = 0;
    dotasync::IAsyncResultPtr result = caller.BeginInvoke(callDuration, threadId, {}, {});

    Console::WriteLine("  Main thread " + std::to_string(ManagedThreadId()) + " does some work.");

    // threadId is passed again, to receive the out value.
    std::string returnValue = caller.EndInvoke(threadId, result);
    ReportResult(threadId, returnValue);
}

// 2. Wait on the wait handle. WaitOne can take a time-out, and WaitAll or
// WaitAny can wait for several calls at once; EndInvoke is still needed
// afterwards to get the results, but it no longer blocks.
void WaitWithWaitHandle(const AsyncMethodCaller& caller)
{
    Console::WriteLine("2. Waiting on AsyncWaitHandle()");
    int threadId = 0;
    dotasync::IAsyncResultPtr result = caller.BeginInvoke(callDuration, threadId, {}, {});

    Console::WriteLine("  Main thread " + std::to_string(ManagedThreadId()) + " does some work.");

    result->AsyncWaitHandle().WaitOne();
    Console::WriteLine("  The wait handle was signalled; IsCompleted() is " +
                       std::string(result->IsCompleted() ? "true" : "false") + ".");

    std::string returnValue = caller.EndInvoke(threadId, result);
    ReportResult(threadId, returnValue);
}

// 3. Poll IsCompleted(). Useful when the calling thread has its own loop to
// run (here: printing a dot now and then). The number of rounds is bounded so
// that a call that never ends cannot keep the sample spinning for ever;
// EndInvoke would then simply block.
void WaitByPolling(const AsyncMethodCaller& caller)
{
    Console::WriteLine("3. Polling IsCompleted()");
    int threadId = 0;
    dotasync::IAsyncResultPtr result = caller.BeginInvoke(callDuration, threadId, {}, {});

    Console::WriteLine("  Main thread " + std::to_string(ManagedThreadId()) + " prints a dot every 25 ms:");
    constexpr int maxRounds = 400; // ten seconds, far longer than the call takes
    int rounds = 0;
    while (!result->IsCompleted() && rounds < maxRounds) {
        Console::Write(".");
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
        ++rounds;
    }
    Console::EndLine();

    std::string returnValue = caller.EndInvoke(threadId, result);
    ReportResult(threadId, returnValue);
}

// What section 4 hands to its callback through the state argument. The
// callback has no other way to reach the delegate it must call EndInvoke on,
// nor the text it should print. Copies of a delegate are the same delegate, so
// the copy held here accepts the IAsyncResult that the original began.
struct CallbackState {
    AsyncMethodCaller caller;
    std::string label;
    std::shared_ptr<dotasync::ManualResetEvent> done;
};

// 4. An AsyncCallback. The main thread does not wait for the result at all:
// the callback runs on the pool thread as soon as the method returns, and
// EndInvoke called there returns at once. The main thread only waits, at the
// very end, so that the program does not exit before the callback has run.
void WaitWithCallback(const AsyncMethodCaller& caller)
{
    Console::WriteLine("4. An AsyncCallback with AsyncState()");

    // Shared with the callback: the main thread may return from WaitOne, and
    // leave this function, while Set() is still finishing on the pool thread.
    auto done = std::make_shared<dotasync::ManualResetEvent>(false);

    dotasync::AsyncCallback callback = [](const dotasync::IAsyncResultPtr& ar) {
        const auto& state = std::any_cast<const CallbackState&>(ar->AsyncState());
        int threadId = 0;
        try {
            std::string returnValue = state.caller.EndInvoke(threadId, ar);
            Console::WriteLine("  The callback runs on thread " + std::to_string(ManagedThreadId()) + ". " +
                               state.label);
            ReportResult(threadId, returnValue);
        } catch (const std::exception& e) {
            // An exception must not escape a callback on the default runtime:
            // it would end the process, as on a .NET thread-pool thread.
            Console::WriteLine(std::string("  The call failed: ") + e.what());
        }
        state.done->Set();
    };

    int threadId = 0; // BeginInvoke needs the argument; the callback gets the value
    caller.BeginInvoke(callDuration, threadId, callback,
                       CallbackState{caller, "It found the delegate and this text in AsyncState().", done});

    Console::WriteLine("  Main thread " + std::to_string(ManagedThreadId()) + " does some work.");

    // A generous time-out: the call takes 300 ms, so ten seconds only runs
    // out if something is badly wrong.
    if (!done->WaitOne(std::chrono::seconds(10)))
        throw dotasync::TimeoutException("The callback did not run within ten seconds.");
}

} // namespace

int main()
{
    try {
        AsyncDemo demo;
        // The delegate calls TestMethod on the demo object. It runs on the
        // default runtime's threads, because no executor was given.
        AsyncMethodCaller caller(
            [&demo](int duration, int& threadId) { return demo.TestMethod(duration, threadId); });

        Console::WriteLine("Main thread is thread " + std::to_string(ManagedThreadId()) + ".");
        WaitWithEndInvoke(caller);
        WaitWithWaitHandle(caller);
        WaitByPolling(caller);
        WaitWithCallback(caller);
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "delegate_four_ways: " << e.what() << '\n';
        return 1;
    }
}
