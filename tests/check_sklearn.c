/* check_sklearn.c: with standardize = false and the standard convention,
 * regpath minimizes scikit-learn's ElasticNet objective; its Lasso is
 * l1_ratio 1 and its Ridge(a) is l1_ratio 0 at alpha = a / n.  The fixture
 * tests/data/sklearn_diabetes.json comes from tests/data/make_sklearn_fixture.py. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "regpath.h"
#include "testutil.h"

START_TEST(matches_sklearn_lasso_elasticnet_ridge) {
  rp_table *t;
  rp_error err;
  ck_assert_int_eq(rp_table_read_csv(tu_src_path("configs/data/diabetes.csv"), NULL, &t, &err),
                   RP_OK);
  size_t n = t->n_rows, p = t->n_cols - 1;
  rp_matrix X = {n, p, n, t->values};
  const double *y = rp_table_column(t, p);
  cJSON *fixture = tu_load_json(tu_src_path("tests/data/sklearn_diabetes.json"));
  const cJSON *c;
  int cases = 0;
  double worst = 0.0;
  cJSON_ArrayForEach(c, cJSON_GetObjectItem(fixture, "cases")) {
    double alpha = cJSON_GetObjectItem(c, "alpha")->valuedouble;
    rp_fit_options opt;
    rp_fit_options_init(&opt);
    opt.standardize = 0;
    opt.fit_intercept = cJSON_IsTrue(cJSON_GetObjectItem(c, "fit_intercept"));
    opt.l1_ratio = cJSON_GetObjectItem(c, "l1_ratio")->valuedouble;
    opt.alphas = &alpha;
    opt.n_explicit = 1;
    opt.tol = 1e-20;
    rp_path *path;
    ck_assert_int_eq(rp_path_fit(&X, y, NULL, 0, &opt, &path, &err), RP_OK);
    size_t m;
    double *coef = tu_json_doubles(cJSON_GetObjectItem(c, "coef"), &m);
    double scale = 0.0;
    for (size_t j = 0; j < p; j++) scale = fmax(scale, fabs(coef[j]));
    for (size_t j = 0; j < p; j++) worst = fmax(worst, fabs(path->coef[j] - coef[j]) / scale);
    for (size_t j = 0; j < p; j++)
      ck_assert_msg(fabs(path->coef[j] - coef[j]) <= 1e-6 * scale,
                    "%s alpha %g coef %zu: %.12g vs %.12g",
                    cJSON_GetObjectItem(c, "kind")->valuestring, alpha, j, path->coef[j], coef[j]);
    double b0 = cJSON_GetObjectItem(c, "intercept")->valuedouble;
    ck_assert_msg(tu_relerr(path->intercept[0], b0, 1.0) < 1e-6, "intercept %.12g vs %.12g",
                  path->intercept[0], b0);
    free(coef);
    rp_path_free(path);
    cases++;
  }
  ck_assert_int_eq(cases, 22);
  printf("agreement sklearn: %d cases, max |b - b_sklearn| / max|b_sklearn| = %.2e\n", cases,
         worst);
  cJSON_Delete(fixture);
  rp_table_free(t);
}
END_TEST

int main(void) {
  Suite *s = suite_create("sklearn");
  TCase *tc = tcase_create("fixture");
  tcase_add_test(tc, matches_sklearn_lasso_elasticnet_ridge);
  suite_add_tcase(s, tc);
  return tu_run(s);
}
