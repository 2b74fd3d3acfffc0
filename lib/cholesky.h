/* cholesky.h (private): a floored Cholesky factor that follows a changing
 * set of columns.
 *
 * A = L L' for the symmetric positive semidefinite Gram matrix A of an
 * active set, L lower triangular, m x m, column-major with a fixed leading
 * dimension ld (so that the set can grow and shrink in place).  A pivot
 * below `floor` (CHOLESKY_FLOOR times the largest diagonal seen) is raised
 * to it, so L L' = A + E with E >= 0 diagonal and no step ever fails.
 *
 * A column joining the set costs one triangular solve, O(m^2); a column
 * leaving costs a rank-one update of the rows after it (Givens rotations),
 * O((m - k)^2); refactoring from scratch costs m^3/3, by BLAS 3.  Every
 * loop here is single-threaded and in a fixed order, so the factor does not
 * depend on the BLAS thread count.
 */
#ifndef REGPATH_CHOLESKY_H
#define REGPATH_CHOLESKY_H

#include <stddef.h>

#include "tuning.h" /* RP_CHOLESKY_FLOOR */

typedef struct {
  double *L;    /* ld x ld storage; the factor in its leading m x m lower triangle */
  size_t m;     /* order     */
  size_t ld;    /* leading dimension: the largest order it can hold    */
  double floor; /* the smallest pivot^2 allowed */
} rp_cholesky;

/* Factor in place the m x m symmetric A held in L (lower triangle read). */
void rp_cholesky_factor(rp_cholesky *c, size_t m);

/* Grow the order by one: the new last column of A has entries a (m of
 * them, overwritten) against the current columns and diagonal d.
 * Requires m < ld. */
void rp_cholesky_append(rp_cholesky *c, double *a, double d);

/* Drop row and column k; `work` has room for m doubles. */
void rp_cholesky_remove(rp_cholesky *c, size_t k, double *work);

/* Whether some pivot is at (or within a factor 2 of) the floor: A is then
 * numerically singular, and a solve meaningless. */
int rp_cholesky_singular(const rp_cholesky *c);

/* y = L L' x (the factored A + E times x) for x and y of order m, in two
 * triangular passes that read L contiguously; `work` holds m doubles. */
void rp_cholesky_product(const rp_cholesky *c, const double *x, double *y, double *work);

/* x <- (L L')^{-1} x. */
void rp_cholesky_solve(const rp_cholesky *c, double *x);

#endif
