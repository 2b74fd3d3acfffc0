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

static int check_table(const rp_table *t, size_t size, size_t max_line) {
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
  for (size_t k = 0; k < t->n_rows * t->n_cols; k++)
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
    return fuzz_fail(HARNESS, "rp_table_find(\"\") = %ld or rp_table_column(n_cols) found something",
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

static int check_outcome(const outcome *o, const char *path, const uint8_t *data, size_t size) {
  return o->st == RP_OK ? check_table(o->t, size, o->max_line) : check_error(o, path, data, size);
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
      return fuzz_fail(HARNESS, "max_line %zu: %ld:%ld: %s; max_line %zu: %ld:%ld: %s",
                       a->max_line, a->err.line, a->err.column, a->err.message, b->max_line,
                       b->err.line, b->err.column, b->err.message);
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
  if (dflt.st == RP_OK) rp_table_free(dflt.t);
  if (mid.st == RP_OK) rp_table_free(mid.t);
  if (small.st == RP_OK) rp_table_free(small.t);
  return bad;
}

#ifdef RP_FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (fuzz_csv_one(data, size) != 0) abort(); /* libFuzzer saves the input */
  return 0;
}
#endif
