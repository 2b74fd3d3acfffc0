/* sparse_view.h (private): the working columns of a fit on rows of a
 * sparse matrix, x~_ij = x_{rows[i], j} / s_j, uncentred (sparse.h says
 * why), read in place through a map of the rows.  Memory per fit: one int
 * per row of M and one double per column. */
#ifndef REGPATH_SPARSE_VIEW_H
#define REGPATH_SPARSE_VIEW_H

#include "sparse.h"

/* The fit's design over the n rows of M that `place` maps (from
 * rp_sparse_row_places, taken over and freed with the design; NULL: all
 * n = M->n, in order); M must outlive it; inv_s (p values, 1/s_j, 0 for a
 * column left at 0) is copied.  *out is owned by the caller
 * (rp_design_free).  Errors: RP_ENOMEM (place freed). */
rp_status rp_sparse_view_alloc(const rp_csc *M, int32_t *place, size_t n, const double *inv_s,
                               rp_design **out, rp_error *err);

#endif
