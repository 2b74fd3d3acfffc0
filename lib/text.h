/* text.h (private): quoting user text in one-line messages. */
#ifndef REGPATH_TEXT_H
#define REGPATH_TEXT_H

#include <stddef.h>

/* The length of the longest prefix of s (len bytes) that is at most max
 * bytes and does not end inside a UTF-8 character, so that a message that
 * shows a cut name or cell is still valid UTF-8. */
static inline size_t rp_utf8_prefix(const char *s, size_t len, size_t max) {
  if (len <= max) return len;
  size_t n = max;
  while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--; /* s[n] continues a character */
  return n;
}

#endif
