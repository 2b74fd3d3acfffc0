/* stream.c: data.stream, the training rows read once into their sums
 * (stream.h).  Each file is read in windows of bytes (csv_input.h: the
 * lines that start in the window), each window as a table of its own
 * (rp_shard_read; an svmlight window as sparse columns, made dense a chunk
 * of rows at a time), whose rows are added to the summed set (summed.h)
 * and freed before the next window is read. */
#define _POSIX_C_SOURCE 200809L
#include "stream.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config_parse.h"
#include "csv_input.h"
#include "dataset.h"
#include "encode.h"
#include "memory.h"
#include "regpath/cv.h"
#include "regpath/svmlight.h"
#include "shards.h"
#include "storage.h"
#include "summed.h"
#include "windows.h"

/* What is sampled for data.stream "auto"'s estimate. */
enum { SAMPLE_BYTES = 1 << 16 };

static rp_status refuse(rp_error *err, const char *key, const char *what) {
  return rp_error_set(err, RP_ECONFIG,
                      "%s: %s is not supported (yet) with data.stream (the training rows "
                      "read once into their sums)",
                      key, what);
}

rp_status rp_stream_check(const rp_config *cfg, const rp_comm *comm, rp_error *err) {
  if (comm)
    return refuse(err, "data.stream",
                  "regpath-mpi (each process holds its rows: give more processes)");
  if (cfg->family != RP_FAMILY_GAUSSIAN)
    return rp_error_set(err, RP_ECONFIG,
                        "model.family: data.stream takes the gaussian family only (yet); "
                        "spread \"%s\" rows past one machine's memory over processes with "
                        "regpath-mpi instead",
                        rp_cfg_family_names[cfg->family]);
  if (cfg->metric != RP_METRIC_MSE && cfg->metric != RP_METRIC_DEVIANCE)
    return refuse(err, "cv.metric", "a metric other than mse and deviance");
  if (cfg->cv_keep) return refuse(err, "cv.keep", "keeping the CV predictions");
  if (cfg->relax) return refuse(err, "model.relax", "the relaxed lasso");
  if (cfg->cv_repeats > 1) return refuse(err, "cv.repeats", "repeated CV");
  if (cfg->fold_grid == RP_FOLD_GRID_OWN) return refuse(err, "cv.fold_grid", "\"own\"");
  if (cfg->missing == RP_MISSING_MEAN) return refuse(err, "data.missing", "\"mean\"");
  if (cfg->categorical == RP_CATEGORICAL_LIST)
    return refuse(err, "data.categorical", "a categorical column");
  if (cfg->storage == RP_STORAGE_SPARSE) return refuse(err, "data.storage", "sparse storage");
  return RP_OK;
}

/* ------------------------------------------------------------ estimates */

/* The default data.memory_limit: half the physical memory, or of what the
 * process may use when that is less. */
static double default_limit(void) {
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  double physical = pages > 0 && page > 0 ? (double)pages * (double)page : 0.0;
  double left = (double)rp_memory_headroom().memory;
  return 0.5 * (physical > 0.0 && physical < left ? physical : left);
}

/* The dense X of `path` in bytes, from its size (a gzip file's: its
 * trailer's, the size modulo 4 GiB, so that a larger one may be taken for
 * smaller) and its first bytes: the lines there and the fields of its
 * header (its most frequent delimiter plus one).  0 when it cannot be had
 * (a gzip trailer not to be trusted, one line only). */
static double dense_bytes(const char *path) {
  rp_csv_input in;
  char *buf = malloc(SAMPLE_BYTES);
  size_t got = 0;
  if (!buf || rp_csv_input_open(&in, path, NULL) != RP_OK) {
    free(buf);
    return 0.0;
  }
  double size = in.size;
  rp_csv_input_read(&in, buf, SAMPLE_BYTES, &got, NULL);
  rp_csv_input_close(&in);
  const char *end = memchr(buf, '\n', got);
  if (!end) {
    free(buf);
    return 0.0;
  }
  size_t lines = 0, fields[3] = {1, 1, 1};
  for (const char *c = buf; c < end; c++)
    fields[0] += *c == ',', fields[1] += *c == ';', fields[2] += *c == '\t';
  for (const char *c = buf; (c = memchr(c, '\n', (size_t)(buf + got - c))); c++) lines++;
  size_t p = fields[0] > fields[1] ? fields[0] : fields[1];
  p = p > fields[2] ? p : fields[2];
  free(buf);
  return size * (double)lines / (double)got * (double)p * sizeof(double);
}

/* The dense X of svmlight file `path` in bytes, from its size (a gzip
 * file's as above) and a scan of the lines that start in its first bytes:
 * their rows, and p as data.n_features or their largest index.  0 when it
 * cannot be had. */
static double svmlight_dense_bytes(const char *path, const rp_config *cfg) {
  rp_csv_input in;
  if (rp_csv_input_open(&in, path, NULL) != RP_OK) return 0.0;
  double size = in.size;
  rp_csv_input_close(&in);
  size_t rows, max_index;
  if (rp_svmlight_scan_window(path, cfg->max_line, 0, SAMPLE_BYTES, &rows, &max_index, NULL) !=
      RP_OK)
    return 0.0;
  double n = size > SAMPLE_BYTES ? size / SAMPLE_BYTES * (double)rows : (double)rows;
  return n * (double)(cfg->fixed_p ? cfg->fixed_p : max_index) * sizeof(double);
}

static rp_status text_column(const rp_config *cfg, char *name, size_t size, rp_error *err);

int rp_stream_wanted(const rp_config *cfg, const rp_comm *comm) {
  if (cfg->stream != RP_STREAM_AUTO) return cfg->stream == RP_STREAM_ON;
  if (rp_stream_check(cfg, comm, NULL) != RP_OK) return 0;
  double bytes = 0.0, limit = cfg->memory_limit > 0.0 ? cfg->memory_limit : default_limit();
  for (size_t s = 0; s < rp_shards_count(cfg); s++) {
    const char *file = rp_shard_name(cfg, s);
    double b =
        cfg->format == RP_FORMAT_SVMLIGHT ? svmlight_dense_bytes(file, cfg) : dense_bytes(file);
    if (!(b > 0.0)) return 0; /* a gzip trailer not to be trusted, or too short to matter */
    bytes += b;
  }
  char name[256];
  return bytes > limit && text_column(cfg, name, sizeof name, NULL) == RP_OK && !name[0];
}

/* ------------------------------------------------------------ the rows */

/* The data rows of CSV file `path` (plain or gzip): its lines that hold
 * more than a carriage return, less the header. */
static rp_status count_rows(const char *path, size_t *rows, rp_error *err) {
  rp_csv_input in;
  rp_status st = rp_csv_input_open(&in, path, err);
  char *buf = malloc(SAMPLE_BYTES);
  size_t lines = 0, got = 0;
  if (st == RP_OK && !buf) st = rp_error_set(err, RP_ENOMEM, "out of memory");
  int filled = 0; /* the line so far holds a byte other than '\r' */
  while (st == RP_OK && (st = rp_csv_input_read(&in, buf, SAMPLE_BYTES, &got, err)) == RP_OK &&
         got) {
    const char *c = buf, *end = buf + got, *q;
    for (; (q = memchr(c, '\n', (size_t)(end - c))); c = q + 1) {
      lines += filled || q - c > 1 || (q - c == 1 && *c != '\r') ? 1u : 0u;
      filled = 0;
    }
    filled = filled || end - c > 1 || (end - c == 1 && *c != '\r');
  }
  rp_csv_input_close(&in);
  free(buf);
  lines += filled ? 1u : 0u;
  *rows = lines ? lines - 1 : 0;
  return st;
}

/* The pass: the summed set, the fold ids (`known` when fixed before the
 * read, else taken from a fold column as it goes), the training rows so
 * far; with data.test_fraction, which of the n_all rows counted are test
 * rows, and the rows read so far. */
typedef struct {
  rp_summed *S;
  int *ids;
  size_t n, cap;
  int known;
  unsigned char *test_rows;
  size_t n_all, read;
  int surveyed; /* an svmlight file's rows counted (survey, below) */
  size_t surveyed_rows;
} pass;

/* The rows of every shard, counted (an svmlight file's by its survey). */
static rp_status count_all(const pass *ps, const rp_config *cfg, size_t *n, rp_error *err) {
  *n = ps->surveyed_rows;
  if (ps->surveyed) return RP_OK;
  for (size_t s = 0; s < rp_shards_count(cfg); s++) {
    size_t rows;
    rp_status st = count_rows(rp_shard_name(cfg, s), &rows, err);
    if (st != RP_OK) return st;
    *n += rows;
  }
  return RP_OK;
}

/* data.test_fraction's k test rows among the n counted, as a mask (the
 * draw rp_dataset_test_draw makes of the rows held in memory). */
static rp_status draw_test_rows(pass *ps, const rp_config *cfg, size_t n, size_t *k,
                                rp_error *err) {
  size_t *order = malloc((n ? n : 1) * sizeof *order);
  ps->test_rows = calloc(n ? n : 1, 1);
  ps->n_all = n;
  rp_status st = order && ps->test_rows ? rp_dataset_test_draw(cfg, n, order, k, err)
                                        : rp_error_set(err, RP_ENOMEM, "out of memory");
  for (size_t i = 0; st == RP_OK && i < *k; i++) ps->test_rows[order[i]] = 1;
  free(order);
  return st;
}

/* The folds before the read: cv.fold_ids, or cv.seed's draw for the
 * training rows counted; none yet with a fold column.  The test rows of
 * data.test_fraction too. */
static rp_status folds_before(pass *ps, const rp_config *cfg, rp_error *err) {
  size_t n = 0, k = 0;
  int fraction = cfg->test_fraction > 0.0;
  rp_status st =
      fraction || (!cfg->fold_column && !cfg->fold_ids) ? count_all(ps, cfg, &n, err) : RP_OK;
  if (st == RP_OK && fraction) st = draw_test_rows(ps, cfg, n, &k, err);
  if (st != RP_OK || cfg->fold_column) return st;
  ps->known = 1;
  n = cfg->fold_ids ? cfg->n_fold_ids : n - k;
  if (!(ps->ids = malloc((n ? n : 1) * sizeof *ps->ids)))
    return rp_error_set(err, RP_ENOMEM, "out of memory for %zu fold ids", n);
  ps->cap = n;
  if (cfg->fold_ids) {
    memcpy(ps->ids, cfg->fold_ids, n * sizeof *ps->ids);
    return RP_OK;
  }
  if (cfg->folds > n)
    return rp_error_set(err, RP_ECONFIG, "cv.folds: %zu folds but only %zu training rows in %s",
                        cfg->folds, n, cfg->train);
  return rp_cv_make_folds(n, cfg->folds, cfg->seed, ps->ids, err);
}

/* m rows more after `have` of the `count` counted before the read: more
 * than counted is an error. */
static rp_status within_count(size_t have, size_t m, size_t count, const char *file,
                              rp_error *err) {
  if (have + m <= count) return RP_OK;
  return rp_error_set_at(err, RP_EDATA, file, 0, 0,
                         "more rows than the %zu counted before the read (a quoted cell "
                         "holding a line break?): give the rows in shards, or set data.stream "
                         "false",
                         count);
}

/* cv.fold_ids for n_ids training rows, where `rows` were read. */
static rp_status fold_ids_count(size_t n_ids, size_t rows, rp_error *err) {
  return rp_error_set(err, RP_ECONFIG,
                      "cv.fold_ids: expected %s%zu fold ids (one per training row), got %zu",
                      rows > n_ids ? "at least " : "", rows, n_ids);
}

/* The fold ids of the m rows after the first ps->n: the known ones, else
 * the part's fold column's, appended.  An error past the known ones. */
static rp_status part_folds(pass *ps, const rp_run_result *part, const rp_config *cfg,
                            const char *file, rp_error *err) {
  size_t m = part->n_samples;
  if (ps->known && cfg->fold_ids && ps->n + m > ps->cap)
    return fold_ids_count(ps->cap, ps->n + m, err);
  if (ps->known) return within_count(ps->n, m, ps->cap, file, err);
  if (ps->n + m > ps->cap) {
    size_t cap = 2 * ps->cap > ps->n + m ? 2 * ps->cap : ps->n + m;
    int *ids = realloc(ps->ids, cap * sizeof *ids);
    if (!ids) return rp_error_set(err, RP_ENOMEM, "out of memory for %zu fold ids", cap);
    ps->ids = ids, ps->cap = cap;
  }
  memcpy(ps->ids + ps->n, part->fold_ids, m * sizeof *ps->ids);
  return RP_OK;
}

/* Room for the folds' statistics (and a few fits') at p features: the
 * known folds', or cv.folds' when a fold column gives them (summed.c
 * checks each fold it adds then). */
static rp_status room_for_sums(const pass *ps, const rp_config *cfg, size_t p, rp_error *err) {
  size_t K = ps->known ? 0 : cfg->folds;
  for (size_t i = 0; i < ps->cap && ps->known; i++)
    K = (size_t)ps->ids[i] > K ? (size_t)ps->ids[i] : K;
  char what[96];
  snprintf(what, sizeof what, "the sums of %zu folds of %zu features", K, p);
  return rp_memory_check(((double)K + 4.0) * (double)p * (double)p * sizeof(double), what, err);
}

/* A part's rows whose flag (m of them) is `keep`, put first in order (X
 * column-major, ld m before and the kept count after); their count. */
static size_t keep_rows(rp_run_result *part, const unsigned char *flag, unsigned char keep) {
  size_t m = part->n_samples, kept = 0, t;
  for (size_t i = 0; i < m; i++) kept += flag[i] == keep;
  for (size_t j = 0; j < part->n_features; j++) /* each value moves down, never past another */
    for (size_t i = 0, at = j * kept; i < m; i++)
      if (flag[i] == keep) part->X[at++] = part->X[j * m + i];
  double *cols[3] = {part->y, part->weights, part->offset};
  for (int c = 0; c < 3; c++)
    for (size_t i = (t = 0); cols[c] && i < m; i++)
      if (flag[i] == keep) cols[c][t++] = cols[c][i];
  for (size_t i = (t = 0); part->fold_ids && i < m; i++)
    if (flag[i] == keep) part->fold_ids[t++] = part->fold_ids[i];
  part->n_samples = kept;
  return kept;
}

/* A part's rows into the sums (y less a gaussian offset), less the test
 * rows of data.test_fraction; then its counts into res's, and its rows
 * freed. */
static rp_status add_part(pass *ps, rp_run_result *res, rp_run_result *part, const rp_config *cfg,
                          const char *file, rp_error *err) {
  size_t m = part->n_samples, p = part->n_features;
  rp_status st = ps->S ? RP_OK : room_for_sums(ps, cfg, p, err);
  if (st == RP_OK && !ps->S) st = rp_summed_alloc(p, &ps->S, err);
  if (st == RP_OK && ps->test_rows) st = within_count(ps->read, m, ps->n_all, file, err);
  if (st == RP_OK && ps->test_rows) {
    ps->read += m;
    m = keep_rows(part, ps->test_rows + ps->read - m, 0);
  }
  if (st == RP_OK) st = part_folds(ps, part, cfg, file, err);
  for (size_t i = 0; st == RP_OK && part->offset && i < m; i++) part->y[i] -= part->offset[i];
  rp_matrix X = {m, p, m ? m : 1, part->X};
  res->nnz += rp_dense_nonzeros(part->X, m * p);
  if (st == RP_OK) st = rp_summed_add(ps->S, &X, part->y, part->weights, ps->ids + ps->n, err);
  ps->n += m;
  if (part != res) {
    res->n_rows_read += part->n_rows_read;
    res->n_dropped_target += part->n_dropped_target;
    res->n_dropped_missing += part->n_dropped_missing;
  }
  free(part->X), free(part->y), free(part->weights), free(part->offset), free(part->fold_ids);
  part->X = part->y = part->weights = part->offset = NULL;
  part->fold_ids = NULL;
  return st;
}

/* The window size: cfg's, else rp_window_bytes's. */
static long long window_bytes(const rp_config *cfg) {
  return cfg->stream_window ? (long long)cfg->stream_window : rp_window_bytes(cfg->max_line);
}

/* rp_each_window over `file`, read in `format` (a CSV file's header line
 * belongs to every window), by cfg's windows. */
static rp_status each_window(const char *file, rp_data_format format, const rp_config *cfg,
                             rp_window_fn visit, void *ctx, rp_error *err) {
  return rp_each_window(file, window_bytes(cfg), format == RP_FORMAT_CSV, visit, ctx, err);
}

/* A window of data.train: [start, end) of `file`, a shard or a gzip
 * shard's window (end 0: all of it), read into res itself when it is the
 * first, else checked against it, and added. */
typedef struct {
  pass *ps;
  rp_run_result *res;
  const rp_config *cfg;
  size_t n_qid; /* an svmlight file's lines with a qid: token */
} train_window;

/* cfg for window [start, end) of `file` alone, without the test rows
 * (read after the fits). */
static rp_config window_config(const rp_config *cfg, const char *file, long long start,
                               long long end) {
  rp_config one = *cfg;
  one.train = (char *)(uintptr_t)file;
  one.train_shards = NULL, one.n_train_shards = 0;
  one.train_window_start = start, one.train_window_end = end;
  one.test = NULL, one.test_fraction = 0.0;
  return one;
}

static rp_status read_train_window(void *ctx, const char *file, long long start, long long end,
                                   rp_error *err) {
  const train_window *tw = ctx;
  rp_config one = window_config(tw->cfg, file, start, end);
  int first = tw->ps->S == NULL;
  rp_run_result *res = tw->res, *part = first ? res : calloc(1, sizeof *part);
  rp_status st =
      part ? rp_shard_read(&one, 0, part, err) : rp_error_set(err, RP_ENOMEM, "out of memory");
  if (st == RP_OK && !first)
    st = rp_shards_same_features(res, part, one.train, rp_shard_name(tw->cfg, 0), err);
  if (st == RP_OK) st = add_part(tw->ps, res, part, tw->cfg, one.train, err);
  if (!first) rp_run_free(part);
  return st;
}

/* ------------------------------------------------------------ svmlight */

/* An svmlight window's rows are made dense a chunk at a time, each chunk's
 * X at most this size (one row at least): the window's sparse rows could
 * take far more memory dense. */
enum { CHUNK_BYTES = 8 << 20 };

/* What is done with each dense chunk of an svmlight window (which may take
 * the chunk's arrays, leaving NULL behind). */
typedef rp_status (*chunk_fn)(void *ctx, rp_run_result *part, const char *file, rp_error *err);

/* Rows [r0, r0 + m) of s made dense into *part (X column-major, and y);
 * next[j] is column j's first entry not yet taken: the chunks come in
 * order, so each column's entries are taken front to back. */
static rp_status dense_chunk(const rp_svmlight *s, size_t r0, size_t m, size_t *next,
                             rp_run_result *part, rp_error *err) {
  size_t p = s->p;
  part->X = calloc(m * p, sizeof *part->X);
  part->y = malloc(m * sizeof *part->y);
  if (!part->X || !part->y)
    return rp_error_set(err, RP_ENOMEM, "out of memory for %zu rows of %zu features", m, p);
  for (size_t j = 0; j < p; j++)
    for (size_t k = next[j]; k < s->col_start[j + 1] && s->row_index[k] < r0 + m; k = ++next[j])
      part->X[j * m + (s->row_index[k] - r0)] = s->values[k];
  memcpy(part->y, s->y + r0, m * sizeof *part->y);
  part->n_samples = part->n_rows_read = m;
  part->n_features = p;
  return RP_OK;
}

/* The window [start, end) of svmlight file `file`, read at p features
 * (data.train's, whose index errors name data.n_features, when `train`),
 * given to fn a dense chunk at a time; its qid lines added to *n_qid. */
static rp_status each_chunk(const char *file, long long start, long long end, size_t p, int train,
                            const rp_config *cfg, size_t *n_qid, chunk_fn fn, void *ctx,
                            rp_error *err) {
  rp_svmlight s;
  rp_status st = rp_svmlight_read_window(file, p, cfg->max_line, start, end, &s, err);
  if (train) st = rp_dataset_svmlight_index_error(st, cfg, file, err);
  size_t *next = st == RP_OK ? malloc(p * sizeof *next) : NULL;
  if (st == RP_OK && !next) st = rp_error_set(err, RP_ENOMEM, "out of memory");
  for (size_t j = 0; st == RP_OK && j < p; j++) next[j] = s.col_start[j];
  size_t rows = CHUNK_BYTES / (p * sizeof(double)) ? CHUNK_BYTES / (p * sizeof(double)) : 1;
  for (size_t r0 = 0; st == RP_OK && r0 < s.n; r0 += rows) {
    rp_run_result part = {0};
    st = dense_chunk(&s, r0, s.n - r0 < rows ? s.n - r0 : rows, next, &part, err);
    if (st == RP_OK) st = fn(ctx, &part, file, err);
    free(part.X), free(part.y);
  }
  *n_qid += s.n_qid;
  free(next);
  rp_svmlight_free(&s);
  return st;
}

static rp_status add_chunk(void *ctx, rp_run_result *part, const char *file, rp_error *err) {
  train_window *tw = ctx;
  return add_part(tw->ps, tw->res, part, tw->cfg, file, err);
}

static rp_status read_svmlight_train_window(void *ctx, const char *file, long long start,
                                            long long end, rp_error *err) {
  train_window *tw = ctx;
  return each_chunk(file, start, end, tw->res->n_features, 1, tw->cfg, &tw->n_qid, add_chunk, tw,
                    err);
}

/* An svmlight data.train's survey, a first pass: its rows and largest
 * index, scanned (rp_svmlight_scan_window: its values are not parsed; the
 * pass that sums the rows checks every line). */
typedef struct {
  const rp_config *cfg;
  size_t rows, max_index;
} survey;

static rp_status survey_window(void *ctx, const char *file, long long start, long long end,
                               rp_error *err) {
  survey *sv = ctx;
  size_t rows = 0, max_index = 0;
  rp_status st =
      rp_svmlight_scan_window(file, sv->cfg->max_line, start, end, &rows, &max_index, err);
  sv->rows += rows;
  sv->max_index = max_index > sv->max_index ? max_index : sv->max_index;
  return st;
}

/* A window read and dropped: its first malformed line, if any, as the
 * error. */
static rp_status check_window(void *ctx, const char *file, long long start, long long end,
                              rp_error *err) {
  const rp_config *cfg = ctx;
  rp_svmlight s;
  rp_status st = rp_svmlight_read_window(file, cfg->fixed_p, cfg->max_line, start, end, &s, err);
  rp_svmlight_free(&s);
  return st;
}

/* data.train read as svmlight: *p is data.n_features, else the file's
 * largest index, found by the survey, which also counts the rows that
 * cv.seed's folds and data.test_fraction's draw need (so it is skipped
 * only with both data.n_features and cv.fold_ids).  A scan that finds no
 * index is read again, so that a malformed line is named rather than
 * taken for a file without features. */
static rp_status svmlight_survey(pass *ps, const rp_config *cfg, size_t *p, rp_error *err) {
  survey sv = {cfg, 0, 0};
  rp_status st = RP_OK;
  if (!cfg->fixed_p || cfg->test_fraction > 0.0 || !cfg->fold_ids) {
    st = each_window(cfg->train, RP_FORMAT_SVMLIGHT, cfg, survey_window, &sv, err);
    ps->surveyed = 1, ps->surveyed_rows = sv.rows;
  }
  *p = cfg->fixed_p ? cfg->fixed_p : sv.max_index;
  if (st == RP_OK && *p == 0)
    st =
        each_window(cfg->train, RP_FORMAT_SVMLIGHT, cfg, check_window, (void *)(uintptr_t)cfg, err);
  return st;
}

/* The survey, the folds, room for the sums at p (before p names are made:
 * an absurd index fails here, in one line), and res's features named. */
static rp_status svmlight_begin(pass *ps, rp_run_result *res, const rp_config *cfg, rp_error *err) {
  size_t p = 0;
  rp_status st = svmlight_survey(ps, cfg, &p, err);
  if (st == RP_OK) st = folds_before(ps, cfg, err);
  if (st == RP_OK && p > 0) st = room_for_sums(ps, cfg, p, err);
  return st == RP_OK ? rp_dataset_svmlight_names(res, cfg->train, p, err) : st;
}

/* Under data.categorical "auto", the first column that the first window of
 * data.train (the lines that start in its first window's bytes, inflated
 * for gzip) reads as text (a categorical column) into name ("" for none):
 * the windows read every column as numbers, whose levels they could not
 * agree on. */
static rp_status text_column(const rp_config *cfg, char *name, size_t size, rp_error *err) {
  name[0] = '\0';
  if (cfg->categorical != RP_CATEGORICAL_AUTO || cfg->format == RP_FORMAT_SVMLIGHT) return RP_OK;
  rp_config one = window_config(cfg, rp_shard_name(cfg, 0), 0, window_bytes(cfg));
  one.fold_ids = NULL, one.n_fold_ids = 0;
  rp_run_result *part = calloc(1, sizeof *part);
  rp_status st =
      part ? rp_dataset_load(part, &one, err) : rp_error_set(err, RP_ENOMEM, "out of memory");
  for (size_t j = 0; st == RP_OK && part->recipe && j < part->recipe->n_sources && !name[0]; j++)
    if (part->recipe->sources[j].n_levels)
      snprintf(name, size, "%s", part->recipe->sources[j].name);
  rp_run_free(part);
  return st;
}

rp_status rp_stream_load(rp_run_result *res, const rp_config *cfg, rp_error *err) {
  pass ps = {0};
  char name[256];
  rp_status st = text_column(cfg, name, sizeof name, err);
  if (st == RP_OK && name[0])
    st = rp_error_set_at(err, RP_EDATA, rp_shard_name(cfg, 0), 0, 0,
                         "column \"%s\" holds text (a categorical column), which data.stream "
                         "cannot read yet: leave it out (data.exclude), or set data.stream false",
                         name);
  int svmlight = cfg->format == RP_FORMAT_SVMLIGHT;
  if (st == RP_OK) /* an svmlight file's folds come after its survey */
    st = svmlight ? svmlight_begin(&ps, res, cfg, err) : folds_before(&ps, cfg, err);
  train_window tw = {&ps, res, cfg, 0};
  for (size_t s = 0; st == RP_OK && s < rp_shards_count(cfg); s++)
    st = each_window(rp_shard_name(cfg, s), cfg->format, cfg,
                     svmlight ? read_svmlight_train_window : read_train_window, &tw, err);
  if (st == RP_OK && !ps.S)
    st = rp_error_set_at(err, RP_EDATA, cfg->train, 0, 0,
                         "no data rows: the file is empty or holds only blank lines and comments");
  if (st == RP_OK) st = rp_dataset_svmlight_qid(res, "data.train", tw.n_qid, err);
  size_t read = ps.test_rows ? ps.read : ps.n, count = ps.test_rows ? ps.n_all : ps.cap;
  if (st == RP_OK && cfg->fold_ids && ps.n != cfg->n_fold_ids)
    st = fold_ids_count(cfg->n_fold_ids, ps.n, err);
  if (st == RP_OK && (ps.known || ps.test_rows) && read != count)
    st = rp_error_set_at(
        err, RP_EDATA, cfg->train, 0, 0,
        "%zu rows read, but %zu were counted before the read%s: the folds and "
        "data.test_fraction need the count; give a fold column, or set "
        "data.stream false",
        read, count, res->n_dropped_target || res->n_dropped_missing ? " (rows were dropped)" : "");
  if (st == RP_OK) st = rp_summed_finish(ps.S, err);
  if (st == RP_OK) {
    ps.S->test_rows = ps.test_rows, ps.S->n_read = ps.n_all;
    res->summed = ps.S;
    res->n_samples = res->n_local = ps.n;
    res->fold_ids = ps.ids;
    res->folds_given = cfg->fold_ids || cfg->fold_column;
    return RP_OK;
  }
  rp_summed_free(ps.S);
  free(ps.ids);
  free(ps.test_rows);
  return st;
}

/* ------------------------------------------------------------ data.test */

/* The test rows' sums at every point of every fit, window by window: each
 * point's squared and absolute errors, and the targets' count, sum and sum
 * of squares about the first target (so that the sum of squares about
 * their mean keeps its digits). */
typedef struct {
  rp_run_result *res;
  const rp_config *cfg;
  double *errors; /* 2 per point of every fit, in order            */
  double *yhat;   /* a window's predictions (cap)                  */
  size_t cap, n;
  double shift, sy, syy;
  size_t s, read; /* data.test_fraction: the shard, the rows read   */
  size_t n_qid;   /* an svmlight file's lines with a qid: token     */
} test_pass;

static rp_status score_test_rows(test_pass *tp, rp_error *err) {
  rp_run_result *res = tp->res;
  size_t m = res->n_test, at = 0;
  if (m > tp->cap) {
    double *y = realloc(tp->yhat, m * sizeof *y);
    if (!y) return rp_error_set(err, RP_ENOMEM, "out of memory for %zu test rows", m);
    tp->yhat = y, tp->cap = m;
  }
  if (tp->n == 0 && m) tp->shift = res->y_test[0];
  for (size_t i = 0; i < m; i++) {
    double d = res->y_test[i] - tp->shift;
    tp->sy += d, tp->syy += d * d;
  }
  rp_matrix M = {m, res->n_features, m ? m : 1, res->X_test};
  rp_design D = rp_design_matrix(&M);
  rp_status st = RP_OK;
  for (size_t f = 0; f < res->n_fits; f++)
    for (size_t k = 0; st == RP_OK && k < res->paths[f]->n_alphas; k++, at++) {
      st = rp_path_predict_design(res->paths[f], k, &D, NULL, m, tp->yhat, err);
      for (size_t i = 0; st == RP_OK && i < m; i++) {
        double r = res->y_test[i] - tp->yhat[i] - (res->offset_test ? res->offset_test[i] : 0.0);
        tp->errors[2 * at] += r * r;
        tp->errors[2 * at + 1] += fabs(r);
      }
    }
  tp->n += m;
  return st;
}

/* A window of data.test, read by the training recipe, scored and freed. */
static rp_status read_test_window(void *ctx, const char *file, long long start, long long end,
                                  rp_error *err) {
  test_pass *tp = ctx;
  rp_run_result *res = tp->res;
  rp_config one = *tp->cfg;
  one.test = (char *)(uintptr_t)file;
  rp_status st = rp_dataset_load_test_window(res, &one, start, end, err);
  if (st == RP_OK) st = score_test_rows(tp, err);
  free(res->X_test), free(res->y_test), free(res->offset_test);
  res->X_test = res->y_test = res->offset_test = NULL;
  return st;
}

/* An svmlight data.test's chunk, scored. */
static rp_status score_chunk(void *ctx, rp_run_result *part, const char *file, rp_error *err) {
  (void)file;
  test_pass *tp = ctx;
  rp_run_result *res = tp->res;
  res->X_test = part->X, res->y_test = part->y, res->n_test = part->n_samples;
  part->X = part->y = NULL;
  rp_status st = score_test_rows(tp, err);
  free(res->X_test), free(res->y_test);
  res->X_test = res->y_test = NULL;
  return st;
}

static rp_status read_svmlight_test_window(void *ctx, const char *file, long long start,
                                           long long end, rp_error *err) {
  test_pass *tp = ctx;
  return each_chunk(file, start, end, tp->res->n_features, 0, tp->cfg, &tp->n_qid, score_chunk, tp,
                    err);
}

/* The next rows of data.train read again (`file`'s), of which those that
 * data.test_fraction holds out (by the mask of the rows read: rp_summed's
 * test_rows) are scored. */
static rp_status score_fraction(void *ctx, rp_run_result *part, const char *file, rp_error *err) {
  test_pass *tp = ctx;
  rp_run_result *res = tp->res;
  const rp_summed *S = res->summed;
  size_t m = part->n_samples;
  rp_status st = within_count(tp->read, m, S->n_read, file, err);
  if (st == RP_OK) {
    res->n_test = keep_rows(part, S->test_rows + tp->read, 1);
    res->X_test = part->X, res->y_test = part->y, res->offset_test = part->offset;
    part->X = part->y = part->offset = NULL;
    tp->read += m;
    st = score_test_rows(tp, err);
  }
  free(res->X_test), free(res->y_test), free(res->offset_test);
  res->X_test = res->y_test = res->offset_test = NULL;
  return st;
}

/* A window of CSV shard tp->s read again, its test rows scored. */
static rp_status read_fraction_window(void *ctx, const char *file, long long start, long long end,
                                      rp_error *err) {
  test_pass *tp = ctx;
  rp_run_result *part = calloc(1, sizeof *part);
  rp_config one = window_config(tp->cfg, file, start, end);
  rp_status st =
      part ? rp_shard_read(&one, 0, part, err) : rp_error_set(err, RP_ENOMEM, "out of memory");
  if (st == RP_OK) st = score_fraction(tp, part, one.train, err);
  rp_run_free(part);
  return st;
}

static rp_status read_svmlight_fraction_window(void *ctx, const char *file, long long start,
                                               long long end, rp_error *err) {
  test_pass *tp = ctx;
  size_t ignored = 0; /* the training pass noted them */
  return each_chunk(file, start, end, tp->res->n_features, 1, tp->cfg, &ignored, score_fraction, tp,
                    err);
}

/* Each point's scores from its sums: mse, mae and r2 = 1 - sse / sst, as
 * rp_regression_scores gives them on the rows. */
static rp_status finish_test_scores(test_pass *tp, rp_error *err) {
  rp_run_result *res = tp->res;
  double n = (double)tp->n, sst = tp->syy - tp->sy * tp->sy / n;
  if (!(res->test_scores = calloc(res->n_fits, sizeof *res->test_scores)))
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  for (size_t f = 0, at = 0; f < res->n_fits; f++) {
    size_t A = res->paths[f]->n_alphas;
    if (!(res->test_scores[f] = malloc(A * sizeof **res->test_scores)))
      return rp_error_set(err, RP_ENOMEM, "out of memory");
    for (size_t k = 0; k < A; k++, at++)
      res->test_scores[f][k] =
          rp_regression_scores_of_sums(tp->errors[2 * at], tp->errors[2 * at + 1], sst, n);
  }
  res->n_test = tp->n;
  return RP_OK;
}

rp_status rp_stream_score_test(rp_run_result *res, const rp_config *cfg, rp_error *err) {
  size_t points = 0;
  for (size_t f = 0; f < res->n_fits; f++) points += res->paths[f]->n_alphas;
  test_pass tp = {.res = res, .cfg = cfg, .errors = calloc(2 * points, sizeof(double))};
  rp_status st = tp.errors ? RP_OK : rp_error_set(err, RP_ENOMEM, "out of memory");
  int svm_test = cfg->test_format == RP_FORMAT_SVMLIGHT,
      svm_train = cfg->format == RP_FORMAT_SVMLIGHT;
  if (st == RP_OK && cfg->test)
    st = each_window(cfg->test, cfg->test_format, cfg,
                     svm_test ? read_svmlight_test_window : read_test_window, &tp, err);
  for (; st == RP_OK && !cfg->test && tp.s < rp_shards_count(cfg); tp.s++)
    st = each_window(rp_shard_name(cfg, tp.s), cfg->format, cfg,
                     svm_train ? read_svmlight_fraction_window : read_fraction_window, &tp, err);
  if (st == RP_OK && cfg->test) st = rp_dataset_svmlight_qid(res, "data.test", tp.n_qid, err);
  if (st == RP_OK) st = finish_test_scores(&tp, err);
  free(tp.errors);
  free(tp.yhat);
  return st;
}
