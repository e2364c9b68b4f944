// HttpWebRequest: the APM pair with a state object, the request stream, the
// APM rules of EndGetResponse, Abort, and the WebExceptions.
#include <dotasync/http/web_request.hpp>

#include "local_http_server.hpp"
#include "support/waiting.hpp"

#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <future>

using namespace dotasync;
using namespace dotasync_test;
namespace asio = boost::asio;
using sample::local_http_server;

namespace {

std::string read_all(Stream& s)
{
    std::vector<std::uint8_t> buffer(std::size_t(s.Length()));
    s.ReadExactly(buffer, 0, int(buffer.size()));
    return std::string(buffer.begin(), buffer.end());
}

} // namespace

BOOST_AUTO_TEST_SUITE(http_web_request)

BOOST_AUTO_TEST_CASE(BeginGetResponse_calls_back_with_the_state_and_EndGetResponse_gives_the_response)
{
    local_http_server server;
    auto request = WebRequest::Create(server.base_url() + "text");
    std::promise<std::string> seen;
    auto ar = request->BeginGetResponse(
        [&](const IAsyncResultPtr& r) {
            auto response = request->EndGetResponse(r);
            seen.set_value(std::any_cast<std::string>(r->AsyncState()) + ":" + std::to_string(int(response->StatusCode())) +
                           ":" + response->ContentType() + ":" + read_all(response->GetResponseStream()));
        },
        std::string("state"));
    BOOST_TEST(get_within(seen.get_future()) == "state:200:text/plain; charset=utf-8:Hello, World!");
    BOOST_TEST(ar->IsCompleted());
    BOOST_CHECK_THROW(request->EndGetResponse(ar), InvalidOperationException);
    BOOST_CHECK_THROW(request->EndGetResponse(nullptr), ArgumentNullException);
    auto other = WebRequest::Create(server.base_url() + "text");
    BOOST_CHECK_THROW(other->EndGetResponse(other->BeginGetRequestStream({}, {})), ProtocolViolationException);
}

BOOST_AUTO_TEST_CASE(a_POST_body_goes_through_the_request_stream)
{
    local_http_server server;
    auto request = WebRequest::Create(server.base_url() + "echo");
    request->Method("POST");
    request->ContentType("application/json");
    request->Headers().Add("Content-Language", "en");
    request->Headers().Add("Content-Language", "fr");
    auto ar = request->BeginGetRequestStream({}, {});
    BOOST_TEST(ar->CompletedSynchronously());
    Stream& body = request->EndGetRequestStream(ar);
    const std::string text = R"({"x":1})";
    body.Write(std::vector<std::uint8_t>(text.begin(), text.end()), 0, int(text.size()));
    auto response = request->GetResponse();
    BOOST_TEST(read_all(response->GetResponseStream()) == text);
    BOOST_TEST(response->Headers().Get("X-Req-Content-Type") == "application/json");
    // Both values of a content header reach the server.
    BOOST_TEST((response->Headers().GetValues("X-Req-Content-Language") == std::vector<std::string>{"en", "fr"}));
    BOOST_TEST(response->ContentLength() == 7);
    BOOST_CHECK_THROW(request->GetRequestStream(), InvalidOperationException);
}

BOOST_AUTO_TEST_CASE(a_404_is_a_ProtocolError_WebException_carrying_the_response)
{
    local_http_server server;
    auto request = WebRequest::Create(server.base_url() + "status/404");
    auto ar = request->BeginGetResponse({}, {});
    try {
        request->EndGetResponse(ar);
        BOOST_FAIL("no exception");
    } catch (const WebException& e) {
        BOOST_TEST((e.Status() == WebExceptionStatus::ProtocolError));
        BOOST_REQUIRE(e.Response());
        BOOST_TEST((e.Response()->StatusCode() == HttpStatusCode::NotFound));
        BOOST_TEST(e.Response()->StatusDescription() == "Not Found");
        BOOST_TEST(read_all(e.Response()->GetResponseStream()) == "status 404");
    }
}

BOOST_AUTO_TEST_CASE(Abort_completes_a_pending_request_with_RequestCanceled)
{
    local_http_server server;
    auto request = WebRequest::Create(server.base_url() + "hang");
    auto ar = request->BeginGetResponse({}, {});
    BOOST_CHECK_THROW(request->BeginGetResponse({}, {}), InvalidOperationException);
    request->Abort();
    try {
        request->EndGetResponse(ar);
        BOOST_FAIL("no exception");
    } catch (const WebException& e) {
        BOOST_TEST((e.Status() == WebExceptionStatus::RequestCanceled));
    }
}

BOOST_AUTO_TEST_CASE(Timeout_bounds_GetResponse_with_a_Timeout_WebException)
{
    local_http_server server;
    auto request = WebRequest::Create(server.base_url() + "hang");
    request->Timeout(100);
    try {
        request->GetResponse();
        BOOST_FAIL("no exception");
    } catch (const WebException& e) {
        BOOST_TEST((e.Status() == WebExceptionStatus::Timeout));
    }
    BOOST_CHECK_THROW(request->Timeout(-2), ArgumentOutOfRangeException);
}

BOOST_AUTO_TEST_CASE(Create_and_the_settings_refuse_bad_input)
{
    BOOST_CHECK_THROW(WebRequest::Create("ftp://h/x"), NotSupportedException);
    BOOST_CHECK_THROW(WebRequest::Create("nope"), UriFormatException);
    auto request = WebRequest::Create("http://127.0.0.1:1/");
    BOOST_CHECK_THROW(request->Method("BAD METHOD"), ArgumentException);
    BOOST_CHECK_THROW(request->ContentLength(-1), ArgumentOutOfRangeException);
    BOOST_CHECK_THROW(request->GetRequestStream(), ProtocolViolationException);
    auto response = request->GetResponseAsync(asio::use_future);
    BOOST_REQUIRE(response.wait_for(generous) == std::future_status::ready);
    try {
        response.get();
        BOOST_FAIL("no exception");
    } catch (const WebException& e) {
        BOOST_TEST((e.Status() == WebExceptionStatus::ConnectFailure));
    }
}

BOOST_AUTO_TEST_SUITE_END()
