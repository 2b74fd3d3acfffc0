/* text.h (private): text from the data as it may be written out.
 *
 * Names, paths and cells are bytes from whoever wrote the files (a Latin-1
 * CSV from a spreadsheet is common), but JSON readers need valid UTF-8 and a
 * terminal takes control characters as commands (ESC [ 2 J clears it).  So
 * every such text is written through a cursor that yields it character by
 * character, cleaned:
 *
 *   - each invalid UTF-8 sequence becomes one U+FFFD, per the Unicode
 *     practice of "substitution of maximal subparts" (chapter 3, U+FFFD
 *     substitution): the longest start of a well-formed sequence, or else a
 *     single byte, makes one U+FFFD ("caf\xE9" -> "caf\uFFFD", "\xE2\x82x" ->
 *     "\uFFFDx", "\xC0\xAF" -> "\uFFFD\uFFFD");
 *   - for a terminal line, also every control character (C0 including ESC,
 *     newline and tab, DEL, and C1, U+0080..U+009F) becomes U+FFFD: a visible
 *     stand-in that a literal '?' in a name cannot be mistaken for.
 *
 * Either way one character becomes one character, so counts of characters
 * (for alignment, for cutting long names) are the same before and after.
 */
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

typedef enum {
  RP_TEXT_UTF8, /* valid UTF-8 (JSON, comparing names)             */
  RP_TEXT_LINE  /* valid UTF-8 without control characters (terminal,
                   one-line messages, gnuplot strings)               */
} rp_text_mode;

/* Walks a text character by character; after rp_text_next returns 1,
 * `piece` (n bytes, not NUL-terminated) is the character as it is to be
 * written and `cp` its code point (0xFFFD when it was replaced). */
typedef struct {
  const char *s;
  size_t len, at; /* the text and where the next character starts */
  rp_text_mode mode;
  const char *piece;
  size_t n;
  unsigned long cp;
} rp_text_cursor;

rp_text_cursor rp_text_start(const char *s, size_t len, rp_text_mode mode);

/* The next character into c->piece, c->n, c->cp; 0 at the end. */
int rp_text_next(rp_text_cursor *c);

/* Is code point cp a control character (C0, DEL or C1)? */
int rp_text_is_control(unsigned long cp);

/* s (len bytes) cleaned for `mode` into out (size > 0 bytes), as many whole
 * characters as fit, NUL-terminated; returns the length written.  out must
 * not overlap s. */
size_t rp_text_clean(const char *s, size_t len, rp_text_mode mode, char *out, size_t size);

/* The number of characters of s once cleaned (the same in both modes). */
size_t rp_text_length(const char *s);

/* strcmp of a and b as written in JSON (RP_TEXT_UTF8), without copying:
 * the one test of whether two names are the same, so that a model's
 * cleaned names find the columns of the file they came from, and two names
 * that differ only in invalid bytes count as the same name. */
int rp_text_compare(const char *a, const char *b);

#endif
