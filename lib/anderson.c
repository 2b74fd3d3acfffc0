/* anderson.c: the weights of an extrapolation of iterates (see anderson.h). */
#include "anderson.h"

#include <gsl/gsl_linalg.h>
#include <gsl/gsl_permutation.h>
#include <math.h>

int rp_anderson_weights(double *M, size_t k, double *rhs, size_t *perm, double *c) {
  double dmax = 0.0, sum = 0.0;
  for (size_t t = 0; t < k; t++) dmax = fmax(dmax, M[t * k + t]);
  if (!(dmax > 0.0) || !isfinite(dmax)) return 0;
  for (size_t t = 0; t < k * k; t++) {
    M[t] /= dmax;
    if (!isfinite(M[t])) return 0;
  }
  for (size_t t = 0; t < k; t++) rhs[t] = 1.0;
  gsl_matrix_view mv = gsl_matrix_view_array(M, k, k);
  gsl_vector_view bv = gsl_vector_view_array(rhs, k), cv = gsl_vector_view_array(c, k);
  gsl_permutation p = {k, perm};
  if (gsl_linalg_mcholesky_decomp(&mv.matrix, &p, NULL) != GSL_SUCCESS ||
      gsl_linalg_mcholesky_solve(&mv.matrix, &p, &bv.vector, &cv.vector) != GSL_SUCCESS)
    return 0;
  for (size_t t = 0; t < k; t++) sum += c[t];
  if (!(fabs(sum) > 0.0) || !isfinite(sum)) return 0;
  for (size_t t = 0; t < k; t++) {
    c[t] /= sum;
    if (!isfinite(c[t])) return 0;
  }
  return 1;
}
