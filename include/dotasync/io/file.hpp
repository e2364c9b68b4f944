// File: .NET's static helpers for whole files.
//
//   auto fs = File::OpenRead("User.txt");              // std::unique_ptr<FileStream>
//   std::string text = File::ReadAllText("User.txt");
//   std::vector<std::uint8_t> data = co_await File::ReadAllBytesAsync(path, asio::use_awaitable);
//
// Completion signatures of the ...Async twins:
//   ReadAllBytesAsync   void(std::exception_ptr, std::vector<std::uint8_t>)
//   ReadAllTextAsync    void(std::exception_ptr, std::string)
//   ReadAllLinesAsync   void(std::exception_ptr, std::vector<std::string>)
//   WriteAllBytesAsync, WriteAllTextAsync, WriteAllLinesAsync,
//   AppendAllTextAsync  void(std::exception_ptr)
// An empty path is refused by the call itself (ArgumentException); failures
// to open the file arrive through the completion, as the exceptions
// FileStream's constructor throws. The ...Async writers copy their input, so
// it need not outlive the call. Their operations run on the default runtime's
// executor, as the FileStreams they open.
//
// Text is bytes: no encoding is applied or detected (a UTF-8 file reads as
// UTF-8, byte order mark included). Lines end at "\r\n", "\n" or "\r", as
// .NET's ReadLine splits them; WriteAllLines ends each line with "\n", the
// line ending of .NET on Linux.
//
// Exists never throws: a bad or missing path is false. Delete of a missing
// file does nothing; of a file in a missing directory ->
// DirectoryNotFoundException; of a directory -> UnauthorizedAccessException.
// Copy and Move: a missing source -> FileNotFoundException; an existing
// destination without overwrite -> IOException.
//
// Thread-safety: every function may be called from any thread.
#ifndef DOTASYNC_IO_FILE_HPP
#define DOTASYNC_IO_FILE_HPP

#include <dotasync/core/export.hpp>
#include <dotasync/io/detail/completion_adapter.hpp>
#include <dotasync/io/file_stream.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include <boost/asio/async_result.hpp>
#include <boost/asio/compose.hpp>

#include <algorithm>

#include <cstdint>
#include <cstring>
#include <exception>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dotasync {

struct DOTASYNC_API File {
    File() = delete;

    // FileMode::Open, FileAccess::Read, FileShare::Read.
    static std::unique_ptr<FileStream> OpenRead(const std::filesystem::path& path);
    // FileMode::OpenOrCreate, FileAccess::Write, FileShare::None.
    static std::unique_ptr<FileStream> OpenWrite(const std::filesystem::path& path);

    static std::vector<std::uint8_t> ReadAllBytes(const std::filesystem::path& path);
    static std::string ReadAllText(const std::filesystem::path& path);
    static void WriteAllBytes(const std::filesystem::path& path, std::span<const std::uint8_t> bytes);
    static void WriteAllText(const std::filesystem::path& path, std::string_view contents);
    static std::vector<std::string> ReadAllLines(const std::filesystem::path& path);
    static void WriteAllLines(const std::filesystem::path& path, const std::vector<std::string>& contents);
    // Creates the file when it does not exist.
    static void AppendAllText(const std::filesystem::path& path, std::string_view contents);

    static bool Exists(const std::filesystem::path& path) noexcept;
    static void Delete(const std::filesystem::path& path);
    static void Copy(const std::filesystem::path& sourceFileName, const std::filesystem::path& destFileName,
                     bool overwrite = false);
    static void Move(const std::filesystem::path& sourceFileName, const std::filesystem::path& destFileName,
                     bool overwrite = false);

    template <class Token>
    static auto ReadAllBytesAsync(const std::filesystem::path& path, Token&& token)
    {
        check_path(path);
        return boost::asio::async_compose<Token, void(std::exception_ptr, std::vector<std::uint8_t>)>(
            read_all_op<std::vector<std::uint8_t>>{path}, token, ThreadPool::Executor());
    }

    template <class Token>
    static auto ReadAllTextAsync(const std::filesystem::path& path, Token&& token)
    {
        check_path(path);
        return boost::asio::async_compose<Token, void(std::exception_ptr, std::string)>(
            read_all_op<std::string>{path}, token, ThreadPool::Executor());
    }

    template <class Token>
    static auto ReadAllLinesAsync(const std::filesystem::path& path, Token&& token)
    {
        check_path(path);
        return boost::asio::async_initiate<Token, void(std::exception_ptr, std::vector<std::string>)>(
            [path](auto handler) {
                ReadAllTextAsync(path, detail::adapt_completion(std::move(handler), [](auto h, std::exception_ptr error,
                                                                                        std::string text) {
                                     if (error)
                                         return std::move(h)(error, std::vector<std::string>());
                                     std::move(h)(nullptr, split_lines(text));
                                 }));
            },
            token);
    }

    template <class Token>
    static auto WriteAllBytesAsync(const std::filesystem::path& path, std::span<const std::uint8_t> bytes,
                                   Token&& token)
    {
        return write_async(path, FileMode::Create, bytes, std::forward<Token>(token));
    }

    template <class Token>
    static auto WriteAllTextAsync(const std::filesystem::path& path, std::string_view contents, Token&& token)
    {
        return WriteAllBytesAsync(
            path, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(contents.data()), contents.size()),
            std::forward<Token>(token));
    }

    template <class Token>
    static auto WriteAllLinesAsync(const std::filesystem::path& path, const std::vector<std::string>& contents,
                                   Token&& token)
    {
        return WriteAllTextAsync(path, join_lines(contents), std::forward<Token>(token));
    }

    template <class Token>
    static auto AppendAllTextAsync(const std::filesystem::path& path, std::string_view contents, Token&& token)
    {
        return write_async(
            path, FileMode::Append,
            std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(contents.data()), contents.size()),
            std::forward<Token>(token));
    }

private:
    static void check_path(const std::filesystem::path& path);
    static std::vector<std::string> split_lines(std::string_view text);
    static std::string join_lines(const std::vector<std::string>& lines);

    // The input is copied, so that it need not outlive the call.
    template <class Token>
    static auto write_async(const std::filesystem::path& path, FileMode mode, std::span<const std::uint8_t> bytes,
                            Token&& token)
    {
        check_path(path);
        return boost::asio::async_compose<Token, void(std::exception_ptr)>(
            write_all_op{path, mode,
                         std::make_shared<std::vector<std::byte>>(
                             reinterpret_cast<const std::byte*>(bytes.data()),
                             reinterpret_cast<const std::byte*>(bytes.data()) + bytes.size())},
            token, ThreadPool::Executor());
    }

    // Opens, then reads until a read returns 0: the length is only a hint,
    // since the file may grow or shrink meanwhile.
    template <class Result>
    struct read_all_op {
        std::filesystem::path path;
        std::shared_ptr<FileStream> stream = {};
        std::shared_ptr<Result> data = {};
        std::size_t filled = 0;

        template <class Self>
        void operator()(Self& self, std::exception_ptr error = {}, int n = -1)
        {
            if (error)
                return self.complete(error, Result());
            try {
                if (!stream) {
                    stream = std::make_shared<FileStream>(path, FileMode::Open, FileAccess::Read, FileShare::Read,
                                                          1, FileOptions::SequentialScan);
                    data = std::make_shared<Result>();
                    data->resize(static_cast<std::size_t>(stream->Length()) + 1);
                } else if (n == 0) {
                    data->resize(filled);
                    stream->Close();
                    return self.complete(nullptr, std::move(*data));
                } else {
                    filled += static_cast<std::size_t>(n);
                    if (filled == data->size())
                        data->resize(data->size() * 2);
                }
                auto* base = reinterpret_cast<std::uint8_t*>(data->data()) + filled;
                auto chunk = std::min<std::size_t>(data->size() - filled, 1u << 30);
                stream->ReadAsync(std::span<std::uint8_t>(base, chunk), std::move(self));
            } catch (...) {
                self.complete(std::current_exception(), Result());
            }
        }
    };

    struct write_all_op {
        std::filesystem::path path;
        FileMode mode;
        std::shared_ptr<std::vector<std::byte>> data;
        std::shared_ptr<FileStream> stream = {};

        template <class Self>
        void operator()(Self& self, std::exception_ptr error = {})
        {
            if (error)
                return self.complete(error);
            try {
                if (!stream) {
                    stream = std::make_shared<FileStream>(path, mode, FileAccess::Write, FileShare::Read, 1);
                    stream->WriteAsync(*data, std::move(self));
                    return;
                }
                stream->Close();
            } catch (...) {
                return self.complete(std::current_exception());
            }
            self.complete(nullptr);
        }
    };
};

} // namespace dotasync

#endif
