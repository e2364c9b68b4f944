// The .NET "asynchronous client socket" shape, ported: BeginConnect,
// BeginSend and BeginReceive with callbacks, the main thread waiting on a
// ManualResetEvent after each, a StateObject gathering the response.
//
// It talks to the APM endpoint of legacy_echo_server, which echoes each
// "<EOF>"-terminated message: the response is complete when it holds "<EOF>".
//
// Usage: socket_client --port P           (a server already listening on P)
//        socket_client --server PATH      (starts PATH, talks to it, stops it)
#include <dotasync/dotasync.hpp>

#include "../support/server_process.hpp"

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

using namespace dotasync;

namespace {

// State object for receiving data from the remote device.
struct StateObject {
    static constexpr int BufferSize = 256;
    SocketPtr workSocket;
    std::vector<std::uint8_t> buffer = std::vector<std::uint8_t>(BufferSize);
    std::string sb;
};

class AsynchronousClient {
public:
    // Sends each message and waits for its echo; false when anything failed.
    bool StartClient(int port, const std::vector<std::string>& messages)
    {
        try {
            // Establish the remote endpoint for the socket.
            // The echo server listens on IPv4 loopback, so the client takes
            // the first IPv4 address of localhost rather than the first one.
            IPHostEntry ipHostInfo = Dns::GetHostEntry("localhost");
            IPAddress ipAddress = IPAddress::Loopback;
            for (const auto& address : ipHostInfo.AddressList())
                if (address.AddressFamily() == AddressFamily::InterNetwork) {
                    ipAddress = address;
                    break;
                }
            IPEndPoint remoteEP(ipAddress, port);

            auto client = std::make_shared<Socket>(ipAddress.AddressFamily(), SocketType::Stream, ProtocolType::Tcp);

            // Connect to the remote endpoint.
            client->BeginConnect(remoteEP, [this](const IAsyncResultPtr& ar) { ConnectCallback(ar); }, client);
            connectDone_.WaitOne();
            if (failed_)
                return false;

            for (const auto& message : messages) {
                sendDone_.Reset();
                receiveDone_.Reset();
                Send(client, message + "<EOF>");
                sendDone_.WaitOne();
                Receive(client);
                receiveDone_.WaitOne();
                if (failed_)
                    return false;
                std::cout << "Response received : " << response_ << std::endl;
            }

            // Release the socket.
            client->Shutdown(SocketShutdown::Both);
            client->Close();
            return true;
        } catch (const std::exception& e) {
            std::cout << e.what() << std::endl;
            return false;
        }
    }

private:
    void ConnectCallback(const IAsyncResultPtr& ar)
    {
        try {
            // Retrieve the socket from the state object, complete the connection.
            auto client = std::any_cast<SocketPtr>(ar->AsyncState());
            client->EndConnect(ar);
            std::cout << "Socket connected to " << client->RemoteEndPoint()->ToString() << std::endl;
        } catch (const std::exception& e) {
            Fail(e);
        }
        // Signal that the connection has been made (or has failed).
        connectDone_.Set();
    }

    void Receive(const SocketPtr& client)
    {
        auto state = std::make_shared<StateObject>();
        state->workSocket = client;
        BeginReceive(state);
    }

    void BeginReceive(const std::shared_ptr<StateObject>& state)
    {
        state->workSocket->BeginReceive(state->buffer, 0, StateObject::BufferSize, SocketFlags::None,
                                        [this](const IAsyncResultPtr& ar) { ReceiveCallback(ar); }, state);
    }

    void ReceiveCallback(const IAsyncResultPtr& ar)
    {
        auto state = std::any_cast<std::shared_ptr<StateObject>>(ar->AsyncState());
        try {
            const int bytesRead = state->workSocket->EndReceive(ar);
            state->sb.append(state->buffer.begin(), state->buffer.begin() + bytesRead);
            // More data may be on the way: get the rest, unless the message
            // is whole or the server has shut the connection down.
            if (bytesRead > 0 && state->sb.find("<EOF>") == std::string::npos) {
                BeginReceive(state);
                return;
            }
            response_ = state->sb;
        } catch (const std::exception& e) {
            Fail(e);
        }
        receiveDone_.Set();
    }

    void Send(const SocketPtr& client, const std::string& data)
    {
        auto byteData = std::make_shared<std::vector<std::uint8_t>>(data.begin(), data.end());
        client->BeginSend(*byteData, 0, static_cast<int>(byteData->size()), SocketFlags::None,
                          [this, byteData](const IAsyncResultPtr& ar) { SendCallback(ar); }, client);
    }

    void SendCallback(const IAsyncResultPtr& ar)
    {
        try {
            auto client = std::any_cast<SocketPtr>(ar->AsyncState());
            const int bytesSent = client->EndSend(ar);
            std::cout << "Sent " << bytesSent << " bytes to server." << std::endl;
        } catch (const std::exception& e) {
            Fail(e);
        }
        sendDone_.Set();
    }

    // The .NET sample prints the exception and goes on; here the waiting
    // thread is told too, so that a failure ends the program instead of
    // leaving it waiting for a response that will not come.
    void Fail(const std::exception& e)
    {
        std::cout << e.what() << std::endl;
        failed_ = true;
    }

    // ManualResetEvent instances signal completion.
    ManualResetEvent connectDone_{false};
    ManualResetEvent sendDone_{false};
    ManualResetEvent receiveDone_{false};
    std::atomic<bool> failed_{false};
    // The response from the remote device.
    std::string response_;
};

} // namespace

int main(int argc, char** argv)
{
    int port = 0;
    std::string server_path;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string name = argv[i];
        if (name == "--port")
            port = std::atoi(argv[i + 1]);
        else if (name == "--server")
            server_path = argv[i + 1];
    }
    std::optional<sample::server_process> server;
    if (!server_path.empty()) {
        server.emplace(server_path, std::vector<std::string>{"--seconds", "60"}, std::vector<std::string>{"apm"});
        port = server->port("apm");
    }
    if (port <= 0) {
        std::cerr << "usage: socket_client --port P | --server PATH\n";
        return 2;
    }
    AsynchronousClient client;
    const bool ok = client.StartClient(port, {"This is a test", "This is another test"});
    const bool stopped = !server || server->stop();
    return ok && stopped ? 0 : 1;
}
