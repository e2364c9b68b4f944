// The concrete IAsyncResult behind every APM operation.
//
// apm_result_base (core/detail/apm_result_base.hpp) holds everything that does
// not depend on the completion signature; apm_result<Signature> adds the
// storage for the completion arguments, and apm_result_with_extras<Signature>
// adds the callback, the state and the (owner, method) pair of a BeginXxx
// method. A token that carries none of those gets the smaller apm_result, so
// that a pending operation costs as little memory as possible.
#ifndef DOTASYNC_CORE_DETAIL_APM_RESULT_HPP
#define DOTASYNC_CORE_DETAIL_APM_RESULT_HPP

#include <dotasync/core/detail/apm_result_base.hpp>
#include <dotasync/core/detail/completion_traits.hpp>
#include <dotasync/core/detail/result_allocator.hpp>
#include <dotasync/core/export.hpp>
#include <dotasync/core/iasync_result.hpp>
#include <dotasync/core/logging.hpp>

#include <any>
#include <cstdint>
#include <exception>
#include <memory>
#include <new>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <utility>

namespace dotasync::detail {

// Both carry default visibility, although the library hides what it does not
// mark: their type_info objects are then one per program, and checked()
// recognises a result begun in the program and ended in the library (or the
// other way round) by comparing addresses, without comparing the type names.
template <class Signature>
class DOTASYNC_API apm_result;

template <class Signature>
class DOTASYNC_API apm_result_with_extras;

template <class R, class... Args>
class DOTASYNC_API apm_result<R(Args...)> : public apm_result_base {
    using traits = completion_traits<std::decay_t<Args>...>;
    using values_type = typename traits::values_type;

public:
    using result_type = typename traits::result_type;

    apm_result() noexcept {}

    ~apm_result() override
    {
        const std::uint32_t f = flags();
        if ((f & (failed_flag | ended_flag)) == failed_flag)
            log_unobserved_failure((f & abandoned_flag) != 0 ? abandoned_error() : traits::failure(storage_.values));
        if ((f & (completed_flag | abandoned_flag)) == completed_flag)
            storage_.values.~values_type();
    }

    // The checks every EndXxx starts with: ar is not null, is a result of
    // this signature and was begun by (owner, method).
    static apm_result& checked(const IAsyncResultPtr& ar, const void* owner, const void* method);

    // Stores the completion arguments, publishes, then runs the callback.
    // self is the pointer the callback receives.
    template <class... Vs>
    void complete(const IAsyncResultPtr& self, Vs&&... values)
    {
        ::new (static_cast<void*>(&storage_.values)) values_type(std::forward<Vs>(values)...);
        publish(traits::failed(storage_.values) ? failed_flag : 0);
        run_callback(self);
    }

    // The handler was destroyed without being invoked: the operation can never
    // finish, so waiters must be released with an error rather than hang.
    void abandon() noexcept { publish(failed_flag | abandoned_flag); }

    // Called once, by end(), after end_and_wait() has waited for completion.
    result_type take()
    {
        if ((flags() & abandoned_flag) != 0)
            std::rethrow_exception(abandoned_error());
        return traits::take(std::move(storage_.values));
    }

private:
    // The completion arguments, constructed by complete(): an abandoned or
    // unfinished result has none.
    union storage {
        storage() noexcept {}
        ~storage() {}
        values_type values;
    } storage_;
};

template <class R, class... Args>
class DOTASYNC_API apm_result_with_extras<R(Args...)> final : public apm_result<R(Args...)> {
public:
    // Built from the token's parts in place, so that the callback and the
    // state move once, from the token into the result.
    template <class Callback, class State, class Origin>
    apm_result_with_extras(Callback&& callback, State&& state, const void* owner, const void* method,
                           Origin&& origin)
        : extras_{std::forward<Callback>(callback), std::forward<State>(state), owner, method,
                  std::forward<Origin>(origin)}
    {
    }

    const std::any& AsyncState() const override { return extras_.state; }

    bool began_by(const void* owner, const void* method) const noexcept override
    {
        return extras_.owner == owner && extras_.method == method;
    }

    const apm_extras* extras() const noexcept override { return &extras_; }

private:
    void run_callback(const IAsyncResultPtr& self) override
    {
        if (extras_.callback)
            extras_.callback(self);
    }

    apm_extras extras_;
};

template <class R, class... Args>
apm_result<R(Args...)>& apm_result<R(Args...)>::checked(const IAsyncResultPtr& ar, const void* owner,
                                                          const void* method)
{
    if (!ar)
        throw_null_result();
    // Comparing the dynamic type with the two classes a result of this
    // signature can have is much cheaper than a dynamic_cast, which walks
    // the class hierarchy by name when the types come from different
    // shared objects.
    // The addresses are compared first: the full comparison falls back on
    // the names, which costs a string comparison when they differ.
    IAsyncResult& result = *ar;
    const std::type_info& type = typeid(result);
    const std::type_info& plain = typeid(apm_result);
    const std::type_info& with_extras = typeid(apm_result_with_extras<R(Args...)>);
    apm_result* typed = nullptr;
    if (&type == &plain || (&type != &with_extras && type == plain))
        typed = static_cast<apm_result*>(&result);
    else if (type == with_extras)
        typed = static_cast<apm_result_with_extras<R(Args...)>*>(&result);
    if (typed == nullptr || !typed->began_by(owner, method))
        throw_not_begun_here();
    return *typed;
}

} // namespace dotasync::detail

#endif
