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

/* The rows a fit reads of M, either
 *  - through a map: place[r] = the fitted row of M's row r, -1 outside
 *    (held NULL; place NULL too: every row, in order), or
 *  - as every row but one fold's block, on a matrix whose rows are grouped
 *    by fold (rp_csc_folds; place NULL): column j's entries of that fold
 *    are [held[j * stride], held[j * stride + 1]), and the rows after the
 *    block are fitted `shift` (its length) rows lower.  No lookup and no
 *    test per entry: a fold reads as fast as a matrix of its own rows. */
typedef struct {
  const rp_csc *M;
  const int32_t *place;
  const size_t *held;
  size_t stride, shift;
} rp_sparse_rows;

/* A run of column j's entries [first, end), fitted at row_index - shift
 * (shift 0 under a map, which rp_sparse_row applies). */
typedef struct {
  size_t first, end, shift;
} rp_sparse_run;

/* Column j's fitted entries as runs (1 or 2) into run; returns how many. */
static inline size_t rp_sparse_runs(const rp_sparse_rows *R, size_t j, rp_sparse_run run[2]) {
  size_t first = R->M->col_start[j], end = R->M->col_start[j + 1];
  if (!R->held) {
    run[0] = (rp_sparse_run){first, end, 0};
    return 1;
  }
  const size_t *h = R->held + j * R->stride;
  run[0] = (rp_sparse_run){first, h[0], 0};
  run[1] = (rp_sparse_run){h[1], end, R->shift};
  return 2;
}

/* The fitted row of M's stored entry k in run u: under the map `place`
 * (-1: not fitted), else at the run's shift.  (Callers pass a literal NULL
 * where there is no map, so that the compiler drops the test.) */
static inline long rp_sparse_row(const rp_csc *M, const int32_t *place, const rp_sparse_run *u,
                                 size_t k) {
  size_t r = M->row_index[k];
  return place ? place[r] : (long)(r - u->shift);
}

/* M's rows grouped by fold, for the folds of a cross-validation to read
 * their training rows as two runs per column (rp_sparse_rows) instead of
 * through a map: fold k's rows (fold id k + 1) are rows [start[k],
 * start[k + 1]) of F->M, in their order in the caller's M; row r of F->M
 * is the caller's row order[r]; column j's entries of fold k are
 * [held[j (K + 1) + k], held[j (K + 1) + k + 1]).  One copy of the
 * entries (12 bytes each) for all K folds. */
typedef struct {
  rp_csc M;
  size_t K;
  size_t *start, *order, *held;
  size_t *col_start; /* the storage F->M points to */
  uint32_t *row_index;
  double *values;
} rp_csc_folds;

/* F from M and fold ids 1..K (one per row; rp_cv_check_folds'd).
 * Errors: RP_ENOMEM. */
rp_status rp_csc_folds_build(const rp_csc *M, const int *fold_ids, size_t K, rp_csc_folds *F,
                             rp_error *err);
void rp_csc_folds_free(rp_csc_folds *F);

/* The bytes rp_csc_folds_build allocates for M and K folds, its scratch
 * included (a double, so that no product overflows). */
double rp_csc_folds_bytes(const rp_csc *M, size_t K);

/* The rows of fold k's training fit on F: every row but fold k's block. */
rp_sparse_rows rp_csc_folds_training(const rp_csc_folds *F, size_t k);

/* eta_i = b0 + sum_j coef_j x_{rows[i], j} over the nonzero coef_j, in
 * increasing j (rp_predict_rows's order), visiting only the stored entries.
 * Returns 0, touching nothing, when it cannot (no memory for the map, or
 * a row listed twice): the caller then gathers columns. */
int rp_sparse_predict(const rp_csc *M, const double *coef, double b0, const size_t *rows, size_t n,
                      double *eta);

#endif
