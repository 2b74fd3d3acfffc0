/* regpath/run.h: one whole job as the `regpath` program runs it: load the
 * data named by a config, fit the path for every l1_ratio, cross-validate
 * each along its own grid with shared folds, and select the model. */
#ifndef REGPATH_RUN_H
#define REGPATH_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "regpath/api.h"
#include "regpath/classes.h"
#include "regpath/comm.h"
#include "regpath/config.h"
#include "regpath/cv.h"
#include "regpath/design.h"
#include "regpath/error.h"
#include "regpath/path.h"
#include "regpath/relax.h"

#ifdef __cplusplus
extern "C" {
#endif

struct rp_recipe;

/* A compressed-sparse-column matrix that owns its arrays (issue 19: a
 * run's X under data.storage "sparse"), laid out as rp_csc
 * (regpath/design.h), which borrows them for the fits.  All NULL when the
 * matrix is not held this way. */
typedef struct {
  size_t n, p;
  size_t *col_start;   /* p + 1 starts, from 0                          */
  uint32_t *row_index; /* col_start[p] rows, increasing within a column */
  double *values;      /* col_start[p] values, none of them 0          */
} rp_sparse_columns;

typedef struct {
  size_t n_samples, n_features;
  char **feature_names; /* n_features names                            */
  char *target;         /* the target column's name                    */
  size_t target_column; /* its place in the training file, from 1      */
  size_t n_columns;     /* the training file's columns                 */
  double *X;            /* n_samples x n_features, column-major        */
  double *y;
  int *fold_ids; /* one per row, 1..n_folds                     */
  size_t n_folds;
  int folds_given;      /* fold ids came from the config or a column   */
  size_t n_repeats;     /* cv.repeats: fold draws                     */
  int *repeat_fold_ids; /* n_repeats x n_samples: each draw's fold ids
                           (the first is fold_ids)                    */

  size_t n_test;           /* rows of data.test or held out by test_fraction (0 = none) */
  double *X_test, *y_test; /* n_test x n_features, column-major            */

  size_t n_fits;           /* one per l1_ratio                            */
  rp_path **paths;         /* full-data path of each fit                  */
  rp_cv **cvs;             /* its cross-validation                        */
  rp_scores **test_scores; /* with a test set: per fit, per alpha         */
  size_t *grid_extended;   /* per fit: points its generated grid was
                              extended by past alpha_min (path.extend)   */

  rp_metric metric; /* the CV metric (cv.metric)                   */
  rp_family family;
  rp_classes classes; /* binomial and multinomial: the target's classes (y = k is
                         class k)                                        */
  rp_rule rule;
  size_t selected_fit;   /* index into paths/cvs                        */
  size_t selected_index; /* alpha index on that fit's grid              */

  char **warnings; /* one line each: constant columns, non-convergence */
  size_t n_warnings;

  double load_s, path_s, cv_s, total_s; /* wall-clock seconds              */

  /* Issue 16: the table as read, and how it became X. */
  size_t n_rows_read;       /* data rows of data.train                       */
  size_t n_dropped_target;  /* rows dropped: no target value                 */
  size_t n_dropped_missing; /* rows dropped: a missing value (data.missing "drop") */
  struct rp_recipe *recipe; /* columns, levels, imputation (private: encode.h) */
  double *weights;          /* n_samples observation weights, or NULL (all 1) */
  double *offset;           /* n_samples offsets, or NULL (all 0)             */
  double *offset_test;      /* n_test offsets, or NULL                        */
  size_t *train_rows;       /* with cv.keep: each training row's data row in
                               data.train (0 = the first), else NULL           */
  char **ids;               /* with cv.keep and an id column: each training
                               row's id as written, else NULL                  */

  /* Issue 19: how X is held (data.storage).  Sparse: X and X_test are NULL
   * and the rows are in X_sparse and X_test_sparse; dense: those are empty.
   * rp_run_design gives the fits' view of either. */
  int sparse;                      /* X is held as compressed sparse columns  */
  rp_sparse_columns X_sparse;      /* n_samples x n_features, when sparse     */
  rp_sparse_columns X_test_sparse; /* n_test x n_features, when sparse       */
  size_t nnz;                      /* nonzero entries of the training X     */

  /* Issue 21: model.lower_limits and upper_limits (model.positive: lower
   * limits of 0), one per feature on the original scale, -HUGE_VAL or
   * HUGE_VAL where a feature has none; or NULL when the config gives none. */
  double *lower_limits, *upper_limits;

  /* Issue 21: model.relax.  The fits are then, for each l1_ratio in turn,
   * its penalized path (gamma 1) followed by its relaxed blends at the
   * gammas below 1, largest first: n_fits = n_l1_ratios x (1 +
   * n_relax_gammas), each fit's path->gamma and cv->gamma saying which. */
  size_t n_relax_gammas; /* model.gamma's values below 1, distinct          */
  double *relax_gammas;  /* in decreasing order                             */
  rp_relaxed **relaxed;  /* per fit: a penalized path's refits on all the
                            training rows (regpath/relax.h), NULL for a
                            blend; the array NULL without model.relax     */

  /* Issue 20: rows spread over processes (rp_run_comm).  X, y, weights and
   * offsets then hold this process's n_local rows, which are rows
   * [local_first, local_first + n_local) of the whole data; n_samples,
   * fold_ids, repeat_fold_ids and the counts are the whole data's, the
   * same in every process.  Without: comm NULL, n_local = n_samples,
   * local_first 0, spread NULL. */
  const rp_comm *comm;
  size_t n_local, local_first;
  rp_spread_matrix *spread; /* the design of those rows (rp_run_design) */
  /* Gaussian fits off the covariance route (p too large for a p x p
   * matrix per fit) cannot share their sums over rows: every process is
   * then sent every row (spread NULL, n_local = n_samples), fits the full
   * data's paths itself, and the folds are shared out over the processes
   * (rp_fit_options.fold_comm); fold_comm is comm then, else NULL. */
  const rp_comm *fold_comm;

  /* Issue 20: data.stream.  The training rows were read once and dropped:
   * X, y, weights and offsets are NULL, and the fits and their CV come
   * from the rows' sums (the library's own; rp_run_design gives their
   * design).  NULL without data.stream. */
  struct rp_summed *summed;
} rp_run_result;

/* Run the job described by `cfg`.  `progress` (may be NULL) is called after
 * each alpha of each fit; fits are numbered over all l1_ratios and folds.
 * *out is owned by the caller (rp_run_free).  Errors: as rp_table_read_csv,
 * RP_ECONFIG for config values that do not fit the data (named by key),
 * and as rp_path_fit / rp_cv_fit. */
RP_API rp_status rp_run(const rp_config *cfg, rp_progress_fn progress, void *progress_ctx,
                        rp_run_result **out, rp_error *err);

/* rp_run with the training rows spread over the processes of `comm`
 * (regpath/comm.h), each calling it with the same config: data.train's
 * shards (a list or a pattern; one file counts as a list of one) are cut
 * into comm->size runs of consecutive shards, and process r reads the r-th,
 * so the rows keep the list's order whatever the number of processes.
 * Every process gets the same result, the one rp_run gives on the shards'
 * rows in one process (to rounding: only the order of the sums over rows
 * differs), and the same status and error record (rp_comm_agree): a
 * malformed row in any shard stops them all.  The gaussian fits take the
 * covariance route (regpath/design.h: rp_design_spread) when p x p fits;
 * past it (no weights) every process is sent every row and the folds are
 * shared out over the processes (fold_comm above), which gives the one
 * process's answer to the bit; the other families take their IRLS steps
 * together.  What needs every row in one place is refused (RP_ECONFIG
 * naming the key): a test set, cv.keep, the relaxed lasso, sparse storage,
 * imputed means.
 * comm NULL: rp_run. */
RP_API rp_status rp_run_comm(const rp_config *cfg, const rp_comm *comm, rp_progress_fn progress,
                             void *progress_ctx, rp_run_result **out, rp_error *err);

/* The selection rule over all fits' CV curves (alphas decreasing in each).
 * "min": the smallest CV mean (ties: the earlier fit, then the larger alpha).
 * "1se" with one fit: cv.glmnet's lambda.1se.  "1se" with several: among all
 * (fit, alpha) pairs whose mean is within one standard error of the overall
 * minimum (its own standard error), the one with the fewest nonzero
 * coefficients, ties broken toward the larger alpha, then the larger l1_ratio.
 * When the fits share one l1_ratio and differ only in the relaxed lasso's
 * gamma (path->gamma), cv.glmnet(relax = TRUE)'s order instead, with no
 * count of nonzeros: "min" ties and "1se" go to the larger alpha, then the
 * larger gamma (rp_cv_choose_relaxed on the same curves). */
RP_API void rp_run_select(const rp_path *const *paths, const rp_cv *const *cvs, size_t n_fits,
                          rp_rule rule, size_t *fit, size_t *index);

/* 1 when every point of every path and fold fit converged within max_iter. */
RP_API int rp_run_converged(const rp_run_result *res);

/* Fit f's own point under the run's rule: its index_1se or index_min. */
RP_API size_t rp_run_rule_index(const rp_run_result *res, size_t f);

/* The runner-up: the fit other than the selected one with the smallest
 * minimum CV mean; n_fits when there is only one fit. */
RP_API size_t rp_run_runner_up(const rp_run_result *res);

/* The selection's margin in standard errors: (runner-up's minimum CV mean -
 * the selected fit's minimum CV mean) / the selected fit's se there.
 * Positive when the winner also has the lower CV error; 0 with one fit. */
RP_API double rp_run_margin_se(const rp_run_result *res);

/* Why the selected model won, as one plain sentence, e.g. "lasso selected:
 * CV mse 2905 ± 163 with 5 of 10 features; ridge 2890 ± 160 uses all 10;
 * within one standard error, the sparser model wins."  Into buf. */
RP_API void rp_run_explain(const rp_run_result *res, rp_metric metric, char *buf, size_t size);

/* "lasso", "ridge" or "elastic net" for an l1_ratio. */
RP_API const char *rp_penalty_name(double l1_ratio);

/* "lasso", "ridge", or "elastic net (l1_ratio 0.5)", into buf. */
RP_API void rp_fit_label(double l1_ratio, char *buf, size_t size);

/* rp_fit_label for a path, naming a relaxed blend's gamma: "relaxed lasso
 * (gamma 0.25)", "relaxed elastic net (l1_ratio 0.5, gamma 0)"; into buf. */
RP_API void rp_path_label(const rp_path *path, char *buf, size_t size);

/* First alpha index at which feature j is nonzero on the path (in any
 * class of a multinomial path), or path->n_alphas when it never enters. */
RP_API size_t rp_path_entry_index(const rp_path *path, size_t j);

/* The raw design (regpath/design.h) of the run's training X (`test` 0) or
 * test X (`test` 1), dense or sparse as the run holds it, borrowed: it
 * reads *M or *C, which the caller provides and which, with res, must
 * outlive it. */
RP_API rp_design rp_run_design(const rp_run_result *res, int test, rp_matrix *M, rp_csc *C);

RP_API void rp_run_free(rp_run_result *res);

#ifdef __cplusplus
}
#endif
#endif
