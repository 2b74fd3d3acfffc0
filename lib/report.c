/* report.c: report.json (schema in README.md). */
#include "config.h"
#include "regpath/report.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"

static const char *metric_name(rp_metric m) { return m == RP_METRIC_MAE ? "mae" : "mse"; }
static const char *rule_name(rp_rule r) { return r == RP_RULE_MIN ? "min" : "1se"; }

static cJSON *doubles(const double *v, size_t n) {
  cJSON *a = cJSON_CreateArray();
  for (size_t i = 0; a && i < n; i++) cJSON_AddItemToArray(a, cJSON_CreateNumber(v[i]));
  return a;
}

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

static cJSON *strings(char *const *v, size_t n) {
  cJSON *a = cJSON_CreateArray();
  for (size_t i = 0; a && i < n; i++) cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
  return a;
}

static cJSON *path_json(const rp_path *path) {
  cJSON *o = cJSON_CreateObject(), *coef = cJSON_CreateArray();
  for (size_t k = 0; k < path->n_alphas; k++)
    cJSON_AddItemToArray(coef, doubles(path->coef + k * path->p, path->p));
  cJSON_AddItemToObject(o, "alphas", doubles(path->alphas, path->n_alphas));
  cJSON_AddItemToObject(o, "intercept", doubles(path->intercept, path->n_alphas));
  cJSON_AddItemToObject(o, "coef", coef);
  cJSON_AddItemToObject(o, "df", sizes(path->df, path->n_alphas));
  cJSON_AddItemToObject(o, "dev_ratio", doubles(path->dev_ratio, path->n_alphas));
  cJSON_AddItemToObject(o, "n_iter", longs(path->n_iter, path->n_alphas));
  cJSON_AddItemToObject(o, "dual_gap", doubles(path->dual_gap, path->n_alphas));
  cJSON_AddItemToObject(o, "converged", flags(path->converged, path->n_alphas));
  cJSON_AddNumberToObject(o, "null_objective", path->null_objective);
  return o;
}

static cJSON *cv_json(const rp_cv *cv, rp_metric metric) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "metric", metric_name(metric));
  cJSON_AddNumberToObject(o, "folds", (double)cv->n_folds);
  cJSON_AddItemToObject(o, "mean", doubles(cv->mean, cv->n_alphas));
  cJSON_AddItemToObject(o, "std_error", doubles(cv->std_error, cv->n_alphas));
  cJSON_AddNumberToObject(o, "index_min", (double)cv->index_min);
  cJSON_AddNumberToObject(o, "alpha_min", cv->alpha_min);
  cJSON_AddNumberToObject(o, "index_1se", (double)cv->index_1se);
  cJSON_AddNumberToObject(o, "alpha_1se", cv->alpha_1se);
  return o;
}

static cJSON *fits_json(const rp_config *cfg, const rp_run_result *res) {
  cJSON *fits = cJSON_CreateArray();
  for (size_t f = 0; f < res->n_fits; f++) {
    cJSON *fit = cJSON_CreateObject();
    cJSON_AddNumberToObject(fit, "l1_ratio", res->paths[f]->l1_ratio);
    cJSON_AddNumberToObject(fit, "alpha_max", res->paths[f]->alpha_max);
    cJSON_AddItemToObject(fit, "path", path_json(res->paths[f]));
    cJSON_AddItemToObject(fit, "cv", cv_json(res->cvs[f], cfg->metric));
    cJSON_AddItemToArray(fits, fit);
  }
  return fits;
}

static cJSON *selected_json(const rp_run_result *res) {
  const rp_path *path = res->paths[res->selected_fit];
  const rp_cv *cv = res->cvs[res->selected_fit];
  size_t k = res->selected_index;
  const double *coef = path->coef + k * path->p;
  cJSON *o = cJSON_CreateObject(), *named = cJSON_CreateObject(), *nonzero = cJSON_CreateArray();
  for (size_t j = 0; j < path->p; j++) {
    cJSON_AddNumberToObject(named, res->feature_names[j], coef[j]);
    if (coef[j] != 0.0) cJSON_AddItemToArray(nonzero, cJSON_CreateString(res->feature_names[j]));
  }
  cJSON_AddStringToObject(o, "rule", rule_name(res->rule));
  cJSON_AddNumberToObject(o, "fit", (double)res->selected_fit);
  cJSON_AddNumberToObject(o, "l1_ratio", path->l1_ratio);
  cJSON_AddNumberToObject(o, "alpha", path->alphas[k]);
  cJSON_AddNumberToObject(o, "index", (double)k);
  cJSON_AddNumberToObject(o, "intercept", path->intercept[k]);
  cJSON_AddItemToObject(o, "coef", named);
  cJSON_AddItemToObject(o, "nonzero", nonzero);
  cJSON_AddNumberToObject(o, "cv_mean", cv->mean[k]);
  cJSON_AddNumberToObject(o, "cv_std_error", cv->std_error[k]);
  return o;
}

static cJSON *data_json(const rp_run_result *res) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "n_samples", (double)res->n_samples);
  cJSON_AddNumberToObject(o, "n_features", (double)res->n_features);
  cJSON_AddItemToObject(o, "feature_names", strings(res->feature_names, res->n_features));
  cJSON_AddStringToObject(o, "target", res->target);
  return o;
}

static cJSON *scores_json(rp_scores sc) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "mse", sc.mse);
  cJSON_AddNumberToObject(o, "mae", sc.mae);
  cJSON_AddNumberToObject(o, "r2", sc.r2);
  return o;
}

/* test: {n_samples, source, selected {mse, mae, r2}, fits [{mse [], mae [], r2 []}]} */
static cJSON *test_json(const rp_config *cfg, const rp_run_result *res) {
  if (!res->n_test) return cJSON_CreateNull();
  cJSON *o = cJSON_CreateObject(), *fits = cJSON_CreateArray();
  cJSON_AddNumberToObject(o, "n_samples", (double)res->n_test);
  cJSON_AddStringToObject(o, "source", cfg->test ? cfg->test : "data.test_fraction");
  cJSON_AddItemToObject(o, "selected", scores_json(res->test_scores[res->selected_fit][res->selected_index]));
  for (size_t f = 0; f < res->n_fits; f++) {
    size_t K = res->paths[f]->n_alphas;
    double *v = malloc(3 * K * sizeof *v);
    cJSON *fit = cJSON_CreateObject();
    for (size_t k = 0; v && k < K; k++) {
      v[k] = res->test_scores[f][k].mse;
      v[K + k] = res->test_scores[f][k].mae;
      v[2 * K + k] = res->test_scores[f][k].r2;
    }
    if (v) {
      cJSON_AddItemToObject(fit, "mse", doubles(v, K));
      cJSON_AddItemToObject(fit, "mae", doubles(v + K, K));
      cJSON_AddItemToObject(fit, "r2", doubles(v + 2 * K, K));
    }
    free(v);
    cJSON_AddItemToArray(fits, fit);
  }
  cJSON_AddItemToObject(o, "fits", fits);
  return o;
}

static cJSON *timing_json(const rp_run_result *res) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "load_s", res->load_s);
  cJSON_AddNumberToObject(o, "path_s", res->path_s);
  cJSON_AddNumberToObject(o, "cv_s", res->cv_s);
  cJSON_AddNumberToObject(o, "total_s", res->total_s);
  return o;
}

char *rp_report_json(const rp_config *cfg, const rp_run_result *res) {
  cJSON *root = cJSON_CreateObject();
  cJSON_AddNumberToObject(root, "schema_version", RP_REPORT_SCHEMA_VERSION);
  cJSON_AddStringToObject(root, "regpath_version", PACKAGE_VERSION);
  cJSON_AddItemToObject(root, "config", rp_config_to_json(cfg));
  cJSON_AddItemToObject(root, "data", data_json(res));
  cJSON_AddItemToObject(root, "fits", fits_json(cfg, res));
  cJSON_AddItemToObject(root, "selected", selected_json(res));
  cJSON_AddItemToObject(root, "test", test_json(cfg, res));
  cJSON *folds = cJSON_CreateIntArray(res->fold_ids, (int)res->n_samples);
  cJSON_AddItemToObject(root, "fold_ids", folds);
  cJSON_AddItemToObject(root, "warnings", strings(res->warnings, res->n_warnings));
  cJSON_AddItemToObject(root, "timing", timing_json(res));
  char *text = cJSON_Print(root);
  cJSON_Delete(root);
  return text;
}

rp_status rp_report_write(const rp_config *cfg, const rp_run_result *res, const char *dir,
                          rp_error *err) {
  char *text = rp_report_json(cfg, res);
  if (!text) return rp_error_set(err, RP_ENOMEM, "out of memory for the report");
  rp_output *out;
  rp_status st = rp_output_open(dir, &out, err);
  if (st == RP_OK) st = rp_output_add(out, "report.json", text, strlen(text), err);
  if (st == RP_OK) st = rp_output_commit(out, err);
  rp_output_free(out);
  free(text);
  return st;
}
