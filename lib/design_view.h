/* design_view.h (private): the working columns of a fit on some rows of a
 * shared matrix, without copying them.
 *
 * The shared matrix holds z_ij for all N rows (column j at z + j * ld), read
 * only, so that every fold of a cross-validation, on any thread, can use the
 * one copy.  The view's rows are rows[0..n) of it, and its columns are
 *   x~_ij = (z_{rows[i], j} - c_j) / d_j,
 * applied inside the rp_design operations instead of stored: with
 * S = sum_i v_i,
 *   dot(j, v)     = (sum_i z_{rows[i], j} v_i - c_j S) / d_j
 *   dots(v, out)  : v scattered into an N-vector that is 0 off the rows, one
 *                   BLAS dgemv with the whole shared matrix, then the same
 *                   correction per column.
 * A column a fit uses one at a time (dot, axpy and their weighted forms)
 * is written out contiguously on first use, up to an eighth of the
 * columns: a fit keeps coming back to its few strong columns, and reading
 * z through rows[] costs several times a contiguous pass (wide 500 x 10000,
 * path + 10-fold CV: 35% less CPU).  Past that room the view gathers.
 * Cancellation in the correction costs about log10(|c_j| / sd(z_j)) digits,
 * so z should be nearly centred already (cv.c passes X itself when no
 * column's mean exceeds 1,000 largest deviations, else z = (x - mu)/w with
 * the full data's mean and largest deviation, which leaves |c_j| small).
 * A column with 1/d_j = 0 is identically 0 (a constant column).
 */
#ifndef REGPATH_DESIGN_VIEW_H
#define REGPATH_DESIGN_VIEW_H

#include "regpath/design.h"

/* A view of rows `rows` (n of them, each < N; NULL: all N in order, read
 * in place, so that nothing is stored or gathered) of the N x p matrix z with
 * leading dimension ld >= N; c and inv_d (p values each, 1/d_j) are copied.
 * `rows` and z are borrowed: they must outlive the design.  *out is owned
 * by the caller (rp_design_free). */
rp_status rp_design_view_alloc(const double *z, size_t N, size_t p, size_t ld, const size_t *rows,
                               size_t n, const double *c, const double *inv_d, rp_design **out,
                               rp_error *err);

#endif
