#pragma once

#include <set>
#include <string>

namespace dotasync_test {

// Filled by static initialisers, one per translation unit that compiled a
// public header alone.
std::set<std::string>& compiled_headers();

inline bool register_header(const char* name)
{
    compiled_headers().insert(name);
    return true;
}

} // namespace dotasync_test
