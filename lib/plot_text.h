/* plot_text.h (private): the growing text buffer the plot files are written
 * into, and the two ways text from the data is quoted in them.
 *
 * Quoting.  Feature names come from a CSV header, i.e. from whoever wrote the
 * data, and end up in gnuplot scripts as key titles and labels.  gnuplot
 * performs backquote command substitution (`cmd`) inside double-quoted
 * strings, expands backslash escapes there, and expands @macros outside
 * quotes; single-quoted strings are taken literally (no backquotes, no
 * macros, no escapes).  So every text that comes from the data is written as
 * single-quoted strings, a ' in it as the constant "'" joined on with `.`
 * (see rp_sb_gp_quote), as text for one line (text.h: control characters, as
 * a newline would end the command, and invalid UTF-8, which the scripts'
 * `encoding utf8` cannot show, become U+FFFD).  The terminals are set
 * `noenhanced` so that _ ^ @ { } & in names are shown as themselves, not
 * as markup (with enhanced text gnuplot would also read octal escapes in
 * single-quoted strings).
 * Scripts use no macros, eval, system() or backquotes.  The inline
 * datablocks of the path script hold only numbers and comments of fixed text.
 */
#ifndef REGPATH_PLOT_TEXT_H
#define REGPATH_PLOT_TEXT_H

#include <stddef.h>

typedef struct {
  char *s;
  size_t len, cap;
  int failed; /* out of memory: every later append is a no-op */
} rp_sbuf;

void rp_sb_putc(rp_sbuf *b, char c);
void rp_sb_puts(rp_sbuf *b, const char *s);
void rp_sb_printf(rp_sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The text (the caller frees it), or NULL (and nothing leaked) when an
 * append ran out of memory. */
char *rp_sb_finish(rp_sbuf *b);

/* Longest label or key title shown, in characters; longer names are cut and
 * end in "..." so that one long name cannot squeeze the plot away. */
#define RP_PLOT_MAX_SHOWN 40

/* Number of characters of s as the scripts show it. */
size_t rp_plot_text_width(const char *s);

/* `s` as a gnuplot string expression made of single-quoted strings (see the
 * comment at the top), as text for one line (text.h), and text longer
 * than RP_PLOT_MAX_SHOWN characters cut at a character boundary and ended
 * in "...". */
void rp_sb_gp_quote(rp_sbuf *b, const char *s);

/* `s` in double quotes for a data file's comment line (read by people, not
 * by gnuplot): as text for one line (text.h), \ and " escaped C-style. */
void rp_sb_comment_quote(rp_sbuf *b, const char *s);

#endif
