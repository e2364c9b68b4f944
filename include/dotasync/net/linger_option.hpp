// LingerOption: whether Close waits for unsent data, and for how long, as
// .NET's (Socket::LingerState).
//
// Thread-safety: a value.
#ifndef DOTASYNC_NET_LINGER_OPTION_HPP
#define DOTASYNC_NET_LINGER_OPTION_HPP

namespace dotasync {

class LingerOption {
public:
    LingerOption(bool enable, int seconds) noexcept : enabled_(enable), linger_time_(seconds) {}

    bool Enabled() const noexcept { return enabled_; }
    void Enabled(bool value) noexcept { enabled_ = value; }
    int LingerTime() const noexcept { return linger_time_; }
    void LingerTime(int value) noexcept { linger_time_ = value; }

    friend bool operator==(const LingerOption&, const LingerOption&) = default;

private:
    bool enabled_;
    int linger_time_;
};

} // namespace dotasync

#endif
