/* sparse.c: the caller's compressed-column matrix as a raw design
 * (regpath/design.h): its columns and row blocks copied out for setup, and
 * predictions that visit only the stored entries. */
#include "sparse.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const rp_csc *csc_of(const rp_design *X) { return X->impl; }

/* The stored entries of column j: [*first, *end). */
static void column_range(const rp_csc *M, size_t j, size_t *first, size_t *end) {
  *first = M->col_start[j];
  *end = M->col_start[j + 1];
}

/* x_ij by binary search among column j's stored rows (0 when not stored). */
static double entry(const rp_csc *M, size_t j, size_t i) {
  size_t lo, hi;
  column_range(M, j, &lo, &hi);
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (M->row_index[mid] < i)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < M->col_start[j + 1] && M->row_index[lo] == i ? M->values[lo] : 0.0;
}

/* Column j at `rows` (NULL: the first n_rows, i.e. all of them): every row
 * scattered at once, or each asked-for row looked up. */
static void csc_column(const rp_design *X, size_t j, const size_t *rows, size_t n_rows,
                       double *out) {
  const rp_csc *M = csc_of(X);
  if (rows) {
    for (size_t i = 0; i < n_rows; i++) out[i] = entry(M, j, rows[i]);
    return;
  }
  size_t first, end;
  column_range(M, j, &first, &end);
  memset(out, 0, n_rows * sizeof *out);
  for (size_t k = first; k < end && M->row_index[k] < n_rows; k++)
    out[M->row_index[k]] = M->values[k];
}

/* Rows [first, first + count), count x p column-major: only for the
 * covariance route, which takes a sparse design with few columns. */
static void csc_rows(const rp_design *X, size_t first, size_t count, double *out) {
  const rp_csc *M = csc_of(X);
  memset(out, 0, count * M->p * sizeof *out);
  for (size_t j = 0; j < M->p; j++) {
    size_t k, end;
    column_range(M, j, &k, &end);
    for (; k < end; k++) {
      size_t i = M->row_index[k];
      if (i >= first && i < first + count) out[j * count + i - first] = M->values[k];
    }
  }
}

static void csc_free(rp_design *X) { (void)X; /* borrowed: nothing to free */ }

static const rp_design_ops csc_ops = {.free = csc_free, .column = csc_column, .rows = csc_rows};

rp_design rp_design_csc(const rp_csc *M) {
  return (rp_design){M->n, M->p, &csc_ops, (void *)(uintptr_t)M}; /* read only */
}

const rp_csc *rp_design_sparse_matrix(const rp_design *X) {
  return X->ops == &csc_ops ? csc_of(X) : NULL;
}

/* The column starts first, so that no entry is read past the last one. */
rp_status rp_csc_check(const rp_csc *M, rp_error *err) {
  if (M->col_start[0] != 0) return rp_error_set(err, RP_EINVAL, "col_start[0] must be 0");
  for (size_t j = 0; j < M->p; j++)
    if (M->col_start[j + 1] < M->col_start[j])
      return rp_error_set(err, RP_EINVAL, "col_start decreases at column %zu", j + 1);
  for (size_t j = 0; j < M->p; j++) {
    size_t first, end;
    column_range(M, j, &first, &end);
    for (size_t k = first; k < end; k++) {
      size_t row = M->row_index[k];
      if (row >= M->n)
        return rp_error_set(err, RP_EINVAL, "column %zu: row %zu is past the %zu rows", j + 1,
                            row + 1, M->n);
      if (k > first && row <= M->row_index[k - 1])
        return rp_error_set(err, RP_EINVAL, "column %zu: rows are not strictly increasing at %zu",
                            j + 1, row + 1);
      if (!isfinite(M->values[k]))
        return rp_error_set(err, RP_EINVAL, "column %zu, row %zu: value is not finite", j + 1,
                            row + 1);
    }
  }
  return RP_OK;
}

/* ------------------------------------------------------------ predictions */

rp_status rp_sparse_row_places(size_t N, const size_t *rows, size_t n, int32_t **place,
                               rp_error *err) {
  int32_t *at = *place = malloc((N ? N : 1) * sizeof *at);
  if (!at) return rp_error_set(err, RP_ENOMEM, "out of memory for a map of %zu rows", N);
  for (size_t r = 0; r < N; r++) at[r] = -1;
  for (size_t i = 0; i < n; i++) {
    if (at[rows[i]] >= 0) {
      free(at);
      *place = NULL;
      return rp_error_set(err, RP_EINVAL,
                          "row %zu is listed twice; a sparse design takes each row "
                          "once",
                          rows[i] + 1);
    }
    at[rows[i]] = (int32_t)i;
  }
  return RP_OK;
}

int rp_sparse_predict(const rp_csc *M, const double *coef, double b0, const size_t *rows, size_t n,
                      double *eta) {
  int32_t *place = NULL;
  rp_error ignored;
  if (rows && rp_sparse_row_places(M->n, rows, n, &place, &ignored) != RP_OK) return 0;
  for (size_t i = 0; i < n; i++) eta[i] = b0;
  for (size_t j = 0; j < M->p; j++) {
    if (coef[j] == 0.0) continue;
    size_t k, end;
    column_range(M, j, &k, &end);
    for (; k < end; k++) {
      long i = place ? place[M->row_index[k]] : (long)M->row_index[k];
      if (i >= 0 && (size_t)i < n) eta[i] += coef[j] * M->values[k]; /* rows NULL: n = N */
    }
  }
  free(place);
  return 1;
}
