/* assemble.c: a run's data, ready to fit: the training and test rows the
 * config names (dataset.c), held dense or sparse (storage.c), their target
 * checked against the family, and the folds, made or checked, with both
 * classes in every fold. */
#define _POSIX_C_SOURCE 200809L
#include "assemble.h"

#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "shards.h"
#include "storage.h"
#include "stream.h"
#include "json.h"
#include "text.h"

/* Seeded random folds into ids, stratified by class when asked. */
static void draw_folds(const rp_run_result *res, const rp_config *cfg, unsigned long seed, int *ids,
                       rp_error *err) {
  if (cfg->stratified)
    rp_cv_make_stratified_folds(res->y, res->n_samples, cfg->folds, seed, ids, err);
  else
    rp_cv_make_folds(res->n_samples, cfg->folds, seed, ids, err);
}

/* cv.repeats: draw r (from 0) takes its folds from seed cv.seed + r, so the
 * first is the run's fold_ids; given folds have nothing to redraw. */
static rp_status repeat_folds(rp_run_result *res, const rp_config *cfg, rp_error *err) {
  size_t R = cfg->cv_repeats, n = res->n_samples;
  res->n_repeats = R;
  if (R > 1 && res->folds_given)
    return rp_error_set(err, RP_ECONFIG,
                        "cv.repeats: %zu repeats draw new folds from cv.seed, but cv.fold_ids "
                        "gives the folds; leave one of the two out",
                        R);
  if (!(res->repeat_fold_ids = malloc((R * n > 0 ? R * n : 1) * sizeof *res->repeat_fold_ids)))
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  memcpy(res->repeat_fold_ids, res->fold_ids, n * sizeof *res->fold_ids);
  for (size_t r = 1; r < R; r++)
    draw_folds(res, cfg, cfg->seed + r, res->repeat_fold_ids + r * n, err);
  return RP_OK;
}

/* Seeded random folds, stratified by class when asked (after the target is
 * checked), unless the config gave them; then the ids are checked. */
static rp_status finish_folds(rp_run_result *res, const rp_config *cfg, rp_error *err) {
  size_t n = res->n_samples;
  if (!res->folds_given) {
    if (cfg->folds > n)
      return rp_error_set(err, RP_ECONFIG, "cv.folds: %zu folds but only %zu training rows in %s",
                          cfg->folds, n, cfg->train);
    draw_folds(res, cfg, cfg->seed, res->fold_ids, err);
  }
  rp_error fold_err;
  if (rp_cv_check_folds(res->fold_ids, n, &res->n_folds, &fold_err) != RP_OK)
    return rp_error_set(err, RP_ECONFIG, "cv.fold_ids: %s", fold_err.message);
  return repeat_folds(res, cfg, err);
}

/* ------------------------------------------------------------ the target */

/* Poisson counts must not be negative (`rows` names the part: training or test). */
static rp_status check_counts(const rp_run_result *res, const double *y, size_t n, size_t first,
                              const char *file, const char *rows, rp_error *err) {
  for (size_t i = 0; i < n; i++)
    if (y[i] < 0.0)
      return rp_error_set(err, RP_EDATA,
                          "%s: target \"%s\": value %g (%s row %zu) is negative; "
                          "model.family \"poisson\" needs counts >= 0",
                          file, res->target, y[i], rows, first + i + 1);
  return RP_OK;
}

/* poisson: counts >= 0 (non-integer values are allowed, as in glmnet: the
 * deviance is defined for them).  Binomial classes are read with the data
 * (dataset.c). */
static rp_status check_target(rp_run_result *res, const rp_config *cfg, rp_error *err) {
  const char *test_file = cfg->test ? cfg->test : cfg->train;
  if (cfg->family != RP_FAMILY_POISSON) return RP_OK;
  const char *train = cfg->n_train_shards ? "data.train's shards" : cfg->train;
  rp_status st = check_counts(res, res->y, res->n_local, res->local_first, train, "training", err);
  return st == RP_OK ? check_counts(res, res->y_test, res->n_test, 0, test_file, "test", err) : st;
}

/* Every fold must leave every class in its training rows, and stratified
 * folds need each class in every fold: no class may have fewer rows than
 * there are folds. */
static rp_status check_classes_per_fold(const rp_run_result *res, const rp_config *cfg,
                                        rp_error *err) {
  size_t K = res->classes.n;
  if (!K) return RP_OK;
  size_t *counts = calloc(K, sizeof *counts);
  if (!counts) return rp_error_set(err, RP_ENOMEM, "out of memory");
  for (size_t i = 0; i < res->n_samples; i++) counts[(size_t)res->y[i]]++;
  rp_status st = RP_OK;
  for (size_t c = 0; st == RP_OK && c < K; c++) {
    char label[RP_NUMBER_MAX];
    rp_classes_name(&res->classes, c, label, sizeof label);
    if (counts[c] < res->n_folds)
      st = rp_error_set(err, RP_EDATA,
                        "%s: target \"%s\": class %s has %zu rows, fewer than "
                        "the %zu folds (cv.folds): every fold needs %s",
                        cfg->train, res->target, label, counts[c], res->n_folds,
                        K == 2 ? "both classes" : "every class");
  }
  free(counts);
  return st;
}

/* The folds drawn and checked on the whole data's targets: with rows
 * spread over processes, gathered for the while when stratified folds or
 * the classes' counts need them, then given back. */
static rp_status folds_on_all_rows(rp_run_result *res, const rp_config *cfg, rp_error *err) {
  double *all = NULL, *local = res->y;
  int gather = res->comm && (cfg->stratified || res->classes.n);
  rp_status st = gather ? rp_shards_gather_y(res, &all, err) : RP_OK;
  if (st != RP_OK) return st;
  if (all) res->y = all;
  st = finish_folds(res, cfg, err);
  if (st == RP_OK) st = check_classes_per_fold(res, cfg, err);
  res->y = local;
  free(all);
  return st;
}

/* ------------------------------------------------------------ the whole */

rp_status rp_assemble_data(rp_run_result *res, const rp_config *cfg, const rp_comm *comm,
                           rp_error *err) {
  int stream = rp_stream_wanted(cfg, comm), shards = cfg->n_train_shards || comm;
  rp_status st = stream   ? rp_stream_check(cfg, comm, err)
                 : shards ? rp_shards_check(cfg, comm, err)
                          : RP_OK;
  if (st == RP_OK)
    st = stream   ? rp_stream_load(res, cfg, err)
         : shards ? rp_shards_load(res, cfg, comm, err)
                  : rp_dataset_load(res, cfg, err);
  if (!comm) res->n_local = res->n_samples;
  if (st == RP_OK && !stream) st = rp_storage_settle(res, cfg, err);
  if (st == RP_OK) st = check_target(res, cfg, err);
  st = rp_comm_agree(comm, st, err); /* a count < 0 in one process's rows */
  if (st == RP_OK) st = folds_on_all_rows(res, cfg, err);
  return st;
}
