/* stream.c: data.stream, the training rows read once into their sums
 * (stream.h).  Each file is read in windows of bytes (csv_input.h: the
 * lines that start in the window), each window as a table of its own
 * (rp_shard_read), whose rows are added to the summed set (summed.h) and
 * freed before the next window is read. */
#define _POSIX_C_SOURCE 200809L
#include "stream.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_parse.h"
#include "csv_input.h"
#include "memory.h"
#include "regpath/cv.h"
#include "shards.h"
#include "storage.h"
#include "summed.h"

/* Bytes of text read at a time (a window's table and X take about as
 * much again), and what is sampled for data.stream "auto"'s estimate. */
enum { WINDOW_BYTES = 8 << 20, SAMPLE_BYTES = 1 << 16 };

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
  if (cfg->test) return refuse(err, "data.test", "a test file");
  if (cfg->test_fraction > 0.0) return refuse(err, "data.test_fraction", "a test fraction");
  if (cfg->cv_keep) return refuse(err, "cv.keep", "keeping the CV predictions");
  if (cfg->relax) return refuse(err, "model.relax", "the relaxed lasso");
  if (cfg->cv_repeats > 1) return refuse(err, "cv.repeats", "repeated CV");
  if (cfg->fold_grid == RP_FOLD_GRID_OWN) return refuse(err, "cv.fold_grid", "\"own\"");
  if (cfg->missing == RP_MISSING_MEAN) return refuse(err, "data.missing", "\"mean\"");
  if (cfg->categorical == RP_CATEGORICAL_LIST)
    return refuse(err, "data.categorical", "a categorical column");
  if (cfg->format == RP_FORMAT_SVMLIGHT) return refuse(err, "data.format", "an svmlight file");
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

/* The dense X of `path` in bytes, from its size and its first bytes: the
 * lines there and the fields of its header (its most frequent delimiter
 * plus one).  0 when it cannot be had (a gzip file, one line only). */
static double dense_bytes(const char *path) {
  rp_csv_input in;
  char buf[SAMPLE_BYTES];
  size_t got = 0;
  if (rp_csv_input_open(&in, path, NULL) != RP_OK) return 0.0;
  double size = in.size;
  if (!in.gz) rp_csv_input_read(&in, buf, sizeof buf, &got, NULL);
  rp_csv_input_close(&in);
  const char *end = memchr(buf, '\n', got);
  if (!end) return 0.0;
  size_t lines = 0, fields[3] = {1, 1, 1};
  for (const char *c = buf; c < end; c++)
    fields[0] += *c == ',', fields[1] += *c == ';', fields[2] += *c == '\t';
  for (const char *c = buf; (c = memchr(c, '\n', (size_t)(buf + got - c))); c++) lines++;
  size_t p = fields[0] > fields[1] ? fields[0] : fields[1];
  p = p > fields[2] ? p : fields[2];
  return size * (double)lines / (double)got * (double)p * sizeof(double);
}

int rp_stream_wanted(const rp_config *cfg, const rp_comm *comm) {
  if (cfg->stream != RP_STREAM_AUTO) return cfg->stream == RP_STREAM_ON;
  if (rp_stream_check(cfg, comm, NULL) != RP_OK || cfg->fold_ids) return 0;
  double bytes = 0.0, limit = cfg->memory_limit > 0.0 ? cfg->memory_limit : default_limit();
  for (size_t s = 0; s < rp_shards_count(cfg); s++) {
    double b = dense_bytes(rp_shard_name(cfg, s));
    if (!(b > 0.0)) return 0; /* gzip, or too short to matter */
    bytes += b;
  }
  return bytes > limit;
}

/* ------------------------------------------------------------ the rows */

/* The data rows of plain CSV file `path`: its lines that hold more than a
 * carriage return, less the header.  RP_EDATA for a gzip file, which a
 * window cannot enter. */
static rp_status count_rows(const char *path, size_t *rows, rp_error *err) {
  rp_csv_input in;
  rp_status st = rp_csv_input_open(&in, path, err);
  if (st == RP_OK && in.gz)
    st = rp_error_set_at(err, RP_EDATA, path, 0, 0,
                         "a gzip file cannot be streamed (it is read in windows of bytes): "
                         "decompress it, or set data.stream false");
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
 * read, else taken from a fold column as it goes), the rows so far. */
typedef struct {
  rp_summed *S;
  int *ids;
  size_t n, cap;
  int known;
} pass;

/* The folds before the read: cv.fold_ids, or cv.seed's draw for the rows
 * counted; none yet with a fold column. */
static rp_status folds_before(pass *ps, const rp_config *cfg, rp_error *err) {
  size_t n = 0;
  if (cfg->fold_column) return RP_OK;
  ps->known = 1;
  if (cfg->fold_ids) {
    n = cfg->n_fold_ids;
  } else {
    for (size_t s = 0; s < rp_shards_count(cfg); s++) {
      size_t rows;
      rp_status st = count_rows(rp_shard_name(cfg, s), &rows, err);
      if (st != RP_OK) return st;
      n += rows;
    }
  }
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

/* The fold ids of the m rows after the first ps->n: the known ones, else
 * the part's fold column's, appended.  RP_EDATA past the known ones. */
static rp_status part_folds(pass *ps, const rp_run_result *part, const char *file, rp_error *err) {
  size_t m = part->n_samples;
  if (ps->known && ps->n + m > ps->cap)
    return rp_error_set_at(err, RP_EDATA, file, 0, 0,
                           "more rows than the %zu counted before the read (a quoted cell "
                           "holding a line break?): give the rows in shards, or set data.stream "
                           "false",
                           ps->cap);
  if (ps->known) return RP_OK;
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

/* A part's rows into the sums (y less a gaussian offset), then its counts
 * into res's, and its rows freed. */
static rp_status add_part(pass *ps, rp_run_result *res, rp_run_result *part, const rp_config *cfg,
                          const char *file, rp_error *err) {
  size_t m = part->n_samples, p = part->n_features;
  rp_status st = ps->S ? RP_OK : room_for_sums(ps, cfg, p, err);
  if (st == RP_OK && !ps->S) st = rp_summed_alloc(p, &ps->S, err);
  if (st == RP_OK) st = part_folds(ps, part, file, err);
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

/* Window [start, end) of shard s (the whole shard when it is the first
 * window and the last): into res itself when first, else checked against
 * it. */
static rp_status read_window(pass *ps, rp_run_result *res, const rp_config *cfg, size_t s,
                             long long start, long long end, rp_error *err) {
  rp_config one = *cfg;
  one.train = (char *)(uintptr_t)rp_shard_name(cfg, s);
  one.train_shards = NULL, one.n_train_shards = 0;
  one.train_window_start = start, one.train_window_end = end;
  int first = ps->S == NULL;
  rp_run_result *part = first ? res : calloc(1, sizeof *part);
  rp_status st =
      part ? rp_shard_read(&one, 0, part, err) : rp_error_set(err, RP_ENOMEM, "out of memory");
  if (st == RP_OK && !first)
    st = rp_shards_same_features(res, part, one.train, rp_shard_name(cfg, 0), err);
  if (st == RP_OK) st = add_part(ps, res, part, cfg, one.train, err);
  if (!first) rp_run_free(part);
  return st;
}

/* Shard s in windows of `window` bytes (the last one up to its end, at
 * least `window` long: so that each holds the start of a line, when
 * lines are shorter than windows). */
static rp_status read_shard(pass *ps, rp_run_result *res, const rp_config *cfg, size_t s,
                            long long window, rp_error *err) {
  struct stat sb;
  const char *file = rp_shard_name(cfg, s);
  if (stat(file, &sb) != 0)
    return rp_error_set_at(err, RP_EIO, file, 0, 0, "cannot open: %s", strerror(errno));
  long long bytes = (long long)sb.st_size, count = bytes / window > 0 ? bytes / window : 1;
  rp_status st = RP_OK;
  for (long long t = 0; st == RP_OK && t < count; t++)
    st = read_window(ps, res, cfg, s, t * window, t + 1 == count ? bytes + 1 : (t + 1) * window,
                     err);
  return st;
}

rp_status rp_stream_load(rp_run_result *res, const rp_config *cfg, rp_error *err) {
  pass ps = {NULL, NULL, 0, 0, 0};
  long long window = cfg->stream_window ? (long long)cfg->stream_window : WINDOW_BYTES;
  if (window < 2 * (long long)cfg->max_line && !cfg->stream_window)
    window = 2 * (long long)cfg->max_line;
  rp_status st = folds_before(&ps, cfg, err);
  for (size_t s = 0; st == RP_OK && s < rp_shards_count(cfg); s++)
    st = read_shard(&ps, res, cfg, s, window, err);
  if (st == RP_OK && ps.known && ps.n != ps.cap)
    st = rp_error_set_at(err, RP_EDATA, cfg->train, 0, 0,
                         "%zu rows read, but %zu were counted before the read%s: the folds need "
                         "the count; give a fold column, or set data.stream false",
                         ps.n, ps.cap,
                         res->n_dropped_target || res->n_dropped_missing ? " (rows were dropped)"
                                                                         : "");
  if (st == RP_OK) {
    rp_summed_finish(ps.S);
    res->summed = ps.S;
    res->n_samples = res->n_local = ps.n;
    res->fold_ids = ps.ids;
    res->folds_given = cfg->fold_ids || cfg->fold_column;
    return RP_OK;
  }
  rp_summed_free(ps.S);
  free(ps.ids);
  return st;
}
