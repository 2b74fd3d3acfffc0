/* cd_certificate.c: the duality gap of coordinate descent (see
 * cd_certificate.h). */
#include "cd.h"

#include "penalty.h"

#include <math.h>
#include <stdlib.h>

int rp_cd_certificate_alloc(rp_cd_trial *trial, rp_cd_dual *dual, const rp_problem *pb,
                            size_t len) {
  size_t p = pb->p;
  *trial = (rp_cd_trial){0};
  *dual = (rp_cd_dual){0};
  trial->beta = malloc(p * sizeof *trial->beta);
  trial->vec = malloc(len * sizeof *trial->vec);
  trial->grad = malloc(p * sizeof *trial->grad);
  dual->grad = malloc(p * sizeof *dual->grad);
  return trial->beta && trial->vec && trial->grad && dual->grad;
}

void rp_cd_certificate_free(rp_cd_trial *trial, rp_cd_dual *dual) {
  free(trial->beta);
  free(trial->vec);
  free(trial->grad);
  free(dual->grad);
}

/* D(theta) = <theta, y~> - n/2 |theta|^2 - Omega*(X~'theta) at theta = s r/n,
 * from ry = <r, y~>/n, rr = <r, r>/n and g = X~'r/n, the best over the s of
 * rp_dual_scalings: the dual objective of any residual-like vector r. */
static double dual_objective(const rp_problem *pb, double ry, double rr, const double *g,
                             double lam1, double lam2) {
  double s[2], best = -INFINITY;
  for (size_t c = 0, m = rp_dual_scalings(pb, g, lam1, lam2, s); c < m; c++)
    best = fmax(best,
                s[c] * ry - 0.5 * s[c] * s[c] * rr - rp_penalty_conjugate(pb, g, s[c], lam1, lam2));
  return best;
}

/* Whether the trial point is as feasible as the residual on the
 * unpenalized columns, where the dual needs <x~_j, theta> = 0: the
 * certificate tolerates the residual's KKT-small gradient there, and no
 * more from a trial point. */
int rp_cd_unpenalized_as_feasible(const rp_cd *cd) {
  const rp_problem *pb = cd->pb;
  double plain = 0.0, extra = 0.0;
  for (size_t j = 0; j < pb->p; j++)
    if (!pb->constant[j] && pb->pf[j] == 0.0) {
      plain = fmax(plain, fabs(cd->grad[j]));
      extra = fmax(extra, fabs(cd->trial.grad[j]));
    }
  return extra <= fmax(plain, 1e-12 * sqrt(pb->yy));
}

/* Keep d, the dual objective of a feasible point at (lam1, lam2), when it is
 * the best known there: any such point bounds the optimum from below. */
static void remember_dual(rp_cd *cd, double d, double lam1, double lam2) {
  if (!isfinite(d)) return;
  if (!cd->dual.valid || cd->dual.lam1 != lam1 || cd->dual.lam2 != lam2 || d > cd->dual.best) {
    cd->dual.best = d;
    cd->dual.lam1 = lam1;
    cd->dual.lam2 = lam2;
    cd->dual.valid = 1;
  }
}

/* The trial point's dual objective from its gradient over every column,
 * where the bound off the strong set was too loose: one more pass. */
static void exact_trial_dual(rp_cd *cd, double lam1, double lam2) {
  cd->upd->trial_gradient_everywhere(cd);
  if (!rp_cd_unpenalized_as_feasible(cd)) return;
  remember_dual(cd, dual_objective(cd->pb, cd->trial.ry, cd->trial.rr, cd->trial.grad, lam1, lam2),
                lam1, lam2);
}

/* At the current b~: ry = <r, y~>/n = yy - <b~, X~'y~/n> and
 * rr = <r, r>/n = ry - <b~, g> (r = y~ - X~b~; g current where b~ != 0). */
void rp_cd_current_moments(const rp_cd *cd, double *ry, double *rr) {
  const rp_problem *pb = cd->pb;
  double bc = 0.0, bg = 0.0;
  for (size_t j = 0; j < pb->p; j++) {
    bc += cd->beta[j] * pb->xty[j];
    bg += cd->beta[j] * cd->grad[j];
  }
  *ry = pb->yy - bc;
  *rr = *ry - bg;
}

/* cert_grad = g on the strong set; off it 0, or with `bound_off` the bound
 * |g_t,j| <= |g_j| + sqrt(xv_j |r_t - r|^2/n) on the trial point's
 * gradient (Cauchy-Schwarz on <x~_j, r_t - r>/n), g = the current full
 * gradient. */
static void fill_cert_grad(rp_cd *cd, const double *g, int bound_off) {
  const rp_problem *pb = cd->pb;
  for (size_t j = 0; j < pb->p; j++)
    cd->dual.grad[j] = cd->sweep.strong[j] ? g[j]
                       : bound_off         ? fabs(cd->grad[j]) + sqrt(pb->xv[j] * cd->trial.dist2)
                                           : 0.0;
}

/* P(b~) at the current b~, with current_moments' ry and rr. */
static double primal_objective(const rp_cd *cd, double lam1, double lam2, double *ry, double *rr) {
  rp_cd_current_moments(cd, ry, rr);
  return 0.5 * *rr + rp_penalty_value(cd->pb, cd->beta, lam1, lam2);
}

/* Whether the duality gap of the problem restricted to the strong set is
 * within `limit`, against the rescaled residual and then, near the
 * tolerance, the support's least-squares point, else the extrapolated one.
 * Its dual keeps only the strong columns' constraints, so its scaling s is
 * never smaller than the full problem's and its gap is (for s below the
 * unconstrained maximizer <r, y~>/<r, r>, the usual case) no larger: a
 * failure here spares the pass over all p columns that the KKT check and
 * the full gap would cost.  A filter only, never the certificate. */
int rp_cd_strong_set_gap_within(rp_cd *cd, double lam1, double lam2, double limit) {
  const rp_problem *pb = cd->pb;
  double ry, rr;
  cd->trial.ready = 0;
  rp_cd_refresh_strong_gradient(cd);
  double primal = primal_objective(cd, lam1, lam2, &ry, &rr);
  fill_cert_grad(cd, cd->grad, 0);
  double dual = dual_objective(pb, ry, rr, cd->dual.grad, lam1, lam2);
  if (primal - dual <= limit) return 1;
  int near = primal - dual <= RP_SUPPORT_POINT_RANGE * limit;
  int have = near && rp_cd_support_point(cd, lam1, lam2);
  if (!(have || rp_cd_extrapolate_on_strong_set(cd))) return 0;
  fill_cert_grad(cd, cd->trial.grad, 0);
  dual = fmax(dual, dual_objective(pb, cd->trial.ry, cd->trial.rr, cd->dual.grad, lam1, lam2));
  if (primal - dual <= limit) return 1;
  return have && rp_cd_support_move(cd, lam1, lam2) ? -1 : 0;
}

/* Whether the full gap is within `limit`, once every gradient is current and
 * none off the strong set violates KKT.  The rescaled residual's dual point
 * is then the restricted problem's (no column off the strong set lowers s);
 * the trial point's gradients off the strong set are bounded as in
 * fill_cert_grad, which can only lower s (and raise Omega*): the point stays
 * feasible and its dual objective a true lower bound, without a pass over
 * X~.  Only when the bound is too loose are they computed (exact_trial_dual). */
int rp_cd_full_gap_within(rp_cd *cd, double lam1, double lam2, double limit) {
  const rp_problem *pb = cd->pb;
  double rss_n, gap;
  if (cd->trial.ready && !rp_problem_limited(pb)) { /* with limits the bounds' signs matter */
    fill_cert_grad(cd, cd->trial.grad, 1);
    remember_dual(cd, dual_objective(pb, cd->trial.ry, cd->trial.rr, cd->dual.grad, lam1, lam2),
                  lam1, lam2);
  }
  rp_cd_gap(cd, lam1, lam2, &rss_n, &gap);
  if (gap <= limit || !cd->trial.ready) return gap <= limit;
  exact_trial_dual(cd, lam1, lam2);
  rp_cd_gap(cd, lam1, lam2, &rss_n, &gap);
  return gap <= limit;
}

/* The gap at the current b~ against the better of the rescaled residual and
 * the best extrapolated point found at (lam1, lam2): any dual feasible point
 * bounds the optimum from below, whichever iterate it came from. */
void rp_cd_gap(const rp_cd *cd, double lam1, double lam2, double *rss_n, double *gap) {
  double ry, rr;
  double primal = primal_objective(cd, lam1, lam2, &ry, &rr);
  double dual = dual_objective(cd->pb, ry, rr, cd->grad, lam1, lam2);
  if (cd->dual.valid && cd->dual.lam1 == lam1 && cd->dual.lam2 == lam2)
    dual = fmax(dual, cd->dual.best);
  *rss_n = rr;
  *gap = fmax(primal - dual, 0.0);
}
