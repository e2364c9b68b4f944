#include <dotasync/eap/event_args.hpp>

#include <boost/test/unit_test.hpp>

#include <type_traits>

using namespace dotasync;

namespace {

struct NameEventArgs : EventArgs {
    int value = 3;
};

} // namespace

static_assert(std::has_virtual_destructor_v<EventArgs>);
// Copying a bare EventArgs would slice a derived one; only derived classes copy.
static_assert(!std::is_copy_constructible_v<EventArgs>);
static_assert(std::is_copy_constructible_v<NameEventArgs>);

BOOST_AUTO_TEST_CASE(Derived_event_args_are_seen_through_the_base_class)
{
    NameEventArgs derived;
    const EventArgs& base = derived;
    BOOST_TEST(dynamic_cast<const NameEventArgs*>(&base)->value == 3);
}

BOOST_AUTO_TEST_CASE(Empty_is_one_shared_instance)
{
    BOOST_TEST(&EventArgs::Empty() == &EventArgs::Empty());
    BOOST_TEST(dynamic_cast<const NameEventArgs*>(&EventArgs::Empty()) == nullptr);
}
