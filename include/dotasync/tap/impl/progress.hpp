// Progress<T>'s members, kept out of the declaration above.
#ifndef DOTASYNC_TAP_IMPL_PROGRESS_HPP
#define DOTASYNC_TAP_IMPL_PROGRESS_HPP

namespace dotasync {

template <class T>
Progress<T>::Progress()
    : state_(std::make_shared<state>()), ProgressChanged(state_->event)
{
    state_->context = detail::capture_progress_context();
}

template <class T>
Progress<T>::Progress(std::function<void(const T&)> handler)
    : state_(std::make_shared<state>()), ProgressChanged(state_->event)
{
    if (!handler)
        throw ArgumentNullException("handler");
    state_->context = detail::capture_progress_context();
    state_->handler = std::move(handler);
}

template <class T>
void Progress<T>::OnReport(const T& value)
{
    // Nothing would run the report: skip the post, as .NET does.
    if (!state_->handler && state_->event.handler_count() == 0)
        return;
    state_->context->Post(
        [s = state_](const std::any& boxed) {
            const T& v = std::any_cast<const T&>(boxed);
            if (s->handler)
                s->handler(v);
            // Event handlers may take the value by non-const reference, so
            // they get a copy of their own; none is made when nobody listens.
            if (s->event.handler_count() != 0) {
                T e = v;
                s->event.Invoke(std::any(), e);
            }
        },
        std::any(value));
}

} // namespace dotasync

#endif
