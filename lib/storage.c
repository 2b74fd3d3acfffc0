/* storage.c: a run's X held dense or as compressed sparse columns, and the
 * conversions between the two (storage.h). */
#include "storage.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memory.h"
#include "summed.h"
#include "tuning.h"

/* At least 1, for malloc: malloc(0) may return NULL, which reads as out of
 * memory. */
static size_t at_least_one(size_t n) { return n ? n : 1; }

static rp_status no_memory(rp_error *err, const char *what, size_t n, size_t p) {
  return rp_error_set(err, RP_ENOMEM, "out of memory for %s (%zu x %zu)", what, n, p);
}

/* Room for p columns and nnz entries in *S (n x p), col_start zeroed. */
static int sparse_alloc(rp_sparse_columns *S, size_t n, size_t p, size_t nnz) {
  *S = (rp_sparse_columns){n, p, calloc(p + 1, sizeof(size_t)),
                           malloc(at_least_one(nnz) * sizeof(uint32_t)),
                           malloc(at_least_one(nnz) * sizeof(double))};
  if (S->col_start && S->row_index && S->values) return 1;
  rp_sparse_columns_free(S);
  return 0;
}

void rp_sparse_columns_free(rp_sparse_columns *S) {
  if (!S) return;
  free(S->col_start);
  free(S->row_index);
  free(S->values);
  *S = (rp_sparse_columns){0};
}

rp_status rp_sparse_columns_from_dense(const double *X, size_t n, size_t p, rp_sparse_columns *out,
                                       rp_error *err) {
  *out = (rp_sparse_columns){0};
  if (n > UINT32_MAX)
    return rp_error_set(err, RP_EDATA,
                        "%zu rows are more than sparse storage indexes (%lu); set data.storage "
                        "to \"dense\"",
                        n, (unsigned long)UINT32_MAX);
  size_t nnz = 0;
  for (size_t k = 0; k < n * p; k++) nnz += X[k] != 0.0;
  if (!sparse_alloc(out, n, p, nnz)) return no_memory(err, "sparse X", n, p);
  size_t at = 0;
  for (size_t j = 0; j < p; j++) {
    for (size_t i = 0; i < n; i++)
      if (X[j * n + i] != 0.0) {
        out->row_index[at] = (uint32_t)i;
        out->values[at++] = X[j * n + i];
      }
    out->col_start[j + 1] = at;
  }
  return RP_OK;
}

rp_status rp_sparse_columns_to_dense(const rp_sparse_columns *S, double **out, rp_error *err) {
  size_t n = S->n, p = S->p;
  char what[96];
  *out = NULL;
  snprintf(what, sizeof what, "X held dense (data.storage), %zu x %zu", n, p);
  rp_status st = rp_memory_check((double)n * (double)p * sizeof(double), what, err);
  if (st != RP_OK) return st;
  double *X = calloc(at_least_one(n * p), sizeof *X);
  if (!X) return no_memory(err, "X held dense (data.storage)", n, p);
  for (size_t j = 0; j < p; j++)
    for (size_t k = S->col_start[j]; k < S->col_start[j + 1]; k++)
      X[j * n + S->row_index[k]] = S->values[k];
  *out = X;
  return RP_OK;
}

rp_status rp_sparse_columns_take_rows(const rp_sparse_columns *S, const size_t *rows, size_t n,
                                      rp_sparse_columns *out, rp_error *err) {
  /* place[r]: row r's place among `rows`, or SIZE_MAX when it is not one */
  size_t *place = malloc(at_least_one(S->n) * sizeof *place), nnz = 0;
  *out = (rp_sparse_columns){0};
  if (!place) return no_memory(err, "a map of rows", S->n, 1);
  for (size_t r = 0; r < S->n; r++) place[r] = SIZE_MAX;
  for (size_t i = 0; i < n; i++) place[rows[i]] = i;
  for (size_t k = 0; k < S->col_start[S->p]; k++) nnz += place[S->row_index[k]] != SIZE_MAX;
  if (!sparse_alloc(out, n, S->p, nnz)) {
    free(place);
    return no_memory(err, "sparse X", n, S->p);
  }
  size_t at = 0;
  for (size_t j = 0; j < S->p; j++) {
    for (size_t k = S->col_start[j]; k < S->col_start[j + 1]; k++) {
      size_t i = place[S->row_index[k]];
      if (i == SIZE_MAX) continue;
      out->row_index[at] = (uint32_t)i;
      out->values[at++] = S->values[k];
    }
    out->col_start[j + 1] = at;
  }
  free(place);
  return RP_OK;
}

/* ------------------------------------------------------------ a run's X */

size_t rp_dense_nonzeros(const double *X, size_t count) {
  size_t nnz = 0;
  for (size_t k = 0; k < count; k++) nnz += X[k] != 0.0;
  return nnz;
}

/* data.storage, with "auto" decided by the share of nonzero entries: below
 * it a fit over the stored entries does less work than a dense one. */
static int wants_sparse(rp_storage storage, size_t nnz, size_t n, size_t p) {
  if (storage != RP_STORAGE_AUTO) return storage == RP_STORAGE_SPARSE;
  return (double)nnz < RP_SPARSE_AUTO_DENSITY * (double)n * (double)p;
}

/* One matrix (n x p), held dense in *X or sparse in *S, moved to the
 * storage asked for; the other form is freed. */
static rp_status hold(double **X, rp_sparse_columns *S, size_t n, size_t p, int sparse,
                      rp_error *err) {
  rp_status st = RP_OK;
  if (sparse && *X) {
    st = rp_sparse_columns_from_dense(*X, n, p, S, err);
    if (st == RP_OK) free(*X), *X = NULL;
  } else if (!sparse && S->col_start) {
    st = rp_sparse_columns_to_dense(S, X, err);
    if (st == RP_OK) rp_sparse_columns_free(S);
  }
  return st;
}

rp_status rp_storage_settle(rp_run_result *res, const rp_config *cfg, rp_error *err) {
  size_t n = res->n_samples, p = res->n_features;
  if (res->comm) { /* dense, each process's rows (rp_design_spread) */
    double nnz = (double)rp_dense_nonzeros(res->X, res->n_local * p);
    res->comm->sum(res->comm->ctx, &nnz, 1);
    res->nnz = (size_t)nnz;
    return RP_OK;
  }
  res->nnz = res->X ? rp_dense_nonzeros(res->X, n * p) : res->X_sparse.col_start[p];
  res->sparse = wants_sparse(cfg->storage, res->nnz, n, p);
  rp_status st = hold(&res->X, &res->X_sparse, n, p, res->sparse, err);
  if (st == RP_OK && res->n_test)
    st = hold(&res->X_test, &res->X_test_sparse, res->n_test, p, res->sparse, err);
  return st;
}

rp_design rp_run_design(const rp_run_result *res, int test, rp_matrix *M, rp_csc *C) {
  size_t n = test ? res->n_test : res->n_samples, p = res->n_features;
  if (res->spread && !test) return rp_design_spread(res->spread);
  if (res->summed && !test) return rp_design_summed(res->summed);
  if (res->sparse) {
    const rp_sparse_columns *S = test ? &res->X_test_sparse : &res->X_sparse;
    *C = (rp_csc){n, p, S->col_start, S->row_index, S->values};
    return rp_design_csc(C);
  }
  *M = (rp_matrix){n, p, n, test ? res->X_test : res->X};
  return rp_design_matrix(M);
}
