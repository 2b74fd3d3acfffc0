/* cd_covariance.c: covariance updates, coordinate descent keeping the
 * gradient g = X~'y~/n - G b~ through the Gram matrix G (see
 * cd_updates.h).  No sum here runs over rows: the Gram matrix and X~'y~/n
 * already summed them. */
#include "cd.h"

#include <gsl/gsl_cblas.h>
#include <math.h>
#include <string.h>

static const double *gram_column(const rp_cd *cd, size_t j) { return cd->pb->gram + j * cd->pb->p; }

static double *gradient_state(rp_cd *cd) { return cd->grad; }

static size_t gradient_length(const rp_problem *pb) { return pb->p; }

static double gradient(const rp_cd *cd, size_t j) { return cd->grad[j]; }

/* g -= d G_{.j} for b~_j += d: on every column (`all`,
 * rp_cd_moves_update_all), else on the strong set. */
static void propagate(rp_cd *cd, size_t j, double d, int all) {
  const double *G = gram_column(cd, j);
  if (all)
    cblas_daxpy((int)cd->pb->p, -d, G, 1, cd->grad, 1);
  else
    for (size_t s = 0; s < cd->sweep.n_strong; s++)
      cd->grad[cd->sweep.strong_list[s]] -= d * G[cd->sweep.strong_list[s]];
}

/* g = X~'y~/n - G b~ over the nonzero b~ (g is kept only on the strong set). */
static void gradient_everywhere(rp_cd *cd) {
  const rp_problem *pb = cd->pb;
  size_t p = pb->p;
  memcpy(cd->grad, pb->xty, p * sizeof *cd->grad);
  for (size_t a = 0; a < cd->sweep.n_active; a++) {
    size_t j = cd->sweep.active[a];
    const double *G = gram_column(cd, j);
    double b = cd->beta[j];
    if (b != 0.0)
      for (size_t k = 0; k < p; k++) cd->grad[k] -= b * G[k];
  }
}

/* The updates keep the strong set's gradients. */
static void gradient_on_strong_set(rp_cd *cd) { (void)cd; }

/* <r, r>/n = <r, y~>/n - <b~, g> = yy - <b~, c + g> over the active set. */
static double current_rss(const rp_cd *cd) {
  const rp_problem *pb = cd->pb;
  double s = 0.0;
  for (size_t a = 0; a < cd->sweep.n_active; a++) {
    size_t j = cd->sweep.active[a];
    s += cd->beta[j] * (pb->xty[j] + cd->grad[j]);
  }
  return pb->yy - s;
}

/* No residual, but r is affine in b~: (U'U)_kl/n = d_k' G d_l =
 * -d_k'(g_{l+1} - g_l), d_k = b_{k+1} - b_k, read off the gradients on the
 * active set, both orders averaged (G d is only known through g). */
static double ring_product(const rp_cd *cd, const double *const *b, const double *const *v,
                           size_t k, size_t l) {
  double s = 0.0;
  for (size_t a = 0; a < cd->sweep.n_active; a++) {
    size_t j = cd->sweep.active[a];
    s -= 0.5 * ((b[k + 1][a] - b[k][a]) * (v[l + 1][j] - v[l][j]) +
                (b[l + 1][a] - b[l][a]) * (v[k + 1][j] - v[k][j]));
  }
  return s;
}

/* As in rp_cd_current_moments, from trial.beta and its gradient g on the
 * active set. */
static double trial_moments(const rp_cd *cd, const double *g, double *ry) {
  const rp_problem *pb = cd->pb;
  const double *tb = cd->trial.beta;
  double bc = 0.0, bg = 0.0;
  for (size_t a = 0; a < cd->sweep.n_active; a++) {
    size_t j = cd->sweep.active[a];
    bc += tb[j] * pb->xty[j];
    bg += tb[j] * g[j];
  }
  *ry = pb->yy - bc;
  return *ry - bg;
}

/* g - G (b~_t - b~) from the current full gradient: computed as a change,
 * it carries the same rounding as g, which the primal uses. */
static void trial_gradient_everywhere(rp_cd *cd) {
  const rp_problem *pb = cd->pb;
  double *tg = cd->trial.grad;
  memcpy(tg, cd->grad, pb->p * sizeof *tg);
  for (size_t a = 0; a < cd->sweep.n_active; a++) {
    size_t j = cd->sweep.active[a];
    double d = cd->trial.beta[j] - cd->beta[j];
    const double *G = gram_column(cd, j);
    if (d != 0.0)
      for (size_t k = 0; k < pb->p; k++) tg[k] -= d * G[k];
  }
}

/* The combined gradients: the same affine combination of gradients the
 * ring kept up to date on the strong set, and the ones trial_moments used,
 * so that the two agree to rounding with each other and with the current
 * gradient. */
static void trial_gradient_on_strong_set(rp_cd *cd) {
  for (size_t s = 0; s < cd->sweep.n_strong; s++) {
    size_t j = cd->sweep.strong_list[s];
    cd->trial.grad[j] = cd->trial.vec[j];
  }
}

/* (b - b_t)' G (b - b_t) = (b - b_t)'(g_t - g) over the active set, since
 * g = X~'y~/n - G b~. */
static double trial_distance2(const rp_cd *cd) {
  double s = 0.0;
  for (size_t a = 0; a < cd->sweep.n_active; a++) {
    size_t j = cd->sweep.active[a];
    s += (cd->beta[j] - cd->trial.beta[j]) * (cd->trial.grad[j] - cd->grad[j]);
  }
  return fmax(s, 0.0);
}

/* G_SS gathered from the Gram matrix. */
static void support_system(rp_cd *cd, size_t m) {
  const rp_problem *pb = cd->pb;
  size_t ld = cd->sup.factor.ld;
  double *A = cd->sup.factor.L;
  for (size_t k = 0; k < m; k++)
    for (size_t l = k; l < m; l++)
      A[k * ld + l] = pb->gram[cd->sup.list[k] * pb->p + cd->sup.list[l]];
}

static double support_column(rp_cd *cd, size_t j, size_t m, double *a) {
  const double *G = gram_column(cd, j);
  for (size_t k = 0; k < m; k++) a[k] = G[cd->sup.list[k]];
  return G[j];
}

static void support_drop(rp_cd *cd, size_t k) { (void)cd, (void)k; }

/* The support point's gradient on the strong set, g_t = g - G_{.S} d, and
 * its moments, as changes from the current ones:
 *   |X~_S d|^2/n = d'G_SS d = d'(g - g_t)_S,   <r_t, y~>/n = <r, y~>/n - d'c_S,
 *   <r_t, r_t>/n = <r, r>/n - 2 d'g_S + d'G_SS d.
 * Recomputed from X~'y~/n - G b~_t they would differ from the primal's
 * (kept incrementally) by rounding that grows with |b~|, which near
 * interpolation exceeds the gap itself. */
static void support_trial(rp_cd *cd, size_t m) {
  const rp_problem *pb = cd->pb;
  const double *d = cd->sup.step;
  const size_t *strong = cd->sweep.strong_list;
  double *tg = cd->trial.grad;
  for (size_t s = 0; s < cd->sweep.n_strong; s++) tg[strong[s]] = cd->grad[strong[s]];
  for (size_t k = 0; k < m; k++) {
    const double *G = gram_column(cd, cd->sup.list[k]);
    for (size_t s = 0; s < cd->sweep.n_strong; s++) tg[strong[s]] -= d[k] * G[strong[s]];
  }
  double dgd = 0.0, dc = 0.0, dg = 0.0, ry, rr;
  for (size_t k = 0; k < m; k++) {
    size_t j = cd->sup.list[k];
    dgd += d[k] * (cd->grad[j] - tg[j]);
    dc += d[k] * pb->xty[j];
    dg += d[k] * cd->grad[j];
  }
  rp_cd_current_moments(cd, &ry, &rr);
  cd->trial.dist2 = fmax(dgd, 0.0);
  cd->trial.ry = ry - dc;
  cd->trial.rr = rr - 2.0 * dg + cd->trial.dist2;
}

/* t + sum_k e_k A_{.k} (delta = d + e, e nonzero on the flipped columns
 * only, A d = t), A's columns read from the Gram matrix: m scattered reads
 * of one column per flip, where L L' delta costs m^2 flops on the
 * contiguous factor: up to m/4 flips, else from the factor. */
static void projected_product(rp_cd *cd, const double *delta, size_t flips, double *Ad) {
  const rp_problem *pb = cd->pb;
  size_t m = cd->sup.factor.m;
  const double *d = cd->sup.step;
  if (4 * flips > m) {
    rp_cd_factor_product(cd, delta, Ad);
    return;
  }
  memcpy(Ad, cd->sup.rhs, m * sizeof *Ad);
  for (size_t k = 0; k < m; k++) {
    double e = delta[k] - d[k];
    if (e == 0.0) continue;
    size_t j = cd->sup.list[k];
    const double *G = gram_column(cd, j);
    for (size_t l = 0; l < m; l++) Ad[l] += e * G[cd->sup.list[l]];
    Ad[k] += e * cd->sup.lam2 * pb->pf[j];
  }
}

static void support_shift(rp_cd *cd, const double *delta, int all) {
  for (size_t k = 0; k < cd->sup.factor.m; k++) propagate(cd, cd->sup.list[k], delta[k], all);
}

const rp_cd_updates rp_cd_covariance_updates = {
    .state = gradient_state,
    .state_length = gradient_length,
    .keeps_gradients = 1,
    .kkt_first = 1,
    .gathers_columns = 0,
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
