// IAsyncResult: the status of an asynchronous operation started the APM way
// (BeginXxx), as .NET defines it.
//
//   AsyncState()             the state object passed to BeginXxx
//   AsyncWaitHandle()        a handle signalled at completion; created on the first
//                            request, so results nobody waits on never allocate one
//   CompletedSynchronously() true only when the operation finished on the calling
//                            thread before BeginXxx returned
//   IsCompleted()            true once the result is stored
//
// At completion the result is stored and IsCompleted() becomes true, then the
// wait handle is signalled, then the AsyncCallback runs with the same pointer;
// an EndXxx called from the callback therefore never blocks.
//
// Thread-safety: every member may be called from any thread at the same time.
#ifndef DOTASYNC_CORE_IASYNC_RESULT_HPP
#define DOTASYNC_CORE_IASYNC_RESULT_HPP

#include <dotasync/core/export.hpp>
#include <dotasync/core/wait_handle.hpp>

#include <any>
#include <functional>
#include <memory>

namespace dotasync {

class DOTASYNC_API IAsyncResult {
public:
    virtual ~IAsyncResult() = default;

    virtual const std::any& AsyncState() const = 0;
    virtual WaitHandle& AsyncWaitHandle() const = 0;
    virtual bool CompletedSynchronously() const = 0;
    virtual bool IsCompleted() const = 0;
};

using IAsyncResultPtr = std::shared_ptr<IAsyncResult>;
using AsyncCallback = std::function<void(const IAsyncResultPtr&)>;

} // namespace dotasync

#endif
