#include "core/detail/type_name.hpp"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>

namespace dotasync::detail {

std::string type_name(const std::type_info& type)
{
    int status = 0;
    const std::unique_ptr<char, void (*)(void*)> readable(
        abi::__cxa_demangle(type.name(), nullptr, nullptr, &status), std::free);
    return status == 0 && readable ? std::string(readable.get()) : std::string(type.name());
}

} // namespace dotasync::detail
