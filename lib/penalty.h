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

/* Whether the problem has limits (problem.h).  Every move keeps the
 * coefficients within them: coordinate steps and predictions are clipped,
 * extrapolations that leave them are not taken (rp_within_limits), the
 * exact steps on the support stop at them as at a sign change (a
 * coefficient held at a limit is no part of the support, rp_at_limit), and
 * the IRLS solver's conjugate gradients past the factor, whose projection
 * knows only the signs, are not taken.  The certificate's bounds on a trial
 * point's gradients know no signs either: with limits they are computed
 * (cd_certificate.c). */
static inline int rp_problem_limited(const rp_problem *pb) { return pb->lower != NULL; }

/* b clipped to column j's limits (b itself without limits). */
static inline double rp_clip_to_limits(const rp_problem *pb, size_t j, double b) {
  return pb->lower ? fmin(fmax(b, pb->lower[j]), pb->upper[j]) : b;
}

/* argmin over l~_j <= b <= u~_j of  xv/2 b^2 - u b + pf_j (lam1 |b| + lam2/2 b^2)
 *   = S(u, lam1 pf_j) / (xv + lam2 pf_j), clipped to the limits (the
 * objective is convex in b): one coordinate-descent step. */
static inline double rp_coordinate_minimizer(const rp_problem *pb, size_t j, double u, double xv,
                                             double lam1, double lam2) {
  double pf = pb->pf[j];
  return rp_clip_to_limits(pb, j, rp_soft_threshold(u, lam1 * pf) / (xv + lam2 * pf));
}

/* Column j's limit on the side of u's sign: u~_j for u > 0, l~_j for
 * u < 0 (+-infinity where there is none). */
static inline double rp_limit_toward(const rp_problem *pb, size_t j, double u) {
  return rp_clip_to_limits(pb, j, u > 0.0 ? INFINITY : -INFINITY);
}

/* Whether column j has a limit on the side of u's sign. */
static inline int rp_limited_side(const rp_problem *pb, size_t j, double u) {
  return isfinite(rp_limit_toward(pb, j, u));
}

/* A step b + t d of the exact solvers, as far as *t, stops where it meets
 * column j's nonzero limit on d's side, if it does before *t: then *t is
 * there and *land the limit, and the result is 1.  (Where it meets 0 is
 * the callers' sign rule.) */
static inline int rp_stops_at_limit(const rp_problem *pb, size_t j, double b, double d, double *t,
                                    double *land) {
  double limit = rp_limit_toward(pb, j, d);
  if (d == 0.0 || !isfinite(limit) || limit == 0.0 || !((limit - b) / d < *t)) return 0;
  *t = (limit - b) / d;
  *land = limit;
  return 1;
}

/* Whether b~_j = b is held at one of column j's limits: like a 0, it is
 * then no part of the support, whose gradient vanishes at the optimum
 * (there the limit's multiplier takes up g_j - lam1 pf_j sign(b)). */
static inline int rp_at_limit(const rp_problem *pb, size_t j, double b) {
  return pb->lower && (b == pb->lower[j] || b == pb->upper[j]);
}

/* b onto column j's limits: a value within rounding (1e-12 relative) of a
 * limit becomes that limit, one past a limit is clipped.  A step aimed at
 * a limit (b + (l - b)) or an extrapolation of iterates held there (whose
 * weights sum to 1 up to rounding) comes back within a few ulps of it. */
static inline double rp_snap_to_limits(const rp_problem *pb, size_t j, double b) {
  if (!pb->lower) return b;
  double lo = pb->lower[j], hi = pb->upper[j], slack = 1e-12;
  if (isfinite(lo) && fabs(b - lo) <= slack * -lo) return lo;
  if (isfinite(hi) && fabs(b - hi) <= slack * hi) return hi;
  return fmin(fmax(b, lo), hi);
}

/* Whether *b, a trial value of column j's coefficient from an
 * extrapolation, is within the column's limits up to rounding; it is
 * then snapped onto them (rp_snap_to_limits). */
static inline int rp_within_limits(const rp_problem *pb, size_t j, double *b) {
  if (!pb->lower) return 1;
  double lo = pb->lower[j], hi = pb->upper[j], slack = 1e-12;
  if (!(*b >= lo - slack * -lo && *b <= hi + slack * hi)) return 0;
  *b = rp_snap_to_limits(pb, j, *b);
  return 1;
}

/* Whether the loss's descent direction g_j (the negative gradient) can move
 * b_j from 0: always, unless the limit on that side is 0. */
static inline int rp_limits_allow(const rp_problem *pb, size_t j, double g) {
  return !pb->lower || (g > 0.0 ? pb->upper[j] > 0.0 : pb->lower[j] < 0.0);
}

/* Sequential strong rule (Tibshirani et al. 2012): at alpha, after the
 * solution at alpha_prev, column j stays in the fit when
 * |g_j| > l1_ratio pf_j (2 alpha - alpha_prev) and its limits let it move. */
static inline int rp_strong_rule_keeps(const rp_problem *pb, size_t j, double g, double alpha,
                                       double alpha_prev) {
  return fabs(g) > pb->l1_ratio * (2.0 * alpha - alpha_prev) * pb->pf[j] &&
         rp_limits_allow(pb, j, g);
}

/* b_j = 0 is optimal iff |g_j| <= lam1 pf_j, or g_j points at a limit of 0
 * (the KKT condition). */
static inline int rp_kkt_violated(const rp_problem *pb, size_t j, double g, double lam1) {
  return fabs(g) > lam1 * pb->pf[j] && rp_limits_allow(pb, j, g);
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
 * the lasso) and no limit on g_j's side, the conjugate of Omega is infinite
 * past |<x~_j, theta>| = lam1 pf_j, so s = min(1, min_j lam1 pf_j / |g_j|)
 * over those columns; with an L2 term, s = 1.  With limits a gap also tries
 * the s that leaves none out (every |s g_j| <= lam1 pf_j, so that the
 * limits add nothing to Omega*), the better one where a limit is far away
 * (a term e B of rp_penalty_conjugate with B large) and a column violates
 * KKT by a little.  Into s, their count (1 or 2); each gives a valid bound,
 * and the caller takes the best. */
size_t rp_dual_scalings(const rp_problem *pb, const double *grad, double lam1, double lam2,
                        double s[2]);

/* Omega*(X~'theta) at theta = s r/n, the limits' indicator included: column
 * j's term, at u = s g_j with excess e = |u| - lam1 pf_j > 0 and B the limit
 * on u's side (u~_j for u > 0, -l~_j for u < 0; infinite without), is
 *   sup_{0 <= b <= B} e b - lam2 pf_j b^2/2 = e b* - lam2 pf_j b*^2/2,
 *   b* = min(e / (lam2 pf_j), B)
 * (e^2 / (2 lam2 pf_j) without a limit, e B without an L2 term), and 0 for
 * e <= 0, or where s has made it so (rp_dual_scalings).  An unpenalized
 * column adds |u| B where it has a limit on u's side (rp_limited_side);
 * without one it is left to the callers. */
double rp_penalty_conjugate(const rp_problem *pb, const double *grad, double s, double lam1,
                            double lam2);

/* The duality gap a binomial or poisson point must reach, as a fraction of
 * the null objective: gap_tol, and never more than RP_GAP_PER_TOL tol, so
 * that a tighter tol never ends with a larger gap (at the defaults, tol
 * 1e-7 and gap_tol 1e-6, the two meet); 0 when gap_tol is (no check). */
double rp_gap_target(double gap_tol, double tol);

#endif
