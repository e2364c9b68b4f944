// Stream's composed operations: ReadExactlyAsync/ReadAtLeastAsync (read_loop)
// and CopyToAsync (copy_loop). Each step goes through the stream's one
// initiation of its direction, like every other face.
//
// The CancellationToken is bound to each step on its own, not to the loop as
// a whole: a step then installs its cancellation handler before its
// registration is live, and a Cancel() from another thread cannot meet the
// next step installing its own on a thread of the executor.
#ifndef DOTASYNC_IO_IMPL_STREAM_LOOPS_HPP
#define DOTASYNC_IO_IMPL_STREAM_LOOPS_HPP

#include <boost/asio/cancellation_type.hpp>

#include <cstddef>
#include <exception>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

namespace dotasync {

namespace detail {

// Runs one step of a loop: the initiation with the token bound to the step.
// The step completes the loop's self with (exception, bytes), the end of the
// stream counting as success with 0 bytes.
template <class Initiation, class Buffer, class Launch, class Self>
void start_loop_step(Initiation initiation, std::shared_ptr<const stream_identity> stream, Buffer bytes, Launch how,
                     CancellationToken token, Self self)
{
    constexpr bool write = std::is_same_v<Buffer, std::span<const std::byte>>;
    auto bound = with_cancellation(std::move(token), std::move(self));
    boost::asio::async_initiate<decltype(bound), void(std::exception_ptr, std::size_t)>(
        dotnet_initiation(std::move(initiation), dotnet_transfer_result<std::size_t>{std::move(stream), write}),
        bound, bytes, how);
}

inline std::exception_ptr loop_canceled_error(const char* what)
{
    return std::make_exception_ptr(OperationCanceledException(what));
}

} // namespace detail

// Reads until at least minimum bytes are in; Exactly completes with
// (exception) as ReadExactlyAsync, otherwise with (exception, bytes read).
template <bool Exactly>
struct Stream::read_loop {
    enum class step { starting, reading, stopping };

    Stream& stream;
    std::span<std::byte> buffer;
    std::size_t minimum;
    bool throw_on_end;
    CancellationToken cancellation;
    step state = step::starting;
    std::size_t total = 0;

    template <class Self>
    void operator()(Self& self, std::exception_ptr error = {}, std::size_t n = 0)
    {
        switch (state) {
        case step::starting:
            // Completing here would run the handler inside the initiating call.
            if (cancellation.IsCancellationRequested() || minimum == 0) {
                state = step::stopping;
                return boost::asio::post(stream.executor_, std::move(self));
            }
            return next(self);
        case step::stopping:
            return finish(self, cancellation.IsCancellationRequested() ? canceled() : nullptr);
        case step::reading:
            if (error)
                return finish(self, error);
            total += n;
            if (n == 0)
                return finish(self, throw_on_end && total < minimum ? std::make_exception_ptr(EndOfStreamException(
                                                                          "The stream ended before the bytes asked "
                                                                          "for were read."))
                                                                    : nullptr);
            if (total >= minimum)
                return finish(self, nullptr);
            if (self.cancelled() != boost::asio::cancellation_type::none || cancellation.IsCancellationRequested())
                return finish(self, canceled());
            return next(self);
        }
    }

    template <class Self>
    void next(Self& self)
    {
        state = step::reading;
        Stream& from = stream;
        const auto rest = buffer.subspan(total);
        CancellationToken token = cancellation;
        detail::start_loop_step(initiate_read_some(from), from.name_, rest, launch::ready, std::move(token),
                                std::move(self));
    }

    template <class Self>
    void finish(Self& self, std::exception_ptr error)
    {
        if constexpr (Exactly)
            self.complete(error);
        else
            self.complete(error, error ? 0 : static_cast<int>(total));
    }

    static std::exception_ptr canceled()
    {
        return detail::loop_canceled_error("The read was cancelled before it had read the bytes asked for.");
    }
};

template <bool Exactly, class Token>
auto Stream::read_at_least_async(std::span<std::byte> bytes, std::size_t minimum, bool throwOnEndOfStream,
                                 CancellationToken cancellationToken, Token&& token)
{
    // The loop checks the token itself; a canceled one skips the preparation.
    prepare_for(false, cancellationToken);
    using signature = std::conditional_t<Exactly, void(std::exception_ptr), void(std::exception_ptr, int)>;
    return boost::asio::async_compose<Token, signature>(
        read_loop<Exactly>{*this, bytes, minimum, throwOnEndOfStream, std::move(cancellationToken)}, token,
        executor_);
}

// CopyToAsync: read a chunk, write it, repeat until a read returns 0. A write
// step reports how much of its chunk it wrote, so that a failed or canceled
// copy can move a seekable source back over what did not arrive.
struct Stream::copy_loop {
    enum class step { starting, reading, writing, stopping };

    Stream& source;
    Stream& destination;
    std::unique_ptr<std::vector<std::byte>> buffer;
    CancellationToken cancellation;
    step state = step::starting;
    // The size of the chunk being written.
    std::size_t chunk = 0;

    template <class Self>
    void operator()(Self& self, std::exception_ptr error = {}, std::size_t n = 0)
    {
        switch (state) {
        case step::starting:
            // Stopping a copy between two chunks leaves both streams in a
            // consistent state, so every kind of cancellation is accepted.
            self.reset_cancellation_state(boost::asio::enable_total_cancellation());
            if (cancellation.IsCancellationRequested()) {
                state = step::stopping;
                return boost::asio::post(source.executor_, std::move(self));
            }
            return read_chunk(self);
        case step::stopping:
            return self.complete(canceled());
        case step::reading:
            if (error)
                return self.complete(error);
            if (n == 0)
                return self.complete(nullptr);
            // A cancellation that arrived while a step succeeded anyway still
            // ends the copy: the caller asked for it.
            if (canceled(self)) {
                rewind_source(n);
                return self.complete(canceled());
            }
            return write_chunk(self, n);
        case step::writing:
            if (error) {
                rewind_source(chunk - n);
                return self.complete(error);
            }
            if (canceled(self))
                return self.complete(canceled());
            return read_chunk(self);
        }
    }

    template <class Self>
    bool canceled(Self& self) const noexcept
    {
        return self.cancelled() != boost::asio::cancellation_type::none || cancellation.IsCancellationRequested();
    }

    static std::exception_ptr canceled()
    {
        return detail::loop_canceled_error("The copy was cancelled before it reached the end of the stream.");
    }

    template <class Self>
    void read_chunk(Self& self)
    {
        state = step::reading;
        try {
            source.prepare_async(false);
        } catch (...) {
            return self.complete(std::current_exception());
        }
        // self owns this object: take what the call needs before moving it.
        Stream& from = source;
        const std::span<std::byte> bytes(*buffer);
        CancellationToken token = cancellation;
        detail::start_loop_step(initiate_read_some(from), from.name_, bytes, launch::ready, std::move(token),
                                std::move(self));
    }

    template <class Self>
    void write_chunk(Self& self, std::size_t n)
    {
        state = step::writing;
        chunk = n;
        try {
            // A buffered destination writes out what it holds first.
            destination.prepare_async(true);
        } catch (...) {
            rewind_source(n);
            return self.complete(std::current_exception());
        }
        Stream& to = destination;
        const std::span<const std::byte> bytes(buffer->data(), n);
        CancellationToken token = cancellation;
        detail::start_loop_step(initiate_write_some(to), to.name_, bytes, launch::ready, std::move(token),
                                std::move(self));
    }

    // Moves a seekable source back over bytes it read that did not reach the
    // destination, so that its position tells how far the copy got. A source
    // that cannot seek (or fails to) keeps its position: the copy's own
    // failure is what the caller hears about.
    void rewind_source(std::size_t unwritten) noexcept
    {
        if (unwritten == 0)
            return;
        try {
            if (source.CanSeek())
                source.Seek(-static_cast<std::int64_t>(unwritten), SeekOrigin::Current);
        } catch (...) {
        }
    }
};

template <class Token>
auto Stream::copy_async(Stream& destination, int bufferSize, CancellationToken cancellationToken, Token&& token)
{
    check_copy_arguments(destination, bufferSize);
    return boost::asio::async_compose<Token, void(std::exception_ptr)>(
        copy_loop{*this, destination,
                  std::make_unique<std::vector<std::byte>>(static_cast<std::size_t>(bufferSize)),
                  std::move(cancellationToken)},
        token, executor_);
}

} // namespace dotasync

#endif
