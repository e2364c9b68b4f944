// Uri: parsing, the parts HTTP uses, relative resolution, and what it
// refuses.
#include <dotasync/http/uri.hpp>

#include <boost/test/unit_test.hpp>

#include <utility>

using namespace dotasync;

BOOST_AUTO_TEST_SUITE(uri)

BOOST_AUTO_TEST_CASE(an_absolute_uri_gives_its_parts)
{
    const Uri u("HTTP://Example.COM:8080/a/b?x=1#top");
    BOOST_TEST(u.IsAbsoluteUri());
    BOOST_TEST(u.Scheme() == "http");
    BOOST_TEST(u.Host() == "example.com");
    BOOST_TEST(u.Port() == 8080);
    BOOST_TEST(!u.IsDefaultPort());
    BOOST_TEST(u.AbsolutePath() == "/a/b");
    BOOST_TEST(u.Query() == "?x=1");
    BOOST_TEST(u.Fragment() == "#top");
    BOOST_TEST(u.PathAndQuery() == "/a/b?x=1");
    BOOST_TEST(u.Authority() == "example.com:8080");
    BOOST_TEST(u.AbsoluteUri() == "http://example.com:8080/a/b?x=1#top");
    BOOST_TEST(u.ToString() == u.AbsoluteUri());
    BOOST_TEST(u.OriginalString() == "HTTP://Example.COM:8080/a/b?x=1#top");
}

BOOST_AUTO_TEST_CASE(default_ports_are_the_schemes_and_are_left_out_of_AbsoluteUri)
{
    BOOST_TEST(Uri("http://h").Port() == 80);
    BOOST_TEST(Uri("https://h").Port() == 443);
    BOOST_TEST(Uri("http://h:80/x").AbsoluteUri() == "http://h/x");
    BOOST_TEST(Uri("http://h").AbsoluteUri() == "http://h/");
    BOOST_TEST(Uri("http://h").PathAndQuery() == "/");
    BOOST_TEST(Uri("http://[::1]:81/").Host() == "[::1]");
    BOOST_TEST(Uri("http://[::1]:81/").Port() == 81);
    BOOST_TEST(Uri("http://h/a/./b/../c").AbsolutePath() == "/a/c");
}

BOOST_AUTO_TEST_CASE(relative_references_resolve_as_RFC_3986_says)
{
    const Uri base("http://a/b/c/d;p?q");
    BOOST_TEST(Uri(base, "g").AbsoluteUri() == "http://a/b/c/g");
    BOOST_TEST(Uri(base, "./g").AbsoluteUri() == "http://a/b/c/g");
    BOOST_TEST(Uri(base, "g/").AbsoluteUri() == "http://a/b/c/g/");
    BOOST_TEST(Uri(base, "/g").AbsoluteUri() == "http://a/g");
    BOOST_TEST(Uri(base, "//g").AbsoluteUri() == "http://g/");
    BOOST_TEST(Uri(base, "?y").AbsoluteUri() == "http://a/b/c/d;p?y");
    BOOST_TEST(Uri(base, "g?y").AbsoluteUri() == "http://a/b/c/g?y");
    BOOST_TEST(Uri(base, "#s").AbsoluteUri() == "http://a/b/c/d;p?q#s");
    BOOST_TEST(Uri(base, "..").AbsoluteUri() == "http://a/b/");
    BOOST_TEST(Uri(base, "../g").AbsoluteUri() == "http://a/b/g");
    BOOST_TEST(Uri(base, "../../g").AbsoluteUri() == "http://a/g");
    BOOST_TEST(Uri(base, "../../../g").AbsoluteUri() == "http://a/g");
    BOOST_TEST(Uri(base, "").AbsoluteUri() == "http://a/b/c/d;p?q");
    BOOST_TEST(Uri(base, "https://other:9/x").AbsoluteUri() == "https://other:9/x");
    BOOST_TEST(Uri(base, Uri("g", UriKind::Relative)).AbsoluteUri() == "http://a/b/c/g");
}

BOOST_AUTO_TEST_CASE(a_relative_uri_is_kept_as_written_and_has_no_parts)
{
    const Uri r("items/1?x", UriKind::RelativeOrAbsolute);
    BOOST_TEST(!r.IsAbsoluteUri());
    BOOST_TEST(r.ToString() == "items/1?x");
    BOOST_CHECK_THROW(r.Host(), InvalidOperationException);
    BOOST_CHECK_THROW(r.PathAndQuery(), InvalidOperationException);
    BOOST_CHECK_THROW(Uri(r, "x"), InvalidOperationException);
}

BOOST_AUTO_TEST_CASE(bad_text_throws_UriFormatException)
{
    BOOST_CHECK_THROW(Uri("items/1"), UriFormatException);
    BOOST_CHECK_THROW(Uri(""), UriFormatException);
    BOOST_CHECK_THROW(Uri("http://"), UriFormatException);
    BOOST_CHECK_THROW(Uri("http://h:99999/"), UriFormatException);
    BOOST_CHECK_THROW(Uri("http://h:8x/"), UriFormatException);
    BOOST_CHECK_THROW(Uri("http://h/a b"), UriFormatException);
    BOOST_CHECK_THROW(Uri("http://[::1/"), UriFormatException);
    BOOST_CHECK_THROW(Uri("http://h/", UriKind::Relative), UriFormatException);
    // UriFormatException is a FormatException, as in .NET.
    BOOST_CHECK_THROW(Uri("nope"), FormatException);
}

BOOST_AUTO_TEST_CASE(uris_compare_without_their_fragment)
{
    BOOST_TEST((Uri("http://H/a#x") == Uri("http://h:80/a#y")));
    BOOST_TEST(!(Uri("http://h/a") == Uri("http://h/b")));
    BOOST_TEST(!(Uri("http://h/a") == Uri("a", UriKind::Relative)));
}

BOOST_AUTO_TEST_CASE(a_uri_copied_assigned_or_moved_from_keeps_its_address)
{
    Uri original("http://user@example.com:8080/a/b?q=1#f");
    Uri copy = original;
    Uri assigned("https://other.example/");
    assigned = copy;
    BOOST_TEST((copy == original));
    BOOST_TEST(assigned.AbsoluteUri() == "http://user@example.com:8080/a/b?q=1#f");
    Uri moved = std::move(original);
    BOOST_TEST(moved.Host() == "example.com");
    // A Uri never changes, so the one moved from still holds its address.
    BOOST_TEST(original.AbsoluteUri() == moved.AbsoluteUri()); // NOLINT(bugprone-use-after-move)
    Uri relative("c/d", UriKind::Relative);
    Uri relative_copy = relative;
    BOOST_TEST(!relative_copy.IsAbsoluteUri());
    BOOST_TEST(relative_copy.OriginalString() == "c/d");
}

BOOST_AUTO_TEST_SUITE_END()
