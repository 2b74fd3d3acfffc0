/* folds.h (private): rows grouped by their fold, the one counting sort
 * that a summed training set's blocks (summed.c) and a sparse matrix's
 * copy for the folds (sparse_folds.c) both take. */
#ifndef REGPATH_FOLDS_H
#define REGPATH_FOLDS_H

#include <stddef.h>

/* The n rows in fold order: rows[start[k] .. start[k + 1]) are fold
 * k + 1's, each fold's in increasing order (a counting sort); fold ids in
 * 1..K, start has K + 1 places. */
void rp_rows_by_fold(const int *fold_ids, size_t n, size_t K, size_t *start, size_t *rows);

#endif
