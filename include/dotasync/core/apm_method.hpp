// apm_method<Signature>: one BeginXxx/EndXxx pair of one's own class, with
// every APM rule kept.
//
//   class UserProvider {
//       // The completion signature of the operation behind the pair; the
//       // member's address names the method.
//       static constexpr dotasync::apm_method<void(boost::system::error_code, std::optional<User>)>
//           get_user_method{};
//
//   public:
//       dotasync::IAsyncResultPtr BeginGetUser(int userId, dotasync::AsyncCallback callback, std::any state)
//       {
//           if (userId < 0)                                      // rule 1: throw before starting
//               throw dotasync::ArgumentOutOfRangeException("userId");
//           return service_.async_get_user(userId, get_user_method.begin(this, std::move(callback),
//                                                                       std::move(state)));
//       }
//
//       std::optional<User> EndGetUser(const dotasync::IAsyncResultPtr& asyncResult)
//       {
//           return get_user_method.end(this, asyncResult);       // waits, returns or throws
//       }
//   };
//
// begin(owner, callback, state) is the apm token (core/apm_token.hpp) for
// one operation of this method of this object: given to any Asio initiating
// function whose completion signature is Signature, it makes that function
// return the IAsyncResultPtr that BeginXxx returns. end(owner, asyncResult)
// is the whole EndXxx: it
//   - throws ArgumentNullException for a null asyncResult;
//   - throws InvalidOperationException for a result that this method of this
//     object did not begin (another object's, another method's, one made by
//     apm() directly, or one of another completion signature), and for a
//     result already ended;
//   - throws InvalidOperationException, rather than wait for ever, when it
//     is called on the only thread able to complete the operation (the
//     sync-over-async deadlock; see apm_token.hpp for what is detected);
//   - otherwise blocks until the operation completes and returns its values
//     or throws its failure, as end<Signature> does: void(error_code, T)
//     returns T or throws the .NET exception mapped from the error code;
//     void(std::exception_ptr, T) rethrows or returns T.
// A null state (nullptr) is no state, as for apm.
//
// The object passed as owner is only compared, never used: it may be any
// address that stands for the object (normally `this`).
//
// Thread-safety: an apm_method is immutable; begin and end may be called
// from any thread, end once per result.
#ifndef DOTASYNC_CORE_APM_METHOD_HPP
#define DOTASYNC_CORE_APM_METHOD_HPP

#include <dotasync/core/apm_token.hpp>
#include <dotasync/core/iasync_result.hpp>

#include <any>
#include <utility>

namespace dotasync {

template <class Signature>
class apm_method {
public:
    constexpr apm_method() noexcept = default;

    // The address of an apm_method names its method: a copy would be
    // another method.
    apm_method(const apm_method&) = delete;
    apm_method& operator=(const apm_method&) = delete;

    // The completion token of one BeginXxx call.
    apm begin(const void* owner, AsyncCallback callback, std::any state) const
    {
        return detail::bind_apm_owner(apm(std::move(callback), std::move(state)), owner, this);
    }

    // The whole EndXxx; see the file comment.
    auto end(const void* owner, const IAsyncResultPtr& asyncResult) const
    {
        return detail::end_operation<Signature>(asyncResult, owner, this);
    }
};

} // namespace dotasync

#endif
