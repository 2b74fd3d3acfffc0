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
  wcase wc = {tu_load_json(tu_src_path("tests/data/weights_glmnet.json")),
              NULL,
              NULL,
              NULL,
              {0, 0, 0, NULL},
              NULL,
              NULL,
              NULL,
              RP_FAMILY_GAUSSIAN};
  wc.c = cJSON_GetArrayItem(get(wc.ref, "cases"), i);
  ck_assert_ptr_nonnull(wc.c);
  rp_error err;
  ck_assert_int_eq(
      rp_table_read_csv(tu_src_path(get(wc.c, "data")->valuestring), NULL, &wc.data, &err), RP_OK);
  ck_assert_int_eq(
      rp_table_read_csv(tu_src_path(get(wc.c, "columns")->valuestring), NULL, &wc.columns, &err),
      RP_OK);
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

static const cJSON *fit_of(const wcase *wc, int f) {
  return cJSON_GetArrayItem(get(wc->c, "fits"), f);
}

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
  weighted_problem wp = {0.0,
                         1.0,
                         malloc(p * sizeof(double)),
                         malloc(p * sizeof(double)),
                         malloc(n * sizeof(double)),
                         malloc(n * sizeof(double))};
  for (size_t i = 0; i < n; i++) wp.W += wc->w ? wc->w[i] : 1.0;
  for (size_t j = 0; j < p; j++)
    weighted_moments(wc->X.values + j * n, wc->w, n, &wp.m[j], &wp.s[j]);
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
  ck_assert_msg(worst <= 2.0 * sqrt(2.0 * sum_h * gap) + floor,
                "point %zu: intercept KKT off by %g", k, worst);
  for (size_t j = 0; j < p; j++) {
    double g = 0.0, L = 0.0, bt = b[j] * wp->s[j], ridge = alpha * (1.0 - l1) * wp->c;
    const double *x = wc->X.values + j * n;
    for (size_t i = 0; i < n; i++) {
      double w = wc->w ? wc->w[i] : 1.0, xt = (x[i] - wp->m[j]) / wp->s[j];
      g += w * xt * wp->r[i] / wp->W;
      L += w * wp->h[i] * xt * xt / wp->W;
    }
    g -= ridge * bt;
    double v = bt != 0.0 ? fabs(g - alpha * l1 * (bt > 0.0 ? 1.0 : -1.0))
                         : fmax(fabs(g) - alpha * l1, 0.0);
    ck_assert_msg(v <= 2.0 * sqrt(2.0 * (L + ridge) * gap) + floor,
                  "point %zu column %zu: KKT off by %g with a gap of %g", k, j + 1, v, gap);
    worst = fmax(worst, v);
  }
  return worst / alpha;
}

/* ------------------------------------------------ against glmnet */

static const char *const ROUTE_NAMES[] = {
    [RP_UPDATE_AUTO] = "auto", [RP_UPDATE_NAIVE] = "naive", [RP_UPDATE_COVARIANCE] = "covariance"};

/* The larger of the coefficients' and the intercept's relative error at k. */
static double point_error(const rp_path *path, const cJSON *fit, size_t k) {
  return fmax(tu_coef_error(path, get(fit, "coef"), k),
              tu_relerr(path->intercept[k], at(fit, "a0", k), 1e-8));
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
    double ours =
        weighted_objective(&wc, &wp, alpha, l1, path->intercept[k], path->coef + k * path->p);
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
         tu_relerr(path->null_deviance, nulldev, 1e-300), beyond, worst_beyond, worst_gap,
         worst_kkt);
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
#define GLMNET_TESTS(name, c, f)                                                                   \
  START_TEST(name##_path) { check_path(c, f, RP_UPDATE_AUTO); }                                    \
  END_TEST                                                                                         \
  START_TEST(name##_cv) { check_cv(c, f, RP_UPDATE_AUTO); }                                        \
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

/* ------------------------------------------------------ oracles */

/* A data set of its own: n x p values, the target, weights, offsets and
 * fold ids (NULL where unused), owned. */
typedef struct {
  size_t n, p;
  double *x, *y, *w, *o;
  int *folds;
} dataset;

static dataset dataset_alloc(size_t n, size_t p) {
  dataset d = {n,
               p,
               calloc(n * p, sizeof(double)),
               calloc(n, sizeof(double)),
               calloc(n, sizeof(double)),
               calloc(n, sizeof(double)),
               calloc(n, sizeof(int))};
  ck_assert(d.x && d.y && d.w && d.o && d.folds);
  return d;
}

static void dataset_free(dataset *d) {
  free(d->x), free(d->y), free(d->w), free(d->o), free(d->folds);
}

/* Row i of the case (its weight w_i, offset o_i, fold id) into row r of d. */
static void copy_row(const wcase *wc, size_t i, dataset *d, size_t r, double w) {
  for (size_t j = 0; j < d->p; j++) d->x[j * d->n + r] = wc->X.values[j * wc->X.n + i];
  d->y[r] = wc->y[i];
  d->w[r] = w;
  d->o[r] = wc->o ? wc->o[i] : 0.0;
  d->folds[r] = (int)at(wc->c, "foldid", i);
}

/* All the case's rows, with weights `scale` w_i (scale where it has none). */
static dataset dataset_of(const wcase *wc, double scale) {
  dataset d = dataset_alloc(wc->X.n, wc->X.p);
  for (size_t i = 0; i < wc->X.n; i++) copy_row(wc, i, &d, i, scale * (wc->w ? wc->w[i] : 1.0));
  return d;
}

/* The case's options on d, its weights and offsets used when `weighted`
 * (IRLS to tol 1e-9: both sides of an oracle take the same steps). */
static rp_fit_options oracle_options(const wcase *wc, const dataset *d, double l1, rp_update update,
                                     int weighted) {
  rp_fit_options opt = options(wc, l1);
  if (wc->family != RP_FAMILY_GAUSSIAN) opt.tol = opt.gap_tol = 1e-9;
  opt.update = update;
  opt.weights = weighted ? d->w : NULL;
  opt.offset = wc->o ? d->o : NULL;
  return opt;
}

static rp_path *fit_dataset(const wcase *wc, const dataset *d, double l1, rp_update update,
                            int weighted) {
  rp_fit_options opt = oracle_options(wc, d, l1, update, weighted);
  rp_matrix X = {d->n, d->p, d->n, d->x};
  rp_path *path;
  rp_error err;
  ck_assert_msg(rp_path_fit(&X, d->y, NULL, 0, &opt, &path, &err) == RP_OK, "%s", err.message);
  return path;
}

static rp_cv *cv_dataset(const wcase *wc, const dataset *d, const rp_path *grid, rp_metric metric,
                         rp_update update, int weighted) {
  rp_fit_options opt = oracle_options(wc, d, grid->l1_ratio, update, weighted);
  rp_matrix X = {d->n, d->p, d->n, d->x};
  rp_cv *cv;
  rp_error err;
  ck_assert_msg(
      rp_cv_fit(&X, d->y, &opt, grid->alphas, grid->n_alphas, d->folds, metric, &cv, &err) == RP_OK,
      "%s", err.message);
  return cv;
}

/* The largest relative difference between two paths (grid, coefficients
 * relative to the largest, intercepts, dev_ratio, null deviance scaled by
 * `nulldev_ratio`), which must have the same length. */
static double path_difference(const rp_path *a, const rp_path *b, double nulldev_ratio) {
  ck_assert_uint_eq(a->n_alphas, b->n_alphas);
  double d = tu_relerr(a->null_deviance, nulldev_ratio * b->null_deviance, 1e-300);
  for (size_t k = 0; k < a->n_alphas; k++) {
    double diff = 0.0, scale = 1e-300;
    for (size_t j = 0; j < a->p; j++) {
      diff = fmax(diff, fabs(a->coef[k * a->p + j] - b->coef[k * b->p + j]));
      scale = fmax(scale, fabs(b->coef[k * b->p + j]));
    }
    d = fmax(d, fmax(diff / scale, tu_relerr(a->alphas[k], b->alphas[k], 1e-300)));
    d = fmax(d, tu_relerr(a->intercept[k], b->intercept[k], 1e-8));
    d = fmax(d, fabs(a->dev_ratio[k] - b->dev_ratio[k]));
  }
  return d;
}

static double cv_difference(const rp_cv *a, const rp_cv *b) {
  ck_assert_uint_eq(a->index_min, b->index_min);
  ck_assert_uint_eq(a->index_1se, b->index_1se);
  double d = 0.0;
  for (size_t k = 0; k < a->n_alphas; k++)
    d = fmax(d, fmax(tu_relerr(a->mean[k], b->mean[k], 1e-12),
                     tu_relerr(a->std_error[k], b->std_error[k], 1e-12)));
  return d;
}

/* The measures checked for a family: each loss once across the families. */
static size_t measures_of(rp_family family, rp_metric *m) {
  size_t k = 0;
  if (family == RP_FAMILY_GAUSSIAN) m[k++] = RP_METRIC_MSE, m[k++] = RP_METRIC_MAE;
  if (family == RP_FAMILY_BINOMIAL) m[k++] = RP_METRIC_CLASS, m[k++] = RP_METRIC_AUC;
  if (family != RP_FAMILY_GAUSSIAN) m[k++] = RP_METRIC_DEVIANCE;
  return k;
}

/* `a` weighted against `b` (weighted or not; same family, offsets as each
 * has them): the lasso paths on the default grid, and the CV curves on
 * that grid for each measure, agree to `tol`. */
static void compare_fits(const wcase *wc, const dataset *a, const dataset *b, rp_update update,
                         double nulldev_ratio, int b_weighted, double tol, const char *what) {
  {
    double l1 = 1.0;
    rp_path *pa = fit_dataset(wc, a, l1, update, 1),
            *pb = fit_dataset(wc, b, l1, update, b_weighted);
    double dp = path_difference(pa, pb, nulldev_ratio), dc = 0.0;
    ck_assert_msg(dp < tol, "%s, %s l1_ratio %g: paths differ by %.3g", what,
                  get(wc->c, "name")->valuestring, l1, dp);
    rp_metric metrics[RP_N_METRICS];
    for (size_t m = 0, count = measures_of(wc->family, metrics); m < count; m++) {
      rp_cv *ca = cv_dataset(wc, a, pa, metrics[m], update, 1),
            *cb = cv_dataset(wc, b, pa, metrics[m], update, b_weighted);
      double d = cv_difference(ca, cb);
      ck_assert_msg(d < tol, "%s, %s l1_ratio %g %s: CV differs by %.3g", what,
                    get(wc->c, "name")->valuestring, l1, rp_metric_name(metrics[m]), d);
      dc = fmax(dc, d);
      rp_cv_free(ca);
      rp_cv_free(cb);
    }
    printf("oracle %s, %s l1_ratio %g (%s): %zu alphas, paths within %.1e, CV curves within %.1e\n",
           what, get(wc->c, "name")->valuestring, l1, ROUTE_NAMES[update], pa->n_alphas, dp, dc);
    rp_path_free(pa);
    rp_path_free(pb);
  }
}

/* How far two fits of the same objective may differ: to rounding on the
 * covariance route; on the naive route and in IRLS only to what the gap
 * certifies, which on diabetes's nearly collinear columns leaves about
 * 1e-6 of the coefficients free (the covariance route agrees to 1e-14). */
static double oracle_tol(rp_family family, rp_update update) {
  return family == RP_FAMILY_GAUSSIAN && update == RP_UPDATE_COVARIANCE ? 1e-12 : 1e-5;
}

/* Integer weights k_i = i mod 4 (0 to 3) against each row repeated k_i
 * times (its offset and fold id with it): the same objective, grid, path
 * and CV statistics (a fold's weight is its number of copies). */
static void check_duplicates(int case_index, rp_update update) {
  wcase wc = load_case(case_index);
  size_t n = wc.X.n, p = wc.X.p, copies = 0;
  for (size_t i = 0; i < n; i++) copies += i % 4;
  dataset a = dataset_alloc(n, p), b = dataset_alloc(copies, p);
  for (size_t i = 0, r = 0; i < n; i++) {
    copy_row(&wc, i, &a, i, (double)(i % 4));
    for (size_t k = 0; k < i % 4; k++) copy_row(&wc, i, &b, r++, 1.0);
  }
  compare_fits(&wc, &a, &b, update, 1.0, 0, oracle_tol(wc.family, update),
               "integer weights = repeated rows");
  dataset_free(&a);
  dataset_free(&b);
  unload_case(&wc);
}

START_TEST(integer_weights_equal_repeated_rows) {
  check_duplicates(2, RP_UPDATE_COVARIANCE);
  check_duplicates(2, RP_UPDATE_NAIVE);
  check_duplicates(5, RP_UPDATE_AUTO);
  check_duplicates(8, RP_UPDATE_AUTO);
}
END_TEST

/* The case's rows of weight 0 given wild values (x 1e6, a gaussian or
 * poisson target 1e6, offset 800, so that e^eta overflows there) against
 * the same data without them: the same fit and CV statistics. */
static void check_zero_weights(int case_index, rp_update update) {
  wcase wc = load_case(case_index);
  size_t n = wc.X.n, p = wc.X.p, kept = 0;
  ck_assert_ptr_nonnull(wc.w);
  for (size_t i = 0; i < n; i++) kept += wc.w[i] > 0.0;
  ck_assert_uint_lt(kept, n);
  dataset a = dataset_alloc(n, p), b = dataset_alloc(kept, p);
  for (size_t i = 0, r = 0; i < n; i++) {
    copy_row(&wc, i, &a, i, wc.w[i]);
    if (wc.w[i] > 0.0) {
      copy_row(&wc, i, &b, r++, wc.w[i]);
      continue;
    }
    for (size_t j = 0; j < p; j++) a.x[j * n + i] = 1e6 * (double)(j + 1);
    if (wc.family != RP_FAMILY_BINOMIAL) a.y[i] = 1e6;
    a.o[i] = 800.0;
  }
  compare_fits(&wc, &a, &b, update, 1.0, 1, oracle_tol(wc.family, update),
               "weight 0 = row deleted");
  dataset_free(&a);
  dataset_free(&b);
  unload_case(&wc);
}

START_TEST(zero_weights_equal_deleted_rows) {
  check_zero_weights(2, RP_UPDATE_COVARIANCE);
  check_zero_weights(2, RP_UPDATE_NAIVE);
  check_zero_weights(5, RP_UPDATE_AUTO);
  check_zero_weights(8, RP_UPDATE_AUTO);
}
END_TEST

/* Weights times 3.7 (glmnet normalizes them): the same fit; the null
 * deviance, in the weights' units, 3.7 times as large. */
START_TEST(scaled_weights_give_the_same_fit) {
  for (int c = 2; c <= 8; c += 3) {
    wcase wc = load_case(c);
    dataset a = dataset_of(&wc, 3.7), b = dataset_of(&wc, 1.0);
    compare_fits(&wc, &a, &b, RP_UPDATE_AUTO, 3.7, 1, 1e-9, "weights x 3.7 = weights");
    dataset_free(&a);
    dataset_free(&b);
    unload_case(&wc);
  }
}
END_TEST

/* All weights 1 and no weights: the same numbers (v_i = n 1 / n = 1
 * exactly, sqrt(1) = 1). */
START_TEST(unit_weights_equal_no_weights) {
  for (int c = 1; c <= 7; c += 3) {
    wcase wc = load_case(c);
    dataset a = dataset_of(&wc, 1.0);
    compare_fits(&wc, &a, &a, RP_UPDATE_AUTO, 1.0, 0, 1e-13, "weights 1 = no weights");
    if (c == 1) /* weighted, the naive route copies the rows; else it views them */
      compare_fits(&wc, &a, &a, RP_UPDATE_NAIVE, 1.0, 0, oracle_tol(wc.family, RP_UPDATE_NAIVE),
                   "weights 1 = no weights");
    dataset_free(&a);
    unload_case(&wc);
  }
}
END_TEST

/* A gaussian offset is the same as fitting y - o (both routes, path and
 * CV); a constant offset c in the other families only moves the intercept
 * by -c. */
START_TEST(gaussian_offset_equals_fitting_y_minus_o) {
  for (int c = 1; c <= 2; c++) {
    wcase wc = load_case(c);
    dataset a = dataset_of(&wc, 1.0), b = dataset_of(&wc, 1.0);
    for (size_t i = 0; i < b.n; i++) b.y[i] -= b.o[i];
    const double *o = wc.o;
    for (int u = RP_UPDATE_NAIVE; u <= RP_UPDATE_COVARIANCE; u++) {
      wc.o = o;
      rp_path *pa = fit_dataset(&wc, &a, 0.5, (rp_update)u, wc.w != NULL);
      rp_cv *ca = cv_dataset(&wc, &a, pa, RP_METRIC_MSE, (rp_update)u, wc.w != NULL);
      wc.o = NULL;
      rp_path *pb = fit_dataset(&wc, &b, 0.5, (rp_update)u, wc.w != NULL);
      rp_cv *cb = cv_dataset(&wc, &b, pa, RP_METRIC_MSE, (rp_update)u, wc.w != NULL);
      double dp = path_difference(pa, pb, 1.0), dc = cv_difference(ca, cb);
      ck_assert_msg(dp == 0.0 && dc == 0.0, "%s: paths differ by %g, CV by %g", ROUTE_NAMES[u], dp,
                    dc);
      rp_path_free(pa), rp_path_free(pb), rp_cv_free(ca), rp_cv_free(cb);
    }
    printf("oracle gaussian offset = fitting y - o, %s: the same numbers on both routes\n",
           get(wc.c, "name")->valuestring);
    dataset_free(&a);
    dataset_free(&b);
    unload_case(&wc);
  }
}
END_TEST

START_TEST(constant_offset_moves_the_intercept) {
  for (int c = 3; c <= 6; c += 3) {
    wcase wc = load_case(c);
    dataset a = dataset_of(&wc, 1.0);
    for (size_t i = 0; i < a.n; i++) a.o[i] = 0.7;
    wc.o = a.o;
    rp_path *pa = fit_dataset(&wc, &a, 1.0, RP_UPDATE_AUTO, 1);
    wc.o = NULL;
    rp_path *pb = fit_dataset(&wc, &a, 1.0, RP_UPDATE_AUTO, 1);
    for (size_t k = 0; k < pb->n_alphas; k++) pb->intercept[k] -= 0.7;
    double d = path_difference(pa, pb, 1.0);
    ck_assert_msg(d < 1e-8, "%s: off by %.3g", get(wc.c, "name")->valuestring, d);
    printf("oracle constant offset 0.7 = intercept - 0.7, %s: within %.1e\n",
           get(wc.c, "name")->valuestring, d);
    rp_path_free(pa);
    rp_path_free(pb);
    dataset_free(&a);
    unload_case(&wc);
  }
}
END_TEST

/* ---------------------------------------------------- validation */

/* Every public fit names the first bad row (1-based, as X's row). */
static void expect_bad(const double *w, const double *o, const size_t *rows, size_t n_rows,
                       const char *needle) {
  wcase wc = load_case(5);
  rp_fit_options opt = options(&wc, 1.0);
  opt.weights = w;
  opt.offset = o;
  rp_path *path = NULL;
  rp_cv *cv = NULL;
  rp_error err;
  int folds[569];
  for (size_t i = 0; i < wc.X.n; i++) folds[i] = (int)(i % 5) + 1;
  double alphas[] = {0.1, 0.01};
  ck_assert_int_eq(rp_path_fit(&wc.X, wc.y, rows, n_rows, &opt, &path, &err), RP_EDATA);
  ck_assert_msg(strstr(err.message, needle) != NULL, "rp_path_fit: \"%s\" lacks \"%s\"",
                err.message, needle);
  if (!rows) {
    ck_assert_int_eq(rp_cv_fit(&wc.X, wc.y, &opt, alphas, 2, folds, RP_METRIC_DEVIANCE, &cv, &err),
                     RP_EDATA);
    ck_assert_msg(strstr(err.message, needle) != NULL, "rp_cv_fit: \"%s\" lacks \"%s\"",
                  err.message, needle);
    ck_assert_int_eq(rp_path_cv_fit(&wc.X, wc.y, &opt, folds, RP_METRIC_DEVIANCE, &path, &cv, &err),
                     RP_EDATA);
    ck_assert_msg(strstr(err.message, needle) != NULL, "rp_path_cv_fit: \"%s\" lacks \"%s\"",
                  err.message, needle);
  }
  ck_assert_ptr_null(path);
  ck_assert_ptr_null(cv);
  unload_case(&wc);
}

START_TEST(bad_weights_and_offsets_are_named_by_row) {
  double w[569], o[569];
  size_t rows[] = {3, 6, 1, 9};
  for (size_t i = 0; i < 569; i++) w[i] = 1.0, o[i] = 0.0;
  w[6] = -0.5;
  expect_bad(w, NULL, NULL, 0, "weight -0.5 of row 7 is not a finite number >= 0");
  expect_bad(w, NULL, rows, 4, "row 7");
  w[6] = NAN;
  expect_bad(w, NULL, NULL, 0, "weight nan of row 7");
  w[6] = INFINITY;
  expect_bad(w, NULL, NULL, 0, "weight inf of row 7");
  w[6] = 1.0;
  o[99] = NAN;
  expect_bad(NULL, o, NULL, 0, "offset nan of row 100 is not finite");
  expect_bad(w, o, NULL, 0, "offset nan of row 100 is not finite");
  o[99] = 0.0;
  for (size_t i = 0; i < 569; i++) w[i] = 0.0;
  expect_bad(w, NULL, NULL, 0, "every weight of the 569 rows is 0");
  w[400] = 1.0; /* outside rows 4, 7, 2, 10 */
  expect_bad(w, NULL, rows, 4, "every weight of the 4 rows is 0");
}
END_TEST

/* A fold whose training rows all weigh 0 cannot be fitted: named. */
START_TEST(a_fold_without_training_weight_is_named) {
  wcase wc = load_case(3);
  double w[569];
  int folds[569];
  for (size_t i = 0; i < wc.X.n; i++) folds[i] = i < 100 ? 1 : 2, w[i] = i < 100 ? 1.0 : 0.0;
  rp_fit_options opt = options(&wc, 1.0);
  opt.weights = w;
  double alphas[] = {0.1, 0.01};
  rp_cv *cv;
  rp_error err;
  ck_assert_int_eq(rp_cv_fit(&wc.X, wc.y, &opt, alphas, 2, folds, RP_METRIC_DEVIANCE, &cv, &err),
                   RP_EDATA);
  ck_assert_msg(strstr(err.message, "fold 1: every weight of its 469 training rows is 0") != NULL,
                "%s", err.message);
  unload_case(&wc);
}
END_TEST

int main(void) {
  Suite *s = suite_create("weights");
  TCase *tc = tcase_create("glmnet");
  /* The cv.glmnet curves refit every path ten times more: too long under
   * valgrind, which leaves out the tag "slow" (tests/valgrind.sh; the CV
   * code is in its suites there); every other run has them. */
  TCase *cv = tcase_create("glmnet-cv");
  tcase_set_tags(cv, "slow");
#define ADD(name)                                                                                  \
  tcase_add_test(tc, name##_path);                                                                 \
  tcase_add_test(cv, name##_cv);
  ADD(gaussian_weights_lasso)
  ADD(gaussian_weights_elastic_net)
  ADD(gaussian_weights_ridge)
  ADD(gaussian_offset_lasso)
  ADD(gaussian_offset_elastic_net)
  ADD(gaussian_both_lasso)
  ADD(gaussian_both_elastic_net)
  tcase_add_test(tc, binomial_weights_lasso_path);
  ADD(binomial_weights_elastic_net)
  tcase_add_test(tc, binomial_offset_lasso_path);
  ADD(binomial_offset_elastic_net)
  tcase_add_test(tc, binomial_both_lasso_path);
  ADD(binomial_both_elastic_net)
  ADD(poisson_weights_lasso)
  ADD(poisson_weights_elastic_net)
  ADD(poisson_offset_lasso)
  ADD(poisson_offset_elastic_net)
  ADD(poisson_both_lasso)
  ADD(poisson_both_elastic_net)
  tcase_add_test(tc, gaussian_naive_route_matches_glmnet);
  suite_add_tcase(s, tc);
  suite_add_tcase(s, cv);
  /* The binomial lasso's CV and the oracles that repeat it take 25 of the
   * suite's 35 s: too long under valgrind, which leaves out the tag "slow"
   * (tests/valgrind.sh); every other run has them. */
  TCase *slow = tcase_create("glmnet-binomial-lasso-cv");
  tcase_set_tags(slow, "slow");
  tcase_add_test(slow, binomial_weights_lasso_cv);
  tcase_add_test(slow, binomial_offset_lasso_cv);
  tcase_add_test(slow, binomial_both_lasso_cv);
  suite_add_tcase(s, slow);
  TCase *oracles = tcase_create("oracles");
  tcase_set_tags(oracles, "slow");
  tcase_add_test(oracles, integer_weights_equal_repeated_rows);
  tcase_add_test(oracles, zero_weights_equal_deleted_rows);
  tcase_add_test(oracles, scaled_weights_give_the_same_fit);
  tcase_add_test(oracles, unit_weights_equal_no_weights);
  suite_add_tcase(s, oracles);
  TCase *offsets = tcase_create("offset oracles");
  tcase_add_test(offsets, gaussian_offset_equals_fitting_y_minus_o);
  tcase_add_test(offsets, constant_offset_moves_the_intercept);
  suite_add_tcase(s, offsets);
  TCase *validation = tcase_create("validation");
  tcase_add_test(validation, bad_weights_and_offsets_are_named_by_row);
  tcase_add_test(validation, a_fold_without_training_weight_is_named);
  suite_add_tcase(s, validation);
  return tu_run(s);
}
