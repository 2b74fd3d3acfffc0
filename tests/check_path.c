/* check_path.c: the path solver against independent oracles: closed-form
 * ridge, soft-thresholding on an orthonormal design, KKT conditions, the
 * duality gap, and the all-zero solution at alpha_max. */
#include <check.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cholesky.h"
#include "design_view.h"
#include "glm_accel.h"
#include "glm_cg.h"
#include "regpath.h"
#include "testutil.h"

/* A random regression problem: correlated columns of different scales. */
typedef struct {
  size_t n, p;
  double *X, *y; /* column-major */
} problem;

static problem make_problem(size_t n, size_t p, unsigned long seed) {
  problem pr = {n, p, malloc(n * p * sizeof(double)), malloc(n * sizeof(double))};
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, seed);
  for (size_t j = 0; j < p; j++)
    for (size_t i = 0; i < n; i++) {
      double prev = j > 0 ? pr.X[(j - 1) * n + i] : 0.0;
      pr.X[j * n + i] = 0.6 * prev + gsl_ran_gaussian(r, 1.0) * (1.0 + (double)j) + (double)j;
    }
  for (size_t i = 0; i < n; i++) {
    double s = 3.0;
    for (size_t j = 0; j < p; j += 2) s += pr.X[j * n + i] * (j % 4 ? -1.0 : 0.5);
    pr.y[i] = s + gsl_ran_gaussian(r, 2.0);
  }
  gsl_rng_free(r);
  return pr;
}

static void free_problem(problem *pr) {
  free(pr->X);
  free(pr->y);
}

static rp_path *fit(const problem *pr, const rp_fit_options *opt) {
  rp_matrix X = {pr->n, pr->p, pr->n, pr->X};
  rp_path *path = NULL;
  rp_error err;
  rp_status st = rp_path_fit(&X, pr->y, NULL, 0, opt, &path, &err);
  ck_assert_msg(st == RP_OK, "fit failed: %s", err.message);
  return path;
}

/* The test's own standardization (1/n formulas), independent of the library. */
typedef struct {
  double *Xs, *ys, *mean, *scale, ymean, ysd;
} standardized;

static standardized standardize(const problem *pr, int center, int scale) {
  size_t n = pr->n, p = pr->p;
  standardized s = {malloc(n * p * sizeof(double)),
                    malloc(n * sizeof(double)),
                    malloc(p * sizeof(double)),
                    malloc(p * sizeof(double)),
                    0.0,
                    0.0};
  for (size_t j = 0; j < p; j++) {
    double m = 0.0, v = 0.0;
    for (size_t i = 0; i < n; i++) m += pr->X[j * n + i] / (double)n;
    for (size_t i = 0; i < n; i++) v += pow(pr->X[j * n + i] - m, 2) / (double)n;
    s.mean[j] = center ? m : 0.0;
    s.scale[j] = scale ? sqrt(v) : 1.0;
    for (size_t i = 0; i < n; i++) s.Xs[j * n + i] = (pr->X[j * n + i] - s.mean[j]) / s.scale[j];
  }
  double m = 0.0, v = 0.0;
  for (size_t i = 0; i < n; i++) m += pr->y[i] / (double)n;
  s.ymean = center ? m : 0.0;
  for (size_t i = 0; i < n; i++) {
    s.ys[i] = pr->y[i] - s.ymean;
    v += s.ys[i] * s.ys[i] / (double)n;
  }
  s.ysd = sqrt(v);
  return s;
}

static void free_standardized(standardized *s) {
  free(s->Xs);
  free(s->ys);
  free(s->mean);
  free(s->scale);
}

static void check_ridge(int standardize_x, int intercept, rp_convention convention) {
  problem pr = make_problem(60, 6, 11);
  double alphas[] = {50.0, 5.0, 0.5, 0.05};
  rp_fit_options opt;
  rp_fit_options_init(&opt);
  opt.l1_ratio = 0.0;
  opt.standardize = standardize_x;
  opt.fit_intercept = intercept;
  opt.convention = convention;
  opt.alphas = alphas;
  opt.n_explicit = 4;
  /* glmnet's stopping rule bounds the squared step, so b is accurate to about
   * sqrt(tol): 1e-20 puts the closed form within 1e-8. */
  opt.tol = 1e-20;
  rp_path *path = fit(&pr, &opt);
  ck_assert_uint_eq(path->n_alphas, 4);
  double *coef = malloc(pr.p * sizeof(double)), b0, ysd;
  for (size_t k = 0; k < 4; k++) {
    tu_ridge(pr.X, pr.y, pr.n, pr.p, NULL, 0, standardize_x, intercept, 1.0, coef, &b0, &ysd);
    double lam2 = alphas[k] / (convention == RP_CONVENTION_GLMNET ? ysd : 1.0);
    tu_ridge(pr.X, pr.y, pr.n, pr.p, NULL, 0, standardize_x, intercept, lam2, coef, &b0, NULL);
    for (size_t j = 0; j < pr.p; j++)
      ck_assert_msg(tu_relerr(path->coef[k * pr.p + j], coef[j], 1e-8) < 1e-8,
                    "alpha %g coef %zu: %.12g vs %.12g", alphas[k], j, path->coef[k * pr.p + j],
                    coef[j]);
    ck_assert_msg(tu_relerr(path->intercept[k], b0, 1e-8) < 1e-8, "intercept %.12g vs %.12g",
                  path->intercept[k], b0);
  }
  free(coef);
  rp_path_free(path);
  free_problem(&pr);
}

START_TEST(ridge_equals_closed_form_standardized) { check_ridge(1, 1, RP_CONVENTION_STANDARD); }
END_TEST
START_TEST(ridge_equals_closed_form_unstandardized) { check_ridge(0, 1, RP_CONVENTION_STANDARD); }
END_TEST
START_TEST(ridge_equals_closed_form_glmnet_convention) { check_ridge(1, 1, RP_CONVENTION_GLMNET); }
END_TEST
START_TEST(ridge_equals_closed_form_without_intercept) {
  check_ridge(1, 0, RP_CONVENTION_STANDARD);
}
END_TEST

/* Columns orthogonal, centred, with <x_j, x_j>/n = 1: the lasso solution is
 * b_j = S(<x_j, y>/n, alpha) coordinate by coordinate. */
START_TEST(lasso_on_orthonormal_design_is_soft_thresholding) {
  size_t n = 40, p = 4;
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 5);
  gsl_matrix *A = gsl_matrix_alloc(n, p + 1);
  for (size_t i = 0; i < n; i++) {
    gsl_matrix_set(A, i, 0, 1.0);
    for (size_t j = 1; j <= p; j++) gsl_matrix_set(A, i, j, gsl_ran_gaussian(r, 1.0));
  }
  gsl_vector *tau = gsl_vector_alloc(p + 1);
  gsl_linalg_QR_decomp(A, tau);
  gsl_matrix *Q = gsl_matrix_alloc(n, n), *R = gsl_matrix_alloc(n, p + 1);
  gsl_linalg_QR_unpack(A, tau, Q, R);
  problem pr = {n, p, malloc(n * p * sizeof(double)), malloc(n * sizeof(double))};
  for (size_t j = 0; j < p; j++) /* columns 1..p of Q are orthogonal to the constant */
    for (size_t i = 0; i < n; i++) pr.X[j * n + i] = sqrt((double)n) * gsl_matrix_get(Q, i, j + 1);
  double truth[] = {2.0, -1.0, 0.5, 0.0};
  for (size_t i = 0; i < n; i++) {
    pr.y[i] = 7.0 + gsl_ran_gaussian(r, 0.3);
    for (size_t j = 0; j < p; j++) pr.y[i] += truth[j] * pr.X[j * n + i];
  }
  double alphas[] = {1.5, 0.8, 0.3, 0.01};
  rp_fit_options opt;
  rp_fit_options_init(&opt);
  opt.alphas = alphas;
  opt.n_explicit = 4;
  opt.tol = 1e-16;
  rp_path *path = fit(&pr, &opt);
  for (size_t k = 0; k < 4; k++)
    for (size_t j = 0; j < p; j++) {
      double c = 0.0;
      for (size_t i = 0; i < n; i++) c += pr.X[j * n + i] * pr.y[i] / (double)n;
      double expect = copysign(fmax(fabs(c) - alphas[k], 0.0), c);
      ck_assert_msg(fabs(path->coef[k * p + j] - expect) < 1e-10,
                    "alpha %g coef %zu: %.12g vs %.12g", alphas[k], j, path->coef[k * p + j],
                    expect);
    }
  rp_path_free(path);
  free_problem(&pr);
  gsl_matrix_free(A);
  gsl_matrix_free(Q);
  gsl_matrix_free(R);
  gsl_vector_free(tau);
  gsl_rng_free(r);
}
END_TEST

/* KKT on the standardized problem at every alpha:
 *   g_j = <x~_j, r>/n = lam1 pf sign(b_j) + lam2 pf b_j   where b_j != 0,
 *   |g_j| <= lam1 pf                                       where b_j = 0. */
static void check_kkt(double l1_ratio, rp_update update, const double *pf) {
  problem pr = make_problem(80, 12, 3);
  standardized s = standardize(&pr, 1, 1);
  rp_fit_options opt;
  rp_fit_options_init(&opt);
  opt.l1_ratio = l1_ratio;
  opt.tol = 1e-14;
  opt.update = update;
  opt.penalty_factor = pf;
  rp_path *path = fit(&pr, &opt);
  size_t n = pr.n, p = pr.p;
  double *r = malloc(n * sizeof(double)), pf_sum = 0.0;
  for (size_t j = 0; j < p; j++) pf_sum += pf ? pf[j] : 1.0;
  ck_assert_uint_ge(path->n_alphas, 5);
  for (size_t k = 0; k < path->n_alphas; k++) {
    const double *b = path->coef + k * p;
    for (size_t i = 0; i < n; i++) {
      r[i] = pr.y[i] - path->intercept[k];
      for (size_t j = 0; j < p; j++) r[i] -= b[j] * pr.X[j * n + i];
    }
    double lam1 = path->alphas[k] * l1_ratio, lam2 = path->alphas[k] * (1.0 - l1_ratio);
    for (size_t j = 0; j < p; j++) {
      double w = (pf ? pf[j] : 1.0) * (double)p / pf_sum, g = 0.0, bs = b[j] * s.scale[j];
      for (size_t i = 0; i < n; i++) g += s.Xs[j * n + i] * r[i] / (double)n;
      double slack = 1e-6 * s.ysd;
      if (bs != 0.0)
        ck_assert_msg(fabs(g - lam1 * w * copysign(1.0, bs) - lam2 * w * bs) < slack,
                      "alpha %zu coef %zu: stationarity off by %g", k, j,
                      g - lam1 * w * copysign(1.0, bs) - lam2 * w * bs);
      else
        ck_assert_msg(fabs(g) <= lam1 * w + slack, "alpha %zu coef %zu: |g| %g > %g", k, j, fabs(g),
                      lam1 * w);
    }
  }
  free(r);
  rp_path_free(path);
  free_standardized(&s);
  free_problem(&pr);
}

START_TEST(lasso_path_meets_kkt_covariance) { check_kkt(1.0, RP_UPDATE_COVARIANCE, NULL); }
END_TEST
START_TEST(lasso_path_meets_kkt_naive) { check_kkt(1.0, RP_UPDATE_NAIVE, NULL); }
END_TEST
START_TEST(elastic_net_path_meets_kkt) { check_kkt(0.3, RP_UPDATE_AUTO, NULL); }
END_TEST
START_TEST(path_with_penalty_factors_meets_kkt) {
  double pf[12] = {0.0, 1.0, 2.0, 1.0, 0.5, 1.0, 1.0, 3.0, 1.0, 1.0, 0.0, 1.0};
  check_kkt(0.8, RP_UPDATE_NAIVE, pf);
}
END_TEST

START_TEST(all_zero_at_alpha_max_and_not_below) {
  problem pr = make_problem(50, 8, 9);
  rp_fit_options opt;
  rp_fit_options_init(&opt);
  opt.l1_ratio = 0.7;
  rp_path *grid = fit(&pr, &opt);
  double alphas[] = {grid->alpha_max, grid->alpha_max * (1.0 - 1e-6)};
  ck_assert_double_eq_tol(grid->alphas[0], grid->alpha_max, 1e-12 * grid->alpha_max);
  for (size_t j = 0; j < pr.p; j++) ck_assert_double_eq(grid->coef[j], 0.0);
  ck_assert_double_eq_tol(grid->intercept[0], gsl_stats_mean(pr.y, 1, pr.n), 1e-12);
  opt.alphas = alphas;
  opt.n_explicit = 2;
  rp_path *path = fit(&pr, &opt);
  ck_assert_uint_eq(path->df[0], 0);
  ck_assert_uint_eq(path->df[1], 1);
  rp_path_free(grid);
  rp_path_free(path);
  free_problem(&pr);
}
END_TEST

START_TEST(duality_gap_is_small_and_nonnegative) {
  problem pr = make_problem(70, 10, 21);
  double l1s[] = {1.0, 0.5, 0.0};
  for (size_t c = 0; c < 3; c++) {
    rp_fit_options opt;
    rp_fit_options_init(&opt);
    opt.l1_ratio = l1s[c];
    opt.tol = 1e-16;
    rp_path *path = fit(&pr, &opt);
    for (size_t k = 0; k < path->n_alphas; k++) {
      ck_assert(path->dual_gap[k] >= 0.0);
      ck_assert_msg(path->dual_gap[k] <= 1e-8 * path->null_objective, "l1 %g alpha %zu gap %g",
                    l1s[c], k, path->dual_gap[k] / path->null_objective);
    }
    rp_path_free(path);
  }
  free_problem(&pr);
}
END_TEST

/* A loose tolerance must show in the certificate: the gap is not vacuous. */
START_TEST(duality_gap_grows_with_loose_tolerance) {
  problem pr = make_problem(70, 10, 21);
  rp_fit_options opt;
  rp_fit_options_init(&opt);
  opt.tol = 1e-2;
  opt.gap_tol = 0.0; /* glmnet's stopping rule alone */
  rp_path *loose = fit(&pr, &opt);
  double worst = 0.0;
  for (size_t k = 0; k < loose->n_alphas; k++) worst = fmax(worst, loose->dual_gap[k]);
  ck_assert_msg(worst > 1e-6 * loose->null_objective, "gap %g", worst / loose->null_objective);
  rp_path_free(loose);
  free_problem(&pr);
}
END_TEST

/* With glmnet's rule loose, the gap tolerance alone still certifies every point. */
START_TEST(gap_tolerance_holds_at_every_alpha_with_loose_tol) {
  problem pr = make_problem(70, 10, 21);
  double l1s[] = {1.0, 0.5};
  for (size_t c = 0; c < 2; c++) {
    rp_fit_options opt;
    rp_fit_options_init(&opt);
    opt.l1_ratio = l1s[c];
    opt.tol = 1e-2;
    opt.gap_tol = 1e-7;
    rp_path *path = fit(&pr, &opt);
    for (size_t k = 0; k < path->n_alphas; k++) {
      ck_assert(path->converged[k]);
      ck_assert_msg(path->dual_gap[k] <= 1e-7 * path->null_objective, "l1 %g alpha %zu gap %g",
                    l1s[c], k, path->dual_gap[k] / path->null_objective);
    }
    rp_path_free(path);
  }
  free_problem(&pr);
}
END_TEST

/* The lasso objective of point k on the original scale: the penalty is on
 * the standardized coefficients b~_j = b_j s_j. */
static double lasso_objective(const problem *pr, const rp_path *path, size_t k) {
  double rss = 0.0, l1 = 0.0;
  const double *coef = path->coef + k * pr->p;
  for (size_t i = 0; i < pr->n; i++) {
    double r = pr->y[i] - path->intercept[k];
    for (size_t j = 0; j < pr->p; j++) r -= pr->X[j * pr->n + i] * coef[j];
    rss += r * r;
  }
  for (size_t j = 0; j < pr->p; j++) l1 += fabs(coef[j]) * path->scale[j];
  return rss / (2.0 * (double)pr->n) + path->alphas[k] * l1;
}

/* Every point of a path on problem (n, p, seed) down to alpha_min_ratio is
 * certified, and the certificate bounds the true suboptimality, measured
 * against a fit to a 1e-13 gap; with naive and covariance updates. */
static void check_certificate_bounds_suboptimality(size_t n, size_t p, unsigned long seed,
                                                   double alpha_min_ratio) {
  problem pr = make_problem(n, p, seed);
  rp_update updates[] = {RP_UPDATE_NAIVE, RP_UPDATE_COVARIANCE};
  for (size_t u = 0; u < 2; u++) {
    rp_fit_options opt;
    rp_fit_options_init(&opt);
    opt.update = updates[u];
    opt.alpha_min_ratio = alpha_min_ratio;
    opt.early_stop = 0;
    rp_path *path = fit(&pr, &opt);
    opt.alphas = path->alphas;
    opt.n_explicit = path->n_alphas;
    opt.tol = 1e-20;
    opt.gap_tol = 1e-13;
    rp_path *exact = fit(&pr, &opt);
    for (size_t k = 0; k < path->n_alphas; k++) {
      double null = path->null_objective;
      ck_assert_msg(path->converged[k] && exact->converged[k], "update %zu alpha %zu", u, k);
      ck_assert_msg(path->dual_gap[k] <= 1e-6 * null, "update %zu alpha %zu gap %g", u, k,
                    path->dual_gap[k] / null);
      double subopt = lasso_objective(&pr, path, k) - lasso_objective(&pr, exact, k);
      ck_assert_msg(subopt <= path->dual_gap[k] + exact->dual_gap[k] + 1e-12 * null,
                    "update %zu alpha %zu: suboptimality %g > gap %g", u, k, subopt / null,
                    path->dual_gap[k] / null);
    }
    rp_path_free(exact);
    rp_path_free(path);
  }
  free_problem(&pr);
}

/* Near interpolation (p >> n, small alphas), where the gap of the rescaled
 * residual is slow to close and the solver extrapolates. */
START_TEST(gap_certificate_bounds_suboptimality_near_interpolation) {
  check_certificate_bounds_suboptimality(30, 150, 8, 1e-3);
}
END_TEST

/* n = p down to 1e-4 alpha_max: the support's Gram matrix is
 * ill-conditioned and the covariance route moves the coefficients by the
 * support's least-squares step (cd.c, support_move), including the
 * projected and clipped steps where signs change. */
START_TEST(gap_certificate_bounds_suboptimality_with_n_equal_p) {
  check_certificate_bounds_suboptimality(60, 60, 5, 1e-4);
}
END_TEST

/* Both routes reach the same solution.  Converged tightly: at glmnet's
 * rule with tol 1e-16 each stops within ~1e-9 of it, wherever its own
 * steps happen to end, and the covariance route's support steps end
 * elsewhere than the naive route's sweeps. */
START_TEST(naive_and_covariance_updates_agree) {
  problem pr = make_problem(90, 15, 4);
  rp_fit_options opt;
  rp_fit_options_init(&opt);
  opt.l1_ratio = 0.9;
  opt.tol = 1e-20;
  opt.gap_tol = 1e-14;
  opt.update = RP_UPDATE_NAIVE;
  rp_path *a = fit(&pr, &opt);
  opt.update = RP_UPDATE_COVARIANCE;
  rp_path *b = fit(&pr, &opt);
  ck_assert_uint_eq(a->n_alphas, b->n_alphas);
  for (size_t k = 0; k < a->n_alphas * pr.p; k++)
    ck_assert_msg(fabs(a->coef[k] - b->coef[k]) < 1e-9, "%zu: %.17g vs %.17g", k, a->coef[k],
                  b->coef[k]);
  rp_path_free(a);
  rp_path_free(b);
  free_problem(&pr);
}
END_TEST

START_TEST(unpenalized_column_enters_at_alpha_max) {
  problem pr = make_problem(50, 5, 8);
  double pf[5] = {1.0, 0.0, 1.0, 1.0, 1.0};
  rp_fit_options opt;
  rp_fit_options_init(&opt);
  opt.penalty_factor = pf;
  rp_path *path = fit(&pr, &opt);
  ck_assert(path->coef[1] != 0.0);
  for (size_t j = 0; j < pr.p; j++)
    if (j != 1) ck_assert_double_eq(path->coef[j], 0.0);
  rp_path_free(path);
  free_problem(&pr);
}
END_TEST

START_TEST(constant_column_gets_zero_and_is_flagged) {
  problem pr = make_problem(40, 4, 2);
  for (size_t i = 0; i < pr.n; i++) pr.X[2 * pr.n + i] = 3.25;
  rp_fit_options opt;
  rp_fit_options_init(&opt);
  rp_path *path = fit(&pr, &opt);
  ck_assert_int_eq(path->constant[2], 1);
  ck_assert_int_eq(path->constant[0], 0);
  for (size_t k = 0; k < path->n_alphas; k++) ck_assert_double_eq(path->coef[k * pr.p + 2], 0.0);
  ck_assert_uint_gt(path->df[path->n_alphas - 1], 0);
  rp_path_free(path);
  free_problem(&pr);
}
END_TEST

/* glmnet's default lambda.min.ratio: 1e-2 when nobs < nvars, else 1e-4
 * (n == p included). */
START_TEST(generated_grid_is_log_spaced_from_alpha_max) {
  const struct {
    size_t n, p;
    double ratio;
  } cases[] = {{30, 50, 1e-2}, {30, 31, 1e-2}, {30, 30, 1e-4}, {31, 30, 1e-4}};
  for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
    problem pr = make_problem(cases[c].n, cases[c].p, 6);
    rp_fit_options opt;
    rp_fit_options_init(&opt);
    opt.early_stop = 0;
    opt.n_alphas = 20;
    rp_path *path = fit(&pr, &opt);
    ck_assert_uint_eq(path->n_alphas, 20);
    for (size_t k = 0; k < 20; k++) {
      double want = path->alpha_max * pow(cases[c].ratio, (double)k / 19.0);
      ck_assert_msg(fabs(path->alphas[k] - want) <= 1e-12 * path->alpha_max,
                    "n %zu, p %zu: alpha %zu is %g, not %g", cases[c].n, cases[c].p, k,
                    path->alphas[k], want);
    }
    rp_path_free(path);
    free_problem(&pr);
  }
}
END_TEST

START_TEST(max_iter_reached_is_reported_not_fatal) {
  problem pr = make_problem(60, 10, 12);
  rp_fit_options opt;
  rp_fit_options_init(&opt);
  opt.max_iter = 1;
  opt.tol = 1e-16;
  rp_path *path = fit(&pr, &opt);
  size_t missed = 0;
  for (size_t k = 0; k < path->n_alphas; k++) missed += !path->converged[k];
  ck_assert_uint_gt(missed, 0);
  rp_path_free(path);
  free_problem(&pr);
}
END_TEST

/* Standardization makes a column's units irrelevant: scaled by 1e-300 or
 * 1e300 (squares that underflow or overflow), its coefficient scales by the
 * inverse and nothing else moves, on both routes. */
START_TEST(extreme_column_scales_change_only_that_coefficient) {
  double scales[] = {1e-300, 1e300, 1e-150};
  rp_update updates[] = {RP_UPDATE_NAIVE, RP_UPDATE_COVARIANCE};
  for (size_t u = 0; u < 2; u++) {
    problem pr = make_problem(50, 4, 13);
    rp_fit_options opt;
    rp_fit_options_init(&opt);
    opt.update = updates[u];
    opt.tol = 1e-14;
    rp_path *ref = fit(&pr, &opt);
    for (size_t c = 0; c < 3; c++) {
      problem sc = make_problem(50, 4, 13);
      for (size_t i = 0; i < sc.n; i++) sc.X[1 * sc.n + i] *= scales[c];
      opt.alphas = ref->alphas;
      opt.n_explicit = ref->n_alphas;
      rp_path *path = fit(&sc, &opt);
      for (size_t k = 0; k < ref->n_alphas; k++)
        for (size_t j = 0; j < sc.p; j++) {
          double want = ref->coef[k * sc.p + j] / (j == 1 ? scales[c] : 1.0);
          ck_assert_msg(tu_relerr(path->coef[k * sc.p + j], want, 1e-8 * fabs(want) + 1e-300) <
                            1e-8,
                        "scale %g alpha %zu coef %zu: %g vs %g", scales[c], k, j,
                        path->coef[k * sc.p + j], want);
        }
      rp_path_free(path);
      free_problem(&sc);
      opt.alphas = NULL;
    }
    rp_path_free(ref);
    free_problem(&pr);
  }
}
END_TEST

/* Seeded random problems (shapes, mixes, both routes): KKT at every alpha,
 * a deviance ratio that never falls as alpha decreases (optimality at two
 * strengths implies RSS(alpha_1) >= RSS(alpha_2) for alpha_1 > alpha_2),
 * and continuity: refining the grid shrinks the largest step between
 * neighbouring solutions, which a jump in the path would not allow. */
static double largest_step(const rp_path *path) {
  double step = 0.0;
  for (size_t k = 1; k < path->n_alphas; k++)
    for (size_t j = 0; j < path->p; j++)
      step = fmax(step, fabs(path->coef[k * path->p + j] - path->coef[(k - 1) * path->p + j]));
  return step;
}

START_TEST(random_paths_meet_kkt_and_are_monotone_and_continuous) {
  const size_t shapes[][2] = {{12, 3}, {40, 10}, {25, 60}};
  const double l1s[] = {1.0, 0.5, 0.1};
  const rp_update updates[] = {RP_UPDATE_NAIVE, RP_UPDATE_COVARIANCE};
  size_t cases = 0;
  for (unsigned long seed = 1; seed <= 4; seed++)
    for (size_t sh = 0; sh < 3; sh++)
      for (size_t c = 0; c < 3; c++)
        for (size_t u = 0; u < 2; u++) {
          problem pr = make_problem(shapes[sh][0], shapes[sh][1], seed * 7 + sh);
          standardized sd = standardize(&pr, 1, 1);
          rp_fit_options opt;
          rp_fit_options_init(&opt);
          opt.l1_ratio = l1s[c];
          opt.update = updates[u];
          opt.tol = 1e-14;
          opt.early_stop = 0;
          opt.n_alphas = 40;
          rp_path *path = fit(&pr, &opt);
          size_t n = pr.n, p = pr.p;
          double *r = malloc(n * sizeof(double));
          for (size_t k = 0; k < path->n_alphas; k++) {
            const double *b = path->coef + k * p;
            for (size_t i = 0; i < n; i++) {
              r[i] = pr.y[i] - path->intercept[k];
              for (size_t j = 0; j < p; j++) r[i] -= b[j] * pr.X[j * n + i];
            }
            double lam1 = path->alphas[k] * l1s[c], lam2 = path->alphas[k] * (1.0 - l1s[c]);
            double slack = 1e-6 * sd.ysd;
            for (size_t j = 0; j < p; j++) {
              double g = 0.0, bs = b[j] * sd.scale[j];
              for (size_t i = 0; i < n; i++) g += sd.Xs[j * n + i] * r[i] / (double)n;
              double excess = bs != 0.0 ? fabs(g - lam1 * copysign(1.0, bs) - lam2 * bs)
                                        : fmax(fabs(g) - lam1, 0.0);
              ck_assert_msg(excess < slack,
                            "seed %lu shape %zu l1 %g route %zu alpha %zu coef %zu: KKT off by %g",
                            seed, sh, l1s[c], u, k, j, excess);
            }
            if (k > 0)
              ck_assert_msg(path->dev_ratio[k] >= path->dev_ratio[k - 1] - 1e-9,
                            "dev_ratio fell at %zu", k);
          }
          opt.n_alphas = 160;
          rp_path *fine = fit(&pr, &opt);
          double coarse_step = largest_step(path), fine_step = largest_step(fine);
          ck_assert_msg(fine_step <= 0.6 * coarse_step + 1e-12, "steps %g -> %g", coarse_step,
                        fine_step);
          free(r);
          rp_path_free(path);
          rp_path_free(fine);
          free_standardized(&sd);
          free_problem(&pr);
          cases++;
        }
  ck_assert_uint_eq(cases, 72);
}
END_TEST

START_TEST(predict_is_intercept_plus_xb) {
  problem pr = make_problem(30, 3, 1);
  rp_fit_options opt;
  rp_fit_options_init(&opt);
  rp_path *path = fit(&pr, &opt);
  rp_matrix X = {pr.n, pr.p, pr.n, pr.X};
  size_t rows[] = {4, 0, 29};
  double yhat[3];
  size_t k = path->n_alphas - 1;
  rp_path_predict(path, k, &X, rows, 3, yhat);
  for (size_t i = 0; i < 3; i++) {
    double e = path->intercept[k];
    for (size_t j = 0; j < pr.p; j++) e += path->coef[k * pr.p + j] * pr.X[j * pr.n + rows[i]];
    ck_assert_double_eq_tol(yhat[i], e, 1e-12 * fabs(e));
  }
  rp_path_free(path);
  free_problem(&pr);
}
END_TEST

/* rp_path_predict_all gives rp_path_predict's numbers bit for bit at every
 * point, on a subset of rows and on all rows, along a lasso path where
 * columns enter one after another (so the gathered block leaves some out). */
START_TEST(predict_all_equals_predict_at_every_point) {
  problem pr = make_problem(40, 12, 5);
  rp_fit_options opt;
  rp_fit_options_init(&opt);
  rp_path *path = fit(&pr, &opt);
  rp_matrix X = {pr.n, pr.p, pr.n, pr.X};
  size_t rows[] = {39, 4, 0, 17, 4}, K = path->n_alphas;
  for (int all = 0; all < 2; all++) {
    size_t n = all ? pr.n : 5;
    double *eta = malloc(n * K * sizeof *eta), *one = malloc(n * sizeof *one);
    rp_error err;
    ck_assert_int_eq(rp_path_predict_all(path, &X, all ? NULL : rows, n, eta, &err), RP_OK);
    for (size_t k = 0; k < K; k++) {
      rp_path_predict(path, k, &X, all ? NULL : rows, n, one);
      ck_assert_mem_eq(eta + k * n, one, n * sizeof *one);
    }
    free(eta), free(one);
  }
  rp_path_free(path);
  free_problem(&pr);
}
END_TEST

START_TEST(bad_options_are_rejected_with_a_message) {
  problem pr = make_problem(20, 3, 1);
  rp_matrix X = {pr.n, pr.p, pr.n, pr.X};
  rp_path *path;
  rp_error err;
  rp_fit_options opt;
  double increasing[] = {1.0, 2.0}, negative_pf[] = {1.0, -1.0, 1.0}, zero_pf[] = {0.0, 0.0, 0.0};
  rp_fit_options_init(&opt);
  opt.l1_ratio = 1.5;
  ck_assert_int_eq(rp_path_fit(&X, pr.y, NULL, 0, &opt, &path, &err), RP_EINVAL);
  ck_assert_ptr_null(path);
  ck_assert_ptr_nonnull(strstr(err.message, "l1_ratio"));
  rp_fit_options_init(&opt);
  opt.alphas = increasing;
  opt.n_explicit = 2;
  ck_assert_int_eq(rp_path_fit(&X, pr.y, NULL, 0, &opt, &path, &err), RP_EINVAL);
  ck_assert_ptr_nonnull(strstr(err.message, "decreasing"));
  rp_fit_options_init(&opt);
  opt.penalty_factor = negative_pf;
  ck_assert_int_eq(rp_path_fit(&X, pr.y, NULL, 0, &opt, &path, &err), RP_EINVAL);
  opt.penalty_factor = zero_pf;
  ck_assert_int_eq(rp_path_fit(&X, pr.y, NULL, 0, &opt, &path, &err), RP_EINVAL);
  rp_fit_options_init(&opt);
  opt.tol = 0.0;
  ck_assert_int_eq(rp_path_fit(&X, pr.y, NULL, 0, &opt, &path, &err), RP_EINVAL);
  free_problem(&pr);
}
END_TEST

/* A grid whose byte count (2^62 alphas x 8 bytes) wraps around SIZE_MAX is
 * out of memory, not a small allocation written past.  (The program's
 * config caps path.n_alphas, so only the library reaches this.) */
START_TEST(grid_too_large_to_count_is_out_of_memory) {
  problem pr = make_problem(20, 3, 1);
  rp_matrix X = {pr.n, pr.p, pr.n, pr.X};
  rp_path *path = (rp_path *)&path;
  rp_error err;
  rp_fit_options opt;
  rp_fit_options_init(&opt);
  opt.n_alphas = (size_t)1 << 62;
  ck_assert_int_eq(rp_path_fit(&X, pr.y, NULL, 0, &opt, &path, &err), RP_ENOMEM);
  ck_assert_ptr_null(path);
  ck_assert_ptr_nonnull(strstr(err.message, "out of memory"));
  free_problem(&pr);
}
END_TEST

START_TEST(constant_target_is_a_data_error) {
  problem pr = make_problem(20, 3, 1);
  for (size_t i = 0; i < pr.n; i++) pr.y[i] = 4.0;
  rp_matrix X = {pr.n, pr.p, pr.n, pr.X};
  rp_path *path;
  rp_error err;
  rp_fit_options opt;
  rp_fit_options_init(&opt);
  ck_assert_int_eq(rp_path_fit(&X, pr.y, NULL, 0, &opt, &path, &err), RP_EDATA);
  ck_assert_ptr_nonnull(strstr(err.message, "constant"));
  free_problem(&pr);
}
END_TEST

/* ---------------------------------------------------------------- the support factor */

/* A = B'B/rows + shift I over all `cols` columns (B rows x cols, N(0, 1)):
 * rank min(rows, cols) before the shift. */
static double *random_gram(size_t rows, size_t cols, double shift, unsigned long seed) {
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, seed);
  double *B = malloc(rows * cols * sizeof *B), *A = malloc(cols * cols * sizeof *A);
  for (size_t i = 0; i < rows * cols; i++) B[i] = gsl_ran_gaussian(rng, 1.0);
  for (size_t j = 0; j < cols; j++)
    for (size_t k = 0; k < cols; k++) {
      double s = 0.0;
      for (size_t i = 0; i < rows; i++) s += B[j * rows + i] * B[k * rows + i];
      A[j * cols + k] = s / (double)rows + (j == k ? shift : 0.0);
    }
  free(B);
  gsl_rng_free(rng);
  return A;
}

/* max |(L L')_kl - A_{S_k S_l}| over the factor's order, A cols x cols. */
static double factor_residual(const rp_cholesky *c, const double *A, size_t cols, const size_t *S) {
  double worst = 0.0;
  for (size_t k = 0; k < c->m; k++)
    for (size_t l = 0; l <= k; l++) {
      double s = 0.0;
      for (size_t t = 0; t <= l; t++) s += c->L[t * c->ld + k] * c->L[t * c->ld + l];
      worst = fmax(worst, fabs(s - A[S[k] * cols + S[l]]));
    }
  return worst;
}

static void load_system(rp_cholesky *c, const double *A, size_t cols, const size_t *S, size_t m) {
  for (size_t k = 0; k < m; k++)
    for (size_t l = 0; l < m; l++) c->L[k * c->ld + l] = A[S[k] * cols + S[l]];
}

/* Columns join and leave (first, middle, last); after each change the
 * factor must reproduce the Gram matrix of the set it now holds, and a
 * solve must invert it. */
START_TEST(cholesky_updates_follow_the_column_set) {
  enum { COLS = 48, LD = 40 };
  double *A = random_gram(60, COLS, 0.05, 11);
  double L[LD * LD], work[LD], a[LD];
  size_t S[COLS];
  rp_cholesky c = {L, 0, LD, 0.0};
  for (size_t k = 0; k < 30; k++) S[k] = k;
  load_system(&c, A, COLS, S, 30);
  rp_cholesky_factor(&c, 30);
  ck_assert_double_lt(factor_residual(&c, A, COLS, S), 1e-13);
  const long ops[] = {-1 - 0, 30, 31, -1 - 14, 32, -1 - 30, 33, 34, 35, -1 - 5, 36, 37, 38, 39, 40};
  for (size_t o = 0; o < sizeof ops / sizeof *ops; o++) {
    if (ops[o] < 0) { /* remove position -1 - op */
      size_t k = (size_t)(-1 - ops[o]);
      memmove(S + k, S + k + 1, (c.m - 1 - k) * sizeof *S);
      rp_cholesky_remove(&c, k, work);
    } else { /* append column op */
      size_t j = (size_t)ops[o];
      for (size_t k = 0; k < c.m; k++) a[k] = A[j * COLS + S[k]];
      S[c.m] = j;
      rp_cholesky_append(&c, a, A[j * COLS + j]);
    }
    ck_assert_msg(factor_residual(&c, A, COLS, S) < 1e-13, "op %zu: residual %g", o,
                  factor_residual(&c, A, COLS, S));
  }
  ck_assert_uint_eq(c.m, 37);
  double x[LD], b[LD];
  for (size_t k = 0; k < c.m; k++) b[k] = x[k] = sin((double)k + 1.0);
  rp_cholesky_solve(&c, x);
  for (size_t k = 0; k < c.m; k++) {
    double s = 0.0;
    for (size_t l = 0; l < c.m; l++) s += A[S[k] * COLS + S[l]] * x[l];
    ck_assert_double_eq_tol(s, b[k], 1e-10);
  }
  free(A);
}
END_TEST

/* A Gram matrix of rank 8 in 20 columns: the factorization and the
 * appends do not fail, every entry stays finite, and L L' = A + E with E
 * diagonal and nonnegative (the floored pivots), to rounding. */
START_TEST(cholesky_floors_a_singular_gram_matrix) {
  enum { COLS = 20, LD = 20 };
  double *A = random_gram(8, COLS, 0.0, 5);
  double L[LD * LD], a[LD];
  size_t S[COLS];
  rp_cholesky c = {L, 0, LD, 0.0};
  for (size_t k = 0; k < COLS; k++) S[k] = k;
  load_system(&c, A, COLS, S, 12);
  rp_cholesky_factor(&c, 12);
  for (size_t j = 12; j < COLS; j++) {
    for (size_t k = 0; k < c.m; k++) a[k] = A[j * COLS + S[k]];
    rp_cholesky_append(&c, a, A[j * COLS + j]);
  }
  for (size_t k = 0; k < COLS; k++)
    for (size_t l = 0; l <= k; l++) {
      double s = 0.0, e;
      for (size_t t = 0; t <= l; t++) s += L[t * LD + k] * L[t * LD + l];
      ck_assert(isfinite(s));
      e = s - A[k * COLS + l];
      if (k == l)
        ck_assert_double_ge(e, -1e-12);
      else
        ck_assert_msg(fabs(e) < 1e-12, "(%zu, %zu): %g", k, l, e);
    }
  free(A);
}
END_TEST

/* Gradient descent on Q(x) = (1/2n) |z - A x|^2 (w = 1, no penalty), A's
 * columns orthogonal with norms s = 1, 2, 3, 4, 4: the iteration matrix
 * I - eta A'A/n has 4 distinct eigenvalues, one fewer than the K = 5
 * differences of K + 1 iterates, so some combination of the differences
 * vanishes and Anderson's extrapolation is the minimizer itself, x* = (1,
 * 1/2, 1/3, 1/4, 1/4) with residual (0, 0, 0, 0, 0, 7): up to the
 * perturbation that factors the singular U'U (3.5e-7 here), where the last
 * iterate is 0.5 away.  x[0] plays the intercept, x[1..] the columns. */
START_TEST(anderson_step_is_exact_on_four_error_modes) {
  enum { N = 6, M = 4 };
  ck_assert_int_eq(RP_CD_EXTRAPOLATION, 5);
  const double scale[M + 1] = {1, 2, 3, 4, 4}, solution[M + 1] = {1, 0.5, 1.0 / 3.0, 0.25, 0.25};
  double pf[M] = {1, 1, 1, 1}, w[N] = {1, 1, 1, 1, 1, 1}, z[N] = {1, 1, 1, 1, 1, 7};
  rp_problem pb = {0};
  pb.n = pb.n_total = N;
  pb.p = M;
  pb.pf = pf;
  size_t active[M] = {0, 1, 2, 3};
  double x[M + 1] = {0}, r[N], beta[M];
  rp_glm_accel A;
  ck_assert(rp_glm_accel_alloc(&A, &pb));
  for (int t = 0; t <= RP_CD_EXTRAPOLATION; t++) {
    if (t > 0) /* x += eta A' r / n, eta = n / 30 */
      for (size_t j = 0; j <= M; j++) x[j] += scale[j] * r[j] / 30.0;
    for (size_t i = 0; i < N; i++) r[i] = z[i] - (i <= M ? scale[i] * x[i] : 0.0);
    memcpy(beta, x + 1, sizeof beta);
    rp_glm_accel_remember(&A, &pb, x[0], beta, active, M, r);
    double b0 = x[0];
    int full = t == RP_CD_EXTRAPOLATION;
    ck_assert_int_eq(rp_glm_accel_step(&A, &pb, w, &b0, beta, active, M, r, 0.0, 0.0), full);
    if (full) {
      ck_assert_double_eq_tol(b0, solution[0], 1e-6);
      for (size_t j = 0; j < M; j++) ck_assert_double_eq_tol(beta[j], solution[j + 1], 1e-6);
      for (size_t i = 0; i < N; i++) ck_assert_double_eq_tol(r[i], i < 5 ? 0.0 : 7.0, 1e-6);
    }
  }
  rp_glm_accel_free(&A);
}
END_TEST

/* A problem of N rows and P dense columns (x_ij = sin(0.37 (i P + j)) +
 * N(0, 1) noise), an intercept, weights w in [0.5, 2] and the support
 * S = every other column, for the conjugate-gradient tests below; H of
 * glm_cg.h written out in `H` (order 1 + K, the intercept first). */
enum { CG_N = 40, CG_P = 16, CG_K = 8 };
typedef struct {
  rp_design *X;
  rp_problem pb;
  double pf[CG_P], w[CG_N], z[CG_N], H[(CG_K + 1) * (CG_K + 1)];
  size_t cols[CG_K];
  double lam2;
} cg_case;

static double cg_x(const cg_case *c, size_t i, size_t j) {
  return rp_design_dense_column(c->X, j)[i];
}

static void cg_case_init(cg_case *c, unsigned long seed) {
  rp_error err;
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, seed);
  ck_assert_int_eq(rp_design_dense_alloc(CG_N, CG_P, &c->X, &err), RP_OK);
  for (size_t j = 0; j < CG_P; j++) {
    double *col = rp_design_dense_column(c->X, j);
    for (size_t i = 0; i < CG_N; i++)
      col[i] = sin(0.37 * (double)(i * CG_P + j)) + gsl_ran_gaussian(rng, 1.0);
    c->pf[j] = 1.0;
  }
  for (size_t i = 0; i < CG_N; i++) {
    c->w[i] = gsl_ran_flat(rng, 0.5, 2.0);
    c->z[i] = gsl_ran_gaussian(rng, 1.0);
  }
  gsl_rng_free(rng);
  for (size_t a = 0; a < CG_K; a++) c->cols[a] = 2 * a + 1;
  c->lam2 = 0.1;
  c->pb = (rp_problem){0};
  c->pb.n = c->pb.n_total = CG_N;
  c->pb.p = CG_P;
  c->pb.X = c->X;
  c->pb.pf = c->pf;
  c->pb.intercept = 1;
  for (size_t a = 0; a <= CG_K; a++)
    for (size_t b = 0; b <= CG_K; b++) {
      double s = 0.0;
      for (size_t i = 0; i < CG_N; i++)
        s += c->w[i] * (a ? cg_x(c, i, c->cols[a - 1]) : 1.0) *
             (b ? cg_x(c, i, c->cols[b - 1]) : 1.0);
      c->H[a * (CG_K + 1) + b] = s / CG_N + (a == b && a ? c->lam2 : 0.0);
    }
}

/* Conjugate gradients on the support reach H's solution (H written out,
 * solved by GSL's Cholesky) with thr 0, and with thr 1e-6 stop where every
 * coordinate's true residual meets the sweep rule res_a^2 < thr H_aa. */
START_TEST(conjugate_gradients_solve_the_support_system) {
  enum { M = CG_K + 1 };
  cg_case c;
  cg_case_init(&c, 21);
  double t[M], diag[M], d[M], exact[M];
  for (size_t a = 0; a < M; a++) {
    t[a] = exact[a] = cos(1.0 + (double)a);
    diag[a] = c.H[a * M + a];
  }
  gsl_matrix_view Hv = gsl_matrix_view_array(c.H, M, M);
  gsl_matrix *L = gsl_matrix_alloc(M, M);
  gsl_matrix_memcpy(L, &Hv.matrix);
  gsl_linalg_cholesky_decomp1(L);
  gsl_vector_view xv = gsl_vector_view_array(exact, M);
  gsl_linalg_cholesky_svx(L, &xv.vector);
  gsl_matrix_free(L);
  rp_glm_cg cg;
  ck_assert(rp_glm_cg_alloc(&cg, &c.pb));
  rp_glm_cg_system sys = {c.cols, CG_K, c.w, c.lam2, NULL};
  int solved;
  long used = rp_glm_cg_solve(&cg, &c.pb, &sys, t, diag, 0.0, 10 * M, d, &solved);
  ck_assert_int_le(used, 10 * M);
  for (size_t a = 0; a < M; a++)
    ck_assert_msg(fabs(d[a] - exact[a]) < 1e-10, "d[%zu] %.17g, H^-1 t %.17g", a, d[a], exact[a]);
  used = rp_glm_cg_solve(&cg, &c.pb, &sys, t, diag, 1e-6, 10 * M, d, &solved);
  ck_assert_int_lt(used, M);
  ck_assert_int_eq(solved, 1);
  for (size_t a = 0; a < M; a++) {
    double res = t[a];
    for (size_t b = 0; b < M; b++) res -= c.H[a * M + b] * d[b];
    ck_assert_msg(res * res < 1e-6 * diag[a] * (1.0 + 1e-6), "coordinate %zu: res %g", a, res);
  }
  rp_glm_cg_free(&cg);
  rp_design_free(c.X);
}
END_TEST

/* t - H d and its norm in M^-1, res' M^-1 res, M the factor F. */
static double factor_norm2(const cg_case *c, const rp_glm_factor *F, const double *t,
                           const double *d) {
  enum { M = CG_K + 1 };
  double res[M], z[M], s = 0.0;
  for (size_t a = 0; a < M; a++) {
    res[a] = t[a];
    for (size_t b = 0; b < M; b++) res[a] -= c->H[a * M + b] * d[b];
    z[a] = res[a];
  }
  ck_assert(rp_glm_factor_solve(F, z));
  for (size_t a = 0; a < M; a++) s += res[a] * z[a];
  return s;
}

/* Preconditioned by the support's factor at other weights (w times 1 +
 * 0.3 cos i, an earlier expansion's), conjugate gradients on H at w stop
 * once res' M^-1 res has fallen to RP_PCG_REDUCTION^2 of t's, against H
 * written out, in a few products; preconditioned by the factor at w
 * itself they solve the system in one. */
START_TEST(factor_preconditioned_gradients_solve_at_new_weights) {
  enum { M = CG_K + 1 };
  cg_case c;
  cg_case_init(&c, 23);
  double t[M], d[M], old_w[CG_N], zero[M] = {0};
  for (size_t a = 0; a < M; a++) t[a] = cos(1.0 + (double)a);
  for (size_t i = 0; i < CG_N; i++) old_w[i] = c.w[i] * (1.0 + 0.3 * cos((double)i));
  rp_glm_cg cg;
  rp_glm_factor F;
  ck_assert(rp_glm_cg_alloc(&cg, &c.pb));
  rp_glm_factor_alloc(&F, &c.pb, CG_K);
  ck_assert(rp_glm_factor_form(&F, &c.pb, c.cols, CG_K, old_w, c.lam2, 0));
  rp_glm_cg_system sys = {c.cols, CG_K, c.w, c.lam2, &F};
  int solved;
  long used = rp_glm_cg_solve(&cg, &c.pb, &sys, t, NULL, 0.0, 10 * M, d, &solved);
  ck_assert_int_eq(solved, 1);
  ck_assert_int_le(used, 4);
  double start = factor_norm2(&c, &F, t, zero), end = factor_norm2(&c, &F, t, d);
  ck_assert_msg(end <= RP_PCG_REDUCTION * RP_PCG_REDUCTION * start * (1.0 + 1e-9),
                "res' M^-1 res %g from %g in %ld products", end, start, used);
  ck_assert(rp_glm_factor_form(&F, &c.pb, c.cols, CG_K, c.w, c.lam2, 1));
  used = rp_glm_cg_solve(&cg, &c.pb, &sys, t, NULL, 0.0, 10 * M, d, &solved);
  ck_assert_int_eq(used, 1);
  ck_assert_msg(factor_norm2(&c, &F, t, d) <= 1e-24 * start, "one product with M = H");
  rp_glm_factor_free(&F);
  rp_glm_cg_free(&cg);
  rp_design_free(c.X);
}
END_TEST

/* From coefficients of both signs, small enough that the support
 * system's solution changes some of them: conjugate gradients go on past
 * the orthant's boundary, and the projected step lowers the quadratic
 * (rp_glm_quadratic, against Q written out from z), keeps every sign or
 * sets the coefficient to 0, and leaves the residual w (z - b0 - X b) of
 * the point it moved to. */
START_TEST(projected_support_step_lowers_the_quadratic) {
  enum { M = CG_K + 1 };
  const double lam1 = 0.05;
  cg_case c;
  cg_case_init(&c, 22);
  double beta[CG_P] = {0}, b0 = 0.1, r[CG_N], t[M], diag[M], d[M];
  for (size_t a = 0; a < CG_K; a++) beta[c.cols[a]] = (a % 2 ? -0.02 : 0.03) * (double)(a + 1);
  for (size_t i = 0; i < CG_N; i++) {
    double eta = b0;
    for (size_t j = 0; j < CG_P; j++) eta += cg_x(&c, i, j) * beta[j];
    r[i] = c.w[i] * (c.z[i] - eta);
  }
  t[0] = 0.0; /* the quadratic's negative gradient with the signs held */
  for (size_t i = 0; i < CG_N; i++) t[0] += r[i] / CG_N;
  for (size_t a = 0; a < CG_K; a++) {
    size_t j = c.cols[a];
    t[1 + a] = -lam1 * (beta[j] > 0 ? 1.0 : -1.0) - c.lam2 * beta[j];
    for (size_t i = 0; i < CG_N; i++) t[1 + a] += cg_x(&c, i, j) * r[i] / CG_N;
  }
  for (size_t a = 0; a < M; a++) diag[a] = c.H[a * M + a];
  rp_glm_cg cg;
  ck_assert(rp_glm_cg_alloc(&cg, &c.pb));
  rp_glm_cg_system sys = {c.cols, CG_K, c.w, c.lam2, NULL};
  int solved;
  long used = rp_glm_cg_solve(&cg, &c.pb, &sys, t, diag, 1e-20, 10 * M, d, &solved);
  ck_assert_int_ge(used, 1);
  ck_assert_int_eq(solved, 1); /* no sign change stopped it */
  size_t flipped = 0;
  for (size_t a = 0; a < CG_K; a++) flipped += (beta[c.cols[a]] + d[1 + a]) * beta[c.cols[a]] < 0.0;
  ck_assert_msg(flipped > 0, "the solution changes no sign: the test needs one that does");
  double before[CG_P], b_support[CG_K];
  memcpy(before, beta, sizeof before);
  for (size_t a = 0; a < CG_K; a++) b_support[a] = beta[c.cols[a]];
  double q_before = rp_glm_quadratic(&c.pb, c.w, r, b_support, c.cols, CG_K, lam1, c.lam2);
  ck_assert_int_eq(rp_glm_cg_projected_step(&cg, &c.pb, &sys, d, lam1, &b0, beta, r), 1);
  double q_written = 0.0;
  for (size_t i = 0; i < CG_N; i++) {
    double eta = b0;
    for (size_t j = 0; j < CG_P; j++) eta += cg_x(&c, i, j) * beta[j];
    ck_assert_double_eq_tol(r[i], c.w[i] * (c.z[i] - eta), 1e-13);
    q_written += c.w[i] * (c.z[i] - eta) * (c.z[i] - eta) / (2.0 * CG_N);
  }
  for (size_t a = 0; a < CG_K; a++) {
    size_t j = c.cols[a];
    ck_assert(beta[j] == 0.0 || beta[j] * before[j] > 0.0);
    q_written += lam1 * fabs(beta[j]) + 0.5 * c.lam2 * beta[j] * beta[j];
  }
  ck_assert_msg(q_written < q_before, "Q %.17g after, %.17g before", q_written, q_before);
  rp_glm_cg_free(&cg);
  rp_design_free(c.X);
}
END_TEST

/* A view of every other row of a 13 x 40 matrix against its columns
 * written out, x~_ij = (z_{rows[i], j} - c_j)/d_j: each operation, on
 * each column, twice (the first use stores a column while there is room,
 * later uses read it; past the room the view gathers), and dots. */
START_TEST(design_view_matches_its_columns_written_out) {
  enum { N = 13, P = 40, N_ROWS = 7 };
  double z[N * P], c[P], inv_d[P], x[N_ROWS * P], u[N_ROWS], w[N_ROWS], out[P];
  size_t rows[N_ROWS];
  for (size_t i = 0; i < N_ROWS; i++) rows[i] = 2 * i;
  for (size_t j = 0; j < P; j++) {
    c[j] = 0.1 * sin((double)j);
    inv_d[j] = 1.0 + 0.05 * (double)j;
    for (size_t i = 0; i < N; i++) z[j * N + i] = cos(0.7 * (double)(i * P + j));
    for (size_t i = 0; i < N_ROWS; i++) x[j * N_ROWS + i] = (z[j * N + rows[i]] - c[j]) * inv_d[j];
  }
  for (size_t i = 0; i < N_ROWS; i++) {
    u[i] = sin(1.3 * (double)i + 0.2);
    w[i] = 1.0 + 0.1 * (double)i;
  }
  rp_design *X;
  rp_error err;
  ck_assert_int_eq(rp_design_view_alloc(z, N, P, N, rows, N_ROWS, c, inv_d, &X, &err), RP_OK);
  for (int pass = 0; pass < 2; pass++)
    for (size_t j = 0; j < P; j++) {
      const double *xj = x + j * N_ROWS;
      double dot = 0.0, wnorm2 = 0.0, v[N_ROWS] = {0.0}, wv[N_ROWS] = {0.0};
      for (size_t i = 0; i < N_ROWS; i++) {
        dot += xj[i] * u[i];
        wnorm2 += w[i] * xj[i] * xj[i];
      }
      ck_assert_double_eq_tol(rp_design_dot(X, j, u), dot, 1e-13);
      ck_assert_double_eq_tol(rp_design_wnorm2(X, j, w), wnorm2, 1e-13);
      rp_design_axpy(X, j, 0.5, v);
      rp_design_waxpy(X, j, 0.5, w, wv);
      for (size_t i = 0; i < N_ROWS; i++) {
        ck_assert_double_eq_tol(v[i], 0.5 * xj[i], 1e-14);
        ck_assert_double_eq_tol(wv[i], 0.5 * w[i] * xj[i], 1e-14);
      }
    }
  rp_design_dots(X, u, out);
  for (size_t j = 0; j < P; j++) ck_assert_double_eq_tol(out[j], rp_design_dot(X, j, u), 1e-13);
  rp_design_free(X);
}
END_TEST

/* The weighted Gram matrix of some columns, in any order, against the sums
 * written out: on a dense design (rows enough for three blocks of BLAS
 * rank updates, the last one short) and on a caller's matrix whose
 * leading dimension is larger than n; a row of weight 0 adds nothing. */
START_TEST(dense_wgram_is_the_weighted_gram_matrix) {
  enum { N = 50001, P = 6, LD = N + 3, K = 4 };
  const size_t cols[K] = {4, 0, 5, 2};
  double *z = malloc((size_t)LD * P * sizeof *z), *w = malloc(N * sizeof *w), H[K * K];
  ck_assert(z && w);
  for (size_t i = 0; i < N; i++) w[i] = i == 7 ? 0.0 : 0.5 + 0.25 * sin(0.3 * (double)i);
  for (size_t q = 0; q < (size_t)LD * P; q++)
    z[q] = cos(0.37 * (double)q) + 0.01 * (double)(q % 11);
  rp_matrix M = {N, P, LD, z};
  rp_design borrowed = rp_design_matrix(&M), *dense;
  rp_error err;
  ck_assert_int_eq(rp_design_dense_alloc(N, P, &dense, &err), RP_OK);
  for (size_t j = 0; j < P; j++)
    memcpy(rp_design_dense_column(dense, j), z + j * LD, N * sizeof *z);
  const rp_design *designs[2] = {&borrowed, dense};
  for (int d = 0; d < 2; d++) {
    ck_assert(rp_design_wgram(designs[d], cols, K, w, H, K));
    for (size_t a = 0; a < K; a++)
      for (size_t b = 0; b <= a; b++) {
        double sum = 0.0;
        for (size_t i = 0; i < N; i++) sum += w[i] * z[cols[a] * LD + i] * z[cols[b] * LD + i];
        ck_assert_msg(fabs(H[a * K + b] - sum) <= 1e-12 * fabs(sum) + 1e-9,
                      "design %d (%zu, %zu): %.17g against %.17g", d, a, b, H[a * K + b], sum);
      }
  }
  rp_design_free(dense);
  free(z);
  free(w);
}
END_TEST

static Suite *path_suite(void) {
  Suite *s = suite_create("path");
  TCase *tc = tcase_create("oracles");
  tcase_add_test(tc, ridge_equals_closed_form_standardized);
  tcase_add_test(tc, ridge_equals_closed_form_unstandardized);
  tcase_add_test(tc, ridge_equals_closed_form_glmnet_convention);
  tcase_add_test(tc, ridge_equals_closed_form_without_intercept);
  tcase_add_test(tc, lasso_on_orthonormal_design_is_soft_thresholding);
  tcase_add_test(tc, lasso_path_meets_kkt_covariance);
  tcase_add_test(tc, lasso_path_meets_kkt_naive);
  tcase_add_test(tc, elastic_net_path_meets_kkt);
  tcase_add_test(tc, path_with_penalty_factors_meets_kkt);
  tcase_add_test(tc, all_zero_at_alpha_max_and_not_below);
  tcase_add_test(tc, duality_gap_is_small_and_nonnegative);
  tcase_add_test(tc, duality_gap_grows_with_loose_tolerance);
  tcase_add_test(tc, gap_tolerance_holds_at_every_alpha_with_loose_tol);
  tcase_add_test(tc, naive_and_covariance_updates_agree);
  tcase_add_test(tc, gap_certificate_bounds_suboptimality_near_interpolation);
  tcase_add_test(tc, gap_certificate_bounds_suboptimality_with_n_equal_p);
  tcase_add_test(tc, unpenalized_column_enters_at_alpha_max);
  tcase_add_test(tc, constant_column_gets_zero_and_is_flagged);
  tcase_add_test(tc, generated_grid_is_log_spaced_from_alpha_max);
  tcase_add_test(tc, max_iter_reached_is_reported_not_fatal);
  tcase_add_test(tc, predict_is_intercept_plus_xb);
  tcase_add_test(tc, predict_all_equals_predict_at_every_point);
  tcase_add_test(tc, extreme_column_scales_change_only_that_coefficient);
  tcase_add_test(tc, random_paths_meet_kkt_and_are_monotone_and_continuous);
  tcase_add_test(tc, bad_options_are_rejected_with_a_message);
  tcase_add_test(tc, grid_too_large_to_count_is_out_of_memory);
  tcase_add_test(tc, constant_target_is_a_data_error);
  suite_add_tcase(s, tc);
  TCase *factor = tcase_create("support factor");
  tcase_add_test(factor, cholesky_updates_follow_the_column_set);
  tcase_add_test(factor, cholesky_floors_a_singular_gram_matrix);
  tcase_add_test(factor, anderson_step_is_exact_on_four_error_modes);
  tcase_add_test(factor, conjugate_gradients_solve_the_support_system);
  tcase_add_test(factor, projected_support_step_lowers_the_quadratic);
  tcase_add_test(factor, factor_preconditioned_gradients_solve_at_new_weights);
  suite_add_tcase(s, factor);
  TCase *view = tcase_create("design view");
  tcase_add_test(view, design_view_matches_its_columns_written_out);
  tcase_add_test(view, dense_wgram_is_the_weighted_gram_matrix);
  suite_add_tcase(s, view);
  return s;
}

int main(void) { return tu_run(path_suite()); }
