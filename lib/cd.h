/* cd.h (private): coordinate descent at one point of the path.
 *
 * Minimizes, over the standardized coefficients b~ of a prepared problem,
 *   P(b) = <r, r>/(2n) + sum_j pf_j (lam1 |b_j| + lam2/2 b_j^2),  r = y~ - X~ b~,
 * by cyclic coordinate descent (Friedman, Hastie & Tibshirani 2010):
 *   b_j <- S(g_j + xv_j b_j, lam1 pf_j) / (xv_j + lam2 pf_j),  g_j = <x~_j, r>/n,
 * sweeping the strong set until a sweep moves no coefficient by more than
 * max_j xv_j (change)^2 < tol * yy, then checking KKT on the rest and the
 * duality gap against gap_tol times the null objective yy/2 (with naive
 * updates the gap on the strong set first, sparing the pass over X~ while
 * it fails).  Stalled sweeps are helped by exact least-squares steps on
 * the current support and signs (an active-set step; cd_descent.c,
 * rp_cd_support_move).  The state (b~, the gradient, the residual or the
 * Gram columns) persists between calls, which is the warm start along the
 * grid.
 *
 * The pieces, each with its own state below: the loop with screening and
 * KKT (cd.c, on sweep.h's sets), naive or covariance updates as a strategy
 * table (cd_updates.h), the extrapolation (cd_extrapolate.h), the
 * certificate (cd_certificate.h) and the support solver (cd_support.h).
 */
#ifndef REGPATH_CD_H
#define REGPATH_CD_H

#include "cd_certificate.h"
#include "cd_extrapolate.h"
#include "cd_support.h"
#include "cd_updates.h"
#include "problem.h"
#include "sweep.h"
#include "tuning.h" /* RP_CD_EXTRAPOLATION, RP_CD_SUPPORT_MAX (cv.c) */

struct rp_cd {
  const rp_problem *pb;
  const rp_cd_updates *upd; /* naive or covariance, chosen at rp_cd_alloc   */
  double *beta;             /* b~                                                   */
  double *grad;             /* g_j; current for the strong set (covariance updates),
                               and for every column when grad_current               */
  int grad_current;
  double *resid;     /* r (naive updates only)                               */
  rp_sweep sweep;    /* the strong and active sets, and the sweeps           */
  double thr;        /* tol * yy                                             */
  double gap_tol;    /* gap <= gap_tol * yy/2 at convergence (0 = no check)  */
  long max_iter;     /* sweeps per point                                     */
  rp_cd_ring ring;   /* the iterates extrapolated                            */
  rp_cd_trial trial; /* a trial point, extrapolated or the support's         */
  rp_cd_dual dual;   /* the best dual point, and the gap's gradient          */
  rp_cd_support sup; /* the support solver                                   */
};

/* Covariance updates when the problem carries a Gram matrix, else naive. */
rp_status rp_cd_alloc(const rp_problem *pb, double tol, double gap_tol, long max_iter, rp_cd **out,
                      rp_error *err);

/* Fit the unpenalized columns (pf_j = 0) with every penalized b_j = 0: the
 * solution at every alpha >= alpha_max. */
void rp_cd_fit_unpenalized(rp_cd *cd);

/* alpha_max = max_j |g_j| / (pf_j max(l1_ratio, 1e-3)) over penalized columns
 * at the current (unpenalized) fit: the smallest alpha with every penalized
 * b_j = 0 (docs/ALGORITHMS.md; for l1_ratio < 1e-3, glmnet's floor, the b_j
 * are small but not 0 there).  0 when no column is penalized. */
double rp_cd_alpha_max(const rp_cd *cd);

/* Solve at `alpha`, warm-started from the current state; `alpha_prev` is the
 * previous point's alpha (for the sequential strong rule).  Returns the sweeps
 * used; *converged = 0 when max_iter sweeps were not enough. */
long rp_cd_solve(rp_cd *cd, double alpha, double alpha_prev, int *converged);

/* At the current b~: the residual sum of squares over n, and the duality gap
 * P(b) - D(theta), with theta the better of two dual points: s r/n, s scaled
 * into the dual feasible set where the L2 term is absent (lasso), and the
 * best trial point (extrapolated, or the support's least squares) the last
 * rp_cd_solve found at this alpha (when it needed one).  Exact for
 * penalized columns; unpenalized columns contribute their (KKT-small)
 * gradient only through r. */
void rp_cd_certificate(const rp_cd *cd, double alpha, double *rss_n, double *gap);

void rp_cd_free(rp_cd *cd);

#endif
