/* regpath/model.h: the selected model alone (model.json), and predictions.
 *
 * model.json is small and stable (documented in README.md "model.json"):
 *   {"format": "regpath-model", "format_version": 1, "regpath_version",
 *    "family", "target", "feature_names": [...], "intercept",
 *    "coef": {name: value, ...} (original scale), "alpha", "l1_ratio",
 *    "standardize", "fit_intercept", "convention", "max_line_bytes",
 *    "standardization": {"mean": {name: m_j}, "scale": {name: s_j}} }
 * Predictions need only intercept + coef: b0 + sum_j b_j x_j.
 * "max_line_bytes" (optional: files written before it read as 1 MiB) is the
 * run's CSV record limit, so that predict can read data as wide as the
 * training data.
 * "data_format" ("csv" or "svmlight"; optional, files written before it
 * read as "csv") and "n_features" (p; optional): how the training data was
 * read, so that predict reads new data the same way (issue 19).
 * "gamma" (optional: files written before it read as 1): the relaxed
 * lasso's blend the coefficients are (model.relax), 1 for a penalized fit.
 * The selected fit's whole path (optional: files written before it have
 * none), for predictions at any alpha (rp_model_at_alpha, rp_model_at_point):
 *   "path": {"alphas": [...], "intercept": [...], "coef": [[b_1..b_p] per
 *    alpha, in feature_names order, original scale]},
 *   "index_min", "index_1se", "index_selected" (into the path), "alpha_min",
 *   "alpha_1se".
 * A multinomial model (K >= 3 classes, "classes" in the order 0..K-1) has
 * K linear predictors, eta_c = b0_c + x.b_c: "intercept" is [K numbers]
 * and "coef" [{name: value} per class], both in "classes" order; its path
 * has "intercept": [[K numbers] per alpha] and "coef": [[[b_1..b_p] per
 * class] per alpha].  In memory (rp_model) the K intercepts are
 * `intercepts` and coef holds K rows of p (class c's at coef + c p).
 */
#ifndef REGPATH_MODEL_H
#define REGPATH_MODEL_H

#include <stddef.h>

#include "regpath/api.h"
#include "regpath/error.h"
#include "regpath/config.h"
#include "regpath/path.h"
#include "regpath/run.h"
#include "regpath/table.h"

#ifdef __cplusplus
extern "C" {
#endif

struct rp_recipe;

typedef struct {
  rp_family family;
  char *target;
  size_t n_features;
  char **feature_names;
  double *coef;       /* original scale; multinomial: K rows of p, class c's at
                         coef + c p (K = rp_model_n_predictors)                    */
  double intercept;   /* b0; multinomial: 0, unused (see intercepts)               */
  double *intercepts; /* multinomial: the K classes' intercepts, in classes order
                         (summing to 0, glmnet's rule); NULL for other families    */
  double alpha, l1_ratio;
  double gamma; /* the relaxed lasso's blend (1: the penalized fit)       */
  int standardize, fit_intercept;
  rp_convention convention;
  double *mean, *scale;                        /* standardization used for the fit (informative) */
  rp_classes classes;                          /* binomial, multinomial: the target's classes   */
  size_t max_line;                             /* data.max_line_bytes of the run; 0 = 1 MiB      */
  struct rp_recipe *recipe;                    /* how a raw table becomes the design (id,
                                               columns, levels, missing values, offset; private) */
  size_t n_path;                               /* the selected fit's path: its points (0: none,
                                                  a model.json written before it was kept)     */
  double *path_alphas;                         /* n_path alphas, decreasing                     */
  double *path_intercept;                      /* n_path intercepts (multinomial: n_path K,
                                                  point k class c at k K + c)                   */
  double *path_coef;                           /* n_path rows of n_features (original scale;
                                                  multinomial: n_path K rows, point k class c's
                                                  at path_coef + (k K + c) n_features)          */
  size_t index_min, index_1se, index_selected; /* CV's points on the path    */
  rp_data_format data_format;                  /* the training data's format (issue 19):
                                                  RP_FORMAT_SVMLIGHT for features f1..fp,
                                                  index j of an svmlight file being f<j> */
} rp_model;

/* The model's number of linear predictors: K = classes.n for multinomial,
 * 1 for every other family. */
RP_API size_t rp_model_n_predictors(const rp_model *m);

/* Which point of the path: the run's selection, or the CV's min or 1se. */
typedef enum { RP_MODEL_AT_SELECTED = 0, RP_MODEL_AT_MIN, RP_MODEL_AT_1SE } rp_model_point;

/* The selected model of a run (res->selected_fit at res->selected_index),
 * with the settings it was fitted under from `cfg`. */
RP_API rp_status rp_model_from_run(const rp_run_result *res, const rp_config *cfg, rp_model **out,
                                   rp_error *err);

/* Make the model's alpha, intercept and coef those of path point `at`.
 * Errors: RP_EDATA when the model holds no path (the selected point of a
 * model without one is the model as it is). */
RP_API rp_status rp_model_at_point(rp_model *m, rp_model_point at, rp_error *err);

/* Make the model's intercept and coef those at `alpha` > 0, as glmnet's
 * predict(fit, s = alpha): the path's point where alpha is on the grid;
 * between grid points a_k > alpha > a_{k+1}, linear in alpha,
 *   b = f b_k + (1 - f) b_{k+1},   f = (alpha - a_{k+1}) / (a_k - a_{k+1});
 * outside the grid, its nearest end (m->alpha is then that end's alpha).
 * A multinomial model's K intercepts and coefficient rows move alike.
 * Errors: RP_EDATA when the model holds no path; RP_EINVAL for an alpha
 * that is not positive and finite. */
RP_API rp_status rp_model_at_alpha(rp_model *m, double alpha, rp_error *err);

/* The model's coefficients at its alpha as JSON text (malloc'd; NULL when
 * out of memory): {"alpha", "l1_ratio", "intercept", "coef": {name: b_j}},
 * the features in feature_names order, original scale.  Multinomial:
 * "intercept": [K numbers] and "coef": [{name: b_cj} per class], in
 * classes order, as in model.json. */
RP_API char *rp_model_coef_json(const rp_model *m);

/* The model as JSON text (malloc'd), or NULL when out of memory. */
RP_API char *rp_model_to_json(const rp_model *m);

/* Read model.json.  Errors: RP_EIO (cannot read), RP_EDATA (not a regpath
 * model, or a field missing/of the wrong type: named). */
RP_API rp_status rp_model_read(const char *path, rp_model **out, rp_error *err);

/* Read the CSV file `path` as the model needs it: its feature columns (a
 * categorical one as text), the id and target columns as text, the offset
 * column as numbers, every other column skipped (never parsed).  `max_line`
 * is the record limit (0 = the default).  Errors: as rp_table_read_csv. */
RP_API rp_status rp_model_read_data(const rp_model *m, const char *path, size_t max_line,
                                    rp_table **out, rp_error *err);

/* The linear predictor of every row of `t` (read by rp_model_read_data),
 * offset included: eta = offset + b0 + x.b, NaN for a row with a missing
 * feature the model does not impute (data.missing "drop" or "error"),
 * counted in *n_missing.  A level not seen in training is an RP_EDATA error
 * naming column and level, or with `unseen_zero` all-zero dummies, counted in
 * *n_unseen.  Errors as rp_model_predict, and RP_EDATA for a missing offset;
 * RP_EINVAL for a multinomial model, whose K predictors per row take
 * rp_model_predict_classes. */
RP_API rp_status rp_model_predict_rows(const rp_model *m, const rp_table *t, const char *source,
                                       int unseen_zero, double *eta, size_t *n_unseen,
                                       size_t *n_missing, rp_error *err);

/* The linear predictors of every row of `t` for any family, as
 * rp_model_predict_rows (same arguments, counts and errors), but eta holds
 * t->n_rows x rp_model_n_predictors(m) values: class c's from eta + c
 * n_rows (multinomial, K; rp_multinomial_probabilities of a row's K values
 * gives its class probabilities), the one predictor otherwise.  A row with
 * a missing feature has all its predictors NaN and counts once. */
RP_API rp_status rp_model_predict_classes(const rp_model *m, const rp_table *t, const char *source,
                                          int unseen_zero, double *eta, size_t *n_unseen,
                                          size_t *n_missing, rp_error *err);

/* A window of a CSV file predicted (rp_model_predict_file): its rows, read
 * by rp_model_read_data, and their linear predictors (class c's from eta +
 * c t->n_rows, as rp_model_predict_classes gives them).  An error it
 * returns on a line of the file, counted from the window's first row as
 * line 2, is moved to the file's own line. */
typedef rp_status (*rp_predicted_fn)(void *ctx, const rp_table *t, const double *eta,
                                     rp_error *err);

/* The predictions of every row of the CSV file `path`, a window of about
 * `window` bytes of its text at a time (0: 8 MiB, or two of the longest
 * lines), so that memory holds one window's rows, never the file's: each
 * window read by rp_model_read_data, predicted by rp_model_predict_classes
 * (same arguments and errors, on the file's own lines; the counts summed
 * over the windows), given to visit, and freed.  A gzip file, which cannot
 * be entered in the middle, is inflated a window at a time into a
 * temporary file (in TMPDIR, its name removed at once).  The first error
 * stops the walk. */
RP_API rp_status rp_model_predict_file(const rp_model *m, const char *path, size_t max_line,
                                       size_t window, int unseen_zero, rp_predicted_fn visit,
                                       void *ctx, size_t *n_unseen, size_t *n_missing,
                                       rp_error *err);

/* The column of the model's id in `t` (the empty-named first column of R's
 * write.csv, or data.id), or -1. */
RP_API long rp_model_id_column(const rp_model *m, const rp_table *t);

/* The class (binomial: 0 or 1; multinomial: 0..K-1) of a target cell's
 * text, or -1 when it is none of the model's classes. */
RP_API int rp_model_class_of(const rp_model *m, const char *text);

/* The data.missing of the run the model came from: what rp_model_predict_rows
 * does with a missing feature (RP_MISSING_ERROR for a model without one). */
RP_API rp_missing rp_model_missing(const rp_model *m);

/* Predictions for every row of `t`, matching features by column name (extra
 * columns ignored): the linear predictor eta = b0 + x.b (use rp_family_mean
 * for the mean: the probability of classes[1] for binomial, the expected
 * count for poisson).  yhat has t->n_rows values.  Errors: RP_EDATA naming the
 * first feature missing from the table (with the table's file name `source`),
 * RP_ENUMERIC, RP_ENOMEM. */
RP_API rp_status rp_model_predict(const rp_model *m, const rp_table *t, const char *source,
                                  double *yhat, rp_error *err);

/* The linear predictor eta_i = b0 + x_i.b of every row of the raw design X
 * (regpath/design.h: any storage), whose columns are the model's encoded
 * features in its order; no offset.  eta has X->n values; a NaN in X makes
 * its row's eta NaN.  rp_model_predict_rows is this on the table's encoded
 * rows (plus the offset).  Errors: RP_EINVAL (not the model's number of
 * columns, or a multinomial model: see rp_model_predict_classes), RP_ENOMEM. */
RP_API rp_status rp_model_predict_design(const rp_model *m, const rp_design *X, double *eta,
                                         rp_error *err);

/* The linear predictor of every line of the svmlight file `path` (issue
 * 19), whose index j is the model's j-th feature (feature_names order;
 * n_features = the model's p, so a larger index is an error naming its
 * line and column): eta = b0 + x.b, visiting only the stored entries.
 * `max_line` is the line limit (0 = the default).  *eta and *labels (the
 * lines' labels, as read) are malloc'd, *n values each; *n_qid counts the
 * lines with a qid: token (ignored).  A multinomial model's *eta holds *n
 * K values, class c's from *eta + c *n.  Errors: as rp_svmlight_read;
 * RP_EDATA when the model adds an offset (data.offset), which an svmlight
 * file has no column for; RP_ENUMERIC for a prediction that overflows. */
RP_API rp_status rp_model_predict_svmlight(const rp_model *m, const char *path, size_t max_line,
                                           double **eta, double **labels, size_t *n, size_t *n_qid,
                                           rp_error *err);

/* A window of an svmlight file predicted (rp_model_predict_svmlight_file):
 * its n lines' labels, as read, and their linear predictors (class c's
 * from eta + c n); `first_row` lines came before it (rows of the file are
 * numbered from 1). */
typedef rp_status (*rp_svmlight_predicted_fn)(void *ctx, const double *labels, const double *eta,
                                              size_t n, size_t first_row, rp_error *err);

/* rp_model_predict_svmlight a window of about `window` bytes of the file at
 * a time (0: 8 MiB, or two of the longest lines), so that memory holds one
 * window's rows, never the file's: each window's labels and predictions
 * are given to visit, then freed (a window may hold no line: n = 0).  A
 * gzip file is inflated a window at a time into a temporary file, as
 * rp_model_predict_file does.  *n_qid (may be NULL) counts the lines with
 * a qid: token.  Errors: as rp_model_predict_svmlight, at the file's own
 * lines; the first stops the walk. */
RP_API rp_status rp_model_predict_svmlight_file(const rp_model *m, const char *path,
                                                size_t max_line, size_t window,
                                                rp_svmlight_predicted_fn visit, void *ctx,
                                                size_t *n_qid, rp_error *err);

RP_API void rp_model_free(rp_model *m);

#ifdef __cplusplus
}
#endif
#endif
