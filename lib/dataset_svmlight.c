/* dataset_svmlight.c: the training and test data of svmlight files
 * (data.format "svmlight", issue 19) as a run's X and y (dataset.h).
 *
 * An svmlight line is a label and the nonzero features by index, so the
 * file has no names: feature j is "f<j>" by its own 1-based index (the
 * index a user looks up in the file) and the target is "y".  Those names
 * also make a plain recipe (encode.h), so that a CSV test file or predict
 * data with columns f1..fp and y read like any table, and model.json keeps
 * the recipe's usual keys. */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "encode.h"
#include "json.h"
#include "regpath/svmlight.h"
#include "storage.h"
#include "warnings.h"

/* The target of an svmlight file: it has no header to name it. */
static const char TARGET_NAME[] = "y";

/* The reader bounds a test file's indices by "the training data"; for
 * data.train itself the bound is data.n_features, which the message must
 * name instead. */
rp_status rp_dataset_svmlight_index_error(rp_status st, const rp_config *cfg, const char *file,
                                          rp_error *err) {
  size_t index = 0;
  if (st != RP_EDATA || !cfg->fixed_p || !err || !strstr(err->message, "but the training data") ||
      sscanf(err->message, "feature index %zu", &index) != 1)
    return st;
  long line = err->line, column = err->column;
  return rp_error_set_at(err, RP_EDATA, file, line, column,
                         "feature index %zu is above data.n_features (%zu): raise "
                         "data.n_features, or leave it out to take p from the file",
                         index, cfg->fixed_p);
}

/* A line with qid: ranks results in svmlight; a regression has no use for
 * it, and says so once per file rather than silently. */
rp_status rp_dataset_svmlight_qid(rp_run_result *res, const char *key, size_t n_qid,
                                  rp_error *err) {
  if (!n_qid) return RP_OK;
  return rp_run_warn(res, err, "%s: qid on %zu line%s ignored (regpath fits no ranking)", key,
                     n_qid, n_qid == 1 ? "" : "s");
}

rp_status rp_dataset_svmlight_names(rp_run_result *res, const char *file, size_t p, rp_error *err) {
  if (p == 0)
    return rp_error_set_at(err, RP_EDATA, file, 0, 0,
                           "no features: every line holds a label only (give each line its "
                           "features as index:value, or set data.n_features)");
  res->n_features = p;
  res->feature_names = calloc(nz(p), sizeof *res->feature_names);
  res->target = strdup(TARGET_NAME);
  if (!res->feature_names || !res->target) return rp_error_set(err, RP_ENOMEM, "out of memory");
  for (size_t j = 0; j < p; j++) {
    char name[32];
    snprintf(name, sizeof name, "f%zu", j + 1);
    if (!(res->feature_names[j] = strdup(name)))
      return rp_error_set(err, RP_ENOMEM, "out of memory");
  }
  if (!(res->recipe = rp_recipe_plain(res->feature_names, p)))
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  return RP_OK;
}

/* Labels y[rows[i]] into a new array of n, or NULL when out of memory. */
static double *labels_at(const double *y, const size_t *rows, size_t n) {
  double *out = malloc(nz(n) * sizeof *out);
  for (size_t i = 0; out && i < n; i++) out[i] = y[rows[i]];
  return out;
}

/* The file's columns moved into *S (its arrays are then the caller's). */
static void take_columns(rp_svmlight *s, rp_sparse_columns *S) {
  *S = (rp_sparse_columns){s->n, s->p, s->col_start, s->row_index, s->values};
  s->col_start = NULL;
  s->row_index = NULL;
  s->values = NULL;
}

/* Training and test rows (data.test_fraction) of the file's columns: the
 * columns move as they are when every row trains. */
static rp_status split_columns(rp_run_result *res, rp_svmlight *s, const size_t *train,
                               const size_t *test, rp_error *err) {
  rp_sparse_columns all;
  take_columns(s, &all);
  if (!res->n_test) {
    res->X_sparse = all;
    return RP_OK;
  }
  rp_status st = rp_sparse_columns_take_rows(&all, train, res->n_samples, &res->X_sparse, err);
  if (st == RP_OK)
    st = rp_sparse_columns_take_rows(&all, test, res->n_test, &res->X_test_sparse, err);
  rp_sparse_columns_free(&all);
  return st;
}

/* Fold ids: a cv.fold_ids list (an svmlight file has no column to hold
 * them), else room for the folds assemble.c draws. */
static rp_status list_folds(rp_run_result *res, const rp_config *cfg, rp_error *err) {
  size_t n = res->n_samples;
  if (!(res->fold_ids = malloc(nz(n) * sizeof *res->fold_ids)))
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  res->folds_given = cfg->fold_ids != NULL;
  if (cfg->fold_ids && cfg->n_fold_ids != n)
    return rp_error_set(err, RP_ECONFIG,
                        "cv.fold_ids: expected %zu fold ids (one per training row), got %zu", n,
                        cfg->n_fold_ids);
  if (cfg->fold_ids) memcpy(res->fold_ids, cfg->fold_ids, n * sizeof *res->fold_ids);
  return RP_OK;
}

/* The rows of the file as training and test rows (their data rows, in
 * order), labels, cv.keep's row numbers and the folds. */
static rp_status take_rows(rp_run_result *res, const rp_config *cfg, rp_svmlight *s,
                           rp_error *err) {
  size_t n = s->n, *all = malloc(nz(n) * sizeof *all), *train = malloc(nz(n) * sizeof *train),
         *test = malloc(nz(n) * sizeof *test);
  rp_status st = all && train && test ? RP_OK : rp_error_set(err, RP_ENOMEM, "out of memory");
  for (size_t i = 0; st == RP_OK && i < n; i++) all[i] = i;
  if (st == RP_OK)
    st = rp_dataset_split_rows(cfg, all, n, train, &res->n_samples, test, &res->n_test, err);
  if (st == RP_OK) {
    res->y = labels_at(s->y, train, res->n_samples);
    res->y_test = res->n_test ? labels_at(s->y, test, res->n_test) : NULL;
    if (!res->y || (res->n_test && !res->y_test))
      st = rp_error_set(err, RP_ENOMEM, "out of memory");
  }
  if (st == RP_OK) st = split_columns(res, s, train, test, err);
  if (st == RP_OK && cfg->cv_keep)
    st = rp_dataset_keep_rows(res, NULL, -1, train, res->n_samples, err);
  if (st == RP_OK) st = list_folds(res, cfg, err);
  free(all);
  free(train);
  free(test);
  return st;
}

rp_status rp_dataset_load_svmlight(rp_run_result *res, const rp_config *cfg, rp_error *err) {
  rp_svmlight s;
  rp_status st = rp_svmlight_read(cfg->train, cfg->fixed_p, cfg->max_line, &s, err);
  st = rp_dataset_svmlight_index_error(st, cfg, cfg->train, err);
  if (st == RP_OK) {
    res->n_rows_read = s.n;
    st = rp_dataset_svmlight_qid(res, "data.train", s.n_qid, err);
  }
  if (st == RP_OK && rp_family_has_classes(cfg->family))
    st = rp_dataset_numeric_classes(cfg, TARGET_NAME, s.y, s.n, &res->classes, err);
  if (st == RP_OK) st = rp_dataset_svmlight_names(res, cfg->train, s.p, err);
  if (st == RP_OK) st = take_rows(res, cfg, &s, err);
  rp_svmlight_free(&s);
  return st;
}

/* ------------------------------------------------------------ data.test */

/* The test labels as the training classes (binomial, multinomial): each
 * label must be one of them, compared as the text of its number (text
 * labels of a CSV training target match no number). */
static rp_status test_classes(const rp_run_result *res, const rp_config *cfg, double *y, size_t n,
                              rp_error *err) {
  for (size_t i = 0; i < n; i++) {
    char text[RP_NUMBER_MAX];
    rp_format_number(y[i], text);
    int c = rp_classes_find(&res->classes, text);
    if (c < 0)
      return rp_error_set(err, RP_EDATA,
                          "%s: target \"%s\": label %s (row %zu) is not a class of the "
                          "training data",
                          cfg->test, res->target, text, i + 1);
    y[i] = c;
  }
  return RP_OK;
}

rp_status rp_dataset_load_svmlight_test(rp_run_result *res, const rp_config *cfg, rp_error *err) {
  rp_svmlight s;
  rp_status st = rp_svmlight_read(cfg->test, res->n_features, cfg->max_line, &s, err);
  if (st == RP_OK) st = rp_dataset_svmlight_qid(res, "data.test", s.n_qid, err);
  if (st == RP_OK && rp_family_has_classes(cfg->family)) st = test_classes(res, cfg, s.y, s.n, err);
  if (st == RP_OK) {
    res->n_test = s.n;
    res->y_test = s.y;
    s.y = NULL;
    take_columns(&s, &res->X_test_sparse);
  }
  rp_svmlight_free(&s);
  return st;
}
