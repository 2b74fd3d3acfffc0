/* stats.h (private): the sufficient statistics of least squares over a set
 * of rows.
 *
 * With every column shifted by a fixed value mu_j and y by mu_y (the full
 * data's means, so that the cross products keep their precision):
 *   n, sx_j = sum_i (x_ij - mu_j), sy = sum_i (y_i - mu_y),
 *   xtx_jk = sum_i (x_ij - mu_j)(x_ik - mu_k),
 *   xty_j  = sum_i (x_ij - mu_j)(y_i - mu_y),  yty = sum_i (y_i - mu_y)^2.
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
} rp_stats;

rp_status rp_stats_alloc(size_t p, rp_stats **out, rp_error *err);

/* The statistics of rows `rows` (n_rows; NULL = all X->n) of X and y, shifted
 * by mu (p values) and mu_y.  X'X by BLAS dsyrk over blocks of rows. */
rp_status rp_stats_compute(rp_stats *s, const rp_matrix *X, const double *y, const size_t *rows,
                           size_t n_rows, const double *mu, double mu_y, rp_error *err);

/* out = a copy of s (same p). */
void rp_stats_copy(rp_stats *out, const rp_stats *s);

/* out = a - b (out may be a or b). */
void rp_stats_subtract(rp_stats *out, const rp_stats *a, const rp_stats *b);

void rp_stats_free(rp_stats *s);

#endif
