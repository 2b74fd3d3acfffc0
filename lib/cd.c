/* cd.c: the coordinate-descent point solver (see cd.h). */
#include "cd.h"

#include "penalty.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int usable(const rp_cd *cd, size_t j) { return !cd->pb->constant[j]; }

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
  rp_status st = RP_OK;
  if (!cd->covariance && !(cd->resid = malloc(n * sizeof *cd->resid)))
    st = rp_error_set(err, RP_ENOMEM, "out of memory");
  if (st == RP_OK && (!cd->beta || !cd->grad || !cd->strong || !cd->strong_list || !cd->entered ||
                      !cd->active))
    st = rp_error_set(err, RP_ENOMEM, "out of memory");
  if (st != RP_OK) {
    rp_cd_free(cd);
    return st;
  }
  if (cd->resid) memcpy(cd->resid, pb->y, n * sizeof *pb->y); /* r = y~ at b = 0 */
  memcpy(cd->grad, pb->xty, p * sizeof *pb->xty);             /* g = X~'y~/n     */
  cd->grad_current = 1;
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

static void make_strong(rp_cd *cd, size_t j) {
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

/* Propagate b_j += d into the residual (naive) or the gradient
 * (covariance): r -= d x~_j, or g_k -= d G_kj.  While the strong set is small
 * only its gradients are kept (the rest is recomputed when needed); once it
 * is a quarter of the columns, the contiguous update of all of them is
 * faster than the scattered one. */
static void apply_change(rp_cd *cd, size_t j, double d) {
  size_t p = cd->pb->p;
  if (!cd->covariance) {
    rp_design_axpy(cd->pb->X, j, -d, cd->resid);
    cd->grad_current = 0;
    return;
  }
  const double *G = cd->pb->gram + j * p; /* column j: G_kj for every k */
  if (4 * cd->n_strong > p) {
    for (size_t k = 0; k < p; k++) cd->grad[k] -= d * G[k];
    return;
  }
  for (size_t s = 0; s < cd->n_strong; s++) cd->grad[cd->strong_list[s]] -= d * G[cd->strong_list[s]];
  cd->grad_current = 0;
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
    if (usable(cd, j) && !cd->strong[j] && fabs(cd->grad[j]) > lam1 * cd->pb->pf[j]) {
      make_strong(cd, j);
      added = 1;
    }
  return added;
}

static void certificate(const rp_cd *cd, double lam1, double lam2, double *rss_n, double *gap);

/* Sweep the strong set, then the active set until it settles, until a full
 * sweep converges (glmnet's loop).  With `check_kkt`, columns outside the
 * strong set that violate |g_j| <= lam1 pf_j join it and the loop goes on;
 * then, when a gap tolerance is set, the duality gap must be within it too:
 * glmnet's rule bounds the squared step, which can leave the gap large on
 * correlated columns, so the sweep threshold is tightened until it holds. */
static long sweep_to_convergence(rp_cd *cd, double lam1, double lam2, int check_kkt,
                                 int *converged) {
  long sweeps = 0;
  double thr = cd->thr, rss_n, gap;
  *converged = 0;
  while (sweeps < cd->max_iter) {
    sweeps++;
    if (full_sweep(cd, lam1, lam2) < thr) {
      refresh_gradient(cd);
      if (check_kkt && add_kkt_violators(cd, lam1)) continue;
      if (!check_kkt || cd->gap_tol <= 0.0) {
        *converged = 1;
        break;
      }
      certificate(cd, lam1, lam2, &rss_n, &gap);
      if (gap <= cd->gap_tol * 0.5 * cd->pb->yy) {
        *converged = 1;
        break;
      }
      thr *= 0.01;
      continue;
    }
    while (sweeps < cd->max_iter) {
      sweeps++;
      if (active_sweep(cd, lam1, lam2) < thr) break;
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

double rp_cd_alpha_max(const rp_cd *cd) {
  const rp_problem *pb = cd->pb;
  double amax = 0.0;
  for (size_t j = 0; j < pb->p; j++)
    if (usable(cd, j) && pb->pf[j] > 0.0) amax = fmax(amax, fabs(cd->grad[j]) / pb->pf[j]);
  return amax / fmax(pb->l1_ratio, 1e-3);
}

/* Sequential strong rule (Tibshirani et al. 2012): keep j when
 * |g_j(previous solution)| >= l1 pf_j (2 alpha - alpha_prev). */
static void screen(rp_cd *cd, double alpha, double alpha_prev) {
  const rp_problem *pb = cd->pb;
  double t = pb->l1_ratio * (2.0 * alpha - alpha_prev);
  for (size_t j = 0; j < pb->p; j++)
    if (usable(cd, j) && !cd->strong[j] && fabs(cd->grad[j]) > t * pb->pf[j]) make_strong(cd, j);
}

long rp_cd_solve(rp_cd *cd, double alpha, double alpha_prev, int *converged) {
  screen(cd, alpha, alpha_prev);
  return sweep_to_convergence(cd, rp_problem_lam1(cd->pb, alpha), rp_problem_lam2(cd->pb, alpha),
                              1, converged);
}

void rp_cd_certificate(const rp_cd *cd, double alpha, double *rss_n, double *gap) {
  certificate(cd, rp_problem_lam1(cd->pb, alpha), rp_problem_lam2(cd->pb, alpha), rss_n, gap);
}

static void certificate(const rp_cd *cd, double lam1, double lam2, double *rss_n, double *gap) {
  const rp_problem *pb = cd->pb;
  double bc = 0.0, bg = 0.0;
  for (size_t j = 0; j < pb->p; j++) {
    bc += cd->beta[j] * pb->xty[j];
    bg += cd->beta[j] * cd->grad[j];
  }
  double ry = pb->yy - bc; /* <r, y~>/n, since r = y~ - X~b */
  double rr = ry - bg;     /* <r, r>/n = <r, y~>/n - <r, X~b>/n */
  double s = rp_dual_scaling(pb, cd->grad, lam1, lam2);
  /* D(theta) = <theta, y~> - n/2 |theta|^2 - Omega*(X~'theta), theta = s r/n. */
  double primal = 0.5 * rr + rp_penalty_value(pb, cd->beta, lam1, lam2);
  double dual = s * ry - 0.5 * s * s * rr - rp_penalty_conjugate(pb, cd->grad, s, lam1, lam2);
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
  free(cd);
}
