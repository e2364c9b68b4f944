// A stream the tests write themselves, through the public stream-authoring
// API only: a bounded in-memory pipe. Writes wait while the pipe is full and
// reads wait while it is empty, so its operations really are pending, and are
// completed from another operation (a write completes the read that waited
// for it) or from a cancellation.
//
// CompleteWriting() marks the end of the data: reads then drain the pipe and
// return 0. Close() completes every waiting operation with
// operation_aborted.
#pragma once

#include <dotasync/io/stream.hpp>

#include <boost/asio/error.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

namespace dotasync_test {

class pipe_stream : public dotasync::Stream {
public:
    pipe_stream(executor_type executor, std::size_t capacity)
        : Stream(std::move(executor), "pipe"), capacity_(capacity)
    {
    }
    ~pipe_stream() override { Close(); }

    bool CanRead() const override { return !is_closed(); }
    bool CanWrite() const override { return !is_closed(); }
    bool CanSeek() const override { return false; }

    void Close() override
    {
        std::vector<dotasync::io_completion> aborted;
        {
            std::lock_guard lock(mutex_);
            closed_ = true;
            if (reader_)
                aborted.push_back(std::move(reader_->completion));
            if (writer_)
                aborted.push_back(std::move(writer_->completion));
            reader_.reset();
            writer_.reset();
        }
        for (auto& c : aborted)
            c.complete(boost::asio::error::operation_aborted, 0);
    }

    void CompleteWriting()
    {
        std::optional<dotasync::io_completion> reader;
        {
            std::lock_guard lock(mutex_);
            writing_done_ = true;
            if (reader_ && data_.empty()) {
                reader.emplace(std::move(reader_->completion));
                reader_.reset();
            }
        }
        if (reader)
            reader->complete(boost::asio::error::eof, 0);
    }

    // What the pipe holds and nobody has read yet, taken out of it.
    std::vector<std::uint8_t> Drain()
    {
        std::lock_guard lock(mutex_);
        std::vector<std::uint8_t> bytes;
        for (std::byte b : data_)
            bytes.push_back(static_cast<std::uint8_t>(b));
        data_.clear();
        return bytes;
    }

protected:
    bool is_closed() const noexcept override
    {
        std::lock_guard lock(mutex_);
        return closed_;
    }

    void start_read_some(std::span<std::byte> buffer, dotasync::io_completion completion) override
    {
        std::unique_lock lock(mutex_);
        if (closed_ || reader_)
            return finish(lock, completion, boost::asio::error::operation_aborted, 0);
        if (data_.empty()) {
            if (writing_done_)
                return finish(lock, completion, boost::asio::error::eof, 0);
            reader_.emplace(waiting{buffer, {}, 0, ++serial_, std::move(completion)});
            watch_cancellation(*reader_, true);
            return;
        }
        const std::size_t n = std::min(buffer.size(), data_.size());
        std::copy_n(data_.begin(), n, buffer.begin());
        data_.erase(data_.begin(), data_.begin() + static_cast<std::ptrdiff_t>(n));
        // The room just made lets a waiting writer go on.
        std::optional<dotasync::io_completion> writer = pump_writer();
        lock.unlock();
        if (writer)
            writer->complete({}, writer_total_);
        completion.complete({}, n);
    }

    void start_write_some(std::span<const std::byte> buffer, dotasync::io_completion completion) override
    {
        std::unique_lock lock(mutex_);
        if (closed_ || writer_)
            return finish(lock, completion, boost::asio::error::operation_aborted, 0);
        std::optional<dotasync::io_completion> reader;
        std::size_t delivered = 0;
        if (reader_) {
            // Straight into the waiting reader's buffer.
            delivered = std::min(buffer.size(), reader_->read.size());
            std::copy_n(buffer.begin(), delivered, reader_->read.begin());
            reader.emplace(std::move(reader_->completion));
            reader_.reset();
        }
        const std::size_t room = capacity_ - data_.size();
        const std::size_t stored = std::min(room, buffer.size() - delivered);
        data_.insert(data_.end(), buffer.begin() + static_cast<std::ptrdiff_t>(delivered),
                     buffer.begin() + static_cast<std::ptrdiff_t>(delivered + stored));
        const std::size_t done = delivered + stored;
        if (done < buffer.size()) {
            writer_.emplace(waiting{{}, buffer, done, ++serial_, std::move(completion)});
            watch_cancellation(*writer_, false);
            lock.unlock();
        } else {
            lock.unlock();
            completion.complete({}, done);
        }
        if (reader)
            reader->complete({}, delivered);
    }

private:
    struct waiting {
        std::span<std::byte> read;
        std::span<const std::byte> write;
        std::size_t done;
        // Tells this wait from a later one, for a cancellation that comes
        // after the wait ended.
        std::uint64_t serial;
        dotasync::io_completion completion;
    };

    void finish(std::unique_lock<std::mutex>& lock, dotasync::io_completion& completion,
                boost::system::error_code ec, std::size_t n)
    {
        lock.unlock();
        completion.complete(ec, n);
    }

    // Moves what fits of the waiting write into the pipe; returns its
    // completion when the write is done. Called with the lock held.
    std::optional<dotasync::io_completion> pump_writer()
    {
        if (!writer_)
            return std::nullopt;
        const std::size_t n = std::min(capacity_ - data_.size(), writer_->write.size() - writer_->done);
        data_.insert(data_.end(), writer_->write.begin() + static_cast<std::ptrdiff_t>(writer_->done),
                     writer_->write.begin() + static_cast<std::ptrdiff_t>(writer_->done + n));
        writer_->done += n;
        if (writer_->done < writer_->write.size())
            return std::nullopt;
        writer_total_ = writer_->done;
        std::optional<dotasync::io_completion> c(std::move(writer_->completion));
        writer_.reset();
        return c;
    }

    // A canceled read completes with no bytes; a canceled write with the
    // bytes it had put into the pipe.
    void watch_cancellation(waiting& wait, bool read)
    {
        auto slot = wait.completion.get_cancellation_slot();
        if (!slot.is_connected())
            return;
        slot.assign([this, read, serial = wait.serial](boost::asio::cancellation_type) {
            std::unique_lock lock(mutex_);
            auto& slot_owner = read ? reader_ : writer_;
            if (!slot_owner || slot_owner->serial != serial)
                return;
            auto c = std::move(slot_owner->completion);
            const std::size_t done = read ? 0 : slot_owner->done;
            slot_owner.reset();
            lock.unlock();
            c.complete(boost::asio::error::operation_aborted, done);
        });
    }

    mutable std::mutex mutex_;
    const std::size_t capacity_;
    std::deque<std::byte> data_;
    std::optional<waiting> reader_;
    std::optional<waiting> writer_;
    std::size_t writer_total_ = 0;
    std::uint64_t serial_ = 0;
    bool writing_done_ = false;
    bool closed_ = false;
};

} // namespace dotasync_test
