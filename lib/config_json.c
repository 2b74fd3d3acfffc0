/* config_json.c: a config as JSON, every key with its value or default
 * (rp_config_to_json). */
#include "config_parse.h"
#include "regpath/table.h"

#include <cjson/cJSON.h>
#include <math.h>

#include "json.h"

static int add_string_or_null(cJSON *obj, const char *name, const char *s) {
  return (s ? cJSON_AddStringToObject(obj, name, s) : cJSON_AddNullToObject(obj, name)) != NULL;
}

static int add_numbers(cJSON *obj, const char *name, const double *x, size_t n) {
  cJSON *array = cJSON_AddArrayToObject(obj, name);
  if (!array) return 0;
  for (size_t i = 0; i < n; i++) {
    cJSON *item = rp_json_number(x[i]);
    if (!item || !cJSON_AddItemToArray(array, item)) {
      cJSON_Delete(item);
      return 0;
    }
  }
  return 1;
}

static int add_numbers_or_null(cJSON *obj, const char *name, const double *x, size_t n) {
  return x ? add_numbers(obj, name, x, n) : cJSON_AddNullToObject(obj, name) != NULL;
}

/* A setting stored as 0 when unset is echoed as null. */
static int add_number_or_null(cJSON *obj, const char *name, double x) {
  return x > 0.0 ? rp_json_add_number(obj, name, x) : cJSON_AddNullToObject(obj, name) != NULL;
}

/* A count stored as 0 when unset, echoed as null. */
static int add_size_or_null(cJSON *obj, const char *name, size_t x) {
  return (x ? cJSON_AddNumberToObject(obj, name, (double)x) : cJSON_AddNullToObject(obj, name)) !=
         NULL;
}

/* An enum value as its config name. */
static int add_name(cJSON *obj, const char *key, const char *const *names, size_t n, int value) {
  return cJSON_AddStringToObject(obj, key, rp_cfg_name_of(names, n, value)) != NULL;
}

static int add_strings(cJSON *obj, const char *name, const char *const *v, size_t n) {
  cJSON *list = cJSON_AddArrayToObject(obj, name);
  for (size_t i = 0; list && i < n; i++) {
    cJSON *item = cJSON_CreateString(v[i]);
    if (!item || !cJSON_AddItemToArray(list, item)) {
      cJSON_Delete(item);
      return 0;
    }
  }
  return list != NULL;
}

/* data.na_values with the default filled in. */
static int add_na_values(cJSON *obj, const rp_config *cfg) {
  size_t n = cfg->n_na_values;
  const char *const *tokens =
      cfg->na_values ? (const char *const *)cfg->na_values : rp_csv_default_na_values(&n);
  return add_strings(obj, "na_values", tokens, n);
}

static int add_categorical(cJSON *obj, const rp_config *cfg) {
  if (cfg->categorical == RP_CATEGORICAL_LIST)
    return add_strings(obj, "categorical", (const char *const *)cfg->categorical_columns,
                       cfg->n_categorical);
  return cJSON_AddStringToObject(obj, "categorical", CATEGORICAL_NAMES[cfg->categorical]) != NULL;
}

/* data.format as the files were read: null when data.train and data.test
 * were each read by their own names' formats and these differ, so that the
 * echoed config reads them the same way again. */
static int add_format(cJSON *obj, const rp_config *cfg) {
  if (!cfg->format_given && cfg->test && cfg->test_format != cfg->format)
    return cJSON_AddNullToObject(obj, "format") != NULL;
  return add_name(obj, "format", FORMAT_NAMES, COUNT(FORMAT_NAMES), (int)cfg->format);
}

/* data.stream as given: "auto", true or false. */
static int add_stream(cJSON *obj, const rp_config *cfg) {
  if (cfg->stream == RP_STREAM_AUTO) return cJSON_AddStringToObject(obj, "stream", "auto") != NULL;
  return cJSON_AddBoolToObject(obj, "stream", cfg->stream == RP_STREAM_ON) != NULL;
}

static int add_data(cJSON *root, const rp_config *cfg) {
  cJSON *s = cJSON_AddObjectToObject(root, "data");
  int train = cfg->n_train_shards ? add_strings(s, "train", (const char *const *)cfg->train_shards,
                                                cfg->n_train_shards)
                                  : add_string_or_null(s, "train", cfg->train);
  if (!s || !train || !add_string_or_null(s, "target", cfg->target) ||
      !add_string_or_null(s, "test", cfg->test) ||
      !add_number_or_null(s, "test_fraction", cfg->test_fraction) ||
      !cJSON_AddNumberToObject(s, "test_seed", (double)cfg->test_seed) ||
      !cJSON_AddNumberToObject(s, "max_line_bytes", (double)cfg->max_line) ||
      !add_string_or_null(s, "id", cfg->id_column) ||
      !add_strings(s, "exclude", (const char *const *)cfg->exclude, cfg->n_exclude) ||
      !add_categorical(s, cfg) || !cJSON_AddBoolToObject(s, "drop_first", cfg->drop_first) ||
      !cJSON_AddNumberToObject(s, "max_levels", (double)cfg->max_levels) ||
      !add_na_values(s, cfg) ||
      !add_name(s, "missing", MISSING_NAMES, COUNT(MISSING_NAMES), (int)cfg->missing) ||
      !add_string_or_null(s, "weights", cfg->weights_column) ||
      !add_string_or_null(s, "offset", cfg->offset_column) || !add_format(s, cfg) ||
      !add_size_or_null(s, "n_features", cfg->fixed_p) ||
      !add_name(s, "storage", STORAGE_NAMES, COUNT(STORAGE_NAMES), (int)cfg->storage) ||
      !add_stream(s, cfg) || !add_number_or_null(s, "memory_limit", cfg->memory_limit))
    return 0;
  if (!cfg->features) return cJSON_AddNullToObject(s, "features") != NULL;
  return add_strings(s, "features", (const char *const *)cfg->features, cfg->n_features);
}

/* A limits key as it was given: a number, an object, or null for none. */
static int add_limits(cJSON *obj, const char *name, const rp_config_limits *lim) {
  if (lim->n == 0)
    return isfinite(lim->all) ? rp_json_add_number(obj, name, lim->all)
                              : cJSON_AddNullToObject(obj, name) != NULL;
  cJSON *o = cJSON_AddObjectToObject(obj, name);
  for (size_t i = 0; o && i < lim->n; i++)
    if (!rp_json_add_number(o, lim->names[i], lim->values[i])) return 0;
  return o != NULL;
}

static int add_model(cJSON *root, const rp_config *cfg) {
  cJSON *s = cJSON_AddObjectToObject(root, "model");
  int ok =
      s && add_name(s, "family", FAMILY_NAMES, COUNT(FAMILY_NAMES), (int)cfg->family) &&
      add_numbers(s, "l1_ratio", cfg->l1_ratios, cfg->n_l1_ratios) &&
      cJSON_AddBoolToObject(s, "standardize", cfg->standardize) &&
      cJSON_AddBoolToObject(s, "fit_intercept", cfg->fit_intercept) &&
      add_name(s, "convention", CONVENTION_NAMES, COUNT(CONVENTION_NAMES), (int)cfg->convention);
  ok = ok && add_string_or_null(s, "positive_class", cfg->positive_class);
  cJSON *pf = ok ? cJSON_AddObjectToObject(s, "penalty_factor") : NULL;
  for (size_t i = 0; pf && i < cfg->n_pf; i++)
    if (!rp_json_add_number(pf, cfg->pf_names[i], cfg->pf_values[i])) return 0;
  return pf && add_limits(s, "lower_limits", &cfg->lower_limits) &&
         add_limits(s, "upper_limits", &cfg->upper_limits) &&
         cJSON_AddBoolToObject(s, "positive", cfg->positive) &&
         cJSON_AddBoolToObject(s, "multinomial_grouped", cfg->multinomial_grouped) &&
         cJSON_AddBoolToObject(s, "relax", cfg->relax) &&
         add_numbers_or_null(s, "gamma", cfg->gammas, cfg->n_gammas);
}

static int add_path(cJSON *root, const rp_config *cfg) {
  cJSON *s = cJSON_AddObjectToObject(root, "path");
  return s && cJSON_AddNumberToObject(s, "n_alphas", (double)cfg->n_alphas) &&
         add_number_or_null(s, "alpha_min_ratio", cfg->alpha_min_ratio) &&
         add_numbers_or_null(s, "alphas", cfg->alphas, cfg->n_explicit) &&
         add_name(s, "alpha_units", ALPHA_UNIT_NAMES, COUNT(ALPHA_UNIT_NAMES),
                  cfg->alphas_sklearn) &&
         rp_json_add_number(s, "tol", cfg->tol) && rp_json_add_number(s, "gap_tol", cfg->gap_tol) &&
         cJSON_AddNumberToObject(s, "max_iter", (double)cfg->max_iter) &&
         cJSON_AddBoolToObject(s, "early_stop", cfg->early_stop) &&
         cJSON_AddBoolToObject(s, "extend", cfg->extend) &&
         cJSON_AddNumberToObject(s, "extend_max", (double)cfg->extend_max);
}

static int add_cv(cJSON *root, const rp_config *cfg) {
  cJSON *s = cJSON_AddObjectToObject(root, "cv");
  int ok = s && cJSON_AddNumberToObject(s, "folds", (double)cfg->folds) &&
           cJSON_AddNumberToObject(s, "seed", (double)cfg->seed) &&
           add_name(s, "metric", METRIC_NAMES, RP_N_METRICS, (int)cfg->metric) &&
           cJSON_AddBoolToObject(s, "stratified", cfg->stratified) &&
           add_name(s, "rule", RULE_NAMES, COUNT(RULE_NAMES), (int)cfg->rule) &&
           add_name(s, "fold_grid", FOLD_GRID_NAMES, COUNT(FOLD_GRID_NAMES), (int)cfg->fold_grid) &&
           (cfg->cv_keep == 2 ? cJSON_AddStringToObject(s, "keep", "path") != NULL
                              : cJSON_AddBoolToObject(s, "keep", cfg->cv_keep) != NULL) &&
           cJSON_AddNumberToObject(s, "repeats", (double)cfg->cv_repeats);
  if (!ok) return 0;
  if (!cfg->fold_ids) return add_string_or_null(s, "fold_ids", cfg->fold_column);
  cJSON *list = cJSON_AddArrayToObject(s, "fold_ids");
  for (size_t i = 0; list && i < cfg->n_fold_ids; i++) {
    cJSON *item = cJSON_CreateNumber(cfg->fold_ids[i]);
    if (!item || !cJSON_AddItemToArray(list, item)) {
      cJSON_Delete(item);
      return 0;
    }
  }
  return list != NULL;
}

static int add_output(cJSON *root, const rp_config *cfg) {
  cJSON *s = cJSON_AddObjectToObject(root, "output");
  return s && add_string_or_null(s, "dir", cfg->output_dir) &&
         cJSON_AddBoolToObject(s, "plots", cfg->plots) &&
         add_name(s, "render", RENDER_NAMES, COUNT(RENDER_NAMES), (int)cfg->render) &&
         add_name(s, "log_base", LOG_BASE_NAMES, COUNT(LOG_BASE_NAMES), (int)cfg->log_base);
}

cJSON *rp_config_to_json(const rp_config *cfg) {
  if (!cfg) return NULL;
  cJSON *root = cJSON_CreateObject();
  if (!root || !add_data(root, cfg) || !add_model(root, cfg) || !add_path(root, cfg) ||
      !add_cv(root, cfg) || !add_output(root, cfg)) {
    cJSON_Delete(root);
    return NULL;
  }
  return root;
}
