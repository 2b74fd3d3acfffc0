/* glm_cg.c: conjugate gradients on the support's Newton system (see
 * glm_cg.h). */
#include "glm_cg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "glm_accel.h"
#include "rows.h"

int rp_glm_cg_alloc(rp_glm_cg *c, const rp_problem *pb) {
  size_t m = pb->p + 1;
  c->u = malloc(pb->n * sizeof *c->u);
  c->res = malloc(m * sizeof *c->res);
  c->dir = malloc(m * sizeof *c->dir);
  c->hdir = malloc(m * sizeof *c->hdir);
  c->diag = malloc(m * sizeof *c->diag);
  c->pre = malloc(m * sizeof *c->pre);
  return c->u && c->res && c->dir && c->hdir && c->diag && c->pre;
}

void rp_glm_cg_free(rp_glm_cg *c) {
  free(c->u);
  free(c->res);
  free(c->dir);
  free(c->hdir);
  free(c->diag);
  free(c->pre);
}

/* hv = H v: u = diag(w) (v_0 + X~_S v_S) in one pass, then
 * hv = [1 X~_S]' u / n + lam2 diag(0, pf_S) v. */
static void product(rp_glm_cg *c, const rp_problem *pb, const rp_glm_cg_system *sys,
                    const double *v, double *hv) {
  size_t off = pb->intercept ? 1 : 0, n = pb->n;
  double *u = c->u, nt = (double)pb->n_total;
  for (size_t i = 0; i < n; i++) u[i] = off ? v[0] * sys->w[i] : 0.0;
  for (size_t a = 0; a < sys->k; a++) rp_design_waxpy(pb->X, sys->cols[a], v[off + a], sys->w, u);
  if (off) {
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) sum += u[i];
    hv[0] = sum;
  }
  for (size_t a = 0; a < sys->k; a++) hv[off + a] = rp_design_dot(pb->X, sys->cols[a], u);
  rp_rows_sum(pb->X, hv, off + sys->k);
  for (size_t a = 0; a < off + sys->k; a++) hv[a] /= nt;
  for (size_t a = 0; a < sys->k; a++) hv[off + a] += sys->lam2 * pb->pf[sys->cols[a]] * v[off + a];
}

static double dot(const double *a, const double *b, size_t m) {
  double s = 0.0;
  for (size_t i = 0; i < m; i++) s += a[i] * b[i];
  return s;
}

/* Whether one more sweep from the residual res would meet the threshold:
 * max_a res_a^2 / diag_a < thr. */
static int sweep_would_stop(const double *res, const double *diag, size_t m, double thr) {
  for (size_t a = 0; a < m; a++)
    if (res[a] * res[a] >= thr * diag[a]) return 0;
  return 1;
}

/* z = M^-1 res, M the preconditioner (the identity without one); 0 when
 * M is singular. */
static int precondition(const rp_glm_cg *c, const rp_glm_cg_system *sys, size_t m) {
  memcpy(c->pre, c->res, m * sizeof *c->pre);
  return !sys->precond || rp_glm_factor_solve(sys->precond, c->pre);
}

/* Conjugate gradients (Hestenes & Stiefel 1952), preconditioned, from
 * d = 0 (res = t):
 *   z = M^-1 res,  step = res'z / dir'H dir,  d += step dir,
 *   res -= step H dir,  dir = z + (res'z new / old) dir.
 * With M = H at nearby weights, M^-1 H has its eigenvalues within the
 * range of the weights' ratios, and each product cuts the error by about
 * (sqrt(kappa) - 1) / (sqrt(kappa) + 1).  A direction of no curvature
 * (H singular along it) ends the solve. */
long rp_glm_cg_solve(rp_glm_cg *c, const rp_problem *pb, const rp_glm_cg_system *sys,
                     const double *t, const double *diag, double thr, long max_products, double *d,
                     int *solved) {
  size_t off = pb->intercept ? 1 : 0, m = off + sys->k;
  memset(d, 0, m * sizeof *d);
  memcpy(c->res, t, m * sizeof *t);
  *solved = 0;
  if (!precondition(c, sys, m)) return 0;
  memcpy(c->dir, c->pre, m * sizeof *c->dir);
  double rz = dot(c->res, c->pre, m), rz_least = RP_PCG_REDUCTION * RP_PCG_REDUCTION * rz;
  long products = 0;
  for (;;) {
    *solved = diag ? sweep_would_stop(c->res, diag, m, thr) : rz <= rz_least;
    if (*solved || products >= max_products) break;
    product(c, pb, sys, c->dir, c->hdir);
    products++;
    double curvature = dot(c->dir, c->hdir, m);
    if (!(curvature > 0.0)) break;
    double step = rz / curvature;
    for (size_t a = 0; a < m; a++) {
      d[a] += step * c->dir[a];
      c->res[a] -= step * c->hdir[a];
    }
    if (!precondition(c, sys, m)) break;
    double rz_new = dot(c->res, c->pre, m);
    for (size_t a = 0; a < m; a++) c->dir[a] = c->pre[a] + rz_new / rz * c->dir[a];
    rz = rz_new;
  }
  return products;
}

int rp_glm_cg_projected_step(rp_glm_cg *c, const rp_problem *pb, const rp_glm_cg_system *sys,
                             const double *d, double lam1, double *b0, double *beta, double *r) {
  size_t off = pb->intercept ? 1 : 0, k = sys->k;
  const size_t *cols = sys->cols;
  const double *w = sys->w;
  double *b_trial = c->hdir, *r_trial = c->u;
  for (size_t a = 0; a < k; a++) b_trial[a] = beta[cols[a]];
  double q_now = rp_glm_quadratic(pb, w, r, b_trial, cols, k, lam1, sys->lam2);
  for (double s = 1.0; s >= RP_CG_SHORTEST_STEP; s /= 2.0) {
    double d0 = off ? s * d[0] : 0.0;
    for (size_t i = 0; i < pb->n; i++) r_trial[i] = r[i] - d0 * w[i];
    for (size_t a = 0; a < k; a++) {
      double b = beta[cols[a]], moved = b + s * d[off + a];
      b_trial[a] = moved * b < 0.0 ? 0.0 : moved;
      rp_design_waxpy(pb->X, cols[a], b - b_trial[a], w, r_trial);
    }
    if (rp_glm_quadratic(pb, w, r_trial, b_trial, cols, k, lam1, sys->lam2) < q_now) {
      *b0 += d0;
      for (size_t a = 0; a < k; a++) beta[cols[a]] = b_trial[a];
      memcpy(r, r_trial, pb->n * sizeof *r);
      return 1;
    }
  }
  return 0;
}
