/* check_relax.c: the relaxed lasso (glmnet's relax = TRUE; regpath/relax.h,
 * rp_fit_options.relax_gammas, rp_cv.relaxed, rp_cv_choose_relaxed).
 *
 * Oracles: the refit's optimality from the definitions (the gradient of the
 * unpenalized loss is 0 on its active columns, every other coefficient is
 * 0), and glmnet 4.1's relaxed fits and cv.glmnet(relax = TRUE) curves and
 * choices at thresh 1e-14 (tests/data/relax_glmnet.json, from
 * make_relax_refs.R): gaussian, binomial and poisson, lasso and elastic net,
 * and a 12-row set whose largest active sets get no refit (maxp = n - 3). */
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

static const double GAMMAS[4] = {0.0, 0.25, 0.5, 0.75}; /* and 1, the path itself */

typedef struct {
  cJSON *refs;
  const cJSON *ref; /* one case of relax_glmnet.json */
  rp_table *data;
  rp_family family;
  rp_matrix X;
  const double *y;
  size_t n, p;
} relax_case;

static relax_case load(const char *name) {
  relax_case rc = {0};
  rc.refs = tu_load_json(tu_src_path("tests/data/relax_glmnet.json"));
  rc.ref = get(get(rc.refs, "cases"), name);
  ck_assert_msg(rc.ref != NULL, "relax_glmnet.json has no case %s", name);
  rp_error err;
  ck_assert_int_eq(
      rp_table_read_csv(tu_src_path(get(rc.ref, "file")->valuestring), NULL, &rc.data, &err),
      RP_OK);
  const char *fam = get(rc.ref, "family")->valuestring;
  rc.family = fam[0] == 'g'   ? RP_FAMILY_GAUSSIAN
              : fam[0] == 'b' ? RP_FAMILY_BINOMIAL
                              : RP_FAMILY_POISSON;
  rc.n = (size_t)get(rc.ref, "rows")->valueint;
  rc.p = rc.data->n_cols - 1;
  rc.X = (rp_matrix){rc.n, rc.p, rc.data->n_rows, rc.data->values};
  rc.y = rp_table_column(rc.data, rc.p);
  return rc;
}

static void unload(relax_case *rc) {
  rp_table_free(rc->data);
  cJSON_Delete(rc->refs);
}

static rp_fit_options options_of(const relax_case *rc, double l1_ratio) {
  rp_fit_options opt;
  rp_fit_options_init(&opt);
  opt.family = rc->family;
  opt.l1_ratio = l1_ratio;
  opt.convention = RP_CONVENTION_GLMNET;
  opt.tol = 1e-14;
  opt.gap_tol = 1e-10;
  return opt;
}

/* The loss's gradient on the refit's own columns, from the definitions:
 * g_j = sum_i x_ij (y_i - mu_i) / n, each within 1e-9 of 0 relative to
 * sd(x_j) sd(y) (the scale of a correlation), every coefficient off its
 * active set exactly 0; its deviance. */
static double refit_checked(const relax_case *rc, const rp_path *path, const rp_relaxed *r,
                            size_t k) {
  size_t n = rc->n, p = rc->p;
  const double *b = r->coef + k * p, *x = rc->X.values;
  double *res = malloc(n * sizeof *res), dev = 0.0, ym = 0.0, yv = 0.0;
  for (size_t i = 0; i < n; i++) ym += rc->y[i] / (double)n;
  for (size_t i = 0; i < n; i++) yv += (rc->y[i] - ym) * (rc->y[i] - ym) / (double)n;
  for (size_t i = 0; i < n; i++) {
    double eta = r->intercept[k];
    for (size_t j = 0; j < p; j++) eta += b[j] * x[j * rc->X.ld + i];
    double mu = rp_family_mean(rc->family, eta);
    res[i] = rc->y[i] - mu;
    dev += rc->family == RP_FAMILY_GAUSSIAN ? res[i] * res[i] : 0.0;
  }
  for (size_t j = 0; j < p; j++) {
    double g = 0.0, m = 0.0, v = 0.0;
    for (size_t i = 0; i < n; i++) m += x[j * rc->X.ld + i] / (double)n;
    for (size_t i = 0; i < n; i++) {
      double d = x[j * rc->X.ld + i] - m;
      g += d * res[i] / (double)n;
      v += d * d / (double)n;
    }
    if (path->coef[k * p + j] == 0.0)
      ck_assert_msg(b[j] == 0.0, "alpha %zu: b_%zu = %g off the active set", k, j, b[j]);
    else
      ck_assert_msg(fabs(g) <= 1e-9 * sqrt(v * yv),
                    "alpha %zu: gradient %g on column %zu (kkt %g, %ld steps, b0 %.17g)", k, g, j,
                    r->kkt[k], r->n_iter[k], r->intercept[k]);
  }
  free(res);
  return dev;
}

/* Point k's refit within 1e-5 of glmnet's, or (gaussian, where glmnet's
 * coordinate descent at lambda 0 stops the earlier) with a residual sum of
 * squares no larger than glmnet's; the error. */
static double refit_error(const relax_case *rc, const rp_relaxed *r, const cJSON *fit, size_t k,
                          double our_rss, size_t *beyond) {
  size_t p = rc->p;
  const cJSON *row = cJSON_GetArrayItem(get(fit, "relaxed_coef"), (int)k);
  double scale = 0.0, e = 0.0;
  for (size_t j = 0; j < p; j++)
    scale = fmax(scale, fabs(cJSON_GetArrayItem(row, (int)j)->valuedouble));
  for (size_t j = 0; j < p; j++)
    e = fmax(e, fabs(r->coef[k * p + j] - cJSON_GetArrayItem(row, (int)j)->valuedouble));
  e = fmax(e / fmax(scale, 1e-300), tu_relerr(r->intercept[k], at(fit, "relaxed_a0", k), 1.0));
  if (e <= 1e-5) return e;
  ck_assert_msg(rc->family == RP_FAMILY_GAUSSIAN, "alpha %zu: refit off glmnet by %.3g", k, e);
  double rss = 0.0;
  for (size_t i = 0; i < rc->n; i++) {
    double eta = at(fit, "relaxed_a0", k);
    for (size_t j = 0; j < p; j++)
      eta += cJSON_GetArrayItem(row, (int)j)->valuedouble * rc->X.values[j * rc->X.ld + i];
    rss += (rc->y[i] - eta) * (rc->y[i] - eta);
  }
  ck_assert_msg(our_rss <= rss * (1 + 1e-13), "alpha %zu: off glmnet by %.3g, RSS %.17g vs %.17g",
                k, e, our_rss, rss);
  ++*beyond;
  return e;
}

/* The full data's path and its refits against glmnet's: the same grid, the
 * same points kept (maxp = n - 3), each refit optimal and within 1e-5 of
 * glmnet's (or a lower RSS). */
static void check_refits(const relax_case *rc, const cJSON *fit, const rp_path *path,
                         const rp_relaxed *r) {
  size_t K = (size_t)cJSON_GetArraySize(get(fit, "lambda")), beyond = 0, kept = 0;
  ck_assert_uint_eq(path->n_alphas, K);
  double worst = 0.0, worst_kkt = 0.0;
  for (size_t k = 0; k < K; k++) {
    int want = cJSON_IsTrue(cJSON_GetArrayItem(get(fit, "relaxed_kept"), (int)k));
    ck_assert_msg(r->kept[k] == want, "alpha %zu: kept %d, glmnet %d", k, r->kept[k], want);
    if (!want) continue;
    kept++;
    double rss = refit_checked(rc, path, r, k);
    worst = fmax(worst, refit_error(rc, r, fit, k, rss, &beyond));
    worst_kkt = fmax(worst_kkt, r->kkt[k]);
  }
  printf("agreement glmnet relax %s l1_ratio %g: %zu alphas, %zu refits (same), max error %.2e "
         "(%zu beyond 1e-5 with a lower RSS than glmnet's), worst refit kkt %.1e\n",
         get(rc->ref, "file")->valuestring, path->l1_ratio, K, kept, worst, beyond, worst_kkt);
}

/* cv.glmnet(relax = TRUE)'s curves for every gamma within cv_tol
 * (relative; its gamma 0 is 1e-5 penalized, ours exactly the refit), and
 * the same (lambda, gamma) for min and 1se. */
static void check_curves(const cJSON *cvref, const rp_cv *cv, double cv_tol) {
  ck_assert_uint_eq(cv->n_relaxed, 4);
  double worst = 0.0;
  for (size_t g = 0; g <= 4; g++) {
    const rp_cv *c = g < 4 ? cv->relaxed[g] : cv;
    ck_assert_double_eq(c->gamma, at(cvref, "gamma", g));
    const cJSON *m = cJSON_GetArrayItem(get(cvref, "cvm"), (int)g);
    const cJSON *s = cJSON_GetArrayItem(get(cvref, "cvsd"), (int)g);
    for (size_t a = 0; a < cv->n_alphas; a++) {
      worst = fmax(worst, tu_relerr(c->mean[a], cJSON_GetArrayItem(m, (int)a)->valuedouble, 1e-12));
      worst = fmax(worst,
                   tu_relerr(c->std_error[a], cJSON_GetArrayItem(s, (int)a)->valuedouble, 1e-12));
    }
  }
  ck_assert_msg(worst < cv_tol, "cvm/cvsd off by %.3g", worst);
  size_t gm, im, gs, is;
  rp_cv_choose_relaxed(cv, &gm, &im, &gs, &is);
  const cJSON *rm = get(cvref, "index_min"), *rs = get(cvref, "index_1se");
  ck_assert_uint_eq(im + 1, (size_t)get(rm, "lambda")->valueint);
  ck_assert_uint_eq(gm + 1, (size_t)get(rm, "gamma")->valueint);
  ck_assert_uint_eq(is + 1, (size_t)get(rs, "lambda")->valueint);
  ck_assert_uint_eq(gs + 1, (size_t)get(rs, "gamma")->valueint);
  printf("  cv: curves within %.2e, min (alpha %zu, gamma %g), 1se (alpha %zu, gamma %g) "
         "(same)\n",
         worst, im + 1, (gm < 4 ? cv->relaxed[gm] : cv)->gamma, is + 1,
         (gs < 4 ? cv->relaxed[gs] : cv)->gamma);
}

static void check_case(const char *name, double cv_tol) {
  relax_case rc = load(name);
  rp_design D = rp_design_matrix(&rc.X);
  const cJSON *foldid = get(rc.ref, "foldid");
  int *folds = malloc(rc.n * sizeof *folds);
  for (size_t i = 0; cJSON_IsArray(foldid) && i < rc.n; i++)
    folds[i] = (int)at(rc.ref, "foldid", i);
  for (int f = 0; f < 2; f++) {
    const cJSON *fit = cJSON_GetArrayItem(get(rc.ref, "fits"), f), *cvref = get(fit, "cv");
    rp_fit_options opt = options_of(&rc, get(fit, "l1_ratio")->valuedouble);
    rp_path *path;
    rp_cv *cv = NULL;
    rp_relaxed *r;
    rp_error err;
    if (cJSON_IsObject(cvref)) {
      opt.relax_gammas = GAMMAS;
      opt.n_relax_gammas = 4;
      ck_assert_int_eq(
          rp_path_cv_fit(&rc.X, rc.y, &opt, folds,
                         rc.family == RP_FAMILY_GAUSSIAN ? RP_METRIC_MSE : RP_METRIC_DEVIANCE,
                         &path, &cv, &err),
          RP_OK);
    } else {
      ck_assert_int_eq(rp_path_fit(&rc.X, rc.y, NULL, 0, &opt, &path, &err), RP_OK);
    }
    ck_assert_int_eq(rp_path_relax(&D, rc.y, NULL, 0, &opt, path, &r, &err), RP_OK);
    check_refits(&rc, fit, path, r);
    if (cv) check_curves(cvref, cv, cv_tol);
    rp_relaxed_free(r);
    rp_cv_free(cv);
    rp_path_free(path);
  }
  free(folds);
  unload(&rc);
}

/* ------------------------------------------------ a singular refit */

/* diabetes with column 0 (age) repeated as an 11th column: the elastic net
 * keeps both copies nonzero (equal halves of age's share), and least
 * squares on both is singular.  Those points get no refit (kept 0, the
 * report's null), and their blends take the last refit made, as points
 * past maxp do; every other point's refit is optimal. */
START_TEST(collinear_active_columns_get_no_refit) {
  relax_case rc = load("diabetes");
  size_t n = rc.n, p = rc.p + 1;
  double *x = malloc(n * p * sizeof *x);
  for (size_t i = 0; i < n * rc.p; i++) x[i] = rc.X.values[(i / n) * rc.X.ld + i % n];
  for (size_t i = 0; i < n; i++) x[rc.p * n + i] = x[i];
  rp_matrix X = {n, p, n, x};
  rp_design D = rp_design_matrix(&X);
  rp_fit_options opt = options_of(&rc, 0.5);
  rp_path *path;
  rp_relaxed *r;
  rp_path *blend;
  rp_error err;
  ck_assert_int_eq(rp_path_fit(&X, rc.y, NULL, 0, &opt, &path, &err), RP_OK);
  ck_assert_int_eq(rp_path_relax(&D, rc.y, NULL, 0, &opt, path, &r, &err), RP_OK);
  ck_assert_int_eq(rp_relaxed_blend(path, r, 0.0, &blend, &err), RP_OK);
  size_t both = 0, last = path->n_alphas;
  for (size_t k = 0; k < path->n_alphas; k++) {
    int twins = path->coef[k * p] != 0.0 && path->coef[k * p + rc.p] != 0.0;
    ck_assert_int_eq(r->kept[k], !twins);
    both += (size_t)twins;
    if (r->kept[k]) last = k;
  }
  ck_assert_msg(both > 10 && last < path->n_alphas, "%zu points with both copies", both);
  for (size_t k = 0; k < path->n_alphas; k++) {
    size_t s = r->kept[k] ? k : last;
    for (size_t j = 0; j < p; j++) ck_assert_double_eq(blend->coef[k * p + j], r->coef[s * p + j]);
  }
  printf("collinear: %zu of %zu points with both copies of age get no refit\n", both,
         path->n_alphas);
  rp_path_free(blend);
  rp_relaxed_free(r);
  rp_path_free(path);
  free(x);
  unload(&rc);
}
END_TEST

/* ------------------------------------------------ the whole run */

/* The config of a run on a case's data with its fold ids, one l1_ratio,
 * model.relax and rule `rule`, at glmnet's thresh. */
static char *run_config(const relax_case *rc, double l1_ratio, const char *rule) {
  size_t size = 512 + 4 * rc->n;
  char *text = malloc(size);
  int len =
      snprintf(text, size,
               "{\"data\": {\"train\": \"%s\"}, \"model\": {\"family\": \"%s\", "
               "\"l1_ratio\": %g, \"convention\": \"glmnet\", \"relax\": true}, "
               "\"path\": {\"tol\": 1e-14, \"gap_tol\": 1e-10, \"extend\": false}, "
               "\"cv\": {\"metric\": \"%s\", \"rule\": \"%s\", \"fold_ids\": [",
               tu_src_path(get(rc->ref, "file")->valuestring), get(rc->ref, "family")->valuestring,
               l1_ratio, get(rc->ref, "measure")->valuestring, rule);
  for (size_t i = 0; i < rc->n; i++)
    len += snprintf(text + len, size - (size_t)len, "%s%d", i ? "," : "",
                    (int)at(rc->ref, "foldid", i));
  snprintf(text + len, size - (size_t)len, "]}}");
  return text;
}

/* regpath's run (model.relax, its default gammas) selects what
 * cv.glmnet(relax = TRUE) selects, for each rule: the same alpha and gamma. */
static void check_run(const char *name) {
  relax_case rc = load(name);
  for (int f = 0; f < 2; f++) {
    const cJSON *fit = cJSON_GetArrayItem(get(rc.ref, "fits"), f), *cvref = get(fit, "cv");
    for (int r = 0; r < 2; r++) {
      const char *rule = r ? "min" : "1se";
      const cJSON *want = get(cvref, r ? "index_min" : "index_1se");
      char *text = run_config(&rc, get(fit, "l1_ratio")->valuedouble, rule);
      rp_run_result *res = tu_run_config_text(text);
      ck_assert_uint_eq(res->n_fits, 5);
      const rp_path *sel = res->paths[res->selected_fit];
      ck_assert_uint_eq(res->selected_index + 1, (size_t)get(want, "lambda")->valueint);
      ck_assert_double_eq(sel->gamma, at(cvref, "gamma", (size_t)get(want, "gamma")->valueint - 1));
      printf("  run %s l1_ratio %g rule %s: alpha %zu, gamma %g (cv.glmnet's)\n", name,
             sel->l1_ratio, rule, res->selected_index + 1, sel->gamma);
      rp_run_free(res);
      free(text);
    }
  }
  unload(&rc);
}

START_TEST(runs_select_as_cv_glmnet_relaxed) {
  check_run("diabetes");
  check_run("pima");
  check_run("poisson_counts");
}
END_TEST

START_TEST(gaussian_relaxed_matches_glmnet) { check_case("diabetes", 1e-5); }
END_TEST
START_TEST(binomial_relaxed_matches_glmnet) { check_case("pima", 1e-4); }
END_TEST
START_TEST(poisson_relaxed_matches_glmnet) { check_case("poisson_counts", 1e-4); }
END_TEST
START_TEST(active_sets_past_n_minus_3_get_no_refit) { check_case("diabetes_small", 0.0); }
END_TEST

static Suite *relax_suite(void) {
  Suite *s = suite_create("relax");
  TCase *tc = tcase_create("glmnet");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, gaussian_relaxed_matches_glmnet);
  tcase_add_test(tc, binomial_relaxed_matches_glmnet);
  tcase_add_test(tc, poisson_relaxed_matches_glmnet);
  tcase_add_test(tc, active_sets_past_n_minus_3_get_no_refit);
  tcase_add_test(tc, runs_select_as_cv_glmnet_relaxed);
  tcase_add_test(tc, collinear_active_columns_get_no_refit);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return tu_run(relax_suite()); }
