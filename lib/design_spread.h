/* design_spread.h (private): working designs of rows spread over processes
 * (regpath/comm.h, rp_design_spread). */
#ifndef REGPATH_DESIGN_SPREAD_H
#define REGPATH_DESIGN_SPREAD_H

#include "regpath/design.h"

/* A dense working design of this process's n rows (n may be 0), as
 * rp_design_dense_alloc's, whose sums over rows (reduce, reduce_max, dots)
 * take in the other processes' through comm.  rp_design_dense_column fills
 * it.  Freed by rp_design_free. */
rp_status rp_design_spread_alloc(size_t n, size_t p, const rp_comm *comm, rp_design **out,
                                 rp_error *err);

/* The processes behind a design of spread rows (rp_design_spread, or a
 * working copy from rp_design_spread_alloc), else NULL. */
const rp_comm *rp_design_comm(const rp_design *X);

#endif
