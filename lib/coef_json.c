/* coef_json.c: coefficients as JSON (coef_json.h). */
#include "coef_json.h"

#include "json.h"

cJSON *rp_coef_intercept_json(const double *b0, size_t K) {
  return K > 1 ? rp_json_numbers(b0, K) : rp_json_number(b0[0]);
}

/* Append item to the array a; 0 (item freed) when it is NULL or out of
 * memory. */
static int push(cJSON *a, cJSON *item) {
  if (item && cJSON_AddItemToArray(a, item)) return 1;
  cJSON_Delete(item);
  return 0;
}

/* [[v_0 .. v_{cols-1}], ...]: n rows, each a view of v; NULL when out of
 * memory. */
static cJSON *rows_view(const double *v, size_t n, size_t cols) {
  cJSON *a = cJSON_CreateArray();
  for (size_t i = 0; a && i < n; i++)
    if (!push(a, rp_json_numbers_view(v + i * cols, cols))) cJSON_Delete(a), a = NULL;
  return a;
}

cJSON *rp_coef_named_json(char *const *names, const double *coef, size_t K, size_t p) {
  if (K <= 1) return rp_json_named_numbers(names, coef, p);
  cJSON *a = cJSON_CreateArray();
  for (size_t c = 0; a && c < K; c++)
    if (!push(a, rp_json_named_numbers(names, coef + c * p, p))) cJSON_Delete(a), a = NULL;
  return a;
}

int rp_coef_path_json(cJSON *obj, const double *intercept, const double *coef, size_t n, size_t K,
                      size_t p) {
  if (K <= 1)
    return rp_json_add(obj, "intercept", rp_json_numbers(intercept, n)) &&
           rp_json_add(obj, "coef", rows_view(coef, n, p));
  cJSON *points = cJSON_CreateArray();
  for (size_t k = 0; points && k < n; k++)
    if (!push(points, rows_view(coef + k * K * p, K, p))) cJSON_Delete(points), points = NULL;
  return rp_json_add(obj, "intercept", rows_view(intercept, n, K)) &&
         rp_json_add(obj, "coef", points);
}
