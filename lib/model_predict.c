/* model_predict.c: a model's predictions for a table, a raw design or an
 * svmlight file (regpath/model.h): the linear predictors, K of them per row
 * for a multinomial model. */
#define _POSIX_C_SOURCE 200809L
#include "build-config.h"
#include "regpath/model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "encode.h"
#include "model_recipe.h"
#include "regpath/svmlight.h"
#include "sparse.h"
#include "csv_input.h"
#include "windows.h"

/* ------------------------------------------------------------ predicting */

/* The model's recipe, or (see rp_model_recipe_fits) a plain one made into *owned. */
static const rp_recipe *recipe_of(const rp_model *m, rp_recipe **owned) {
  *owned = NULL;
  if (rp_model_recipe_fits(m)) return m->recipe;
  return *owned = rp_recipe_plain(m->feature_names, m->n_features);
}

/* rp_model_read_data of window [start, end) of the file (end 0: all of it). */
static rp_status read_data(const rp_model *m, const char *path, size_t max_line, long long start,
                           long long end, rp_table **out, rp_error *err) {
  rp_column_types ct = {0};
  rp_csv_options csv;
  rp_recipe *owned;
  const rp_recipe *r = recipe_of(m, &owned);
  rp_status st = r ? rp_recipe_csv_options(r, m->target, max_line, &ct, &csv, err)
                   : rp_error_set(err, RP_ENOMEM, "out of memory");
  /* The id passes through as text; the empty-named first column is the id
   * when the model names none. */
  if (st == RP_OK && !rp_column_types_add(&ct, r->id ? r->id : "", RP_COLUMN_TEXT))
    st = rp_error_set(err, RP_ENOMEM, "out of memory");
  rp_column_types_apply(&ct, &csv);
  csv.window_start = start, csv.window_end = end;
  if (st == RP_OK) st = rp_table_read_csv(path, &csv, out, err);
  rp_column_types_free(&ct);
  rp_recipe_free(owned);
  return st;
}

rp_status rp_model_read_data(const rp_model *m, const char *path, size_t max_line, rp_table **out,
                             rp_error *err) {
  return read_data(m, path, max_line, 0, 0, out, err);
}

long rp_model_id_column(const rp_model *m, const rp_table *t) {
  return rp_table_find(t, rp_model_recipe_fits(m) && m->recipe->id ? m->recipe->id : "");
}

int rp_model_class_of(const rp_model *m, const char *text) {
  return rp_classes_find(&m->classes, text);
}

/* b0 + sum_j b_j x_j (b: X->p coefficients), summed in the model's
 * feature order whatever the column order, so a permuted table gives
 * identical predictions; every column counts, b_j = 0 too, so that a
 * missing value (NaN) shows. */
static rp_status predict_one(const double *b, double b0, const rp_design *X, double *eta,
                             rp_error *err) {
  size_t n = X->n;
  /* A sparse X holds no NaN (rp_csc_check), and the terms it skips are
   * exact zeros: the same sums, in the same order, over its entries only. */
  const rp_csc *S = rp_design_sparse_matrix(X);
  if (S && rp_sparse_predict(S, b, b0, NULL, n, eta)) return RP_OK;
  double *col = malloc(nz(n) * sizeof *col);
  if (!col) return rp_error_set(err, RP_ENOMEM, "out of memory for %zu rows", n);
  for (size_t i = 0; i < n; i++) eta[i] = b0;
  for (size_t j = 0; j < X->p; j++) {
    rp_design_column(X, j, NULL, n, col);
    for (size_t i = 0; i < n; i++) eta[i] += b[j] * col[i];
  }
  free(col);
  return RP_OK;
}

/* Every linear predictor of the model on every row of X: class c's (of K,
 * rp_model_n_predictors) into eta + c X->n. */
static rp_status predict_all(const rp_model *m, const rp_design *X, double *eta, rp_error *err) {
  size_t p = m->n_features, K = rp_model_n_predictors(m); /* p = the recipe's design columns */
  if (X->p != p)
    return rp_error_set(err, RP_EINVAL, "the design has %zu columns, the model %zu", X->p, p);
  rp_status st = RP_OK;
  for (size_t c = 0; st == RP_OK && c < K; c++)
    st = predict_one(m->coef + c * p, m->intercepts ? m->intercepts[c] : m->intercept, X,
                     eta + c * X->n, err);
  return st;
}

/* RP_EINVAL for a multinomial model given to a function whose eta holds one
 * value per row: its K would overrun the caller's array. */
static rp_status single_predictor(const rp_model *m, const char *function, rp_error *err) {
  if (rp_model_n_predictors(m) == 1) return RP_OK;
  return rp_error_set(err, RP_EINVAL,
                      "%s: a multinomial model has %zu linear predictors per row "
                      "(rp_model_predict_classes)",
                      function, rp_model_n_predictors(m));
}

rp_status rp_model_predict_design(const rp_model *m, const rp_design *X, double *eta,
                                  rp_error *err) {
  rp_status st = single_predictor(m, "rp_model_predict_design", err);
  return st == RP_OK ? predict_all(m, X, eta, err) : st;
}

rp_missing rp_model_missing(const rp_model *m) {
  return m->recipe ? m->recipe->missing : RP_MISSING_ERROR;
}

/* eta[i] += the offset of row i; RP_EDATA for a missing one. */
static rp_status add_offset(const rp_recipe *r, const rp_table *t, const char *source, double *eta,
                            rp_error *err) {
  if (!r->offset) return RP_OK;
  long col = rp_table_find(t, r->offset);
  if (col < 0)
    return rp_error_set_at(err, RP_EDATA, source, 0, 0,
                           "no column \"%s\" (the offset of the model)", r->offset);
  const double *o = rp_table_column(t, (size_t)col);
  for (size_t i = 0; i < t->n_rows; i++) {
    if (isnan(o[i]))
      return rp_error_set_at(err, RP_EDATA, source, (long)i + 2, 0,
                             "missing value in column \"%s\" "
                             "(the offset of the model)",
                             r->offset);
    eta[i] += o[i];
  }
  return RP_OK;
}

/* Rows whose eta (K predictors, class c's from eta + c n) is NaN for a
 * missing feature are counted in *n_missing; any other value not finite is
 * an RP_ENUMERIC error naming its row. */
static rp_status check_rows(const double *eta, size_t K, const double *X, size_t n, size_t p,
                            const char *source, size_t *n_missing, rp_error *err) {
  for (size_t i = 0; i < n; i++) {
    int finite = 1;
    for (size_t c = 0; c < K; c++) finite = finite && isfinite(eta[c * n + i]);
    if (isnan(eta[i]) && rp_design_row_missing(X, n, p, i)) {
      if (n_missing) ++*n_missing;
    } else if (!finite) {
      return rp_error_set_at(err, RP_ENUMERIC, source, (long)i + 2, 0, "the prediction overflows");
    }
  }
  return RP_OK;
}

rp_status rp_model_predict_rows(const rp_model *m, const rp_table *t, const char *source,
                                int unseen_zero, double *eta, size_t *n_unseen, size_t *n_missing,
                                rp_error *err) {
  if (!m || !t || !eta)
    return rp_error_set(err, RP_EINVAL, "rp_model_predict_rows: model, table and eta are required");
  rp_status st = single_predictor(m, "rp_model_predict_rows", err);
  return st == RP_OK
             ? rp_model_predict_classes(m, t, source, unseen_zero, eta, n_unseen, n_missing, err)
             : st;
}

rp_status rp_model_predict_classes(const rp_model *m, const rp_table *t, const char *source,
                                   int unseen_zero, double *eta, size_t *n_unseen,
                                   size_t *n_missing, rp_error *err) {
  if (!m || !t || !eta)
    return rp_error_set(err, RP_EINVAL,
                        "rp_model_predict_classes: model, table and eta are required");
  rp_recipe *owned;
  const rp_recipe *r = recipe_of(m, &owned);
  size_t n = t->n_rows;
  long *cols = r ? malloc(nz(r->n_sources) * sizeof *cols) : NULL;
  double *X = r ? malloc(nz(n * r->p) * sizeof *X) : NULL;
  rp_status st = cols && X ? RP_OK : rp_error_set(err, RP_ENOMEM, "out of memory for %zu rows", n);
  if (st == RP_OK) st = rp_recipe_find_columns(r, t, source, cols, err);
  if (st == RP_OK)
    st = rp_recipe_encode(r, t, cols, NULL, n, unseen_zero, X, n_unseen, source, err);
  if (st == RP_OK) rp_recipe_impute(r, X, n);
  if (n_missing) *n_missing = 0;
  rp_matrix M = {n, r ? r->p : 0, n, X};
  rp_design D = rp_design_matrix(&M);
  size_t K = rp_model_n_predictors(m);
  if (st == RP_OK) st = predict_all(m, &D, eta, err);
  for (size_t c = 0; st == RP_OK && c < K; c++) st = add_offset(r, t, source, eta + c * n, err);
  if (st == RP_OK) st = check_rows(eta, K, X, n, r->p, source, n_missing, err);
  free(cols);
  free(X);
  rp_recipe_free(owned);
  return st;
}

rp_status rp_model_predict(const rp_model *m, const rp_table *t, const char *source, double *yhat,
                           rp_error *err) {
  return rp_model_predict_rows(m, t, source, 0, yhat, NULL, NULL, err);
}

/* ------------------------------------------------------------ a file in windows */

/* What rp_model_predict_file walks the windows with. */
typedef struct {
  const rp_model *m;
  const char *path;
  size_t max_line;
  int unseen_zero;
  rp_predicted_fn visit;
  void *ctx;
  size_t n_unseen, n_missing;
} file_walk;

/* Window [start, end) read, predicted, given to the visit and freed; its
 * errors on the file's own lines. */
static rp_status predict_window(void *ctx, const char *file, long long start, long long end,
                                rp_error *err) {
  file_walk *w = ctx;
  rp_table *t = NULL;
  double *eta = NULL;
  size_t K = rp_model_n_predictors(w->m), unseen = 0, missing = 0;
  rp_status st = read_data(w->m, file, w->max_line, start, end, &t, err);
  if (st == RP_OK && !(eta = malloc(nz(t->n_rows * K) * sizeof *eta)))
    st = rp_error_set(err, RP_ENOMEM, "out of memory for %zu predictions", t->n_rows);
  if (st == RP_OK)
    st = rp_model_predict_classes(w->m, t, file, w->unseen_zero, eta, &unseen, &missing, err);
  if (st == RP_OK) st = w->visit(w->ctx, t, eta, err);
  w->n_unseen += unseen, w->n_missing += missing;
  free(eta);
  rp_table_free(t);
  if (st != RP_OK && err && strcmp(err->file, w->path) == 0) /* the visit's: on this window */
    snprintf(err->file, sizeof err->file, "%s", file);
  return end > 0 ? rp_csv_window_error(file, start, 1, st, err) : st;
}

rp_status rp_model_predict_file(const rp_model *m, const char *path, size_t max_line, size_t window,
                                int unseen_zero, rp_predicted_fn visit, void *ctx, size_t *n_unseen,
                                size_t *n_missing, rp_error *err) {
  if (!m || !path || !visit)
    return rp_error_set(err, RP_EINVAL,
                        "rp_model_predict_file: model, path and visit are required");
  file_walk w = {m, path, max_line, unseen_zero, visit, ctx, 0, 0};
  rp_status st = rp_each_window(path, window ? (long long)window : rp_window_bytes(max_line), 1,
                                predict_window, &w, err);
  if (n_unseen) *n_unseen = w.n_unseen;
  if (n_missing) *n_missing = w.n_missing;
  return st;
}

/* ------------------------------------------------------------ svmlight data */

/* Every prediction finite (K per row, class c's from eta + c n), or
 * RP_ENUMERIC naming the first row that is not (rows numbered from row0 +
 * 1). */
static rp_status check_finite(const double *eta, size_t n, size_t K, size_t row0, const char *path,
                              rp_error *err) {
  for (size_t i = 0; i < n; i++)
    for (size_t c = 0; c < K; c++)
      if (!isfinite(eta[c * n + i]))
        return rp_error_set_at(err, RP_ENUMERIC, path, 0, 0, "the prediction of row %zu overflows",
                               row0 + i + 1);
  return RP_OK;
}

/* An svmlight file cannot hold the offset column a model may add. */
static rp_status no_offset(const rp_model *m, const char *path, rp_error *err) {
  if (!m->recipe || !m->recipe->offset) return RP_OK;
  return rp_error_set_at(err, RP_EDATA, path, 0, 0,
                         "the model adds the offset column \"%s\" (data.offset), which an "
                         "svmlight file cannot hold; give the data as a CSV file",
                         m->recipe->offset);
}

/* The lines of svmlight file `path` in [start, end) (end 0: all of them)
 * read and predicted: *eta (K per row) and *s (the labels among its
 * fields) the caller's.  Rows are numbered from row0 + 1 in errors. */
static rp_status predict_lines(const rp_model *m, const char *path, size_t max_line,
                               long long start, long long end, size_t row0, rp_svmlight *s,
                               double **eta, rp_error *err) {
  *eta = NULL;
  rp_status st = rp_svmlight_read_window(path, m->n_features, max_line, start, end, s, err);
  if (st != RP_OK) return st;
  rp_csc C = {s->n, s->p, s->col_start, s->row_index, s->values};
  rp_design X = rp_design_csc(&C);
  size_t K = rp_model_n_predictors(m);
  double *e = s->n <= SIZE_MAX / sizeof *e / K ? malloc(nz(s->n * K) * sizeof *e) : NULL;
  st = e ? predict_all(m, &X, e, err)
         : rp_error_set(err, RP_ENOMEM, "out of memory for %zu predictions", s->n);
  if (st == RP_OK) st = check_finite(e, s->n, K, row0, path, err);
  *eta = e;
  return st;
}

static rp_status no_rows(const char *path, rp_error *err) {
  return rp_error_set_at(err, RP_EDATA, path, 0, 0,
                         "no data rows: the file is empty or holds only blank lines and comments");
}

rp_status rp_model_predict_svmlight(const rp_model *m, const char *path, size_t max_line,
                                    double **eta, double **labels, size_t *n, size_t *n_qid,
                                    rp_error *err) {
  if (eta) *eta = NULL;
  if (labels) *labels = NULL;
  if (!m || !path || !eta || !labels || !n || !n_qid)
    return rp_error_set(err, RP_EINVAL, "rp_model_predict_svmlight: every argument is required");
  rp_svmlight s = {0};
  double *e = NULL;
  rp_status st = no_offset(m, path, err);
  if (st == RP_OK) st = predict_lines(m, path, max_line, 0, 0, 0, &s, &e, err);
  if (st == RP_OK && s.n == 0) st = no_rows(path, err);
  if (st == RP_OK) {
    *eta = e, *labels = s.y, *n = s.n, *n_qid = s.n_qid;
    s.y = NULL, e = NULL;
  }
  free(e);
  rp_svmlight_free(&s);
  return st;
}

/* What rp_model_predict_svmlight_file walks the windows with. */
typedef struct {
  const rp_model *m;
  size_t max_line;
  rp_svmlight_predicted_fn visit;
  void *ctx;
  size_t rows, n_qid;
} svmlight_walk;

static rp_status predict_svmlight_window(void *ctx, const char *file, long long start,
                                         long long end, rp_error *err) {
  svmlight_walk *w = ctx;
  rp_svmlight s = {0};
  double *eta = NULL;
  rp_status st = predict_lines(w->m, file, w->max_line, start, end, w->rows, &s, &eta, err);
  if (st == RP_OK) st = w->visit(w->ctx, s.y, eta, s.n, w->rows, err);
  w->rows += s.n, w->n_qid += s.n_qid;
  free(eta);
  rp_svmlight_free(&s);
  return st;
}

rp_status rp_model_predict_svmlight_file(const rp_model *m, const char *path, size_t max_line,
                                         size_t window, rp_svmlight_predicted_fn visit, void *ctx,
                                         size_t *n_qid, rp_error *err) {
  if (!m || !path || !visit)
    return rp_error_set(err, RP_EINVAL,
                        "rp_model_predict_svmlight_file: model, path and visit are required");
  svmlight_walk w = {m, max_line, visit, ctx, 0, 0};
  rp_status st = no_offset(m, path, err);
  if (st == RP_OK)
    st = rp_each_window(path, window ? (long long)window : rp_window_bytes(max_line), 0,
                        predict_svmlight_window, &w, err);
  if (st == RP_OK && w.rows == 0) st = no_rows(path, err);
  if (n_qid) *n_qid = w.n_qid;
  return st;
}
