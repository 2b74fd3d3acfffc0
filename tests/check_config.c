/* check_config.c: the JSON run configuration (lib/config.c). */
#define _POSIX_C_SOURCE 200809L /* truncate, fork */
#include <check.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "regpath/config.h"
#include "testutil.h"

#define MINIMAL "{\"data\": {\"train\": \"d.csv\"}}"

/* Parse inline JSON that must be valid (paths resolve against "."). */
static rp_config *parse_ok(const char *json, const char *const *overrides, size_t n) {
  rp_error err;
  rp_config *cfg = NULL;
  rp_error_clear(&err);
  rp_status st = rp_config_parse(json, "test.json", NULL, overrides, n, &cfg, &err);
  ck_assert_msg(st == RP_OK, "unexpected error for %.200s: %s", json, err.message);
  ck_assert_ptr_nonnull(cfg);
  return cfg;
}

/* Parse inline JSON that must fail with RP_ECONFIG and a message holding
 * `needle`; *out must stay NULL. */
static void parse_fails(const char *json, const char *const *overrides, size_t n,
                        const char *needle, rp_error *err) {
  rp_config *cfg = (rp_config *)&cfg; /* anything but NULL */
  rp_error_clear(err);
  rp_status st = rp_config_parse(json, "test.json", NULL, overrides, n, &cfg, err);
  /* A generated config may be megabytes long: quote its start only. */
  ck_assert_msg(st == RP_ECONFIG, "status %d (%s) for %.200s", (int)st, err->message, json);
  ck_assert_ptr_null(cfg);
  ck_assert_msg(strstr(err->message, needle) != NULL, "message \"%s\" lacks \"%s\" (for %.200s)",
                err->message, needle, json);
}

/* ------------------------------------------------------------ defaults, keys */

START_TEST(minimal_config_gets_every_default) {
  rp_config *cfg = parse_ok(MINIMAL, NULL, 0);
  ck_assert_str_eq(cfg->train, "d.csv");
  ck_assert_ptr_null(cfg->target);
  ck_assert_ptr_null(cfg->features);
  ck_assert_uint_eq(cfg->n_features, 0);
  ck_assert_int_eq(cfg->family, RP_FAMILY_GAUSSIAN);
  ck_assert_uint_eq(cfg->n_l1_ratios, 1);
  ck_assert_double_eq(cfg->l1_ratios[0], 1.0);
  ck_assert_int_eq(cfg->standardize, 1);
  ck_assert_int_eq(cfg->fit_intercept, 1);
  ck_assert_int_eq(cfg->convention, RP_CONVENTION_STANDARD);
  ck_assert_uint_eq(cfg->n_pf, 0);
  ck_assert_uint_eq(cfg->n_alphas, 100);
  ck_assert_double_eq(cfg->alpha_min_ratio, 0.0);
  ck_assert_ptr_null(cfg->alphas);
  ck_assert_uint_eq(cfg->n_explicit, 0);
  ck_assert_double_eq(cfg->tol, 1e-7);
  ck_assert_int_eq(cfg->max_iter, 100000);
  ck_assert_int_eq(cfg->early_stop, 1);
  ck_assert_int_eq(cfg->extend, 1);
  ck_assert_uint_eq(cfg->extend_max, 100);
  ck_assert_uint_eq(cfg->cv_repeats, 1);
  ck_assert_int_eq(cfg->cv_keep, 0);
  ck_assert_uint_eq(cfg->folds, 10);
  ck_assert_uint_eq(cfg->seed, 1);
  ck_assert_int_eq(cfg->metric, RP_METRIC_MSE);
  ck_assert_int_eq(cfg->rule, RP_RULE_1SE);
  ck_assert_int_eq(cfg->fold_grid, RP_FOLD_GRID_FULL);
  ck_assert_ptr_null(cfg->fold_ids);
  ck_assert_ptr_null(cfg->fold_column);
  ck_assert_str_eq(cfg->output_dir, "regpath-out");
  ck_assert_str_eq(cfg->source, "test.json");
  rp_config_free(cfg);
}
END_TEST

static const char FULL[] =
    "{\"data\": {\"train\": \"/data/train.csv\", \"target\": \"y\",\n"
    "           \"features\": [\"a\", \"b\"]},\n"
    " \"model\": {\"family\": \"gaussian\", \"l1_ratio\": [1, 0.25], \"standardize\": false,\n"
    "           \"fit_intercept\": false, \"convention\": \"glmnet\",\n"
    "           \"penalty_factor\": {\"a\": 0, \"b\": 2.5},\n"
    "           \"lower_limits\": {\"a\": -1.5, \"b\": 0}, \"upper_limits\": 2},\n"
    " \"path\": {\"n_alphas\": 50, \"alpha_min_ratio\": 0.001, \"alphas\": [2, 1, 0.5],\n"
    "          \"tol\": 1e-9, \"max_iter\": 1e3, \"early_stop\": false},\n"
    " \"cv\": {\"folds\": 5, \"seed\": 42, \"metric\": \"mae\", \"rule\": \"min\",\n"
    "        \"fold_ids\": [1, 2, 1, 2], \"fold_grid\": \"own\"},\n"
    " \"output\": {\"dir\": \"/tmp/out\"}}";

START_TEST(every_key_is_parsed) {
  rp_config *cfg = parse_ok(FULL, NULL, 0);
  ck_assert_str_eq(cfg->train, "/data/train.csv");
  ck_assert_str_eq(cfg->target, "y");
  ck_assert_uint_eq(cfg->n_features, 2);
  ck_assert_str_eq(cfg->features[0], "a");
  ck_assert_str_eq(cfg->features[1], "b");
  ck_assert_uint_eq(cfg->n_l1_ratios, 2);
  ck_assert_double_eq(cfg->l1_ratios[0], 1.0);
  ck_assert_double_eq(cfg->l1_ratios[1], 0.25);
  ck_assert_int_eq(cfg->standardize, 0);
  ck_assert_int_eq(cfg->fit_intercept, 0);
  ck_assert_int_eq(cfg->convention, RP_CONVENTION_GLMNET);
  ck_assert_uint_eq(cfg->n_pf, 2);
  ck_assert_str_eq(cfg->pf_names[0], "a");
  ck_assert_double_eq(cfg->pf_values[0], 0.0);
  ck_assert_str_eq(cfg->pf_names[1], "b");
  ck_assert_double_eq(cfg->pf_values[1], 2.5);
  ck_assert_uint_eq(cfg->lower_limits.n, 2);
  ck_assert_str_eq(cfg->lower_limits.names[0], "a");
  ck_assert_double_eq(cfg->lower_limits.values[0], -1.5);
  ck_assert_double_eq(cfg->lower_limits.values[1], 0.0);
  ck_assert(cfg->lower_limits.all == -HUGE_VAL);
  ck_assert_uint_eq(cfg->upper_limits.n, 0);
  ck_assert_double_eq(cfg->upper_limits.all, 2.0);
  ck_assert_int_eq(cfg->positive, 0);
  ck_assert_uint_eq(cfg->n_alphas, 50);
  ck_assert_double_eq(cfg->alpha_min_ratio, 0.001);
  ck_assert_uint_eq(cfg->n_explicit, 3);
  ck_assert_double_eq(cfg->alphas[2], 0.5);
  ck_assert_double_eq(cfg->tol, 1e-9);
  ck_assert_int_eq(cfg->max_iter, 1000);
  ck_assert_int_eq(cfg->early_stop, 0);
  ck_assert_uint_eq(cfg->folds, 5);
  ck_assert_uint_eq(cfg->seed, 42);
  ck_assert_int_eq(cfg->metric, RP_METRIC_MAE);
  ck_assert_int_eq(cfg->rule, RP_RULE_MIN);
  ck_assert_int_eq(cfg->fold_grid, RP_FOLD_GRID_OWN);
  ck_assert_uint_eq(cfg->n_fold_ids, 4);
  ck_assert_int_eq(cfg->fold_ids[1], 2);
  ck_assert_ptr_null(cfg->fold_column);
  ck_assert_str_eq(cfg->output_dir, "/tmp/out");
  rp_config_free(cfg);
}
END_TEST

START_TEST(single_l1_ratio_and_fold_column_are_accepted) {
  rp_config *cfg = parse_ok("{\"data\": {\"train\": \"d.csv\"}, \"model\": {\"l1_ratio\": 0},"
                            " \"cv\": {\"fold_ids\": \"fold\", \"seed\": 0}}",
                            NULL, 0);
  ck_assert_uint_eq(cfg->n_l1_ratios, 1);
  ck_assert_double_eq(cfg->l1_ratios[0], 0.0);
  ck_assert_str_eq(cfg->fold_column, "fold");
  ck_assert_ptr_null(cfg->fold_ids);
  ck_assert_uint_eq(cfg->seed, 0);
  rp_config_free(cfg);
}
END_TEST

/* data.stream and data.memory_limit as given (issue 20): sizes in bytes
 * or with a binary unit, echoed in bytes. */
START_TEST(stream_keys_as_given) {
  static const struct {
    const char *data;
    rp_stream_mode stream;
    double limit;
  } CASES[] = {
      {"", RP_STREAM_AUTO, 0.0},
      {", \"stream\": true, \"memory_limit\": 1048576", RP_STREAM_ON, 1048576.0},
      {", \"stream\": false, \"memory_limit\": \"512M\"", RP_STREAM_OFF, 512.0 * 1048576.0},
      {", \"stream\": \"auto\", \"memory_limit\": \"1.5g\"", RP_STREAM_AUTO, 1.5 * 1073741824.0},
      {", \"stream\": null, \"memory_limit\": null", RP_STREAM_AUTO, 0.0},
  };
  for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
    char json[256];
    snprintf(json, sizeof json, "{\"data\": {\"train\": \"d.csv\"%s}}", CASES[i].data);
    rp_config *cfg = parse_ok(json, NULL, 0);
    ck_assert_int_eq(cfg->stream, CASES[i].stream);
    ck_assert_double_eq(cfg->memory_limit, CASES[i].limit);
    cJSON *echo = rp_config_to_json(cfg);
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(echo, "data");
    const cJSON *limit = cJSON_GetObjectItemCaseSensitive(data, "memory_limit");
    ck_assert(cJSON_IsNull(limit) == !(CASES[i].limit > 0.0)); /* a number: raw text */
    ck_assert(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(data, "stream")) ==
              (CASES[i].stream == RP_STREAM_AUTO));
    cJSON_Delete(echo);
    rp_config_free(cfg);
  }
}
END_TEST

/* data.format: from each file's name unless given; data.storage and
 * data.n_features as given (issue 19). */
START_TEST(data_format_follows_the_file_names) {
  static const struct {
    const char *data; /* the data section's keys after "train" */
    rp_data_format train, test;
  } CASES[] = {
      {"\"train\": \"d.csv\"", RP_FORMAT_CSV, RP_FORMAT_CSV},
      {"\"train\": \"d.csv.gz\"", RP_FORMAT_CSV, RP_FORMAT_CSV},
      {"\"train\": \"d.txt\"", RP_FORMAT_CSV, RP_FORMAT_CSV},
      {"\"train\": \"d.svm\"", RP_FORMAT_SVMLIGHT, RP_FORMAT_SVMLIGHT},
      {"\"train\": \"D.SVMLIGHT\"", RP_FORMAT_SVMLIGHT, RP_FORMAT_SVMLIGHT},
      {"\"train\": \"d.libsvm.gz\"", RP_FORMAT_SVMLIGHT, RP_FORMAT_SVMLIGHT},
      {"\"train\": \"svm\"", RP_FORMAT_CSV, RP_FORMAT_CSV},
      {"\"train\": \"d.svm\", \"test\": \"t.csv\"", RP_FORMAT_SVMLIGHT, RP_FORMAT_CSV},
      {"\"train\": \"d.csv\", \"test\": \"t.svm.gz\"", RP_FORMAT_CSV, RP_FORMAT_SVMLIGHT},
      /* given, it holds for both files */
      {"\"train\": \"d.csv\", \"test\": \"t.svm\", \"format\": \"csv\"", RP_FORMAT_CSV,
       RP_FORMAT_CSV},
      {"\"train\": \"d.txt\", \"test\": \"t.txt\", \"format\": \"svmlight\"", RP_FORMAT_SVMLIGHT,
       RP_FORMAT_SVMLIGHT},
      {"\"train\": \"d.svm\", \"format\": null", RP_FORMAT_SVMLIGHT, RP_FORMAT_SVMLIGHT},
  };
  for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
    char json[256];
    snprintf(json, sizeof json, "{\"data\": {%s}}", CASES[i].data);
    rp_config *cfg = parse_ok(json, NULL, 0);
    ck_assert_msg(cfg->format == CASES[i].train, "train format of %s", json);
    ck_assert_msg(cfg->test_format == CASES[i].test, "test format of %s", json);
    ck_assert_int_eq(cfg->storage, RP_STORAGE_AUTO);
    ck_assert_uint_eq(cfg->fixed_p, 0);
    rp_config_free(cfg);
  }
  rp_config *cfg = parse_ok("{\"data\": {\"train\": \"d.svm\", \"n_features\": 1e6, "
                            "\"storage\": \"dense\"}, \"cv\": {\"fold_ids\": [1, 2, 1, 2]}}",
                            NULL, 0);
  ck_assert_uint_eq(cfg->fixed_p, 1000000);
  ck_assert_int_eq(cfg->storage, RP_STORAGE_DENSE);
  ck_assert_uint_eq(cfg->n_fold_ids, 4);
  rp_config_free(cfg);
  ck_assert_str_eq(rp_data_format_name(RP_FORMAT_SVMLIGHT), "svmlight");
  ck_assert_int_eq(rp_data_format_of_name(NULL), RP_FORMAT_CSV);
}
END_TEST

/* The echo says how the files were read: null for data.format when
 * data.train and data.test were each read by their names and differ, so
 * that the echoed config reads them the same way again. */
START_TEST(data_format_storage_and_n_features_are_echoed) {
  static const struct {
    const char *json, *format, *storage;
    double n_features; /* 0: null */
  } CASES[] = {
      {MINIMAL, "csv", "auto", 0},
      {"{\"data\": {\"train\": \"d.svm\", \"n_features\": 12, \"storage\": \"sparse\"}}",
       "svmlight", "sparse", 12},
      {"{\"data\": {\"train\": \"d.svm\", \"test\": \"t.csv\"}}", NULL, "auto", 0},
      {"{\"data\": {\"train\": \"d.svm\", \"test\": \"t.csv\", \"format\": \"svmlight\"}}",
       "svmlight", "auto", 0},
  };
  for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
    rp_config *cfg = parse_ok(CASES[i].json, NULL, 0);
    cJSON *json = rp_config_to_json(cfg);
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(json, "data");
    const cJSON *format = cJSON_GetObjectItemCaseSensitive(data, "format");
    const cJSON *storage = cJSON_GetObjectItemCaseSensitive(data, "storage");
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(data, "n_features");
    if (CASES[i].format)
      ck_assert_msg(cJSON_IsString(format) && !strcmp(format->valuestring, CASES[i].format), "%s",
                    CASES[i].json);
    else
      ck_assert_msg(cJSON_IsNull(format), "%s", CASES[i].json);
    ck_assert_msg(cJSON_IsString(storage) && !strcmp(storage->valuestring, CASES[i].storage), "%s",
                  CASES[i].json);
    if (CASES[i].n_features > 0)
      ck_assert_msg(cJSON_IsNumber(p) && p->valuedouble == CASES[i].n_features, "%s",
                    CASES[i].json);
    else
      ck_assert_msg(cJSON_IsNull(p), "%s", CASES[i].json);
    char *printed = cJSON_PrintUnformatted(json);
    rp_config *again = parse_ok(printed, NULL, 0);
    ck_assert_int_eq(again->format, cfg->format);
    ck_assert_int_eq(again->test_format, cfg->test_format);
    ck_assert_int_eq(again->storage, cfg->storage);
    ck_assert_uint_eq(again->fixed_p, cfg->fixed_p);
    rp_config_free(again);
    free(printed);
    cJSON_Delete(json);
    rp_config_free(cfg);
  }
}
END_TEST

START_TEST(explicit_nulls_mean_defaults) {
  rp_config *cfg =
      parse_ok("{\"data\": {\"train\": \"d.csv\", \"target\": null, \"features\": null},"
               " \"path\": {\"alphas\": null, \"alpha_min_ratio\": null},"
               " \"cv\": {\"fold_ids\": null}}",
               NULL, 0);
  ck_assert_ptr_null(cfg->target);
  ck_assert_ptr_null(cfg->features);
  ck_assert_ptr_null(cfg->alphas);
  ck_assert_double_eq(cfg->alpha_min_ratio, 0.0);
  ck_assert_ptr_null(cfg->fold_ids);
  ck_assert_ptr_null(cfg->fold_column);
  rp_config_free(cfg);
}
END_TEST

/* ------------------------------------------------------------ bad values */

#define T(body) "{\"data\": {\"train\": \"d.csv\"}, " body "}"
static const struct {
  const char *json;
  const char *message;
} BAD[] = {
    {"{\"data\": {\"target\": \"y\"}}", "data.train: required"},
    {"{}", "data.train: required"},
    {"{\"data\": {\"train\": 3}}",
     "data.train: expected a file path, a pattern or a list of files, got 3"},
    {"{\"data\": {\"train\": \"\"}}",
     "data.train: expected a file path, a pattern or a list of files, got \"\""},
    {"{\"data\": {\"train\": []}}", "data.train: an empty list (give one file or more)"},
    {"{\"data\": {\"train\": [\"a.csv\", 2]}}", "data.train[1]: expected a file path, got 2"},
    {"{\"data\": {\"train\": \"no-such-folder/part-*.csv\"}}",
     "data.train: no file matches the pattern \"no-such-folder/part-*.csv\""},
    {T("\"model\": 3"), "model: expected an object, got 3"},
    {T("\"cv\": [1]"), "cv: expected an object, got [1]"},
    {"{\"data\": {\"train\": \"d.csv\", \"target\": 1}}", "data.target: expected a column name"},
    {"{\"data\": {\"train\": \"d.csv\", \"features\": []}}",
     "data.features: expected a non-empty list of column names or null, got []"},
    {"{\"data\": {\"train\": \"d.csv\", \"features\": \"a\"}}", "data.features: expected"},
    {"{\"data\": {\"train\": \"d.csv\", \"features\": [\"a\", 3]}}",
     "data.features[1]: expected a column name, got 3"},
    {"{\"data\": {\"train\": \"d.csv\", \"features\": [\"a\", \"b\", \"a\"]}}",
     "data.features[2]: column \"a\" is already listed at [0]"},
    /* the first repeat in the list's order, whatever the names' order */
    {"{\"data\": {\"train\": \"d.csv\", \"features\": [\"z\", \"b\", \"z\", \"b\", \"z\"]}}",
     "data.features[2]: column \"z\" is already listed at [0]"},
    {T("\"model\": {\"family\": \"logistic\"}"),
     "model.family: expected one of \"gaussian\", \"binomial\", \"poisson\", \"multinomial\", got "
     "\"logistic\""},
    {T("\"model\": {\"family\": \"poisson\"}, \"cv\": {\"metric\": \"auc\"}"),
     "cv.metric: \"auc\" needs model.family \"binomial\" (the family is \"poisson\")"},
    {T("\"cv\": {\"metric\": \"class\"}"), "cv.metric: \"class\" needs model.family \"binomial\""},
    {T("\"cv\": {\"stratified\": true}"), "cv.stratified: true needs model.family \"binomial\""},
    {T("\"model\": {\"family\": \"binomial\"}, \"cv\": {\"stratified\": 1}"),
     "cv.stratified: expected true or false"},
    {T("\"model\": {\"l1_ratio\": 1.5}"), "model.l1_ratio: expected a number in [0, 1], got 1.5"},
    {T("\"model\": {\"l1_ratio\": -0.1}"), "model.l1_ratio: expected a number in [0, 1]"},
    {T("\"model\": {\"l1_ratio\": []}"),
     "model.l1_ratio: expected a number in [0, 1] or a non-empty list"},
    {T("\"model\": {\"l1_ratio\": \"1\"}"), "model.l1_ratio: expected a number in [0, 1] or a"},
    {T("\"model\": {\"l1_ratio\": [1, 2]}"),
     "model.l1_ratio[1]: expected a number in [0, 1], got 2"},
    {T("\"model\": {\"l1_ratio\": [1, 0.5, 0.5]}"),
     "model.l1_ratio[2]: 0.5 is already listed at [1]"},
    {T("\"model\": {\"penalty\": \"lasso2\"}"),
     "model.penalty: expected one of \"lasso\", \"ridge\", \"elasticnet\", \"compare\", got "
     "\"lasso2\""},
    {T("\"model\": {\"standardize\": 1}"), "model.standardize: expected true or false, got 1"},
    {T("\"model\": {\"fit_intercept\": \"yes\"}"),
     "model.fit_intercept: expected true or false, got \"yes\""},
    {T("\"model\": {\"convention\": \"sklearn\"}"),
     "model.convention: expected one of \"standard\", \"glmnet\", got \"sklearn\""},
    {T("\"model\": {\"penalty_factor\": [1, 2]}"), "model.penalty_factor: expected an object"},
    {T("\"model\": {\"lower_limits\": 0.5}"),
     "model.lower_limits: expected a number <= 0, got 0.5"},
    {T("\"model\": {\"upper_limits\": {\"x\": -1}}"),
     "model.upper_limits.x: expected a number >= 0, got -1"},
    {T("\"model\": {\"upper_limits\": [1]}"),
     "model.upper_limits: expected a number >= 0, an object {\"column\": a number >= 0}, or null"},
    {T("\"model\": {\"positive\": 1}"), "model.positive: expected true or false"},
    {T("\"model\": {\"positive\": true, \"lower_limits\": -1}"),
     "model.positive and model.lower_limits: give one or the other"},
    {T("\"model\": {\"relax\": 1}"), "model.relax: expected true or false, got 1"},
    {T("\"model\": {\"relax\": true, \"gamma\": [0, 1.5]}"),
     "model.gamma[1]: expected a number in [0, 1], got 1.5"},
    {T("\"model\": {\"relax\": true, \"gamma\": -0.5}"),
     "model.gamma: expected a number in [0, 1], got -0.5"},
    {T("\"model\": {\"relax\": true, \"gamma\": [0.5, 0.5]}"),
     "model.gamma[1]: 0.5 is already listed at [0]"},
    {T("\"model\": {\"relax\": true, \"gamma\": []}"),
     "model.gamma: expected a number in [0, 1] or a non-empty list of them"},
    {T("\"model\": {\"gamma\": [0, 1]}"), "model.gamma: needs model.relax: true"},
    {T("\"model\": {\"relax\": true, \"upper_limits\": 3}"),
     "model.relax and model.upper_limits: the relaxed lasso does not take coefficient limits"},
    {T("\"model\": {\"relax\": true, \"positive\": true}"),
     "model.relax and model.positive: the relaxed lasso does not take coefficient limits"},
    {T("\"model\": {\"multinomial_grouped\": true}"),
     "model.multinomial_grouped: needs model.family \"multinomial\""},
    {T("\"model\": {\"family\": \"multinomial\", \"multinomial_grouped\": 1}"),
     "model.multinomial_grouped: expected true or false, got 1"},
    {T("\"model\": {\"family\": \"multinomial\", \"relax\": true}"),
     "model.relax: not (yet) with model.family \"multinomial\""},
    {T("\"model\": {\"family\": \"multinomial\", \"upper_limits\": 2}"),
     "model.upper_limits: not (yet) with model.family \"multinomial\""},
    {T("\"model\": {\"family\": \"multinomial\", \"positive_class\": \"a\"}"),
     "model.positive_class: only for model.family \"binomial\""},
    {"{\"data\": {\"train\": \"d.csv\", \"offset\": \"o\"}, \"model\": {\"family\": "
     "\"multinomial\"}}",
     "data.offset: not (yet) with model.family \"multinomial\""},
    {T("\"model\": {\"family\": \"multinomial\"}, \"cv\": {\"metric\": \"auc\"}"),
     "cv.metric: \"auc\" needs model.family \"binomial\" (the family is \"multinomial\")"},
    {T("\"model\": {\"penalty_factor\": {\"x\": -1}}"),
     "model.penalty_factor.x: expected a number >= 0, got -1"},
    {T("\"model\": {\"penalty_factor\": {\"x\": \"1\"}}"),
     "model.penalty_factor.x: expected a number >= 0"},
    {T("\"path\": {\"n_alphas\": 0}"), "path.n_alphas: expected an integer >= 1, got 0"},
    {T("\"path\": {\"n_alphas\": 10.5}"), "path.n_alphas: expected an integer >= 1, got 10.5"},
    {T("\"path\": {\"n_alphas\": 10001}"),
     "path.n_alphas: expected at most 10000 alphas, got 10001 (each alpha is one more fit in "
     "every fold; a few hundred trace a smooth path)"},
    {T("\"path\": {\"n_alphas\": 1e15}"),
     "path.n_alphas: expected at most 10000 alphas, got 1000000000000000"},
    {T("\"path\": {\"alpha_min_ratio\": 0}"),
     "path.alpha_min_ratio: expected a number in (0, 1), got 0"},
    {T("\"path\": {\"alpha_min_ratio\": 1}"),
     "path.alpha_min_ratio: expected a number in (0, 1), got 1"},
    {T("\"path\": {\"alphas\": []}"), "path.alphas: expected a non-empty list of positive numbers"},
    {T("\"path\": {\"alphas\": 1}"), "path.alphas: expected a non-empty list of positive numbers"},
    {T("\"path\": {\"alphas\": [3, 2, -1]}"), "path.alphas[2]: expected a positive number, got -1"},
    {T("\"path\": {\"alphas\": [3, 0]}"), "path.alphas[1]: expected a positive number, got 0"},
    {T("\"path\": {\"alphas\": [3, 1, 2]}"),
     "path.alphas: expected a strictly decreasing list, but [2] = 2 is not below [1] = 1"},
    {T("\"path\": {\"alphas\": [3, 3]}"),
     "path.alphas: expected a strictly decreasing list, but [1]"},
    {T("\"path\": {\"tol\": 0}"), "path.tol: expected a positive number, got 0"},
    {T("\"path\": {\"tol\": 1e999}"),
     "path.tol: expected a positive number, got a number too large"},
    {T("\"path\": {\"max_iter\": 0}"), "path.max_iter: expected an integer >= 1, got 0"},
    {T("\"path\": {\"max_iter\": 1e300}"),
     "path.max_iter: expected an integer >= 1, got 1e+300 (too large)"},
    {T("\"path\": {\"early_stop\": null}"), "path.early_stop: expected true or false, got null"},
    {T("\"cv\": {\"folds\": \"ten\"}"), "cv.folds: expected an integer >= 2, got \"ten\""},
    {"{\"data\": {\"train\": \"a\\u0000b.csv\"}}", "a \\u0000 (NUL) escape is not allowed"},
    {"{\"data\": {\"train\": \"d.csv\", \"test_fraction\": 1}}",
     "data.test_fraction: expected a number in (0, 1), got 1"},
    {"{\"data\": {\"train\": \"d.csv\", \"test\": \"t.csv\", \"test_fraction\": 0.2}}",
     "data.test and data.test_fraction: give one or the other"},
    {"{\"data\": {\"train\": \"d.csv\", \"test_seed\": -1}}",
     "data.test_seed: expected an integer >= 0, got -1"},
    {T("\"output\": {\"render\": \"jpg\"}"),
     "output.render: expected one of \"auto\", \"png\", \"svg\", \"none\", got \"jpg\""},
    {T("\"output\": {\"plots\": 1}"), "output.plots: expected true or false, got 1"},
    {T("\"cv\": {\"folds\": 1}"), "cv.folds: expected an integer >= 2, got 1"},
    {T("\"cv\": {\"folds\": 2.5}"), "cv.folds: expected an integer >= 2, got 2.5"},
    {T("\"cv\": {\"folds\": true}"), "cv.folds: expected an integer >= 2, got true"},
    {T("\"cv\": {\"seed\": -1}"), "cv.seed: expected an integer >= 0, got -1"},
    {T("\"cv\": {\"seed\": 1e20}"), "cv.seed: expected an integer >= 0, got 1e+20 (too large)"},
    {T("\"cv\": {\"metric\": \"rmse\"}"),
     "cv.metric: expected one of \"mse\", \"mae\", \"deviance\", \"class\", \"auc\", got \"rmse\""},
    {T("\"cv\": {\"rule\": \"2se\"}"), "cv.rule: expected one of \"1se\", \"min\", got \"2se\""},
    {T("\"cv\": {\"fold_grid\": \"fold\"}"),
     "cv.fold_grid: expected one of \"full\", \"own\", got \"fold\""},
    {T("\"cv\": {\"fold_ids\": []}"), "cv.fold_ids: expected a non-empty list of fold numbers"},
    {T("\"cv\": {\"fold_ids\": 3}"), "cv.fold_ids: expected a non-empty list of fold numbers"},
    {T("\"cv\": {\"fold_ids\": [1, 2, 0]}"), "cv.fold_ids[2]: expected an integer >= 1, got 0"},
    {T("\"cv\": {\"fold_ids\": [1, 1.5]}"), "cv.fold_ids[1]: expected an integer >= 1, got 1.5"},
    {T("\"cv\": {\"fold_ids\": [1, 3e9]}"),
     "cv.fold_ids[1]: expected an integer >= 1, got 3000000000 (too large)"},
    {T("\"output\": {\"dir\": false}"), "output.dir: expected a folder path, got false"},
    {T("\"output\": {\"dir\": \"\"}"), "output.dir: expected a folder path, got \"\""},
    /* issue 16: the dataset keys */
    {"{\"data\": {\"train\": \"d.csv\", \"id\": 3}}",
     "data.id: expected a column name or null, got 3"},
    {"{\"data\": {\"train\": \"d.csv\", \"id\": \"\"}}",
     "data.id: expected a column name or null, got \"\""},
    {"{\"data\": {\"train\": \"d.csv\", \"exclude\": \"a\"}}",
     "data.exclude: expected a list of column names, got \"a\""},
    {"{\"data\": {\"train\": \"d.csv\", \"exclude\": [\"a\", \"a\"]}}",
     "data.exclude[1]: column \"a\" is already listed at [0]"},
    {"{\"data\": {\"train\": \"d.csv\", \"categorical\": \"some\"}}",
     "data.categorical: expected \"auto\", \"none\" or a non-empty list of column names, got "
     "\"some\""},
    {"{\"data\": {\"train\": \"d.csv\", \"categorical\": [\"a\", 1]}}",
     "data.categorical[1]: expected a column name, got 1"},
    {"{\"data\": {\"train\": \"d.csv\", \"drop_first\": 1}}",
     "data.drop_first: expected true or false, got 1"},
    {"{\"data\": {\"train\": \"d.csv\", \"max_levels\": 1}}",
     "data.max_levels: expected an integer >= 2, got 1"},
    {"{\"data\": {\"train\": \"d.csv\", \"na_values\": [\"NA\", 0]}}",
     "data.na_values[1]: expected a string, got 0"},
    {"{\"data\": {\"train\": \"d.csv\", \"na_values\": \"NA\"}}",
     "data.na_values: expected a list of strings, got \"NA\""},
    {"{\"data\": {\"train\": \"d.csv\", \"missing\": \"impute\"}}",
     "data.missing: expected one of \"error\", \"drop\", \"mean\", got \"impute\""},
    {"{\"data\": {\"train\": \"d.csv\", \"weights\": [\"w\"]}}",
     "data.weights: expected a column name or null, got [\"w\"]"},
    {"{\"data\": {\"train\": \"d.csv\", \"offset\": 2}}",
     "data.offset: expected a column name or null, got 2"},
    {T("\"model\": {\"positive_class\": true}"),
     "model.positive_class: expected a class label (string or number) or null, got true"},
    /* issue 19: sparse data */
    {"{\"data\": {\"train\": \"d.csv\", \"format\": \"libsvm\"}}",
     "data.format: expected one of \"csv\", \"svmlight\", got \"libsvm\""},
    {"{\"data\": {\"train\": \"d.csv\", \"storage\": \"csc\"}}",
     "data.storage: expected one of \"auto\", \"dense\", \"sparse\", got \"csc\""},
    /* issue 20: streaming */
    {"{\"data\": {\"train\": \"d.csv\", \"stream\": \"yes\"}}",
     "data.stream: expected \"auto\", true or false, got \"yes\""},
    {"{\"data\": {\"train\": \"d.csv\", \"memory_limit\": \"2X\"}}",
     "data.memory_limit: expected a number of bytes or a size such as \"512M\" or \"2G\", got "
     "\"2X\""},
    {"{\"data\": {\"train\": \"d.csv\", \"memory_limit\": 0}}",
     "data.memory_limit: expected a number of bytes or a size such as \"512M\" or \"2G\", got 0"},
    {"{\"data\": {\"train\": \"d.svm\", \"n_features\": 0}}",
     "data.n_features: expected an integer >= 1, got 0"},
    {"{\"data\": {\"train\": \"d.svm\", \"n_features\": 2.5}}",
     "data.n_features: expected an integer >= 1, got 2.5"},
    {"{\"data\": {\"train\": \"d.csv\", \"n_features\": 100}}",
     "data.n_features: only for svmlight data, and data.train is read as csv; leave it out, or "
     "set data.format to \"svmlight\""},
    {"{\"data\": {\"train\": \"d.svm\", \"format\": \"csv\", \"n_features\": 100}}",
     "data.n_features: only for svmlight data, and data.train is read as csv"},
    {"{\"data\": {\"train\": \"d.svm\", \"target\": \"y\"}}",
     "data.target: svmlight files have no named columns (data.train is read as svmlight); leave it "
     "out: the label of each line is the target"},
    {"{\"data\": {\"train\": \"d.csv\", \"format\": \"svmlight\", \"weights\": \"w\"}}",
     "data.weights: svmlight files have no named columns (data.train is read as svmlight); leave "
     "it out"},
    {"{\"data\": {\"train\": \"d.libsvm.gz\", \"features\": [\"f1\"]}}",
     "data.features: svmlight files have no named columns"},
    {"{\"data\": {\"train\": \"d.svm\", \"id\": \"name\"}}",
     "data.id: svmlight files have no named columns"},
    {"{\"data\": {\"train\": \"d.svm\", \"exclude\": [\"f2\"]}}",
     "data.exclude: svmlight files have no named columns"},
    {"{\"data\": {\"train\": \"d.svm\", \"categorical\": [\"f2\"]}}",
     "data.categorical: svmlight files have no named columns"},
    {"{\"data\": {\"train\": \"d.svm\", \"offset\": \"o\"}}",
     "data.offset: svmlight files have no named columns"},
    {"{\"data\": {\"train\": \"d.svm\"}, \"cv\": {\"fold_ids\": \"fold\"}}",
     "cv.fold_ids: svmlight files have no named columns (data.train is read as svmlight); list "
     "the fold ids instead, one per row"},
    {"{\"data\": {\"train\": \"d.csv\", \"test\": \"t.svm\", \"offset\": \"o\"}}",
     "data.offset: the svmlight test file (data.test) cannot hold the offset column \"o\"; give "
     "data.test as a CSV file"},
    /* Long values are cut so that the message stays readable. */
    {T("\"cv\": {\"folds\": [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]}"),
     "cv.folds: expected an integer >= 2, got [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,..."},
};
#undef T

START_TEST(rejects_bad_values_naming_the_key) {
  rp_error err;
  parse_fails(BAD[_i].json, NULL, 0, BAD[_i].message, &err);
  ck_assert_msg(strstr(err.message, "\n") == NULL, "message has a newline");
}
END_TEST

START_TEST(integers_may_be_written_with_exponents) {
  rp_config *cfg = parse_ok("{\"data\": {\"train\": \"d.csv\"}, \"path\": {\"n_alphas\": 1e2},"
                            " \"cv\": {\"folds\": 5.0, \"seed\": 4294967296}}",
                            NULL, 0);
  ck_assert_uint_eq(cfg->n_alphas, 100);
  ck_assert_uint_eq(cfg->folds, 5);
  ck_assert_uint_eq(cfg->seed, 4294967296UL);
  rp_config_free(cfg);
}
END_TEST

START_TEST(top_level_must_be_an_object) {
  rp_error err;
  parse_fails("[1, 2]", NULL, 0, "expected a JSON object at the top level, got [1,2]", &err);
  parse_fails("\"data\"", NULL, 0, "expected a JSON object at the top level", &err);
  ck_assert_str_eq(err.file, "test.json");
}
END_TEST

/* ------------------------------------------------------------ unknown keys */

static const struct {
  const char *json;
  const char *message;
} UNKNOWN[] = {
    {"{\"model\": {\"l1ratio\": 1}}",
     "unknown key \"model.l1ratio\" (did you mean \"model.l1_ratio\"?)"},
    {"{\"cv\": {\"fold\": 3}}", "unknown key \"cv.fold\" (did you mean \"cv.folds\"?)"},
    {"{\"path\": {\"nalphas\": 3}}",
     "unknown key \"path.nalphas\" (did you mean \"path.n_alphas\"?)"},
    {"{\"modle\": {}}", "unknown key \"modle\" (did you mean \"model\"?)"},
    {"{\"model\": {\"folds\": 3}}", "unknown key \"model.folds\" (did you mean \"cv.folds\"?)"},
    {"{\"folds\": 3}", "unknown key \"folds\" (did you mean \"cv.folds\"?)"},
    {"{\"path\": {\"min_ratio\": 0.1}}",
     "unknown key \"path.min_ratio\" (did you mean \"path.alpha_min_ratio\"?)"},
    {"{\"model\": {\"Standardize\": true}}",
     "unknown key \"model.Standardize\" (did you mean \"model.standardize\"?)"},
    {"{\"model.l1_ratio\": 1}", "unknown key \"model.l1_ratio\" (sections nest"},
};

START_TEST(unknown_key_suggests_the_close_name) {
  rp_error err;
  parse_fails(UNKNOWN[_i].json, NULL, 0, UNKNOWN[_i].message, &err);
}
END_TEST

START_TEST(unknown_key_without_close_name_has_no_suggestion) {
  static const char *const JSON[] = {
      "{\"data\": {\"train\": \"d.csv\"}, \"io\": {}}",
      "{\"data\": {\"train\": \"d.csv\", \"colour\": \"red\"}}",
      "{\"data\": {\"train\": \"d.csv\"}, \"extras\": {\"verbose\": true}}",
  };
  static const char *const KEY[] = {"unknown key \"io\"", "unknown key \"data.colour\"",
                                    "unknown key \"extras\""};
  for (size_t i = 0; i < 3; i++) {
    rp_error err;
    parse_fails(JSON[i], NULL, 0, KEY[i], &err);
    ck_assert_msg(strstr(err.message, "did you mean") == NULL, "unexpected hint: %s", err.message);
  }
}
END_TEST

/* ------------------------------------------------------------ JSON syntax */

static const struct {
  const char *json;
  long line, column;
  const char *message;
} SYNTAX[] = {
    /* a stray comma: cJSON stops at the closing brace */
    {"{\"data\": {\"train\": \"d.csv\",\n  }}", 2, 3, "invalid JSON: unexpected text at \"}}\""},
    {"{\"data\": {\"train\": \"d.csv\",}}", 1, 28, "invalid JSON: unexpected text at \"}}\""},
    {"{train: 1}", 1, 2, "invalid JSON: unexpected text at \"train: 1}\""},
    {"{\"a\": [1, 2x]}", 1, 12, "invalid JSON: unexpected text at \"x]}\""},
    {"{\"data\": {\"train\": \"d.csv\"}}\nx", 2, 1, "invalid JSON: unexpected text at \"x\""},
    {"{\"cv\": {\"folds\": tru}}", 1, 18, "invalid JSON: unexpected text at \"tru}}\""},
    /* truncated: reported just after the last byte */
    {"{\"data\": {\"train\": \"d.csv\"", 1, 27, "invalid JSON: unexpected end of input"},
    {"{\"data\":\n {\"train\": \"d.csv\"}\n\n", 2, 20, "invalid JSON: unexpected end of input"},
    {"{\"data\": {\"train\": \"d.cs", 1, 25, "unexpected end of input inside a string"},
};

START_TEST(invalid_json_reports_line_and_column) {
  rp_error err;
  parse_fails(SYNTAX[_i].json, NULL, 0, SYNTAX[_i].message, &err);
  ck_assert_str_eq(err.file, "test.json");
  ck_assert_int_eq(err.line, SYNTAX[_i].line);
  ck_assert_int_eq(err.column, SYNTAX[_i].column);
}
END_TEST

START_TEST(empty_config_is_an_error) {
  rp_error err;
  parse_fails("", NULL, 0, "empty config", &err);
  parse_fails(" \n\t ", NULL, 0, "empty config", &err);
}
END_TEST

/* ------------------------------------------------------------ duplicates */

START_TEST(duplicate_keys_are_rejected) {
  rp_error err;
  parse_fails("{\"data\": {\"train\": \"d.csv\"}, \"model\": {\"l1_ratio\": 1, \"l1_ratio\": 0}}",
              NULL, 0, "model.l1_ratio: key given twice", &err);
  parse_fails("{\"data\": {\"train\": \"d.csv\"}, \"cv\": {}, \"cv\": {}}", NULL, 0,
              "cv: key given twice", &err);
  parse_fails(
      "{\"data\": {\"train\": \"d.csv\"}, \"model\": {\"penalty_factor\": {\"x\": 1, \"x\": 2}}}",
      NULL, 0, "model.penalty_factor.x: key given twice", &err);
}
END_TEST

/* ------------------------------------------------------------ penalty */

static const struct {
  const char *name;
  double ratios[3];
  size_t n;
} PENALTIES[] = {
    {"lasso", {1}, 1}, {"ridge", {0}, 1}, {"elasticnet", {0.5}, 1}, {"compare", {1, 0.5, 0}, 3}};

START_TEST(penalty_shorthands_set_l1_ratios) {
  char json[256];
  snprintf(json, sizeof json,
           "{\"data\": {\"train\": \"d.csv\"}, \"model\": {\"penalty\": \"%s\"}}",
           PENALTIES[_i].name);
  rp_config *cfg = parse_ok(json, NULL, 0);
  ck_assert_uint_eq(cfg->n_l1_ratios, PENALTIES[_i].n);
  for (size_t k = 0; k < PENALTIES[_i].n; k++)
    ck_assert_double_eq(cfg->l1_ratios[k], PENALTIES[_i].ratios[k]);
  rp_config_free(cfg);
}
END_TEST

START_TEST(penalty_with_l1_ratio_names_both_keys) {
  rp_error err;
  parse_fails("{\"data\": {\"train\": \"d.csv\"},"
              " \"model\": {\"penalty\": \"ridge\", \"l1_ratio\": 0.3}}",
              NULL, 0, "model.penalty", &err);
  ck_assert_ptr_nonnull(strstr(err.message, "model.l1_ratio"));
  /* the same when one of them comes from an override */
  const char *ov[] = {"model.l1_ratio=0.3"};
  parse_fails("{\"data\": {\"train\": \"d.csv\"}, \"model\": {\"penalty\": \"ridge\"}}", ov, 1,
              "model.l1_ratio", &err);
  ck_assert_ptr_nonnull(strstr(err.message, "model.penalty"));
}
END_TEST

/* ------------------------------------------------------------ overrides */

START_TEST(overrides_replace_existing_keys) {
  const char *ov[] = {"cv.folds=5", "model.l1_ratio=[1,0.5]", "data.target=\"y\"",
                      "data.train=\"e.csv\""};
  rp_config *cfg = parse_ok("{\"data\": {\"train\": \"d.csv\", \"target\": \"z\"},"
                            " \"model\": {\"l1_ratio\": 0}, \"cv\": {\"folds\": 3}}",
                            ov, 4);
  ck_assert_uint_eq(cfg->folds, 5);
  ck_assert_uint_eq(cfg->n_l1_ratios, 2);
  ck_assert_double_eq(cfg->l1_ratios[1], 0.5);
  ck_assert_str_eq(cfg->target, "y");
  ck_assert_str_eq(cfg->train, "e.csv");
  rp_config_free(cfg);
}
END_TEST

START_TEST(overrides_create_missing_sections_and_keys) {
  const char *ov[] = {"cv.seed=7", "path.alphas=[1, 0.1]", "data.train=\"d.csv\""};
  rp_config *cfg = parse_ok("{\"model\": {}}", ov, 3);
  ck_assert_uint_eq(cfg->seed, 7);
  ck_assert_uint_eq(cfg->n_explicit, 2);
  ck_assert_str_eq(cfg->train, "d.csv");
  rp_config_free(cfg);
}
END_TEST

START_TEST(override_bare_word_is_a_string) {
  const char *ov[] = {"data.target=y", "cv.metric=mae", "output.dir=../out dir"};
  rp_config *cfg = parse_ok(MINIMAL, ov, 3);
  ck_assert_str_eq(cfg->target, "y");
  ck_assert_int_eq(cfg->metric, RP_METRIC_MAE);
  ck_assert_str_eq(cfg->output_dir, "../out dir");
  rp_config_free(cfg);
}
END_TEST

START_TEST(override_later_wins) {
  const char *ov[] = {"cv.folds=4", "cv.folds=6"};
  rp_config *cfg = parse_ok(MINIMAL, ov, 2);
  ck_assert_uint_eq(cfg->folds, 6);
  rp_config_free(cfg);
}
END_TEST

static const struct {
  const char *override;
  const char *message;
} BAD_OVERRIDES[] = {
    {"cv.folds=", "--set cv.folds=: invalid JSON value"},
    {"cv.folds", "--set cv.folds: expected section.key=value"},
    {"model.l1_ratio=[1,0.5", "--set model.l1_ratio=[1,0.5: invalid JSON value"},
    {"data.target=\"y", "--set data.target=\"y: invalid JSON value"},
    {"folds=5", "--set folds=5: expected a key of the form section.key"},
    {".folds=5", "--set .folds=5: expected a key of the form section.key"},
    {"cv.=5", "--set cv.=5: expected a key of the form section.key"},
    {"model.penalty_factor.x=1", "expected a key of the form section.key"},
    /* well-formed overrides are validated like the file */
    {"cv.folds=ten", "cv.folds: expected an integer >= 2, got \"ten\""},
    {"cv.folds=1", "cv.folds: expected an integer >= 2, got 1"},
    {"cv.fold=3", "unknown key \"cv.fold\" (did you mean \"cv.folds\"?)"},
    {"model.standardize=tru", "model.standardize: expected true or false, got \"tru\""},
};

START_TEST(malformed_overrides_name_the_override) {
  rp_error err;
  const char *ov[] = {BAD_OVERRIDES[_i].override};
  parse_fails(MINIMAL, ov, 1, BAD_OVERRIDES[_i].message, &err);
}
END_TEST

START_TEST(override_into_a_non_object_section_fails) {
  rp_error err;
  const char *ov[] = {"model.l1_ratio=1"};
  parse_fails("{\"data\": {\"train\": \"d.csv\"}, \"model\": 3}", ov, 1,
              "model: expected an object, got 3", &err);
}
END_TEST

/* ------------------------------------------------------------ caps */

/* Item i of a generated list, written into buf. */
typedef void (*item_fn)(size_t i, char *buf, size_t size);

static void alpha_item(size_t i, char *buf, size_t size) { snprintf(buf, size, "%zu", 100000 - i); }
static void ratio_item(size_t i, char *buf, size_t size) {
  snprintf(buf, size, "%.2f", (double)i / 100.0);
}
static void name_item(size_t i, char *buf, size_t size) { snprintf(buf, size, "\"c%zu\"", i); }
static void factor_item(size_t i, char *buf, size_t size) { snprintf(buf, size, "\"c%zu\": 2", i); }
static void fold_item(size_t i, char *buf, size_t size) { snprintf(buf, size, "%zu", i % 5 + 1); }
static void one_item(size_t i, char *buf, size_t size) { snprintf(buf, size, "%zu", i % 2); }
static void key_item(size_t i, char *buf, size_t size) { snprintf(buf, size, "\"k%zu\": 1", i); }

/* A list (or with `open` '{' a map) of n generated items, as JSON text;
 * malloc'd. */
static char *list_text(size_t n, item_fn item, char open) {
  size_t size = 64 + n * 24, used = 0;
  char *text = malloc(size);
  ck_assert_ptr_nonnull(text);
  text[used++] = open;
  for (size_t i = 0; i < n; i++) {
    char one[32];
    item(i, one, sizeof one);
    used += (size_t)snprintf(text + used, size - used, "%s%s", i ? "," : "", one);
  }
  snprintf(text + used, size - used, "%c", open == '{' ? '}' : ']');
  return text;
}

/* A valid config but for `dotted` = `value` (in data.train's section when
 * that is "data"); malloc'd. */
static char *config_with(const char *dotted, const char *value) {
  const char *dot = strchr(dotted, '.');
  size_t size = strlen(value) + 256;
  char *json = malloc(size);
  ck_assert_ptr_nonnull(json);
  if (strncmp(dotted, "data.", 5) == 0)
    snprintf(json, size, "{\"data\": {\"train\": \"d.csv\", \"%s\": %s}}", dot + 1, value);
  else
    snprintf(json, size, "{\"data\": {\"train\": \"d.csv\"}, \"%.*s\": {\"%s\": %s}}",
             (int)(dot - dotted), dotted, dot + 1, value);
  return json;
}

/* Bytes cJSON allocated since reset: a list over its cap must be refused
 * before cJSON builds it (80 bytes a value or so). */
static size_t cjson_bytes;
static void *counting_malloc(size_t n) {
  cjson_bytes += n;
  return malloc(n);
}

static const struct {
  const char *key;
  size_t cap;
  item_fn item;
  char open;
  const char *message; /* for cap + 1 items */
} CAPS[] = {
    {"path.alphas", 10000, alpha_item, '[',
     "path.alphas: expected at most 10000 alphas, got 10001 (each alpha is one more fit in every "
     "fold; a few hundred trace a smooth path)"},
    {"model.l1_ratio", 100, ratio_item, '[',
     "model.l1_ratio: expected at most 100 values, got 101 (each one is a whole path with its "
     "cross-validation and its own output files)"},
    {"data.features", 1000000, name_item, '[',
     "data.features: expected at most 1000000 column names, got 1000001 (null uses every column "
     "but the target and the fold column)"},
    {"model.penalty_factor", 1000000, factor_item, '{',
     "model.penalty_factor: expected at most 1000000 factors, got 1000001 (features not named "
     "get 1: name only the others)"},
    {"cv.fold_ids", 1000000, fold_item, '[',
     "cv.fold_ids: expected at most 1000000 fold ids, got 1000001 (for more rows, put them in a "
     "column of data.train and give its name: \"fold_ids\": \"fold\")"},
};

/* One more item than the cap is refused, in the file and in an override,
 * with no memory spent on a tree; the cap itself is accepted. */
START_TEST(lists_over_their_cap_are_refused_before_parsing) {
  char *over = list_text(CAPS[_i].cap + 1, CAPS[_i].item, CAPS[_i].open);
  char *json = config_with(CAPS[_i].key, over);
  cJSON_Hooks counting = {counting_malloc, free};
  cJSON_InitHooks(&counting);
  cjson_bytes = 0;
  rp_error err;
  parse_fails(json, NULL, 0, CAPS[_i].message, &err);
  size_t spent = cjson_bytes;
  cJSON_InitHooks(NULL);
  ck_assert_msg(spent < 4096, "cJSON allocated %zu bytes before the cap was checked", spent);
  free(json);

  size_t size = strlen(over) + 64;
  char *ov = malloc(size);
  snprintf(ov, size, "%s=%s", CAPS[_i].key, over);
  const char *ovs[] = {ov};
  parse_fails(MINIMAL, ovs, 1, CAPS[_i].message, &err);
  free(ov);
  free(over);

  char *at_cap = list_text(CAPS[_i].cap, CAPS[_i].item, CAPS[_i].open);
  json = config_with(CAPS[_i].key, at_cap);
  rp_config_free(parse_ok(json, NULL, 0));
  free(json);
  free(at_cap);
}
END_TEST

START_TEST(n_alphas_shares_the_cap_of_alphas) {
  rp_config *cfg =
      parse_ok("{\"data\": {\"train\": \"d.csv\"}, \"path\": {\"n_alphas\": 10000}}", NULL, 0);
  ck_assert_uint_eq(cfg->n_alphas, 10000);
  rp_config_free(cfg);
}
END_TEST

/* Keys that hold one value, unknown keys, sections and the top level are
 * capped too, so that no part of a config builds a huge tree; an unknown
 * name is reported as unknown. */
START_TEST(every_other_value_is_capped) {
  static const struct {
    const char *key;
    char open;
    item_fn item;
    const char *message;
  } OTHER[] = {
      {"cv.folds", '[', one_item, "cv.folds: expected at most 100 values, got 101"},
      {"path.alpha", '[', alpha_item, "unknown key \"path.alpha\" (did you mean \"path.alphas\"?)"},
      {"data.columns", '[', name_item, "unknown key \"data.columns\""},
  };
  rp_error err;
  for (size_t k = 0; k < sizeof OTHER / sizeof OTHER[0]; k++) {
    char *list = list_text(101, OTHER[k].item, OTHER[k].open);
    char *json = config_with(OTHER[k].key, list);
    parse_fails(json, NULL, 0, OTHER[k].message, &err);
    free(json);
    free(list);
  }
  /* a nested list counts every value in it: here 1 list and 10000 numbers */
  char *inner = list_text(10000, alpha_item, '['), *nested = malloc(strlen(inner) + 3);
  sprintf(nested, "[%s]", inner);
  char *json = config_with("path.alphas", nested);
  parse_fails(json, NULL, 0, "path.alphas: expected at most 10000 alphas, got 10001", &err);
  free(json);
  free(nested);
  free(inner);
  /* a section of 101 keys, and a top level of 101 */
  char *keys = list_text(101, key_item, '{');
  size_t size = strlen(keys) + 64;
  char *text = malloc(size);
  snprintf(text, size, "{\"data\": {\"train\": \"d.csv\"}, \"cv\": %s}", keys);
  parse_fails(text, NULL, 0, "cv: expected at most 100 keys, got 101", &err);
  parse_fails(keys, NULL, 0, "the top level: expected at most 100 keys, got 101", &err);
  free(text);
  free(keys);
}
END_TEST

/* ------------------------------------------------------------ files, paths */

/* The folder part of a path returned by tu_write_temp. */
static void folder_of(const char *path, char *dir, size_t size) {
  snprintf(dir, size, "%s", path);
  char *slash = strrchr(dir, '/');
  ck_assert_ptr_nonnull(slash);
  *slash = '\0';
}

START_TEST(load_resolves_paths_against_the_config_folder) {
  const char *path = tu_write_temp("cfg.json", "{\"data\": {\"train\": \"sub/train.csv\"}}");
  char dir[4096], want[4200];
  folder_of(path, dir, sizeof dir);
  rp_error err;
  rp_config *cfg = NULL;
  ck_assert_int_eq(rp_config_load(path, NULL, 0, &cfg, &err), RP_OK);
  snprintf(want, sizeof want, "%s/sub/train.csv", dir);
  ck_assert_str_eq(cfg->train, want);
  snprintf(want, sizeof want, "%s/regpath-out", dir);
  ck_assert_str_eq(cfg->output_dir, want);
  ck_assert_str_eq(cfg->source, path);
  rp_config_free(cfg);
}
END_TEST

START_TEST(load_keeps_absolute_paths_and_resolves_overrides) {
  const char *path = tu_write_temp(
      "cfg.json",
      "{\"data\": {\"train\": \"/abs/train.csv\"}, \"output\": {\"dir\": \"/abs/out\"}}");
  char dir[4096], want[4200];
  folder_of(path, dir, sizeof dir);
  const char *ov[] = {"output.dir=res"};
  rp_error err;
  rp_config *cfg = NULL;
  ck_assert_int_eq(rp_config_load(path, NULL, 0, &cfg, &err), RP_OK);
  ck_assert_str_eq(cfg->train, "/abs/train.csv");
  ck_assert_str_eq(cfg->output_dir, "/abs/out");
  rp_config_free(cfg);
  ck_assert_int_eq(rp_config_load(path, ov, 1, &cfg, &err), RP_OK);
  snprintf(want, sizeof want, "%s/res", dir);
  ck_assert_str_eq(cfg->output_dir, want);
  rp_config_free(cfg);
}
END_TEST

START_TEST(parse_resolves_against_the_given_base_dir) {
  rp_error err;
  rp_config *cfg = NULL;
  ck_assert_int_eq(rp_config_parse(MINIMAL, NULL, "/base/", NULL, 0, &cfg, &err), RP_OK);
  ck_assert_str_eq(cfg->train, "/base/d.csv");
  ck_assert_str_eq(cfg->output_dir, "/base/regpath-out");
  ck_assert_ptr_null(cfg->source);
  rp_config_free(cfg);
}
END_TEST

START_TEST(load_reports_missing_file_as_io_error) {
  rp_error err;
  rp_config *cfg = (rp_config *)&cfg;
  rp_status st = rp_config_load("/nonexistent/dir/cfg.json", NULL, 0, &cfg, &err);
  ck_assert_int_eq(st, RP_EIO);
  ck_assert_ptr_null(cfg);
  ck_assert_str_eq(err.file, "/nonexistent/dir/cfg.json");
  ck_assert_ptr_nonnull(strstr(err.message, "cannot read config: No such file"));
}
END_TEST

START_TEST(load_reports_syntax_errors_in_the_file) {
  const char *path = tu_write_temp("bad.json", "{\n  \"data\": {\"train\": \"d.csv\"\n");
  rp_error err;
  rp_config *cfg = (rp_config *)&cfg;
  ck_assert_int_eq(rp_config_load(path, NULL, 0, &cfg, &err), RP_ECONFIG);
  ck_assert_ptr_null(cfg);
  ck_assert_str_eq(err.file, path);
  ck_assert_int_eq(err.line, 2);
  ck_assert_int_eq(err.column, 28);
  char line[1024];
  rp_error_format(&err, line, sizeof line);
  ck_assert_ptr_nonnull(strstr(line, ":2:28: invalid JSON"));
}
END_TEST

START_TEST(load_reports_empty_file) {
  const char *path = tu_write_temp("empty.json", "");
  rp_error err;
  rp_config *cfg = NULL;
  ck_assert_int_eq(rp_config_load(path, NULL, 0, &cfg, &err), RP_ECONFIG);
  ck_assert_str_eq(err.message, "empty config");
  ck_assert_str_eq(err.file, path);
}
END_TEST

START_TEST(load_rejects_a_nul_byte_with_its_position) {
  const char *path = tu_write_temp("nul.json", "{\"data\": {\"train\": \"d.csv\"}}\nXX");
  FILE *f = fopen(path, "r+b");
  ck_assert_ptr_nonnull(f);
  ck_assert_int_eq(fseek(f, 29, SEEK_SET), 0);
  ck_assert_int_eq(fputc('\0', f), 0);
  ck_assert_int_eq(fclose(f), 0);
  rp_error err;
  rp_config *cfg = NULL;
  ck_assert_int_eq(rp_config_load(path, NULL, 0, &cfg, &err), RP_ECONFIG);
  ck_assert_int_eq(err.line, 2);
  ck_assert_int_eq(err.column, 1);
}
END_TEST

/* A config file over 64 MiB is refused without reading it: a sparse file of
 * 64 MiB + 1 byte (no disk space, no memory), named in the message. */
START_TEST(load_refuses_a_file_over_64_mib) {
  const char *path = tu_write_temp("huge.json", MINIMAL);
  ck_assert_int_eq(truncate(path, (64L << 20) + 1), 0);
  rp_error err;
  rp_config *cfg = (rp_config *)&cfg;
  ck_assert_int_eq(rp_config_load(path, NULL, 0, &cfg, &err), RP_ECONFIG);
  ck_assert_ptr_null(cfg);
  ck_assert_str_eq(err.file, path);
  ck_assert_msg(strncmp(err.message,
                        "config larger than 64 MiB, the most accepted (fold ids for "
                        "many rows belong in a column of data.train",
                        99) == 0,
                "message: %s", err.message);
  /* exactly 64 MiB is read (and then is not JSON: NUL bytes) */
  ck_assert_int_eq(truncate(path, 64L << 20), 0);
  ck_assert_int_eq(rp_config_load(path, NULL, 0, &cfg, &err), RP_ECONFIG);
  ck_assert_ptr_nonnull(strstr(err.message, "NUL byte"));
}
END_TEST

/* A pipe cannot be measured first: it is read until it passes 64 MiB. */
START_TEST(load_stops_reading_a_pipe_past_64_mib) {
  int fds[2];
  ck_assert_int_eq(pipe(fds), 0);
  pid_t writer = fork();
  ck_assert_int_ge(writer, 0);
  if (writer == 0) { /* 65 MiB of blanks, then stop (SIGPIPE when the reader left) */
    close(fds[0]);
    static char blanks[1 << 16];
    memset(blanks, ' ', sizeof blanks);
    for (int i = 0; i < 65 * 16; i++)
      if (write(fds[1], blanks, sizeof blanks) < 0) _exit(0);
    _exit(0);
  }
  close(fds[1]);
  char path[64];
  snprintf(path, sizeof path, "/dev/fd/%d", fds[0]);
  rp_error err;
  rp_config *cfg = (rp_config *)&cfg;
  ck_assert_int_eq(rp_config_load(path, NULL, 0, &cfg, &err), RP_ECONFIG);
  ck_assert_ptr_nonnull(strstr(err.message, "config larger than 64 MiB"));
  close(fds[0]);
  waitpid(writer, NULL, 0);
}
END_TEST

/* A config with these model keys. */
#define R(keys) "{\"data\": {\"train\": \"d.csv\"}, \"model\": {" keys "}}"

/* model.relax alone takes glmnet's gammas; model.gamma one number or a list. */
START_TEST(relax_and_gamma_are_parsed) {
  static const char *const texts[3] = {R("\"relax\": true"), R("\"relax\": true, \"gamma\": 0.3"),
                                       R("\"relax\": true, \"gamma\": [1, 0, 0.5]")};
  static const double want[3][5] = {{0, 0.25, 0.5, 0.75, 1}, {0.3}, {1, 0, 0.5}};
  static const size_t n_want[3] = {5, 1, 3};
  for (int t = 0; t < 3; t++) {
    rp_config *cfg = parse_ok(texts[t], NULL, 0);
    ck_assert_int_eq(cfg->relax, 1);
    ck_assert_uint_eq(cfg->n_gammas, n_want[t]);
    for (size_t g = 0; g < n_want[t]; g++) ck_assert_double_eq(cfg->gammas[g], want[t][g]);
    rp_config_free(cfg);
  }
  rp_config *cfg = parse_ok(MINIMAL, NULL, 0);
  ck_assert_int_eq(cfg->relax, 0);
  ck_assert_uint_eq(cfg->n_gammas, 0);
  rp_config_free(cfg);
}
END_TEST

/* ------------------------------------------------------------ to JSON */

START_TEST(to_json_lists_every_key_with_defaults) {
  rp_config *cfg = parse_ok(MINIMAL, NULL, 0);
  cJSON *json = rp_config_to_json(cfg);
  ck_assert_ptr_nonnull(json);
  static const char *const SECTIONS[] = {"data", "model", "path", "cv", "output"};
  static const int N_KEYS[] = {21, 13, 10, 9, 4};
  for (size_t i = 0; i < 5; i++) {
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(json, SECTIONS[i]);
    ck_assert_msg(cJSON_IsObject(s), "no section %s", SECTIONS[i]);
    ck_assert_int_eq(cJSON_GetArraySize(s), N_KEYS[i]);
  }
  const cJSON *model = cJSON_GetObjectItemCaseSensitive(json, "model");
  ck_assert(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(model, "l1_ratio")));
  ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(model, "penalty"));
  ck_assert(cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(model, "penalty_factor")));
  const cJSON *path = cJSON_GetObjectItemCaseSensitive(json, "path");
  ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(path, "alpha_min_ratio")));
  ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(path, "alphas")));
  const cJSON *cv = cJSON_GetObjectItemCaseSensitive(json, "cv");
  ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(cv, "rule")->valuestring, "1se");
  ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(cv, "fold_grid")->valuestring, "full");
  ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(cv, "fold_ids")));
  cJSON_Delete(json);
  rp_config_free(cfg);
}
END_TEST

static void assert_same_config(const rp_config *a, const rp_config *b) {
  ck_assert_str_eq(a->train, b->train);
  ck_assert_pstr_eq(a->target, b->target);
  ck_assert_uint_eq(a->n_features, b->n_features);
  for (size_t i = 0; i < a->n_features; i++) ck_assert_str_eq(a->features[i], b->features[i]);
  ck_assert_int_eq(a->family, b->family);
  ck_assert_uint_eq(a->n_l1_ratios, b->n_l1_ratios);
  for (size_t i = 0; i < a->n_l1_ratios; i++) ck_assert_double_eq(a->l1_ratios[i], b->l1_ratios[i]);
  ck_assert_int_eq(a->standardize, b->standardize);
  ck_assert_int_eq(a->fit_intercept, b->fit_intercept);
  ck_assert_int_eq(a->convention, b->convention);
  ck_assert_uint_eq(a->n_pf, b->n_pf);
  for (size_t i = 0; i < a->n_pf; i++) {
    ck_assert_str_eq(a->pf_names[i], b->pf_names[i]);
    ck_assert_double_eq(a->pf_values[i], b->pf_values[i]);
  }
  const rp_config_limits *la[2] = {&a->lower_limits, &a->upper_limits};
  const rp_config_limits *lb[2] = {&b->lower_limits, &b->upper_limits};
  for (int s = 0; s < 2; s++) {
    ck_assert(la[s]->all == lb[s]->all);
    ck_assert_uint_eq(la[s]->n, lb[s]->n);
    for (size_t i = 0; i < la[s]->n; i++) {
      ck_assert_str_eq(la[s]->names[i], lb[s]->names[i]);
      ck_assert_double_eq(la[s]->values[i], lb[s]->values[i]);
    }
  }
  ck_assert_int_eq(a->positive, b->positive);
  ck_assert_int_eq(a->relax, b->relax);
  ck_assert_uint_eq(a->n_gammas, b->n_gammas);
  for (size_t i = 0; i < a->n_gammas; i++) ck_assert_double_eq(a->gammas[i], b->gammas[i]);
  ck_assert_uint_eq(a->n_alphas, b->n_alphas);
  ck_assert_double_eq(a->alpha_min_ratio, b->alpha_min_ratio);
  ck_assert_uint_eq(a->n_explicit, b->n_explicit);
  for (size_t i = 0; i < a->n_explicit; i++) ck_assert_double_eq(a->alphas[i], b->alphas[i]);
  ck_assert_double_eq(a->tol, b->tol);
  ck_assert_int_eq(a->max_iter, b->max_iter);
  ck_assert_int_eq(a->early_stop, b->early_stop);
  ck_assert_uint_eq(a->folds, b->folds);
  ck_assert_uint_eq(a->seed, b->seed);
  ck_assert_int_eq(a->metric, b->metric);
  ck_assert_int_eq(a->rule, b->rule);
  ck_assert_int_eq(a->fold_grid, b->fold_grid);
  ck_assert_uint_eq(a->n_fold_ids, b->n_fold_ids);
  for (size_t i = 0; i < a->n_fold_ids; i++) ck_assert_int_eq(a->fold_ids[i], b->fold_ids[i]);
  ck_assert_pstr_eq(a->fold_column, b->fold_column);
  ck_assert_str_eq(a->output_dir, b->output_dir);
  ck_assert_int_eq(a->format, b->format);
  ck_assert_int_eq(a->test_format, b->test_format);
  ck_assert_int_eq(a->storage, b->storage);
  ck_assert_uint_eq(a->fixed_p, b->fixed_p);
}

/* Writing the effective config and reading it back gives the same config. */
static void round_trip(const char *text, const char *base_dir) {
  rp_error err;
  rp_config *a = NULL, *b = NULL;
  ck_assert_int_eq(rp_config_parse(text, "a.json", base_dir, NULL, 0, &a, &err), RP_OK);
  cJSON *json = rp_config_to_json(a);
  ck_assert_ptr_nonnull(json);
  char *printed = cJSON_PrintUnformatted(json);
  ck_assert_ptr_nonnull(printed);
  rp_status st = rp_config_parse(printed, "b.json", base_dir, NULL, 0, &b, &err);
  ck_assert_msg(st == RP_OK, "effective config %s rejected: %s", printed, err.message);
  assert_same_config(a, b);
  free(printed);
  cJSON_Delete(json);
  rp_config_free(a);
  rp_config_free(b);
}

/* output.log_base: "10" (also the number 10, which `--set
 * output.log_base=10` gives) or "e"; echoed as a string; nothing else. */
START_TEST(log_base_is_10_or_e_and_echoed) {
  static const struct {
    const char *value;
    rp_log_base base;
    const char *echo;
  } OK[] = {{NULL, RP_LOG_BASE_10, "10"},
            {"\"10\"", RP_LOG_BASE_10, "10"},
            {"10", RP_LOG_BASE_10, "10"},
            {"\"e\"", RP_LOG_BASE_E, "e"},
            {"e", RP_LOG_BASE_E, "e"}}; /* a bare word, as --set passes it */
  for (size_t i = 0; i < sizeof OK / sizeof OK[0]; i++) {
    char set[64];
    snprintf(set, sizeof set, "output.log_base=%s", OK[i].value ? OK[i].value : "");
    const char *overrides[] = {set};
    rp_config *cfg = parse_ok(MINIMAL, overrides, OK[i].value ? 1 : 0);
    ck_assert_msg(cfg->log_base == OK[i].base, "%s", set);
    cJSON *json = rp_config_to_json(cfg);
    ck_assert_ptr_nonnull(json);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(json, "output"), "log_base");
    ck_assert_msg(cJSON_IsString(v) && !strcmp(v->valuestring, OK[i].echo), "%s", set);
    cJSON_Delete(json);
    rp_config_free(cfg);
  }
  static const char *const BAD_BASE[] = {"2", "\"ln\"", "10.5", "\"E\"", "null"};
  for (size_t i = 0; i < sizeof BAD_BASE / sizeof BAD_BASE[0]; i++) {
    char set[64];
    snprintf(set, sizeof set, "output.log_base=%s", BAD_BASE[i]);
    const char *overrides[] = {set};
    rp_error err;
    parse_fails(MINIMAL, overrides, 1, "output.log_base: expected one of \"10\", \"e\", got", &err);
  }
}
END_TEST

START_TEST(to_json_round_trips) {
  round_trip(FULL, NULL);
  round_trip(MINIMAL, NULL);
  round_trip(R("\"relax\": true, \"gamma\": [0, 0.5]"), NULL);
  round_trip(R("\"relax\": true"), NULL);
  round_trip("{\"data\": {\"train\": \"/d.svm.gz\", \"n_features\": 7, \"storage\": \"dense\","
             " \"test\": \"t.csv\"}}",
             NULL);
  round_trip("{\"data\": {\"train\": \"/d.csv\"}, \"model\": {\"penalty\": \"compare\"},"
             " \"path\": {\"tol\": 0.1234567890123456789}, \"cv\": {\"fold_ids\": \"fold\"}}",
             "/some/dir");
}
END_TEST

/* ------------------------------------------------------------ fit options */

START_TEST(fit_options_come_from_the_config) {
  rp_config *cfg = parse_ok(FULL, NULL, 0);
  rp_fit_options opt;
  memset(&opt, 0xAB, sizeof opt); /* every field must be written */
  rp_config_fit_options(cfg, 1, &opt);
  ck_assert_int_eq(opt.family, RP_FAMILY_GAUSSIAN);
  ck_assert_double_eq(opt.l1_ratio, 0.25);
  ck_assert_int_eq(opt.standardize, 0);
  ck_assert_int_eq(opt.fit_intercept, 0);
  ck_assert_int_eq(opt.convention, RP_CONVENTION_GLMNET);
  ck_assert_ptr_null(opt.penalty_factor);
  ck_assert_uint_eq(opt.n_alphas, 50);
  ck_assert_double_eq(opt.alpha_min_ratio, 0.001);
  ck_assert_ptr_eq(opt.alphas, cfg->alphas);
  ck_assert_uint_eq(opt.n_explicit, 3);
  ck_assert_double_eq(opt.tol, 1e-9);
  ck_assert_int_eq(opt.max_iter, 1000);
  ck_assert_int_eq(opt.early_stop, 0);
  ck_assert_int_eq(opt.fold_grid, RP_FOLD_GRID_OWN);
  ck_assert_int_eq(opt.update, RP_UPDATE_AUTO);
  ck_assert(opt.progress == NULL);
  ck_assert_ptr_null(opt.progress_ctx);
  rp_config_fit_options(cfg, 0, &opt);
  ck_assert_double_eq(opt.l1_ratio, 1.0);
  rp_config_fit_options(cfg, 2, &opt); /* out of range: an invalid ratio, never another one */
  ck_assert(!(opt.l1_ratio >= 0.0 && opt.l1_ratio <= 1.0));
  rp_config_free(cfg);
}
END_TEST

START_TEST(fit_options_of_defaults_generate_a_grid) {
  rp_config *cfg = parse_ok(MINIMAL, NULL, 0);
  rp_fit_options opt;
  rp_config_fit_options(cfg, 0, &opt);
  ck_assert_double_eq(opt.l1_ratio, 1.0);
  ck_assert_int_eq(opt.standardize, 1);
  ck_assert_uint_eq(opt.n_alphas, 100);
  ck_assert_double_eq(opt.alpha_min_ratio, 0.0);
  ck_assert_ptr_null(opt.alphas);
  ck_assert_uint_eq(opt.n_explicit, 0);
  ck_assert_int_eq(opt.early_stop, 1);
  rp_config_free(cfg);
}
END_TEST

/* ------------------------------------------------------------ API edges */

START_TEST(free_null_is_harmless_and_err_may_be_null) {
  rp_config_free(NULL);
  rp_config *cfg = (rp_config *)&cfg;
  ck_assert_int_eq(rp_config_parse("{", NULL, NULL, NULL, 0, &cfg, NULL), RP_ECONFIG);
  ck_assert_ptr_null(cfg);
  ck_assert_int_eq(rp_config_parse(MINIMAL, NULL, NULL, NULL, 0, NULL, NULL), RP_EINVAL);
  ck_assert_ptr_null(rp_config_to_json(NULL));
}
END_TEST

static Suite *config_suite(void) {
  Suite *s = suite_create("config");
  TCase *tc = tcase_create("parse");
  tcase_add_test(tc, minimal_config_gets_every_default);
  tcase_add_test(tc, every_key_is_parsed);
  tcase_add_test(tc, relax_and_gamma_are_parsed);
  tcase_add_test(tc, single_l1_ratio_and_fold_column_are_accepted);
  tcase_add_test(tc, explicit_nulls_mean_defaults);
  tcase_add_test(tc, data_format_follows_the_file_names);
  tcase_add_test(tc, stream_keys_as_given);
  tcase_add_loop_test(tc, rejects_bad_values_naming_the_key, 0, (int)(sizeof BAD / sizeof BAD[0]));
  tcase_add_test(tc, integers_may_be_written_with_exponents);
  tcase_add_test(tc, top_level_must_be_an_object);
  tcase_add_loop_test(tc, unknown_key_suggests_the_close_name, 0,
                      (int)(sizeof UNKNOWN / sizeof UNKNOWN[0]));
  tcase_add_test(tc, unknown_key_without_close_name_has_no_suggestion);
  tcase_add_loop_test(tc, invalid_json_reports_line_and_column, 0,
                      (int)(sizeof SYNTAX / sizeof SYNTAX[0]));
  tcase_add_test(tc, empty_config_is_an_error);
  tcase_add_test(tc, duplicate_keys_are_rejected);
  tcase_add_loop_test(tc, penalty_shorthands_set_l1_ratios, 0,
                      (int)(sizeof PENALTIES / sizeof PENALTIES[0]));
  tcase_add_test(tc, penalty_with_l1_ratio_names_both_keys);
  suite_add_tcase(s, tc);

  tc = tcase_create("overrides");
  tcase_add_test(tc, overrides_replace_existing_keys);
  tcase_add_test(tc, overrides_create_missing_sections_and_keys);
  tcase_add_test(tc, override_bare_word_is_a_string);
  tcase_add_test(tc, override_later_wins);
  tcase_add_loop_test(tc, malformed_overrides_name_the_override, 0,
                      (int)(sizeof BAD_OVERRIDES / sizeof BAD_OVERRIDES[0]));
  tcase_add_test(tc, override_into_a_non_object_section_fails);
  suite_add_tcase(s, tc);

  tc = tcase_create("files");
  tcase_add_test(tc, load_resolves_paths_against_the_config_folder);
  tcase_add_test(tc, load_keeps_absolute_paths_and_resolves_overrides);
  tcase_add_test(tc, parse_resolves_against_the_given_base_dir);
  tcase_add_test(tc, load_reports_missing_file_as_io_error);
  tcase_add_test(tc, load_reports_syntax_errors_in_the_file);
  tcase_add_test(tc, load_reports_empty_file);
  tcase_add_test(tc, load_rejects_a_nul_byte_with_its_position);
  tcase_add_test(tc, load_refuses_a_file_over_64_mib);
  tcase_add_test(tc, load_stops_reading_a_pipe_past_64_mib);
  suite_add_tcase(s, tc);

  tc = tcase_create("caps");
  tcase_add_loop_test(tc, lists_over_their_cap_are_refused_before_parsing, 0,
                      (int)(sizeof CAPS / sizeof CAPS[0]));
  tcase_add_test(tc, n_alphas_shares_the_cap_of_alphas);
  tcase_add_test(tc, every_other_value_is_capped);
  suite_add_tcase(s, tc);

  tc = tcase_create("output");
  tcase_add_test(tc, to_json_lists_every_key_with_defaults);
  tcase_add_test(tc, to_json_round_trips);
  tcase_add_test(tc, log_base_is_10_or_e_and_echoed);
  tcase_add_test(tc, data_format_storage_and_n_features_are_echoed);
  tcase_add_test(tc, fit_options_come_from_the_config);
  tcase_add_test(tc, fit_options_of_defaults_generate_a_grid);
  tcase_add_test(tc, free_null_is_harmless_and_err_may_be_null);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return tu_run(config_suite()); }
