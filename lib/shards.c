/* shards.c: data.train as a list of shard files (regpath/config.h).  Each
 * shard is read as a table of its own (dataset.c) and the shards are joined
 * in the list's order; with rows spread over processes (regpath/comm.h),
 * each process reads a run of consecutive shards, and the row counts, the
 * feature names and the fold ids are agreed over all of them. */
#include "shards.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dataset.h"
#include "csv_input.h"
#include "encode.h"

size_t rp_shards_count(const rp_config *cfg) {
  return cfg->n_train_shards ? cfg->n_train_shards : 1;
}

/* Shard s's file (data.train itself when it names one file). */
const char *rp_shard_name(const rp_config *cfg, size_t s) {
  return cfg->n_train_shards ? cfg->train_shards[s] : cfg->train;
}

/* The first of the shards process `rank` of `size` reads: the list is cut
 * into `size` runs of consecutive shards, in order. */
static size_t first_shard(size_t n_shards, size_t rank, size_t size) {
  return n_shards * rank / size;
}

rp_status rp_shards_check(const rp_config *cfg, const rp_comm *comm, rp_error *err) {
  const char *key = NULL, *what = NULL;
  if (comm && cfg->metric == RP_METRIC_AUC) key = "cv.metric", what = "the AUC";
  if (cfg->test) key = "data.test", what = "a test file";
  if (cfg->test_fraction > 0.0) key = "data.test_fraction", what = "a test fraction";
  if (cfg->cv_keep) key = "cv.keep", what = "the CV predictions";
  if (cfg->relax) key = "model.relax", what = "the relaxed lasso";
  if (cfg->missing == RP_MISSING_MEAN) key = "data.missing", what = "imputed means";
  if (cfg->format == RP_FORMAT_SVMLIGHT) key = "data.format", what = "svmlight files";
  if (cfg->storage == RP_STORAGE_SPARSE) key = "data.storage", what = "sparse storage";
  if (key)
    return rp_error_set(err, RP_ECONFIG, "%s: %s is not supported (yet) with the training rows %s",
                        key, what,
                        comm ? "spread over processes" : "in shards (data.train as a list)");
  size_t S = rp_shards_count(cfg);
  if (comm && S > 1 && S < comm->size)
    return rp_error_set(err, RP_ECONFIG,
                        "data.train: %zu shards for %zu processes: each process reads one shard "
                        "or more (cut the data into more files, give one file, which the "
                        "processes split by bytes, or run fewer processes)",
                        S, comm->size);
  return RP_OK;
}

/* ------------------------------------------------------------ joining */

/* The most distinct values a process's target may have when they are
 * classes (more are not a classification target). */
enum { CLASSES_MAX = 1000 };

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, z = *(const double *)b;
  return (x > z) - (x < z);
}

/* The n values of v sorted, each once, to the front; their count. */
static size_t distinct(double *v, size_t n) {
  size_t m = 0;
  qsort(v, n, sizeof *v, by_value);
  for (size_t i = 0; i < n; i++)
    if (m == 0 || v[i] != v[m - 1]) v[m++] = v[i];
  return m;
}

/* Every process's distinct values of its n values y (each at most
 * CLASSES_MAX), each writing its own slots of one sum, into *all (*m of
 * them, sorted, each once). */
static rp_status every_value(const double *y, size_t n, const rp_comm *comm, double **all,
                             size_t *m, rp_error *err) {
  size_t N = comm ? comm->size : 1, r = comm ? comm->rank : 0, slot = CLASSES_MAX + 1;
  double *mine = malloc((n ? n : 1) * sizeof *mine), *slots = calloc(N * slot, sizeof *slots);
  rp_status st = mine && slots ? RP_OK : rp_error_set(err, RP_ENOMEM, "out of memory");
  size_t k = 0;
  if (st == RP_OK) {
    memcpy(mine, y, n * sizeof *y);
    k = distinct(mine, n);
  }
  if (st == RP_OK && k > CLASSES_MAX)
    st = rp_error_set(err, RP_EDATA,
                      "%zu distinct target values in one process's shards: "
                      "more than %d classes",
                      k, CLASSES_MAX);
  st = rp_comm_agree(comm, st, err);
  if (st == RP_OK) {
    slots[r * slot] = (double)k;
    memcpy(slots + r * slot + 1, mine, k * sizeof *mine);
    if (comm) comm->sum(comm->ctx, slots, N * slot);
    size_t at = 0; /* gathered to the front of slots: each count read before it is passed */
    for (size_t q = 0; q < N; q++) {
      size_t count = (size_t)slots[q * slot];
      for (size_t t = 0; t < count; t++) slots[at++] = slots[q * slot + 1 + t];
    }
    size_t total = at;
    *m = distinct(slots, total);
    *all = slots;
    slots = NULL;
  }
  free(mine);
  free(slots);
  return st;
}

/* The targets of a family with classes, read as numbers in every shard:
 * the classes are the distinct values of every shard (and process)
 * together, as in one file (rp_dataset_numeric_classes: their count for the
 * family, model.positive_class), and y becomes each row's class. */
static rp_status all_classes(rp_run_result *res, const rp_config *cfg, const rp_comm *comm,
                             rp_error *err) {
  double *all = NULL;
  size_t m = 0;
  rp_status st = every_value(res->y, res->n_samples, comm, &all, &m, err);
  double *mapped = st == RP_OK ? malloc((m ? m : 1) * sizeof *mapped) : NULL;
  if (st == RP_OK && !mapped) st = rp_error_set(err, RP_ENOMEM, "out of memory");
  if (st == RP_OK) {
    memcpy(mapped, all, m * sizeof *all);
    st = rp_dataset_numeric_classes(cfg, res->target, mapped, m, &res->classes, err);
  }
  for (size_t i = 0; st == RP_OK && i < res->n_samples; i++) {
    const double *at = bsearch(&res->y[i], all, m, sizeof *all, by_value);
    res->y[i] = mapped[at - all];
  }
  free(all);
  free(mapped);
  return st;
}

/* Shard s read alone, as data.train, without cv.fold_ids (which number the
 * whole data's rows; rp_shards_load applies them).  Under data.categorical
 * "auto" a shard would take a column for categorical from its own cells
 * alone, so every column is read as numbers (a cell that is not one is an
 * error naming its line and column); listed columns stay categorical. */
rp_status rp_shard_read(const rp_config *cfg, size_t s, rp_run_result *part, rp_error *err) {
  rp_config one = *cfg;
  if (one.categorical == RP_CATEGORICAL_AUTO) one.categorical = RP_CATEGORICAL_NONE;
  if (rp_family_has_classes(one.family)) one.family = RP_FAMILY_GAUSSIAN; /* all_classes */
  one.train = (char *)(uintptr_t)rp_shard_name(cfg, s);
  one.train_shards = NULL;
  one.n_train_shards = 0;
  one.fold_ids = NULL;
  one.n_fold_ids = 0;
  rp_status st = rp_dataset_load(part, &one, err);
  return one.train_window_end > 0
             ? rp_csv_window_error(one.train, one.train_window_start, 1, st, err)
             : st;
}

/* Whether part's features are first's, in order (else an error naming
 * the shard `file` and the first feature that differs). */
rp_status rp_shards_same_features(const rp_run_result *first, const rp_run_result *part,
                                  const char *file, const char *first_file, rp_error *err) {
  size_t p = first->n_features < part->n_features ? first->n_features : part->n_features;
  for (size_t j = 0; j < p; j++)
    if (strcmp(first->feature_names[j], part->feature_names[j]) != 0)
      return rp_error_set_at(err, RP_EDATA, file, 0, 0,
                             "feature %zu is \"%s\" here but \"%s\" in %s: every shard needs the "
                             "same columns, and categorical ones the same levels",
                             j + 1, part->feature_names[j], first->feature_names[j], first_file);
  if (first->n_features != part->n_features)
    return rp_error_set_at(err, RP_EDATA, file, 0, 0,
                           "%zu features here but %zu in %s: every shard needs the same columns, "
                           "and categorical ones the same levels",
                           part->n_features, first->n_features, first_file);
  return RP_OK;
}

/* The shards' rows joined in order (X column-major, ld = cap): room for
 * `cap` rows, from the shards' line counts when they can be had, so that
 * each shard is added as it is read and freed (the peak is the joined rows
 * and one shard, not every shard twice); grown when they fall short. */
typedef struct {
  size_t n, cap, p;
  double *X, *y, *w, *o;
  int *folds;
  size_t read, no_target, missing; /* rows read, and dropped */
} joined;

static void joined_free(joined *J) {
  free(J->X), free(J->y), free(J->w), free(J->o), free(J->folds);
}

/* dst[0..n) = src[0..n) when both are there (weights, offsets). */
static void put(double *dst, const double *src, size_t n) {
  if (dst && src) memcpy(dst, src, n * sizeof *src);
}

/* Room for cap rows (weights and offsets when `like` has them), the rows
 * so far moved in; 0 when out of memory. */
static int joined_room(joined *J, size_t cap, const rp_run_result *like) {
  size_t p = J->p, m = cap ? cap : 1;
  if (p && m > SIZE_MAX / sizeof(double) / p) return 0;
  joined K = {J->n,
              cap,
              p,
              malloc(m * p * sizeof(double)),
              malloc(m * sizeof(double)),
              like->weights ? malloc(m * sizeof(double)) : NULL,
              like->offset ? malloc(m * sizeof(double)) : NULL,
              malloc(m * sizeof(int)),
              J->read,
              J->no_target,
              J->missing};
  if (!K.X || !K.y || !K.folds || (like->weights && !K.w) || (like->offset && !K.o)) {
    joined_free(&K);
    return 0;
  }
  for (size_t j = 0; J->X && j < p; j++) put(K.X + j * cap, J->X + j * J->cap, J->n);
  put(K.y, J->y, J->n), put(K.w, J->w, J->n), put(K.o, J->o, J->n);
  if (J->folds) memcpy(K.folds, J->folds, J->n * sizeof *K.folds);
  joined_free(J);
  *J = K;
  return 1;
}

/* Shard q's rows after the others. */
static rp_status joined_add(joined *J, const rp_run_result *q, rp_error *err) {
  size_t m = q->n_samples, at = J->n;
  if (at + m > J->cap && !joined_room(J, at + m > 2 * J->cap ? at + m : 2 * J->cap, q))
    return rp_error_set(err, RP_ENOMEM, "out of memory for %zu x %zu data", at + m, J->p);
  for (size_t j = 0; j < J->p; j++) put(J->X + j * J->cap + at, q->X + j * m, m);
  put(J->y + at, q->y, m), put(J->w ? J->w + at : NULL, q->weights, m);
  put(J->o ? J->o + at : NULL, q->offset, m);
  memcpy(J->folds + at, q->fold_ids, m * sizeof *J->folds);
  J->n += m;
  J->read += q->n_rows_read, J->no_target += q->n_dropped_target;
  J->missing += q->n_dropped_missing;
  return RP_OK;
}

/* The joined rows into res (whose own are gone): X's columns moved
 * together (ld = n) and the room past them given back. */
static void joined_take(joined *J, rp_run_result *res) {
  size_t n = J->n, p = J->p;
  for (size_t j = 1; j < p; j++) memmove(J->X + j * n, J->X + j * J->cap, n * sizeof *J->X);
  double *X = realloc(J->X, (n && p ? n * p : 1) * sizeof *X);
  res->X = X ? X : J->X, res->y = J->y, res->weights = J->w, res->offset = J->o;
  res->fold_ids = J->folds, res->n_samples = n;
  res->n_rows_read = J->read, res->n_dropped_target = J->no_target;
  res->n_dropped_missing = J->missing;
}

/* Every shard's line feeds (those of gzip ones are not counted): room for
 * at least that many rows. */
static size_t line_bound(const rp_config *cfg, size_t first, size_t end) {
  size_t lines = 0;
  for (size_t s = first; s < end; s++) {
    long k = -1;
    if (rp_csv_count_lines(rp_shard_name(cfg, s), &k, NULL) == RP_OK && k > 0) lines += (size_t)k;
  }
  return lines;
}

/* Shards [first, end) into res: the first as res itself (names, target,
 * recipe), each other checked against it, its rows joined and freed. */
static rp_status read_shards(rp_run_result *res, const rp_config *cfg, size_t first, size_t end,
                             rp_error *err) {
  rp_status st = rp_shard_read(cfg, first, res, err);
  if (st != RP_OK || end - first == 1) return st;
  joined J = {.p = res->n_features};
  size_t bound = line_bound(cfg, first, end);
  if (!joined_room(&J, bound > res->n_samples ? bound : res->n_samples, res))
    st = rp_error_set(err, RP_ENOMEM, "out of memory for the rows of %zu shards", end - first);
  if (st == RP_OK) st = joined_add(&J, res, err);
  if (st == RP_OK) { /* joined: res's own rows go before the next shard comes */
    free(res->X), free(res->y), free(res->weights), free(res->offset), free(res->fold_ids);
    res->X = res->y = res->weights = res->offset = NULL;
    res->fold_ids = NULL;
  }
  for (size_t s = first + 1; st == RP_OK && s < end; s++) {
    rp_run_result *part = calloc(1, sizeof *part);
    st = part ? rp_shard_read(cfg, s, part, err) : rp_error_set(err, RP_ENOMEM, "out of memory");
    if (st == RP_OK)
      st =
          rp_shards_same_features(res, part, rp_shard_name(cfg, s), rp_shard_name(cfg, first), err);
    if (st == RP_OK) st = joined_add(&J, part, err);
    rp_run_free(part);
  }
  if (st == RP_OK)
    joined_take(&J, res);
  else
    joined_free(&J);
  return st;
}

/* ------------------------------------------------ rows spread over processes */

/* The feature names, hashed (FNV-1a, kept to 52 bits so that a double
 * holds it exactly). */
static double names_hash(const rp_run_result *res) {
  uint64_t h = 14695981039346656037u;
  for (size_t j = 0; j < res->n_features; j++)
    for (const char *c = res->feature_names[j];; c++) {
      h = (h ^ (unsigned char)*c) * 1099511628211u; /* the NUL too: names stay apart */
      if (!*c) break;
    }
  return (double)(h & ((UINT64_C(1) << 52) - 1));
}

/* Every process's shards must encode to process 0's features (the names
 * hashed, process 0's hash sent to all by a sum to which only it adds). */
static rp_status agree_features(const rp_run_result *res, const rp_config *cfg, const rp_comm *comm,
                                rp_error *err) {
  double mine = names_hash(res), first[2] = {0.0, 0.0};
  if (comm->rank == 0) first[0] = mine, first[1] = (double)res->n_features;
  comm->sum(comm->ctx, first, 2);
  rp_status st = RP_OK;
  if (mine != first[0] || (double)res->n_features != first[1])
    st = rp_error_set_at(
        err, RP_EDATA,
        rp_shard_name(cfg, first_shard(rp_shards_count(cfg), comm->rank, comm->size)), 0, 0,
        "its columns encode to other features than %s's (%zu here, %g there): "
        "every shard needs the same columns, and categorical ones the same levels",
        cfg->train, res->n_features, first[1]);
  return rp_comm_agree(comm, st, err);
}

/* This process's rows' place in the whole data, and the whole data's
 * counts: every process writes its own slot of a sum. */
static rp_status place_rows(rp_run_result *res, const rp_comm *comm, rp_error *err) {
  size_t N = comm->size;
  double *v = calloc(N + 3, sizeof *v);
  rp_status st =
      rp_comm_agree(comm, v ? RP_OK : rp_error_set(err, RP_ENOMEM, "out of memory"), err);
  if (st != RP_OK) {
    free(v);
    return st;
  }
  v[comm->rank] = (double)res->n_samples;
  v[N] = (double)res->n_rows_read;
  v[N + 1] = (double)res->n_dropped_target;
  v[N + 2] = (double)res->n_dropped_missing;
  comm->sum(comm->ctx, v, N + 3);
  res->n_local = res->n_samples;
  res->local_first = 0;
  res->n_samples = 0;
  for (size_t r = 0; r < N; r++) {
    if (r < comm->rank) res->local_first += (size_t)v[r];
    res->n_samples += (size_t)v[r];
  }
  res->n_rows_read = (size_t)v[N];
  res->n_dropped_target = (size_t)v[N + 1];
  res->n_dropped_missing = (size_t)v[N + 2];
  free(v);
  return RP_OK;
}

/* The whole data's fold ids in every process: a fold column's, each
 * process's in its own slots of a sum; else room for those cv.fold_ids
 * gives or assemble.c draws. */
static rp_status spread_folds(rp_run_result *res, const rp_comm *comm, rp_error *err) {
  size_t n = res->n_samples;
  int *ids = malloc((n ? n : 1) * sizeof *ids);
  double *v = res->folds_given ? calloc(n ? n : 1, sizeof *v) : NULL;
  int ok = ids && (!res->folds_given || v);
  rp_status st =
      rp_comm_agree(comm, ok ? RP_OK : rp_error_set(err, RP_ENOMEM, "out of memory"), err);
  if (st == RP_OK && v) {
    for (size_t i = 0; i < res->n_local; i++) v[res->local_first + i] = res->fold_ids[i];
    comm->sum(comm->ctx, v, n);
    for (size_t i = 0; i < n; i++) ids[i] = (int)v[i];
  }
  free(v);
  if (st != RP_OK) {
    free(ids);
    return st;
  }
  free(res->fold_ids);
  res->fold_ids = ids;
  return RP_OK;
}

/* The design of this process's rows, its sums finished over all. */
static rp_status spread_design(rp_run_result *res, const rp_comm *comm, rp_error *err) {
  rp_spread_matrix *S = malloc(sizeof *S);
  if (S) *S = (rp_spread_matrix){{res->n_local, res->n_features, res->n_local, res->X}, comm};
  res->spread = S;
  return rp_comm_agree(comm, S ? RP_OK : rp_error_set(err, RP_ENOMEM, "out of memory"), err);
}

/* cv.fold_ids, which number the whole data's rows. */
static rp_status given_folds(rp_run_result *res, const rp_config *cfg, rp_error *err) {
  if (cfg->n_fold_ids != res->n_samples)
    return rp_error_set(err, RP_ECONFIG,
                        "cv.fold_ids: expected %zu fold ids (one per training row), got %zu",
                        res->n_samples, cfg->n_fold_ids);
  memcpy(res->fold_ids, cfg->fold_ids, res->n_samples * sizeof *res->fold_ids);
  res->folds_given = 1;
  return RP_OK;
}

/* This process's n_local values `local` in their slots of `all`, a zeroed
 * column of n_samples: summed over the processes, each fills its own. */
static void own_slots(const rp_run_result *res, const double *local, double *all) {
  memcpy(all + res->local_first, local, res->n_local * sizeof *all);
}

rp_status rp_shards_gather_y(const rp_run_result *res, double **all, rp_error *err) {
  const rp_comm *comm = res->comm;
  size_t n = res->n_samples;
  *all = calloc(n ? n : 1, sizeof **all);
  rp_status st =
      rp_comm_agree(comm, *all ? RP_OK : rp_error_set(err, RP_ENOMEM, "out of memory"), err);
  if (st != RP_OK) {
    free(*all);
    *all = NULL;
    return st;
  }
  own_slots(res, res->y, *all);
  comm->sum(comm->ctx, *all, n);
  return RP_OK;
}

rp_status rp_shards_gather_rows(rp_run_result *res, rp_error *err) {
  const rp_comm *comm = res->comm;
  size_t n = res->n_samples, p = res->n_features;
  int offset = res->offset != NULL, weights = res->weights != NULL;
  double *X = n && p <= SIZE_MAX / sizeof(double) / n ? calloc(n * p, sizeof *X) : NULL;
  double *y = calloc(n ? n : 1, sizeof *y);
  double *o = offset ? calloc(n ? n : 1, sizeof *o) : NULL,
         *w = weights ? calloc(n, sizeof *w) : NULL;
  int ok = X && y && (!offset || o) && (!weights || w);
  rp_status st = rp_comm_agree(
      comm, ok ? RP_OK : rp_error_set(err, RP_ENOMEM, "out of memory for %zu x %zu rows", n, p),
      err);
  if (st != RP_OK) {
    free(X), free(y), free(o), free(w);
    return st;
  }
  for (size_t j = 0; j < p; j++) own_slots(res, res->X + j * res->n_local, X + j * n);
  own_slots(res, res->y, y);
  if (offset) own_slots(res, res->offset, o);
  if (weights) own_slots(res, res->weights, w);
  comm->sum(comm->ctx, X, n * p);
  comm->sum(comm->ctx, y, n);
  if (offset) comm->sum(comm->ctx, o, n);
  if (weights) comm->sum(comm->ctx, w, n);
  free(res->X), free(res->y), free(res->offset), free(res->weights), free(res->spread);
  res->X = X, res->y = y, res->offset = o, res->weights = w, res->spread = NULL;
  res->n_local = n, res->local_first = 0;
  return RP_OK;
}

/* One file for several processes: process r reads the lines that start in
 * bytes [B r / N, B (r + 1) / N) of its B bytes (after its header line). */
static rp_status window_of_process(const rp_config *cfg, const rp_comm *comm, rp_config *one,
                                   rp_error *err) {
  struct stat sb;
  *one = *cfg;
  if (stat(cfg->train, &sb) != 0)
    return rp_error_set_at(err, RP_EIO, cfg->train, 0, 0, "cannot open: %s", strerror(errno));
  long long bytes = (long long)sb.st_size, N = (long long)comm->size, r = (long long)comm->rank;
  one->train_window_start = bytes * r / N;
  one->train_window_end = bytes * (r + 1) / N;
  if (one->train_window_end <= one->train_window_start) /* fewer bytes than processes */
    one->train_window_end = one->train_window_start + 1;
  return RP_OK;
}

rp_status rp_shards_load(rp_run_result *res, const rp_config *cfg, const rp_comm *comm,
                         rp_error *err) {
  size_t S = rp_shards_count(cfg), rank = comm ? comm->rank : 0, size = comm ? comm->size : 1;
  rp_config one;
  rp_status st = RP_OK;
  if (S == 1 && size > 1) { /* every process reads its window of the one file */
    st = window_of_process(cfg, comm, &one, err);
    if (st == RP_OK) st = read_shards(res, &one, 0, 1, err);
  } else {
    st = read_shards(res, cfg, first_shard(S, rank, size), first_shard(S, rank + 1, size), err);
  }
  res->comm = comm;
  res->n_local = res->n_samples;
  res->local_first = 0;
  st = rp_comm_agree(comm, st, err);
  if (st == RP_OK && rp_family_has_classes(cfg->family)) st = all_classes(res, cfg, comm, err);
  if (comm) {
    if (st == RP_OK) st = agree_features(res, cfg, comm, err);
    if (st == RP_OK) st = place_rows(res, comm, err);
    if (st == RP_OK) st = spread_folds(res, comm, err);
    if (st == RP_OK) st = spread_design(res, comm, err);
  }
  if (st == RP_OK && cfg->fold_ids) st = given_folds(res, cfg, err);
  return st;
}
