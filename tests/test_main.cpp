#define BOOST_TEST_MODULE dotasync
#include <boost/test/unit_test.hpp>
