/* sparse_folds.c: a sparse matrix's rows grouped by fold (sparse.h), so
 * that each fold's training fit reads every column as two runs of entries
 * at a fixed row shift, with no map of its rows.  A counting sort: the
 * rows by fold, then each column's entries by their row's fold, which
 * keeps them in increasing row order. */
#include "sparse.h"

#include "folds.h"

#include <stdlib.h>
#include <string.h>

void rp_csc_folds_free(rp_csc_folds *F) {
  free(F->start);
  free(F->order);
  free(F->held);
  free(F->col_start);
  free(F->row_index);
  free(F->values);
  memset(F, 0, sizeof *F);
}

/* F->start, F->order (rp_rows_by_fold) and each row's new place `moved`. */
static void group_rows(rp_csc_folds *F, const int *fold_ids, uint32_t *moved) {
  rp_rows_by_fold(fold_ids, F->M.n, F->K, F->start, F->order);
  for (size_t r = 0; r < F->M.n; r++) moved[F->order[r]] = (uint32_t)r;
}

/* Column j's entries of M, by their row's fold (a counting sort from the
 * column's first entry), into F's storage. */
static void group_column(rp_csc_folds *F, const rp_csc *M, const int *fold_ids, size_t j,
                         size_t *cursor, const uint32_t *moved) {
  size_t K = F->K, first = M->col_start[j], end = M->col_start[j + 1];
  size_t *held = F->held + j * (K + 1);
  memset(held, 0, (K + 1) * sizeof *held);
  for (size_t k = first; k < end; k++) held[fold_ids[M->row_index[k]]]++;
  held[0] = first;
  for (size_t k = 0; k < K; k++) held[k + 1] += held[k];
  memcpy(cursor, held, K * sizeof *cursor);
  for (size_t k = first; k < end; k++) {
    uint32_t r = M->row_index[k];
    size_t at = cursor[fold_ids[r] - 1]++;
    F->row_index[at] = moved[r];
    F->values[at] = M->values[k];
  }
}

double rp_csc_folds_bytes(const rp_csc *M, size_t K) {
  double entries = (double)M->col_start[M->p], p = (double)M->p, n = (double)M->n, k = (double)K;
  double sizes =
      (k + 1) + n + p * (k + 1) + (p + 1) + k; /* start, order, held, col_start, cursor */
  return entries * (sizeof(double) + sizeof(uint32_t)) + sizeof(size_t) * sizes +
         sizeof(uint32_t) * n; /* moved */
}

rp_status rp_csc_folds_build(const rp_csc *M, const int *fold_ids, size_t K, rp_csc_folds *F,
                             rp_error *err) {
  size_t n = M->n, p = M->p, nnz = M->col_start[p];
  memset(F, 0, sizeof *F);
  F->K = K;
  F->start = malloc((K + 1) * sizeof *F->start);
  F->order = malloc((n ? n : 1) * sizeof *F->order);
  F->held = malloc((p ? p : 1) * (K + 1) * sizeof *F->held);
  F->col_start = malloc((p + 1) * sizeof *F->col_start);
  F->row_index = malloc((nnz ? nnz : 1) * sizeof *F->row_index);
  F->values = malloc((nnz ? nnz : 1) * sizeof *F->values);
  size_t *cursor = malloc(K * sizeof *cursor);
  uint32_t *moved = malloc((n ? n : 1) * sizeof *moved);
  if (!F->start || !F->order || !F->held || !F->col_start || !F->row_index || !F->values ||
      !cursor || !moved) {
    free(cursor), free(moved), rp_csc_folds_free(F);
    return rp_error_set(err, RP_ENOMEM, "out of memory for the folds' copy of the sparse matrix");
  }
  F->M = (rp_csc){n, p, F->col_start, F->row_index, F->values};
  memcpy(F->col_start, M->col_start, (p + 1) * sizeof *F->col_start);
  group_rows(F, fold_ids, moved);
  for (size_t j = 0; j < p; j++) group_column(F, M, fold_ids, j, cursor, moved);
  free(cursor);
  free(moved);
  return RP_OK;
}

rp_sparse_rows rp_csc_folds_training(const rp_csc_folds *F, size_t k) {
  return (rp_sparse_rows){&F->M, NULL, F->held + k, F->K + 1, F->start[k + 1] - F->start[k]};
}
