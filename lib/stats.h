/* stats.h (private): the sufficient statistics of (weighted) least squares
 * over a set of rows.
 *
 * With every column shifted by a fixed value mu_j and scaled by w_j (the full
 * data's mean and largest deviation, so that the cross products keep their
 * precision and neither overflow nor underflow), x'_ij = (x_ij - mu_j)/w_j,
 * and y shifted by mu_y, and with observation weights v_i (all 1 without):
 *   n, W = sum_i v_i, sx_j = sum_i v_i x'_ij, sy = sum_i v_i (y_i - mu_y),
 *   xtx_jk = sum_i v_i x'_ij x'_ik,
 *   xty_j  = sum_i v_i x'_ij (y_i - mu_y),  yty = sum_i v_i (y_i - mu_y)^2.
 * The weights need no normalization: every formula divides by W.
 * They are sums over rows: the statistics of a fold's training rows are the
 * total minus those of its held-out rows, and blocks of rows held by
 * different processes add up.  Everything a covariance-update fit needs
 * (centred and scaled Gram matrix, X'y, sums of squares) follows from them.
 */
#ifndef REGPATH_STATS_H
#define REGPATH_STATS_H

#include "regpath/design.h"
#include "regpath/error.h"

typedef struct {
  size_t n, p;
  double *sx;  /* p                                          */
  double *xtx; /* p x p, column-major, both triangles filled */
  double *xty; /* p                                          */
  double sy, yty;
  double sw; /* W = sum_i v_i: n without weights                  */
} rp_stats;

rp_status rp_stats_alloc(size_t p, rp_stats **out, rp_error *err);

/* The shift and scale of rows `rows` (NULL = all X->n) of the raw design X
 * (design.h): the column means mu, the largest deviations w from them (1
 * for a constant column), y's mean; over the rows of positive weight only
 * (`weights` indexed as X's rows, NULL = all), so that a row of weight 0,
 * whatever its values, cannot swamp the others' spread in the units of w.
 * RP_ENOMEM only (a column's buffer). */
rp_status rp_stats_shift(const rp_design *X, const double *y, const double *weights,
                         const size_t *rows, size_t n_rows, double *mu, double *w, double *mu_y,
                         rp_error *err);

/* Accumulation by blocks of rows, in the spirit of GSL's
 * gsl_multilarge_linear: reset, accumulate every block (in a fixed order:
 * the sums are floating point), finish.  Whoever holds rows (a streamed
 * file, a process of a distributed fit) accumulates them; statistics of
 * disjoint row sets add up (and subtract: a fold's training rows are the
 * total less its held-out rows'). */
typedef struct {
  size_t m;        /* rows in the block                                        */
  double *x;       /* m x p column-major raw x_ij; overwritten (scratch)       */
  double *y;       /* m targets y_i; overwritten (scratch)                     */
  const double *v; /* m weights v_i >= 0, or NULL = all 1                   */
  double *root;    /* m doubles of scratch: sqrt(v_i)                          */
} rp_stats_block;

/* s = the statistics of no rows. */
void rp_stats_reset(rp_stats *s);

/* Add the block's rows, shifted and scaled by mu and w (p values each) and
 * mu_y: X'X by BLAS dsyrk of the block scaled by sqrt(v_i) (upper triangle). */
void rp_stats_accumulate(rp_stats *s, const rp_stats_block *blk, const double *mu, const double *w,
                         double mu_y);

/* After the last block: fill xtx's lower triangle. */
void rp_stats_finish(rp_stats *s);

/* The statistics of rows `rows` (n_rows; NULL = all X->n) of the raw design
 * X and y, shifted and scaled by mu and w and mu_y, weighted by `weights`
 * (indexed as X's rows, >= 0; NULL = all 1): reset, then the rows in blocks
 * of about 2 MiB (at least 128 rows) gathered and accumulated in order,
 * then finish. */
rp_status rp_stats_compute(rp_stats *s, const rp_design *X, const double *y, const double *weights,
                           const size_t *rows, size_t n_rows, const double *mu, const double *w,
                           double mu_y, rp_error *err);

/* out = a copy of s (same p). */
void rp_stats_copy(rp_stats *out, const rp_stats *s);

/* out = a - b, and out = a + b (out may be a or b). */
void rp_stats_subtract(rp_stats *out, const rp_stats *a, const rp_stats *b);
void rp_stats_add(rp_stats *out, const rp_stats *a, const rp_stats *b);

void rp_stats_free(rp_stats *s);

#endif
