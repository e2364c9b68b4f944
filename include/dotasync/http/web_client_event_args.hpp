// The event arguments of WebClient: the completed events' (Result() calls
// RaiseExceptionIfNecessary first, so it throws TargetInvocationException
// around Error(), or InvalidOperationException when Cancelled(), as .NET)
// and DownloadProgressChanged's.
#ifndef DOTASYNC_HTTP_WEB_CLIENT_EVENT_ARGS_HPP
#define DOTASYNC_HTTP_WEB_CLIENT_EVENT_ARGS_HPP

#include <dotasync/eap/async_completed_event_args.hpp>
#include <dotasync/eap/progress_changed_event_args.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace dotasync {

namespace detail {

// A completed event's arguments with a Result of type T.
template <class T>
class result_completed_event_args : public AsyncCompletedEventArgs {
public:
    result_completed_event_args(T result, std::exception_ptr error, bool cancelled, std::any userState)
        : AsyncCompletedEventArgs(std::move(error), cancelled, std::move(userState)), result_(std::move(result))
    {
    }
    const T& Result() const
    {
        RaiseExceptionIfNecessary();
        return result_;
    }

private:
    T result_;
};

} // namespace detail

class DownloadStringCompletedEventArgs : public detail::result_completed_event_args<std::string> {
public:
    using result_completed_event_args::result_completed_event_args;
};

class DownloadDataCompletedEventArgs : public detail::result_completed_event_args<std::vector<std::uint8_t>> {
public:
    using result_completed_event_args::result_completed_event_args;
};

class UploadStringCompletedEventArgs : public detail::result_completed_event_args<std::string> {
public:
    using result_completed_event_args::result_completed_event_args;
};

// ProgressPercentage() is BytesReceived() * 100 / TotalBytesToReceive(), or
// 0 while the total is unknown (-1).
class DownloadProgressChangedEventArgs : public ProgressChangedEventArgs {
public:
    DownloadProgressChangedEventArgs(std::int64_t bytesReceived, std::int64_t totalBytesToReceive, std::any userState)
        : ProgressChangedEventArgs(totalBytesToReceive > 0 ? int(bytesReceived * 100 / totalBytesToReceive) : 0,
                                   std::move(userState)),
          bytes_received_(bytesReceived), total_(totalBytesToReceive)
    {
    }
    std::int64_t BytesReceived() const noexcept { return bytes_received_; }
    std::int64_t TotalBytesToReceive() const noexcept { return total_; }

private:
    std::int64_t bytes_received_;
    std::int64_t total_;
};

} // namespace dotasync

#endif
