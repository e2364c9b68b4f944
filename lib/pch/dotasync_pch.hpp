// Included first into every source file of the library (as its precompiled
// header, or with -include where precompiled headers are turned off).
//
// The library is compiled with hidden visibility, which would also hide the
// Boost and spdlog code it instantiates: Asio's per-thread call stacks (which
// strands and the recycling allocator consult), its service and error-category
// singletons, Beast's error categories. A program that uses dotasync
// instantiates the same entities with default visibility, and the dynamic
// linker must find one copy of each for both; two copies would let a strand
// that the program runs look foreign to the library, and an error_code made in
// the library compare unequal to asio::error::eof in the program. So these
// headers are read here first, under default visibility, and their later
// inclusions add nothing. tests/symbols checks that no Boost entity in the
// library ended up hidden.
#pragma GCC visibility push(default)
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/smart_ptr/intrusive_ptr.hpp>
#include <boost/smart_ptr/intrusive_ref_counter.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#pragma GCC visibility pop
