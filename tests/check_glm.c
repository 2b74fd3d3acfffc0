/* check_glm.c: the binomial and poisson families against glmnet 4.1.
 *
 * Oracles: glmnet's own paths and cv.glmnet curves at thresh 1e-14
 * (tests/data/breast_cancer_glmnet.json, poisson_glmnet.json), cv.glmnet's
 * other measures and its per-observation losses on given predictions
 * (glm_cv_measures.json, from make_glm_refs.R), and, where glmnet's answer
 * is itself inexact, the objective and KKT conditions computed here from
 * the definitions, and glmnet's binomial paths re-solved at thresh 1e-20
 * (breast_cancer_tight.json). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regpath.h"
#include "testutil.h"

typedef struct {
  rp_table *data;
  cJSON *ref;
  cJSON *tight; /* the same paths at thresh 1e-20, or NULL */
  rp_family family;
} reference;

static reference load(const char *csv, const char *json, rp_family family) {
  reference r = {NULL, tu_load_json(tu_src_path(json)), NULL, family};
  rp_error err;
  ck_assert_int_eq(rp_table_read_csv(tu_src_path(csv), NULL, &r.data, &err), RP_OK);
  return r;
}

static void unload(reference *r) {
  rp_table_free(r->data);
  cJSON_Delete(r->ref);
  cJSON_Delete(r->tight);
}

static const cJSON *get(const cJSON *o, const char *key) { return cJSON_GetObjectItem(o, key); }
static double at(const cJSON *o, const char *key, size_t k) {
  return cJSON_GetArrayItem(get(o, key), (int)k)->valuedouble;
}
static const cJSON *fit_of(const reference *r, int i) {
  return cJSON_GetArrayItem(get(r->ref, "fits"), i);
}

static rp_matrix matrix_of(const reference *r) {
  size_t n = r->data->n_rows, p = r->data->n_cols - 1;
  rp_matrix X = {n, p, n, r->data->values};
  return X;
}
static const double *target_of(const reference *r) {
  return rp_table_column(r->data, r->data->n_cols - 1);
}

static rp_fit_options options(const reference *r, double l1_ratio, double tol) {
  rp_fit_options opt;
  rp_fit_options_init(&opt);
  opt.family = r->family;
  opt.l1_ratio = l1_ratio;
  if (tol > 0.0) opt.tol = opt.gap_tol = tol; /* 0: the defaults */
  return opt;
}

/* Column j's mean and 1/n standard deviation. */
static void column_moments(const rp_matrix *X, size_t j, double *mean, double *sd) {
  double m = 0.0, v = 0.0;
  for (size_t i = 0; i < X->n; i++) m += X->values[j * X->n + i] / (double)X->n;
  for (size_t i = 0; i < X->n; i++) v += pow(X->values[j * X->n + i] - m, 2) / (double)X->n;
  *mean = m;
  *sd = sqrt(v);
}

/* The objective, from the definitions: -(1/n) loglik + alpha * penalty on
 * the standardized coefficients b_j s_j (1/n standard deviations s_j). */
static double objective(const reference *r, double alpha, double l1, double b0, const double *b) {
  rp_matrix X = matrix_of(r);
  const double *y = target_of(r);
  double loss = 0.0, pen = 0.0;
  for (size_t i = 0; i < X.n; i++) {
    double eta = b0;
    for (size_t j = 0; j < X.p; j++) eta += b[j] * X.values[j * X.n + i];
    double c = r->family == RP_FAMILY_BINOMIAL
                   ? (eta > 0 ? eta + log1p(exp(-eta)) : log1p(exp(eta)))
                   : exp(eta);
    loss += (c - y[i] * eta) / (double)X.n;
  }
  for (size_t j = 0; j < X.p; j++) {
    double m, sd;
    column_moments(&X, j, &m, &sd);
    double bs = b[j] * sd;
    pen += l1 * fabs(bs) + 0.5 * (1.0 - l1) * bs * bs;
  }
  return loss + alpha * pen;
}

/* The larger of the coefficients' and the intercept's relative error at k. */
static double point_error(const rp_path *path, const cJSON *fit, size_t k) {
  return fmax(tu_coef_error(path, get(fit, "coef"), k),
              tu_relerr(path->intercept[k], at(fit, "a0", k), 1.0));
}

/* glmnet's path: same grid and length; coefficients and intercepts within
 * 1e-5 relative, except where glmnet's own solution at thresh 1e-14 is the
 * less accurate, which is then shown by its higher objective; and, where
 * glmnet's paths re-solved at thresh 1e-20 exist, within 1e-6 of those at
 * every point. */
static void check_path(const reference *r, int i) {
  const cJSON *fit = fit_of(r, i),
              *tight = r->tight ? cJSON_GetArrayItem(get(r->tight, "fits"), i) : NULL;
  double l1 = get(fit, "l1_ratio")->valuedouble;
  rp_fit_options opt = options(r, l1, 1e-11);
  rp_matrix X = matrix_of(r);
  rp_path *path;
  rp_error err;
  ck_assert_int_eq(rp_path_fit(&X, target_of(r), NULL, 0, &opt, &path, &err), RP_OK);
  size_t K = (size_t)cJSON_GetArraySize(get(fit, "lambda")), beyond = 0;
  ck_assert_uint_eq(path->n_alphas, K);
  ck_assert(tu_relerr(path->null_deviance, get(fit, "nulldev")->valuedouble, 1e-12) < 1e-12);
  double worst = 0.0, worst_beyond = 0.0, worst_tight = 0.0;
  for (size_t k = l1 == 0.0 ? 1 : 0; k < K; k++) {
    double alpha = at(fit, "lambda", k);
    ck_assert(tu_relerr(path->alphas[k], alpha, 1e-300) < 1e-12);
    ck_assert_msg(path->dual_gap[k] <= 1e-11 * path->null_objective, "gap at %zu", k);
    ck_assert(fabs(path->dev_ratio[k] - at(fit, "dev_ratio", k)) < 1e-6);
    /* At alpha_max the answer is exactly 0 (checked against the thresh-1e-14
     * path, which starts there); glmnet's re-solve on given lambdas leaves
     * rounding noise of 1e-15 there, so the tight comparison starts after. */
    if (tight && k > 0) {
      ck_assert(tu_relerr(at(tight, "lambda", k), alpha, 1e-300) < 1e-15);
      double et = point_error(path, tight, k);
      ck_assert_msg(et <= 1e-6, "l1_ratio %g point %zu: off glmnet at thresh 1e-20 by %.3g", l1, k,
                    et);
      worst_tight = fmax(worst_tight, et);
    }
    double e = point_error(path, fit, k);
    if (e <= 1e-5) {
      worst = fmax(worst, e);
      continue;
    }
    double b_ref[64], ours = objective(r, alpha, l1, path->intercept[k], path->coef + k * path->p);
    for (size_t j = 0; j < path->p; j++)
      b_ref[j] =
          cJSON_GetArrayItem(cJSON_GetArrayItem(get(fit, "coef"), (int)k), (int)j)->valuedouble;
    double theirs = objective(r, alpha, l1, at(fit, "a0", k), b_ref);
    ck_assert_msg(ours < theirs,
                  "l1_ratio %g point %zu: off glmnet by %.3g and not better (%.17g vs %.17g)", l1,
                  k, e, ours, theirs);
    beyond++;
    worst_beyond = fmax(worst_beyond, e);
  }
  printf("agreement glmnet %s path l1_ratio %g: %zu alphas, max rel error %.2e; %zu points "
         "beyond 1e-5 (max %.2e), glmnet's objective higher at each",
         r->family == RP_FAMILY_BINOMIAL ? "binomial" : "poisson", l1, K, worst, beyond,
         worst_beyond);
  if (tight)
    printf("; glmnet at thresh 1e-20: max rel error %.2e at alphas 2..%zu", worst_tight, K);
  printf("\n");
  rp_path_free(path);
}

/* cv.glmnet's deviance curve with the reference fold ids: within 1e-4, same
 * lambda.min and lambda.1se. */
static void check_cv(const reference *r, const cJSON *folds_json, const cJSON *fit,
                     const cJSON *cvref, rp_metric metric, double tol) {
  rp_matrix X = matrix_of(r);
  int *folds = malloc(X.n * sizeof *folds);
  for (size_t i = 0; i < X.n; i++) folds[i] = cJSON_GetArrayItem(folds_json, (int)i)->valueint;
  size_t K = (size_t)cJSON_GetArraySize(get(fit, "lambda"));
  double *alphas = malloc(K * sizeof *alphas);
  for (size_t k = 0; k < K; k++) alphas[k] = at(fit, "lambda", k);
  double l1 = get(fit, "l1_ratio")->valuedouble;
  rp_fit_options opt = options(r, l1, tol);
  rp_cv *cv;
  rp_error err;
  ck_assert_int_eq(rp_cv_fit(&X, target_of(r), &opt, alphas, K, folds, metric, &cv, &err), RP_OK);
  double wm = 0.0, ws = 0.0;
  for (size_t k = l1 == 0.0 ? 1 : 0; k < K; k++) {
    wm = fmax(wm, tu_relerr(cv->mean[k], at(cvref, "cvm", k), 1e-3));
    ws = fmax(ws, tu_relerr(cv->std_error[k], at(cvref, "cvsd", k), 1e-3));
  }
  printf("agreement cv.glmnet %s l1_ratio %g %s: max rel error cvm %.2e, cvsd %.2e; "
         "index_min %zu, index_1se %zu (1-based, same)\n",
         r->family == RP_FAMILY_BINOMIAL ? "binomial" : "poisson", l1, rp_metric_name(metric), wm,
         ws, cv->index_min + 1, cv->index_1se + 1);
  /* The AUC is a rank statistic: one pair of held-out rows ranked the other
   * way in one fold moves the curve by about 1/(n1 n0 K), 1.3e-4 here; at
   * the smallest alphas, where the classes all but separate, glmnet's fold
   * fits are inexact enough (see check_path) to swap a few pairs. */
  double tol_m = metric == RP_METRIC_AUC ? 1e-3 : 1e-4,
         tol_s = metric == RP_METRIC_AUC ? 1e-2 : 1e-3;
  ck_assert_msg(wm < tol_m, "cvm off by %.3g", wm);
  ck_assert_msg(ws < tol_s, "cvsd off by %.3g", ws);
  ck_assert_uint_eq(cv->index_min + 1, (size_t)get(cvref, "index_min")->valueint);
  ck_assert_uint_eq(cv->index_1se + 1, (size_t)get(cvref, "index_1se")->valueint);
  rp_cv_free(cv);
  free(alphas);
  free(folds);
}

static reference binomial(void) {
  reference r = load("configs/data/breast_cancer.csv", "tests/data/breast_cancer_glmnet.json",
                     RP_FAMILY_BINOMIAL);
  r.tight = tu_load_json(tu_src_path("tests/data/breast_cancer_tight.json"));
  return r;
}
static reference poisson(void) {
  return load("tests/data/poisson_counts.csv", "tests/data/poisson_glmnet.json", RP_FAMILY_POISSON);
}

#define PATH_TEST(name, make, i)                                                                   \
  START_TEST(name) {                                                                               \
    reference r = make();                                                                          \
    check_path(&r, i);                                                                             \
    unload(&r);                                                                                    \
  }                                                                                                \
  END_TEST
PATH_TEST(binomial_lasso_path_matches_glmnet, binomial, 0)
PATH_TEST(binomial_elastic_net_path_matches_glmnet, binomial, 1)
PATH_TEST(binomial_ridge_path_matches_glmnet, binomial, 2)
PATH_TEST(poisson_lasso_path_matches_glmnet, poisson, 0)
PATH_TEST(poisson_elastic_net_path_matches_glmnet, poisson, 1)
PATH_TEST(poisson_ridge_path_matches_glmnet, poisson, 2)

#define CV_TEST(name, make, i)                                                                     \
  START_TEST(name) {                                                                               \
    reference r = make();                                                                          \
    const cJSON *fit = fit_of(&r, i);                                                              \
    check_cv(&r, get(r.ref, "foldid"), fit, get(fit, "cv"), RP_METRIC_DEVIANCE, 1e-8);             \
    unload(&r);                                                                                    \
  }                                                                                                \
  END_TEST
CV_TEST(binomial_lasso_cv_matches_cv_glmnet, binomial, 0)
CV_TEST(binomial_elastic_net_cv_matches_cv_glmnet, binomial, 1)
CV_TEST(binomial_ridge_cv_matches_cv_glmnet, binomial, 2)
CV_TEST(poisson_lasso_cv_matches_cv_glmnet, poisson, 0)
CV_TEST(poisson_ridge_cv_matches_cv_glmnet, poisson, 2)

/* cv.glmnet's other measures (class, auc, mse, mae) on the breast cancer
 * lasso and the poisson lasso, with glm_cv_measures.json's folds, at the
 * default tolerances (tol 1e-7 and gap_tol 1e-6, as users run). */
static void check_measures(reference *r, const char *set, const char *const *names,
                           const rp_metric *metrics, size_t count) {
  cJSON *m = tu_load_json(tu_src_path("tests/data/glm_cv_measures.json"));
  const cJSON *s = get(m, set), *fit = cJSON_GetArrayItem(get(s, "fits"), 0);
  for (size_t i = 0; i < count; i++)
    check_cv(r, get(s, "foldid"), fit, get(get(fit, "measures"), names[i]), metrics[i], 0.0);
  cJSON_Delete(m);
}

START_TEST(binomial_measures_match_cv_glmnet) {
  static const char *const names[] = {"class", "auc", "mse", "mae"};
  static const rp_metric metrics[] = {RP_METRIC_CLASS, RP_METRIC_AUC, RP_METRIC_MSE, RP_METRIC_MAE};
  reference r = binomial();
  check_measures(&r, "breast_cancer", names, metrics, 4);
  unload(&r);
}
END_TEST

START_TEST(poisson_measures_match_cv_glmnet) {
  static const char *const names[] = {"mse", "mae"};
  static const rp_metric metrics[] = {RP_METRIC_MSE, RP_METRIC_MAE};
  reference r = poisson();
  check_measures(&r, "poisson_counts", names, metrics, 2);
  unload(&r);
}
END_TEST

/* cv.glmnet's fold errors for given out-of-fold linear predictors: the
 * per-observation losses and the per-fold AUC, independent of any fit. */
static void check_losses(const char *family_name, rp_family family) {
  cJSON *m = tu_load_json(tu_src_path("tests/data/glm_cv_measures.json"));
  const cJSON *c = get(get(m, "loss_cases"), family_name), *measures = get(c, "measures");
  size_t n = (size_t)cJSON_GetArraySize(get(c, "y")), tried = 0;
  double y[64], eta[64], yf[64], ef[64];
  rp_scored work[64];
  ck_assert_uint_le(n, 64);
  for (size_t i = 0; i < n; i++) y[i] = at(c, "y", i);
  for (const cJSON *ms = measures->child; ms; ms = ms->next) {
    size_t metric = 0;
    while (metric < RP_N_METRICS && strcmp(rp_metric_names[metric], ms->string) != 0) metric++;
    ck_assert_uint_lt(metric, RP_N_METRICS);
    for (int j = 0; j < cJSON_GetArraySize(get(c, "link")); j++) {
      const cJSON *link = cJSON_GetArrayItem(get(c, "link"), j);
      for (size_t i = 0; i < n; i++) eta[i] = cJSON_GetArrayItem(link, (int)i)->valuedouble;
      for (int fold = 1; fold <= cJSON_GetArraySize(get(ms, "fold_weights")); fold++) {
        size_t nf = 0;
        for (size_t i = 0; i < n; i++)
          if ((int)at(c, "foldid", i) == fold) yf[nf] = y[i], ef[nf++] = eta[i];
        double want =
            cJSON_GetArrayItem(cJSON_GetArrayItem(get(ms, "fold_err"), j), fold - 1)->valuedouble;
        double got = metric == RP_METRIC_AUC ? rp_auc(yf, ef, nf, work)
                                             : rp_mean_loss(family, (rp_metric)metric, yf, ef, nf);
        ck_assert_msg(fabs(got - want) <= 1e-12 * fmax(1.0, fabs(want)),
                      "%s %s case %d fold %d: %.17g, cv.glmnet %.17g", family_name, ms->string, j,
                      fold, got, want);
        tried++;
      }
    }
  }
  printf("agreement cv.glmnet %s losses: %zu fold errors equal to 1e-12\n", family_name, tried);
  cJSON_Delete(m);
}

START_TEST(binomial_losses_match_cv_glmnet) { check_losses("binomial", RP_FAMILY_BINOMIAL); }
END_TEST
START_TEST(poisson_losses_match_cv_glmnet) { check_losses("poisson", RP_FAMILY_POISSON); }
END_TEST

/* Stratified folds: each class is spread evenly (counts differ by at most
 * one between folds), and so are the fold sizes. */
START_TEST(stratified_folds_keep_the_class_ratio) {
  enum { N = 103, K = 10 };
  double y[N];
  int ids[N];
  for (size_t i = 0; i < N; i++) y[i] = (i * 7) % 10 < 3; /* 31 ones */
  rp_error err;
  ck_assert_int_eq(rp_cv_make_stratified_folds(y, N, K, 42, ids, &err), RP_OK);
  size_t size[K] = {0}, ones[K] = {0};
  for (size_t i = 0; i < N; i++) size[ids[i] - 1]++, ones[ids[i] - 1] += y[i] != 0.0;
  size_t lo = N, hi = 0, olo = N, ohi = 0;
  for (size_t k = 0; k < K; k++) {
    lo = size[k] < lo ? size[k] : lo, hi = size[k] > hi ? size[k] : hi;
    olo = ones[k] < olo ? ones[k] : olo, ohi = ones[k] > ohi ? ones[k] : ohi;
  }
  ck_assert_uint_le(hi - lo, 1);
  ck_assert_uint_le(ohi - olo, 1);
}
END_TEST

/* Multinomial classes too, one of them without rows (its rows all held out
 * for a test set): each class present spread evenly, the fold sizes too;
 * a y that is no class number is refused. */
START_TEST(stratified_folds_take_any_classes) {
  enum { N = 50, K = 4 };
  double y[N];
  int ids[N];
  for (size_t i = 0; i < N; i++) y[i] = i % 5 == 0 ? 0 : i % 5 < 3 ? 2 : 3; /* no class 1 */
  rp_error err;
  ck_assert_int_eq(rp_cv_make_stratified_folds(y, N, K, 7, ids, &err), RP_OK);
  size_t size[K] = {0}, count[4][K] = {{0}};
  for (size_t i = 0; i < N; i++) {
    ck_assert(ids[i] >= 1 && ids[i] <= K);
    size[ids[i] - 1]++, count[(size_t)y[i]][ids[i] - 1]++;
  }
  for (size_t c = 0; c < 4; c++)
    for (size_t k = 1; k < K; k++) {
      long d = (long)count[c][k] - (long)count[c][0];
      ck_assert_msg(labs(d) <= 1, "class %zu: %zu rows in fold 1, %zu in fold %zu", c, count[c][0],
                    count[c][k], k + 1);
    }
  for (size_t k = 1; k < K; k++)
    ck_assert_uint_le(size[k] > size[0] ? size[k] - size[0] : size[0] - size[k], 1);
  y[3] = 1.5;
  ck_assert_int_eq(rp_cv_make_stratified_folds(y, N, K, 7, ids, &err), RP_EINVAL);
}
END_TEST

/* The worst duality gap of a binomial lasso path over the null objective, at
 * `tol` (0: the default), and its sweeps in *sweeps; every point must have
 * converged, or stopped at the precision floor, never at max_iter. */
static double worst_gap_at_tol(const rp_matrix *X, const double *y, double tol, long *sweeps) {
  rp_fit_options opt;
  rp_fit_options_init(&opt);
  opt.family = RP_FAMILY_BINOMIAL;
  if (tol > 0.0) opt.tol = tol;
  rp_path *path;
  rp_error err;
  ck_assert_int_eq(rp_path_fit(X, y, NULL, 0, &opt, &path, &err), RP_OK);
  double worst = 0.0;
  *sweeps = 0;
  for (size_t k = 0; k < path->n_alphas; k++) {
    ck_assert_msg(path->converged[k] != RP_POINT_MAX_ITER, "tol %g: max_iter at point %zu", tol, k);
    worst = fmax(worst, path->dual_gap[k] / path->null_objective);
    *sweeps += (long)path->n_iter[k];
  }
  rp_path_free(path);
  return worst;
}

/* Asking for more accuracy never gives less: at path.tol 1e-14 no point
 * reaches max_iter and the worst gap is no larger than at the default tol.
 * Issue 18 found Sonar's lasso (coefficients in the thousands near its end)
 * at 10 alphas over max_iter with a worst gap of 3.7e-4 of the null
 * objective, against 6.8e-7 at the default.  Sonar (mlbench, 208 x 60), and
 * a separable set (y = 1 where x0 + x1/2 > 0), whose path glmnet's
 * saturation rule stops early.  Nor does it cost unbounded work: the
 * seven more decades of a linearly converging gap take Sonar 3,536 sweeps
 * against 2,794, where a threshold that jumped past the precision floor
 * took 517,443; the bound is 4 times the default's. */
START_TEST(tighter_tol_never_ends_with_a_larger_gap) {
  rp_table *sonar;
  rp_error err;
  ck_assert_int_eq(rp_table_read_csv(tu_src_path("tests/data/sonar.csv"), NULL, &sonar, &err),
                   RP_OK);
  rp_matrix X = {sonar->n_rows, sonar->n_cols - 1, sonar->n_rows, sonar->values};
  const double *y = rp_table_column(sonar, sonar->n_cols - 1);
  long loose_sweeps, tight_sweeps;
  double loose = worst_gap_at_tol(&X, y, 0.0, &loose_sweeps);
  double tight = worst_gap_at_tol(&X, y, 1e-14, &tight_sweeps);
  ck_assert_msg(tight <= loose, "Sonar: worst gap %g at tol 1e-14, %g at the default", tight,
                loose);
  ck_assert_msg(tight_sweeps <= 4 * loose_sweeps,
                "Sonar: %ld sweeps at tol 1e-14, %ld at the default", tight_sweeps, loose_sweeps);
  rp_table_free(sonar);

  enum { N = 80, P = 4 };
  double v[N * P], t[N];
  unsigned long state = 2024;
  for (size_t i = 0; i < N * P; i++) {
    state = state * 6364136223846793005UL + 1442695040888963407UL;
    v[i] = (double)(state >> 11) / 9007199254740992.0 - 0.5;
  }
  for (size_t i = 0; i < N; i++) t[i] = v[i] + 0.5 * v[N + i] > 0.0;
  rp_matrix S = {N, P, N, v};
  loose = worst_gap_at_tol(&S, t, 0.0, &loose_sweeps);
  tight = worst_gap_at_tol(&S, t, 1e-14, &tight_sweeps);
  ck_assert_msg(tight <= loose, "separable: worst gap %g at tol 1e-14, %g at the default", tight,
                loose);
}
END_TEST

/* The lasso's dual point of the residual r = y - mu, from the definitions:
 * theta = s r/n with s = min(1, alpha / max_j |<x~_j, r>/n|), x~_j the
 * columns standardized (1/n standard deviations), and
 *   D = -(1/n) sum_i c*(y_i - s r_i) - s b~0 sum_i r_i / n,
 * c* the binomial conjugate and b~0 the intercept on the standardized
 * columns.  Returns D at the coefficients (b0, b) of the original scale. */
static double residual_dual(const rp_matrix *X, const double *y, double alpha, double b0,
                            const double *b) {
  size_t n = X->n, p = X->p;
  double *r = malloc(n * sizeof *r), gmax = 0.0, b0s = b0, rsum = 0.0, conj = 0.0;
  for (size_t i = 0; i < n; i++) {
    double eta = b0;
    for (size_t j = 0; j < p; j++) eta += b[j] * X->values[j * n + i];
    r[i] = y[i] - 1.0 / (1.0 + exp(-eta));
    rsum += r[i];
  }
  for (size_t j = 0; j < p; j++) {
    double m, sd, g = 0.0;
    column_moments(X, j, &m, &sd);
    for (size_t i = 0; i < n; i++) g += (X->values[j * n + i] - m) / sd * r[i] / (double)n;
    gmax = fmax(gmax, fabs(g));
    b0s += b[j] * m;
  }
  double s = fmin(1.0, alpha / gmax);
  for (size_t i = 0; i < n; i++) {
    double q = y[i] - s * r[i];
    conj += (q > 0.0 ? q * log(q) : 0.0) + (q < 1.0 ? (1.0 - q) * log(1.0 - q) : 0.0);
  }
  free(r);
  return -conj / (double)n - s * b0s * rsum / (double)n;
}

/* Every reported gap bounds the suboptimality, and some come from a better
 * dual point than the residual's.  Sonar's lasso at the default settings:
 * its objective P (from the definitions) is within the reported gap of
 * the same alpha's objective at tol 1e-12 (a lower bound would be
 * wrong there), and the reported gap never exceeds the residual's own
 * gap P - D (residual_dual, independent of the library); at some points
 * the residual's gap is over the 1e-6 target the reported one meets: the
 * corrected dual point (glm.c's corrected_gap) certified them. */
START_TEST(every_gap_bounds_the_suboptimality) {
  reference r = {NULL, NULL, NULL, RP_FAMILY_BINOMIAL};
  rp_error err;
  ck_assert_int_eq(rp_table_read_csv(tu_src_path("tests/data/sonar.csv"), NULL, &r.data, &err),
                   RP_OK);
  rp_matrix X = matrix_of(&r);
  const double *y = target_of(&r);
  rp_fit_options loose = options(&r, 1.0, 0.0), tight = options(&r, 1.0, 1e-12);
  rp_path *a, *b;
  ck_assert_int_eq(rp_path_fit(&X, y, NULL, 0, &loose, &a, &err), RP_OK);
  ck_assert_int_eq(rp_path_fit(&X, y, NULL, 0, &tight, &b, &err), RP_OK);
  size_t corrected = 0, K = a->n_alphas < b->n_alphas ? a->n_alphas : b->n_alphas;
  for (size_t k = 0; k < K; k++) {
    double alpha = a->alphas[k];
    ck_assert(tu_relerr(b->alphas[k], alpha, 1e-300) < 1e-12);
    const double *ca = a->coef + k * X.p, *cb = b->coef + k * X.p;
    double pa = objective(&r, alpha, 1.0, a->intercept[k], ca);
    double pb = objective(&r, alpha, 1.0, b->intercept[k], cb);
    double plain = pa - residual_dual(&X, y, alpha, a->intercept[k], ca);
    double slack = 1e-10 * a->null_objective; /* rounding: Sonar's coefficients reach 1e3 */
    ck_assert_msg(pa - pb <= a->dual_gap[k] + slack, "point %zu: P - P* = %g over the gap %g", k,
                  pa - pb, a->dual_gap[k]);
    ck_assert_msg(a->dual_gap[k] <= plain + slack, "point %zu: gap %g over the residual's %g", k,
                  a->dual_gap[k], plain);
    ck_assert(a->dual_gap[k] <= 1e-6 * a->null_objective);
    corrected += plain > 1e-6 * a->null_objective;
  }
  ck_assert_msg(corrected > 0, "no point needed the corrected dual point");
  rp_path_free(a);
  rp_path_free(b);
  rp_table_free(r.data);
}
END_TEST

/* At the default settings every point is certified to 1e-6 of the null
 * objective, and the KKT conditions hold at the reported coefficients. */
START_TEST(default_settings_certify_every_point) {
  reference r = binomial();
  rp_matrix X = matrix_of(&r);
  rp_fit_options opt;
  rp_fit_options_init(&opt);
  opt.family = RP_FAMILY_BINOMIAL;
  opt.l1_ratio = 0.5;
  rp_path *path;
  rp_error err;
  ck_assert_int_eq(rp_path_fit(&X, target_of(&r), NULL, 0, &opt, &path, &err), RP_OK);
  for (size_t k = 0; k < path->n_alphas; k++) {
    ck_assert_msg(path->dual_gap[k] <= 1e-6 * path->null_objective, "gap at %zu", k);
    ck_assert(path->converged[k]);
  }
  rp_path_free(path);
  unload(&r);
}
END_TEST

int main(void) {
  Suite *s = suite_create("glm");
  TCase *tc = tcase_create("glmnet");
  tcase_add_test(tc, binomial_lasso_path_matches_glmnet);
  tcase_add_test(tc, binomial_elastic_net_path_matches_glmnet);
  tcase_add_test(tc, binomial_ridge_path_matches_glmnet);
  tcase_add_test(tc, poisson_lasso_path_matches_glmnet);
  tcase_add_test(tc, poisson_elastic_net_path_matches_glmnet);
  tcase_add_test(tc, poisson_ridge_path_matches_glmnet);
  tcase_add_test(tc, binomial_measures_match_cv_glmnet);
  tcase_add_test(tc, poisson_measures_match_cv_glmnet);
  tcase_add_test(tc, binomial_losses_match_cv_glmnet);
  tcase_add_test(tc, poisson_losses_match_cv_glmnet);
  tcase_add_test(tc, stratified_folds_keep_the_class_ratio);
  tcase_add_test(tc, stratified_folds_take_any_classes);
  tcase_add_test(tc, default_settings_certify_every_point);
  tcase_add_test(tc, tighter_tol_never_ends_with_a_larger_gap);
  tcase_add_test(tc, every_gap_bounds_the_suboptimality);
  suite_add_tcase(s, tc);
  /* The cv.glmnet curves refit every path ten times more: too long under
   * valgrind, which leaves out the tag "slow" (tests/valgrind.sh; the CV
   * code is in its suites there); every other run has them. */
  TCase *cv = tcase_create("glmnet-cv");
  tcase_set_tags(cv, "slow");
  tcase_add_test(cv, binomial_lasso_cv_matches_cv_glmnet);
  tcase_add_test(cv, binomial_elastic_net_cv_matches_cv_glmnet);
  tcase_add_test(cv, binomial_ridge_cv_matches_cv_glmnet);
  tcase_add_test(cv, poisson_lasso_cv_matches_cv_glmnet);
  tcase_add_test(cv, poisson_ridge_cv_matches_cv_glmnet);
  suite_add_tcase(s, cv);
  return tu_run(s);
}
