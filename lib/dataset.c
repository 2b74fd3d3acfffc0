/* dataset.c: the data a config names, as X and y (see dataset.h). */
#define _POSIX_C_SOURCE 200809L
#include "dataset.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_input.h"
#include "encode.h"
#include "json.h"
#include "regpath/table.h"
#include "text.h"

/* One load: the table, its columns by role, and X of every table row. */
typedef struct {
  const rp_config *cfg;
  rp_run_result *res;
  rp_error *err;
  rp_table *t;
  long target, id, weights, offset, fold; /* table columns, -1 = none */
  long *cols;                             /* the feature (source) columns */
  size_t n_cols;
  double *X;            /* every table row, n_rows x p  */
  size_t *train, *test; /* table rows of each part      */
  int x_in_table;       /* X is the table's block (X NULL) */
} loader;

/* ------------------------------------------------------------ roles */

static int listed(char *const *names, size_t n, const char *name) {
  for (size_t i = 0; name && i < n; i++)
    if (rp_text_compare(names[i], name) == 0) return 1;
  return 0;
}

static int same(const char *a, const char *b) { return a && b && rp_text_compare(a, b) == 0; }

/* A column given two roles that exclude each other, before anything is read. */
static rp_status check_roles(const rp_config *cfg, rp_error *err) {
  const char *target = cfg->target,
             *roles[] = {cfg->id_column, cfg->weights_column, cfg->offset_column, cfg->fold_column};
  static const char *const keys[] = {"data.id", "data.weights", "data.offset", "cv.fold_ids"};
  static const char *const nouns[] = {"id", "weights", "offset", "fold id"};
  for (size_t r = 0; r < 4; r++) {
    if (same(roles[r], target))
      return rp_error_set(err, RP_ECONFIG, "%s: \"%s\" is the target column", keys[r], target);
    if (listed(cfg->features, cfg->n_features, roles[r]))
      return rp_error_set(err, RP_ECONFIG, "data.features: \"%s\" is the %s column (%s)", roles[r],
                          nouns[r], keys[r]);
    for (size_t q = 0; q < r; q++)
      if (same(roles[r], roles[q]))
        return rp_error_set(err, RP_ECONFIG, "%s: \"%s\" is already the %s column (%s)", keys[r],
                            roles[r], nouns[q], keys[q]);
  }
  for (size_t i = 0; i < cfg->n_exclude; i++) {
    const char *x = cfg->exclude[i];
    if (same(x, target) || listed(cfg->features, cfg->n_features, x) ||
        same(x, cfg->weights_column) || same(x, cfg->offset_column) || same(x, cfg->fold_column))
      return rp_error_set(err, RP_ECONFIG,
                          "data.exclude[%zu]: \"%s\" is used as the target, a feature, "
                          "the weights, the offset or the fold ids",
                          i, x);
  }
  return RP_OK;
}

/* How the target is read: classes may be text labels. */
static rp_column_type target_type(const rp_config *cfg) {
  return rp_family_has_classes(cfg->family) ? RP_COLUMN_AUTO : RP_COLUMN_NUMBER;
}

/* How a feature's cells are read under data.categorical. */
static rp_column_type feature_type(const rp_config *cfg, const char *name) {
  if (cfg->categorical == RP_CATEGORICAL_AUTO) return RP_COLUMN_AUTO;
  if (cfg->categorical == RP_CATEGORICAL_NONE) return RP_COLUMN_NUMBER;
  return listed(cfg->categorical_columns, cfg->n_categorical, name) ? RP_COLUMN_TEXT
                                                                    : RP_COLUMN_NUMBER;
}

/* The reading type of every column the config names; the others get the
 * default: SKIP when data.features lists the features (so they are never
 * parsed), else the features' type.  Later roles override earlier ones. */
static rp_status training_types(const rp_config *cfg, rp_column_types *ct, rp_csv_options *csv,
                                rp_error *err) {
  int ok = 1;
  for (size_t i = 0; ok && i < cfg->n_features; i++)
    ok = rp_column_types_add(ct, cfg->features[i], feature_type(cfg, cfg->features[i]));
  for (size_t i = 0; ok && !cfg->features && i < cfg->n_categorical; i++)
    ok = rp_column_types_add(ct, cfg->categorical_columns[i], RP_COLUMN_TEXT);
  for (size_t i = 0; ok && i < cfg->n_exclude; i++)
    ok = rp_column_types_add(ct, cfg->exclude[i], RP_COLUMN_SKIP);
  rp_column_type id = cfg->cv_keep ? RP_COLUMN_TEXT : RP_COLUMN_SKIP; /* cv_predictions.csv */
  if (ok) ok = rp_column_types_add(ct, cfg->id_column ? cfg->id_column : "", id);
  if (ok && cfg->id_column) ok = rp_column_types_add(ct, "", RP_COLUMN_SKIP);
  if (ok && cfg->target) ok = rp_column_types_add(ct, cfg->target, target_type(cfg));
  const char *numeric[] = {cfg->weights_column, cfg->offset_column, cfg->fold_column};
  for (size_t i = 0; ok && i < 3; i++)
    if (numeric[i]) ok = rp_column_types_add(ct, numeric[i], RP_COLUMN_NUMBER);
  if (!ok) return rp_error_set(err, RP_ENOMEM, "out of memory");
  memset(csv, 0, sizeof *csv);
  csv->max_line = cfg->max_line;
  csv->default_type = cfg->features ? RP_COLUMN_SKIP : feature_type(cfg, NULL);
  rp_column_types_apply(ct, csv);
  csv->na_values = cfg->na_values ? (const char *const *)cfg->na_values
                                  : rp_csv_default_na_values(&csv->n_na_values);
  if (cfg->na_values) csv->n_na_values = cfg->n_na_values;
  csv->window_start = cfg->train_window_start;
  csv->window_end = cfg->train_window_end;
  return RP_OK;
}

/* The column `name` (a config value under `key`), or an error naming both. */
static rp_status find_column(const loader *ld, const char *name, const char *key, long *col) {
  *col = name ? rp_table_find(ld->t, name) : -1;
  if (name && *col < 0)
    return rp_error_set(ld->err, RP_ECONFIG, "%s: no column \"%s\" in %s", key, name,
                        ld->cfg->train);
  return RP_OK;
}

/* Every name the config gives must be a column of the file. */
static rp_status find_roles(loader *ld) {
  const rp_config *cfg = ld->cfg;
  long col;
  ld->target = (long)ld->t->n_cols - 1;
  rp_status st = cfg->target ? find_column(ld, cfg->target, "data.target", &ld->target) : RP_OK;
  if (st == RP_OK) st = find_column(ld, cfg->id_column, "data.id", &ld->id);
  if (st == RP_OK && !cfg->id_column && ld->t->n_cols > 0 && ld->t->names[0][0] == '\0') ld->id = 0;
  if (st == RP_OK) st = find_column(ld, cfg->weights_column, "data.weights", &ld->weights);
  if (st == RP_OK) st = find_column(ld, cfg->offset_column, "data.offset", &ld->offset);
  if (st == RP_OK) st = find_column(ld, cfg->fold_column, "cv.fold_ids", &ld->fold);
  for (size_t i = 0; st == RP_OK && i < cfg->n_exclude; i++)
    st = find_column(ld, cfg->exclude[i], "data.exclude", &col);
  for (size_t i = 0; st == RP_OK && i < cfg->n_categorical; i++)
    st = find_column(ld, cfg->categorical_columns[i], "data.categorical", &col);
  if (st == RP_OK && listed(cfg->exclude, cfg->n_exclude, ld->t->names[ld->target]))
    st = rp_error_set(ld->err, RP_ECONFIG,
                      "data.exclude: \"%s\" is the target column (the last "
                      "one, as data.target is not set)",
                      ld->t->names[ld->target]);
  if (st == RP_OK && (ld->target == ld->id || ld->target == ld->fold))
    st = rp_error_set(ld->err, RP_ECONFIG, "%s: \"%s\" is the target column",
                      ld->target == ld->fold           ? "cv.fold_ids"
                      : ld->id == 0 && !cfg->id_column ? "data.target"
                                                       : "data.id",
                      ld->t->names[ld->target]);
  return st;
}

/* Is table column j one of the non-feature roles, or excluded? */
static int not_a_feature(const loader *ld, long j) {
  const char *name = ld->t->names[j];
  return j == ld->target || j == ld->id || j == ld->weights || j == ld->offset || j == ld->fold ||
         name[0] == '\0' || listed(ld->cfg->exclude, ld->cfg->n_exclude, name);
}

/* The feature columns: data.features in its order, or every other column
 * in the file's; a categorical column named must be one of them. */
static rp_status choose_features(loader *ld) {
  const rp_config *cfg = ld->cfg;
  if (!(ld->cols = malloc(nz(ld->t->n_cols) * sizeof *ld->cols)))
    return rp_error_set(ld->err, RP_ENOMEM, "out of memory");
  for (size_t k = 0; k < cfg->n_features; k++) {
    rp_status st = find_column(ld, cfg->features[k], "data.features", &ld->cols[k]);
    if (st == RP_OK && ld->cols[k] == ld->target)
      st = rp_error_set(ld->err, RP_ECONFIG, "data.features: \"%s\" is the target column",
                        cfg->features[k]);
    if (st != RP_OK) return st;
  }
  ld->n_cols = cfg->n_features;
  for (size_t j = 0; !cfg->features && j < ld->t->n_cols; j++)
    if (!not_a_feature(ld, (long)j)) ld->cols[ld->n_cols++] = (long)j;
  if (ld->n_cols == 0)
    return rp_error_set(ld->err, RP_ECONFIG, "data.features: no feature columns left in %s",
                        cfg->train);
  for (size_t i = 0; i < cfg->n_categorical; i++) {
    size_t k = 0;
    while (k < ld->n_cols &&
           rp_text_compare(ld->t->names[ld->cols[k]], cfg->categorical_columns[i]) != 0)
      k++;
    if (k == ld->n_cols)
      return rp_error_set(ld->err, RP_ECONFIG, "data.categorical: \"%s\" is not a feature column",
                          cfg->categorical_columns[i]);
  }
  return RP_OK;
}

/* ------------------------------------------------------------ missing values */

/* Of columns cols[0..n), the one whose first missing cell comes first in
 * the file, or -1. */
static long first_missing(const rp_table *t, const long *cols, size_t n) {
  long best = -1;
  for (size_t k = 0; k < n; k++) {
    if (cols[k] < 0) continue;
    const rp_column_info *c = &t->columns[cols[k]];
    const rp_column_info *b = best >= 0 ? &t->columns[best] : NULL;
    if (c->n_missing &&
        (!b || c->missing_line < b->missing_line ||
         (c->missing_line == b->missing_line && c->missing_column < b->missing_column)))
      best = cols[k];
  }
  return best;
}

static rp_status missing_error(const loader *ld, long col, const char *what) {
  const rp_column_info *c = &ld->t->columns[col];
  return rp_error_set_at(ld->err, RP_EDATA, ld->cfg->train, c->missing_line, c->missing_column,
                         "missing value \"%s\" in column \"%s\"; %s",
                         c->missing_token ? c->missing_token : "", ld->t->names[col], what);
}

/* Weights and offsets may never be missing; under "error" no used cell may. */
static rp_status check_missing(const loader *ld) {
  long roles[] = {ld->weights, ld->offset, ld->fold};
  long col = first_missing(ld->t, roles, 3);
  if (col >= 0) return missing_error(ld, col, "weights, offsets and fold ids cannot be missing");
  if (ld->cfg->missing != RP_MISSING_ERROR) return RP_OK;
  col = first_missing(ld->t, ld->cols, ld->n_cols);
  long target = first_missing(ld->t, &ld->target, 1);
  if (target >= 0 && (col < 0 || first_missing(ld->t, (long[]){col, target}, 2) == target))
    col = target;
  if (col < 0) return RP_OK;
  return missing_error(ld, col,
                       "set data.missing to \"drop\" or \"mean\", or leave the column out with "
                       "data.exclude");
}

/* The design's every row: the encoding, or the table's own block when the
 * features are its first columns (table_is_design). */
static double *all_rows(const loader *ld) { return ld->x_in_table ? ld->t->values : ld->X; }

/* The table rows kept: a target, and under "drop" every used value. */
static size_t keep_rows(loader *ld, const double *y, size_t *kept) {
  size_t n = ld->t->n_rows, m = 0, p = ld->res->recipe->p;
  for (size_t i = 0; i < n; i++) {
    if (isnan(y[i])) {
      ld->res->n_dropped_target++;
      continue;
    }
    if (ld->cfg->missing == RP_MISSING_DROP && rp_design_row_missing(all_rows(ld), n, p, i)) {
      ld->res->n_dropped_missing++;
      continue;
    }
    kept[m++] = i;
  }
  return m;
}

/* ------------------------------------------------------------ rows */

/* Rows `rows` (n) of the design X (ld->t->n_rows rows), a copy. */
static double *design_rows(const loader *ld, const size_t *rows, size_t n) {
  size_t N = ld->t->n_rows, p = ld->res->recipe->p;
  double *out = malloc(nz(n * p) * sizeof *out);
  for (size_t j = 0; out && j < p; j++)
    for (size_t i = 0; i < n; i++) out[j * n + i] = all_rows(ld)[j * N + rows[i]];
  return out;
}

/* X cut down to rows `rows` (n, ascending) in place, and handed over (the
 * loader, or the table, no longer holds it): a second copy of X would
 * double the memory of reading a table.  Value (i, j) moves from
 * j N + rows[i] to j n + i, at or before its own place (rows[i] >= i,
 * n <= N), and the moves go in order of their destinations, so none
 * overwrites a value still to be moved.  Nothing reads the table after. */
static double *take_design(loader *ld, const size_t *rows, size_t n) {
  size_t N = ld->t->n_rows, p = ld->res->recipe->p;
  double *X = all_rows(ld);
  for (size_t j = 0; j < p; j++)
    for (size_t i = 0; i < n; i++) X[j * n + i] = X[j * N + rows[i]];
  if (ld->x_in_table)
    ld->t->values = NULL;
  else
    ld->X = NULL;
  double *fitted = realloc(X, nz(n * p) * sizeof *X);
  return fitted ? fitted : X;
}

/* Rows `rows` of table column `col`, or NULL when col < 0 (*ok stays 1). */
static double *column_rows(const rp_table *t, long col, const size_t *rows, size_t n, int *ok) {
  if (col < 0) return NULL;
  double *out = malloc(nz(n) * sizeof *out);
  const double *v = rp_table_column(t, (size_t)col);
  for (size_t i = 0; out && i < n; i++) out[i] = v[rows[i]];
  if (!out) *ok = 0;
  return out;
}

/* Fold ids of the training rows: cv.fold_ids (array, or column read at
 * the table rows `rows`). */
static rp_status assign_folds(const loader *ld, rp_run_result *res) {
  const rp_config *cfg = ld->cfg;
  size_t n = res->n_samples;
  if (!(res->fold_ids = malloc(nz(n) * sizeof *res->fold_ids)))
    return rp_error_set(ld->err, RP_ENOMEM, "out of memory");
  res->folds_given = cfg->fold_ids || ld->fold >= 0;
  if (cfg->fold_ids && cfg->n_fold_ids != n)
    return rp_error_set(ld->err, RP_ECONFIG,
                        "cv.fold_ids: expected %zu fold ids (one per training row), got %zu", n,
                        cfg->n_fold_ids);
  for (size_t i = 0; ld->fold >= 0 && i < n; i++) {
    double v = rp_table_column(ld->t, (size_t)ld->fold)[ld->train[i]];
    if (!(v >= 1.0 && v <= 1e6 && v == (double)(int)v))
      return rp_error_set_at(ld->err, RP_EDATA, cfg->train, (long)ld->train[i] + 2, 0,
                             "fold id %g in column \"%s\" is not an integer >= 1", v,
                             cfg->fold_column);
    res->fold_ids[i] = (int)v;
  }
  if (cfg->fold_ids) memcpy(res->fold_ids, cfg->fold_ids, n * sizeof *res->fold_ids);
  return RP_OK;
}

/* Train and test rows: X (imputed under "mean" with the training rows'
 * values), y, weights, offsets and folds. */
static rp_status take_rows(loader *ld, const double *y, const size_t *kept, size_t n_kept) {
  rp_run_result *res = ld->res;
  rp_status st = rp_dataset_split_rows(ld->cfg, kept, n_kept, ld->train, &res->n_samples, ld->test,
                                       &res->n_test, ld->err);
  if (st != RP_OK) return st;
  int ok = 1;
  double *ys = NULL;
  if ((res->y = malloc(nz(res->n_samples) * sizeof *res->y)))
    for (size_t i = 0; i < res->n_samples; i++) res->y[i] = y[ld->train[i]];
  if (res->n_test && (ys = malloc(res->n_test * sizeof *ys)))
    for (size_t i = 0; i < res->n_test; i++) ys[i] = y[ld->test[i]];
  res->y_test = ys;
  res->weights = column_rows(ld->t, ld->weights, ld->train, res->n_samples, &ok);
  res->offset = column_rows(ld->t, ld->offset, ld->train, res->n_samples, &ok);
  res->offset_test =
      res->n_test ? column_rows(ld->t, ld->offset, ld->test, res->n_test, &ok) : NULL;
  res->X_test = res->n_test ? design_rows(ld, ld->test, res->n_test) : NULL;
  if (!ok || !res->y || (res->n_test && (!res->X_test || !res->y_test)))
    return rp_error_set(ld->err, RP_ENOMEM, "out of memory for %zu x %zu data", res->n_samples,
                        res->recipe->p);
  if (ld->cfg->cv_keep &&
      (st = rp_dataset_keep_rows(res, ld->t, ld->id, ld->train, res->n_samples, ld->err)) != RP_OK)
    return st;
  if ((st = assign_folds(ld, res)) != RP_OK) return st;
  res->X = take_design(ld, ld->train, res->n_samples); /* the table's last use */
  if (ld->cfg->missing == RP_MISSING_MEAN &&
      (st = rp_recipe_learn_impute(res->recipe, res->X, res->n_samples, ld->err)) != RP_OK)
    return st;
  rp_recipe_impute(res->recipe, res->X, res->n_samples);
  if (res->X_test) rp_recipe_impute(res->recipe, res->X_test, res->n_test);
  return RP_OK;
}

/* ------------------------------------------------------------ target */

/* model.positive_class: which of the two classes (text, in sorted order)
 * is read as 1; returns 1 to swap them, 0 to keep, -1 when it is neither. */
static int positive_swap(const rp_config *cfg, const char *first, const char *second) {
  if (!cfg->positive_class) return 0;
  if (strcmp(cfg->positive_class, second) == 0) return 0;
  return strcmp(cfg->positive_class, first) == 0 ? 1 : -1;
}

/* The classes of a text target, its levels: into res->classes, labels[k]
 * the level read as class k (level first + k, cyclically: binomial's swap). */
static rp_status take_levels(loader *ld, size_t first) {
  const rp_column_info *info = &ld->t->columns[ld->target];
  size_t K = info->n_levels;
  rp_classes *c = &ld->res->classes;
  rp_classes_free(c);
  c->values = malloc(K * sizeof *c->values);
  c->labels = calloc(K, sizeof *c->labels);
  int ok = c->values && c->labels;
  if (ok) c->n = K;
  for (size_t k = 0; ok && k < K; k++) {
    c->values[k] = (double)k;
    ok = (c->labels[k] = strdup(info->levels[(first + k) % K])) != NULL;
  }
  return ok ? RP_OK : rp_error_set(ld->err, RP_ENOMEM, "out of memory");
}

/* A multinomial text target: three or more levels, the classes in byte
 * order; y is the level index already. */
static rp_status text_multinomial(loader *ld) {
  const rp_column_info *info = &ld->t->columns[ld->target];
  if (info->n_levels < 3)
    return rp_error_set_at(ld->err, RP_EDATA, ld->cfg->train, 0, 0,
                           "target \"%s\" has %zu distinct value%s; model.family \"multinomial\" "
                           "needs three or more classes%s",
                           ld->t->names[ld->target], info->n_levels, info->n_levels == 1 ? "" : "s",
                           info->n_levels == 2 ? " (for two, use model.family \"binomial\")" : "");
  return take_levels(ld, 0);
}

/* A binomial text target: its levels are the classes (byte order); y is the
 * level index, swapped when model.positive_class names the first. */
static rp_status text_classes(loader *ld, double *y) {
  const rp_column_info *info = &ld->t->columns[ld->target];
  const char *name = ld->t->names[ld->target];
  if (ld->cfg->family == RP_FAMILY_MULTINOMIAL) return text_multinomial(ld);
  if (info->n_levels != 2)
    return rp_error_set_at(
        ld->err, RP_EDATA, ld->cfg->train, 0, 0,
        "target \"%s\" has %zu distinct values "
        "(\"%s\", \"%s\"%s); model.family \"binomial\" needs exactly two classes",
        name, info->n_levels, info->levels[0], info->n_levels > 1 ? info->levels[1] : "",
        info->n_levels > 2 ? ", ..." : "");
  int swap = positive_swap(ld->cfg, info->levels[0], info->levels[1]);
  if (swap < 0)
    return rp_error_set(ld->err, RP_ECONFIG,
                        "model.positive_class: \"%s\" is not a class of target \"%s\" "
                        "(\"%s\", \"%s\")",
                        ld->cfg->positive_class, name, info->levels[0], info->levels[1]);
  rp_status st = take_levels(ld, (size_t)swap);
  for (size_t i = 0; swap && i < ld->t->n_rows; i++)
    if (!isnan(y[i])) y[i] = 1.0 - y[i];
  return st;
}

/* The target of every table row (NaN where missing), mapped to its class
 * for binomial and multinomial; a text target is an error for the other
 * families. */
static rp_status read_target(loader *ld, double *y) {
  const rp_column_info *info = &ld->t->columns[ld->target];
  memcpy(y, rp_table_column(ld->t, (size_t)ld->target), ld->t->n_rows * sizeof *y);
  if (rp_family_has_classes(ld->cfg->family))
    return info->type == RP_COLUMN_TEXT
               ? text_classes(ld, y)
               : rp_dataset_numeric_classes(ld->cfg, ld->t->names[ld->target], y, ld->t->n_rows,
                                            &ld->res->classes, ld->err);
  if (info->type == RP_COLUMN_TEXT)
    return rp_error_set_at(ld->err, RP_EDATA, ld->cfg->train, 0, 0,
                           "target \"%s\" holds text (\"%s\"); "
                           "model.family \"%s\" needs numbers",
                           ld->t->names[ld->target], info->levels[0],
                           ld->cfg->family == RP_FAMILY_POISSON ? "poisson" : "gaussian");
  return RP_OK;
}

/* ------------------------------------------------------------ weights */

/* Observation weights: >= 0 and not all 0 (glmnet's rule). */
static rp_status check_weights(const loader *ld) {
  if (ld->weights < 0) return RP_OK;
  const double *w = rp_table_column(ld->t, (size_t)ld->weights);
  const char *name = ld->t->names[ld->weights];
  int positive = 0;
  for (size_t i = 0; i < ld->t->n_rows; i++) {
    if (w[i] < 0.0)
      return rp_error_set_at(ld->err, RP_EDATA, ld->cfg->train, (long)i + 2, 0,
                             "weight %g in column \"%s\" "
                             "(data.weights) is negative; weights must be >= 0",
                             w[i], name);
    positive |= w[i] > 0.0;
  }
  if (!positive)
    return rp_error_set_at(ld->err, RP_EDATA, ld->cfg->train, 0, 0,
                           "every weight in column \"%s\" "
                           "(data.weights) is 0; at least one must be positive",
                           name);
  return RP_OK;
}

/* ------------------------------------------------------------ the whole load */

static rp_status copy_names(rp_run_result *res, const char *target, rp_error *err) {
  const rp_recipe *r = res->recipe;
  res->n_features = r->p;
  res->feature_names = calloc(r->p ? r->p : 1, sizeof *res->feature_names);
  res->target = strdup(target);
  if (!res->feature_names || !res->target) return rp_error_set(err, RP_ENOMEM, "out of memory");
  for (size_t j = 0; j < r->p; j++)
    if (!(res->feature_names[j] = strdup(r->feature_names[j])))
      return rp_error_set(err, RP_ENOMEM, "out of memory");
  return RP_OK;
}

/* Are the features the table's first p columns, numbers, in order?  Then
 * the table's block (column-major, n_rows apart) begins with X itself, and
 * encoding would only copy it: the table of a numeric CSV whose target is
 * its last column, the common case, is used as X, in place. */
static int table_is_design(const rp_recipe *r, const long *cols) {
  for (size_t s = 0; s < r->n_sources; s++)
    if (r->sources[s].n_levels || cols[s] != (long)s || r->sources[s].first != s) return 0;
  return r->n_sources == r->p;
}

/* From the table as read to res's X and y. */
static rp_status encode_training(loader *ld) {
  rp_run_result *res = ld->res;
  size_t N = ld->t->n_rows, n_kept = 0;
  const char *id = ld->id >= 0 ? ld->t->names[ld->id] : NULL;
  rp_status st = rp_recipe_learn(ld->t, ld->cols, ld->n_cols, ld->cfg, id, ld->cfg->train,
                                 &res->recipe, ld->err);
  if (st == RP_OK) st = check_missing(ld);
  if (st == RP_OK) st = check_weights(ld);
  if (st == RP_OK) st = copy_names(res, ld->t->names[ld->target], ld->err);
  res->target_column = (size_t)ld->target + 1;
  res->n_columns = ld->t->n_cols;
  double *y = malloc(nz(N) * sizeof *y);
  size_t *kept = malloc(nz(N) * sizeof *kept);
  ld->train = malloc(nz(N) * sizeof *ld->train);
  ld->test = malloc(nz(N) * sizeof *ld->test);
  ld->x_in_table = st == RP_OK && table_is_design(res->recipe, ld->cols);
  if (st == RP_OK &&
      (!y || !kept || !ld->train || !ld->test ||
       (!ld->x_in_table && !(ld->X = malloc(nz(N * res->recipe->p) * sizeof *ld->X)))))
    st = rp_error_set(ld->err, RP_ENOMEM, "out of memory for %zu x %zu data", N,
                      res->recipe ? res->recipe->p : 0);
  if (st == RP_OK && !ld->x_in_table)
    st = rp_recipe_encode(res->recipe, ld->t, ld->cols, NULL, N, 0, ld->X, NULL, ld->cfg->train,
                          ld->err);
  if (st == RP_OK) st = read_target(ld, y);
  if (st == RP_OK) n_kept = keep_rows(ld, y, kept);
  if (st == RP_OK && n_kept < 2)
    st = rp_error_set_at(ld->err, RP_EDATA, ld->cfg->train, 0, 0,
                         "%zu of %zu rows left after dropping those "
                         "with missing values; at least 2 are needed",
                         n_kept, N);
  if (st == RP_OK) st = take_rows(ld, y, kept, n_kept);
  free(y);
  free(kept);
  return st;
}

/* The target, when not named, is the last column, which was read with the
 * default type: skipped (data.features lists the features), or text for a
 * family that needs numbers.  Then it is read again as the target, so that
 * the reader names the first cell that is not a number. */
static rp_status reread_for_target(loader *ld, rp_column_types *ct, rp_csv_options *csv) {
  const rp_table *t = ld->t;
  rp_column_type read = t->n_cols ? t->columns[t->n_cols - 1].type : RP_COLUMN_NUMBER;
  if (ld->cfg->target || t->n_cols == 0 ||
      !(read == RP_COLUMN_SKIP ||
        (read == RP_COLUMN_TEXT && target_type(ld->cfg) == RP_COLUMN_NUMBER)))
    return RP_OK;
  char *name = strdup(t->names[t->n_cols - 1]); /* the table's own goes with it */
  if (!name || !rp_column_types_add(ct, name, target_type(ld->cfg))) {
    free(name);
    return rp_error_set(ld->err, RP_ENOMEM, "out of memory");
  }
  rp_column_types_apply(ct, csv);
  rp_table_free(ld->t);
  ld->t = NULL;
  rp_status st = rp_table_read_csv(ld->cfg->train, csv, &ld->t, ld->err);
  free(name);
  return st;
}

/* data.test: the same columns, read and encoded by the training's recipe. */
static rp_status load_test_file(rp_run_result *res, const rp_config *cfg, long long start,
                                long long end, rp_error *err);

/* data.train as a CSV table. */
static rp_status load_csv_training(rp_run_result *res, const rp_config *cfg, rp_error *err) {
  loader ld = {cfg, res, err, NULL, -1, -1, -1, -1, -1, NULL, 0, NULL, NULL, NULL, 0};
  rp_column_types ct = {0};
  rp_csv_options csv;
  rp_status st = check_roles(cfg, err);
  if (st == RP_OK) st = training_types(cfg, &ct, &csv, err);
  if (st == RP_OK) st = rp_table_read_csv(cfg->train, &csv, &ld.t, err);
  if (st == RP_OK) st = reread_for_target(&ld, &ct, &csv);
  rp_column_types_free(&ct);
  if (st == RP_OK) {
    res->n_rows_read = ld.t->n_rows;
    st = find_roles(&ld);
  }
  if (st == RP_OK) st = choose_features(&ld);
  if (st == RP_OK) st = encode_training(&ld);
  free(ld.cols);
  free(ld.X);
  free(ld.train);
  free(ld.test);
  rp_table_free(ld.t);
  return st;
}

/* Each file in its own format (config.h: data.format): an svmlight test
 * file's indices are the training design's columns, a CSV one's columns are
 * matched to the training recipe by name (f1, ..., y for svmlight data). */
rp_status rp_dataset_load(rp_run_result *res, const rp_config *cfg, rp_error *err) {
  rp_status st = cfg->format == RP_FORMAT_SVMLIGHT ? rp_dataset_load_svmlight(res, cfg, err)
                                                   : load_csv_training(res, cfg, err);
  if (st == RP_OK && cfg->test)
    st = cfg->test_format == RP_FORMAT_SVMLIGHT ? rp_dataset_load_svmlight_test(res, cfg, err)
                                                : load_test_file(res, cfg, 0, 0, err);
  return st;
}

/* ------------------------------------------------------------ data.test */

/* The test targets as read: numbers, or the training classes (by value, or
 * by label for a text target); a value that is no class is an error. */
static rp_status test_target(const rp_run_result *res, const rp_table *t, long col,
                             const char *file, double *y, rp_error *err) {
  const rp_column_info *info = &t->columns[col];
  const double *v = rp_table_column(t, (size_t)col);
  for (size_t i = 0; i < t->n_rows; i++) {
    y[i] = v[i];
    if (isnan(v[i]) || !rp_family_has_classes(res->family)) continue;
    char number[RP_NUMBER_MAX];
    const char *text = info->type == RP_COLUMN_TEXT ? info->levels[(size_t)v[i]] : number;
    if (info->type != RP_COLUMN_TEXT) rp_format_number(v[i], number);
    int c = rp_classes_find(&res->classes, text);
    if (c < 0)
      return rp_error_set(err, RP_EDATA,
                          "%s: target \"%s\": value %s (row %zu) is not a class of "
                          "the training data",
                          file, res->target, text, i + 1);
    y[i] = c;
  }
  return RP_OK;
}

/* The test rows the policy keeps, imputed under "mean" with the training
 * values: rows without a target go, and under "drop" rows with a missing
 * value; under "error" a missing value is an error. */
static rp_status keep_test_rows(rp_run_result *res, const rp_config *cfg, size_t n, rp_error *err) {
  const rp_recipe *r = res->recipe;
  size_t m = 0;
  rp_recipe_impute(r, res->X_test, n);
  for (size_t i = 0; i < n; i++) {
    if (res->offset_test && isnan(res->offset_test[i]))
      return rp_error_set_at(err, RP_EDATA, cfg->test, (long)i + 2, 0,
                             "a missing offset in row %zu "
                             "of the test data: offsets cannot be missing",
                             i + 1);
    int missing = isnan(res->y_test[i]) || rp_design_row_missing(res->X_test, n, r->p, i);
    if (missing && cfg->missing == RP_MISSING_ERROR)
      return rp_error_set_at(err, RP_EDATA, cfg->test, (long)i + 2, 0,
                             "a missing value in row %zu of the "
                             "test data; set data.missing to \"drop\" or \"mean\"",
                             i + 1);
    if (missing) continue;
    for (size_t j = 0; j < r->p; j++) res->X_test[j * n + m] = res->X_test[j * n + i];
    if (res->offset_test) res->offset_test[m] = res->offset_test[i];
    res->y_test[m++] = res->y_test[i];
  }
  for (size_t j = 1; m < n && j < r->p; j++) /* close the gaps between the columns */
    memmove(res->X_test + j * m, res->X_test + j * n, m * sizeof *res->X_test);
  res->n_test = m;
  return RP_OK;
}

rp_status rp_dataset_load_test_window(rp_run_result *res, const rp_config *cfg, long long start,
                                      long long end, rp_error *err) {
  rp_status st = load_test_file(res, cfg, start, end, err);
  return end > 0 ? rp_csv_window_error(cfg->test, start, 1, st, err) : st;
}

/* The test rows of data.test, or of its window [start, end) (end 0: none). */
static rp_status load_test_file(rp_run_result *res, const rp_config *cfg, long long start,
                                long long end, rp_error *err) {
  rp_table *t = NULL;
  rp_column_types ct = {0};
  rp_csv_options csv;
  const rp_recipe *r = res->recipe;
  long *cols = malloc((r->n_sources + 1) * sizeof *cols), target = -1, offset = -1;
  size_t n = 0;
  rp_status st = cols ? rp_recipe_csv_options(r, res->target, cfg->max_line, &ct, &csv, err)
                      : rp_error_set(err, RP_ENOMEM, "out of memory");
  if (st == RP_OK && !rp_column_types_add(&ct, res->target, target_type(cfg)))
    st = rp_error_set(err, RP_ENOMEM, "out of memory");
  rp_column_types_apply(&ct, &csv);
  csv.window_start = start, csv.window_end = end;
  if (st == RP_OK) st = rp_table_read_csv(cfg->test, &csv, &t, err);
  if (st == RP_OK) st = rp_recipe_find_columns(r, t, cfg->test, cols, err);
  if (st == RP_OK && (target = rp_table_find(t, res->target)) < 0)
    st = rp_error_set_at(err, RP_EDATA, cfg->test, 1, 0,
                         "no column \"%s\" (the target of the training data)", res->target);
  if (st == RP_OK && r->offset && (offset = rp_table_find(t, r->offset)) < 0)
    st = rp_error_set_at(err, RP_EDATA, cfg->test, 1, 0,
                         "no column \"%s\" (the offset of the training "
                         "data)",
                         r->offset);
  if (st == RP_OK) {
    n = t->n_rows;
    if (offset >= 0 && (res->offset_test = malloc(nz(n) * sizeof *res->offset_test)))
      memcpy(res->offset_test, rp_table_column(t, (size_t)offset), n * sizeof *res->offset_test);
    if (offset >= 0 && !res->offset_test) st = rp_error_set(err, RP_ENOMEM, "out of memory");
    res->X_test = malloc(nz(n * r->p) * sizeof *res->X_test);
    res->y_test = malloc(nz(n) * sizeof *res->y_test);
    if (st == RP_OK && (!res->X_test || !res->y_test))
      st = rp_error_set(err, RP_ENOMEM, "out of memory");
  }
  if (st == RP_OK) st = rp_recipe_encode(r, t, cols, NULL, n, 0, res->X_test, NULL, cfg->test, err);
  if (st == RP_OK) st = test_target(res, t, target, cfg->test, res->y_test, err);
  if (st == RP_OK) st = keep_test_rows(res, cfg, n, err);
  rp_column_types_free(&ct);
  free(cols);
  rp_table_free(t);
  return st;
}
