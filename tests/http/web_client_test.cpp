// WebClient: the EAP members on a message loop (events on the loop thread,
// progress before completion, busy, cancel), the synchronous and TAP forms,
// and the WebExceptions it reports.
#include <dotasync/http/web_client.hpp>

#include "local_http_server.hpp"
#include "support/waiting.hpp"

#include <dotasync/threading/message_loop_synchronization_context.hpp>

#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <thread>

using namespace dotasync;
using namespace dotasync_test;
namespace asio = boost::asio;
using sample::local_http_server;
using sample::pattern_bytes;

BOOST_AUTO_TEST_SUITE(web_client)

BOOST_AUTO_TEST_CASE(DownloadStringAsync_raises_progress_then_completed_on_the_loop_thread_in_order)
{
    local_http_server server;
    WebClient web;
    const auto loop = std::this_thread::get_id();
    std::vector<std::int64_t> received;
    std::vector<int> percents;
    bool progress_on_loop = true;
    std::string result;
    bool completed_on_loop = false, busy_in_handler = true, progress_after_completion = false, done = false;
    std::any sender_seen;
    web.DownloadProgressChanged += [&](const std::any&, const DownloadProgressChangedEventArgs& e) {
        progress_on_loop = progress_on_loop && std::this_thread::get_id() == loop;
        progress_after_completion = progress_after_completion || done;
        received.push_back(e.BytesReceived());
        percents.push_back(e.ProgressPercentage());
        BOOST_TEST(e.TotalBytesToReceive() == 100000);
        BOOST_TEST(std::any_cast<std::string>(e.UserState()) == "mine");
    };
    web.DownloadStringCompleted += [&](const std::any& sender, const DownloadStringCompletedEventArgs& e) {
        completed_on_loop = std::this_thread::get_id() == loop;
        busy_in_handler = web.IsBusy();
        sender_seen = sender;
        result = e.Result();
        done = true;
    };
    MessageLoopSynchronizationContext::Run([&] {
        web.DownloadStringAsync(server.base_url() + "slow/100000?ms=50", std::string("mine"));
        BOOST_TEST(web.IsBusy());
    });
    BOOST_TEST(done);
    BOOST_TEST(completed_on_loop);
    BOOST_TEST(progress_on_loop);
    BOOST_TEST(!busy_in_handler);
    BOOST_TEST(!progress_after_completion);
    BOOST_TEST((result == pattern_bytes(100000)));
    BOOST_TEST(std::any_cast<WebClient*>(sender_seen) == &web);
    BOOST_REQUIRE(received.size() >= 2u);
    BOOST_TEST(std::is_sorted(received.begin(), received.end()));
    BOOST_TEST(received.back() == 100000);
    BOOST_TEST(percents.back() == 100);
}

BOOST_AUTO_TEST_CASE(a_second_operation_while_busy_throws_NotSupportedException_and_CancelAsync_cancels)
{
    local_http_server server;
    WebClient web;
    bool cancelled = false;
    std::exception_ptr error;
    web.DownloadDataCompleted += [&](const std::any&, const DownloadDataCompletedEventArgs& e) {
        cancelled = e.Cancelled();
        error = e.Error();
        // As .NET: Error() is set (RequestCanceled), so Result() throws
        // TargetInvocationException before it looks at Cancelled().
        BOOST_CHECK_THROW(e.Result(), TargetInvocationException);
    };
    MessageLoopSynchronizationContext::Run([&] {
        web.DownloadDataAsync(server.base_url() + "hang");
        BOOST_CHECK_THROW(web.DownloadStringAsync(server.base_url() + "text"), NotSupportedException);
        BOOST_CHECK_THROW(web.DownloadString(server.base_url() + "text"), NotSupportedException);
        web.CancelAsync();
    });
    BOOST_TEST(cancelled);
    BOOST_REQUIRE(holds<WebException>(error));
    try {
        std::rethrow_exception(error);
    } catch (const WebException& e) {
        BOOST_TEST((e.Status() == WebExceptionStatus::RequestCanceled));
    }
    BOOST_TEST(!web.IsBusy());
    // CancelAsync with nothing in flight does nothing.
    web.CancelAsync();
}

BOOST_AUTO_TEST_CASE(a_404_is_a_ProtocolError_WebException_with_the_response)
{
    local_http_server server;
    WebClient web;
    std::exception_ptr error;
    web.DownloadStringCompleted += [&](const std::any&, const DownloadStringCompletedEventArgs& e) {
        error = e.Error();
        BOOST_TEST(!e.Cancelled());
        BOOST_CHECK_THROW(e.Result(), TargetInvocationException);
    };
    MessageLoopSynchronizationContext::Run([&] { web.DownloadStringAsync(server.base_url() + "status/404"); });
    BOOST_REQUIRE(holds<WebException>(error));
    try {
        std::rethrow_exception(error);
    } catch (const WebException& e) {
        BOOST_TEST((e.Status() == WebExceptionStatus::ProtocolError));
        BOOST_TEST(e.Message() == "The remote server returned an error: (404) Not Found.");
        BOOST_REQUIRE(e.Response());
        BOOST_TEST((e.Response()->StatusCode() == HttpStatusCode::NotFound));
    }
    try {
        web.DownloadString(server.base_url() + "status/500");
        BOOST_FAIL("no exception");
    } catch (const WebException& e) {
        BOOST_TEST((e.Status() == WebExceptionStatus::ProtocolError));
    }
}

BOOST_AUTO_TEST_CASE(refused_and_unknown_hosts_are_ConnectFailure_and_NameResolutionFailure)
{
    WebClient web;
    try {
        web.DownloadString("http://127.0.0.1:1/");
        BOOST_FAIL("no exception");
    } catch (const WebException& e) {
        BOOST_TEST((e.Status() == WebExceptionStatus::ConnectFailure));
        BOOST_TEST(holds<SocketException>(e.InnerException()));
    }
    try {
        web.DownloadString("http://no-such-host.invalid/");
        BOOST_FAIL("no exception");
    } catch (const WebException& e) {
        BOOST_TEST((e.Status() == WebExceptionStatus::NameResolutionFailure));
        BOOST_TEST(e.Message() == "The remote name could not be resolved: 'no-such-host.invalid'");
    }
    BOOST_CHECK_THROW(web.DownloadString("ftp://h/x"), NotSupportedException);
}

BOOST_AUTO_TEST_CASE(synchronous_members_upload_and_download_with_headers_and_BaseAddress)
{
    local_http_server server;
    WebClient web;
    web.BaseAddress(server.base_url());
    BOOST_CHECK_THROW(web.BaseAddress("not a uri"), ArgumentException);
    web.Headers().Set("X-Who", "porter");
    web.Headers().Set("Content-Type", "text/plain");
    BOOST_TEST(web.DownloadString("text") == "Hello, World!");
    BOOST_TEST(web.DownloadData("bytes/3").size() == 3u);
    BOOST_TEST(web.UploadString("echo", "sent") == "sent");
    BOOST_TEST(web.UploadString("echo", "PUT", "put") == "put");

    const auto file = std::filesystem::temp_directory_path() / ("dotasync-web-" + std::to_string(::getpid()));
    web.DownloadFile("bytes/5000", file.string());
    BOOST_TEST(std::filesystem::file_size(file) == 5000u);
    std::filesystem::remove(file);
    BOOST_CHECK_THROW(web.DownloadFile("text", ""), ArgumentNullException);
}

BOOST_AUTO_TEST_CASE(UploadStringAsync_and_DownloadFileAsync_raise_their_events)
{
    local_http_server server;
    WebClient web;
    std::string uploaded;
    bool file_done = false;
    const auto file = std::filesystem::temp_directory_path() / ("dotasync-web-a-" + std::to_string(::getpid()));
    web.UploadStringCompleted += [&](const std::any&, const UploadStringCompletedEventArgs& e) {
        uploaded = e.Result();
        web.DownloadFileAsync(server.base_url() + "bytes/777", file.string(), 7);
    };
    web.DownloadFileCompleted += [&](const std::any&, const AsyncCompletedEventArgs& e) {
        file_done = !e.Error() && std::any_cast<int>(e.UserState()) == 7;
    };
    MessageLoopSynchronizationContext::Run(
        [&] { web.UploadStringAsync(server.base_url() + "echo", "POST", "up", std::any()); });
    BOOST_TEST(uploaded == "up");
    BOOST_TEST(file_done);
    BOOST_TEST(std::filesystem::file_size(file) == 777u);
    std::filesystem::remove(file);
}

BOOST_AUTO_TEST_CASE(DownloadStringTaskAsync_completes_with_the_text_or_the_WebException)
{
    local_http_server server;
    WebClient web;
    BOOST_TEST(get_within(web.DownloadStringTaskAsync(server.base_url() + "text", asio::use_future)) ==
               "Hello, World!");
    CancellationTokenSource cts;
    auto pending = web.DownloadStringTaskAsync(server.base_url() + "hang", cts.Token(), asio::use_future);
    cts.CancelAfter(std::chrono::milliseconds(50));
    BOOST_REQUIRE(pending.wait_for(generous) == std::future_status::ready);
    BOOST_CHECK_THROW(pending.get(), WebException);
    BOOST_TEST(!web.IsBusy());
}

BOOST_AUTO_TEST_SUITE_END()
