// The classic pooled SocketAsyncEventArgs echo server of legacy .NET code,
// ported: one large buffer cut into a slice per connection (BufferManager),
// a pool of preallocated event-args objects, a semaphore bounding the
// accepted clients, and the AcceptAsync/ReceiveAsync/SendAsync loop where a
// false return means "completed synchronously: process it now".
//
// The program starts the server on a loopback port, echoes the messages of
// a few clients of its own (every byte checked), prints the server's counts,
// closes everything and exits: 0 when every byte came back.
//
// Usage: saea_server [--clients N] [--messages M]
#include <dotasync/dotasync.hpp>

#include "../support/options.hpp"

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <mutex>
#include <semaphore>
#include <stack>
#include <string>
#include <thread>
#include <vector>

using namespace dotasync;

namespace {

// One large buffer, a slice of which each SocketAsyncEventArgs reads into and
// sends from, so that the connections' buffers are allocated once, together.
class BufferManager {
public:
    BufferManager(int totalBytes, int bufferSize) : buffer_(static_cast<std::size_t>(totalBytes)), bufferSize_(bufferSize) {}

    // Gives args the next free slice; false when the buffer is used up.
    bool SetBuffer(SocketAsyncEventArgs& args)
    {
        std::lock_guard lock(mutex_);
        if (!freeIndexPool_.empty()) {
            args.SetBuffer(buffer_, freeIndexPool_.top(), bufferSize_);
            freeIndexPool_.pop();
            return true;
        }
        if (static_cast<int>(buffer_.size()) - bufferSize_ < currentIndex_)
            return false;
        args.SetBuffer(buffer_, currentIndex_, bufferSize_);
        currentIndex_ += bufferSize_;
        return true;
    }

private:
    std::mutex mutex_;
    std::vector<std::uint8_t> buffer_;
    std::stack<int> freeIndexPool_;
    int currentIndex_ = 0;
    int bufferSize_;
};

// The reusable SocketAsyncEventArgs objects, one per possible connection.
class SocketAsyncEventArgsPool {
public:
    void Push(SocketAsyncEventArgs* item)
    {
        if (item == nullptr)
            throw ArgumentNullException("item", "Items added to a SocketAsyncEventArgsPool cannot be null");
        std::lock_guard lock(mutex_);
        pool_.push(item);
    }

    SocketAsyncEventArgs* Pop()
    {
        std::lock_guard lock(mutex_);
        auto* item = pool_.top();
        pool_.pop();
        return item;
    }

private:
    std::mutex mutex_;
    std::stack<SocketAsyncEventArgs*> pool_;
};

// What a connection's SocketAsyncEventArgs carries as its UserToken.
struct AsyncUserToken {
    SocketPtr Socket;
};

class Server {
public:
    Server(int numConnections, int receiveBufferSize)
        : numConnections_(numConnections), receiveBufferSize_(receiveBufferSize),
          bufferManager_(receiveBufferSize * numConnections * 2, receiveBufferSize),
          maxNumberAcceptedClients_(numConnections)
    {
    }

    // Preallocates the pool: one SocketAsyncEventArgs per connection, each
    // with its slice of the buffer.
    void Init()
    {
        readWriteEventArgs_.reserve(static_cast<std::size_t>(numConnections_));
        for (int i = 0; i < numConnections_; i++) {
            auto& readWriteEventArg = *readWriteEventArgs_.emplace_back(std::make_unique<SocketAsyncEventArgs>());
            readWriteEventArg.Completed += [this](const std::any&, SocketAsyncEventArgs& e) { IO_Completed(e); };
            readWriteEventArg.UserToken(std::make_shared<AsyncUserToken>());
            bufferManager_.SetBuffer(readWriteEventArg);
            readWritePool_.Push(&readWriteEventArg);
        }
    }

    // Starts listening on localEndPoint and accepting.
    void Start(const IPEndPoint& localEndPoint)
    {
        listenSocket_ = std::make_shared<Socket>(localEndPoint.AddressFamily(), SocketType::Stream, ProtocolType::Tcp);
        listenSocket_->Bind(localEndPoint);
        listenSocket_->Listen(100);
        acceptEventArg_.Completed += [this](const std::any&, SocketAsyncEventArgs& e) { ProcessAccept(e); };
        StartAccept();
    }

    IPEndPoint LocalEndPoint() const { return *listenSocket_->LocalEndPoint(); }
    long long TotalBytesRead() const { return totalBytesRead_; }
    int ConnectedSockets() const { return numConnectedSockets_; }

    // Stops accepting and closes every connection; returns once the accept
    // loop has ended and each connection's pending operation has completed
    // with its args back in the pool, so that no callback touches the server
    // after it.
    void Stop()
    {
        stopping_ = true;
        listenSocket_->Close();
        std::vector<SocketPtr> open;
        {
            std::lock_guard lock(socketsMutex_);
            for (auto& args : readWriteEventArgs_)
                if (auto token = std::any_cast<std::shared_ptr<AsyncUserToken>>(args->UserToken()); token->Socket)
                    open.push_back(token->Socket);
        }
        for (auto& socket : open)
            socket->Close();
        // First the accept loop: it may be waiting for a permit, which a
        // connection closed just now gives back, and it returns that permit.
        acceptLoopEnded_.acquire();
        for (int i = 0; i < numConnections_; i++)
            maxNumberAcceptedClients_.acquire();
    }

private:
    void StartAccept()
    {
        // The args are reused, so the previous connection's socket is cleared.
        acceptEventArg_.AcceptSocket(nullptr);
        maxNumberAcceptedClients_.acquire();
        if (stopping_) {
            EndAccepting();
            return;
        }
        bool pending;
        try {
            pending = listenSocket_->AcceptAsync(acceptEventArg_);
        } catch (const ObjectDisposedException&) {
            // Stop closed the listening socket after the last accept completed.
            EndAccepting();
            return;
        }
        if (!pending)
            ProcessAccept(acceptEventArg_);
    }

    void ProcessAccept(SocketAsyncEventArgs& e)
    {
        if (e.SocketError() != SocketError::Success) {
            // The listening socket was closed: the server is stopping.
            EndAccepting();
            return;
        }
        ++numConnectedSockets_;
        std::cout << "Client connection accepted. There are " << numConnectedSockets_ << " clients connected to the server"
                  << std::endl;

        // Take a pooled SocketAsyncEventArgs for the connection and post a
        // receive on it.
        SocketAsyncEventArgs& readEventArgs = *readWritePool_.Pop();
        {
            std::lock_guard lock(socketsMutex_);
            std::any_cast<std::shared_ptr<AsyncUserToken>>(readEventArgs.UserToken())->Socket = e.AcceptSocket();
        }
        if (stopping_)
            CloseClientSocket(readEventArgs);
        else if (StartOrClose(readEventArgs, SocketAsyncOperation::Receive))
            ProcessReceive(readEventArgs);

        // Accept the next connection request.
        StartAccept();
    }

    // The accept loop gives its permit back and tells Stop that it has ended;
    // nothing of the server is touched after this.
    void EndAccepting()
    {
        maxNumberAcceptedClients_.release();
        acceptLoopEnded_.release();
    }

    // Called when a receive or send completed asynchronously.
    void IO_Completed(SocketAsyncEventArgs& e)
    {
        switch (e.LastOperation()) {
        case SocketAsyncOperation::Receive:
            ProcessReceive(e);
            break;
        case SocketAsyncOperation::Send:
            ProcessSend(e);
            break;
        default:
            throw ArgumentException("The last operation completed on the socket was not a receive or send");
        }
    }

    // Echoes what was received; 0 bytes means the client has closed.
    void ProcessReceive(SocketAsyncEventArgs& e)
    {
        if (e.BytesTransferred() > 0 && e.SocketError() == SocketError::Success) {
            totalBytesRead_ += e.BytesTransferred();
            e.SetBuffer(e.Offset(), e.BytesTransferred());
            if (StartOrClose(e, SocketAsyncOperation::Send))
                ProcessSend(e);
        } else {
            CloseClientSocket(e);
        }
    }

    // The echo was sent: read the next request into the whole slice again.
    void ProcessSend(SocketAsyncEventArgs& e)
    {
        if (e.SocketError() == SocketError::Success) {
            e.SetBuffer(e.Offset(), receiveBufferSize_);
            if (StartOrClose(e, SocketAsyncOperation::Receive))
                ProcessReceive(e);
        } else {
            CloseClientSocket(e);
        }
    }

    // Starts the connection's next receive or send; true when it completed
    // synchronously and must be processed now. Stop may close the socket at
    // any moment from its own thread, and a call on a closed socket throws
    // ObjectDisposedException, as .NET's does: no operation is then pending,
    // so the connection is closed here, once.
    bool StartOrClose(SocketAsyncEventArgs& e, SocketAsyncOperation operation)
    {
        Socket& socket = *std::any_cast<std::shared_ptr<AsyncUserToken>>(e.UserToken())->Socket;
        try {
            return !(operation == SocketAsyncOperation::Send ? socket.SendAsync(e) : socket.ReceiveAsync(e));
        } catch (const ObjectDisposedException&) {
            CloseClientSocket(e);
            return false;
        }
    }

    void CloseClientSocket(SocketAsyncEventArgs& e)
    {
        auto token = std::any_cast<std::shared_ptr<AsyncUserToken>>(e.UserToken());
        try {
            token->Socket->Shutdown(SocketShutdown::Send);
        } catch (const std::exception&) {
            // The client has already closed, or the server is stopping.
        }
        token->Socket->Close();
        {
            std::lock_guard lock(socketsMutex_);
            token->Socket = nullptr;
        }
        --numConnectedSockets_;
        readWritePool_.Push(&e);
        maxNumberAcceptedClients_.release();
    }

    int numConnections_;
    int receiveBufferSize_;
    BufferManager bufferManager_;
    SocketPtr listenSocket_;
    SocketAsyncEventArgsPool readWritePool_;
    std::vector<std::unique_ptr<SocketAsyncEventArgs>> readWriteEventArgs_;
    SocketAsyncEventArgs acceptEventArg_;
    std::atomic<long long> totalBytesRead_{0};
    std::atomic<int> numConnectedSockets_{0};
    std::counting_semaphore<> maxNumberAcceptedClients_;
    std::binary_semaphore acceptLoopEnded_{0};
    std::atomic<bool> stopping_{false};
    // Stop reads the connections' sockets while their operations may be
    // closing them.
    std::mutex socketsMutex_;
};

// A client of the sample's own: connects, sends each message with
// synchronous calls and checks that exactly the same bytes come back.
bool run_client(const IPEndPoint& server, int id, int messages)
{
    try {
        Socket client(AddressFamily::InterNetwork, SocketType::Stream, ProtocolType::Tcp);
        client.Connect(server);
        for (int m = 0; m < messages; m++) {
            const std::string text = "client " + std::to_string(id) + " message " + std::to_string(m);
            std::vector<std::uint8_t> out(text.begin(), text.end());
            client.Send(out);
            std::vector<std::uint8_t> in(out.size());
            int received = 0;
            while (received < static_cast<int>(in.size())) {
                const int n = client.Receive(in, received, static_cast<int>(in.size()) - received, SocketFlags::None);
                if (n == 0)
                    return false;
                received += n;
            }
            if (in != out)
                return false;
        }
        client.Shutdown(SocketShutdown::Both);
        client.Close();
        return true;
    } catch (const std::exception& e) {
        std::cout << "client " << id << ": " << e.what() << std::endl;
        return false;
    }
}

} // namespace

int main(int argc, char** argv)
{
    const int clients = sample::int_option(argc, argv, "--clients", 8);
    const int messages = sample::int_option(argc, argv, "--messages", 100);

    Server server(/*numConnections*/ 16, /*receiveBufferSize*/ 1024);
    server.Init();
    server.Start(IPEndPoint(IPAddress::Loopback, 0));
    std::cout << "saea port " << server.LocalEndPoint().Port() << std::endl;

    std::atomic<int> good{0};
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; c++)
        threads.emplace_back([&, c] {
            if (run_client(server.LocalEndPoint(), c, messages))
                ++good;
        });
    for (auto& t : threads)
        t.join();

    server.Stop();
    std::cout << good << " of " << clients << " clients got every message back; the server read "
              << server.TotalBytesRead() << " bytes; " << server.ConnectedSockets() << " clients connected" << std::endl;
    return good == clients && server.ConnectedSockets() == 0 ? 0 : 1;
}
