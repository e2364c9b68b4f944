// A chat room over TcpListener, TcpClient and NetworkStream, written with
// co_await: the server accepts members until its CancellationToken is
// canceled and relays each line a member sends to every other member.
//
// The program runs the server and three chatting members on one io_context
// of its own, on this thread. Each member says a few lines and leaves once it
// has heard everything the others said; then the token stops the server.
// Exits 0 when every member heard every line of the others.
#include <dotasync/dotasync.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <deque>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <vector>

using namespace dotasync;
namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;

namespace {

constexpr int lines_per_member = 3;
const std::vector<std::string> member_names = {"ada", "grace", "linus"};

// Reads one '\n'-terminated line from stream; false at the end of the stream.
awaitable<bool> read_line(NetworkStream& stream, std::string& pending, std::string& line, CancellationToken token)
{
    std::size_t end;
    while ((end = pending.find('\n')) == std::string::npos) {
        std::vector<std::uint8_t> buffer(512);
        const int n = co_await stream.ReadAsync(buffer, token, use_awaitable);
        if (n == 0)
            co_return false;
        pending.append(buffer.begin(), buffer.begin() + n);
    }
    line = pending.substr(0, end);
    pending.erase(0, end + 1);
    co_return true;
}

awaitable<void> write_line(NetworkStream& stream, const std::string& line, CancellationToken token)
{
    const std::string text = line + "\n";
    co_await stream.WriteAsync(std::vector<std::uint8_t>(text.begin(), text.end()), token, use_awaitable);
}

// ---- The server ----------------------------------------------------------------

// A connected member as the server sees it. Lines for it queue in an outbox
// that one writer coroutine drains, so that two relays never write to its
// stream at the same time.
class session : public std::enable_shared_from_this<session> {
public:
    explicit session(TcpClientPtr client)
        : client_(std::move(client)), wake_(client_->Client()->get_executor(), asio::steady_timer::time_point::max())
    {
    }

    void deliver(const std::string& line)
    {
        outbox_.push_back(line);
        wake_.cancel_one();
    }

    awaitable<void> run(std::set<std::shared_ptr<session>>& room, CancellationToken token)
    {
        auto self = shared_from_this();
        room.insert(self);
        for (const auto& member : room)
            member->deliver("room has " + std::to_string(room.size()) + " members");
        asio::co_spawn(wake_.get_executor(), write_loop(token), asio::detached);
        std::string pending, line;
        try {
            while (co_await read_line(client_->GetStream(), pending, line, token)) {
                std::cout << "server heard " << line << std::endl;
                for (const auto& other : room)
                    if (other != self)
                        other->deliver(line);
            }
        } catch (const OperationCanceledException&) {
            // The server is stopping; the member's connection closes below.
        } catch (const std::exception& e) {
            std::cout << "server: a member's connection failed: " << e.what() << std::endl;
        }
        room.erase(self);
        leaving_ = true;
        wake_.cancel();
    }

private:
    awaitable<void> write_loop(CancellationToken token)
    {
        auto self = shared_from_this();
        try {
            while (!leaving_) {
                if (outbox_.empty()) {
                    boost::system::error_code woken;
                    co_await wake_.async_wait(asio::redirect_error(use_awaitable, woken));
                    continue;
                }
                const std::string line = outbox_.front();
                outbox_.pop_front();
                co_await write_line(client_->GetStream(), line, token);
            }
        } catch (const std::exception& e) {
            std::cout << "server: could not relay to a member: " << e.what() << std::endl;
        }
        client_->Close();
    }

    TcpClientPtr client_;
    asio::steady_timer wake_;
    std::deque<std::string> outbox_;
    bool leaving_ = false;
};

awaitable<void> serve(TcpListener& listener, CancellationToken token)
{
    std::set<std::shared_ptr<session>> room;
    try {
        for (;;) {
            TcpClientPtr client = co_await listener.AcceptTcpClientAsync(token, use_awaitable);
            auto member = std::make_shared<session>(std::move(client));
            asio::co_spawn(co_await asio::this_coro::executor, member->run(room, token), asio::detached);
        }
    } catch (const OperationCanceledException&) {
        std::cout << "server: stopped accepting" << std::endl;
    }
    listener.Stop();
}

// ---- A member ------------------------------------------------------------------

awaitable<bool> chat(asio::io_context& io, int port, std::string name)
{
    const int others = static_cast<int>(member_names.size()) - 1;
    TcpClient client(io.get_executor());
    co_await client.ConnectAsync(IPAddress::Loopback, port, use_awaitable);
    NetworkStream& stream = client.GetStream();

    // A member speaks once the server says everyone is in the room, so that
    // nobody misses a line.
    std::string pending, line;
    const std::string full_room = "room has " + std::to_string(member_names.size()) + " members";
    while (line != full_room)
        if (!co_await read_line(stream, pending, line, CancellationToken::None()))
            co_return false;
    for (int i = 0; i < lines_per_member; i++)
        co_await write_line(stream, name + " says line " + std::to_string(i), CancellationToken::None());
    // Each co_await stands in a statement of its own: g++ 12 miscompiles a
    // co_await on the right of && (the coroutine never resumes).
    int heard = 0;
    while (heard < others * lines_per_member) {
        const bool more = co_await read_line(stream, pending, line, CancellationToken::None());
        if (!more)
            break;
        if (line.find(" says ") != std::string::npos)
            ++heard;
    }
    std::cout << name << " heard " << heard << " lines and leaves" << std::endl;
    client.Close();
    co_return heard == others * lines_per_member;
}

} // namespace

int main()
{
    asio::io_context io;
    TcpListener listener(io.get_executor(), IPAddress::Loopback, 0);
    listener.Start();
    const int port = listener.LocalEndpoint().Port();
    std::cout << "chat port " << port << std::endl;

    CancellationTokenSource stop;
    asio::co_spawn(io, serve(listener, stop.Token()), asio::detached);

    int finished = 0;
    int happy = 0;
    for (const auto& name : member_names)
        asio::co_spawn(io, chat(io, port, name), [&](std::exception_ptr error, bool heard_all) {
            if (error) {
                try {
                    std::rethrow_exception(error);
                } catch (const std::exception& e) {
                    std::cout << "a member failed: " << e.what() << std::endl;
                }
            }
            happy += !error && heard_all;
            // Everyone has left: the server stops accepting.
            if (++finished == static_cast<int>(member_names.size()))
                stop.Cancel();
        });
    io.run();
    std::cout << happy << " of " << member_names.size() << " members heard everyone" << std::endl;
    return happy == static_cast<int>(member_names.size()) ? 0 : 1;
}
