/* design_view.c: standardized rows of a shared matrix behind rp_design
 * (see design_view.h). */
#include "design_view.h"

#include "sums.h"
#include "wgram.h"

#include <gsl/gsl_cblas.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  const double *z; /* shared, N x p, column j at z + j * ld */
  size_t N, ld;
  const size_t *rows; /* the view's rows, n = X->n of them; NULL:
                         all N in order, read in place            */
  double *c, *inv_d;  /* x~_ij = (z_{rows[i], j} - c_j) * inv_d_j */
  double *full;       /* N values, 0 off the rows: for dgemv (with rows) */
  double **stored;    /* p slots: x~_j stored contiguously, or NULL */
  double *store;      /* room for `room` columns of n values      */
  size_t room, n_stored;
} view_impl;

/* At most this many columns stored per view: an eighth of the matrix. */
#define STORED_COLUMNS(p) ((p) / 8 + 1)

static view_impl *impl_of(const rp_design *X) { return X->impl; }

static const double *view_col(const view_impl *v, size_t j) { return v->z + j * v->ld; }

/* Column j of x~ stored contiguously on first use, while there is room: a
 * fit keeps coming back to the same few (strong) columns, and the gathered
 * reads z[rows[i]] cost several times a contiguous pass.  NULL when there
 * is no room (or no memory): the operations then gather. */
static const double *stored_column(view_impl *v, size_t j, size_t n) {
  if (!v->rows || v->stored[j] || v->n_stored == v->room) return v->stored[j];
  if (!v->store && !(v->store = malloc(v->room * n * sizeof *v->store))) {
    v->room = 0;
    return NULL;
  }
  double *x = v->store + v->n_stored++ * n, c = v->c[j], inv_d = v->inv_d[j];
  const double *z = view_col(v, j);
  for (size_t i = 0; i < n; i++) x[i] = (z[v->rows[i]] - c) * inv_d;
  return v->stored[j] = x;
}

/* (sum_i z_{rows[i], j} u_i - c_j sum_i u_i)/d_j, each sum in four
 * interleaved partial sums (see sums.h's rp_sum_of_products). */
static double gathered_dot(const view_impl *v, size_t j, const double *u, size_t n) {
  const double *z = view_col(v, j);
  const size_t *rows = v->rows;
  double zu[4] = {0.0, 0.0, 0.0, 0.0}, su[4] = {0.0, 0.0, 0.0, 0.0};
  size_t i = 0;
  for (; i + 4 <= n; i += 4)
    for (size_t k = 0; k < 4; k++) {
      zu[k] += z[rows[i + k]] * u[i + k];
      su[k] += u[i + k];
    }
  for (; i < n; i++) {
    zu[0] += z[rows[i]] * u[i];
    su[0] += u[i];
  }
  double zu_all = (zu[0] + zu[1]) + (zu[2] + zu[3]), su_all = (su[0] + su[1]) + (su[2] + su[3]);
  return (zu_all - v->c[j] * su_all) * v->inv_d[j];
}

/* sum_i (z_ij - c_j) u_i / d_j over every row in order (rows NULL), z
 * read in place: each term centred before it is added, so nothing cancels,
 * in rp_sum_of_products' four partial sums. */
static double whole_dot(const view_impl *v, size_t j, const double *u, size_t n) {
  const double *z = view_col(v, j), c = v->c[j];
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0; /* named, so they stay in registers */
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += (z[i] - c) * u[i];
    s1 += (z[i + 1] - c) * u[i + 1];
    s2 += (z[i + 2] - c) * u[i + 2];
    s3 += (z[i + 3] - c) * u[i + 3];
  }
  for (; i < n; i++) s0 += (z[i] - c) * u[i];
  return ((s0 + s1) + (s2 + s3)) * v->inv_d[j];
}

static double view_dot(const rp_design *X, size_t j, const double *u) {
  view_impl *v = impl_of(X);
  if (!v->rows) return whole_dot(v, j, u, X->n);
  const double *x = stored_column(v, j, X->n);
  return x ? rp_sum_of_products(NULL, x, u, X->n) : gathered_dot(v, j, u, X->n);
}

/* u_i += a x~_ij = a (z - c_j)/d_j. */
static void view_axpy(const rp_design *X, size_t j, double a, double *u) {
  view_impl *v = impl_of(X);
  const double *x = stored_column(v, j, X->n), *z = view_col(v, j);
  double s = a * v->inv_d[j], c = v->c[j];
  if (!v->rows)
    for (size_t i = 0; i < X->n; i++) u[i] += s * (z[i] - c);
  else if (x)
    cblas_daxpy((int)X->n, a, x, 1, u, 1);
  else
    for (size_t i = 0; i < X->n; i++) u[i] += s * (z[v->rows[i]] - c);
}

static void view_waxpy(const rp_design *X, size_t j, double a, const double *w, double *u) {
  view_impl *v = impl_of(X);
  const double *x = stored_column(v, j, X->n), *z = view_col(v, j);
  double s = a * v->inv_d[j], c = v->c[j];
  if (!v->rows)
    for (size_t i = 0; i < X->n; i++) u[i] += s * w[i] * (z[i] - c);
  else if (x)
    for (size_t i = 0; i < X->n; i++) u[i] += a * w[i] * x[i];
  else
    for (size_t i = 0; i < X->n; i++) u[i] += s * w[i] * (z[v->rows[i]] - c);
}

/* sum_i w_i (z_ij - c_j)^2 / d_j^2 over every row in order, as whole_dot. */
static double whole_wnorm2(const view_impl *v, size_t j, const double *w, size_t n) {
  const double *z = view_col(v, j), c = v->c[j];
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    double d0 = z[i] - c, d1 = z[i + 1] - c, d2 = z[i + 2] - c, d3 = z[i + 3] - c;
    s0 += w[i] * d0 * d0;
    s1 += w[i + 1] * d1 * d1;
    s2 += w[i + 2] * d2 * d2;
    s3 += w[i + 3] * d3 * d3;
  }
  for (; i < n; i++) s0 += w[i] * (z[i] - c) * (z[i] - c);
  return ((s0 + s1) + (s2 + s3)) * v->inv_d[j] * v->inv_d[j];
}

static double view_wnorm2(const rp_design *X, size_t j, const double *w) {
  view_impl *v = impl_of(X);
  if (!v->rows) return whole_wnorm2(v, j, w, X->n);
  const double *x = stored_column(v, j, X->n), *z = view_col(v, j);
  if (x) return rp_sum_of_products(w, x, x, X->n);
  double q = 0.0, c = v->c[j];
  for (size_t i = 0; i < X->n; i++) q += w[i] * (z[v->rows[i]] - c) * (z[v->rows[i]] - c);
  return q * v->inv_d[j] * v->inv_d[j];
}

/* out_j = (z_j . u_full - c_j S)/d_j, with u_full = u on the rows and 0 off
 * them (the off-row entries of `full` are never written). */
static void view_dots(const rp_design *X, const double *u, double *out) {
  const view_impl *v = impl_of(X);
  double su = 0.0;
  for (size_t i = 0; i < X->n; i++) {
    if (v->rows) v->full[v->rows[i]] = u[i];
    su += u[i];
  }
  cblas_dgemv(CblasColMajor, CblasTrans, (int)v->N, (int)X->p, 1.0, v->z, (int)v->ld,
              v->rows ? v->full : u, 1, 0.0, out, 1);
  for (size_t j = 0; j < X->p; j++) out[j] = (out[j] - v->c[j] * su) * v->inv_d[j];
}

/* Rows first .. first + count - 1 of x~_j (wgram.h). */
static void view_block(const rp_design *X, size_t j, size_t first, size_t count, double *out) {
  const view_impl *v = impl_of(X);
  const double *z = view_col(v, j), c = v->c[j], inv_d = v->inv_d[j];
  if (!v->rows)
    for (size_t i = 0; i < count; i++) out[i] = (z[first + i] - c) * inv_d;
  else
    for (size_t i = 0; i < count; i++) out[i] = (z[v->rows[first + i]] - c) * inv_d;
}

static int view_wgram(const rp_design *X, const size_t *cols, size_t k, const double *w,
                      double *out, size_t ld) {
  return rp_wgram_by_blocks(X, view_block, cols, k, w, out, ld);
}

static void view_free(rp_design *X) {
  view_impl *v = X->impl;
  free(v->c);
  free(v->inv_d);
  free(v->full);
  free(v->stored);
  free(v->store);
  free(v);
}

/* No column or rows: a view is a working design, never a raw one; and
 * its rows are all local: no reduce. */
static const rp_design_ops view_ops = {.dot = view_dot,
                                       .axpy = view_axpy,
                                       .dots = view_dots,
                                       .waxpy = view_waxpy,
                                       .wnorm2 = view_wnorm2,
                                       .free = view_free,
                                       .wgram = view_wgram};

rp_status rp_design_view_alloc(const double *z, size_t N, size_t p, size_t ld, const size_t *rows,
                               size_t n, const double *c, const double *inv_d, rp_design **out,
                               rp_error *err) {
  *out = NULL;
  if (n == 0 || p == 0) return rp_error_set(err, RP_EINVAL, "empty design (%zu x %zu)", n, p);
  if (!rows && n != N)
    return rp_error_set(err, RP_EINVAL, "a view of every row has all %zu of them, not %zu", N, n);
  if (N > INT32_MAX || p > INT32_MAX || ld > INT32_MAX)
    return rp_error_set(err, RP_ENOMEM, "design of %zu x %zu is too large for BLAS", N, p);
  rp_design *X = malloc(sizeof *X);
  view_impl *v = malloc(sizeof *v);
  double *cc = malloc(p * sizeof *cc), *dd = malloc(p * sizeof *dd);
  double *full = rows ? calloc(N, sizeof *full) : NULL; /* dots reads u itself without rows */
  double **stored = calloc(p, sizeof *stored);
  if (!X || !v || !cc || !dd || (rows && !full) || !stored) {
    free(X);
    free(v);
    free(cc);
    free(dd);
    free(full);
    free(stored);
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  }
  memcpy(cc, c, p * sizeof *cc);
  memcpy(dd, inv_d, p * sizeof *dd);
  *v = (view_impl){z, N, ld, rows, cc, dd, full, stored, NULL, STORED_COLUMNS(p), 0};
  *X = (rp_design){n, p, &view_ops, v};
  *out = X;
  return RP_OK;
}
