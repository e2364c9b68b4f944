// The event-based asynchronous pattern (EAP), from a console program's
// message loop.
//
// .NET's walk-through calls FetchAndPrintUser(100) from a UI thread:
//
//   static void FetchAndPrintUser(int userId)
//   {
//       provider.GetUserCompleted += (sender, args) => Console.WriteLine(args.Result.Name);
//       provider.GetUserAsync(userId);
//   }
//
// GetUserAsync returns at once; the lookup runs elsewhere; GetUserCompleted is
// raised back on the UI thread, so the handler may touch what that thread
// owns without locks. Here MessageLoopSynchronizationContext::Run plays the
// UI thread: it runs the lambda given to it and then every event, on the
// main thread, and returns when no lookup is left in flight.
//
// The program then shows lookups running side by side (each with its own
// userState), an unknown id, a rejected duplicate userState, a cancelled
// lookup, and the synchronous GetUser.
#include "user_service.hpp"

#include <dotasync/dotasync.hpp>

#include <any>
#include <atomic>
#include <exception>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>

using user_service::UserService;
using user_service::GetUserCompletedEventArgs;

namespace {

// A small number per thread, in the order threads first print, like .NET's
// ManagedThreadId; easier to read than std::thread::id.
int ManagedThreadId()
{
    static std::atomic<int> next{1};
    thread_local const int id = next.fetch_add(1);
    return id;
}

void WriteLine(const std::string& line)
{
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    std::cout << "[thread " << ManagedThreadId() << "] " << line << '\n' << std::flush;
}

std::string label(const std::any& userState)
{
    if (!userState.has_value())
        return "(no userState)";
    // Appending, rather than "\"" + std::string(...), sidesteps a false
    // -Wrestrict warning that g++ 12 gives for that expression at -O3.
    // The states are string literals; state_cast reads them as .NET's
    // (string)userState would.
    std::string quoted = "\"";
    quoted += dotasync::state_cast<std::string>(userState);
    quoted += '"';
    return quoted;
}

// Prints one completion; runs on the loop thread.
void Print(const GetUserCompletedEventArgs& e, int loopThread)
{
    const std::string on_loop = ManagedThreadId() == loopThread ? "yes" : "NO";
    std::string what;
    if (e.Cancelled()) {
        what = "cancelled";
    } else if (e.Error()) {
        try {
            std::rethrow_exception(e.Error());
        } catch (const std::exception& ex) {
            what = std::string("failed: ") + ex.what();
        }
    } else if (const auto& user = e.Result()) {
        what = "user " + std::to_string(user->Id) + " is " + user->Name;
    } else {
        what = "no such user (Result() is empty)";
    }
    WriteLine("  GetUserCompleted " + label(e.UserState()) + ": " + what + "; on the loop thread: " + on_loop);
}

void FetchAndPrintUser(UserService& provider, int userId)
{
    const int loopThread = ManagedThreadId();
    provider.GetUserCompleted += [loopThread](const std::any&, const GetUserCompletedEventArgs& e) {
        Print(e, loopThread);
    };
    provider.GetUserAsync(userId);
}

} // namespace

int main()
{
    // The provider outlives the loop: in C++ nothing keeps an object alive
    // for the lookups it has started, as .NET's garbage collector does.
    UserService provider;
    int step = 0;
    int in_flight = 0;

    try {
        dotasync::MessageLoopSynchronizationContext::Run([&] {
            WriteLine("1. FetchAndPrintUser(100) from the message loop");
            FetchAndPrintUser(provider, 100);
            WriteLine("   GetUserAsync returned; the loop goes on running");

            // Each completion starts the next step, as a UI would react to it.
            provider.GetUserCompleted += [&](const std::any&, const GetUserCompletedEventArgs&) {
                if (step == 0) {
                    step = 1;
                    WriteLine("2. two lookups in flight at once, told apart by userState");
                    provider.GetUserAsync(101, "eve");
                    provider.GetUserAsync(42, "nobody");
                    in_flight = 2;
                    try {
                        provider.GetUserAsync(100, "eve");
                    } catch (const dotasync::ArgumentException& ex) {
                        WriteLine(std::string("   a third with userState \"eve\" is refused: ") + ex.what());
                    }
                } else if (step == 1 && --in_flight == 0) {
                    step = 2;
                    WriteLine("3. a lookup cancelled with CancelAsync(userState)");
                    provider.GetUserAsync(100, "impatient");
                    provider.CancelAsync("impatient");
                }
            };
        });
        WriteLine("the loop has returned: no lookup is left in flight");

        WriteLine("4. the synchronous GetUser(101) blocks this thread for the lookup time");
        const auto user = provider.GetUser(101);
        WriteLine("   GetUser returned " + (user ? user->Name : std::string("nothing")));
    } catch (const std::exception& e) {
        WriteLine(std::string("eap_user_provider: ") + e.what());
        return 1;
    }
    return 0;
}
