// Breakfast, the .NET documentation's walk-through of async and await: the
// eggs, the bacon and the toast are started at once as hot tasks, and a
// Task::WhenAny loop serves each dish as it is ready, removing it from the
// std::vector<TaskOf<void>> it waits on, while none of the others is canceled.
//
// Every step runs on one io_context on this thread, so the lines come out in
// one order, the order .NET prints them in. The waits are a tenth of the
// documentation's (300 ms instead of 3 s). Exits 0 when every dish was served
// once, in the expected order.
#include <dotasync/dotasync.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

using namespace dotasync;
namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;

namespace {

constexpr std::chrono::milliseconds step{300};

struct Egg {};
struct Bacon {};
struct Toast {};

awaitable<void> wait_a_step()
{
    co_await Task::Delay(co_await asio::this_coro::executor, step, use_awaitable);
}

awaitable<Egg> FryEggsAsync(int howMany)
{
    std::cout << "Warming the egg pan..." << std::endl;
    co_await wait_a_step();
    std::cout << "cracking " << howMany << " eggs" << std::endl;
    std::cout << "cooking the eggs ..." << std::endl;
    co_await wait_a_step();
    std::cout << "Put eggs on plate" << std::endl;
    co_return Egg{};
}

awaitable<Bacon> FryBaconAsync(int slices)
{
    std::cout << "putting " << slices << " slices of bacon in the pan" << std::endl;
    std::cout << "cooking first side of bacon..." << std::endl;
    co_await wait_a_step();
    for (int slice = 0; slice < slices; ++slice)
        std::cout << "flipping a slice of bacon" << std::endl;
    std::cout << "cooking the second side of bacon..." << std::endl;
    co_await wait_a_step();
    std::cout << "Put bacon on plate" << std::endl;
    co_return Bacon{};
}

awaitable<Toast> ToastBreadAsync(int slices)
{
    for (int slice = 0; slice < slices; ++slice)
        std::cout << "Putting a slice of bread in the toaster" << std::endl;
    std::cout << "Start toasting..." << std::endl;
    co_await wait_a_step();
    std::cout << "Remove toast from toaster" << std::endl;
    co_return Toast{};
}

awaitable<Toast> MakeToastWithButterAndJamAsync(int slices)
{
    Toast toast = co_await ToastBreadAsync(slices);
    std::cout << "Putting butter on the toast" << std::endl;
    std::cout << "Putting jam on the toast" << std::endl;
    co_return toast;
}

awaitable<std::vector<std::string>> MakeBreakfast()
{
    auto executor = co_await asio::this_coro::executor;
    std::cout << "Pouring coffee" << std::endl;
    std::cout << "coffee is ready" << std::endl;

    // Started here, hot: each runs whether or not anybody awaits it yet.
    TaskOf<Egg> eggsTask = asio::co_spawn(executor, FryEggsAsync(2), use_task);
    TaskOf<Bacon> baconTask = asio::co_spawn(executor, FryBaconAsync(3), use_task);
    TaskOf<Toast> toastTask = asio::co_spawn(executor, MakeToastWithButterAndJamAsync(2), use_task);

    std::vector<std::string> served;
    std::vector<TaskOf<void>> breakfastTasks{eggsTask, baconTask, toastTask};
    while (!breakfastTasks.empty()) {
        TaskOf<void> finishedTask = co_await Task::WhenAny(breakfastTasks, use_awaitable);
        std::string dish = finishedTask == eggsTask ? "eggs" : finishedTask == baconTask ? "bacon" : "toast";
        std::cout << (dish == "eggs" ? "eggs are ready" : dish + " is ready") << std::endl;
        // Rethrows what the dish failed with, as .NET's await finishedTask.
        co_await finishedTask.async_wait(use_awaitable);
        std::erase(breakfastTasks, finishedTask);
        served.push_back(dish);
    }

    std::cout << "Pouring orange juice" << std::endl;
    std::cout << "oj is ready" << std::endl;
    std::cout << "Breakfast is ready!" << std::endl;
    co_return served;
}

} // namespace

int main()
{
    try {
        asio::io_context io;
        TaskOf<std::vector<std::string>> breakfast = asio::co_spawn(io, MakeBreakfast(), use_task);
        io.run();
        const auto served = breakfast.Result();
        // The toast needs one step, the eggs and the bacon two each; the eggs
        // went into the pan first.
        const std::vector<std::string> expected{"toast", "eggs", "bacon"};
        if (served != expected) {
            std::cerr << "async_breakfast: the dishes came out in another order" << std::endl;
            return 1;
        }
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "async_breakfast: " << e.what() << std::endl;
        return 1;
    }
}
