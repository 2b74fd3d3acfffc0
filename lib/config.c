/* config.c: the run configuration, read from JSON and validated (see
 * regpath/config.h).
 *
 * The text is parsed with cJSON, "--set section.key=value" overrides are
 * spliced into the tree, and the tree is then validated in one walk driven by
 * the table of known keys (KEYS below): each key has one setter, which checks
 * the value with a shared helper (integer >= k, number in a range, one of a
 * list of names, ...) and stores it.  Every message about a value starts with
 * its dotted key and quotes the offending JSON.
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include "regpath/config.h"
#include "regpath/table.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "json.h"
#include "text.h"

#define KEY_MAX 256 /* a dotted key with an index or a column name      */
/* The config file is read whole.  At their caps (below) its lists take far
 * less: 1M fold ids are 2 to 8 MB, 1M column names some 20 MB. */
#define CONFIG_MAX_BYTES ((size_t)64 << 20)
#define GOT_MAX 40  /* longest JSON value quoted back in a message       */
#define LEV_MAX 64  /* longest name compared for did-you-mean suggestions */

/* What the validation walk needs besides the value at hand. */
typedef struct {
  rp_config *cfg;
  const char *base_dir; /* relative paths are joined to it */
  rp_error *err;
  int has_penalty; /* model.penalty and model.l1_ratio exclude each other */
  int has_l1_ratio;
  int has_metric;  /* cv.metric given: no family default */
} ctx;

/* ------------------------------------------------------------ messages */

/* The offending value as compact JSON, cut to GOT_MAX bytes with "..." so that
 * a huge array does not flood the message.  cJSON prints non-finite numbers
 * (1e999 overflows to inf) as null, which would mislead, so say what it is. */
static void describe_value(const cJSON *v, char *buf, size_t size) {
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
static rp_status expected(ctx *c, const char *key, const char *what, const cJSON *v) {
  char got[GOT_MAX + 32];
  describe_value(v, got, sizeof got);
  return rp_error_set(c->err, RP_ECONFIG, "%s: expected %s, got %s", key, what, got);
}

static rp_status no_memory(ctx *c) {
  return rp_error_set(c->err, RP_ENOMEM, "out of memory while reading the config");
}

/* ------------------------------------------------------------ caps
 *
 * Every list (and map) a config can hold has a cap far above any real use,
 * so that a mistaken or hostile config fails at once instead of taking the
 * machine's memory: it is checked on the JSON text, before cJSON builds the
 * tree (see check_sizes). */

typedef struct {
  size_t max;
  const char *what; /* what the list holds, in messages: "alphas" */
  const char *hint; /* what to do instead, or NULL */
} list_cap;

/* Each alpha is one more fit on the data and in every fold, and a row of p
 * coefficients in the path, in the folds' counts and in the report: 10M
 * alphas on the 10 columns of the diabetes data took 8.8 GB.  glmnet and
 * scikit-learn use 100, and 10000 is finer than any plot shows.  Also caps
 * path.n_alphas. */
static const list_cap ALPHAS_CAP = {10000, "alphas",
                               "each alpha is one more fit in every fold; a few hundred trace a "
                               "smooth path"};
/* Each l1_ratio is a whole path with its cross-validation and 6 output
 * files: a grid of 11 or 21 is common, more than 100 a mistake. */
static const list_cap L1_RATIO_CAP = {100, "values",
                                 "each one is a whole path with its cross-validation and its own "
                                 "output files"};
/* One name per column.  A CSV header within the default data.max_line_bytes
 * (1 MiB) names at most 524288 columns, and 1M columns of only 1000 rows are
 * 8 GB of design matrix.  Names are compared after sorting, never pairwise. */
static const list_cap COLUMNS_CAP = {1000000, "column names",
                                "null uses every column but the target and the fold column"};
/* A factor per feature at most: the same bound as the column names. */
static const list_cap FACTORS_CAP = {1000000, "factors", "features not named get 1: name only the others"};
/* One per training row, checked against the data later.  1M ids are 2 to 8
 * MB of config; data with more rows has room for a column of them. */
static const list_cap FOLD_IDS_CAP = {1000000, "fold ids",
                                 "for more rows, put them in a column of data.train and give its "
                                 "name: \"fold_ids\": \"fold\""};
/* Everything else holds a single value, and the top level and each section
 * a few keys: 100 leaves room for the mistakes that validation reports by
 * name (a key given twice, an unknown key). */
static const list_cap OTHER_CAP = {100, NULL, NULL};

/* "key: expected at most 10000 alphas, got 123456 (what to do)".  `unit`
 * names what was counted when the cap does not ("keys", "values"). */
static rp_status too_many(rp_error *err, const char *key, const list_cap *cap, const char *unit,
                          size_t n) {
  return rp_error_set(err, RP_ECONFIG, "%s: expected at most %zu %s, got %zu%s%s%s",
                      key[0] ? key : "the top level", cap->max, cap->what ? cap->what : unit, n,
                      cap->hint ? " (" : "", cap->hint ? cap->hint : "", cap->hint ? ")" : "");
}

/* ------------------------------------------------------------ value checks */

/* An interval of the real line and how messages describe it. */
typedef struct {
  double lo, hi;
  int lo_open, hi_open;
  const char *what;
} range;

static const range UNIT = {0.0, 1.0, 0, 0, "a number in [0, 1]"};
static const range OPEN_UNIT = {0.0, 1.0, 1, 1, "a number in (0, 1)"};
static const range POSITIVE = {0.0, HUGE_VAL, 1, 0, "a positive number"};
static const range NONNEGATIVE = {0.0, HUGE_VAL, 0, 0, "a number >= 0"};

/* A finite JSON number inside `r`. */
static rp_status want_number(ctx *c, const char *key, const cJSON *v, const range *r, double *out) {
  if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble)) return expected(c, key, r->what, v);
  double x = v->valuedouble;
  int below = r->lo_open ? !(x > r->lo) : !(x >= r->lo);
  int above = r->hi_open ? !(x < r->hi) : !(x <= r->hi);
  if (below || above) return expected(c, key, r->what, v);
  *out = x;
  return RP_OK;
}

/* An integer >= lo that the destination type can hold, i.e. below `limit`
 * (an exclusive bound such as (double)SIZE_MAX, exact as a double).  JSON has
 * only numbers, so an integer is a number with no fractional part: 1e3 is one,
 * 2.5 is not. */
static rp_status want_integer(ctx *c, const char *key, const cJSON *v, double lo, double limit,
                              double *out) {
  char what[64];
  snprintf(what, sizeof what, "an integer >= %.0f", lo);
  if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble)) return expected(c, key, what, v);
  double x = v->valuedouble;
  if (x != floor(x) || x < lo) return expected(c, key, what, v);
  if (!(x < limit)) {
    char got[GOT_MAX + 32];
    describe_value(v, got, sizeof got);
    return rp_error_set(c->err, RP_ECONFIG, "%s: expected %s, got %s (too large)", key, what, got);
  }
  *out = x;
  return RP_OK;
}

static rp_status want_bool(ctx *c, const char *key, const cJSON *v, int *out) {
  if (!cJSON_IsBool(v)) return expected(c, key, "true or false", v);
  *out = cJSON_IsTrue(v) ? 1 : 0;
  return RP_OK;
}

/* A non-empty string (file and column names are never empty). */
static rp_status want_string(ctx *c, const char *key, const cJSON *v, const char *what,
                             const char **out) {
  if (!cJSON_IsString(v) || v->valuestring[0] == '\0') return expected(c, key, what, v);
  *out = v->valuestring;
  return RP_OK;
}

/* One of `names` (listed in the order of the C enum, so the index is the enum
 * value).  The message lists every accepted name. */
static rp_status want_name(ctx *c, const char *key, const cJSON *v, const char *const *names,
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
  return expected(c, key, what, v);
}

/* A non-empty array of numbers in `r`, stored in *slot (owned by the config
 * from the start, so a failure halfway leaks nothing).  Elements are named
 * key[i] in messages. */
static rp_status want_number_list(ctx *c, const char *key, const cJSON *v, const range *r,
                                  const char *what, double **slot, size_t *n_slot) {
  if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) == 0) return expected(c, key, what, v);
  size_t n = (size_t)cJSON_GetArraySize(v);
  free(*slot);
  *n_slot = 0;
  if (!(*slot = calloc(n, sizeof **slot))) return no_memory(c);
  *n_slot = n;
  size_t i = 0;
  const cJSON *item;
  cJSON_ArrayForEach(item, v) {
    char ikey[KEY_MAX];
    snprintf(ikey, sizeof ikey, "%s[%zu]", key, i);
    rp_status st = want_number(c, ikey, item, r, &(*slot)[i]);
    if (st != RP_OK) return st;
    i++;
  }
  return RP_OK;
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
static rp_status check_duplicates(ctx *c, const char *prefix, const cJSON *obj) {
  size_t n = (size_t)cJSON_GetArraySize(obj), i = 0, later = 0, earlier = 0;
  const char **names = malloc((n ? n : 1) * sizeof *names);
  if (!names) return no_memory(c);
  for (const cJSON *item = obj->child; item; item = item->next) names[i++] = item->string;
  int found = find_repeat(names, n, &later, &earlier);
  rp_status st = found < 0 ? no_memory(c)
                 : found  ? rp_error_set(c->err, RP_ECONFIG, "%s%s%s: key given twice", prefix,
                                         prefix[0] ? "." : "", names[later])
                          : RP_OK;
  free(names);
  return st;
}

/* ------------------------------------------------------------ storing */

static rp_status store_string(ctx *c, char **slot, const char *s) {
  free(*slot);
  *slot = s ? strdup(s) : NULL;
  return (s && !*slot) ? no_memory(c) : RP_OK;
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

static rp_status store_path(ctx *c, char **slot, const char *path) {
  free(*slot);
  *slot = resolve_path(c->base_dir, path);
  return *slot ? RP_OK : no_memory(c);
}

static rp_status store_numbers(ctx *c, const double *x, size_t n, double **slot, size_t *n_slot) {
  free(*slot);
  *n_slot = 0;
  if (!(*slot = malloc(n * sizeof **slot))) return no_memory(c);
  memcpy(*slot, x, n * sizeof *x);
  *n_slot = n;
  return RP_OK;
}

/* ------------------------------------------------------------ names */

/* Accepted names, in the order of the C enums they map to. */
static const char *const FAMILY_NAMES[] = {"gaussian", "binomial", "poisson"};
static const char *const CONVENTION_NAMES[] = {"standard", "glmnet"};
#define METRIC_NAMES rp_metric_names
static const char *const RULE_NAMES[] = {"1se", "min"};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* model.penalty is a shorthand for model.l1_ratio. */
static const char *const PENALTY_NAMES[] = {"lasso", "ridge", "elasticnet", "compare"};
static const struct {
  double l1_ratios[3];
  size_t n;
} PENALTY_RATIOS[] = {{{1.0}, 1}, {{0.0}, 1}, {{0.5}, 1}, {{1.0, 0.5, 0.0}, 3}};

static const char *name_of(const char *const *names, size_t n, int value) {
  return value >= 0 && (size_t)value < n ? names[value] : "?";
}

/* ------------------------------------------------------------ setters */

typedef rp_status (*setter)(ctx *c, const char *key, const cJSON *v);

static rp_status set_train(ctx *c, const char *key, const cJSON *v) {
  const char *s = NULL;
  rp_status st = want_string(c, key, v, "a file path", &s);
  return st != RP_OK ? st : store_path(c, &c->cfg->train, s);
}

static rp_status set_test(ctx *c, const char *key, const cJSON *v) {
  const char *s = NULL;
  rp_status st = cJSON_IsNull(v) ? RP_OK : want_string(c, key, v, "a file path or null", &s);
  return st != RP_OK || !s ? st : store_path(c, &c->cfg->test, s);
}

static rp_status set_test_fraction(ctx *c, const char *key, const cJSON *v) {
  c->cfg->test_fraction = 0.0;
  return cJSON_IsNull(v) ? RP_OK : want_number(c, key, v, &OPEN_UNIT, &c->cfg->test_fraction);
}

/* A count or size: an integer >= lo that a size_t holds. */
static rp_status want_size(ctx *c, const char *key, const cJSON *v, double lo, size_t *out) {
  double x = 0.0;
  rp_status st = want_integer(c, key, v, lo, (double)SIZE_MAX, &x);
  if (st == RP_OK) *out = (size_t)x;
  return st;
}

/* A seed for GSL's generators: an integer an unsigned long holds. */
static rp_status want_seed(ctx *c, const char *key, const cJSON *v, unsigned long *out) {
  double x = 0.0;
  rp_status st = want_integer(c, key, v, 0.0, (double)ULONG_MAX, &x);
  if (st == RP_OK) *out = (unsigned long)x;
  return st;
}

static rp_status set_test_seed(ctx *c, const char *key, const cJSON *v) {
  return want_seed(c, key, v, &c->cfg->test_seed);
}

static rp_status set_max_line(ctx *c, const char *key, const cJSON *v) {
  return want_size(c, key, v, (double)RP_CSV_MIN_MAX_LINE, &c->cfg->max_line);
}

static rp_status set_target(ctx *c, const char *key, const cJSON *v) {
  const char *s = NULL;
  rp_status st = cJSON_IsNull(v) ? RP_OK : want_string(c, key, v, "a column name or null", &s);
  return st != RP_OK ? st : store_string(c, &c->cfg->target, s);
}

static void free_features(rp_config *cfg) {
  for (size_t i = 0; i < cfg->n_features; i++) free(cfg->features[i]);
  free(cfg->features);
  cfg->features = NULL;
  cfg->n_features = 0;
}

static rp_status set_features(ctx *c, const char *key, const cJSON *v) {
  rp_config *cfg = c->cfg;
  free_features(cfg);
  if (cJSON_IsNull(v)) return RP_OK;
  if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) == 0)
    return expected(c, key, "a non-empty list of column names or null", v);
  size_t n = (size_t)cJSON_GetArraySize(v);
  if (!(cfg->features = calloc(n, sizeof *cfg->features))) return no_memory(c);
  cfg->n_features = n;
  size_t i = 0, later = 0, earlier = 0;
  const cJSON *item;
  cJSON_ArrayForEach(item, v) {
    char ikey[KEY_MAX];
    snprintf(ikey, sizeof ikey, "%s[%zu]", key, i);
    const char *s = NULL;
    rp_status st = want_string(c, ikey, item, "a column name", &s);
    if (st == RP_OK) st = store_string(c, &cfg->features[i++], s);
    if (st != RP_OK) return st;
  }
  int found = find_repeat((const char *const *)cfg->features, n, &later, &earlier);
  if (found < 0) return no_memory(c);
  if (found)
    return rp_error_set(c->err, RP_ECONFIG, "%s[%zu]: column \"%s\" is already listed at [%zu]",
                        key, later, cfg->features[later], earlier);
  return RP_OK;
}

static rp_status set_family(ctx *c, const char *key, const cJSON *v) {
  size_t i = 0;
  rp_status st = want_name(c, key, v, FAMILY_NAMES, COUNT(FAMILY_NAMES), &i);
  if (st == RP_OK) c->cfg->family = (rp_family)i;
  return st;
}

/* Fitting the same l1_ratio twice is surely a typo, and it would make the
 * per-ratio outputs ambiguous. */
static rp_status check_distinct(ctx *c, const char *key, const double *x, size_t n) {
  for (size_t i = 1; i < n; i++)
    for (size_t j = 0; j < i; j++)
      if (x[i] == x[j])
        return rp_error_set(c->err, RP_ECONFIG, "%s[%zu]: %g is already listed at [%zu]", key, i,
                            x[i], j);
  return RP_OK;
}

static rp_status set_l1_ratio(ctx *c, const char *key, const cJSON *v) {
  rp_config *cfg = c->cfg;
  rp_status st;
  c->has_l1_ratio = 1;
  if (cJSON_IsNumber(v)) {
    double x = 0.0;
    st = want_number(c, key, v, &UNIT, &x);
    return st != RP_OK ? st : store_numbers(c, &x, 1, &cfg->l1_ratios, &cfg->n_l1_ratios);
  }
  st = want_number_list(c, key, v, &UNIT, "a number in [0, 1] or a non-empty list of them",
                        &cfg->l1_ratios, &cfg->n_l1_ratios);
  return st != RP_OK ? st : check_distinct(c, key, cfg->l1_ratios, cfg->n_l1_ratios);
}

static rp_status set_penalty(ctx *c, const char *key, const cJSON *v) {
  size_t i = 0;
  c->has_penalty = 1;
  rp_status st = want_name(c, key, v, PENALTY_NAMES, COUNT(PENALTY_NAMES), &i);
  if (st != RP_OK) return st;
  return store_numbers(c, PENALTY_RATIOS[i].l1_ratios, PENALTY_RATIOS[i].n, &c->cfg->l1_ratios,
                       &c->cfg->n_l1_ratios);
}

static rp_status set_standardize(ctx *c, const char *key, const cJSON *v) {
  return want_bool(c, key, v, &c->cfg->standardize);
}

static rp_status set_fit_intercept(ctx *c, const char *key, const cJSON *v) {
  return want_bool(c, key, v, &c->cfg->fit_intercept);
}

static rp_status set_convention(ctx *c, const char *key, const cJSON *v) {
  size_t i = 0;
  rp_status st = want_name(c, key, v, CONVENTION_NAMES, COUNT(CONVENTION_NAMES), &i);
  if (st == RP_OK) c->cfg->convention = (rp_convention)i;
  return st;
}

static void free_penalty_factors(rp_config *cfg) {
  for (size_t i = 0; i < cfg->n_pf; i++) free(cfg->pf_names[i]);
  free(cfg->pf_names);
  free(cfg->pf_values);
  cfg->pf_names = NULL;
  cfg->pf_values = NULL;
  cfg->n_pf = 0;
}

/* {column: factor}; whether the columns exist is checked with the data. */
static rp_status set_penalty_factor(ctx *c, const char *key, const cJSON *v) {
  rp_config *cfg = c->cfg;
  free_penalty_factors(cfg);
  if (!cJSON_IsObject(v)) return expected(c, key, "an object {\"column\": factor >= 0}", v);
  rp_status st = check_duplicates(c, key, v);
  if (st != RP_OK) return st;
  size_t n = (size_t)cJSON_GetArraySize(v);
  if (n == 0) return RP_OK;
  cfg->pf_names = calloc(n, sizeof *cfg->pf_names);
  cfg->pf_values = calloc(n, sizeof *cfg->pf_values);
  if (!cfg->pf_names || !cfg->pf_values) return no_memory(c);
  cfg->n_pf = n;
  size_t i = 0;
  const cJSON *item;
  cJSON_ArrayForEach(item, v) {
    char ikey[KEY_MAX];
    snprintf(ikey, sizeof ikey, "%s.%s", key, item->string);
    if ((st = want_number(c, ikey, item, &NONNEGATIVE, &cfg->pf_values[i])) != RP_OK) return st;
    if ((st = store_string(c, &cfg->pf_names[i], item->string)) != RP_OK) return st;
    i++;
  }
  return RP_OK;
}

static rp_status set_n_alphas(ctx *c, const char *key, const cJSON *v) {
  rp_status st = want_size(c, key, v, 1.0, &c->cfg->n_alphas);
  if (st == RP_OK && c->cfg->n_alphas > ALPHAS_CAP.max)
    return too_many(c->err, key, &ALPHAS_CAP, NULL, c->cfg->n_alphas);
  return st;
}

/* null = chosen from the data's shape later, which rp_fit_options spells 0. */
static rp_status set_alpha_min_ratio(ctx *c, const char *key, const cJSON *v) {
  c->cfg->alpha_min_ratio = 0.0;
  return cJSON_IsNull(v) ? RP_OK : want_number(c, key, v, &OPEN_UNIT, &c->cfg->alpha_min_ratio);
}

/* The path is warm-started from the largest alpha down, so an explicit grid
 * must be strictly decreasing. */
static rp_status set_alphas(ctx *c, const char *key, const cJSON *v) {
  rp_config *cfg = c->cfg;
  free(cfg->alphas);
  cfg->alphas = NULL;
  cfg->n_explicit = 0;
  if (cJSON_IsNull(v)) return RP_OK;
  rp_status st =
      want_number_list(c, key, v, &POSITIVE, "a non-empty list of positive numbers or null",
                       &cfg->alphas, &cfg->n_explicit);
  if (st != RP_OK) return st;
  for (size_t i = 1; i < cfg->n_explicit; i++)
    if (!(cfg->alphas[i] < cfg->alphas[i - 1]))
      return rp_error_set(c->err, RP_ECONFIG,
                          "%s: expected a strictly decreasing list, but [%zu] = %g is not below "
                          "[%zu] = %g",
                          key, i, cfg->alphas[i], i - 1, cfg->alphas[i - 1]);
  return RP_OK;
}

static const char *const ALPHA_UNIT_NAMES[] = {"regpath", "sklearn"};

static rp_status set_alpha_units(ctx *c, const char *key, const cJSON *v) {
  size_t x = 0;
  rp_status st = want_name(c, key, v, ALPHA_UNIT_NAMES, COUNT(ALPHA_UNIT_NAMES), &x);
  c->cfg->alphas_sklearn = (int)x;
  return st;
}

static rp_status set_tol(ctx *c, const char *key, const cJSON *v) {
  return want_number(c, key, v, &POSITIVE, &c->cfg->tol);
}

static rp_status set_gap_tol(ctx *c, const char *key, const cJSON *v) {
  return want_number(c, key, v, &NONNEGATIVE, &c->cfg->gap_tol);
}

static rp_status set_max_iter(ctx *c, const char *key, const cJSON *v) {
  double x = 0.0;
  /* -(double)LONG_MIN is 2^63 exactly: the first value a long cannot hold. */
  rp_status st = want_integer(c, key, v, 1.0, -(double)LONG_MIN, &x);
  if (st == RP_OK) c->cfg->max_iter = (long)x;
  return st;
}

static rp_status set_early_stop(ctx *c, const char *key, const cJSON *v) {
  return want_bool(c, key, v, &c->cfg->early_stop);
}

static rp_status set_folds(ctx *c, const char *key, const cJSON *v) {
  return want_size(c, key, v, 2.0, &c->cfg->folds);
}

static rp_status set_seed(ctx *c, const char *key, const cJSON *v) {
  return want_seed(c, key, v, &c->cfg->seed);
}

static rp_status set_metric(ctx *c, const char *key, const cJSON *v) {
  size_t i = 0;
  rp_status st = want_name(c, key, v, METRIC_NAMES, RP_N_METRICS, &i);
  if (st == RP_OK) c->cfg->metric = (rp_metric)i, c->has_metric = 1;
  return st;
}

static rp_status set_stratified(ctx *c, const char *key, const cJSON *v) {
  return want_bool(c, key, v, &c->cfg->stratified);
}

static rp_status set_rule(ctx *c, const char *key, const cJSON *v) {
  size_t i = 0;
  rp_status st = want_name(c, key, v, RULE_NAMES, COUNT(RULE_NAMES), &i);
  if (st == RP_OK) c->cfg->rule = (rp_rule)i;
  return st;
}

/* Fold ids are either listed (one per training row; the count is checked
 * against the data later) or read from a column of the CSV. */
static rp_status set_fold_ids(ctx *c, const char *key, const cJSON *v) {
  rp_config *cfg = c->cfg;
  static const char what[] = "a non-empty list of fold numbers, a column name or null";
  free(cfg->fold_ids);
  cfg->fold_ids = NULL;
  cfg->n_fold_ids = 0;
  free(cfg->fold_column);
  cfg->fold_column = NULL;
  if (cJSON_IsNull(v)) return RP_OK;
  if (cJSON_IsString(v)) {
    const char *s = NULL;
    rp_status st = want_string(c, key, v, what, &s);
    return st != RP_OK ? st : store_string(c, &cfg->fold_column, s);
  }
  if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) == 0) return expected(c, key, what, v);
  size_t n = (size_t)cJSON_GetArraySize(v);
  if (!(cfg->fold_ids = calloc(n, sizeof *cfg->fold_ids))) return no_memory(c);
  cfg->n_fold_ids = n;
  size_t i = 0;
  const cJSON *item;
  cJSON_ArrayForEach(item, v) {
    char ikey[KEY_MAX];
    double x = 0.0;
    snprintf(ikey, sizeof ikey, "%s[%zu]", key, i);
    rp_status st = want_integer(c, ikey, item, 1.0, (double)INT_MAX + 1.0, &x);
    if (st != RP_OK) return st;
    cfg->fold_ids[i++] = (int)x;
  }
  return RP_OK;
}

static rp_status set_output_dir(ctx *c, const char *key, const cJSON *v) {
  const char *s = NULL;
  rp_status st = want_string(c, key, v, "a folder path", &s);
  return st != RP_OK ? st : store_path(c, &c->cfg->output_dir, s);
}

static rp_status set_plots(ctx *c, const char *key, const cJSON *v) {
  return want_bool(c, key, v, &c->cfg->plots);
}

static const char *const RENDER_NAMES[] = {"auto", "png", "svg", "none"};

static rp_status set_render(ctx *c, const char *key, const cJSON *v) {
  size_t x = 0;
  rp_status st = want_name(c, key, v, RENDER_NAMES, COUNT(RENDER_NAMES), &x);
  if (st == RP_OK) c->cfg->render = (rp_render)x;
  return st;
}

/* Every key the config may hold; README.md's "Config reference" mirrors it. */
static const struct {
  const char *key;
  setter set;
} KEYS[] = {
    {"data.train", set_train},
    {"data.target", set_target},
    {"data.features", set_features},
    {"data.test", set_test},
    {"data.test_fraction", set_test_fraction},
    {"data.test_seed", set_test_seed},
    {"data.max_line_bytes", set_max_line},
    {"model.family", set_family},
    {"model.l1_ratio", set_l1_ratio},
    {"model.penalty", set_penalty},
    {"model.standardize", set_standardize},
    {"model.fit_intercept", set_fit_intercept},
    {"model.convention", set_convention},
    {"model.penalty_factor", set_penalty_factor},
    {"path.n_alphas", set_n_alphas},
    {"path.alpha_min_ratio", set_alpha_min_ratio},
    {"path.alphas", set_alphas},
    {"path.alpha_units", set_alpha_units},
    {"path.tol", set_tol},
    {"path.gap_tol", set_gap_tol},
    {"path.max_iter", set_max_iter},
    {"path.early_stop", set_early_stop},
    {"cv.folds", set_folds},
    {"cv.seed", set_seed},
    {"cv.metric", set_metric},
    {"cv.rule", set_rule},
    {"cv.fold_ids", set_fold_ids},
    {"cv.stratified", set_stratified},
    {"output.dir", set_output_dir},
    {"output.plots", set_plots},
    {"output.render", set_render},
};

static const char *const SECTIONS[] = {"data", "model", "path", "cv", "output"};

/* The keys that hold a list (or a map), with their caps; every other key
 * holds at most OTHER_CAP values. */
static const struct {
  const char *key;
  const list_cap *cap;
} LISTS[] = {
    {"data.features", &COLUMNS_CAP},
    {"model.l1_ratio", &L1_RATIO_CAP},
    {"model.penalty_factor", &FACTORS_CAP},
    {"path.alphas", &ALPHAS_CAP},
    {"cv.fold_ids", &FOLD_IDS_CAP},
};

static setter find_setter(const char *dotted) {
  for (size_t i = 0; i < COUNT(KEYS); i++)
    if (strcmp(KEYS[i].key, dotted) == 0) return KEYS[i].set;
  return NULL;
}

static int is_section(const char *name) {
  for (size_t i = 0; i < COUNT(SECTIONS); i++)
    if (strcmp(SECTIONS[i], name) == 0) return 1;
  return 0;
}

/* ------------------------------------------------------------ suggestions */

/* Levenshtein distance ignoring case; both strings shorter than LEV_MAX. */
static size_t edit_distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  size_t prev[LEV_MAX + 1], cur[LEV_MAX + 1];
  for (size_t j = 0; j <= lb; j++) prev[j] = j;
  for (size_t i = 1; i <= la; i++) {
    cur[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t sub = prev[j - 1] +
                   (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]) ? 1u : 0u);
      size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
      cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
    }
    memcpy(prev, cur, (lb + 1) * sizeof *prev);
  }
  return prev[lb];
}

/* `name` lowercased without '_' and '-', so "nAlphas" and "n-alphas" meet
 * "n_alphas". */
static void normalize(const char *name, char *out, size_t size) {
  size_t k = 0;
  for (; *name && k + 1 < size; name++)
    if (*name != '_' && *name != '-') out[k++] = (char)tolower((unsigned char)*name);
  out[k] = '\0';
}

/* Do two key names (without section) look like the same key?  Equal up to
 * case and underscores, or one a clear prefix or suffix of the other
 * ("min_ratio" for "alpha_min_ratio"). */
static int same_name(const char *a, const char *b) {
  char na[LEV_MAX], nb[LEV_MAX];
  normalize(a, na, sizeof na);
  normalize(b, nb, sizeof nb);
  size_t la = strlen(na), lb = strlen(nb);
  if (la == 0 || lb == 0) return 0;
  if (strcmp(na, nb) == 0) return 1;
  const char *shorter = la < lb ? na : nb, *longer = la < lb ? nb : na;
  size_t ls = la < lb ? la : lb, ll = la < lb ? lb : la;
  return ls >= 4 && (strncmp(longer, shorter, ls) == 0 || strcmp(longer + ll - ls, shorter) == 0);
}

static const char *after_dot(const char *dotted) {
  const char *dot = strchr(dotted, '.');
  return dot ? dot + 1 : dotted;
}

/* The known key or section the user most likely meant by `unknown`, or NULL.
 * First a small edit distance (<= 2 and under half the name, so that "io"
 * does not suggest "cv"), then the same key name in any section (a key put in
 * the wrong section, or a top-level "folds"), preferring the unknown's own
 * section. */
static const char *suggest(const char *unknown) {
  const char *best = NULL;
  size_t best_d = 3, lu = strlen(unknown);
  for (size_t i = 0; i < COUNT(KEYS) + COUNT(SECTIONS); i++) {
    const char *cand = i < COUNT(KEYS) ? KEYS[i].key : SECTIONS[i - COUNT(KEYS)];
    size_t lc = strlen(cand);
    if (lu >= LEV_MAX || lc >= LEV_MAX || (lu > lc ? lu - lc : lc - lu) > 2) continue;
    size_t d = edit_distance(unknown, cand);
    if (d < best_d && 2 * d < lu) best = cand, best_d = d;
  }
  if (best) return best;
  size_t sec_len = (size_t)(after_dot(unknown) - unknown);
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < COUNT(KEYS); i++) {
      int same_section = sec_len > 0 && strncmp(KEYS[i].key, unknown, sec_len) == 0;
      if ((pass == 0) == same_section && same_name(after_dot(unknown), after_dot(KEYS[i].key)))
        return KEYS[i].key;
    }
  return NULL;
}

static rp_status unknown_key(rp_error *err, const char *dotted) {
  const char *hint = suggest(dotted);
  if (hint)
    return rp_error_set(err, RP_ECONFIG, "unknown key \"%s\" (did you mean \"%s\"?)", dotted,
                        hint);
  return rp_error_set(err, RP_ECONFIG, "unknown key \"%s\"", dotted);
}

/* ------------------------------------------------------------ sizes, before the tree
 *
 * cJSON spends about 80 bytes on each value it parses: 10M alphas took
 * 950 MB before a setter saw them.  So the lists are counted on the text
 * first, which needs no memory, and a list over its cap fails at once.  The
 * count only steps over the text: anything that is not JSON stops it, and
 * cJSON then reports where. */

typedef struct {
  const char *p, *end;
} cursor;

#define NEST_MAX 1000 /* cJSON's own limit (CJSON_NESTING_LIMIT) */

static int is_blank(char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'; }

static void skip_blanks(cursor *s) {
  while (s->p < s->end && is_blank(*s->p)) s->p++;
}

static int looking_at(const cursor *s, char ch) { return s->p < s->end && *s->p == ch; }

/* Past a string literal, s->p at its opening quote.  Its text (escapes as
 * written) goes into name, cut to size, when name is not NULL. */
static void skip_string(cursor *s, char *name, size_t size) {
  const char *start = ++s->p;
  for (; s->p < s->end && *s->p != '"'; s->p++)
    if (*s->p == '\\' && s->p + 1 < s->end) s->p++;
  if (name) {
    size_t n = (size_t)(s->p - start) < size ? (size_t)(s->p - start) : size - 1;
    memcpy(name, start, n);
    name[n] = '\0';
  }
  if (s->p < s->end) s->p++;
}

/* Past `"name":`; 0 when the text is not that. */
static int skip_name(cursor *s, char *name, size_t size) {
  skip_blanks(s);
  if (!looking_at(s, '"')) return 0;
  skip_string(s, name, size);
  skip_blanks(s);
  return looking_at(s, ':') ? (s->p++, 1) : 0;
}

/* Past one value; returns how many values it holds, nested ones included (0
 * for a string, a number or a literal). */
static size_t skip_value(cursor *s, int depth) {
  skip_blanks(s);
  if (looking_at(s, '"')) {
    skip_string(s, NULL, 0);
    return 0;
  }
  if (!looking_at(s, '[') && !looking_at(s, '{')) {
    while (s->p < s->end && !is_blank(*s->p) && !strchr(",:[]{}\"", *s->p)) s->p++;
    return 0;
  }
  int object = *s->p++ == '{';
  char close = object ? '}' : ']';
  size_t n = 0;
  while (depth < NEST_MAX) {
    skip_blanks(s);
    if (looking_at(s, close)) {
      s->p++;
      return n;
    }
    if (object && !skip_name(s, NULL, 0)) break;
    n += 1 + skip_value(s, depth + 1);
    skip_blanks(s);
    if (looking_at(s, ',')) s->p++;
    else if (!looking_at(s, close)) break;
  }
  s->p = s->end; /* not JSON, or nested too deep: cJSON says so */
  return n;
}

/* `n` values (or keys) under `dotted` ("" for the top level), against the
 * cap of that key; an unknown name over the cap is reported as unknown. */
static rp_status check_size(rp_error *err, const char *dotted, size_t n, const char *unit) {
  const list_cap *cap = &OTHER_CAP;
  for (size_t i = 0; i < COUNT(LISTS); i++)
    if (strcmp(LISTS[i].key, dotted) == 0) cap = LISTS[i].cap;
  if (n <= cap->max) return RP_OK;
  if (dotted[0] && !is_section(dotted) && !find_setter(dotted)) return unknown_key(err, dotted);
  return too_many(err, dotted, cap, unit, n);
}

/* The object at s->p: the top level (prefix "") or a section, whose members
 * are keys.  Each member's size is checked, then their number. */
static rp_status scan_object(cursor *s, const char *prefix, rp_error *err) {
  size_t members = 0;
  rp_status st = RP_OK;
  for (s->p++; st == RP_OK; s->p++) { /* past the '{', then past each ',' */
    char name[KEY_MAX], dotted[2 * KEY_MAX];
    if (!skip_name(s, name, sizeof name)) break; /* the end, or not JSON */
    members++;
    snprintf(dotted, sizeof dotted, "%s%s%s", prefix, prefix[0] ? "." : "", name);
    skip_blanks(s);
    if (!prefix[0] && looking_at(s, '{'))
      st = scan_object(s, dotted, err);
    else
      st = check_size(err, dotted, skip_value(s, 2), "values");
    skip_blanks(s);
    if (!looking_at(s, ',')) break;
  }
  skip_blanks(s);
  if (looking_at(s, '}')) s->p++;
  return st != RP_OK ? st : check_size(err, prefix, members, "keys");
}

/* Every list of the config text against its cap, before cJSON parses it. */
static rp_status check_sizes(const char *text, size_t len, rp_error *err) {
  cursor s = {text, text + len};
  skip_blanks(&s);
  if (looking_at(&s, '{')) return scan_object(&s, "", err);
  return check_size(err, "", skip_value(&s, 0), "values");
}

/* ------------------------------------------------------------ validation */

static rp_status validate_section(ctx *c, const char *section, const cJSON *obj) {
  rp_status st = check_duplicates(c, section, obj);
  for (const cJSON *item = obj->child; st == RP_OK && item; item = item->next) {
    char dotted[KEY_MAX];
    snprintf(dotted, sizeof dotted, "%s.%s", section, item->string);
    setter set = find_setter(dotted);
    st = set ? set(c, dotted, item) : unknown_key(c->err, dotted);
  }
  return st;
}

/* The defaults that depend on the family, and the keys that must agree with
 * it: cv.glmnet's default measure is the deviance for binomial and poisson
 * (mse for gaussian), and binomial folds keep the class ratio. */
static rp_status finish_family(ctx *c) {
  rp_config *cfg = c->cfg;
  if (!c->has_metric && cfg->family != RP_FAMILY_GAUSSIAN) cfg->metric = RP_METRIC_DEVIANCE;
  if (cfg->stratified < 0) cfg->stratified = cfg->family == RP_FAMILY_BINOMIAL;
  if (!rp_metric_fits_family(cfg->metric, cfg->family))
    return rp_error_set(c->err, RP_ECONFIG, "cv.metric: \"%s\" needs model.family \"binomial\" "
                        "(the family is \"%s\")", rp_metric_name(cfg->metric),
                        FAMILY_NAMES[cfg->family]);
  if (cfg->stratified && cfg->family != RP_FAMILY_BINOMIAL)
    return rp_error_set(c->err, RP_ECONFIG, "cv.stratified: true needs model.family \"binomial\" "
                        "(classes to stratify by)");
  return RP_OK;
}

/* Walk the tree once, storing every key, then check what only the whole
 * config can tell. */
static rp_status validate(ctx *c, const cJSON *root) {
  rp_status st = check_duplicates(c, "", root);
  for (const cJSON *sec = root->child; st == RP_OK && sec; sec = sec->next) {
    if (find_setter(sec->string))
      st = rp_error_set(c->err, RP_ECONFIG,
                        "unknown key \"%s\" (sections nest: write {\"%.*s\": {\"%s\": ...}})",
                        sec->string, (int)(after_dot(sec->string) - sec->string - 1), sec->string,
                        after_dot(sec->string));
    else if (!is_section(sec->string))
      st = unknown_key(c->err, sec->string);
    else if (!cJSON_IsObject(sec))
      st = expected(c, sec->string, "an object", sec);
    else
      st = validate_section(c, sec->string, sec);
  }
  if (st != RP_OK) return st;
  if (c->has_penalty && c->has_l1_ratio)
    return rp_error_set(c->err, RP_ECONFIG,
                        "model.penalty and model.l1_ratio: give one or the other (the penalty "
                        "is a shorthand for l1_ratio values)");
  if (!c->cfg->train)
    return rp_error_set(c->err, RP_ECONFIG, "data.train: required (the training CSV file)");
  if (c->cfg->test && c->cfg->test_fraction > 0.0)
    return rp_error_set(c->err, RP_ECONFIG,
                        "data.test and data.test_fraction: give one or the other (a test file, "
                        "or a fraction of data.train held out)");
  st = finish_family(c);
  if (st != RP_OK) return st;
  if (!c->cfg->output_dir) return store_path(c, &c->cfg->output_dir, "regpath-out");
  return RP_OK;
}

static void set_defaults(rp_config *cfg) {
  cfg->family = RP_FAMILY_GAUSSIAN;
  cfg->standardize = 1;
  cfg->fit_intercept = 1;
  cfg->convention = RP_CONVENTION_STANDARD;
  cfg->n_alphas = 100;
  cfg->alpha_min_ratio = 0.0;
  cfg->tol = 1e-7;
  cfg->gap_tol = 1e-6;
  cfg->max_iter = 100000;
  cfg->early_stop = 1;
  cfg->folds = 10;
  cfg->seed = 1;
  cfg->metric = RP_METRIC_MSE;  /* deviance for binomial and poisson: see finish_family */
  cfg->stratified = -1;         /* true for binomial                                    */
  cfg->rule = RP_RULE_1SE;
  cfg->test_seed = 1;
  cfg->max_line = RP_CSV_DEFAULT_MAX_LINE;
  cfg->plots = 1;
  cfg->render = RP_RENDER_AUTO;
}

/* ------------------------------------------------------------ overrides */

/* Splice one "section.key=value" into the tree (creating the section,
 * replacing the key), so that it is validated exactly like the file.
 * Convenience: a value that does not parse as JSON is taken as a string, so
 * `--set data.target=y` works without shell-quoting "\"y\"".  A value that
 * starts like JSON text ([, { or ") but does not parse, or an empty value, is
 * a mistake and is reported instead of being swallowed as a string. */
static rp_status apply_override(ctx *c, cJSON *root, const char *ov) {
  const char *eq = strchr(ov, '=');
  if (!eq) return rp_error_set(c->err, RP_ECONFIG, "--set %s: expected section.key=value", ov);
  size_t klen = (size_t)(eq - ov);
  const char *dot = memchr(ov, '.', klen);
  char section[KEY_MAX], key[KEY_MAX];
  if (!dot || dot == ov || dot + 1 == eq || memchr(dot + 1, '.', (size_t)(eq - dot - 1)) ||
      klen >= KEY_MAX)
    return rp_error_set(c->err, RP_ECONFIG, "--set %s: expected a key of the form section.key", ov);
  snprintf(section, sizeof section, "%.*s", (int)(dot - ov), ov);
  snprintf(key, sizeof key, "%.*s", (int)(eq - dot - 1), dot + 1);

  char dotted[KEY_MAX];
  snprintf(dotted, sizeof dotted, "%.*s", (int)klen, ov);
  const char *text = eq + 1;
  cursor s = {text, text + strlen(text)};
  rp_status st = check_size(c->err, dotted, skip_value(&s, 2), "values");
  if (st != RP_OK) return st;
  cJSON *value = cJSON_ParseWithOpts(text, NULL, 1);
  if (!value) {
    const char *first = text + strspn(text, " \t\r\n");
    if (*first == '\0' || strchr("[{\"", *first))
      return rp_error_set(c->err, RP_ECONFIG, "--set %s: invalid JSON value", ov);
    if (!(value = cJSON_CreateString(text))) return no_memory(c);
  }

  cJSON *sec = cJSON_GetObjectItemCaseSensitive(root, section);
  if (!sec) {
    if (!(sec = cJSON_AddObjectToObject(root, section))) {
      cJSON_Delete(value);
      return no_memory(c);
    }
  } else if (!cJSON_IsObject(sec)) {
    cJSON_Delete(value);
    return expected(c, section, "an object", sec);
  }
  /* Delete and add rather than cJSON_Replace...: cJSON 1.7.15 inserts the
   * replacement even when copying its name ran out of memory. */
  cJSON_DeleteItemFromObjectCaseSensitive(sec, key);
  if (!cJSON_AddItemToObject(sec, key, value)) {
    cJSON_Delete(value);
    return no_memory(c);
  }
  return RP_OK;
}

/* ------------------------------------------------------------ JSON syntax */

/* The opening quote of a string literal that runs to the end of `text`, or
 * NULL.  cJSON reports an unterminated string just after its opening quote;
 * a file cut inside a string is better reported at its end. */
static const char *open_string(const char *text, size_t len) {
  const char *open = NULL;
  for (size_t i = 0; i < len; i++) {
    if (!open)
      open = text[i] == '"' ? text + i : NULL;
    else if (text[i] == '\\')
      i++;
    else if (text[i] == '"')
      open = NULL;
  }
  return open;
}

/* cJSON reports a member name that does not start with '"' one byte late: it
 * has already stepped over the quote it expected.  That covers the common
 * trailing comma {"a": 1,} and unquoted names {train: 1}.  Step back when the
 * byte before `at` follows '{' or ',', unless that byte could be a whole
 * value by itself (a digit in [1,2x]) or opens a string or an array, where
 * cJSON's position is right. */
static const char *fix_key_position(const char *text, const char *at) {
  if (at - text < 2) return at;
  char c = at[-1];
  if (strchr(" \t\r\n\"0123456789[", c)) return at;
  const char *p = at - 2;
  while (p > text && strchr(" \t\r\n", *p)) p--;
  return (*p == '{' || *p == ',') ? at - 1 : at;
}

/* Report a syntax error cJSON stopped at `at`.  Input that ran out (truncated
 * JSON) is reported just after its last non-blank byte, where something is
 * missing. */
static rp_status syntax_error(const char *text, size_t len, const char *at, const char *source,
                              rp_error *err) {
  const char *end = text + len;
  at = fix_key_position(text, at);
  const char *open = open_string(text, len);
  int in_string = open && at > open;
  long line, column;
  if (in_string || at + strspn(at, " \t\r\n") >= end) {
    while (end > text && end[-1] != '\0' && strchr(" \t\r\n", end[-1])) end--;
    rp_text_position(text, end, &line, &column);
    return rp_error_set_at(err, RP_ECONFIG, source, line, column,
                           "invalid JSON: unexpected end of input%s",
                           in_string ? " inside a string" : "");
  }
  /* Quote a little of the text from there, on one line. */
  char near[20];
  size_t k = 0;
  while (k + 1 < sizeof near && at + k < end && at[k] != '\n' && at[k] != '\r') {
    near[k] = isprint((unsigned char)at[k]) ? at[k] : '?';
    k++;
  }
  near[k] = '\0';
  rp_text_position(text, at, &line, &column);
  return rp_error_set_at(err, RP_ECONFIG, source, line, column,
                         "invalid JSON: unexpected text at \"%s%s\"", near,
                         k + 1 == sizeof near ? "..." : "");
}

/* Parse `len` bytes of text (NUL-terminated) into a tree whose top level is
 * an object. */
/* The first \u0000 escape in the text, or NULL: cJSON would turn it into a
 * NUL that silently cuts a key, a name or a path short.  Backslashes occur
 * only inside strings, so skipping each escaped character is exact. */
static const char *escaped_nul(const char *text, size_t len) {
  for (size_t i = 0; i + 1 < len; i++) {
    if (text[i] != '\\') continue;
    if (i + 5 < len && text[i + 1] == 'u' && memcmp(text + i + 2, "0000", 4) == 0) return text + i;
    i++; /* the escaped character */
  }
  return NULL;
}

static rp_status parse_tree(const char *text, size_t len, const char *source, cJSON **tree,
                            rp_error *err) {
  *tree = NULL;
  /* A UTF-8 byte-order mark, as some editors write, is not JSON but harmless. */
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) text += 3, len -= 3;
  if (strspn(text, " \t\r\n") == len)
    return rp_error_set_at(err, RP_ECONFIG, source, 0, 0, "empty config");
  const char *nul = memchr(text, '\0', len), *escaped = escaped_nul(text, len);
  if (nul || escaped) {
    long line, column;
    rp_text_position(text, nul ? nul : escaped, &line, &column);
    return rp_error_set_at(err, RP_ECONFIG, source, line, column,
                           nul ? "invalid JSON: NUL byte" : "a \\u0000 (NUL) escape is not allowed");
  }
  rp_status st = check_sizes(text, len, err);
  if (st != RP_OK) return st;
  const char *at = NULL;
  cJSON *root = cJSON_ParseWithOpts(text, &at, 1);
  /* cJSON cannot tell running out of memory from bad syntax; the former is
   * reported as the latter, which is rare enough not to matter. */
  if (!root) return syntax_error(text, len, at ? at : text, source, err);
  if (!cJSON_IsObject(root)) {
    char got[GOT_MAX + 32];
    describe_value(root, got, sizeof got);
    cJSON_Delete(root);
    return rp_error_set_at(err, RP_ECONFIG, source, 0, 0,
                           "expected a JSON object at the top level, got %s", got);
  }
  *tree = root;
  return RP_OK;
}

/* ------------------------------------------------------------ public */

static rp_status parse_text(const char *text, size_t len, const char *source, const char *base_dir,
                            const char *const *overrides, size_t n_overrides, rp_config **out,
                            rp_error *err) {
  cJSON *root;
  rp_status st = parse_tree(text, len, source, &root, err);
  if (st != RP_OK) return st;
  rp_config *cfg = calloc(1, sizeof *cfg);
  ctx c = {cfg, base_dir ? base_dir : ".", err, 0, 0, 0};
  if (!cfg) {
    st = no_memory(&c);
  } else {
    set_defaults(cfg);
    static const double lasso = 1.0;
    st = store_numbers(&c, &lasso, 1, &cfg->l1_ratios, &cfg->n_l1_ratios);
    if (st == RP_OK && source) st = store_string(&c, &cfg->source, source);
  }
  for (size_t i = 0; st == RP_OK && i < n_overrides; i++)
    st = apply_override(&c, root, overrides[i]);
  if (st == RP_OK) st = validate(&c, root);
  cJSON_Delete(root);
  if (st != RP_OK) {
    rp_config_free(cfg);
    return st;
  }
  *out = cfg;
  return RP_OK;
}

rp_status rp_config_parse(const char *json_text, const char *source_name, const char *base_dir,
                          const char *const *overrides, size_t n_overrides, rp_config **out,
                          rp_error *err) {
  if (out) *out = NULL;
  if (!json_text || !out || (n_overrides && !overrides))
    return rp_error_set(err, RP_EINVAL, "rp_config_parse: text and out are required");
  return parse_text(json_text, strlen(json_text), source_name, base_dir, overrides, n_overrides,
                    out, err);
}

/* The whole file as a NUL-terminated buffer; *len counts its bytes (a NUL
 * inside the file is then reported as a syntax error, not silently cut). */

/* The folder holding `path` ("." for a bare file name). */
static char *folder_of(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return strdup(".");
  size_t n = (size_t)(slash - path);
  while (n > 0 && path[n - 1] == '/') n--; /* "a//b.json" */
  if (n == 0) return strdup("/");
  char *dir = malloc(n + 1);
  if (dir) {
    memcpy(dir, path, n);
    dir[n] = '\0';
  }
  return dir;
}

rp_status rp_config_load(const char *path, const char *const *overrides, size_t n_overrides,
                         rp_config **out, rp_error *err) {
  if (out) *out = NULL;
  if (!path || !out || (n_overrides && !overrides))
    return rp_error_set(err, RP_EINVAL, "rp_config_load: path and out are required");
  char *text;
  size_t len = 0;
  rp_status st = rp_read_file(path, "config", CONFIG_MAX_BYTES, &text, &len, err);
  if (st != RP_OK) return st;
  if (!text)
    return rp_error_set_at(err, RP_ECONFIG, path, 0, 0,
                           "config larger than %d MiB, the most accepted (fold ids for many rows "
                           "belong in a column of data.train: \"cv\": {\"fold_ids\": \"fold\"})",
                           (int)(CONFIG_MAX_BYTES >> 20));
  char *dir = folder_of(path);
  if (!dir)
    st = rp_error_set(err, RP_ENOMEM, "out of memory reading %s", path);
  else
    st = parse_text(text, len, path, dir, overrides, n_overrides, out, err);
  free(dir);
  free(text);
  return st;
}

/* ------------------------------------------------------------ to JSON */

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

static int add_data(cJSON *root, const rp_config *cfg) {
  cJSON *s = cJSON_AddObjectToObject(root, "data");
  if (!s || !add_string_or_null(s, "train", cfg->train) ||
      !add_string_or_null(s, "target", cfg->target) || !add_string_or_null(s, "test", cfg->test) ||
      !add_number_or_null(s, "test_fraction", cfg->test_fraction) ||
      !cJSON_AddNumberToObject(s, "test_seed", (double)cfg->test_seed) ||
      !cJSON_AddNumberToObject(s, "max_line_bytes", (double)cfg->max_line))
    return 0;
  if (!cfg->features) return cJSON_AddNullToObject(s, "features") != NULL;
  cJSON *list = cJSON_AddArrayToObject(s, "features");
  for (size_t i = 0; list && i < cfg->n_features; i++) {
    cJSON *item = cJSON_CreateString(cfg->features[i]);
    if (!item || !cJSON_AddItemToArray(list, item)) {
      cJSON_Delete(item);
      return 0;
    }
  }
  return list != NULL;
}

/* An enum value as its config name. */
static int add_name(cJSON *obj, const char *key, const char *const *names, size_t n, int value) {
  return cJSON_AddStringToObject(obj, key, name_of(names, n, value)) != NULL;
}

static int add_model(cJSON *root, const rp_config *cfg) {
  cJSON *s = cJSON_AddObjectToObject(root, "model");
  int ok =
      s && add_name(s, "family", FAMILY_NAMES, COUNT(FAMILY_NAMES), (int)cfg->family) &&
      add_numbers(s, "l1_ratio", cfg->l1_ratios, cfg->n_l1_ratios) &&
      cJSON_AddBoolToObject(s, "standardize", cfg->standardize) &&
      cJSON_AddBoolToObject(s, "fit_intercept", cfg->fit_intercept) &&
      add_name(s, "convention", CONVENTION_NAMES, COUNT(CONVENTION_NAMES), (int)cfg->convention);
  cJSON *pf = ok ? cJSON_AddObjectToObject(s, "penalty_factor") : NULL;
  for (size_t i = 0; pf && i < cfg->n_pf; i++)
    if (!rp_json_add_number(pf, cfg->pf_names[i], cfg->pf_values[i])) return 0;
  return pf != NULL;
}

static int add_path(cJSON *root, const rp_config *cfg) {
  cJSON *s = cJSON_AddObjectToObject(root, "path");
  return s && cJSON_AddNumberToObject(s, "n_alphas", (double)cfg->n_alphas) &&
         add_number_or_null(s, "alpha_min_ratio", cfg->alpha_min_ratio) &&
         add_numbers_or_null(s, "alphas", cfg->alphas, cfg->n_explicit) &&
         add_name(s, "alpha_units", ALPHA_UNIT_NAMES, COUNT(ALPHA_UNIT_NAMES), cfg->alphas_sklearn) &&
         rp_json_add_number(s, "tol", cfg->tol) &&
         rp_json_add_number(s, "gap_tol", cfg->gap_tol) &&
         cJSON_AddNumberToObject(s, "max_iter", (double)cfg->max_iter) &&
         cJSON_AddBoolToObject(s, "early_stop", cfg->early_stop);
}

static int add_cv(cJSON *root, const rp_config *cfg) {
  cJSON *s = cJSON_AddObjectToObject(root, "cv");
  int ok = s && cJSON_AddNumberToObject(s, "folds", (double)cfg->folds) &&
           cJSON_AddNumberToObject(s, "seed", (double)cfg->seed) &&
           add_name(s, "metric", METRIC_NAMES, RP_N_METRICS, (int)cfg->metric) &&
           cJSON_AddBoolToObject(s, "stratified", cfg->stratified) &&
           add_name(s, "rule", RULE_NAMES, COUNT(RULE_NAMES), (int)cfg->rule);
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
         add_name(s, "render", RENDER_NAMES, COUNT(RENDER_NAMES), (int)cfg->render);
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

/* Every field is set here, defaults included, rather than through
 * rp_fit_options_init, so that the options are exactly the config's.
 * `which` must be below cfg->n_l1_ratios; otherwise l1_ratio is set to -1,
 * which rp_fit_options_check rejects, rather than silently fitting another. */
void rp_config_fit_options(const rp_config *cfg, size_t which, rp_fit_options *opt) {
  if (!cfg || !opt) return;
  opt->family = cfg->family;
  opt->l1_ratio = which < cfg->n_l1_ratios ? cfg->l1_ratios[which] : -1.0;
  opt->standardize = cfg->standardize;
  opt->fit_intercept = cfg->fit_intercept;
  opt->convention = cfg->convention;
  opt->penalty_factor = NULL; /* needs the chosen columns: see config.h */
  opt->n_alphas = cfg->n_alphas;
  opt->alpha_min_ratio = cfg->alpha_min_ratio;
  opt->alphas = cfg->alphas;
  opt->n_explicit = cfg->n_explicit;
  opt->tol = cfg->tol;
  opt->gap_tol = cfg->gap_tol;
  opt->max_iter = cfg->max_iter;
  opt->early_stop = cfg->early_stop;
  opt->update = RP_UPDATE_AUTO;
  opt->progress = NULL;
  opt->progress_ctx = NULL;
  opt->feature_names = NULL; /* the run knows them */
  opt->target_name = NULL;
  opt->weights = NULL; /* until data.weights and data.offset are wired (issue 16) */
  opt->offset = NULL;
}

void rp_config_free(rp_config *cfg) {
  if (!cfg) return;
  free(cfg->train);
  free(cfg->target);
  free(cfg->test);
  free_features(cfg);
  free(cfg->l1_ratios);
  free_penalty_factors(cfg);
  free(cfg->alphas);
  free(cfg->fold_ids);
  free(cfg->fold_column);
  free(cfg->output_dir);
  free(cfg->source);
  free(cfg);
}
