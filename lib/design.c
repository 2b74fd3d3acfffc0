/* design.c: the dense column-major design matrix behind rp_design. */
#include "regpath/design.h"

#include "design_spread.h"

#include "sums.h"
#include "wgram.h"

#include <gsl/gsl_cblas.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Both dense designs keep an rp_matrix as their impl: the working copy owns
 * its values (ld = n), a caller's matrix (rp_design_matrix, ld >= n) is
 * borrowed.  They share every operation but free. */
static const rp_matrix *matrix_of(const rp_design *X) { return X->impl; }

static const double *dense_col(const rp_design *X, size_t j) {
  const rp_matrix *M = matrix_of(X);
  return M->values + j * M->ld;
}

static double dense_dot(const rp_design *X, size_t j, const double *v) {
  return rp_sum_of_products(NULL, dense_col(X, j), v, X->n);
}

static void dense_axpy(const rp_design *X, size_t j, double a, double *v) {
  cblas_daxpy((int)X->n, a, dense_col(X, j), 1, v, 1);
}

static void dense_waxpy(const rp_design *X, size_t j, double a, const double *w, double *v) {
  const double *x = dense_col(X, j);
  for (size_t i = 0; i < X->n; i++) v[i] += a * w[i] * x[i];
}

static double dense_wnorm2(const rp_design *X, size_t j, const double *w) {
  const double *x = dense_col(X, j);
  return rp_sum_of_products(w, x, x, X->n);
}

static void dense_dots(const rp_design *X, const double *v, double *out) {
  const rp_matrix *M = matrix_of(X);
  cblas_dgemv(CblasColMajor, CblasTrans, (int)X->n, (int)X->p, 1.0, M->values, (int)M->ld, v, 1,
              0.0, out, 1);
}

/* Rows first .. first + count - 1 of column j (wgram.h). */
static void dense_block(const rp_design *X, size_t j, size_t first, size_t count, double *out) {
  memcpy(out, dense_col(X, j) + first, count * sizeof *out);
}

static int dense_wgram(const rp_design *X, const size_t *cols, size_t k, const double *w,
                       double *out, size_t ld) {
  return rp_wgram_by_blocks(X, dense_block, cols, k, w, out, ld);
}

static void dense_free(rp_design *X) {
  rp_matrix *M = X->impl;
  free((double *)(uintptr_t)M->values); /* the working copy's own */
  free(M);
}

/* Column j at `rows` (rows NULL: the first n_rows). */
static void dense_column(const rp_design *X, size_t j, const size_t *rows, size_t n_rows,
                         double *out) {
  const double *x = dense_col(X, j);
  for (size_t i = 0; i < n_rows; i++) out[i] = x[rows ? rows[i] : i];
}

/* Every row is local: no reduce.  Designated, so that ops added to
 * rp_design_ops elsewhere merge cleanly. */
static const rp_design_ops dense_ops = {.dot = dense_dot,
                                        .axpy = dense_axpy,
                                        .dots = dense_dots,
                                        .waxpy = dense_waxpy,
                                        .wnorm2 = dense_wnorm2,
                                        .free = dense_free,
                                        .column = dense_column,
                                        .wgram = dense_wgram};

rp_status rp_design_dense_alloc(size_t n, size_t p, rp_design **out, rp_error *err) {
  *out = NULL;
  if (n == 0 || p == 0) return rp_error_set(err, RP_EINVAL, "empty design (%zu x %zu)", n, p);
  if (p > SIZE_MAX / sizeof(double) / n || n > INT32_MAX || p > INT32_MAX)
    return rp_error_set(err, RP_ENOMEM, "design of %zu x %zu is too large", n, p);
  rp_design *X = malloc(sizeof *X);
  rp_matrix *M = malloc(sizeof *M);
  double *values = calloc(n * p, sizeof *values);
  if (!X || !M || !values) {
    free(X);
    free(M);
    free(values);
    return rp_error_set(err, RP_ENOMEM, "out of memory for a %zu x %zu design", n, p);
  }
  *M = (rp_matrix){n, p, n, values};
  *X = (rp_design){n, p, &dense_ops, M};
  *out = X;
  return RP_OK;
}

double *rp_design_dense_column(rp_design *X, size_t j) {
  return (double *)(uintptr_t)dense_col(X, j); /* the working copy's own values */
}

/* ---------------------------------------------- a caller's dense matrix */

static void matrix_free(rp_design *X) { (void)X; /* borrowed: nothing to free */ }

static void matrix_rows(const rp_design *X, size_t first, size_t count, double *out) {
  const rp_matrix *M = matrix_of(X);
  for (size_t j = 0; j < M->p; j++)
    memcpy(out + j * count, M->values + j * M->ld + first, count * sizeof *out);
}

static const rp_design_ops matrix_ops = {.dot = dense_dot,
                                         .axpy = dense_axpy,
                                         .dots = dense_dots,
                                         .waxpy = dense_waxpy,
                                         .wnorm2 = dense_wnorm2,
                                         .free = matrix_free,
                                         .column = dense_column,
                                         .rows = matrix_rows,
                                         .wgram = dense_wgram};

rp_design rp_design_matrix(const rp_matrix *M) {
  return (rp_design){M->n, M->p, &matrix_ops, (void *)(uintptr_t)M}; /* read only */
}

/* ------------------------------- rows spread over processes (comm.h) */

/* impl is the rp_spread_matrix, whose first member is the matrix: every
 * dense operation reads it as a caller's matrix. */
static const rp_comm *comm_of(const rp_design *X) {
  return ((const rp_spread_matrix *)X->impl)->comm;
}

static void spread_sum(const rp_design *X, double *v, size_t k) {
  const rp_comm *c = comm_of(X);
  c->sum(c->ctx, v, k);
}

static void spread_max(const rp_design *X, double *v, size_t k) {
  const rp_comm *c = comm_of(X);
  c->max(c->ctx, v, k);
}

/* X'v over every process's rows: design.h's dots is the one column
 * operation that finishes its sums itself. */
static void spread_dots(const rp_design *X, const double *v, double *out) {
  dense_dots(X, v, out);
  spread_sum(X, out, X->p);
}

static const rp_design_ops spread_ops = {.dot = dense_dot,
                                         .axpy = dense_axpy,
                                         .dots = spread_dots,
                                         .waxpy = dense_waxpy,
                                         .wnorm2 = dense_wnorm2,
                                         .reduce = spread_sum,
                                         .free = matrix_free,
                                         .column = dense_column,
                                         .rows = matrix_rows,
                                         .wgram = dense_wgram,
                                         .reduce_max = spread_max};

rp_design rp_design_spread(const rp_spread_matrix *S) {
  return (rp_design){S->M.n, S->M.p, &spread_ops, (void *)(uintptr_t)S}; /* read only */
}

/* The working copy of this process's rows (design_spread.h): owns its
 * rp_spread_matrix and values. */
static void spread_free(rp_design *X) {
  rp_spread_matrix *S = X->impl;
  free((double *)(uintptr_t)S->M.values);
  free(S);
}

static const rp_design_ops spread_work_ops = {.dot = dense_dot,
                                              .axpy = dense_axpy,
                                              .dots = spread_dots,
                                              .waxpy = dense_waxpy,
                                              .wnorm2 = dense_wnorm2,
                                              .reduce = spread_sum,
                                              .free = spread_free,
                                              .column = dense_column,
                                              .wgram = dense_wgram,
                                              .reduce_max = spread_max};

rp_status rp_design_spread_alloc(size_t n, size_t p, const rp_comm *comm, rp_design **out,
                                 rp_error *err) {
  *out = NULL;
  if (p == 0) return rp_error_set(err, RP_EINVAL, "empty design (%zu x %zu)", n, p);
  if (n > 0 && p > SIZE_MAX / sizeof(double) / n)
    return rp_error_set(err, RP_ENOMEM, "design of %zu x %zu is too large", n, p);
  rp_design *X = malloc(sizeof *X);
  rp_spread_matrix *S = malloc(sizeof *S);
  double *values = calloc(n ? n * p : 1, sizeof *values); /* a process may hold no row */
  if (!X || !S || !values) {
    free(X);
    free(S);
    free(values);
    return rp_error_set(err, RP_ENOMEM, "out of memory for a %zu x %zu design", n, p);
  }
  *S = (rp_spread_matrix){{n, p, n ? n : 1, values}, comm};
  *X = (rp_design){n, p, &spread_work_ops, S};
  *out = X;
  return RP_OK;
}

const rp_comm *rp_design_comm(const rp_design *X) {
  return X && (X->ops == &spread_ops || X->ops == &spread_work_ops) ? comm_of(X) : NULL;
}

const rp_matrix *rp_design_dense_matrix(const rp_design *X) {
  return X->ops == &matrix_ops || X->ops == &spread_ops ? matrix_of(X) : NULL;
}

void rp_design_free(rp_design *X) {
  if (!X) return;
  X->ops->free(X);
  free(X);
}
