// One answer to "is this failure a cancellation?" for every face: the table
// below pins it for each kind of failure, and the cases after it show what a
// user sees where the faces used to disagree.
#include <dotasync/core/detail/cancellation_kind.hpp>

#include <dotasync/core/exceptions.hpp>
#include <dotasync/eap/eap.hpp>
#include <dotasync/tap/task.hpp>

#include "support/running_context.hpp"
#include "support/waiting.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/system/system_error.hpp>
#include <boost/test/unit_test.hpp>

#include <exception>
#include <future>
#include <stdexcept>
#include <string>
#include <system_error>

namespace asio = boost::asio;
using namespace dotasync;
using namespace dotasync_test;

namespace {

struct kind {
    std::string name;
    std::exception_ptr failure;
    bool cancellation;
};

std::vector<kind> failure_kinds()
{
    using boost::system::error_code;
    return {
        {"no failure", nullptr, false},
        {"OperationCanceledException", std::make_exception_ptr(OperationCanceledException()), true},
        {"TaskCanceledException", std::make_exception_ptr(TaskCanceledException()), true},
        {"boost system_error(operation_aborted)",
         std::make_exception_ptr(boost::system::system_error(asio::error::operation_aborted)), true},
        {"boost system_error(ECANCELED)",
         std::make_exception_ptr(boost::system::system_error(error_code(ECANCELED, boost::system::generic_category()))),
         true},
        {"std::system_error(errc::operation_canceled)",
         std::make_exception_ptr(std::system_error(std::make_error_code(std::errc::operation_canceled))), true},
        {"boost system_error(connection_reset)",
         std::make_exception_ptr(boost::system::system_error(asio::error::connection_reset)), false},
        {"IOException", std::make_exception_ptr(IOException("disk")), false},
        {"TimeoutException", std::make_exception_ptr(TimeoutException("late")), false},
        {"std::runtime_error", std::make_exception_ptr(std::runtime_error("other")), false},
    };
}

} // namespace

BOOST_AUTO_TEST_SUITE(error_codes)

BOOST_AUTO_TEST_CASE(operation_aborted_and_ECANCELED_are_cancellations_in_either_library)
{
    BOOST_TEST(detail::is_cancellation(boost::system::error_code(asio::error::operation_aborted)));
    BOOST_TEST(detail::is_cancellation(std::make_error_code(std::errc::operation_canceled)));
    BOOST_TEST(detail::is_cancellation(boost::system::error_code(ECANCELED, boost::system::generic_category())));
}

BOOST_AUTO_TEST_CASE(success_and_other_errors_are_not_cancellations)
{
    BOOST_TEST(!detail::is_cancellation(boost::system::error_code()));
    BOOST_TEST(!detail::is_cancellation(std::error_code()));
    BOOST_TEST(!detail::is_cancellation(boost::system::error_code(asio::error::timed_out)));
    BOOST_TEST(!detail::is_cancellation(boost::system::error_code(asio::error::eof)));
    BOOST_TEST(!detail::is_cancellation(std::make_error_code(std::errc::timed_out)));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(exceptions)

BOOST_AUTO_TEST_CASE(each_kind_of_failure_gets_the_agreed_answer)
{
    for (const auto& k : failure_kinds()) {
        BOOST_TEST_CONTEXT(k.name)
        {
            BOOST_TEST(detail::is_cancellation(k.failure) == k.cancellation);
        }
    }
}

BOOST_AUTO_TEST_CASE(as_operation_canceled_turns_every_cancellation_into_OperationCanceledException)
{
    for (const auto& k : failure_kinds()) {
        BOOST_TEST_CONTEXT(k.name)
        {
            const auto mapped = detail::as_operation_canceled(k.failure);
            if (!k.failure)
                BOOST_TEST(!mapped);
            else if (k.cancellation)
                BOOST_TEST(holds<OperationCanceledException>(mapped));
            else
                BOOST_TEST((mapped == k.failure));
        }
    }
}

BOOST_AUTO_TEST_CASE(as_operation_canceled_keeps_a_TaskCanceledException_as_it_is)
{
    const auto original = std::make_exception_ptr(TaskCanceledException());
    BOOST_TEST((detail::as_operation_canceled(original) == original));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(faces)

// A coroutine canceled inside an Asio operation reports a system_error for
// operation_aborted. WhenAll, as .NET's, lets a fault win over a cancellation,
// so the other operation's fault is what the caller sees, alone.
BOOST_AUTO_TEST_CASE(WhenAll_counts_an_aborted_coroutine_as_a_cancellation_so_the_fault_wins)
{
    dotasync_test::running_context context;
    auto aborted = []() -> asio::awaitable<void> {
        throw boost::system::system_error(asio::error::operation_aborted);
        co_return;
    };
    auto faulted = []() -> asio::awaitable<void> {
        throw IOException("the fault");
        co_return;
    };
    auto result = Task::WhenAll(aborted(), faulted(),
                                asio::bind_executor(context.io(), asio::use_future));
    BOOST_CHECK_THROW(get_within(result), IOException);
}

BOOST_AUTO_TEST_CASE(WhenAll_of_only_aborted_coroutines_throws_OperationCanceledException)
{
    dotasync_test::running_context context;
    auto aborted = []() -> asio::awaitable<void> {
        throw boost::system::system_error(asio::error::operation_aborted);
        co_return;
    };
    auto result = Task::WhenAll(aborted(), aborted(), asio::bind_executor(context.io(), asio::use_future));
    BOOST_CHECK_THROW(get_within(result), OperationCanceledException);
}

BOOST_AUTO_TEST_SUITE_END()
