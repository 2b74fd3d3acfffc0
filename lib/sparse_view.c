/* sparse_view.c: the working columns of a fit on some rows of a sparse
 * matrix, x~_ij = x_{r_i, j} / s_j, read from the caller's compressed
 * columns through a map from its rows to the fit's, or from the folds'
 * copy as a fold's runs (rp_sparse_rows, sparse.h).  Every
 * operation visits only column j's stored entries, skipping those of rows
 * outside the fit, so a step costs O(nnz_j) and a pass over X O(nnz), and
 * the sums run in storage order, the same on every thread. */
#include "sparse_view.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  rp_sparse_rows R; /* its fitted rows: a map, or a fold's runs */
  int32_t *map;     /* R.place, owned (or NULL) */
  double *inv_s;    /* 1/s_j, 0 for a constant column (x~_j = 0) */
} sparse_view;

static const sparse_view *view_of(const rp_design *X) { return X->impl; }

/* The loops of the operations below over one run of entries, each written
 * once and inlined twice: with a map, and with place = NULL (every row, or
 * a fold's run at a fixed shift), where the compiler drops the map and its
 * test. */
static inline double sum_run(const rp_sparse_rows *R, const int32_t *place, rp_sparse_run u,
                             const double *w, const double *v) {
  const rp_csc *M = R->M;
  double sum = 0.0;
  for (size_t k = u.first; k < u.end; k++) {
    long i = rp_sparse_row(M, place, &u, k);
    if (i >= 0) sum += M->values[k] * (w ? w[i] * M->values[k] : v[i]);
  }
  return sum;
}

static inline void add_run(const rp_sparse_rows *R, const int32_t *place, rp_sparse_run u, double a,
                           const double *w, double *v) {
  const rp_csc *M = R->M;
  for (size_t k = u.first; k < u.end; k++) {
    long i = rp_sparse_row(M, place, &u, k);
    if (i >= 0) v[i] += a * (w ? w[i] : 1.0) * M->values[k];
  }
}

/* sum_k x_k v_{i_k} (w NULL) or sum_k w_{i_k} x_k^2 over column j's entries,
 * in storage order. */
static double column_sum(const sparse_view *V, size_t j, const double *w, const double *v) {
  rp_sparse_run run[2];
  size_t runs = rp_sparse_runs(&V->R, j, run);
  double sum = 0.0, u = V->inv_s[j];
  for (size_t t = 0; t < runs; t++)
    sum +=
        V->R.place ? sum_run(&V->R, V->R.place, run[t], w, v) : sum_run(&V->R, NULL, run[t], w, v);
  return w ? sum * u * u : sum * u;
}

/* v_{i_k} += a (w_{i_k}) x~_k over column j's entries (w NULL: 1). */
static void column_add(const sparse_view *V, size_t j, double a, const double *w, double *v) {
  rp_sparse_run run[2];
  size_t runs = rp_sparse_runs(&V->R, j, run);
  double au = a * V->inv_s[j];
  for (size_t t = 0; t < runs; t++) {
    if (V->R.place)
      add_run(&V->R, V->R.place, run[t], au, w, v);
    else
      add_run(&V->R, NULL, run[t], au, w, v);
  }
}

/* v_{i_k} = w_{i_k} x~_k over column j's entries (a scatter), or back to 0
 * (w NULL). */
static void column_set(const sparse_view *V, size_t j, const double *w, double *v) {
  rp_sparse_run run[2];
  size_t runs = rp_sparse_runs(&V->R, j, run);
  for (size_t t = 0; t < runs; t++)
    for (size_t k = run[t].first; k < run[t].end; k++) {
      long i = rp_sparse_row(V->R.M, V->R.place, &run[t], k);
      if (i >= 0) v[i] = w ? w[i] * V->R.M->values[k] * V->inv_s[j] : 0.0;
    }
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
    column_set(V, cols[a], w, scatter);
    for (size_t b = 0; b <= a; b++) out[a * ld + b] = view_dot(X, cols[b], scatter);
    column_set(V, cols[a], NULL, scatter);
  }
  free(scatter);
  return 1;
}

static void view_free(rp_design *X) {
  sparse_view *V = X->impl;
  free(V->map);
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

rp_status rp_sparse_view_alloc(const rp_sparse_rows *R, int32_t *map, size_t n, const double *inv_s,
                               rp_design **out, rp_error *err) {
  const rp_csc *M = R->M;
  *out = NULL;
  rp_design *X = malloc(sizeof *X);
  sparse_view *V = malloc(sizeof *V);
  double *scales = malloc((M->p ? M->p : 1) * sizeof *scales);
  if (!X || !V || !scales) {
    free(X), free(V), free(scales), free(map);
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  }
  memcpy(scales, inv_s, M->p * sizeof *scales);
  *V = (sparse_view){*R, map, scales};
  *X = (rp_design){n, M->p, &view_ops, V};
  *out = X;
  return RP_OK;
}
