/* regpath/relax.h: the relaxed lasso (glmnet's relax = TRUE; Meinshausen,
 * "Relaxed Lasso", CSDA 2007; Hastie, Tibshirani and Tibshirani, "Best
 * subset, forward stepwise or lasso?", Statistical Science 2020).
 *
 * At each point k of a path, the refit is the unpenalized fit of the same
 * family (same weights, offsets and intercept) on the columns A_k that are
 * nonzero there, every other coefficient held at 0:
 *   b~_k = argmin over b with b_j = 0 off A_k of the loss alone.
 * The relaxed model at gamma in [0, 1] is the blend
 *   b(gamma) = gamma b_k + (1 - gamma) b~_k   (the intercept likewise),
 * so gamma = 1 is the penalized path and gamma = 0 the refit.  As glmnet's
 * relax.glmnet, a point whose active set has more than n - 3 columns (n the
 * rows fitted) gets no refit, and its blends use the refit of the last point
 * that has one (blend.relaxed's extend); a point with no active column keeps
 * its penalized (intercept-only) fit.  Where the refit's normal equations
 * are numerically singular (collinear active columns) it is omitted the
 * same way.
 */
#ifndef REGPATH_RELAX_H
#define REGPATH_RELAX_H

#include <stddef.h>

#include "regpath/api.h"
#include "regpath/design.h"
#include "regpath/error.h"
#include "regpath/path.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  size_t n_alphas, p; /* as the path's                                        */
  double *intercept;  /* n_alphas refit intercepts                            */
  double *coef;       /* n_alphas x p refit coefficients, original scale      */
  int *kept;          /* 1 where the point has its refit (or no active column) */
  double *dev_ratio;  /* 1 - deviance / null deviance of the refit            */
  double *kkt;        /* the refit's certificate: max over its columns j of
                         |sum_i w_i x~_ij (y_i - mu_i)| / sum_i w_i, x~_j the
                         column centred and scaled to unit variance on the
                         rows fitted; 0 at the exact unpenalized optimum     */
  long *n_iter;       /* Newton steps taken (gaussian: 1, and a check)        */
  int *saturated;     /* binomial: the refit separated the classes and
                         stopped at deviance ratio 0.999, as glmnet's        */
} rp_relaxed;

/* The refits of every point of `path`, fitted on rows `rows` (n_rows; NULL =
 * all X->n) of the raw design X with target y and the options the path was
 * fitted with (family, weights, offset, fit_intercept).  Each is solved by
 * Newton's method (IRLS with step halving) from the penalized point, to
 * machine precision.  *out is owned by the caller (rp_relaxed_free).
 * Errors: RP_EINVAL (opt has coefficient limits: not supported), RP_ENOMEM. */
RP_API rp_status rp_path_relax(const rp_design *X, const double *y, const size_t *rows,
                               size_t n_rows, const rp_fit_options *opt, const rp_path *path,
                               rp_relaxed **out, rp_error *err);

/* The path of blends at `gamma` in [0, 1]: a copy of `path` (its grid, df,
 * certificates of the penalized points) with intercept and coef blended as
 * above and path->gamma = gamma.  *out is owned by the caller. */
RP_API rp_status rp_relaxed_blend(const rp_path *path, const rp_relaxed *relaxed, double gamma,
                                  rp_path **out, rp_error *err);

RP_API void rp_relaxed_free(rp_relaxed *relaxed);

#ifdef __cplusplus
}
#endif
#endif
