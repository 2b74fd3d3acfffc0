/* multinomial.c: the multinomial point solver (see multinomial.h). */
#include "multinomial.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "penalty.h"
#include "rows.h"
#include "tuning.h"

/* glmnet's pmin: the smallest class share the intercept-only fit takes (a
 * class absent from a fold's training rows), and below which a class's
 * weights count as vanished (vmin = (1 + pmin) pmin (1 - pmin)). */
#define PROB_MIN 1e-5

static double n_total(const rp_multinomial *m) { return (double)m->pb->n_total; }

static double weighted(const rp_multinomial *m, size_t i, double t) {
  return rp_multinomial_weighted(m, i, t);
}

static size_t class_of(const rp_multinomial *m, size_t i) { return (size_t)m->pb->y[i]; }

/* p_ik from eta, row by row (rp_multinomial_probabilities). */
void rp_multinomial_set_prob(rp_multinomial *m) {
  size_t n = m->pb->n, K = m->K;
  double *row = m->work, *prob = m->work + K;
  for (size_t i = 0; i < n; i++) {
    for (size_t k = 0; k < K; k++) row[k] = m->eta[k * n + i];
    rp_multinomial_probabilities(row, K, prob);
    for (size_t k = 0; k < K; k++) m->prob[k * n + i] = prob[k];
  }
}

/* (1/n) sum_i v_i [log sum_k e^eta_ik - eta_{i,y_i}]. */
double rp_multinomial_loss(const rp_multinomial *m) {
  size_t n = m->pb->n, K = m->K;
  double sum = 0.0;
  for (size_t i = 0; i < n; i++) {
    double top = -INFINITY, s = 0.0;
    for (size_t k = 0; k < K; k++) top = fmax(top, m->eta[k * n + i]);
    for (size_t k = 0; k < K; k++) s += exp(m->eta[k * n + i] - top);
    sum += weighted(m, i, top + log(s) - m->eta[class_of(m, i) * n + i]);
  }
  return rp_rows_total(m->pb->X, sum) / n_total(m);
}

/* ------------------------------------------------- one class's quadratic */

/* Class k's loss to second order at the current eta: w_i = v_i p (1 - p),
 * residual v_i (y_ik - p_ik). */
static void expand(rp_multinomial *m, size_t k) {
  const rp_problem *pb = m->pb;
  double sum = 0.0;
  rp_multinomial_set_prob(m);
  for (size_t i = 0; i < pb->n; i++) {
    double p = m->prob[k * pb->n + i];
    m->w[i] = weighted(m, i, fmax(p * (1.0 - p), RP_WEIGHT_FLOOR));
    m->resid[i] = weighted(m, i, (class_of(m, i) == k) - p);
    sum += weighted(m, i, p * (1.0 - p));
  }
  m->w_mean = rp_rows_total(pb->X, sum) / n_total(m);
  m->cls = k;
  m->expansions++;
}

double rp_multinomial_curvature(rp_multinomial *m, size_t j) {
  if (m->xv_stamp[j] != m->expansions) {
    m->xv[j] = rp_rows_total(m->pb->X, rp_design_wnorm2(m->pb->X, j, m->w)) / n_total(m);
    m->xv_stamp[j] = m->expansions;
  }
  return m->xv[j];
}

static double quadratic_gradient(void *solver, size_t j) {
  rp_multinomial *m = solver;
  return rp_rows_total(m->pb->X, rp_design_dot(m->pb->X, j, m->resid)) / n_total(m);
}

static double quadratic_curvature(void *solver, size_t j) {
  return rp_multinomial_curvature(solver, j);
}

static void quadratic_move(void *solver, size_t j, double d) {
  rp_multinomial *m = solver;
  rp_design_waxpy(m->pb->X, j, -d, m->w, m->resid);
  rp_design_axpy(m->pb->X, j, d, m->eta + m->cls * m->pb->n);
}

double rp_multinomial_intercept_step(rp_multinomial *m, size_t k, double *resid) {
  const rp_problem *pb = m->pb;
  if (!pb->intercept) return 0.0;
  double sum = 0.0, wsum = 0.0, *eta = m->eta + k * pb->n;
  for (size_t i = 0; i < pb->n; i++) sum += resid[i], wsum += m->w[i];
  wsum = rp_rows_total(pb->X, wsum);
  double d = rp_rows_total(pb->X, sum) / wsum;
  for (size_t i = 0; i < pb->n; i++) resid[i] -= d * m->w[i], eta[i] += d;
  m->b0[k] += d;
  return wsum / n_total(m) * d * d;
}

static double intercept_step(void *solver) {
  rp_multinomial *m = solver;
  return rp_multinomial_intercept_step(m, m->cls, m->resid);
}

/* Class k's quadratic solved by coordinate descent; its largest move in
 * glmnet's measure into *change, the sweeps used returned.  A class whose
 * weights have vanished (its rows all but certain) is skipped, -1. */
static long solve_class(rp_multinomial *m, size_t k, double lam1, double lam2, double thr,
                        long budget, double *change) {
  const rp_problem *pb = m->pb;
  double *beta = m->beta + k * pb->p, b0 = m->b0[k];
  long sweeps = 0;
  expand(m, k);
  if (m->w_mean <= (1.0 + PROB_MIN) * PROB_MIN * (1.0 - PROB_MIN)) return -1;
  memcpy(m->beta_old, beta, pb->p * sizeof *beta);
  rp_sweep_to_threshold(&m->sweep[k], lam1, lam2, thr, budget, &sweeps);
  double d0 = m->b0[k] - b0;
  *change = m->w_mean * d0 * d0;
  for (size_t j = 0; j < pb->p; j++) {
    double d = beta[j] - m->beta_old[j];
    if (d != 0.0) *change = fmax(*change, rp_multinomial_curvature(m, j) * d * d);
  }
  return sweeps;
}

/* ------------------------------------------------- glmnet's normalization */

static int ascending(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The shift c minimizing sum_k l1 |a_k - c| + (1 - l1)/2 (a_k - c)^2 over K
 * sorted values (glmnet's elc): where its slope
 *   l1 (#{a_k < c} - #{a_k > c}) + (1 - l1) (K c - sum_k a_k)
 * crosses 0, on an open interval between two values or at one of them;
 * the median's midpoint for the lasso with K even, as glmnet. */
static double penalty_centre(double *a, size_t K, double l1) {
  double sum = 0.0;
  qsort(a, K, sizeof *a, ascending);
  for (size_t k = 0; k < K; k++) sum += a[k];
  if (l1 >= 1.0) return K % 2 ? a[K / 2] : 0.5 * (a[K / 2 - 1] + a[K / 2]);
  for (size_t t = 0; t <= K; t++) { /* t values below c, on (a[t-1], a[t]) */
    double c = (sum - l1 * (2.0 * (double)t - (double)K) / (1.0 - l1)) / (double)K;
    if ((t == 0 || c > a[t - 1]) && (t == K || c < a[t])) return c;
  }
  for (size_t t = 0; t < K; t++) { /* the slope jumps across 0 at a[t] */
    double left = l1 * (2.0 * (double)t - (double)K) + (1.0 - l1) * ((double)K * a[t] - sum);
    if (left <= 0.0 && left + 2.0 * l1 >= 0.0) return a[t];
  }
  return sum / (double)K;
}

/* Every class's coefficient j less c, and eta with it (the loss is the
 * same); a coefficient that becomes nonzero enters its class's sets. */
static void shift_column(rp_multinomial *m, size_t j, double c) {
  const rp_problem *pb = m->pb;
  for (size_t k = 0; k < m->K; k++) {
    double *b = &m->beta[k * pb->p + j];
    *b -= c;
    rp_design_axpy(pb->X, j, -c, m->eta + k * pb->n);
    rp_sweep *s = &m->sweep[k];
    if (*b != 0.0 && !s->strong[j]) rp_sweep_make_strong(s, j);
    if (*b != 0.0 && !s->entered[j]) rp_sweep_enter(s, j);
  }
}

/* The intercepts centred to sum to 0, and each column with a nonzero
 * coefficient shifted to its penalty's centre (the mean for an unpenalized
 * one), as glmnet's lognet does after every round. */
void rp_multinomial_centre_intercepts(rp_multinomial *m) {
  size_t n = m->pb->n, K = m->K;
  double mean = 0.0;
  for (size_t k = 0; k < K; k++) mean += m->b0[k] / (double)K;
  for (size_t k = 0; k < K; k++) {
    m->b0[k] -= mean;
    for (size_t i = 0; i < n; i++) m->eta[k * n + i] -= mean;
  }
}

static void normalize(rp_multinomial *m) {
  const rp_problem *pb = m->pb;
  double *work = m->work;
  size_t K = m->K;
  rp_multinomial_centre_intercepts(m);
  for (size_t j = 0; j < pb->p; j++) {
    int any = 0;
    for (size_t k = 0; k < K; k++) any |= (work[k] = m->beta[k * pb->p + j]) != 0.0;
    if (!any) continue;
    double c = pb->pf[j] > 0.0 ? penalty_centre(work, K, pb->l1_ratio) : 0.0;
    if (pb->pf[j] == 0.0)
      for (size_t k = 0; k < K; k++) c += work[k] / (double)K;
    if (c != 0.0) shift_column(m, j, c);
  }
}

/* ------------------------------------------------- rounds and the point */

/* Rounds over the classes until one moves less than thr (or the budget
 * runs out, or every class is skipped: saturated). */
static long rounds(rp_multinomial *m, double lam1, double lam2, double thr, long budget) {
  long sweeps = 0;
  while (sweeps < budget) {
    double change = 0.0;
    int solved = 0;
    for (size_t k = 0; k < m->K && sweeps < budget; k++) {
      double c = 0.0;
      long used = solve_class(m, k, lam1, lam2, thr, budget - sweeps, &c);
      if (used < 0) continue;
      solved = 1;
      sweeps += used;
      change = fmax(change, c);
    }
    normalize(m);
    m->saturated = !solved;
    if (!solved || change < thr) break;
  }
  return sweeps;
}

/* prob and every class's gradient G_k = X~' V (y_k - p_k) / n. */
void rp_multinomial_refresh_gradient(rp_multinomial *m) {
  const rp_problem *pb = m->pb;
  rp_multinomial_set_prob(m);
  for (size_t k = 0; k < m->K; k++) {
    for (size_t i = 0; i < pb->n; i++)
      m->resid[i] = weighted(m, i, (class_of(m, i) == k) - m->prob[k * pb->n + i]);
    rp_design_dots(pb->X, m->resid, m->grad + k * pb->p);
    for (size_t j = 0; j < pb->p; j++) m->grad[k * pb->p + j] /= n_total(m);
  }
}

void rp_multinomial_norms(const rp_multinomial *m, int of_beta) {
  const rp_problem *pb = m->pb;
  const double *v = of_beta ? m->beta : m->grad;
  for (size_t j = 0; j < pb->p; j++) {
    double s = 0.0;
    for (size_t k = 0; k < m->K; k++) s += v[k * pb->p + j] * v[k * pb->p + j];
    m->norms[j] = sqrt(s);
  }
}

/* Omega over the classes' coefficients: of each class's (ungrouped), or of
 * each column's norm (grouped). */
static double penalty(const rp_multinomial *m, double lam1, double lam2) {
  double pen = 0.0;
  if (m->grouped) {
    rp_multinomial_norms(m, 1);
    return rp_penalty_value(m->pb, m->norms, lam1, lam2);
  }
  for (size_t k = 0; k < m->K; k++)
    pen += rp_penalty_value(m->pb, m->beta + k * m->pb->p, lam1, lam2);
  return pen;
}

static double objective(const rp_multinomial *m, double lam1, double lam2) {
  return rp_multinomial_loss(m) + penalty(m, lam1, lam2);
}

/* sum_i v_i r_ik / n for class k, r = y - p: the intercept's score. */
static double score_mean(const rp_multinomial *m, size_t k) {
  const rp_problem *pb = m->pb;
  double r = 0.0;
  for (size_t i = 0; i < pb->n; i++)
    r += weighted(m, i, (class_of(m, i) == k) - m->prob[k * pb->n + i]);
  return rp_rows_total(pb->X, r) / n_total(m);
}

/* D at scaling s (multinomial.h), from prob and grad (grouped: and the
 * norms of grad). */
static double dual_objective(const rp_multinomial *m, double s, double lam1, double lam2) {
  const rp_problem *pb = m->pb;
  size_t n = pb->n, K = m->K;
  double q_log_q = 0.0, conj = 0.0, fixed = 0.0;
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < K; k++) {
      double y = class_of(m, i) == k, q = y - s * (y - m->prob[k * n + i]);
      if (q > 0.0) q_log_q += weighted(m, i, q * log(q));
    }
  q_log_q = rp_rows_total(pb->X, q_log_q);
  if (m->grouped) conj = rp_penalty_conjugate(pb, m->norms, s, lam1, lam2);
  for (size_t k = 0; k < K; k++) {
    const double *g = m->grad + k * pb->p, *b = m->beta + k * pb->p;
    if (!m->grouped) conj += rp_penalty_conjugate(pb, g, s, lam1, lam2);
    fixed += m->b0[k] * score_mean(m, k);
    for (size_t j = 0; j < pb->p; j++)
      if (pb->pf[j] == 0.0) fixed += b[j] * g[j];
  }
  return -q_log_q / n_total(m) - conj - s * fixed;
}

static double certificate_gap(const rp_multinomial *m, double lam1, double lam2, double primal) {
  double s = 1.0, sc[2];
  if (m->grouped) {
    rp_multinomial_norms(m, 0);
    rp_dual_scalings(m->pb, m->norms, lam1, lam2, sc);
    s = sc[0];
  }
  for (size_t k = 0; !m->grouped && k < m->K; k++) {
    rp_dual_scalings(m->pb, m->grad + k * m->pb->p, lam1, lam2, sc);
    s = fmin(s, sc[0]);
  }
  return fmax(primal - dual_objective(m, s, lam1, lam2), 0.0);
}

/* The columns that violate KKT join the sets: each class's, or (grouped)
 * the block's.  How many joined. */
static size_t add_kkt_violators(rp_multinomial *m, double lam1) {
  size_t joined = 0;
  if (m->grouped) return rp_multinomial_group_kkt(m, lam1);
  for (size_t k = 0; k < m->K; k++)
    joined += rp_sweep_add_kkt_violators(&m->sweep[k], m->grad + k * m->pb->p, lam1);
  return joined;
}

/* Rounds to convergence, then KKT on every class and the gap, thr
 * tightened a hundredfold after each failed certificate; a gap that no
 * longer halves over STALLS tightenings is at double precision's floor. */
static long solve_to_convergence(rp_multinomial *m, double lam1, double lam2, int check,
                                 int *converged) {
  enum { STALLS = 4 };
  long sweeps = 0;
  double thr = m->thr, last_gap = INFINITY;
  int stalls = 0;
  *converged = RP_POINT_MAX_ITER;
  while (sweeps < m->max_iter) {
    long budget = m->max_iter - sweeps;
    sweeps += m->grouped ? rp_multinomial_group_rounds(m, lam1, lam2, thr, budget)
                         : rounds(m, lam1, lam2, thr, budget);
    rp_multinomial_refresh_gradient(m);
    if (check && add_kkt_violators(m, lam1)) continue;
    if (!check || m->gap_limit <= 0.0 || m->saturated) {
      *converged = RP_POINT_CONVERGED;
      break;
    }
    double gap = certificate_gap(m, lam1, lam2, objective(m, lam1, lam2));
    if (gap <= m->gap_limit) {
      *converged = RP_POINT_CONVERGED;
      break;
    }
    stalls = gap > 0.5 * last_gap ? stalls + 1 : 0;
    if (stalls >= STALLS) {
      *converged = RP_POINT_AT_PRECISION;
      break;
    }
    thr *= RP_THRESHOLD_TIGHTENING;
    last_gap = gap;
  }
  return sweeps;
}

/* ------------------------------------------------- set-up */

/* The intercept-only fit: b0_k = log pi_k centred, pi_k the weighted class
 * shares (at least PROB_MIN); its deviance is the null deviance. */
static void null_fit(rp_multinomial *m) {
  const rp_problem *pb = m->pb;
  size_t n = pb->n, K = m->K;
  double *share = m->work, total = 0.0, mean = 0.0;
  for (size_t k = 0; k < K; k++) share[k] = 0.0;
  for (size_t i = 0; i < n; i++) share[class_of(m, i)] += weighted(m, i, 1.0);
  rp_rows_sum(pb->X, share, K);
  for (size_t k = 0; k < K; k++) total += share[k];
  for (size_t k = 0; k < K; k++) {
    m->b0[k] = pb->intercept ? log(fmax(share[k] / total, PROB_MIN)) : 0.0;
    mean += m->b0[k] / (double)K;
  }
  for (size_t k = 0; k < K; k++) {
    m->b0[k] -= mean;
    for (size_t i = 0; i < n; i++) m->eta[k * n + i] = m->b0[k];
  }
  m->null_deviance = 2.0 * n_total(m) * rp_multinomial_loss(m);
}

/* The grouped solver's room. */
static int group_room(rp_multinomial *m) {
  m->strong = calloc(m->pb->p + 1, 1);
  m->major = malloc((m->pb->n * m->K + 1) * sizeof *m->major);
  return m->strong && m->major;
}

rp_status rp_multinomial_alloc(const rp_problem *pb, size_t K, const rp_fit_options *opt,
                               rp_multinomial **out, rp_error *err) {
  *out = NULL;
  size_t n = pb->n, p = pb->p;
  for (size_t i = 0; i < n; i++)
    if (!(pb->y[i] >= 0.0 && pb->y[i] < (double)K && pb->y[i] == floor(pb->y[i])))
      return rp_error_set(err, RP_EDATA,
                          "target \"%s\": value %g on fitted row %zu is not a class 0..%zu",
                          opt->target_name ? opt->target_name : "", pb->y[i], i + 1, K - 1);
  rp_multinomial *m = calloc(1, sizeof *m);
  if (!m) return rp_error_set(err, RP_ENOMEM, "out of memory");
  m->pb = pb;
  m->K = K;
  m->grouped = opt->multinomial_grouped != 0;
  m->beta = calloc(p * K + 1, sizeof *m->beta);
  m->b0 = calloc(K, sizeof *m->b0);
  m->eta = malloc(n * K * sizeof *m->eta);
  m->prob = malloc(n * K * sizeof *m->prob);
  m->grad = malloc((p * K + 1) * sizeof *m->grad);
  m->sweep = calloc(K, sizeof *m->sweep);
  m->w = malloc((n + 1) * sizeof *m->w);
  m->resid = malloc((n + 1) * sizeof *m->resid);
  m->xv = malloc((p + 1) * sizeof *m->xv);
  m->xv_stamp = calloc(p + 1, sizeof *m->xv_stamp);
  m->beta_old = malloc((p * K + 1) * sizeof *m->beta_old);
  m->norms = malloc((p + 1) * sizeof *m->norms);
  m->work = malloc(2 * K * sizeof *m->work);
  int sets = m->sweep != NULL;
  for (size_t k = 0; sets && k < K; k++) {
    sets = rp_sweep_alloc(&m->sweep[k], pb, m->beta + k * p, m);
    m->sweep[k].gradient = quadratic_gradient;
    m->sweep[k].curvature = quadratic_curvature;
    m->sweep[k].move = quadratic_move;
    m->sweep[k].first_step = intercept_step;
  }
  if (!sets || !m->beta || !m->b0 || !m->eta || !m->prob || !m->grad || !m->w || !m->resid ||
      !m->xv || !m->xv_stamp || !m->beta_old || !m->work || !m->norms ||
      (m->grouped && !group_room(m))) {
    rp_multinomial_free(m);
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  }
  m->expansions = 1;
  m->max_iter = opt->max_iter;
  null_fit(m);
  double null_objective = 0.5 * m->null_deviance / n_total(m);
  m->thr = opt->tol * null_objective;
  m->gap_limit = rp_gap_target(opt->gap_tol, opt->tol) * null_objective;
  rp_multinomial_refresh_gradient(m);
  *out = m;
  return RP_OK;
}

void rp_multinomial_fit_unpenalized(rp_multinomial *m) {
  int converged, any = 0;
  if (m->grouped) any = rp_multinomial_group_unpenalized(m) > 0;
  for (size_t k = 0; !m->grouped && k < m->K; k++)
    any |= rp_sweep_add_unpenalized(&m->sweep[k]) > 0;
  if (any) solve_to_convergence(m, 0.0, 0.0, 0, &converged);
}

double rp_multinomial_alpha_max(const rp_multinomial *m) {
  double best = 0.0;
  if (m->grouped) {
    rp_multinomial_norms(m, 0);
    return rp_penalty_alpha_max(m->pb, m->norms);
  }
  for (size_t k = 0; k < m->K; k++)
    best = fmax(best, rp_penalty_alpha_max(m->pb, m->grad + k * m->pb->p));
  return best;
}

long rp_multinomial_solve(rp_multinomial *m, double alpha, double alpha_prev, int *converged) {
  if (m->grouped) rp_multinomial_group_screen(m, alpha, alpha_prev);
  for (size_t k = 0; !m->grouped && k < m->K; k++)
    rp_sweep_screen(&m->sweep[k], m->grad + k * m->pb->p, alpha, alpha_prev);
  return solve_to_convergence(m, rp_problem_lam1(m->pb, alpha), rp_problem_lam2(m->pb, alpha), 1,
                              converged);
}

void rp_multinomial_certificate(const rp_multinomial *m, double alpha, double *deviance,
                                double *gap) {
  double lam1 = rp_problem_lam1(m->pb, alpha), lam2 = rp_problem_lam2(m->pb, alpha);
  *deviance = 2.0 * n_total(m) * rp_multinomial_loss(m);
  *gap = certificate_gap(m, lam1, lam2, objective(m, lam1, lam2));
}

void rp_multinomial_free(rp_multinomial *m) {
  if (!m) return;
  for (size_t k = 0; m->sweep && k < m->K; k++) rp_sweep_free(&m->sweep[k]);
  free(m->sweep);
  free(m->beta);
  free(m->b0);
  free(m->eta);
  free(m->prob);
  free(m->grad);
  free(m->w);
  free(m->resid);
  free(m->xv);
  free(m->xv_stamp);
  free(m->beta_old);
  free(m->work);
  free(m->norms);
  free(m->strong);
  free(m->major);
  free(m);
}
