/* design.c: the dense column-major design matrix behind rp_design. */
#include "regpath/design.h"

#include "sums.h"

#include <gsl/gsl_cblas.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct {
  double *values; /* n * p, column j at values + j * n */
} dense_impl;

static const double *dense_col(const rp_design *X, size_t j) {
  return ((const dense_impl *)X->impl)->values + j * X->n;
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
  const dense_impl *d = X->impl;
  cblas_dgemv(CblasColMajor, CblasTrans, (int)X->n, (int)X->p, 1.0, d->values, (int)X->n, v, 1, 0.0,
              out, 1);
}

static void dense_free(rp_design *X) {
  dense_impl *d = X->impl;
  free(d->values);
  free(d);
}

/* Every row is local: no reduce. */
static const rp_design_ops dense_ops = {dense_dot,   dense_axpy,   dense_dots, dense_waxpy,
                                        dense_wnorm2, NULL,        dense_free};

rp_status rp_design_dense_alloc(size_t n, size_t p, rp_design **out, rp_error *err) {
  *out = NULL;
  if (n == 0 || p == 0) return rp_error_set(err, RP_EINVAL, "empty design (%zu x %zu)", n, p);
  if (p > SIZE_MAX / sizeof(double) / n || n > INT32_MAX || p > INT32_MAX)
    return rp_error_set(err, RP_ENOMEM, "design of %zu x %zu is too large", n, p);
  rp_design *X = malloc(sizeof *X);
  dense_impl *d = malloc(sizeof *d);
  double *values = calloc(n * p, sizeof *values);
  if (!X || !d || !values) {
    free(X);
    free(d);
    free(values);
    return rp_error_set(err, RP_ENOMEM, "out of memory for a %zu x %zu design", n, p);
  }
  d->values = values;
  *X = (rp_design){n, p, &dense_ops, d};
  *out = X;
  return RP_OK;
}

double *rp_design_dense_column(rp_design *X, size_t j) {
  return ((dense_impl *)X->impl)->values + j * X->n;
}

void rp_design_free(rp_design *X) {
  if (!X) return;
  X->ops->free(X);
  free(X);
}
