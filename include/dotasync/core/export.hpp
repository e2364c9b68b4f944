// DOTASYNC_API: what libdotasync exports.
//
// The library is built with hidden symbol visibility, so that a program sees
// only what the public headers declare and the library's own helpers stay
// private to it. A class or function that the library defines and a program
// may call (directly, or through a template the headers define) carries
// DOTASYNC_API on its declaration; on a class it exports every member, the
// vtable and the type information. Class templates and inline functions need
// no mark: their code is compiled into the program that uses them. An inline
// variable whose address names something (the tag of a Begin method, which
// EndXxx compares) does: unmarked, the library and the program would each
// hold a copy at a different address.
//
// A program compiles these headers with its own visibility settings; the
// attribute only ever widens visibility, so it is harmless there.
#ifndef DOTASYNC_CORE_EXPORT_HPP
#define DOTASYNC_CORE_EXPORT_HPP

#if defined(__GNUC__)
#define DOTASYNC_API __attribute__((visibility("default")))
#else
#define DOTASYNC_API
#endif

#endif // DOTASYNC_CORE_EXPORT_HPP
