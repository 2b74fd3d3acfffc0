/* regpath/cv.h: k-fold cross-validation along a path's grid, as cv.glmnet. */
#ifndef REGPATH_CV_H
#define REGPATH_CV_H

#include <stddef.h>

#include "regpath/design.h"
#include "regpath/error.h"
#include "regpath/path.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { RP_METRIC_MSE = 0, RP_METRIC_MAE } rp_metric;
typedef enum { RP_RULE_1SE = 0, RP_RULE_MIN } rp_rule;

typedef struct {
  size_t n_alphas;
  size_t n_folds;
  double *alphas;       /* the grid (copied)                                  */
  double *mean;         /* cvm:  sum_k N_k err_k / N                          */
  double *std_error;    /* cvsd: sqrt(sum_k N_k (err_k - cvm)^2 / N / (K-1))  */
  double *fold_error;   /* err_k per fold and alpha: fold_error[k*n_alphas+a] */
  size_t *fold_size;    /* N_k                                                */
  size_t index_min;     /* largest alpha with the smallest mean               */
  size_t index_1se;     /* largest alpha with mean <= mean[min] + se[min]     */
  double alpha_min, alpha_1se;
  size_t n_nonconverged; /* fold points that hit max_iter                     */
  size_t p;              /* features                                         */
  double path_seconds;   /* rp_path_cv_fit: wall time of the full-data path,
                            including the shared statistics                  */
  double cv_seconds;     /* wall time of the folds                           */
  size_t *fold_nonzero;  /* folds whose fit has feature j nonzero at alpha a:
                            fold_nonzero[a * p + j]                          */
} rp_cv;

/* Balanced random folds as cv.glmnet makes them: the sequence 1..K repeated
 * to length n, shuffled by a gsl_rng (mt19937) seeded with `seed`.  Writes n
 * ids in 1..K into fold_ids.  Errors: RP_EINVAL when K < 2 or K > n. */
rp_status rp_cv_make_folds(size_t n, size_t k, unsigned long seed, int *fold_ids,
                           rp_error *err);

/* Check fold ids (n values) and return the number of folds K = max id.
 * Errors: RP_EINVAL naming the first id outside 1..K, an empty fold, K < 2. */
rp_status rp_cv_check_folds(const int *fold_ids, size_t n, size_t *n_folds,
                            rp_error *err);

/* Cross-validate: for each fold, fit on the other rows (standardized on them)
 * along `alphas` (no early stop) and score the held-out rows with `metric`.
 * `opt` is used as is except for the grid.  *out is owned by the caller. */
rp_status rp_cv_fit(const rp_matrix *X, const double *y, const rp_fit_options *opt,
                    const double *alphas, size_t n_alphas, const int *fold_ids,
                    rp_metric metric, rp_cv **out, rp_error *err);

/* The full-data path (grid generated or given by opt, as rp_path_fit) and
 * its cross-validation along that grid, as rp_cv_fit, sharing the work: on
 * the covariance route the Gram matrix of all rows is computed once and each
 * fold's is derived from it.  *path and *cv are owned by the caller.
 * Results are bit-identical from run to run; across BLAS thread counts only
 * with a single-threaded BLAS (the program sets OpenBLAS to one thread). */
rp_status rp_path_cv_fit(const rp_matrix *X, const double *y, const rp_fit_options *opt,
                         const int *fold_ids, rp_metric metric, rp_path **path, rp_cv **cv,
                         rp_error *err);

/* cv.glmnet's choice on a curve (alphas decreasing): *index_min = the first
 * (largest alpha) index of the smallest mean; *index_1se = the first index with
 * mean <= mean[min] + se[min]. */
void rp_cv_choose(const double *mean, const double *std_error, size_t n_alphas,
                  size_t *index_min, size_t *index_1se);

void rp_cv_free(rp_cv *cv);

/* Scores of predictions yhat for y (n values): mean squared error, mean
 * absolute error, and R^2 = 1 - SSE / sum (y - mean(y))^2 (scikit-learn's
 * r2_score; NaN when y is constant). */
typedef struct {
  double mse, mae, r2;
} rp_scores;

rp_scores rp_regression_scores(const double *y, const double *yhat, size_t n);

#ifdef __cplusplus
}
#endif
#endif
