/* model_path.c: the selected fit's whole path in model.json, and the model
 * at any alpha of it (regpath/model.h). */
#include "model_path.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "coef_json.h"
#include "json.h"

void rp_model_path_free(rp_model *m) {
  free(m->path_alphas);
  free(m->path_intercept);
  free(m->path_coef);
  m->path_alphas = m->path_intercept = m->path_coef = NULL;
  m->n_path = 0;
}

/* Room for K points, each of nc (rp_model_n_predictors) intercepts and nc
 * rows of p coefficients; 0 when out of memory. */
static int path_alloc(rp_model *m, size_t K) {
  size_t p = m->n_features, nc = rp_model_n_predictors(m);
  if (nc == 0 || K > SIZE_MAX / sizeof(double) / (p ? p : 1) / nc) return 0;
  m->path_alphas = malloc(K * sizeof *m->path_alphas);
  m->path_intercept = malloc(K * nc * sizeof *m->path_intercept);
  m->path_coef = malloc(K * nc * p * sizeof *m->path_coef);
  m->n_path = K;
  if (m->path_alphas && m->path_intercept && m->path_coef) return 1;
  rp_model_path_free(m);
  return 0;
}

int rp_model_path_copy(rp_model *m, const rp_path *path, const rp_cv *cv, size_t selected) {
  size_t K = path->n_alphas, p = m->n_features, nc = rp_model_n_predictors(m);
  if (!path_alloc(m, K)) return 0;
  memcpy(m->path_alphas, path->alphas, K * sizeof *path->alphas);
  memcpy(m->path_intercept, path->intercept, K * nc * sizeof *path->intercept);
  memcpy(m->path_coef, path->coef, K * nc * p * sizeof *path->coef);
  m->index_min = cv->index_min;
  m->index_1se = cv->index_1se;
  m->index_selected = selected;
  return 1;
}

int rp_model_path_to_json(const rp_model *m, cJSON *root) {
  if (!m->n_path) return 1;
  size_t K = m->n_path;
  cJSON *path = cJSON_AddObjectToObject(root, "path");
  int ok = path && cJSON_AddItemToObject(path, "alphas", rp_json_numbers(m->path_alphas, K)) &&
           rp_coef_path_json(path, m->path_intercept, m->path_coef, K, rp_model_n_predictors(m),
                             m->n_features);
  return ok && cJSON_AddNumberToObject(root, "index_min", (double)m->index_min) &&
         cJSON_AddNumberToObject(root, "index_1se", (double)m->index_1se) &&
         cJSON_AddNumberToObject(root, "index_selected", (double)m->index_selected) &&
         rp_json_add_number(root, "alpha_min", m->path_alphas[m->index_min]) &&
         rp_json_add_number(root, "alpha_1se", m->path_alphas[m->index_1se]);
}

char *rp_model_coef_json(const rp_model *m) {
  cJSON *root = cJSON_CreateObject();
  int ok = root && rp_json_add_number(root, "alpha", m->alpha) &&
           rp_json_add_number(root, "l1_ratio", m->l1_ratio) &&
           rp_json_add(root, "intercept", rp_model_intercept_json(m)) &&
           rp_json_add(root, "coef", rp_model_coef_tree(m));
  char *text = ok ? rp_json_print(root) : NULL;
  cJSON_Delete(root);
  return text;
}

/* ------------------------------------------------------------ reading */

typedef struct {
  const char *file;
  rp_error *err;
} reader;

static rp_status bad(const reader *r, const char *field, const char *what) {
  return rp_error_set_at(r->err, RP_EDATA, r->file, 0, 0, "%s: %s", field, what);
}

/* One path point per row, one number per feature in a coef row: the shape
 * get_numbers names unless told another. */
static const char SHAPE[] =
    "expected an array of one number per path point (per feature in a coef row)";

/* `item`, an array of n finite numbers, into v; `shape` is the message for
 * an array of another length. */
static rp_status get_numbers(const reader *r, const cJSON *item, const char *field, size_t n,
                             double *v, const char *shape) {
  if (!cJSON_IsArray(item) || (size_t)cJSON_GetArraySize(item) != n) return bad(r, field, shape);
  size_t i = 0;
  for (const cJSON *x = item->child; x; x = x->next, i++) {
    if (!cJSON_IsNumber(x) || !isfinite(x->valuedouble))
      return bad(r, field, "expected finite numbers");
    v[i] = x->valuedouble;
  }
  return RP_OK;
}

/* An index into the path: an integer in 0..K-1. */
static rp_status get_index(const reader *r, const cJSON *root, const char *key, size_t K,
                           size_t *out) {
  const cJSON *item = cJSON_GetObjectItemCaseSensitive(root, key);
  double x = cJSON_IsNumber(item) ? item->valuedouble : -1.0;
  if (!(x >= 0 && x < (double)K && x == floor(x)))
    return bad(r, key, "expected an index into path.alphas");
  *out = (size_t)x;
  return RP_OK;
}

/* path.alphas: positive and strictly decreasing, as every grid is. */
static rp_status check_alphas(const reader *r, const rp_model *m) {
  for (size_t k = 0; k < m->n_path; k++)
    if (!(m->path_alphas[k] > 0.0) || (k && !(m->path_alphas[k] < m->path_alphas[k - 1])))
      return bad(r, "path.alphas", "expected positive, strictly decreasing alphas");
  return RP_OK;
}

/* `item`, an array of n arrays of `cols` finite numbers, into v row by row
 * (a multinomial model's rows of one number or p per class). */
static rp_status get_rows(const reader *r, const cJSON *item, const char *field, size_t n,
                          size_t cols, double *v, const char *shape) {
  if (!cJSON_IsArray(item) || (size_t)cJSON_GetArraySize(item) != n) return bad(r, field, shape);
  rp_status st = RP_OK;
  size_t i = 0;
  for (const cJSON *row = item->child; st == RP_OK && row; row = row->next, i++)
    st = get_numbers(r, row, field, cols, v + i * cols, shape);
  return st;
}

/* path.intercept: [b0 per point], a multinomial model's [[nc b0] per point]. */
static rp_status get_path_intercept(const reader *r, rp_model *m, const cJSON *path) {
  const cJSON *item = cJSON_GetObjectItemCaseSensitive(path, "intercept");
  size_t nc = rp_model_n_predictors(m);
  if (nc == 1) return get_numbers(r, item, "path.intercept", m->n_path, m->path_intercept, SHAPE);
  return get_rows(r, item, "path.intercept", m->n_path, nc, m->path_intercept,
                  "expected an array per path point of one number per class");
}

/* path.coef: [[b_1..b_p] per point], a multinomial model's [[[b_1..b_p] per
 * class] per point]. */
static rp_status get_path_coef(const reader *r, rp_model *m, const cJSON *path) {
  const cJSON *coef = cJSON_GetObjectItemCaseSensitive(path, "coef");
  size_t K = m->n_path, p = m->n_features, nc = rp_model_n_predictors(m), k = 0;
  if (!(cJSON_IsArray(coef) && (size_t)cJSON_GetArraySize(coef) == K))
    return bad(r, "path.coef", "expected one row of coefficients per path point");
  rp_status st = RP_OK;
  for (const cJSON *row = coef->child; st == RP_OK && row; row = row->next, k++)
    st = nc == 1 ? get_numbers(r, row, "path.coef", p, m->path_coef + k * p, SHAPE)
                 : get_rows(r, row, "path.coef", nc, p, m->path_coef + k * nc * p,
                            "expected an array per path point of one row of coefficients per "
                            "class, one number per feature");
  return st;
}

static rp_status read_path(const reader *r, rp_model *m, const cJSON *root, const cJSON *path) {
  const cJSON *alphas = cJSON_GetObjectItemCaseSensitive(path, "alphas");
  size_t K = cJSON_IsArray(alphas) ? (size_t)cJSON_GetArraySize(alphas) : 0;
  if (!cJSON_IsObject(path) || K == 0)
    return bad(r, "path", "expected {\"alphas\": [...], \"intercept\": [...], \"coef\": [[...]]}");
  if (!path_alloc(m, K))
    return rp_error_set(r->err, RP_ENOMEM, "out of memory reading %s", r->file);
  rp_status st = get_numbers(r, alphas, "path.alphas", K, m->path_alphas, SHAPE);
  if (st == RP_OK) st = check_alphas(r, m);
  if (st == RP_OK) st = get_path_intercept(r, m, path);
  if (st == RP_OK) st = get_path_coef(r, m, path);
  if (st == RP_OK) st = get_index(r, root, "index_min", K, &m->index_min);
  if (st == RP_OK) st = get_index(r, root, "index_1se", K, &m->index_1se);
  if (st == RP_OK) st = get_index(r, root, "index_selected", K, &m->index_selected);
  return st;
}

rp_status rp_model_path_from_json(rp_model *m, const cJSON *root, const char *file, rp_error *err) {
  reader r = {file, err};
  const cJSON *path = cJSON_GetObjectItemCaseSensitive(root, "path");
  if (!path) return RP_OK;
  rp_status st = read_path(&r, m, root, path);
  if (st != RP_OK) rp_model_path_free(m);
  return st;
}

/* ------------------------------------------------------------ any alpha */

static rp_status no_path(rp_error *err) {
  return rp_error_set(err, RP_EDATA,
                      "the model holds no path (model.json written before regpath kept one): "
                      "fit it again to use an alpha other than the selected one");
}

/* f a + (1 - f) b, exactly a when f = 1. */
static double mix(double f, double a, double b) { return f == 1.0 ? a : f * a + (1.0 - f) * b; }

/* The model at b = f b_k + (1 - f) b_{k+1} (f = 1: point k itself), every
 * linear predictor (nc of them: a multinomial model's classes) alike. */
static void blend(rp_model *m, size_t k, double f, double alpha) {
  size_t nc = rp_model_n_predictors(m), q = nc * m->n_features, k1 = f == 1.0 ? k : k + 1;
  const double *a = m->path_coef + k * q, *b = m->path_coef + k1 * q;
  double *b0 = m->intercepts ? m->intercepts : &m->intercept;
  for (size_t j = 0; j < q; j++) m->coef[j] = mix(f, a[j], b[j]);
  for (size_t c = 0; c < nc; c++)
    b0[c] = mix(f, m->path_intercept[k * nc + c], m->path_intercept[k1 * nc + c]);
  m->alpha = alpha;
}

rp_status rp_model_at_point(rp_model *m, rp_model_point at, rp_error *err) {
  if (!m->n_path) return at == RP_MODEL_AT_SELECTED ? RP_OK : no_path(err);
  size_t k = at == RP_MODEL_AT_MIN   ? m->index_min
             : at == RP_MODEL_AT_1SE ? m->index_1se
                                     : m->index_selected;
  blend(m, k, 1.0, m->path_alphas[k]);
  return RP_OK;
}

rp_status rp_model_at_alpha(rp_model *m, double alpha, rp_error *err) {
  if (!(alpha > 0.0) || !isfinite(alpha))
    return rp_error_set(err, RP_EINVAL, "alpha must be positive and finite, got %g", alpha);
  if (!m->n_path) return no_path(err);
  const double *a = m->path_alphas;
  size_t last = m->n_path - 1, k = 0;
  if (alpha >= a[0]) {
    blend(m, 0, 1.0, a[0]);
    return RP_OK;
  }
  if (alpha <= a[last]) {
    blend(m, last, 1.0, a[last]);
    return RP_OK;
  }
  while (a[k + 1] >= alpha) k++; /* a[k] >= alpha > a[k + 1] */
  double f = a[k] == alpha ? 1.0 : (alpha - a[k + 1]) / (a[k] - a[k + 1]);
  blend(m, k, f, alpha);
  return RP_OK;
}
