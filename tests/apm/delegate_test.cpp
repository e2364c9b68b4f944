#include <dotasync/apm/delegate.hpp>

#include <dotasync/core/exceptions.hpp>

#include "support/waiting.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>

namespace asio = boost::asio;
using namespace dotasync;
using namespace dotasync_test;

namespace {


int add(int a, int b)
{
    return a + b;
}

} // namespace

BOOST_AUTO_TEST_SUITE(invoke)

BOOST_AUTO_TEST_CASE(Invoke_runs_the_target_on_the_calling_thread)
{
    Delegate<std::thread::id()> which([] { return std::this_thread::get_id(); });
    BOOST_TEST((which.Invoke() == std::this_thread::get_id()));
}

BOOST_AUTO_TEST_CASE(Invoke_passes_references_through)
{
    Delegate<void(int&)> increment([](int& value) { ++value; });
    int value = 1;
    increment.Invoke(value);
    BOOST_TEST(value == 2);
}

BOOST_AUTO_TEST_CASE(A_null_target_throws_ArgumentNullException)
{
    int (*none)(int, int) = nullptr;
    BOOST_CHECK_THROW((Delegate<int(int, int)>(none)), ArgumentNullException);
    BOOST_CHECK_THROW((Delegate<void()>(std::function<void()>())), ArgumentNullException);
}

BOOST_AUTO_TEST_CASE(An_empty_executor_throws_ArgumentNullException)
{
    BOOST_CHECK_EXCEPTION((Delegate<int()>(boost::asio::any_io_executor(), [] { return 1; })), ArgumentNullException,
                          [](const ArgumentNullException& e) { return e.ParamName() == "executor"; });
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(begin_and_end_invoke)

BOOST_AUTO_TEST_CASE(BeginInvoke_runs_a_function_pointer_on_a_pool_thread_and_EndInvoke_returns_its_value)
{
    Delegate<int(int, int)> d(&add);
    Delegate<std::thread::id()> where([] { return std::this_thread::get_id(); });
    BOOST_TEST(d.EndInvoke(d.BeginInvoke(2, 3, {}, {})) == 5);
    BOOST_TEST((where.EndInvoke(where.BeginInvoke({}, {})) != std::this_thread::get_id()));
}

BOOST_AUTO_TEST_CASE(BeginInvoke_copies_its_arguments)
{
    std::promise<void> release;
    auto released = release.get_future().share();
    Delegate<std::string(std::string)> echo([released](std::string s) {
        released.wait_for(generous);
        return s;
    });
    std::string text = "original";
    auto ar = echo.BeginInvoke(text, {}, {});
    text = "changed after Begin";
    release.set_value();
    BOOST_TEST(echo.EndInvoke(ar) == "original");
}

BOOST_AUTO_TEST_CASE(Out_parameters_are_copied_back_by_EndInvoke)
{
    Delegate<std::string(int, int&)> test_method([](int duration, int& thread_id) {
        thread_id = duration * 10;
        return "took " + std::to_string(duration);
    });
    int thread_id = 0;
    auto ar = test_method.BeginInvoke(3, thread_id, {}, {});
    std::string result = test_method.EndInvoke(thread_id, ar);
    BOOST_TEST(result == "took 3");
    BOOST_TEST(thread_id == 30);
}

BOOST_AUTO_TEST_CASE(Ref_parameters_carry_the_value_in_and_the_new_value_out)
{
    Delegate<void(std::string&, const std::string&, int&)> update(
        [](std::string& text, const std::string& suffix, int& count) {
            text += suffix;
            count += 1;
        });
    std::string text = "in";
    int count = 41;
    auto ar = update.BeginInvoke(text, "+out", count, {}, {});
    // Until EndInvoke, the caller's variables are untouched: BeginInvoke copied them.
    BOOST_REQUIRE(ar->AsyncWaitHandle().WaitOne(std::chrono::milliseconds(generous)));
    BOOST_TEST(text == "in");
    update.EndInvoke(text, count, ar);
    BOOST_TEST(text == "in+out");
    BOOST_TEST(count == 42);
}

BOOST_AUTO_TEST_CASE(Move_only_arguments_and_targets_work)
{
    auto owned = std::make_unique<int>(5);
    Delegate<int(std::unique_ptr<int>)> take([bonus = std::make_unique<int>(1)](std::unique_ptr<int> p) {
        return *p + *bonus;
    });
    auto ar = take.BeginInvoke(std::move(owned), {}, {});
    BOOST_TEST(take.EndInvoke(ar) == 6);
}

BOOST_AUTO_TEST_CASE(An_exception_thrown_by_the_target_comes_out_of_EndInvoke_unchanged)
{
    Delegate<int(int)> fail([](int code) -> int { throw ArgumentOutOfRangeException("code", std::to_string(code)); });
    bool called_back = false;
    std::promise<void> callback_done;
    auto ar = fail.BeginInvoke(
        7,
        [&](const IAsyncResultPtr&) {
            called_back = true;
            callback_done.set_value();
        },
        {});
    try {
        fail.EndInvoke(ar);
        BOOST_FAIL("EndInvoke did not throw");
    } catch (const ArgumentOutOfRangeException& e) {
        BOOST_TEST(e.ParamName() == "code");
        BOOST_TEST(std::string(e.what()).find('7') != std::string::npos);
    }
    BOOST_REQUIRE(callback_done.get_future().wait_for(generous) == std::future_status::ready);
    BOOST_TEST(called_back);
}

BOOST_AUTO_TEST_CASE(EndInvoke_of_a_target_that_threw_leaves_the_out_arguments_untouched)
{
    Delegate<void(int&)> fail([](int& out) {
        out = 9;
        throw InvalidOperationException("after writing the out parameter");
    });
    int out = 0;
    auto ar = fail.BeginInvoke(out, {}, {});
    BOOST_CHECK_THROW(fail.EndInvoke(out, ar), InvalidOperationException);
    // .NET does not copy back out parameters of a call that threw.
    BOOST_TEST(out == 0);
}

BOOST_AUTO_TEST_CASE(The_callback_runs_after_the_target_with_the_state)
{
    Delegate<int()> answer([] { return 42; });
    std::promise<std::pair<int, std::string>> seen;
    answer.BeginInvoke(
        [&](const IAsyncResultPtr& r) {
            seen.set_value({answer.EndInvoke(r), std::any_cast<std::string>(r->AsyncState())});
        },
        std::string("state"));
    auto [value, state] = get_within(seen.get_future());
    BOOST_TEST(value == 42);
    BOOST_TEST(state == "state");
}

BOOST_AUTO_TEST_CASE(EndInvoke_called_twice_throws_InvalidOperationException)
{
    Delegate<int()> answer([] { return 42; });
    auto ar = answer.BeginInvoke({}, {});
    BOOST_TEST(answer.EndInvoke(ar) == 42);
    BOOST_CHECK_THROW(answer.EndInvoke(ar), InvalidOperationException);
}

BOOST_AUTO_TEST_CASE(EndInvoke_with_a_result_of_another_delegate_throws_InvalidOperationException)
{
    Delegate<int()> first([] { return 1; });
    Delegate<int()> second([] { return 2; });
    auto ar = first.BeginInvoke({}, {});
    BOOST_CHECK_THROW(second.EndInvoke(ar), InvalidOperationException);
    BOOST_TEST(first.EndInvoke(ar) == 1);
}

BOOST_AUTO_TEST_CASE(A_copy_of_a_delegate_ends_what_the_original_began)
{
    Delegate<int()> original([] { return 3; });
    Delegate<int()> copy = original;
    BOOST_TEST(copy.EndInvoke(original.BeginInvoke({}, {})) == 3);
}

BOOST_AUTO_TEST_CASE(EndInvoke_with_nullptr_throws_ArgumentNullException)
{
    Delegate<void()> nothing([] {});
    BOOST_CHECK_THROW(nothing.EndInvoke(nullptr), ArgumentNullException);
}

BOOST_AUTO_TEST_CASE(A_delegate_with_an_executor_runs_there_and_never_on_the_pool)
{
    asio::io_context io;
    Delegate<std::thread::id()> where(io.get_executor(), [] { return std::this_thread::get_id(); });
    auto ar = where.BeginInvoke({}, {});
    BOOST_TEST(!ar->IsCompleted());
    io.run();
    BOOST_TEST(ar->IsCompleted());
    BOOST_TEST((where.EndInvoke(ar) == std::this_thread::get_id()));
}

BOOST_AUTO_TEST_CASE(EndInvoke_throws_OperationCanceledException_when_the_executor_dies_first)
{
    IAsyncResultPtr ar;
    bool ran = false;
    std::unique_ptr<Delegate<void()>> d;
    {
        asio::io_context io;
        d = std::make_unique<Delegate<void()>>(io.get_executor(), [&] { ran = true; });
        ar = d->BeginInvoke({}, {});
    }
    BOOST_CHECK_THROW(d->EndInvoke(ar), OperationCanceledException);
    BOOST_TEST(!ran);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(other_completion_tokens)

BOOST_AUTO_TEST_CASE(async_invoke_with_use_future_returns_the_value_or_rethrows)
{
    Delegate<int(int, int)> d(&add);
    BOOST_TEST(d.async_invoke(20, 22, asio::use_future).get() == 42);
    Delegate<void()> fail([] { throw TimeoutException(); });
    BOOST_CHECK_THROW(fail.async_invoke(asio::use_future).get(), TimeoutException);
}

BOOST_AUTO_TEST_CASE(async_invoke_reports_out_values_as_a_tuple)
{
    Delegate<bool(const std::string&, int&)> parse([](const std::string& text, int& value) {
        value = std::stoi(text);
        return true;
    });
    int unused = 0;
    auto [ok, outs] = parse.async_invoke("123", unused, asio::use_future).get();
    BOOST_TEST(ok);
    BOOST_TEST(std::get<0>(outs) == 123);
}

BOOST_AUTO_TEST_CASE(co_await_async_invoke_resumes_on_the_coroutines_executor)
{
    asio::io_context io;
    auto strand = asio::make_strand(io);
    Delegate<int(int, int)> d(&add);
    int value = 0;
    bool resumed_on_strand = false;
    asio::co_spawn(
        strand,
        [&]() -> asio::awaitable<void> {
            value = co_await d.async_invoke(1, 2, asio::use_awaitable);
            resumed_on_strand = strand.running_in_this_thread();
        },
        asio::detached);
    // The target runs on the pool; the coroutine resumes here, on io.
    io.run_for(generous);
    BOOST_TEST(value == 3);
    BOOST_TEST(resumed_on_strand);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(member_functions)

namespace {

class Calculator {
public:
    explicit Calculator(int offset) : offset_(offset) {}
    int Add(int value) { return value + offset_; }
    int Offset() const { return offset_; }
    void Split(int value, int& half, int& rest) const
    {
        half = value / 2;
        rest = value - half;
    }

private:
    int offset_;
};

} // namespace

BOOST_AUTO_TEST_CASE(A_delegate_of_an_object_and_a_member_function_calls_it_on_that_object)
{
    Calculator calculator(10);
    Delegate<int(int)> add(&calculator, &Calculator::Add);
    BOOST_TEST(add.Invoke(1) == 11);
    BOOST_TEST(add.EndInvoke(add.BeginInvoke(5, {}, {})) == 15);
    Delegate<int()> offset(&calculator, &Calculator::Offset);
    BOOST_TEST(offset.Invoke() == 10);
}

BOOST_AUTO_TEST_CASE(A_member_function_delegate_copies_out_parameters_back)
{
    const Calculator calculator(0);
    Delegate<void(int, int&, int&)> split(&calculator, &Calculator::Split);
    int half = 0;
    int rest = 0;
    split.EndInvoke(half, rest, split.BeginInvoke(7, half, rest, {}, {}));
    BOOST_TEST(half == 3);
    BOOST_TEST(rest == 4);
}

BOOST_AUTO_TEST_CASE(A_delegate_of_a_shared_object_keeps_it_alive)
{
    auto calculator = std::make_shared<Calculator>(1);
    std::weak_ptr<Calculator> watch = calculator;
    Delegate<int(int)> add(calculator, &Calculator::Add);
    calculator.reset();
    BOOST_TEST(!watch.expired());
    BOOST_TEST(add.EndInvoke(add.BeginInvoke(2, {}, {})) == 3);
}

BOOST_AUTO_TEST_CASE(A_null_object_or_member_function_is_refused)
{
    Calculator* nobody = nullptr;
    BOOST_CHECK_THROW((Delegate<int(int)>(nobody, &Calculator::Add)), ArgumentException);
    BOOST_CHECK_THROW((Delegate<int(int)>(std::shared_ptr<Calculator>(), &Calculator::Add)), ArgumentException);
    Calculator calculator(0);
    int (Calculator::*none)(int) = nullptr;
    BOOST_CHECK_THROW((Delegate<int(int)>(&calculator, none)), ArgumentNullException);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(async_delegate)

BOOST_AUTO_TEST_CASE(AsyncDelegate_returns_the_delegate_whose_BeginInvoke_began_the_result)
{
    // .NET's callback sample: the callback finds the delegate through the
    // result and calls EndInvoke on it.
    std::promise<int> ended;
    {
        Delegate<int(int)> twice([](int value) { return 2 * value; });
        twice.BeginInvoke(
            21,
            [&](const IAsyncResultPtr& ar) {
                auto caller = AsyncDelegate<Delegate<int(int)>>(ar);
                ended.set_value(caller.EndInvoke(ar));
            },
            {});
    }
    // The delegate went out of scope above: the result kept it alive.
    BOOST_TEST(get_within(ended.get_future()) == 42);
}

BOOST_AUTO_TEST_CASE(AsyncDelegate_of_another_type_or_of_a_non_delegate_result_throws_InvalidCastException)
{
    Delegate<int(int)> twice([](int value) { return 2 * value; });
    auto ar = twice.BeginInvoke(1, {}, {});
    BOOST_CHECK_THROW(AsyncDelegate<Delegate<long(int)>>(ar), InvalidCastException);
    BOOST_CHECK_THROW(AsyncDelegate<Delegate<int(int)>>(nullptr), ArgumentNullException);
    asio::io_context io;
    auto bare = asio::post(io, apm());
    BOOST_CHECK_THROW(AsyncDelegate<Delegate<void()>>(bare), InvalidCastException);
    io.run();
    end<void()>(bare);
    BOOST_TEST(twice.EndInvoke(ar) == 2);
}

BOOST_AUTO_TEST_SUITE_END()
