/* regpath/path.h: the regularization path of a penalized linear model.
 *
 * Objective (gaussian family), over intercept b0 and coefficients b:
 *   1/(2n) sum_i v_i (y_i - o_i - b0 - x_i.b)^2
 *     + alpha * ( l1_ratio * sum_j pf_j |b_j| + (1 - l1_ratio)/2 * c * sum_j pf_j b_j^2 )
 * with c = 1 (convention "standard", scikit-learn's ElasticNet) or c = 1/sd(y)
 * (convention "glmnet": glmnet fits y/sd(y), which is the same as dividing the
 * L2 weight by sd(y); see docs/ALGORITHMS.md).  v_i are the observation weights
 * w_i normalized to sum to n over the rows fitted, v_i = n w_i / sum_k w_k, as
 * glmnet normalizes them (all 1 without weights), and o_i the offsets (0
 * without).  With `standardize` the columns are centred and scaled to unit
 * 1/n variance first (weighted: m_j = sum_i v_i x_ij / n, s_j^2 = sum_i v_i
 * (x_ij - m_j)^2 / n, glmnet's weighted `standard`) and b is reported back on
 * the original scale; sd(y) is weighted too.  Penalty factors are rescaled to
 * sum to p, as in glmnet.
 *
 * The path is solved by warm-started cyclic coordinate descent over a
 * decreasing grid of alphas (Friedman, Hastie & Tibshirani 2010), with the
 * sequential strong rule and a KKT check (Tibshirani et al. 2012).
 */
#ifndef REGPATH_PATH_H
#define REGPATH_PATH_H

#include <stddef.h>

#include "regpath/api.h"
#include "regpath/design.h"
#include "regpath/error.h"
#include "regpath/family.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  RP_CONVENTION_STANDARD = 0, /* the objective above with c = 1       */
  RP_CONVENTION_GLMNET        /* c = 1/sd(y): glmnet's numbers exactly */
} rp_convention;

typedef enum {
  RP_UPDATE_AUTO = 0,  /* covariance when p < 500 (glmnet's rule) or when n >= p
                          up to 4096 columns; naive otherwise                    */
  RP_UPDATE_NAIVE,     /* keep the residual: O(n) per coefficient change         */
  RP_UPDATE_COVARIANCE /* keep X'r from the Gram matrix of sufficient statistics
                          (computed once by BLAS): O(p) per change              */
} rp_update;

/* The grid each cross-validation fold is fitted on (rp_cv_fit). */
typedef enum {
  RP_FOLD_GRID_FULL = 0, /* the CV's own alphas, the full data's: cv.glmnet(lambda = fit$lambda) */
  RP_FOLD_GRID_OWN       /* the fold's own grid and early stop (from these options, as the full
                            data's path), its predictions interpolated linearly in alpha at the
                            CV's alphas (held at its first and last points beyond them): a
                            plain cv.glmnet(x, y, foldid = ...), exactly                      */
} rp_fold_grid;

/* Called after each alpha of each fit: fit (0-based) of n_fits, alpha index of
 * n_alphas.  Must not call back into the library. */
typedef void (*rp_progress_fn)(void *ctx, size_t fit, size_t n_fits, size_t alpha, size_t n_alphas);

typedef struct {
  rp_family family;
  double l1_ratio;              /* in [0, 1]; 1 = lasso, 0 = ridge             */
  int standardize;              /* scale columns to unit variance (default 1)  */
  int fit_intercept;            /* default 1                                   */
  rp_convention convention;     /* default RP_CONVENTION_STANDARD              */
  const double *penalty_factor; /* p factors >= 0 (not all 0), or NULL = all 1 */
  size_t n_alphas;              /* generated grid length, default 100          */
  double alpha_min_ratio;       /* > 0, or 0 = 1e-2 if n < p else 1e-4         */
  const double *alphas;         /* explicit decreasing grid, or NULL           */
  size_t n_explicit;            /* its length                                  */
  size_t n_extend;              /* a generated grid goes on this many points past
                                   its alpha_min, at the same log spacing (default
                                   0; needs n_alphas >= 2)                       */
  double tol;                   /* default 1e-7 (see rp_path_fit)              */
  double gap_tol;               /* default 1e-6 (see rp_path_fit); 0 = off     */
  long max_iter;                /* sweeps per alpha, default 100000            */
  int early_stop;               /* glmnet's rules on a generated grid (default 1) */
  int cv_keep;                  /* rp_cv_fit: keep every row's out-of-fold linear
                                   predictor (rp_cv.preval; default 0)          */
  rp_update update;             /* default RP_UPDATE_AUTO                      */
  rp_progress_fn progress;      /* optional                                    */
  void *progress_ctx;
  const char *const *feature_names; /* optional: p names, used in messages only */
  const char *target_name;          /* optional: used in messages only          */
  const double *weights;            /* observation weights w_i >= 0, finite, one per row of X
                                       (indexed as y), not all 0 on the rows fitted; or NULL =
                                       all 1.  Normalized to sum to the number of rows fitted
                                       (each CV fold's training rows on their own), as glmnet */
  const double *offset;             /* o_i, finite, one per row of X (indexed as y), added to
                                       the linear predictor; or NULL = 0.  For gaussian the
                                       same as fitting y - o.  Predictions (rp_path_predict)
                                       leave it out: add the rows' own offsets to them */
  rp_fold_grid fold_grid;           /* rp_cv_fit: default RP_FOLD_GRID_FULL              */
  const double *lower_limits;       /* p bounds l_j <= 0 on the coefficients, on the original
                                       scale of the columns (-INFINITY: none), or NULL = none:
                                       glmnet's lower.limits; 0 for b_j >= 0 (positive) */
  const double *upper_limits;       /* p bounds u_j >= 0 (INFINITY: none), or NULL = none:
                                       glmnet's upper.limits.  With either, coordinate descent
                                       clips each step to [l_j, u_j] and the duality gap is
                                       that of the bounded problem (docs/ALGORITHMS.md) */
  const double *relax_gammas;       /* rp_cv_fit, rp_path_cv_fit: the relaxed lasso's blends
                                       (regpath/relax.h) to cross-validate as well, each
                                       gamma in [0, 1), into rp_cv.relaxed; NULL = none.
                                       Not with coefficient limits                       */
  size_t n_relax_gammas;            /* their number                                      */
  int multinomial_grouped;          /* multinomial: the group lasso over each feature's K
                                       coefficients (glmnet's type.multinomial =
                                       "grouped"; default 0: "ungrouped")              */
  size_t n_classes;                 /* multinomial: the K >= 3 classes, y in 0..K-1 (a
                                       fold's training rows may lack one); 0 = 1 + the
                                       largest y.  Not with offsets, limits or relax     */
  const rp_comm *fold_comm;         /* rp_cv_fit: the folds shared out over the processes of
                                       a comm (regpath/comm.h), each holding every row and
                                       calling with the same arguments: process r fits the
                                       folds k with k mod size = r, and their results are
                                       summed over the processes (every slot of a fold is
                                       filled by one process alone, the others adding 0, so
                                       the CV is the one process's to the bit); NULL = every
                                       fold here.  Not with cv_keep or relax_gammas        */
} rp_fit_options;

/* Fill `opt` with the defaults listed above. */
RP_API void rp_fit_options_init(rp_fit_options *opt);

/* How a grid point's solve ended (rp_path.converged): the budget,
 * path.max_iter, ran out; it converged and its gap is within the target;
 * or (binomial and poisson) the gap target, tightened by a small tol, is
 * below what double precision certifies, and it stopped at the best point
 * Newton steps reach, its gap as reported. */
typedef enum {
  RP_POINT_MAX_ITER = 0,
  RP_POINT_CONVERGED = 1,
  RP_POINT_AT_PRECISION = 2
} rp_point_status;

/* A computed path.  Arrays have n_alphas entries; coef has n_alphas rows of p
 * (coef[k * p + j]), on the original scale of the columns.  A multinomial
 * path has n_classes K >= 3 linear predictors at each point: intercept has
 * n_alphas x K entries (intercept[k * K + c], summing to 0 over c, glmnet's
 * rule) and coef n_alphas x K rows of p (coef[(k * K + c) * p + j]); df
 * counts the features nonzero in any class.  n_classes is 1 otherwise. */
typedef struct {
  size_t n_alphas; /* points computed (early stop may shorten the grid) */
  size_t p;
  double l1_ratio;
  double alpha_max; /* smallest alpha with every penalized b_j = 0 (for
                       l1_ratio < 1e-3: that of l1_ratio 1e-3, glmnet's
                       floor, where the b_j are small but not 0)        */
  double *alphas;
  double *intercept;
  double *coef;
  size_t *df;            /* nonzero coefficients                               */
  double *dev_ratio;     /* 1 - deviance / null deviance (gaussian: RSS)       */
  long *n_iter;          /* coordinate sweeps (full or active-set)             */
  double *dual_gap;      /* P(b) - D(theta) >= 0, in objective units           */
  int *converged;        /* an rp_point_status: 0 where max_iter was reached   */
  double null_deviance;  /* deviance at b = 0 with the intercept fitted:
                            sum_i w_i (y_i - o_i - ybar)^2 for gaussian (ybar
                            = 0 without intercept); sum_i w_i d(y_i, eta0_i)
                            else, eta0 the intercept-only fit with the
                            offsets; in the units of the weights as given,
                            as glmnet's nulldev                              */
  double null_objective; /* null_deviance / (2 sum_i w_i): the objective at
                            b = 0 less its smallest possible value (the
                            gap's unit)                                      */
  rp_family family;
  int saturated;     /* binomial: stopped early, the classes separated    */
  size_t n_rows;     /* rows fitted                                        */
  int *constant;     /* p flags: column constant on the rows fitted        */
  double *mean;      /* p column means used to centre (0 without intercept) */
  double *scale;     /* p column scales (1 without standardize)            */
  double weight_sum; /* sum of the weights of the rows fitted (n_rows
                        without weights)                                 */
  size_t n_classes;  /* K linear predictors per point (multinomial), else 1 */
  double gamma;      /* 1 for a penalized path; a relaxed lasso's blend of
                        it with its refits at gamma otherwise
                        (regpath/relax.h)                                */
} rp_path;

/* Fit the whole path of y on X over rows `rows` (n_rows indices into X's rows;
 * NULL = all X->n rows, in order).  The grid is opt->alphas when given (no
 * early stop), otherwise alpha_max * ratio^(k/(K-1)), k = 0..K-1, with
 * glmnet's early stop when opt->early_stop.  A binomial path also stops, on
 * any grid, once the classes are separated (path->saturated), as glmnet's.
 * Convergence at each alpha: a full sweep in which
 *   max_j xv_j (change in b_j)^2 < tol * (null deviance / n)
 * (gaussian; binomial and poisson: tol * null deviance / (2n)), glmnet's
 * criterion made independent of the scale of y, after which the
 * duality gap must be at most gap_tol * null_objective (the sweeps go on,
 * with a tighter threshold, until it is, or until max_iter).
 * *out is owned by the caller (rp_path_free).
 * Errors: RP_EINVAL (bad options: named), RP_EDATA (target constant, no usable
 * column; a weight negative or not finite, every weight 0, an offset not
 * finite: named by row), RP_ENUMERIC (non-finite values arose), RP_ENOMEM. */
RP_API rp_status rp_path_fit(const rp_matrix *X, const double *y, const size_t *rows, size_t n_rows,
                             const rp_fit_options *opt, rp_path **out, rp_error *err);

/* Check `opt` for a design with p columns; the first problem is returned. */
RP_API rp_status rp_fit_options_check(const rp_fit_options *opt, size_t p, rp_error *err);

/* Check opt->weights and opt->offset on rows `rows` (n_rows; NULL = the n
 * rows 0..n-1): RP_EDATA naming the first row (1-based) whose weight is
 * negative or not finite or whose offset is not finite, or when every
 * weight is 0. */
RP_API rp_status rp_observations_check(const rp_fit_options *opt, const size_t *rows, size_t n_rows,
                                       rp_error *err);

/* Predictions at path point k for rows `rows` of X (NULL = all), into yhat
 * (n_rows values): the linear predictor b0 + x_i.b without any offset (see
 * rp_family_mean for the mean).  A multinomial path's K predictors take
 * n_rows K values, class c's from yhat + c n_rows. */
RP_API void rp_path_predict(const rp_path *path, size_t k, const rp_matrix *X, const size_t *rows,
                            size_t n_rows, double *yhat);

/* The linear predictors at every path point, for rows `rows` of X (NULL =
 * all): eta is n_rows x n_alphas, column-major (point k from eta + k n_rows).
 * Equal to rp_path_predict at each k, bit for bit, but the rows are read
 * once: the columns that are ever nonzero on the path are gathered into a
 * contiguous block first.  RP_ENOMEM if that block cannot be allocated;
 * RP_EINVAL for a multinomial path. */
RP_API rp_status rp_path_predict_all(const rp_path *path, const rp_matrix *X, const size_t *rows,
                                     size_t n_rows, double *eta, rp_error *err);

RP_API void rp_path_free(rp_path *path);

/* ------------------------------------------------- any storage of X
 * The same fit and predictions on a raw design (regpath/design.h: X in any
 * storage that implements its column and rows operations; n = X->n rows,
 * p = X->p columns).  rp_path_fit, rp_path_predict and rp_path_predict_all
 * are these on rp_design_matrix(X), and every storage that holds the same
 * values gives the same numbers (the library only copies values out of
 * it).  Arguments, results and errors as those functions'; the predictions
 * may also fail with RP_ENOMEM (a column buffer of n_rows values). */
RP_API rp_status rp_path_fit_design(const rp_design *X, const double *y, const size_t *rows,
                                    size_t n_rows, const rp_fit_options *opt, rp_path **out,
                                    rp_error *err);
RP_API rp_status rp_path_predict_design(const rp_path *path, size_t k, const rp_design *X,
                                        const size_t *rows, size_t n_rows, double *yhat,
                                        rp_error *err);
RP_API rp_status rp_path_predict_all_design(const rp_path *path, const rp_design *X,
                                            const size_t *rows, size_t n_rows, double *eta,
                                            rp_error *err);

#ifdef __cplusplus
}
#endif
#endif
