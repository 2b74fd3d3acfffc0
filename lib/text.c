/* text.c: text from the data, cleaned for JSON and terminals (see text.h). */
#include "text.h"

#include <string.h>

static const char REPLACEMENT[] = "\xEF\xBF\xBD"; /* U+FFFD in UTF-8 */

/* The character at s (len > 0 bytes): its length when it is well-formed
 * UTF-8 (Unicode table 3-7), with *cp its code point; otherwise the length
 * of its maximal subpart, with *cp = 0xFFFD.  The second byte's range
 * depends on the first (E0, ED, F0 and F4 narrow it, which excludes overlong
 * forms, surrogates and code points above U+10FFFF); later ones are 80..BF. */
static size_t decode(const unsigned char *s, size_t len, unsigned long *cp) {
  unsigned char c = s[0], lo = 0x80, hi = 0xBF;
  *cp = c;
  if (c < 0x80) return 1;
  *cp = 0xFFFD;
  if (c < 0xC2 || c > 0xF4) return 1; /* a continuation byte, or never a first byte */
  size_t need = c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
  if (c == 0xE0) lo = 0xA0;
  if (c == 0xED) hi = 0x9F;
  if (c == 0xF0) lo = 0x90;
  if (c == 0xF4) hi = 0x8F;
  unsigned long v = c & (0x3Fu >> need);
  size_t n = 1;
  for (; n <= need; n++, lo = 0x80, hi = 0xBF) {
    if (n == len || s[n] < lo || s[n] > hi) return n;
    v = v << 6 | (s[n] & 0x3Fu);
  }
  *cp = v;
  return n;
}

int rp_text_is_control(unsigned long cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

rp_text_cursor rp_text_start(const char *s, size_t len, rp_text_mode mode) {
  return (rp_text_cursor){s, len, 0, mode, NULL, 0, 0};
}

int rp_text_next(rp_text_cursor *c) {
  if (c->at >= c->len) return 0;
  c->piece = c->s + c->at;
  c->n = decode((const unsigned char *)c->piece, c->len - c->at, &c->cp);
  c->at += c->n;
  int bad = c->cp == 0xFFFD || (c->mode == RP_TEXT_LINE && rp_text_is_control(c->cp));
  if (bad) { /* also a U+FFFD that was there: the same three bytes */
    c->piece = REPLACEMENT;
    c->n = 3;
    c->cp = 0xFFFD;
  }
  return 1;
}

size_t rp_text_clean(const char *s, size_t len, rp_text_mode mode, char *out, size_t size) {
  size_t n = 0;
  for (rp_text_cursor c = rp_text_start(s, len, mode); rp_text_next(&c) && n + c.n < size;) {
    memcpy(out + n, c.piece, c.n);
    n += c.n;
  }
  out[n] = '\0';
  return n;
}

size_t rp_text_length(const char *s) {
  size_t n = 0;
  for (rp_text_cursor c = rp_text_start(s, strlen(s), RP_TEXT_UTF8); rp_text_next(&c);) n++;
  return n;
}

int rp_text_compare(const char *a, const char *b) {
  rp_text_cursor x = rp_text_start(a, strlen(a), RP_TEXT_UTF8);
  rp_text_cursor y = rp_text_start(b, strlen(b), RP_TEXT_UTF8);
  int more_x = rp_text_next(&x), more_y = rp_text_next(&y);
  size_t i = 0, j = 0; /* the next byte of x's and of y's character */
  while (more_x && more_y) {
    unsigned char u = (unsigned char)x.piece[i], v = (unsigned char)y.piece[j];
    if (u != v) return u < v ? -1 : 1;
    if (++i == x.n) i = 0, more_x = rp_text_next(&x);
    if (++j == y.n) j = 0, more_y = rp_text_next(&y);
  }
  return more_x - more_y;
}
