// HttpMethod, HttpHeaders, HttpContent and the two messages, without a
// network: their rules and what they refuse.
#include <dotasync/http/http_request_message.hpp>
#include <dotasync/http/http_response_message.hpp>

#include "support/waiting.hpp"

#include <dotasync/io/memory_stream.hpp>

#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <string>

using namespace dotasync;
using namespace dotasync_test;
namespace asio = boost::asio;

BOOST_AUTO_TEST_SUITE(http_messages)

BOOST_AUTO_TEST_CASE(HttpMethod_accepts_tokens_and_refuses_the_rest)
{
    BOOST_TEST(HttpMethod::Get().Method() == "GET");
    BOOST_TEST((HttpMethod("PATCH") == HttpMethod::Patch()));
    BOOST_TEST(!(HttpMethod("get") == HttpMethod::Get()));
    BOOST_CHECK_THROW(HttpMethod(""), ArgumentException);
    BOOST_CHECK_THROW(HttpMethod("GE T"), ArgumentException);
}

BOOST_AUTO_TEST_CASE(headers_keep_values_in_order_and_compare_names_without_case)
{
    HttpRequestHeaders h;
    h.Add("Accept", "text/html");
    h.Add("accept", std::vector<std::string>{"a/b", "c/d"});
    BOOST_TEST(h.Contains("ACCEPT"));
    BOOST_TEST((h.GetValues("Accept") == std::vector<std::string>{"text/html", "a/b", "c/d"}));
    BOOST_TEST(h.ToString() == "Accept: text/html\r\naccept: a/b\r\naccept: c/d\r\n");
    BOOST_TEST(h.Remove("Accept"));
    BOOST_TEST(!h.Remove("Accept"));
    std::vector<std::string> values{"untouched"};
    BOOST_TEST(!h.TryGetValues("Accept", values));
    BOOST_TEST(values.size() == 1u);
    BOOST_CHECK_THROW(h.GetValues("Accept"), InvalidOperationException);
}

BOOST_AUTO_TEST_CASE(headers_refuse_bad_names_new_lines_and_misused_names)
{
    HttpRequestHeaders request;
    BOOST_CHECK_THROW(request.Add("Bad Name", "x"), FormatException);
    BOOST_CHECK_THROW(request.Add("X-A", "a\r\nInjected: yes"), FormatException);
    BOOST_CHECK_THROW(request.Add("X-A", std::vector<std::string>{"ok", "bad\n"}), FormatException);
    BOOST_TEST(!request.Contains("X-A"));
    BOOST_CHECK_THROW(request.Add("Content-Type", "text/plain"), InvalidOperationException);
    BOOST_TEST(request.TryAddWithoutValidation("Content-Type", "text/plain"));
    BOOST_TEST(!request.TryAddWithoutValidation("X-B", "a\nb"));

    HttpContentHeaders content;
    BOOST_CHECK_THROW(content.Add("Accept", "x"), InvalidOperationException);
    content.Add("Content-Language", "en");
    content.ContentType("text/csv");
    content.ContentLength(12);
    BOOST_TEST(content.ContentType() == "text/csv");
    BOOST_TEST(*content.ContentLength() == 12);
    content.ContentLength(std::nullopt);
    BOOST_TEST(!content.ContentLength());
    BOOST_CHECK_THROW(content.ContentLength(-1), ArgumentOutOfRangeException);
}

BOOST_AUTO_TEST_CASE(header_names_and_methods_are_HTTP_tokens_of_ASCII_characters)
{
    HttpRequestHeaders h;
    BOOST_TEST(h.TryAddWithoutValidation("X!#$%&'*+-.^_`|~Az09", "v"));
    for (const std::string& bad : {std::string(), std::string("X("), std::string("X:"), std::string("X\""),
                                  std::string("X/"), std::string("X,"), std::string("X@"), std::string("X\x7f"),
                                  std::string("X\xe9"), std::string("X\0Y", 3)}) {
        BOOST_TEST_CONTEXT("name of " << bad.size() << " bytes")
        {
            BOOST_TEST(!h.TryAddWithoutValidation(bad, "v"));
            BOOST_CHECK_THROW(h.Add(bad, "v"), FormatException);
        }
    }
    BOOST_TEST(h.Contains("x!#$%&'*+-.^_`|~aZ09"));
    BOOST_CHECK_NO_THROW(HttpMethod("M-SEARCH"));
    BOOST_CHECK_THROW(HttpMethod("G\xc3\x89T"), ArgumentException);
    BOOST_CHECK_THROW(HttpMethod("GET/"), ArgumentException);
}

BOOST_AUTO_TEST_CASE(StringContent_is_utf8_text_with_its_length_and_reads_back_in_every_form)
{
    StringContent text("héllo");
    BOOST_TEST(text.Headers().ContentType() == "text/plain; charset=utf-8");
    BOOST_TEST(*text.Headers().ContentLength() == 6);
    StringContent json("{}", "application/json");
    BOOST_TEST(json.Headers().ContentType() == "application/json; charset=utf-8");
    BOOST_CHECK_THROW(StringContent("x", ""), ArgumentException);

    BOOST_TEST(get_within(text.ReadAsStringAsync(asio::use_future)) == "héllo");
    const auto bytes = get_within(text.ReadAsByteArrayAsync(asio::use_future));
    BOOST_TEST(bytes.size() == 6u);
    auto stream = get_within(text.ReadAsStreamAsync(asio::use_future));
    BOOST_TEST(stream->Length() == 6);
}

BOOST_AUTO_TEST_CASE(ByteArrayContent_checks_its_range_and_StreamContent_its_stream)
{
    const std::vector<std::uint8_t> data{1, 2, 3, 4};
    ByteArrayContent slice(data, 1, 2);
    BOOST_TEST(*slice.Headers().ContentLength() == 2);
    BOOST_TEST(slice.Headers().ContentType().empty());
    BOOST_TEST((get_within(slice.ReadAsByteArrayAsync(asio::use_future)) == std::vector<std::uint8_t>{2, 3}));
    BOOST_CHECK_THROW(ByteArrayContent(data, -1, 1), ArgumentOutOfRangeException);
    BOOST_CHECK_THROW(ByteArrayContent(data, 2, 3), ArgumentOutOfRangeException);
    BOOST_CHECK_THROW(StreamContent(nullptr), ArgumentNullException);

    auto source = std::make_shared<MemoryStream>();
    const std::string text = "from a stream";
    source->Write(std::vector<std::uint8_t>(text.begin(), text.end()), 0, int(text.size()));
    source->Position(5);
    StreamContent content(source);
    BOOST_TEST(!content.Headers().ContentLength());
    // The stream is read once; a second read gives the same bytes.
    BOOST_TEST(get_within(content.ReadAsStringAsync(asio::use_future)) == "a stream");
    BOOST_TEST(get_within(content.ReadAsStringAsync(asio::use_future)) == "a stream");
}

BOOST_AUTO_TEST_CASE(A_response_status_outside_0_to_999_throws_ArgumentOutOfRangeException)
{
    BOOST_CHECK_THROW(HttpResponseMessage(static_cast<HttpStatusCode>(-1)), ArgumentOutOfRangeException);
    BOOST_CHECK_THROW(HttpResponseMessage(static_cast<HttpStatusCode>(1000)), ArgumentOutOfRangeException);
    const HttpResponseMessage lowest(static_cast<HttpStatusCode>(0));
    const HttpResponseMessage highest(static_cast<HttpStatusCode>(999));
    BOOST_TEST(int(highest.StatusCode()) == 999);
    BOOST_TEST(get_within(highest.Content().ReadAsStringAsync(asio::use_future)).empty());
}

BOOST_AUTO_TEST_CASE(EnsureSuccessStatusCode_throws_HttpRequestException_with_the_status_outside_2xx)
{
    HttpResponseMessage ok;
    BOOST_TEST(ok.IsSuccessStatusCode());
    BOOST_TEST(&ok.EnsureSuccessStatusCode() == &ok);
    BOOST_TEST(get_within(ok.Content().ReadAsStringAsync(asio::use_future)).empty());

    HttpResponseMessage missing(HttpStatusCode::NotFound);
    missing.ReasonPhrase("Not Found");
    BOOST_TEST(!missing.IsSuccessStatusCode());
    try {
        missing.EnsureSuccessStatusCode();
        BOOST_FAIL("EnsureSuccessStatusCode did not throw");
    } catch (const HttpRequestException& e) {
        BOOST_TEST(e.Message() == "Response status code does not indicate success: 404 (Not Found).");
        BOOST_TEST((e.StatusCode() == HttpStatusCode::NotFound));
    }
    BOOST_CHECK_THROW(missing.Content(nullptr), ArgumentNullException);
}

BOOST_AUTO_TEST_CASE(a_request_message_takes_a_relative_address_and_its_content)
{
    HttpRequestMessage request(HttpMethod::Put(), "items/1");
    BOOST_TEST(!request.RequestUri()->IsAbsoluteUri());
    request.Content(std::make_shared<StringContent>("x"));
    BOOST_TEST(request.Content()->Headers().ContentType() == "text/plain; charset=utf-8");
    BOOST_CHECK_THROW(HttpRequestMessage(HttpMethod::Get(), "http://"), UriFormatException);
}

BOOST_AUTO_TEST_SUITE_END()
