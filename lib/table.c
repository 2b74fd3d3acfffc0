/* table.c: read a numeric CSV into a column-major table (see regpath/table.h).
 *
 * Positions in errors: `line` is the 1-based physical line of the file (the
 * header starts on line 1); `column` is the 1-based byte offset within that
 * line of the first byte of the offending cell, i.e. the byte after the
 * preceding delimiter, so leading blanks belong to the cell.  A cell that a
 * quoted line end carries onto later lines is still named by the line and
 * column where it starts.  A UTF-8 byte-order mark is not counted: line 1 is
 * measured after it is stripped.  Problems with a whole record have column 0
 * and the record's first line (too long, empty, and "header only" at line 1);
 * a row with too few cells points just past its last byte; a quoted field
 * that the end of the file or the record limit leaves open points at its
 * opening quote; problems with the whole file (empty, unreadable) have line
 * 0 as well.
 *
 * Quoting follows RFC 4180, plus blanks allowed around a quoted field: a
 * record is a physical line, or several when quoted fields hold line ends
 * (kept in the value, CRLF as CRLF).  The reader ends a record at the first
 * line end after an even number of quotes; that is exactly RFC 4180's rule,
 * since a doubled quote counts twice and a quote inside an unquoted field is
 * rejected, as RFC 4180 requires, so that the reader, the delimiter detection
 * (which also only counts quotes) and the splitter agree.
 */
#define _POSIX_C_SOURCE 200809L
#include "regpath/table.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "memory.h"
#include "text.h"

/* Bytes of a cell or name quoted in a message: enough to recognise it, short
 * enough that the rest of the message still fits in RP_ERROR_MESSAGE_MAX. */
#define SHOW_MAX 40
#define NAME_SHOW_MAX 120

/* Values per column before the first doubling: small tables stay small, and a
 * very wide header does not reserve many rows up front. */
#define FIRST_BLOCK_VALUES ((size_t)1 << 14)

/* Reads records from a block buffer of max_line + 1 bytes: one more than the
 * longest accepted record, so a full buffer without the record's end proves
 * it too long and memory never depends on the file.  The scan state is kept
 * as offsets from the record's first byte, which refill may move. */
typedef struct {
  FILE *f;
  char *buf;         /* size + 1 bytes: room to NUL-terminate a last record */
  size_t size;       /* max_line + 1 */
  size_t max_line;
  size_t start, end; /* unread bytes are buf[start, end) */
  int eof;
  size_t scanned;    /* bytes of the pending record searched so far */
  int quoted;        /* an odd number of quotes in those bytes */
  long breaks;       /* line ends inside quotes in them */
  size_t line_start; /* offset of the physical line being scanned */
  size_t reopen;     /* offset just past the last closing quote */
  long quote_line;   /* the quoted field still open: its opening quote's  */
  long quote_column; /* line (0 = the record's first) and 1-based column */
} record_reader;

/* A record being split into cells: quotes are removed in place, and `line`
 * and `line_start` follow the line ends the split has passed. */
typedef struct {
  char *text;        /* NUL-terminated, without the record's line end */
  size_t len;
  size_t pos;        /* the next cell starts at text[pos] */
  long line;         /* physical line of text[pos] */
  size_t line_start; /* offset in text of that line's first byte */
} record;

/* One cell of a record, its quotes removed in place and NUL-terminated. */
typedef struct {
  char *text;
  size_t len;
  long line;   /* physical line of the cell's first byte */
  long column; /* its 1-based byte offset in that line */
} cell;

/* Where a header name starts, to point at a duplicate once all are known. */
typedef struct {
  long line, column;
} place;

typedef struct {
  const char *path;
  rp_error *err;
  record_reader in;
  long lineno;     /* first physical line of the current record */
  long lines_read; /* physical lines up to the end of the current record */
  char delim;
  rp_table *t;
  size_t cap_names; /* allocated entries of t->names */
  size_t cap_rows;  /* column j lives at t->values + j * cap_rows */
} csv_parse;

typedef enum { NUM_OK, NUM_EMPTY, NUM_NOT_NUMBER, NUM_NOT_FINITE } num_result;

/* ---------------------------------------------------------- record reader */

/* Moves the unread bytes to the front and appends what the file has. */
static rp_status refill(record_reader *r) {
  size_t avail = r->end - r->start;
  if (r->start > 0) memmove(r->buf, r->buf + r->start, avail);
  r->start = 0;
  r->end = avail;
  r->end += fread(r->buf + r->end, 1, r->size - r->end, r->f);
  if (ferror(r->f)) return RP_EIO;
  if (feof(r->f)) r->eof = 1;
  return RP_OK;
}

/* A byte-order mark is dropped before the first record is read, so that
 * neither the line limit nor the columns of line 1 count it. */
static rp_status skip_bom(record_reader *r) {
  if (refill(r) != RP_OK) return RP_EIO;
  if (r->end >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0) r->start = 3;
  return RP_OK;
}

static void take_record(record_reader *r, size_t n, size_t consumed, char **text,
                        size_t *len) {
  char *s = r->buf + r->start;
  r->start += consumed;
  if (n > 0 && s[n - 1] == '\r') n--; /* CRLF */
  s[n] = '\0';
  *text = s;
  *len = n;
}

/* Flips `quoted` at each quote of s[scanned, stop).  A doubled quote flips it
 * twice, so a line end ends the record exactly when `quoted` is clear.  The
 * opening quote of the field left open is remembered for the message when
 * the record grows too long (the second quote of a pair is not one). */
static void count_quotes(record_reader *r, const char *s, size_t stop) {
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

/* The next record without its line end (*text = NULL at end of file); at the
 * end of the file it may end inside quotes, which the splitter reports.
 * RP_EDATA means the record is longer than max_line; RP_EIO a read error. */
static rp_status next_record(record_reader *r, char **text, size_t *len) {
  r->scanned = r->line_start = 0;
  r->quoted = 0;
  r->breaks = 0;
  r->reopen = SIZE_MAX;
  *text = NULL;
  *len = 0;
  for (;;) {
    char *s = r->buf + r->start;
    size_t avail = r->end - r->start;
    char *nl = memchr(s + r->scanned, '\n', avail - r->scanned);
    size_t stop = nl ? (size_t)(nl - s) : avail;
    count_quotes(r, s, stop);
    r->scanned = stop;
    if (nl && stop + 1 > r->max_line) return RP_EDATA;
    if (nl && !r->quoted) {
      take_record(r, stop, stop + 1, text, len);
      return RP_OK;
    }
    if (nl) { /* a line end inside quotes: the record goes on */
      r->breaks++;
      r->scanned = r->line_start = stop + 1;
      continue;
    }
    if (avail > r->max_line) return RP_EDATA; /* no end within the limit */
    if (r->eof) {
      if (avail > 0) take_record(r, avail, avail, text, len);
      return RP_OK;
    }
    if (refill(r) != RP_OK) return RP_EIO;
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
static rp_status too_long(csv_parse *x) {
  const record_reader *r = &x->in;
  if (r->breaks == 0)
    return rp_error_set_at(x->err, RP_EDATA, x->path, x->lineno, 0,
                           "line longer than %zu bytes", r->max_line);
  if (r->quoted)
    return rp_error_set_at(x->err, RP_EDATA, x->path, x->lineno + r->quote_line,
                           r->quote_column,
                           "record longer than %zu bytes: the quoted field opened here "
                           "does not close within it (a closing quote missing?)",
                           r->max_line);
  return rp_error_set_at(x->err, RP_EDATA, x->path, x->lineno, 0,
                         "record longer than %zu bytes (it starts on this line; line ends "
                         "inside quotes continue it)", r->max_line);
}

/* next_record with line counting and positioned errors; rec is ready to
 * split (rec->text = NULL at end of file). */
static rp_status get_record(csv_parse *x, record *rec) {
  rp_status st = next_record(&x->in, &rec->text, &rec->len);
  if (st == RP_EIO)
    return rp_error_set_at(x->err, RP_EIO, x->path, 0, 0, "read error: %s",
                           strerror(errno));
  if (st == RP_OK && !rec->text) return RP_OK;
  x->lineno = x->lines_read + 1;
  x->lines_read += x->in.breaks + 1;
  if (st == RP_EDATA) return too_long(x);
  rec->pos = rec->line_start = 0;
  rec->line = x->lineno;
  /* Text holds no NUL: one would silently cut a name or a cell short. */
  const char *nul = memchr(rec->text, '\0', rec->len);
  if (nul) {
    long line = x->lineno, column;
    locate(rec->text, (size_t)(nul - rec->text), &line, &column);
    return rp_error_set_at(x->err, RP_EDATA, x->path, line, column,
                           "NUL byte (not a text file?)");
  }
  return RP_OK;
}

/* --------------------------------------------------------------- splitting */

static int is_blank(char c, char delim) {
  return (c == ' ' || c == '\t') && c != delim;
}

/* The first ',', ';' or TAB outside quotes; ',' when there is none (a
 * one-column file), which data rows then split on like any other. */
static char detect_delimiter(const char *line, size_t len) {
  int quoted = 0;
  for (size_t i = 0; i < len; i++) {
    char c = line[i];
    if (c == '"') quoted = !quoted;
    else if (!quoted && (c == ',' || c == ';' || c == '\t')) return c;
  }
  return ',';
}

/* Undoes the quoting of the field whose opening quote is at text[*pos], in
 * place, following its line ends; *pos ends just past the closing quote.
 * Returns 0 when the record ends first (only at the end of the file: the
 * reader goes on past line ends inside quotes). */
static int unquote(record *rec, size_t *pos, cell *c) {
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

/* Splits the cell starting at rec->text[rec->pos]; rec->pos moves past its
 * delimiter and *more says whether another cell follows.  Returns NULL or the
 * problem. */
static const char *split_cell(record *rec, char delim, cell *c, int *more) {
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

/* "column \"name\"" when the header names cell j, else "column <j+1>". */
static const char *column_label(const rp_table *t, size_t j, char *buf,
                                size_t size) {
  if (j < t->n_cols)
    snprintf(buf, size, "column \"%.*s\"",
             (int)rp_utf8_prefix(t->names[j], strlen(t->names[j]), NAME_SHOW_MAX), t->names[j]);
  else
    snprintf(buf, size, "column %zu", j + 1);
  return buf;
}

/* ------------------------------------------------------------------ header */

static int add_name(csv_parse *x, const cell *c) {
  rp_table *t = x->t;
  if (t->n_cols == x->cap_names) {
    size_t cap = x->cap_names ? 2 * x->cap_names : 16;
    char **names = cap < SIZE_MAX / sizeof *names
                       ? realloc(t->names, cap * sizeof *names)
                       : NULL;
    if (!names) return 0;
    t->names = names;
    x->cap_names = cap;
  }
  char *name = malloc(c->len + 1);
  if (!name) return 0;
  memcpy(name, c->text, c->len + 1);
  t->names[t->n_cols++] = name;
  return 1;
}

typedef struct {
  const char *name;
  size_t index;
} name_ref;

static int compare_name_refs(const void *a, const void *b) {
  const name_ref *p = a, *q = b;
  int c = rp_text_compare(p->name, q->name);
  if (c) return c;
  return (p->index > q->index) - (p->index < q->index);
}

/* Finds the duplicate name whose second occurrence comes first (the one a
 * reader scanning left to right meets), by sorting: headers can be wide
 * enough that comparing all pairs would be slow.  -1 = out of memory. */
static int find_duplicate(const rp_table *t, size_t *first, size_t *second) {
  size_t p = t->n_cols, i;
  name_ref *refs = malloc(p * sizeof *refs);
  int found = 0;
  if (!refs) return -1;
  for (i = 0; i < p; i++) refs[i] = (name_ref){t->names[i], i};
  qsort(refs, p, sizeof *refs, compare_name_refs);
  /* Within a run of equal names the first adjacent pair has the smallest
   * second index, so later pairs of the run never replace it. */
  for (i = 1; i < p; i++) {
    if (rp_text_compare(refs[i - 1].name, refs[i].name) == 0 &&
        (!found || refs[i].index < *second)) {
      *first = refs[i - 1].index;
      *second = refs[i].index;
      found = 1;
    }
  }
  free(refs);
  return found;
}

static rp_status check_duplicates(csv_parse *x, const place *where) {
  size_t first = 0, second = 0;
  int found = find_duplicate(x->t, &first, &second);
  if (found < 0)
    return rp_error_set_at(x->err, RP_ENOMEM, x->path, 0, 0, "out of memory");
  if (!found) return RP_OK;
  const char *name = x->t->names[second];
  return rp_error_set_at(x->err, RP_EDATA, x->path, where[second].line, where[second].column,
                         "duplicate column name \"%.*s\" (also column %zu%s)",
                         (int)rp_utf8_prefix(name, strlen(name), NAME_SHOW_MAX), name, first + 1,
                         strcmp(x->t->names[first], name) == 0
                             ? ""
                             : ", the same name once invalid UTF-8 is replaced by U+FFFD");
}

/* Column names from the first record; `where` receives each name's position
 * so that a duplicate can be pointed at after all names are known. */
static rp_status parse_names(csv_parse *x, record *rec, place **where) {
  size_t cap = 0;
  int more = 1;
  while (more) {
    size_t j = x->t->n_cols;
    cell c;
    const char *why = split_cell(rec, x->delim, &c, &more);
    if (why)
      return rp_error_set_at(x->err, RP_EDATA, x->path, c.line, c.column,
                             "%s in column %zu of the header", why, j + 1);
    if (c.len == 0)
      return rp_error_set_at(x->err, RP_EDATA, x->path, c.line, c.column,
                             "empty column name in column %zu", j + 1);
    if (j == cap) {
      place *w = NULL;
      cap = cap ? 2 * cap : 16;
      if (cap < SIZE_MAX / sizeof *w) w = realloc(*where, cap * sizeof *w);
      if (!w) return RP_ENOMEM;
      *where = w;
    }
    if (!add_name(x, &c)) return RP_ENOMEM;
    (*where)[j] = (place){c.line, c.column};
  }
  return RP_OK;
}

static rp_status read_header(csv_parse *x, record *rec) {
  place *where = NULL;
  x->delim = detect_delimiter(rec->text, rec->len);
  rp_status st = parse_names(x, rec, &where);
  if (st == RP_ENOMEM)
    rp_error_set_at(x->err, RP_ENOMEM, x->path, 0, 0, "out of memory");
  if (st == RP_OK) st = check_duplicates(x, where);
  free(where);
  return st;
}

/* ------------------------------------------------------------------- cells */

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Appends the decimal digits at s[*i..) to *m; returns how many there were,
 * or -1 when they bring more than 15 significant digits (leading zeros are
 * not significant): *m then no longer fits a double exactly. */
static int take_digits(const char *s, size_t len, size_t *i, uint64_t *m, int *significant) {
  int count = 0;
  for (; *i < len && is_digit(s[*i]); (*i)++, count++) {
    if ((*m != 0 || s[*i] != '0') && ++*significant > 15) return -1;
    *m = *m * 10 + (uint64_t)(s[*i] - '0');
  }
  return count;
}

/* Clinger's fast path: [sign] digits [. digits] [e [sign] digits] with at
 * most 15 significant digits and a decimal exponent k within +-22 is
 * m * 10^k for an integer m < 10^15 < 2^53, and 10^|k| is a double
 * exactly, so one correctly rounded multiplication or division gives the
 * correctly rounded value: strtod's own result, without its big-number
 * arithmetic (most of the time of reading a typical CSV file).  Returns 0
 * for anything else, which strtod then decides. */
static int parse_short_decimal(const char *s, size_t len, double *v) {
  static const double powers[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                  1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                  1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  size_t i = 0;
  uint64_t m = 0;
  int significant = 0, negative = len > 0 && s[0] == '-', k = 0;
  if (len > 0 && (s[0] == '-' || s[0] == '+')) i++;
  int whole = take_digits(s, len, &i, &m, &significant), fraction = 0;
  if (whole < 0) return 0;
  if (i < len && s[i] == '.') {
    i++;
    if ((fraction = take_digits(s, len, &i, &m, &significant)) < 0) return 0;
  }
  if (whole + fraction == 0) return 0;
  if (i < len && (s[i] == 'e' || s[i] == 'E')) {
    int minus = ++i < len && s[i] == '-', e = 0, count = 0;
    if (i < len && (s[i] == '-' || s[i] == '+')) i++;
    for (; i < len && is_digit(s[i]) && count < 4; i++, count++) e = 10 * e + (s[i] - '0');
    if (count == 0 || count == 4) return 0;
    k = minus ? -e : e;
  }
  k -= fraction;
  if (i != len || k < -22 || k > 22) return 0;
  double x = (double)m;
  x = k < 0 ? x / powers[-k] : x * powers[k];
  *v = negative ? -x : x;
  return 1;
}

/* Parses a whole cell as a finite decimal number.  strtod alone would accept
 * hexadecimal and skip leading newlines or form feeds, so those are refused
 * first; an overflow comes back as HUGE_VAL and fails the finiteness test,
 * while an underflow to a denormal or zero is a legitimate tiny value. */
static num_result parse_number(const char *s, size_t len, double *v) {
  char *end;
  if (len == 0) return NUM_EMPTY;
  if (parse_short_decimal(s, len, v)) return NUM_OK;
  if (isspace((unsigned char)s[0]) || memchr(s, 'x', len) ||
      memchr(s, 'X', len))
    return NUM_NOT_NUMBER;
  *v = strtod(s, &end);
  if (end != s + len) return NUM_NOT_NUMBER;
  if (!isfinite(*v)) return NUM_NOT_FINITE;
  return NUM_OK;
}

/* Blanks inside quotes are still blanks around a number. */
static void trim(cell *c, char delim) {
  while (c->len > 0 && is_blank(c->text[0], delim)) c->text++, c->len--;
  while (c->len > 0 && is_blank(c->text[c->len - 1], delim)) c->len--;
}

/* The error for cell c of column j, which parse_number refused as `why`. */
static rp_status bad_cell(csv_parse *x, const cell *c, size_t j, num_result why) {
  char label[NAME_SHOW_MAX + 32];
  int shown = (int)rp_utf8_prefix(c->text, c->len, SHOW_MAX);
  column_label(x->t, j, label, sizeof label);
  if (why == NUM_EMPTY)
    return rp_error_set_at(x->err, RP_EDATA, x->path, c->line, c->column,
                           "empty cell in %s", label);
  if (why == NUM_NOT_FINITE)
    return rp_error_set_at(x->err, RP_EDATA, x->path, c->line, c->column,
                           "not a finite number \"%.*s\" in %s", shown, c->text, label);
  /* A line end shows as U+FFFD in the one-line message: say what it is. */
  return rp_error_set_at(x->err, RP_EDATA, x->path, c->line, c->column,
                         "non-numeric cell \"%.*s\" in %s%s", shown, c->text, label,
                         memchr(c->text, '\n', c->len) ? " (its quotes hold a line end)" : "");
}

static rp_status store_cell(csv_parse *x, cell *c, size_t j) {
  double v = 0.0;
  trim(c, x->delim);
  num_result why = parse_number(c->text, c->len, &v);
  if (why != NUM_OK) return bad_cell(x, c, j, why);
  x->t->values[j * x->cap_rows + x->t->n_rows] = v;
  return RP_OK;
}

/* -------------------------------------------------------------------- rows */

/* Doubles the row capacity.  Columns move last to first so that none is
 * overwritten before it has moved. */
static int grow_rows(csv_parse *x) {
  size_t p = x->t->n_cols, old = x->cap_rows;
  size_t cap = old ? 2 * old : FIRST_BLOCK_VALUES / p + 1;
  if (cap < old || cap > SIZE_MAX / sizeof(double) / p) return 0;
  double *v = realloc(x->t->values, cap * p * sizeof *v);
  if (!v) return 0;
  for (size_t j = p; j-- > 1;)
    memmove(v + j * cap, v + j * old, x->t->n_rows * sizeof *v);
  x->t->values = v;
  x->cap_rows = cap;
  return 1;
}

/* Closes the gaps left by the spare capacity (columns move first to last, to
 * lower addresses) and returns the spare memory. */
static void compact_rows(csv_parse *x) {
  rp_table *t = x->t;
  size_t n = t->n_rows, p = t->n_cols;
  for (size_t j = 1; j < p; j++)
    memmove(t->values + j * n, t->values + j * x->cap_rows, n * sizeof(double));
  double *v = realloc(t->values, n * p * sizeof *v);
  if (v) t->values = v; /* on failure the larger block is still valid */
  x->cap_rows = n;
}

static rp_status read_row(csv_parse *x, record *rec) {
  rp_table *t = x->t;
  size_t p = t->n_cols, j;
  place extra = {0, 0}; /* the first cell beyond the header's */
  int more = 1;
  if (t->n_rows == x->cap_rows && !grow_rows(x))
    return rp_error_set_at(x->err, RP_ENOMEM, x->path, 0, 0, "out of memory");
  for (j = 0; more; j++) {
    char label[NAME_SHOW_MAX + 32];
    cell c;
    const char *why = split_cell(rec, x->delim, &c, &more);
    if (why)
      return rp_error_set_at(x->err, RP_EDATA, x->path, c.line, c.column,
                             "%s in %s", why,
                             column_label(t, j, label, sizeof label));
    if (j < p) {
      rp_status st = store_cell(x, &c, j);
      if (st != RP_OK) return st;
    } else if (j == p) {
      extra = (place){c.line, c.column};
    }
  }
  if (j < p) /* a missing cell is pointed at just past the record's end */
    extra = (place){rec->line, (long)(rec->len - rec->line_start) + 1};
  if (j != p)
    return rp_error_set_at(x->err, RP_EDATA, x->path, extra.line, extra.column,
                           "row has %zu cells, header has %zu", j, p);
  t->n_rows++;
  return RP_OK;
}

/* Data rows up to the end of the file.  Empty lines are only an error when
 * data follow them, hence the first one is remembered until then. */
static rp_status read_rows(csv_parse *x) {
  long blank = 0;
  for (;;) {
    record rec;
    rp_status st = get_record(x, &rec);
    if (st != RP_OK) return st;
    if (!rec.text) break;
    if (rec.len == 0) {
      if (!blank) blank = x->lineno;
      continue;
    }
    if (blank)
      return rp_error_set_at(x->err, RP_EDATA, x->path, blank, 0,
                             "empty line");
    st = read_row(x, &rec);
    if (st != RP_OK) return st;
  }
  if (x->t->n_rows == 0)
    return rp_error_set_at(x->err, RP_EDATA, x->path, 1, 0,
                           "no data rows (header only)");
  return RP_OK;
}

/* An empty line 1 is either a blank file or a missing header. */
static rp_status blank_header(csv_parse *x) {
  for (;;) {
    record rec;
    rp_status st = get_record(x, &rec);
    if (st != RP_OK) return st;
    if (!rec.text)
      return rp_error_set_at(x->err, RP_EDATA, x->path, 0, 0, "empty file");
    if (rec.len > 0)
      return rp_error_set_at(x->err, RP_EDATA, x->path, 1, 0,
                             "empty header line");
  }
}

static rp_status parse(csv_parse *x) {
  record rec;
  rp_status st = get_record(x, &rec);
  if (st != RP_OK) return st;
  if (!rec.text)
    return rp_error_set_at(x->err, RP_EDATA, x->path, 0, 0, "empty file");
  if (rec.len == 0) return blank_header(x);
  st = read_header(x, &rec);
  if (st == RP_OK) st = read_rows(x);
  if (st == RP_OK) compact_rows(x);
  return st;
}

/* ------------------------------------------------------------------- setup */

/* stat first: fopen succeeds on a directory and would block on a FIFO. */
static rp_status open_input(csv_parse *x) {
  struct stat sb;
  if (stat(x->path, &sb) != 0)
    return rp_error_set_at(x->err, RP_EIO, x->path, 0, 0, "cannot open: %s",
                           strerror(errno));
  if (S_ISDIR(sb.st_mode))
    return rp_error_set_at(x->err, RP_EIO, x->path, 0, 0, "is a directory");
  if (!S_ISREG(sb.st_mode))
    return rp_error_set_at(x->err, RP_EIO, x->path, 0, 0,
                           "not a regular file");
  x->in.f = fopen(x->path, "rb");
  if (!x->in.f)
    return rp_error_set_at(x->err, RP_EIO, x->path, 0, 0, "cannot open: %s",
                           strerror(errno));
  return RP_OK;
}

static rp_status setup(csv_parse *x, const rp_csv_options *opt) {
  size_t max_line = opt && opt->max_line ? opt->max_line : RP_CSV_DEFAULT_MAX_LINE;
  if (max_line > SIZE_MAX - 2) max_line = SIZE_MAX - 2;
  x->in.max_line = max_line;
  x->in.size = max_line + 1;
  rp_status st = open_input(x);
  if (st == RP_OK) /* max_line can be any size: never try what cannot be had */
    st = rp_memory_check((double)x->in.size + 1.0, "a record buffer of max_line_bytes", x->err);
  if (st != RP_OK) return st;
  x->in.buf = malloc(x->in.size + 1);
  x->t = calloc(1, sizeof *x->t);
  if (!x->in.buf || !x->t)
    return rp_error_set_at(x->err, RP_ENOMEM, x->path, 0, 0, "out of memory");
  if (skip_bom(&x->in) != RP_OK)
    return rp_error_set_at(x->err, RP_EIO, x->path, 0, 0, "read error: %s", strerror(errno));
  return RP_OK;
}

rp_status rp_table_read_csv(const char *path, const rp_csv_options *opt,
                            rp_table **out, rp_error *err) {
  if (out) *out = NULL;
  if (!path || !out)
    return rp_error_set(err, RP_EINVAL,
                        "rp_table_read_csv: path and out must not be NULL");
  csv_parse x = {.path = path, .err = err};
  rp_status st = setup(&x, opt);
  if (st == RP_OK) st = parse(&x);
  if (x.in.f) fclose(x.in.f);
  free(x.in.buf);
  if (st == RP_OK)
    *out = x.t;
  else
    rp_table_free(x.t);
  return st;
}

/* ---------------------------------------------------------------- accessors */

long rp_table_find(const rp_table *t, const char *name) {
  if (!t || !name) return -1;
  for (size_t j = 0; j < t->n_cols; j++)
    if (rp_text_compare(t->names[j], name) == 0) return (long)j;
  return -1;
}

/* NULL for a column that does not exist. */
const double *rp_table_column(const rp_table *t, size_t j) {
  if (!t || j >= t->n_cols) return NULL;
  return t->values + j * t->n_rows;
}

void rp_table_free(rp_table *t) {
  if (!t) return;
  for (size_t j = 0; j < t->n_cols; j++) free(t->names[j]);
  free(t->names);
  free(t->values);
  free(t);
}
