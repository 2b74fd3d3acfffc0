/* glm.c: penalized IRLS for the binomial and poisson families (see glm.h). */
#include "glm.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "family.h"
#include "penalty.h"
#include "rows.h"
#include "tuning.h"

/* The objective's n: the fit's rows over every process holding some. */
static double n_total(const rp_glm *g) { return (double)g->pb->n_total; }

/* out_j = <x~_j, r>/n for every column: one pass over X~ (rp_design_dots,
 * which sums over the processes itself). */
static void residual_products(const rp_glm *g, const double *r, double *out) {
  rp_design_dots(g->pb->X, r, out);
  for (size_t j = 0; j < g->pb->p; j++) out[j] /= n_total(g);
}

/* v_i t_i, with v_i the observation weight normalized to sum to n (1
 * without weights: the product is then exact).  A row of weight 0 adds 0
 * whatever t_i: its eta, which the fit does not control, may have made
 * mu_i = e^eta_i infinite, and 0 * inf would be NaN. */
static double weighted(const rp_glm *g, size_t i, double t) {
  const double *v = g->pb->wt;
  return !v ? t : v[i] > 0.0 ? v[i] * t : 0.0;
}

/* (1/n) sum_i v_i l(y_i, eta_i), kept by set_eta. */
static double loss_mean(const rp_glm *g) { return g->loss; }

/* eta = o + b0 + X~ b~ from the coefficients (not accumulated step by step,
 * so that rounding does not drift), mu = c'(eta) and the loss.  The loss is
 * asked for several times at one eta (the step's start, its backtracking,
 * the certificate, the next point's prediction), and its c(eta_i) is a
 * log1p per row: computed once here (100000 x 50 logistic: a quarter of
 * the time went to log1p). */
static void set_eta(rp_glm *g) {
  const rp_problem *pb = g->pb;
  for (size_t i = 0; i < pb->n; i++) g->eta[i] = pb->offset ? pb->offset[i] + g->b0 : g->b0;
  for (size_t a = 0; a < g->sweep.n_active; a++) {
    size_t j = g->sweep.active[a];
    if (g->beta[j] != 0.0) rp_design_axpy(pb->X, j, g->beta[j], g->eta);
  }
  double sum = 0.0;
  for (size_t i = 0; i < pb->n; i++) {
    g->mu[i] = rp_family_mean(g->family, g->eta[i]);
    sum += weighted(g, i, rp_family_cumulant(g->family, g->eta[i]) - pb->y[i] * g->eta[i]);
  }
  g->loss = rp_rows_total(pb->X, sum) / n_total(g);
}

/* The second-order expansion at the current eta: weights w_i = v_i c''(eta_i)
 * and residual v_i (y_i - mu_i). */
static void expand(rp_glm *g) {
  const rp_problem *pb = g->pb;
  double sum = 0.0;
  int changed = g->expansions == 1;
  for (size_t i = 0; i < pb->n; i++) {
    double w = weighted(g, i, fmax(rp_family_variance(g->family, g->mu[i]), RP_WEIGHT_FLOOR));
    if (!changed) changed = w != g->w[i]; /* read once the first expansion set w */
    g->w[i] = w;
    g->resid[i] = weighted(g, i, pb->y[i] - g->mu[i]);
    sum += g->w[i];
  }
  g->w_mean = rp_rows_total(pb->X, sum) / n_total(g);
  double any = changed; /* on every process that holds rows of the fit */
  rp_rows_max(pb->X, &any, 1);
  g->expansions++;
  g->w_epoch += any > 0.0;
}

/* The weighted <x~_j, x~_j>/n at the current weights, computed when first
 * needed after they change: only strong columns ever need it. */
static double weighted_xv(rp_glm *g, size_t j) {
  if (g->xv_stamp[j] != g->w_epoch) {
    g->xv[j] = rp_rows_total(g->pb->X, rp_design_wnorm2(g->pb->X, j, g->w)) / n_total(g);
    g->xv_stamp[j] = g->w_epoch;
  }
  return g->xv[j];
}

/* The sweep's callbacks (sweep.h) on the current quadratic: g_j =
 * <x~_j, r>/n of its residual r = w (z - eta), its curvature the weighted
 * xv_j, and b_j += d moving r by -d w x~_j. */
static double quadratic_gradient(void *solver, size_t j) {
  const rp_glm *g = solver;
  return rp_rows_total(g->pb->X, rp_design_dot(g->pb->X, j, g->resid)) / n_total(g);
}

static double quadratic_curvature(void *solver, size_t j) { return weighted_xv(solver, j); }

static void quadratic_move(void *solver, size_t j, double d) {
  rp_glm *g = solver;
  rp_design_waxpy(g->pb->X, j, -d, g->w, g->resid);
}

/* The intercept's exact step on the quadratic of residual r (w (z - eta)):
 * d = sum_i r_i / sum_i w_i. */
static double intercept_exact_step(const rp_glm *g, const double *r) {
  double sum = 0.0;
  for (size_t i = 0; i < g->pb->n; i++) sum += r[i];
  return rp_rows_total(g->pb->X, sum) / n_total(g) / g->w_mean;
}

/* That step taken, before each sweep. */
static double intercept_step(void *solver) {
  rp_glm *g = solver;
  const rp_problem *pb = g->pb;
  if (!pb->intercept) return 0.0;
  double d = intercept_exact_step(g, g->resid);
  for (size_t i = 0; i < pb->n; i++) g->resid[i] -= d * g->w[i];
  g->b0 += d;
  return g->w_mean * d * d;
}

/* The nonzero coefficients, but those held at a limit, into newton_cols;
 * their count. */
static size_t support_columns(rp_glm *g) {
  size_t k = 0;
  for (size_t a = 0; a < g->sweep.n_active; a++) {
    size_t j = g->sweep.active[a];
    if (g->beta[j] != 0.0 && !rp_at_limit(g->pb, j, g->beta[j])) g->newton_cols[k++] = j;
  }
  return k;
}

/* What the exact step on k columns costs, in sweeps: forming H takes
 * k (k + 1) / 2 weighted column products of length n, a sweep of the
 * active set 2 k (a product and an update per column), so about
 * (k + 1) / 4; at least one.  A design's BLAS 3 wgram forms H 3 to 4
 * times faster (90000 x 50: 13 ms instead of 36, 4 sweeps' time), but
 * charging that lower price calls the step more often than it pays for
 * itself (100000 x 50, path + 10-fold CV: 34 s instead of 26 s), so the
 * price stays. */
static long factored_cost(size_t k) { return (long)(k + 1) / 4 + 1; }

/* Past the factor's capacity the step's cost is what the last
 * conjugate-gradient solve made in products (iterative_polish), and at
 * least two of the accelerator's rings of sweeps, which start again at
 * every try (glm_accel.h). */
static long newton_cost(const rp_glm *g, size_t k) {
  if (k <= g->hess.cap) return factored_cost(k);
  return g->cg_products > RP_CG_LEAST_WAIT ? g->cg_products : RP_CG_LEAST_WAIT;
}

/* The negative gradient into `out`, over the k columns `cols` in their
 * order, of the objective whose loss has residual r (w (z - eta) of a
 * quadratic, or v (y - mu) of the loss itself) with the support's signs
 * s_a held:
 *   t_0 = sum_i r_i / n  (the intercept's, with one),
 *   t_a = g_a - pf_a (lam1 s_a + lam2 b_a),  g_a = <x~_a, r>/n,
 * g_a from `grad` when given (current for r), else computed. */
static void negative_gradient(rp_glm *g, const size_t *cols, size_t k, const double *r,
                              const double *grad, double lam1, double lam2, double *out) {
  const rp_problem *pb = g->pb;
  size_t off = pb->intercept ? 1 : 0;
  double nt = n_total(g), *t = out + off;
  if (off) {
    double sum = 0.0;
    for (size_t i = 0; i < pb->n; i++) sum += r[i];
    out[0] = rp_rows_total(pb->X, sum) / nt;
  }
  for (size_t a = 0; a < k; a++)
    t[a] = grad ? grad[cols[a]] : rp_design_dot(pb->X, cols[a], r) / nt;
  if (!grad) rp_rows_sum(pb->X, t, k); /* before the penalty, which is no sum over rows */
  for (size_t a = 0; a < k; a++) {
    size_t j = cols[a];
    double b = g->beta[j];
    t[a] -= pb->pf[j] * (lam1 * (b > 0.0 ? 1.0 : -1.0) + lam2 * b);
  }
}

/* The factor (glm_factor.h) brought to the k columns of newton_cols: by
 * column updates at whatever weights it carries when few columns change,
 * else formed at the current expansion.  Returns 0 when it cannot be (more
 * columns than it holds, no wgram). */
static int factor_support(rp_glm *g, size_t k, double lam2) {
  rp_glm_factor *F = &g->hess;
  if (rp_glm_factor_follow(F, g->pb, g->newton_cols, k)) return 1;
  return rp_glm_factor_form(F, g->pb, g->newton_cols, k, g->w, lam2, g->expansions);
}

/* d = H^-1 t, t and d in the factor's order, H at the current expansion's
 * weights and L2 term: by the factor itself when it has them; else by
 * conjugate gradients preconditioned by it (the weights move little from
 * one expansion, or one alpha, to the next: binomial 5000 x 500, 3.5
 * products a solve, each a pass over the support, where forming H again
 * costs about 10 passes' time); else, when those have not converged in
 * RP_PCG_PRODUCTS products, by the factor formed again at the current
 * weights.  Returns 0 when H is singular. */
static int factored_solve(rp_glm *g, double lam2, const double *t, double *d) {
  rp_glm_factor *F = &g->hess;
  size_t m = F->off + F->k;
  if (F->stamp != g->expansions || F->lam2 != lam2) {
    rp_glm_cg_system sys = {F->cols, F->k, g->w, lam2, F};
    int solved;
    rp_glm_cg_solve(&g->cg, g->pb, &sys, t, NULL, 0.0, RP_PCG_PRODUCTS, d, &solved);
    if (solved) return 1;
    memcpy(g->newton_cols, F->cols, F->k * sizeof *F->cols); /* the same order: t holds */
    if (!rp_glm_factor_form(F, g->pb, g->newton_cols, F->k, g->w, lam2, g->expansions)) return 0;
  }
  memcpy(d, t, m * sizeof *d);
  return rp_glm_factor_solve(F, d);
}

/* With the nonzero coefficients b_a and their signs s_a fixed, the
 * quadratic is smooth:
 *   minimize (1/2n) sum_i w_i (z_i - b0 - x_i.b)^2 + sum_a pf_a (lam1 s_a b_a + lam2/2 b_a^2),
 * and its minimizer is one Newton step, H d = -gradient, H at the current
 * expansion's weights (factored_solve).  The step into newton_d, in the
 * factor's order over the k columns of newton_cols.  Returns 0 when there
 * is none: the design cannot form H, or H is singular. */
static int newton_system(rp_glm *g, size_t k, double lam1, double lam2) {
  if (!factor_support(g, k, lam2)) return 0;
  const rp_glm_factor *F = &g->hess;
  negative_gradient(g, F->cols, F->k, g->resid, NULL, lam1, lam2, g->newton_t);
  return factored_solve(g, lam2, g->newton_t, g->newton_d);
}

/* The same step on the k columns of newton_cols, past the factor's
 * capacity, by conjugate gradients (glm_cg.h) stopped where one more
 * sweep would meet thr, or after the fewer of a factored step's cost and
 * RP_CG_DIRECTION_PRODUCTS in products (counted off *budget), and taken
 * projected on the signs' orthant.  Returns 1 when the system was solved
 * and the step taken, as newton_polish. */
static int iterative_polish(rp_glm *g, size_t k, double lam1, double lam2, double thr,
                            long *budget) {
  const rp_problem *pb = g->pb;
  size_t off = pb->intercept ? 1 : 0;
  double *diag = g->cg.diag;
  negative_gradient(g, g->newton_cols, k, g->resid, NULL, lam1, lam2, g->newton_t);
  if (off) diag[0] = g->w_mean;
  for (size_t a = 0; a < k; a++) {
    size_t j = g->newton_cols[a];
    diag[off + a] = weighted_xv(g, j) + lam2 * pb->pf[j];
  }
  rp_glm_cg_system sys = {g->newton_cols, k, g->w, lam2, NULL};
  long most = factored_cost(k) < *budget ? factored_cost(k) : *budget;
  if (most > RP_CG_DIRECTION_PRODUCTS) most = RP_CG_DIRECTION_PRODUCTS;
  int solved;
  long products =
      rp_glm_cg_solve(&g->cg, pb, &sys, g->newton_t, diag, thr, most, g->newton_d, &solved);
  *budget -= products;
  g->cg_products = products > 1 ? products : 1;
  if (products == 0) return 1; /* solved where it stands */
  int moved =
      rp_glm_cg_projected_step(&g->cg, pb, &sys, g->newton_d, lam1, &g->b0, g->beta, g->resid);
  return moved && solved;
}

/* The largest t in (0, 1] for which b + t d keeps every sign and stays
 * within the limits; in *hit the column that reaches 0 or a limit there (k
 * when none does), and in *land the value it reaches. */
static double step_to_boundary(const rp_glm *g, size_t *hit, double *land) {
  const rp_problem *pb = g->pb;
  const rp_glm_factor *F = &g->hess;
  const double *d = g->newton_d + F->off;
  double t = 1.0;
  *hit = F->k;
  for (size_t a = 0; a < F->k; a++) {
    size_t j = F->cols[a];
    double b_j = g->beta[j];
    if (b_j * d[a] < 0.0 && -b_j / d[a] <= t) {
      t = -b_j / d[a];
      *hit = a, *land = 0.0;
    }
    if (rp_stops_at_limit(pb, j, b_j, d[a], &t, land)) *hit = a;
  }
  return t;
}

/* b += t d (the hit column exactly onto `land`), the residual r = w (z -
 * eta) moved with it. */
static void newton_move(rp_glm *g, double t, size_t hit, double land) {
  const rp_problem *pb = g->pb;
  const rp_glm_factor *F = &g->hess;
  const double *d = g->newton_d + F->off;
  for (size_t a = 0; a < F->k; a++) {
    size_t j = F->cols[a];
    double step = a == hit ? land - g->beta[j] : t * d[a];
    g->beta[j] += step;
    if (a == hit) g->beta[j] = land;
    rp_design_waxpy(pb->X, j, -step, g->w, g->resid);
  }
  if (pb->intercept) {
    double step = t * g->newton_d[0];
    g->b0 += step;
    for (size_t i = 0; i < pb->n; i++) g->resid[i] -= step * g->w[i];
  }
}

/* The quadratic's minimizer over the support coordinate descent has
 * found, by an active-set method: the Newton step of newton_system, cut
 * where a coefficient reaches 0 (the quadratic, convex and smooth while
 * the signs hold, falls all along the cut step), that column dropped, and
 * again, at most RP_NEWTON_DROPS times.  Returns 1 when a whole step was
 * taken: the quadratic is then solved on the support that remains, and
 * coordinate descent, which converges linearly and slowly on a correlated
 * design, is left only to confirm it (or let a column in).  Past the
 * factor's capacity the step is iterative_polish's, which takes thr and
 * spends *budget. */
static int newton_polish(rp_glm *g, double lam1, double lam2, int drops, double thr, long *budget) {
  size_t off = g->pb->intercept ? 1 : 0, k = support_columns(g);
  if (k > g->hess.cap) /* its projection on the signs' orthant knows no limits */
    return !rp_problem_limited(g->pb) && iterative_polish(g, k, lam1, lam2, thr, budget);
  for (int drop = 0; drop <= drops; drop++) {
    size_t hit;
    double land = 0.0;
    if (drop > 0) k = support_columns(g);
    if (k + off == 0 || !newton_system(g, k, lam1, lam2)) return 0;
    double t = step_to_boundary(g, &hit, &land);
    newton_move(g, t, hit, land);
    if (hit == k) return 1;
  }
  return 0;
}

/* The dual objective at the dual point of residual r, g = X~'r/n in grad
 * (glm.h; defined with the certificate below). */
static double residual_dual(rp_glm *g, const double *r, const double *grad, double lam1,
                            double lam2);

/* P at the sweeps' current point, from their residual alone: a gaussian
 * fit's loss is its own quadratic, (1/2n) sum_i r_i^2 / v_i less
 * half_yy, at r = v (y - eta). */
static double swept_objective(rp_glm *g, double lam1, double lam2) {
  const rp_sweep *s = &g->sweep;
  double *b = g->newton_t; /* free within the sweeps */
  for (size_t a = 0; a < s->n_active; a++) b[a] = g->beta[s->active[a]];
  return rp_glm_quadratic(g->pb, g->w, g->resid, b, s->active, s->n_active, lam1, lam2) -
         g->half_yy;
}

/* The residual with the intercept's exact step taken, r - d0 w
 * (intercept_exact_step), into dual_r (r itself without an intercept):
 * the sums of its dual point's r_i are 0, so that the dual objective
 * (glm.h) no longer depends on b0 and bounds the optimum over the
 * intercept too, not only at the current one, which the sweeps go on
 * moving.  The sweeps' own residual sums to 0 only right after the
 * intercept's step: an uncentred column's move shifts the sum. */
static const double *intercept_residual(rp_glm *g) {
  const rp_problem *pb = g->pb;
  if (!pb->intercept) return g->resid;
  double d0 = intercept_exact_step(g, g->resid);
  for (size_t i = 0; i < pb->n; i++) g->dual_r[i] = g->resid[i] - d0 * g->w[i];
  return g->dual_r;
}

/* Whether the best dual point met at this alpha certifies the sweeps'
 * current point, `swept` sweeps after the last call, to RP_WATCH_SHARE of
 * the target: with a margin, so that the objective computed again from the
 * coefficients, which differs by rounding, certifies it too.  Only while
 * watching: a gaussian fit whose certificate has failed at this alpha
 * (solve_to_convergence), every column penalized (an unpenalized one's
 * term in the dual objective holds its coefficient where the check saw
 * it).  The residual's own dual point is checked, a
 * pass over every column (p dots, about p / n_active sweeps), once the
 * sweeps since the last check cost RP_WATCH_SWEEPS of them.  Without the
 * checks the sweeps go on to the threshold aimed at the gap, which near
 * interpolation meets it far later than the gap itself. */
static int certified_in_sweeps(rp_glm *g, double lam1, double lam2, long swept) {
  if (!g->watching) return 0;
  const rp_problem *pb = g->pb;
  g->unwatched += swept;
  if (g->unwatched * (long)g->sweep.n_active >= RP_WATCH_SWEEPS * (long)pb->p) {
    g->unwatched = 0;
    const double *r = intercept_residual(g);
    residual_products(g, r, g->dual_grad);
    g->dual_best = fmax(g->dual_best, residual_dual(g, r, g->dual_grad, lam1, lam2));
  }
  g->watch_met = swept_objective(g, lam1, lam2) - g->dual_best <= RP_WATCH_SHARE * g->gap_limit;
  return g->watch_met;
}

/* rp_sweep_to_threshold a sweep at a time, each iterate kept by the
 * accelerator (glm_accel.h), whose extrapolation is taken when it lowers
 * the quadratic, until the threshold is met or the point is certified
 * (certified_in_sweeps).  The accelerator's ring starts empty: the fit may
 * have moved by other means since the last call. */
static int accelerated_sweeps(rp_glm *g, double lam1, double lam2, double thr, long budget,
                              long *spent) {
  const rp_sweep *s = &g->sweep;
  *spent = 0;
  rp_glm_accel_restart(&g->accel);
  if (certified_in_sweeps(g, lam1, lam2, 0)) return 1;
  while (*spent < budget) {
    long one;
    int met = rp_sweep_to_threshold(&g->sweep, lam1, lam2, thr, 1, &one);
    *spent += one;
    if (met || certified_in_sweeps(g, lam1, lam2, one)) return 1;
    rp_glm_accel_remember(&g->accel, g->pb, g->b0, g->beta, s->active, s->n_active, g->resid);
    rp_glm_accel_step(&g->accel, g->pb, g->w, &g->b0, g->beta, s->active, s->n_active, g->resid,
                      lam1, lam2);
  }
  return 0;
}

/* Coordinate descent on the current quadratic until a sweep moves less
 * than thr, with exact steps on its support (newton_polish) in between,
 * each once the sweeps since the last cost as much as one: they at most
 * double the work where coordinate descent converges fast, and cut short
 * its linear tail where it is slow (near separation the curvature spans
 * orders of magnitude: on Sonar's lasso path a quadratic took 2,700
 * sweeps).  A try that still ends on a cut (newton_polish) waits twice as
 * long for the next.  At the end one more is taken when at most
 * RP_NEWTON_ALWAYS columns are nonzero or the sweeps paid for a factored
 * one (past the factor, conjugate gradients would stop at once: the sweeps
 * have met the same rule), and always with `exact` (the sweeps stalled:
 * only exact quadratic steps, that is Newton's method, move the fit
 * further).  Conjugate-gradient products count as sweeps. */
static long solve_quadratic(rp_glm *g, double lam1, double lam2, double thr, long budget,
                            int exact) {
  long sweeps = 0, since = 0, wait = newton_cost(g, support_columns(g));
  while (sweeps < budget) {
    long chunk = wait - since < budget - sweeps ? wait - since : budget - sweeps;
    long spent;
    int met = accelerated_sweeps(g, lam1, lam2, thr, chunk, &spent);
    sweeps += spent;
    since += spent;
    size_t k = support_columns(g);
    long cost = newton_cost(g, k), left = budget - sweeps;
    if (met) {
      if (exact || k <= RP_NEWTON_ALWAYS || (since >= cost && k <= g->hess.cap))
        newton_polish(g, lam1, lam2, exact ? RP_NEWTON_DROPS : 0, thr, &left);
      sweeps = budget - left;
      break;
    }
    if (since < wait) continue;
    int whole = newton_polish(g, lam1, lam2, RP_NEWTON_DROPS, thr, &left);
    sweeps = budget - left;
    if (whole) {
      since = 0;
      wait = newton_cost(g, k);
    } else {
      wait *= 2;
    }
  }
  return sweeps;
}

static double objective(const rp_glm *g, double lam1, double lam2) {
  return loss_mean(g) + rp_penalty_value(g->pb, g->beta, lam1, lam2);
}

/* The largest weighted squared change of the outer step (intercept included
 * through d0), the convergence measure. */
static double outer_change(rp_glm *g, double d0) {
  double dlx = g->w_mean * d0 * d0;
  for (size_t a = 0; a < g->sweep.n_active; a++) {
    size_t j = g->sweep.active[a];
    double d = g->beta[j] - g->beta_old[j];
    dlx = fmax(dlx, weighted_xv(g, j) * d * d);
  }
  return dlx;
}

/* Move back halfway to the start of the step while the objective is higher
 * than there (Newton steps can overshoot; e^eta can overflow). */
static void backtrack(rp_glm *g, double b0_old, double p_old, double lam1, double lam2) {
  for (int h = 0; h < RP_MAX_HALVINGS; h++) {
    double p_new = objective(g, lam1, lam2);
    if (p_new <= p_old + 1e-12 * fabs(p_old)) return;
    for (size_t a = 0; a < g->sweep.n_active; a++) {
      size_t j = g->sweep.active[a];
      g->beta[j] = 0.5 * (g->beta[j] + g->beta_old[j]);
    }
    g->b0 = 0.5 * (g->b0 + b0_old);
    set_eta(g);
  }
}

/* Outer IRLS steps until one moves the coefficients by less than thr. */
static long irls(rp_glm *g, double lam1, double lam2, double thr, long budget, int exact) {
  long sweeps = 0;
  while (sweeps < budget) {
    double b0_old = g->b0, p_old = objective(g, lam1, lam2);
    memcpy(g->beta_old, g->beta, g->pb->p * sizeof *g->beta);
    expand(g);
    long spent = solve_quadratic(g, lam1, lam2, thr, budget - sweeps, exact);
    sweeps += spent;
    set_eta(g);
    backtrack(g, b0_old, p_old, lam1, lam2);
    if (outer_change(g, g->b0 - b0_old) < thr) break;
  }
  return sweeps;
}

/* g = X~'v(y - mu)/n at the current fit (residual_products). */
static void refresh_gradient(rp_glm *g) {
  const rp_problem *pb = g->pb;
  for (size_t i = 0; i < pb->n; i++) g->resid[i] = weighted(g, i, pb->y[i] - g->mu[i]);
  residual_products(g, g->resid, g->grad);
}

/* D, the dual objective, at the dual point of the residual r = v (y - mu)
 * with g = X~'r/n (glm.h): the larger of its scalings'. */
static double dual_bound(const rp_glm *g, const double *mu, const double *grad, double lam1,
                         double lam2);

/* P - D at the current fit, P its objective `primal` (dual_bound). */
static double certificate_gap(const rp_glm *g, const double *mu, const double *grad, double lam1,
                              double lam2, double primal);

/* residual_dual: its mean mu' = y - r/v goes into dual_mu (rows of weight
 * 0 keep theirs); -INFINITY when some mu' is out of the family's range. */
static double residual_dual(rp_glm *g, const double *r, const double *grad, double lam1,
                            double lam2) {
  const rp_problem *pb = g->pb;
  for (size_t i = 0; i < pb->n; i++) {
    double v = pb->wt ? pb->wt[i] : 1.0;
    g->dual_mu[i] = v > 0.0 ? pb->y[i] - r[i] / v : g->mu[i];
    if (!rp_family_in_range(g->family, g->dual_mu[i])) return -INFINITY;
  }
  return dual_bound(g, g->dual_mu, grad, lam1, lam2);
}

/* The gap of the dual point of residual r (g = X~'r/n in grad), INFINITY
 * when it has none (residual_dual). */
static double residual_gap(rp_glm *g, const double *r, const double *grad, double lam1, double lam2,
                           double primal) {
  return fmax(primal - residual_dual(g, r, grad, lam1, lam2), 0.0);
}

/* The gap at a better dual point: the residual after a Newton step on the
 * support.  The residual's own dual point loses to the optimum in first
 * order: on the support |g_j| sits at lam1 pf_j, so a gradient error eps
 * there scales theta by about 1 - eps / lam1 (rp_dual_scalings), and at
 * small alphas the gap says 1e-3 of the null objective when P is within
 * 1e-8 of its minimum (binomial 5000 x 500, alpha_min_ratio 1e-4).  After
 * a step H d = t (negative_gradient of the loss itself, factored_solve),
 * the residual r' = r - w (d_0 + X~_S d) meets the support's equations up
 * to second-order terms, so its gap falls like the suboptimality.  The
 * primal does not move: any r' gives a valid bound, since glm.h's
 * derivation holds for every mean y - r'/v in the family's range.
 * INFINITY when there is no step. */
static double corrected_gap(rp_glm *g, double lam1, double lam2, double primal) {
  const rp_problem *pb = g->pb;
  const rp_glm_factor *F = &g->hess;
  size_t k = support_columns(g);
  if (k > F->cap || k + F->off == 0 || !factor_support(g, k, lam2)) return INFINITY;
  double *r = g->dual_r, *d = g->dual_step;
  negative_gradient(g, F->cols, F->k, g->resid, g->grad, lam1, lam2, g->newton_t);
  if (!factored_solve(g, lam2, g->newton_t, d)) return INFINITY;
  double d0 = F->off ? d[0] : 0.0;
  for (size_t i = 0; i < pb->n; i++) r[i] = g->resid[i] - d0 * g->w[i];
  for (size_t a = 0; a < F->k; a++) rp_design_waxpy(pb->X, F->cols[a], -d[F->off + a], g->w, r);
  residual_products(g, r, g->dual_grad);
  return residual_gap(g, r, g->dual_grad, lam1, lam2, primal);
}

/* The corrected gap (corrected_gap) into g->corrected_gap, and its measure
 * against the target: gap / RP_CORRECTED_SHARE, so that it certifies at
 * RP_CORRECTED_SHARE of the target.  A try that fails skips the next 1,
 * 2, 4, ... failed checks, until one certifies; INFINITY for a skipped
 * check.  The residual's gap overstates the suboptimality by 1e2 to 1e6
 * (corrected_gap), so a fit that it certifies is far more accurate than
 * the target asks; the corrected gap, which does not, stopped fits at the
 * target itself where cv.glmnet's measures moved by 1e-4 relative (breast
 * cancer's lasso, mae, at the default tolerances: 1.1e-4 against
 * glmnet's, 1.1e-5 at a tenth of the target, 6e-6 at tol 1e-12). */
static double corrected_measure(rp_glm *g, double lam1, double lam2, double primal) {
  double target = RP_CORRECTED_SHARE * g->gap_limit;
  if (g->correction_wait > 0) {
    g->correction_wait--;
    return INFINITY;
  }
  double gap = corrected_gap(g, lam1, lam2, primal);
  g->corrected_gap = fmin(g->corrected_gap, gap);
  long backoff = g->correction_backoff;
  g->correction_backoff = gap <= target ? 0 : backoff ? 2 * backoff : 1;
  g->correction_wait = g->correction_backoff;
  return gap / RP_CORRECTED_SHARE;
}

/* The factor on the sweep threshold after a failed certificate.  The gap
 * is first order in the coefficients' error while thr bounds squared
 * steps, so the gap falls about as sqrt(thr) (binomial 5000 x 500, one
 * point: 2.2e-4, 2.3e-5, 2.2e-6, 3e-7 of the null objective at thr/100
 * each time).  Aiming at a quarter of the target, (limit/gap)^2 / 4, skips
 * the rounds in between and their confirming expansions: 13% of the time
 * there.  Within [RP_THRESHOLD_TIGHTENING_MAX, RP_THRESHOLD_TIGHTENING], and
 * only at a point's `first` failure, for a target of at least
 * RP_AIMED_TARGET_MIN of the null objective; otherwise 1/100.  Near the
 * precision floor a jump could ask for steps rounding never makes and
 * spend max_iter sweeps there (Sonar at path.tol 1e-14: 517,443 sweeps
 * instead of 4,628), where steps of 1/100 let the stall be seen. */
static double tightening(const rp_glm *g, double gap, int first) {
  double limit = g->gap_limit, f = 0.25 * (limit / gap) * (limit / gap);
  if (!first || limit < RP_AIMED_TARGET_MIN * 0.5 * g->null_deviance / n_total(g))
    return RP_THRESHOLD_TIGHTENING;
  return fmin(RP_THRESHOLD_TIGHTENING, fmax(f, RP_THRESHOLD_TIGHTENING_MAX));
}

/* A failed certificate no better than the one before (not half its gap),
 * with the objective no lower (by more than rounding): the sweeps have
 * stalled. */
static int stalled(double gap, double objective, double last_gap, double last_objective) {
  return gap > 0.5 * last_gap && objective >= last_objective - 8.0 * DBL_EPSILON * objective;
}

/* IRLS to convergence, then KKT on the rest and the gap (as cd.c's loop).
 * A failed certificate tightens thr (tightening), and for a gaussian fit
 * turns on the check of the gap within the sweeps (certified_in_sweeps),
 * unless that check stopped the sweeps that failed: then the sweeps'
 * objective, summed from their residual, and the one computed again from
 * the coefficients part by rounding, and the threshold alone decides at
 * this alpha.  Once the sweeps stall, every quadratic
 * ends with exact steps (solve_quadratic's `exact`), which makes the outer
 * loop Newton's method; stalled even then, the gap target is below what
 * double precision certifies, and the point ends there,
 * RP_POINT_AT_PRECISION. */
static long solve_to_convergence(rp_glm *g, double lam1, double lam2, int check, int *converged) {
  long sweeps = 0;
  double thr = g->thr, last_gap = INFINITY, last_objective = INFINITY;
  int exact = 0;
  *converged = RP_POINT_MAX_ITER;
  while (sweeps < g->max_iter) {
    g->watch_met = 0;
    sweeps += irls(g, lam1, lam2, thr, g->max_iter - sweeps, exact);
    g->corrected_gap = INFINITY;
    refresh_gradient(g);
    if (check && rp_sweep_add_kkt_violators(&g->sweep, g->grad, lam1)) continue;
    if (!check || g->gap_limit <= 0.0) {
      *converged = RP_POINT_CONVERGED;
      break;
    }
    double p = objective(g, lam1, lam2), gap = certificate_gap(g, g->mu, g->grad, lam1, lam2, p);
    g->corrected_gap = fmax(p - g->dual_best, 0.0); /* the sweeps' best dual point */
    gap = fmin(gap, g->corrected_gap);
    if (gap > g->gap_limit) gap = fmin(gap, corrected_measure(g, lam1, lam2, p));
    if (gap <= g->gap_limit) {
      *converged = RP_POINT_CONVERGED;
      break;
    }
    if (stalled(gap, p, last_gap, last_objective)) {
      if (exact) {
        *converged = RP_POINT_AT_PRECISION;
        break;
      }
      exact = 1;
    }
    thr *= tightening(g, gap, last_gap == INFINITY);
    g->watching = g->watchable && !g->watch_met;
    last_gap = gap;
    last_objective = p;
  }
  return sweeps;
}

/* With offsets the intercept-only fit has no closed form: b0 is the root of
 * the score sum_i v_i (y_i - mu(o_i + b0)), found by Newton's method from
 * link(ybar) (the loss is convex in b0; a step that raises it is halved). */
static void null_intercept_with_offset(rp_glm *g) {
  const rp_problem *pb = g->pb;
  for (int t = 0; t < RP_NULL_NEWTON_STEPS; t++) {
    double sums[2] = {0.0, 0.0}, before = loss_mean(g); /* the score and the curvature */
    for (size_t i = 0; i < pb->n; i++) {
      sums[0] += weighted(g, i, pb->y[i] - g->mu[i]);
      sums[1] += weighted(g, i, rp_family_variance(g->family, g->mu[i]));
    }
    rp_rows_sum(pb->X, sums, 2);
    if (!(sums[1] > 0.0)) return;
    double step = sums[0] / sums[1];
    g->b0 += step;
    set_eta(g);
    for (int h = 0; h < RP_MAX_HALVINGS && !(loss_mean(g) <= before); h++) {
      step *= 0.5;
      g->b0 -= step;
      set_eta(g);
    }
    if (fabs(step) <= 4.0 * DBL_EPSILON * fmax(1.0, fabs(g->b0))) return;
  }
}

/* The null fit: b0 = link(ybar), ybar = sum_i v_i y_i / n, with an intercept
 * (solved for with offsets), else eta = o. */
static void null_fit(rp_glm *g) {
  const rp_problem *pb = g->pb;
  double ybar = 0.0;
  for (size_t i = 0; i < pb->n; i++) ybar += weighted(g, i, pb->y[i]) / n_total(g);
  ybar = rp_rows_total(pb->X, ybar);
  g->b0 = pb->intercept ? rp_family_link(g->family, ybar) : 0.0;
  set_eta(g);
  if (pb->intercept && pb->offset) null_intercept_with_offset(g);
  double sums[2] = {0.0, 0.0}; /* the deviance and the saturated loss */
  for (size_t i = 0; i < pb->n; i++) {
    sums[0] += weighted(g, i, rp_family_unit_deviance(g->family, pb->y[i], g->eta[i]));
    sums[1] -= weighted(g, i, rp_family_conjugate(g->family, pb->y[i]));
  }
  rp_rows_sum(pb->X, sums, 2);
  g->null_deviance = sums[0];
  g->saturated_loss = sums[1] / n_total(g);
}

rp_status rp_glm_alloc(const rp_problem *pb, const rp_fit_options *opt, rp_glm **out,
                       rp_error *err) {
  *out = NULL;
  size_t n = pb->n, p = pb->p, bad = rp_family_invalid_target(opt->family, pb->y, n);
  if (bad < n)
    return rp_error_set(err, RP_EDATA, "target \"%s\": value %g on fitted row %zu is not %s",
                        opt->target_name ? opt->target_name : "", pb->y[bad], bad + 1,
                        rp_family_target_kind(opt->family));
  rp_glm *g = calloc(1, sizeof *g);
  if (!g) return rp_error_set(err, RP_ENOMEM, "out of memory");
  g->pb = pb;
  g->family = opt->family;
  g->beta = calloc(p, sizeof *g->beta);
  g->beta_old = calloc(p, sizeof *g->beta_old);
  int pred = rp_predictor_alloc(&g->pred, p);
  g->grad = malloc(p * sizeof *g->grad);
  g->xv = malloc(p * sizeof *g->xv);
  g->xv_stamp = calloc(p, sizeof *g->xv_stamp);
  int sets = rp_sweep_alloc(&g->sweep, pb, g->beta, g);
  g->sweep.gradient = quadratic_gradient;
  g->sweep.curvature = quadratic_curvature;
  g->sweep.move = quadratic_move;
  g->sweep.first_step = intercept_step;
  g->eta = malloc(n * sizeof *g->eta);
  g->mu = malloc(n * sizeof *g->mu);
  g->w = malloc(n * sizeof *g->w);
  g->resid = malloc(n * sizeof *g->resid);
  rp_glm_factor_alloc(&g->hess, pb, RP_NEWTON_MAX_ACTIVE);
  int accel = p >= RP_ACCEL_LEAST_COLUMNS ? rp_glm_accel_alloc(&g->accel, pb) : 1;
  int cg = rp_glm_cg_alloc(&g->cg, pb);
  g->cg_products = 1;
  g->newton_cols = malloc((p + 1) * sizeof *g->newton_cols);
  g->newton_d = malloc((p + 1) * sizeof *g->newton_d);
  g->newton_t = malloc((p + 1) * sizeof *g->newton_t);
  g->dual_mu = malloc(n * sizeof *g->dual_mu);
  g->dual_r = malloc(n * sizeof *g->dual_r);
  g->dual_step = malloc((g->hess.cap + 1) * sizeof *g->dual_step);
  g->dual_grad = malloc(p * sizeof *g->dual_grad);
  if (!cg || !g->newton_cols || !g->newton_d || !g->newton_t || !g->dual_mu || !g->dual_r ||
      !g->dual_step || !g->dual_grad || !g->beta || !g->beta_old || !pred || !g->grad || !g->xv ||
      !g->xv_stamp || !sets || !accel || !g->eta || !g->mu || !g->w || !g->resid) {
    rp_glm_free(g);
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  }
  g->expansions = 1; /* no xv is valid yet (stamps are 0) */
  g->w_epoch = 1;
  g->corrected_gap = INFINITY;
  g->max_iter = opt->max_iter;
  g->dual_best = -INFINITY;
  g->watchable = g->family == RP_FAMILY_GAUSSIAN;
  for (size_t j = 0; j < p; j++)
    if (pb->pf[j] == 0.0) g->watchable = 0;
  double yy = 0.0;
  for (size_t i = 0; i < n; i++) yy += weighted(g, i, pb->y[i] * pb->y[i]);
  g->half_yy = 0.5 * rp_rows_total(pb->X, yy) / n_total(g);
  null_fit(g);
  double null_objective = 0.5 * g->null_deviance / n_total(g);
  /* glmnet: thresh * dev0 (lognet, fishnet); thresh * var(y) = thresh *
   * 2 * null objective for a gaussian (elnet, as cd.c) */
  g->thr = opt->tol * null_objective * (g->family == RP_FAMILY_GAUSSIAN ? 2.0 : 1.0);
  g->gap_limit = rp_gap_target(opt->gap_tol, opt->tol) * null_objective;
  refresh_gradient(g);
  *out = g;
  return RP_OK;
}

void rp_glm_fit_unpenalized(rp_glm *g) {
  int converged;
  if (rp_sweep_add_unpenalized(&g->sweep)) solve_to_convergence(g, 0.0, 0.0, 0, &converged);
}

double rp_glm_alpha_max(const rp_glm *g) { return rp_penalty_alpha_max(g->pb, g->grad); }

/* The start at alpha: the prediction (path_predict.h) when it lowers the
 * objective there, else the current solution.  On binomial 5000 x 500
 * the full-data path takes 947 sweeps from it instead of 1,300. */
static void predict_start(rp_glm *g, double alpha, double alpha_prev) {
  const rp_problem *pb = g->pb;
  double lam1 = rp_problem_lam1(pb, alpha), lam2 = rp_problem_lam2(pb, alpha);
  double t = rp_predictor_step(&g->pred, alpha, alpha_prev), b0 = g->b0;
  double *b = g->beta_old; /* free between outer steps */
  memcpy(b, g->beta, pb->p * sizeof *b);
  if (t > 0.0) {
    double before = objective(g, lam1, lam2);
    for (size_t a = 0; a < g->sweep.n_active; a++) {
      size_t j = g->sweep.active[a];
      g->beta[j] = rp_clip_to_limits(pb, j, rp_predicted(b[j], g->pred.beta_back[j], t));
    }
    g->b0 = b0 + t * (b0 - g->pred.b0_back);
    set_eta(g);
    if (!(objective(g, lam1, lam2) < before)) {
      memcpy(g->beta, b, pb->p * sizeof *b);
      g->b0 = b0;
      set_eta(g);
    }
  }
  rp_predictor_shift(&g->pred, b, b0, pb->p, alpha_prev, alpha);
}

long rp_glm_solve(rp_glm *g, double alpha, double alpha_prev, int *converged) {
  const rp_problem *pb = g->pb;
  g->dual_best = -INFINITY;
  g->watching = 0;
  g->unwatched = 0;
  predict_start(g, alpha, alpha_prev);
  rp_sweep_screen(&g->sweep, g->grad, alpha, alpha_prev);
  return solve_to_convergence(g, rp_problem_lam1(pb, alpha), rp_problem_lam2(pb, alpha), 1,
                              converged);
}

/* The dual objective at theta = s r/n (glm.h). */
static double dual_objective(const rp_glm *g, const double *mu, const double *grad, double s,
                             double lam1, double lam2) {
  const rp_problem *pb = g->pb;
  double nt = n_total(g), fixed = 0.0;
  double sums[3] = {0.0, 0.0, 0.0}; /* sum v c*, mean r, mean r o */
  for (size_t i = 0; i < pb->n; i++) {
    sums[0] += weighted(g, i, rp_family_conjugate(g->family, pb->y[i] + s * (mu[i] - pb->y[i])));
    sums[1] += weighted(g, i, pb->y[i] - mu[i]) / nt;
    if (pb->offset) sums[2] += weighted(g, i, (pb->y[i] - mu[i]) * pb->offset[i]) / nt;
  }
  rp_rows_sum(pb->X, sums, 3);
  for (size_t j = 0; j < pb->p; j++) /* those with a limit on g_j's side are in Omega* */
    if (pb->pf[j] == 0.0 && !rp_limited_side(pb, j, s * grad[j])) fixed += g->beta[j] * grad[j];
  return -sums[0] / nt - rp_penalty_conjugate(pb, grad, s, lam1, lam2) -
         s * (g->b0 * sums[1] + fixed + sums[2]);
}

static double dual_bound(const rp_glm *g, const double *mu, const double *grad, double lam1,
                         double lam2) {
  double s[2], dual = -INFINITY;
  for (size_t c = 0, m = rp_dual_scalings(g->pb, grad, lam1, lam2, s); c < m; c++)
    dual = fmax(dual, dual_objective(g, mu, grad, s[c], lam1, lam2));
  return dual;
}

static double certificate_gap(const rp_glm *g, const double *mu, const double *grad, double lam1,
                              double lam2, double primal) {
  return fmax(primal - dual_bound(g, mu, grad, lam1, lam2), 0.0);
}

void rp_glm_certificate(const rp_glm *g, double alpha, double *deviance, double *gap) {
  double loss = loss_mean(g);
  *deviance = 2.0 * n_total(g) * (loss - g->saturated_loss);
  double lam1 = rp_problem_lam1(g->pb, alpha), lam2 = rp_problem_lam2(g->pb, alpha);
  double gap_here = certificate_gap(g, g->mu, g->grad, lam1, lam2,
                                    loss + rp_penalty_value(g->pb, g->beta, lam1, lam2));
  *gap = fmin(gap_here, g->corrected_gap);
}

int rp_glm_saturated(const rp_glm *g) {
  if (g->family != RP_FAMILY_BINOMIAL) return 0;
  double sum = 0.0;
  for (size_t i = 0; i < g->pb->n; i++)
    sum += weighted(g, i, rp_family_variance(g->family, g->mu[i]));
  return rp_rows_total(g->pb->X, sum) / n_total(g) < RP_SATURATED_MEAN_VARIANCE;
}

void rp_glm_free(rp_glm *g) {
  if (!g) return;
  free(g->beta);
  free(g->beta_old);
  rp_predictor_free(&g->pred);
  free(g->grad);
  free(g->xv);
  free(g->xv_stamp);
  rp_sweep_free(&g->sweep);
  free(g->eta);
  free(g->mu);
  free(g->w);
  free(g->resid);
  free(g->newton_cols);
  free(g->newton_d);
  free(g->newton_t);
  rp_glm_cg_free(&g->cg);
  rp_glm_factor_free(&g->hess);
  rp_glm_accel_free(&g->accel);
  free(g->dual_mu);
  free(g->dual_r);
  free(g->dual_step);
  free(g->dual_grad);
  free(g);
}
