/* cd_descent.c: the support step as a primal move, and rounds of them on
 * stalled sweeps (see cd_support.h). */
#include "cd.h"

#include "penalty.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* Largest s in (0, 1] keeping b~_S + s d within sigma's closed orthant
 * and the limits: the first sign change or limit along d, where the column
 * leaving is *hit (m when none), to land on *land (0 or the limit). */
static double orthant_step(const rp_cd *cd, size_t m, size_t *hit, double *land) {
  const rp_problem *pb = cd->pb;
  const double *d = cd->sup.step;
  double s = 1.0;
  *hit = m;
  for (size_t k = 0; k < m; k++) {
    size_t j = cd->sup.list[k];
    double b = cd->beta[j];
    if (pb->pf[j] > 0.0 && rp_cd_support_sign(cd, j) * (b + d[k]) <= 0.0 && -b / d[k] < s) {
      s = -b / d[k];
      *hit = k, *land = 0.0;
    }
    if (rp_stops_at_limit(pb, j, b, d[k], &s, land)) *hit = k;
  }
  return s;
}

/* The step projected on sigma's closed orthant and the limits, delta_k =
 * d_k, or -b~_k where b~_k + d_k changes sign, or up to the limit that
 * b~_k + d_k passes, into cert_grad (scratch here); returns
 * the change of P it makes,
 *   -g_S'delta + delta'G_SS delta/2 + sum pf (lam1 (|b'| - |b|) + lam2 (b'^2 - b^2)/2),
 * or 0 when no sign changes (the step is then d itself).  A delta, A =
 * G_SS + lam2 diag(pf), goes to support_Ad for the move (projected_product). */
static double projected_change(rp_cd *cd, double lam1, double lam2) {
  const rp_problem *pb = cd->pb;
  size_t m = cd->sup.factor.m;
  const double *d = cd->sup.step;
  double *delta = cd->dual.grad, *Ad = cd->sup.Ad, change = 0.0;
  size_t flipped = 0;
  for (size_t k = 0; k < m; k++) {
    size_t j = cd->sup.list[k];
    double b = cd->beta[j];
    int flips = pb->pf[j] > 0.0 && rp_cd_support_sign(cd, j) * (b + d[k]) < 0.0;
    double to = flips ? 0.0 : rp_clip_to_limits(pb, j, b + d[k]);
    delta[k] = to - b;
    flipped += (size_t)(flips || to != b + d[k]);
    double nb = b + delta[k];
    change += pb->pf[j] * (lam1 * (fabs(nb) - fabs(b)) + 0.5 * lam2 * (nb * nb - b * b)) -
              cd->grad[j] * delta[k];
  }
  if (flipped == 0) return 0.0;
  cd->upd->projected_product(cd, delta, flipped, Ad); /* naive: L L' delta, no pivot floored */
  for (size_t k = 0; k < m; k++)
    change += 0.5 * delta[k] * (Ad[k] - lam2 * pb->pf[cd->sup.list[k]] * delta[k]);
  return change;
}

/* b~_S += delta (cert_grad) and the gradients with it; the ring starts
 * again.  Inside a support descent only g_S follows, by
 * G_SS delta = A delta - lam2 pf delta with A delta in support_Ad (see
 * support_move: at most m^2 flops on the contiguous factor, where the
 * Gram update costs m p on scattered columns, and the residual's m n),
 * and the rest waits for finish_descent.  Outside one, the residual
 * (naive: r -= X~_S delta, from the support's columns) or the gradients
 * (covariance) follow at once. */
static void move_support(rp_cd *cd) {
  const rp_problem *pb = cd->pb;
  size_t m = cd->sup.factor.m;
  double *delta = cd->dual.grad;
  const double *Ad = cd->sup.Ad;
  for (size_t k = 0; k < m; k++) {
    size_t j = cd->sup.list[k];
    double to = rp_snap_to_limits(pb, j, cd->beta[j] + delta[k]); /* a limit exactly */
    delta[k] = to - cd->beta[j];
    cd->beta[j] = to; /* exactly 0 where delta_k = -b~_j */
    if (cd->beta[j] != 0.0 && !cd->sweep.entered[j]) rp_sweep_enter(&cd->sweep, j); /* joining */
  }
  rp_cd_ring_restart(&cd->ring);
  if (cd->sup.in_descent) {
    for (size_t k = 0; k < m; k++)
      cd->grad[cd->sup.list[k]] -= Ad[k] - cd->sup.lam2 * pb->pf[cd->sup.list[k]] * delta[k];
    return;
  }
  int all = rp_cd_moves_update_all(cd);
  cd->upd->support_shift(cd, delta, all);
  rp_cd_mark_gradients(cd, all);
}

/* The support step as a primal move.  On sigma's orthant P is the quadratic
 *   q(b~ + s d) = q(b~) - s t'd + s^2/2 d'(G_SS + lam2 pf) d
 * (t the right-hand side of support_solve), and t'd = d'(A + E)d >= d'A d
 * for the factored A + E (E >= 0 diagonal, rp_cholesky_factor), so every s
 * in (0, 1] lowers it by at least s (1 - s/2) t'd: s = 1 is the exact
 * minimizer on S when the signs hold,
 * and the gap falls to rounding at once.  Where some signs change, the
 * step projected back on the orthant (those columns to 0) is taken when
 * it lowers P (projected_change), else the step stops at the first sign
 * change (that column leaves S at 0), as an active-set (homotopy) method
 * would.  Near interpolation G_SS is ill-conditioned and coordinate
 * descent needs hundreds of sweeps per alpha for what this step does with
 * one factorization (k^3/3 flops, by BLAS 3) and one pass over k Gram
 * columns.  A step along d needs no product for g_S: A (s d) = s t, since
 * A d = t (to the solve's backward error, the same order as the product's
 * rounding; finish_descent makes g exact again).  Returns whether it moved
 * (by more than RP_ACCEL_MIN_GAIN yy):
 * RP_MOVED_PART for a projected or stopped step, RP_MOVED_ALL for d itself. */

int rp_cd_support_move(rp_cd *cd, double lam1, double lam2) {
  const rp_problem *pb = cd->pb;
  size_t m = cd->sup.factor.m, hit;
  cd->sup.blocker = SIZE_MAX;
  if (m == 0) return RP_MOVED_NOT;
  const double *d = cd->sup.step;
  double td = 0.0, min_gain = RP_ACCEL_MIN_GAIN * pb->yy;
  for (size_t k = 0; k < m; k++) td += d[k] * cd->sup.rhs[k];
  double change = projected_change(cd, lam1, lam2);
  if (change < -min_gain) {
    move_support(cd);
    return RP_MOVED_PART;
  }
  double land = 0.0, s = orthant_step(cd, m, &hit, &land);
  if (s == 0.0 && hit < m) cd->sup.blocker = cd->sup.list[hit];
  int drops = hit < m && s > 0.0; /* a column reaches 0: S changes even if P barely does */
  if (!(s * td * (1.0 - 0.5 * s) > min_gain) && !drops) return RP_MOVED_NOT;
  for (size_t k = 0; k < m; k++) { /* A (s d) = s t: no product */
    cd->dual.grad[k] = k == hit ? land - cd->beta[cd->sup.list[k]] : s * d[k];
    cd->sup.Ad[k] = s * cd->sup.rhs[k];
  }
  move_support(cd);
  return hit == m ? RP_MOVED_ALL : RP_MOVED_PART;
}

/* The barred columns are free to join again; one still listed (the
 * descent ended before the factor dropped it) is in the factor. */
static void release_barred(rp_cd *cd) {
  char *state = cd->sup.in_factor;
  for (size_t k = 0; k < cd->sup.factor.m; k++)
    if (state[cd->sup.list[k]] == RP_FACTOR_BARRED) state[cd->sup.list[k]] = RP_FACTOR_IN;
  for (size_t j = 0; j < cd->pb->p; j++)
    if (cd->sup.in_factor[j] == RP_FACTOR_BARRED) cd->sup.in_factor[j] = RP_FACTOR_OUT;
}

/* Every joining column (at 0) whose step points against its sign blocks
 * the step at s = 0 (orthant_step names the first): all are barred at
 * once, which spares a solve for each after the first (mid 2000 x 2000,
 * one fold: 1,645 solves -> 1,335, the same sweeps and gaps). */
static void bar_blockers(rp_cd *cd) {
  const double *d = cd->sup.step;
  for (size_t k = 0; k < cd->sup.factor.m; k++) {
    size_t j = cd->sup.list[k];
    if (cd->beta[j] == 0.0 && cd->pb->pf[j] > 0.0 && rp_cd_support_sign(cd, j) * d[k] < 0.0)
      cd->sup.in_factor[j] = RP_FACTOR_BARRED;
  }
}

static void start_descent(rp_cd *cd) {
  memcpy(cd->sup.descent_beta, cd->beta, cd->pb->p * sizeof *cd->beta);
  memcpy(cd->sup.descent_grad, cd->grad, cd->pb->p * sizeof *cd->grad);
  cd->sup.in_descent = 1;
}

/* The residual or the gradients for the descent's net change of b~, from
 * the columns (naive, and then the strong set's gradients, which the next
 * round's joiners are read from) or from the Gram columns (g_S inside the
 * descent came from the factor, and the rest waited). */
static void finish_descent(rp_cd *cd) {
  size_t p = cd->pb->p;
  int all = rp_cd_moves_update_all(cd);
  cd->sup.in_descent = 0;
  memcpy(cd->grad, cd->sup.descent_grad, p * sizeof *cd->grad);
  for (size_t j = 0; j < p; j++) {
    double change = cd->beta[j] - cd->sup.descent_beta[j];
    if (change != 0.0) cd->upd->propagate(cd, j, change, all);
  }
  rp_cd_mark_gradients(cd, all);
  rp_cd_refresh_strong_gradient(cd);
}

/* One round of support steps (RP_SUPPORT_STEPS_IN_A_ROW at most, see
 * tuning.h); returns how the last step moved (RP_MOVED_*). */
static int descent_round(rp_cd *cd, double lam1, double lam2) {
  int moved = RP_MOVED_NOT;
  size_t m;
  start_descent(cd);
  for (int t = 0; t < RP_SUPPORT_STEPS_IN_A_ROW && moved != RP_MOVED_ALL; t++) {
    if (!rp_cd_support_solve(cd, lam1, lam2, &m)) break;
    int now = rp_cd_support_move(cd, lam1, lam2);
    if (now == RP_MOVED_NOT && cd->sup.blocker == SIZE_MAX) break;
    if (now == RP_MOVED_NOT) { /* joining columns blocked the step at s = 0: solve without them */
      bar_blockers(cd);
      continue;
    }
    moved = now;
  }
  release_barred(cd);
  finish_descent(cd);
  return moved;
}

/* Rounds of support steps (RP_DESCENT_ROUNDS at most, see tuning.h).
 * Returns whether any step moved. */
int rp_cd_support_descent(rp_cd *cd, double lam1, double lam2) {
  int any = 0;
  if (cd->sup.cap == 0) return 0;
  rp_cd_refresh_strong_gradient(cd);
  for (int r = 0; r < RP_DESCENT_ROUNDS; r++) {
    int moved = descent_round(cd, lam1, lam2);
    any |= moved != RP_MOVED_NOT;
    if (moved != RP_MOVED_ALL || rp_cd_for_each_newcomer(cd, lam1, NULL) == 0) break;
  }
  return any;
}
