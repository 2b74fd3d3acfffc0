/* rows.h (private): the one way a sum over rows is finished.
 *
 * A solver sums over the rows it holds (in its own fixed order, e.g.
 * rp_sum_of_products), then hands the k partial results to rp_rows_sum,
 * which adds them over every process holding rows of the design (its
 * `reduce` op; regpath/design.h).  With all rows local, as for the dense
 * and view designs, the values stay as they are.  Every sum over rows in
 * the solvers (residual sums of squares, <r, y>, losses, intercept
 * moments) goes through here, so that rows spread over processes need
 * nothing but a design with a `reduce`.  Sums over columns (Gram
 * products, penalties) are not row sums and do not. */
#ifndef REGPATH_ROWS_H
#define REGPATH_ROWS_H

#include "regpath/design.h"

/* v[0..k) summed over the processes holding rows of X (NULL: the Gram
 * route, which has no rows). */
static inline void rp_rows_sum(const rp_design *X, double *v, size_t k) {
  if (X && X->ops->reduce) X->ops->reduce(X, v, k);
}

/* v[0..k) the largest over the processes holding rows of X (a design
 * without reduce_max: all rows are local, v stays). */
static inline void rp_rows_max(const rp_design *X, double *v, size_t k) {
  if (X && X->ops->reduce_max) X->ops->reduce_max(X, v, k);
}

/* One sum finished: returns the total of `local`. */
static inline double rp_rows_total(const rp_design *X, double local) {
  rp_rows_sum(X, &local, 1);
  return local;
}

#endif
