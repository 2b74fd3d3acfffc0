/* svmlight.c: a sparse data file in the svmlight / libsvm format, read
 * line by line into rows, then turned into compressed sparse columns (see
 * regpath/svmlight.h). */
#define _POSIX_C_SOURCE 200809L
#include "regpath/svmlight.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_input.h"
#include "csv_number.h"
#include "memory.h"
#include "regpath/table.h"
#include "text.h"

/* Bytes of a token that a message shows, as table.c shows a cell. */
#define SHOW_MAX 40

/* Row numbers are stored as uint32_t, and a design (design.c) takes at
 * most INT32_MAX rows for the BLAS: n stays below that. */
#define ROWS_MAX ((size_t)INT32_MAX - 1)

/* The largest feature index: p + 1 column starts must still be countable
 * in bytes. */
#define INDEX_MAX (SIZE_MAX / sizeof(size_t) - 1)

/* The first capacities; each growth doubles them. */
enum { FIRST_ROWS = 1024, FIRST_ENTRIES = 8192 };

typedef struct {
  const char *path;
  rp_error *err;
  size_t n_features; /* 0 = p from the file */
  /* the input and a block buffer of max_line + 1 bytes: one more than the
     longest accepted line, so that a full buffer without a line end proves
     the line too long and memory never depends on the file (as csv_record.c) */
  rp_csv_input in;
  char *buf;   /* size + 1 bytes: room to NUL-terminate a last line */
  size_t size; /* max_line + 1 */
  size_t max_line;
  size_t start, end; /* unread bytes are buf[start, end) */
  long lineno;       /* physical line being parsed */
  /* the rows as read (compressed sparse rows): row i's entries are
     [row_end[i-1], row_end[i]) of col (0-based) and val */
  double *y;
  size_t *row_end;
  size_t n, cap_rows;
  size_t *col;
  double *val;
  size_t nnz, cap_entries;
  size_t max_index, n_qid;
  int scan; /* only count the rows and find the largest index (scan_line) */
} svm_parse;

/* A token of the line being parsed, NUL-terminated in place. */
typedef struct {
  char *s;
  size_t len;
  long column; /* 1-based byte offset of its first byte */
} token;

static rp_status no_memory(const svm_parse *x) {
  return rp_error_set_at(x->err, RP_ENOMEM, x->path, 0, 0, "out of memory");
}

/* A data error at token t of the current line. */
#define TOKEN_ERROR(x, t, ...)                                                                     \
  rp_error_set_at((x)->err, RP_EDATA, (x)->path, (x)->lineno, (t)->column, __VA_ARGS__)

/* How many bytes of t a message shows: with "%.*s", shown(t), t->s. */
static int shown(const token *t) { return (int)rp_utf8_prefix(t->s, t->len, SHOW_MAX); }

/* ---------------------------------------------------------------- lines */

static rp_status open_input(svm_parse *x, size_t max_line) {
  if (!max_line) max_line = RP_CSV_DEFAULT_MAX_LINE;
  if (max_line > SIZE_MAX - 2) max_line = SIZE_MAX - 2;
  x->max_line = max_line;
  x->size = max_line + 1;
  rp_status st = rp_csv_input_open(&x->in, x->path, x->err);
  if (st == RP_OK) /* max_line can be any size: never try what cannot be had */
    st = rp_memory_check((double)x->size + 1.0, "a line buffer of max_line_bytes", x->err);
  if (st != RP_OK) return st;
  x->buf = malloc(x->size + 1);
  return x->buf ? RP_OK : no_memory(x);
}

/* Moves the unread bytes to the front and appends what the input has. */
static rp_status refill(svm_parse *x) {
  size_t avail = x->end - x->start, got;
  if (x->start > 0) memmove(x->buf, x->buf + x->start, avail);
  x->start = 0;
  x->end = avail;
  rp_status st = rp_csv_input_read(&x->in, x->buf + x->end, x->size - x->end, &got, x->err);
  x->end += got;
  return st;
}

/* The line's first n bytes, without a CR before its LF, NUL-terminated in
 * place; `consumed` bytes leave the buffer. */
static void take_line(svm_parse *x, size_t n, size_t consumed, char **text, size_t *len) {
  char *s = x->buf + x->start;
  x->start += consumed;
  if (n > 0 && s[n - 1] == '\r') n--;
  s[n] = '\0';
  *text = s;
  *len = n;
}

/* The limit counts the line end, as csv_record.c counts it.  The line over
 * it is the one after the last line read. */
static rp_status too_long(const svm_parse *x) {
  return rp_error_set_at(x->err, RP_EDATA, x->path, x->lineno + 1, 0,
                         "line longer than %zu bytes: set data.max_line_bytes higher to read it",
                         x->max_line);
}

/* The next line (*text = NULL at the end of the file).  `scanned` bytes of
 * the pending line hold no line end, so a refill searches only new bytes. */
static rp_status next_line(svm_parse *x, char **text, size_t *len) {
  size_t scanned = 0;
  *text = NULL;
  *len = 0;
  for (;;) {
    char *s = x->buf + x->start;
    size_t avail = x->end - x->start;
    char *nl = memchr(s + scanned, '\n', avail - scanned);
    size_t n = nl ? (size_t)(nl - s) : avail; /* the line's bytes before its LF */
    if (nl ? n + 1 > x->max_line : avail > x->max_line) return too_long(x);
    if (nl || (x->in.eof && avail > 0)) { /* the last line may lack its LF */
      x->lineno++;
      take_line(x, n, nl ? n + 1 : n, text, len);
      return RP_OK;
    }
    if (x->in.eof) return RP_OK;
    scanned = avail;
    rp_status st = refill(x);
    if (st != RP_OK) return st;
  }
}

/* --------------------------------------------------------------- storage */

/* ptr resized to count elements of elem bytes; NULL (ptr still valid) when
 * the size overflows or the memory is not there. */
static void *resized(void *ptr, size_t count, size_t elem) {
  return count <= SIZE_MAX / elem ? realloc(ptr, count * elem) : NULL;
}

/* Room for more rows (labels and row ends), doubling. */
static rp_status more_rows(svm_parse *x) {
  size_t cap = x->cap_rows ? 2 * x->cap_rows : FIRST_ROWS;
  rp_status st = rp_memory_check((double)cap * (double)(sizeof(double) + sizeof(size_t)),
                                 "storing the rows", x->err);
  if (st != RP_OK) return st;
  double *y = resized(x->y, cap, sizeof *y);
  if (y) x->y = y;
  size_t *ends = y ? resized(x->row_end, cap, sizeof *ends) : NULL;
  if (ends) x->row_end = ends;
  if (!y || !ends) return no_memory(x);
  x->cap_rows = cap;
  return RP_OK;
}

/* Room for more entries (column and value), doubling. */
static rp_status more_entries(svm_parse *x) {
  size_t cap = x->cap_entries ? 2 * x->cap_entries : FIRST_ENTRIES;
  rp_status st = rp_memory_check((double)cap * (double)(sizeof(size_t) + sizeof(double)),
                                 "storing the features", x->err);
  if (st != RP_OK) return st;
  size_t *col = resized(x->col, cap, sizeof *col);
  if (col) x->col = col;
  double *val = col ? resized(x->val, cap, sizeof *val) : NULL;
  if (val) x->val = val;
  if (!col || !val) return no_memory(x);
  x->cap_entries = cap;
  return RP_OK;
}

/* --------------------------------------------------------------- numbers */

typedef enum { DIGITS_OK, DIGITS_NONE, DIGITS_TOO_LARGE } digits_result;

/* s[0, len) as a decimal integer of digits only (no sign), at most max. */
static digits_result digits_value(const char *s, size_t len, size_t max, size_t *v) {
  size_t x = 0;
  if (len == 0) return DIGITS_NONE;
  for (size_t i = 0; i < len; i++)
    if ((unsigned char)(s[i] - '0') > 9) return DIGITS_NONE;
  for (size_t i = 0; i < len; i++) {
    size_t d = (size_t)(s[i] - '0');
    if (x > (max - d) / 10) return DIGITS_TOO_LARGE;
    x = 10 * x + d;
  }
  *v = x;
  return DIGITS_OK;
}

/* ---------------------------------------------------------------- tokens */

static int is_blank(char c) { return c == ' ' || c == '\t'; }

/* The next token of line[0, len) from *pos on; 0 when none is left.  The
 * token is NUL-terminated in place (over the blank after it, or the line's
 * own NUL), so that strtod stops at its end. */
static int next_token(char *line, size_t len, size_t *pos, token *t) {
  size_t i = *pos;
  while (i < len && is_blank(line[i])) i++;
  if (i >= len) return 0;
  size_t b = i;
  while (i < len && !is_blank(line[i])) i++;
  line[i] = '\0';
  t->s = line + b;
  t->len = i - b;
  t->column = (long)b + 1;
  *pos = i < len ? i + 1 : len;
  return 1;
}

/* The label starts a new row. */
static rp_status take_label(svm_parse *x, const token *t) {
  double v;
  if (memchr(t->s, ':', t->len))
    return TOKEN_ERROR(x, t,
                       "missing label: the line starts with \"%.*s\" (write each line as "
                       "label index:value ...)",
                       shown(t), t->s);
  rp_num_result why = rp_csv_parse_number(t->s, t->len, &v);
  if (why == RP_NUM_NOT_FINITE)
    return TOKEN_ERROR(x, t, "not a finite number \"%.*s\" as the label", shown(t), t->s);
  if (why != RP_NUM_OK)
    return TOKEN_ERROR(x, t,
                       "non-numeric label \"%.*s\" (write each line as label index:value ...)",
                       shown(t), t->s);
  if (x->n == ROWS_MAX)
    return TOKEN_ERROR(x, t, "more than %zu data rows, the most regpath reads: split the file",
                       ROWS_MAX);
  rp_status st = x->n == x->cap_rows ? more_rows(x) : RP_OK;
  if (st == RP_OK) x->y[x->n] = v;
  return st;
}

static int is_qid(const token *t) { return t->len >= 4 && memcmp(t->s, "qid:", 4) == 0; }

/* qid:N ranks results in svmlight; a regression reads every line alone, so
 * it is checked, counted (for the caller's note) and dropped. */
static rp_status take_qid(svm_parse *x, const token *t) {
  size_t q;
  if (digits_value(t->s + 4, t->len - 4, SIZE_MAX, &q) != DIGITS_OK)
    return TOKEN_ERROR(x, t, "\"%.*s\" is not qid:<non-negative integer>", shown(t), t->s);
  x->n_qid++;
  return RP_OK;
}

/* The index before the colon (at `colon` bytes into t): a 1-based integer
 * within n_features when given, above the line's last one. */
static rp_status feature_index(svm_parse *x, const token *t, size_t colon, size_t last,
                               size_t *index) {
  digits_result r = digits_value(t->s, colon, INDEX_MAX, index);
  int shown_index = (int)rp_utf8_prefix(t->s, colon, SHOW_MAX);
  if (r == DIGITS_NONE && colon == 3 && memcmp(t->s, "qid", 3) == 0)
    return TOKEN_ERROR(x, t, "\"%.*s\" must come right after the label", shown(t), t->s);
  if (r == DIGITS_NONE)
    return TOKEN_ERROR(x, t,
                       "feature index \"%.*s\" is not a positive integer (indices count features "
                       "from 1)",
                       shown_index, t->s);
  if (r == DIGITS_TOO_LARGE)
    return TOKEN_ERROR(x, t, "feature index \"%.*s\" is too large (at most %zu)", shown_index, t->s,
                       INDEX_MAX);
  if (*index == 0)
    return TOKEN_ERROR(x, t, "feature index 0: indices are 1-based (the first feature is 1)");
  if (x->n_features && *index > x->n_features)
    return TOKEN_ERROR(x, t,
                       "feature index %zu, but the training data has only %zu features: remove "
                       "the features the model was not trained on",
                       *index, x->n_features);
  if (*index == last)
    return TOKEN_ERROR(x, t, "feature index %zu repeated: give each feature once per line", last);
  if (*index < last)
    return TOKEN_ERROR(x, t,
                       "feature index %zu after %zu: indices must increase along a line (sort "
                       "each line's features)",
                       *index, last);
  return RP_OK;
}

/* The value after the colon: a finite number. */
static rp_status feature_value(svm_parse *x, const token *t, size_t colon, size_t index,
                               double *v) {
  const char *s = t->s + colon + 1;
  int len = (int)rp_utf8_prefix(s, t->len - colon - 1, SHOW_MAX);
  rp_num_result why = rp_csv_parse_number(s, t->len - colon - 1, v);
  if (why == RP_NUM_NOT_FINITE)
    return TOKEN_ERROR(x, t, "not a finite number \"%.*s\" as the value of feature %zu", len, s,
                       index);
  if (why != RP_NUM_OK)
    return TOKEN_ERROR(x, t, "non-numeric value \"%.*s\" of feature %zu", len, s, index);
  return RP_OK;
}

/* index:value; *last is the line's previous index (0 before the first). */
static rp_status take_feature(svm_parse *x, const token *t, size_t *last) {
  const char *colon = memchr(t->s, ':', t->len);
  if (!colon)
    return TOKEN_ERROR(x, t, "\"%.*s\" has no colon: write each feature as index:value", shown(t),
                       t->s);
  size_t at = (size_t)(colon - t->s), index;
  if (at == 0)
    return TOKEN_ERROR(x, t,
                       "\"%.*s\" has no index before the colon: write each feature as index:value",
                       shown(t), t->s);
  if (at + 1 == t->len)
    return TOKEN_ERROR(x, t,
                       "\"%.*s\" has no value after the colon: write each feature as index:value",
                       shown(t), t->s);
  double v;
  rp_status st = feature_index(x, t, at, *last, &index);
  if (st == RP_OK) st = feature_value(x, t, at, index, &v);
  if (st != RP_OK) return st;
  *last = index;
  if (index > x->max_index) x->max_index = index;
  if (v == 0.0) return RP_OK; /* an explicit zero is the sparse format's absent entry */
  if (x->nnz == x->cap_entries && (st = more_entries(x)) != RP_OK) return st;
  x->col[x->nnz] = index - 1;
  x->val[x->nnz++] = v;
  return RP_OK;
}

/* One line: skipped when blank or only a comment, else one row. */
static rp_status parse_line(svm_parse *x, char *line, size_t len) {
  const char *hash = memchr(line, '#', len);
  if (hash) len = (size_t)(hash - line);
  line[len] = '\0';
  size_t pos = 0, last = 0;
  token t;
  if (!next_token(line, len, &pos, &t)) return RP_OK;
  rp_status st = take_label(x, &t);
  for (int first = 1; st == RP_OK && next_token(line, len, &pos, &t); first = 0)
    st = first && is_qid(&t) ? take_qid(x, &t) : take_feature(x, &t, &last);
  if (st == RP_OK) x->row_end[x->n++] = x->nnz;
  return st;
}

/* One line of a scan: a row when it holds a token before any comment,
 * its indices the digits before each colon; nothing is checked (a read
 * does that), and no value is parsed. */
static void scan_line(svm_parse *x, char *line, size_t len) {
  const char *hash = memchr(line, '#', len);
  if (hash) len = (size_t)(hash - line);
  size_t pos = 0, index;
  token t;
  if (!next_token(line, len, &pos, &t)) return;
  x->n++;
  while (next_token(line, len, &pos, &t)) {
    const char *colon = memchr(t.s, ':', t.len);
    if (colon && digits_value(t.s, (size_t)(colon - t.s), INDEX_MAX, &index) == DIGITS_OK &&
        index > x->max_index)
      x->max_index = index;
  }
}

static rp_status read_rows(svm_parse *x) {
  for (;;) {
    char *line;
    size_t len;
    rp_status st = next_line(x, &line, &len);
    if (st != RP_OK || !line) return st;
    if (x->scan)
      scan_line(x, line, len);
    else if ((st = parse_line(x, line, len)) != RP_OK)
      return st;
  }
}

/* --------------------------------------------------------------- columns */

/* The entries' spare capacity returned before the columns are allocated,
 * so that the peak is both forms at their size and no more. */
static void trim_entries(svm_parse *x) {
  if (x->nnz == 0 || x->nnz == x->cap_entries) return;
  size_t *col = realloc(x->col, x->nnz * sizeof *col);
  if (col) x->col = col; /* on failure the larger block is still valid */
  double *val = realloc(x->val, x->nnz * sizeof *val);
  if (val) x->val = val;
}

/* The rows turned into columns by a counting sort on the column: col_start
 * first counts each column's entries, prefix sums make the counts starts,
 * the fill moves each start to its column's end, and one shift turns the
 * ends back into starts, without a second array of p.  Rows are visited in
 * order, so each column's rows come out increasing (the sort is stable). */
static rp_status to_columns(svm_parse *x, rp_svmlight *out) {
  size_t p = x->n_features ? x->n_features : x->max_index, nnz = x->nnz;
  char what[96];
  snprintf(what, sizeof what, "the sparse columns of %zu features and %zu entries", p, nnz);
  double bytes = ((double)p + 1.0) * (double)sizeof(size_t) +
                 (double)nnz * (double)(sizeof(uint32_t) + sizeof(double));
  rp_status st = rp_memory_check(bytes, what, x->err);
  if (st != RP_OK) return st;
  size_t *start = out->col_start = calloc(p + 1, sizeof *out->col_start);
  out->row_index = malloc((nnz ? nnz : 1) * sizeof *out->row_index);
  out->values = malloc((nnz ? nnz : 1) * sizeof *out->values);
  if (!start || !out->row_index || !out->values) return no_memory(x);
  for (size_t k = 0; k < nnz; k++) start[x->col[k] + 1]++;
  for (size_t j = 0; j < p; j++) start[j + 1] += start[j];
  for (size_t i = 0, k = 0; i < x->n; i++)
    for (; k < x->row_end[i]; k++) {
      size_t at = start[x->col[k]]++;
      out->row_index[at] = (uint32_t)i;
      out->values[at] = x->val[k];
    }
  memmove(start + 1, start, p * sizeof *start);
  start[0] = 0;
  out->p = p;
  return RP_OK;
}

/* The labels move to *out, their spare capacity returned. */
static void take_labels(svm_parse *x, rp_svmlight *out) {
  double *y = realloc(x->y, x->n * sizeof *y);
  out->y = y ? y : x->y; /* on failure the larger block is still valid */
  x->y = NULL;
  out->n = x->n;
  out->max_index = x->max_index;
  out->n_qid = x->n_qid;
}

/* The lines of x->path that start in [start, end) (end 0: all of them)
 * through read_rows, the input closed after; an error on a window's line
 * put on the file's own line. */
static rp_status walk_lines(svm_parse *x, size_t max_line_bytes, long long start, long long end) {
  rp_status st = open_input(x, max_line_bytes);
  if (st == RP_OK && end > 0) st = rp_csv_input_window(&x->in, start, end, 0, x->err);
  if (st == RP_OK) st = read_rows(x);
  rp_csv_input_close(&x->in);
  free(x->buf);
  x->buf = NULL;
  return end > 0 ? rp_csv_window_error(x->path, start, 0, st, x->err) : st;
}

/* The lines of `path` that start in [start, end) into *out; no rows is an
 * error when `need_rows`. */
static rp_status read_lines(const char *path, size_t n_features, size_t max_line_bytes,
                            long long start, long long end, int need_rows, rp_svmlight *out,
                            rp_error *err) {
  svm_parse x = {.path = path, .err = err, .n_features = n_features};
  rp_status st = walk_lines(&x, max_line_bytes, start, end);
  if (st == RP_OK && x.n == 0 && need_rows)
    st = rp_error_set_at(err, RP_EDATA, path, 0, 0,
                         "no data rows: the file is empty or holds only blank lines and comments");
  if (st == RP_OK) trim_entries(&x);
  if (st == RP_OK) st = to_columns(&x, out);
  if (st == RP_OK) take_labels(&x, out);
  free(x.y);
  free(x.row_end);
  free(x.col);
  free(x.val);
  if (st != RP_OK) rp_svmlight_free(out);
  return st;
}

/* A window [start, end) that is no window (start < 0, or end in (0,
 * start]): RP_EINVAL naming the caller `who`. */
static rp_status check_window(long long start, long long end, const char *who, rp_error *err) {
  if (start >= 0 && (end <= 0 || end > start)) return RP_OK;
  return rp_error_set(err, RP_EINVAL, "%s: window [%lld, %lld) is empty", who, start, end);
}

/* The arguments' checks the two readers share. */
static rp_status check_args(const char *path, size_t n_features, rp_svmlight *out, const char *who,
                            rp_error *err) {
  if (out) *out = (rp_svmlight){0};
  if (!path || !out) return rp_error_set(err, RP_EINVAL, "%s: path and out must not be NULL", who);
  if (n_features > INDEX_MAX)
    return rp_error_set(err, RP_EINVAL, "%s: n_features %zu is above %zu", who, n_features,
                        INDEX_MAX);
  return RP_OK;
}

rp_status rp_svmlight_read(const char *path, size_t n_features, size_t max_line_bytes,
                           rp_svmlight *out, rp_error *err) {
  rp_status st = check_args(path, n_features, out, "rp_svmlight_read", err);
  return st == RP_OK ? read_lines(path, n_features, max_line_bytes, 0, 0, 1, out, err) : st;
}

rp_status rp_svmlight_read_window(const char *path, size_t n_features, size_t max_line_bytes,
                                  long long start, long long end, rp_svmlight *out, rp_error *err) {
  const char *who = "rp_svmlight_read_window";
  rp_status st = check_args(path, n_features, out, who, err);
  if (st == RP_OK) st = check_window(start, end, who, err);
  return st == RP_OK ? read_lines(path, n_features, max_line_bytes, start, end, 0, out, err) : st;
}

rp_status rp_svmlight_scan_window(const char *path, size_t max_line_bytes, long long start,
                                  long long end, size_t *rows, size_t *max_index, rp_error *err) {
  if (!path || !rows || !max_index)
    return rp_error_set(err, RP_EINVAL, "rp_svmlight_scan_window: every argument is required");
  rp_status st = check_window(start, end, "rp_svmlight_scan_window", err);
  if (st != RP_OK) return st;
  svm_parse x = {.path = path, .err = err, .scan = 1};
  st = walk_lines(&x, max_line_bytes, start, end);
  *rows = x.n, *max_index = x.max_index;
  return st;
}

void rp_svmlight_free(rp_svmlight *s) {
  if (!s) return;
  free(s->col_start);
  free(s->row_index);
  free(s->values);
  free(s->y);
  *s = (rp_svmlight){0};
}
