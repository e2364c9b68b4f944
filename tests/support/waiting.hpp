// What tests that wait share: one generous time-out, waits that fail the test
// instead of hanging, and checks of what an exception_ptr holds.
//
// The time-out is long on purpose: it only bounds a test that would otherwise
// hang, and a loaded machine must never turn a slow pass into a failure.
// Call these from the test's main thread: Boost.Test assertions are not
// thread-safe.
#pragma once

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <exception>
#include <future>

namespace dotasync_test {

// Tests that use this namespace write their durations as literals.
using namespace std::chrono_literals;

inline constexpr std::chrono::seconds generous{10};

// The future's value, once ready; fails the test if it is not within the
// generous time-out.
template <class T>
T get_within(std::future<T>& future)
{
    BOOST_REQUIRE(future.wait_for(generous) == std::future_status::ready);
    return future.get();
}

template <class T>
T get_within(std::future<T>&& future)
{
    return get_within(future);
}

// Whether error holds an E (or a type derived from it).
template <class E>
bool holds(const std::exception_ptr& error)
{
    if (!error)
        return false;
    try {
        std::rethrow_exception(error);
    } catch (const E&) {
        return true;
    } catch (...) {
        return false;
    }
}

// read(e) for the E that error holds (or a type derived from it); fallback
// when error is null or holds something else.
template <class E, class Read, class R>
R read_as(const std::exception_ptr& error, Read read, R fallback)
{
    if (!error)
        return fallback;
    try {
        std::rethrow_exception(error);
    } catch (const E& e) {
        return read(e);
    } catch (...) {
    }
    return fallback;
}

// The exception f throws, or null when it returns.
template <class F>
std::exception_ptr exception_of(F&& f)
{
    try {
        f();
    } catch (...) {
        return std::current_exception();
    }
    return nullptr;
}

} // namespace dotasync_test
