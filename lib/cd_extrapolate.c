/* cd_extrapolate.c: Anderson and dual extrapolation of coordinate
 * descent's iterates (see cd_extrapolate.h). */
#include "cd.h"

#include "anderson.h"
#include "penalty.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int rp_cd_ring_alloc(rp_cd_ring *ring, const rp_problem *pb, size_t len) {
  size_t K = RP_CD_EXTRAPOLATION;
  *ring = (rp_cd_ring){0};
  ring->beta = malloc((K + 1) * pb->p * sizeof *ring->beta);
  ring->vec = malloc((K + 1) * len * sizeof *ring->vec);
  ring->small = malloc(K * (K + 2) * sizeof *ring->small);
  ring->small_perm = malloc(K * sizeof *ring->small_perm);
  return ring->beta && ring->vec && ring->small && ring->small_perm;
}

void rp_cd_ring_free(rp_cd_ring *ring) {
  free(ring->beta);
  free(ring->vec);
  free(ring->small);
  free(ring->small_perm);
}

/* Keep the active-set sweep just made: b~ on the active set, and the
 * residual (naive) or every gradient (covariance; the ones off the strong
 * set may be stale, and stay flagged so).  A change of the active set starts
 * the ring again: the extrapolation models iterates on a fixed support. */
void rp_cd_remember_iterate(rp_cd *cd) {
  const rp_problem *pb = cd->pb;
  size_t slot = cd->ring.next, len = cd->upd->state_length(pb);
  if (cd->sweep.n_active != cd->ring.active) {
    cd->ring.count = 0;
    cd->ring.active = cd->sweep.n_active;
  }
  double *b = cd->ring.beta + slot * pb->p;
  for (size_t a = 0; a < cd->sweep.n_active; a++) b[a] = cd->beta[cd->sweep.active[a]];
  memcpy(cd->ring.vec + slot * len, cd->upd->state(cd), len * sizeof(double));
  cd->ring.next = (slot + 1) % (RP_CD_EXTRAPOLATION + 1);
  if (cd->ring.count <= RP_CD_EXTRAPOLATION) cd->ring.count++;
}

int rp_cd_ring_full(const rp_cd *cd) { return cd->ring.count > RP_CD_EXTRAPOLATION; }

/* Slot in the ring of iterate t (0 = oldest) of the last k + 1 held. */
static size_t ring_slot(const rp_cd *cd, size_t t, size_t k) {
  enum { K = RP_CD_EXTRAPOLATION };
  return (cd->ring.next + (K + 1) - (k + 1) + t) % (K + 1);
}

/* The weights of the extrapolation from the last k + 1 iterates x_0..x_k
 * (oldest first, k <= K): with the residual differences U_k = r_{k+1} - r_k,
 * rp_anderson_weights' c, the combination sum_k c_k r_{k+1} of smallest
 * residual change, U'U from the updates' ring_product.  Returns 0 when the
 * ring holds fewer than k + 1 iterates or the weights are not finite. */
static int extrapolation_weights(rp_cd *cd, size_t K, double *c) {
  const rp_problem *pb = cd->pb;
  size_t len = cd->upd->state_length(pb), m = cd->sweep.n_active;
  if (K == 0 || cd->ring.count <= K || m == 0 || m != cd->ring.active)
    return 0; /* a column entered since */
  const double *b[RP_CD_EXTRAPOLATION + 1], *v[RP_CD_EXTRAPOLATION + 1];
  for (size_t t = 0; t <= K; t++) {
    size_t slot = ring_slot(cd, t, K);
    b[t] = cd->ring.beta + slot * pb->p;
    v[t] = cd->ring.vec + slot * len;
  }
  double *M = cd->ring.small;
  for (size_t k = 0; k < K; k++)
    for (size_t l = 0; l <= k; l++)
      M[k * K + l] = M[l * K + k] = cd->upd->ring_product(cd, b, v, k, l);
  return rp_anderson_weights(M, K, M + K * K, cd->ring.small_perm, c);
}

/* The extrapolated point sum_k c_k x_{k+1} of the last K + 1 iterates
 * (extrapolation_weights' c): b~ into trial.beta (0 off the
 * active set), the residual (naive) or gradient (covariance) into
 * trial.vec, both exact since they are affine in b~ and the c_k sum to 1.
 * Returns <r, r>/n and sets *ry = <r, y~>/n. */
static double combine(rp_cd *cd, const double *c, size_t K, double *ry) {
  const rp_problem *pb = cd->pb;
  size_t p = pb->p, len = cd->upd->state_length(pb), m = cd->sweep.n_active;
  const double *b[RP_CD_EXTRAPOLATION], *v[RP_CD_EXTRAPOLATION];
  for (size_t k = 0; k < K; k++) {
    size_t slot = ring_slot(cd, k + 1, K);
    b[k] = cd->ring.beta + slot * p;
    v[k] = cd->ring.vec + slot * len;
  }
  double *tb = cd->trial.beta, *tv = cd->trial.vec;
  memset(tb, 0, p * sizeof *tb);
  for (size_t a = 0; a < m; a++) {
    double s = 0.0;
    for (size_t k = 0; k < K; k++) s += c[k] * b[k][a];
    tb[cd->sweep.active[a]] = s;
  }
  for (size_t i = 0; i < len; i++) {
    double s = 0.0;
    for (size_t k = 0; k < K; k++) s += c[k] * v[k][i];
    tv[i] = s;
  }
  return cd->upd->trial_moments(cd, tv, ry);
}

/* Anderson acceleration of coordinate descent (Bertrand & Massias 2021):
 * move to the extrapolated iterate when it lowers the primal objective by
 * more than RP_ACCEL_MIN_GAIN yy; the iterates then start again from it. */
int rp_cd_accelerate(rp_cd *cd, double lam1, double lam2) {
  const rp_problem *pb = cd->pb;
  double c[RP_CD_EXTRAPOLATION], ry;
  if (!extrapolation_weights(cd, RP_CD_EXTRAPOLATION, c)) return 0;
  double rr = combine(cd, c, RP_CD_EXTRAPOLATION, &ry);
  for (size_t a = 0; a < cd->sweep.n_active; a++)
    if (!rp_within_limits(pb, cd->sweep.active[a], &cd->trial.beta[cd->sweep.active[a]])) return 0;
  double p_trial = 0.5 * rr + rp_penalty_value(pb, cd->trial.beta, lam1, lam2);
  double p_now = 0.5 * cd->upd->current_rss(cd) + rp_penalty_value(pb, cd->beta, lam1, lam2);
  if (!(p_trial < p_now - RP_ACCEL_MIN_GAIN * pb->yy)) return 0;
  for (size_t a = 0; a < cd->sweep.n_active; a++) {
    size_t j = cd->sweep.active[a];
    cd->beta[j] = cd->trial.beta[j];
  }
  size_t len = cd->upd->state_length(pb);
  memcpy(cd->upd->state(cd), cd->trial.vec, len * sizeof(double));
  if (!cd->upd->keeps_gradients) cd->grad_current = 0;
  rp_cd_ring_restart(&cd->ring);
  return 1;
}

/* The differences a dual extrapolation combines: all the ring holds, when
 * that is at least two (K at most).  An Anderson step restarts the ring, so a check
 * that came soon after one would otherwise have no extrapolated point;
 * any combination with weights summing to 1 is a residual of some b~, so
 * fewer iterates still give a valid dual point, if a less precise one. */
static size_t dual_extrapolation_order(const rp_cd *cd) {
  return cd->ring.count >= 3 ? cd->ring.count - 1 : 0;
}

int rp_cd_extrapolate_on_strong_set(rp_cd *cd) {
  double c[RP_CD_EXTRAPOLATION];
  size_t k = dual_extrapolation_order(cd);
  cd->trial.ready = 0;
  if (!extrapolation_weights(cd, k, c)) return 0;
  cd->trial.rr = combine(cd, c, k, &cd->trial.ry);
  cd->upd->trial_gradient_on_strong_set(cd);
  if (!rp_cd_unpenalized_as_feasible(cd)) return 0;
  cd->trial.dist2 = cd->upd->trial_distance2(cd);
  cd->trial.ready = 1;
  return 1;
}
