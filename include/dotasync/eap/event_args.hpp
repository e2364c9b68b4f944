// EventArgs: the base of the argument classes .NET events carry.
//
// It holds nothing; derived classes add what their event reports. Event<Args>
// does not require Args to derive from it, but the EAP argument classes do,
// as in .NET, so that a handler written for a base class can receive them.
//
// Thread-safety: as for any value; an instance is used by one raise at a time.
#ifndef DOTASYNC_EAP_EVENT_ARGS_HPP
#define DOTASYNC_EAP_EVENT_ARGS_HPP

#include <dotasync/core/export.hpp>

namespace dotasync {

class DOTASYNC_API EventArgs {
public:
    EventArgs() noexcept = default;
    virtual ~EventArgs();

    // .NET's EventArgs.Empty, for events that report nothing.
    static const EventArgs& Empty() noexcept;

protected:
    // Copying belongs to derived classes; copying through a base reference
    // would slice.
    EventArgs(const EventArgs&) = default;
    EventArgs(EventArgs&&) = default;
    EventArgs& operator=(const EventArgs&) = default;
    EventArgs& operator=(EventArgs&&) = default;
};

} // namespace dotasync

#endif
