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
 * it fails).  With covariance updates, stalled sweeps are helped by exact
 * least-squares steps on the current support and signs (an active-set
 * step; cd.c, support_move).  The state (b~, the gradient, the residual or
 * the Gram columns) persists between calls, which is the warm start along
 * the grid.
 */
#ifndef REGPATH_CD_H
#define REGPATH_CD_H

#include "cholesky.h"
#include "problem.h"

typedef struct {
  const rp_problem *pb;
  int covariance;     /* covariance updates on pb->gram (else naive)          */
  double *beta;       /* b~                                                   */
  double *grad;       /* g_j; current for the strong set (covariance updates),
                         and for every column when grad_current               */
  int grad_current;
  double *resid;      /* r (naive updates only)                               */
  char *strong;       /* swept in full sweeps                                 */
  size_t *strong_list; /* the same columns, in order of joining               */
  size_t n_strong;
  char *entered;      /* has been nonzero at some point of the path           */
  size_t *active;     /* entered columns in order of entry                    */
  size_t n_active;
  double thr;         /* tol * yy                                             */
  double gap_tol;     /* gap <= gap_tol * yy/2 at convergence (0 = no check)  */
  long max_iter;      /* sweeps per point                                     */
  /* Extrapolation of the iterates (Anderson acceleration of the primal,
   * Bertrand & Massias 2021; dual extrapolation, Massias, Gramfort & Salmon
   * 2018): the last RP_CD_EXTRAPOLATION + 1 active-set sweeps, in a ring of
   * b~ on the active set (p each) and the residual r (naive, n each) or the
   * gradient g (covariance, p each). */
  double *ring_beta;
  double *ring_vec;
  size_t ring_next;   /* slot of the next iterate                             */
  size_t ring_count;  /* consecutive iterates held, at most K + 1             */
  size_t ring_active; /* n_active when they were taken                        */
  double *trial_beta; /* a trial b~, extrapolated or the support's least
                         squares (p, 0 off the active set)                    */
  double *trial_vec;  /* its residual (n) or gradient (p)                     */
  double *trial_grad; /* X~'r/n of the trial point's residual (p): exact on
                         the strong set, everywhere after exact_trial_dual    */
  double *cert_grad;  /* X~'theta/n as a gap sees it (p): exact on the strong
                         set, 0 or an upper bound of |.| off it               */
  int trial_ready;    /* trial_* hold a point made at the current b~          */
  double trial_ry, trial_rr; /* <r, y~>/n, <r, r>/n of the trial residual     */
  double trial_dist2; /* |r_trial - r|^2 / n                                  */
  double *small;      /* the K x K system, its right-hand side and solution   */
  size_t *small_perm;
  /* The support's least-squares point (support_point in cd.c; with
   * covariance updates also a primal step, support_move): the support's
   * columns gathered (naive, n x support_cap), the Cholesky factor of its
   * Gram matrix (support_cap^2 storage; factor.m columns, 0 = none), the
   * right-hand side and the step. */
  size_t support_cap;  /* largest support it handles (0 = none)             */
  double support_lam2; /* the L2 weight the factor includes                 */
  size_t *support;     /* the factor's columns, in its order                */
  char *in_factor;     /* p states: listed in support or not, or barred     */
  size_t blocker;      /* the joining column that blocked the last step at
                          s = 0 (SIZE_MAX: none), support_move             */
  double *support_cols;
  rp_cholesky factor;
  double *support_rhs;
  double *support_step;
  double *support_work; /* scratch of the factor's order                    */
  double *support_Ad;   /* A delta for the move delta (support_move)        */
  int in_descent;       /* in a descent round: g kept on the support only   */
  double *descent_beta; /* b~ and g as the descent began (p each)            */
  double *descent_grad;
  double dual_best;   /* the best dual objective found at (dual_lam1, dual_lam2) */
  double dual_lam1, dual_lam2;
  int dual_valid;
} rp_cd;

/* Residuals combined by dual extrapolation: K in Massias et al.'s notation. */
enum { RP_CD_EXTRAPOLATION = 5 };

/* Largest support whose least-squares dual point is computed with naive
 * updates (its Gram matrix takes 8 MiB at this size); with covariance
 * updates min(n, p), the Gram matrix being p x p already. */
enum { RP_CD_SUPPORT_MAX = 1024 };

/* Covariance updates when the problem carries a Gram matrix, else naive. */
rp_status rp_cd_alloc(const rp_problem *pb, double tol, double gap_tol, long max_iter, rp_cd **out,
                      rp_error *err);

/* Fit the unpenalized columns (pf_j = 0) with every penalized b_j = 0: the
 * solution at every alpha >= alpha_max. */
void rp_cd_fit_unpenalized(rp_cd *cd);

/* alpha_max = max_j |g_j| / (pf_j max(l1_ratio, 1e-3)) over penalized columns
 * at the current (unpenalized) fit: the smallest alpha with every penalized
 * b_j = 0 (ALGORITHMS.md).  0 when no column is penalized. */
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
