/* check_weights.c: observation weights and offsets (rp_fit_options.weights
 * and .offset) in every family, on both gaussian routes and in
 * cross-validation.
 *
 * Oracles: glmnet 4.1.6's paths and cv.glmnet's curves with weights, with
 * offsets and with both (tests/data/weights_glmnet.json, thresh 1e-14, from
 * make_weights_refs.R; where glmnet's own solve is the less accurate, the
 * weighted objective computed here from the definitions shows it); and,
 * independently of glmnet: integer weights equal to duplicated rows, a
 * weight of 0 equal to deleting the row, a gaussian offset equal to fitting
 * y - o, a constant offset equal to a shifted intercept, weights scaled by a
 * constant equal to the weights themselves, the KKT conditions of the
 * weighted objective and the reported duality gaps at every point. */
#include <check.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regpath.h"
#include "testutil.h"

/* ------------------------------------------------------------ data */

/* One case of weights_glmnet.json: its data (the target in the last
 * column) and the weights and offsets it uses (NULL when it uses none). */
typedef struct {
  cJSON *ref;
  const cJSON *c;
  rp_table *data, *columns;
  rp_matrix X;
  const double *y, *w, *o;
  rp_family family;
} wcase;

static const cJSON *get(const cJSON *o, const char *key) { return cJSON_GetObjectItem(o, key); }
static double at(const cJSON *o, const char *key, size_t k) {
  return cJSON_GetArrayItem(get(o, key), (int)k)->valuedouble;
}

static rp_family family_named(const char *name) {
  return strcmp(name, "binomial") == 0  ? RP_FAMILY_BINOMIAL
         : strcmp(name, "poisson") == 0 ? RP_FAMILY_POISSON
                                        : RP_FAMILY_GAUSSIAN;
}

static wcase load_case(int i) {
  wcase wc = {tu_load_json(tu_src_path("tests/data/weights_glmnet.json")), NULL, NULL, NULL,
              {0, 0, 0, NULL}, NULL, NULL, NULL, RP_FAMILY_GAUSSIAN};
  wc.c = cJSON_GetArrayItem(get(wc.ref, "cases"), i);
  ck_assert_ptr_nonnull(wc.c);
  rp_error err;
  ck_assert_int_eq(rp_table_read_csv(tu_src_path(get(wc.c, "data")->valuestring), NULL, &wc.data, &err), RP_OK);
  ck_assert_int_eq(rp_table_read_csv(tu_src_path(get(wc.c, "columns")->valuestring), NULL, &wc.columns, &err), RP_OK);
  size_t n = wc.data->n_rows, p = wc.data->n_cols - 1;
  ck_assert_uint_eq(n, (size_t)get(wc.c, "n")->valueint);
  ck_assert_uint_eq(p, (size_t)get(wc.c, "p")->valueint);
  ck_assert_uint_eq(wc.columns->n_rows, n);
  wc.X = (rp_matrix){n, p, n, wc.data->values};
  wc.y = rp_table_column(wc.data, p);
  wc.w = cJSON_IsTrue(get(wc.c, "weights")) ? rp_table_column(wc.columns, 0) : NULL;
  wc.o = cJSON_IsTrue(get(wc.c, "offset")) ? rp_table_column(wc.columns, 1) : NULL;
  wc.family = family_named(get(wc.c, "family")->valuestring);
  return wc;
}

static void unload_case(wcase *wc) {
  rp_table_free(wc->data);
  rp_table_free(wc->columns);
  cJSON_Delete(wc->ref);
}

static const cJSON *fit_of(const wcase *wc, int f) { return cJSON_GetArrayItem(get(wc->c, "fits"), f); }

/* glmnet's settings: its convention (gaussian y / sd(y)); tol as the other
 * reference suites use (check_glmnet: 1e-14 for gaussian, check_glm: 1e-11
 * for the IRLS families, both certified by the gap). */
static rp_fit_options options(const wcase *wc, double l1_ratio) {
  rp_fit_options opt;
  rp_fit_options_init(&opt);
  opt.family = wc->family;
  opt.l1_ratio = l1_ratio;
  opt.convention = RP_CONVENTION_GLMNET;
  opt.tol = opt.gap_tol = wc->family == RP_FAMILY_GAUSSIAN ? 1e-14 : 1e-11;
  opt.weights = wc->w;
  opt.offset = wc->o;
  return opt;
}

/* ------------------------------------------------- the definitions */

/* Weighted mean and 1/W standard deviation of v (n values) under weights w
 * (NULL = 1). */
static void weighted_moments(const double *v, const double *w, size_t n, double *mean, double *sd) {
  double W = 0.0, m = 0.0, q = 0.0;
  for (size_t i = 0; i < n; i++) W += w ? w[i] : 1.0;
  for (size_t i = 0; i < n; i++) m += (w ? w[i] : 1.0) * v[i] / W;
  for (size_t i = 0; i < n; i++) q += (w ? w[i] : 1.0) * (v[i] - m) * (v[i] - m) / W;
  *mean = m;
  *sd = sqrt(q);
}

/* The pieces of the weighted objective at (b0, b), from the definitions:
 *   P = (1/W) sum_i w_i l(y_i, o_i + b0 + x_i.b)
 *       + alpha (l1 sum_j |b_j s_j| + (1 - l1)/2 c sum_j (b_j s_j)^2)
 * (gaussian l = (y - eta)^2/2, else c(eta) - y eta; s_j the weighted sd of
 * column j; c = 1/sd_w(y - o) for gaussian under glmnet's convention, else
 * 1), and the residuals r_i = y_i - mu_i. */
typedef struct {
  double W, c, *m, *s, *r, *h; /* h_i: the loss's curvature at eta_i */
} weighted_problem;

static weighted_problem weighted_open(const wcase *wc) {
  size_t n = wc->X.n, p = wc->X.p;
  weighted_problem wp = {0.0, 1.0, malloc(p * sizeof(double)), malloc(p * sizeof(double)),
                         malloc(n * sizeof(double)), malloc(n * sizeof(double))};
  for (size_t i = 0; i < n; i++) wp.W += wc->w ? wc->w[i] : 1.0;
  for (size_t j = 0; j < p; j++) weighted_moments(wc->X.values + j * n, wc->w, n, &wp.m[j], &wp.s[j]);
  if (wc->family == RP_FAMILY_GAUSSIAN) {
    for (size_t i = 0; i < n; i++) wp.r[i] = wc->y[i] - (wc->o ? wc->o[i] : 0.0);
    double m, sd;
    weighted_moments(wp.r, wc->w, n, &m, &sd);
    wp.c = 1.0 / sd;
  }
  return wp;
}

static void weighted_close(weighted_problem *wp) {
  free(wp->m);
  free(wp->s);
  free(wp->r);
  free(wp->h);
}

/* The loss (1/W) sum w_i l_i at (b0, b), leaving r_i = y_i - mu_i in wp->r
 * and the curvature h_i in wp->h. */
static double weighted_loss(const wcase *wc, weighted_problem *wp, double b0, const double *b) {
  size_t n = wc->X.n, p = wc->X.p;
  double loss = 0.0;
  for (size_t i = 0; i < n; i++) {
    double eta = (wc->o ? wc->o[i] : 0.0) + b0, l;
    for (size_t j = 0; j < p; j++) eta += b[j] * wc->X.values[j * n + i];
    switch (wc->family) {
      case RP_FAMILY_BINOMIAL:
        l = (eta > 0 ? eta + log1p(exp(-eta)) : log1p(exp(eta))) - wc->y[i] * eta;
        wp->r[i] = wc->y[i] - 1.0 / (1.0 + exp(-eta));
        wp->h[i] = (1.0 - (wc->y[i] - wp->r[i])) * (wc->y[i] - wp->r[i]);
        break;
      case RP_FAMILY_POISSON:
        l = exp(eta) - wc->y[i] * eta;
        wp->r[i] = wc->y[i] - exp(eta);
        wp->h[i] = exp(eta);
        break;
      default:
        wp->r[i] = wc->y[i] - eta;
        wp->h[i] = 1.0;
        l = 0.5 * wp->r[i] * wp->r[i];
    }
    loss += (wc->w ? wc->w[i] : 1.0) * l / wp->W;
  }
  return loss;
}

static double weighted_objective(const wcase *wc, weighted_problem *wp, double alpha, double l1,
                                 double b0, const double *b) {
  double pen = 0.0;
  for (size_t j = 0; j < wc->X.p; j++) {
    double bs = b[j] * wp->s[j];
    pen += l1 * fabs(bs) + 0.5 * (1.0 - l1) * wp->c * bs * bs;
  }
  return weighted_loss(wc, wp, b0, b) + alpha * pen;
}

/* The KKT conditions of the weighted objective at point k, checked against
 * the duality gap the path reports there.  With x~ the standardized
 * columns, b~_j = b_j s_j and g_j = (1/W) sum_i w_i x~_ij r_i, coordinate j
 * violates them by
 *   v_j = |g_j - alpha (1 - l1) c b~_j - alpha l1 sign(b~_j)|   where b~_j != 0,
 *   v_j = max(|g_j - alpha (1 - l1) c b~_j| - alpha l1, 0)     where b~_j = 0,
 * and a step on coordinate j alone would then lower the objective by about
 * v_j^2 / (2 L_j), L_j = (1/W) sum_i w_i h_i x~_ij^2 + alpha (1 - l1) c its
 * curvature (h_i = 1, mu_i (1 - mu_i) or mu_i): so v_j <= sqrt(2 L_j gap)
 * (a factor 2 allowed for the curvature moving along the step; the gap
 * taken at least sqrt(n) DBL_EPSILON times the null objective, about the
 * rounding of P - D, two sums of n terms of that size; and 1e-10 alpha_max
 * for the rounding of g here).  The intercept's condition is
 * sum_i w_i r_i = 0, to the same bound with L = (1/W) sum_i w_i h_i.
 * Returns the largest v_j / alpha. */
static double kkt_violation(const wcase *wc, weighted_problem *wp, const rp_path *path, size_t k) {
  size_t n = wc->X.n, p = wc->X.p;
  const double *b = path->coef + k * p;
  double alpha = path->alphas[k], l1 = path->l1_ratio;
  double gap = fmax(path->dual_gap[k], sqrt((double)n) * DBL_EPSILON * path->null_objective);
  double floor = 1e-10 * path->alpha_max, sum_r = 0.0, sum_h = 0.0, worst;
  weighted_loss(wc, wp, path->intercept[k], b);
  for (size_t i = 0; i < n; i++) {
    double w = wc->w ? wc->w[i] : 1.0;
    sum_r += w * wp->r[i] / wp->W;
    sum_h += w * wp->h[i] / wp->W;
  }
  worst = fabs(sum_r);
  ck_assert_msg(worst <= 2.0 * sqrt(2.0 * sum_h * gap) + floor, "point %zu: intercept KKT off by %g", k, worst);
  for (size_t j = 0; j < p; j++) {
    double g = 0.0, L = 0.0, bt = b[j] * wp->s[j], ridge = alpha * (1.0 - l1) * wp->c;
    const double *x = wc->X.values + j * n;
    for (size_t i = 0; i < n; i++) {
      double w = wc->w ? wc->w[i] : 1.0, xt = (x[i] - wp->m[j]) / wp->s[j];
      g += w * xt * wp->r[i] / wp->W;
      L += w * wp->h[i] * xt * xt / wp->W;
    }
    g -= ridge * bt;
    double v = bt != 0.0 ? fabs(g - alpha * l1 * (bt > 0.0 ? 1.0 : -1.0)) : fmax(fabs(g) - alpha * l1, 0.0);
    ck_assert_msg(v <= 2.0 * sqrt(2.0 * (L + ridge) * gap) + floor,
                  "point %zu column %zu: KKT off by %g with a gap of %g", k, j + 1, v, gap);
    worst = fmax(worst, v);
  }
  return worst / alpha;
}

/* ------------------------------------------------ against glmnet */

static const char *const ROUTE_NAMES[] = {[RP_UPDATE_AUTO] = "auto", [RP_UPDATE_NAIVE] = "naive",
                                          [RP_UPDATE_COVARIANCE] = "covariance"};

/* The larger of the coefficients' and the intercept's relative error at k. */
static double point_error(const rp_path *path, const cJSON *fit, size_t k) {
  return fmax(tu_coef_error(path, get(fit, "coef"), k), tu_relerr(path->intercept[k], at(fit, "a0", k), 1e-8));
}

/* glmnet's path: the same grid and length, nulldev to 1e-12, dev_ratio to
 * 1e-6, coefficients and intercepts within 1e-5 relative (gaussian: at
 * every point, with the same df) except where glmnet's own answer is the
 * less accurate, shown by its higher weighted objective; every point
 * certified (gap within tol of the null objective) and its KKT conditions
 * holding as that gap says they must (kkt_violation). */
static void check_path(int case_index, int f, rp_update update) {
  wcase wc = load_case(case_index);
  const cJSON *fit = fit_of(&wc, f);
  double l1 = get(fit, "l1_ratio")->valuedouble;
  rp_fit_options opt = options(&wc, l1);
  opt.update = update;
  rp_path *path;
  rp_error err;
  ck_assert_msg(rp_path_fit(&wc.X, wc.y, NULL, 0, &opt, &path, &err) == RP_OK, "%s", err.message);
  size_t K = (size_t)cJSON_GetArraySize(get(fit, "lambda")), beyond = 0;
  ck_assert_uint_eq(path->n_alphas, K);
  double nulldev = get(fit, "nulldev")->valuedouble;
  ck_assert_msg(tu_relerr(path->null_deviance, nulldev, 1e-300) < 1e-12, "nulldev %.17g vs %.17g",
                path->null_deviance, nulldev);
  weighted_problem wp = weighted_open(&wc);
  double worst = 0.0, worst_beyond = 0.0, worst_dev = 0.0, worst_kkt = 0.0, worst_gap = 0.0;
  int gaussian = wc.family == RP_FAMILY_GAUSSIAN;
  /* glmnet reports its ridge start (solved at lambda = 9.9e35) as all zeros. */
  for (size_t k = l1 == 0.0 ? 1 : 0; k < K; k++) {
    double alpha = at(fit, "lambda", k);
    ck_assert_msg(tu_relerr(path->alphas[k], alpha, 1e-300) < 1e-12, "alpha %zu: %.17g vs %.17g", k,
                  path->alphas[k], alpha);
    ck_assert_msg(path->dual_gap[k] <= opt.gap_tol * path->null_objective, "gap at %zu", k);
    ck_assert(path->converged[k]);
    worst_gap = fmax(worst_gap, path->dual_gap[k] / path->null_objective);
    double dev = fabs(path->dev_ratio[k] - at(fit, "dev_ratio", k));
    ck_assert_msg(dev < 1e-6, "dev_ratio %zu off by %.3g", k, dev);
    worst_dev = fmax(worst_dev, dev);
    worst_kkt = fmax(worst_kkt, kkt_violation(&wc, &wp, path, k));
    if (gaussian) ck_assert_uint_eq(path->df[k], (size_t)at(fit, "df", k));
    double e = point_error(path, fit, k);
    if (e <= 1e-5) {
      worst = fmax(worst, e);
      continue;
    }
    ck_assert_msg(!gaussian, "point %zu: off glmnet by %.3g", k, e);
    double *b_ref = tu_json_doubles(cJSON_GetArrayItem(get(fit, "coef"), (int)k), &(size_t){0});
    double ours = weighted_objective(&wc, &wp, alpha, l1, path->intercept[k], path->coef + k * path->p);
    double theirs = weighted_objective(&wc, &wp, alpha, l1, at(fit, "a0", k), b_ref);
    free(b_ref);
    ck_assert_msg(ours < theirs, "point %zu: off glmnet by %.3g and not better (%.17g vs %.17g)", k,
                  e, ours, theirs);
    beyond++;
    worst_beyond = fmax(worst_beyond, e);
  }
  printf("agreement glmnet %s l1_ratio %g (%s): %zu alphas, max rel error %.2e, dev_ratio %.1e, "
         "nulldev %.1e; %zu points beyond 1e-5 (max %.2e), glmnet's objective higher at each; "
         "max gap %.1e null objective, KKT %.1e alpha\n",
         get(wc.c, "name")->valuestring, l1, ROUTE_NAMES[update], K, worst, worst_dev,
         tu_relerr(path->null_deviance, nulldev, 1e-300), beyond, worst_beyond, worst_gap, worst_kkt);
  weighted_close(&wp);
  rp_path_free(path);
  unload_case(&wc);
}

static rp_metric metric_named(const char *name) {
  size_t m = 0;
  while (m < RP_N_METRICS && strcmp(rp_metric_names[m], name) != 0) m++;
  ck_assert_uint_lt(m, RP_N_METRICS);
  return (rp_metric)m;
}

/* cv.glmnet's curves for every measure of the fit, with its fold ids on its
 * grid: cvm and cvsd within the tolerances of check_glmnet (gaussian) and
 * check_glm (the others), the same lambda.min and lambda.1se. */
static void check_cv(int case_index, int f, rp_update update) {
  wcase wc = load_case(case_index);
  const cJSON *fit = fit_of(&wc, f), *measure;
  double l1 = get(fit, "l1_ratio")->valuedouble;
  rp_fit_options opt = options(&wc, l1);
  opt.update = update;
  if (wc.family != RP_FAMILY_GAUSSIAN) opt.tol = opt.gap_tol = 1e-8; /* as check_glm's CV */
  size_t K, n = wc.X.n;
  double *alphas = tu_json_doubles(get(fit, "lambda"), &K);
  int *folds = malloc(n * sizeof *folds);
  for (size_t i = 0; i < n; i++) folds[i] = (int)at(wc.c, "foldid", i);
  cJSON_ArrayForEach(measure, get(fit, "cv")) {
    rp_metric metric = metric_named(measure->string);
    rp_cv *cv;
    rp_error err;
    ck_assert_msg(rp_cv_fit(&wc.X, wc.y, &opt, alphas, K, folds, metric, &cv, &err) == RP_OK, "%s",
                  err.message);
    double wm = 0.0, ws = 0.0;
    for (size_t k = l1 == 0.0 ? 1 : 0; k < K; k++) {
      wm = fmax(wm, tu_relerr(cv->mean[k], at(measure, "cvm", k), 1e-12));
      ws = fmax(ws, tu_relerr(cv->std_error[k], at(measure, "cvsd", k), 1e-12));
    }
    int gaussian = wc.family == RP_FAMILY_GAUSSIAN, auc = metric == RP_METRIC_AUC;
    double tol_m = gaussian ? 1e-6 : auc ? 1e-3 : 1e-4, tol_s = gaussian ? 1e-5 : auc ? 1e-2 : 1e-3;
    printf("agreement cv.glmnet %s l1_ratio %g %s (%s): max rel error cvm %.2e, cvsd %.2e; "
           "index_min %zu, index_1se %zu (1-based)\n",
           get(wc.c, "name")->valuestring, l1, measure->string, ROUTE_NAMES[update], wm, ws,
           cv->index_min + 1, cv->index_1se + 1);
    ck_assert_msg(wm < tol_m, "cvm off by %.3g", wm);
    ck_assert_msg(ws < tol_s, "cvsd off by %.3g", ws);
    ck_assert_uint_eq(cv->index_min + 1, (size_t)get(measure, "index_min")->valueint);
    ck_assert_uint_eq(cv->index_1se + 1, (size_t)get(measure, "index_1se")->valueint);
    ck_assert(tu_relerr(cv->alpha_min, get(measure, "lambda_min")->valuedouble, 1e-300) < 1e-12);
    ck_assert(tu_relerr(cv->alpha_1se, get(measure, "lambda_1se")->valuedouble, 1e-300) < 1e-12);
    rp_cv_free(cv);
  }
  free(alphas);
  free(folds);
  unload_case(&wc);
}

/* Cases (weights_glmnet.json's order): diabetes (gaussian) 0-2, breast
 * cancer (binomial) 3-5, poisson counts 6-8, each weights / offset / both;
 * fits l1_ratio 1, 0.5 (and 0 for the first). */
#define GLMNET_TESTS(name, c, f)                                       \
  START_TEST(name##_path) { check_path(c, f, RP_UPDATE_AUTO); }        \
  END_TEST                                                             \
  START_TEST(name##_cv) { check_cv(c, f, RP_UPDATE_AUTO); }            \
  END_TEST
GLMNET_TESTS(gaussian_weights_lasso, 0, 0)
GLMNET_TESTS(gaussian_weights_elastic_net, 0, 1)
GLMNET_TESTS(gaussian_weights_ridge, 0, 2)
GLMNET_TESTS(gaussian_offset_lasso, 1, 0)
GLMNET_TESTS(gaussian_offset_elastic_net, 1, 1)
GLMNET_TESTS(gaussian_both_lasso, 2, 0)
GLMNET_TESTS(gaussian_both_elastic_net, 2, 1)
GLMNET_TESTS(binomial_weights_lasso, 3, 0)
GLMNET_TESTS(binomial_weights_elastic_net, 3, 1)
GLMNET_TESTS(binomial_offset_lasso, 4, 0)
GLMNET_TESTS(binomial_offset_elastic_net, 4, 1)
GLMNET_TESTS(binomial_both_lasso, 5, 0)
GLMNET_TESTS(binomial_both_elastic_net, 5, 1)
GLMNET_TESTS(poisson_weights_lasso, 6, 0)
GLMNET_TESTS(poisson_weights_elastic_net, 6, 1)
GLMNET_TESTS(poisson_offset_lasso, 7, 0)
GLMNET_TESTS(poisson_offset_elastic_net, 7, 1)
GLMNET_TESTS(poisson_both_lasso, 8, 0)
GLMNET_TESTS(poisson_both_elastic_net, 8, 1)

/* The gaussian cases on the route auto does not take (covariance on this
 * 442 x 10 data): the naive route, whose fits copy their rows. */
START_TEST(gaussian_naive_route_matches_glmnet) {
  for (int c = 0; c < 3; c++)
    for (int f = 0; f < (c == 0 ? 3 : 2); f++) {
      check_path(c, f, RP_UPDATE_NAIVE);
      check_cv(c, f, RP_UPDATE_NAIVE);
    }
}
END_TEST

int main(void) {
  Suite *s = suite_create("weights");
  TCase *tc = tcase_create("glmnet");
#define ADD(name)                      \
  tcase_add_test(tc, name##_path);     \
  tcase_add_test(tc, name##_cv);
  ADD(gaussian_weights_lasso)
  ADD(gaussian_weights_elastic_net)
  ADD(gaussian_weights_ridge)
  ADD(gaussian_offset_lasso)
  ADD(gaussian_offset_elastic_net)
  ADD(gaussian_both_lasso)
  ADD(gaussian_both_elastic_net)
  ADD(binomial_weights_lasso)
  ADD(binomial_weights_elastic_net)
  ADD(binomial_offset_lasso)
  ADD(binomial_offset_elastic_net)
  ADD(binomial_both_lasso)
  ADD(binomial_both_elastic_net)
  ADD(poisson_weights_lasso)
  ADD(poisson_weights_elastic_net)
  ADD(poisson_offset_lasso)
  ADD(poisson_offset_elastic_net)
  ADD(poisson_both_lasso)
  ADD(poisson_both_elastic_net)
  tcase_add_test(tc, gaussian_naive_route_matches_glmnet);
  suite_add_tcase(s, tc);
  return tu_run(s);
}
