/* check_tables.c: real tables as R's write.csv writes them (row names,
 * factors as text, NA), read by the dataset layer (lib/dataset.c,
 * lib/encode.c) and fitted, against glmnet 4.1 on the encoded design
 * (tests/data/tables/<name>_glmnet.json, from make_table_refs.R).
 *
 * Each run is rp_run on a config that names the file, the target, the
 * family and data.missing only as far as the data need them, plus what the
 * comparison needs: the reference's fold ids, glmnet's convention (for
 * l1_ratio < 1) and a tight tolerance.  Checked, as check_glmnet and
 * check_glm do: the encoded design's size, names, dropped rows and classes;
 * the same grid and path length; coefficients and intercepts within 1e-5
 * relative (binomial and poisson: or else regpath's objective the lower);
 * dev_ratio within 1e-6; cv.glmnet's curve (gaussian: cvm 1e-6, cvsd 1e-5;
 * deviance: cvm 1e-4, cvsd 1e-3) and the same lambda.min and lambda.1se. */
#define _POSIX_C_SOURCE 200809L /* strtok_r */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regpath.h"
#include "testutil.h"

typedef struct {
  const char *name;    /* tests/data/tables/<name>_glmnet.json */
  const char *csv;     /* tests/data/tables/<csv>.csv          */
  const char *missing; /* data.missing, or NULL                */
} table_case;

static const table_case CASES[] = {
    {"boston", "boston", NULL},
    {"sonar", "sonar", NULL},
    {"pima2_drop", "pima2", "drop"},
    {"pima2_mean", "pima2", "mean"},
    {"penguins_drop", "penguins", "drop"},
    {"penguins_mean", "penguins", "mean"},
    {"quine", "quine", NULL},
    {"nmes1988", "nmes1988", NULL},
};

static const cJSON *get(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  ck_assert_msg(v != NULL, "reference: no key %s", key);
  return v;
}

static double at(const cJSON *o, const char *key, size_t k) {
  return cJSON_GetArrayItem(get(o, key), (int)k)->valuedouble;
}

/* The config for a case, as JSON text (malloc'd). */
static char *case_config(const table_case *c, const cJSON *ref) {
  char rel[256];
  snprintf(rel, sizeof rel, "tests/data/tables/%s.csv", c->csv);
  cJSON *root = cJSON_CreateObject(), *data = cJSON_AddObjectToObject(root, "data");
  cJSON *model = cJSON_AddObjectToObject(root, "model"),
        *path = cJSON_AddObjectToObject(root, "path");
  cJSON *cv = cJSON_AddObjectToObject(root, "cv");
  cJSON_AddStringToObject(data, "train", tu_src_path(rel));
  cJSON_AddStringToObject(data, "target", get(ref, "target")->valuestring);
  if (c->missing) cJSON_AddStringToObject(data, "missing", c->missing);
  cJSON_AddStringToObject(model, "family", get(ref, "family")->valuestring);
  cJSON *l1 = cJSON_AddArrayToObject(model, "l1_ratio"), *fit;
  cJSON_ArrayForEach(fit, get(ref, "fits"))
      cJSON_AddItemToArray(l1, cJSON_CreateNumber(get(fit, "l1_ratio")->valuedouble));
  cJSON_AddStringToObject(model, "convention", "glmnet");
  cJSON_AddNumberToObject(path, "tol", 1e-11);
  cJSON_AddNumberToObject(path, "gap_tol", 1e-11);
  cJSON_AddItemToObject(cv, "fold_ids", cJSON_Duplicate(get(ref, "foldid"), 1));
  char *text = cJSON_PrintUnformatted(root);
  cJSON_Delete(root);
  return text;
}

/* The objective at (b0, b) on the run's own design, from the definitions:
 * the mean loss (gaussian: half the squared error; else -(1/n) loglik) +
 * alpha * penalty on the standardized coefficients, whose L2 part glmnet's
 * convention divides by sd(y) for gaussian. */
static double objective(const rp_run_result *res, double alpha, double l1, double b0,
                        const double *b) {
  size_t n = res->n_samples, p = res->n_features;
  double loss = 0.0, pen = 0.0, ym = 0.0, yv = 0.0;
  for (size_t i = 0; i < n; i++) {
    double eta = b0;
    for (size_t j = 0; j < p; j++) eta += b[j] * res->X[j * n + i];
    double c = res->family == RP_FAMILY_BINOMIAL
                   ? (eta > 0 ? eta + log1p(exp(-eta)) : log1p(exp(eta)))
                   : exp(eta);
    loss +=
        (res->family == RP_FAMILY_GAUSSIAN ? 0.5 * pow(res->y[i] - eta, 2) : c - res->y[i] * eta) /
        (double)n;
    ym += res->y[i] / (double)n;
  }
  for (size_t i = 0; i < n; i++) yv += pow(res->y[i] - ym, 2) / (double)n;
  double ridge = res->family == RP_FAMILY_GAUSSIAN ? 1.0 / sqrt(yv) : 1.0;
  for (size_t j = 0; j < p; j++) {
    double m = 0.0, v = 0.0;
    for (size_t i = 0; i < n; i++) m += res->X[j * n + i] / (double)n;
    for (size_t i = 0; i < n; i++) v += pow(res->X[j * n + i] - m, 2) / (double)n;
    double bs = b[j] * sqrt(v);
    pen += l1 * fabs(bs) + 0.5 * (1.0 - l1) * ridge * bs * bs;
  }
  return loss + alpha * pen;
}

/* Is regpath's point k at least as good as glmnet's?  Its objective no
 * higher than glmnet's, up to regpath's own certified duality gap (the
 * lasso's solution is not unique when every level of a factor is kept,
 * since the dummies add up to the intercept's column: two solutions then
 * differ in their coefficients, not in their objective). */
static int at_least_as_good(const rp_run_result *res, const rp_path *path, size_t k,
                            const cJSON *fit, double *ours, double *theirs) {
  double l1 = get(fit, "l1_ratio")->valuedouble, *b = malloc(path->p * sizeof *b);
  for (size_t j = 0; j < path->p; j++)
    b[j] = cJSON_GetArrayItem(cJSON_GetArrayItem(get(fit, "coef"), (int)k), (int)j)->valuedouble;
  *ours = objective(res, path->alphas[k], l1, path->intercept[k], path->coef + k * path->p);
  *theirs = objective(res, path->alphas[k], l1, at(fit, "a0", k), b);
  free(b);
  return *ours <= *theirs + fmax(path->dual_gap[k], 1e-13 * fabs(*theirs));
}

/* The encoded design against the reference's. */
static void check_design(const rp_run_result *res, const cJSON *ref) {
  size_t p = (size_t)get(ref, "p")->valueint;
  ck_assert_uint_eq(res->n_samples, (size_t)get(ref, "n")->valueint);
  ck_assert_uint_eq(res->n_features, p);
  for (size_t j = 0; j < p; j++)
    ck_assert_str_eq(res->feature_names[j],
                     cJSON_GetArrayItem(get(ref, "feature_names"), (int)j)->valuestring);
  ck_assert_uint_eq(res->n_dropped_target + res->n_dropped_missing,
                    (size_t)get(ref, "rows_dropped")->valueint);
  const cJSON *classes = get(ref, "classes");
  if (cJSON_IsArray(classes)) {
    ck_assert_ptr_nonnull(res->classes.labels);
    ck_assert_str_eq(res->classes.labels[0], cJSON_GetArrayItem(classes, 0)->valuestring);
    ck_assert_str_eq(res->classes.labels[1], cJSON_GetArrayItem(classes, 1)->valuestring);
  }
}

/* The path of fit f against glmnet's; returns the worst relative error of
 * the points within 1e-5, and counts those beyond (each with the lower
 * objective) in *beyond. */
static double check_path(const rp_run_result *res, size_t f, const cJSON *fit, size_t *beyond) {
  const rp_path *path = res->paths[f];
  double l1 = get(fit, "l1_ratio")->valuedouble, worst = 0.0;
  size_t K = (size_t)cJSON_GetArraySize(get(fit, "lambda"));
  ck_assert_uint_eq(path->n_alphas, K);
  *beyond = 0;
  for (size_t k = 0; k < K; k++) {
    double alpha = at(fit, "lambda", k), ours, theirs;
    ck_assert_msg(tu_relerr(path->alphas[k], alpha, 1e-300) < 1e-10, "alpha %zu: %.17g vs %.17g", k,
                  path->alphas[k], alpha);
    double e = fmax(tu_coef_error(path, get(fit, "coef"), k),
                    tu_relerr(path->intercept[k], at(fit, "a0", k), 1.0));
    double d = fabs(path->dev_ratio[k] - at(fit, "dev_ratio", k));
    if (e <= 1e-5 && d < 1e-6) {
      worst = fmax(worst, e);
      continue;
    }
    ck_assert_msg(at_least_as_good(res, path, k, fit, &ours, &theirs),
                  "l1_ratio %g point %zu: off "
                  "glmnet by %.3g (dev_ratio %.3g) and not better (%.17g vs %.17g, gap %.3g)",
                  l1, k, e, d, ours, theirs, path->dual_gap[k]);
    ++*beyond;
  }
  return worst;
}

static void check_cv(const rp_run_result *res, size_t f, const cJSON *fit, double *wm, double *ws) {
  const rp_cv *cv = res->cvs[f];
  const cJSON *ref = get(fit, "cv");
  int gaussian = res->family == RP_FAMILY_GAUSSIAN;
  double floor = gaussian ? 1e-12 : 1e-3;
  *wm = *ws = 0.0;
  for (size_t k = 0; k < cv->n_alphas; k++) {
    *wm = fmax(*wm, tu_relerr(cv->mean[k], at(ref, "cvm", k), floor));
    *ws = fmax(*ws, tu_relerr(cv->std_error[k], at(ref, "cvsd", k), floor));
  }
  ck_assert_msg(*wm < (gaussian ? 1e-6 : 1e-4), "cvm off by %.3g", *wm);
  ck_assert_msg(*ws < (gaussian ? 1e-5 : 1e-3), "cvsd off by %.3g", *ws);
  ck_assert_uint_eq(cv->index_min + 1, (size_t)get(ref, "index_min")->valueint);
  ck_assert_uint_eq(cv->index_1se + 1, (size_t)get(ref, "index_1se")->valueint);
}

START_TEST(table_matches_glmnet_on_its_encoded_design) {
  const table_case *c = &CASES[_i];
  char rel[256];
  snprintf(rel, sizeof rel, "tests/data/tables/%s_glmnet.json", c->name);
  cJSON *ref = tu_load_json(tu_src_path(rel));
  char *text = case_config(c, ref);
  rp_run_result *res = tu_run_config_text(text);
  check_design(res, ref);
  for (size_t f = 0; f < res->n_fits; f++) {
    const cJSON *fit = cJSON_GetArrayItem(get(ref, "fits"), (int)f);
    size_t beyond;
    double wm, ws, worst = check_path(res, f, fit, &beyond);
    check_cv(res, f, fit, &wm, &ws);
    printf(
        "agreement glmnet %s l1_ratio %g: n %zu p %zu, %zu alphas, max rel error %.2e (%zu points "
        "beyond 1e-5, where regpath's objective is as low); cvm %.2e, cvsd %.2e; index_min %zu, "
        "index_1se "
        "%zu (1-based, same)\n",
        c->name, res->paths[f]->l1_ratio, res->n_samples, res->n_features, res->paths[f]->n_alphas,
        worst, beyond, wm, ws, res->cvs[f]->index_min + 1, res->cvs[f]->index_1se + 1);
  }
  rp_run_free(res);
  free(text);
  cJSON_Delete(ref);
}
END_TEST

/* ------------------------------------------------------------ data.weights, data.offset */

/* The data file of a weights case with its w and o columns appended, in a
 * temporary folder; returns its path (static). */
static const char *with_columns(const cJSON *wc) {
  char *data = tu_read_file(tu_src_path(get(wc, "data")->valuestring));
  char *cols = tu_read_file(tu_src_path(get(wc, "columns")->valuestring));
  ck_assert_ptr_nonnull(data);
  ck_assert_ptr_nonnull(cols);
  size_t size = 2 * (strlen(data) + strlen(cols)) + 16, len = 0;
  char *out = malloc(size), *save_d, *save_c;
  for (char *d = strtok_r(data, "\n", &save_d), *c = strtok_r(cols, "\n", &save_c); d && c;
       d = strtok_r(NULL, "\n", &save_d), c = strtok_r(NULL, "\n", &save_c))
    len += (size_t)snprintf(out + len, size - len, "%s,%s\n", d, c);
  const char *path = tu_write_temp("data.csv", out);
  free(out);
  free(data);
  free(cols);
  return path;
}

/* The last name of a CSV header (the target of the weights cases). */
static const char *last_name(const char *rel) {
  static char name[256];
  char *text = tu_read_file(tu_src_path(rel));
  ck_assert_ptr_nonnull(text);
  text[strcspn(text, "\n")] = '\0';
  const char *comma = strrchr(text, ',');
  snprintf(name, sizeof name, "%s", comma ? comma + 1 : text);
  free(text);
  return name;
}

/* glmnet's weights=/offset= through data.weights and data.offset (the
 * unused one left out with data.exclude): the same grid, path and CV
 * curve, lambda.min and lambda.1se as weights_glmnet.json. */
START_TEST(weights_and_offset_columns_match_glmnet) {
  cJSON *ref = tu_load_json(tu_src_path("tests/data/weights_glmnet.json"));
  const cJSON *wc = cJSON_GetArrayItem(get(ref, "cases"), _i), *fit;
  int weights = cJSON_IsTrue(get(wc, "weights")), offset = cJSON_IsTrue(get(wc, "offset"));
  cJSON *root = cJSON_CreateObject(), *data = cJSON_AddObjectToObject(root, "data");
  cJSON *model = cJSON_AddObjectToObject(root, "model"),
        *exclude = cJSON_AddArrayToObject(data, "exclude");
  cJSON_AddStringToObject(data, "train", with_columns(wc));
  cJSON_AddStringToObject(data, "target", last_name(get(wc, "data")->valuestring));
  if (weights)
    cJSON_AddStringToObject(data, "weights", "w");
  else
    cJSON_AddItemToArray(exclude, cJSON_CreateString("w"));
  if (offset)
    cJSON_AddStringToObject(data, "offset", "o");
  else
    cJSON_AddItemToArray(exclude, cJSON_CreateString("o"));
  cJSON_AddStringToObject(model, "family", get(wc, "family")->valuestring);
  cJSON_AddStringToObject(model, "convention", "glmnet");
  cJSON *l1 = cJSON_AddArrayToObject(model, "l1_ratio");
  cJSON_ArrayForEach(fit, get(wc, "fits"))
      cJSON_AddItemToArray(l1, cJSON_CreateNumber(get(fit, "l1_ratio")->valuedouble));
  cJSON *path = cJSON_AddObjectToObject(root, "path"), *cv = cJSON_AddObjectToObject(root, "cv");
  int gaussian = strcmp(get(wc, "family")->valuestring, "gaussian") == 0;
  cJSON_AddNumberToObject(path, "tol", gaussian ? 1e-14 : 1e-11);
  cJSON_AddNumberToObject(path, "gap_tol", gaussian ? 1e-14 : 1e-11);
  cJSON_AddItemToObject(cv, "fold_ids", cJSON_Duplicate(get(wc, "foldid"), 1));
  char *text = cJSON_PrintUnformatted(root);
  rp_run_result *res = tu_run_config_text(text);
  ck_assert_uint_eq(res->n_features, (size_t)get(wc, "p")->valueint);
  for (size_t f = 0; f < res->n_fits; f++) {
    const cJSON *rf = cJSON_GetArrayItem(get(wc, "fits"), (int)f), *m = get(rf, "cv")->child;
    const rp_path *pth = res->paths[f];
    size_t K = (size_t)cJSON_GetArraySize(get(rf, "lambda"));
    double worst = 0.0;
    ck_assert_uint_eq(pth->n_alphas, K);
    for (size_t k = pth->l1_ratio == 0.0 ? 1 : 0; k < K; k++) {
      ck_assert(tu_relerr(pth->alphas[k], at(rf, "lambda", k), 1e-300) < 1e-10);
      worst = fmax(worst, fmax(tu_coef_error(pth, get(rf, "coef"), k),
                               tu_relerr(pth->intercept[k], at(rf, "a0", k), 1e-8)));
    }
    ck_assert_msg(worst < 1e-4, "%s l1_ratio %g: coefficients off glmnet by %.3g",
                  get(wc, "name")->valuestring, pth->l1_ratio, worst);
    ck_assert_uint_eq(res->cvs[f]->index_min + 1, (size_t)get(m, "index_min")->valueint);
    ck_assert_uint_eq(res->cvs[f]->index_1se + 1, (size_t)get(m, "index_1se")->valueint);
    printf("agreement glmnet %s (data.weights/data.offset) l1_ratio %g: %zu alphas, max rel error "
           "%.2e; index_min %zu, index_1se %zu (same)\n",
           get(wc, "name")->valuestring, pth->l1_ratio, K, worst, res->cvs[f]->index_min + 1,
           res->cvs[f]->index_1se + 1);
  }
  rp_run_free(res);
  free(text);
  cJSON_Delete(root);
  cJSON_Delete(ref);
}
END_TEST

int main(void) {
  Suite *s = suite_create("tables");
  TCase *tc = tcase_create("glmnet");
  tcase_set_timeout(tc, 600);
  tcase_add_loop_test(tc, table_matches_glmnet_on_its_encoded_design, 0, 1);
  tcase_add_loop_test(tc, table_matches_glmnet_on_its_encoded_design, 2,
                      (int)(sizeof CASES / sizeof CASES[0]));
  tcase_add_loop_test(tc, weights_and_offset_columns_match_glmnet, 0, 3);
  tcase_add_loop_test(tc, weights_and_offset_columns_match_glmnet, 6, 9);
  suite_add_tcase(s, tc);
  /* Sonar and the binomial weights cases take 45 of the suite's 46 s, the
   * binomial lasso's CV at tol 1e-11: too long under valgrind, which
   * leaves out the tag "slow" (tests/valgrind.sh); every other run has them. */
  TCase *slow = tcase_create("glmnet-binomial");
  tcase_set_tags(slow, "slow");
  tcase_set_timeout(slow, 600);
  tcase_add_loop_test(slow, table_matches_glmnet_on_its_encoded_design, 1, 2);
  tcase_add_loop_test(slow, weights_and_offset_columns_match_glmnet, 3, 6);
  suite_add_tcase(s, slow);
  return tu_run(s);
}
