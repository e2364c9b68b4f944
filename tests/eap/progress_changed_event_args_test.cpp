#include <dotasync/eap/progress_changed_event_args.hpp>

#include <boost/test/unit_test.hpp>

#include <string>

using namespace dotasync;

BOOST_AUTO_TEST_CASE(The_properties_return_what_was_given)
{
    ProgressChangedEventArgs e(40, std::string("step 2"));
    BOOST_TEST(e.ProgressPercentage() == 40);
    BOOST_TEST(std::any_cast<std::string>(e.UserState()) == "step 2");
}

BOOST_AUTO_TEST_CASE(The_percentage_is_not_range_checked_as_in_dotnet)
{
    BOOST_TEST(ProgressChangedEventArgs(-5, {}).ProgressPercentage() == -5);
    BOOST_TEST(ProgressChangedEventArgs(250, {}).ProgressPercentage() == 250);
    BOOST_TEST(!ProgressChangedEventArgs(0, {}).UserState().has_value());
    // nullptr is .NET's null: no state.
    BOOST_TEST(!ProgressChangedEventArgs(0, nullptr).UserState().has_value());
}

BOOST_AUTO_TEST_CASE(Copies_are_independent_values)
{
    ProgressChangedEventArgs e(10, 1);
    ProgressChangedEventArgs copy = e;
    copy = ProgressChangedEventArgs(20, 2);
    BOOST_TEST(e.ProgressPercentage() == 10);
    BOOST_TEST(std::any_cast<int>(e.UserState()) == 1);
    BOOST_TEST(copy.ProgressPercentage() == 20);
}
