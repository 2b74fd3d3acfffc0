/* fuzz_csv.c: the CSV reader (lib/table.c) under fuzzing; see harness.h.
 *
 * Each input is written to a scratch file and read three times: with the
 * default line limit (1 MiB), with max_line 4096 and with max_line 32.  A
 * small limit forces the reader to refill its buffer many times per line, so
 * the three reads also test that the buffering changes nothing:
 * - inputs of at most 4096 bytes have no record (a line, or lines joined by
 *   line ends inside quotes) over 4096 bytes, so the first two reads must
 *   agree exactly (status, message, position, table);
 * - the 32-byte read must agree with the default one too, unless it stopped
 *   at a record longer than 32 bytes.
 * Then twice more with typed columns (default AUTO with the default
 * missing-value tokens; a column named "t" TEXT, "s" SKIP, "n" NUMBER), with
 * the default limit and with max_line 32, which must agree the same way.
 * A typed table must hold what rp_column_info promises: NUMBER values finite
 * or NaN exactly for the n_missing missing cells; TEXT values level indices
 * or NaN, levels strictly in byte order and each one used; SKIP all NaN; the
 * first missing cell's token one of the tokens and its line in the input.
 * When the strict read succeeds, the typed one must too, with the same
 * numbers in every column it read as NUMBER.
 * A table must hold what regpath/table.h promises: at least one row and one
 * column, finite values, distinct names, non-empty but for the first.  An error must be RP_EDATA
 * with *out NULL, a one-line message and a position inside the input.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "regpath/table.h"

#define SMALL_LINE 32
#define MID_LINE 4096
#define FIND_CHECK_MAX 64 /* rp_table_find is checked on narrower tables */

static const char HARNESS[] = "fuzz_csv";

typedef struct {
  rp_status st;
  rp_error err;
  rp_table *t;
  size_t max_line;
} outcome;

static const char *const TYPED_NAMES[] = {"t", "s", "n"};
static const rp_column_type TYPED_TYPES[] = {RP_COLUMN_TEXT, RP_COLUMN_SKIP, RP_COLUMN_NUMBER};

static void read_with_options(const char *path, const rp_csv_options *opt, outcome *o) {
  rp_error_clear(&o->err);
  o->max_line = opt->max_line;
  o->t = (rp_table *)(void *)o; /* anything but NULL: an error must reset it */
  o->st = rp_table_read_csv(path, opt, &o->t, &o->err);
}

static void read_typed(const char *path, size_t max_line, outcome *o) {
  size_t n_na = 0;
  const char *const *na = rp_csv_default_na_values(&n_na);
  rp_csv_options opt = {.max_line = max_line,
                        .default_type = RP_COLUMN_AUTO,
                        .type_names = TYPED_NAMES,
                        .types = TYPED_TYPES,
                        .n_types = 3,
                        .na_values = na,
                        .n_na_values = n_na};
  read_with_options(path, &opt, o);
}

static void read_with(const char *path, size_t max_line, outcome *o) {
  rp_csv_options opt = {.max_line = max_line};
  rp_error_clear(&o->err);
  o->max_line = max_line;
  o->t = (rp_table *)(void *)o; /* anything but NULL: an error must reset it */
  o->st = rp_table_read_csv(path, max_line ? &opt : NULL, &o->t, &o->err);
}

static int compare_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Physical line `k` (1-based) of the input: its length without the '\n';
 * -1 when there is no such line. */
static long line_length(const uint8_t *data, size_t size, long k) {
  size_t start = 0;
  for (long i = 1; i < k; i++) {
    const uint8_t *nl = memchr(data + start, '\n', size - start);
    if (!nl) return -1;
    start = (size_t)(nl - data) + 1;
  }
  if (start >= size) return -1; /* nothing after the last '\n' */
  const uint8_t *nl = memchr(data + start, '\n', size - start);
  return (long)((nl ? (size_t)(nl - data) : size) - start);
}

static int check_table(const rp_table *t, size_t size, size_t max_line, int typed) {
  if (!t) return fuzz_fail(HARNESS, "RP_OK but no table (max_line %zu)", max_line);
  if (t->n_rows < 1 || t->n_cols < 1 || !t->names || !t->values)
    return fuzz_fail(HARNESS, "table of %zu rows x %zu columns (names %p, values %p)", t->n_rows,
                     t->n_cols, (void *)t->names, (void *)t->values);
  /* Every name takes a byte and every cell a digit. */
  if (t->n_cols > size || t->n_rows > size / t->n_cols)
    return fuzz_fail(HARNESS, "%zu rows x %zu columns from %zu bytes", t->n_rows, t->n_cols, size);
  for (size_t j = 0; j < t->n_cols; j++) {
    if (!t->names[j] || (j > 0 && !t->names[j][0]))
      return fuzz_fail(HARNESS, "column %zu has a NULL or empty name", j + 1);
    if (rp_table_column(t, j) != t->values + j * t->n_rows)
      return fuzz_fail(HARNESS, "rp_table_column(%zu) is not column-major storage", j);
  }
  for (size_t k = 0; !typed && k < t->n_rows * t->n_cols; k++)
    if (!isfinite(t->values[k]))
      return fuzz_fail(HARNESS, "value %zu (row %zu, column %zu) is %g", k, k % t->n_rows + 1,
                       k / t->n_rows + 1, t->values[k]);
  char **sorted = malloc(t->n_cols * sizeof *sorted);
  if (!sorted) return fuzz_fail(HARNESS, "out of memory in the harness");
  memcpy(sorted, t->names, t->n_cols * sizeof *sorted);
  qsort(sorted, t->n_cols, sizeof *sorted, compare_names);
  int bad = 0;
  for (size_t j = 1; j < t->n_cols && !bad; j++)
    if (strcmp(sorted[j - 1], sorted[j]) == 0)
      bad = fuzz_fail(HARNESS, "duplicate column name \"%s\"", sorted[j]);
  free(sorted);
  if (bad) return 1;
  if (t->n_cols <= FIND_CHECK_MAX)
    for (size_t j = 0; j < t->n_cols; j++)
      if (rp_table_find(t, t->names[j]) != (long)j)
        return fuzz_fail(HARNESS, "rp_table_find(\"%s\") = %ld, expected %zu", t->names[j],
                         rp_table_find(t, t->names[j]), j);
  /* Only the first column may have the empty name (R's row names). */
  if (rp_table_find(t, "") != (t->names[0][0] ? -1 : 0) || rp_table_column(t, t->n_cols) != NULL)
    return fuzz_fail(HARNESS,
                     "rp_table_find(\"\") = %ld or rp_table_column(n_cols) found something",
                     rp_table_find(t, ""));
  return 0;
}

static int check_error(const outcome *o, const char *path, const uint8_t *data, size_t size) {
  const rp_error *e = &o->err;
  if (o->t) return fuzz_fail(HARNESS, "status %d but *out is not NULL", (int)o->st);
  if (o->st != RP_EDATA || e->status != o->st)
    return fuzz_fail(HARNESS, "status %d (error record %d), expected RP_EDATA: %s", (int)o->st,
                     (int)e->status, e->message);
  if (!e->message[0]) return fuzz_fail(HARNESS, "empty error message");
  for (const char *p = e->message; *p; p++)
    if ((unsigned char)*p < 0x20)
      return fuzz_fail(HARNESS, "control character 0x%02x in the message", (unsigned)*p);
  if (strcmp(e->file, path) != 0)
    return fuzz_fail(HARNESS, "error names file \"%s\", not \"%s\"", e->file, path);
  if (e->line < 0 || e->column < 0 || (e->line == 0 && e->column != 0))
    return fuzz_fail(HARNESS, "position %ld:%ld: %s", e->line, e->column, e->message);
  if (e->line > 0) {
    long len = line_length(data, size, e->line);
    /* An empty line 1 may be followed by nothing but blank lines, and the
     * header-only error points at line 1 whatever follows. */
    if (len < 0)
      return fuzz_fail(HARNESS, "error at line %ld, past the input's last line: %s", e->line,
                       e->message);
    if (e->column > len + 1)
      return fuzz_fail(HARNESS, "error at %ld:%ld, past the end of that line (%ld bytes): %s",
                       e->line, e->column, len, e->message);
  }
  return 0;
}

static int is_token(const char *s) {
  size_t n = 0;
  const char *const *na = rp_csv_default_na_values(&n);
  for (size_t k = 0; k < n; k++)
    if (strcmp(s, na[k]) == 0) return 1;
  return 0;
}

/* What rp_column_info promises about column j. */
static int check_column(const rp_table *t, size_t j, const uint8_t *data, size_t size) {
  const rp_column_info *c = &t->columns[j];
  const double *v = rp_table_column(t, j);
  size_t nan = 0;
  for (size_t i = 0; i < t->n_rows; i++) {
    nan += isnan(v[i]) != 0;
    if (c->type == RP_COLUMN_NUMBER && !isnan(v[i]) && !isfinite(v[i]))
      return fuzz_fail(HARNESS, "column %zu row %zu: %g", j + 1, i + 1, v[i]);
    if (c->type == RP_COLUMN_TEXT && !isnan(v[i]) &&
        (v[i] < 0 || v[i] >= (double)c->n_levels || v[i] != floor(v[i])))
      return fuzz_fail(HARNESS, "column %zu row %zu: %g is no level index (%zu levels)", j + 1,
                       i + 1, v[i], c->n_levels);
  }
  if (c->type == RP_COLUMN_SKIP ? nan != t->n_rows || c->n_missing || c->n_levels
                                : nan != c->n_missing)
    return fuzz_fail(HARNESS, "column %zu (type %d): %zu NaN, n_missing %zu", j + 1, (int)c->type,
                     nan, c->n_missing);
  if (c->type != RP_COLUMN_TEXT && c->n_levels)
    return fuzz_fail(HARNESS, "column %zu of type %d has levels", j + 1, (int)c->type);
  if (c->type != RP_COLUMN_NUMBER && c->type != RP_COLUMN_TEXT && c->type != RP_COLUMN_SKIP)
    return fuzz_fail(HARNESS, "column %zu has type %d", j + 1, (int)c->type);
  for (size_t k = 1; k < c->n_levels; k++)
    if (strcmp(c->levels[k - 1], c->levels[k]) >= 0)
      return fuzz_fail(HARNESS, "column %zu: levels \"%s\", \"%s\" out of order", j + 1,
                       c->levels[k - 1], c->levels[k]);
  for (size_t k = 0; k < c->n_levels; k++) {
    size_t i = 0;
    while (i < t->n_rows && v[i] != (double)k) i++;
    if (i == t->n_rows) return fuzz_fail(HARNESS, "column %zu: level %zu unused", j + 1, k);
  }
  if (c->n_missing == 0)
    return c->missing_line || c->missing_column || c->missing_token
               ? fuzz_fail(HARNESS, "column %zu: no missing cell but a place", j + 1)
               : 0;
  if (!c->missing_token || !is_token(c->missing_token) || c->missing_column < 1 ||
      line_length(data, size, c->missing_line) < c->missing_column - 1)
    return fuzz_fail(HARNESS, "column %zu: first missing cell %ld:%ld \"%s\"", j + 1,
                     c->missing_line, c->missing_column,
                     c->missing_token ? c->missing_token : "(null)");
  return 0;
}

static int check_outcome(const outcome *o, const char *path, const uint8_t *data, size_t size) {
  return o->st == RP_OK ? check_table(o->t, size, o->max_line, 0)
                        : check_error(o, path, data, size);
}

static int check_typed(const outcome *o, const char *path, const uint8_t *data, size_t size) {
  if (o->st != RP_OK) return check_error(o, path, data, size);
  int bad = check_table(o->t, size, o->max_line, 1);
  if (!bad && !o->t->columns) return fuzz_fail(HARNESS, "typed table without columns");
  for (size_t j = 0; !bad && j < o->t->n_cols; j++) bad = check_column(o->t, j, data, size);
  return bad;
}

/* The strict read succeeded: the typed read must, with the same numbers. */
static int same_numbers(const outcome *strict, const outcome *typed) {
  if (typed->st != RP_OK)
    return fuzz_fail(HARNESS, "strict read fine, typed read fails: %ld:%ld: %s", typed->err.line,
                     typed->err.column, typed->err.message);
  const rp_table *s = strict->t, *t = typed->t;
  if (s->n_rows != t->n_rows || s->n_cols != t->n_cols)
    return fuzz_fail(HARNESS, "strict %zu x %zu, typed %zu x %zu", s->n_rows, s->n_cols, t->n_rows,
                     t->n_cols);
  for (size_t j = 0; j < s->n_cols; j++)
    if (t->columns[j].type == RP_COLUMN_NUMBER &&
        memcmp(rp_table_column(s, j), rp_table_column(t, j), s->n_rows * sizeof(double)) != 0)
      return fuzz_fail(HARNESS, "column %zu: strict and typed numbers differ", j + 1);
  return 0;
}

/* Typed tables read with two limits: the same types, levels and places. */
static int same_columns(const outcome *a, const outcome *b) {
  if (a->st != RP_OK) return 0;
  for (size_t j = 0; j < a->t->n_cols; j++) {
    const rp_column_info *c = &a->t->columns[j], *d = &b->t->columns[j];
    if (c->type != d->type || c->n_levels != d->n_levels || c->n_missing != d->n_missing ||
        c->missing_line != d->missing_line || c->missing_column != d->missing_column)
      return fuzz_fail(HARNESS, "column %zu read differently with max_line %zu and %zu", j + 1,
                       a->max_line, b->max_line);
    for (size_t k = 0; k < c->n_levels; k++)
      if (strcmp(c->levels[k], d->levels[k]) != 0)
        return fuzz_fail(HARNESS, "column %zu level %zu differs between limits", j + 1, k);
  }
  return 0;
}

/* Do two reads of the same file say exactly the same? */
static int same_outcome(const outcome *a, const outcome *b) {
  if (a->st != b->st)
    return fuzz_fail(HARNESS, "max_line %zu gives status %d (%s), max_line %zu gives %d (%s)",
                     a->max_line, (int)a->st, a->err.message, b->max_line, (int)b->st,
                     b->err.message);
  if (a->st != RP_OK) {
    if (strcmp(a->err.message, b->err.message) != 0 || a->err.line != b->err.line ||
        a->err.column != b->err.column)
      return fuzz_fail(HARNESS, "max_line %zu: %ld:%ld: %s; max_line %zu: %ld:%ld: %s", a->max_line,
                       a->err.line, a->err.column, a->err.message, b->max_line, b->err.line,
                       b->err.column, b->err.message);
    return 0;
  }
  const rp_table *s = a->t, *t = b->t;
  if (s->n_rows != t->n_rows || s->n_cols != t->n_cols)
    return fuzz_fail(HARNESS, "max_line %zu: %zu x %zu, max_line %zu: %zu x %zu", a->max_line,
                     s->n_rows, s->n_cols, b->max_line, t->n_rows, t->n_cols);
  for (size_t j = 0; j < s->n_cols; j++)
    if (strcmp(s->names[j], t->names[j]) != 0)
      return fuzz_fail(HARNESS, "column %zu is \"%s\" with max_line %zu, \"%s\" with %zu", j + 1,
                       s->names[j], a->max_line, t->names[j], b->max_line);
  if (memcmp(s->values, t->values, s->n_rows * s->n_cols * sizeof *s->values) != 0)
    return fuzz_fail(HARNESS, "values differ between max_line %zu and %zu", a->max_line,
                     b->max_line);
  return 0;
}

/* The limit is on a record: one line, or several joined by quoted line ends. */
static int stopped_at_long_line(const outcome *o) {
  return o->st == RP_EDATA && (strncmp(o->err.message, "line longer than", 16) == 0 ||
                               strncmp(o->err.message, "record longer than", 18) == 0);
}

int fuzz_csv_one(const uint8_t *data, size_t size) {
  const char *path = fuzz_scratch_path("csv");
  if (!path || fuzz_write_file(path, data, size) != 0)
    return fuzz_fail(HARNESS, "cannot write the scratch file %s", path ? path : "(none)");
  outcome dflt, mid, small;
  read_with(path, 0, &dflt);
  read_with(path, MID_LINE, &mid);
  read_with(path, SMALL_LINE, &small);
  int bad = check_outcome(&dflt, path, data, size);
  bad |= check_outcome(&mid, path, data, size);
  bad |= check_outcome(&small, path, data, size);
  if (!bad && size <= MID_LINE) bad |= same_outcome(&dflt, &mid);
  if (!bad && !stopped_at_long_line(&small)) bad |= same_outcome(&dflt, &small);
  outcome typed, typed_small;
  read_typed(path, 0, &typed);
  read_typed(path, SMALL_LINE, &typed_small);
  bad |= check_typed(&typed, path, data, size);
  bad |= check_typed(&typed_small, path, data, size);
  if (!bad && dflt.st == RP_OK) bad |= same_numbers(&dflt, &typed);
  if (!bad && !stopped_at_long_line(&typed_small))
    bad |= same_outcome(&typed, &typed_small) || same_columns(&typed, &typed_small);
  if (dflt.st == RP_OK) rp_table_free(dflt.t);
  if (mid.st == RP_OK) rp_table_free(mid.t);
  if (small.st == RP_OK) rp_table_free(small.t);
  if (typed.st == RP_OK) rp_table_free(typed.t);
  if (typed_small.st == RP_OK) rp_table_free(typed_small.t);
  return bad;
}

#ifdef RP_FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (fuzz_csv_one(data, size) != 0) abort(); /* libFuzzer saves the input */
  return 0;
}
#endif
