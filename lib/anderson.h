/* anderson.h (private): the weights of an extrapolation of iterates, one
 * formula for coordinate descent's (cd_extrapolate.c) and IRLS's
 * (glm_accel.c).
 *
 * With U the k differences of k + 1 iterates (U_t = x_{t+1} - x_t, or of
 * their residuals), the affine combination of smallest ||U c|| is
 *   c = (U'U)^{-1} 1 / 1'(U'U)^{-1} 1,   sum_t c_t = 1
 * (Massias, Gramfort & Salmon 2018, eq. 9; Anderson acceleration).
 */
#ifndef REGPATH_ANDERSON_H
#define REGPATH_ANDERSON_H

#include <stddef.h>

/* c (k values) from M = U'U (k x k, row-major; overwritten: scaled to a
 * unit largest diagonal and factored by GSL's modified Cholesky, which
 * perturbs a (near-)singular matrix instead of failing, so no GSL error is
 * raised).  rhs and perm are k values of scratch.  Returns 0 when M or the
 * weights are not finite. */
int rp_anderson_weights(double *M, size_t k, double *rhs, size_t *perm, double *c);

#endif
