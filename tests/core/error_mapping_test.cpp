#include <dotasync/core/error_mapping.hpp>

#include <dotasync/core/exceptions.hpp>

#include <boost/asio/error.hpp>
#include <boost/core/demangle.hpp>
#include <boost/system/errc.hpp>
#include <boost/system/error_code.hpp>
#include <boost/test/unit_test.hpp>

#include <cerrno>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <typeinfo>
#include <vector>

using namespace dotasync;

namespace {

namespace asio_error = boost::asio::error;
namespace berrc = boost::system::errc;

std::string dynamic_type_name(const std::exception_ptr& error)
{
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        return boost::core::demangle(typeid(e).name());
    } catch (...) {
        return "<not a std::exception>";
    }
}

template <class T>
std::string type_name()
{
    return boost::core::demangle(typeid(T).name());
}

bool contains(const std::string& text, std::string_view part)
{
    return text.find(part) != std::string::npos;
}

// Checks that ec maps to exactly Expected (not merely to a base or a derived
// class of it), both through exception_from_error and through
// throw_if_error, and returns the mapped exception for further checks.
template <class Expected, class Code>
std::optional<Expected> expect_mapping(const Code& ec, std::string_view context = {})
{
    BOOST_TEST_CONTEXT("error " << ec.category().name() << ":" << ec.value() << " ('" << ec.message()
                                << "'), context '" << context << "'")
    {
        try {
            throw_if_error(ec, context);
            BOOST_ERROR("throw_if_error did not throw");
        } catch (const std::exception& e) {
            const std::string thrown = boost::core::demangle(typeid(e).name());
            BOOST_TEST(thrown == type_name<Expected>(), "throw_if_error threw " << thrown << " ('"
                                                             << e.what() << "'), not "
                                                             << type_name<Expected>());
        } catch (...) {
            BOOST_ERROR("throw_if_error threw something not derived from std::exception");
        }

        const std::exception_ptr error = exception_from_error(ec, context);
        if (!error) {
            BOOST_ERROR("exception_from_error returned a null exception_ptr");
            return std::nullopt;
        }
        const std::string returned = dynamic_type_name(error);
        BOOST_TEST(returned == type_name<Expected>(),
                   "exception_from_error returned " << returned << ", not " << type_name<Expected>());
        try {
            std::rethrow_exception(error);
        } catch (const Expected& e) {
            return e;
        } catch (...) {
        }
    }
    return std::nullopt;
}

std::error_code as_std(const boost::system::error_code& ec)
{
    return ec;
}

// One row of the table in error_mapping.hpp, for the checks that apply to
// every row.
struct row {
    std::string name;
    std::exception_ptr (*map)(std::string_view context);
    bool is_io_exception;
    std::error_code code;
};

template <class Code>
std::exception_ptr map_code(const Code& ec, std::string_view context)
{
    return exception_from_error(ec, context);
}

std::vector<row> all_rows()
{
    // clang-format off
    return {
        {"operation_aborted", [](std::string_view c) { return map_code(boost::system::error_code(asio_error::operation_aborted), c); }, false, as_std(asio_error::operation_aborted)},
        {"no_such_file_or_directory", [](std::string_view c) { return map_code(berrc::make_error_code(berrc::no_such_file_or_directory), c); }, true, as_std(berrc::make_error_code(berrc::no_such_file_or_directory))},
        {"not_a_directory", [](std::string_view c) { return map_code(berrc::make_error_code(berrc::not_a_directory), c); }, true, as_std(berrc::make_error_code(berrc::not_a_directory))},
        {"permission_denied", [](std::string_view c) { return map_code(berrc::make_error_code(berrc::permission_denied), c); }, false, {}},
        {"operation_not_permitted", [](std::string_view c) { return map_code(berrc::make_error_code(berrc::operation_not_permitted), c); }, false, {}},
        {"eof", [](std::string_view c) { return map_code(boost::system::error_code(asio_error::eof), c); }, true, as_std(asio_error::eof)},
        {"timed_out", [](std::string_view c) { return map_code(boost::system::error_code(asio_error::timed_out), c); }, false, {}},
        {"bad_descriptor", [](std::string_view c) { return map_code(boost::system::error_code(asio_error::bad_descriptor), c); }, false, {}},
        {"invalid_argument", [](std::string_view c) { return map_code(boost::system::error_code(asio_error::invalid_argument), c); }, false, {}},
        {"operation_not_supported", [](std::string_view c) { return map_code(boost::system::error_code(asio_error::operation_not_supported), c); }, false, {}},
        {"connection_refused", [](std::string_view c) { return map_code(boost::system::error_code(asio_error::connection_refused), c); }, false, {}},
        {"host_not_found", [](std::string_view c) { return map_code(boost::system::error_code(asio_error::host_not_found), c); }, false, {}},
        {"io_error (anything else)", [](std::string_view c) { return map_code(berrc::make_error_code(berrc::io_error), c); }, true, as_std(berrc::make_error_code(berrc::io_error))},
    };
    // clang-format on
}

} // namespace

BOOST_AUTO_TEST_SUITE(error_mapping)

// ---------------------------------------------------------------------------
// No error
// ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(exception_from_error_returns_null_when_there_is_no_error)
{
    BOOST_TEST(!exception_from_error(boost::system::error_code{}));
    BOOST_TEST(!exception_from_error(boost::system::error_code{}, "file.txt"));
    BOOST_TEST(!exception_from_error(std::error_code{}));
    BOOST_TEST(!exception_from_error(std::error_code{}, "file.txt"));
}

BOOST_AUTO_TEST_CASE(throw_if_error_does_not_throw_when_there_is_no_error)
{
    BOOST_CHECK_NO_THROW(throw_if_error(boost::system::error_code{}));
    BOOST_CHECK_NO_THROW(throw_if_error(boost::system::error_code{}, "file.txt"));
    BOOST_CHECK_NO_THROW(throw_if_error(std::error_code{}));
    BOOST_CHECK_NO_THROW(throw_if_error(std::error_code{}, "file.txt"));
}

// ---------------------------------------------------------------------------
// One test per row of the table
// ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(operation_aborted_maps_to_OperationCanceledException)
{
    expect_mapping<OperationCanceledException>(boost::system::error_code(asio_error::operation_aborted));
    expect_mapping<OperationCanceledException>(berrc::make_error_code(berrc::operation_canceled));
    expect_mapping<OperationCanceledException>(std::make_error_code(std::errc::operation_canceled));
    expect_mapping<OperationCanceledException>(as_std(asio_error::operation_aborted));
}

BOOST_AUTO_TEST_CASE(no_such_file_or_directory_maps_to_FileNotFoundException)
{
    expect_mapping<FileNotFoundException>(berrc::make_error_code(berrc::no_such_file_or_directory));
    expect_mapping<FileNotFoundException>(
        boost::system::error_code(ENOENT, boost::system::system_category()));
    expect_mapping<FileNotFoundException>(std::make_error_code(std::errc::no_such_file_or_directory));
    expect_mapping<FileNotFoundException>(std::error_code(ENOENT, std::system_category()));
}

BOOST_AUTO_TEST_CASE(FileNotFoundException_carries_the_context_as_FileName_and_in_its_message)
{
    const std::string path = "/var/data/missing-file.bin";
    for (const auto& mapped :
         {expect_mapping<FileNotFoundException>(berrc::make_error_code(berrc::no_such_file_or_directory), path),
          expect_mapping<FileNotFoundException>(std::make_error_code(std::errc::no_such_file_or_directory), path)}) {
        BOOST_TEST_REQUIRE(mapped.has_value());
        BOOST_TEST(mapped->FileName() == path);
        BOOST_TEST(contains(mapped->Message(), path));
    }
}

BOOST_AUTO_TEST_CASE(FileNotFoundException_without_context_has_an_empty_FileName_and_a_message)
{
    const auto mapped =
        expect_mapping<FileNotFoundException>(std::make_error_code(std::errc::no_such_file_or_directory));
    BOOST_TEST_REQUIRE(mapped.has_value());
    BOOST_TEST(mapped->FileName().empty());
    BOOST_TEST(!mapped->Message().empty());
}

BOOST_AUTO_TEST_CASE(FileNotFoundException_keeps_the_code_as_ErrorCode)
{
    const auto std_code = std::make_error_code(std::errc::no_such_file_or_directory);
    const auto from_std = expect_mapping<FileNotFoundException>(std_code, "a.txt");
    BOOST_TEST_REQUIRE(from_std.has_value());
    BOOST_TEST((from_std->ErrorCode() == std_code));

    const auto boost_code = berrc::make_error_code(berrc::no_such_file_or_directory);
    const auto from_boost = expect_mapping<FileNotFoundException>(boost_code, "a.txt");
    BOOST_TEST_REQUIRE(from_boost.has_value());
    BOOST_TEST((from_boost->ErrorCode() == as_std(boost_code)));
    BOOST_TEST((from_boost->ErrorCode() == std::errc::no_such_file_or_directory));
}

BOOST_AUTO_TEST_CASE(not_a_directory_maps_to_DirectoryNotFoundException)
{
    expect_mapping<DirectoryNotFoundException>(berrc::make_error_code(berrc::not_a_directory));
    expect_mapping<DirectoryNotFoundException>(std::make_error_code(std::errc::not_a_directory));
    const auto mapped = expect_mapping<DirectoryNotFoundException>(
        boost::system::error_code(ENOTDIR, boost::system::system_category()), "/etc/passwd/x");
    BOOST_TEST_REQUIRE(mapped.has_value());
    BOOST_TEST(contains(mapped->Message(), "/etc/passwd/x"));
    BOOST_TEST((mapped->ErrorCode() == std::errc::not_a_directory));
}

BOOST_AUTO_TEST_CASE(permission_denied_and_not_permitted_map_to_UnauthorizedAccessException)
{
    expect_mapping<UnauthorizedAccessException>(berrc::make_error_code(berrc::permission_denied));
    expect_mapping<UnauthorizedAccessException>(boost::system::error_code(asio_error::access_denied));
    expect_mapping<UnauthorizedAccessException>(berrc::make_error_code(berrc::operation_not_permitted));
    expect_mapping<UnauthorizedAccessException>(std::make_error_code(std::errc::permission_denied));
    expect_mapping<UnauthorizedAccessException>(std::make_error_code(std::errc::operation_not_permitted));
    const auto mapped = expect_mapping<UnauthorizedAccessException>(
        std::make_error_code(std::errc::permission_denied), "/root/secret");
    BOOST_TEST_REQUIRE(mapped.has_value());
    BOOST_TEST(contains(mapped->Message(), "/root/secret"));
}

BOOST_AUTO_TEST_CASE(eof_maps_to_EndOfStreamException_keeping_the_code)
{
    const boost::system::error_code eof = asio_error::eof;
    const auto from_boost = expect_mapping<EndOfStreamException>(eof);
    BOOST_TEST_REQUIRE(from_boost.has_value());
    BOOST_TEST((from_boost->ErrorCode() == as_std(eof)));

    // An Asio code that went through std::error_code on its way here.
    const auto from_std = expect_mapping<EndOfStreamException>(as_std(eof));
    BOOST_TEST_REQUIRE(from_std.has_value());
    BOOST_TEST((from_std->ErrorCode() == as_std(eof)));
}

BOOST_AUTO_TEST_CASE(timed_out_maps_to_TimeoutException)
{
    expect_mapping<TimeoutException>(boost::system::error_code(asio_error::timed_out));
    expect_mapping<TimeoutException>(berrc::make_error_code(berrc::timed_out));
    expect_mapping<TimeoutException>(std::make_error_code(std::errc::timed_out));
}

BOOST_AUTO_TEST_CASE(bad_descriptor_maps_to_ObjectDisposedException_naming_the_object)
{
    const auto from_boost =
        expect_mapping<ObjectDisposedException>(boost::system::error_code(asio_error::bad_descriptor), "FileStream");
    BOOST_TEST_REQUIRE(from_boost.has_value());
    BOOST_TEST(from_boost->ObjectName() == "FileStream");
    BOOST_TEST(contains(from_boost->Message(), "FileStream"));

    const auto from_std =
        expect_mapping<ObjectDisposedException>(std::make_error_code(std::errc::bad_file_descriptor), "Socket");
    BOOST_TEST_REQUIRE(from_std.has_value());
    BOOST_TEST(from_std->ObjectName() == "Socket");

    expect_mapping<ObjectDisposedException>(berrc::make_error_code(berrc::bad_file_descriptor));
}

BOOST_AUTO_TEST_CASE(invalid_argument_maps_to_ArgumentException)
{
    expect_mapping<ArgumentException>(boost::system::error_code(asio_error::invalid_argument));
    expect_mapping<ArgumentException>(berrc::make_error_code(berrc::invalid_argument));
    expect_mapping<ArgumentException>(std::make_error_code(std::errc::invalid_argument));
}

BOOST_AUTO_TEST_CASE(not_supported_and_its_kin_map_to_NotSupportedException)
{
    expect_mapping<NotSupportedException>(boost::system::error_code(asio_error::operation_not_supported));
    expect_mapping<NotSupportedException>(berrc::make_error_code(berrc::not_supported));
    expect_mapping<NotSupportedException>(berrc::make_error_code(berrc::operation_not_supported));
    expect_mapping<NotSupportedException>(berrc::make_error_code(berrc::function_not_supported));
    expect_mapping<NotSupportedException>(std::make_error_code(std::errc::not_supported));
    expect_mapping<NotSupportedException>(std::make_error_code(std::errc::operation_not_supported));
    expect_mapping<NotSupportedException>(std::make_error_code(std::errc::function_not_supported));
}

BOOST_AUTO_TEST_CASE(socket_errors_from_asio_map_to_SocketException_keeping_the_code)
{
    for (const boost::system::error_code ec :
         {boost::system::error_code(asio_error::connection_refused),
          boost::system::error_code(asio_error::connection_reset),
          boost::system::error_code(asio_error::connection_aborted),
          boost::system::error_code(asio_error::network_unreachable),
          boost::system::error_code(asio_error::host_unreachable),
          boost::system::error_code(asio_error::not_connected),
          boost::system::error_code(asio_error::address_in_use)}) {
        const auto mapped = expect_mapping<SocketException>(ec, "example.com:80");
        BOOST_TEST_REQUIRE(mapped.has_value());
        BOOST_TEST((mapped->ErrorCode() == as_std(ec)));
    }
}

BOOST_AUTO_TEST_CASE(name_resolution_errors_map_to_SocketException_keeping_the_code)
{
    for (const boost::system::error_code ec : {boost::system::error_code(asio_error::host_not_found),
                                               boost::system::error_code(asio_error::host_not_found_try_again),
                                               boost::system::error_code(asio_error::service_not_found)}) {
        const auto mapped = expect_mapping<SocketException>(ec, "no-such-host.invalid");
        BOOST_TEST_REQUIRE(mapped.has_value());
        BOOST_TEST((mapped->ErrorCode() == as_std(ec)));
    }
    // An Asio resolver code that went through std::error_code.
    const auto from_std = expect_mapping<SocketException>(as_std(asio_error::host_not_found));
    BOOST_TEST_REQUIRE(from_std.has_value());
    BOOST_TEST((from_std->ErrorCode() == as_std(asio_error::host_not_found)));
    BOOST_TEST((from_std->SocketErrorCode() == SocketError::HostNotFound));
}

BOOST_AUTO_TEST_CASE(socket_errors_given_as_portable_error_codes_map_to_SocketException)
{
    // The same socket errors as generic (errc) or std::system_category codes,
    // as code built on std::error_code or Boost.System's errc reports them.
    expect_mapping<SocketException>(std::make_error_code(std::errc::connection_refused));
    expect_mapping<SocketException>(std::make_error_code(std::errc::connection_reset));
    expect_mapping<SocketException>(std::make_error_code(std::errc::network_unreachable));
    expect_mapping<SocketException>(std::error_code(ECONNREFUSED, std::system_category()));
    // Asio's own code, stored in a std::error_code on its way here.
    expect_mapping<SocketException>(as_std(asio_error::connection_refused));
    expect_mapping<SocketException>(as_std(asio_error::shut_down));
    expect_mapping<SocketException>(berrc::make_error_code(berrc::connection_refused));
    const auto code = std::make_error_code(std::errc::connection_refused);
    const auto mapped = expect_mapping<SocketException>(code);
    BOOST_TEST_REQUIRE(mapped.has_value());
    BOOST_TEST((mapped->ErrorCode() == code));
    BOOST_TEST((mapped->SocketErrorCode() == SocketError::ConnectionRefused));
    BOOST_TEST(mapped->NativeErrorCode() == ECONNREFUSED);
}

BOOST_AUTO_TEST_CASE(any_other_error_maps_to_IOException_keeping_the_code)
{
    for (const boost::system::error_code ec :
         {berrc::make_error_code(berrc::io_error), berrc::make_error_code(berrc::no_space_on_device),
          boost::system::error_code(asio_error::already_open),
          boost::system::error_code(EIO, boost::system::system_category())}) {
        const auto mapped = expect_mapping<IOException>(ec, "disk.img");
        BOOST_TEST_REQUIRE(mapped.has_value());
        BOOST_TEST((mapped->ErrorCode() == as_std(ec)));
        BOOST_TEST(contains(mapped->Message(), "disk.img"));
    }
    for (const std::error_code ec : {std::make_error_code(std::errc::io_error),
                                     std::make_error_code(std::errc::no_space_on_device),
                                     std::error_code(EIO, std::system_category())}) {
        const auto mapped = expect_mapping<IOException>(ec, "disk.img");
        BOOST_TEST_REQUIRE(mapped.has_value());
        BOOST_TEST((mapped->ErrorCode() == ec));
    }
}

// ---------------------------------------------------------------------------
// Properties of every row
// ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(IOException_results_keep_the_code_as_ErrorCode)
{
    for (const row& r : all_rows()) {
        if (!r.is_io_exception)
            continue;
        BOOST_TEST_CONTEXT("row " << r.name)
        {
            try {
                std::rethrow_exception(r.map("ctx"));
            } catch (const IOException& e) {
                BOOST_TEST((e.ErrorCode() == r.code));
            } catch (...) {
                BOOST_ERROR("not mapped to an IOException");
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(exception_from_error_puts_the_context_in_the_message_of_every_row)
{
    // error_mapping.hpp: the context "ends up in the exception's message".
    const std::string context = "ctx-7f3a";
    for (const row& r : all_rows()) {
        BOOST_TEST_CONTEXT("row " << r.name)
        {
            const std::exception_ptr error = r.map(context);
            BOOST_TEST_REQUIRE(static_cast<bool>(error));
            try {
                std::rethrow_exception(error);
            } catch (const Exception& e) {
                BOOST_TEST(contains(e.Message(), context), "message is '" << e.Message() << "'");
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(exception_from_error_gives_a_non_empty_message_for_every_row)
{
    for (const row& r : all_rows()) {
        BOOST_TEST_CONTEXT("row " << r.name)
        {
            try {
                std::rethrow_exception(r.map({}));
            } catch (const Exception& e) {
                BOOST_TEST(!e.Message().empty());
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(every_mapped_exception_is_caught_as_dotasync_Exception)
{
    for (const row& r : all_rows()) {
        BOOST_TEST_CONTEXT("row " << r.name)
        {
            BOOST_CHECK_THROW(std::rethrow_exception(r.map("x")), Exception);
            BOOST_CHECK_THROW(std::rethrow_exception(r.map("x")), SystemException);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
