/* regpath/design.h: the design matrix as the solvers see it.
 *
 * The coordinate-descent solvers touch X only through column operations, so
 * that a sparse or a distributed matrix can stand in for the dense one later:
 *   dot(j, v)     = sum_i x_ij v_i
 *   axpy(j, a, v) : v_i += a x_ij for every row i
 *   dots(v, out)  : out_j = sum_i x_ij v_i for every column j (X'v at once,
 *                   which a dense matrix does with BLAS and a distributed one
 *                   sums across processes)
 *   waxpy(j, a, w, v) : v_i += a w_i x_ij       (row weights w: the weighted
 *   wnorm2(j, w)      = sum_i w_i x_ij^2         least squares inside IRLS)
 *   wgram(cols, k, w, out, ld) : out[a ld + b] = sum_i w_i x_{i,cols[a]} x_{i,cols[b]}
 *                   for b <= a < k (the lower triangle of a row-major k x k
 *                   array), w_i >= 0: the weighted Gram matrix of a few
 *                   columns, which a dense matrix forms with BLAS 3.  It
 *                   returns 0 when it could not (no memory).  Optional:
 *                   without it the IRLS solver (binomial, poisson) goes
 *                   without its exact steps on the support, and converges
 *                   more slowly near separation.  Over this process's rows
 *                   only, as dot.
 *   reduce(v, k)  : v_t <- the sum of v_t over every process holding rows of
 *                   X, t < k: finishes a sum over rows that the caller began
 *                   on its own rows (residual sums of squares, losses,
 *                   intercept moments).  NULL: all rows are local, v stays.
 * Columns are those of the matrix the solver works on, i.e. already centred
 * and scaled when the fit standardizes (a sparse implementation would apply
 * centring and scaling inside these two operations instead of storing them).
 *
 * A *raw* design is the caller's X as stored, which the library reads only
 * for setup (means, scales, constant columns, the working copy, the
 * statistics of the covariance route) and for scoring (predictions), through
 * two more operations:
 *   column(j, rows, n_rows, out) : out_i = x_{rows[i], j}, i < n_rows (rows
 *                                  NULL: every row, n_rows = n)
 *   rows(first, count, out)      : the block of rows [first, first + count),
 *                                  count x p column-major (ld = count)
 * Both only copy values, so any storage gives the same numbers.  n is the
 * rows held here.  rp_design_matrix wraps a dense rp_matrix; a new storage
 * (sparse, row-major, blocks) implements these two and free (the solver
 * operations may be NULL: the library never calls them on a raw design),
 * and the public rp_*_design entry points (path.h, cv.h) take it.
 */
#ifndef REGPATH_DESIGN_H
#define REGPATH_DESIGN_H

#include <stddef.h>
#include <stdint.h>

#include "regpath/api.h"
#include "regpath/comm.h"
#include "regpath/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rp_design rp_design;

typedef struct {
  double (*dot)(const rp_design *X, size_t j, const double *v);
  void (*axpy)(const rp_design *X, size_t j, double a, double *v);
  void (*dots)(const rp_design *X, const double *v, double *out);
  void (*waxpy)(const rp_design *X, size_t j, double a, const double *w, double *v);
  double (*wnorm2)(const rp_design *X, size_t j, const double *w);
  void (*reduce)(const rp_design *X, double *v, size_t k);
  void (*free)(rp_design *X);
  /* raw designs (see above); NULL in the solvers' working designs */
  void (*column)(const rp_design *X, size_t j, const size_t *rows, size_t n_rows, double *out);
  void (*rows)(const rp_design *X, size_t first, size_t count, double *out);
  /* optional, NULL allowed (see above; last, so that older initializers
   * stay valid) */
  int (*wgram)(const rp_design *X, const size_t *cols, size_t k, const double *w, double *out,
               size_t ld);
  /* optional: v_t <- the largest v_t over every process holding rows of X,
   * t < k, as reduce sums them (column ranges, a fold's count; NULL: all
   * rows are local, v stays) */
  void (*reduce_max)(const rp_design *X, double *v, size_t k);
} rp_design_ops;

struct rp_design {
  size_t n; /* rows    */
  size_t p; /* columns */
  const rp_design_ops *ops;
  void *impl;
};

/* A read-only view of a dense column-major matrix supplied by the caller:
 * x_ij = values[j * ld + i], ld >= n. */
typedef struct {
  size_t n, p, ld;
  const double *values;
} rp_matrix;

/* A read-only compressed-column (CSC) sparse matrix supplied by the caller:
 * column j's stored entries are values[k] at rows row_index[k], for k in
 * [col_start[j], col_start[j + 1]), rows strictly increasing within a
 * column; every other entry is 0.  col_start has p + 1 values, from 0. */
typedef struct {
  size_t n, p;
  const size_t *col_start;
  const uint32_t *row_index;
  const double *values;
} rp_csc;

/* Dense design owning a copy of `values` (n x p, column-major, ld = n).
 * *out is owned by the caller (rp_design_free). */
RP_API rp_status rp_design_dense_alloc(size_t n, size_t p, rp_design **out, rp_error *err);

/* Column j of a dense design, for filling it (n contiguous values). */
RP_API double *rp_design_dense_column(rp_design *X, size_t j);

static inline double rp_design_dot(const rp_design *X, size_t j, const double *v) {
  return X->ops->dot(X, j, v);
}
static inline void rp_design_axpy(const rp_design *X, size_t j, double a, double *v) {
  X->ops->axpy(X, j, a, v);
}

static inline void rp_design_dots(const rp_design *X, const double *v, double *out) {
  X->ops->dots(X, v, out);
}

static inline void rp_design_waxpy(const rp_design *X, size_t j, double a, const double *w,
                                   double *v) {
  X->ops->waxpy(X, j, a, w, v);
}

static inline double rp_design_wnorm2(const rp_design *X, size_t j, const double *w) {
  return X->ops->wnorm2(X, j, w);
}

/* 1 when out holds the weighted Gram matrix, 0 when the design has none. */
static inline int rp_design_wgram(const rp_design *X, const size_t *cols, size_t k, const double *w,
                                  double *out, size_t ld) {
  return X->ops->wgram && X->ops->wgram(X, cols, k, w, out, ld);
}

static inline void rp_design_column(const rp_design *X, size_t j, const size_t *rows, size_t n_rows,
                                    double *out) {
  X->ops->column(X, j, rows, n_rows, out);
}

static inline void rp_design_rows(const rp_design *X, size_t first, size_t count, double *out) {
  X->ops->rows(X, first, count, out);
}

/* The raw design of a dense matrix, borrowed: it reads *M, which must
 * outlive it, copies nothing and is not freed (no rp_design_free).  All the
 * operations above work on it (on M's columns as they are). */
RP_API rp_design rp_design_matrix(const rp_matrix *M);

/* This process's rows of a dense matrix whose rows are spread over
 * processes (regpath/comm.h): M holds the rows here, in the order of the
 * whole matrix; every sum over rows the library finishes (reduce,
 * reduce_max) takes in the other processes' rows through comm. */
typedef struct {
  rp_matrix M;
  const rp_comm *comm;
} rp_spread_matrix;

/* The raw design of *S, borrowed as rp_design_matrix's.  Paths and
 * cross-validations on it take the covariance route (the gaussian family;
 * fit_source.h), whose statistics add up over processes. */
RP_API rp_design rp_design_spread(const rp_spread_matrix *S);

/* The raw design of a sparse matrix, borrowed as rp_design_matrix's: every
 * operation reads only the stored entries, so a fit on it never forms the
 * dense n x p array (its working columns are sparse too: sparse_view.h).
 * rp_csc_check says whether *M is well formed. */
RP_API rp_design rp_design_csc(const rp_csc *M);

/* RP_EINVAL naming the first entry out of order or out of range, or a
 * value that is not finite; RP_OK for a well-formed matrix. */
RP_API rp_status rp_csc_check(const rp_csc *M, rp_error *err);

/* The matrix behind an rp_design_csc design, else NULL. */
RP_API const rp_csc *rp_design_sparse_matrix(const rp_design *X);

/* The matrix behind an rp_design_matrix design, else NULL (for the routes
 * that can share a dense matrix instead of copying it). */
RP_API const rp_matrix *rp_design_dense_matrix(const rp_design *X);

/* Free the design; NULL is harmless. */
RP_API void rp_design_free(rp_design *X);

#ifdef __cplusplus
}
#endif
#endif
