// Bridges between the asynchronous patterns, as .NET offers them.
//
//   1. APM -> TAP: a legacy class with BeginReadTemperature/EndReadTemperature
//      is awaited with co_await through TaskFactory::FromAsync.
//   2. TAP -> APM: an asio::awaitable is handed to code written against
//      IAsyncResult (a callback, AsyncState(), an End method) through
//      TaskToAsyncResult::Begin/End. An operation that is already finished
//      completes synchronously, with the callback run inline.
//   3. Callbacks -> TAP: an API that reports through a callback, on a thread
//      of its own, becomes an awaitable operation with TaskCompletionSource.
//   4. EAP -> TAP: UserService's GetUserAsync/GetUserCompleted pair
//      becomes an awaitable operation the same way, with the event handler
//      in the callback's place.
//
// The coroutines run on an io_context driven by the main thread; section 2
// is plain APM code, which blocks the main thread while it waits.
#include "user_service.hpp"

#include <dotasync/dotasync.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <any>
#include <chrono>
#include <exception>
#include <functional>
#include <optional>
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using dotasync::AsyncCallback;
using dotasync::IAsyncResultPtr;

namespace {

std::string yes_no(bool value)
{
    return value ? "true" : "false";
}

// 1. Legacy code: the APM pair of a sensor driver, written long ago with a
// delegate. Sensor numbers start at 1.
class LegacyTemperatureSensor {
public:
    IAsyncResultPtr BeginReadTemperature(int sensor, AsyncCallback callback, std::any state)
    {
        if (sensor < 1)
            throw dotasync::ArgumentOutOfRangeException("sensor", "Sensor numbers start at 1.");
        return read_.BeginInvoke(sensor, std::move(callback), std::move(state));
    }

    double EndReadTemperature(const IAsyncResultPtr& ar) { return read_.EndInvoke(ar); }

private:
    dotasync::Delegate<double(int)> read_{[](int sensor) {
        std::this_thread::sleep_for(20ms); // the bus is slow
        if (sensor == 13)
            throw std::runtime_error("sensor 13 does not answer");
        return 19.5 + sensor;
    }};
};

// The legacy pair as one awaitable operation.
auto ReadTemperatureAsync(LegacyTemperatureSensor& device, int sensor)
{
    return dotasync::TaskFactory::FromAsync(
        [&device](int s, AsyncCallback callback, std::any state) {
            return device.BeginReadTemperature(s, std::move(callback), std::move(state));
        },
        [&device](const IAsyncResultPtr& ar) { return device.EndReadTemperature(ar); }, sensor,
        asio::use_awaitable);
}

asio::awaitable<void> AwaitLegacyApm()
{
    std::cout << "1. FromAsync: co_await over BeginReadTemperature/EndReadTemperature\n";
    LegacyTemperatureSensor device;
    double first = co_await ReadTemperatureAsync(device, 1);
    double second = co_await ReadTemperatureAsync(device, 2);
    std::cout << "   sensor 1: " << first << " C, sensor 2: " << second << " C\n";
    try {
        co_await ReadTemperatureAsync(device, 13);
    } catch (const std::runtime_error& e) {
        // EndReadTemperature's exception arrives with its own type.
        std::cout << "   sensor 13: std::runtime_error: " << e.what() << '\n';
    }
}

// 2. New code, written as a coroutine ...
asio::awaitable<std::string> DescribeAsync(double celsius)
{
    asio::steady_timer pause(co_await asio::this_coro::executor, 10ms);
    co_await pause.async_wait(asio::use_awaitable);
    std::ostringstream text;
    text << celsius << " C is " << celsius * 9 / 5 + 32 << " F";
    co_return text.str();
}

// ... offered to callers that still speak APM.
class Describer {
public:
    IAsyncResultPtr BeginDescribe(double celsius, AsyncCallback callback, std::any state)
    {
        return dotasync::TaskToAsyncResult::Begin(DescribeAsync(celsius), std::move(callback), std::move(state));
    }

    std::string EndDescribe(const IAsyncResultPtr& ar) { return dotasync::TaskToAsyncResult::End<std::string>(ar); }

    // An answer that is known at once: the operation is finished before
    // Begin returns, as a cached .NET Task.FromResult would be.
    IAsyncResultPtr BeginDescribeFreezing(AsyncCallback callback, std::any state)
    {
        return dotasync::TaskToAsyncResult::Begin(dotasync::Task::FromResult(std::string("0 C is 32 F"), asio::deferred),
                                                  std::move(callback), std::move(state));
    }
};

// What the APM caller hands to its callback.
struct DescribeState {
    Describer* describer;
    std::string label;
    std::shared_ptr<dotasync::ManualResetEvent> done;
};

void HandToApmCode()
{
    std::cout << "2. TaskToAsyncResult: an awaitable handed to APM code\n";
    Describer describer;
    auto done = std::make_shared<dotasync::ManualResetEvent>(false);
    AsyncCallback callback = [](const IAsyncResultPtr& ar) {
        const auto& state = std::any_cast<const DescribeState&>(ar->AsyncState());
        std::cout << "   callback for " << state.label << ": \"" << state.describer->EndDescribe(ar)
                  << "\", CompletedSynchronously() = " << yes_no(ar->CompletedSynchronously()) << '\n';
        state.done->Set();
    };

    IAsyncResultPtr ar = describer.BeginDescribe(21.5, callback, DescribeState{&describer, "21.5", done});
    std::cout << "   BeginDescribe returned; IsCompleted() = " << yes_no(ar->IsCompleted()) << '\n';
    if (!done->WaitOne(10s))
        throw dotasync::TimeoutException("The callback did not run within ten seconds.");

    auto freezing = describer.BeginDescribeFreezing(callback, DescribeState{&describer, "0", done});
    std::cout << "   BeginDescribeFreezing returned after its callback; CompletedSynchronously() = "
              << yes_no(freezing->CompletedSynchronously()) << '\n';
}

// 3. A callback API: it answers on a thread of its own, with either a value
// or an error message.
class LegacyGeocoder {
public:
    ~LegacyGeocoder()
    {
        for (auto& t : threads_)
            t.join();
    }

    void Lookup(std::string city, std::function<void(double latitude, double longitude, std::string error)> done)
    {
        threads_.emplace_back([city = std::move(city), done = std::move(done)] {
            std::this_thread::sleep_for(10ms);
            if (city == "Paris")
                done(48.86, 2.35, {});
            else
                done(0, 0, "unknown city '" + city + "'");
        });
    }

private:
    std::vector<std::thread> threads_;
};

struct Location {
    double latitude = 0;
    double longitude = 0;
};

// The callback completes a TaskCompletionSource; the caller awaits its Task.
auto LookupAsync(LegacyGeocoder& geocoder, std::string city)
{
    dotasync::TaskCompletionSource<Location> tcs;
    geocoder.Lookup(std::move(city), [tcs](double latitude, double longitude, std::string error) mutable {
        if (error.empty())
            tcs.SetResult(Location{latitude, longitude});
        else
            tcs.SetException(std::make_exception_ptr(dotasync::ArgumentException(error, "city")));
    });
    return tcs.Task(asio::use_awaitable);
}

asio::awaitable<void> AwaitCallbackApi()
{
    std::cout << "3. TaskCompletionSource: co_await over a callback API\n";
    LegacyGeocoder geocoder;
    Location paris = co_await LookupAsync(geocoder, "Paris");
    std::cout << "   Paris is at " << paris.latitude << ", " << paris.longitude << '\n';
    try {
        co_await LookupAsync(geocoder, "Atlantis");
    } catch (const dotasync::ArgumentException& e) {
        std::cout << "   Atlantis: ArgumentException: " << e.what() << '\n';
    }

}

// 4. An EAP method wrapped as .NET wraps one in a task: a fresh userState
// picks this call's completion out of every GetUserCompleted raised, the
// handler unsubscribes itself and settles the TaskCompletionSource.
auto GetUserTaskAsync(user_service::UserService& provider, int userId)
{
    using user_service::GetUserCompletedEventArgs;
    dotasync::TaskCompletionSource<std::optional<user_service::User>> tcs;
    // userStates held in a shared_ptr<void> compare by address: unique per call.
    std::shared_ptr<void> key = std::make_shared<char>();
    auto subscription = std::make_shared<dotasync::Event<GetUserCompletedEventArgs>::Subscription>();
    *subscription = provider.GetUserCompleted += [&provider, tcs, key, subscription](
                                                     const std::any&, const GetUserCompletedEventArgs& e) mutable {
        const auto* state = std::any_cast<std::shared_ptr<void>>(&e.UserState());
        if (state == nullptr || *state != key)
            return; // another call's completion
        provider.GetUserCompleted -= *subscription;
        if (e.Cancelled())
            tcs.TrySetCanceled();
        else if (e.Error())
            tcs.TrySetException(e.Error());
        else
            tcs.TrySetResult(e.Result());
    };
    try {
        provider.GetUserAsync(userId, key);
    } catch (...) {
        provider.GetUserCompleted -= *subscription;
        throw;
    }
    return tcs.Task(asio::use_awaitable);
}

asio::awaitable<void> AwaitEapMethod()
{
    std::cout << "4. TaskCompletionSource: co_await over GetUserAsync/GetUserCompleted\n";
    user_service::UserService provider;
    auto adam = co_await GetUserTaskAsync(provider, 100);
    auto nobody = co_await GetUserTaskAsync(provider, 42);
    std::cout << "   user 100 is " << (adam ? adam->Name : "nobody") << "; user 42 "
              << (nobody ? "exists" : "does not exist") << "; handlers left subscribed: "
              << provider.GetUserCompleted.handler_count() << '\n';
}

// Runs one coroutine on an io_context driven by the calling thread, and
// rethrows what it threw.
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
        RunCoroutine(AwaitLegacyApm());
        HandToApmCode();
        RunCoroutine(AwaitCallbackApi());
        RunCoroutine(AwaitEapMethod());
        return 0;
    } catch (const std::exception& e) {
        std::cout << "bridges: " << e.what() << '\n';
        return 1;
    }
}
