/* regpath/api.h: what every public header uses to declare the library's API.
 *
 * The library is compiled with -fvisibility=hidden, so that libregpath.so
 * exports exactly the functions (and the one table) the public headers
 * declare with RP_API, and nothing of its private modules (tests/symbols.sh
 * checks the two sets are equal).  RP_PRINTF(f, a) marks a printf-style
 * function whose format is argument f and whose values start at argument a
 * (0 for a va_list), so that the compiler checks every call.  Both are empty
 * on compilers without GNU attributes.
 */
#ifndef REGPATH_API_H
#define REGPATH_API_H

#if defined(__GNUC__) || defined(__clang__)
#define RP_API __attribute__((visibility("default")))
#define RP_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define RP_API
#define RP_PRINTF(fmt, args)
#endif

#endif
