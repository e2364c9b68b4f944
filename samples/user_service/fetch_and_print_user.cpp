// The walk-through's FetchAndPrintUser(100), once per pattern, over the one
// UserService: APM (BeginGetUser/EndGetUser), EAP (GetUserAsync +
// GetUserCompleted) and TAP (co_await GetUserAsync). Each prints what the
// .NET program prints:
//
//   Id: 100
//   Name: Adam
//
// .NET's versions, for comparison:
//
//   // APM
//   provider.BeginGetUser(userId, ar => {
//       var user = provider.EndGetUser(ar);
//       Console.WriteLine($"Id: {user.Id}\nName: {user.Name}");
//       ((ManualResetEvent)ar.AsyncState).Set();
//   }, done);
//
//   // EAP
//   provider.GetUserCompleted += (sender, args) => {
//       var result = args.Result;
//       Console.WriteLine($"Id: {result.Id}\nName: {result.Name}");
//   };
//   provider.GetUserAsync(userId);
//
//   // TAP
//   var user = await provider.GetUserAsync(userId);
//   Console.WriteLine($"Id: {user.Id}\nName: {user.Name}");
#include "user_service.hpp"

#include <dotasync/dotasync.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <iostream>
#include <optional>
#include <string>

namespace asio = boost::asio;
using user_service::GetUserCompletedEventArgs;
using user_service::User;
using user_service::UserService;

namespace {

void Print(const std::optional<User>& user)
{
    // .NET would throw NullReferenceException on an unknown id.
    if (!user)
        throw dotasync::InvalidOperationException("No user has that id.");
    std::cout << "Id: " << user->Id << "\nName: " << user->Name << '\n' << std::flush;
}

// APM: the callback ends the lookup, prints, and signals the event it finds
// in the state.
void FetchAndPrintUserApm(const UserService& service, int userId)
{
    dotasync::ManualResetEvent done(false);
    service.BeginGetUser(
        userId,
        [&service](const dotasync::IAsyncResultPtr& ar) {
            Print(service.EndGetUser(ar));
            dotasync::state_cast<dotasync::ManualResetEvent*>(ar->AsyncState())->Set();
        },
        &done);
    if (!done.WaitOne(std::chrono::seconds(10)))
        throw dotasync::TimeoutException("The APM lookup did not complete within ten seconds.");
}

// EAP: the handler runs on the message loop that called GetUserAsync; Run
// returns once no lookup is left in flight.
void FetchAndPrintUserEap(UserService& service, int userId)
{
    dotasync::MessageLoopSynchronizationContext::Run([&] {
        service.GetUserCompleted += [](const std::any&, const GetUserCompletedEventArgs& args) {
            Print(args.Result());
        };
        service.GetUserAsync(userId);
    });
}

// TAP: a coroutine awaits the lookup.
asio::awaitable<void> FetchAndPrintUserTap(const UserService& service, int userId)
{
    std::optional<User> user = co_await service.GetUserAsync(userId, asio::use_awaitable);
    Print(user);
}

} // namespace

int main()
{
    try {
        UserService service;

        FetchAndPrintUserApm(service, 100);

        FetchAndPrintUserEap(service, 100);

        asio::io_context io;
        auto finished = asio::co_spawn(io, FetchAndPrintUserTap(service, 100), asio::use_future);
        io.run();
        finished.get();
    } catch (const std::exception& e) {
        std::cerr << "user_service: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
