// What dotasync relies on in Asio's private internals
// (lib/core/detail/asio_internals). Each case fails if a Boost upgrade changes
// the detail it relies on, so that the new version is checked before
// DOTASYNC_ASIO_INTERNALS_VERIFIED accepts it.
#include "core/detail/asio_internals.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/test/unit_test.hpp>
#include <boost/version.hpp>

#include <cstddef>

namespace asio = boost::asio;
namespace internals = dotasync::detail::asio_internals;

BOOST_AUTO_TEST_SUITE(asio_internals)

BOOST_AUTO_TEST_CASE(the_Boost_in_use_is_one_whose_internals_were_checked)
{
    BOOST_TEST_MESSAGE("Boost " << BOOST_VERSION / 100000 << '.' << BOOST_VERSION / 100 % 1000);
    BOOST_TEST(internals::verified);
}

BOOST_AUTO_TEST_CASE(copies_of_a_strand_share_one_identity_and_other_strands_have_their_own)
{
    asio::io_context io;
    const auto strand = asio::make_strand(io.get_executor());
    const auto copy = strand;
    const auto other = asio::make_strand(io.get_executor());
    BOOST_TEST(internals::strand_identity(strand) != nullptr);
    BOOST_TEST(internals::strand_identity(strand) == internals::strand_identity(copy));
    BOOST_TEST(internals::strand_identity(strand) != internals::strand_identity(other));

    const asio::strand<asio::any_io_executor> any_strand(io.get_executor());
    const auto any_copy = any_strand;
    BOOST_TEST(internals::strand_identity(any_strand) != nullptr);
    BOOST_TEST(internals::strand_identity(any_strand) == internals::strand_identity(any_copy));
}

BOOST_AUTO_TEST_CASE(running_in_strand_is_true_only_inside_a_function_the_strand_runs)
{
    asio::io_context io;
    const auto strand = asio::make_strand(io.get_executor());
    const auto other = asio::make_strand(io.get_executor());
    const void* identity = internals::strand_identity(strand);
    bool inside = false;
    bool inside_other = true;
    bool outside_in_plain_handler = true;
    asio::post(strand, [&] { inside = internals::running_in_strand(identity); });
    asio::post(other, [&] { inside_other = internals::running_in_strand(identity); });
    asio::post(io, [&] { outside_in_plain_handler = internals::running_in_strand(identity); });
    io.run();
    BOOST_TEST(inside);
    BOOST_TEST(!inside_other);
    BOOST_TEST(!outside_in_plain_handler);
    BOOST_TEST(!internals::running_in_strand(identity));
    BOOST_TEST(!internals::running_in_strand(nullptr));
}

BOOST_AUTO_TEST_CASE(the_concurrency_hint_of_one_thread_is_seen)
{
    asio::io_context one(1);
    asio::io_context unsafe(BOOST_ASIO_CONCURRENCY_HINT_UNSAFE);
    asio::io_context several(4);
    asio::io_context by_default;
    BOOST_TEST(internals::promises_one_thread(one));
    BOOST_TEST(internals::promises_one_thread(unsafe));
    BOOST_TEST(!internals::promises_one_thread(several));
    BOOST_TEST(!internals::promises_one_thread(by_default));
}

BOOST_AUTO_TEST_CASE(a_recycled_block_freed_on_a_thread_that_runs_an_io_context_is_reused_there)
{
    asio::io_context io;
    void* first = nullptr;
    void* second = nullptr;
    asio::post(io, [&] {
        first = internals::allocate_recycled(48);
        internals::deallocate_recycled(first, 48);
        second = internals::allocate_recycled(48);
        internals::deallocate_recycled(second, 48);
    });
    io.run();
    BOOST_TEST(first != nullptr);
    BOOST_TEST(first == second);
}

BOOST_AUTO_TEST_CASE(a_recycled_block_can_be_taken_and_freed_outside_any_io_context)
{
    void* block = internals::allocate_recycled(48);
    BOOST_TEST(block != nullptr);
    internals::deallocate_recycled(block, 48);
}

BOOST_AUTO_TEST_SUITE_END()
