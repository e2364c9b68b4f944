// WebClient in the EAP shape, as a WinForms program would use it: the
// download is started on the UI thread (here a message loop), its progress
// drawn as a bar from DownloadProgressChanged, and its result taken from
// DownloadStringCompleted, both raised on that same thread. A second
// download is canceled with CancelAsync.
//
// The pages come from a local HTTP server the program starts itself.
#include <dotasync/http/web_client.hpp>
#include <dotasync/threading/message_loop_synchronization_context.hpp>

#include "local_http_server.hpp"

#include <cstdio>
#include <string>

using namespace dotasync;

int main()
{
    sample::local_http_server server;
    WebClient client;
    int last_bar = -1;

    client.DownloadProgressChanged += [&](const std::any&, const DownloadProgressChangedEventArgs& e) {
        // One line per tenth, so that the bar does not depend on how the
        // bytes were split on the way.
        const int bar = e.ProgressPercentage() / 10;
        if (bar == last_bar)
            return;
        last_bar = bar;
        std::printf("[%-10s] %3d%%\n", std::string(std::size_t(bar), '#').c_str(), bar * 10);
    };
    client.DownloadStringCompleted += [&](const std::any&, const DownloadStringCompletedEventArgs& e) {
        const auto label = std::any_cast<std::string>(e.UserState());
        if (e.Cancelled()) {
            std::printf("%s: download cancelled.\n", label.c_str());
            return;
        }
        if (e.Error()) {
            std::printf("%s: download failed.\n", label.c_str());
            return;
        }
        std::printf("%s: downloaded %zu characters.\n", label.c_str(), e.Result().size());
        // IsBusy is false inside the handler, so the next download can start
        // here; this one will be canceled.
        last_bar = -1;
        client.DownloadStringAsync(server.base_url() + "slow/500000?ms=60000", std::string("second"));
        client.CancelAsync();
    };

    MessageLoopSynchronizationContext::Run([&] {
        client.DownloadStringAsync(server.base_url() + "slow/500000?ms=100", std::string("first"));
        std::printf("Download started; busy: %s\n", client.IsBusy() ? "yes" : "no");
    });
    std::printf("Done; busy: %s\n", client.IsBusy() ? "yes" : "no");
}
