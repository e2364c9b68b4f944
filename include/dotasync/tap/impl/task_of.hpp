// The templates of TaskOf: ContinueWith.
#ifndef DOTASYNC_TAP_IMPL_TASK_OF_HPP
#define DOTASYNC_TAP_IMPL_TASK_OF_HPP

#include <dotasync/core/detail/check_executor.hpp>

namespace dotasync {

template <class Antecedent, class F, class Executor>
auto TaskOf<void>::continue_with(F&& f, CancellationToken cancellationToken, const Executor& executor) const
{
    using R = std::decay_t<std::invoke_result_t<std::decay_t<F>&, const Antecedent&>>;
    detail::check_executor(executor);
    const auto& antecedent = checked();
    auto continuation = detail::make_task_state<R>();
    using node_type = detail::continue_with_node<Antecedent, std::decay_t<F>, std::decay_t<Executor>, R>;
    auto* node = new node_type(antecedent, std::forward<F>(f), std::move(cancellationToken), executor, continuation);
    if (!antecedent->add_continuation(node))
        node->run(*antecedent);
    return detail::task_access::make(std::move(continuation));
}

} // namespace dotasync

#endif
