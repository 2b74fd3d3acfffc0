/* cd_naive.c: naive updates, coordinate descent keeping the residual
 * r = y~ - X~ b~ (see cd_updates.h).  Every sum over rows is finished by
 * rp_rows_sum (rows.h), and 1/n is the fit's n_total. */
#include "cd.h"

#include "rows.h"
#include "sums.h"

#include <gsl/gsl_cblas.h>
#include <math.h>
#include <string.h>

static double n_total(const rp_cd *cd) { return (double)cd->pb->n_total; }

static double *residual(rp_cd *cd) { return cd->resid; }

static size_t residual_length(const rp_problem *pb) { return pb->n; }

/* g_j = <x~_j, r>/n. */
static double gradient(const rp_cd *cd, size_t j) {
  return rp_design_dot(cd->pb->X, j, cd->resid) / n_total(cd);
}

/* r -= d x~_j. */
static void propagate(rp_cd *cd, size_t j, double d, int all) {
  (void)all;
  rp_design_axpy(cd->pb->X, j, -d, cd->resid);
}

/* g = X~'r/n (constant columns are 0 in the design). */
static void gradient_everywhere(rp_cd *cd) {
  rp_design_dots(cd->pb->X, cd->resid, cd->grad);
  for (size_t j = 0; j < cd->pb->p; j++) cd->grad[j] /= n_total(cd);
}

static void gradient_on_strong_set(rp_cd *cd) {
  for (size_t s = 0; s < cd->sweep.n_strong; s++) {
    size_t j = cd->sweep.strong_list[s];
    cd->grad[j] = gradient(cd, j);
  }
}

static double current_rss(const rp_cd *cd) {
  double s = 0.0;
  for (size_t i = 0; i < cd->pb->n; i++) s += cd->resid[i] * cd->resid[i];
  return rp_rows_total(cd->pb->X, s) / n_total(cd);
}

/* (U'U)_kl/n = <r_{k+1} - r_k, r_{l+1} - r_l>/n of the residuals held
 * (unscaled: extrapolation_weights scales the matrix). */
static double ring_product(const rp_cd *cd, const double *const *b, const double *const *v,
                           size_t k, size_t l) {
  (void)b;
  double s = 0.0;
  for (size_t i = 0; i < cd->pb->n; i++) s += (v[k + 1][i] - v[k][i]) * (v[l + 1][i] - v[l][i]);
  return rp_rows_total(cd->pb->X, s);
}

/* From the trial residual in trial.vec. */
static double trial_moments(const rp_cd *cd, const double *g, double *ry) {
  const rp_problem *pb = cd->pb;
  const double *tv = cd->trial.vec;
  (void)g;
  double sums[2] = {0.0, 0.0}; /* <r, y~>, <r, r> */
  for (size_t i = 0; i < pb->n; i++) {
    sums[0] += tv[i] * pb->y[i];
    sums[1] += tv[i] * tv[i];
  }
  rp_rows_sum(pb->X, sums, 2);
  *ry = sums[0] / n_total(cd);
  return sums[1] / n_total(cd);
}

/* X~'r/n of the trial residual. */
static void trial_gradient_everywhere(rp_cd *cd) {
  double *tg = cd->trial.grad;
  rp_design_dots(cd->pb->X, cd->trial.vec, tg);
  for (size_t j = 0; j < cd->pb->p; j++) tg[j] /= n_total(cd);
}

static void trial_gradient_on_strong_set(rp_cd *cd) {
  for (size_t s = 0; s < cd->sweep.n_strong; s++) {
    size_t j = cd->sweep.strong_list[s];
    cd->trial.grad[j] = rp_design_dot(cd->pb->X, j, cd->trial.vec) / n_total(cd);
  }
}

static double trial_distance2(const rp_cd *cd) {
  double s = 0.0;
  for (size_t i = 0; i < cd->pb->n; i++) {
    double d = cd->trial.vec[i] - cd->resid[i];
    s += d * d;
  }
  return rp_rows_total(cd->pb->X, s) / n_total(cd);
}

/* X~_S'X~_S/n by BLAS from the gathered columns, the lower triangle's
 * columns then summed over the rows' processes. */
static void support_system(rp_cd *cd, size_t m) {
  const rp_problem *pb = cd->pb;
  size_t n = pb->n, ld = cd->sup.factor.ld;
  double *A = cd->sup.factor.L, *cols = cd->sup.gathered;
  memset(cols, 0, n * m * sizeof *cols);
  for (size_t k = 0; k < m; k++) rp_design_axpy(pb->X, cd->sup.list[k], 1.0, cols + k * n);
  cblas_dsyrk(CblasColMajor, CblasLower, CblasTrans, (int)m, (int)n, 1.0 / n_total(cd), cols,
              (int)n, 0.0, A, (int)ld);
  for (size_t k = 0; k < m; k++) rp_rows_sum(pb->X, A + k * ld + k, m - k);
}

/* x~_j joins the gathered columns, G_Sj = X~_S'x~_j/n. */
static double support_column(rp_cd *cd, size_t j, size_t m, double *a) {
  const rp_problem *pb = cd->pb;
  size_t n = pb->n;
  double *x = cd->sup.gathered + m * n;
  memset(x, 0, n * sizeof *x);
  rp_design_axpy(pb->X, j, 1.0, x);
  cblas_dgemv(CblasColMajor, CblasTrans, (int)n, (int)m, 1.0 / n_total(cd), cd->sup.gathered,
              (int)n, x, 1, 0.0, a, 1);
  rp_rows_sum(pb->X, a, m);
  return rp_rows_total(pb->X, rp_sum_of_products(NULL, x, x, n)) / n_total(cd);
}

static void support_drop(rp_cd *cd, size_t k) {
  size_t after = cd->sup.factor.m - 1 - k, n = cd->pb->n;
  memmove(cd->sup.gathered + k * n, cd->sup.gathered + (k + 1) * n, after * n * sizeof(double));
}

/* The support point's residual r - X~_S d, its gradient on the strong set
 * and its moments. */
static void support_trial(rp_cd *cd, size_t m) {
  size_t n = cd->pb->n;
  memcpy(cd->trial.vec, cd->resid, n * sizeof *cd->resid);
  cblas_dgemv(CblasColMajor, CblasNoTrans, (int)n, (int)m, -1.0, cd->sup.gathered, (int)n,
              cd->sup.step, 1, 1.0, cd->trial.vec, 1);
  trial_gradient_on_strong_set(cd);
  cd->trial.rr = trial_moments(cd, cd->trial.grad, &cd->trial.ry);
  cd->trial.dist2 = trial_distance2(cd);
}

/* From the factor (no pivot is floored when there is a step). */
static void projected_product(rp_cd *cd, const double *delta, size_t flips, double *Ad) {
  (void)flips;
  rp_cd_factor_product(cd, delta, Ad);
}

/* r -= X~_S delta: one pass over the support's columns. */
static void support_shift(rp_cd *cd, const double *delta, int all) {
  size_t n = cd->pb->n, m = cd->sup.factor.m;
  (void)all;
  cblas_dgemv(CblasColMajor, CblasNoTrans, (int)n, (int)m, -1.0, cd->sup.gathered, (int)n, delta, 1,
              1.0, cd->resid, 1);
}

const rp_cd_updates rp_cd_naive_updates = {
    .state = residual,
    .state_length = residual_length,
    .keeps_gradients = 0,
    .kkt_first = 0,
    .gathers_columns = 1,
    .gradient = gradient,
    .propagate = propagate,
    .gradient_everywhere = gradient_everywhere,
    .gradient_on_strong_set = gradient_on_strong_set,
    .current_rss = current_rss,
    .ring_product = ring_product,
    .trial_moments = trial_moments,
    .trial_gradient_everywhere = trial_gradient_everywhere,
    .trial_gradient_on_strong_set = trial_gradient_on_strong_set,
    .trial_distance2 = trial_distance2,
    .support_system = support_system,
    .support_column = support_column,
    .support_drop = support_drop,
    .support_trial = support_trial,
    .projected_product = projected_product,
    .support_shift = support_shift,
};
