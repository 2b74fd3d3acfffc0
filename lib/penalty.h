/* penalty.h (private): the elastic-net penalty as every family's solver uses it.
 *
 *   Omega(b) = sum_j pf_j (lam1 |b_j| + lam2/2 b_j^2)
 *
 * Its coordinate minimizer, its value and the pieces of its conjugate that a
 * duality gap needs are written here once.
 */
#ifndef REGPATH_PENALTY_H
#define REGPATH_PENALTY_H

#include <math.h>

#include "problem.h"

/* S(u, t) = sign(u) max(|u| - t, 0). */
static inline double rp_soft_threshold(double u, double t) {
  if (u > t) return u - t;
  if (u < -t) return u + t;
  return 0.0;
}

/* argmin_b  xv/2 b^2 - u b + pf (lam1 |b| + lam2/2 b^2)
 *         = S(u, lam1 pf) / (xv + lam2 pf): one coordinate-descent step. */
static inline double rp_coordinate_minimizer(double u, double xv, double pf, double lam1,
                                             double lam2) {
  return rp_soft_threshold(u, lam1 * pf) / (xv + lam2 * pf);
}

/* Sequential strong rule (Tibshirani et al. 2012): at alpha, after the
 * solution at alpha_prev, column j stays in the fit when
 * |g_j| > l1_ratio pf_j (2 alpha - alpha_prev). */
static inline int rp_strong_rule_keeps(const rp_problem *pb, size_t j, double g, double alpha,
                                       double alpha_prev) {
  return fabs(g) > pb->l1_ratio * (2.0 * alpha - alpha_prev) * pb->pf[j];
}

/* b_j = 0 is optimal iff |g_j| <= lam1 pf_j (the KKT condition). */
static inline int rp_kkt_violated(const rp_problem *pb, size_t j, double g, double lam1) {
  return fabs(g) > lam1 * pb->pf[j];
}

/* glmnet's floor on l1_ratio in alpha_max: a ridge path starts where the
 * elastic net with this share of L1 would be the null model. */
#define RP_L1_RATIO_FLOOR 1e-3

/* alpha_max = max_j |g_j| / (pf_j max(l1_ratio, 1e-3)) over the penalized
 * columns, at the fit with every penalized b_j = 0 (docs/ALGORITHMS.md): the
 * smallest alpha at which that fit is optimal (for l1_ratio >= 1e-3; a
 * ridge fit is never null).  0 when no column is penalized. */
double rp_penalty_alpha_max(const rp_problem *pb, const double *grad);

/* Column j's term of Omega: pf_j (lam1 |b| + lam2/2 b^2). */
static inline double rp_penalty_term(const rp_problem *pb, size_t j, double b, double lam1,
                                     double lam2) {
  return pb->pf[j] * (lam1 * fabs(b) + 0.5 * lam2 * b * b);
}

/* Omega(b) over the columns of pb. */
double rp_penalty_value(const rp_problem *pb, const double *beta, double lam1, double lam2);

/* The dual point of a gap is theta = s r/n, with r the (generalized) residual
 * and g_j = <x~_j, r>/n.  Where a penalized column has no L2 term (lam2 = 0:
 * the lasso), the conjugate of Omega is the indicator of |<x~_j, theta>| <=
 * lam1 pf_j, so s = min(1, min_j lam1 pf_j / |g_j|); with an L2 term, s = 1. */
double rp_dual_scaling(const rp_problem *pb, const double *grad, double lam1, double lam2);

/* Omega*(X~'theta) = sum_j max(|s g_j| - lam1 pf_j, 0)^2 / (2 lam2 pf_j) over
 * the columns with an L2 term (0 on the others once s is dual_scaling's). */
double rp_penalty_conjugate(const rp_problem *pb, const double *grad, double s, double lam1,
                            double lam2);

/* The duality gap a binomial or poisson point must reach, as a fraction of
 * the null objective: gap_tol, and never more than RP_GAP_PER_TOL tol, so
 * that a tighter tol never ends with a larger gap (at the defaults, tol
 * 1e-7 and gap_tol 1e-6, the two meet); 0 when gap_tol is (no check). */
double rp_gap_target(double gap_tol, double tol);

#endif
