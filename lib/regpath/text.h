/* regpath/text.h: text from the data as it may be written out.
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
#ifndef REGPATH_PUBLIC_TEXT_H
#define REGPATH_PUBLIC_TEXT_H

#include <stddef.h>

#include "regpath/api.h"

#ifdef __cplusplus
extern "C" {
#endif

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

RP_API rp_text_cursor rp_text_start(const char *s, size_t len, rp_text_mode mode);

/* The next character into c->piece, c->n, c->cp; 0 at the end. */
RP_API int rp_text_next(rp_text_cursor *c);

/* s (len bytes) cleaned for `mode` into out (size > 0 bytes), as many whole
 * characters as fit, NUL-terminated; returns the length written.  out must
 * not overlap s. */
RP_API size_t rp_text_clean(const char *s, size_t len, rp_text_mode mode, char *out, size_t size);

/* The number of characters of s once cleaned (the same in both modes). */
RP_API size_t rp_text_length(const char *s);

#ifdef __cplusplus
}
#endif
#endif
