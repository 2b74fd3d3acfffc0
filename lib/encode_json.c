/* encode_json.c: a recipe (encode.h) as model.json's keys, and back; the
 * report shows its levels and imputation values the same way. */
#define _POSIX_C_SOURCE 200809L
#include "encode_json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

static const char *const MISSING[] = {"error", "drop", "mean", NULL};

cJSON *rp_json_strings(const char *const *v, size_t n) {
  cJSON *a = cJSON_CreateArray();
  int ok = a != NULL;
  for (size_t i = 0; ok && i < n; i++) {
    cJSON *s = cJSON_CreateString(v[i]);
    ok = s && cJSON_AddItemToArray(a, s);
    if (!ok) cJSON_Delete(s);
  }
  if (!ok) cJSON_Delete(a);
  return ok ? a : NULL;
}

int rp_json_add_classes(cJSON *obj, const rp_classes *c) {
  cJSON *list = c->labels ? rp_json_strings((const char *const *)c->labels, c->n)
                          : rp_json_numbers(c->values, c->n);
  if (!list || !cJSON_AddItemToObject(obj, "classes", list)) {
    cJSON_Delete(list);
    return 0;
  }
  if (c->n != 2) return 1;
  cJSON *positive = c->labels ? cJSON_CreateString(c->labels[1]) : rp_json_number(c->values[1]);
  if (positive && cJSON_AddItemToObject(obj, "positive_class", positive)) return 1;
  cJSON_Delete(positive);
  return 0;
}

/* Is item k of `list` a class like item 0 (a string, or a finite number)
 * and unlike every earlier one? */
static int new_class(const cJSON *list, int k) {
  const cJSON *a = cJSON_GetArrayItem(list, k), *first = cJSON_GetArrayItem(list, 0);
  int text = cJSON_IsString(first);
  if (text ? !cJSON_IsString(a) : !cJSON_IsNumber(a) || !isfinite(a->valuedouble)) return 0;
  for (int i = 0; i < k; i++) {
    const cJSON *b = cJSON_GetArrayItem(list, i);
    if (text ? strcmp(a->valuestring, b->valuestring) == 0 : a->valuedouble == b->valuedouble)
      return 0;
  }
  return 1;
}

int rp_classes_from_json(const cJSON *item, rp_classes *c) {
  int n = cJSON_IsArray(item) ? cJSON_GetArraySize(item) : 0;
  for (int k = 0; k < n; k++)
    if (!new_class(item, k)) return 0;
  if (n < 2) return 0;
  int text = cJSON_IsString(cJSON_GetArrayItem(item, 0));
  rp_classes_free(c);
  c->values = malloc((size_t)n * sizeof *c->values);
  c->labels = text ? calloc((size_t)n, sizeof *c->labels) : NULL;
  int ok = c->values && (!text || c->labels);
  if (ok) c->n = (size_t)n;
  for (int k = 0; ok && k < n; k++) {
    const cJSON *a = cJSON_GetArrayItem(item, k);
    c->values[k] = text ? k : a->valuedouble;
    if (text) ok = (c->labels[k] = strdup(a->valuestring)) != NULL;
  }
  if (!ok) rp_classes_free(c);
  return ok ? 1 : -1;
}

static cJSON *string_or_null(const char *s) {
  return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

cJSON *rp_recipe_levels_json(const rp_recipe *r) {
  cJSON *o = cJSON_CreateObject();
  int ok = o != NULL;
  for (size_t s = 0; ok && s < r->n_sources; s++)
    if (r->sources[s].n_levels)
      ok = rp_json_add(
          o, r->sources[s].name,
          rp_json_strings((const char *const *)r->sources[s].levels, r->sources[s].n_levels));
  if (!ok) cJSON_Delete(o);
  return ok ? o : NULL;
}

cJSON *rp_recipe_impute_json(const rp_recipe *r) {
  if (!r->impute) return cJSON_CreateNull();
  cJSON *o = cJSON_CreateObject();
  int ok = o != NULL;
  for (size_t j = 0; ok && j < r->p; j++)
    ok = rp_json_add(o, r->feature_names[j], rp_json_number(r->impute[j]));
  if (!ok) cJSON_Delete(o);
  return ok ? o : NULL;
}

int rp_recipe_to_json(const rp_recipe *r, cJSON *root) {
  const char **columns = malloc(nz(r->n_sources) * sizeof *columns);
  for (size_t s = 0; columns && s < r->n_sources; s++) columns[s] = r->sources[s].name;
  int ok = columns && rp_json_add(root, "id", string_or_null(r->id)) &&
           rp_json_add(root, "exclude",
                       rp_json_strings((const char *const *)r->exclude, r->n_exclude)) &&
           rp_json_add(root, "columns", rp_json_strings(columns, r->n_sources)) &&
           rp_json_add(root, "categorical", rp_recipe_levels_json(r)) &&
           rp_json_add(root, "drop_first", cJSON_CreateBool(r->drop_first)) &&
           rp_json_add(root, "missing", cJSON_CreateString(MISSING[r->missing])) &&
           rp_json_add(root, "impute", rp_recipe_impute_json(r)) &&
           rp_json_add(root, "na_values",
                       rp_json_strings((const char *const *)r->na_values, r->n_na_values)) &&
           rp_json_add(root, "weights", string_or_null(r->weights)) &&
           rp_json_add(root, "offset", string_or_null(r->offset));
  free(columns);
  return ok;
}

/* ------------------------------------------------------------ reading */

typedef struct {
  const char *path;
  rp_error *err;
} where;

static rp_status bad(const where *w, const char *key, const char *what) {
  return rp_error_set_at(w->err, RP_EDATA, w->path, 0, 0, "%s: %s", key, what);
}

/* An optional array of strings (absent: 0 items); NULL names on failure. */
static rp_status get_strings(const where *w, const cJSON *root, const char *key, char ***out,
                             size_t *n) {
  const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, key), *item;
  *out = NULL;
  *n = 0;
  if (!a) return RP_OK;
  if (!cJSON_IsArray(a)) return bad(w, key, "expected an array of strings");
  if (!(*out = calloc(nz((size_t)cJSON_GetArraySize(a)), sizeof **out)))
    return rp_error_set(w->err, RP_ENOMEM, "out of memory");
  cJSON_ArrayForEach(item, a) {
    if (!cJSON_IsString(item)) return bad(w, key, "expected an array of strings");
    if (!((*out)[(*n)++] = strdup(item->valuestring)))
      return rp_error_set(w->err, RP_ENOMEM, "out of memory");
  }
  return RP_OK;
}

/* An optional string or null. */
static rp_status get_name(const where *w, const cJSON *root, const char *key, char **out) {
  const cJSON *s = cJSON_GetObjectItemCaseSensitive(root, key);
  *out = NULL;
  if (!s || cJSON_IsNull(s)) return RP_OK;
  if (!cJSON_IsString(s)) return bad(w, key, "expected a string or null");
  return (*out = strdup(s->valuestring)) ? RP_OK : rp_error_set(w->err, RP_ENOMEM, "out of memory");
}

/* The sources: "columns" with their "categorical" levels, or (a model
 * written before them) one numeric column per feature. */
static rp_status get_sources(const where *w, const cJSON *root, char *const *features, size_t p,
                             rp_recipe *r) {
  char **names = NULL;
  size_t n = 0;
  rp_status st = get_strings(w, root, "columns", &names, &n);
  if (st == RP_OK && !names) {
    n = p;
    if (!(names = calloc(nz(p), sizeof *names)))
      return rp_error_set(w->err, RP_ENOMEM, "out of memory");
    for (size_t j = 0; j < p; j++)
      if (!(names[j] = strdup(features[j]))) st = rp_error_set(w->err, RP_ENOMEM, "out of memory");
  }
  r->sources = calloc(nz(n), sizeof *r->sources);
  if (st == RP_OK && !r->sources) st = rp_error_set(w->err, RP_ENOMEM, "out of memory");
  if (st == RP_OK) r->n_sources = n;
  const cJSON *cat = cJSON_GetObjectItemCaseSensitive(root, "categorical");
  if (st == RP_OK && cat && !cJSON_IsObject(cat))
    st = bad(w, "categorical", "expected an object {column: [levels]}");
  for (size_t s = 0; st == RP_OK && s < n; s++) {
    r->sources[s].name = names[s];
    names[s] = NULL;
    if (cat && cJSON_GetObjectItemCaseSensitive(cat, r->sources[s].name))
      st = get_strings(w, cat, r->sources[s].name, &r->sources[s].levels, &r->sources[s].n_levels);
  }
  for (size_t s = 0; names && s < n; s++) free(names[s]);
  free(names);
  return st;
}

/* The layout must give back feature_names exactly. */
static rp_status check_layout(const where *w, const rp_recipe *r, char *const *features, size_t p) {
  return rp_recipe_gives(r, features, p) ? RP_OK
                                         : bad(w, "columns", "do not give the feature_names");
}

/* "impute": {feature: value} for every feature, or null. */
static rp_status get_impute(const where *w, const cJSON *root, rp_recipe *r) {
  const cJSON *o = cJSON_GetObjectItemCaseSensitive(root, "impute");
  if (!o || cJSON_IsNull(o)) return RP_OK;
  if (!cJSON_IsObject(o)) return bad(w, "impute", "expected an object {feature: value} or null");
  if (!(r->impute = malloc(nz(r->p) * sizeof *r->impute)))
    return rp_error_set(w->err, RP_ENOMEM, "out of memory");
  for (size_t j = 0; j < r->p; j++) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, r->feature_names[j]);
    if (!cJSON_IsNumber(v)) return bad(w, "impute", "expected a number for every feature");
    r->impute[j] = v->valuedouble;
  }
  return RP_OK;
}

static rp_status get_settings(const where *w, const cJSON *root, rp_recipe *r) {
  const cJSON *drop = cJSON_GetObjectItemCaseSensitive(root, "drop_first");
  const cJSON *missing = cJSON_GetObjectItemCaseSensitive(root, "missing");
  if (drop && !cJSON_IsBool(drop)) return bad(w, "drop_first", "expected true or false");
  r->drop_first = cJSON_IsTrue(drop);
  r->missing = RP_MISSING_ERROR;
  if (missing) {
    size_t k = 0;
    while (MISSING[k] &&
           !(cJSON_IsString(missing) && strcmp(missing->valuestring, MISSING[k]) == 0))
      k++;
    if (!MISSING[k]) return bad(w, "missing", "expected \"error\", \"drop\" or \"mean\"");
    r->missing = (rp_missing)k;
  }
  rp_status st = get_name(w, root, "id", &r->id);
  if (st == RP_OK) st = get_name(w, root, "weights", &r->weights);
  if (st == RP_OK) st = get_name(w, root, "offset", &r->offset);
  if (st == RP_OK) st = get_strings(w, root, "exclude", &r->exclude, &r->n_exclude);
  if (st == RP_OK) st = get_strings(w, root, "na_values", &r->na_values, &r->n_na_values);
  if (st == RP_OK &&
      !cJSON_GetObjectItemCaseSensitive(root, "na_values")) { /* older: the default */
    size_t n;
    const char *const *tokens = rp_csv_default_na_values(&n);
    if (!(r->na_values = calloc(n, sizeof *r->na_values)))
      return rp_error_set(w->err, RP_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
      if (!(r->na_values[r->n_na_values++] = strdup(tokens[i])))
        return rp_error_set(w->err, RP_ENOMEM, "out of memory");
  }
  return st;
}

rp_status rp_recipe_from_json(const cJSON *root, char *const *features, size_t p, const char *path,
                              rp_recipe **out, rp_error *err) {
  where w = {path, err};
  rp_recipe *r = calloc(1, sizeof *r);
  *out = NULL;
  if (!r) return rp_error_set(err, RP_ENOMEM, "out of memory");
  rp_status st = get_settings(&w, root, r);
  if (st == RP_OK) st = get_sources(&w, root, features, p, r);
  if (st == RP_OK && !rp_recipe_lay_out(r)) st = rp_error_set(err, RP_ENOMEM, "out of memory");
  if (st == RP_OK) st = check_layout(&w, r, features, p);
  if (st == RP_OK) st = get_impute(&w, root, r);
  if (st != RP_OK) {
    rp_recipe_free(r);
    return st;
  }
  *out = r;
  return RP_OK;
}
