// IProgress<T> and Progress<T>: progress reports delivered on the context of
// the code that asked for them, as .NET's Progress<T> does.
//
//   Progress<double> progress([&](double percent) { bar.Update(percent); });
//   worker.Start(progress);       // the worker calls progress.Report(42.0) from its threads
//
// The constructor captures the calling thread's SynchronizationContext
// (SynchronizationContext::Current()), or the default context when the thread
// has none, which runs reports on the default runtime. Report(value) posts a
// copy of the value to that context and returns at once; the handler given to
// the constructor and then the ProgressChanged event run there, never inside
// Report, even when Report is called on that very context. Reports posted to
// a context that runs one thing at a time (a strand, a message loop) arrive
// in the order they were made.
//
// A report already posted still runs if the Progress object is destroyed
// first: the handler and the event live in a shared state that each queued
// report keeps alive. For that reason the sender passed to ProgressChanged
// handlers is empty rather than a pointer to the Progress object.
//
// An exception thrown by the handler or an event handler is the context's to
// deal with, as in .NET: the default context hands it to the ThreadPool's
// unhandled-exception handler.
//
// Thread-safety: Report may be called from any thread at the same time, and
// ProgressChanged may be subscribed to from any thread (see Event).
#ifndef DOTASYNC_TAP_PROGRESS_HPP
#define DOTASYNC_TAP_PROGRESS_HPP

#include <dotasync/core/event.hpp>
#include <dotasync/core/exceptions.hpp>
#include <dotasync/core/export.hpp>
#include <dotasync/threading/synchronization_context.hpp>

#include <any>
#include <functional>
#include <memory>
#include <utility>

namespace dotasync {

// What an operation reporting progress takes, so that callers may pass a
// Progress<T> or a type of their own.
template <class T>
class IProgress {
public:
    virtual ~IProgress() = default;

    // Reports a progress update. Thread-safety: as the implementation says;
    // Progress<T>::Report may be called from any thread.
    virtual void Report(const T& value) = 0;

protected:
    IProgress() = default;
    IProgress(const IProgress&) = default;
    IProgress& operator=(const IProgress&) = default;
};

namespace detail {

// The calling thread's SynchronizationContext, or the default context.
DOTASYNC_API std::shared_ptr<SynchronizationContext> capture_progress_context();

} // namespace detail

template <class T>
class Progress : public IProgress<T> {
    struct state {
        std::shared_ptr<SynchronizationContext> context;
        std::function<void(const T&)> handler;
        Event<T> event;
    };

    // Declared first so that it exists before ProgressChanged refers into it.
    std::shared_ptr<state> state_;

public:
    // Reports are raised through ProgressChanged only.
    Progress();

    // Reports run handler, then ProgressChanged. An empty handler throws
    // ArgumentNullException, as .NET's constructor does for null.
    explicit Progress(std::function<void(const T&)> handler);

    // A Progress names one set of handlers bound to one context; a copy
    // would share them, which would surprise more than it helps.
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    // Raised on the captured context for each report, after the handler.
    Event<T>& ProgressChanged;

    void Report(const T& value) override { OnReport(value); }

protected:
    // Posts the report to the captured context when anything listens.
    // Derived classes may override it, as in .NET.
    virtual void OnReport(const T& value);
};

} // namespace dotasync

#include <dotasync/tap/impl/progress.hpp>

#endif
