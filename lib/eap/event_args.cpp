#include <dotasync/eap/event_args.hpp>

namespace dotasync {

EventArgs::~EventArgs() = default;

const EventArgs& EventArgs::Empty() noexcept
{
    // A derived class with public construction, since EventArgs' copy is
    // protected and the object is only ever seen through the base.
    struct empty_event_args final : EventArgs {};
    static const empty_event_args instance;
    return instance;
}

} // namespace dotasync
