/* check_model.c: the selected model, model.json and predictions (lib/model.c).
 * The run is the default job on the diabetes data, made once per case. */
#define _POSIX_C_SOURCE 200809L /* strtok_r */
#include <check.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regpath.h"
#include "regpath/model.h"
#include "testutil.h"

static rp_config *g_cfg;
static rp_run_result *g_res;
static rp_table *g_table; /* the training CSV */

static void setup(void) {
  char json[4200];
  rp_error err;
  snprintf(json, sizeof json, "{\"data\": {\"train\": \"%s\"}}",
           tu_src_path("configs/data/diabetes.csv"));
  const char *path = tu_write_temp("config.json", json);
  ck_assert_msg(rp_config_load(path, NULL, 0, &g_cfg, &err) == RP_OK, "%s", err.message);
  ck_assert_msg(rp_run(g_cfg, NULL, NULL, &g_res, &err) == RP_OK, "%s", err.message);
  ck_assert_msg(rp_table_read_csv(g_cfg->train, NULL, &g_table, &err) == RP_OK, "%s", err.message);
}

static void teardown(void) {
  rp_table_free(g_table);
  rp_run_free(g_res);
  rp_config_free(g_cfg);
}

static const rp_path *selected_path(void) { return g_res->paths[g_res->selected_fit]; }

static rp_model *model_of_run(void) {
  rp_model *m = NULL;
  rp_error err;
  ck_assert_msg(rp_model_from_run(g_res, g_cfg, &m, &err) == RP_OK, "%s", err.message);
  return m;
}

/* Write m as model.json in a fresh folder; returns the path (static). */
static const char *write_model(const rp_model *m) {
  char *text = rp_model_to_json(m);
  ck_assert_ptr_nonnull(text);
  const char *path = tu_write_temp("model.json", text);
  free(text);
  return path;
}

static rp_model *read_ok(const char *path) {
  rp_model *m = NULL;
  rp_error err;
  ck_assert_msg(rp_model_read(path, &m, &err) == RP_OK, "%s", err.message);
  return m;
}

static void assert_models_equal(const rp_model *a, const rp_model *b) {
  ck_assert_int_eq(a->family, b->family);
  ck_assert_str_eq(a->target, b->target);
  ck_assert_uint_eq(a->n_features, b->n_features);
  for (size_t j = 0; j < a->n_features; j++) {
    ck_assert_str_eq(a->feature_names[j], b->feature_names[j]);
    ck_assert_msg(a->coef[j] == b->coef[j], "coef %zu: %.17g != %.17g", j, a->coef[j], b->coef[j]);
    ck_assert_msg(a->mean[j] == b->mean[j], "mean %zu: %.17g != %.17g", j, a->mean[j], b->mean[j]);
    ck_assert_msg(a->scale[j] == b->scale[j], "scale %zu", j);
  }
  ck_assert_msg(a->intercept == b->intercept, "intercept %.17g != %.17g", a->intercept,
                b->intercept);
  ck_assert(a->alpha == b->alpha);
  ck_assert(a->l1_ratio == b->l1_ratio);
  ck_assert_int_eq(a->standardize, b->standardize);
  ck_assert_int_eq(a->fit_intercept, b->fit_intercept);
  ck_assert_int_eq(a->convention, b->convention);
  ck_assert_uint_eq(a->max_line, b->max_line);
  ck_assert_int_eq(a->data_format, b->data_format);
}

/* ------------------------------------------------------------ from a run */

START_TEST(model_from_run_is_the_selected_point_of_the_path) {
  rp_model *m = model_of_run();
  const rp_path *path = selected_path();
  size_t k = g_res->selected_index, p = g_res->n_features;
  ck_assert_uint_eq(m->n_features, p);
  ck_assert_str_eq(m->target, "progression");
  ck_assert(m->alpha == path->alphas[k]);
  ck_assert(m->l1_ratio == path->l1_ratio);
  ck_assert(m->intercept == path->intercept[k]);
  for (size_t j = 0; j < p; j++) {
    ck_assert_str_eq(m->feature_names[j], g_res->feature_names[j]);
    ck_assert(m->coef[j] == path->coef[k * p + j]);
    ck_assert(m->mean[j] == path->mean[j]);
    ck_assert(m->scale[j] == path->scale[j]);
  }
  ck_assert_int_eq(m->family, RP_FAMILY_GAUSSIAN);
  ck_assert_int_eq(m->standardize, g_cfg->standardize);
  ck_assert_int_eq(m->fit_intercept, g_cfg->fit_intercept);
  ck_assert_int_eq(m->convention, g_cfg->convention);
  ck_assert_uint_eq(m->max_line, g_cfg->max_line);
  rp_model_free(m);
}
END_TEST

START_TEST(from_run_rejects_missing_arguments_and_free_null_is_harmless) {
  rp_model *m = (rp_model *)&m;
  rp_error err;
  ck_assert_int_eq(rp_model_from_run(NULL, g_cfg, &m, &err), RP_EINVAL);
  ck_assert_ptr_null(m);
  ck_assert_int_eq(rp_model_from_run(g_res, NULL, &m, NULL), RP_EINVAL);
  ck_assert_ptr_null(rp_model_to_json(NULL));
  rp_model_free(NULL);
}
END_TEST

/* ------------------------------------------------------------ model.json */

START_TEST(json_has_the_documented_keys) {
  rp_model *m = model_of_run();
  char *text = rp_model_to_json(m);
  cJSON *root = cJSON_Parse(text);
  ck_assert_ptr_nonnull(root);
  ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(root, "format")->valuestring, "regpath-model");
  ck_assert(cJSON_GetObjectItemCaseSensitive(root, "format_version")->valuedouble == 1.0);
  ck_assert(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(root, "regpath_version")));
  ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(root, "family")->valuestring, "gaussian");
  ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(root, "target")->valuestring, "progression");
  ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(root, "feature_names")), 10);
  ck_assert(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(root, "intercept")));
  const cJSON *coef = cJSON_GetObjectItemCaseSensitive(root, "coef");
  ck_assert(cJSON_GetObjectItemCaseSensitive(coef, "bmi")->valuedouble == m->coef[2]);
  ck_assert(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(root, "alpha")));
  ck_assert(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(root, "l1_ratio")));
  ck_assert(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "standardize")));
  ck_assert(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "fit_intercept")));
  ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(root, "convention")->valuestring, "standard");
  const cJSON *limit = cJSON_GetObjectItemCaseSensitive(root, "max_line_bytes");
  ck_assert(cJSON_IsNumber(limit) && limit->valuedouble == (double)RP_CSV_DEFAULT_MAX_LINE);
  ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(root, "data_format")->valuestring, "csv");
  ck_assert(cJSON_GetObjectItemCaseSensitive(root, "n_features")->valuedouble == 10.0);
  const cJSON *s = cJSON_GetObjectItemCaseSensitive(root, "standardization");
  ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(s, "mean")), 10);
  ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(s, "scale")), 10);
  cJSON_Delete(root);
  free(text);
  rp_model_free(m);
}
END_TEST

START_TEST(json_round_trips_every_field_exactly) {
  rp_model *m = model_of_run();
  rp_model *back = read_ok(write_model(m));
  assert_models_equal(back, m);
  rp_model_free(back);
  rp_model_free(m);
}
END_TEST

/* cJSON alone prints 15 digits when they read back within an ulp; these
 * need 16 or 17, or are extremes. */
START_TEST(awkward_numbers_round_trip_exactly) {
  static const double awkward[] = {0.1,
                                   1.0 / 3.0,
                                   -0.43582867921135793,
                                   -2.0748321558697297e-09,
                                   5e-324,
                                   1.7976931348623157e308,
                                   -0.0,
                                   2.2250738585072014e-308,
                                   123456789012345678.0,
                                   0.30000000000000004};
  rp_model *m = model_of_run();
  m->convention = RP_CONVENTION_GLMNET;
  m->standardize = 0;
  m->l1_ratio = 0.1 + 0.2 - 0.3 + 0.5;
  m->alpha = 1.0 / 7.0;
  m->intercept = nextafter(152.0, 200.0);
  for (size_t j = 0; j < m->n_features; j++) {
    m->coef[j] = awkward[j % (sizeof awkward / sizeof awkward[0])];
    m->mean[j] = nextafter(m->mean[j], 0.0);
    m->scale[j] = 1.0 / (double)(j + 3);
  }
  srand(7);
  for (int round = 0; round < 50; round++) {
    rp_model *back = read_ok(write_model(m));
    assert_models_equal(back, m);
    rp_model_free(back);
    for (size_t j = 0; j < m->n_features; j++)
      m->coef[j] = ((double)rand() / RAND_MAX - 0.5) * pow(10.0, rand() % 20 - 10);
  }
  rp_model_free(m);
}
END_TEST

START_TEST(read_reports_a_missing_file_as_io_error) {
  rp_model *m = (rp_model *)&m;
  rp_error err;
  ck_assert_int_eq(rp_model_read("/nonexistent/model.json", &m, &err), RP_EIO);
  ck_assert_ptr_null(m);
  ck_assert_str_eq(err.file, "/nonexistent/model.json");
}
END_TEST

/* Model files that are not JSON objects. */
static const struct {
  const char *text, *needle;
} BAD_TEXT[] = {
    {"{\"format\": \"regpath-model\",", "invalid JSON"},
    {"", "invalid JSON"},
    {"not json", "invalid JSON"},
    {"[1, 2]", "not a regpath model"},
    {"{\"schema_version\": 1}", "format: not a regpath model"},
};

START_TEST(malformed_text_is_a_data_error) {
  const char *path = tu_write_temp("model.json", BAD_TEXT[_i].text);
  rp_model *m = (rp_model *)&m;
  rp_error err;
  ck_assert_int_eq(rp_model_read(path, &m, &err), RP_EDATA);
  ck_assert_ptr_null(m);
  ck_assert_str_eq(err.file, path);
  ck_assert_msg(strstr(err.message, BAD_TEXT[_i].needle), "\"%s\" lacks \"%s\"", err.message,
                BAD_TEXT[_i].needle);
}
END_TEST

/* One change to a valid model.json: in `section` (NULL = top level, else a
 * dotted path), set `key` to the JSON `value` (NULL = delete it). */
static const struct {
  const char *section, *key, *value, *needle;
} BAD_FIELD[] = {
    {NULL, "format", "\"regpath-report\"", "format: not a regpath model"},
    {NULL, "format_version", "2", "model format_version 2 is newer than this regpath understands"},
    {NULL, "format_version", "0", "format_version: expected 1"},
    {NULL, "format_version", "\"1\"", "format_version: expected 1"},
    {NULL, "format_version", NULL, "format_version: missing"},
    {NULL, "regpath_version", "0.1", "regpath_version: expected a string"},
    {NULL, "family", "\"logistic\"", "family: unknown value \"logistic\""},
    {NULL, "family", "\"binomial\"", "classes: missing"},
    {NULL, "target", "3", "target: expected a string"},
    {NULL, "feature_names", "[]", "feature_names: expected a non-empty array"},
    {NULL, "feature_names", "[\"age\", 1]", "feature_names: expected strings"},
    {NULL, "feature_names", "{\"age\": 1}", "feature_names: expected a non-empty array"},
    {NULL, "feature_names", "[\"age\", \"sex\", \"age\"]",
     "feature_names: name given twice: \"age\""},
    /* as written (U+FFFD for the invalid byte) the same name */
    {NULL, "feature_names", "[\"caf\xe9\", \"sex\", \"caf\xe8\"]",
     "feature_names: name given twice: \"caf\xef\xbf\xbd\""},
    {NULL, "intercept", "\"152\"", "intercept: expected a finite number"},
    {NULL, "intercept", "1e999", "intercept: expected a finite number"},
    {NULL, "intercept", NULL, "intercept: missing"},
    {NULL, "alpha", "-1", "alpha: expected a number >= 0"},
    {NULL, "alpha", NULL, "alpha: missing"},
    {NULL, "l1_ratio", "1.5", "l1_ratio: expected a number in [0, 1]"},
    {NULL, "standardize", "1", "standardize: expected true or false"},
    {NULL, "fit_intercept", "null", "fit_intercept: expected true or false"},
    {NULL, "convention", "\"sklearn\"", "convention: unknown value \"sklearn\""},
    {NULL, "coef", "[1, 2]", "coef: expected an object"},
    {NULL, "coef", NULL, "coef: missing"},
    {"coef", "bmi", NULL, "coef: no value for feature \"bmi\""},
    {"coef", "bmi", "\"big\"", "coef: expected a finite number for \"bmi\""},
    {"coef", "BMI", "1", "coef: not in feature_names: \"BMI\""},
    {"standardization", "mean", NULL, "standardization.mean: expected an object"},
    {"standardization.scale", "s6", NULL, "standardization.scale: no value for feature \"s6\""},
    {NULL, "standardization", "3", "standardization: expected an object"},
    {NULL, "max_line_bytes", "15", "max_line_bytes: expected an integer >= 16"},
    {NULL, "max_line_bytes", "4096.5", "max_line_bytes: expected an integer >= 16"},
    {NULL, "max_line_bytes", "\"1048576\"", "max_line_bytes: expected an integer >= 16"},
    {NULL, "data_format", "\"libsvm\"", "data_format: unknown value \"libsvm\""},
    {NULL, "data_format", "1", "data_format: expected a string"},
    {NULL, "n_features", "11", "n_features: expected the number of feature_names"},
    {NULL, "n_features", "\"10\"", "n_features: expected the number of feature_names"},
};

/* The object at dotted path `section` under root (NULL = root). */
static cJSON *section_of(cJSON *root, const char *section) {
  if (!section) return root;
  char buf[64], *key, *save = NULL;
  snprintf(buf, sizeof buf, "%s", section);
  for (key = strtok_r(buf, ".", &save); key; key = strtok_r(NULL, ".", &save))
    root = cJSON_GetObjectItemCaseSensitive(root, key);
  ck_assert_ptr_nonnull(root);
  return root;
}

START_TEST(malformed_fields_are_data_errors_naming_the_field) {
  rp_model *m = model_of_run();
  char *text = rp_model_to_json(m);
  cJSON *root = cJSON_Parse(text), *obj = section_of(root, BAD_FIELD[_i].section);
  cJSON_DeleteItemFromObjectCaseSensitive(obj, BAD_FIELD[_i].key);
  if (BAD_FIELD[_i].value) {
    cJSON *value = cJSON_Parse(BAD_FIELD[_i].value);
    ck_assert_ptr_nonnull(value);
    cJSON_AddItemToObject(obj, BAD_FIELD[_i].key, value);
  }
  char *bad = cJSON_Print(root);
  const char *path = tu_write_temp("model.json", bad);
  rp_model *got = (rp_model *)&got;
  rp_error err;
  ck_assert_int_eq(rp_model_read(path, &got, &err), RP_EDATA);
  ck_assert_ptr_null(got);
  ck_assert_str_eq(err.file, path);
  ck_assert_msg(strstr(err.message, BAD_FIELD[_i].needle), "\"%s\" lacks \"%s\"", err.message,
                BAD_FIELD[_i].needle);
  free(bad);
  cJSON_Delete(root);
  free(text);
  rp_model_free(m);
}
END_TEST

START_TEST(duplicate_coef_entries_are_rejected) {
  rp_model *m = model_of_run();
  char *text = rp_model_to_json(m);
  cJSON *root = cJSON_Parse(text);
  cJSON_AddNumberToObject(cJSON_GetObjectItemCaseSensitive(root, "coef"), "bmi", 1.0);
  char *bad = cJSON_Print(root);
  rp_model *got;
  rp_error err;
  ck_assert_int_eq(rp_model_read(tu_write_temp("model.json", bad), &got, &err), RP_EDATA);
  ck_assert_str_eq(err.message, "coef: value given twice for \"bmi\"");
  free(bad);
  cJSON_Delete(root);
  free(text);
  rp_model_free(m);
}
END_TEST

/* Edited as text: parsing and printing with cJSON would lose digits. */
START_TEST(unknown_keys_are_ignored_and_regpath_version_is_optional) {
  rp_model *m = model_of_run();
  char *text = rp_model_to_json(m), *edited = malloc(strlen(text) + 64);
  char *version = strstr(text, "\"regpath_version\""), *after = strchr(version, '\n') + 1;
  ck_assert(text[0] == '{' && text[1] == '\n');
  snprintf(edited, strlen(text) + 64, "{\n\"note\": \"by hand\",\n%.*s%s",
           (int)(version - text - 2), text + 2, after);
  rp_model *back = read_ok(tu_write_temp("model.json", edited));
  assert_models_equal(back, m);
  rp_model_free(back);
  free(edited);
  free(text);
  rp_model_free(m);
}
END_TEST

/* ------------------------------------------------------------ names that are not text */

#define FFFD "\xef\xbf\xbd"

/* Feature names as a Latin-1 CSV (or a hostile one) gives them, and as
 * model.json must hold them: valid UTF-8, each invalid sequence one U+FFFD
 * (maximal subparts), control characters kept (JSON escapes them). */
static const char *const RAW[10] = {
    "caf\xe9",  "\x1b]0;pwned\x07", "\x1b[2J",      "x\x9by",          "\xc2\x9b",
    "\xe2\x82", "\xc0\xaf",         "\xed\xa0\x80", "\xf0\x9f\x98 s5", "\xf4\x90\x80\x80"};
static const char *const CLEAN[10] = {
    "caf" FFFD, "\x1b]0;pwned\x07", "\x1b[2J",      "x" FFFD "y", "\xc2\x9b",
    FFFD,       FFFD FFFD,          FFFD FFFD FFFD, FFFD " s5",   FFFD FFFD FFFD FFFD};

/* The training data under the RAW names (quoted) and target "y\xe9". */
static const char *raw_named_csv(void) {
  size_t cap = 256 + g_table->n_rows * g_table->n_cols * 26, len = 0;
  char *text = malloc(cap);
  for (size_t c = 0; c < 10; c++) len += (size_t)snprintf(text + len, cap - len, "\"%s\",", RAW[c]);
  len += (size_t)snprintf(text + len, cap - len, "y\xe9");
  for (size_t i = 0; i < g_table->n_rows; i++)
    for (size_t c = 0; c < g_table->n_cols; c++)
      len += (size_t)snprintf(text + len, cap - len, "%s%.17g", c ? "," : "\n",
                              rp_table_column(g_table, c)[i]);
  ck_assert_uint_lt(len, cap);
  const char *path = tu_write_temp("latin1.csv", text);
  free(text);
  return path;
}

/* model.json holds the names as valid UTF-8 with no raw control character;
 * read back, the model predicts on the file with the raw names exactly as
 * the run's model does on the training table, and so does the model made
 * in memory with the raw names (both sides of the lookup are cleaned). */
START_TEST(names_that_are_not_text_are_valid_utf8_and_still_find_their_columns) {
  rp_model *m = model_of_run();
  ck_assert_uint_eq(m->n_features, 10);
  for (size_t j = 0; j < 10; j++) {
    free(m->feature_names[j]);
    m->feature_names[j] = strdup(RAW[j]);
  }
  free(m->target);
  m->target = strdup("y\xe9");
  char *text = rp_model_to_json(m);
  ck_assert_ptr_nonnull(text);
  size_t len = strlen(text), bad = tu_utf8_check(text, len, 1);
  ck_assert_msg(bad == len, "model.json byte %zu (0x%02x) is not text for a terminal", bad,
                (unsigned char)text[bad]);
  const char *path = tu_write_temp("model.json", text);
  free(text);
  rp_model *back = read_ok(path);
  for (size_t j = 0; j < 10; j++)
    ck_assert_msg(strcmp(back->feature_names[j], CLEAN[j]) == 0, "feature %zu", j);
  ck_assert_str_eq(back->target, "y" FFFD);

  rp_table *t;
  rp_error err;
  const char *csv = raw_named_csv();
  ck_assert_msg(rp_table_read_csv(csv, NULL, &t, &err) == RP_OK, "%s", err.message);
  rp_model *plain = model_of_run();
  double *a = malloc(t->n_rows * sizeof *a), *b = malloc(t->n_rows * sizeof *b);
  double *c = malloc(t->n_rows * sizeof *c);
  ck_assert_int_eq(rp_model_predict(plain, g_table, "train.csv", a, &err), RP_OK);
  ck_assert_msg(rp_model_predict(back, t, csv, b, &err) == RP_OK, "%s", err.message);
  ck_assert_msg(rp_model_predict(m, t, csv, c, &err) == RP_OK, "%s", err.message);
  for (size_t i = 0; i < t->n_rows; i++) ck_assert_msg(a[i] == b[i] && a[i] == c[i], "row %zu", i);
  free(a);
  free(b);
  free(c);
  rp_model_free(plain);
  rp_table_free(t);
  rp_model_free(back);
  rp_model_free(m);
}
END_TEST

/* A model.json written before "max_line_bytes" existed reads as trained
 * under the default limit; one written with a larger limit keeps it (edited
 * as text: parsing and printing with cJSON would lose digits). */
START_TEST(max_line_bytes_is_kept_and_defaults_when_absent) {
  rp_model *m = model_of_run();
  m->max_line = 3u << 20;
  char *text = rp_model_to_json(m);
  rp_model *back = read_ok(tu_write_temp("model.json", text));
  ck_assert_uint_eq(back->max_line, 3u << 20);
  rp_model_free(back);
  char *key = strstr(text, "\"max_line_bytes\""), *line = key, *after = strchr(key, '\n') + 1;
  while (line > text && line[-1] != '\n') line--;
  memmove(line, after, strlen(after) + 1);
  back = read_ok(tu_write_temp("model.json", text));
  ck_assert_uint_eq(back->max_line, RP_CSV_DEFAULT_MAX_LINE);
  m->max_line = RP_CSV_DEFAULT_MAX_LINE;
  assert_models_equal(back, m);
  rp_model_free(back);
  free(text);
  rp_model_free(m);
}
END_TEST

/* Issue 19: "data_format" and "n_features" round-trip, and a model.json
 * without them (written before they existed) reads as trained on a CSV. */
START_TEST(data_format_is_kept_and_defaults_to_csv) {
  rp_model *m = model_of_run();
  m->data_format = RP_FORMAT_SVMLIGHT;
  char *text = rp_model_to_json(m);
  rp_model *back = read_ok(tu_write_temp("model.json", text));
  assert_models_equal(back, m);
  rp_model_free(back);
  cJSON *root = cJSON_Parse(text);
  cJSON_DeleteItemFromObjectCaseSensitive(root, "data_format");
  cJSON_DeleteItemFromObjectCaseSensitive(root, "n_features");
  char *old = cJSON_Print(root);
  back = read_ok(tu_write_temp("model.json", old));
  ck_assert_int_eq(back->data_format, RP_FORMAT_CSV);
  rp_model_free(back);
  free(old);
  cJSON_Delete(root);
  free(text);
  rp_model_free(m);
}
END_TEST

/* ------------------------------------------------------------ predictions */

START_TEST(predict_on_the_training_data_reproduces_the_fitted_values) {
  rp_model *direct = model_of_run();
  rp_model *m = read_ok(write_model(direct)); /* through the file */
  const rp_path *path = selected_path();
  size_t n = g_res->n_samples, p = g_res->n_features, k = g_res->selected_index;
  double *yhat = malloc(n * sizeof *yhat);
  rp_error err;
  ck_assert_int_eq(rp_model_predict(m, g_table, g_cfg->train, yhat, &err), RP_OK);
  for (size_t i = 0; i < n; i++) {
    double fitted = path->intercept[k];
    for (size_t j = 0; j < p; j++) fitted += g_res->X[j * n + i] * path->coef[k * p + j];
    ck_assert_msg(tu_relerr(yhat[i], fitted, 1e-300) <= 1e-12, "row %zu: %.17g vs %.17g", i,
                  yhat[i], fitted);
  }
  free(yhat);
  rp_model_free(direct);
  rp_model_free(m);
}
END_TEST

/* rp_model_predict_svmlight on the training table written as svmlight
 * (its 10 features by index, exact digits) gives rp_model_predict's
 * numbers bit for bit: the sums over the stored entries skip only exact
 * zeros.  An index past the model's p, or a model with an offset, is an
 * RP_EDATA error. */
/* The training table as svmlight text (malloc'd): its 10 features by
 * index, exact digits, zeros left out; then `tail`. */
static char *svmlight_of_table(const char *tail) {
  size_t n = g_table->n_rows, cap = n * 11 * 30 + 64 + strlen(tail), len = 0;
  char *text = malloc(cap);
  for (size_t i = 0; i < n; i++) {
    len += (size_t)snprintf(text + len, cap - len, "%.17g", rp_table_column(g_table, 10)[i]);
    for (size_t j = 0; j < 10; j++)
      if (rp_table_column(g_table, j)[i] != 0.0)
        len += (size_t)snprintf(text + len, cap - len, " %zu:%.17g", j + 1,
                                rp_table_column(g_table, j)[i]);
    len += (size_t)snprintf(text + len, cap - len, "\n");
  }
  len += (size_t)snprintf(text + len, cap - len, "%s", tail);
  ck_assert_uint_lt(len, cap);
  return text;
}

START_TEST(predict_on_svmlight_data_equals_predict_on_the_table) {
  rp_model *m = model_of_run();
  size_t n = g_table->n_rows;
  char *text = svmlight_of_table("");
  const char *path = tu_write_temp("new.svm", text);
  double *want = malloc(n * sizeof *want), *eta = NULL, *labels = NULL;
  size_t got_n = 0, n_qid = 0;
  rp_error err;
  ck_assert_int_eq(rp_model_predict(m, g_table, g_cfg->train, want, &err), RP_OK);
  ck_assert_msg(rp_model_predict_svmlight(m, path, 0, &eta, &labels, &got_n, &n_qid, &err) == RP_OK,
                "%s", err.message);
  ck_assert_uint_eq(got_n, n);
  ck_assert_uint_eq(n_qid, 0);
  for (size_t i = 0; i < n; i++) {
    ck_assert_msg(eta[i] == want[i], "row %zu: %.17g vs %.17g", i, eta[i], want[i]);
    ck_assert(labels[i] == rp_table_column(g_table, 10)[i]);
  }
  free(eta);
  free(labels);
  path = tu_write_temp("bad.svm", "1 1:1\n2 11:1\n");
  ck_assert_int_eq(rp_model_predict_svmlight(m, path, 0, &eta, &labels, &got_n, &n_qid, &err),
                   RP_EDATA);
  ck_assert_ptr_null(eta);
  ck_assert_int_eq(err.line, 2);
  ck_assert_int_eq(err.column, 3);
  free(want);
  free(text);
  rp_model_free(m);
}
END_TEST

/* The svmlight windows' labels and predictions, in order. */
typedef struct {
  double *eta, *labels;
  size_t n, visits;
} svm_collected;

static rp_status svm_collect(void *ctx, const double *labels, const double *eta, size_t n,
                             size_t first_row, rp_error *err) {
  (void)err;
  svm_collected *c = ctx;
  ck_assert_uint_eq(first_row, c->n);
  c->eta = realloc(c->eta, (c->n + n + 1) * sizeof *c->eta);
  c->labels = realloc(c->labels, (c->n + n + 1) * sizeof *c->labels);
  memcpy(c->eta + c->n, eta, n * sizeof *eta);
  memcpy(c->labels + c->n, labels, n * sizeof *labels);
  c->n += n, c->visits++;
  return RP_OK;
}

/* rp_model_predict_svmlight_file in 1 KiB windows, of the plain file and
 * of its gzip copy, gives rp_model_predict_svmlight's labels and
 * predictions bit for bit over many windows; a repeated index on the last
 * line, in a late window, is named at that line and column, in both. */
START_TEST(predict_svmlight_file_in_windows_equals_the_whole_file) {
  rp_model *m = model_of_run();
  char *text = svmlight_of_table(""), *bad = svmlight_of_table("1 2:1 2:1\n");
  char path[4200], bad_path[4200];
  snprintf(path, sizeof path, "%s", tu_write_temp("win.svm", text));
  snprintf(bad_path, sizeof bad_path, "%s", tu_write_temp("winbad.svm", bad));
  tu_gzip_copy(path);
  tu_gzip_copy(bad_path);
  double *eta = NULL, *labels = NULL;
  size_t n = 0, n_qid = 9;
  rp_error err;
  ck_assert_int_eq(rp_model_predict_svmlight(m, path, 0, &eta, &labels, &n, &n_qid, &err), RP_OK);
  for (int gz = 0; gz < 2; gz++) {
    char file[4300];
    snprintf(file, sizeof file, "%s%s", path, gz ? ".gz" : "");
    svm_collected c = {0};
    rp_status st = rp_model_predict_svmlight_file(m, file, 0, 1024, svm_collect, &c, &n_qid, &err);
    ck_assert_msg(st == RP_OK, "%s", err.message);
    ck_assert_uint_eq(c.n, n);
    ck_assert_msg(c.visits >= 5, "%s: %zu windows", file, c.visits);
    for (size_t i = 0; i < n; i++)
      ck_assert_msg(c.eta[i] == eta[i] && c.labels[i] == labels[i], "%s row %zu", file, i);
    free(c.eta), free(c.labels);
    snprintf(file, sizeof file, "%s%s", bad_path, gz ? ".gz" : "");
    memset(&c, 0, sizeof c);
    st = rp_model_predict_svmlight_file(m, file, 0, 1024, svm_collect, &c, NULL, &err);
    ck_assert_int_eq(st, RP_EDATA);
    ck_assert_str_eq(err.file, file);
    ck_assert_int_eq(err.line, (long)n + 1);
    ck_assert_int_eq(err.column, 7);
    free(c.eta), free(c.labels);
  }
  free(eta), free(labels), free(text), free(bad);
  rp_model_free(m);
}
END_TEST

/* The training table as CSV with its columns reversed and an extra column. */
static const char *shuffled_csv(const char *drop) {
  size_t cap = 64 + g_table->n_rows * (g_table->n_cols + 1) * 26 + 256, len = 0;
  char *text = malloc(cap);
  len += (size_t)snprintf(text + len, cap - len, "extra");
  for (size_t c = g_table->n_cols; c-- > 0;)
    if (!drop || strcmp(g_table->names[c], drop) != 0)
      len += (size_t)snprintf(text + len, cap - len, ",%s", g_table->names[c]);
  for (size_t i = 0; i < g_table->n_rows; i++) {
    len += (size_t)snprintf(text + len, cap - len, "\n%zu", i * 1000003);
    for (size_t c = g_table->n_cols; c-- > 0;)
      if (!drop || strcmp(g_table->names[c], drop) != 0)
        len += (size_t)snprintf(text + len, cap - len, ",%.17g", rp_table_column(g_table, c)[i]);
  }
  ck_assert_uint_lt(len, cap);
  const char *path = tu_write_temp("new.csv", text);
  free(text);
  return path;
}

START_TEST(predict_matches_columns_by_name_in_any_order_and_ignores_extras) {
  rp_model *m = model_of_run();
  rp_table *t;
  rp_error err;
  const char *path = shuffled_csv(NULL);
  ck_assert_int_eq(rp_table_read_csv(path, NULL, &t, &err), RP_OK);
  double *a = malloc(t->n_rows * sizeof *a), *b = malloc(t->n_rows * sizeof *b);
  ck_assert_int_eq(rp_model_predict(m, g_table, "train.csv", a, &err), RP_OK);
  ck_assert_int_eq(rp_model_predict(m, t, path, b, &err), RP_OK);
  for (size_t i = 0; i < t->n_rows; i++) ck_assert_msg(a[i] == b[i], "row %zu", i);
  free(a);
  free(b);
  rp_table_free(t);
  rp_model_free(m);
}
END_TEST

START_TEST(predict_names_a_missing_feature) {
  rp_model *m = model_of_run();
  rp_table *t;
  rp_error err;
  const char *path = shuffled_csv("bmi");
  ck_assert_int_eq(rp_table_read_csv(path, NULL, &t, &err), RP_OK);
  double *yhat = malloc(t->n_rows * sizeof *yhat);
  ck_assert_int_eq(rp_model_predict(m, t, path, yhat, &err), RP_EDATA);
  ck_assert_str_eq(err.file, path);
  ck_assert_str_eq(err.message, "no column \"bmi\" (a feature of the model)");
  free(yhat);
  rp_table_free(t);
  rp_model_free(m);
}
END_TEST

START_TEST(predict_does_not_need_the_target_column) {
  rp_model *m = model_of_run();
  rp_table *t;
  rp_error err;
  const char *path = shuffled_csv("progression");
  ck_assert_int_eq(rp_table_read_csv(path, NULL, &t, &err), RP_OK);
  double *a = malloc(t->n_rows * sizeof *a), *b = malloc(t->n_rows * sizeof *b);
  ck_assert_int_eq(rp_model_predict(m, g_table, "train.csv", a, &err), RP_OK);
  ck_assert_int_eq(rp_model_predict(m, t, path, b, &err), RP_OK);
  for (size_t i = 0; i < t->n_rows; i++) ck_assert(a[i] == b[i]);
  free(a);
  free(b);
  rp_table_free(t);
  rp_model_free(m);
}
END_TEST

/* ------------------------------------------------------------ a file in windows */

/* The diabetes rows three times over (1326 rows, about 70 bytes each), each
 * behind an id in the empty-named first column ("r1", "r2", ...); when
 * bad_line > 0, that physical line's first feature is "x". */
static const char *windowed_csv(long bad_line) {
  char *text = tu_read_file(g_cfg->train), *save = NULL, line[4096];
  ck_assert_ptr_nonnull(text);
  size_t cap = 3 * strlen(text) + 65536, len = 0, k = 0;
  char *out = malloc(cap);
  const char *header = strtok_r(text, "\n", &save), *row;
  len += (size_t)snprintf(out, cap, "\"\",%s\n", header);
  char *rows = save;
  for (int rep = 0; rep < 3; rep++) {
    char *copy = strdup(rows), *at = NULL;
    for (row = strtok_r(copy, "\n", &at); row; row = strtok_r(NULL, "\n", &at)) {
      k++;
      snprintf(line, sizeof line, "%s", (long)k + 1 == bad_line ? strchr(row, ',') : row);
      len += (size_t)snprintf(out + len, cap - len, "r%zu,%s%s\n", k,
                              (long)k + 1 == bad_line ? "x" : "", line);
    }
    free(copy);
  }
  const char *path = tu_write_temp("windowed.csv", out);
  free(out);
  free(text);
  return path;
}

/* What the windows gave: each row's prediction and id in order; a visit
 * fails with an error on window line fail_line when it reaches row
 * fail_id. */
typedef struct {
  const char *path;
  double eta[1400];
  size_t n, visits, fail_id;
} collected;

static rp_status collect(void *ctx, const rp_table *t, const double *eta, rp_error *err) {
  collected *c = ctx;
  long id = rp_table_find(t, "");
  ck_assert_int_ge(id, 0);
  c->visits++;
  for (size_t i = 0; i < t->n_rows; i++) {
    char want[32];
    snprintf(want, sizeof want, "r%zu", c->n + 1);
    ck_assert_str_eq(t->columns[id].levels[(size_t)rp_table_column(t, (size_t)id)[i]], want);
    ck_assert_uint_lt(c->n, 1400);
    if (c->n + 1 == c->fail_id)
      return rp_error_set_at(err, RP_EDATA, c->path, (long)i + 2, 3, "refused by the visit");
    c->eta[c->n++] = eta[i];
  }
  return RP_OK;
}

/* rp_model_predict_file in windows of 4 KiB gives every row, in order, the
 * prediction rp_model_predict_classes gives it on the whole table, bit for
 * bit; so does a gzip copy, decompressed a window at a time. */
START_TEST(predict_file_in_windows_equals_predict_on_the_table) {
  rp_model *m = model_of_run();
  rp_error err;
  rp_table *t;
  const char *path = windowed_csv(0);
  char gz[4200];
  snprintf(gz, sizeof gz, "%s.gz", path);
  tu_gzip_copy(path);
  ck_assert_msg(rp_model_read_data(m, path, 0, &t, &err) == RP_OK, "%s", err.message);
  ck_assert_uint_eq(t->n_rows, 1326);
  double *whole = malloc(t->n_rows * sizeof *whole);
  ck_assert_int_eq(rp_model_predict_classes(m, t, path, 0, whole, NULL, NULL, &err), RP_OK);
  const char *files[2] = {path, gz};
  for (int f = 0; f < 2; f++) {
    collected *c = calloc(1, sizeof *c);
    c->path = files[f];
    size_t unseen = 9, missing = 9;
    rp_status st =
        rp_model_predict_file(m, files[f], 0, 4096, 0, collect, c, &unseen, &missing, &err);
    ck_assert_msg(st == RP_OK, "%s", err.message);
    ck_assert_uint_eq(c->n, t->n_rows);
    ck_assert_uint_eq(unseen + missing, 0);
    ck_assert_msg(c->visits >= 10, "%s: %zu windows", files[f], c->visits);
    for (size_t i = 0; i < t->n_rows; i++)
      ck_assert_msg(c->eta[i] == whole[i], "%s row %zu: %.17g != %.17g", files[f], i, c->eta[i],
                    whole[i]);
    free(c);
  }
  free(whole);
  rp_table_free(t);
  rp_model_free(m);
}
END_TEST

/* An error in a late window, the reader's or the visit's, names the file's
 * own line, of the plain file and of its gzip copy: the reader's at "x" on
 * physical line 1200 (column 7, after the id "r1199,"), the visit's on the
 * line of row r700 (line 701). */
START_TEST(predict_file_errors_name_the_files_own_line) {
  rp_model *m = model_of_run();
  rp_error err;
  char bad[4200], good[4200];
  snprintf(bad, sizeof bad, "%s", windowed_csv(1200));
  tu_gzip_copy(bad);
  snprintf(good, sizeof good, "%s", windowed_csv(0));
  tu_gzip_copy(good);
  for (int gz = 0; gz < 2; gz++) {
    char file[4300];
    collected *c = calloc(1, sizeof *c);
    snprintf(file, sizeof file, "%s%s", bad, gz ? ".gz" : "");
    c->path = file;
    ck_assert_int_eq(rp_model_predict_file(m, file, 0, 4096, 0, collect, c, NULL, NULL, &err),
                     RP_EDATA);
    ck_assert_str_eq(err.file, file);
    ck_assert_int_eq(err.line, 1200);
    ck_assert_msg(err.column == 7 && strstr(err.message, "\"age\""), "column %ld: %s", err.column,
                  err.message);
    memset(c, 0, sizeof *c);
    snprintf(file, sizeof file, "%s%s", good, gz ? ".gz" : "");
    c->path = file;
    c->fail_id = 700;
    ck_assert_int_eq(rp_model_predict_file(m, file, 0, 4096, 0, collect, c, NULL, NULL, &err),
                     RP_EDATA);
    ck_assert_str_eq(err.file, file);
    ck_assert_int_eq(err.line, 701);
    ck_assert_int_eq(err.column, 3);
    ck_assert_str_eq(err.message, "refused by the visit");
    free(c);
  }
  rp_model_free(m);
}
END_TEST

/* ------------------------------------------------------------ multinomial */

/* A run of the multinomial family on a small table written here: numbers
 * x1..x3 and a text target y in {a, b, c}, drawn with probabilities
 * softmax(2 x1, 2 x2 - 1, 0) so that the classes overlap. */
static rp_config *g_mn_cfg;
static rp_run_result *g_mn_res;
#define MN_ROWS 120
#define MN_P 3
#define MN_K 3
static double g_mn_x[MN_ROWS][MN_P]; /* the features as written */
static char g_mn_csv[4200];          /* the table's path */

static double mn_uniform(unsigned long *state) {
  *state = *state * 6364136223846793005UL + 1442695040888963407UL;
  return (double)(*state >> 11) / 9007199254740992.0;
}

static const char *mn_csv(void) {
  static char text[MN_ROWS * 100 + 64];
  unsigned long state = 11;
  size_t len = (size_t)snprintf(text, sizeof text, "x1,x2,x3,y\n");
  for (int i = 0; i < MN_ROWS; i++) {
    double *x = g_mn_x[i], e[MN_K], u;
    for (int j = 0; j < MN_P; j++) x[j] = 2.0 * mn_uniform(&state) - 1.0;
    e[0] = exp(2.0 * x[0]), e[1] = exp(2.0 * x[1] - 1.0), e[2] = 1.0;
    u = mn_uniform(&state) * (e[0] + e[1] + e[2]);
    const char *y = u < e[0] ? "a" : u < e[0] + e[1] ? "b" : "c";
    len += (size_t)snprintf(text + len, sizeof text - len, "%.17g,%.17g,%.17g,%s\n", x[0], x[1],
                            x[2], y);
  }
  ck_assert_uint_lt(len, sizeof text);
  return tu_write_temp("mn.csv", text);
}

static void mn_setup(void) {
  char json[4400];
  rp_error err;
  const char *csv = mn_csv();
  ck_assert_uint_lt(strlen(csv), sizeof g_mn_csv);
  strcpy(g_mn_csv, csv);
  snprintf(json, sizeof json,
           "{\"data\": {\"train\": \"%s\", \"target\": \"y\"}, \"model\": {\"family\": "
           "\"multinomial\"}, \"cv\": {\"folds\": 4, \"seed\": 1}}",
           csv);
  const char *path = tu_write_temp("config.json", json);
  ck_assert_msg(rp_config_load(path, NULL, 0, &g_mn_cfg, &err) == RP_OK, "%s", err.message);
  ck_assert_msg(rp_run(g_mn_cfg, NULL, NULL, &g_mn_res, &err) == RP_OK, "%s", err.message);
}

static void mn_teardown(void) {
  rp_run_free(g_mn_res);
  rp_config_free(g_mn_cfg);
}

static rp_model *mn_model(void) {
  rp_model *m = NULL;
  rp_error err;
  ck_assert_msg(rp_model_from_run(g_mn_res, g_mn_cfg, &m, &err) == RP_OK, "%s", err.message);
  ck_assert_int_eq(m->family, RP_FAMILY_MULTINOMIAL);
  ck_assert_uint_eq(rp_model_n_predictors(m), MN_K);
  ck_assert_uint_eq(m->n_features, MN_P);
  return m;
}

static const rp_path *mn_path(void) { return g_mn_res->paths[g_mn_res->selected_fit]; }

/* Every number bit for bit: the selected point's K intercepts and K rows of
 * coefficients, the classes, and the whole path. */
static void assert_mn_models_equal(const rp_model *a, const rp_model *b) {
  assert_models_equal(a, b);
  size_t K = MN_K, p = MN_P;
  ck_assert_uint_eq(a->classes.n, b->classes.n);
  for (size_t c = 0; c < K; c++) {
    ck_assert_str_eq(a->classes.labels[c], b->classes.labels[c]);
    ck_assert_msg(a->intercepts[c] == b->intercepts[c], "intercept %zu", c);
  }
  for (size_t j = 0; j < K * p; j++) ck_assert_msg(a->coef[j] == b->coef[j], "coef %zu", j);
  ck_assert_uint_eq(a->n_path, b->n_path);
  for (size_t k = 0; k < a->n_path; k++) ck_assert(a->path_alphas[k] == b->path_alphas[k]);
  for (size_t i = 0; i < a->n_path * K; i++)
    ck_assert_msg(a->path_intercept[i] == b->path_intercept[i], "path intercept %zu", i);
  for (size_t i = 0; i < a->n_path * K * p; i++)
    ck_assert_msg(a->path_coef[i] == b->path_coef[i], "path coef %zu", i);
  ck_assert_uint_eq(a->index_min, b->index_min);
  ck_assert_uint_eq(a->index_1se, b->index_1se);
  ck_assert_uint_eq(a->index_selected, b->index_selected);
}

/* model.json's numbers, read with cJSON in the decided shapes, are the
 * run's path (rp_path's layout: intercept[k K + c], coef[(k K + c) p + j]);
 * read back by regpath they are the model again, bit for bit. */
START_TEST(multinomial_model_json_has_the_decided_shapes_and_round_trips) {
  rp_model *m = mn_model();
  const rp_path *path = mn_path();
  size_t K = MN_K, p = MN_P, sel = g_mn_res->selected_index;
  ck_assert_uint_eq(path->n_classes, K);
  char *text = rp_model_to_json(m);
  ck_assert_ptr_nonnull(text);
  cJSON *root = cJSON_Parse(text);
  ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(root, "family")->valuestring, "multinomial");
  const cJSON *classes = cJSON_GetObjectItemCaseSensitive(root, "classes");
  const cJSON *b0 = cJSON_GetObjectItemCaseSensitive(root, "intercept");
  const cJSON *coef = cJSON_GetObjectItemCaseSensitive(root, "coef");
  const cJSON *jpath = cJSON_GetObjectItemCaseSensitive(root, "path");
  const cJSON *pb0 = cJSON_GetObjectItemCaseSensitive(jpath, "intercept");
  const cJSON *pcoef = cJSON_GetObjectItemCaseSensitive(jpath, "coef");
  ck_assert_int_eq(cJSON_GetArraySize(classes), 3);
  ck_assert_str_eq(cJSON_GetArrayItem(classes, 0)->valuestring, "a");
  ck_assert_str_eq(cJSON_GetArrayItem(classes, 2)->valuestring, "c");
  ck_assert(cJSON_IsArray(b0) && cJSON_GetArraySize(b0) == 3);
  ck_assert(cJSON_IsArray(coef) && cJSON_GetArraySize(coef) == 3);
  ck_assert_int_eq(cJSON_GetArraySize(pb0), (int)path->n_alphas);
  ck_assert_int_eq(cJSON_GetArraySize(pcoef), (int)path->n_alphas);
  static const char *const names[MN_P] = {"x1", "x2", "x3"};
  for (size_t c = 0; c < K; c++) {
    ck_assert(cJSON_GetArrayItem(b0, (int)c)->valuedouble == path->intercept[sel * K + c]);
    for (size_t j = 0; j < p; j++)
      ck_assert(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(coef, (int)c), names[j])
                    ->valuedouble == path->coef[(sel * K + c) * p + j]);
  }
  for (size_t k = 0; k < path->n_alphas; k++) {
    const cJSON *row = cJSON_GetArrayItem(pb0, (int)k), *point = cJSON_GetArrayItem(pcoef, (int)k);
    ck_assert_int_eq(cJSON_GetArraySize(row), 3);
    ck_assert_int_eq(cJSON_GetArraySize(point), 3);
    for (size_t c = 0; c < K; c++) {
      ck_assert(cJSON_GetArrayItem(row, (int)c)->valuedouble == path->intercept[k * K + c]);
      const cJSON *b = cJSON_GetArrayItem(point, (int)c);
      ck_assert_int_eq(cJSON_GetArraySize(b), 3);
      for (size_t j = 0; j < p; j++)
        ck_assert(cJSON_GetArrayItem(b, (int)j)->valuedouble == path->coef[(k * K + c) * p + j]);
    }
  }
  rp_model *back = read_ok(tu_write_temp("model.json", text));
  assert_mn_models_equal(back, m);
  cJSON_Delete(root);
  free(text);
  rp_model_free(back);
  rp_model_free(m);
}
END_TEST

/* rp_model_coef_json: {"alpha", "l1_ratio", "intercept": [K], "coef":
 * [{feature: b} per class]}. */
START_TEST(multinomial_coef_json_has_one_entry_per_class) {
  rp_model *m = mn_model();
  char *text = rp_model_coef_json(m);
  cJSON *root = cJSON_Parse(text);
  const cJSON *b0 = cJSON_GetObjectItemCaseSensitive(root, "intercept");
  const cJSON *coef = cJSON_GetObjectItemCaseSensitive(root, "coef");
  ck_assert(cJSON_GetObjectItemCaseSensitive(root, "alpha")->valuedouble == m->alpha);
  ck_assert_int_eq(cJSON_GetArraySize(b0), 3);
  ck_assert_int_eq(cJSON_GetArraySize(coef), 3);
  for (int c = 0; c < 3; c++) {
    ck_assert(cJSON_GetArrayItem(b0, c)->valuedouble == m->intercepts[c]);
    ck_assert(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(coef, c), "x2")->valuedouble ==
              m->coef[(size_t)c * MN_P + 1]);
  }
  cJSON_Delete(root);
  free(text);
  rp_model_free(m);
}
END_TEST

/* Between grid points k and k+1 every class's intercept and coefficients
 * are f b_k + (1 - f) b_{k+1}, f = (alpha - a_{k+1}) / (a_k - a_{k+1}),
 * computed here from the run's path; at a grid point, that point's. */
START_TEST(multinomial_at_alpha_interpolates_every_class) {
  const rp_path *path = mn_path();
  size_t K = MN_K, p = MN_P, k = path->n_alphas / 2;
  ck_assert_uint_gt(path->n_alphas, 3);
  double a0 = path->alphas[k], a1 = path->alphas[k + 1], alpha = 0.3 * a0 + 0.7 * a1;
  double f = (alpha - a1) / (a0 - a1);
  rp_error err;
  rp_model *made = mn_model(), *m = read_ok(write_model(made));
  rp_model_free(made);
  ck_assert_int_eq(rp_model_at_alpha(m, alpha, &err), RP_OK);
  ck_assert(m->alpha == alpha);
  for (size_t c = 0; c < K; c++) {
    double want = f * path->intercept[k * K + c] + (1 - f) * path->intercept[(k + 1) * K + c];
    ck_assert_msg(fabs(m->intercepts[c] - want) <= 1e-12 * (1 + fabs(want)), "intercept %zu", c);
    for (size_t j = 0; j < p; j++) {
      want = f * path->coef[(k * K + c) * p + j] + (1 - f) * path->coef[((k + 1) * K + c) * p + j];
      ck_assert_msg(fabs(m->coef[c * p + j] - want) <= 1e-12 * (1 + fabs(want)), "coef %zu %zu", c,
                    j);
    }
  }
  ck_assert_int_eq(rp_model_at_alpha(m, a1, &err), RP_OK);
  for (size_t c = 0; c < K; c++) {
    ck_assert(m->intercepts[c] == path->intercept[(k + 1) * K + c]);
    for (size_t j = 0; j < p; j++)
      ck_assert(m->coef[c * p + j] == path->coef[((k + 1) * K + c) * p + j]);
  }
  rp_model_free(m);
}
END_TEST

/* The K predictors of rp_model_predict_classes give probabilities that sum
 * to 1 and equal softmax(b0_c + x.b_c), computed here from the model's
 * coefficients (read back from model.json) and the table's numbers; the
 * one-predictor functions refuse a multinomial model. */
START_TEST(multinomial_predictions_are_the_softmax_of_the_coefficients) {
  rp_model *made = mn_model();
  rp_model *m = read_ok(write_model(made));
  rp_model_free(made);
  rp_error err;
  rp_table *t;
  size_t n = MN_ROWS, p = MN_P, K = MN_K, n_missing = 99;
  ck_assert_msg(rp_model_read_data(m, g_mn_csv, 0, &t, &err) == RP_OK, "%s", err.message);
  double *eta = malloc(n * K * sizeof *eta), one[MN_ROWS];
  ck_assert_msg(rp_model_predict_classes(m, t, "mn.csv", 0, eta, NULL, &n_missing, &err) == RP_OK,
                "%s", err.message);
  ck_assert_uint_eq(n_missing, 0);
  for (size_t i = 0; i < n; i++) {
    double row[MN_K], prob[MN_K], want[MN_K], sum = 0.0, total = 0.0;
    for (size_t c = 0; c < K; c++) {
      double e = m->intercepts[c];
      for (size_t j = 0; j < p; j++) e += m->coef[c * p + j] * g_mn_x[i][j];
      want[c] = exp(e);
      sum += want[c];
      row[c] = eta[c * n + i];
    }
    rp_multinomial_probabilities(row, K, prob);
    for (size_t c = 0; c < K; c++) {
      ck_assert_msg(fabs(prob[c] - want[c] / sum) <= 1e-12, "row %zu class %zu: %.17g, want %.17g",
                    i, c, prob[c], want[c] / sum);
      total += prob[c];
    }
    ck_assert_msg(fabs(total - 1.0) <= 1e-12, "row %zu sums to %.17g", i, total);
  }
  ck_assert_int_eq(rp_model_predict_rows(m, t, "mn.csv", 0, one, NULL, NULL, &err), RP_EINVAL);
  ck_assert_int_eq(rp_model_predict(m, t, "mn.csv", one, &err), RP_EINVAL);
  free(eta);
  rp_table_free(t);
  rp_model_free(m);
}
END_TEST

/* One change to a valid multinomial model.json: at the dotted path (a
 * number steps into an array), set the last step to the JSON `value`
 * (NULL = delete it). */
static const struct {
  const char *at, *value, *needle;
} MN_BAD[] = {
    {"intercept", "0.5", "intercept: expected an array of one number per class"},
    {"intercept", "[1, 2]", "intercept: expected an array of one number per class"},
    {"intercept", "[1, 2, \"3\"]", "intercept: expected finite numbers"},
    {"intercept", NULL, "intercept: missing"},
    {"coef", "{\"x1\": 1, \"x2\": 2, \"x3\": 3}",
     "coef: expected an array of one object {feature name: number} per class"},
    {"coef.2", NULL, "coef: expected an array of one object {feature name: number} per class"},
    {"coef.1", "[1, 2, 3]", "coef[1]: expected an object {feature name: number}"},
    {"coef.1.x2", NULL, "coef[1]: no value for feature \"x2\""},
    {"coef.2.x4", "1", "coef[2]: not in feature_names: \"x4\""},
    {"classes", "[\"a\", \"b\"]", "classes: expected three or more distinct numbers or labels"},
    {"path.intercept.0", "[1, 2]",
     "path.intercept: expected an array per path point of one number per class"},
    {"path.intercept.0", "3", "path.intercept: expected an array per path point of one number"},
    {"path.intercept.1.2", "null", "path.intercept: expected finite numbers"},
    {"path.intercept.0", NULL, "path.intercept: expected an array per path point"},
    {"path.coef.0", "[1, 2, 3]",
     "path.coef: expected an array per path point of one row of "
     "coefficients per class"},
    {"path.coef.0.1", NULL,
     "path.coef: expected an array per path point of one row of "
     "coefficients per class"},
    {"path.coef.3.0", "[1, 2]", "path.coef: expected an array per path point of one row"},
    {"path.coef.1", NULL, "path.coef: expected one row of coefficients per path point"},
};

/* The item at `step` of obj (an index in an array). */
static cJSON *mn_step(cJSON *obj, const char *step) {
  return cJSON_IsArray(obj) ? cJSON_GetArrayItem(obj, atoi(step))
                            : cJSON_GetObjectItemCaseSensitive(obj, step);
}

START_TEST(multinomial_bad_shapes_are_rejected_naming_the_key) {
  rp_model *m = mn_model();
  char *text = rp_model_to_json(m), buf[64], *save = NULL;
  cJSON *root = cJSON_Parse(text), *obj = root;
  snprintf(buf, sizeof buf, "%s", MN_BAD[_i].at);
  char *step = strtok_r(buf, ".", &save), *next;
  for (; (next = strtok_r(NULL, ".", &save)); step = next) obj = mn_step(obj, step);
  ck_assert_ptr_nonnull(obj);
  cJSON *value = MN_BAD[_i].value ? cJSON_Parse(MN_BAD[_i].value) : NULL;
  ck_assert(!MN_BAD[_i].value || value);
  if (cJSON_IsArray(obj) && value)
    cJSON_ReplaceItemInArray(obj, atoi(step), value);
  else if (cJSON_IsArray(obj))
    cJSON_DeleteItemFromArray(obj, atoi(step));
  else {
    cJSON_DeleteItemFromObjectCaseSensitive(obj, step);
    if (value) cJSON_AddItemToObject(obj, step, value);
  }
  char *bad = cJSON_Print(root);
  const char *path = tu_write_temp("model.json", bad);
  rp_model *got = (rp_model *)&got;
  rp_error err;
  ck_assert_int_eq(rp_model_read(path, &got, &err), RP_EDATA);
  ck_assert_ptr_null(got);
  ck_assert_msg(strstr(err.message, MN_BAD[_i].needle), "%s: \"%s\" lacks \"%s\"", MN_BAD[_i].at,
                err.message, MN_BAD[_i].needle);
  free(bad);
  cJSON_Delete(root);
  free(text);
  rp_model_free(m);
}
END_TEST

static Suite *model_suite(void) {
  Suite *s = suite_create("model");
  TCase *tc = tcase_create("model");
  tcase_add_unchecked_fixture(tc, setup, teardown);
  tcase_add_test(tc, model_from_run_is_the_selected_point_of_the_path);
  tcase_add_test(tc, from_run_rejects_missing_arguments_and_free_null_is_harmless);
  tcase_add_test(tc, json_has_the_documented_keys);
  tcase_add_test(tc, json_round_trips_every_field_exactly);
  tcase_add_test(tc, awkward_numbers_round_trip_exactly);
  tcase_add_test(tc, read_reports_a_missing_file_as_io_error);
  tcase_add_loop_test(tc, malformed_text_is_a_data_error, 0,
                      (int)(sizeof BAD_TEXT / sizeof BAD_TEXT[0]));
  tcase_add_loop_test(tc, malformed_fields_are_data_errors_naming_the_field, 0,
                      (int)(sizeof BAD_FIELD / sizeof BAD_FIELD[0]));
  tcase_add_test(tc, duplicate_coef_entries_are_rejected);
  tcase_add_test(tc, unknown_keys_are_ignored_and_regpath_version_is_optional);
  tcase_add_test(tc, max_line_bytes_is_kept_and_defaults_when_absent);
  tcase_add_test(tc, data_format_is_kept_and_defaults_to_csv);
  tcase_add_test(tc, predict_on_the_training_data_reproduces_the_fitted_values);
  tcase_add_test(tc, predict_on_svmlight_data_equals_predict_on_the_table);
  tcase_add_test(tc, predict_svmlight_file_in_windows_equals_the_whole_file);
  tcase_add_test(tc, predict_matches_columns_by_name_in_any_order_and_ignores_extras);
  tcase_add_test(tc, predict_names_a_missing_feature);
  tcase_add_test(tc, predict_does_not_need_the_target_column);
  tcase_add_test(tc, predict_file_in_windows_equals_predict_on_the_table);
  tcase_add_test(tc, predict_file_errors_name_the_files_own_line);
  tcase_add_test(tc, names_that_are_not_text_are_valid_utf8_and_still_find_their_columns);
  suite_add_tcase(s, tc);
  TCase *mn = tcase_create("multinomial");
  tcase_add_unchecked_fixture(mn, mn_setup, mn_teardown);
  tcase_add_test(mn, multinomial_model_json_has_the_decided_shapes_and_round_trips);
  tcase_add_test(mn, multinomial_coef_json_has_one_entry_per_class);
  tcase_add_test(mn, multinomial_at_alpha_interpolates_every_class);
  tcase_add_test(mn, multinomial_predictions_are_the_softmax_of_the_coefficients);
  tcase_add_loop_test(mn, multinomial_bad_shapes_are_rejected_naming_the_key, 0,
                      (int)(sizeof MN_BAD / sizeof MN_BAD[0]));
  suite_add_tcase(s, mn);
  return s;
}

int main(void) { return tu_run(model_suite()); }
