// Internal: the base of a completion handler that owns one operation's
// completion. It may be moved (Asio moves handlers into and out of its
// operations) but never copied, which would complete the operation twice, nor
// assigned, which would drop one completion unseen. A derived handler that
// declares a destructor (to report being dropped) must still default its move
// constructor.
#ifndef DOTASYNC_CORE_DETAIL_MOVE_ONLY_HPP
#define DOTASYNC_CORE_DETAIL_MOVE_ONLY_HPP

namespace dotasync::detail {

class move_only {
public:
    move_only() noexcept = default;
    move_only(move_only&&) noexcept = default;
    move_only& operator=(move_only&&) = delete;
    move_only(const move_only&) = delete;
    move_only& operator=(const move_only&) = delete;

protected:
    ~move_only() = default;
};

} // namespace dotasync::detail

#endif
