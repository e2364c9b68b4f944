// state_cast and state_as read states back as .NET's casts do.
#include <dotasync/core/state_cast.hpp>

#include <dotasync/core/apm_token.hpp>
#include <dotasync/core/exceptions.hpp>

#include "support/running_context.hpp"

#include <boost/asio/post.hpp>
#include <boost/test/unit_test.hpp>

#include <any>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace asio = boost::asio;
using namespace dotasync;
using namespace dotasync_test;

namespace {

struct Shape {
    virtual ~Shape() = default;
    virtual std::string Name() const { return "shape"; }
};
struct Circle : Shape {
    std::string Name() const override { return "circle"; }
};
struct Square : Shape {};
struct Unrelated {};

// Types registered by no test but the one that says so.
struct Base {
    virtual ~Base() = default;
};
struct RegisteredByHand : Base {};
struct NeverRegistered : Base {};

template <class F>
std::string message_of(F&& call)
{
    try {
        call();
    } catch (const InvalidCastException& e) {
        return e.what();
    }
    return "no InvalidCastException";
}

} // namespace

BOOST_AUTO_TEST_CASE(A_state_reads_back_as_the_type_it_holds)
{
    BOOST_TEST(state_cast<int>(std::any(42)) == 42);
    auto buffer = std::make_shared<std::string>("bytes");
    BOOST_TEST(state_cast<std::shared_ptr<std::string>>(std::any(buffer)) == buffer);
}

BOOST_AUTO_TEST_CASE(A_string_literal_state_reads_back_as_std_string)
{
    BOOST_TEST(state_cast<std::string>(std::any("user #1")) == "user #1");
    char text[] = "mutable";
    BOOST_TEST(state_cast<std::string>(std::any(static_cast<char*>(text))) == "mutable");
    BOOST_TEST(state_cast<std::string>(std::any(std::string_view("view"))) == "view");
    BOOST_TEST(state_cast<std::string>(std::any(std::string("owned"))) == "owned");
}

BOOST_AUTO_TEST_CASE(A_value_of_another_type_throws_InvalidCastException_naming_both_types)
{
    // .NET names both types in this form; Mono 6.8 says only "Specified cast
    // is not valid.". The documentation's form is kept.
    BOOST_CHECK_THROW(state_cast<long>(std::any(1)), InvalidCastException);
    BOOST_TEST(message_of([] { state_cast<std::string>(std::any(1)); }) ==
               "Unable to cast object of type 'int' to type 'std::__cxx11::basic_string<char, "
               "std::char_traits<char>, std::allocator<char> >'.");
    BOOST_CHECK_THROW(state_cast<std::shared_ptr<Shape>>(std::any(std::make_shared<Unrelated>())),
                      InvalidCastException);
    // An InvalidCastException is a SystemException, as in .NET.
    BOOST_CHECK_THROW(state_cast<double>(std::any(1)), SystemException);
}

BOOST_AUTO_TEST_CASE(A_shared_ptr_to_a_derived_class_given_to_apm_reads_back_as_its_base)
{
    running_context ctx;
    auto circle = std::make_shared<Circle>();
    auto ar = asio::post(ctx.io(), apm({}, circle));
    const auto shape = state_cast<std::shared_ptr<Shape>>(ar->AsyncState());
    BOOST_TEST(shape.get() == circle.get());
    BOOST_TEST(shape->Name() == "circle");
    // The base pointer shares ownership with the state.
    BOOST_TEST(shape.use_count() == circle.use_count());
    BOOST_TEST(state_cast<std::shared_ptr<const Shape>>(ar->AsyncState()).get() == circle.get());
    BOOST_CHECK_THROW(state_cast<std::shared_ptr<Square>>(ar->AsyncState()), InvalidCastException);
    end<void()>(ar);
}

BOOST_AUTO_TEST_CASE(A_raw_pointer_to_a_derived_class_given_to_apm_reads_back_as_its_base)
{
    running_context ctx;
    Circle circle;
    auto ar = asio::post(ctx.io(), apm({}, &circle));
    BOOST_TEST(state_cast<Shape*>(ar->AsyncState()) == static_cast<Shape*>(&circle));
    BOOST_TEST(state_cast<const Shape*>(ar->AsyncState()) == static_cast<const Shape*>(&circle));
    BOOST_TEST(state_as<Square*>(ar->AsyncState()) == nullptr);
    end<void()>(ar);
}

BOOST_AUTO_TEST_CASE(A_derived_to_base_read_of_an_unregistered_type_throws_until_the_type_is_registered)
{
    const std::any never(std::make_shared<NeverRegistered>());
    BOOST_CHECK_THROW(state_cast<std::shared_ptr<Base>>(never), InvalidCastException);

    const std::any by_hand(std::make_shared<RegisteredByHand>());
    BOOST_CHECK_THROW(state_cast<std::shared_ptr<Base>>(by_hand), InvalidCastException);
    BOOST_TEST(register_state_type<std::shared_ptr<RegisteredByHand>>());
    BOOST_TEST(!register_state_type<std::shared_ptr<RegisteredByHand>>());
    BOOST_TEST(state_cast<std::shared_ptr<Base>>(by_hand) != nullptr);
}

BOOST_AUTO_TEST_CASE(A_const_object_does_not_read_back_as_a_mutable_one)
{
    const Circle circle;
    const std::any state(&circle);
    BOOST_TEST(state_cast<const Circle*>(state) == &circle);
    BOOST_CHECK_THROW(state_cast<Circle*>(state), InvalidCastException);
}

BOOST_AUTO_TEST_CASE(A_null_state_reads_as_null_pointers_and_empty_optionals)
{
    for (const std::any& null : {std::any(), std::any(nullptr), std::any(static_cast<const char*>(nullptr))}) {
        BOOST_TEST(state_cast<std::shared_ptr<Shape>>(null) == nullptr);
        BOOST_TEST(state_cast<Shape*>(null) == nullptr);
        BOOST_TEST(!state_cast<std::optional<int>>(null).has_value());
        BOOST_TEST(!state_cast<std::any>(null).has_value());
        BOOST_CHECK_THROW(state_cast<int>(null), InvalidCastException);
        BOOST_CHECK_THROW(state_cast<std::string>(null), InvalidCastException);
    }
    BOOST_TEST(message_of([] { state_cast<int>(std::any()); }).find("null") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(state_as_gives_null_where_state_cast_throws)
{
    BOOST_TEST(!state_as<std::optional<long>>(std::any(1)).has_value());
    BOOST_TEST(state_as<std::optional<std::string>>(std::any("text")).value() == "text");
    BOOST_TEST(state_as<std::shared_ptr<Shape>>(std::any(42)) == nullptr);
    BOOST_TEST(state_as<std::shared_ptr<Shape>>(std::any()) == nullptr);
    auto circle = std::make_shared<Circle>();
    BOOST_TEST(state_as<std::shared_ptr<Circle>>(std::any(circle)) == circle);
}

BOOST_AUTO_TEST_CASE(A_nullptr_state_given_to_apm_is_no_state)
{
    running_context ctx;
    auto ar = asio::post(ctx.io(), apm({}, nullptr));
    BOOST_TEST(!ar->AsyncState().has_value());
    end<void()>(ar);
}
