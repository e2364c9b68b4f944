#include <boost/test/unit_test.hpp>

#include "headers/header_registry.hpp"
#include "headers/public_header_list.hpp"

namespace dotasync_test {
std::set<std::string>& compiled_headers()
{
    static std::set<std::string> names;
    return names;
}
} // namespace dotasync_test

BOOST_AUTO_TEST_CASE(every_public_header_compiles_alone_as_the_first_include)
{
    for (auto name : dotasync_test::public_headers)
        BOOST_TEST(dotasync_test::compiled_headers().count(std::string(name)) == 1u, name);
    BOOST_TEST(dotasync_test::compiled_headers().size() == dotasync_test::public_headers.size());
}
