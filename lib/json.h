/* json.h (private): numbers that survive a round trip through JSON text,
 * and the one printer of every JSON text regpath writes. */
#ifndef REGPATH_JSON_H
#define REGPATH_JSON_H

#include <cjson/cJSON.h>
#include <stddef.h>

enum { RP_NUMBER_MAX = 32 }; /* "-1.2345678901234567e-308" and its NUL fit */

/* x's text into buf: the shortest of %.15g, %.16g, %.17g that reads back
 * as x (so the shortest of all, since %g drops trailing zeros), or "null"
 * when x is not finite; returns its length. */
size_t rp_format_number(double x, char buf[RP_NUMBER_MAX]);

/* cJSON 1.7 prints a number with 15 significant digits whenever those read
 * back to within one ulp, so about one double in ten would not round-trip.
 * This prints the shortest of %.15g, %.16g, %.17g that strtod reads back
 * exactly (%.17g always does), as a raw cJSON item.  Non-finite values
 * become null, which JSON readers can tell apart. */
cJSON *rp_json_number(double x);

/* The array of rp_json_number(v[i]), i < n, as one raw item holding its
 * text (NULL when out of memory). */
cJSON *rp_json_numbers(const double *v, size_t n);

/* The same array as an item that points at v, without its text (NULL when
 * out of memory): for long arrays, so that a tree does not hold the text of
 * its numbers while it is written.  v must outlive the item, and only
 * rp_json_write and rp_json_print can print it (cJSON_Print cannot). */
cJSON *rp_json_numbers_view(const double *v, size_t n);

/* The same for the integers v[i], i < n (printed as cJSON prints them):
 * the report's fold ids, one per training row. */
cJSON *rp_json_ints_view(const int *v, size_t n);

/* Add `item` to `obj` under `key`; 0 (item freed) when item is NULL or
 * out of memory. */
int rp_json_add(cJSON *obj, const char *key, cJSON *item);

/* Add rp_json_number(x) to `obj` under `key`; 0 when out of memory. */
int rp_json_add_number(cJSON *obj, const char *key, double x);

/* {names_j: rp_json_number(v_j)}, j < n; NULL when out of memory. */
cJSON *rp_json_named_numbers(char *const *names, const double *v, size_t n);

/* Where rp_json_write sends its text, in pieces: returns 0 to stop it. */
typedef int (*rp_json_put)(void *ctx, const char *text, size_t len);

/* The one printer of every JSON text regpath writes: item in cJSON_Print's
 * layout, made safe to write, sent to put in pieces, so that a long text
 * never has to be held whole.  cJSON copies the bytes of strings and keys
 * as they are; here each invalid UTF-8 sequence in them becomes U+FFFD
 * (text.h), which strict JSON readers require, and DEL and the C1 controls
 * (U+0080..U+009F, which cJSON leaves raw) are escaped as \u007f..\u009f,
 * which read back as the same characters, so that printing the file on a
 * terminal is harmless (the C0 controls are escaped as cJSON does).  JSON's
 * own syntax is ASCII.  Returns 0 when put stopped it or memory ran out. */
int rp_json_write(const cJSON *item, rp_json_put put, void *ctx);

/* rp_json_write's text, whole (malloc'd; NULL when out of memory). */
char *rp_json_print(const cJSON *item);

/* The 1-based line and column (in bytes) of `at` within `text`, for
 * messages about JSON syntax. */
void rp_text_position(const char *text, const char *at, long *line, long *column);

#endif
