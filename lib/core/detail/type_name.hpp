// Internal: the readable C++ name of a type, for messages that name types as
// .NET's name CLR types (logged exceptions, InvalidCastException).
#ifndef DOTASYNC_LIB_CORE_DETAIL_TYPE_NAME_HPP
#define DOTASYNC_LIB_CORE_DETAIL_TYPE_NAME_HPP

#include <string>
#include <typeinfo>

namespace dotasync::detail {

// The demangled name, or the mangled one when demangling fails.
std::string type_name(const std::type_info& type);

} // namespace dotasync::detail

#endif
