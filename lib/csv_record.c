/* csv_record.c: the records of a CSV file and their cells (see
 * csv_record.h). */
#define _POSIX_C_SOURCE 200809L
#include "csv_record.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv_number.h"
#include "memory.h"
#include "regpath/table.h"

/* ---------------------------------------------------------------- buffer */

/* Moves the unread bytes to the front and appends what the input has. */
static rp_status refill(rp_csv_reader *r) {
  size_t avail = r->end - r->start, got;
  if (r->start > 0) memmove(r->buf, r->buf + r->start, avail);
  r->start = 0;
  r->end = avail;
  rp_status st = rp_csv_input_read(&r->in, r->buf + r->end, r->size - r->end, &got, r->err);
  r->end += got;
  return st;
}

/* A byte-order mark is dropped before the first record is read, so that
 * neither the line limit nor the columns of line 1 count it. */
static rp_status skip_bom(rp_csv_reader *r) {
  rp_status st = refill(r);
  if (st == RP_OK && r->end >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0) r->start = 3;
  return st;
}

rp_status rp_csv_reader_open(rp_csv_reader *r, const char *path, size_t max_line,
                             long long window_start, long long window_end, rp_error *err) {
  if (!max_line) max_line = RP_CSV_DEFAULT_MAX_LINE;
  if (max_line > SIZE_MAX - 2) max_line = SIZE_MAX - 2;
  *r = (rp_csv_reader){.path = path, .err = err, .max_line = max_line, .size = max_line + 1};
  rp_status st = rp_csv_input_open(&r->in, path, err);
  if (st == RP_OK && window_end > 0)
    st = rp_csv_input_window(&r->in, window_start, window_end, 1, err);
  if (st == RP_OK) /* max_line can be any size: never try what cannot be had */
    st = rp_memory_check((double)r->size + 1.0, "a record buffer of max_line_bytes", err);
  if (st != RP_OK) return st;
  r->buf = malloc(r->size + 1);
  if (!r->buf) return rp_error_set_at(err, RP_ENOMEM, path, 0, 0, "out of memory");
  return skip_bom(r);
}

void rp_csv_reader_close(rp_csv_reader *r) {
  rp_csv_input_close(&r->in);
  free(r->buf);
  r->buf = NULL;
}

/* --------------------------------------------------------------- records */

static void take_record(rp_csv_reader *r, size_t n, size_t consumed, rp_csv_record *rec) {
  char *s = r->buf + r->start;
  r->start += consumed;
  r->consumed += (double)consumed;
  if (n > 0 && s[n - 1] == '\r') n--; /* CRLF */
  s[n] = '\0';
  rec->text = s;
  rec->len = n;
}

/* Flips `quoted` at each quote of s[scanned, stop).  A doubled quote flips it
 * twice, so a line end ends the record exactly when `quoted` is clear.  The
 * opening quote of the field left open is remembered for the message when
 * the record grows too long (the second quote of a pair is not one). */
static void count_quotes(rp_csv_reader *r, const char *s, size_t stop) {
  const char *q = s + r->scanned;
  while ((q = memchr(q, '"', (size_t)(s + stop - q))) != NULL) {
    size_t at = (size_t)(q++ - s);
    r->quoted = !r->quoted;
    if (!r->quoted) {
      r->reopen = at + 1;
    } else if (at != r->reopen) {
      r->quote_line = r->breaks;
      r->quote_column = (long)(at - r->line_start) + 1;
    }
  }
}

/* The next record without its line end (rec->text = NULL at end of file); at
 * the end of the file it may end inside quotes, which the splitter reports.
 * Sets *overlong (and returns RP_EDATA, no message yet) when the record is
 * longer than max_line; other errors are the input's, with their message. */
static rp_status next_record(rp_csv_reader *r, rp_csv_record *rec, int *overlong) {
  r->scanned = r->line_start = 0;
  r->quoted = 0;
  r->breaks = 0;
  r->reopen = SIZE_MAX;
  rec->text = NULL;
  rec->len = 0;
  for (;;) {
    char *s = r->buf + r->start;
    size_t avail = r->end - r->start;
    char *nl = memchr(s + r->scanned, '\n', avail - r->scanned);
    size_t stop = nl ? (size_t)(nl - s) : avail;
    count_quotes(r, s, stop);
    r->scanned = stop;
    if (nl && stop + 1 > r->max_line) return *overlong = 1, RP_EDATA;
    if (nl && !r->quoted) {
      take_record(r, stop, stop + 1, rec);
      return RP_OK;
    }
    if (nl) { /* a line end inside quotes: the record goes on */
      r->breaks++;
      r->scanned = r->line_start = stop + 1;
      continue;
    }
    if (avail > r->max_line) return *overlong = 1, RP_EDATA; /* no end within the limit */
    if (r->in.eof) {
      if (avail > 0) take_record(r, avail, avail, rec);
      return RP_OK;
    }
    rp_status st = refill(r);
    if (st != RP_OK) return st;
  }
}

/* Physical line and column of byte `at` of a record as read (before any
 * unquoting), the record starting on line *line. */
static void locate(const char *text, size_t at, long *line, long *column) {
  size_t start = 0;
  const char *nl;
  while ((nl = memchr(text + start, '\n', at - start)) != NULL) {
    ++*line;
    start = (size_t)(nl - text) + 1;
  }
  *column = (long)(at - start) + 1;
}

/* The limit is on a record, but one physical line is by far the usual case,
 * and its message stays the plain one. */
static rp_status too_long(const rp_csv_reader *r) {
  if (r->breaks == 0)
    return rp_error_set_at(r->err, RP_EDATA, r->path, r->lineno, 0, "line longer than %zu bytes",
                           r->max_line);
  if (r->quoted)
    return rp_error_set_at(r->err, RP_EDATA, r->path, r->lineno + r->quote_line, r->quote_column,
                           "record longer than %zu bytes: the quoted field opened here "
                           "does not close within it (a closing quote missing?)",
                           r->max_line);
  return rp_error_set_at(r->err, RP_EDATA, r->path, r->lineno, 0,
                         "record longer than %zu bytes (it starts on this line; line ends "
                         "inside quotes continue it)",
                         r->max_line);
}

rp_status rp_csv_reader_next(rp_csv_reader *r, rp_csv_record *rec) {
  int overlong = 0;
  rp_status st = next_record(r, rec, &overlong);
  if (st != RP_OK && !overlong) return st;
  if (!rec->text && !overlong) return RP_OK;
  r->lineno = r->lines_read + 1;
  r->lines_read += r->breaks + 1;
  if (overlong) return too_long(r);
  rec->pos = rec->line_start = 0;
  rec->line = r->lineno;
  /* Text holds no NUL: one would silently cut a name or a cell short. */
  const char *nul = memchr(rec->text, '\0', rec->len);
  if (nul) {
    long line = r->lineno, column;
    locate(rec->text, (size_t)(nul - rec->text), &line, &column);
    return rp_error_set_at(r->err, RP_EDATA, r->path, line, column, "NUL byte (not a text file?)");
  }
  return RP_OK;
}

/* ------------------------------------------------------------- splitting */

static int is_blank(char c, char delim) { return (c == ' ' || c == '\t') && c != delim; }

char rp_csv_detect_delimiter(const char *line, size_t len) {
  int quoted = 0;
  for (size_t i = 0; i < len; i++) {
    char c = line[i];
    if (c == '"')
      quoted = !quoted;
    else if (!quoted && (c == ',' || c == ';' || c == '\t'))
      return c;
  }
  return ',';
}

/* Undoes the quoting of the field whose opening quote is at text[*pos], in
 * place, following its line ends; *pos ends just past the closing quote.
 * Returns 0 when the record ends first (only at the end of the file: the
 * reader goes on past line ends inside quotes). */
static int unquote(rp_csv_record *rec, size_t *pos, rp_csv_cell *c) {
  char *s = rec->text;
  size_t from = *pos + 1, r = from, w = from;
  for (;;) {
    if (r >= rec->len) return 0;
    if (s[r] == '"') {
      if (r + 1 >= rec->len || s[r + 1] != '"') break;
      r++; /* a doubled quote stands for one */
    } else if (s[r] == '\n') {
      rec->line++;
      rec->line_start = r + 1;
    }
    s[w++] = s[r++];
  }
  c->text = s + from;
  c->len = w - from;
  *pos = r + 1;
  return 1;
}

const char *rp_csv_split_cell(rp_csv_record *rec, char delim, rp_csv_cell *c, int *more) {
  char *s = rec->text;
  size_t len = rec->len, i = rec->pos;
  c->line = rec->line;
  c->column = (long)(i - rec->line_start) + 1;
  *more = 0;
  while (i < len && is_blank(s[i], delim)) i++;
  if (i < len && s[i] == '"') {
    long quote = c->column + (long)(i - rec->pos);
    if (!unquote(rec, &i, c)) {
      c->column = quote;
      return "unterminated quoted field (the file ends before its closing quote)";
    }
    while (i < len && is_blank(s[i], delim)) i++;
    if (i < len && s[i] != delim) return "text after closing quote";
  } else {
    size_t b = i, e;
    while (i < len && s[i] != delim && s[i] != '"') i++;
    if (i < len && s[i] == '"') return "quote inside unquoted field";
    for (e = i; e > b && is_blank(s[e - 1], delim);) e--;
    c->text = s + b;
    c->len = e - b;
  }
  *more = i < len;
  rec->pos = i + 1;
  c->text[c->len] = '\0'; /* lands on a blank, the delimiter or the end */
  return NULL;
}

int rp_csv_take_number(rp_csv_record *rec, char delim, double *v, int *more) {
  size_t i = rec->pos, rest = rec->len - i;
  size_t n = rest ? rp_csv_short_decimal(rec->text + i, rest, v) : 0;
  if (n == 0 || (n < rest && rec->text[i + n] != delim)) return 0;
  *more = n < rest;
  rec->pos = i + n + 1;
  return 1;
}
