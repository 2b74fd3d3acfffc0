/* regpath/cv.h: k-fold cross-validation along a path's grid, as cv.glmnet. */
#ifndef REGPATH_CV_H
#define REGPATH_CV_H

#include <stddef.h>

#include "regpath/api.h"
#include "regpath/design.h"
#include "regpath/error.h"
#include "regpath/path.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Held-out losses, as cv.glmnet's type.measure (per observation with
 * prediction mu = the family's mean at eta, eta including the row's offset,
 * ALGORITHMS.md; with observation weights w_i a fold's error is the
 * weighted mean sum_i w_i l_i / sum_i w_i of its held-out rows):
 *   mse       (y - mu)^2; binomial 2 (y - mu)^2, summed over both classes
 *   mae       |y - mu|;   binomial 2 |y - mu|
 *   deviance  the unit deviance (gaussian: mse; binomial with mu clamped
 *             to [1e-5, 1 - 1e-5])
 *   class     binomial: 1 when mu > 1/2 for y = 0 or mu <= 1/2 for y = 1
 *   auc       binomial: the area under the ROC curve of each fold (ties 1/2;
 *             with weights each pair of a positive i and a negative k counts
 *             w_i w_k, as cv.glmnet's weighted concordance), the only
 *             measure where larger is better. */
typedef enum {
  RP_METRIC_MSE = 0,
  RP_METRIC_MAE,
  RP_METRIC_DEVIANCE,
  RP_METRIC_CLASS,
  RP_METRIC_AUC
} rp_metric;
#define RP_N_METRICS 5

/* The metrics' config names, in enum order: "mse", "mae", "deviance",
 * "class", "auc". */
RP_API extern const char *const rp_metric_names[RP_N_METRICS];
typedef enum { RP_RULE_1SE = 0, RP_RULE_MIN } rp_rule;

typedef struct {
  size_t n_alphas;
  size_t n_folds;
  double *alphas;       /* the grid (copied)                                  */
  double *mean;         /* cvm:  sum_k W_k err_k / W                          */
  double *std_error;    /* cvsd: sqrt(sum_k W_k (err_k - cvm)^2 / W / (K-1)),
                           W = sum_k W_k (cv.glmnet's weighted cvstats; a
                           fold with W_k = 0 counts in K only)               */
  double *fold_error;   /* err_k per fold and alpha: fold_error[k*n_alphas+a] */
  size_t *fold_size;    /* N_k, the fold's held-out rows                      */
  double *fold_weight;  /* W_k: the sum of their weights (N_k without)        */
  size_t index_min;     /* largest alpha with the smallest mean (largest: auc) */
  size_t index_1se;     /* largest alpha with mean <= mean[min] + se[min]
                           (auc: mean >= mean[min] - se[min])                */
  rp_metric metric;
  int larger_is_better; /* auc                                                */
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
RP_API rp_status rp_cv_make_folds(size_t n, size_t k, unsigned long seed, int *fold_ids,
                                  rp_error *err);

/* Folds that keep the class ratio (binomial, y in {0, 1}): the rows of each
 * class, in an order shuffled with `seed`, are dealt to folds 1..K in turn,
 * the count carrying over from one class to the next so that fold sizes
 * differ by at most one.  Errors: as rp_cv_make_folds. */
RP_API rp_status rp_cv_make_stratified_folds(const double *y, size_t n, size_t k,
                                             unsigned long seed, int *fold_ids, rp_error *err);

/* Check fold ids (n values) and return the number of folds K = max id.
 * Errors: RP_EINVAL naming the first id outside 1..K, an empty fold, K < 2. */
RP_API rp_status rp_cv_check_folds(const int *fold_ids, size_t n, size_t *n_folds,
                                   rp_error *err);

/* Cross-validate: for each fold, fit on the other rows (standardized on them,
 * their weights normalized on their own) along `alphas` (no early stop) and
 * score the held-out rows with `metric`, their offsets added to the
 * predictions.  `opt` is used as is except for the grid.  *out is owned by
 * the caller.  Errors: as rp_path_fit (rp_observations_check on every row;
 * RP_EDATA when a fold's training rows all weigh 0).
 * Folds run in parallel with OpenMP (see rp_path_cv_fit): opt->progress may
 * then be called from other threads than the caller's, never two at once. */
RP_API rp_status rp_cv_fit(const rp_matrix *X, const double *y, const rp_fit_options *opt,
                           const double *alphas, size_t n_alphas, const int *fold_ids,
                           rp_metric metric, rp_cv **out, rp_error *err);

/* The full-data path (grid generated or given by opt, as rp_path_fit) and
 * its cross-validation along that grid, as rp_cv_fit, sharing the work: on
 * the covariance route the Gram matrix of all rows is computed once and each
 * fold's is derived from it.  *path and *cv are owned by the caller.
 * With OpenMP the folds are fitted in parallel (omp_get_max_threads() at a
 * time, one at a time when OpenBLAS runs more than one thread of its own).
 * Results are bit-identical from run to run and for any OpenMP thread count;
 * across BLAS thread counts only with a single-threaded BLAS (the program
 * sets OpenBLAS to one thread). */
RP_API rp_status rp_path_cv_fit(const rp_matrix *X, const double *y, const rp_fit_options *opt,
                                const int *fold_ids, rp_metric metric, rp_path **path, rp_cv **cv,
                                rp_error *err);

/* cv.glmnet's choice on a curve (alphas decreasing): *index_min = the first
 * (largest alpha) index of the smallest mean; *index_1se = the first index with
 * mean <= mean[min] + se[min].  With larger_is_better, the largest mean and
 * mean >= mean[min] - se[min]. */
RP_API void rp_cv_choose(const double *mean, const double *std_error, size_t n_alphas,
                         int larger_is_better, size_t *index_min, size_t *index_1se);

/* The mean at index a as a loss, smaller better: -mean[a] for auc. */
RP_API double rp_cv_loss(const rp_cv *cv, size_t a);

/* The metric's config name ("mse", "mae", "deviance", "class", "auc") and
 * a description for plots ("mean squared error", ...). */
RP_API const char *rp_metric_name(rp_metric metric);
RP_API const char *rp_metric_description(rp_metric metric, rp_family family);

/* Whether the family can be scored with the metric (class and auc need
 * binomial). */
RP_API int rp_metric_fits_family(rp_metric metric, rp_family family);

RP_API void rp_cv_free(rp_cv *cv);

/* Scores of predictions yhat for y (n values): mean squared error, mean
 * absolute error, and R^2 = 1 - SSE / sum (y - mean(y))^2 (scikit-learn's
 * r2_score; NaN when y is constant). */
typedef struct {
  double mse, mae, r2;
  double deviance; /* mean unit deviance (as cv.metric "deviance")          */
  double accuracy; /* binomial: share of rows on the right side of 1/2      */
  double auc;      /* binomial: rp_auc of the probabilities                 */
} rp_scores;

RP_API rp_scores rp_regression_scores(const double *y, const double *yhat, size_t n);

/* Mean held-out loss of linear predictors eta for y (n values) under the
 * family and metric (not auc). */
RP_API double rp_mean_loss(rp_family family, rp_metric metric, const double *y, const double *eta,
                           size_t n);

/* The same weighted by w (n values >= 0, NULL = all 1), as cv.glmnet:
 * sum_i w_i l_i / sum_i w_i (NaN when every w_i is 0). */
RP_API double rp_weighted_mean_loss(rp_family family, rp_metric metric, const double *y,
                                    const double *eta, const double *w, size_t n);

/* The area under the ROC curve of scores for labels y in {0, 1} (n values):
 * the probability that a random positive outscores a random negative, ties
 * counting 1/2 (Mann-Whitney).  `work` holds n pairs.  NaN when a class is
 * absent. */
typedef struct {
  double score, y, w;
} rp_scored;
RP_API double rp_auc(const double *y, const double *score, size_t n, rp_scored *work);

/* The same with weights w (n values >= 0, NULL = all 1): pairs of a
 * positive i and a negative k weigh w_i w_k, ties 1/2, so that
 *   AUC = sum_{i pos, k neg} w_i w_k ([s_i > s_k] + [s_i = s_k]/2) / (W_1 W_0)
 * (W_c the classes' total weights), survival::concordance with case
 * weights as cv.glmnet uses it.  NaN when W_1 or W_0 is 0. */
RP_API double rp_weighted_auc(const double *y, const double *score, const double *w, size_t n,
                              rp_scored *work);

/* Test-set scores of linear predictors eta for y (n values): gaussian mse,
 * mae and r2 (rp_regression_scores) and deviance; binomial deviance,
 * accuracy (1 - the "class" loss), auc, and mse and mae as cv.metric counts
 * them; poisson deviance, mse and mae of the mean.  Scores that do not apply
 * are NaN.  `work` holds n pairs. */
RP_API rp_scores rp_test_scores(rp_family family, const double *y, const double *eta, size_t n,
                                rp_scored *work);

/* The three scores reported for a family, in order: mse, mae, r2
 * (gaussian); deviance, accuracy, auc (binomial); deviance, mse, mae
 * (poisson).  names[i] is the report key of values[i]. */
RP_API void rp_scores_named(rp_family family, const rp_scores *sc, const char *names[3],
                            double values[3]);

/* The score in the units of a CV metric (class: 1 - accuracy). */
RP_API double rp_scores_metric(rp_scores sc, rp_metric metric);

#ifdef __cplusplus
}
#endif
#endif
