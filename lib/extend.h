/* extend.h (private): a generated grid extended past its alpha_min when
 * the CV minimum is at its edge (path.extend), and cut back to where the
 * CV curve has turned up. */
#ifndef REGPATH_EXTEND_H
#define REGPATH_EXTEND_H

#include <stddef.h>

#include "regpath/cv.h"
#include "regpath/path.h"

/* Points the CV curve must run past its minimum to count as turned up on a
 * grid of n_alphas generated points: a tenth of the grid, at least 5 (10
 * points, 0.4 decades, on the default grid of 100 over 4 decades). */
size_t rp_extend_margin(size_t n_alphas);

/* The length of the extended grid as if it had grown one point at a time
 * from `n_generated` points: the first length L at which the smallest CV
 * loss over the first L points lies `margin` or more points before the
 * end; the whole curve when it never does. */
size_t rp_extend_length(const rp_cv *cv, size_t n_generated, size_t margin);

/* Keep the first n points of a path, and of its CV (whose statistics at
 * each point depend only on the points before it: warm starts run down the
 * grid), as if the grid had ended there. */
void rp_path_keep_first(rp_path *path, size_t n);
void rp_cv_keep_first(rp_cv *cv, size_t n);

#endif
