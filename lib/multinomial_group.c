/* multinomial_group.c: the grouped multinomial solver's rounds, screening
 * and KKT check (glmnet's type.multinomial = "grouped"; see multinomial.h). */
#include <math.h>
#include <string.h>

#include "multinomial.h"
#include "penalty.h"
#include "rows.h"
#include "tuning.h"

/* A majorizer whose curvature bounds all fall below this has every row's
 * class all but certain: the classes are separated (glmnet's eps). */
#define CURVATURE_MIN 1e-6

static double n_total(const rp_multinomial *m) { return (double)m->pb->n_total; }

/* The majorizer at the current eta: major = V (Y - P), and each row's
 * curvature bound t_i = 2 max_k p_ik (1 - p_ik) (Gershgorin on its Hessian
 * diag(p_i) - p_i p_i') as the weight w_i = v_i max(t_i, 1e-10); the
 * largest t_i over the rows that weigh returned. */
static double majorize(rp_multinomial *m) {
  const rp_problem *pb = m->pb;
  size_t n = pb->n;
  double largest = 0.0;
  rp_multinomial_set_prob(m);
  for (size_t i = 0; i < n; i++) {
    double t = 0.0;
    for (size_t k = 0; k < m->K; k++) {
      double p = m->prob[k * n + i];
      t = fmax(t, 2.0 * p * (1.0 - p));
      m->major[k * n + i] = rp_multinomial_weighted(m, i, ((size_t)pb->y[i] == k) - p);
    }
    m->w[i] = rp_multinomial_weighted(m, i, fmax(t, RP_WEIGHT_FLOOR));
    if (rp_multinomial_weighted(m, i, 1.0) > 0.0) largest = fmax(largest, t);
  }
  m->expansions++;
  rp_rows_max(pb->X, &largest, 1); /* over every process's rows */
  return largest;
}

/* Column j's block b~_j. (K values) moved to the minimizer of the
 * majorizer with the group penalty: the group soft threshold of
 * u = xv_j b~_j. + g_j. (multinomial.h); xv_j |d|^2 returned. */
static double block_step(rp_multinomial *m, size_t j, double lam1, double lam2) {
  const rp_problem *pb = m->pb;
  size_t n = pb->n, p = pb->p, K = m->K;
  double *u = m->work, norm = 0.0, xv = rp_multinomial_curvature(m, j), moved = 0.0;
  for (size_t k = 0; k < K; k++) u[k] = rp_design_dot(pb->X, j, m->major + k * n);
  rp_rows_sum(pb->X, u, K);
  for (size_t k = 0; k < K; k++) {
    u[k] = xv * m->beta[k * p + j] + u[k] / n_total(m);
    norm += u[k] * u[k];
  }
  norm = sqrt(norm);
  double pf = pb->pf[j],
         keep = norm > lam1 * pf ? (1.0 - lam1 * pf / norm) / (xv + lam2 * pf) : 0.0;
  for (size_t k = 0; k < K; k++) {
    double *b = &m->beta[k * p + j], d = keep * u[k] - *b;
    if (d == 0.0) continue;
    *b += d;
    rp_design_waxpy(pb->X, j, -d, m->w, m->major + k * n);
    rp_design_axpy(pb->X, j, d, m->eta + k * n);
    moved += d * d;
  }
  return xv * moved;
}

/* Each class's intercept to the majorizer's minimum; the largest W d^2. */
static double intercept_steps(rp_multinomial *m) {
  double moved = 0.0;
  for (size_t k = 0; k < m->K; k++)
    moved = fmax(moved, rp_multinomial_intercept_step(m, k, m->major + k * m->pb->n));
  return moved;
}

/* Sweeps of the strong set (and the intercepts) on one majorizer until a
 * sweep moves less than thr; the sweeps used. */
static long minimize_majorizer(rp_multinomial *m, double lam1, double lam2, double thr,
                               long budget) {
  long sweeps = 0;
  double moved;
  do {
    moved = intercept_steps(m);
    for (size_t j = 0; j < m->pb->p; j++)
      if (m->strong[j]) moved = fmax(moved, block_step(m, j, lam1, lam2));
    sweeps++;
  } while (moved >= thr && sweeps < budget);
  return sweeps;
}

/* How far a round moved the coefficients, in the measure of the sweeps. */
static double round_change(rp_multinomial *m) {
  const rp_problem *pb = m->pb;
  double moved = 0.0;
  for (size_t j = 0; j < pb->p; j++) {
    double d2 = 0.0;
    for (size_t k = 0; k < m->K; k++) {
      double d = m->beta[k * pb->p + j] - m->beta_old[k * pb->p + j];
      d2 += d * d;
    }
    if (d2 > 0.0) moved = fmax(moved, rp_multinomial_curvature(m, j) * d2);
  }
  return moved;
}

long rp_multinomial_group_rounds(rp_multinomial *m, double lam1, double lam2, double thr,
                                 long budget) {
  long sweeps = 0;
  size_t pK = m->pb->p * m->K;
  while (sweeps < budget) {
    m->saturated = majorize(m) < CURVATURE_MIN;
    if (m->saturated) break;
    memcpy(m->beta_old, m->beta, pK * sizeof *m->beta);
    sweeps += minimize_majorizer(m, lam1, lam2, thr, budget - sweeps);
    rp_multinomial_centre_intercepts(m);
    if (round_change(m) < thr) break;
  }
  return sweeps;
}

size_t rp_multinomial_group_screen(rp_multinomial *m, double alpha, double alpha_prev) {
  const rp_problem *pb = m->pb;
  size_t added = 0;
  rp_multinomial_norms(m, 0);
  for (size_t j = 0; j < pb->p; j++)
    if (!pb->constant[j] && !m->strong[j] &&
        rp_strong_rule_keeps(pb, j, m->norms[j], alpha, alpha_prev))
      m->strong[j] = 1, added++;
  return added;
}

size_t rp_multinomial_group_kkt(rp_multinomial *m, double lam1) {
  const rp_problem *pb = m->pb;
  size_t added = 0;
  rp_multinomial_norms(m, 0);
  for (size_t j = 0; j < pb->p; j++)
    if (!pb->constant[j] && !m->strong[j] && rp_kkt_violated(pb, j, m->norms[j], lam1))
      m->strong[j] = 1, added++;
  return added;
}

size_t rp_multinomial_group_unpenalized(rp_multinomial *m) {
  const rp_problem *pb = m->pb;
  size_t added = 0;
  for (size_t j = 0; j < pb->p; j++)
    if (!pb->constant[j] && !m->strong[j] && pb->pf[j] == 0.0) m->strong[j] = 1, added++;
  return added;
}
