/* sparse_view.c: the working columns of a fit on some rows of a sparse
 * matrix, x~_ij = x_{r_i, j} / s_j, read from the caller's compressed
 * columns through a map from its rows to the fit's (sparse.h).  Every
 * operation visits only column j's stored entries, skipping those of rows
 * outside the fit, so a step costs O(nnz_j) and a pass over X O(nnz), and
 * the sums run in storage order, the same on every thread. */
#include "sparse_view.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  const rp_csc *M;
  int32_t *place; /* the fit's row of each of M's rows, -1 outside; NULL: all, in order */
  double *inv_s;  /* 1/s_j, 0 for a constant column (x~_j = 0) */
} sparse_view;

static const sparse_view *view_of(const rp_design *X) { return X->impl; }

static long fit_row(const sparse_view *V, size_t k) {
  return rp_sparse_fitted_row(V->M, V->place, k);
}

/* Column j's stored entries [*k, *end), and 1/s_j. */
static double column_entries(const sparse_view *V, size_t j, size_t *k, size_t *end) {
  *k = V->M->col_start[j];
  *end = V->M->col_start[j + 1];
  return V->inv_s[j];
}

/* The loops of the operations below over entries [k, end), each written
 * once and inlined twice: with the view's map, and with place = NULL for a
 * fit on every row, where the compiler drops the map and its test. */
static inline double sum_entries(const rp_csc *M, const int32_t *place, size_t k, size_t end,
                                 const double *w, const double *v) {
  double sum = 0.0;
  for (; k < end; k++) {
    long i = rp_sparse_fitted_row(M, place, k);
    if (i >= 0) sum += M->values[k] * (w ? w[i] * M->values[k] : v[i]);
  }
  return sum;
}

static inline void add_entries(const rp_csc *M, const int32_t *place, size_t k, size_t end,
                               double a, const double *w, double *v) {
  for (; k < end; k++) {
    long i = rp_sparse_fitted_row(M, place, k);
    if (i >= 0) v[i] += a * (w ? w[i] : 1.0) * M->values[k];
  }
}

/* sum_k x_k v_{i_k} (w NULL) or sum_k w_{i_k} x_k^2 over column j's entries. */
static double column_sum(const sparse_view *V, size_t j, const double *w, const double *v) {
  size_t k, end;
  double u = column_entries(V, j, &k, &end);
  double sum =
      V->place ? sum_entries(V->M, V->place, k, end, w, v) : sum_entries(V->M, NULL, k, end, w, v);
  return w ? sum * u * u : sum * u;
}

/* v_{i_k} += a (w_{i_k}) x~_k over column j's entries (w NULL: 1). */
static void column_add(const sparse_view *V, size_t j, double a, const double *w, double *v) {
  size_t k, end;
  double au = a * column_entries(V, j, &k, &end);
  if (V->place)
    add_entries(V->M, V->place, k, end, au, w, v);
  else
    add_entries(V->M, NULL, k, end, au, w, v);
}

static double view_dot(const rp_design *X, size_t j, const double *v) {
  return column_sum(view_of(X), j, NULL, v);
}

static void view_axpy(const rp_design *X, size_t j, double a, double *v) {
  column_add(view_of(X), j, a, NULL, v);
}

static void view_dots(const rp_design *X, const double *v, double *out) {
  for (size_t j = 0; j < X->p; j++) out[j] = view_dot(X, j, v);
}

static void view_waxpy(const rp_design *X, size_t j, double a, const double *w, double *v) {
  column_add(view_of(X), j, a, w, v);
}

static double view_wnorm2(const rp_design *X, size_t j, const double *w) {
  return column_sum(view_of(X), j, w, NULL);
}

/* X_S' W X_S: column a's w_i x~_ia scattered into an n-vector, dotted with
 * each column b <= a's stored entries, then cleared again: O(k nnz(X_S)). */
static int view_wgram(const rp_design *X, const size_t *cols, size_t k, const double *w,
                      double *out, size_t ld) {
  const sparse_view *V = view_of(X);
  double *scatter = calloc(X->n ? X->n : 1, sizeof *scatter);
  if (!scatter) return 0;
  for (size_t a = 0; a < k; a++) {
    size_t e, end;
    double u = column_entries(V, cols[a], &e, &end);
    for (size_t q = e; q < end; q++) {
      long i = fit_row(V, q);
      if (i >= 0) scatter[i] = w[i] * V->M->values[q] * u;
    }
    for (size_t b = 0; b <= a; b++) out[a * ld + b] = view_dot(X, cols[b], scatter);
    for (size_t q = e; q < end; q++) {
      long i = fit_row(V, q);
      if (i >= 0) scatter[i] = 0.0;
    }
  }
  free(scatter);
  return 1;
}

static void view_free(rp_design *X) {
  sparse_view *V = X->impl;
  free(V->place);
  free(V->inv_s);
  free(V);
}

static const rp_design_ops view_ops = {.dot = view_dot,
                                       .axpy = view_axpy,
                                       .dots = view_dots,
                                       .waxpy = view_waxpy,
                                       .wnorm2 = view_wnorm2,
                                       .free = view_free,
                                       .wgram = view_wgram};

rp_status rp_sparse_view_alloc(const rp_csc *M, int32_t *place, size_t n, const double *inv_s,
                               rp_design **out, rp_error *err) {
  *out = NULL;
  rp_design *X = malloc(sizeof *X);
  sparse_view *V = malloc(sizeof *V);
  double *scales = malloc((M->p ? M->p : 1) * sizeof *scales);
  if (!X || !V || !scales) {
    free(X), free(V), free(scales), free(place);
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  }
  memcpy(scales, inv_s, M->p * sizeof *scales);
  *V = (sparse_view){M, place, scales};
  *X = (rp_design){n, M->p, &view_ops, V};
  *out = X;
  return RP_OK;
}
