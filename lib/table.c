/* table.c: a CSV file as a table of typed columns (see regpath/table.h).
 *
 * The bytes come from csv_input.c (plain or gzip), records and cells from
 * csv_record.c (RFC 4180; the positions in errors are described there),
 * numbers from csv_number.c (exactly strtod's), the distinct texts of text
 * columns from csv_levels.c.  This file owns the header, the column types,
 * the missing-value tokens and the column-major storage.
 *
 * An AUTO column is read as numbers until its first cell that is neither a
 * number, TRUE/FALSE nor a missing-value token; from that row on it is read
 * as text.  The numbers before it were not kept as text, and a level must be
 * the cell as written ("007", not "7"), so when any AUTO column turned, the
 * rows before its turn are read a second time (only those rows, only those
 * columns are interned).  A file that changes between the two reads is an
 * error, not a silently mixed table.
 */
#define _DEFAULT_SOURCE /* madvise and MADV_HUGEPAGE */
#define _POSIX_C_SOURCE 200809L
#include "regpath/table.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "csv_levels.h"
#include "csv_number.h"
#include "csv_record.h"
#include "memory.h"
#include "text.h"

/* Bytes of a cell or name quoted in a message: enough to recognise it, short
 * enough that the rest of the message still fits in RP_ERROR_MESSAGE_MAX. */
#define SHOW_MAX 40
#define NAME_SHOW_MAX 120

/* Values per column before the first doubling: small tables stay small, and a
 * very wide header does not reserve many rows up front. */
#define FIRST_BLOCK_VALUES ((size_t)1 << 14)

/* Where a header name starts, to point at a duplicate once all are known. */
typedef struct {
  long line, column;
} place;

/* How column j is being read.  An AUTO column that meets text becomes TEXT
 * with `text_from` the row of its first text cell. */
typedef struct {
  rp_column_type kind;
  int turned;
  size_t text_from;
  rp_csv_levels *levels; /* TEXT: the texts met so far; values hold their ids */
} column_state;

typedef struct {
  const char *path;
  rp_error *err;
  const rp_csv_options *opt;
  rp_csv_reader in;
  char delim;
  int fast; /* plain numbers may skip the splitter: no missing token looks like one */
  rp_table *t;
  column_state *cols;
  size_t cap_names; /* allocated entries of t->names */
  size_t cap_rows;  /* column j lives at t->values + j * cap_rows */
} csv_parse;

static const char *const default_na[] = {"", "NA", "NaN", "nan", "N/A", "NULL", "null"};

const char *const *rp_csv_default_na_values(size_t *n) {
  if (n) *n = sizeof default_na / sizeof *default_na;
  return default_na;
}

/* The reader of `path` as the options say (record limit, window). */
static rp_status open_reader(rp_csv_reader *r, const char *path, const rp_csv_options *o,
                             rp_error *err) {
  return o ? rp_csv_reader_open(r, path, o->max_line, o->window_start, o->window_end, err)
           : rp_csv_reader_open(r, path, 0, 0, 0, err);
}

static rp_status no_memory(csv_parse *x) {
  return rp_error_set_at(x->err, RP_ENOMEM, x->path, 0, 0, "out of memory");
}

/* "column \"name\"" when the header names cell j, else "column <j+1>". */
static const char *column_label(const rp_table *t, size_t j, char *buf, size_t size) {
  if (j < t->n_cols)
    snprintf(buf, size, "column \"%.*s\"",
             (int)rp_utf8_prefix(t->names[j], strlen(t->names[j]), NAME_SHOW_MAX), t->names[j]);
  else
    snprintf(buf, size, "column %zu", j + 1);
  return buf;
}

/* ------------------------------------------------------------------ header */

static int add_name(csv_parse *x, const rp_csv_cell *c) {
  rp_table *t = x->t;
  if (t->n_cols == x->cap_names) {
    size_t cap = x->cap_names ? 2 * x->cap_names : 16;
    char **names = cap < SIZE_MAX / sizeof *names ? realloc(t->names, cap * sizeof *names) : NULL;
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
  if (found < 0) return no_memory(x);
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
 * so that a duplicate can be pointed at after all names are known.  The
 * first name may be empty: R's write.csv writes "" over its row names. */
static rp_status parse_names(csv_parse *x, rp_csv_record *rec, place **where) {
  size_t cap = 0;
  int more = 1;
  while (more) {
    size_t j = x->t->n_cols;
    rp_csv_cell c;
    const char *why = rp_csv_split_cell(rec, x->delim, &c, &more);
    if (why)
      return rp_error_set_at(x->err, RP_EDATA, x->path, c.line, c.column,
                             "%s in column %zu of the header", why, j + 1);
    if (c.len == 0 && j > 0)
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

/* The type each column is read as: the last entry of opt->types that names
 * it, else the default.  Names compare as rp_table_find compares them. */
static rp_status choose_types(csv_parse *x) {
  const rp_csv_options *o = x->opt;
  rp_table *t = x->t;
  x->cols = calloc(t->n_cols, sizeof *x->cols);
  t->columns = calloc(t->n_cols, sizeof *t->columns);
  if (!x->cols || !t->columns) return no_memory(x);
  for (size_t j = 0; j < t->n_cols; j++) {
    x->cols[j].kind = o ? o->default_type : RP_COLUMN_NUMBER;
    for (size_t k = 0; o && k < o->n_types; k++)
      if (o->type_names[k] && rp_text_compare(o->type_names[k], t->names[j]) == 0)
        x->cols[j].kind = o->types[k];
  }
  return RP_OK;
}

static rp_status read_header(csv_parse *x, rp_csv_record *rec) {
  place *where = NULL;
  x->delim = rp_csv_detect_delimiter(rec->text, rec->len);
  rp_status st = parse_names(x, rec, &where);
  if (st == RP_ENOMEM) no_memory(x);
  if (st == RP_OK) st = check_duplicates(x, where);
  free(where);
  if (st == RP_OK) st = choose_types(x);
  return st;
}

/* ------------------------------------------------------------------- cells */

/* Is the cell, as split (unquoted cells trimmed, quoted ones exact), one of
 * the missing-value tokens? */
static int is_missing(const csv_parse *x, const rp_csv_cell *c) {
  const rp_csv_options *o = x->opt;
  for (size_t k = 0; o && k < o->n_na_values; k++)
    if (strlen(o->na_values[k]) == c->len && memcmp(o->na_values[k], c->text, c->len) == 0)
      return 1;
  return 0;
}

static rp_status note_missing(csv_parse *x, const rp_csv_cell *c, size_t j) {
  rp_column_info *info = &x->t->columns[j];
  if (info->n_missing++ > 0) return RP_OK;
  info->missing_line = c->line;
  info->missing_column = c->column;
  info->missing_token = malloc(c->len + 1);
  if (!info->missing_token) return no_memory(x);
  memcpy(info->missing_token, c->text, c->len + 1);
  return RP_OK;
}

/* Blanks inside quotes are still blanks around a number. */
static rp_csv_cell trimmed(const rp_csv_cell *c, char delim) {
  rp_csv_cell d = *c;
  while (d.len > 0 && (d.text[0] == ' ' || d.text[0] == '\t') && d.text[0] != delim)
    d.text++, d.len--;
  while (d.len > 0 && (d.text[d.len - 1] == ' ' || d.text[d.len - 1] == '\t') &&
         d.text[d.len - 1] != delim)
    d.len--;
  return d;
}

/* The error for cell c of column j, which rp_csv_parse_number refused. */
static rp_status bad_cell(csv_parse *x, const rp_csv_cell *c, size_t j, rp_num_result why) {
  char label[NAME_SHOW_MAX + 32];
  int shown = (int)rp_utf8_prefix(c->text, c->len, SHOW_MAX);
  column_label(x->t, j, label, sizeof label);
  if (why == RP_NUM_EMPTY)
    return rp_error_set_at(x->err, RP_EDATA, x->path, c->line, c->column, "empty cell in %s",
                           label);
  if (why == RP_NUM_NOT_FINITE)
    return rp_error_set_at(x->err, RP_EDATA, x->path, c->line, c->column,
                           "not a finite number \"%.*s\" in %s", shown, c->text, label);
  /* A line end shows as U+FFFD in the one-line message: say what it is. */
  return rp_error_set_at(x->err, RP_EDATA, x->path, c->line, c->column,
                         "non-numeric cell \"%.*s\" in %s%s", shown, c->text, label,
                         memchr(c->text, '\n', c->len) ? " (its quotes hold a line end)" : "");
}

/* The cell's text as a level of column j: *v receives its id. */
static rp_status intern(csv_parse *x, const rp_csv_cell *c, size_t j, double *v) {
  column_state *s = &x->cols[j];
  if (!s->levels && !(s->levels = rp_csv_levels_new())) return no_memory(x);
  long id = rp_csv_levels_intern(s->levels, c->text, c->len);
  if (id < 0) return no_memory(x);
  *v = (double)id;
  return RP_OK;
}

/* A number (or TRUE/FALSE) for a NUMBER or AUTO column; an AUTO column that
 * meets anything else turns to text from this row on. */
static rp_status number_cell(csv_parse *x, const rp_csv_cell *c, size_t j, double *v) {
  rp_csv_cell d = trimmed(c, x->delim);
  rp_num_result why = rp_csv_parse_number(d.text, d.len, v);
  if (why == RP_NUM_OK || rp_csv_boolean(d.text, d.len, v)) return RP_OK;
  column_state *s = &x->cols[j];
  if (s->kind == RP_COLUMN_NUMBER) return bad_cell(x, &d, j, why);
  s->kind = RP_COLUMN_TEXT;
  s->turned = 1;
  s->text_from = x->t->n_rows;
  return intern(x, c, j, v);
}

static rp_status store_cell(csv_parse *x, const rp_csv_cell *c, size_t j) {
  double *v = &x->t->values[j * x->cap_rows + x->t->n_rows];
  rp_column_type kind = x->cols[j].kind;
  *v = NAN;
  if (kind == RP_COLUMN_SKIP) return RP_OK;
  if (is_missing(x, c)) return note_missing(x, c, j);
  if (kind == RP_COLUMN_TEXT) return intern(x, c, j, v);
  return number_cell(x, c, j, v);
}

/* -------------------------------------------------------------------- rows */

/* A large table fills tens of megabytes page by page; in 2 MiB pages
 * (where the kernel leaves that to madvise) it takes 512 times fewer page
 * faults, which were a quarter of the time of reading a plain numeric file.
 * Only a hint: nothing changes when it is refused.  The advice covers the
 * block's every page, not only its whole 2 MiB ones: advice on part of a
 * mapping splits it in two, and realloc cannot then grow it in place
 * (mremap fails on a range of two mappings), so it copies, and both blocks
 * are resident at once: 39 and 49 MB reading the 66 MB tall set. */
static void advise_huge_pages(void *p, size_t size) {
#ifdef MADV_HUGEPAGE
  const uintptr_t page = rp_page_bytes();
  if (size < ((size_t)1 << 21)) return; /* smaller than one 2 MiB page */
  uintptr_t from = (uintptr_t)p & ~(page - 1), to = ((uintptr_t)p + size + page - 1) & ~(page - 1);
  (void)madvise((void *)from, to - from, MADV_HUGEPAGE);
#else
  (void)p;
  (void)size;
#endif
}

/* More row capacity.  The file's size (for gzip, its trailer's) tells how
 * many rows to expect once some have been read (with 2% to spare), so a
 * large table grows once or twice rather than at each doubling: each growth
 * moves every column.  The size is only an estimate (a gzip trailer can
 * lie), so when its block cannot be had, doubling is tried before giving
 * up.  Columns move last to first so that none is overwritten before it
 * has moved. */
static size_t expected_rows(const csv_parse *x) {
  const rp_csv_reader *in = &x->in;
  size_t old = x->cap_rows;
  if (!old || in->in.size <= 0 || in->consumed <= 0) return 0;
  double guess = (double)x->t->n_rows * in->in.size / in->consumed * 1.02 + 16.0;
  if (guess >= (double)(SIZE_MAX / 2)) return 0;
  return guess > (double)(old + old / 4) ? (size_t)guess : old + old / 4;
}

static int grow_rows(csv_parse *x) {
  size_t p = x->t->n_cols, old = x->cap_rows;
  size_t doubled = old ? 2 * old : FIRST_BLOCK_VALUES / p + 1, cap = expected_rows(x);
  size_t limit = SIZE_MAX / sizeof(double) / p;
  double *v = NULL;
  if (!cap) cap = doubled;
  if (cap > old && cap <= limit) v = realloc(x->t->values, cap * p * sizeof *v);
  if (!v && cap > doubled && (cap = doubled) > old && cap <= limit)
    v = realloc(x->t->values, cap * p * sizeof *v);
  if (!v) return 0;
  advise_huge_pages(v, cap * p * sizeof *v);
  for (size_t j = p; j-- > 1;) memmove(v + j * cap, v + j * old, x->t->n_rows * sizeof *v);
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

/* Can cell j skip the splitter?  Only while it is read as a number. */
static int numeric_now(const csv_parse *x, size_t j) {
  rp_column_type k = x->cols[j].kind;
  return x->fast && (k == RP_COLUMN_NUMBER || k == RP_COLUMN_AUTO);
}

static rp_status read_row(csv_parse *x, rp_csv_record *rec) {
  rp_table *t = x->t;
  size_t p = t->n_cols, j;
  place extra = {0, 0}; /* the first cell beyond the header's */
  int more = 1;
  if (t->n_rows == x->cap_rows && !grow_rows(x)) return no_memory(x);
  for (j = 0; more; j++) {
    if (j < p && numeric_now(x, j) &&
        rp_csv_take_number(rec, x->delim, &t->values[j * x->cap_rows + t->n_rows], &more))
      continue;
    char label[NAME_SHOW_MAX + 32];
    rp_csv_cell c;
    const char *why = rp_csv_split_cell(rec, x->delim, &c, &more);
    if (why)
      return rp_error_set_at(x->err, RP_EDATA, x->path, c.line, c.column, "%s in %s", why,
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
    rp_csv_record rec;
    rp_status st = rp_csv_reader_next(&x->in, &rec);
    if (st != RP_OK) return st;
    if (!rec.text) break;
    if (rec.len == 0) {
      if (!blank) blank = x->in.lineno;
      continue;
    }
    if (blank) return rp_error_set_at(x->err, RP_EDATA, x->path, blank, 0, "empty line");
    st = read_row(x, &rec);
    if (st != RP_OK) return st;
  }
  if (x->t->n_rows == 0)
    return rp_error_set_at(x->err, RP_EDATA, x->path, 1, 0, "no data rows (header only)");
  return RP_OK;
}

/* An empty line 1 is either a blank file or a missing header. */
static rp_status blank_header(csv_parse *x) {
  for (;;) {
    rp_csv_record rec;
    rp_status st = rp_csv_reader_next(&x->in, &rec);
    if (st != RP_OK) return st;
    if (!rec.text) return rp_error_set_at(x->err, RP_EDATA, x->path, 0, 0, "empty file");
    if (rec.len > 0) return rp_error_set_at(x->err, RP_EDATA, x->path, 1, 0, "empty header line");
  }
}

/* ------------------------------------------------------- columns that turned */

static rp_status changed(csv_parse *x) {
  return rp_error_set_at(x->err, RP_EDATA, x->path, 0, 0,
                         "the file changed while it was read: read it again when it is complete");
}

/* The rows before the turn of each AUTO column that turned to text, read
 * again so that their cells become levels as written. */
static rp_status reread_turned(csv_parse *x) {
  rp_table *t = x->t;
  size_t upto = 0;
  for (size_t j = 0; j < t->n_cols; j++)
    if (x->cols[j].turned && x->cols[j].text_from > upto) upto = x->cols[j].text_from;
  if (upto == 0) return RP_OK;
  rp_csv_reader_close(&x->in);
  rp_status st = open_reader(&x->in, x->path, x->opt, x->err);
  rp_csv_record rec;
  if (st == RP_OK) st = rp_csv_reader_next(&x->in, &rec); /* the header */
  for (size_t i = 0; st == RP_OK && i < upto; i++) {
    st = rp_csv_reader_next(&x->in, &rec);
    if (st != RP_OK) break;
    if (!rec.text || rec.len == 0) return changed(x);
    int more = 1;
    for (size_t j = 0; st == RP_OK && more; j++) {
      rp_csv_cell c;
      if (j >= t->n_cols || rp_csv_split_cell(&rec, x->delim, &c, &more)) return changed(x);
      const column_state *s = &x->cols[j];
      if (s->turned && i < s->text_from && !is_missing(x, &c))
        st = intern(x, &c, j, &t->values[j * t->n_rows + i]);
    }
  }
  return st;
}

/* Each text column's levels in byte order, and its ids replaced by ranks. */
static rp_status finish_columns(csv_parse *x) {
  rp_table *t = x->t;
  for (size_t j = 0; j < t->n_cols; j++) {
    column_state *s = &x->cols[j];
    rp_column_info *info = &t->columns[j];
    info->type = s->kind == RP_COLUMN_AUTO ? RP_COLUMN_NUMBER : s->kind;
    if (s->kind != RP_COLUMN_TEXT) continue;
    size_t *rank = NULL;
    if (!s->levels && !(s->levels = rp_csv_levels_new())) return no_memory(x);
    if (!rp_csv_levels_finish(s->levels, &info->levels, &info->n_levels, &rank))
      return no_memory(x);
    double *v = t->values + j * t->n_rows;
    for (size_t i = 0; i < t->n_rows; i++)
      if (!isnan(v[i])) v[i] = (double)rank[(size_t)v[i]];
    free(rank);
  }
  return RP_OK;
}

/* ------------------------------------------------------------------- setup */

static rp_status parse(csv_parse *x) {
  rp_csv_record rec;
  rp_status st = rp_csv_reader_next(&x->in, &rec);
  if (st != RP_OK) return st;
  if (!rec.text) return rp_error_set_at(x->err, RP_EDATA, x->path, 0, 0, "empty file");
  if (rec.len == 0) return blank_header(x);
  st = read_header(x, &rec);
  if (st == RP_OK) st = read_rows(x);
  if (st == RP_OK) compact_rows(x);
  if (st == RP_OK) st = reread_turned(x);
  if (st == RP_OK) st = finish_columns(x);
  return st;
}

static int valid_type(rp_column_type k) { return k >= RP_COLUMN_NUMBER && k <= RP_COLUMN_SKIP; }

/* Options a program got wrong (not the file): RP_EINVAL. */
static rp_status check_options(const rp_csv_options *o, rp_error *err) {
  if (!o) return RP_OK;
  int ok = valid_type(o->default_type) && (o->n_types == 0 || (o->type_names && o->types)) &&
           (o->n_na_values == 0 || o->na_values);
  for (size_t k = 0; ok && k < o->n_types; k++) ok = valid_type(o->types[k]);
  for (size_t k = 0; ok && k < o->n_na_values; k++) ok = o->na_values[k] != NULL;
  if (ok) return RP_OK;
  return rp_error_set(err, RP_EINVAL,
                      "rp_table_read_csv: options with an unknown column type or a NULL list");
}

/* The splitter's fast path reads a plain number without looking for tokens,
 * so it is off when a token could be one ("-999", ".", "1e"). */
static int tokens_allow_fast_path(const rp_csv_options *o) {
  for (size_t k = 0; o && k < o->n_na_values; k++)
    if (o->na_values[k][0] && strchr("+-.0123456789", o->na_values[k][0])) return 0;
  return 1;
}

rp_status rp_table_read_csv(const char *path, const rp_csv_options *opt, rp_table **out,
                            rp_error *err) {
  if (out) *out = NULL;
  if (!path || !out)
    return rp_error_set(err, RP_EINVAL, "rp_table_read_csv: path and out must not be NULL");
  rp_status st = check_options(opt, err);
  if (st != RP_OK) return st;
  csv_parse x = {.path = path, .err = err, .opt = opt, .fast = tokens_allow_fast_path(opt)};
  st = open_reader(&x.in, path, opt, err);
  if (st == RP_OK && !(x.t = calloc(1, sizeof *x.t))) st = no_memory(&x);
  if (st == RP_OK) st = parse(&x);
  rp_csv_reader_close(&x.in);
  for (size_t j = 0; x.cols && j < x.t->n_cols; j++) rp_csv_levels_free(x.cols[j].levels);
  free(x.cols);
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
  for (size_t j = 0; j < t->n_cols; j++) {
    free(t->names[j]);
    if (!t->columns) continue;
    for (size_t k = 0; k < t->columns[j].n_levels; k++) free(t->columns[j].levels[k]);
    free(t->columns[j].levels);
    free(t->columns[j].missing_token);
  }
  free(t->names);
  free(t->columns);
  free(t->values);
  free(t);
}
