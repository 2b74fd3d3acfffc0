/* folds.c: which held-out fold each row belongs to, as cv.glmnet deals
 * them: balanced random folds, folds that keep the class ratio, and the
 * check of folds given by the caller; and the rows grouped by fold
 * (folds.h). */
#include "folds.h"

#include "regpath/cv.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

rp_status rp_cv_make_folds(size_t n, size_t k, unsigned long seed, int *fold_ids, rp_error *err) {
  if (k < 2 || k > n)
    return rp_error_set(err, RP_EINVAL, "cannot make %zu folds from %zu rows", k, n);
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  if (!rng) return rp_error_set(err, RP_ENOMEM, "out of memory");
  gsl_rng_set(rng, seed);
  for (size_t i = 0; i < n; i++) fold_ids[i] = (int)(i % k) + 1; /* rep(1:K, length.out = n) */
  gsl_ran_shuffle(rng, fold_ids, n, sizeof *fold_ids);
  gsl_rng_free(rng);
  return RP_OK;
}

rp_status rp_cv_make_stratified_folds(const double *y, size_t n, size_t k, unsigned long seed,
                                      int *fold_ids, rp_error *err) {
  if (k < 2 || k > n)
    return rp_error_set(err, RP_EINVAL, "cannot make %zu folds from %zu rows", k, n);
  for (size_t i = 0; i < n; i++)
    if (!(y[i] >= 0.0 && y[i] < (double)n && y[i] == floor(y[i])))
      return rp_error_set(err, RP_EINVAL, "y[%zu] = %g is not a class number 0, 1, ...", i, y[i]);
  size_t K = 1;
  for (size_t i = 0; i < n; i++)
    if (y[i] >= (double)K) K = (size_t)y[i] + 1;
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  size_t *order = malloc(n * sizeof *order), *start = calloc(K + 1, sizeof *start),
         *fill = malloc(K * sizeof *fill);
  if (!rng || !order || !start || !fill) {
    gsl_rng_free(rng);
    free(order), free(start), free(fill);
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  }
  /* The rows of each class in row order, class after class (a counting
   * sort: O(n + K) for any number of classes). */
  for (size_t i = 0; i < n; i++) start[(size_t)y[i] + 1]++;
  for (size_t c = 0; c < K; c++) start[c + 1] += start[c];
  memcpy(fill, start, K * sizeof *fill);
  for (size_t i = 0; i < n; i++) order[fill[(size_t)y[i]]++] = i;
  gsl_rng_set(rng, seed);
  size_t dealt = 0;
  for (size_t c = 0; c < K; c++) {
    size_t m = start[c + 1] - start[c]; /* a class without rows draws nothing */
    if (m > 1) gsl_ran_shuffle(rng, order + start[c], m, sizeof *order);
    for (size_t r = start[c]; r < start[c + 1]; r++) fold_ids[order[r]] = (int)(dealt++ % k) + 1;
  }
  gsl_rng_free(rng);
  free(order), free(start), free(fill);
  return RP_OK;
}

rp_status rp_cv_check_folds(const int *fold_ids, size_t n, size_t *n_folds, rp_error *err) {
  int k_max = 0;
  for (size_t i = 0; i < n; i++) {
    if (fold_ids[i] < 1)
      return rp_error_set(err, RP_EINVAL, "fold id %d at row %zu is not >= 1", fold_ids[i], i + 1);
    if (fold_ids[i] > k_max) k_max = fold_ids[i];
  }
  if (k_max < 2) return rp_error_set(err, RP_EINVAL, "need at least 2 folds, got %d", k_max);
  for (int k = 1; k <= k_max; k++) {
    size_t count = 0;
    for (size_t i = 0; i < n; i++) count += fold_ids[i] == k;
    if (count == 0) return rp_error_set(err, RP_EINVAL, "fold %d of %d is empty", k, k_max);
  }
  *n_folds = (size_t)k_max;
  return RP_OK;
}

void rp_rows_by_fold(const int *fold_ids, size_t n, size_t K, size_t *start, size_t *rows) {
  memset(start, 0, (K + 1) * sizeof *start);
  for (size_t i = 0; i < n; i++) start[fold_ids[i]]++;
  for (size_t k = 0; k < K; k++) start[k + 1] += start[k];
  for (size_t i = 0; i < n; i++) rows[start[fold_ids[i] - 1]++] = i;
  for (size_t k = K; k > 0; k--) start[k] = start[k - 1];
  start[0] = 0;
}
