// HttpWebRequest in the APM shape, as .NET's BeginGetResponse example has
// it: a state object carries the request to the AsyncCallback, which ends
// the operation, reads the response and signals the main thread.
//
// The page comes from a local HTTP server the program starts itself.
#include <dotasync/core/wait_handle.hpp>
#include <dotasync/http/web_request.hpp>

#include "local_http_server.hpp"

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

using namespace dotasync;

namespace {

struct RequestState {
    std::shared_ptr<HttpWebRequest> request;
    std::shared_ptr<HttpWebResponse> response;
    std::string text;
};

ManualResetEvent allDone(false);

void RespCallback(const IAsyncResultPtr& asynchronousResult)
{
    auto state = std::any_cast<std::shared_ptr<RequestState>>(asynchronousResult->AsyncState());
    try {
        state->response = state->request->EndGetResponse(asynchronousResult);
        Stream& body = state->response->GetResponseStream();
        std::vector<std::uint8_t> buffer(1024);
        for (int n; (n = body.Read(buffer, 0, int(buffer.size()))) > 0;)
            state->text.append(buffer.begin(), buffer.begin() + n);
        state->response->Close();
    } catch (const WebException& e) {
        std::printf("WebException: %s (status %d)\n", e.what(), int(e.Status()));
    }
    allDone.Set();
}

} // namespace

int main()
{
    sample::local_http_server server;
    for (const char* path : {"page/apm", "status/404"}) {
        allDone.Reset();
        auto state = std::make_shared<RequestState>();
        state->request = WebRequest::Create(server.base_url() + path);
        auto result = state->request->BeginGetResponse(RespCallback, state);
        allDone.WaitOne();
        std::printf("%s: completed synchronously: %s; ", path, result->CompletedSynchronously() ? "yes" : "no");
        if (state->response)
            std::printf("status %d, %zu characters, title \"%s\"\n", int(state->response->StatusCode()),
                        state->text.size(),
                        state->text.substr(19, state->text.find("</title>") - 19).c_str());
        else
            std::printf("no response\n");
    }
}
