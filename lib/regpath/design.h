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
 * Columns are those of the matrix the solver works on, i.e. already centred
 * and scaled when the fit standardizes (a sparse implementation would apply
 * centring and scaling inside these two operations instead of storing them).
 */
#ifndef REGPATH_DESIGN_H
#define REGPATH_DESIGN_H

#include <stddef.h>

#include "regpath/api.h"
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
  void (*free)(rp_design *X);
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

/* Free the design; NULL is harmless. */
RP_API void rp_design_free(rp_design *X);

#ifdef __cplusplus
}
#endif
#endif
