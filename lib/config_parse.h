/* config_parse.h (private): what the parts of the config reader share.
 *
 * config.c parses the text, splices the overrides into the tree and walks
 * it; config_sizes.c counts the lists on the text first; config_keys.c has
 * the table of keys and their setters; config_values.c the checks and
 * stores the setters are built from; config_names.c the names of the enums,
 * which config_json.c writes back. */
#ifndef REGPATH_CONFIG_PARSE_H
#define REGPATH_CONFIG_PARSE_H

#include <stddef.h>

#include "regpath/config.h"
#include "regpath/error.h"

struct cJSON;
typedef struct cJSON cJSON;

#define KEY_MAX 256 /* a dotted key with an index or a column name      */
#define GOT_MAX 40  /* longest JSON value quoted back in a message       */
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* What the validation walk needs besides the value at hand. */
typedef struct {
  rp_config *cfg;
  const char *base_dir; /* relative paths are joined to it */
  rp_error *err;
  int has_penalty; /* model.penalty and model.l1_ratio exclude each other */
  int has_l1_ratio;
  int has_gamma;  /* model.gamma needs model.relax */
  int has_metric; /* cv.metric given: no family default */
} config_ctx;

/* A key's setter: check the value v of `key` (dotted) and store it. */
typedef rp_status (*setter)(config_ctx *c, const char *key, const cJSON *v);

/* ------------------------------------------------------------ names (config_names.c) */

/* Accepted names, in the order of the C enums they map to. */
extern const char *const rp_cfg_family_names[4];
extern const char *const rp_cfg_convention_names[2];
extern const char *const rp_cfg_rule_names[2];
extern const char *const rp_cfg_fold_grid_names[2];
extern const char *const rp_cfg_categorical_names[3];
extern const char *const rp_cfg_missing_names[3];
extern const char *const rp_cfg_alpha_unit_names[2];
extern const char *const rp_cfg_render_names[4];
extern const char *const rp_cfg_log_base_names[2];
extern const char *const rp_cfg_format_names[2];
extern const char *const rp_cfg_storage_names[3];
#define FAMILY_NAMES rp_cfg_family_names
#define CONVENTION_NAMES rp_cfg_convention_names
#define METRIC_NAMES rp_metric_names
#define RULE_NAMES rp_cfg_rule_names
#define FOLD_GRID_NAMES rp_cfg_fold_grid_names
#define CATEGORICAL_NAMES rp_cfg_categorical_names
#define MISSING_NAMES rp_cfg_missing_names
#define ALPHA_UNIT_NAMES rp_cfg_alpha_unit_names
#define RENDER_NAMES rp_cfg_render_names
#define LOG_BASE_NAMES rp_cfg_log_base_names
#define FORMAT_NAMES rp_cfg_format_names
#define STORAGE_NAMES rp_cfg_storage_names

/* names[value], or "?" when value is not below n. */
const char *rp_cfg_name_of(const char *const *names, size_t n, int value);

/* ------------------------------------------------------------ keys (config_keys.c) */

/* The most values a list (or map) may hold, checked on the text. */
typedef struct {
  size_t max;
  const char *what; /* what the list holds, in messages: "alphas" */
  const char *hint; /* what to do instead, or NULL */
} list_cap;

/* The setter of a dotted key ("cv.folds"), or NULL when it is not a key. */
setter rp_cfg_find_setter(const char *dotted);

/* Whether `name` is a section ("data", "model", "path", "cv", "output"). */
int rp_cfg_is_section(const char *name);

/* The cap on the values under a dotted key (or section, or "" for the top
 * level): a list's own, else a few values. */
const list_cap *rp_cfg_key_cap(const char *dotted);

/* What follows the first '.' of `dotted`, or all of it. */
const char *rp_cfg_after_dot(const char *dotted);

/* RP_ECONFIG: unknown key "dotted", with a did-you-mean when one is close. */
rp_status rp_cfg_unknown_key(rp_error *err, const char *dotted);

void rp_cfg_free_penalty_factors(rp_config *cfg);

/* Free a limits key's names and values, back to `none` for every feature. */
void rp_cfg_free_limits(rp_config_limits *lim, double none);

/* ------------------------------------------------------------ values (config_values.c) */

/* An interval of the real line and how messages describe it. */
typedef struct {
  double lo, hi;
  int lo_open, hi_open;
  const char *what;
} value_range;

/* v as compact JSON, cut to GOT_MAX bytes, into buf. */
void rp_cfg_describe_value(const cJSON *v, char *buf, size_t size);

/* "key: expected <what>, got <value>" (RP_ECONFIG). */
rp_status rp_cfg_expected(config_ctx *c, const char *key, const char *what, const cJSON *v);
rp_status rp_cfg_no_memory(config_ctx *c);

/* "key: expected at most <max> <what>, got <n> (<hint>)" (RP_ECONFIG). */
rp_status rp_cfg_too_many(rp_error *err, const char *key, const list_cap *cap, const char *unit,
                          size_t n);

/* Each check stores the value in *out when it is one, else fails with
 * rp_cfg_expected's message. */
rp_status rp_cfg_want_number(config_ctx *c, const char *key, const cJSON *v, const value_range *r,
                             double *out);
rp_status rp_cfg_want_integer(config_ctx *c, const char *key, const cJSON *v, double lo,
                              double limit, double *out);
rp_status rp_cfg_want_size(config_ctx *c, const char *key, const cJSON *v, double lo, size_t *out);
rp_status rp_cfg_want_seed(config_ctx *c, const char *key, const cJSON *v, unsigned long *out);
rp_status rp_cfg_want_bool(config_ctx *c, const char *key, const cJSON *v, int *out);
rp_status rp_cfg_want_string(config_ctx *c, const char *key, const cJSON *v, const char *what,
                             const char **out);
rp_status rp_cfg_want_name(config_ctx *c, const char *key, const cJSON *v, const char *const *names,
                           size_t n, size_t *index);
rp_status rp_cfg_want_number_list(config_ctx *c, const char *key, const cJSON *v,
                                  const value_range *r, const char *what, double **slot,
                                  size_t *n_slot);
rp_status rp_cfg_want_string_list(config_ctx *c, const char *key, const cJSON *v, const char *what,
                                  int allow_empty, char ***slot, size_t *n_slot);

/* RP_ECONFIG "prefix.name: key given twice" for an object whose members
 * share a name. */
rp_status rp_cfg_check_duplicates(config_ctx *c, const char *prefix, const cJSON *obj);

/* Stores into a config field, freeing what it held. */
rp_status rp_cfg_store_string(config_ctx *c, char **slot, const char *s);
rp_status rp_cfg_store_path(config_ctx *c, char **slot, const char *path);
rp_status rp_cfg_store_numbers(config_ctx *c, const double *x, size_t n, double **slot,
                               size_t *n_slot);
void rp_cfg_free_names(char ***names, size_t *n);

/* ------------------------------------------------------------ sizes (config_sizes.c) */

/* Every list of the config text against its cap, before cJSON parses it. */
rp_status rp_cfg_check_sizes(const char *text, size_t len, rp_error *err);

/* The JSON value `text` (an override's) under `dotted` against its cap. */
rp_status rp_cfg_check_value_size(rp_error *err, const char *dotted, const char *text);

#endif
