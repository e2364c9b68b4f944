#include <dotasync/io/file_enums.hpp>

#include <boost/test/unit_test.hpp>

using namespace dotasync;

BOOST_AUTO_TEST_CASE(The_enumerations_have_the_dotnet_values)
{
    BOOST_TEST(static_cast<int>(FileMode::CreateNew) == 1);
    BOOST_TEST(static_cast<int>(FileMode::Append) == 6);
    BOOST_TEST(static_cast<int>(FileAccess::ReadWrite) == 3);
    BOOST_TEST(static_cast<int>(FileShare::Delete) == 4);
    BOOST_TEST(static_cast<std::uint32_t>(FileOptions::WriteThrough) == 0x80000000u);
    BOOST_TEST(static_cast<std::uint32_t>(FileOptions::DeleteOnClose) == 0x04000000u);
}

BOOST_AUTO_TEST_CASE(Flags_combine_and_test_with_has_flag)
{
    constexpr auto access = FileAccess::Read | FileAccess::Write;
    static_assert(access == FileAccess::ReadWrite);
    static_assert(has_flag(FileShare::ReadWrite, FileShare::Write));
    static_assert(!has_flag(FileShare::Read, FileShare::Write));
    const auto options = FileOptions::DeleteOnClose | FileOptions::SequentialScan;
    BOOST_TEST(has_flag(options, FileOptions::SequentialScan));
    BOOST_TEST(!has_flag(options, FileOptions::RandomAccess));
}
