// Writing a stream of your own: a stream that scrambles what it writes to an
// inner stream and unscrambles what it reads back (as .NET's CryptoStream
// wraps another stream). It implements two initiations; every face of Stream
// then works on it: Read/Write, BeginRead/EndRead, ReadAsync with any token,
// CopyToAsync, and asio::async_read through async_read_some.
#include <dotasync/dotasync.hpp>

#include <boost/asio/read.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>

#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace asio = boost::asio;
using namespace dotasync;

class XorStream : public Stream {
public:
    XorStream(Stream& inner, std::uint8_t key) : Stream(inner.get_executor(), "XorStream"), inner_(inner), key_(key) {}

    bool CanRead() const override { return !closed_ && inner_.CanRead(); }
    bool CanWrite() const override { return !closed_ && inner_.CanWrite(); }
    bool CanSeek() const override { return false; }
    void Close() override { closed_ = true; }

protected:
    bool is_closed() const noexcept override { return closed_; }

    // Reads from the inner stream, then unscrambles in place. The completion
    // goes wherever the caller's face wants it: io_completion decides.
    void start_read_some(std::span<std::byte> buffer, io_completion completion) override
    {
        inner_.async_read_some(asio::buffer(buffer.data(), buffer.size()),
                               [this, buffer, c = std::move(completion)](boost::system::error_code ec,
                                                                         std::size_t n) mutable {
                                   for (std::size_t i = 0; i < n; ++i)
                                       buffer[i] ^= std::byte{key_};
                                   c.complete(ec, n);
                               });
    }

    // Scrambles a copy (the caller's bytes are const), then writes all of it.
    void start_write_some(std::span<const std::byte> buffer, io_completion completion) override
    {
        auto copy = std::make_shared<std::vector<std::byte>>(buffer.begin(), buffer.end());
        for (auto& b : *copy)
            b ^= std::byte{key_};
        asio::async_write(inner_, asio::buffer(*copy),
                          [copy, c = std::move(completion)](boost::system::error_code ec, std::size_t n) mutable {
                              c.complete(ec, n);
                          });
    }

private:
    Stream& inner_;
    const std::uint8_t key_;
    bool closed_ = false;
};

int main()
{
    MemoryStream storage;
    XorStream secret(storage, 0x5A);
    const std::string lines[] = {"written with Write\n", "written with BeginWrite/EndWrite\n",
                                 "written with WriteAsync\n"};
    secret.Write(lines[0], 0, static_cast<int>(lines[0].size()));
    secret.EndWrite(secret.BeginWrite(lines[1], 0, static_cast<int>(lines[1].size()), {}, {}));
    secret.WriteAsync(lines[2], asio::use_future).get();

    const auto stored = storage.ToArray();
    std::cout << "the inner stream holds " << stored.size() << " scrambled bytes, starting with "
              << std::string(stored.begin(), stored.begin() + 8) << "\n";

    storage.Position(0);
    std::vector<char> first(lines[0].size());
    asio::async_read(secret, asio::buffer(first), asio::use_future).get();
    std::cout << "asio::async_read: " << std::string(first.begin(), first.end());
    std::vector<char> second(lines[1].size());
    const int n = secret.EndRead(secret.BeginRead(second, 0, static_cast<int>(second.size()), {}, {}));
    std::cout << "BeginRead/EndRead: " << std::string(second.begin(), second.begin() + n);
    MemoryStream rest;
    secret.CopyToAsync(rest, asio::use_future).get();
    const auto tail = rest.ToArray();
    std::cout << "CopyToAsync: " << std::string(tail.begin(), tail.end());

    secret.Close();
    try {
        secret.ReadByte();
    } catch (const ObjectDisposedException& e) {
        std::cout << "after Close: " << e.what() << "\n";
    }
}
