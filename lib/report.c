/* report.c: report.json (schema in README.md). */
#include "build-config.h"
#include "regpath/report.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regpath/plots.h"
#include "coef_json.h"
#include "documents.h"
#include "encode_json.h"
#include "json.h"

static const char *rule_name(rp_rule r) { return r == RP_RULE_MIN ? "min" : "1se"; }

static cJSON *sizes(const size_t *v, size_t n) {
  cJSON *a = cJSON_CreateArray();
  for (size_t i = 0; a && i < n; i++) cJSON_AddItemToArray(a, cJSON_CreateNumber((double)v[i]));
  return a;
}

static cJSON *longs(const long *v, size_t n) {
  cJSON *a = cJSON_CreateArray();
  for (size_t i = 0; a && i < n; i++) cJSON_AddItemToArray(a, cJSON_CreateNumber((double)v[i]));
  return a;
}

static cJSON *flags(const int *v, size_t n) {
  cJSON *a = cJSON_CreateArray();
  for (size_t i = 0; a && i < n; i++) cJSON_AddItemToArray(a, cJSON_CreateBool(v[i]));
  return a;
}

static cJSON *path_json(const rp_path *path) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddItemToObject(o, "alphas", rp_json_numbers(path->alphas, path->n_alphas));
  rp_coef_path_json(o, path->intercept, path->coef, path->n_alphas,
                    path->n_classes ? path->n_classes : 1, path->p);
  cJSON_AddItemToObject(o, "df", sizes(path->df, path->n_alphas));
  cJSON_AddItemToObject(o, "dev_ratio", rp_json_numbers(path->dev_ratio, path->n_alphas));
  cJSON_AddItemToObject(o, "n_iter", longs(path->n_iter, path->n_alphas));
  cJSON_AddItemToObject(o, "dual_gap", rp_json_numbers(path->dual_gap, path->n_alphas));
  cJSON_AddItemToObject(o, "converged", flags(path->converged, path->n_alphas));
  rp_json_add_number(o, "null_objective", path->null_objective);
  rp_json_add_number(o, "null_deviance", path->null_deviance);
  cJSON_AddBoolToObject(o, "saturated", path->saturated);
  return o;
}

/* A penalized path's refits (model.relax): null where a point has none. */
static cJSON *relaxed_json(const rp_relaxed *r) {
  cJSON *o = cJSON_CreateObject(), *b0 = cJSON_CreateArray(), *coef = cJSON_CreateArray();
  for (size_t k = 0; k < r->n_alphas; k++) {
    cJSON_AddItemToArray(b0, r->kept[k] ? rp_json_number(r->intercept[k]) : cJSON_CreateNull());
    cJSON_AddItemToArray(coef, r->kept[k] ? rp_json_numbers(r->coef + k * r->p, r->p)
                                          : cJSON_CreateNull());
  }
  cJSON_AddItemToObject(o, "intercept", b0);
  cJSON_AddItemToObject(o, "coef", coef);
  cJSON_AddItemToObject(o, "kept", flags(r->kept, r->n_alphas));
  cJSON_AddItemToObject(o, "dev_ratio", rp_json_numbers(r->dev_ratio, r->n_alphas));
  cJSON_AddItemToObject(o, "kkt", rp_json_numbers(r->kkt, r->n_alphas));
  cJSON_AddItemToObject(o, "saturated", flags(r->saturated, r->n_alphas));
  return o;
}

static cJSON *cv_json(const rp_cv *cv, rp_metric metric) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "metric", rp_metric_name(metric));
  cJSON_AddBoolToObject(o, "larger_is_better", cv->larger_is_better);
  cJSON_AddNumberToObject(o, "folds", (double)(cv->n_folds / cv->n_repeats));
  cJSON_AddNumberToObject(o, "repeats", (double)cv->n_repeats);
  cJSON_AddItemToObject(o, "mean", rp_json_numbers(cv->mean, cv->n_alphas));
  cJSON_AddItemToObject(o, "std_error", rp_json_numbers(cv->std_error, cv->n_alphas));
  cJSON_AddNumberToObject(o, "index_min", (double)cv->index_min);
  rp_json_add_number(o, "alpha_min", cv->alpha_min);
  cJSON_AddNumberToObject(o, "index_1se", (double)cv->index_1se);
  rp_json_add_number(o, "alpha_1se", cv->alpha_1se);
  return o;
}

static cJSON *fits_json(const rp_config *cfg, const rp_run_result *res) {
  cJSON *fits = cJSON_CreateArray();
  for (size_t f = 0; f < res->n_fits; f++) {
    cJSON *fit = cJSON_CreateObject();
    rp_json_add_number(fit, "l1_ratio", res->paths[f]->l1_ratio);
    rp_json_add_number(fit, "gamma", res->paths[f]->gamma);
    rp_json_add_number(fit, "alpha_max", res->paths[f]->alpha_max);
    cJSON_AddNumberToObject(fit, "grid_extended", (double)res->grid_extended[f]);
    cJSON *path = path_json(res->paths[f]);
    if (res->relaxed && res->relaxed[f])
      cJSON_AddItemToObject(path, "relaxed", relaxed_json(res->relaxed[f]));
    cJSON_AddItemToObject(fit, "path", path);
    cJSON_AddItemToObject(fit, "cv", cv_json(res->cvs[f], cfg->metric));
    cJSON_AddItemToArray(fits, fit);
  }
  return fits;
}

/* The selected point's intercept and coef: {feature: b_j}, or for a
 * multinomial fit one such object per class and a list of intercepts; and
 * the features nonzero (in any class). */
static void add_selected_coef(cJSON *o, const rp_run_result *res) {
  const rp_path *path = res->paths[res->selected_fit];
  size_t k = res->selected_index, p = path->p, K = path->n_classes ? path->n_classes : 1;
  const double *coef = path->coef + k * K * p;
  cJSON *nonzero = cJSON_CreateArray();
  for (size_t j = 0; j < p; j++) {
    int any = 0;
    for (size_t c = 0; c < K; c++) any |= coef[c * p + j] != 0.0;
    if (any) cJSON_AddItemToArray(nonzero, cJSON_CreateString(res->feature_names[j]));
  }
  rp_json_add(o, "intercept", rp_coef_intercept_json(path->intercept + k * K, K));
  rp_json_add(o, "coef", rp_coef_named_json(res->feature_names, coef, K, p));
  cJSON_AddItemToObject(o, "nonzero", nonzero);
}

static cJSON *selected_json(const rp_run_result *res) {
  const rp_path *path = res->paths[res->selected_fit];
  const rp_cv *cv = res->cvs[res->selected_fit];
  size_t k = res->selected_index;
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "rule", rule_name(res->rule));
  cJSON_AddNumberToObject(o, "fit", (double)res->selected_fit);
  rp_json_add_number(o, "l1_ratio", path->l1_ratio);
  rp_json_add_number(o, "gamma", path->gamma);
  rp_json_add_number(o, "alpha", path->alphas[k]);
  cJSON_AddNumberToObject(o, "index", (double)k);
  add_selected_coef(o, res);
  rp_json_add_number(o, "cv_mean", cv->mean[k]);
  rp_json_add_number(o, "cv_std_error", cv->std_error[k]);
  return o;
}

static cJSON *scores_json(rp_family family, rp_scores sc) {
  cJSON *o = cJSON_CreateObject();
  const char *names[3];
  double values[3];
  rp_scores_named(family, &sc, names, values);
  for (size_t i = 0; i < 3; i++) rp_json_add_number(o, names[i], values[i]);
  return o;
}

/* One row per l1_ratio: its best CV mean and where its rule points are. */
static cJSON *comparison_json(const rp_run_result *res) {
  cJSON *rows = cJSON_CreateArray();
  for (size_t f = 0; f < res->n_fits; f++) {
    const rp_path *path = res->paths[f];
    const rp_cv *cv = res->cvs[f];
    size_t m = cv->index_min, s = cv->index_1se;
    cJSON *o = cJSON_CreateObject();
    rp_json_add_number(o, "l1_ratio", path->l1_ratio);
    rp_json_add_number(o, "gamma", path->gamma);
    cJSON_AddStringToObject(o, "penalty", rp_penalty_name(path->l1_ratio));
    rp_json_add_number(o, "cv_mean_min", cv->mean[m]);
    rp_json_add_number(o, "cv_std_error_min", cv->std_error[m]);
    rp_json_add_number(o, "alpha_min", cv->alpha_min);
    cJSON_AddNumberToObject(o, "nonzero_min", (double)path->df[m]);
    rp_json_add_number(o, "cv_mean_1se", cv->mean[s]);
    rp_json_add_number(o, "alpha_1se", cv->alpha_1se);
    cJSON_AddNumberToObject(o, "nonzero_1se", (double)path->df[s]);
    if (res->n_test) {
      cJSON_AddItemToObject(o, "test_min", scores_json(res->family, res->test_scores[f][m]));
      cJSON_AddItemToObject(o, "test_1se", scores_json(res->family, res->test_scores[f][s]));
    }
    cJSON_AddBoolToObject(o, "selected", f == res->selected_fit);
    cJSON_AddItemToArray(rows, o);
  }
  return rows;
}

/* For the fits with an L1 part: the order in which features enter the path,
 * and the fraction of CV folds in which each is nonzero at the fit's rule point. */
static cJSON *features_json(const rp_run_result *res) {
  cJSON *list = cJSON_CreateArray();
  for (size_t f = 0; f < res->n_fits; f++) {
    const rp_path *path = res->paths[f];
    const rp_cv *cv = res->cvs[f];
    if (path->l1_ratio == 0.0) continue;
    size_t k = f == res->selected_fit ? res->selected_index : rp_run_rule_index(res, f);
    cJSON *o = cJSON_CreateObject(), *entry = cJSON_CreateArray(), *frac = cJSON_CreateObject();
    rp_json_add_number(o, "l1_ratio", path->l1_ratio);
    rp_json_add_number(o, "alpha", path->alphas[k]);
    /* Each feature's entry once: asked inside the loop over alphas, it made
     * the report quadratic in the number of alphas. */
    size_t *entered = malloc((path->p ? path->p : 1) * sizeof *entered);
    for (size_t j = 0; entered && j < path->p; j++) entered[j] = rp_path_entry_index(path, j);
    for (size_t at = 0; entered && at < path->n_alphas; at++)
      for (size_t j = 0; j < path->p; j++)
        if (entered[j] == at) {
          cJSON *e = cJSON_CreateObject();
          cJSON_AddStringToObject(e, "feature", res->feature_names[j]);
          rp_json_add_number(e, "alpha", path->alphas[at]);
          cJSON_AddNumberToObject(e, "index", (double)at);
          cJSON_AddItemToArray(entry, e);
        }
    free(entered);
    for (size_t j = 0; j < path->p; j++)
      rp_json_add_number(frac, res->feature_names[j],
                         (double)cv->fold_nonzero[k * cv->p + j] / (double)cv->n_folds);
    cJSON_AddItemToObject(o, "entry", entry);
    cJSON_AddItemToObject(o, "fold_fraction", frac);
    cJSON_AddItemToArray(list, o);
  }
  return list;
}

static cJSON *why_json(const rp_config *cfg, const rp_run_result *res) {
  char text[512];
  size_t r = rp_run_runner_up(res);
  cJSON *o = cJSON_CreateObject();
  rp_run_explain(res, cfg->metric, text, sizeof text);
  cJSON_AddStringToObject(o, "text", text);
  if (r < res->n_fits)
    rp_json_add_number(o, "runner_up_l1_ratio", res->paths[r]->l1_ratio);
  else
    cJSON_AddNullToObject(o, "runner_up_l1_ratio");
  rp_json_add_number(o, "margin_se", rp_run_margin_se(res));
  cJSON_AddStringToObject(
      o, "rule_text",
      res->relaxed && res->n_fits == res->n_relax_gammas + 1
          ? (res->rule == RP_RULE_MIN
                 ? "the (gamma, alpha) pair with the smallest CV mean (cv.glmnet(relax = TRUE)'s "
                   "lambda.min)"
                 : "the largest alpha, then the largest gamma, whose CV mean is within one "
                   "standard error of the overall minimum (cv.glmnet(relax = TRUE)'s lambda.1se)")
      : res->n_fits == 1
          ? (res->rule == RP_RULE_MIN ? "the alpha with the smallest CV mean"
                                      : "the largest alpha whose CV mean is within one standard "
                                        "error of the minimum (cv.glmnet's lambda.1se)")
          : (res->rule == RP_RULE_MIN
                 ? "the (l1_ratio, alpha) pair with the smallest CV mean"
                 : "among (l1_ratio, alpha) pairs whose CV mean is within one standard error of "
                   "the overall minimum, the fewest nonzero coefficients; ties to the larger "
                   "alpha, then the larger l1_ratio"));
  return o;
}

static cJSON *name_or_null(const char *s) { return s ? cJSON_CreateString(s) : cJSON_CreateNull(); }

/* Issue 16: the table as read and how it became X. */
static cJSON *table_json(cJSON *o, const rp_run_result *res) {
  const rp_recipe *r = res->recipe;
  static const char *const missing[] = {"error", "drop", "mean"};
  cJSON *dropped = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "rows_read", (double)res->n_rows_read);
  cJSON_AddNumberToObject(dropped, "missing_target", (double)res->n_dropped_target);
  cJSON_AddNumberToObject(dropped, "missing_values", (double)res->n_dropped_missing);
  cJSON_AddItemToObject(o, "rows_dropped", dropped);
  cJSON_AddStringToObject(o, "missing", missing[r->missing]);
  cJSON_AddItemToObject(o, "imputation", rp_recipe_impute_json(r));
  cJSON_AddItemToObject(o, "categorical", rp_recipe_levels_json(r));
  cJSON_AddBoolToObject(o, "drop_first", r->drop_first);
  cJSON_AddItemToObject(o, "id", name_or_null(r->id));
  cJSON_AddItemToObject(o, "exclude",
                        rp_json_strings((const char *const *)r->exclude, r->n_exclude));
  cJSON_AddItemToObject(o, "weights", name_or_null(r->weights));
  cJSON_AddItemToObject(o, "offset", name_or_null(r->offset));
  return o;
}

/* Issue 19: how data.train was read and how X was held for the fits. */
static void storage_json(cJSON *o, const rp_config *cfg, const rp_run_result *res) {
  cJSON_AddStringToObject(o, "format", rp_data_format_name(cfg->format));
  cJSON_AddStringToObject(o, "storage", res->sparse ? "sparse" : "dense");
  cJSON_AddNumberToObject(o, "nnz", (double)res->nnz);
  cJSON_AddBoolToObject(o, "streamed", res->summed != NULL); /* issue 20: data.stream */
}

static cJSON *data_json(const rp_config *cfg, const rp_run_result *res) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "n_samples", (double)res->n_samples);
  cJSON_AddNumberToObject(o, "n_features", (double)res->n_features);
  cJSON_AddItemToObject(o, "feature_names",
                        rp_json_strings((const char *const *)res->feature_names, res->n_features));
  cJSON_AddStringToObject(o, "target", res->target);
  if (res->classes.n) rp_json_add_classes(o, &res->classes);
  storage_json(o, cfg, res);
  return res->recipe ? table_json(o, res) : o;
}

/* test: {n_samples, source, selected {scores}, fits [{score: [per alpha]}]}
 * with the family's scores: mse, mae, r2 (gaussian); deviance, accuracy, auc
 * (binomial); deviance, mse, mae (poisson). */
static cJSON *test_json(const rp_config *cfg, const rp_run_result *res) {
  if (!res->n_test) return cJSON_CreateNull();
  cJSON *o = cJSON_CreateObject(), *fits = cJSON_CreateArray();
  cJSON_AddNumberToObject(o, "n_samples", (double)res->n_test);
  cJSON_AddStringToObject(o, "source", cfg->test ? cfg->test : "data.test_fraction");
  cJSON_AddStringToObject(o, "format",
                          rp_data_format_name(cfg->test ? cfg->test_format : cfg->format));
  cJSON_AddItemToObject(
      o, "selected",
      scores_json(res->family, res->test_scores[res->selected_fit][res->selected_index]));
  for (size_t f = 0; f < res->n_fits; f++) {
    size_t K = res->paths[f]->n_alphas;
    double *v = malloc(3 * K * sizeof *v), values[3];
    const char *names[3];
    cJSON *fit = cJSON_CreateObject();
    for (size_t k = 0; v && k < K; k++) {
      rp_scores_named(res->family, &res->test_scores[f][k], names, values);
      for (size_t i = 0; i < 3; i++) v[i * K + k] = values[i];
    }
    for (size_t i = 0; v && K && i < 3; i++)
      cJSON_AddItemToObject(fit, names[i], rp_json_numbers(v + i * K, K));
    free(v);
    cJSON_AddItemToArray(fits, fit);
  }
  cJSON_AddItemToObject(o, "fits", fits);
  return o;
}

static cJSON *timing_json(const rp_run_result *res) {
  cJSON *o = cJSON_CreateObject();
  rp_json_add_number(o, "load_s", res->load_s);
  rp_json_add_number(o, "path_s", res->path_s);
  rp_json_add_number(o, "cv_s", res->cv_s);
  rp_json_add_number(o, "total_s", res->total_s);
  return o;
}

/* The names of the files a run writes, so scripts need not guess them. */
static cJSON *files_json(const rp_config *cfg, const rp_run_result *res, const char *fmt) {
  cJSON *o = cJSON_CreateObject(), *fits = cJSON_CreateArray();
  char name[128];
  cJSON_AddStringToObject(o, "report", "report.json");
  cJSON_AddStringToObject(o, "model", "model.json");
  if (cfg->cv_keep)
    cJSON_AddStringToObject(o, "cv_predictions", "cv_predictions.csv");
  else
    cJSON_AddNullToObject(o, "cv_predictions");
  if (cfg->cv_keep == 2)
    cJSON_AddStringToObject(o, "cv_predictions_path", "cv_predictions_path.csv");
  else
    cJSON_AddNullToObject(o, "cv_predictions_path");
  for (size_t f = 0; cfg->plots && f < res->n_fits; f++) {
    static const char *const kinds[] = {"path", "cv"};
    cJSON *fit = cJSON_CreateObject();
    for (size_t k = 0; k < 2; k++) {
      char key[32];
      static const char *const exts[] = {"dat", "gp"};
      for (size_t e = 0; e < 2; e++) {
        rp_plot_file_name(res, f, kinds[k], exts[e], name, sizeof name);
        snprintf(key, sizeof key, "%s_%s", kinds[k], e == 0 ? "data" : "script");
        cJSON_AddStringToObject(fit, key, name);
      }
      snprintf(key, sizeof key, "%s_image", kinds[k]);
      rp_plot_file_name(res, f, kinds[k], fmt ? fmt : "png", name, sizeof name);
      if (fmt)
        cJSON_AddStringToObject(fit, key, name);
      else
        cJSON_AddNullToObject(fit, key);
    }
    cJSON_AddItemToArray(fits, fit);
  }
  cJSON_AddItemToObject(o, "plots", fits);
  int compare = cfg->plots && res->n_fits > 1;
  snprintf(name, sizeof name, "compare.%s", fmt ? fmt : "png");
  if (compare)
    cJSON_AddStringToObject(o, "compare_script", "compare.gp");
  else
    cJSON_AddNullToObject(o, "compare_script");
  if (compare && fmt)
    cJSON_AddStringToObject(o, "compare_image", name);
  else
    cJSON_AddNullToObject(o, "compare_image");
  return o;
}

cJSON *rp_report_tree(const rp_config *cfg, const rp_run_result *res, const char *image_format) {
  cJSON *root = cJSON_CreateObject();
  cJSON_AddNumberToObject(root, "schema_version", RP_REPORT_SCHEMA_VERSION);
  cJSON_AddStringToObject(root, "regpath_version", PACKAGE_VERSION);
  cJSON_AddItemToObject(root, "config", rp_config_to_json(cfg));
  cJSON_AddItemToObject(root, "data", data_json(cfg, res));
  cJSON_AddItemToObject(root, "fits", fits_json(cfg, res));
  cJSON *selected = selected_json(res);
  cJSON_AddItemToObject(selected, "why", why_json(cfg, res));
  cJSON_AddItemToObject(root, "selected", selected);
  cJSON_AddItemToObject(root, "comparison", comparison_json(res));
  cJSON_AddItemToObject(root, "features", features_json(res));
  cJSON_AddItemToObject(root, "test", test_json(cfg, res));
  cJSON_AddItemToObject(root, "fold_ids", rp_json_ints_view(res->fold_ids, res->n_samples));
  cJSON_AddNumberToObject(root, "cv_repeats", (double)res->n_repeats);
  cJSON *draws = res->n_repeats > 1 ? cJSON_CreateArray() : cJSON_CreateNull();
  for (size_t r = 0; res->n_repeats > 1 && r < res->n_repeats; r++)
    cJSON_AddItemToArray(
        draws, rp_json_ints_view(res->repeat_fold_ids + r * res->n_samples, res->n_samples));
  cJSON_AddItemToObject(root, "fold_ids_by_repeat", draws);
  cJSON_AddItemToObject(root, "warnings",
                        rp_json_strings((const char *const *)res->warnings, res->n_warnings));
  cJSON_AddItemToObject(root, "files", files_json(cfg, res, image_format));
  cJSON_AddItemToObject(root, "timing", timing_json(res));
  return root;
}

char *rp_report_json(const rp_config *cfg, const rp_run_result *res, const char *image_format) {
  cJSON *root = rp_report_tree(cfg, res, image_format);
  char *text = rp_json_print(root);
  cJSON_Delete(root);
  return text;
}
