/* cd.c: the coordinate-descent point solver (see cd.h). */
#include "cd.h"

#include "cholesky.h"
#include "penalty.h"
#include "sums.h"

#include <gsl/gsl_cblas.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_permutation.h>
#include <math.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

static int usable(const rp_cd *cd, size_t j) { return !cd->pb->constant[j]; }

/* Buffers of the support's least-squares point, for supports of up to
 * min(n, p) columns with covariance updates (its Gram matrix is then at
 * most the size of the whole one, and near interpolation, where the
 * support reaches n, is where the support step pays); with naive updates
 * up to min(n, p, RP_CD_SUPPORT_MAX, p/8) (the gathered columns stay
 * within an eighth of the design).  Optional:
 * without the memory, that dual point is not used. */
static void alloc_support_solver(rp_cd *cd) {
  const rp_problem *pb = cd->pb;
  size_t cap = pb->n < pb->p ? pb->n : pb->p;
  if (!cd->covariance && cap > RP_CD_SUPPORT_MAX) cap = RP_CD_SUPPORT_MAX;
  if (!cd->covariance && cap > pb->p / 8) cap = pb->p / 8;
  if (cap == 0) return;
  cd->support = malloc(cap * sizeof *cd->support);
  cd->support_cols = cd->covariance ? NULL : malloc(pb->n * cap * sizeof *cd->support_cols);
  cd->factor.L = malloc(cap * cap * sizeof *cd->factor.L);
  cd->factor.ld = cap;
  cd->in_factor = calloc(pb->p, 1);
  cd->support_rhs = malloc(cap * sizeof *cd->support_rhs);
  cd->support_step = malloc(cap * sizeof *cd->support_step);
  cd->support_work = malloc(cap * sizeof *cd->support_work);
  cd->support_Ad = malloc(cap * sizeof *cd->support_Ad);
  cd->descent_beta = malloc(pb->p * sizeof *cd->descent_beta);
  cd->descent_grad = malloc(pb->p * sizeof *cd->descent_grad);
  if (cd->support && (cd->covariance || cd->support_cols) && cd->factor.L && cd->in_factor &&
      cd->support_rhs && cd->support_step && cd->support_work && cd->support_Ad &&
      cd->descent_beta && cd->descent_grad)
    cd->support_cap = cap;
}

rp_status rp_cd_alloc(const rp_problem *pb, double tol, double gap_tol, long max_iter, rp_cd **out,
                      rp_error *err) {
  *out = NULL;
  size_t n = pb->n, p = pb->p;
  rp_cd *cd = calloc(1, sizeof *cd);
  if (!cd) return rp_error_set(err, RP_ENOMEM, "out of memory");
  cd->pb = pb;
  cd->covariance = pb->gram != NULL;
  cd->beta = calloc(p, sizeof *cd->beta);
  cd->grad = malloc(p * sizeof *cd->grad);
  cd->strong = calloc(p, 1);
  cd->strong_list = malloc(p * sizeof *cd->strong_list);
  cd->entered = calloc(p, 1);
  cd->active = malloc(p * sizeof *cd->active);
  size_t K = RP_CD_EXTRAPOLATION, len = cd->covariance ? p : n; /* a residual or gradient */
  cd->ring_beta = malloc((K + 1) * p * sizeof *cd->ring_beta);
  cd->ring_vec = malloc((K + 1) * len * sizeof *cd->ring_vec);
  cd->trial_beta = malloc(p * sizeof *cd->trial_beta);
  cd->trial_vec = malloc(len * sizeof *cd->trial_vec);
  cd->trial_grad = malloc(p * sizeof *cd->trial_grad);
  cd->cert_grad = malloc(p * sizeof *cd->cert_grad);
  cd->small = malloc(K * (K + 2) * sizeof *cd->small);
  cd->small_perm = malloc(K * sizeof *cd->small_perm);
  rp_status st = RP_OK;
  if (!cd->covariance && !(cd->resid = malloc(n * sizeof *cd->resid)))
    st = rp_error_set(err, RP_ENOMEM, "out of memory");
  if (st == RP_OK && (!cd->beta || !cd->grad || !cd->strong || !cd->strong_list || !cd->entered ||
                      !cd->active || !cd->ring_beta || !cd->ring_vec || !cd->trial_beta ||
                      !cd->trial_vec || !cd->trial_grad || !cd->cert_grad || !cd->small ||
                      !cd->small_perm))
    st = rp_error_set(err, RP_ENOMEM, "out of memory");
  if (st != RP_OK) {
    rp_cd_free(cd);
    return st;
  }
  if (cd->resid) memcpy(cd->resid, pb->y, n * sizeof *pb->y); /* r = y~ at b = 0 */
  memcpy(cd->grad, pb->xty, p * sizeof *pb->xty);             /* g = X~'y~/n     */
  cd->grad_current = 1;
  alloc_support_solver(cd);
  cd->thr = tol * pb->yy;
  cd->gap_tol = gap_tol;
  cd->max_iter = max_iter;
  *out = cd;
  return RP_OK;
}

/* The gradient of every column, for the KKT check and the certificate:
 * naive updates keep r, so g_j = <x~_j, r>/n; covariance updates keep g only
 * on the strong set, so g = X~'y~/n - G b~ over the nonzero b~. */
static void refresh_gradient(rp_cd *cd) {
  if (cd->grad_current) return;
  const rp_problem *pb = cd->pb;
  size_t p = pb->p;
  if (cd->covariance) {
    memcpy(cd->grad, pb->xty, p * sizeof *cd->grad);
    for (size_t a = 0; a < cd->n_active; a++) {
      size_t j = cd->active[a];
      const double *G = pb->gram + j * p;
      double b = cd->beta[j];
      if (b != 0.0)
        for (size_t k = 0; k < p; k++) cd->grad[k] -= b * G[k];
    }
  } else {
    rp_design_dots(pb->X, cd->resid, cd->grad); /* constant columns are 0 in the design */
    for (size_t j = 0; j < p; j++) cd->grad[j] /= (double)pb->n;
  }
  cd->grad_current = 1;
}

/* A column joining the strong set empties the extrapolation ring: its
 * gradient in the iterates held there was not kept up to date. */
static void make_strong(rp_cd *cd, size_t j) {
  cd->ring_count = 0;
  cd->strong[j] = 1;
  cd->strong_list[cd->n_strong++] = j;
}

static double gradient(const rp_cd *cd, size_t j) {
  if (cd->covariance) return cd->grad[j];
  return rp_design_dot(cd->pb->X, j, cd->resid) / (double)cd->pb->n;
}

static void enter(rp_cd *cd, size_t j) {
  cd->entered[j] = 1;
  cd->active[cd->n_active++] = j;
}

/* Whether the strong set is a quarter of the columns or more: then the
 * contiguous update of every gradient is faster than the scattered one of
 * the strong set's. */
static int strong_set_is_large(const rp_cd *cd) { return 4 * cd->n_strong > cd->pb->p; }

/* g -= d G_{.j} for b~_j += d: on every column (`all`, moves_update_all),
 * else on the strong set. */
static void gram_update(rp_cd *cd, size_t j, double d, int all) {
  const rp_problem *pb = cd->pb;
  const double *G = pb->gram + j * pb->p;
  if (all)
    cblas_daxpy((int)pb->p, -d, G, 1, cd->grad, 1);
  else
    for (size_t s = 0; s < cd->n_strong; s++)
      cd->grad[cd->strong_list[s]] -= d * G[cd->strong_list[s]];
}

/* Propagate b_j += d into the residual (naive) or the gradient
 * (covariance): r -= d x~_j, or g -= d G_{.j} (gram_update, on every
 * column with `all`). */
static void propagate(rp_cd *cd, size_t j, double d, int all) {
  if (cd->covariance)
    gram_update(cd, j, d, all);
  else
    rp_design_axpy(cd->pb->X, j, -d, cd->resid);
}

/* After changes propagated with `all`: only the covariance route's updates
 * of every column keep every gradient current. */
static void mark_gradients(rp_cd *cd, int all) {
  if (!cd->covariance || !all) cd->grad_current = 0;
}

/* One coordinate's change b_j += d.  While the strong set is small only
 * its gradients are kept (the rest is recomputed when needed). */
static void apply_change(rp_cd *cd, size_t j, double d) {
  int all = strong_set_is_large(cd);
  propagate(cd, j, d, all);
  mark_gradients(cd, all);
}

/* One coordinate step; returns xv_j (change)^2, the convergence measure. */
static double coordinate(rp_cd *cd, size_t j, double lam1, double lam2) {
  const rp_problem *pb = cd->pb;
  double old = cd->beta[j], xv = pb->xv[j], pf = pb->pf[j];
  double u = gradient(cd, j) + xv * old;
  double b = rp_coordinate_minimizer(u, xv, pf, lam1, lam2);
  if (b == old) return 0.0;
  cd->beta[j] = b;
  if (!cd->entered[j]) enter(cd, j);
  apply_change(cd, j, b - old);
  return xv * (b - old) * (b - old);
}

static double full_sweep(rp_cd *cd, double lam1, double lam2) {
  double dlx = 0.0;
  for (size_t j = 0; j < cd->pb->p; j++)
    if (cd->strong[j]) dlx = fmax(dlx, coordinate(cd, j, lam1, lam2));
  return dlx;
}

static double active_sweep(rp_cd *cd, double lam1, double lam2) {
  double dlx = 0.0;
  for (size_t a = 0; a < cd->n_active; a++)
    dlx = fmax(dlx, coordinate(cd, cd->active[a], lam1, lam2));
  return dlx;
}

static int add_kkt_violators(rp_cd *cd, double lam1) {
  int added = 0;
  for (size_t j = 0; j < cd->pb->p; j++)
    if (usable(cd, j) && !cd->strong[j] && rp_kkt_violated(cd->pb, j, cd->grad[j], lam1)) {
      make_strong(cd, j);
      added = 1;
    }
  return added;
}

/* D(theta) = <theta, y~> - n/2 |theta|^2 - Omega*(X~'theta) at theta = s r/n,
 * from ry = <r, y~>/n, rr = <r, r>/n and g = X~'r/n, with s from
 * rp_dual_scaling: the dual objective of any residual-like vector r. */
static double dual_objective(const rp_problem *pb, double ry, double rr, const double *g, double lam1,
                             double lam2) {
  double s = rp_dual_scaling(pb, g, lam1, lam2);
  return s * ry - 0.5 * s * s * rr - rp_penalty_conjugate(pb, g, s, lam1, lam2);
}

/* Keep the active-set sweep just made: b~ on the active set, and the
 * residual (naive) or every gradient (covariance; the ones off the strong
 * set may be stale, and stay flagged so).  A change of the active set starts
 * the ring again: the extrapolation models iterates on a fixed support. */
static void remember_iterate(rp_cd *cd) {
  const rp_problem *pb = cd->pb;
  size_t slot = cd->ring_next, len = cd->covariance ? pb->p : pb->n;
  if (cd->n_active != cd->ring_active) {
    cd->ring_count = 0;
    cd->ring_active = cd->n_active;
  }
  double *b = cd->ring_beta + slot * pb->p;
  for (size_t a = 0; a < cd->n_active; a++) b[a] = cd->beta[cd->active[a]];
  memcpy(cd->ring_vec + slot * len, cd->covariance ? cd->grad : cd->resid, len * sizeof(double));
  cd->ring_next = (slot + 1) % (RP_CD_EXTRAPOLATION + 1);
  if (cd->ring_count <= RP_CD_EXTRAPOLATION) cd->ring_count++;
}

/* Slot in the ring of iterate t (0 = oldest) of the last k + 1 held. */
static size_t ring_slot(const rp_cd *cd, size_t t, size_t k) {
  enum { K = RP_CD_EXTRAPOLATION };
  return (cd->ring_next + (K + 1) - (k + 1) + t) % (K + 1);
}

/* The weights of the extrapolation from the last k + 1 iterates x_0..x_k
 * (oldest first, k <= K): with the residual differences U_k = r_{k+1} - r_k,
 * c = (U'U)^{-1} 1 / (1'(U'U)^{-1} 1), the combination sum_k c_k r_{k+1}
 * (c summing to 1) of smallest residual change (Massias, Gramfort & Salmon
 * 2018, eq. 9; Anderson acceleration).  Covariance updates have no
 * residual, but r is affine in b~: (U'U)_kl/n = d_k' G d_l =
 * -d_k'(g_{l+1} - g_l), d_k = b_{k+1} - b_k, read off the gradients on the
 * active set.  U'U is scaled to a unit largest diagonal and factored by GSL's
 * modified Cholesky, which perturbs a (near-)singular matrix instead of
 * failing, so no GSL error can be raised.  Returns 0 when the ring holds
 * fewer than k + 1 iterates or the weights are not finite. */
static int extrapolation_weights(rp_cd *cd, size_t K, double *c) {
  const rp_problem *pb = cd->pb;
  size_t len = cd->covariance ? pb->p : pb->n, m = cd->n_active;
  if (K == 0 || cd->ring_count <= K || m == 0 || m != cd->ring_active)
    return 0; /* a column entered since */
  const double *b[RP_CD_EXTRAPOLATION + 1], *v[RP_CD_EXTRAPOLATION + 1];
  for (size_t t = 0; t <= K; t++) {
    size_t slot = ring_slot(cd, t, K);
    b[t] = cd->ring_beta + slot * pb->p;
    v[t] = cd->ring_vec + slot * len;
  }
  double *M = cd->small, *rhs = M + K * K, dmax = 0.0;
  for (size_t k = 0; k < K; k++)
    for (size_t l = 0; l <= k; l++) {
      double s = 0.0;
      if (cd->covariance) /* both orders, averaged: G d is only known through g */
        for (size_t a = 0; a < m; a++) {
          size_t j = cd->active[a];
          s -= 0.5 * ((b[k + 1][a] - b[k][a]) * (v[l + 1][j] - v[l][j]) +
                      (b[l + 1][a] - b[l][a]) * (v[k + 1][j] - v[k][j]));
        }
      else
        for (size_t i = 0; i < len; i++) s += (v[k + 1][i] - v[k][i]) * (v[l + 1][i] - v[l][i]);
      M[k * K + l] = M[l * K + k] = s;
    }
  for (size_t k = 0; k < K; k++) dmax = fmax(dmax, M[k * K + k]);
  if (!(dmax > 0.0) || !isfinite(dmax)) return 0;
  for (size_t k = 0; k < K * K; k++) {
    M[k] /= dmax;
    if (!isfinite(M[k])) return 0;
  }
  for (size_t k = 0; k < K; k++) rhs[k] = 1.0;
  gsl_matrix_view mv = gsl_matrix_view_array(M, K, K);
  gsl_vector_view bv = gsl_vector_view_array(rhs, K), xv = gsl_vector_view_array(c, K);
  gsl_permutation perm = {K, cd->small_perm};
  if (gsl_linalg_mcholesky_decomp(&mv.matrix, &perm, NULL) != GSL_SUCCESS ||
      gsl_linalg_mcholesky_solve(&mv.matrix, &perm, &bv.vector, &xv.vector) != GSL_SUCCESS)
    return 0;
  double sum = 0.0;
  for (size_t k = 0; k < K; k++) sum += c[k];
  if (!(fabs(sum) > 0.0) || !isfinite(sum)) return 0;
  for (size_t k = 0; k < K; k++) {
    c[k] /= sum;
    if (!isfinite(c[k])) return 0;
  }
  return 1;
}

/* <r, r>/n of the trial point, and *ry = <r, y~>/n: from its residual in
 * trial_vec (naive), or, with covariance updates, as in primal_objective
 * from trial_beta and its gradient g on the active set. */
static double trial_moments(const rp_cd *cd, const double *g, double *ry) {
  const rp_problem *pb = cd->pb;
  const double *tb = cd->trial_beta, *tv = cd->trial_vec;
  if (cd->covariance) {
    double bc = 0.0, bg = 0.0;
    for (size_t a = 0; a < cd->n_active; a++) {
      size_t j = cd->active[a];
      bc += tb[j] * pb->xty[j];
      bg += tb[j] * g[j];
    }
    *ry = pb->yy - bc;
    return *ry - bg;
  }
  double sy = 0.0, ss = 0.0;
  for (size_t i = 0; i < pb->n; i++) {
    sy += tv[i] * pb->y[i];
    ss += tv[i] * tv[i];
  }
  *ry = sy / (double)pb->n;
  return ss / (double)pb->n;
}

/* The extrapolated point sum_k c_k x_{k+1} of the last K + 1 iterates
 * (extrapolation_weights' c): b~ into trial_beta (0 off the
 * active set), the residual (naive) or gradient (covariance) into
 * trial_vec, both exact since they are affine in b~ and the c_k sum to 1.
 * Returns <r, r>/n and sets *ry = <r, y~>/n. */
static double combine(rp_cd *cd, const double *c, size_t K, double *ry) {
  const rp_problem *pb = cd->pb;
  size_t n = pb->n, p = pb->p, len = cd->covariance ? p : n, m = cd->n_active;
  const double *b[RP_CD_EXTRAPOLATION], *v[RP_CD_EXTRAPOLATION];
  for (size_t k = 0; k < K; k++) {
    size_t slot = ring_slot(cd, k + 1, K);
    b[k] = cd->ring_beta + slot * p;
    v[k] = cd->ring_vec + slot * len;
  }
  double *tb = cd->trial_beta, *tv = cd->trial_vec;
  memset(tb, 0, p * sizeof *tb);
  for (size_t a = 0; a < m; a++) {
    double s = 0.0;
    for (size_t k = 0; k < K; k++) s += c[k] * b[k][a];
    tb[cd->active[a]] = s;
  }
  for (size_t i = 0; i < len; i++) {
    double s = 0.0;
    for (size_t k = 0; k < K; k++) s += c[k] * v[k][i];
    tv[i] = s;
  }
  return trial_moments(cd, tv, ry);
}

/* <r, r>/n at the current b~, from the residual (naive) or, with
 * covariance updates, as <r, y~>/n - <b~, g> over the active set. */
static double current_rss(const rp_cd *cd) {
  const rp_problem *pb = cd->pb;
  double s = 0.0;
  if (!cd->covariance) {
    for (size_t i = 0; i < pb->n; i++) s += cd->resid[i] * cd->resid[i];
    return s / (double)pb->n;
  }
  for (size_t a = 0; a < cd->n_active; a++) {
    size_t j = cd->active[a];
    s += cd->beta[j] * (pb->xty[j] + cd->grad[j]);
  }
  return pb->yy - s;
}

/* A move must lower the objective by more than this fraction of yy: smaller
 * gains are within rounding, where the naive and covariance forms of the
 * objective could decide differently and the two routes would part. */
static const double ACCEL_MIN_GAIN = 1e-13;

/* Anderson acceleration of coordinate descent (Bertrand & Massias 2021):
 * move to the extrapolated iterate when it lowers the primal objective;
 * the iterates then start again from it.  Returns whether it moved. */
static int accelerate(rp_cd *cd, double lam1, double lam2) {
  const rp_problem *pb = cd->pb;
  double c[RP_CD_EXTRAPOLATION], ry;
  if (!extrapolation_weights(cd, RP_CD_EXTRAPOLATION, c)) return 0;
  double rr = combine(cd, c, RP_CD_EXTRAPOLATION, &ry);
  double p_trial = 0.5 * rr + rp_penalty_value(pb, cd->trial_beta, lam1, lam2);
  double p_now = 0.5 * current_rss(cd) + rp_penalty_value(pb, cd->beta, lam1, lam2);
  if (!(p_trial < p_now - ACCEL_MIN_GAIN * pb->yy)) return 0;
  for (size_t a = 0; a < cd->n_active; a++) {
    size_t j = cd->active[a];
    cd->beta[j] = cd->trial_beta[j];
  }
  size_t len = cd->covariance ? pb->p : pb->n;
  memcpy(cd->covariance ? cd->grad : cd->resid, cd->trial_vec, len * sizeof(double));
  if (!cd->covariance) cd->grad_current = 0;
  cd->ring_count = 0;
  return 1;
}

/* Whether the trial point is as feasible as the residual on the
 * unpenalized columns, where the dual needs <x~_j, theta> = 0: the
 * certificate tolerates the residual's KKT-small gradient there, and no
 * more from a trial point. */
static int unpenalized_as_feasible(const rp_cd *cd) {
  const rp_problem *pb = cd->pb;
  double plain = 0.0, extra = 0.0;
  for (size_t j = 0; j < pb->p; j++)
    if (usable(cd, j) && pb->pf[j] == 0.0) {
      plain = fmax(plain, fabs(cd->grad[j]));
      extra = fmax(extra, fabs(cd->trial_grad[j]));
    }
  return extra <= fmax(plain, 1e-12 * sqrt(pb->yy));
}

/* The differences a dual extrapolation combines: all the ring holds, when
 * that is at least two (K at most).  An Anderson step restarts the ring, so a check
 * that came soon after one would otherwise have no extrapolated point;
 * any combination with weights summing to 1 is a residual of some b~, so
 * fewer iterates still give a valid dual point, if a less precise one. */
static size_t dual_extrapolation_order(const rp_cd *cd) {
  return cd->ring_count >= 3 ? cd->ring_count - 1 : 0;
}

/* Keep d, the dual objective of a feasible point at (lam1, lam2), when it is
 * the best known there: any such point bounds the optimum from below. */
static void remember_dual(rp_cd *cd, double d, double lam1, double lam2) {
  if (!isfinite(d)) return;
  if (!cd->dual_valid || cd->dual_lam1 != lam1 || cd->dual_lam2 != lam2 || d > cd->dual_best) {
    cd->dual_best = d;
    cd->dual_lam1 = lam1;
    cd->dual_lam2 = lam2;
    cd->dual_valid = 1;
  }
}

/* trial_grad for every column: X~'r/n of the trial residual (naive), or
 * g - G (b~_t - b~) from the current full gradient (covariance: computed
 * as a change, it carries the same rounding as g, which the primal uses). */
static void trial_gradient_everywhere(rp_cd *cd) {
  const rp_problem *pb = cd->pb;
  double *tg = cd->trial_grad;
  if (!cd->covariance) {
    rp_design_dots(pb->X, cd->trial_vec, tg);
    for (size_t j = 0; j < pb->p; j++) tg[j] /= (double)pb->n;
    return;
  }
  memcpy(tg, cd->grad, pb->p * sizeof *tg);
  for (size_t a = 0; a < cd->n_active; a++) {
    size_t j = cd->active[a];
    double d = cd->trial_beta[j] - cd->beta[j];
    const double *G = pb->gram + j * pb->p;
    if (d != 0.0)
      for (size_t k = 0; k < pb->p; k++) tg[k] -= d * G[k];
  }
}

/* The trial point's dual objective from its gradient over every column,
 * where the bound off the strong set was too loose: one more pass. */
static void exact_trial_dual(rp_cd *cd, double lam1, double lam2) {
  trial_gradient_everywhere(cd);
  if (!unpenalized_as_feasible(cd)) return;
  remember_dual(cd, dual_objective(cd->pb, cd->trial_ry, cd->trial_rr, cd->trial_grad, lam1, lam2),
                lam1, lam2);
}

/* The gradients of the strong set at the current residual: <x~_j, r>/n
 * (naive updates; the covariance updates keep them). */
static void refresh_strong_gradient(rp_cd *cd) {
  if (cd->covariance || cd->grad_current) return;
  for (size_t s = 0; s < cd->n_strong; s++) {
    size_t j = cd->strong_list[s];
    cd->grad[j] = rp_design_dot(cd->pb->X, j, cd->resid) / (double)cd->pb->n;
  }
}

/* trial_grad on the strong set for an extrapolated point: <x~_j, r>/n of
 * its residual (naive), or its combined gradients (covariance: the same
 * affine combination of gradients the ring kept up to date on the strong
 * set, and the ones trial_moments used, so that the two agree to rounding
 * with each other and with the current gradient). */
static void trial_gradient_on_strong_set(rp_cd *cd) {
  const rp_problem *pb = cd->pb;
  for (size_t s = 0; s < cd->n_strong; s++) {
    size_t j = cd->strong_list[s];
    cd->trial_grad[j] = cd->covariance ? cd->trial_vec[j]
                                       : rp_design_dot(pb->X, j, cd->trial_vec) / (double)pb->n;
  }
}

/* |r_t - r|^2 / n between the trial and the current residual: from the
 * residuals (naive), or as (b - b_t)' G (b - b_t) = (b - b_t)'(g_t - g)
 * over the active set (covariance, since g = X~'y~/n - G b~). */
static double trial_distance2(const rp_cd *cd) {
  const rp_problem *pb = cd->pb;
  double s = 0.0;
  if (!cd->covariance) {
    for (size_t i = 0; i < pb->n; i++) {
      double d = cd->trial_vec[i] - cd->resid[i];
      s += d * d;
    }
    return s / (double)pb->n;
  }
  for (size_t a = 0; a < cd->n_active; a++) {
    size_t j = cd->active[a];
    s += (cd->beta[j] - cd->trial_beta[j]) * (cd->trial_grad[j] - cd->grad[j]);
  }
  return fmax(s, 0.0);
}

/* The extrapolated point of the last iterates into trial_*, its gradient
 * exact on the strong set only; trial_ready says whether there is one. */
static int extrapolate_on_strong_set(rp_cd *cd) {
  double c[RP_CD_EXTRAPOLATION];
  size_t k = dual_extrapolation_order(cd);
  cd->trial_ready = 0;
  if (!extrapolation_weights(cd, k, c)) return 0;
  cd->trial_rr = combine(cd, c, k, &cd->trial_ry);
  trial_gradient_on_strong_set(cd);
  if (!unpenalized_as_feasible(cd)) return 0;
  cd->trial_dist2 = trial_distance2(cd);
  cd->trial_ready = 1;
  return 1;
}

/* At the current b~: ry = <r, y~>/n = yy - <b~, X~'y~/n> and
 * rr = <r, r>/n = ry - <b~, g> (r = y~ - X~b~; g current where b~ != 0). */
static void current_moments(const rp_cd *cd, double *ry, double *rr) {
  const rp_problem *pb = cd->pb;
  double bc = 0.0, bg = 0.0;
  for (size_t j = 0; j < pb->p; j++) {
    bc += cd->beta[j] * pb->xty[j];
    bg += cd->beta[j] * cd->grad[j];
  }
  *ry = pb->yy - bc;
  *rr = *ry - bg;
}

/* A = G_SS + lam2 diag(pf_S), the support's Gram matrix and L2 term, into
 * the factor's storage (lower triangle): gathered from the Gram matrix
 * (covariance), or X~_S'X~_S/n by BLAS from the gathered columns (naive). */
static void support_system(rp_cd *cd, size_t m, double lam2) {
  const rp_problem *pb = cd->pb;
  size_t n = pb->n, ld = cd->factor.ld;
  double *A = cd->factor.L;
  if (cd->covariance) {
    for (size_t k = 0; k < m; k++)
      for (size_t l = k; l < m; l++)
        A[k * ld + l] = pb->gram[cd->support[k] * pb->p + cd->support[l]];
  } else {
    double *cols = cd->support_cols;
    memset(cols, 0, n * m * sizeof *cols);
    for (size_t k = 0; k < m; k++) rp_design_axpy(pb->X, cd->support[k], 1.0, cols + k * n);
    cblas_dsyrk(CblasColMajor, CblasLower, CblasTrans, (int)m, (int)n, 1.0 / (double)n, cols,
                (int)n, 0.0, A, (int)ld);
  }
  for (size_t k = 0; k < m; k++) A[k * ld + k] += lam2 * pb->pf[cd->support[k]];
}

/* The sign sigma_j the support step gives column j: b~_j's, or for a
 * column at 0 joining the support (joins_support) its gradient's. */
static double support_sign(const rp_cd *cd, size_t j) {
  double v = cd->beta[j] != 0.0 ? cd->beta[j] : cd->grad[j];
  return v > 0.0 ? 1.0 : -1.0;
}

/* A strong column at 0 whose gradient exceeds its threshold,
 * |g_j| > lam1 pf_j, joins the support S with the sign of g_j (with naive
 * updates the strong set's gradients are current wherever S is formed):
 * coordinate descent would move it next, and near interpolation each
 * alpha adds such columns, which the support step then places at once
 * (the projection in support_move drops the ones that do not belong). */
static int joins_support(const rp_cd *cd, size_t j, double lam1) {
  const rp_problem *pb = cd->pb;
  return cd->beta[j] == 0.0 && pb->pf[j] > 0.0 && fabs(cd->grad[j]) > lam1 * pb->pf[j];
}

/* in_factor's states: a column listed in the factor, or not; or barred,
 * held out of S until the end of the current support descent (a joining
 * column whose step pointed against its sign, support_move). */
enum { FACTOR_OUT = 0, FACTOR_IN, FACTOR_BARRED };

/* S = {j: b~_j != 0} and the strong columns joining it, less the barred. */
static int belongs(const rp_cd *cd, size_t j, double lam1) {
  if (cd->in_factor[j] == FACTOR_BARRED) return 0;
  return cd->beta[j] != 0.0 || (cd->strong[j] && joins_support(cd, j, lam1));
}

/* Column j no longer listed (a barred column stays barred). */
static void unlist(rp_cd *cd, size_t j) {
  if (cd->in_factor[j] == FACTOR_IN) cd->in_factor[j] = FACTOR_OUT;
}

static void forget_support(rp_cd *cd) {
  for (size_t k = 0; k < cd->factor.m; k++) unlist(cd, cd->support[k]);
  cd->factor.m = 0;
}

/* Whether column j, not in the factor, is one of S's newcomers: nonzero
 * (listed among the active columns), or a strong column joining. */
static int is_newcomer(const rp_cd *cd, size_t j, double lam1, int from_strong) {
  if (cd->in_factor[j] != FACTOR_OUT) return 0;
  return from_strong ? joins_support(cd, j, lam1) : cd->beta[j] != 0.0;
}

/* Calls f(cd, j) (when given) for each column of S not in the factor,
 * nonzero active columns in order of entry, then joining strong ones;
 * returns how many there are. */
static size_t for_each_newcomer(rp_cd *cd, double lam1, void (*f)(rp_cd *, size_t)) {
  size_t count = 0;
  for (size_t a = 0; a < cd->n_active + cd->n_strong; a++) {
    int from_strong = a >= cd->n_active;
    size_t j = from_strong ? cd->strong_list[a - cd->n_active] : cd->active[a];
    if (!is_newcomer(cd, j, lam1, from_strong)) continue;
    count++;
    if (f) f(cd, j);
  }
  return count;
}

/* Column j listed for a factorization from scratch (which sets factor.m
 * again). */
static void list_column(rp_cd *cd, size_t j) {
  cd->in_factor[j] = FACTOR_IN;
  cd->support[cd->factor.m++] = j;
}

/* Column j joins the factor: A's new column is G_Sj, its diagonal G_jj +
 * lam2 pf_j; with naive updates x~_j joins the support's columns and
 * G_Sj = X~_S'x~_j/n. */
static void append_column(rp_cd *cd, size_t j) {
  const rp_problem *pb = cd->pb;
  size_t m = cd->factor.m, n = pb->n;
  double *a = cd->support_rhs, G_jj;
  if (cd->covariance) {
    const double *G = pb->gram + j * pb->p;
    for (size_t k = 0; k < m; k++) a[k] = G[cd->support[k]];
    G_jj = G[j];
  } else {
    double *x = cd->support_cols + m * n;
    memset(x, 0, n * sizeof *x);
    rp_design_axpy(pb->X, j, 1.0, x);
    cblas_dgemv(CblasColMajor, CblasTrans, (int)n, (int)m, 1.0 / (double)n, cd->support_cols,
                (int)n, x, 1, 0.0, a, 1);
    G_jj = rp_sum_of_products(NULL, x, x, n) / (double)n;
  }
  cd->support[m] = j;
  cd->in_factor[j] = FACTOR_IN;
  rp_cholesky_append(&cd->factor, a, G_jj + cd->support_lam2 * pb->pf[j]);
}

/* Position k leaves the support's lists (and, naive, its columns). */
static void unlist_position(rp_cd *cd, size_t k) {
  size_t after = cd->factor.m - 1 - k, n = cd->pb->n;
  unlist(cd, cd->support[k]);
  memmove(cd->support + k, cd->support + k + 1, after * sizeof *cd->support);
  if (!cd->covariance)
    memmove(cd->support_cols + k * n, cd->support_cols + (k + 1) * n, after * n * sizeof(double));
}

/* Columns that left S leave the factor, from the last (cheapest) back. */
static void remove_leavers(rp_cd *cd, double lam1) {
  for (size_t k = cd->factor.m; k-- > 0;) {
    size_t j = cd->support[k];
    if (belongs(cd, j, lam1)) continue;
    unlist_position(cd, k);
    rp_cholesky_remove(&cd->factor, k, cd->support_rhs);
  }
}

/* An update costs O(m^2) flops in plain loops, a factorization m^3/3 by
 * BLAS 3, several times faster per flop: beyond m / UPDATES_PER_REFACTOR
 * changes, refactoring is cheaper. */
static const size_t UPDATES_PER_REFACTOR = 16;

/* G_SS + lam2 diag(pf_S) factored for the current support S, in
 * cd->support (its *m columns) and cd->factor.  The factor follows S from
 * call to call, by column updates (S changes by a few columns between
 * calls, near interpolation most of all); a new lam2 or a larger change
 * refactors it.  Returns 0 for an empty support, or one larger than
 * support_cap. */
static int factor_support(rp_cd *cd, double lam1, double lam2, size_t *m) {
  rp_cholesky *f = &cd->factor;
  if (cd->support_cap == 0) return 0;
  if (cd->support_lam2 != lam2) forget_support(cd);
  cd->support_lam2 = lam2;
  size_t leaving = 0, joining = for_each_newcomer(cd, lam1, NULL);
  for (size_t k = 0; k < f->m; k++) leaving += !belongs(cd, cd->support[k], lam1);
  size_t size = f->m - leaving + joining, changes = leaving + joining;
  if (size == 0 || size > cd->support_cap) {
    forget_support(cd);
    return 0;
  }
  *m = size;
  if (changes == 0) return 1;
  if (changes * UPDATES_PER_REFACTOR <= size) {
    remove_leavers(cd, lam1);
    for_each_newcomer(cd, lam1, append_column);
    return 1;
  }
  forget_support(cd);
  for_each_newcomer(cd, lam1, list_column);
  support_system(cd, size, lam2);
  rp_cholesky_factor(f, size);
  return 1;
}

/* With covariance updates, the support point's gradient on the strong set,
 * g_t = g - G_{.S} d, and its moments, as changes from the current ones:
 *   |X~_S d|^2/n = d'G_SS d = d'(g - g_t)_S,   <r_t, y~>/n = <r, y~>/n - d'c_S,
 *   <r_t, r_t>/n = <r, r>/n - 2 d'g_S + d'G_SS d.
 * Recomputed from X~'y~/n - G b~_t they would differ from the primal's
 * (kept incrementally) by rounding that grows with |b~|, which near
 * interpolation exceeds the gap itself. */
static void support_step_moments(rp_cd *cd, size_t m) {
  const rp_problem *pb = cd->pb;
  const double *d = cd->support_step;
  double *tg = cd->trial_grad;
  for (size_t s = 0; s < cd->n_strong; s++) tg[cd->strong_list[s]] = cd->grad[cd->strong_list[s]];
  for (size_t k = 0; k < m; k++) {
    const double *G = pb->gram + cd->support[k] * pb->p;
    for (size_t s = 0; s < cd->n_strong; s++) tg[cd->strong_list[s]] -= d[k] * G[cd->strong_list[s]];
  }
  double dgd = 0.0, dc = 0.0, dg = 0.0, ry, rr;
  for (size_t k = 0; k < m; k++) {
    size_t j = cd->support[k];
    dgd += d[k] * (cd->grad[j] - tg[j]);
    dc += d[k] * pb->xty[j];
    dg += d[k] * cd->grad[j];
  }
  current_moments(cd, &ry, &rr);
  cd->trial_dist2 = fmax(dgd, 0.0);
  cd->trial_ry = ry - dc;
  cd->trial_rr = rr - 2.0 * dg + cd->trial_dist2;
}

/* The support step: on the support S with signs sigma (support_sign), d
 * with
 *   (G_SS + lam2 diag(pf)) d = g_S - pf (lam1 sigma + lam2 b~_S)
 * into support_step, its right-hand side t in support_rhs; it makes every
 * support column's KKT equation hold exactly at b~ + d, so when S and
 * sigma are the solution's, b~ + d is the solution.  Returns whether
 * there is one: none when G_SS + lam2 diag(pf) is numerically singular
 * (more columns than rows, say), where d would be rounding magnified by
 * the floored pivots, and the moments made from it meaningless. */
static int support_solve(rp_cd *cd, double lam1, double lam2, size_t *mp) {
  const rp_problem *pb = cd->pb;
  size_t m = 0;
  if (!factor_support(cd, lam1, lam2, &m) || rp_cholesky_singular(&cd->factor)) return 0;
  double *t = cd->support_rhs, *d = cd->support_step;
  for (size_t k = 0; k < m; k++) {
    size_t j = cd->support[k];
    double b = cd->beta[j];
    t[k] = cd->grad[j] - pb->pf[j] * (lam1 * support_sign(cd, j) + lam2 * b);
  }
  memcpy(d, t, m * sizeof *d);
  rp_cholesky_solve(&cd->factor, d);
  for (size_t k = 0; k < m; k++)
    if (!isfinite(d[k])) return 0;
  *mp = m;
  return 1;
}

/* The support's least-squares point b~ + d, as a dual candidate in
 * trial_*: its residual is the optimal dual point once S and sigma are
 * the solution's.  The rescaled residual loses to the dual optimum in
 * proportion to |r - r*| (the support's excess over lam1 sets s), so its
 * gap falls only like the square root of the suboptimality; this point's
 * gap falls like the suboptimality.  The primal may then move there
 * (support_move).  Returns whether there is one. */
static int support_point(rp_cd *cd, double lam1, double lam2) {
  const rp_problem *pb = cd->pb;
  size_t m = 0, n = pb->n;
  const double *d = cd->support_step;
  if (!support_solve(cd, lam1, lam2, &m)) return 0;
  double *tb = cd->trial_beta;
  memset(tb, 0, pb->p * sizeof *tb);
  for (size_t k = 0; k < m; k++) tb[cd->support[k]] = cd->beta[cd->support[k]] + d[k];
  if (cd->covariance) {
    support_step_moments(cd, m);
  } else { /* r - X~_S d */
    memcpy(cd->trial_vec, cd->resid, n * sizeof *cd->resid);
    cblas_dgemv(CblasColMajor, CblasNoTrans, (int)n, (int)m, -1.0, cd->support_cols, (int)n, d, 1,
                1.0, cd->trial_vec, 1);
    trial_gradient_on_strong_set(cd);
    cd->trial_rr = trial_moments(cd, cd->trial_grad, &cd->trial_ry);
    cd->trial_dist2 = trial_distance2(cd);
  }
  if (!(cd->trial_rr >= 0.0) || !unpenalized_as_feasible(cd)) return 0;
  cd->trial_ready = 1;
  return 1;
}

/* Largest s in (0, 1] keeping b~_S + s d within sigma's closed orthant:
 * the first sign change along d, where the column leaving is *hit (m when
 * none). */
static double orthant_step(const rp_cd *cd, size_t m, size_t *hit) {
  const double *d = cd->support_step;
  double s = 1.0;
  *hit = m;
  for (size_t k = 0; k < m; k++) {
    double b = cd->beta[cd->support[k]];
    if (cd->pb->pf[cd->support[k]] > 0.0 && support_sign(cd, cd->support[k]) * (b + d[k]) <= 0.0 &&
        -b / d[k] < s) {
      s = -b / d[k];
      *hit = k;
    }
  }
  return s;
}

/* A delta for delta = d + e, with e nonzero on the `flips` columns the
 * projection set to 0 only: t + sum_k e_k A_{.k}, since A d = t (see
 * support_move), with A's columns read from the Gram matrix (covariance:
 * m scattered reads of one column per flip, where L L' delta costs m^2
 * flops on the contiguous factor: up to m/4 flips), else L L' delta from
 * the factor (no pivot is floored when there is a step, support_solve). */
static void projected_product(rp_cd *cd, const double *delta, size_t flips, double *Ad) {
  const rp_problem *pb = cd->pb;
  size_t m = cd->factor.m;
  const double *d = cd->support_step;
  if (!cd->covariance || 4 * flips > m) {
    rp_cholesky_product(&cd->factor, delta, Ad, cd->support_work);
    return;
  }
  memcpy(Ad, cd->support_rhs, m * sizeof *Ad);
  for (size_t k = 0; k < m; k++) {
    double e = delta[k] - d[k];
    if (e == 0.0) continue;
    size_t j = cd->support[k];
    const double *G = pb->gram + j * pb->p;
    for (size_t l = 0; l < m; l++) Ad[l] += e * G[cd->support[l]];
    Ad[k] += e * cd->support_lam2 * pb->pf[j];
  }
}

/* The step projected on sigma's closed orthant, delta_k = d_k, or -b~_k
 * where b~_k + d_k changes sign, into cert_grad (scratch here); returns
 * the change of P it makes,
 *   -g_S'delta + delta'G_SS delta/2 + sum pf (lam1 (|b'| - |b|) + lam2 (b'^2 - b^2)/2),
 * or 0 when no sign changes (the step is then d itself).  A delta, A =
 * G_SS + lam2 diag(pf), goes to support_Ad for the move (projected_product). */
static double projected_change(rp_cd *cd, double lam1, double lam2) {
  const rp_problem *pb = cd->pb;
  size_t m = cd->factor.m;
  const double *d = cd->support_step;
  double *delta = cd->cert_grad, *Ad = cd->support_Ad, change = 0.0;
  size_t flipped = 0;
  for (size_t k = 0; k < m; k++) {
    size_t j = cd->support[k];
    double b = cd->beta[j];
    int flips = pb->pf[j] > 0.0 && support_sign(cd, j) * (b + d[k]) < 0.0;
    delta[k] = flips ? -b : d[k];
    flipped += (size_t)flips;
    double nb = b + delta[k];
    change += pb->pf[j] * (lam1 * (fabs(nb) - fabs(b)) + 0.5 * lam2 * (nb * nb - b * b)) -
              cd->grad[j] * delta[k];
  }
  if (flipped == 0) return 0.0;
  projected_product(cd, delta, flipped, Ad);
  for (size_t k = 0; k < m; k++)
    change += 0.5 * delta[k] * (Ad[k] - lam2 * pb->pf[cd->support[k]] * delta[k]);
  return change;
}

/* Whether a move of b~_S updates the gradient of every column: when they
 * are current, or the strong set is large. */
static int moves_update_all(const rp_cd *cd) {
  return cd->grad_current || strong_set_is_large(cd);
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
  size_t m = cd->factor.m, n = pb->n;
  const double *delta = cd->cert_grad, *Ad = cd->support_Ad;
  for (size_t k = 0; k < m; k++) {
    size_t j = cd->support[k];
    cd->beta[j] += delta[k]; /* exactly 0 where delta_k = -b~_j */
    if (cd->beta[j] != 0.0 && !cd->entered[j]) enter(cd, j); /* a joining column */
  }
  cd->ring_count = 0;
  if (cd->in_descent) {
    for (size_t k = 0; k < m; k++)
      cd->grad[cd->support[k]] -= Ad[k] - cd->support_lam2 * pb->pf[cd->support[k]] * delta[k];
    return;
  }
  int all = moves_update_all(cd);
  if (cd->covariance)
    for (size_t k = 0; k < m; k++) gram_update(cd, cd->support[k], delta[k], all);
  else /* one pass over the support's columns */
    cblas_dgemv(CblasColMajor, CblasNoTrans, (int)n, (int)m, -1.0, cd->support_cols, (int)n, delta,
                1, 1.0, cd->resid, 1);
  mark_gradients(cd, all);
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
 * (by more than ACCEL_MIN_GAIN yy):
 * MOVED_PART for a projected or stopped step, MOVED_ALL for d itself. */
enum { MOVED_NOT = 0, MOVED_PART, MOVED_ALL };

static int support_move(rp_cd *cd, double lam1, double lam2) {
  const rp_problem *pb = cd->pb;
  size_t m = cd->factor.m, hit;
  cd->blocker = SIZE_MAX;
  if (m == 0) return MOVED_NOT;
  const double *d = cd->support_step;
  double td = 0.0, min_gain = ACCEL_MIN_GAIN * pb->yy;
  for (size_t k = 0; k < m; k++) td += d[k] * cd->support_rhs[k];
  double change = projected_change(cd, lam1, lam2);
  if (change < -min_gain) {
    move_support(cd);
    return MOVED_PART;
  }
  double s = orthant_step(cd, m, &hit);
  if (s == 0.0 && hit < m) cd->blocker = cd->support[hit];
  int drops = hit < m && s > 0.0; /* a column reaches 0: S changes even if P barely does */
  if (!(s * td * (1.0 - 0.5 * s) > min_gain) && !drops) return MOVED_NOT;
  for (size_t k = 0; k < m; k++) { /* A (s d) = s t: no product */
    cd->cert_grad[k] = k == hit ? -cd->beta[cd->support[k]] : s * d[k];
    cd->support_Ad[k] = s * cd->support_rhs[k];
  }
  move_support(cd);
  return hit == m ? MOVED_ALL : MOVED_PART;
}

/* Active sweeps at least between two support steps taken in the sweeps:
 * each may need a factorization. */
static const long SUPPORT_STEP_EVERY = 10;

/* Sweeps stall when, at the rate the last two active sweeps' moves
 * dlx_prev -> dlx shrank, glmnet's rule dlx < thr is more than this many
 * sweeps away: log(thr/dlx) / log(dlx/dlx_prev) > STALL_SWEEPS.  Below it
 * coordinate descent finishes by itself.  With the factor updated rather
 * than refactored, a support descent costs a few sweeps: on mid 2000 x
 * 2000 a threshold of 20 took 5,621 sweeps where 50 took 5,817 for one
 * fold (early stop off), 3,699 where 50 took 3,904 for the full path
 * (measured before support_descent barred blocking columns). */
static const double STALL_SWEEPS = 20.0;

static int stalling(double dlx, double prev, double thr) {
  if (dlx >= prev) return 1;
  return log(thr / dlx) / log(dlx / prev) > STALL_SWEEPS;
}

/* A round of support steps (descent_round) goes on while each stops at a
 * sign change (a column leaves S: the factor follows by an O(m^2)
 * update): the inner loop of an active-set method, which near
 * interpolation settles S in far fewer passes over the Gram columns than
 * the sweeps between single steps did.  At most SUPPORT_STEPS_IN_A_ROW
 * steps; joining columns that block a step at s = 0 are barred for the
 * rest of the round.  Returns how the last step moved (MOVED_*). */
enum { SUPPORT_STEPS_IN_A_ROW = 64 };

/* The barred columns are free to join again; one still listed (the
 * descent ended before the factor dropped it) is in the factor. */
static void release_barred(rp_cd *cd) {
  for (size_t k = 0; k < cd->factor.m; k++)
    if (cd->in_factor[cd->support[k]] == FACTOR_BARRED) cd->in_factor[cd->support[k]] = FACTOR_IN;
  for (size_t j = 0; j < cd->pb->p; j++)
    if (cd->in_factor[j] == FACTOR_BARRED) cd->in_factor[j] = FACTOR_OUT;
}

/* Every joining column (at 0) whose step points against its sign blocks
 * the step at s = 0 (orthant_step names the first): all are barred at
 * once, which spares a solve for each after the first (mid 2000 x 2000,
 * one fold: 1,645 solves -> 1,335, the same sweeps and gaps). */
static void bar_blockers(rp_cd *cd) {
  const double *d = cd->support_step;
  for (size_t k = 0; k < cd->factor.m; k++) {
    size_t j = cd->support[k];
    if (cd->beta[j] == 0.0 && cd->pb->pf[j] > 0.0 && support_sign(cd, j) * d[k] < 0.0)
      cd->in_factor[j] = FACTOR_BARRED;
  }
}

static void start_descent(rp_cd *cd) {
  memcpy(cd->descent_beta, cd->beta, cd->pb->p * sizeof *cd->beta);
  memcpy(cd->descent_grad, cd->grad, cd->pb->p * sizeof *cd->grad);
  cd->in_descent = 1;
}

/* The residual or the gradients for the descent's net change of b~, from
 * the columns (naive, and then the strong set's gradients, which the next
 * round's joiners are read from) or from the Gram columns (g_S inside the
 * descent came from the factor, and the rest waited). */
static void finish_descent(rp_cd *cd) {
  size_t p = cd->pb->p;
  int all = moves_update_all(cd);
  cd->in_descent = 0;
  memcpy(cd->grad, cd->descent_grad, p * sizeof *cd->grad);
  for (size_t j = 0; j < p; j++) {
    double change = cd->beta[j] - cd->descent_beta[j];
    if (change != 0.0) propagate(cd, j, change, all);
  }
  mark_gradients(cd, all);
  refresh_strong_gradient(cd);
}

static int descent_round(rp_cd *cd, double lam1, double lam2) {
  int moved = MOVED_NOT;
  size_t m;
  start_descent(cd);
  for (int t = 0; t < SUPPORT_STEPS_IN_A_ROW && moved != MOVED_ALL; t++) {
    if (!support_solve(cd, lam1, lam2, &m)) break;
    int now = support_move(cd, lam1, lam2);
    if (now == MOVED_NOT && cd->blocker == SIZE_MAX) break;
    if (now == MOVED_NOT) { /* joining columns blocked the step at s = 0: solve without them */
      bar_blockers(cd);
      continue;
    }
    moved = now;
  }
  release_barred(cd);
  finish_descent(cd);
  return moved;
}

/* Rounds of support steps: a round whose last step held every sign is
 * followed by another while, with the gradients now current, strong
 * columns at 0 violate their KKT condition (inside a round they were not
 * followed), at most DESCENT_ROUNDS.  Returns whether any step moved. */
enum { DESCENT_ROUNDS = 4 };

static int support_descent(rp_cd *cd, double lam1, double lam2) {
  int any = 0;
  if (cd->support_cap == 0) return 0;
  refresh_strong_gradient(cd);
  for (int r = 0; r < DESCENT_ROUNDS; r++) {
    int moved = descent_round(cd, lam1, lam2);
    any |= moved != MOVED_NOT;
    if (moved != MOVED_ALL || for_each_newcomer(cd, lam1, NULL) == 0) break;
  }
  return any;
}

/* cert_grad = g on the strong set; off it 0, or with `bound_off` the bound
 * |g_t,j| <= |g_j| + sqrt(xv_j |r_t - r|^2/n) on the trial point's
 * gradient (Cauchy-Schwarz on <x~_j, r_t - r>/n), g = the current full
 * gradient. */
static void fill_cert_grad(rp_cd *cd, const double *g, int bound_off) {
  const rp_problem *pb = cd->pb;
  for (size_t j = 0; j < pb->p; j++)
    cd->cert_grad[j] = cd->strong[j] ? g[j]
                       : bound_off  ? fabs(cd->grad[j]) + sqrt(pb->xv[j] * cd->trial_dist2)
                                    : 0.0;
}

/* P(b~) at the current b~, with current_moments' ry and rr. */
static double primal_objective(const rp_cd *cd, double lam1, double lam2, double *ry, double *rr) {
  current_moments(cd, ry, rr);
  return 0.5 * *rr + rp_penalty_value(cd->pb, cd->beta, lam1, lam2);
}

/* The support's least-squares point is tried once the rescaled residual's
 * gap is within this factor of the tolerance: before that the support is
 * still changing, and a point on the wrong support is worse than the
 * residual while its factorization costs several active sweeps (wide
 * 500 x 10000, with GSL's unblocked factorization then: 1e9 factors 143
 * times for 1,876 sweeps, 100 factors 81 times for 2,188 sweeps and takes
 * a fifth less time, 10 lets the sweeps grow to 2,996). */
static const double SUPPORT_POINT_RANGE = 100.0;

/* Whether the duality gap of the problem restricted to the strong set is
 * within `limit`, against the rescaled residual and then, near the
 * tolerance, the support's least-squares point, else the extrapolated one.
 * Its dual keeps only the strong columns' constraints, so its scaling s is
 * never smaller than the full problem's and its gap is (for s below the
 * unconstrained maximizer <r, y~>/<r, r>, the usual case) no larger: a
 * failure here spares the pass over all p columns that the KKT check and
 * the full gap would cost.  A filter only, never the certificate. */
static int strong_set_gap_within(rp_cd *cd, double lam1, double lam2, double limit) {
  const rp_problem *pb = cd->pb;
  double ry, rr;
  cd->trial_ready = 0;
  refresh_strong_gradient(cd);
  double primal = primal_objective(cd, lam1, lam2, &ry, &rr);
  fill_cert_grad(cd, cd->grad, 0);
  double dual = dual_objective(pb, ry, rr, cd->cert_grad, lam1, lam2);
  if (primal - dual <= limit) return 1;
  int near = primal - dual <= SUPPORT_POINT_RANGE * limit;
  int have = near && support_point(cd, lam1, lam2);
  if (!(have || extrapolate_on_strong_set(cd))) return 0;
  fill_cert_grad(cd, cd->trial_grad, 0);
  dual = fmax(dual, dual_objective(pb, cd->trial_ry, cd->trial_rr, cd->cert_grad, lam1, lam2));
  if (primal - dual <= limit) return 1;
  return have && support_move(cd, lam1, lam2) ? -1 : 0;
}

static void certificate(const rp_cd *cd, double lam1, double lam2, double *rss_n, double *gap);

/* Whether the full gap is within `limit`, once every gradient is current and
 * none off the strong set violates KKT.  The rescaled residual's dual point
 * is then the restricted problem's (no column off the strong set lowers s);
 * the trial point's gradients off the strong set are bounded as in
 * fill_cert_grad, which can only lower s (and raise Omega*): the point stays
 * feasible and its dual objective a true lower bound, without a pass over
 * X~.  Only when the bound is too loose are they computed (exact_trial_dual). */
static int full_gap_within(rp_cd *cd, double lam1, double lam2, double limit) {
  const rp_problem *pb = cd->pb;
  double rss_n, gap;
  if (cd->trial_ready) {
    fill_cert_grad(cd, cd->trial_grad, 1);
    remember_dual(cd, dual_objective(pb, cd->trial_ry, cd->trial_rr, cd->cert_grad, lam1, lam2),
                  lam1, lam2);
  }
  certificate(cd, lam1, lam2, &rss_n, &gap);
  if (gap <= limit || !cd->trial_ready) return gap <= limit;
  exact_trial_dual(cd, lam1, lam2);
  certificate(cd, lam1, lam2, &rss_n, &gap);
  return gap <= limit;
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
  cd->dual_valid = 0;
  while (sweeps < cd->max_iter) {
    sweeps++;
    if (full_sweep(cd, lam1, lam2) < thr) {
      int kkt_first = cd->covariance; /* see above */
      int within = certify && !kkt_first ? strong_set_gap_within(cd, lam1, lam2, limit) : 1;
      if (within <= 0) {
        if (within == 0) thr *= 0.01;
        continue;
      }
      refresh_gradient(cd);
      if (check_kkt && add_kkt_violators(cd, lam1)) continue;
      within = certify && kkt_first ? strong_set_gap_within(cd, lam1, lam2, limit) : 1;
      if (within <= 0) {
        if (within == 0) thr *= 0.01;
        continue;
      }
      if (!certify || full_gap_within(cd, lam1, lam2, limit)) {
        *converged = 1;
        break;
      }
      thr *= 0.01;
      continue;
    }
    cd->ring_count = 0; /* the full sweep visited the columns in another order */
    double prev = 0.0;
    while (sweeps < cd->max_iter) {
      sweeps++;
      double dlx = active_sweep(cd, lam1, lam2);
      remember_iterate(cd);
      if (dlx < thr) break;
      int stalled = prev > 0.0 && stalling(dlx, prev, thr);
      prev = dlx;
      if (certify && stalled && sweeps >= next_support_step) {
        next_support_step = sweeps + SUPPORT_STEP_EVERY;
        if (support_descent(cd, lam1, lam2)) continue;
      }
      if (certify && cd->ring_count > RP_CD_EXTRAPOLATION) accelerate(cd, lam1, lam2);
    }
  }
  refresh_gradient(cd);
  return sweeps;
}

void rp_cd_fit_unpenalized(rp_cd *cd) {
  int any = 0, converged;
  for (size_t j = 0; j < cd->pb->p; j++)
    if (usable(cd, j) && cd->pb->pf[j] == 0.0) make_strong(cd, j), any = 1;
  if (any) sweep_to_convergence(cd, 0.0, 0.0, 0, &converged);
}

double rp_cd_alpha_max(const rp_cd *cd) { return rp_penalty_alpha_max(cd->pb, cd->grad); }

/* Sequential strong rule (Tibshirani et al. 2012): keep j when
 * |g_j(previous solution)| >= l1 pf_j (2 alpha - alpha_prev). */
static void screen(rp_cd *cd, double alpha, double alpha_prev) {
  const rp_problem *pb = cd->pb;
  for (size_t j = 0; j < pb->p; j++)
    if (usable(cd, j) && !cd->strong[j] && rp_strong_rule_keeps(pb, j, cd->grad[j], alpha, alpha_prev))
      make_strong(cd, j);
}

long rp_cd_solve(rp_cd *cd, double alpha, double alpha_prev, int *converged) {
  screen(cd, alpha, alpha_prev);
  return sweep_to_convergence(cd, rp_problem_lam1(cd->pb, alpha), rp_problem_lam2(cd->pb, alpha),
                              1, converged);
}

void rp_cd_certificate(const rp_cd *cd, double alpha, double *rss_n, double *gap) {
  certificate(cd, rp_problem_lam1(cd->pb, alpha), rp_problem_lam2(cd->pb, alpha), rss_n, gap);
}

/* The gap at the current b~ against the better of the rescaled residual and
 * the best extrapolated point found at (lam1, lam2): any dual feasible point
 * bounds the optimum from below, whichever iterate it came from. */
static void certificate(const rp_cd *cd, double lam1, double lam2, double *rss_n, double *gap) {
  double ry, rr;
  double primal = primal_objective(cd, lam1, lam2, &ry, &rr);
  double dual = dual_objective(cd->pb, ry, rr, cd->grad, lam1, lam2);
  if (cd->dual_valid && cd->dual_lam1 == lam1 && cd->dual_lam2 == lam2)
    dual = fmax(dual, cd->dual_best);
  *rss_n = rr;
  *gap = fmax(primal - dual, 0.0);
}

void rp_cd_free(rp_cd *cd) {
  if (!cd) return;
  free(cd->beta);
  free(cd->grad);
  free(cd->resid);
  free(cd->strong);
  free(cd->strong_list);
  free(cd->entered);
  free(cd->active);
  free(cd->ring_beta);
  free(cd->ring_vec);
  free(cd->trial_beta);
  free(cd->trial_vec);
  free(cd->trial_grad);
  free(cd->cert_grad);
  free(cd->support);
  free(cd->support_cols);
  free(cd->factor.L);
  free(cd->in_factor);
  free(cd->support_rhs);
  free(cd->support_step);
  free(cd->support_work);
  free(cd->support_Ad);
  free(cd->descent_beta);
  free(cd->descent_grad);
  free(cd->small);
  free(cd->small_perm);
  free(cd);
}
