/* config.c: the run configuration, read from JSON and validated (see
 * regpath/config.h).
 *
 * The text's lists are counted against their caps (config_sizes.c), it is
 * parsed with cJSON, "--set section.key=value" overrides are spliced into
 * the tree, and the tree is then validated in one walk driven by the table
 * of known keys (KEYS, config_keys.c): each key has one setter, which checks
 * the value with a shared helper (integer >= k, number in a range, one of a
 * list of names, ...; config_values.c) and stores it.  Every message about a
 * value starts with its dotted key and quotes the offending JSON.  This file
 * holds the walk, the overrides, the syntax errors, loading and freeing.
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include "config_parse.h"
#include "regpath/table.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "json.h"
#include "text.h"

/* The config file is read whole.  At their caps (below) its lists take far
 * less: 1M fold ids are 2 to 8 MB, 1M column names some 20 MB. */
#define CONFIG_MAX_BYTES ((size_t)64 << 20)

/* ------------------------------------------------------------ validation */

static rp_status validate_section(config_ctx *c, const char *section, const cJSON *obj) {
  rp_status st = rp_cfg_check_duplicates(c, section, obj);
  for (const cJSON *item = obj->child; st == RP_OK && item; item = item->next) {
    char dotted[KEY_MAX];
    snprintf(dotted, sizeof dotted, "%s.%s", section, item->string);
    setter set = rp_cfg_find_setter(dotted);
    st = set ? set(c, dotted, item) : rp_cfg_unknown_key(c->err, dotted);
  }
  return st;
}

/* Does the config give limits of this side (one for all, or by name)? */
static int limits_given(const rp_config_limits *l) { return l->n > 0 || isfinite(l->all); }

/* The keys the multinomial family does not take (yet), and the one only it
 * takes: each with whether it is given. */
static rp_status check_multinomial(config_ctx *c) {
  const rp_config *cfg = c->cfg;
  if (cfg->family != RP_FAMILY_MULTINOMIAL)
    return cfg->multinomial_grouped
               ? rp_error_set(c->err, RP_ECONFIG,
                              "model.multinomial_grouped: needs model.family \"multinomial\"")
               : RP_OK;
  if (cfg->positive_class)
    return rp_error_set(c->err, RP_ECONFIG,
                        "model.positive_class: only for model.family \"binomial\" (a multinomial "
                        "model gives every class its own coefficients); leave it out");
  const struct {
    const char *key;
    int given;
  } keys[] = {
      {"model.relax", cfg->relax},
      {"model.positive", cfg->positive},
      {"model.lower_limits", limits_given(&cfg->lower_limits)},
      {"model.upper_limits", limits_given(&cfg->upper_limits)},
      {"data.offset", cfg->offset_column != NULL},
  };
  for (size_t i = 0; i < COUNT(keys); i++)
    if (keys[i].given)
      return rp_error_set(c->err, RP_ECONFIG,
                          "%s: not (yet) with model.family \"multinomial\"; leave it out",
                          keys[i].key);
  return RP_OK;
}

/* The defaults that depend on the family, and the keys that must agree with
 * it: cv.glmnet's default measure is the deviance for the GLM families (mse
 * for gaussian), and folds keep the class ratios of a binomial or
 * multinomial target. */
static rp_status finish_family(config_ctx *c) {
  rp_config *cfg = c->cfg;
  int classes = rp_family_has_classes(cfg->family);
  if (!c->has_metric && cfg->family != RP_FAMILY_GAUSSIAN) cfg->metric = RP_METRIC_DEVIANCE;
  if (cfg->stratified < 0) cfg->stratified = classes;
  if (!rp_metric_fits_family(cfg->metric, cfg->family))
    return rp_error_set(c->err, RP_ECONFIG,
                        "cv.metric: \"%s\" needs model.family \"binomial\"%s "
                        "(the family is \"%s\")",
                        rp_metric_name(cfg->metric),
                        cfg->metric == RP_METRIC_CLASS ? " or \"multinomial\"" : "",
                        FAMILY_NAMES[cfg->family]);
  if (cfg->stratified && !classes)
    return rp_error_set(c->err, RP_ECONFIG,
                        "cv.stratified: true needs model.family \"binomial\" or \"multinomial\" "
                        "(classes to stratify by)");
  return check_multinomial(c);
}

/* The keys that name columns, which an svmlight file does not have: each
 * with whether it is given and what to do instead. */
static rp_status no_named_columns(config_ctx *c) {
  const rp_config *cfg = c->cfg;
  const struct {
    const char *key;
    int given;
    const char *instead;
  } keys[] = {
      {"data.target", cfg->target != NULL, "leave it out: the label of each line is the target"},
      {"data.features", cfg->features != NULL, "leave it out: every index is a feature"},
      {"data.id", cfg->id_column != NULL, "leave it out"},
      {"data.exclude", cfg->n_exclude > 0, "leave it out"},
      {"data.categorical", cfg->categorical == RP_CATEGORICAL_LIST, "leave it out"},
      {"data.weights", cfg->weights_column != NULL, "leave it out"},
      {"data.offset", cfg->offset_column != NULL, "leave it out"},
      {"cv.fold_ids", cfg->fold_column != NULL, "list the fold ids instead, one per row"},
  };
  for (size_t i = 0; i < COUNT(keys); i++)
    if (keys[i].given)
      return rp_error_set(c->err, RP_ECONFIG,
                          "%s: svmlight files have no named columns (data.train is read as "
                          "svmlight); %s",
                          keys[i].key, keys[i].instead);
  return RP_OK;
}

/* data.format, when not given, from each file's name; data.n_features only
 * for svmlight; no column names for an svmlight file.  An offset must be a
 * column of the test file too, which an svmlight one cannot hold. */
static rp_status finish_format(config_ctx *c) {
  rp_config *cfg = c->cfg;
  if (!cfg->format_given) cfg->format = rp_data_format_of_name(cfg->train);
  cfg->test_format =
      cfg->format_given || !cfg->test ? cfg->format : rp_data_format_of_name(cfg->test);
  if (cfg->fixed_p && cfg->format != RP_FORMAT_SVMLIGHT)
    return rp_error_set(c->err, RP_ECONFIG,
                        "data.n_features: only for svmlight data, and data.train is read as csv; "
                        "leave it out, or set data.format to \"svmlight\"");
  if (cfg->format == RP_FORMAT_SVMLIGHT) return no_named_columns(c);
  if (cfg->test && cfg->test_format == RP_FORMAT_SVMLIGHT && cfg->offset_column)
    return rp_error_set(c->err, RP_ECONFIG,
                        "data.offset: the svmlight test file (data.test) cannot hold the offset "
                        "column \"%s\"; give data.test as a CSV file",
                        cfg->offset_column);
  return RP_OK;
}

/* Walk the tree once, storing every key, then check what only the whole
 * config can tell. */
/* model.relax and model.gamma: gamma blends the relaxed lasso's refits, so
 * it needs relax; the refits are unbounded, so relax takes no limits; with
 * relax and no gamma, glmnet's default list. */
static rp_status check_relax(config_ctx *c) {
  rp_config *cfg = c->cfg;
  if (c->has_gamma && !cfg->relax)
    return rp_error_set(c->err, RP_ECONFIG,
                        "model.gamma: needs model.relax: true (gamma blends the relaxed lasso's "
                        "unpenalized refit with the penalized fit)");
  const char *limits = cfg->positive                      ? "positive"
                       : limits_given(&cfg->lower_limits) ? "lower_limits"
                       : limits_given(&cfg->upper_limits) ? "upper_limits"
                                                          : NULL;
  if (cfg->relax && limits)
    return rp_error_set(c->err, RP_ECONFIG,
                        "model.relax and model.%s: the relaxed lasso does not take coefficient "
                        "limits (its refits are unbounded); drop one",
                        limits);
  static const double glmnet_gammas[5] = {0.0, 0.25, 0.5, 0.75, 1.0};
  if (cfg->relax && !c->has_gamma)
    return rp_cfg_store_numbers(c, glmnet_gammas, 5, &cfg->gammas, &cfg->n_gammas);
  return RP_OK;
}

static rp_status validate(config_ctx *c, const cJSON *root) {
  rp_status st = rp_cfg_check_duplicates(c, "", root);
  for (const cJSON *sec = root->child; st == RP_OK && sec; sec = sec->next) {
    if (rp_cfg_find_setter(sec->string))
      st = rp_error_set(c->err, RP_ECONFIG,
                        "unknown key \"%s\" (sections nest: write {\"%.*s\": {\"%s\": ...}})",
                        sec->string, (int)(rp_cfg_after_dot(sec->string) - sec->string - 1),
                        sec->string, rp_cfg_after_dot(sec->string));
    else if (!rp_cfg_is_section(sec->string))
      st = rp_cfg_unknown_key(c->err, sec->string);
    else if (!cJSON_IsObject(sec))
      st = rp_cfg_expected(c, sec->string, "an object", sec);
    else
      st = validate_section(c, sec->string, sec);
  }
  if (st != RP_OK) return st;
  if (c->has_penalty && c->has_l1_ratio)
    return rp_error_set(c->err, RP_ECONFIG,
                        "model.penalty and model.l1_ratio: give one or the other (the penalty "
                        "is a shorthand for l1_ratio values)");
  const rp_config_limits *lower = &c->cfg->lower_limits;
  if (c->cfg->positive && limits_given(lower))
    return rp_error_set(c->err, RP_ECONFIG,
                        "model.positive and model.lower_limits: give one or the other (positive "
                        "is a lower limit of 0 on every feature)");
  st = check_relax(c);
  if (st != RP_OK) return st;
  if (!c->cfg->train)
    return rp_error_set(c->err, RP_ECONFIG, "data.train: required (the training CSV file)");
  if (c->cfg->test && c->cfg->test_fraction > 0.0)
    return rp_error_set(c->err, RP_ECONFIG,
                        "data.test and data.test_fraction: give one or the other (a test file, "
                        "or a fraction of data.train held out)");
  st = finish_family(c);
  if (st == RP_OK) st = finish_format(c);
  if (st != RP_OK) return st;
  if (!c->cfg->output_dir) return rp_cfg_store_path(c, &c->cfg->output_dir, "regpath-out");
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
  cfg->extend = 1;
  cfg->extend_max = 100;
  cfg->cv_repeats = 1;
  cfg->folds = 10;
  cfg->seed = 1;
  cfg->metric = RP_METRIC_MSE; /* deviance for binomial and poisson: see finish_family */
  cfg->stratified = -1;        /* true for binomial                                    */
  cfg->rule = RP_RULE_1SE;
  cfg->test_seed = 1;
  cfg->max_line = RP_CSV_DEFAULT_MAX_LINE;
  cfg->max_levels = 1000;
  cfg->plots = 1;
  cfg->render = RP_RENDER_AUTO;
  cfg->lower_limits.all = -HUGE_VAL;
  cfg->upper_limits.all = HUGE_VAL;
}

/* ------------------------------------------------------------ overrides */

/* Splice one "section.key=value" into the tree (creating the section,
 * replacing the key), so that it is validated exactly like the file.
 * Convenience: a value that does not parse as JSON is taken as a string, so
 * `--set data.target=y` works without shell-quoting "\"y\"".  A value that
 * starts like JSON text ([, { or ") but does not parse, or an empty value, is
 * a mistake and is reported instead of being swallowed as a string. */
static rp_status apply_override(config_ctx *c, cJSON *root, const char *ov) {
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
  rp_status st = rp_cfg_check_value_size(c->err, dotted, text);
  if (st != RP_OK) return st;
  cJSON *value = cJSON_ParseWithOpts(text, NULL, 1);
  if (!value) {
    const char *first = text + strspn(text, " \t\r\n");
    if (*first == '\0' || strchr("[{\"", *first))
      return rp_error_set(c->err, RP_ECONFIG, "--set %s: invalid JSON value", ov);
    if (!(value = cJSON_CreateString(text))) return rp_cfg_no_memory(c);
  }

  cJSON *sec = cJSON_GetObjectItemCaseSensitive(root, section);
  if (!sec) {
    if (!(sec = cJSON_AddObjectToObject(root, section))) {
      cJSON_Delete(value);
      return rp_cfg_no_memory(c);
    }
  } else if (!cJSON_IsObject(sec)) {
    cJSON_Delete(value);
    return rp_cfg_expected(c, section, "an object", sec);
  }
  /* Delete and add rather than cJSON_Replace...: cJSON 1.7.15 inserts the
   * replacement even when copying its name ran out of memory. */
  cJSON_DeleteItemFromObjectCaseSensitive(sec, key);
  if (!cJSON_AddItemToObject(sec, key, value)) {
    cJSON_Delete(value);
    return rp_cfg_no_memory(c);
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
                           nul ? "invalid JSON: NUL byte"
                               : "a \\u0000 (NUL) escape is not allowed");
  }
  rp_status st = rp_cfg_check_sizes(text, len, err);
  if (st != RP_OK) return st;
  const char *at = NULL;
  cJSON *root = cJSON_ParseWithOpts(text, &at, 1);
  /* cJSON cannot tell running out of memory from bad syntax; the former is
   * reported as the latter, which is rare enough not to matter. */
  if (!root) return syntax_error(text, len, at ? at : text, source, err);
  if (!cJSON_IsObject(root)) {
    char got[GOT_MAX + 32];
    rp_cfg_describe_value(root, got, sizeof got);
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
  config_ctx c = {cfg, base_dir ? base_dir : ".", err, 0, 0, 0, 0};
  if (!cfg) {
    st = rp_cfg_no_memory(&c);
  } else {
    set_defaults(cfg);
    static const double lasso = 1.0;
    st = rp_cfg_store_numbers(&c, &lasso, 1, &cfg->l1_ratios, &cfg->n_l1_ratios);
    if (st == RP_OK && source) st = rp_cfg_store_string(&c, &cfg->source, source);
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

void rp_config_free(rp_config *cfg) {
  if (!cfg) return;
  free(cfg->train);
  rp_cfg_free_names(&cfg->train_shards, &cfg->n_train_shards);
  free(cfg->target);
  free(cfg->test);
  rp_cfg_free_names(&cfg->features, &cfg->n_features);
  free(cfg->id_column);
  rp_cfg_free_names(&cfg->exclude, &cfg->n_exclude);
  rp_cfg_free_names(&cfg->categorical_columns, &cfg->n_categorical);
  rp_cfg_free_names(&cfg->na_values, &cfg->n_na_values);
  free(cfg->weights_column);
  free(cfg->offset_column);
  free(cfg->positive_class);
  free(cfg->l1_ratios);
  free(cfg->gammas);
  rp_cfg_free_penalty_factors(cfg);
  rp_cfg_free_limits(&cfg->lower_limits, -HUGE_VAL);
  rp_cfg_free_limits(&cfg->upper_limits, HUGE_VAL);
  free(cfg->alphas);
  free(cfg->fold_ids);
  free(cfg->fold_column);
  free(cfg->output_dir);
  free(cfg->source);
  free(cfg);
}
