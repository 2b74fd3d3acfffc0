/* check_glmnet.c: glmnet 4.1's own solutions on the diabetes data
 * (tests/data/diabetes_glmnet.json, thresh 1e-14, from make_refs.R):
 * default grid and its early-stopped length, path coefficients for
 * l1_ratio 1, 0.5 and 0 under glmnet's convention, and cv.glmnet's curve,
 * lambda.min and lambda.1se with the reference fold ids. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "regpath.h"
#include "testutil.h"

static rp_table *data;
static cJSON *ref;

static void setup(void) {
  rp_error err;
  ck_assert_int_eq(rp_table_read_csv(tu_src_path("configs/data/diabetes.csv"), NULL, &data, &err),
                   RP_OK);
  ref = tu_load_json(tu_src_path("tests/data/diabetes_glmnet.json"));
}

static void teardown(void) {
  rp_table_free(data);
  cJSON_Delete(ref);
}

static const cJSON *ref_fit(int i) {
  return cJSON_GetArrayItem(cJSON_GetObjectItem(ref, "fits"), i);
}

static double item(const cJSON *obj, const char *key, size_t k) {
  return cJSON_GetArrayItem(cJSON_GetObjectItem(obj, key), (int)k)->valuedouble;
}

static rp_path *fit_like_glmnet(const cJSON *fit) {
  size_t n = data->n_rows, p = data->n_cols - 1;
  rp_matrix X = {n, p, n, data->values};
  rp_fit_options opt;
  rp_fit_options_init(&opt);
  opt.l1_ratio = cJSON_GetObjectItem(fit, "l1_ratio")->valuedouble;
  opt.convention = RP_CONVENTION_GLMNET;
  opt.tol = 1e-14;
  rp_path *path;
  rp_error err;
  ck_assert_int_eq(rp_path_fit(&X, rp_table_column(data, p), NULL, 0, &opt, &path, &err), RP_OK);
  return path;
}

static void check_path(int i) {
  const cJSON *fit = ref_fit(i);
  rp_path *path = fit_like_glmnet(fit);
  size_t K = (size_t)cJSON_GetArraySize(cJSON_GetObjectItem(fit, "lambda"));
  ck_assert_uint_eq(path->n_alphas, K);
  /* glmnet reports its ridge start (solved at lambda = 9.9e35) as all zeros. */
  size_t first = path->l1_ratio == 0.0 ? 1 : 0;
  double worst = 0.0;
  for (size_t k = 0; k < K; k++) {
    ck_assert_double_eq_tol(path->alphas[k], item(fit, "lambda", k), 1e-12 * path->alphas[k]);
    if (k < first) continue;
    double e = tu_coef_error(path, cJSON_GetObjectItem(fit, "coef"), k);
    worst = fmax(worst, e);
    ck_assert_msg(e < 1e-5, "l1_ratio %g alpha %zu: coefficients off by %.3g", path->l1_ratio, k,
                  e);
    ck_assert_msg(tu_relerr(path->intercept[k], item(fit, "a0", k), 1e-8) < 1e-5, "intercept %zu",
                  k);
    ck_assert_msg(fabs(path->dev_ratio[k] - item(fit, "dev_ratio", k)) < 1e-6, "dev_ratio %zu", k);
    ck_assert_uint_eq(path->df[k], (size_t)item(fit, "df", k));
  }
  printf("agreement glmnet path l1_ratio %g: %zu alphas (same length), max coef error %.2e\n",
         path->l1_ratio, K, worst);
  rp_path_free(path);
}

START_TEST(lasso_path_matches_glmnet) { check_path(0); }
END_TEST
START_TEST(elastic_net_path_matches_glmnet) { check_path(1); }
END_TEST
START_TEST(ridge_path_matches_glmnet) { check_path(2); }
END_TEST

static void check_cv(int i) {
  const cJSON *fit = ref_fit(i), *cvref = cJSON_GetObjectItem(fit, "cv");
  size_t n = data->n_rows, p = data->n_cols - 1;
  int *folds = malloc(n * sizeof *folds);
  for (size_t r = 0; r < n; r++) folds[r] = (int)item(ref, "foldid", r);
  rp_path *path = fit_like_glmnet(fit);
  rp_fit_options opt;
  rp_fit_options_init(&opt);
  opt.l1_ratio = path->l1_ratio;
  opt.convention = RP_CONVENTION_GLMNET;
  opt.tol = 1e-14;
  rp_matrix X = {n, p, n, data->values};
  rp_cv *cv;
  rp_error err;
  ck_assert_int_eq(rp_cv_fit(&X, rp_table_column(data, p), &opt, path->alphas, path->n_alphas,
                             folds, RP_METRIC_MSE, &cv, &err),
                   RP_OK);
  ck_assert_uint_eq(cv->n_folds, 10);
  size_t first = path->l1_ratio == 0.0 ? 1 : 0;
  double worst_m = 0.0, worst_s = 0.0;
  for (size_t k = first; k < cv->n_alphas; k++) {
    worst_m = fmax(worst_m, tu_relerr(cv->mean[k], item(cvref, "cvm", k), 1e-12));
    worst_s = fmax(worst_s, tu_relerr(cv->std_error[k], item(cvref, "cvsd", k), 1e-12));
  }
  ck_assert_msg(worst_m < 1e-6, "cvm off by %.3g", worst_m);
  ck_assert_msg(worst_s < 1e-5, "cvsd off by %.3g", worst_s);
  /* R's indices are 1-based. */
  ck_assert_uint_eq(cv->index_min + 1, (size_t)cJSON_GetObjectItem(cvref, "index_min")->valueint);
  ck_assert_uint_eq(cv->index_1se + 1, (size_t)cJSON_GetObjectItem(cvref, "index_1se")->valueint);
  ck_assert_double_eq_tol(cv->alpha_min, cJSON_GetObjectItem(cvref, "lambda_min")->valuedouble,
                          1e-12 * cv->alpha_min);
  ck_assert_double_eq_tol(cv->alpha_1se, cJSON_GetObjectItem(cvref, "lambda_1se")->valuedouble,
                          1e-12 * cv->alpha_1se);
  printf("agreement cv.glmnet l1_ratio %g: max rel error cvm %.2e, cvsd %.2e; index_min %zu, "
         "index_1se %zu (0-based, same)\n",
         path->l1_ratio, worst_m, worst_s, cv->index_min, cv->index_1se);
  rp_cv_free(cv);
  rp_path_free(path);
  free(folds);
}

START_TEST(lasso_cv_matches_cv_glmnet) { check_cv(0); }
END_TEST
START_TEST(elastic_net_cv_matches_cv_glmnet) { check_cv(1); }
END_TEST
START_TEST(ridge_cv_matches_cv_glmnet) { check_cv(2); }
END_TEST

int main(void) {
  Suite *s = suite_create("glmnet");
  TCase *tc = tcase_create("diabetes");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, lasso_path_matches_glmnet);
  tcase_add_test(tc, elastic_net_path_matches_glmnet);
  tcase_add_test(tc, ridge_path_matches_glmnet);
  tcase_add_test(tc, lasso_cv_matches_cv_glmnet);
  tcase_add_test(tc, elastic_net_cv_matches_cv_glmnet);
  tcase_add_test(tc, ridge_cv_matches_cv_glmnet);
  suite_add_tcase(s, tc);
  return tu_run(s);
}
