/* summed.h (private): a training set known only through its sums
 * (data.stream, stream.c).  Its rows are added a block at a time and
 * dropped: what stays is each fold's held-out statistics (stats.h), all
 * shifted and scaled by the first block's means and largest deviations,
 * each fold's tests of constant columns, and its row counts and weights.
 * Every gaussian fit on the covariance route, the full data's and each
 * fold's, needs only these (fit_source.h), and so does a fold's mean
 * squared error at any coefficients (rp_summed_loss): p^2 numbers a fold,
 * whatever the number of rows. */
#ifndef REGPATH_SUMMED_H
#define REGPATH_SUMMED_H

#include "regpath/design.h"
#include "stats.h"

typedef struct rp_summed {
  size_t n, p, n_folds;
  int shifted;          /* mu, w and mu_y are set (by the first block)     */
  double *mu, *w, mu_y; /* the statistics' shift and scale                  */
  rp_stats *total;      /* every row: the folds' statistics added           */
  rp_stats **held_out;  /* n_folds: each fold's rows                        */
  double *tops;         /* n_folds x 2 (p + 1): each fold's constancy tops
                           (problem.h), y's last                            */
  int *constant;        /* (n_folds + 1) x (p + 1): constant on each fold's
                           training rows, then on every row; y's last       */
  double *fold_sums;    /* n_folds x 4: held-out rows and weight, training
                           rows and weight (fit_source.h)                   */
  double *scratch;      /* a block's rows regrouped by fold: room for
                           scratch_rows x (p + 3) doubles                   */
  size_t scratch_rows;
  unsigned char *test_rows; /* data.test_fraction (stream.c): 1 for each of
                               the n_read rows read, in order, that went to
                               the test set instead of the sums; else NULL */
  size_t n_read;
} rp_summed;

rp_status rp_summed_alloc(size_t p, rp_summed **out, rp_error *err);
void rp_summed_free(rp_summed *S);

/* Add a block of rows: X (its n rows, dense), their targets y (less a
 * gaussian offset), weights v (NULL = all 1) and fold ids (1, 2, ...; a
 * fold not seen before is added).  The first block's shift and scale
 * (rp_stats_shift) hold for every block. */
rp_status rp_summed_add(rp_summed *S, const rp_matrix *X, const double *y, const double *v,
                        const int *fold_ids, rp_error *err);

/* After the last block: the total statistics and every fold's row sums
 * and constant columns.  RP_ENOMEM only. */
rp_status rp_summed_finish(rp_summed *S, rp_error *err);

/* The weighted sum of squared residuals, sum_i v_i (y_i - b0 - x_i'b)^2,
 * over the rows of statistics s (shifted by mu, mu_y and scaled by w) at
 * the raw coefficients b (p) and intercept b0: with g_j = w_j b_j and
 * c = b0 + mu'b - mu_y, each residual is y'_i - x'_i g - c in the
 * statistics' units, so the sum is
 *   yty - 2 g'xty - 2 c sy + g'(X'X) g + 2 c g'sx + c^2 sw. */
double rp_summed_loss(const rp_stats *s, const double *mu, const double *w, double mu_y,
                      const double *b, double b0);

/* The design of S's rows (S->n x S->p): no operation reads a row, so only
 * the summed routes may take it (rp_design_summed_of). */
rp_design rp_design_summed(const rp_summed *S);

/* The summed training set behind a design of rp_design_summed, else NULL. */
const rp_summed *rp_design_summed_of(const rp_design *X);

#endif
