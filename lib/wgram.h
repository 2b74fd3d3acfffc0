/* wgram.h (private): X_S' W X_S of a dense design's working columns by
 * BLAS 3, for every design that can write its columns out a block of rows
 * at a time (the dense designs, the shared matrix's views). */
#ifndef REGPATH_WGRAM_H
#define REGPATH_WGRAM_H

#include "regpath/design.h"

/* Rows first .. first + count - 1 of working column j into out. */
typedef void rp_column_block(const rp_design *X, size_t j, size_t first, size_t count, double *out);

/* rp_design_ops' wgram (design.h) over X->n rows, the columns' values
 * written by `block`.  Returns 0 without memory. */
int rp_wgram_by_blocks(const rp_design *X, rp_column_block *block, const size_t *cols, size_t k,
                       const double *w, double *out, size_t ld);

#endif
