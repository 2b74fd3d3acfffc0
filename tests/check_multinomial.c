/* check_multinomial.c: the multinomial family (RP_FAMILY_MULTINOMIAL,
 * glmnet's family = "multinomial", type.multinomial = "ungrouped").
 *
 * Oracles: glmnet 4.1's paths and cv.glmnet curves at thresh 1e-14
 * (tests/data/multinomial_glmnet.json, from make_multinomial_refs.R) on
 * Palmer penguins' three species and a synthetic 4-class set, lasso and
 * elastic net: the fitted class probabilities (the coefficients are
 * identified only up to glmnet's centring rules), the deviance ratio, and
 * the CV curves and choices for deviance, class, mse and mae; where a
 * point differs by more than 1e-5, the penalized objective computed here
 * from the definitions must be lower than at glmnet's point. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regpath.h"
#include "testutil.h"

static const cJSON *get(const cJSON *o, const char *key) { return cJSON_GetObjectItem(o, key); }
static double at(const cJSON *o, const char *key, size_t k) {
  return cJSON_GetArrayItem(get(o, key), (int)k)->valuedouble;
}
static const cJSON *item(const cJSON *a, size_t k) { return cJSON_GetArrayItem(a, (int)k); }

typedef struct {
  cJSON *refs;
  const cJSON *ref; /* one case of multinomial_glmnet.json */
  rp_table *data;
  rp_matrix X;
  const double *y;
  size_t n, p, K;
} mn_case;

static mn_case load(const char *name) {
  mn_case mc = {0};
  mc.refs = tu_load_json(tu_src_path("tests/data/multinomial_glmnet.json"));
  mc.ref = get(get(mc.refs, "cases"), name);
  ck_assert_msg(mc.ref != NULL, "multinomial_glmnet.json has no case %s", name);
  rp_error err;
  ck_assert_int_eq(
      rp_table_read_csv(tu_src_path(get(mc.ref, "file")->valuestring), NULL, &mc.data, &err),
      RP_OK);
  mc.n = mc.data->n_rows;
  mc.p = mc.data->n_cols - 1;
  mc.K = (size_t)get(mc.ref, "n_classes")->valueint;
  mc.X = (rp_matrix){mc.n, mc.p, mc.n, mc.data->values};
  mc.y = rp_table_column(mc.data, mc.p);
  return mc;
}

static void unload(mn_case *mc) {
  rp_table_free(mc->data);
  cJSON_Delete(mc->refs);
}

static rp_fit_options options_of(double l1_ratio) {
  rp_fit_options opt;
  rp_fit_options_init(&opt);
  opt.family = RP_FAMILY_MULTINOMIAL;
  opt.l1_ratio = l1_ratio;
  opt.tol = 1e-14;
  opt.gap_tol = 1e-10;
  return opt;
}

/* Row i's class probabilities under intercepts b0 (K) and coefficients b
 * (K rows of p), into prob. */
static void probabilities(const mn_case *mc, const double *b0, const double *b, size_t i,
                          double *prob) {
  double eta[16];
  for (size_t k = 0; k < mc->K; k++) {
    eta[k] = b0[k];
    for (size_t j = 0; j < mc->p; j++) eta[k] += b[k * mc->p + j] * mc->X.values[j * mc->n + i];
  }
  rp_multinomial_probabilities(eta, mc->K, prob);
}

/* The penalized objective from the definitions at alpha: the mean negative
 * log-likelihood plus the elastic net on the coefficients b_jk s_j (s_j the
 * columns' 1/n standard deviations), each one's (ungrouped) or each
 * column's norm over the classes (grouped). */
static double objective(const mn_case *mc, const double *b0, const double *b, double alpha,
                        double l1, int grouped) {
  double loss = 0.0, pen = 0.0, prob[16];
  for (size_t i = 0; i < mc->n; i++) {
    probabilities(mc, b0, b, i, prob);
    loss -= log(prob[(size_t)mc->y[i]]) / (double)mc->n;
  }
  for (size_t j = 0; j < mc->p; j++) {
    const double *x = mc->X.values + j * mc->n;
    double m = 0.0, v = 0.0;
    for (size_t i = 0; i < mc->n; i++) m += x[i] / (double)mc->n;
    for (size_t i = 0; i < mc->n; i++) v += (x[i] - m) * (x[i] - m) / (double)mc->n;
    double norm2 = 0.0;
    for (size_t k = 0; k < mc->K; k++) {
      double bs = b[k * mc->p + j] * sqrt(v);
      norm2 += bs * bs;
      if (!grouped) pen += l1 * fabs(bs) + 0.5 * (1.0 - l1) * bs * bs;
    }
    if (grouped) pen += l1 * sqrt(norm2) + 0.5 * (1.0 - l1) * norm2;
  }
  return loss + alpha * pen;
}

/* glmnet's point k: its intercepts and coefficients, into b0 and b. */
static void glmnet_point(const mn_case *mc, const cJSON *fit, size_t k, double *b0, double *b) {
  for (size_t c = 0; c < mc->K; c++) {
    b0[c] = item(item(get(fit, "a0"), k), c)->valuedouble;
    for (size_t j = 0; j < mc->p; j++)
      b[c * mc->p + j] = item(item(item(get(fit, "coef"), k), c), j)->valuedouble;
  }
}

/* The largest difference in any row's class probabilities at point k;
 * beyond 1e-5, our objective must be the lower (counted in *beyond). */
static double point_error(const mn_case *mc, const rp_path *path, const cJSON *fit, size_t k,
                          size_t *beyond) {
  size_t K = mc->K, p = mc->p;
  double b0[16], *b = malloc(K * p * sizeof *b), ours[16], theirs[16], e = 0.0;
  const double *ob0 = path->intercept + k * K, *ob = path->coef + k * K * p;
  glmnet_point(mc, fit, k, b0, b);
  for (size_t i = 0; i < mc->n; i++) {
    probabilities(mc, ob0, ob, i, ours);
    probabilities(mc, b0, b, i, theirs);
    for (size_t c = 0; c < K; c++) e = fmax(e, fabs(ours[c] - theirs[c]));
  }
  if (e > 1e-5) {
    int grouped = cJSON_IsTrue(get(fit, "grouped"));
    double a = path->alphas[k], mine = objective(mc, ob0, ob, a, path->l1_ratio, grouped);
    double ref = objective(mc, b0, b, a, path->l1_ratio, grouped);
    ck_assert_msg(mine < ref,
                  "alpha %zu: probabilities off glmnet's by %.3g and the objective "
                  "not lower (%.17g vs %.17g)",
                  k, e, mine, ref);
    ++*beyond;
  }
  free(b);
  return e;
}

/* glmnet's own solver failed at the point after its last (its error
 * -(K + 1): maxit reached), as make_multinomial_refs.R records. */
static int glmnet_failed(const cJSON *fit) {
  return strcmp(get(fit, "stop")->valuestring, "maxit") == 0;
}

/* The path on glmnet's grid within 1e-5 in probability (or lower in
 * objective), its intercepts summing to 0, certified.  Where glmnet's
 * solver failed before the path's end, regpath's goes on and the points
 * glmnet has are compared; 1 then, else 0. */
static int check_path(const mn_case *mc, const cJSON *fit, const rp_path *path) {
  size_t K = (size_t)cJSON_GetArraySize(get(fit, "lambda")), beyond = 0;
  ck_assert_uint_eq(path->n_classes, mc->K);
  int failed = glmnet_failed(fit);
  ck_assert(!failed || path->n_alphas > K);
  if (failed)
    printf("  glmnet's solver stopped after %zu points (maxit); regpath's certified %zu\n", K,
           path->n_alphas);
  else
    ck_assert_uint_eq(path->n_alphas, K);
  double worst = 0.0, worst_gap = 0.0, worst_dev = 0.0;
  for (size_t k = 0; k < K; k++) {
    ck_assert_double_eq_tol(path->alphas[k], at(fit, "lambda", k), 1e-12 * path->alphas[k]);
    worst = fmax(worst, point_error(mc, path, fit, k, &beyond));
    worst_dev = fmax(worst_dev, fabs(path->dev_ratio[k] - at(fit, "dev_ratio", k)));
    double sum = 0.0;
    for (size_t c = 0; c < mc->K; c++) sum += path->intercept[k * mc->K + c];
    ck_assert_msg(fabs(sum) < 1e-9, "alpha %zu: intercepts sum to %g", k, sum);
    worst_gap = fmax(worst_gap, path->dual_gap[k] / path->null_objective);
    ck_assert_int_eq((int)path->df[k], item(get(fit, "df"), k)->valueint);
  }
  ck_assert_msg(worst_gap <= 1e-10, "worst gap %.3g of the null objective", worst_gap);
  ck_assert_msg(worst_dev <= 1e-5, "dev_ratio off by %.3g", worst_dev);
  printf("agreement glmnet multinomial%s %s l1_ratio %g: %zu alphas%s, probabilities within "
         "%.2e (%zu points beyond 1e-5, each with a lower objective than glmnet's), dev_ratio "
         "within %.1e, worst gap / null %.1e\n",
         cJSON_IsTrue(get(fit, "grouped")) ? " grouped" : "", get(mc->ref, "file")->valuestring,
         path->l1_ratio, K, failed ? " (glmnet's)" : " (same)", worst, beyond, worst_dev,
         worst_gap);
  return failed;
}

/* cv.glmnet's curve for one type.measure within cv_tol (relative), and the
 * same lambda.min and lambda.1se, on glmnet's grid (the path's first
 * points where glmnet's solver stopped early).  The class measure counts
 * rows: a row whose two largest probabilities are within the two fits'
 * difference (1e-5) may go either way, so there the curve may differ by
 * the weight of one row of a fold, 1/N_k, and the choices are compared
 * only where it does not. */
static void compare_curve(const mn_case *mc, const rp_cv *cv, rp_metric metric, const cJSON *cvref,
                          double cv_tol) {
  ck_assert_uint_eq(cv->n_alphas, (size_t)cJSON_GetArraySize(get(cvref, "cvm")));
  double worst = 0.0, one_row = 1.0 / ((double)mc->n / (double)cv->n_folds - 1.0);
  size_t flipped = 0;
  for (size_t a = 0; a < cv->n_alphas; a++) {
    double e = fmax(tu_relerr(cv->mean[a], at(cvref, "cvm", a), 1e-12),
                    tu_relerr(cv->std_error[a], at(cvref, "cvsd", a), 1e-12));
    if (metric == RP_METRIC_CLASS && e >= cv_tol) {
      ck_assert_msg(fabs(cv->mean[a] - at(cvref, "cvm", a)) <= one_row / (double)cv->n_folds,
                    "class: alpha %zu off by more than one row", a);
      flipped++;
      continue;
    }
    worst = fmax(worst, e);
  }
  ck_assert_msg(worst < cv_tol, "%s: cvm/cvsd off by %.3g", rp_metric_name(metric), worst);
  if (!flipped) {
    ck_assert_uint_eq(cv->index_min + 1, (size_t)get(cvref, "index_min")->valueint);
    ck_assert_uint_eq(cv->index_1se + 1, (size_t)get(cvref, "index_1se")->valueint);
  }
  printf("  cv %s: within %.2e%s, index_min %zu, index_1se %zu (%s)\n", rp_metric_name(metric),
         worst, flipped ? " but where one row went the other way" : "", cv->index_min + 1,
         cv->index_1se + 1, flipped ? "not compared" : "same");
}

static void check_curve(const mn_case *mc, const rp_path *path, const int *folds,
                        const rp_fit_options *opt, rp_metric metric, const cJSON *cvref,
                        double cv_tol) {
  rp_cv *cv;
  rp_error err;
  size_t A = (size_t)cJSON_GetArraySize(get(cvref, "cvm"));
  ck_assert_uint_le(A, path->n_alphas);
  ck_assert_int_eq(rp_cv_fit(&mc->X, mc->y, opt, path->alphas, A, folds, metric, &cv, &err), RP_OK);
  compare_curve(mc, cv, metric, cvref, cv_tol);
  rp_cv_free(cv);
}

static void check_case(const char *name) {
  mn_case mc = load(name);
  int *folds = malloc(mc.n * sizeof *folds);
  for (size_t i = 0; i < mc.n; i++) folds[i] = (int)at(mc.ref, "foldid", i);
  static const char *const measures[4] = {"cv_deviance", "cv_class", "cv_mse", "cv_mae"};
  static const rp_metric metrics[4] = {RP_METRIC_DEVIANCE, RP_METRIC_CLASS, RP_METRIC_MSE,
                                       RP_METRIC_MAE};
  const cJSON *fit;
  cJSON_ArrayForEach(fit, get(mc.ref, "fits")) {
    rp_fit_options opt = options_of(get(fit, "l1_ratio")->valuedouble);
    opt.multinomial_grouped = cJSON_IsTrue(get(fit, "grouped"));
    rp_path *path;
    rp_error err;
    ck_assert_int_eq(rp_path_fit(&mc.X, mc.y, NULL, 0, &opt, &path, &err), RP_OK);
    if (check_path(&mc, fit, path)) { /* its folds too: cv.glmnet's curve is not converged */
      printf("  cv: not compared (glmnet's folds stop at maxit as its path does)\n");
      rp_path_free(path);
      continue;
    }
    for (int m = 0; m < 4; m++)
      if (cJSON_IsObject(get(fit, measures[m])))
        check_curve(&mc, path, folds, &opt, metrics[m], get(fit, measures[m]), 1e-4);
    rp_path_free(path);
  }
  free(folds);
  unload(&mc);
}

START_TEST(penguins_match_glmnet) { check_case("penguins_species"); }
END_TEST
START_TEST(four_classes_match_glmnet) { check_case("multinomial4"); }
END_TEST

/* ------------------------------------------------------------ the program */

/* The case's CSV with its classes 0, 1, 2 as text labels that sort the same
 * way, so that the run reads a text target (returns the temporary file). */
static const char *as_labels(const mn_case *mc) {
  static const char *const LABELS[3] = {"Adelie", "Chinstrap", "Gentoo"};
  size_t size = 64 + mc->n * (mc->p + 1) * 32, used = 0;
  char *text = malloc(size);
  for (size_t j = 0; j <= mc->p; j++)
    used += (size_t)snprintf(text + used, size - used, "%s%s", mc->data->names[j],
                             j < mc->p ? "," : "\n");
  for (size_t i = 0; i < mc->n; i++) {
    for (size_t j = 0; j < mc->p; j++)
      used += (size_t)snprintf(text + used, size - used, "%.17g,", mc->X.values[j * mc->n + i]);
    used += (size_t)snprintf(text + used, size - used, "%s\n", LABELS[(size_t)mc->y[i]]);
  }
  const char *path = tu_write_temp("species.csv", text);
  free(text);
  return path;
}

/* The run's config for one of the case's fits, under cv.metric `metric`. */
static char *run_config(const mn_case *mc, const char *train, const cJSON *fit, rp_metric metric) {
  cJSON *root = cJSON_CreateObject(), *data = cJSON_AddObjectToObject(root, "data");
  cJSON *model = cJSON_AddObjectToObject(root, "model"),
        *path = cJSON_AddObjectToObject(root, "path"), *cv = cJSON_AddObjectToObject(root, "cv");
  cJSON_AddStringToObject(data, "train", train);
  cJSON_AddStringToObject(data, "target", mc->data->names[mc->p]);
  cJSON_AddStringToObject(model, "family", "multinomial");
  cJSON_AddNumberToObject(model, "l1_ratio", get(fit, "l1_ratio")->valuedouble);
  cJSON_AddBoolToObject(model, "multinomial_grouped", cJSON_IsTrue(get(fit, "grouped")));
  cJSON_AddNumberToObject(path, "tol", 1e-14);
  cJSON_AddNumberToObject(path, "gap_tol", 1e-10);
  cJSON_AddBoolToObject(path, "extend",
                        0); /* glmnet's grid, even where CV's minimum is at its end */
  cJSON_AddItemToObject(cv, "fold_ids", cJSON_Duplicate(get(mc->ref, "foldid"), 1));
  cJSON_AddStringToObject(cv, "metric", rp_metric_name(metric));
  char *text = cJSON_PrintUnformatted(root);
  cJSON_Delete(root);
  return text;
}

/* `regpath --config` as a library call: the data read from a CSV file (the
 * penguins' species as text labels), the classes in sorted order, the path
 * and the deviance's CV curve as glmnet's for every fit, and the class
 * measure's for the first (the library's cases above check every measure;
 * this is the wiring). */
static void check_run(const char *name, int text_labels) {
  mn_case mc = load(name);
  const char *train = text_labels ? as_labels(&mc) : tu_src_path(get(mc.ref, "file")->valuestring);
  static const rp_metric metrics[2] = {RP_METRIC_DEVIANCE, RP_METRIC_CLASS};
  static const char *const measures[2] = {"cv_deviance", "cv_class"};
  printf("the program (rp_run on a config, the target read as %s):\n",
         text_labels ? "text labels" : "numbers");
  const cJSON *fit;
  int first = 1;
  cJSON_ArrayForEach(fit, get(mc.ref, "fits")) {
    if (glmnet_failed(fit)) continue; /* its folds are not converged (check_case) */
    for (int m = 0; m < (first ? 2 : 1); m++) {
      char *text = run_config(&mc, train, fit, metrics[m]);
      rp_run_result *res = tu_run_config_text(text);
      ck_assert_uint_eq(res->classes.n, mc.K);
      ck_assert(text_labels ? res->classes.labels != NULL : res->classes.labels == NULL);
      for (size_t c = 0; c < mc.K; c++) ck_assert_double_eq(res->classes.values[c], (double)c);
      if (m == 0) check_path(&mc, fit, res->paths[0]);
      compare_curve(&mc, res->cvs[0], metrics[m], get(fit, measures[m]), 1e-4);
      rp_run_free(res);
      free(text);
    }
    first = 0;
  }
  unload(&mc);
}

START_TEST(the_program_reads_text_classes_as_glmnet) { check_run("penguins_species", 1); }
END_TEST
START_TEST(the_program_reads_numeric_classes_as_glmnet) { check_run("multinomial4", 0); }
END_TEST

/* The 4-class set's paths, ungrouped and grouped, lasso and elastic net,
 * each certified at every point, and a CV through them (the cases valgrind
 * runs: the glmnet comparisons are tagged slow). */
START_TEST(paths_are_certified) {
  mn_case mc = load("multinomial4");
  int *folds = malloc(mc.n * sizeof *folds);
  for (size_t i = 0; i < mc.n; i++) folds[i] = (int)(i % 5) + 1;
  for (int c = 0; c < 4; c++) {
    rp_fit_options opt = options_of(c % 2 ? 0.5 : 1.0);
    opt.multinomial_grouped = c / 2;
    opt.n_alphas = 20;
    rp_path *path;
    rp_cv *cv;
    rp_error err;
    ck_assert_int_eq(rp_path_cv_fit(&mc.X, mc.y, &opt, folds, RP_METRIC_DEVIANCE, &path, &cv, &err),
                     RP_OK);
    for (size_t k = 0; k < path->n_alphas; k++) {
      double sum = 0.0;
      for (size_t j = 0; j < mc.K; j++) sum += path->intercept[k * mc.K + j];
      ck_assert_msg(fabs(sum) < 1e-9, "case %d alpha %zu: intercepts sum to %g", c, k, sum);
      ck_assert_int_eq(path->converged[k], RP_POINT_CONVERGED);
      ck_assert(path->dual_gap[k] <= 1e-10 * path->null_objective);
    }
    ck_assert_uint_eq(cv->n_classes, mc.K);
    ck_assert(cv->mean[cv->index_min] < cv->mean[0]); /* the features help */
    rp_cv_free(cv);
    rp_path_free(path);
  }
  free(folds);
  unload(&mc);
}
END_TEST

/* Two classes are the binomial family's, and a class outside 0..K-1 is
 * named by its row. */
START_TEST(bad_classes_are_refused) {
  double X[6] = {1, 2, 3, 4, 5, 6}, y[6] = {0, 1, 2, 0, 1, 3};
  rp_matrix M = {6, 1, 6, X};
  rp_fit_options opt = options_of(1.0);
  opt.n_classes = 2;
  rp_path *path = NULL;
  rp_error err;
  ck_assert_int_eq(rp_path_fit(&M, y, NULL, 0, &opt, &path, &err), RP_EINVAL);
  ck_assert_str_eq(err.message, "multinomial needs 3 or more classes, got 2 (2: use binomial)");
  opt.n_classes = 3;
  ck_assert_int_eq(rp_path_fit(&M, y, NULL, 0, &opt, &path, &err), RP_EDATA);
  ck_assert_str_eq(err.message, "target \"\": value 3 on fitted row 6 is not a class 0..2");
  ck_assert_ptr_null(path);
}
END_TEST

static Suite *multinomial_suite(void) {
  Suite *s = suite_create("multinomial");
  TCase *tc = tcase_create("glmnet");
  /* About a minute natively, several under the sanitizers (a rehearsal of
   * .ci/run on a busy machine passed 300 s in penguins_match_glmnet): an
   * alarm for a hang, not a speed test.  Not under valgrind. */
  tcase_set_timeout(tc, 1200);
  tcase_set_tags(tc, "slow");
  tcase_add_test(tc, penguins_match_glmnet);
  tcase_add_test(tc, four_classes_match_glmnet);
  tcase_add_test(tc, the_program_reads_text_classes_as_glmnet);
  tcase_add_test(tc, the_program_reads_numeric_classes_as_glmnet);
  suite_add_tcase(s, tc);
  tc = tcase_create("basics");
  tcase_add_test(tc, paths_are_certified);
  tcase_add_test(tc, bad_classes_are_refused);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return tu_run(multinomial_suite()); }
