// The command-line options of the samples: "--name value" pairs.
#pragma once

#include <cstdlib>
#include <string>

namespace sample {

// The integer after --name, or fallback when the option is absent.
inline int int_option(int argc, char** argv, const std::string& name, int fallback)
{
    for (int i = 1; i + 1 < argc; ++i)
        if (argv[i] == name)
            return std::atoi(argv[i + 1]);
    return fallback;
}

} // namespace sample
