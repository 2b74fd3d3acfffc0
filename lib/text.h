/* text.h (private): the library's own text helpers, beside the cursor and
 * the cleaning that callers use too (regpath/text.h: how text from the data
 * becomes valid UTF-8, without control characters on a terminal line).
 */
#ifndef REGPATH_TEXT_H
#define REGPATH_TEXT_H

#include <stddef.h>

#include "regpath/text.h"

/* The length of the longest prefix of s (len bytes) that is at most max
 * bytes and does not end inside a UTF-8 character, so that a message that
 * shows a cut name or cell is still valid UTF-8. */
static inline size_t rp_utf8_prefix(const char *s, size_t len, size_t max) {
  if (len <= max) return len;
  size_t n = max;
  while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--; /* s[n] continues a character */
  return n;
}

/* Is code point cp a control character (C0, DEL or C1)? */
int rp_text_is_control(unsigned long cp);

/* strcmp of a and b as written in JSON (RP_TEXT_UTF8), without copying:
 * the one test of whether two names are the same, so that a model's
 * cleaned names find the columns of the file they came from, and two names
 * that differ only in invalid bytes count as the same name. */
int rp_text_compare(const char *a, const char *b);

#endif
