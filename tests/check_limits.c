/* check_limits.c: coefficient limits (glmnet's lower.limits and
 * upper.limits; rp_fit_options.lower_limits, upper_limits).
 *
 * Oracles: the closed form of the bounded elastic net on orthogonal
 * columns (each coordinate on its own: the soft-thresholded, shrunk
 * correlation clipped to the limits), the bounded lasso's KKT conditions
 * computed from the definitions on a wide problem, and glmnet 4.1's paths and
 * cv.glmnet curves at thresh 1e-14 (tests/data/limits_glmnet.json, from
 * make_limits_refs.R): gaussian, binomial and poisson, lasso and elastic
 * net, with limits of 0, finite limits and none. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "regpath.h"
#include "testutil.h"

static const cJSON *get(const cJSON *o, const char *key) { return cJSON_GetObjectItem(o, key); }
static double at(const cJSON *o, const char *key, size_t k) {
  return cJSON_GetArrayItem(get(o, key), (int)k)->valuedouble;
}

/* ------------------------------------------------- the closed form */

/* 8 rows, 4 columns of a Hadamard matrix without its constant column:
 * centred, orthogonal, every x_ij = +-1 (mean 0, 1/n variance 1), so that
 * x~ = x and the fit separates into p one-dimensional problems:
 *   b_j = clip(S(c_j, alpha l1) / (1 + alpha (1 - l1)), l_j, u_j),
 *   c_j = <x_j, y - ybar>/n. */
enum { ON = 8, OP = 4 };
static const double HX[OP][ON] = {{1, -1, 1, -1, 1, -1, 1, -1},
                                  {1, 1, -1, -1, 1, 1, -1, -1},
                                  {1, -1, -1, 1, 1, -1, -1, 1},
                                  {1, 1, 1, 1, -1, -1, -1, -1}};
static const double HY[ON] = {3.1, -0.4, 2.2, 0.7, -1.9, 0.3, -2.8, 1.5};

static double clip(double b, double lo, double hi) { return fmin(fmax(b, lo), hi); }

/* The defaults with these limits. */
static rp_fit_options with_limits(const double *lower, const double *upper) {
  rp_fit_options opt;
  rp_fit_options_init(&opt);
  opt.lower_limits = lower;
  opt.upper_limits = upper;
  return opt;
}

static void check_closed_form(double l1_ratio) {
  double X[OP * ON], c[OP], ybar = 0.0;
  for (size_t j = 0; j < OP; j++)
    for (size_t i = 0; i < ON; i++) X[j * ON + i] = HX[j][i];
  for (size_t i = 0; i < ON; i++) ybar += HY[i] / ON;
  for (size_t j = 0; j < OP; j++) {
    c[j] = 0.0;
    for (size_t i = 0; i < ON; i++) c[j] += HX[j][i] * (HY[i] - ybar) / ON;
  }
  /* c = (-0.1875, -0.0625, 0.5125, 1.0625): a limit of 0 against c_0, a
   * lower and an upper limit that bind below some alpha, and none */
  const double lower[OP] = {0.0, -0.03, -INFINITY, -INFINITY};
  const double upper[OP] = {INFINITY, INFINITY, 0.3, INFINITY};
  rp_matrix M = {ON, OP, ON, X};
  rp_fit_options opt = with_limits(lower, upper);
  opt.l1_ratio = l1_ratio;
  opt.n_alphas = 20;
  opt.early_stop = 0;
  opt.tol = 1e-12;
  rp_path *path;
  rp_error err;
  ck_assert_int_eq(rp_path_fit(&M, HY, NULL, 0, &opt, &path, &err), RP_OK);
  int binds[OP] = {0};
  for (size_t k = 0; k < path->n_alphas; k++) {
    double a = path->alphas[k];
    for (size_t j = 0; j < OP; j++) {
      double free_b = (fabs(c[j]) > a * l1_ratio ? c[j] - copysign(a * l1_ratio, c[j]) : 0.0) /
                      (1.0 + a * (1.0 - l1_ratio));
      double want = clip(free_b, lower[j], upper[j]), got = path->coef[k * OP + j];
      binds[j] |= want != free_b;
      ck_assert_msg(fabs(got - want) < 1e-9, "alpha %zu column %zu: %.12g, closed form %.12g", k, j,
                    got, want);
      ck_assert(got >= lower[j] && got <= upper[j]);
    }
    ck_assert_double_eq_tol(path->intercept[k], ybar, 1e-12); /* the columns are centred */
    ck_assert_msg(path->dual_gap[k] <= 1e-6 * path->null_objective, "gap %zu: %g", k,
                  path->dual_gap[k]);
  }
  ck_assert_msg(binds[0] && binds[1] && binds[2] && !binds[3], "limits that bind: %d %d %d %d",
                binds[0], binds[1], binds[2], binds[3]);
  rp_path_free(path);
}

START_TEST(lasso_with_limits_matches_the_closed_form) { check_closed_form(1.0); }
END_TEST
START_TEST(elastic_net_with_limits_matches_the_closed_form) { check_closed_form(0.5); }
END_TEST

START_TEST(limits_on_the_wrong_side_of_0_are_refused) {
  double X[OP * ON];
  for (size_t j = 0; j < OP; j++)
    for (size_t i = 0; i < ON; i++) X[j * ON + i] = HX[j][i];
  rp_matrix M = {ON, OP, ON, X};
  const double bad_lower[OP] = {0.0, 0.5, -1.0, -1.0}, bad_upper[OP] = {1.0, 1.0, -0.5, 1.0};
  const double nan_lower[OP] = {0.0, NAN, -1.0, -1.0};
  const double *cases[3][2] = {{bad_lower, NULL}, {NULL, bad_upper}, {nan_lower, NULL}};
  const char *want[3] = {"lower limit 0.5 of feature 2 must be <= 0",
                         "upper limit -0.5 of feature 3 must be >= 0",
                         "lower limit nan of feature 2 must be <= 0"};
  for (int c = 0; c < 3; c++) {
    rp_fit_options opt = with_limits(cases[c][0], cases[c][1]);
    rp_path *path = NULL;
    rp_error err;
    ck_assert_int_eq(rp_path_fit(&M, HY, NULL, 0, &opt, &path, &err), RP_EINVAL);
    ck_assert_str_eq(err.message, want[c]);
    ck_assert_ptr_null(path);
  }
}
END_TEST

/* ------------------------------------------- KKT on a wide problem */

/* n = 60 rows, p = 200 columns from a fixed linear congruential stream
 * (more columns than rows: coordinate descent on the residual, whose
 * support steps stop at the limits), y from 12 of them plus noise. */
enum { WN = 60, WP = 200 };

static double uniform(unsigned long *state) {
  *state = (*state * 6364136223846793005UL + 1442695040888963407UL) & 0xFFFFFFFFFFFFUL;
  return (double)(*state >> 16) / 4294967296.0 - 0.5;
}

/* The KKT conditions of the bounded lasso at every point, from the
 * definitions: with x~_j = (x_j - m_j)/s_j, g_j = <x~_j, r>/n and
 * a_j = alpha pf_j (the factors rescaled to sum to p), a free nonzero
 * b~_j has g_j = a_j sign(b_j), a b_j at 0 has |g_j| <= a_j unless g_j
 * points at a limit of 0, and a b_j at its upper (lower) limit has
 * g_j >= a_j (<= -a_j): within 1e-8 alpha_max (1.4e-9 measured; with
 * the gap blind to an unpenalized column held at its limit, 2.1e-7).
 * Column 0 is unpenalized, with an upper limit that holds it (its
 * coefficient is 1 in y). */
START_TEST(wide_lasso_with_limits_meets_kkt) {
  static double X[WP * WN], y[WN], lower[WP], upper[WP], pf[WP];
  unsigned long state = 7;
  for (size_t q = 0; q < WP * WN; q++) X[q] = uniform(&state);
  for (size_t i = 0; i < WN; i++) {
    y[i] = 0.3 * uniform(&state);
    for (size_t j = 0; j < 12; j++) y[i] += (j % 2 ? -1.0 : 1.0) * X[j * WN + i];
  }
  for (size_t j = 0; j < WP; j++) {
    lower[j] = j < 6 ? -0.2 : j < 12 ? 0.0 : -INFINITY;
    upper[j] = j < 6 ? 0.5 : j < 20 ? INFINITY : 0.4;
    pf[j] = j == 0 ? 0.0 : 1.0;
  }
  rp_matrix M = {WN, WP, WN, X};
  rp_fit_options opt = with_limits(lower, upper);
  opt.update = RP_UPDATE_NAIVE;
  opt.penalty_factor = pf;
  opt.tol = 1e-14;
  opt.gap_tol = 1e-12;
  rp_path *path;
  rp_error err;
  ck_assert_int_eq(rp_path_fit(&M, y, NULL, 0, &opt, &path, &err), RP_OK);
  double m[WP], sd[WP], worst = 0.0;
  for (size_t j = 0; j < WP; j++) {
    m[j] = sd[j] = 0.0;
    for (size_t i = 0; i < WN; i++) m[j] += X[j * WN + i] / WN;
    for (size_t i = 0; i < WN; i++) sd[j] += pow(X[j * WN + i] - m[j], 2) / WN;
    sd[j] = sqrt(sd[j]);
  }
  size_t at_limit = 0;
  for (size_t k = 0; k < path->n_alphas; k++) {
    const double *b = path->coef + k * WP;
    double r[WN], tol = 1e-8 * path->alpha_max;
    for (size_t i = 0; i < WN; i++) {
      r[i] = y[i] - path->intercept[k];
      for (size_t j = 0; j < WP; j++) r[i] -= b[j] * X[j * WN + i];
    }
    for (size_t j = 0; j < WP; j++) {
      double g = 0.0, v, a = path->alphas[k] * pf[j] * WP / (WP - 1.0);
      ck_assert(b[j] >= lower[j] && b[j] <= upper[j]);
      for (size_t i = 0; i < WN; i++) g += (X[j * WN + i] - m[j]) / sd[j] * r[i] / WN;
      if (b[j] == upper[j] && b[j] != 0.0)
        v = fmax(a - g, 0.0), at_limit++;
      else if (b[j] == lower[j] && b[j] != 0.0)
        v = fmax(g + a, 0.0), at_limit++;
      else if (b[j] != 0.0)
        v = fabs(g - copysign(a, b[j]));
      else
        v = g > 0.0 ? (upper[j] > 0.0 ? fmax(g - a, 0.0) : 0.0)
                    : (lower[j] < 0.0 ? fmax(-g - a, 0.0) : 0.0);
      worst = fmax(worst, v);
      ck_assert_msg(v <= tol, "alpha %zu column %zu: b %.17g, g %.6g, a_j %.6g", k, j, b[j], g, a);
    }
  }
  ck_assert_msg(at_limit > 50, "limits held only %zu coefficients", at_limit);
  ck_assert_double_eq(path->coef[(path->n_alphas - 1) * WP], upper[0]);
  printf("limits: wide lasso, %zu alphas, %zu coefficients at a limit, worst KKT violation %.1e "
         "of alpha_max\n",
         path->n_alphas, at_limit, worst / path->alpha_max);
  rp_path_free(path);
}
END_TEST

/* ------------------------------------------------ glmnet's answers */

typedef struct {
  rp_table *data;
  const cJSON *ref; /* one case of limits_glmnet.json */
  rp_family family;
  double *lower, *upper;
} limits_case;

static cJSON *all_refs;

static double *limits_of(const cJSON *list, double none, size_t p) {
  double *v = malloc(p * sizeof *v);
  for (size_t j = 0; j < p; j++) {
    const cJSON *item = cJSON_GetArrayItem(list, (int)j);
    v[j] = cJSON_IsNumber(item) ? item->valuedouble : none;
  }
  return v;
}

static limits_case load(const char *name) {
  limits_case lc = {0};
  all_refs = tu_load_json(tu_src_path("tests/data/limits_glmnet.json"));
  lc.ref = get(get(all_refs, "cases"), name);
  ck_assert_msg(lc.ref != NULL, "limits_glmnet.json has no case %s", name);
  rp_error err;
  ck_assert_int_eq(
      rp_table_read_csv(tu_src_path(get(lc.ref, "file")->valuestring), NULL, &lc.data, &err),
      RP_OK);
  const char *fam = get(lc.ref, "family")->valuestring;
  lc.family = fam[0] == 'g'   ? RP_FAMILY_GAUSSIAN
              : fam[0] == 'b' ? RP_FAMILY_BINOMIAL
                              : RP_FAMILY_POISSON;
  size_t p = lc.data->n_cols - 1;
  lc.lower = limits_of(get(lc.ref, "lower"), -INFINITY, p);
  lc.upper = limits_of(get(lc.ref, "upper"), INFINITY, p);
  return lc;
}

static void unload(limits_case *lc) {
  rp_table_free(lc->data);
  free(lc->lower);
  free(lc->upper);
  cJSON_Delete(all_refs);
}

static rp_fit_options options_of(const limits_case *lc, double l1_ratio) {
  rp_fit_options opt = with_limits(lc->lower, lc->upper);
  opt.family = lc->family;
  opt.l1_ratio = l1_ratio;
  opt.convention = RP_CONVENTION_GLMNET;
  opt.tol = 1e-14;     /* glmnet's thresh: binomial and poisson gaps within 1e-13 */
  opt.gap_tol = 1e-10; /* gaussian gaps within 1e-10 of the null objective        */
  return opt;
}

/* Column j's 1/n standard deviation. */
static double column_sd(const rp_matrix *X, size_t j) {
  const double *x = X->values + j * X->n;
  double m = 0.0, v = 0.0;
  for (size_t i = 0; i < X->n; i++) m += x[i] / (double)X->n;
  for (size_t i = 0; i < X->n; i++) v += (x[i] - m) * (x[i] - m) / (double)X->n;
  return sqrt(v);
}

/* A binomial or poisson objective from the definitions, -(1/n) loglik +
 * alpha * penalty on the standardized coefficients b_j s_j, at point b of
 * the limits (whose indicator is then 0). */
static double glm_objective(const limits_case *lc, const rp_matrix *X, const double *y,
                            double alpha, double l1, double b0, const double *b) {
  double loss = 0.0, pen = 0.0;
  for (size_t i = 0; i < X->n; i++) {
    double eta = b0;
    for (size_t j = 0; j < X->p; j++) eta += b[j] * X->values[j * X->n + i];
    double c = lc->family == RP_FAMILY_BINOMIAL
                   ? (eta > 0 ? eta + log1p(exp(-eta)) : log1p(exp(eta)))
                   : exp(eta);
    loss += (c - y[i] * eta) / (double)X->n;
  }
  for (size_t j = 0; j < X->p; j++) {
    double bs = b[j] * column_sd(X, j);
    ck_assert(b[j] >= lc->lower[j] && b[j] <= lc->upper[j]);
    pen += l1 * fabs(bs) + 0.5 * (1.0 - l1) * bs * bs;
  }
  return loss + alpha * pen;
}

/* Point k within 1e-5 of glmnet's (coefficients and intercept), or, for
 * binomial and poisson, at a lower objective than glmnet's point, whose
 * stopping rule (a bound on the squared coordinate step) is then the
 * looser (counted in *beyond); the error. */
static double point_error(const limits_case *lc, const rp_path *path, const cJSON *fit, size_t k,
                          size_t *beyond) {
  double e = fmax(tu_coef_error(path, get(fit, "coef"), k),
                  tu_relerr(path->intercept[k], at(fit, "a0", k), 1.0));
  if (e <= 1e-5) return e;
  ck_assert_msg(lc->family != RP_FAMILY_GAUSSIAN, "alpha %zu: off glmnet by %.3g", k, e);
  size_t n = lc->data->n_rows, p = path->p;
  rp_matrix X = {n, p, n, lc->data->values};
  const double *y = rp_table_column(lc->data, p);
  double *theirs = malloc(p * sizeof *theirs), a = path->alphas[k], l1 = path->l1_ratio;
  for (size_t j = 0; j < p; j++)
    theirs[j] =
        cJSON_GetArrayItem(cJSON_GetArrayItem(get(fit, "coef"), (int)k), (int)j)->valuedouble;
  double ours = glm_objective(lc, &X, y, a, l1, path->intercept[k], path->coef + k * p);
  double ref = glm_objective(lc, &X, y, a, l1, at(fit, "a0", k), theirs);
  free(theirs);
  ck_assert_msg(ours < ref, "alpha %zu: off glmnet by %.3g and not better (%.17g vs %.17g)", k, e,
                ours, ref);
  ++*beyond;
  return e;
}

/* The path on glmnet's grid (the same length: limits of 0 turn its early
 * stop off), within 1e-5 of its coefficients and intercepts, inside the
 * limits; then cv.glmnet's curve within cv_tol (relative) and the same
 * lambda.min and lambda.1se. */
static void check_case(const char *name, double cv_tol) {
  limits_case lc = load(name);
  size_t n = lc.data->n_rows, p = lc.data->n_cols - 1;
  rp_matrix X = {n, p, n, lc.data->values};
  const double *y = rp_table_column(lc.data, p);
  int *folds = malloc(n * sizeof *folds);
  for (size_t i = 0; i < n; i++) folds[i] = (int)at(lc.ref, "foldid", i);
  for (int f = 0; f < 2; f++) {
    const cJSON *fit = cJSON_GetArrayItem(get(lc.ref, "fits"), f), *cvref = get(fit, "cv");
    rp_fit_options opt = options_of(&lc, get(fit, "l1_ratio")->valuedouble);
    rp_path *path;
    rp_error err;
    ck_assert_int_eq(rp_path_fit(&X, y, NULL, 0, &opt, &path, &err), RP_OK);
    size_t K = (size_t)cJSON_GetArraySize(get(fit, "lambda"));
    ck_assert_uint_eq(path->n_alphas, K);
    double worst = 0.0, worst_gap = 0.0;
    size_t beyond = 0;
    for (size_t k = 0; k < K; k++) {
      ck_assert_double_eq_tol(path->alphas[k], at(fit, "lambda", k), 1e-12 * path->alphas[k]);
      worst = fmax(worst, point_error(&lc, path, fit, k, &beyond));
      for (size_t j = 0; j < p; j++) {
        double b = path->coef[k * p + j];
        ck_assert_msg(b >= lc.lower[j] && b <= lc.upper[j], "alpha %zu: b_%zu = %g", k, j, b);
      }
      worst_gap = fmax(worst_gap, path->dual_gap[k] / path->null_objective);
      ck_assert_msg(path->converged[k] == RP_POINT_CONVERGED, "alpha %zu: status %d", k,
                    path->converged[k]);
    }
    double target = lc.family == RP_FAMILY_GAUSSIAN ? opt.gap_tol : 10 * opt.tol;
    ck_assert_msg(worst_gap <= target, "%s: worst gap %.3g of the null objective", name, worst_gap);
    {}
    rp_cv *cv;
    ck_assert_int_eq(rp_cv_fit(&X, y, &opt, path->alphas, K, folds,
                               lc.family == RP_FAMILY_GAUSSIAN ? RP_METRIC_MSE : RP_METRIC_DEVIANCE,
                               &cv, &err),
                     RP_OK);
    double worst_m = 0.0;
    for (size_t k = 0; k < K; k++)
      worst_m = fmax(worst_m, tu_relerr(cv->mean[k], at(cvref, "cvm", k), 1e-12));
    ck_assert_msg(worst_m < cv_tol, "%s: cvm off by %.3g", name, worst_m);
    ck_assert_uint_eq(cv->index_min + 1, (size_t)get(cvref, "index_min")->valueint);
    ck_assert_uint_eq(cv->index_1se + 1, (size_t)get(cvref, "index_1se")->valueint);
    printf("agreement glmnet limits %s l1_ratio %g: %zu alphas (same), max error %.2e (%zu "
           "points beyond 1e-5, glmnet's objective higher at each), worst gap / null %.1e; cvm "
           "%.2e, index_min %zu, index_1se %zu (same)\n",
           name, opt.l1_ratio, K, worst, beyond, worst_gap, worst_m, cv->index_min, cv->index_1se);
    rp_cv_free(cv);
    rp_path_free(path);
  }
  free(folds);
  unload(&lc);
}

START_TEST(positive_gaussian_matches_glmnet) { check_case("diabetes_positive", 1e-6); }
END_TEST
START_TEST(mixed_limits_gaussian_match_glmnet) { check_case("diabetes_box", 1e-6); }
END_TEST
START_TEST(binomial_limits_match_glmnet) { check_case("breast_cancer_box", 1e-4); }
END_TEST
START_TEST(poisson_limits_match_glmnet) { check_case("poisson_box", 1e-5); }
END_TEST

static Suite *limits_suite(void) {
  Suite *s = suite_create("limits");
  TCase *tc = tcase_create("closed form");
  tcase_add_test(tc, lasso_with_limits_matches_the_closed_form);
  tcase_add_test(tc, elastic_net_with_limits_matches_the_closed_form);
  tcase_add_test(tc, limits_on_the_wrong_side_of_0_are_refused);
  tcase_add_test(tc, wide_lasso_with_limits_meets_kkt);
  suite_add_tcase(s, tc);
  tc = tcase_create("glmnet");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, positive_gaussian_matches_glmnet);
  tcase_add_test(tc, mixed_limits_gaussian_match_glmnet);
  tcase_add_test(tc, binomial_limits_match_glmnet);
  tcase_add_test(tc, poisson_limits_match_glmnet);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return tu_run(limits_suite()); }
