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
  double sw;   /* W = sum_i v_i: n without weights                  */
} rp_stats;

rp_status rp_stats_alloc(size_t p, rp_stats **out, rp_error *err);

/* The shift and scale of rows `rows` (NULL = all X->n): the column means mu,
 * the largest deviations w from them (1 for a constant column), y's mean;
 * over the rows of positive weight only (`weights` indexed as X's rows,
 * NULL = all), so that a row of weight 0, whatever its values, cannot
 * swamp the others' spread in the units of w. */
void rp_stats_shift(const rp_matrix *X, const double *y, const double *weights, const size_t *rows,
                    size_t n_rows, double *mu, double *w, double *mu_y);

/* The statistics of rows `rows` (n_rows; NULL = all X->n) of X and y, shifted
 * and scaled by mu and w (p values each) and mu_y, weighted by `weights`
 * (indexed as X's rows, >= 0; NULL = all 1).  X'X by BLAS dsyrk over blocks
 * of rows, each scaled by sqrt(v_i). */
rp_status rp_stats_compute(rp_stats *s, const rp_matrix *X, const double *y, const double *weights,
                           const size_t *rows, size_t n_rows, const double *mu, const double *w,
                           double mu_y, rp_error *err);

/* out = a copy of s (same p). */
void rp_stats_copy(rp_stats *out, const rp_stats *s);

/* out = a - b (out may be a or b). */
void rp_stats_subtract(rp_stats *out, const rp_stats *a, const rp_stats *b);

void rp_stats_free(rp_stats *s);

#endif
