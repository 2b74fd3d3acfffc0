/* fit_source.h (private): where each fit gets its data, decided in this one
 * place for rp_path_fit (rp_fit_source_path) and for the full-data fit and
 * every fold of a cross-validation (rp_fit_source). */
#ifndef REGPATH_FIT_SOURCE_H
#define REGPATH_FIT_SOURCE_H

#include "regpath/path.h"
#include "problem.h"
#include "stats.h"
#include "summed.h"

/* Where the fits of one cross-validation come from.  On the covariance
 * route the statistics of all rows are computed once; a fold's training
 * statistics are that total minus its held-out rows', so all K + 1 fits cost
 * about two Gram matrices (plus one per fold fitted at the same time).  On
 * the naive route of the gaussian family every fit works on a view of its
 * rows of one shared matrix Z (design_view.h), whatever the number of
 * threads: a dense X itself when its columns are nearly centred (another
 * storage: a copy of its values), else X standardized once by the full
 * data's mean and largest deviation, z = (x - mu)/w (open_shared).  The
 * IRLS families' fits on a dense X of local rows view all its rows of that
 * same Z, a fold's held-out rows weighted 0 (fold_weights); gaussian fits
 * with weights (a view has no row scale sqrt(v_i), problem.h), and IRLS
 * fits on rows spread over processes, copy their rows.  The source is
 * read-only while the folds run, so that they can run in parallel. */
typedef struct {
  const rp_design *X;   /* raw (design.h): the caller's X in any storage    */
  const double *y;      /* the target fitted: y - o for a gaussian offset    */
  double *y_fit;        /* that y - o (owned), else NULL                     */
  rp_fit_options opt;   /* the caller's, less a gaussian offset (taken in y) */
  rp_stats *total;      /* covariance route, else NULL                       */
  rp_matrix Z;          /* naive gaussian route: the views' shared matrix   */
  double *z;            /* its values when they are a standardized copy      */
  size_t *all_rows;     /* with Z but fold_weights: 0..n-1, the full-data
                           fit's rows (else NULL)                          */
  int fold_weights;     /* with Z, IRLS families: every fit views all n rows,
                           a fold's held-out ones weighted 0 (fit_source.c) */
  double *mu, *w, mu_y; /* the shift and scale of the statistics or of z     */
  /* Rows spread over processes, covariance route (rp_fit_source_spread_folds):
   * each fold's held-out statistics and training rows' constant columns,
   * summed over the processes before the folds run, so that their fits make
   * no collective call and can run on threads; else NULL. */
  rp_stats **held_out; /* n_folds                                          */
  int *fold_constant;  /* n_folds x (p + 1), y's last                       */
  double *fold_sums;   /* n_folds x 4: held-out rows and weight, training
                          rows and weight                                  */
  size_t n_folds;
  /* A summed training set (summed.h): every statistic above is its own,
   * borrowed, fold_constant has one more row (every row's), and no fit
   * reads a row; else NULL. */
  const rp_summed *summed;
  /* A sparse X's rows grouped by the folds (rp_fit_source_order_folds), which
   * the folds' fits read instead of X through a map; else NULL. */
  rp_csc_folds *folds;
} rp_fit_source;

/* What one fit on the covariance route writes: the statistics it downdates
 * and turns into its Gram matrix, and its constant-column flags. */
typedef struct {
  rp_stats *stats;
  int *constant;
} rp_fit_scratch;

/* Whether a fit of n rows and p columns runs on the Gram matrix (covariance
 * updates) or on the columns (naive updates): as asked, or by shape. */
int rp_fit_uses_gram(const rp_fit_options *opt, size_t n, size_t p);

/* The source of every fit on X and y with options opt (its observations
 * checked; a gaussian offset taken into the target, rp_offset_target).
 * src->opt is the options the fits take.  Closed by rp_fit_source_close. */
rp_status rp_fit_source_open(rp_fit_source *src, const rp_design *X, const double *y,
                             const rp_fit_options *opt, rp_error *err);
void rp_fit_source_close(rp_fit_source *src);

/* Room for one fit at a time from src (nothing but on the covariance
 * route). */
rp_status rp_fit_scratch_open(rp_fit_scratch *sc, const rp_fit_source *src, rp_error *err);
void rp_fit_scratch_close(rp_fit_scratch *sc);

/* Fold k's rows (fold ids k + 1) into test, the others into train, each
 * in order. */
void rp_fit_source_split(const int *fold_ids, size_t n, size_t k, size_t *train, size_t *n_train,
                         size_t *test, size_t *n_test);

/* A fold's four sums over this process's rows (rows.h adds the others'):
 * its held-out rows and their weight (1 each without weights), its
 * training rows and their weight (0 without weights, where none is used). */
void rp_fit_source_fold_sums(const double *weights, const size_t *train, size_t n_train,
                             const size_t *test, size_t n_test, double sums[4]);

/* With rows spread over processes on the covariance route, the folds'
 * summed statistics (held_out, fold_constant, fold_sums above), when K of
 * them take at most a fixed budget of memory; else nothing, and each fold
 * sums its own as it runs.  A collective call (regpath/comm.h). */
rp_status rp_fit_source_spread_folds(rp_fit_source *src, const int *fold_ids, size_t K,
                                     rp_error *err);

/* For a sparse X on the column route, its rows grouped by fold ids 1..K
 * (src->folds), read by the fold fits that follow; else nothing.  One copy
 * of X's entries, made once for every fold, and only where the memory left
 * holds it: without it the folds read X through maps of their rows, as
 * every other fit on chosen rows does (the same fits, summed in another
 * order). */
void rp_fit_source_order_folds(rp_fit_source *src, const int *fold_ids, size_t K);

/* The path of the fit on `train` (NULL = every row), whose complement is
 * `test` (fold `fold`'s held-out rows), by the source's route, with
 * scratch `sc`; its points go to `sink` when given (rp_path_fit_streamed). */
rp_status rp_fit_source_fit(const rp_fit_source *src, rp_fit_scratch *sc, size_t fold,
                            const size_t *train, size_t n_train, const size_t *test, size_t n_test,
                            const rp_fit_options *opt, const rp_point_sink *sink, rp_path **out,
                            rp_error *err);

/* The full-data path, with scratch of its own, freed before it returns. */
rp_status rp_fit_source_fit_all(const rp_fit_source *src, const rp_fit_options *opt, rp_path **out,
                                rp_error *err);

/* The path of one fit on rows `rows` (NULL = all X->n) by the route
 * rp_fit_uses_gram picks: the rows' own statistics (covariance), or a copy
 * of them (naive, IRLS); y - o for a gaussian offset already taken by the
 * caller (rp_path_fit). */
rp_status rp_fit_source_path(const rp_design *X, const double *y, const size_t *rows, size_t n_rows,
                             const rp_fit_options *opt, rp_path **out, rp_error *err);

/* Bytes that one fit takes beyond the source, by its route (for planning
 * how many folds run at once). */
double rp_fit_source_bytes(const rp_fit_source *src);

#endif
