/* model.c: the selected model alone, and model.json (see regpath/model.h;
 * the file format is in README.md "model.json"); its predictions are
 * model_predict.c's. */
#define _POSIX_C_SOURCE 200809L
#include "build-config.h"
#include "regpath/model.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coef_json.h"
#include "documents.h"
#include "encode.h"
#include "model_path.h"
#include "model_recipe.h"
#include "encode_json.h"
#include "fileio.h"
#include "json.h"
#include "text.h"

#define MODEL_FORMAT "regpath-model"
#define MODEL_FORMAT_VERSION 1

/* model.json's family names, in rp_family order (NULL-terminated for reading). */
static const char *const FAMILIES[] = {"gaussian", "binomial", "poisson", "multinomial", NULL};

/* ------------------------------------------------------------ the object */

/* A model with room for p features (names NULL, numbers 0), or NULL. */
static rp_model *model_alloc(size_t p) {
  rp_model *m = calloc(1, sizeof *m);
  if (!m) return NULL;
  size_t n = p ? p : 1;
  m->n_features = p;
  m->gamma = 1.0;
  m->feature_names = calloc(n, sizeof *m->feature_names);
  m->coef = calloc(n, sizeof *m->coef);
  m->mean = calloc(n, sizeof *m->mean);
  m->scale = calloc(n, sizeof *m->scale);
  if (!m->feature_names || !m->coef || !m->mean || !m->scale) {
    rp_model_free(m);
    return NULL;
  }
  return m;
}

size_t rp_model_n_predictors(const rp_model *m) {
  return m->family == RP_FAMILY_MULTINOMIAL ? m->classes.n : 1;
}

/* Room for the K linear predictors of a multinomial model (its family and
 * classes set): coef K rows of p, K intercepts, all 0; nothing to do for
 * another family.  0 when out of memory. */
static int model_set_predictors(rp_model *m) {
  size_t K = rp_model_n_predictors(m), p = m->n_features ? m->n_features : 1;
  if (K == 1) return 1;
  if (K == 0 || K > SIZE_MAX / sizeof(double) / p) return 0;
  free(m->coef);
  free(m->intercepts);
  m->coef = calloc(K * p, sizeof *m->coef);
  m->intercepts = calloc(K, sizeof *m->intercepts);
  return m->coef && m->intercepts;
}

void rp_model_free(rp_model *m) {
  if (!m) return;
  for (size_t j = 0; m->feature_names && j < m->n_features; j++) free(m->feature_names[j]);
  free(m->feature_names);
  free(m->target);
  free(m->coef);
  free(m->intercepts);
  free(m->mean);
  free(m->scale);
  rp_classes_free(&m->classes);
  rp_recipe_free(m->recipe);
  rp_model_path_free(m);
  free(m);
}

/* Copy the names and the numbers of path point k into m (its K linear
 * predictors' room made: model_set_predictors). */
static int copy_selected(rp_model *m, const rp_run_result *res, const rp_path *path, size_t k) {
  size_t p = m->n_features, K = rp_model_n_predictors(m);
  for (size_t j = 0; j < p; j++) {
    if (!(m->feature_names[j] = strdup(res->feature_names[j]))) return 0;
    m->mean[j] = path->mean ? path->mean[j] : 0.0;
    m->scale[j] = path->scale ? path->scale[j] : 1.0;
  }
  memcpy(m->coef, path->coef + k * K * p, K * p * sizeof *m->coef);
  if (m->intercepts)
    memcpy(m->intercepts, path->intercept + k * K, K * sizeof *m->intercepts);
  else
    m->intercept = path->intercept[k];
  m->alpha = path->alphas[k];
  m->l1_ratio = path->l1_ratio;
  m->gamma = path->gamma;
  return (m->target = strdup(res->target)) != NULL;
}

/* The settings from cfg, then the run's classes, selected point, path and
 * recipe; 0 when out of memory.  The family comes first: it says how many
 * linear predictors the numbers fill. */
static int copy_run(rp_model *m, const rp_run_result *res, const rp_config *cfg,
                    const rp_path *path) {
  m->family = cfg->family;
  m->standardize = cfg->standardize;
  m->fit_intercept = cfg->fit_intercept;
  m->convention = cfg->convention;
  m->max_line = cfg->max_line;
  m->data_format = cfg->format;
  return rp_classes_copy(&m->classes, &res->classes) && model_set_predictors(m) &&
         copy_selected(m, res, path, res->selected_index) &&
         rp_model_path_copy(m, path, res->cvs[res->selected_fit], res->selected_index) &&
         (!res->recipe || (m->recipe = rp_recipe_copy(res->recipe)) != NULL);
}

rp_status rp_model_from_run(const rp_run_result *res, const rp_config *cfg, rp_model **out,
                            rp_error *err) {
  if (out) *out = NULL;
  if (!res || !cfg || !out || res->selected_fit >= res->n_fits)
    return rp_error_set(err, RP_EINVAL,
                        "rp_model_from_run: a run, its config and out are required");
  const rp_path *path = res->paths[res->selected_fit];
  if (res->selected_index >= path->n_alphas || path->p != res->n_features)
    return rp_error_set(err, RP_EINVAL, "rp_model_from_run: the selection is not on the path");
  size_t K = cfg->family == RP_FAMILY_MULTINOMIAL ? res->classes.n : 1;
  if ((path->n_classes ? path->n_classes : 1) != K)
    return rp_error_set(err, RP_EINVAL,
                        "rp_model_from_run: the path's %zu linear predictors are not the run's %zu",
                        path->n_classes, K);
  rp_model *m = model_alloc(res->n_features);
  if (!m || !copy_run(m, res, cfg, path)) {
    rp_model_free(m);
    return rp_error_set(err, RP_ENOMEM, "out of memory for the model");
  }
  *out = m;
  return RP_OK;
}

/* ------------------------------------------------------------ writing */

cJSON *rp_model_intercept_json(const rp_model *m) {
  return rp_coef_intercept_json(m->intercepts ? m->intercepts : &m->intercept,
                                rp_model_n_predictors(m));
}

cJSON *rp_model_coef_tree(const rp_model *m) {
  return rp_coef_named_json(m->feature_names, m->coef, rp_model_n_predictors(m), m->n_features);
}

static int add_standardization(cJSON *root, const rp_model *m) {
  cJSON *o = cJSON_CreateObject();
  int ok =
      o &&
      rp_json_add(o, "mean", rp_json_named_numbers(m->feature_names, m->mean, m->n_features)) &&
      rp_json_add(o, "scale", rp_json_named_numbers(m->feature_names, m->scale, m->n_features));
  if (!ok) cJSON_Delete(o);
  return ok && rp_json_add(root, "standardization", o);
}

int rp_model_recipe_fits(const rp_model *m) {
  return rp_recipe_gives(m->recipe, m->feature_names, m->n_features);
}

cJSON *rp_model_tree(const rp_model *m) {
  if (!m) return NULL;
  const char *convention = m->convention == RP_CONVENTION_GLMNET ? "glmnet" : "standard";
  size_t max_line = m->max_line ? m->max_line : RP_CSV_DEFAULT_MAX_LINE; /* 0 = the default */
  cJSON *root = cJSON_CreateObject();
  int ok =
      root && rp_json_add(root, "format", cJSON_CreateString(MODEL_FORMAT)) &&
      rp_json_add(root, "format_version", cJSON_CreateNumber(MODEL_FORMAT_VERSION)) &&
      rp_json_add(root, "regpath_version", cJSON_CreateString(PACKAGE_VERSION)) &&
      rp_json_add(root, "family", cJSON_CreateString(FAMILIES[m->family])) &&
      (!m->classes.n || rp_json_add_classes(root, &m->classes)) &&
      rp_json_add(root, "target", cJSON_CreateString(m->target)) &&
      rp_json_add(root, "feature_names",
                  rp_json_strings((const char *const *)m->feature_names, m->n_features)) &&
      rp_json_add(root, "intercept", rp_model_intercept_json(m)) &&
      rp_json_add(root, "coef", rp_model_coef_tree(m)) &&
      rp_json_add(root, "alpha", rp_json_number(m->alpha)) &&
      rp_json_add(root, "l1_ratio", rp_json_number(m->l1_ratio)) &&
      rp_json_add(root, "gamma", rp_json_number(m->gamma)) &&
      rp_json_add(root, "standardize", cJSON_CreateBool(m->standardize)) &&
      rp_json_add(root, "fit_intercept", cJSON_CreateBool(m->fit_intercept)) &&
      rp_json_add(root, "convention", cJSON_CreateString(convention)) &&
      rp_json_add(root, "max_line_bytes", cJSON_CreateNumber((double)max_line)) &&
      rp_json_add(root, "data_format", cJSON_CreateString(rp_data_format_name(m->data_format))) &&
      rp_json_add(root, "n_features", cJSON_CreateNumber((double)m->n_features)) &&
      add_standardization(root, m) &&
      (!rp_model_recipe_fits(m) || rp_recipe_to_json(m->recipe, root)) &&
      rp_model_path_to_json(m, root);
  if (!ok) cJSON_Delete(root);
  return ok ? root : NULL;
}

char *rp_model_to_json(const rp_model *m) {
  cJSON *root = rp_model_tree(m);
  char *text = rp_json_print(root);
  cJSON_Delete(root);
  return text;
}

/* ------------------------------------------------------------ reading */

/* A feature name and its position in feature_names, sorted by name so that
 * lookups cost O(log p) even for wide models. */
typedef struct {
  const char *name;
  size_t j;
} name_index;

typedef struct {
  const char *path; /* the model file, for messages */
  rp_error *err;
  rp_model *m;
  name_index *sorted; /* m's feature names, sorted   */
  unsigned char *seen;
} reader;

static int compare_names(const void *a, const void *b) {
  return rp_text_compare(((const name_index *)a)->name, ((const name_index *)b)->name);
}

/* "<model file>: <field>: <what>" */
static rp_status bad(const reader *r, const char *field, const char *what, const char *name) {
  return rp_error_set_at(r->err, RP_EDATA, r->path, 0, 0, "%s: %s%s%s%s", field, what,
                         name ? " \"" : "", name ? name : "", name ? "\"" : "");
}

static rp_status no_memory(const reader *r) {
  return rp_error_set(r->err, RP_ENOMEM, "out of memory reading %s", r->path);
}

/* Member `key` of `obj`, or NULL after reporting it missing. */
static const cJSON *member(const reader *r, const cJSON *obj, const char *key) {
  const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
  if (!item) bad(r, key, "missing", NULL);
  return item;
}

static rp_status get_number(const reader *r, const cJSON *obj, const char *key, double *x) {
  const cJSON *item = member(r, obj, key);
  if (!item) return RP_EDATA;
  if (!cJSON_IsNumber(item) || !isfinite(item->valuedouble))
    return bad(r, key, "expected a finite number", NULL);
  *x = item->valuedouble;
  return RP_OK;
}

/* "classes": distinct finite numbers or distinct labels (strings; the
 * classes are then 0..K-1), two for binomial, three or more for
 * multinomial. */
static rp_status get_classes(const reader *r, const cJSON *obj, rp_model *m) {
  const cJSON *item = member(r, obj, "classes");
  if (!item) return RP_EDATA;
  int binomial = m->family == RP_FAMILY_BINOMIAL;
  int got = rp_classes_from_json(item, &m->classes);
  if (got < 0) return no_memory(r);
  if (!got || (binomial ? m->classes.n != 2 : m->classes.n < 3))
    return bad(r, "classes",
               binomial ? "expected two distinct numbers or labels"
                        : "expected three or more distinct numbers or labels",
               NULL);
  return RP_OK;
}

static rp_status get_bool(const reader *r, const cJSON *obj, const char *key, int *b) {
  const cJSON *item = member(r, obj, key);
  if (!item) return RP_EDATA;
  if (!cJSON_IsBool(item)) return bad(r, key, "expected true or false", NULL);
  *b = cJSON_IsTrue(item);
  return RP_OK;
}

/* The string `key`, which must be one of `allowed` (NULL-terminated list;
 * NULL = any string); *which is its index there. */
static rp_status get_string(const reader *r, const cJSON *obj, const char *key,
                            const char *const *allowed, const char **s, size_t *which) {
  const cJSON *item = member(r, obj, key);
  if (!item) return RP_EDATA;
  if (!cJSON_IsString(item)) return bad(r, key, "expected a string", NULL);
  *s = item->valuestring;
  for (*which = 0; allowed && allowed[*which]; ++*which)
    if (strcmp(allowed[*which], *s) == 0) return RP_OK;
  return allowed ? bad(r, key, "unknown value", *s) : RP_OK;
}

/* "format" and "format_version": is this a model this code understands? */
static rp_status check_format(const reader *r, const cJSON *root) {
  const cJSON *format = cJSON_GetObjectItemCaseSensitive(root, "format");
  if (!cJSON_IsString(format) || strcmp(format->valuestring, MODEL_FORMAT) != 0)
    return bad(r, "format", "not a regpath model (expected \"format\": \"" MODEL_FORMAT "\")",
               NULL);
  const cJSON *v = member(r, root, "format_version");
  if (!v) return RP_EDATA;
  double version = cJSON_IsNumber(v) ? v->valuedouble : 0.0;
  if (version > MODEL_FORMAT_VERSION && version == floor(version))
    return rp_error_set_at(r->err, RP_EDATA, r->path, 0, 0,
                           "model format_version %g is newer than this regpath understands",
                           version);
  if (version != MODEL_FORMAT_VERSION) return bad(r, "format_version", "expected 1", NULL);
  const cJSON *made_by = cJSON_GetObjectItemCaseSensitive(root, "regpath_version");
  if (made_by && !cJSON_IsString(made_by)) /* informative, optional */
    return bad(r, "regpath_version", "expected a string", NULL);
  return RP_OK;
}

/* feature_names: a non-empty array of distinct strings; allocates r->m. */
static rp_status get_feature_names(reader *r, const cJSON *root) {
  const cJSON *names = member(r, root, "feature_names"), *item;
  if (!names) return RP_EDATA;
  size_t p = (size_t)cJSON_GetArraySize(names), j = 0;
  if (!cJSON_IsArray(names) || p == 0)
    return bad(r, "feature_names", "expected a non-empty array of strings", NULL);
  if (!(r->m = model_alloc(p)) || !(r->sorted = malloc(p * sizeof *r->sorted)) ||
      !(r->seen = malloc(p)))
    return no_memory(r);
  cJSON_ArrayForEach(item, names) {
    if (!cJSON_IsString(item)) return bad(r, "feature_names", "expected strings", NULL);
    if (!(r->m->feature_names[j] = strdup(item->valuestring))) return no_memory(r);
    r->sorted[j] = (name_index){r->m->feature_names[j], j};
    j++;
  }
  qsort(r->sorted, p, sizeof *r->sorted, compare_names);
  for (j = 1; j < p; j++)
    if (compare_names(&r->sorted[j - 1], &r->sorted[j]) == 0)
      return bad(r, "feature_names", "name given twice:", r->sorted[j].name);
  return RP_OK;
}

/* An object {feature name: number} with exactly one value per feature. */
static rp_status get_named_numbers(reader *r, const cJSON *obj, const char *field, double *v) {
  size_t p = r->m->n_features;
  if (!cJSON_IsObject(obj)) return bad(r, field, "expected an object {feature name: number}", NULL);
  memset(r->seen, 0, p);
  for (const cJSON *item = obj->child; item; item = item->next) {
    name_index key = {item->string, 0};
    const name_index *hit = bsearch(&key, r->sorted, p, sizeof *r->sorted, compare_names);
    if (!hit) return bad(r, field, "not in feature_names:", item->string);
    if (r->seen[hit->j]++) return bad(r, field, "value given twice for", item->string);
    if (!cJSON_IsNumber(item) || !isfinite(item->valuedouble))
      return bad(r, field, "expected a finite number for", item->string);
    v[hit->j] = item->valuedouble;
  }
  for (size_t j = 0; j < p; j++)
    if (!r->seen[j]) return bad(r, field, "no value for feature", r->m->feature_names[j]);
  return RP_OK;
}

static rp_status get_standardization(reader *r, const cJSON *root) {
  const cJSON *s = member(r, root, "standardization");
  if (!s) return RP_EDATA;
  if (!cJSON_IsObject(s)) return bad(r, "standardization", "expected an object", NULL);
  rp_status st = get_named_numbers(r, cJSON_GetObjectItemCaseSensitive(s, "mean"),
                                   "standardization.mean", r->m->mean);
  if (st == RP_OK)
    st = get_named_numbers(r, cJSON_GetObjectItemCaseSensitive(s, "scale"), "standardization.scale",
                           r->m->scale);
  return st;
}

/* "max_line_bytes", an integer >= RP_CSV_MIN_MAX_LINE; a model written
 * before the key existed was trained under the default limit. */
/* "gamma", optional: a model written before it is a penalized fit's (1). */
static rp_status get_gamma(const reader *r, const cJSON *root, double *gamma) {
  *gamma = 1.0;
  if (!cJSON_GetObjectItemCaseSensitive(root, "gamma")) return RP_OK;
  rp_status st = get_number(r, root, "gamma", gamma);
  if (st == RP_OK && !(*gamma >= 0 && *gamma <= 1))
    st = bad(r, "gamma", "expected a number in [0, 1]", NULL);
  return st;
}

static rp_status get_max_line(const reader *r, const cJSON *root, size_t *max_line) {
  const cJSON *item = cJSON_GetObjectItemCaseSensitive(root, "max_line_bytes");
  *max_line = RP_CSV_DEFAULT_MAX_LINE;
  if (!item) return RP_OK;
  double x = cJSON_IsNumber(item) ? item->valuedouble : 0.0;
  if (!(x >= (double)RP_CSV_MIN_MAX_LINE && x < (double)SIZE_MAX && x == floor(x)))
    return rp_error_set_at(r->err, RP_EDATA, r->path, 0, 0,
                           "max_line_bytes: expected an integer >= %zu", RP_CSV_MIN_MAX_LINE);
  *max_line = (size_t)x;
  return RP_OK;
}

/* "data_format" and "n_features" (issue 19), both optional: a model
 * written before them was trained on a CSV file, and its p is its
 * feature_names' length, which n_features must repeat. */
static rp_status get_data_format(const reader *r, const cJSON *root) {
  static const char *const formats[] = {"csv", "svmlight", NULL};
  const cJSON *p = cJSON_GetObjectItemCaseSensitive(root, "n_features");
  const char *s;
  size_t which = 0;
  if (p && !(cJSON_IsNumber(p) && p->valuedouble == (double)r->m->n_features))
    return bad(r, "n_features", "expected the number of feature_names", NULL);
  rp_status st = cJSON_GetObjectItemCaseSensitive(root, "data_format")
                     ? get_string(r, root, "data_format", formats, &s, &which)
                     : RP_OK;
  r->m->data_format = (rp_data_format)which;
  return st;
}

/* "intercept": a finite number, or a multinomial model's array of K, for
 * which (its classes read) the room is made here. */
static rp_status get_intercept(const reader *r, const cJSON *root, rp_model *m) {
  if (rp_model_n_predictors(m) == 1) return get_number(r, root, "intercept", &m->intercept);
  size_t K = m->classes.n, c = 0;
  if (!model_set_predictors(m)) return no_memory(r);
  const cJSON *item = member(r, root, "intercept");
  if (!item) return RP_EDATA;
  if (!cJSON_IsArray(item) || (size_t)cJSON_GetArraySize(item) != K)
    return bad(r, "intercept", "expected an array of one number per class", NULL);
  for (const cJSON *x = item->child; x; x = x->next, c++) {
    if (!cJSON_IsNumber(x) || !isfinite(x->valuedouble))
      return bad(r, "intercept", "expected finite numbers", NULL);
    m->intercepts[c] = x->valuedouble;
  }
  return RP_OK;
}

/* "coef": {feature name: number}, or a multinomial model's array of one
 * such object per class, each named "coef[c]" in messages. */
static rp_status get_coef(reader *r, const cJSON *root) {
  const cJSON *coef = member(r, root, "coef");
  size_t K = rp_model_n_predictors(r->m), p = r->m->n_features, c = 0;
  if (!coef) return RP_EDATA;
  if (K == 1) return get_named_numbers(r, coef, "coef", r->m->coef);
  if (!cJSON_IsArray(coef) || (size_t)cJSON_GetArraySize(coef) != K)
    return bad(r, "coef", "expected an array of one object {feature name: number} per class", NULL);
  rp_status st = RP_OK;
  for (const cJSON *row = coef->child; st == RP_OK && row; row = row->next, c++) {
    char field[32];
    snprintf(field, sizeof field, "coef[%zu]", c);
    st = get_named_numbers(r, row, field, r->m->coef + c * p);
  }
  return st;
}

/* The settings: family, target, alpha, l1_ratio, flags, convention, limit. */
static rp_status get_settings(reader *r, const cJSON *root) {
  static const char *const conventions[] = {"standard", "glmnet", NULL};
  rp_model *m = r->m;
  const char *s;
  size_t which;
  rp_status st = get_string(r, root, "family", FAMILIES, &s, &which);
  if (st == RP_OK) m->family = (rp_family)which;
  if (st == RP_OK && rp_family_has_classes(m->family)) st = get_classes(r, root, m);
  if (st == RP_OK) st = get_string(r, root, "target", NULL, &s, &which);
  if (st == RP_OK && !(m->target = strdup(s))) st = no_memory(r);
  if (st == RP_OK) st = get_intercept(r, root, m);
  if (st == RP_OK) st = get_number(r, root, "alpha", &m->alpha);
  if (st == RP_OK && m->alpha < 0) st = bad(r, "alpha", "expected a number >= 0", NULL);
  if (st == RP_OK) st = get_number(r, root, "l1_ratio", &m->l1_ratio);
  if (st == RP_OK && !(m->l1_ratio >= 0 && m->l1_ratio <= 1))
    st = bad(r, "l1_ratio", "expected a number in [0, 1]", NULL);
  if (st == RP_OK) st = get_gamma(r, root, &m->gamma);
  if (st == RP_OK) st = get_bool(r, root, "standardize", &m->standardize);
  if (st == RP_OK) st = get_bool(r, root, "fit_intercept", &m->fit_intercept);
  if (st == RP_OK) st = get_string(r, root, "convention", conventions, &s, &which);
  if (st == RP_OK) m->convention = which == 1 ? RP_CONVENTION_GLMNET : RP_CONVENTION_STANDARD;
  if (st == RP_OK) st = get_max_line(r, root, &m->max_line);
  if (st == RP_OK) st = get_data_format(r, root);
  return st;
}

/* Parse the whole text (len bytes) as one JSON object. */
static rp_status parse_json(const reader *r, const char *text, size_t len, cJSON **root) {
  const char *end = NULL;
  long line, column;
  if (memchr(text, '\0', len)) return bad(r, "model", "not a JSON text (a NUL byte)", NULL);
  *root = cJSON_ParseWithOpts(text, &end, 1);
  if (!*root) {
    rp_text_position(text, end ? end : text + len, &line, &column);
    return rp_error_set_at(r->err, RP_EDATA, r->path, line, column, "invalid JSON in the model");
  }
  if (!cJSON_IsObject(*root))
    return bad(r, "model", "not a regpath model (expected a JSON object)", NULL);
  return RP_OK;
}

rp_status rp_model_read(const char *path, rp_model **out, rp_error *err) {
  if (out) *out = NULL;
  if (!path || !out)
    return rp_error_set(err, RP_EINVAL, "rp_model_read: path and out are required");
  reader r = {path, err, NULL, NULL, NULL};
  char *text = NULL;
  size_t len = 0;
  cJSON *root = NULL;
  rp_status st = rp_read_file(path, "model", SIZE_MAX, &text, &len, err);
  if (st == RP_OK) st = parse_json(&r, text, len, &root);
  if (st == RP_OK) st = check_format(&r, root);
  if (st == RP_OK) st = get_feature_names(&r, root);
  if (st == RP_OK) st = get_settings(&r, root);
  if (st == RP_OK) st = get_coef(&r, root);
  if (st == RP_OK) st = get_standardization(&r, root);
  if (st == RP_OK)
    st = rp_recipe_from_json(root, r.m->feature_names, r.m->n_features, path, &r.m->recipe, err);
  if (st == RP_OK) st = rp_model_path_from_json(r.m, root, path, err);
  if (st == RP_OK)
    *out = r.m;
  else
    rp_model_free(r.m);
  cJSON_Delete(root);
  free(text);
  free(r.sorted);
  free(r.seen);
  return st;
}
