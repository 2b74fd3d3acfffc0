/* plot_text.c: the text buffer of the plot files and the quoting of text
 * from the data in them (see plot_text.h, whose top comment says why the
 * quoting is as it is). */
#define _POSIX_C_SOURCE 200809L
#include "plot_text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

static int sb_reserve(rp_sbuf *b, size_t extra) {
  if (b->failed) return 0;
  if (b->len + extra + 1 <= b->cap) return 1;
  size_t cap = b->cap ? b->cap : 4096;
  while (cap < b->len + extra + 1) cap *= 2;
  char *s = realloc(b->s, cap);
  if (!s) {
    b->failed = 1;
    return 0;
  }
  b->s = s;
  b->cap = cap;
  return 1;
}

void rp_sb_putc(rp_sbuf *b, char c) {
  if (!sb_reserve(b, 1)) return;
  b->s[b->len++] = c;
  b->s[b->len] = '\0';
}

void rp_sb_puts(rp_sbuf *b, const char *s) {
  size_t n = strlen(s);
  if (!sb_reserve(b, n)) return;
  memcpy(b->s + b->len, s, n + 1);
  b->len += n;
}

void rp_sb_printf(rp_sbuf *b, const char *fmt, ...) {
  if (b->failed) return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) {
    b->failed = 1;
    return;
  }
  if (!sb_reserve(b, (size_t)n)) return;
  va_start(ap, fmt);
  vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

char *rp_sb_finish(rp_sbuf *b) {
  if (b->failed) {
    free(b->s);
    return NULL;
  }
  if (!b->s) return calloc(1, 1);
  return b->s;
}

size_t rp_plot_text_width(const char *s) { return rp_text_length(s); }

/* A quote in `s` is written as the separate string "'" joined with `.`:
 * gnuplot's own escape for it, two quotes inside single quotes, is
 * mis-scanned by gnuplot 5.4 when two such pairs follow each other or one
 * opens the string (the text then splits into several strings: a syntax
 * error, though never text outside a string). */
void rp_sb_gp_quote(rp_sbuf *b, const char *s) {
  size_t width = rp_plot_text_width(s), shown = 0;
  size_t keep = width > RP_PLOT_MAX_SHOWN ? RP_PLOT_MAX_SHOWN - 3 : width;
  int open = 0, any = 0; /* inside a '...' piece; a piece written */
  rp_text_cursor c = rp_text_start(s, strlen(s), RP_TEXT_LINE);
  for (; shown < keep && rp_text_next(&c); shown++) {
    if (c.cp == '\'') {
      if (open) rp_sb_putc(b, '\'');
      rp_sb_puts(b, any ? " . \"'\"" : "\"'\"");
      open = 0;
    } else {
      if (!open) rp_sb_puts(b, any ? " . '" : "'");
      rp_sb_printf(b, "%.*s", (int)c.n, c.piece);
      open = 1;
    }
    any = 1;
  }
  if (width > RP_PLOT_MAX_SHOWN) {
    if (!open) rp_sb_puts(b, any ? " . '" : "'");
    rp_sb_puts(b, "...");
    open = any = 1;
  }
  if (open) rp_sb_putc(b, '\'');
  if (!any) rp_sb_puts(b, "''");
}

void rp_sb_comment_quote(rp_sbuf *b, const char *s) {
  rp_sb_putc(b, '"');
  for (rp_text_cursor c = rp_text_start(s, strlen(s), RP_TEXT_LINE); rp_text_next(&c);) {
    if (c.cp == '"' || c.cp == '\\') rp_sb_putc(b, '\\');
    rp_sb_printf(b, "%.*s", (int)c.n, c.piece);
  }
  rp_sb_putc(b, '"');
}
