#include <dotasync/core/exceptions.hpp>

#include <cerrno>

#include <boost/core/demangle.hpp>
#include <boost/test/unit_test.hpp>

#include <exception>
#include <stdexcept>
#include <string>
#include <system_error>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <vector>

using namespace dotasync;

namespace {

// ---------------------------------------------------------------------------
// The hierarchy of API.md, written out independently of the header: for each
// type, its .NET ancestors below dotasync::Exception.
// ---------------------------------------------------------------------------

template <class... Ts>
struct type_list {};

template <class T>
struct net_bases;

// clang-format off
template <> struct net_bases<Exception>                   { using type = type_list<>; };
template <> struct net_bases<SystemException>             { using type = type_list<>; };
template <> struct net_bases<InvalidOperationException>   { using type = type_list<SystemException>; };
template <> struct net_bases<ObjectDisposedException>     { using type = type_list<InvalidOperationException, SystemException>; };
template <> struct net_bases<ArgumentException>           { using type = type_list<SystemException>; };
template <> struct net_bases<ArgumentNullException>       { using type = type_list<ArgumentException, SystemException>; };
template <> struct net_bases<ArgumentOutOfRangeException> { using type = type_list<ArgumentException, SystemException>; };
template <> struct net_bases<NotSupportedException>       { using type = type_list<SystemException>; };
template <> struct net_bases<InvalidCastException>        { using type = type_list<SystemException>; };
template <> struct net_bases<TimeoutException>            { using type = type_list<SystemException>; };
template <> struct net_bases<OperationCanceledException>  { using type = type_list<SystemException>; };
template <> struct net_bases<TaskCanceledException>       { using type = type_list<OperationCanceledException, SystemException>; };
template <> struct net_bases<IOException>                 { using type = type_list<SystemException>; };
template <> struct net_bases<FileNotFoundException>       { using type = type_list<IOException, SystemException>; };
template <> struct net_bases<DirectoryNotFoundException>  { using type = type_list<IOException, SystemException>; };
template <> struct net_bases<EndOfStreamException>        { using type = type_list<IOException, SystemException>; };
template <> struct net_bases<UnauthorizedAccessException> { using type = type_list<SystemException>; };
template <> struct net_bases<SocketException>             { using type = type_list<SystemException>; };
template <> struct net_bases<TargetInvocationException>   { using type = type_list<>; };
template <> struct net_bases<AggregateException>          { using type = type_list<>; };
// clang-format on

template <class List>
struct as_tuple;
template <class... Ts>
struct as_tuple<type_list<Ts...>> {
    using type = std::tuple<Ts...>;
};

using hierarchy =
    type_list<Exception, SystemException, InvalidOperationException, ObjectDisposedException,
              ArgumentException, ArgumentNullException, ArgumentOutOfRangeException,
              NotSupportedException, InvalidCastException, TimeoutException, OperationCanceledException,
              TaskCanceledException, IOException, FileNotFoundException, DirectoryNotFoundException,
              EndOfStreamException, UnauthorizedAccessException, SocketException,
              TargetInvocationException, AggregateException>;
using all_exception_types = as_tuple<hierarchy>::type;

// Every type but the root, whose message the caller always supplies.
using types_with_default_messages =
    std::tuple<SystemException, InvalidOperationException, ObjectDisposedException,
               ArgumentException, ArgumentNullException, ArgumentOutOfRangeException,
               NotSupportedException, InvalidCastException, TimeoutException, OperationCanceledException,
               TaskCanceledException, IOException, FileNotFoundException, DirectoryNotFoundException,
               EndOfStreamException, UnauthorizedAccessException, SocketException,
               TargetInvocationException, AggregateException>;

// Builds an instance with the fewest arguments the type accepts, so that the
// message is the library's default one.
template <class T>
T make_with_fewest_arguments()
{
    if constexpr (std::is_same_v<T, Exception>)
        return Exception("an exception");
    else if constexpr (std::is_same_v<T, ObjectDisposedException>)
        return ObjectDisposedException(std::string{});
    else if constexpr (std::is_same_v<T, SocketException>)
        return SocketException(std::make_error_code(std::errc::connection_refused));
    else if constexpr (std::is_same_v<T, TargetInvocationException>)
        return TargetInvocationException(std::exception_ptr{});
    else if constexpr (std::is_same_v<T, AggregateException>)
        return AggregateException(std::vector<std::exception_ptr>{});
    else
        return T();
}

template <class T>
std::string type_name()
{
    return boost::core::demangle(typeid(T).name());
}

// True when a catch clause for Catch intercepts a throw of thrown.
template <class Catch, class Thrown>
bool caught_as(const Thrown& thrown)
{
    try {
        throw thrown;
    } catch (const Catch&) {
        return true;
    } catch (...) {
        return false;
    }
}

template <class Thrown, class... Bases>
void check_caught_by_each(const Thrown& thrown, type_list<Bases...>)
{
    [[maybe_unused]] auto check = [&]<class Base>() {
        BOOST_TEST(caught_as<Base>(thrown),
                   type_name<Thrown>() << " is not caught as " << type_name<Base>());
    };
    (check.template operator()<Bases>(), ...);
}

template <class Candidate, class... Bases>
constexpr bool is_one_of(type_list<Bases...>)
{
    return (std::is_same_v<Candidate, Bases> || ...);
}

// A type of the hierarchy that is neither Thrown nor one of its ancestors
// must not intercept it: catch (IOException&) must not swallow a timeout.
template <class Thrown, class... Others>
void check_not_caught_by_unrelated(const Thrown& thrown, type_list<Others...>)
{
    using bases = typename net_bases<Thrown>::type;
    auto check = [&]<class Other>() {
        if constexpr (!std::is_same_v<Other, Thrown> && !std::is_same_v<Other, Exception> &&
                      !is_one_of<Other>(bases{}))
            BOOST_TEST(!caught_as<Other>(thrown),
                       type_name<Thrown>() << " is wrongly caught as " << type_name<Other>());
    };
    (check.template operator()<Others>(), ...);
}

// A type a user defines, unrelated to std::exception.
struct user_failure {
    int code;
};

std::string message_of(const std::exception_ptr& error)
{
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "<not a std::exception>";
    }
}

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_SUITE(exceptions)

// ---------------------------------------------------------------------------
// The hierarchy, for every type
// ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE_TEMPLATE(Exception_is_caught_by_each_of_its_NET_base_classes, T,
                              all_exception_types)
{
    const T thrown = make_with_fewest_arguments<T>();
    check_caught_by_each(thrown, typename net_bases<T>::type{});
    BOOST_TEST(caught_as<Exception>(thrown));
    BOOST_TEST(caught_as<std::runtime_error>(thrown));
    BOOST_TEST(caught_as<std::exception>(thrown));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(Exception_is_not_caught_by_unrelated_NET_exception_types, T,
                              all_exception_types)
{
    check_not_caught_by_unrelated(make_with_fewest_arguments<T>(), hierarchy{});
}

BOOST_AUTO_TEST_CASE_TEMPLATE(Message_returns_the_text_what_returns, T, all_exception_types)
{
    const T e = make_with_fewest_arguments<T>();
    BOOST_TEST(e.Message() == std::string(e.what()));
    const Exception& as_root = e;
    BOOST_TEST(as_root.Message() == std::string(as_root.what()));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(Default_message_is_not_empty, T, types_with_default_messages)
{
    const T e = make_with_fewest_arguments<T>();
    BOOST_TEST(!e.Message().empty());
}

BOOST_AUTO_TEST_CASE(Exception_keeps_the_message_it_was_given)
{
    const Exception e("the message");
    BOOST_TEST(e.Message() == "the message");
    BOOST_TEST(std::string(e.what()) == "the message");
}

BOOST_AUTO_TEST_CASE(Derived_exceptions_keep_the_message_they_were_given)
{
    BOOST_TEST(SystemException("m1").Message() == "m1");
    BOOST_TEST(InvalidOperationException("m2").Message() == "m2");
    BOOST_TEST(NotSupportedException("m3").Message() == "m3");
    BOOST_TEST(TimeoutException("m4").Message() == "m4");
    BOOST_TEST(OperationCanceledException("m5").Message() == "m5");
    BOOST_TEST(TaskCanceledException("m6").Message() == "m6");
    BOOST_TEST(IOException("m7").Message() == "m7");
    BOOST_TEST(FileNotFoundException("m8").Message() == "m8");
    BOOST_TEST(DirectoryNotFoundException("m9").Message() == "m9");
    BOOST_TEST(EndOfStreamException("m10").Message() == "m10");
    BOOST_TEST(UnauthorizedAccessException("m11").Message() == "m11");
    BOOST_TEST(TargetInvocationException("m12", nullptr).Message() == "m12");
}

BOOST_AUTO_TEST_CASE(Exception_thrown_through_exception_ptr_keeps_its_dynamic_type_and_data)
{
    const auto error = std::make_exception_ptr(
        FileNotFoundException("missing", "data.bin", std::make_error_code(std::errc::no_such_file_or_directory)));
    try {
        std::rethrow_exception(error);
    } catch (const IOException& e) {
        const auto* file_not_found = dynamic_cast<const FileNotFoundException*>(&e);
        BOOST_TEST_REQUIRE(file_not_found != nullptr);
        BOOST_TEST(file_not_found->FileName() == "data.bin");
        BOOST_TEST(e.Message() == "missing");
        BOOST_TEST((e.ErrorCode() == std::errc::no_such_file_or_directory));
    }
}

// ---------------------------------------------------------------------------
// InnerException
// ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(InnerException_is_null_when_none_is_given)
{
    BOOST_TEST(!Exception("m").InnerException());
    BOOST_TEST(!InvalidOperationException().InnerException());
    BOOST_TEST(!IOException().InnerException());
    BOOST_TEST(!ArgumentNullException("p").InnerException());
}

BOOST_AUTO_TEST_CASE(InnerException_is_kept_by_every_constructor_that_takes_one)
{
    const auto inner = std::make_exception_ptr(std::out_of_range("the cause"));
    const std::vector<std::exception_ptr> outers = {
        std::make_exception_ptr(Exception("m", inner)),
        std::make_exception_ptr(SystemException("m", inner)),
        std::make_exception_ptr(InvalidOperationException("m", inner)),
        std::make_exception_ptr(ArgumentException("m", "p", inner)),
        std::make_exception_ptr(NotSupportedException("m", inner)),
        std::make_exception_ptr(TimeoutException("m", inner)),
        std::make_exception_ptr(OperationCanceledException("m", inner)),
        std::make_exception_ptr(TaskCanceledException("m", inner)),
        std::make_exception_ptr(IOException("m", {}, inner)),
        std::make_exception_ptr(UnauthorizedAccessException("m", inner)),
        std::make_exception_ptr(TargetInvocationException(inner)),
        std::make_exception_ptr(TargetInvocationException("m", inner)),
    };
    for (std::size_t i = 0; i < outers.size(); ++i) {
        BOOST_TEST_CONTEXT("constructor #" << i << ": " << message_of(outers[i]))
        {
            try {
                std::rethrow_exception(outers[i]);
            } catch (const Exception& e) {
                BOOST_TEST((e.InnerException() == inner));
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(InnerException_rethrows_the_original_exception_object)
{
    const Exception outer("outer", std::make_exception_ptr(InvalidOperationException("inner")));
    BOOST_CHECK_EXCEPTION(std::rethrow_exception(outer.InnerException()), InvalidOperationException,
                          [](const InvalidOperationException& e) { return e.Message() == "inner"; });
}

BOOST_AUTO_TEST_CASE(TargetInvocationException_rethrows_the_original_exception_type)
{
    const TargetInvocationException wrapped(std::make_exception_ptr(user_failure{42}));
    BOOST_TEST_REQUIRE(static_cast<bool>(wrapped.InnerException()));
    try {
        std::rethrow_exception(wrapped.InnerException());
    } catch (const user_failure& original) {
        BOOST_TEST(original.code == 42);
        return;
    } catch (...) {
    }
    BOOST_ERROR("the inner exception did not rethrow as user_failure");
}

BOOST_AUTO_TEST_CASE(TargetInvocationException_keeps_a_standard_inner_exception_and_its_message)
{
    const TargetInvocationException wrapped("call failed",
                                            std::make_exception_ptr(std::length_error("too long")));
    BOOST_TEST(wrapped.Message() == "call failed");
    BOOST_CHECK_EXCEPTION(std::rethrow_exception(wrapped.InnerException()), std::length_error,
                          [](const std::length_error& e) { return std::string(e.what()) == "too long"; });
}

BOOST_AUTO_TEST_CASE(TargetInvocationException_is_not_caught_as_SystemException)
{
    // .NET: TargetInvocationException derives from ApplicationException, not
    // SystemException; a ported catch (SystemException) must let it through.
    BOOST_TEST(!caught_as<SystemException>(TargetInvocationException(nullptr)));
}

// ---------------------------------------------------------------------------
// ArgumentException family
// ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(ArgumentException_message_names_the_parameter)
{
    const ArgumentException e("Offset and length were out of bounds.", "offset");
    BOOST_TEST(e.ParamName() == "offset");
    BOOST_TEST(contains(e.Message(), "Offset and length were out of bounds."));
    BOOST_TEST(contains(e.Message(), "offset"));
}

BOOST_AUTO_TEST_CASE(ArgumentException_without_a_parameter_keeps_its_message_unchanged)
{
    const ArgumentException e("Offset and length were out of bounds.");
    BOOST_TEST(e.ParamName().empty());
    BOOST_TEST(e.Message() == "Offset and length were out of bounds.");
}

BOOST_AUTO_TEST_CASE(ArgumentNullException_message_names_the_parameter)
{
    const ArgumentNullException e("buffer");
    BOOST_TEST(e.ParamName() == "buffer");
    BOOST_TEST(contains(e.Message(), "buffer"));
    BOOST_TEST(contains(e.Message(), "null"));
}

BOOST_AUTO_TEST_CASE(Argument_exceptions_word_their_messages_as_dotnet_does)
{
    // .NET's current wording; .NET Framework and Mono put "Parameter name: x"
    // on a second line instead.
    BOOST_TEST(ArgumentNullException("x").Message() == "Value cannot be null. (Parameter 'x')");
    BOOST_TEST(ArgumentOutOfRangeException("count").Message() ==
               "Specified argument was out of the range of valid values. (Parameter 'count')");
    BOOST_TEST(ArgumentException("Bad offset.", "offset").Message() == "Bad offset. (Parameter 'offset')");
    BOOST_TEST(InvalidCastException().Message() == "Specified cast is not valid.");
    BOOST_TEST(ObjectDisposedException("FileStream").Message() ==
               "Cannot access a disposed object.\nObject name: 'FileStream'.");
}

BOOST_AUTO_TEST_CASE(ArgumentNullException_takes_the_parameter_name_before_the_message)
{
    // .NET: new ArgumentNullException(string paramName, string message).
    const ArgumentNullException e("callback", "A callback is required.");
    BOOST_TEST(e.ParamName() == "callback");
    BOOST_TEST(e.Message().starts_with("A callback is required."));
    BOOST_TEST(contains(e.Message(), "callback"));
}

BOOST_AUTO_TEST_CASE(ArgumentOutOfRangeException_message_names_the_parameter)
{
    const ArgumentOutOfRangeException e("count");
    BOOST_TEST(e.ParamName() == "count");
    BOOST_TEST(contains(e.Message(), "count"));
    BOOST_TEST(contains(e.Message(), "range"));
}

BOOST_AUTO_TEST_CASE(ArgumentOutOfRangeException_takes_the_parameter_name_before_the_message)
{
    const ArgumentOutOfRangeException e("timeout", "The timeout must be -1 or non-negative.");
    BOOST_TEST(e.ParamName() == "timeout");
    BOOST_TEST(e.Message().starts_with("The timeout must be -1 or non-negative."));
    BOOST_TEST(contains(e.Message(), "timeout"));
}

BOOST_AUTO_TEST_CASE(ArgumentNullException_caught_as_ArgumentException_keeps_ParamName)
{
    try {
        throw ArgumentNullException("state");
    } catch (const ArgumentException& e) {
        BOOST_TEST(e.ParamName() == "state");
    }
}

// ---------------------------------------------------------------------------
// ObjectDisposedException, IOException family, SocketException
// ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(ObjectDisposedException_message_names_the_object)
{
    const ObjectDisposedException e("FileStream");
    BOOST_TEST(e.ObjectName() == "FileStream");
    BOOST_TEST(contains(e.Message(), "FileStream"));
    BOOST_TEST(contains(e.Message(), "disposed"));
}

BOOST_AUTO_TEST_CASE(ObjectDisposedException_takes_the_object_name_before_the_message)
{
    const ObjectDisposedException e("Socket", "The socket was closed.");
    BOOST_TEST(e.ObjectName() == "Socket");
    BOOST_TEST(contains(e.Message(), "The socket was closed."));
    // .NET names the object even when the message is the caller's own.
    BOOST_TEST(e.Message() == "The socket was closed.\nObject name: 'Socket'.");
}

BOOST_AUTO_TEST_CASE(IOException_keeps_its_ErrorCode)
{
    const auto code = std::make_error_code(std::errc::io_error);
    BOOST_TEST((IOException("m", code).ErrorCode() == code));
    BOOST_TEST(!IOException().ErrorCode());
}

BOOST_AUTO_TEST_CASE(FileNotFoundException_keeps_FileName_and_ErrorCode)
{
    const auto code = std::make_error_code(std::errc::no_such_file_or_directory);
    const FileNotFoundException e("Could not find file.", "/tmp/missing.txt", code);
    BOOST_TEST(e.FileName() == "/tmp/missing.txt");
    BOOST_TEST((e.ErrorCode() == code));
    BOOST_TEST(e.Message() == "Could not find file.");
    BOOST_TEST(FileNotFoundException().FileName().empty());
}

BOOST_AUTO_TEST_CASE(IOException_subclasses_keep_their_ErrorCode_when_caught_as_IOException)
{
    const auto not_dir = std::make_error_code(std::errc::not_a_directory);
    const auto io = std::make_error_code(std::errc::io_error);
    BOOST_CHECK_EXCEPTION(throw DirectoryNotFoundException("m", not_dir), IOException,
                          [&](const IOException& e) { return e.ErrorCode() == not_dir; });
    BOOST_CHECK_EXCEPTION(throw EndOfStreamException("m", io), IOException,
                          [&](const IOException& e) { return e.ErrorCode() == io; });
}

BOOST_AUTO_TEST_CASE(SocketException_keeps_SocketErrorCode_and_describes_it)
{
    const auto code = std::make_error_code(std::errc::connection_reset);
    const SocketException e(code);
    BOOST_TEST((e.ErrorCode() == code));
    BOOST_TEST((e.SocketErrorCode() == SocketError::ConnectionReset));
    BOOST_TEST(e.NativeErrorCode() == ECONNRESET);
    BOOST_TEST(e.Message() == code.message());
}

BOOST_AUTO_TEST_CASE(SocketException_from_a_SocketError_carries_the_errno_it_stands_for)
{
    const SocketException refused(SocketError::ConnectionRefused);
    BOOST_TEST((refused.SocketErrorCode() == SocketError::ConnectionRefused));
    BOOST_TEST(refused.NativeErrorCode() == ECONNREFUSED);
    BOOST_TEST(!refused.Message().empty());
    // Resolver errors have no errno: the code keeps the .NET value.
    const SocketException not_found(SocketError::HostNotFound);
    BOOST_TEST((not_found.SocketErrorCode() == SocketError::HostNotFound));
    BOOST_TEST(not_found.NativeErrorCode() == 11001);
    BOOST_TEST(not_found.Message() == "HostNotFound");
}

BOOST_AUTO_TEST_CASE(SocketException_with_a_message_keeps_the_message_and_the_code)
{
    const auto code = std::make_error_code(std::errc::connection_refused);
    const SocketException e(code, "connect to 127.0.0.1:1 failed");
    BOOST_TEST((e.ErrorCode() == code));
    BOOST_TEST((e.SocketErrorCode() == SocketError::ConnectionRefused));
    BOOST_TEST(e.Message() == "connect to 127.0.0.1:1 failed");
}

// ---------------------------------------------------------------------------
// AggregateException
// ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(AggregateException_keeps_InnerExceptions_in_order)
{
    const std::vector<std::exception_ptr> inners = {
        std::make_exception_ptr(InvalidOperationException("first failure")),
        std::make_exception_ptr(TimeoutException("second failure")),
        std::make_exception_ptr(std::logic_error("third failure")),
    };
    const AggregateException e(inners);
    BOOST_TEST_REQUIRE(e.InnerExceptions().size() == 3u);
    for (std::size_t i = 0; i < inners.size(); ++i)
        BOOST_TEST((e.InnerExceptions()[i] == inners[i]), "inner exception #" << i << " differs");
    BOOST_CHECK_THROW(std::rethrow_exception(e.InnerExceptions()[0]), InvalidOperationException);
    BOOST_CHECK_THROW(std::rethrow_exception(e.InnerExceptions()[1]), TimeoutException);
    BOOST_CHECK_THROW(std::rethrow_exception(e.InnerExceptions()[2]), std::logic_error);
}

BOOST_AUTO_TEST_CASE(AggregateException_InnerException_is_the_first_inner_exception)
{
    const auto first = std::make_exception_ptr(IOException("first"));
    const auto second = std::make_exception_ptr(IOException("second"));
    BOOST_TEST((AggregateException({first, second}).InnerException() == first));
    BOOST_TEST(!AggregateException(std::vector<std::exception_ptr>{}).InnerException());
}

BOOST_AUTO_TEST_CASE(AggregateException_message_mentions_each_inner_exception)
{
    const AggregateException e({std::make_exception_ptr(InvalidOperationException("alpha broke")),
                                std::make_exception_ptr(std::runtime_error("beta broke"))});
    BOOST_TEST(contains(e.Message(), "alpha broke"));
    BOOST_TEST(contains(e.Message(), "beta broke"));
    BOOST_TEST(e.Message().find("alpha broke") < e.Message().find("beta broke"));
}

BOOST_AUTO_TEST_CASE(AggregateException_with_a_message_starts_with_it_and_mentions_inners)
{
    const AggregateException e("Two reads failed.",
                               {std::make_exception_ptr(EndOfStreamException("read one")),
                                std::make_exception_ptr(EndOfStreamException("read two"))});
    BOOST_TEST(e.Message().starts_with("Two reads failed."));
    BOOST_TEST(contains(e.Message(), "read one"));
    BOOST_TEST(contains(e.Message(), "read two"));
    BOOST_TEST(e.InnerExceptions().size() == 2u);
}

BOOST_AUTO_TEST_CASE(AggregateException_accepts_inner_exceptions_not_derived_from_std_exception)
{
    const AggregateException e({std::make_exception_ptr(user_failure{7})});
    BOOST_TEST(!e.Message().empty());
    BOOST_TEST_REQUIRE(e.InnerExceptions().size() == 1u);
    BOOST_CHECK_EXCEPTION(std::rethrow_exception(e.InnerExceptions()[0]), user_failure,
                          [](const user_failure& f) { return f.code == 7; });
}

BOOST_AUTO_TEST_CASE(AggregateException_with_a_null_inner_exception_throws_ArgumentException)
{
    const std::vector<std::exception_ptr> inners{std::make_exception_ptr(TimeoutException()), nullptr};
    try {
        AggregateException e(inners);
        BOOST_FAIL("a null inner exception was accepted");
    } catch (const ArgumentException& e) {
        BOOST_TEST(e.ParamName() == "innerExceptions");
    }
}

BOOST_AUTO_TEST_CASE(AggregateException_without_inners_has_an_empty_list_and_default_message)
{
    const AggregateException e(std::vector<std::exception_ptr>{});
    BOOST_TEST(e.InnerExceptions().empty());
    BOOST_TEST(!e.Message().empty());
}

BOOST_AUTO_TEST_SUITE_END()
