/* run.c: a whole job: data from the config, a path and CV per l1_ratio,
 * then the selection rule. */
#define _POSIX_C_SOURCE 200809L
#include "regpath/run.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>

#include "regpath/table.h"
#include "clock.h"
#include "memory.h"
#include "text.h"

static rp_status add_warning(rp_run_result *res, rp_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static rp_status add_warning(rp_run_result *res, rp_error *err, const char *fmt, ...) {
  char buf[RP_ERROR_MESSAGE_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  char **grown = realloc(res->warnings, (res->n_warnings + 1) * sizeof *grown);
  if (!grown) return rp_error_set(err, RP_ENOMEM, "out of memory");
  res->warnings = grown;
  if (!(res->warnings[res->n_warnings] = strdup(buf))) return rp_error_set(err, RP_ENOMEM, "out of memory");
  res->n_warnings++;
  return RP_OK;
}

/* ------------------------------------------------------------ the data */

static rp_status find_column(const rp_table *t, const char *name, const char *key,
                             const char *file, long *col, rp_error *err) {
  *col = rp_table_find(t, name);
  if (*col < 0) return rp_error_set(err, RP_ECONFIG, "%s: no column \"%s\" in %s", key, name, file);
  return RP_OK;
}

/* The column R's write.csv writes over its row names has the empty name (the
 * only column that may): it identifies rows, so it is never a feature, and
 * its cells (often text) are read past. */
static const char *const row_names_column[] = {""};
static const rp_column_type row_names_type[] = {RP_COLUMN_SKIP};

static rp_csv_options csv_options(const rp_config *cfg) {
  return (rp_csv_options){.max_line = cfg->max_line, .type_names = row_names_column,
                          .types = row_names_type, .n_types = 1};
}

/* The feature columns: data.features, or every column but target, folds and
 * row names. */
static rp_status choose_features(const rp_config *cfg, const rp_table *t, long target,
                                 long fold_col, long *cols, size_t *p, rp_error *err) {
  *p = 0;
  if (cfg->features) {
    for (size_t k = 0; k < cfg->n_features; k++) {
      rp_status st = find_column(t, cfg->features[k], "data.features", cfg->train, &cols[k], err);
      if (st != RP_OK) return st;
      if (t->names[cols[k]][0] == '\0')
        return rp_error_set(err, RP_ECONFIG, "data.features: the column named \"\" holds row "
                            "names, not a feature: leave it out");
      if (cols[k] == target || cols[k] == fold_col)
        return rp_error_set(err, RP_ECONFIG, "data.features: \"%s\" is the %s column",
                            cfg->features[k], cols[k] == target ? "target" : "fold id");
    }
    *p = cfg->n_features;
  } else {
    for (size_t j = 0; j < t->n_cols; j++)
      if ((long)j != target && (long)j != fold_col && t->names[j][0]) cols[(*p)++] = (long)j;
  }
  if (*p == 0) return rp_error_set(err, RP_ECONFIG, "data.features: no feature columns left in %s", cfg->train);
  return RP_OK;
}

/* Rows `rows` (n of them; NULL = all) of the feature columns `cols` (p) and
 * of the target: X column-major n x p, and y. */
static rp_status gather(const rp_table *t, const long *cols, size_t p, long target,
                        const size_t *rows, size_t n, double **X, double **y, rp_error *err) {
  *X = malloc(n * p * sizeof **X);
  *y = malloc(n * sizeof **y);
  if (!*X || !*y) return rp_error_set(err, RP_ENOMEM, "out of memory for %zu x %zu data", n, p);
  for (size_t j = 0; j <= p; j++) {
    const double *src = rp_table_column(t, (size_t)(j < p ? cols[j] : target));
    double *dst = j < p ? *X + j * n : *y;
    for (size_t i = 0; i < n; i++) dst[i] = src[rows ? rows[i] : i];
  }
  return RP_OK;
}

static rp_status copy_names(rp_run_result *res, const rp_table *t, const long *cols, long target,
                            rp_error *err) {
  res->feature_names = calloc(res->n_features, sizeof *res->feature_names);
  res->target = strdup(t->names[target]);
  if (!res->feature_names || !res->target) return rp_error_set(err, RP_ENOMEM, "out of memory");
  for (size_t j = 0; j < res->n_features; j++)
    if (!(res->feature_names[j] = strdup(t->names[cols[j]])))
      return rp_error_set(err, RP_ENOMEM, "out of memory");
  return RP_OK;
}

static int compare_sizes(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  return (x > y) - (x < y);
}

/* data.test_fraction: hold out ceil(fraction * n) rows chosen by a shuffle
 * seeded with data.test_seed (as scikit-learn's train_test_split); both parts
 * keep the file's row order.  Without it every row trains. */
static rp_status split_rows(const rp_config *cfg, size_t n, size_t *train, size_t *n_train,
                            size_t *test, size_t *n_test, rp_error *err) {
  for (size_t i = 0; i < n; i++) train[i] = i;
  *n_train = n;
  *n_test = 0;
  if (!(cfg->test_fraction > 0.0)) return RP_OK;
  size_t k = (size_t)ceil(cfg->test_fraction * (double)n);
  if (k < 1 || n - k < 2)
    return rp_error_set(err, RP_ECONFIG, "data.test_fraction: %g of %zu rows leaves %zu to train on",
                        cfg->test_fraction, n, n - k);
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  if (!rng) return rp_error_set(err, RP_ENOMEM, "out of memory");
  gsl_rng_set(rng, cfg->test_seed);
  gsl_ran_shuffle(rng, train, n, sizeof *train);
  gsl_rng_free(rng);
  memcpy(test, train, k * sizeof *test);
  memmove(train, train + k, (n - k) * sizeof *train);
  qsort(test, k, sizeof *test, compare_sizes);
  qsort(train, n - k, sizeof *train, compare_sizes);
  *n_test = k;
  *n_train = n - k;
  return RP_OK;
}

/* Fold ids of the training rows: cv.fold_ids (array, or column read at
 * `rows`), else seeded random folds. */
static rp_status assign_folds(rp_run_result *res, const rp_config *cfg, const rp_table *t,
                              long fold_col, const size_t *rows, rp_error *err) {
  size_t n = res->n_samples;
  if (!(res->fold_ids = malloc(n * sizeof *res->fold_ids))) return rp_error_set(err, RP_ENOMEM, "out of memory");
  res->folds_given = cfg->fold_ids || fold_col >= 0;
  if (cfg->fold_ids && cfg->n_fold_ids != n)
    return rp_error_set(err, RP_ECONFIG, "cv.fold_ids: expected %zu fold ids (one per training row), got %zu",
                        n, cfg->n_fold_ids);
  for (size_t i = 0; fold_col >= 0 && i < n; i++) {
    double v = rp_table_column(t, (size_t)fold_col)[rows[i]];
    if (!(v >= 1.0 && v <= 1e6 && v == (double)(int)v))
      return rp_error_set_at(err, RP_EDATA, cfg->train, (long)rows[i] + 2, 0,
                             "fold id %g in column \"%s\" is not an integer >= 1", v, cfg->fold_column);
    res->fold_ids[i] = (int)v;
  }
  if (cfg->fold_ids) memcpy(res->fold_ids, cfg->fold_ids, n * sizeof *res->fold_ids);
  return RP_OK;
}

/* Seeded random folds, stratified by class when asked (after the target is
 * checked), unless the config gave them; then the ids are checked. */
static rp_status finish_folds(rp_run_result *res, const rp_config *cfg, rp_error *err) {
  size_t n = res->n_samples;
  if (!res->folds_given) {
    if (cfg->folds > n)
      return rp_error_set(err, RP_ECONFIG, "cv.folds: %zu folds but only %zu training rows in %s",
                          cfg->folds, n, cfg->train);
    if (cfg->stratified)
      rp_cv_make_stratified_folds(res->y, n, cfg->folds, cfg->seed, res->fold_ids, err);
    else
      rp_cv_make_folds(n, cfg->folds, cfg->seed, res->fold_ids, err);
  }
  rp_error fold_err;
  if (rp_cv_check_folds(res->fold_ids, n, &res->n_folds, &fold_err) != RP_OK)
    return rp_error_set(err, RP_ECONFIG, "cv.fold_ids: %s", fold_err.message);
  return RP_OK;
}

/* data.test: the same features and target, found by name in another file. */
static rp_status load_test_file(rp_run_result *res, const rp_config *cfg, rp_error *err) {
  rp_table *t;
  rp_csv_options csv = csv_options(cfg);
  rp_status st = rp_table_read_csv(cfg->test, &csv, &t, err);
  if (st != RP_OK) return st;
  size_t p = res->n_features;
  long *cols = malloc((p + 1) * sizeof *cols);
  if (!cols) st = rp_error_set(err, RP_ENOMEM, "out of memory");
  for (size_t j = 0; st == RP_OK && j <= p; j++) {
    const char *name = j < p ? res->feature_names[j] : res->target;
    if ((cols[j] = rp_table_find(t, name)) < 0)
      st = rp_error_set_at(err, RP_EDATA, cfg->test, 1, 0, "no column \"%s\" (the %s of the training data)",
                           name, j < p ? "a feature" : "target");
  }
  res->n_test = t->n_rows;
  if (st == RP_OK) st = gather(t, cols, p, cols[p], NULL, t->n_rows, &res->X_test, &res->y_test, err);
  free(cols);
  rp_table_free(t);
  return st;
}

/* Train (and test) rows of the mapped columns, names, and folds. */
/* When every row trains and the features keep the file's column order, the
 * table's own column-major buffer becomes X: the feature columns move to the
 * front and the rest is released, so the data are held once, not twice.
 * Returns 0 (nothing done) when that does not apply. */
static int take_columns_in_place(rp_run_result *res, rp_table *t, const long *cols, long target) {
  size_t n = t->n_rows, p = res->n_features;
  for (size_t j = 1; j < p; j++)
    if (cols[j] <= cols[j - 1]) return 0;
  if (res->n_test || !(res->y = malloc(n * sizeof *res->y))) return 0;
  memcpy(res->y, rp_table_column(t, (size_t)target), n * sizeof *res->y);
  for (size_t j = 0; j < p; j++) /* cols[j] >= j: each move reads a column not yet written */
    if ((size_t)cols[j] != j) memmove(t->values + j * n, t->values + (size_t)cols[j] * n, n * sizeof *t->values);
  double *shrunk = realloc(t->values, n * p * sizeof *t->values);
  res->X = shrunk ? shrunk : t->values;
  t->values = NULL;
  return 1;
}

static rp_status take_rows(rp_run_result *res, const rp_config *cfg, rp_table *t,
                           const long *cols, long target, long fold_col, rp_error *err) {
  size_t n = t->n_rows, *train = malloc(n * sizeof *train), *test = malloc(n * sizeof *test);
  rp_status st = train && test ? RP_OK : rp_error_set(err, RP_ENOMEM, "out of memory");
  if (st == RP_OK) st = split_rows(cfg, n, train, &res->n_samples, test, &res->n_test, err);
  if (st == RP_OK) st = copy_names(res, t, cols, target, err);
  if (st == RP_OK) st = assign_folds(res, cfg, t, fold_col, train, err); /* before X takes the table */
  if (st == RP_OK && !take_columns_in_place(res, t, cols, target))
    st = gather(t, cols, res->n_features, target, train, res->n_samples, &res->X, &res->y, err);
  if (st == RP_OK && res->n_test)
    st = gather(t, cols, res->n_features, target, test, res->n_test, &res->X_test, &res->y_test, err);
  free(train);
  free(test);
  return st;
}

static rp_status load_data(rp_run_result *res, const rp_config *cfg, rp_error *err) {
  rp_table *t;
  rp_csv_options csv = csv_options(cfg);
  rp_status st = rp_table_read_csv(cfg->train, &csv, &t, err);
  if (st != RP_OK) return st;
  long target = (long)t->n_cols - 1, fold_col = -1;
  long *cols = malloc(t->n_cols * sizeof *cols);
  if (!cols) st = rp_error_set(err, RP_ENOMEM, "out of memory");
  if (st == RP_OK && cfg->target) st = find_column(t, cfg->target, "data.target", cfg->train, &target, err);
  if (st == RP_OK && cfg->fold_column)
    st = find_column(t, cfg->fold_column, "cv.fold_ids", cfg->train, &fold_col, err);
  if (st == RP_OK && fold_col == target)
    st = rp_error_set(err, RP_ECONFIG, "cv.fold_ids: \"%s\" is the target column", cfg->fold_column);
  if (st == RP_OK) st = choose_features(cfg, t, target, fold_col, cols, &res->n_features, err);
  if (st == RP_OK) st = take_rows(res, cfg, t, cols, target, fold_col, err);
  free(cols);
  rp_table_free(t);
  if (st == RP_OK && cfg->test) st = load_test_file(res, cfg, err);
  return st;
}

/* ------------------------------------------------------------ the target */

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, z = *(const double *)b;
  return (x > z) - (x < z);
}

/* The distinct values of y (n values), sorted, into `values` (room for
 * `max` + 1); returns how many, counting at most max + 1. */
static size_t distinct_values(const double *y, size_t n, double *values, size_t max) {
  size_t m = 0;
  for (size_t i = 0; i < n && m <= max; i++) {
    size_t k = 0;
    while (k < m && values[k] != y[i]) k++;
    if (k == m) values[m++] = y[i];
  }
  qsort(values, m, sizeof *values, by_value);
  return m;
}

/* y -> 0 for the first class value, 1 for the second; a test value in
 * neither is an error naming it. */
static rp_status map_classes(const rp_run_result *res, double *y, size_t n, const char *file,
                             rp_error *err) {
  size_t i = rp_binomial_labels(res->class_values, y, n, y);
  if (i == n) return RP_OK;
  return rp_error_set(err, RP_EDATA, "%s: target \"%s\": value %g (row %zu) is neither class of "
                      "the training data (%g, %g)", file, res->target, y[i], i + 1,
                      res->class_values[0], res->class_values[1]);
}

/* Poisson counts must not be negative (`rows` names the part: training or test). */
static rp_status check_counts(const rp_run_result *res, const double *y, size_t n, const char *file,
                              const char *rows, rp_error *err) {
  for (size_t i = 0; i < n; i++)
    if (y[i] < 0.0)
      return rp_error_set(err, RP_EDATA, "%s: target \"%s\": value %g (%s row %zu) is negative; "
                          "model.family \"poisson\" needs counts >= 0", file, res->target, y[i],
                          rows, i + 1);
  return RP_OK;
}

/* binomial: exactly two values, mapped in sorted order to 0 and 1 (and
 * reported); poisson: counts >= 0 (non-integer values are allowed, as in
 * glmnet: the deviance is defined for them). */
static rp_status check_target(rp_run_result *res, const rp_config *cfg, rp_error *err) {
  const char *test_file = cfg->test ? cfg->test : cfg->train;
  if (cfg->family == RP_FAMILY_POISSON) {
    rp_status st = check_counts(res, res->y, res->n_samples, cfg->train, "training", err);
    return st == RP_OK ? check_counts(res, res->y_test, res->n_test, test_file, "test", err) : st;
  }
  if (cfg->family != RP_FAMILY_BINOMIAL) return RP_OK;
  double v[3];
  size_t m = distinct_values(res->y, res->n_samples, v, 2);
  if (m != 2)
    return rp_error_set(err, RP_EDATA, m < 2 ? "%s: target \"%s\" has one value (%g) only; "
                        "model.family \"binomial\" needs two classes"
                        : "%s: target \"%s\" has more than two values (%g, %g, %g, ...); "
                        "model.family \"binomial\" needs two classes", cfg->train, res->target,
                        v[0], m > 1 ? v[1] : 0.0, m > 2 ? v[2] : 0.0);
  res->class_values[0] = v[0];
  res->class_values[1] = v[1];
  rp_status st = map_classes(res, res->y, res->n_samples, cfg->train, err);
  if (st == RP_OK) st = map_classes(res, res->y_test, res->n_test, test_file, err);
  return st;
}

/* Every fold must leave both classes in its training rows, and stratified
 * folds need each class in every fold. */
static rp_status check_classes_per_fold(const rp_run_result *res, const rp_config *cfg,
                                        rp_error *err) {
  if (cfg->family != RP_FAMILY_BINOMIAL) return RP_OK;
  size_t ones = 0;
  for (size_t i = 0; i < res->n_samples; i++) ones += res->y[i] != 0.0;
  size_t counts[2] = {res->n_samples - ones, ones};
  for (int c = 0; c < 2; c++)
    if (counts[c] < res->n_folds)
      return rp_error_set(err, RP_EDATA, "%s: target \"%s\": class %g has %zu rows, fewer than "
                          "the %zu folds (cv.folds): every fold needs both classes",
                          cfg->train, res->target, res->class_values[c], counts[c], res->n_folds);
  return RP_OK;
}

/* ------------------------------------------------------------ the fits */

/* model.penalty_factor by name -> one factor per feature (default 1). */
static rp_status penalty_factors(const rp_config *cfg, const rp_run_result *res, double *pf,
                                 rp_error *err) {
  for (size_t j = 0; j < res->n_features; j++) pf[j] = 1.0;
  for (size_t k = 0; k < cfg->n_pf; k++) {
    size_t j = 0;
    while (j < res->n_features && rp_text_compare(res->feature_names[j], cfg->pf_names[k]) != 0)
      j++;
    if (j == res->n_features)
      return rp_error_set(err, RP_ECONFIG, "model.penalty_factor: \"%s\" is not a feature", cfg->pf_names[k]);
    pf[j] = cfg->pf_values[k];
  }
  return RP_OK;
}

typedef struct {
  rp_progress_fn fn;
  void *ctx;
  size_t offset, n_fits; /* this fit's first number, and the job's total */
} job_progress;

static void forward_progress(void *ctx, size_t fit, size_t n_fits, size_t alpha, size_t n_alphas) {
  (void)n_fits;
  const job_progress *jp = ctx;
  jp->fn(jp->ctx, jp->offset + fit, jp->n_fits, alpha, n_alphas);
}

/* path.alpha_units "sklearn": scikit-learn's Ridge minimizes ||y - Xb||^2 +
 * a ||b||^2, which is regpath's objective at alpha = a / n; its Lasso and
 * ElasticNet use regpath's alpha already.  `scaled` has n_explicit slots. */
static const double *explicit_grid(const rp_config *cfg, double l1_ratio, size_t n, double *scaled) {
  if (!cfg->alphas || !cfg->alphas_sklearn || l1_ratio != 0.0) return cfg->alphas;
  for (size_t k = 0; k < cfg->n_explicit; k++) scaled[k] = cfg->alphas[k] / (double)n;
  return scaled;
}

static rp_status fit_one(rp_run_result *res, const rp_config *cfg, size_t f, const double *pf,
                         double *scaled, job_progress *jp, rp_error *err) {
  rp_fit_options opt;
  rp_config_fit_options(cfg, f, &opt);
  opt.alphas = explicit_grid(cfg, opt.l1_ratio, res->n_samples, scaled);
  opt.penalty_factor = pf;
  opt.feature_names = (const char *const *)res->feature_names;
  opt.target_name = res->target;
  if (jp->fn) {
    opt.progress = forward_progress;
    opt.progress_ctx = jp;
  }
  rp_matrix X = {res->n_samples, res->n_features, res->n_samples, res->X};
  jp->offset = f * (res->n_folds + 1);
  rp_status st = rp_path_cv_fit(&X, res->y, &opt, res->fold_ids, cfg->metric, &res->paths[f],
                                &res->cvs[f], err);
  if (st == RP_OK) {
    res->path_s += res->cvs[f]->path_seconds;
    res->cv_s += res->cvs[f]->cv_seconds;
  }
  return st;
}

/* A fit's data or numeric problem is about the training file: name it. */
static void name_training_file(rp_error *err, rp_status st, const rp_config *cfg) {
  if (err && (st == RP_EDATA || st == RP_ENUMERIC) && !err->file[0])
    snprintf(err->file, sizeof err->file, "%s", cfg->train);
}

static rp_status warn_about_fit(rp_run_result *res, size_t f, rp_error *err) {
  const rp_path *path = res->paths[f];
  size_t missed = 0;
  rp_status st = RP_OK;
  for (size_t k = 0; k < path->n_alphas; k++) missed += !path->converged[k];
  if (missed)
    st = add_warning(res, err, "l1_ratio %g: %zu of %zu alphas reached path.max_iter without converging",
                     path->l1_ratio, missed, path->n_alphas);
  if (st == RP_OK && res->cvs[f]->n_nonconverged)
    st = add_warning(res, err, "l1_ratio %g: %zu of %zu CV fold points reached path.max_iter without converging",
                     path->l1_ratio, res->cvs[f]->n_nonconverged, res->cvs[f]->n_folds * res->cvs[f]->n_alphas);
  return st;
}

static rp_status warn_constant_columns(rp_run_result *res, rp_error *err) {
  rp_status st = RP_OK;
  for (size_t j = 0; st == RP_OK && j < res->n_features; j++)
    if (res->paths[0]->constant[j])
      st = add_warning(res, err, "column \"%s\" is constant: left out (coefficient 0)", res->feature_names[j]);
  return st;
}

/* What every fit keeps until the run ends (its path's coefficients and
 * the CV's nonzero counts, 16 bytes a coefficient) and what writing them as
 * text takes (report.json holds each coefficient as about 25 characters,
 * twice while cJSON prints it, and path.dat once more) must fit before the
 * first fit starts, not after the last. */
static rp_status room_for_results(const rp_run_result *res, const rp_config *cfg, rp_error *err) {
  double points = (double)cfg->n_l1_ratios * (double)(cfg->alphas ? cfg->n_explicit : cfg->n_alphas);
  char what[96];
  snprintf(what, sizeof what, "the results of %zu fit%s of %zu features", cfg->n_l1_ratios,
           cfg->n_l1_ratios == 1 ? "" : "s", res->n_features);
  return rp_memory_check(points * (double)res->n_features * (16.0 + 3 * 25.0), what, err);
}

static rp_status fit_all(rp_run_result *res, const rp_config *cfg, rp_progress_fn progress,
                         void *progress_ctx, rp_error *err) {
  res->n_fits = cfg->n_l1_ratios;
  res->paths = calloc(res->n_fits, sizeof *res->paths);
  res->cvs = calloc(res->n_fits, sizeof *res->cvs);
  double *pf = malloc(res->n_features * sizeof *pf);
  double *scaled = malloc((cfg->n_explicit + 1) * sizeof *scaled);
  rp_status st = RP_OK;
  if (!res->paths || !res->cvs || !pf || !scaled) st = rp_error_set(err, RP_ENOMEM, "out of memory");
  if (st == RP_OK) st = penalty_factors(cfg, res, pf, err);
  job_progress jp = {progress, progress_ctx, 0, res->n_fits * (res->n_folds + 1)};
  for (size_t f = 0; st == RP_OK && f < res->n_fits; f++) {
    st = fit_one(res, cfg, f, pf, scaled, &jp, err);
    name_training_file(err, st, cfg);
    if (st == RP_OK) st = warn_about_fit(res, f, err);
  }
  if (st == RP_OK) st = warn_constant_columns(res, err);
  free(pf);
  free(scaled);
  return st;
}

/* Scores on the test rows at every alpha of every fit. */
static rp_status score_test_set(rp_run_result *res, rp_error *err) {
  if (!res->n_test) return RP_OK;
  rp_matrix X = {res->n_test, res->n_features, res->n_test, res->X_test};
  double *yhat = malloc(res->n_test * sizeof *yhat);
  rp_scored *work = malloc(res->n_test * sizeof *work);
  res->test_scores = calloc(res->n_fits, sizeof *res->test_scores);
  if (!yhat || !work || !res->test_scores) {
    free(yhat);
    free(work);
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  }
  rp_status st = RP_OK;
  for (size_t f = 0; st == RP_OK && f < res->n_fits; f++) {
    const rp_path *path = res->paths[f];
    if (!(res->test_scores[f] = malloc(path->n_alphas * sizeof **res->test_scores))) {
      st = rp_error_set(err, RP_ENOMEM, "out of memory");
      break;
    }
    for (size_t k = 0; k < path->n_alphas; k++) {
      rp_path_predict(path, k, &X, NULL, res->n_test, yhat);
      res->test_scores[f][k] = rp_test_scores(path->family, res->y_test, yhat, res->n_test, work);
    }
  }
  free(yhat);
  free(work);
  return st;
}

/* ------------------------------------------------------------ selection */

/* Is candidate (f, a) preferred to the incumbent (bf, ba) under the 1se rule's
 * order: fewer nonzeros, then larger alpha, then larger l1_ratio? */
static int sparser(const rp_path *const *paths, size_t f, size_t a, size_t bf, size_t ba) {
  size_t df = paths[f]->df[a], bdf = paths[bf]->df[ba];
  if (df != bdf) return df < bdf;
  double alpha = paths[f]->alphas[a], balpha = paths[bf]->alphas[ba];
  if (alpha != balpha) return alpha > balpha;
  return paths[f]->l1_ratio > paths[bf]->l1_ratio;
}

void rp_run_select(const rp_path *const *paths, const rp_cv *const *cvs, size_t n_fits,
                   rp_rule rule, size_t *fit, size_t *index) {
  size_t bf = 0, ba = cvs[0]->index_min;
  for (size_t f = 1; f < n_fits; f++)
    if (rp_cv_loss(cvs[f], cvs[f]->index_min) < rp_cv_loss(cvs[bf], ba)) bf = f, ba = cvs[f]->index_min;
  if (rule == RP_RULE_1SE && n_fits == 1) ba = cvs[0]->index_1se;
  if (rule == RP_RULE_1SE && n_fits > 1) {
    double bound = rp_cv_loss(cvs[bf], ba) + cvs[bf]->std_error[ba];
    for (size_t f = 0; f < n_fits; f++)
      for (size_t a = 0; a < cvs[f]->n_alphas; a++)
        if (rp_cv_loss(cvs[f], a) <= bound && sparser(paths, f, a, bf, ba)) bf = f, ba = a;
  }
  *fit = bf;
  *index = ba;
}

int rp_run_converged(const rp_run_result *res) {
  for (size_t f = 0; f < res->n_fits; f++) {
    if (res->cvs[f]->n_nonconverged) return 0;
    for (size_t k = 0; k < res->paths[f]->n_alphas; k++)
      if (!res->paths[f]->converged[k]) return 0;
  }
  return 1;
}

size_t rp_run_rule_index(const rp_run_result *res, size_t f) {
  return res->rule == RP_RULE_MIN ? res->cvs[f]->index_min : res->cvs[f]->index_1se;
}

/* The best CV loss of fit f (smaller is better, also for auc). */
static double min_loss(const rp_run_result *res, size_t f) {
  return rp_cv_loss(res->cvs[f], res->cvs[f]->index_min);
}

size_t rp_run_runner_up(const rp_run_result *res) {
  size_t best = res->n_fits;
  for (size_t f = 0; f < res->n_fits; f++)
    if (f != res->selected_fit && (best == res->n_fits || min_loss(res, f) < min_loss(res, best)))
      best = f;
  return best;
}

double rp_run_margin_se(const rp_run_result *res) {
  size_t r = rp_run_runner_up(res), w = res->selected_fit;
  if (r == res->n_fits) return 0.0;
  double se = res->cvs[w]->std_error[res->cvs[w]->index_min];
  return se > 0.0 ? (min_loss(res, r) - min_loss(res, w)) / se : 0.0;
}

const char *rp_penalty_name(double l1_ratio) {
  if (l1_ratio == 1.0) return "lasso";
  if (l1_ratio == 0.0) return "ridge";
  return "elastic net";
}

size_t rp_path_entry_index(const rp_path *path, size_t j) {
  for (size_t k = 0; k < path->n_alphas; k++)
    if (path->coef[k * path->p + j] != 0.0) return k;
  return path->n_alphas;
}

void rp_fit_label(double l1_ratio, char *buf, size_t size) {
  if (l1_ratio == 1.0 || l1_ratio == 0.0)
    snprintf(buf, size, "%s", rp_penalty_name(l1_ratio));
  else
    snprintf(buf, size, "elastic net (l1_ratio %g)", l1_ratio);
}

void rp_run_explain(const rp_run_result *res, rp_metric metric, char *buf, size_t size) {
  const char *m = rp_metric_name(metric);
  size_t w = res->selected_fit, k = res->selected_index, r = rp_run_runner_up(res), p = res->n_features;
  const rp_path *wp = res->paths[w];
  char winner[64], runner[64];
  rp_fit_label(wp->l1_ratio, winner, sizeof winner);
  int n = snprintf(buf, size, "%s selected: CV %s %.5g ± %.3g with %zu of %zu features", winner, m,
                   res->cvs[w]->mean[k], res->cvs[w]->std_error[k], wp->df[k], p);
  if (n < 0 || (size_t)n >= size) return;
  if (r == res->n_fits) {
    snprintf(buf + n, size - (size_t)n, " (rule %s).", res->rule == RP_RULE_MIN ? "min" : "1se");
    return;
  }
  size_t ri = res->cvs[r]->index_min, rdf = res->paths[r]->df[ri];
  char uses[32];
  if (rdf == p) snprintf(uses, sizeof uses, "all %zu", p);
  else snprintf(uses, sizeof uses, "%zu", rdf);
  /* The reason compares the two numbers the sentence shows. */
  const char *why = rp_cv_loss(res->cvs[w], k) <= rp_cv_loss(res->cvs[r], ri)
                        ? "the lower CV error wins"
                        : "within one standard error of the best, the sparser model wins";
  rp_fit_label(res->paths[r]->l1_ratio, runner, sizeof runner);
  snprintf(buf + n, size - (size_t)n, "; %s %.5g ± %.3g uses %s; %s.", runner, res->cvs[r]->mean[ri],
           res->cvs[r]->std_error[ri], uses, why);
}

rp_status rp_run(const rp_config *cfg, rp_progress_fn progress, void *progress_ctx,
                 rp_run_result **out, rp_error *err) {
  *out = NULL;
  double t0 = rp_now_seconds();
  rp_run_result *res = calloc(1, sizeof *res);
  if (!res) return rp_error_set(err, RP_ENOMEM, "out of memory");
  rp_status st = load_data(res, cfg, err);
  if (st == RP_OK) st = check_target(res, cfg, err);
  if (st == RP_OK) st = finish_folds(res, cfg, err);
  if (st == RP_OK) st = check_classes_per_fold(res, cfg, err);
  if (st == RP_OK) st = room_for_results(res, cfg, err);
  res->load_s = rp_now_seconds() - t0;
  if (st == RP_OK) st = fit_all(res, cfg, progress, progress_ctx, err);
  if (st == RP_OK) st = score_test_set(res, err);
  if (st != RP_OK) {
    rp_run_free(res);
    return st;
  }
  res->rule = cfg->rule;
  res->metric = cfg->metric;
  res->family = cfg->family;
  rp_run_select((const rp_path *const *)res->paths, (const rp_cv *const *)res->cvs, res->n_fits,
                res->rule, &res->selected_fit, &res->selected_index);
  res->total_s = rp_now_seconds() - t0;
  *out = res;
  return RP_OK;
}

void rp_run_free(rp_run_result *res) {
  if (!res) return;
  for (size_t j = 0; res->feature_names && j < res->n_features; j++) free(res->feature_names[j]);
  free(res->feature_names);
  free(res->target);
  free(res->X);
  free(res->y);
  free(res->fold_ids);
  free(res->X_test);
  free(res->y_test);
  for (size_t f = 0; f < res->n_fits; f++) {
    if (res->paths) rp_path_free(res->paths[f]);
    if (res->cvs) rp_cv_free(res->cvs[f]);
    if (res->test_scores) free(res->test_scores[f]);
  }
  free(res->test_scores);
  free(res->paths);
  free(res->cvs);
  for (size_t k = 0; k < res->n_warnings; k++) free(res->warnings[k]);
  free(res->warnings);
  free(res);
}
