/* sparse_view.h (private): the working columns of a fit on rows of a
 * sparse matrix, x~_ij = x_{rows[i], j} / s_j, uncentred (sparse.h says
 * why), read in place through a map of the rows (one int per row of M),
 * or, for a fold of a cross-validation, as runs of a matrix whose rows are
 * grouped by fold (rp_csc_folds: nothing per fit); and one double per
 * column. */
#ifndef REGPATH_SPARSE_VIEW_H
#define REGPATH_SPARSE_VIEW_H

#include "sparse.h"

/* The fit's design over the n rows R gives of R->M (sparse.h): through
 * the map `map` (R->place, taken over and freed with the design; NULL
 * without one) or as a fold's runs; R->M must outlive it; inv_s (p
 * values, 1/s_j, 0 for a column left at 0) is copied.  *out is owned by
 * the caller (rp_design_free).  Errors: RP_ENOMEM (map freed). */
rp_status rp_sparse_view_alloc(const rp_sparse_rows *R, int32_t *map, size_t n, const double *inv_s,
                               rp_design **out, rp_error *err);

#endif
