/* sparse.h (private): what the library does with a caller's compressed-column
 * matrix (rp_design_csc, regpath/design.h) beyond the raw design's ops.
 *
 * A sparse X is never centred: x - m_j 1 has no zeros.  Its fits take the
 * columns x~_j = x_j / s_j (s_j the column's centred standard deviation,
 * as glmnet standardizes) and the intercept as a coordinate of the IRLS
 * solver (glm.h), which the gaussian family then uses too; b0 absorbs the
 * means.  A fit over some rows reads the same arrays through a map from
 * the matrix's rows to the fit's (sparse_view.c), so a fold costs O(N)
 * integers, not a copy.
 */
#ifndef REGPATH_SPARSE_H
#define REGPATH_SPARSE_H

#include "regpath/design.h"

/* place[r] = i for r = rows[i], -1 for the N rows not listed (malloc'd,
 * the caller frees it).  RP_ENOMEM, or RP_EINVAL when a row is listed
 * twice (a map holds one place per row). */
rp_status rp_sparse_row_places(size_t N, const size_t *rows, size_t n, int32_t **place,
                               rp_error *err);

/* The fitted row of M's stored entry k under the map `place` (NULL: every
 * row, in order), or -1 when its row is not fitted. */
static inline long rp_sparse_fitted_row(const rp_csc *M, const int32_t *place, size_t k) {
  uint32_t r = M->row_index[k];
  return place ? place[r] : (long)r;
}

/* eta_i = b0 + sum_j coef_j x_{rows[i], j} over the nonzero coef_j, in
 * increasing j (rp_predict_rows's order), visiting only the stored entries.
 * Returns 0, touching nothing, when it cannot (no memory for the map, or
 * a row listed twice): the caller then gathers columns. */
int rp_sparse_predict(const rp_csc *M, const double *coef, double b0, const size_t *rows, size_t n,
                      double *eta);

#endif
