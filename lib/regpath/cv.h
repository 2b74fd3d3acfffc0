/* regpath/cv.h: k-fold cross-validation along a path's grid, as cv.glmnet. */
#ifndef REGPATH_CV_H
#define REGPATH_CV_H

#include <stddef.h>

#include "regpath/api.h"
#include "regpath/design.h"
#include "regpath/error.h"
#include "regpath/metrics.h" /* rp_metric, and the losses the folds are scored with */
#include "regpath/path.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The selection rule (cv.rule): cv.glmnet's lambda.1se or lambda.min. */
typedef enum { RP_RULE_1SE = 0, RP_RULE_MIN } rp_rule;

typedef struct rp_cv {
  size_t n_alphas;
  size_t n_folds;      /* every fold of every draw pooled: n_repeats x K    */
  size_t n_repeats;    /* fold draws pooled (rp_cv_pool; 1 for one draw)    */
  double *alphas;      /* the grid (copied)                                  */
  double *mean;        /* cvm:  sum_k W_k err_k / W                          */
  double *std_error;   /* cvsd: sqrt(sum_k W_k (err_k - cvm)^2 / W / (K-1)),
                          W = sum_k W_k (cv.glmnet's weighted cvstats; a
                          fold with W_k = 0 counts in K only)               */
  double *fold_error;  /* err_k per fold and alpha: fold_error[k*n_alphas+a] */
  size_t *fold_size;   /* N_k, the fold's held-out rows                      */
  double *fold_weight; /* W_k: the sum of their weights (N_k without)        */
  size_t index_min;    /* largest alpha with the smallest mean (largest: auc) */
  size_t index_1se;    /* largest alpha with mean <= mean[min] + se[min]
                          (auc: mean >= mean[min] - se[min])                */
  rp_metric metric;
  int larger_is_better; /* auc                                                */
  double alpha_min, alpha_1se;
  size_t n_nonconverged;   /* fold points that hit max_iter                     */
  size_t *nonconverged_at; /* of them, those at alpha a (n_alphas counts)    */
  size_t p;                /* features                                         */
  double path_seconds;     /* rp_path_cv_fit: wall time of the full-data path,
                              including the shared statistics                  */
  double cv_seconds;       /* wall time of the folds                           */
  size_t n_rows;           /* rows cross-validated                              */
  double *preval;          /* with opt->cv_keep, each row's out-of-fold linear
                              predictor (offset included) at alpha a:
                              preval[a * n_rows + i] (cv.glmnet's fit.preval,
                              on the link scale); a multinomial CV's K per row,
                              class c's at preval[(a K + c) n_rows + i];
                              else NULL                                        */
  size_t *fold_nonzero;    /* folds whose fit has feature j nonzero at alpha a:
                              fold_nonzero[a * p + j]                          */
  size_t n_classes;        /* the multinomial family's K, else 1               */
  double gamma;            /* 1: the penalized paths' CV; else that of their
                              relaxed blends at gamma (regpath/relax.h)        */
  size_t n_relaxed;        /* opt->n_relax_gammas                              */
  struct rp_cv **relaxed;  /* the blends' CVs on the same folds, one per gamma
                              in the options' order (each fold's blends are
                              of its own path and refits, fitted on its
                              training rows); NULL without                     */
} rp_cv;

/* Balanced random folds as cv.glmnet makes them: the sequence 1..K repeated
 * to length n, shuffled by a gsl_rng (mt19937) seeded with `seed`.  Writes n
 * ids in 1..K into fold_ids.  Errors: RP_EINVAL when K < 2 or K > n. */
RP_API rp_status rp_cv_make_folds(size_t n, size_t k, unsigned long seed, int *fold_ids,
                                  rp_error *err);

/* Folds that keep the class ratios (binomial y in {0, 1}, multinomial y in
 * 0..K-1): the rows of each class in turn, in an order shuffled with `seed`,
 * are dealt to folds 1..k, the count carrying over from one class to the
 * next so that fold sizes differ by at most one.  Errors: as
 * rp_cv_make_folds, and RP_EINVAL for a y that is not a class number. */
RP_API rp_status rp_cv_make_stratified_folds(const double *y, size_t n, size_t k,
                                             unsigned long seed, int *fold_ids, rp_error *err);

/* Check fold ids (n values) and return the number of folds K = max id.
 * Errors: RP_EINVAL naming the first id outside 1..K, an empty fold, K < 2. */
RP_API rp_status rp_cv_check_folds(const int *fold_ids, size_t n, size_t *n_folds, rp_error *err);

/* Cross-validate: for each fold, fit on the other rows (standardized on them,
 * their weights normalized on their own) along `alphas` (no early stop) and
 * score the held-out rows with `metric`, their offsets added to the
 * predictions.  `opt` is used as is except for the grid.  With
 * opt->fold_grid RP_FOLD_GRID_OWN each fold is fitted instead on the grid
 * `opt` gives (its own generated grid and early stop, or opt's explicit
 * alphas) and scored at `alphas` by interpolation (path.h).  *out is owned by
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

/* Repeated cross-validation: pool R cross-validations of one grid (the same
 * alphas, metric and features; different fold draws) into *out as one CV
 * over all their folds: fold_error, fold_size and fold_weight one after
 * another, the counts summed, preval's rows one draw after another (when
 * every one has them), and mean and std_error by cv.glmnet's cvstats over
 * the R x K folds:
 *   cvm  = sum_{r,k} W_rk err_rk / sum W_rk
 *   cvsd = sqrt(sum_{r,k} W_rk (err_rk - cvm)^2 / sum W_rk / (R K - 1)),
 * so cvm is the average of the draws' curves when each draw's fold weights
 * sum to the same total, as they do.  Folds of different draws share rows,
 * so cvsd understates the standard error of cvm (Bengio and Grandvalet,
 * "No unbiased estimator of the variance of K-fold cross-validation",
 * JMLR 2004).  index_min and index_1se are chosen on the pooled curve.
 * The inputs are left as they are.  Errors: RP_EINVAL (grids, metrics or
 * features differ), RP_ENOMEM. */
RP_API rp_status rp_cv_pool(const rp_cv *const *cvs, size_t R, rp_cv **out, rp_error *err);

/* cv.glmnet's choice on a curve (alphas decreasing): *index_min = the first
 * (largest alpha) index of the smallest mean; *index_1se = the first index with
 * mean <= mean[min] + se[min].  With larger_is_better, the largest mean and
 * mean >= mean[min] - se[min]. */
RP_API void rp_cv_choose(const double *mean, const double *std_error, size_t n_alphas,
                         int larger_is_better, size_t *index_min, size_t *index_1se);

/* cv.glmnet(relax = TRUE)'s choice over the curves of a relaxed CV: the
 * blends' (gamma index g < cv->n_relaxed: cv->relaxed[g]) and the path's
 * own (g = cv->n_relaxed, gamma 1).  min: the smallest mean of all (ties:
 * the larger alpha, then the larger gamma); 1se: the largest alpha, then
 * the largest gamma, whose mean is within the min point's standard error
 * of its mean (auc: larger is better, as rp_cv_choose). */
RP_API void rp_cv_choose_relaxed(const rp_cv *cv, size_t *gamma_min, size_t *index_min,
                                 size_t *gamma_1se, size_t *index_1se);

/* The mean at index a as a loss, smaller better: -mean[a] for auc. */
RP_API double rp_cv_loss(const rp_cv *cv, size_t a);

RP_API void rp_cv_free(rp_cv *cv);

/* rp_cv_fit and rp_path_cv_fit on a raw design (regpath/design.h: X in any
 * storage that implements its column and rows operations); the dense
 * functions are these on rp_design_matrix(X).  The same numbers for every
 * storage of the same values, except that a dense matrix whose columns are
 * nearly centred is shared by the folds of the naive route where another
 * storage is copied once (fit_source.c: the same values either way). */
RP_API rp_status rp_cv_fit_design(const rp_design *X, const double *y, const rp_fit_options *opt,
                                  const double *alphas, size_t n_alphas, const int *fold_ids,
                                  rp_metric metric, rp_cv **out, rp_error *err);
RP_API rp_status rp_path_cv_fit_design(const rp_design *X, const double *y,
                                       const rp_fit_options *opt, const int *fold_ids,
                                       rp_metric metric, rp_path **path, rp_cv **cv, rp_error *err);

#ifdef __cplusplus
}
#endif
#endif
