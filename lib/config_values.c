/* config_values.c: the checks and stores every config key's setter is
 * built from (config_parse.h): one shape of message per kind of mistake,
 * each starting with the dotted key and quoting the offending JSON. */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include "config_parse.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* ------------------------------------------------------------ messages */

/* The offending value as compact JSON, cut to GOT_MAX bytes with "..." so that
 * a huge array does not flood the message.  cJSON prints non-finite numbers
 * (1e999 overflows to inf) as null, which would mislead, so say what it is. */
void rp_cfg_describe_value(const cJSON *v, char *buf, size_t size) {
  if (cJSON_IsNumber(v) && !isfinite(v->valuedouble)) {
    snprintf(buf, size, "%s", "a number too large for a double");
    return;
  }
  char *text = cJSON_PrintUnformatted(v);
  if (!text) {
    snprintf(buf, size, "%s", "(a value)");
    return;
  }
  size_t len = strlen(text);
  if (len > GOT_MAX) {
    len = rp_utf8_prefix(text, len, GOT_MAX - 3);
    snprintf(buf, size, "%.*s...", (int)len, text);
  } else {
    snprintf(buf, size, "%s", text);
  }
  cJSON_free(text);
}

/* "key: expected <what>, got <value>": the one shape of a value error. */
rp_status rp_cfg_expected(config_ctx *c, const char *key, const char *what, const cJSON *v) {
  char got[GOT_MAX + 32];
  rp_cfg_describe_value(v, got, sizeof got);
  return rp_error_set(c->err, RP_ECONFIG, "%s: expected %s, got %s", key, what, got);
}

rp_status rp_cfg_no_memory(config_ctx *c) {
  return rp_error_set(c->err, RP_ENOMEM, "out of memory while reading the config");
}

/* "key: expected at most 10000 alphas, got 123456 (what to do)".  `unit`
 * names what was counted when the cap does not ("keys", "values"). */
rp_status rp_cfg_too_many(rp_error *err, const char *key, const list_cap *cap, const char *unit,
                          size_t n) {
  return rp_error_set(err, RP_ECONFIG, "%s: expected at most %zu %s, got %zu%s%s%s",
                      key[0] ? key : "the top level", cap->max, cap->what ? cap->what : unit, n,
                      cap->hint ? " (" : "", cap->hint ? cap->hint : "", cap->hint ? ")" : "");
}

/* ------------------------------------------------------------ value checks */

/* A finite JSON number inside `r`. */
rp_status rp_cfg_want_number(config_ctx *c, const char *key, const cJSON *v, const value_range *r,
                             double *out) {
  if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble)) return rp_cfg_expected(c, key, r->what, v);
  double x = v->valuedouble;
  int below = r->lo_open ? !(x > r->lo) : !(x >= r->lo);
  int above = r->hi_open ? !(x < r->hi) : !(x <= r->hi);
  if (below || above) return rp_cfg_expected(c, key, r->what, v);
  *out = x;
  return RP_OK;
}

/* An integer >= lo that the destination type can hold, i.e. below `limit`
 * (an exclusive bound such as (double)SIZE_MAX, exact as a double).  JSON has
 * only numbers, so an integer is a number with no fractional part: 1e3 is one,
 * 2.5 is not. */
rp_status rp_cfg_want_integer(config_ctx *c, const char *key, const cJSON *v, double lo,
                              double limit, double *out) {
  char what[64];
  snprintf(what, sizeof what, "an integer >= %.0f", lo);
  if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble)) return rp_cfg_expected(c, key, what, v);
  double x = v->valuedouble;
  if (x != floor(x) || x < lo) return rp_cfg_expected(c, key, what, v);
  if (!(x < limit)) {
    char got[GOT_MAX + 32];
    rp_cfg_describe_value(v, got, sizeof got);
    return rp_error_set(c->err, RP_ECONFIG, "%s: expected %s, got %s (too large)", key, what, got);
  }
  *out = x;
  return RP_OK;
}

rp_status rp_cfg_want_bool(config_ctx *c, const char *key, const cJSON *v, int *out) {
  if (!cJSON_IsBool(v)) return rp_cfg_expected(c, key, "true or false", v);
  *out = cJSON_IsTrue(v) ? 1 : 0;
  return RP_OK;
}

/* A non-empty string (file and column names are never empty). */
rp_status rp_cfg_want_string(config_ctx *c, const char *key, const cJSON *v, const char *what,
                             const char **out) {
  if (!cJSON_IsString(v) || v->valuestring[0] == '\0') return rp_cfg_expected(c, key, what, v);
  *out = v->valuestring;
  return RP_OK;
}

/* One of `names` (listed in the order of the C enum, so the index is the enum
 * value).  The message lists every accepted name. */
rp_status rp_cfg_want_name(config_ctx *c, const char *key, const cJSON *v, const char *const *names,
                           size_t n, size_t *index) {
  if (cJSON_IsString(v))
    for (size_t i = 0; i < n; i++)
      if (strcmp(v->valuestring, names[i]) == 0) {
        *index = i;
        return RP_OK;
      }
  char what[128] = "one of ";
  for (size_t i = 0; i < n; i++) {
    size_t used = strlen(what);
    snprintf(what + used, sizeof what - used, "%s\"%s\"", i ? ", " : "", names[i]);
  }
  return rp_cfg_expected(c, key, what, v);
}

/* A non-empty array of numbers in `r`, stored in *slot (owned by the config
 * from the start, so a failure halfway leaks nothing).  Elements are named
 * key[i] in messages. */
rp_status rp_cfg_want_number_list(config_ctx *c, const char *key, const cJSON *v,
                                  const value_range *r, const char *what, double **slot,
                                  size_t *n_slot) {
  if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) == 0) return rp_cfg_expected(c, key, what, v);
  size_t n = (size_t)cJSON_GetArraySize(v);
  free(*slot);
  *n_slot = 0;
  if (!(*slot = calloc(n, sizeof **slot))) return rp_cfg_no_memory(c);
  *n_slot = n;
  size_t i = 0;
  const cJSON *item;
  cJSON_ArrayForEach(item, v) {
    char ikey[KEY_MAX];
    snprintf(ikey, sizeof ikey, "%s[%zu]", key, i);
    rp_status st = rp_cfg_want_number(c, ikey, item, r, &(*slot)[i]);
    if (st != RP_OK) return st;
    i++;
  }
  return RP_OK;
}

/* A count or size: an integer >= lo that a size_t holds. */
rp_status rp_cfg_want_size(config_ctx *c, const char *key, const cJSON *v, double lo, size_t *out) {
  double x = 0.0;
  rp_status st = rp_cfg_want_integer(c, key, v, lo, (double)SIZE_MAX, &x);
  if (st == RP_OK) *out = (size_t)x;
  return st;
}

/* A seed for GSL's generators: an integer an unsigned long holds. */
rp_status rp_cfg_want_seed(config_ctx *c, const char *key, const cJSON *v, unsigned long *out) {
  double x = 0.0;
  rp_status st = rp_cfg_want_integer(c, key, v, 0.0, (double)ULONG_MAX, &x);
  if (st == RP_OK) *out = (unsigned long)x;
  return st;
}

/* A name and where it was listed, sorted by name and then by position. */
typedef struct {
  const char *name;
  size_t at;
} listed;

static int by_name_then_position(const void *a, const void *b) {
  const listed *x = a, *y = b;
  int order = rp_text_compare(x->name, y->name); /* names as written out (text.h) */
  return order ? order : (x->at > y->at) - (x->at < y->at);
}

/* Whether a name in names[0..n) repeats an earlier one: then *later is the
 * first position that does, and *earlier the one it repeats.  Sorted rather
 * than compared pairwise, since a list of column names may be long.  -1 when
 * out of memory. */
static int find_repeat(const char *const *names, size_t n, size_t *later, size_t *earlier) {
  listed *sorted = malloc((n ? n : 1) * sizeof *sorted);
  if (!sorted) return -1;
  for (size_t i = 0; i < n; i++) sorted[i] = (listed){names[i], i};
  qsort(sorted, n, sizeof *sorted, by_name_then_position);
  int found = 0;
  for (size_t i = 1; i < n; i++) {
    if (rp_text_compare(sorted[i].name, sorted[i - 1].name) != 0) continue;
    /* sorted[i - 1] is a name's first place, sorted[i] its first repeat */
    if (!found || sorted[i].at < *later) *later = sorted[i].at, *earlier = sorted[i - 1].at;
    found = 1;
    while (i + 1 < n && rp_text_compare(sorted[i + 1].name, sorted[i].name) == 0) i++;
  }
  free(sorted);
  return found;
}

/* An object whose members share a name: cJSON keeps both, and silently using
 * one would hide a mistake. */
rp_status rp_cfg_check_duplicates(config_ctx *c, const char *prefix, const cJSON *obj) {
  size_t n = (size_t)cJSON_GetArraySize(obj), i = 0, later = 0, earlier = 0;
  const char **names = malloc((n ? n : 1) * sizeof *names);
  if (!names) return rp_cfg_no_memory(c);
  for (const cJSON *item = obj->child; item; item = item->next) names[i++] = item->string;
  int found = find_repeat(names, n, &later, &earlier);
  rp_status st = found < 0 ? rp_cfg_no_memory(c)
                 : found   ? rp_error_set(c->err, RP_ECONFIG, "%s%s%s: key given twice", prefix,
                                        prefix[0] ? "." : "", names[later])
                           : RP_OK;
  free(names);
  return st;
}

/* A list of distinct strings into *slot (owned by the config from the start,
 * so a failure halfway leaks nothing); items are named key[i] in messages.
 * `allow_empty`: "" is a value (a missing-value token), else an error; an
 * empty list is allowed only then too. */
rp_status rp_cfg_want_string_list(config_ctx *c, const char *key, const cJSON *v, const char *what,
                                  int allow_empty, char ***slot, size_t *n_slot) {
  rp_cfg_free_names(slot, n_slot);
  if (!cJSON_IsArray(v) || (!allow_empty && cJSON_GetArraySize(v) == 0))
    return rp_cfg_expected(c, key, what, v);
  size_t n = (size_t)cJSON_GetArraySize(v), i = 0, later = 0, earlier = 0;
  if (!(*slot = calloc(n ? n : 1, sizeof **slot))) return rp_cfg_no_memory(c);
  *n_slot = n;
  const cJSON *item;
  cJSON_ArrayForEach(item, v) {
    char ikey[KEY_MAX];
    snprintf(ikey, sizeof ikey, "%s[%zu]", key, i);
    const char *s = NULL;
    rp_status st = RP_OK;
    if (allow_empty && cJSON_IsString(item))
      s = item->valuestring;
    else
      st = rp_cfg_want_string(c, ikey, item, allow_empty ? "a string" : "a column name", &s);
    if (st == RP_OK) st = rp_cfg_store_string(c, &(*slot)[i++], s);
    if (st != RP_OK) return st;
  }
  int found = find_repeat((const char *const *)*slot, n, &later, &earlier);
  if (found < 0) return rp_cfg_no_memory(c);
  if (found)
    return rp_error_set(c->err, RP_ECONFIG, "%s[%zu]: %s\"%s\" is already listed at [%zu]", key,
                        later, allow_empty ? "" : "column ", (*slot)[later], earlier);
  return RP_OK;
}

/* ------------------------------------------------------------ storing */

rp_status rp_cfg_store_string(config_ctx *c, char **slot, const char *s) {
  free(*slot);
  *slot = s ? strdup(s) : NULL;
  return (s && !*slot) ? rp_cfg_no_memory(c) : RP_OK;
}

/* `path` as seen from the config file's folder, because that is where the
 * user wrote it from; absolute paths are kept, and a base of "." leaves a
 * relative path unchanged (same file, and it survives a round trip). */
static char *resolve_path(const char *base_dir, const char *path) {
  if (path[0] == '/' || !base_dir || base_dir[0] == '\0' || strcmp(base_dir, ".") == 0)
    return strdup(path);
  size_t nb = strlen(base_dir), np = strlen(path);
  const char *sep = base_dir[nb - 1] == '/' ? "" : "/";
  size_t size = nb + strlen(sep) + np + 1;
  char *joined = malloc(size);
  if (joined) snprintf(joined, size, "%s%s%s", base_dir, sep, path);
  return joined;
}

rp_status rp_cfg_store_path(config_ctx *c, char **slot, const char *path) {
  free(*slot);
  *slot = resolve_path(c->base_dir, path);
  return *slot ? RP_OK : rp_cfg_no_memory(c);
}

rp_status rp_cfg_store_numbers(config_ctx *c, const double *x, size_t n, double **slot,
                               size_t *n_slot) {
  free(*slot);
  *n_slot = 0;
  if (!(*slot = malloc(n * sizeof **slot))) return rp_cfg_no_memory(c);
  memcpy(*slot, x, n * sizeof *x);
  *n_slot = n;
  return RP_OK;
}

void rp_cfg_free_names(char ***names, size_t *n) {
  for (size_t i = 0; *names && i < *n; i++) free((*names)[i]);
  free(*names);
  *names = NULL;
  *n = 0;
}
