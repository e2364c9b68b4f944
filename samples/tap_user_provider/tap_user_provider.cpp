// The task-based pattern (TAP): one GetUserAsync, used three ways.
//
// .NET's walk-through awaits the task:
//
//   static async Task FetchAndPrintUser(int userId)
//   {
//       User user = await provider.GetUserAsync(userId);
//       Console.WriteLine(user.Name);
//   }
//
// In dotasync the task is the Asio operation itself, so the caller picks how
// to wait for it with the completion token: asio::use_awaitable in a
// coroutine (the await above), asio::use_future from a plain thread (.NET's
// task.Result), or a callback (.NET's ContinueWith). A CancellationToken ends
// a lookup early with OperationCanceledException.
#include "user_service.hpp"

#include <dotasync/dotasync.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>
#include <exception>
#include <future>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using user_service::UserService;
using user_service::User;

namespace {

std::string NameOf(const std::optional<User>& user)
{
    return user ? user->Name : std::string("(no such user)");
}

// 1. The walk-through's method, as a coroutine.
asio::awaitable<void> FetchAndPrintUser(const UserService& provider, int userId)
{
    std::optional<User> user = co_await provider.GetUserAsync(userId, asio::use_awaitable);
    std::cout << NameOf(user) << '\n';
}

// 4. A lookup given up after 50 ms; the service takes 200 ms.
asio::awaitable<void> FetchWithTimeout(const UserService& provider, int userId)
{
    dotasync::CancellationTokenSource cts;
    cts.CancelAfter(50ms);
    try {
        std::optional<User> user = co_await provider.GetUserAsync(userId, cts.Token(), asio::use_awaitable);
        std::cout << "   unexpectedly finished: " << NameOf(user) << '\n';
    } catch (const dotasync::OperationCanceledException& e) {
        std::cout << "   OperationCanceledException: " << e.what() << '\n';
    }
}

void RunCoroutine(asio::awaitable<void> body)
{
    asio::io_context io;
    auto done = asio::co_spawn(io, std::move(body), asio::use_future);
    io.run();
    done.get();
}

} // namespace

int main()
{
    try {
        const UserService provider;

        std::cout << "1. co_await: FetchAndPrintUser(100) prints\n   ";
        RunCoroutine(FetchAndPrintUser(provider, 100));

        std::cout << "2. use_future: GetUserAsync(101, asio::use_future).get() is ";
        std::cout << NameOf(provider.GetUserAsync(101, asio::use_future).get()) << '\n';

        std::cout << "3. callback: GetUserAsync(42, handler) reports ";
        // Shared with the handler, which may outlive main's wait if that
        // times out.
        auto reported = std::make_shared<std::promise<std::string>>();
        provider.GetUserAsync(42, [reported](std::exception_ptr error, std::optional<User> user) {
            reported->set_value(error ? std::string("an error") : NameOf(user));
        });
        auto text = reported->get_future();
        if (text.wait_for(10s) != std::future_status::ready)
            throw dotasync::TimeoutException("The lookup did not complete within ten seconds.");
        std::cout << text.get() << '\n';

        std::cout << "4. cancellation: CancelAfter(50ms) on a 200 ms lookup\n";
        RunCoroutine(FetchWithTimeout(provider, 100));
        return 0;
    } catch (const std::exception& e) {
        std::cout << "tap_user_provider: " << e.what() << '\n';
        return 1;
    }
}
