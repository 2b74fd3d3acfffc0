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

double rp_dual_scaling(const rp_problem *pb, const double *grad, double lam1, double lam2) {
  double s = 1.0;
  if (lam2 > 0.0) return s;
  for (size_t j = 0; j < pb->p; j++) {
    double limit = lam1 * pb->pf[j], g = fabs(grad[j]);
    if (!pb->constant[j] && pb->pf[j] > 0.0 && g > limit) s = fmin(s, limit / g);
  }
  return s;
}

double rp_penalty_conjugate(const rp_problem *pb, const double *grad, double s, double lam1,
                            double lam2) {
  double conj = 0.0;
  for (size_t j = 0; j < pb->p; j++) {
    double excess = fmax(fabs(s * grad[j]) - lam1 * pb->pf[j], 0.0);
    if (!pb->constant[j] && lam2 * pb->pf[j] > 0.0)
      conj += excess * excess / (2.0 * lam2 * pb->pf[j]);
  }
  return conj;
}

double rp_gap_target(double gap_tol, double tol) {
  return gap_tol > 0.0 ? fmin(gap_tol, RP_GAP_PER_TOL * tol) : 0.0;
}
