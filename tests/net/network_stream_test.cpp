// NetworkStream: every Stream face over a connected socket, ownership, and
// what it refuses.
#include <dotasync/net/network_stream.hpp>

#include "net/net_fixture.hpp"
#include "support/waiting.hpp"

#include <dotasync/core/exceptions.hpp>
#include <dotasync/io/memory_stream.hpp>

#include <boost/asio/read.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <boost/test/unit_test.hpp>

#include <numeric>
#include <string>
#include <vector>

using namespace dotasync;
using namespace dotasync_test;
namespace asio = boost::asio;

BOOST_TEST_GLOBAL_FIXTURE(net_baseline);

BOOST_AUTO_TEST_SUITE(network_stream)

BOOST_AUTO_TEST_CASE(every_face_reads_what_the_other_end_wrote)
{
    auto [client, server] = connected_pair();
    NetworkStream out(client);
    NetworkStream in(server);
    BOOST_TEST(out.CanRead());
    BOOST_TEST(out.CanWrite());
    BOOST_TEST(!out.CanSeek());

    const std::string text = "apm|tap|asio|sync";
    const std::vector<std::uint8_t> bytes(text.begin(), text.end());
    out.EndWrite(out.BeginWrite(bytes, 0, 4, {}, {}));
    get_within(out.WriteAsync(bytes, 4, 4, asio::use_future));
    get_within(asio::async_write(out, asio::buffer(bytes.data() + 8, 5), asio::use_future));
    out.Write(bytes, 13, 4);

    std::vector<std::uint8_t> got(17);
    BOOST_TEST(in.EndRead(in.BeginRead(got, 0, 1, {}, {})) == 1);
    get_within(in.ReadExactlyAsync(got, 1, 7, asio::use_future));
    get_within(asio::async_read(in, asio::buffer(got.data() + 8, 5), asio::use_future));
    in.ReadExactly(got, 13, 4);
    BOOST_TEST(std::string(got.begin(), got.end()) == text);
    BOOST_TEST(!in.DataAvailable());
}

BOOST_AUTO_TEST_CASE(a_read_returns_0_once_the_peer_shut_down_and_CopyToAsync_copies_everything_before_it)
{
    auto [client, server] = connected_pair();
    NetworkStream in(server);
    std::vector<std::uint8_t> big(300000);
    std::iota(big.begin(), big.end(), std::uint8_t{7});
    auto sending = std::async(std::launch::async, [&, c = client] {
        c->Send(big);
        c->Shutdown(SocketShutdown::Send);
    });
    MemoryStream copy;
    get_within(in.CopyToAsync(copy, asio::use_future));
    get_within(sending);
    BOOST_TEST((copy.ToArray() == big));
    std::vector<std::uint8_t> buffer(4);
    BOOST_TEST(get_within(in.ReadAsync(buffer, asio::use_future)) == 0);
    BOOST_TEST(in.Read(buffer, 0, 4) == 0);
    BOOST_TEST(in.ReadByte() == -1);
}

BOOST_AUTO_TEST_CASE(seeking_members_throw_NotSupportedException)
{
    auto [client, server] = connected_pair();
    NetworkStream s(client);
    BOOST_CHECK_THROW(s.Length(), NotSupportedException);
    BOOST_CHECK_THROW(s.Position(), NotSupportedException);
    BOOST_CHECK_THROW(s.Position(0), NotSupportedException);
    BOOST_CHECK_THROW(s.Seek(0, SeekOrigin::Begin), NotSupportedException);
    BOOST_CHECK_THROW(s.SetLength(0), NotSupportedException);
}

BOOST_AUTO_TEST_CASE(the_constructor_refuses_what_dotnet_refuses)
{
    BOOST_CHECK_THROW(NetworkStream{SocketPtr()}, ArgumentNullException);
    auto unconnected = std::make_shared<Socket>(AddressFamily::InterNetwork, SocketType::Stream, ProtocolType::Tcp);
    BOOST_CHECK_THROW(NetworkStream{unconnected}, IOException);
    auto udp = std::make_shared<Socket>(AddressFamily::InterNetwork, SocketType::Dgram, ProtocolType::Udp);
    BOOST_CHECK_THROW(NetworkStream{udp}, IOException);
    auto [client, server] = connected_pair();
    client->Blocking(false);
    BOOST_CHECK_THROW(NetworkStream{client}, IOException);
}

BOOST_AUTO_TEST_CASE(Close_closes_the_socket_only_when_the_stream_owns_it)
{
    auto [client, server] = connected_pair();
    {
        NetworkStream borrowed(client);
        borrowed.Close();
        BOOST_CHECK_THROW(borrowed.WriteByte(1), ObjectDisposedException);
        BOOST_CHECK_THROW(borrowed.DataAvailable(), ObjectDisposedException);
    }
    BOOST_TEST(client->Connected());
    client->Send(std::vector<std::uint8_t>{42});
    NetworkStream owning(server, true);
    BOOST_TEST(owning.ReadByte() == 42);
    std::vector<std::uint8_t> buffer(4);
    auto pending = owning.ReadAsync(buffer, asio::use_future);
    owning.Close();
    BOOST_CHECK_THROW(get_within(pending), OperationCanceledException);
    BOOST_CHECK_THROW(server->Available(), ObjectDisposedException);
}

namespace {

// The SocketError of an IOException's inner SocketException, as .NET's
// NetworkStream reports a network failure; SocketError::SocketError when the
// call threw something else or nothing.
template <class Call>
SocketError transport_error_of(Call call)
{
    try {
        call();
    } catch (const IOException& e) {
        return read_as<SocketException>(
            e.InnerException(), [](const SocketException& inner) { return inner.SocketErrorCode(); },
            SocketError::SocketError);
    } catch (...) {
    }
    return SocketError::SocketError;
}

} // namespace

BOOST_AUTO_TEST_CASE(ReadTimeout_bounds_a_synchronous_read_with_an_IOException_around_TimedOut)
{
    auto [client, server] = connected_pair();
    NetworkStream in(server);
    BOOST_TEST(in.ReadTimeout() == -1);
    in.ReadTimeout(30);
    BOOST_TEST(in.ReadTimeout() == 30);
    std::vector<std::uint8_t> buffer(4);
    BOOST_TEST((transport_error_of([&] { in.Read(buffer, 0, 4); }) == SocketError::TimedOut));
    BOOST_CHECK_THROW(in.ReadTimeout(0), ArgumentOutOfRangeException);
}

BOOST_AUTO_TEST_CASE(a_reset_connection_is_an_IOException_around_ConnectionReset_in_every_face)
{
    auto [client, server] = connected_pair();
    NetworkStream in(server);
    std::vector<std::uint8_t> buffer(4);
    auto pending = in.ReadAsync(buffer, asio::use_future);
    client->Close(0); // linger 0: the connection is reset
    BOOST_TEST((transport_error_of([&] { get_within(pending); }) == SocketError::ConnectionReset));
    auto [client2, server2] = connected_pair();
    NetworkStream in2(server2);
    client2->Close(0);
    BOOST_TEST((transport_error_of([&] { in2.Read(buffer, 0, 4); }) == SocketError::ConnectionReset));
    try {
        in2.Read(buffer, 0, 4);
    } catch (const IOException& e) {
        BOOST_TEST(std::string(e.what()).starts_with("Unable to read data from the transport connection: "));
    }
}

DOTASYNC_NO_DESCRIPTOR_LEAKED_TEST()

BOOST_AUTO_TEST_SUITE_END()
