/* config_keys.c: every key a config may hold (KEYS), each with the setter
 * that checks its value and stores it, the caps on its lists, and the
 * did-you-mean suggestion for a key that is not one of them. */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include "config_parse.h"
#include "regpath/table.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <glob.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"

#define LEV_MAX 64 /* longest name compared for did-you-mean suggestions */

/* ------------------------------------------------------------ caps
 *
 * Every list (and map) a config can hold has a cap far above any real use,
 * so that a mistaken or hostile config fails at once instead of taking the
 * machine's memory: it is checked on the JSON text, before cJSON builds the
 * tree (config_sizes.c). */

/* Each alpha is one more fit on the data and in every fold, and a row of p
 * coefficients in the path, in the folds' counts and in the report: 10M
 * alphas on the 10 columns of the diabetes data took 8.8 GB.  glmnet and
 * scikit-learn use 100, and 10000 is finer than any plot shows.  Also caps
 * path.n_alphas. */
static const list_cap ALPHAS_CAP = {
    10000, "alphas",
    "each alpha is one more fit in every fold; a few hundred trace a "
    "smooth path"};
/* Each l1_ratio is a whole path with its cross-validation and 6 output
 * files: a grid of 11 or 21 is common, more than 100 a mistake. */
static const list_cap L1_RATIO_CAP = {
    100, "values",
    "each one is a whole path with its cross-validation and its own "
    "output files"};
/* One name per column.  A CSV header within the default data.max_line_bytes
 * (1 MiB) names at most 524288 columns, and 1M columns of only 1000 rows are
 * 8 GB of design matrix.  Names are compared after sorting, never pairwise. */
static const list_cap COLUMNS_CAP = {1000000, "column names",
                                     "null uses every column but the target and the fold column"};
/* A factor per feature at most: the same bound as the column names. */
static const list_cap FACTORS_CAP = {1000000, "factors",
                                     "features not named get 1: name only the others"};
static const list_cap LIMITS_CAP = {1000000, "limits",
                                    "features not named have none: name only the others"};
/* One per training row, checked against the data later.  1M ids are 2 to 8
 * MB of config; data with more rows has room for a column of them. */
static const list_cap FOLD_IDS_CAP = {
    1000000, "fold ids",
    "for more rows, put them in a column of data.train and give its "
    "name: \"fold_ids\": \"fold\""};
/* Everything else holds a single value, and the top level and each section
 * a few keys: 100 leaves room for the mistakes that validation reports by
 * name (a key given twice, an unknown key). */
static const list_cap OTHER_CAP = {100, NULL, NULL};

/* ------------------------------------------------------------ ranges */

static const value_range UNIT = {0.0, 1.0, 0, 0, "a number in [0, 1]"};
static const value_range OPEN_UNIT = {0.0, 1.0, 1, 1, "a number in (0, 1)"};
static const value_range POSITIVE = {0.0, HUGE_VAL, 1, 0, "a positive number"};
static const value_range NONNEGATIVE = {0.0, HUGE_VAL, 0, 0, "a number >= 0"};
static const value_range NONPOSITIVE = {-HUGE_VAL, 0.0, 0, 0, "a number <= 0"};

/* ------------------------------------------------------------ names */

/* model.penalty is a shorthand for model.l1_ratio. */
static const char *const PENALTY_NAMES[] = {"lasso", "ridge", "elasticnet", "compare"};
static const struct {
  double l1_ratios[3];
  size_t n;
} PENALTY_RATIOS[] = {{{1.0}, 1}, {{0.0}, 1}, {{0.5}, 1}, {{1.0, 0.5, 0.0}, 3}};

/* ------------------------------------------------------------ setters */

/* A pattern (a name with *, ? or [ that is no file) -> the files it
 * matches, in sorted order, as the shards. */
static rp_status expand_pattern(config_ctx *c, const char *key) {
  rp_config *cfg = c->cfg;
  glob_t g;
  if (!strpbrk(cfg->train, "*?[") || access(cfg->train, F_OK) == 0) return RP_OK;
  int found = glob(cfg->train, 0, NULL, &g);
  if (found == GLOB_NOMATCH)
    return rp_error_set(c->err, RP_ECONFIG, "%s: no file matches the pattern \"%s\"", key,
                        cfg->train);
  if (found != 0) return rp_cfg_no_memory(c);
  rp_status st = RP_OK;
  cfg->n_train_shards = g.gl_pathc;
  if (!(cfg->train_shards = calloc(g.gl_pathc, sizeof *cfg->train_shards)))
    st = rp_cfg_no_memory(c);
  for (size_t i = 0; st == RP_OK && i < g.gl_pathc; i++)
    st = rp_cfg_store_string(c, &cfg->train_shards[i], g.gl_pathv[i]);
  globfree(&g);
  return st == RP_OK ? rp_cfg_store_string(c, &cfg->train, cfg->train_shards[0]) : st;
}

/* data.train: a file, a pattern, or a list of files (shards). */
static rp_status set_train(config_ctx *c, const char *key, const cJSON *v) {
  rp_config *cfg = c->cfg;
  const char *s = NULL;
  rp_cfg_free_names(&cfg->train_shards, &cfg->n_train_shards);
  if (!cJSON_IsArray(v)) {
    rp_status st = rp_cfg_want_string(c, key, v, "a file path, a pattern or a list of files", &s);
    if (st == RP_OK) st = rp_cfg_store_path(c, &cfg->train, s);
    return st == RP_OK ? expand_pattern(c, key) : st;
  }
  size_t n = (size_t)cJSON_GetArraySize(v), i = 0;
  if (n == 0)
    return rp_error_set(c->err, RP_ECONFIG, "%s: an empty list (give one file or more)", key);
  if (!(cfg->train_shards = calloc(n, sizeof *cfg->train_shards))) return rp_cfg_no_memory(c);
  cfg->n_train_shards = n;
  const cJSON *item;
  cJSON_ArrayForEach(item, v) {
    char ikey[96];
    snprintf(ikey, sizeof ikey, "%s[%zu]", key, i);
    rp_status st = rp_cfg_want_string(c, ikey, item, "a file path", &s);
    if (st == RP_OK) st = rp_cfg_store_path(c, &cfg->train_shards[i++], s);
    if (st != RP_OK) return st;
  }
  return rp_cfg_store_string(c, &cfg->train, cfg->train_shards[0]);
}

static rp_status set_test(config_ctx *c, const char *key, const cJSON *v) {
  const char *s = NULL;
  rp_status st = cJSON_IsNull(v) ? RP_OK : rp_cfg_want_string(c, key, v, "a file path or null", &s);
  return st != RP_OK || !s ? st : rp_cfg_store_path(c, &c->cfg->test, s);
}

static rp_status set_test_fraction(config_ctx *c, const char *key, const cJSON *v) {
  c->cfg->test_fraction = 0.0;
  if (cJSON_IsNull(v)) return RP_OK;
  return rp_cfg_want_number(c, key, v, &OPEN_UNIT, &c->cfg->test_fraction);
}

static rp_status set_test_seed(config_ctx *c, const char *key, const cJSON *v) {
  return rp_cfg_want_seed(c, key, v, &c->cfg->test_seed);
}

static rp_status set_max_line(config_ctx *c, const char *key, const cJSON *v) {
  return rp_cfg_want_size(c, key, v, (double)RP_CSV_MIN_MAX_LINE, &c->cfg->max_line);
}

static rp_status set_target(config_ctx *c, const char *key, const cJSON *v) {
  const char *s = NULL;
  rp_status st =
      cJSON_IsNull(v) ? RP_OK : rp_cfg_want_string(c, key, v, "a column name or null", &s);
  return st != RP_OK ? st : rp_cfg_store_string(c, &c->cfg->target, s);
}

static void free_features(rp_config *cfg) { rp_cfg_free_names(&cfg->features, &cfg->n_features); }

static rp_status set_features(config_ctx *c, const char *key, const cJSON *v) {
  rp_config *cfg = c->cfg;
  free_features(cfg);
  if (cJSON_IsNull(v)) return RP_OK;
  return rp_cfg_want_string_list(c, key, v, "a non-empty list of column names or null", 0,
                                 &cfg->features, &cfg->n_features);
}

/* A column name or null into *slot. */
static rp_status want_column_or_null(config_ctx *c, const char *key, const cJSON *v, char **slot) {
  const char *s = NULL;
  rp_status st =
      cJSON_IsNull(v) ? RP_OK : rp_cfg_want_string(c, key, v, "a column name or null", &s);
  return st != RP_OK ? st : rp_cfg_store_string(c, slot, s);
}

static rp_status set_id(config_ctx *c, const char *key, const cJSON *v) {
  return want_column_or_null(c, key, v, &c->cfg->id_column);
}

static rp_status set_weights(config_ctx *c, const char *key, const cJSON *v) {
  return want_column_or_null(c, key, v, &c->cfg->weights_column);
}

static rp_status set_offset(config_ctx *c, const char *key, const cJSON *v) {
  return want_column_or_null(c, key, v, &c->cfg->offset_column);
}

static rp_status set_exclude(config_ctx *c, const char *key, const cJSON *v) {
  if (cJSON_IsArray(v) && cJSON_GetArraySize(v) == 0) {
    rp_cfg_free_names(&c->cfg->exclude, &c->cfg->n_exclude);
    return RP_OK;
  }
  return rp_cfg_want_string_list(c, key, v, "a list of column names", 0, &c->cfg->exclude,
                                 &c->cfg->n_exclude);
}

/* "auto", "none", or a list of column names. */
static rp_status set_categorical(config_ctx *c, const char *key, const cJSON *v) {
  rp_config *cfg = c->cfg;
  static const char what[] = "\"auto\", \"none\" or a non-empty list of column names";
  rp_cfg_free_names(&cfg->categorical_columns, &cfg->n_categorical);
  if (cJSON_IsArray(v)) {
    cfg->categorical = RP_CATEGORICAL_LIST;
    return rp_cfg_want_string_list(c, key, v, what, 0, &cfg->categorical_columns,
                                   &cfg->n_categorical);
  }
  if (cJSON_IsString(v) && strcmp(v->valuestring, "auto") == 0)
    cfg->categorical = RP_CATEGORICAL_AUTO;
  else if (cJSON_IsString(v) && strcmp(v->valuestring, "none") == 0)
    cfg->categorical = RP_CATEGORICAL_NONE;
  else
    return rp_cfg_expected(c, key, what, v);
  return RP_OK;
}

static rp_status set_drop_first(config_ctx *c, const char *key, const cJSON *v) {
  return rp_cfg_want_bool(c, key, v, &c->cfg->drop_first);
}

static rp_status set_max_levels(config_ctx *c, const char *key, const cJSON *v) {
  return rp_cfg_want_size(c, key, v, 2.0, &c->cfg->max_levels);
}

/* A list of tokens, "" allowed (an empty cell); [] means none. */
static rp_status set_na_values(config_ctx *c, const char *key, const cJSON *v) {
  rp_status st = rp_cfg_want_string_list(c, key, v, "a list of strings", 1, &c->cfg->na_values,
                                         &c->cfg->n_na_values);
  for (size_t i = 0; st == RP_OK && i < c->cfg->n_na_values; i++)
    if (strlen(c->cfg->na_values[i]) > 64)
      st =
          rp_error_set(c->err, RP_ECONFIG, "%s[%zu]: expected a token of at most 64 bytes", key, i);
  return st;
}

static rp_status set_missing(config_ctx *c, const char *key, const cJSON *v) {
  size_t i = 0;
  rp_status st = rp_cfg_want_name(c, key, v, MISSING_NAMES, COUNT(MISSING_NAMES), &i);
  if (st == RP_OK) c->cfg->missing = (rp_missing)i;
  return st;
}

/* data.format: "csv" or "svmlight"; without it (or null), each file's name
 * decides (finish_format, config.c). */
static rp_status set_format(config_ctx *c, const char *key, const cJSON *v) {
  size_t i = 0;
  c->cfg->format_given = 0;
  if (cJSON_IsNull(v)) return RP_OK;
  rp_status st = rp_cfg_want_name(c, key, v, FORMAT_NAMES, COUNT(FORMAT_NAMES), &i);
  if (st == RP_OK) c->cfg->format = (rp_data_format)i, c->cfg->format_given = 1;
  return st;
}

/* data.n_features: an svmlight file's p, or null for its largest index.
 * Whether the format is svmlight is checked once every key is read. */
static rp_status set_fixed_p(config_ctx *c, const char *key, const cJSON *v) {
  c->cfg->fixed_p = 0;
  if (cJSON_IsNull(v)) return RP_OK;
  return rp_cfg_want_size(c, key, v, 1.0, &c->cfg->fixed_p);
}

/* data.stream: "auto" (or null), true or false. */
static rp_status set_stream(config_ctx *c, const char *key, const cJSON *v) {
  if (cJSON_IsNull(v) || (cJSON_IsString(v) && strcmp(v->valuestring, "auto") == 0))
    c->cfg->stream = RP_STREAM_AUTO;
  else if (cJSON_IsBool(v))
    c->cfg->stream = cJSON_IsTrue(v) ? RP_STREAM_ON : RP_STREAM_OFF;
  else
    return rp_cfg_expected(c, key, "\"auto\", true or false", v);
  return RP_OK;
}

/* data.memory_limit: bytes, as a number or as a size with a binary unit
 * ("512M", "1.5G": K, M, G or T), or null for the default. */
static rp_status set_memory_limit(config_ctx *c, const char *key, const cJSON *v) {
  double bytes = cJSON_IsNumber(v) ? v->valuedouble : -1.0;
  c->cfg->memory_limit = 0.0;
  if (cJSON_IsNull(v)) return RP_OK;
  if (cJSON_IsString(v)) {
    const char *units = "KMGT", *s = v->valuestring, *u;
    char *end;
    double x = strtod(s, &end);
    if (end != s && *end && end[1] == '\0' && (u = strchr(units, toupper((unsigned char)*end))))
      bytes = x * pow(1024.0, (double)(u - units + 1));
  }
  if (!(bytes >= 1.0 && bytes < 1e300))
    return rp_cfg_expected(c, key, "a number of bytes or a size such as \"512M\" or \"2G\"", v);
  c->cfg->memory_limit = bytes;
  return RP_OK;
}

static rp_status set_storage(config_ctx *c, const char *key, const cJSON *v) {
  size_t i = 0;
  rp_status st = rp_cfg_want_name(c, key, v, STORAGE_NAMES, COUNT(STORAGE_NAMES), &i);
  if (st == RP_OK) c->cfg->storage = (rp_storage)i;
  return st;
}

/* The class read as 1: a label (string) or a number, kept as its text. */
static rp_status set_positive_class(config_ctx *c, const char *key, const cJSON *v) {
  char text[RP_NUMBER_MAX];
  if (cJSON_IsNull(v)) return rp_cfg_store_string(c, &c->cfg->positive_class, NULL);
  if (cJSON_IsNumber(v) && isfinite(v->valuedouble)) {
    rp_format_number(v->valuedouble, text);
    return rp_cfg_store_string(c, &c->cfg->positive_class, text);
  }
  const char *s = NULL;
  rp_status st = rp_cfg_want_string(c, key, v, "a class label (string or number) or null", &s);
  return st != RP_OK ? st : rp_cfg_store_string(c, &c->cfg->positive_class, s);
}

static rp_status set_family(config_ctx *c, const char *key, const cJSON *v) {
  size_t i = 0;
  rp_status st = rp_cfg_want_name(c, key, v, FAMILY_NAMES, COUNT(FAMILY_NAMES), &i);
  if (st == RP_OK) c->cfg->family = (rp_family)i;
  return st;
}

/* Fitting the same l1_ratio twice is surely a typo, and it would make the
 * per-ratio outputs ambiguous. */
static rp_status check_distinct(config_ctx *c, const char *key, const double *x, size_t n) {
  for (size_t i = 1; i < n; i++)
    for (size_t j = 0; j < i; j++)
      if (x[i] == x[j])
        return rp_error_set(c->err, RP_ECONFIG, "%s[%zu]: %g is already listed at [%zu]", key, i,
                            x[i], j);
  return RP_OK;
}

static rp_status set_l1_ratio(config_ctx *c, const char *key, const cJSON *v) {
  rp_config *cfg = c->cfg;
  rp_status st;
  c->has_l1_ratio = 1;
  if (cJSON_IsNumber(v)) {
    double x = 0.0;
    st = rp_cfg_want_number(c, key, v, &UNIT, &x);
    return st != RP_OK ? st : rp_cfg_store_numbers(c, &x, 1, &cfg->l1_ratios, &cfg->n_l1_ratios);
  }
  st = rp_cfg_want_number_list(c, key, v, &UNIT, "a number in [0, 1] or a non-empty list of them",
                               &cfg->l1_ratios, &cfg->n_l1_ratios);
  return st != RP_OK ? st : check_distinct(c, key, cfg->l1_ratios, cfg->n_l1_ratios);
}

static rp_status set_penalty(config_ctx *c, const char *key, const cJSON *v) {
  size_t i = 0;
  c->has_penalty = 1;
  rp_status st = rp_cfg_want_name(c, key, v, PENALTY_NAMES, COUNT(PENALTY_NAMES), &i);
  if (st != RP_OK) return st;
  return rp_cfg_store_numbers(c, PENALTY_RATIOS[i].l1_ratios, PENALTY_RATIOS[i].n,
                              &c->cfg->l1_ratios, &c->cfg->n_l1_ratios);
}

static rp_status set_standardize(config_ctx *c, const char *key, const cJSON *v) {
  return rp_cfg_want_bool(c, key, v, &c->cfg->standardize);
}

static rp_status set_fit_intercept(config_ctx *c, const char *key, const cJSON *v) {
  return rp_cfg_want_bool(c, key, v, &c->cfg->fit_intercept);
}

static rp_status set_convention(config_ctx *c, const char *key, const cJSON *v) {
  size_t i = 0;
  rp_status st = rp_cfg_want_name(c, key, v, CONVENTION_NAMES, COUNT(CONVENTION_NAMES), &i);
  if (st == RP_OK) c->cfg->convention = (rp_convention)i;
  return st;
}

/* The names and values read_named_numbers stored. */
static void free_named_numbers(char **names, double *values, size_t n) {
  for (size_t i = 0; i < n; i++) free(names[i]);
  free(names);
  free(values);
}

void rp_cfg_free_penalty_factors(rp_config *cfg) {
  free_named_numbers(cfg->pf_names, cfg->pf_values, cfg->n_pf);
  cfg->pf_names = NULL;
  cfg->pf_values = NULL;
  cfg->n_pf = 0;
}

/* The object v, {column: number in r}, into *names and *values (*n of
 * them, freed by the caller whatever the outcome); whether the columns
 * exist is checked with the data. */
static rp_status read_named_numbers(config_ctx *c, const char *key, const cJSON *v,
                                    const value_range *r, char ***names, double **values,
                                    size_t *n) {
  rp_status st = rp_cfg_check_duplicates(c, key, v);
  size_t count = (size_t)cJSON_GetArraySize(v);
  if (st != RP_OK || count == 0) return st;
  *names = calloc(count, sizeof **names);
  *values = calloc(count, sizeof **values);
  if (!*names || !*values) return rp_cfg_no_memory(c);
  *n = count;
  size_t i = 0;
  const cJSON *item;
  cJSON_ArrayForEach(item, v) {
    char ikey[KEY_MAX];
    snprintf(ikey, sizeof ikey, "%s.%s", key, item->string);
    if ((st = rp_cfg_want_number(c, ikey, item, r, &(*values)[i])) != RP_OK) return st;
    if ((st = rp_cfg_store_string(c, &(*names)[i], item->string)) != RP_OK) return st;
    i++;
  }
  return RP_OK;
}

static rp_status set_penalty_factor(config_ctx *c, const char *key, const cJSON *v) {
  rp_config *cfg = c->cfg;
  rp_cfg_free_penalty_factors(cfg);
  if (!cJSON_IsObject(v)) return rp_cfg_expected(c, key, "an object {\"column\": factor >= 0}", v);
  return read_named_numbers(c, key, v, &NONNEGATIVE, &cfg->pf_names, &cfg->pf_values, &cfg->n_pf);
}

void rp_cfg_free_limits(rp_config_limits *lim, double none) {
  free_named_numbers(lim->names, lim->values, lim->n);
  *lim = (rp_config_limits){none, NULL, NULL, 0};
}

/* A number for every feature, {column: limit}, or null for none; on the
 * side of 0 that `r` gives (glmnet: lower limits <= 0 <= upper limits). */
static rp_status set_limits(config_ctx *c, const char *key, const cJSON *v, const value_range *r,
                            rp_config_limits *lim, double none) {
  rp_cfg_free_limits(lim, none);
  if (cJSON_IsNull(v)) return RP_OK; /* none */
  if (cJSON_IsNumber(v)) return rp_cfg_want_number(c, key, v, r, &lim->all);
  if (!cJSON_IsObject(v)) {
    char what[112];
    snprintf(what, sizeof what, "%s, an object {\"column\": %s}, or null", r->what, r->what);
    return rp_cfg_expected(c, key, what, v);
  }
  return read_named_numbers(c, key, v, r, &lim->names, &lim->values, &lim->n);
}

static rp_status set_lower_limits(config_ctx *c, const char *key, const cJSON *v) {
  return set_limits(c, key, v, &NONPOSITIVE, &c->cfg->lower_limits, -HUGE_VAL);
}

static rp_status set_upper_limits(config_ctx *c, const char *key, const cJSON *v) {
  return set_limits(c, key, v, &NONNEGATIVE, &c->cfg->upper_limits, HUGE_VAL);
}

static rp_status set_multinomial_grouped(config_ctx *c, const char *key, const cJSON *v) {
  return rp_cfg_want_bool(c, key, v, &c->cfg->multinomial_grouped);
}

static rp_status set_relax(config_ctx *c, const char *key, const cJSON *v) {
  return rp_cfg_want_bool(c, key, v, &c->cfg->relax);
}

static rp_status set_gamma(config_ctx *c, const char *key, const cJSON *v) {
  rp_config *cfg = c->cfg;
  if (cJSON_IsNull(v)) return RP_OK; /* the default: glmnet's list with model.relax */
  c->has_gamma = 1;
  if (cJSON_IsNumber(v)) {
    double x = 0.0;
    rp_status st = rp_cfg_want_number(c, key, v, &UNIT, &x);
    return st != RP_OK ? st : rp_cfg_store_numbers(c, &x, 1, &cfg->gammas, &cfg->n_gammas);
  }
  rp_status st =
      rp_cfg_want_number_list(c, key, v, &UNIT, "a number in [0, 1] or a non-empty list of them",
                              &cfg->gammas, &cfg->n_gammas);
  return st != RP_OK ? st : check_distinct(c, key, cfg->gammas, cfg->n_gammas);
}

static rp_status set_positive(config_ctx *c, const char *key, const cJSON *v) {
  return rp_cfg_want_bool(c, key, v, &c->cfg->positive);
}

/* An integer >= lo that is a count of fits, under its cap. */
static rp_status want_capped_size(config_ctx *c, const char *key, const cJSON *v, double lo,
                                  const list_cap *cap, size_t *out) {
  rp_status st = rp_cfg_want_size(c, key, v, lo, out);
  if (st == RP_OK && *out > cap->max) return rp_cfg_too_many(c->err, key, cap, NULL, *out);
  return st;
}

static rp_status set_n_alphas(config_ctx *c, const char *key, const cJSON *v) {
  return want_capped_size(c, key, v, 1.0, &ALPHAS_CAP, &c->cfg->n_alphas);
}

/* null = chosen from the data's shape later, which rp_fit_options spells 0. */
static rp_status set_alpha_min_ratio(config_ctx *c, const char *key, const cJSON *v) {
  c->cfg->alpha_min_ratio = 0.0;
  if (cJSON_IsNull(v)) return RP_OK;
  return rp_cfg_want_number(c, key, v, &OPEN_UNIT, &c->cfg->alpha_min_ratio);
}

/* The path is warm-started from the largest alpha down, so an explicit grid
 * must be strictly decreasing. */
static rp_status set_alphas(config_ctx *c, const char *key, const cJSON *v) {
  rp_config *cfg = c->cfg;
  free(cfg->alphas);
  cfg->alphas = NULL;
  cfg->n_explicit = 0;
  if (cJSON_IsNull(v)) return RP_OK;
  rp_status st =
      rp_cfg_want_number_list(c, key, v, &POSITIVE, "a non-empty list of positive numbers or null",
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

static rp_status set_alpha_units(config_ctx *c, const char *key, const cJSON *v) {
  size_t x = 0;
  rp_status st = rp_cfg_want_name(c, key, v, ALPHA_UNIT_NAMES, COUNT(ALPHA_UNIT_NAMES), &x);
  c->cfg->alphas_sklearn = (int)x;
  return st;
}

static rp_status set_tol(config_ctx *c, const char *key, const cJSON *v) {
  return rp_cfg_want_number(c, key, v, &POSITIVE, &c->cfg->tol);
}

static rp_status set_gap_tol(config_ctx *c, const char *key, const cJSON *v) {
  return rp_cfg_want_number(c, key, v, &NONNEGATIVE, &c->cfg->gap_tol);
}

static rp_status set_max_iter(config_ctx *c, const char *key, const cJSON *v) {
  double x = 0.0;
  /* -(double)LONG_MIN is 2^63 exactly: the first value a long cannot hold. */
  rp_status st = rp_cfg_want_integer(c, key, v, 1.0, -(double)LONG_MIN, &x);
  if (st == RP_OK) c->cfg->max_iter = (long)x;
  return st;
}

static rp_status set_early_stop(config_ctx *c, const char *key, const cJSON *v) {
  return rp_cfg_want_bool(c, key, v, &c->cfg->early_stop);
}

static rp_status set_extend(config_ctx *c, const char *key, const cJSON *v) {
  return rp_cfg_want_bool(c, key, v, &c->cfg->extend);
}

/* The extension is a run of grid points like path.n_alphas: the same cap. */
static rp_status set_extend_max(config_ctx *c, const char *key, const cJSON *v) {
  return want_capped_size(c, key, v, 0.0, &ALPHAS_CAP, &c->cfg->extend_max);
}

static rp_status set_folds(config_ctx *c, const char *key, const cJSON *v) {
  return rp_cfg_want_size(c, key, v, 2.0, &c->cfg->folds);
}

static rp_status set_seed(config_ctx *c, const char *key, const cJSON *v) {
  return rp_cfg_want_seed(c, key, v, &c->cfg->seed);
}

static rp_status set_metric(config_ctx *c, const char *key, const cJSON *v) {
  size_t i = 0;
  rp_status st = rp_cfg_want_name(c, key, v, METRIC_NAMES, RP_N_METRICS, &i);
  if (st == RP_OK) c->cfg->metric = (rp_metric)i, c->has_metric = 1;
  return st;
}

static rp_status set_stratified(config_ctx *c, const char *key, const cJSON *v) {
  return rp_cfg_want_bool(c, key, v, &c->cfg->stratified);
}

/* Each repeat is cv.folds more fits: 100 draws pin a CV curve down far
 * past its standard error. */
static const list_cap REPEATS_CAP = {100, "repeats",
                                     "each repeat fits every fold again; 5 or 10 steady the curve"};

static rp_status set_repeats(config_ctx *c, const char *key, const cJSON *v) {
  return want_capped_size(c, key, v, 1.0, &REPEATS_CAP, &c->cfg->cv_repeats);
}

/* cv.keep: false, true, or "path" (every alpha too). */
static rp_status set_keep(config_ctx *c, const char *key, const cJSON *v) {
  if (cJSON_IsString(v) && strcmp(v->valuestring, "path") == 0) {
    c->cfg->cv_keep = 2;
    return RP_OK;
  }
  if (!cJSON_IsBool(v)) return rp_cfg_expected(c, key, "true, false or \"path\"", v);
  c->cfg->cv_keep = cJSON_IsTrue(v);
  return RP_OK;
}

static rp_status set_rule(config_ctx *c, const char *key, const cJSON *v) {
  size_t i = 0;
  rp_status st = rp_cfg_want_name(c, key, v, RULE_NAMES, COUNT(RULE_NAMES), &i);
  if (st == RP_OK) c->cfg->rule = (rp_rule)i;
  return st;
}

static rp_status set_fold_grid(config_ctx *c, const char *key, const cJSON *v) {
  size_t i = 0;
  rp_status st = rp_cfg_want_name(c, key, v, FOLD_GRID_NAMES, COUNT(FOLD_GRID_NAMES), &i);
  if (st == RP_OK) c->cfg->fold_grid = (rp_fold_grid)i;
  return st;
}

/* Fold ids are either listed (one per training row; the count is checked
 * against the data later) or read from a column of the CSV. */
static rp_status set_fold_ids(config_ctx *c, const char *key, const cJSON *v) {
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
    rp_status st = rp_cfg_want_string(c, key, v, what, &s);
    return st != RP_OK ? st : rp_cfg_store_string(c, &cfg->fold_column, s);
  }
  if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) == 0) return rp_cfg_expected(c, key, what, v);
  size_t n = (size_t)cJSON_GetArraySize(v);
  if (!(cfg->fold_ids = calloc(n, sizeof *cfg->fold_ids))) return rp_cfg_no_memory(c);
  cfg->n_fold_ids = n;
  size_t i = 0;
  const cJSON *item;
  cJSON_ArrayForEach(item, v) {
    char ikey[KEY_MAX];
    double x = 0.0;
    snprintf(ikey, sizeof ikey, "%s[%zu]", key, i);
    rp_status st = rp_cfg_want_integer(c, ikey, item, 1.0, (double)INT_MAX + 1.0, &x);
    if (st != RP_OK) return st;
    cfg->fold_ids[i++] = (int)x;
  }
  return RP_OK;
}

static rp_status set_output_dir(config_ctx *c, const char *key, const cJSON *v) {
  const char *s = NULL;
  rp_status st = rp_cfg_want_string(c, key, v, "a folder path", &s);
  return st != RP_OK ? st : rp_cfg_store_path(c, &c->cfg->output_dir, s);
}

static rp_status set_plots(config_ctx *c, const char *key, const cJSON *v) {
  return rp_cfg_want_bool(c, key, v, &c->cfg->plots);
}

static rp_status set_render(config_ctx *c, const char *key, const cJSON *v) {
  size_t x = 0;
  rp_status st = rp_cfg_want_name(c, key, v, RENDER_NAMES, COUNT(RENDER_NAMES), &x);
  if (st == RP_OK) c->cfg->render = (rp_render)x;
  return st;
}

/* The number 10 is taken as "10": `--set output.log_base=10` parses as one. */
static rp_status set_log_base(config_ctx *c, const char *key, const cJSON *v) {
  size_t x = 0;
  rp_status st = RP_OK;
  if (!cJSON_IsNumber(v) || v->valuedouble != 10)
    st = rp_cfg_want_name(c, key, v, LOG_BASE_NAMES, COUNT(LOG_BASE_NAMES), &x);
  if (st == RP_OK) c->cfg->log_base = (rp_log_base)x;
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
    {"data.id", set_id},
    {"data.exclude", set_exclude},
    {"data.categorical", set_categorical},
    {"data.drop_first", set_drop_first},
    {"data.max_levels", set_max_levels},
    {"data.na_values", set_na_values},
    {"data.missing", set_missing},
    {"data.weights", set_weights},
    {"data.offset", set_offset},
    {"data.format", set_format},
    {"data.n_features", set_fixed_p},
    {"data.storage", set_storage},
    {"data.stream", set_stream},
    {"data.memory_limit", set_memory_limit},
    {"model.family", set_family},
    {"model.l1_ratio", set_l1_ratio},
    {"model.penalty", set_penalty},
    {"model.standardize", set_standardize},
    {"model.fit_intercept", set_fit_intercept},
    {"model.convention", set_convention},
    {"model.penalty_factor", set_penalty_factor},
    {"model.lower_limits", set_lower_limits},
    {"model.upper_limits", set_upper_limits},
    {"model.positive", set_positive},
    {"model.multinomial_grouped", set_multinomial_grouped},
    {"model.relax", set_relax},
    {"model.gamma", set_gamma},
    {"model.positive_class", set_positive_class},
    {"path.n_alphas", set_n_alphas},
    {"path.alpha_min_ratio", set_alpha_min_ratio},
    {"path.alphas", set_alphas},
    {"path.alpha_units", set_alpha_units},
    {"path.tol", set_tol},
    {"path.gap_tol", set_gap_tol},
    {"path.max_iter", set_max_iter},
    {"path.early_stop", set_early_stop},
    {"path.extend", set_extend},
    {"path.extend_max", set_extend_max},
    {"cv.folds", set_folds},
    {"cv.seed", set_seed},
    {"cv.metric", set_metric},
    {"cv.rule", set_rule},
    {"cv.fold_ids", set_fold_ids},
    {"cv.stratified", set_stratified},
    {"cv.keep", set_keep},
    {"cv.repeats", set_repeats},
    {"cv.fold_grid", set_fold_grid},
    {"output.dir", set_output_dir},
    {"output.plots", set_plots},
    {"output.render", set_render},
    {"output.log_base", set_log_base},
};

static const char *const SECTIONS[] = {"data", "model", "path", "cv", "output"};

/* The keys that hold a list (or a map), with their caps; every other key
 * holds at most OTHER_CAP values. */
static const struct {
  const char *key;
  const list_cap *cap;
} LISTS[] = {
    /* clang-format off */
    {"data.features", &COLUMNS_CAP},
    {"data.exclude", &COLUMNS_CAP},
    {"data.categorical", &COLUMNS_CAP},
    {"model.l1_ratio", &L1_RATIO_CAP},
    {"model.gamma", &L1_RATIO_CAP},
    {"model.penalty_factor", &FACTORS_CAP},
    {"model.lower_limits", &LIMITS_CAP},
    {"model.upper_limits", &LIMITS_CAP},
    {"path.alphas", &ALPHAS_CAP},
    {"cv.fold_ids", &FOLD_IDS_CAP},
    /* clang-format on */
};

setter rp_cfg_find_setter(const char *dotted) {
  for (size_t i = 0; i < COUNT(KEYS); i++)
    if (strcmp(KEYS[i].key, dotted) == 0) return KEYS[i].set;
  return NULL;
}

int rp_cfg_is_section(const char *name) {
  for (size_t i = 0; i < COUNT(SECTIONS); i++)
    if (strcmp(SECTIONS[i], name) == 0) return 1;
  return 0;
}

const list_cap *rp_cfg_key_cap(const char *dotted) {
  for (size_t i = 0; i < COUNT(LISTS); i++)
    if (strcmp(LISTS[i].key, dotted) == 0) return LISTS[i].cap;
  return &OTHER_CAP;
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

const char *rp_cfg_after_dot(const char *dotted) {
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
  size_t sec_len = (size_t)(rp_cfg_after_dot(unknown) - unknown);
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < COUNT(KEYS); i++) {
      int same_section = sec_len > 0 && strncmp(KEYS[i].key, unknown, sec_len) == 0;
      if ((pass == 0) == same_section &&
          same_name(rp_cfg_after_dot(unknown), rp_cfg_after_dot(KEYS[i].key)))
        return KEYS[i].key;
    }
  return NULL;
}

rp_status rp_cfg_unknown_key(rp_error *err, const char *dotted) {
  const char *hint = suggest(dotted);
  if (hint)
    return rp_error_set(err, RP_ECONFIG, "unknown key \"%s\" (did you mean \"%s\"?)", dotted, hint);
  return rp_error_set(err, RP_ECONFIG, "unknown key \"%s\"", dotted);
}
