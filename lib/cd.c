/* cd.c: the coordinate-descent point solver's loop, with screening and
 * KKT (see cd.h). */
#include "cd.h"

#include "penalty.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Whether the strong set is a quarter of the columns or more
 * (RP_STRONG_SET_LARGE): then the contiguous update of every gradient is
 * faster than the scattered one of the strong set's. */
static int strong_set_is_large(const rp_cd *cd) {
  return RP_STRONG_SET_LARGE * cd->sweep.n_strong > cd->pb->p;
}

int rp_cd_moves_update_all(const rp_cd *cd) { return cd->grad_current || strong_set_is_large(cd); }

void rp_cd_mark_gradients(rp_cd *cd, int all) {
  if (!cd->upd->keeps_gradients || !all) cd->grad_current = 0;
}

/* The gradient of every column, for the KKT check and the certificate:
 * naive updates keep r, so g_j = <x~_j, r>/n; covariance updates keep g only
 * on the strong set, so g = X~'y~/n - G b~ over the nonzero b~. */
void rp_cd_refresh_gradient(rp_cd *cd) {
  if (cd->grad_current) return;
  cd->upd->gradient_everywhere(cd);
  cd->grad_current = 1;
}

/* The gradients of the strong set at the current residual: <x~_j, r>/n
 * (naive updates; the covariance updates keep them). */
void rp_cd_refresh_strong_gradient(rp_cd *cd) {
  if (cd->grad_current) return;
  cd->upd->gradient_on_strong_set(cd);
}

/* The sweep's callbacks (sweep.h).  One coordinate's change b_j += d goes
 * into the residual or the gradients; while the strong set is small only
 * its gradients are kept (the rest is recomputed when needed). */
static double sweep_gradient(void *solver, size_t j) {
  const rp_cd *cd = solver;
  return cd->upd->gradient(cd, j);
}

static double sweep_curvature(void *solver, size_t j) {
  const rp_cd *cd = solver;
  return cd->pb->xv[j];
}

static void sweep_move(void *solver, size_t j, double d) {
  rp_cd *cd = solver;
  int all = strong_set_is_large(cd);
  cd->upd->propagate(cd, j, d, all);
  rp_cd_mark_gradients(cd, all);
}

/* KKT violators join the strong set, emptying the extrapolation ring (see
 * screen). */
static int add_kkt_violators(rp_cd *cd, double lam1) {
  if (!rp_sweep_add_kkt_violators(&cd->sweep, cd->grad, lam1)) return 0;
  rp_cd_ring_restart(&cd->ring);
  return 1;
}

rp_status rp_cd_alloc(const rp_problem *pb, double tol, double gap_tol, long max_iter, rp_cd **out,
                      rp_error *err) {
  *out = NULL;
  size_t n = pb->n, p = pb->p;
  rp_cd *cd = calloc(1, sizeof *cd);
  if (!cd) return rp_error_set(err, RP_ENOMEM, "out of memory");
  cd->pb = pb;
  cd->upd = pb->gram ? &rp_cd_covariance_updates : &rp_cd_naive_updates;
  size_t len = cd->upd->state_length(pb); /* a residual or a gradient */
  cd->beta = calloc(p, sizeof *cd->beta);
  cd->grad = malloc(p * sizeof *cd->grad);
  int sets = rp_sweep_alloc(&cd->sweep, pb, cd->beta, cd);
  cd->sweep.gradient = sweep_gradient;
  cd->sweep.curvature = sweep_curvature;
  cd->sweep.move = sweep_move;
  int ring = rp_cd_ring_alloc(&cd->ring, pb, len);
  int cert = rp_cd_certificate_alloc(&cd->trial, &cd->dual, pb, len);
  int resid = pb->gram || (cd->resid = malloc(n * sizeof *cd->resid));
  if (!cd->beta || !cd->grad || !sets || !ring || !cert || !resid) {
    rp_cd_free(cd);
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  }
  if (cd->resid) memcpy(cd->resid, pb->y, n * sizeof *pb->y); /* r = y~ at b = 0 */
  memcpy(cd->grad, pb->xty, p * sizeof *pb->xty);             /* g = X~'y~/n     */
  cd->grad_current = 1;
  rp_cd_support_alloc(cd);
  cd->thr = tol * pb->yy;
  cd->gap_tol = gap_tol;
  cd->max_iter = max_iter;
  *out = cd;
  return RP_OK;
}

static int stalling(double dlx, double prev, double thr) {
  if (dlx >= prev) return 1;
  return log(thr / dlx) / log(dlx / prev) > RP_STALL_SWEEPS;
}

/* Sweep the strong set, then the active set until it settles, until a full
 * sweep converges (glmnet's loop).  With `check_kkt`, columns outside the
 * strong set that violate |g_j| <= lam1 pf_j join it and the loop goes on;
 * then, when a gap tolerance is set, the duality gap must be within it too.
 * glmnet's rule bounds the squared step, which near interpolation leaves the
 * iterates far from the optimum on correlated columns, where coordinate
 * descent converges slowly: there the active sweeps are accelerated
 * (Anderson), the gap is measured against the extrapolated dual point or,
 * once the support has settled, the support's least-squares point too,
 * and the sweep threshold is tightened until the gap holds.  With naive
 * updates the gap is first checked on the strong set, and the pass over
 * every column (X~'r, for KKT and the full gap) made only when that holds
 * (wide 500 x 10000: 101 passes instead of 204, same sweeps).  With
 * covariance updates that pass costs about one active sweep, and KKT comes
 * first as in glmnet, so that no sweeps polish a strong set that misses a
 * column (mid 200 x 200: 5,244 sweeps instead of 5,512).  When the active
 * sweeps stall (stalling) or the certificate fails near the tolerance, the
 * support step moves the coefficients (support_move; a move is followed by
 * more sweeps, so that glmnet's rule is met at the point certified; with
 * naive updates too since they follow the factor: wide 500 x 10000,
 * 1,031 sweeps on the full path instead of 2,188). */
static long sweep_to_convergence(rp_cd *cd, double lam1, double lam2, int check_kkt,
                                 int *converged) {
  long sweeps = 0, next_support_step = 0;
  double thr = cd->thr, limit = cd->gap_tol * 0.5 * cd->pb->yy;
  int certify = check_kkt && cd->gap_tol > 0.0;
  *converged = 0;
  cd->dual.valid = 0;
  while (sweeps < cd->max_iter) {
    sweeps++;
    if (rp_sweep_strong(&cd->sweep, lam1, lam2) < thr) {
      int kkt_first = cd->upd->kkt_first; /* see above */
      int within = certify && !kkt_first ? rp_cd_strong_set_gap_within(cd, lam1, lam2, limit) : 1;
      if (within <= 0) {
        if (within == 0) thr *= RP_THRESHOLD_TIGHTENING;
        continue;
      }
      rp_cd_refresh_gradient(cd);
      if (check_kkt && add_kkt_violators(cd, lam1)) continue;
      within = certify && kkt_first ? rp_cd_strong_set_gap_within(cd, lam1, lam2, limit) : 1;
      if (within <= 0) {
        if (within == 0) thr *= RP_THRESHOLD_TIGHTENING;
        continue;
      }
      if (!certify || rp_cd_full_gap_within(cd, lam1, lam2, limit)) {
        *converged = 1;
        break;
      }
      thr *= RP_THRESHOLD_TIGHTENING;
      continue;
    }
    rp_cd_ring_restart(&cd->ring); /* the full sweep visited the columns in another order */
    double prev = 0.0;
    while (sweeps < cd->max_iter) {
      sweeps++;
      double dlx = rp_sweep_active(&cd->sweep, lam1, lam2);
      rp_cd_remember_iterate(cd);
      if (dlx < thr) break;
      int stalled = prev > 0.0 && stalling(dlx, prev, thr);
      prev = dlx;
      if (certify && stalled && sweeps >= next_support_step) {
        next_support_step = sweeps + RP_SUPPORT_STEP_EVERY;
        if (rp_cd_support_descent(cd, lam1, lam2)) continue;
      }
      if (certify && rp_cd_ring_full(cd)) rp_cd_accelerate(cd, lam1, lam2);
    }
  }
  rp_cd_refresh_gradient(cd);
  return sweeps;
}

void rp_cd_fit_unpenalized(rp_cd *cd) {
  int converged;
  if (!rp_sweep_add_unpenalized(&cd->sweep)) return;
  rp_cd_ring_restart(&cd->ring); /* the new strong columns' gradients were not kept there */
  sweep_to_convergence(cd, 0.0, 0.0, 0, &converged);
}

double rp_cd_alpha_max(const rp_cd *cd) { return rp_penalty_alpha_max(cd->pb, cd->grad); }

/* Sequential strong rule (sweep.h); columns joining the strong set empty
 * the extrapolation ring: their gradients in the iterates held there were
 * not kept up to date. */
static void screen(rp_cd *cd, double alpha, double alpha_prev) {
  if (rp_sweep_screen(&cd->sweep, cd->grad, alpha, alpha_prev)) rp_cd_ring_restart(&cd->ring);
}

long rp_cd_solve(rp_cd *cd, double alpha, double alpha_prev, int *converged) {
  screen(cd, alpha, alpha_prev);
  return sweep_to_convergence(cd, rp_problem_lam1(cd->pb, alpha), rp_problem_lam2(cd->pb, alpha), 1,
                              converged);
}

void rp_cd_certificate(const rp_cd *cd, double alpha, double *rss_n, double *gap) {
  rp_cd_gap(cd, rp_problem_lam1(cd->pb, alpha), rp_problem_lam2(cd->pb, alpha), rss_n, gap);
}

void rp_cd_free(rp_cd *cd) {
  if (!cd) return;
  free(cd->beta);
  free(cd->grad);
  free(cd->resid);
  rp_sweep_free(&cd->sweep);
  rp_cd_ring_free(&cd->ring);
  rp_cd_certificate_free(&cd->trial, &cd->dual);
  rp_cd_support_free(&cd->sup);
  free(cd);
}
