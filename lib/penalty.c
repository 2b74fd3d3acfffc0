/* penalty.c: the elastic-net penalty's value and conjugate (see penalty.h). */
#include "penalty.h"

#include "tuning.h"

#include <math.h>

double rp_penalty_alpha_max(const rp_problem *pb, const double *grad) {
  double amax = 0.0;
  for (size_t j = 0; j < pb->p; j++)
    if (!pb->constant[j] && pb->pf[j] > 0.0) amax = fmax(amax, fabs(grad[j]) / pb->pf[j]);
  return amax / fmax(pb->l1_ratio, RP_L1_RATIO_FLOOR);
}

double rp_penalty_value(const rp_problem *pb, const double *beta, double lam1, double lam2) {
  double penalty = 0.0;
  for (size_t j = 0; j < pb->p; j++) penalty += rp_penalty_term(pb, j, beta[j], lam1, lam2);
  return penalty;
}

/* B of rp_penalty_conjugate: the size of column j's limit on u's side. */
static double side_limit(const rp_problem *pb, size_t j, double u) {
  return fabs(rp_limit_toward(pb, j, u));
}

/* s = min(1, min_j lam1 pf_j / |g_j|) over the penalized columns, those
 * with a limit on g_j's side left out unless `all` (no scaling with an L2
 * term). */
static double scaling(const rp_problem *pb, const double *grad, double lam1, double lam2, int all) {
  double s = 1.0;
  if (lam2 > 0.0) return s;
  for (size_t j = 0; j < pb->p; j++) {
    double limit = lam1 * pb->pf[j], g = fabs(grad[j]);
    int bounded = !all && rp_limited_side(pb, j, grad[j]);
    if (!pb->constant[j] && pb->pf[j] > 0.0 && g > limit && !bounded) s = fmin(s, limit / g);
  }
  return s;
}

size_t rp_dual_scalings(const rp_problem *pb, const double *grad, double lam1, double lam2,
                        double s[2]) {
  s[0] = scaling(pb, grad, lam1, lam2, 0);
  if (!pb->lower || lam2 > 0.0) return 1;
  s[1] = scaling(pb, grad, lam1, lam2, 1);
  return 2;
}

double rp_penalty_conjugate(const rp_problem *pb, const double *grad, double s, double lam1,
                            double lam2) {
  double conj = 0.0;
  for (size_t j = 0; j < pb->p; j++) {
    double u = s * grad[j], excess = fabs(u) - lam1 * pb->pf[j], curv = lam2 * pb->pf[j];
    if (pb->constant[j] || !(excess > 0.0)) continue; /* unpenalized: e = |u|, e B below */
    double bound = side_limit(pb, j, u);
    if (curv > 0.0 && excess <= curv * bound) /* b* = excess / curv, inside the limit */
      conj += excess * excess / (2.0 * curv);
    else if (isfinite(bound)) /* b* = bound */
      conj += excess * bound - 0.5 * curv * bound * bound;
  }
  return conj;
}

double rp_gap_target(double gap_tol, double tol) {
  return gap_tol > 0.0 ? fmin(gap_tol, RP_GAP_PER_TOL * tol) : 0.0;
}
