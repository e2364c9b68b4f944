// Tests for the sample library: UserService's three faces behave as the
// samples (and the .NET walk-through) say.
#include "user_service.hpp"

#include <dotasync/core/cancellation.hpp>
#include <dotasync/core/exceptions.hpp>
#include <dotasync/core/state_cast.hpp>
#include <dotasync/threading/message_loop_synchronization_context.hpp>

// A test hook of the library, private to it and never installed.
#include "core/detail/cancellation_state.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <future>
#include <optional>
#include <string>
#include <utility>
#include <thread>
#include <vector>

namespace asio = boost::asio;
using namespace user_service;
using namespace std::chrono_literals;

namespace {

constexpr auto generous = 10s;

struct outcome {
    std::optional<User> user;
    bool cancelled = false;
    bool failed = false;
    std::any state;
    bool on_loop = false;
};

} // namespace

BOOST_AUTO_TEST_CASE(async_get_user_finds_known_ids_and_returns_empty_for_unknown_ones)
{
    UserService service(10ms);
    auto adam = service.async_get_user(100, asio::use_future);
    auto nobody = service.async_get_user(42, asio::use_future);
    BOOST_REQUIRE(adam.wait_for(generous) == std::future_status::ready);
    BOOST_REQUIRE(nobody.wait_for(generous) == std::future_status::ready);
    auto user = adam.get();
    BOOST_REQUIRE(user);
    BOOST_TEST(user->Name == "Adam");
    BOOST_TEST(!nobody.get());
}

BOOST_AUTO_TEST_CASE(async_get_user_supports_per_operation_cancellation)
{
    UserService service(1h);
    asio::cancellation_signal signal;
    std::promise<boost::system::error_code> result;
    // The user is taken by reference: g++ 12 with sanitizers warns, wrongly,
    // that moving the empty optional reads an uninitialised User.
    service.async_get_user(100, asio::bind_cancellation_slot(signal.slot(), [&](boost::system::error_code ec,
                                                                               const std::optional<User>&) {
                               result.set_value(ec);
                           }));
    // Emitted on the thread that started the lookup, long before it could
    // complete: Asio's slots are not thread-safe.
    signal.emit(asio::cancellation_type::terminal);
    auto future = result.get_future();
    BOOST_REQUIRE(future.wait_for(generous) == std::future_status::ready);
    BOOST_TEST((future.get() == asio::error::operation_aborted));
}

BOOST_AUTO_TEST_CASE(GetUser_is_synchronous_and_takes_the_lookup_time)
{
    UserService provider(20ms);
    const auto start = std::chrono::steady_clock::now();
    auto user = provider.GetUser(101);
    BOOST_TEST((std::chrono::steady_clock::now() - start >= 20ms));
    BOOST_REQUIRE(user);
    BOOST_TEST(user->Name == "Eve");
    BOOST_TEST(!provider.GetUser(7));
}

BOOST_AUTO_TEST_CASE(GetUserAsync_raises_GetUserCompleted_on_the_loop_for_found_unknown_and_cancelled_lookups)
{
    UserService provider(10ms);
    std::vector<outcome> seen;
    const auto loop_thread = std::this_thread::get_id();
    provider.GetUserCompleted += [&](const std::any& sender, const GetUserCompletedEventArgs& e) {
        outcome o;
        o.state = e.UserState();
        o.cancelled = e.Cancelled();
        o.failed = static_cast<bool>(e.Error());
        if (!o.cancelled && !o.failed)
            o.user = e.Result();
        o.on_loop = std::this_thread::get_id() == loop_thread &&
                    std::any_cast<UserService*>(sender) == &provider;
        seen.push_back(o);
    };
    dotasync::MessageLoopSynchronizationContext::Run([&] {
        provider.GetUserAsync(100);
        BOOST_CHECK_THROW(provider.GetUserAsync(101), dotasync::InvalidOperationException);
        provider.GetUserAsync(42, std::string("unknown"));
        BOOST_CHECK_THROW(provider.GetUserAsync(101, std::string("unknown")), dotasync::ArgumentException);
        provider.GetUserAsync(101, std::string("cancel me"));
        provider.CancelAsync(std::string("cancel me"));
    });
    BOOST_REQUIRE(seen.size() == 3u);
    int found = 0, empty = 0, cancelled = 0;
    for (const auto& o : seen) {
        BOOST_TEST(o.on_loop);
        BOOST_TEST(!o.failed);
        if (o.cancelled) {
            ++cancelled;
            BOOST_TEST(std::any_cast<std::string>(o.state) == "cancel me");
        } else if (o.user) {
            ++found;
            BOOST_TEST(o.user->Name == "Adam");
            BOOST_TEST(!o.state.has_value());
        } else {
            ++empty;
            BOOST_TEST(std::any_cast<std::string>(o.state) == "unknown");
        }
    }
    BOOST_TEST(found == 1);
    BOOST_TEST(empty == 1);
    BOOST_TEST(cancelled == 1);
}

BOOST_AUTO_TEST_CASE(Result_of_a_cancelled_lookup_throws_InvalidOperationException)
{
    GetUserCompletedEventArgs cancelled(std::nullopt, nullptr, true, {});
    BOOST_CHECK_THROW(cancelled.Result(), dotasync::InvalidOperationException);
    GetUserCompletedEventArgs failed(std::nullopt, std::make_exception_ptr(std::runtime_error("down")), false, {});
    BOOST_CHECK_THROW(failed.Result(), dotasync::TargetInvocationException);
}

BOOST_AUTO_TEST_SUITE(tap_user_provider)

BOOST_AUTO_TEST_CASE(GetUserAsync_with_use_future_gives_the_user_or_empty_for_an_unknown_id)
{
    const UserService provider(10ms);
    auto adam = provider.GetUserAsync(100, asio::use_future);
    auto nobody = provider.GetUserAsync(42, asio::use_future);
    BOOST_REQUIRE(adam.wait_for(generous) == std::future_status::ready);
    BOOST_REQUIRE(nobody.wait_for(generous) == std::future_status::ready);
    auto user = adam.get();
    BOOST_REQUIRE(user);
    BOOST_TEST(user->Name == "Adam");
    BOOST_TEST(!nobody.get());
}

BOOST_AUTO_TEST_CASE(GetUserAsync_awaited_in_a_coroutine_gives_the_user)
{
    const UserService provider(10ms);
    asio::io_context io;
    auto name = asio::co_spawn(
        io,
        [&provider]() -> asio::awaitable<std::string> {
            auto user = co_await provider.GetUserAsync(101, asio::use_awaitable);
            co_return user ? user->Name : std::string();
        },
        asio::use_future);
    io.run_for(generous);
    BOOST_REQUIRE(name.wait_for(0s) == std::future_status::ready);
    BOOST_TEST(name.get() == "Eve");
}

BOOST_AUTO_TEST_CASE(GetUserAsync_with_a_callback_passes_no_error_and_the_user)
{
    const UserService provider(10ms);
    std::promise<std::pair<bool, std::optional<User>>> result;
    provider.GetUserAsync(100, [&result](std::exception_ptr error, std::optional<User> user) {
        result.set_value({error != nullptr, std::move(user)});
    });
    auto future = result.get_future();
    BOOST_REQUIRE(future.wait_for(generous) == std::future_status::ready);
    auto [failed, user] = future.get();
    BOOST_TEST(!failed);
    BOOST_REQUIRE(user);
    BOOST_TEST(user->Id == 100);
}

BOOST_AUTO_TEST_CASE(GetUserAsync_cancelled_in_flight_throws_OperationCanceledException_and_releases_the_token)
{
    const UserService provider(1h);
    dotasync::CancellationTokenSource cts;
    auto lookup = provider.GetUserAsync(100, cts.Token(), asio::use_future);
    cts.Cancel();
    BOOST_REQUIRE(lookup.wait_for(generous) == std::future_status::ready);
    BOOST_CHECK_THROW(lookup.get(), dotasync::OperationCanceledException);
    BOOST_TEST(dotasync::detail::registration_count(cts.Token()) == 0u);
}

BOOST_AUTO_TEST_CASE(GetUserAsync_with_an_already_cancelled_token_throws_OperationCanceledException)
{
    const UserService provider(1h);
    dotasync::CancellationTokenSource cts;
    cts.Cancel();
    auto lookup = provider.GetUserAsync(100, cts.Token(), asio::use_future);
    BOOST_REQUIRE(lookup.wait_for(generous) == std::future_status::ready);
    BOOST_CHECK_THROW(lookup.get(), dotasync::OperationCanceledException);
}

BOOST_AUTO_TEST_CASE(GetUserAsync_that_finishes_first_is_not_affected_by_a_later_cancel)
{
    const UserService provider(1ms);
    dotasync::CancellationTokenSource cts;
    auto lookup = provider.GetUserAsync(101, cts.Token(), asio::use_future);
    BOOST_REQUIRE(lookup.wait_for(generous) == std::future_status::ready);
    cts.Cancel();
    auto user = lookup.get();
    BOOST_REQUIRE(user);
    BOOST_TEST(user->Name == "Eve");
    BOOST_TEST(dotasync::detail::registration_count(cts.Token()) == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(apm_face)

BOOST_AUTO_TEST_CASE(BeginGetUser_then_EndGetUser_gives_the_user_and_the_callback_the_state)
{
    const UserService service(10ms);
    std::promise<std::pair<std::string, std::string>> done;
    service.BeginGetUser(
        101,
        [&](const dotasync::IAsyncResultPtr& ar) {
            done.set_value({service.EndGetUser(ar)->Name, dotasync::state_cast<std::string>(ar->AsyncState())});
        },
        "lookup of Eve");
    auto future = done.get_future();
    BOOST_REQUIRE(future.wait_for(generous) == std::future_status::ready);
    auto [name, state] = future.get();
    BOOST_TEST(name == "Eve");
    BOOST_TEST(state == "lookup of Eve");
}

BOOST_AUTO_TEST_CASE(EndGetUser_refuses_another_services_result_a_second_End_and_nullptr)
{
    const UserService first(1ms);
    const UserService second(1ms);
    auto ar = first.BeginGetUser(100, {}, nullptr);
    BOOST_TEST(!ar->AsyncState().has_value());
    BOOST_CHECK_THROW(second.EndGetUser(ar), dotasync::InvalidOperationException);
    BOOST_TEST(first.EndGetUser(ar)->Name == "Adam");
    BOOST_CHECK_THROW(first.EndGetUser(ar), dotasync::InvalidOperationException);
    BOOST_CHECK_THROW(first.EndGetUser(nullptr), dotasync::ArgumentNullException);
}

BOOST_AUTO_TEST_CASE(A_string_userState_starts_the_EAP_face_and_a_completion_token_the_TAP_face)
{
    UserService service(1ms);
    std::promise<std::string> raised;
    service.GetUserCompleted += [&](const std::any&, const GetUserCompletedEventArgs& e) {
        raised.set_value(dotasync::state_cast<std::string>(e.UserState()));
    };
    service.GetUserAsync(100, "a literal");
    auto eap = raised.get_future();
    BOOST_REQUIRE(eap.wait_for(generous) == std::future_status::ready);
    BOOST_TEST(eap.get() == "a literal");
    auto tap = service.GetUserAsync(101, asio::use_future);
    BOOST_REQUIRE(tap.wait_for(generous) == std::future_status::ready);
    BOOST_TEST(tap.get()->Name == "Eve");
}

BOOST_AUTO_TEST_SUITE_END()
