#include <dotasync/eap/async_completed_event_args.hpp>

#include <dotasync/core/exceptions.hpp>

#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <string>

using namespace dotasync;

namespace {

std::exception_ptr failure()
{
    return std::make_exception_ptr(std::runtime_error("the operation failed"));
}

std::string inner_message(const Exception& e)
{
    try {
        std::rethrow_exception(e.InnerException());
    } catch (const std::exception& inner) {
        return inner.what();
    }
}

} // namespace

BOOST_AUTO_TEST_CASE(The_properties_return_what_was_given)
{
    auto error = failure();
    AsyncCompletedEventArgs e(error, true, std::string("state"));
    BOOST_TEST((e.Error() == error));
    BOOST_TEST(e.Cancelled());
    BOOST_TEST(std::any_cast<std::string>(e.UserState()) == "state");

    AsyncCompletedEventArgs fine(nullptr, false, {});
    BOOST_TEST(!fine.Error());
    BOOST_TEST(!fine.Cancelled());
    BOOST_TEST(!fine.UserState().has_value());
    BOOST_TEST(!AsyncCompletedEventArgs(nullptr, false, nullptr).UserState().has_value());
}

BOOST_AUTO_TEST_CASE(RaiseExceptionIfNecessary_does_nothing_on_success)
{
    AsyncCompletedEventArgs e(nullptr, false, 1);
    BOOST_CHECK_NO_THROW(e.RaiseExceptionIfNecessary());
}

BOOST_AUTO_TEST_CASE(RaiseExceptionIfNecessary_with_an_error_throws_TargetInvocationException_wrapping_it)
{
    AsyncCompletedEventArgs e(failure(), false, {});
    try {
        e.RaiseExceptionIfNecessary();
        BOOST_FAIL("no exception");
    } catch (const TargetInvocationException& thrown) {
        BOOST_TEST(inner_message(thrown) == "the operation failed");
    }
}

BOOST_AUTO_TEST_CASE(RaiseExceptionIfNecessary_when_canceled_throws_InvalidOperationException)
{
    AsyncCompletedEventArgs e(nullptr, true, {});
    BOOST_CHECK_THROW(e.RaiseExceptionIfNecessary(), InvalidOperationException);
}

BOOST_AUTO_TEST_CASE(RaiseExceptionIfNecessary_with_an_error_and_canceled_reports_the_error_first)
{
    AsyncCompletedEventArgs e(failure(), true, {});
    try {
        e.RaiseExceptionIfNecessary();
        BOOST_FAIL("no exception");
    } catch (const TargetInvocationException& thrown) {
        BOOST_TEST(inner_message(thrown) == "the operation failed");
    }
}

BOOST_AUTO_TEST_CASE(A_derived_result_class_checks_before_returning_its_result)
{
    struct ComputeCompletedEventArgs : AsyncCompletedEventArgs {
        ComputeCompletedEventArgs(int result, std::exception_ptr error, bool canceled)
            : AsyncCompletedEventArgs(std::move(error), canceled, {}), result_(result)
        {
        }
        int Result() const
        {
            RaiseExceptionIfNecessary();
            return result_;
        }
        int result_;
    };
    BOOST_TEST(ComputeCompletedEventArgs(7, nullptr, false).Result() == 7);
    BOOST_CHECK_THROW(ComputeCompletedEventArgs(7, nullptr, true).Result(), InvalidOperationException);
    BOOST_CHECK_THROW(ComputeCompletedEventArgs(7, failure(), false).Result(), TargetInvocationException);
}
