/* stats.c: sufficient statistics by blocks of rows (see stats.h). */
#include "stats.h"

#include <gsl/gsl_cblas.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The shifted rows are gathered into a block buffer of about BLOCK_BYTES
 * (at least MIN_BLOCK_ROWS rows, so dsyrk stays efficient). */
enum { BLOCK_BYTES = 2 << 20, MIN_BLOCK_ROWS = 128 };

rp_status rp_stats_alloc(size_t p, rp_stats **out, rp_error *err) {
  *out = NULL;
  if (p > SIZE_MAX / sizeof(double) / p)
    return rp_error_set(err, RP_ENOMEM, "a %zu x %zu Gram matrix is too large", p, p);
  rp_stats *s = calloc(1, sizeof *s);
  if (!s) return rp_error_set(err, RP_ENOMEM, "out of memory");
  s->p = p;
  s->sx = malloc(p * sizeof *s->sx);
  s->xtx = malloc(p * p * sizeof *s->xtx);
  s->xty = malloc(p * sizeof *s->xty);
  if (!s->sx || !s->xtx || !s->xty) {
    rp_stats_free(s);
    return rp_error_set(err, RP_ENOMEM, "out of memory for a %zu x %zu Gram matrix", p, p);
  }
  *out = s;
  return RP_OK;
}

/* Add the statistics of rows [first, first + m) of the row list: the
 * block B of sqrt(v_i) x'_i and yb of sqrt(v_i) (y_i - mu_y), so that
 * B'B and B'yb carry v_i once (sqrt(v_i) = 1 exactly without weights). */
static void add_block(rp_stats *s, const rp_matrix *X, const double *y, const double *weights,
                      const size_t *rows, size_t first, size_t m, const double *mu,
                      const double *w, double mu_y, double *B, double *yb, double *vr) {
  size_t p = s->p;
  double *v = vr, *root = vr + m;
  for (size_t i = 0; i < m; i++) {
    size_t r = rows ? rows[first + i] : first + i;
    v[i] = weights ? weights[r] : 1.0;
    root[i] = weights ? sqrt(v[i]) : 1.0;
    yb[i] = y[r] - mu_y;
    s->sw += v[i];
    s->sy += v[i] * yb[i];
    s->yty += v[i] * yb[i] * yb[i];
    yb[i] *= root[i];
  }
  for (size_t j = 0; j < p; j++) {
    const double *col = X->values + j * X->ld;
    double *b = B + j * m, sum = 0.0;
    for (size_t i = 0; i < m; i++) {
      b[i] = (col[rows ? rows[first + i] : first + i] - mu[j]) / w[j];
      sum += v[i] * b[i];
      b[i] *= root[i];
    }
    s->sx[j] += sum;
  }
  int ip = (int)p, im = (int)m;
  cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, ip, im, 1.0, B, im, 1.0, s->xtx, ip);
  cblas_dgemv(CblasColMajor, CblasTrans, im, ip, 1.0, B, im, yb, 1, 1.0, s->xty, 1);
}

/* Whether row r counts: a positive weight (every row without weights). */
static int counts(const double *weights, size_t r) { return !weights || weights[r] > 0.0; }

void rp_stats_shift(const rp_matrix *X, const double *y, const double *weights, const size_t *rows,
                    size_t n_rows, double *mu, double *w, double *mu_y) {
  size_t n = rows ? n_rows : X->n, counted = 0;
  for (size_t i = 0; i < n; i++) counted += counts(weights, rows ? rows[i] : i) ? 1 : 0;
  double c = counted ? (double)counted : 1.0;
  *mu_y = 0.0;
  for (size_t i = 0; i < n; i++) {
    size_t r = rows ? rows[i] : i;
    if (counts(weights, r)) *mu_y += y[r] / c;
  }
  for (size_t j = 0; j < X->p; j++) {
    const double *col = X->values + j * X->ld;
    double m = 0.0, dev = 0.0;
    for (size_t i = 0; i < n; i++) {
      size_t r = rows ? rows[i] : i;
      if (counts(weights, r)) m += col[r] / c;
    }
    for (size_t i = 0; i < n; i++) {
      size_t r = rows ? rows[i] : i;
      if (counts(weights, r)) dev = fmax(dev, fabs(col[r] - m));
    }
    mu[j] = m;
    w[j] = dev > 0.0 ? dev : 1.0;
  }
}

rp_status rp_stats_compute(rp_stats *s, const rp_matrix *X, const double *y, const double *weights,
                           const size_t *rows, size_t n_rows, const double *mu, const double *w,
                           double mu_y, rp_error *err) {
  size_t n = rows ? n_rows : X->n, p = s->p, block = BLOCK_BYTES / sizeof(double) / p;
  if (block < MIN_BLOCK_ROWS) block = MIN_BLOCK_ROWS;
  if (block > n) block = n;
  if (p > INT32_MAX || block * p > SIZE_MAX / sizeof(double))
    return rp_error_set(err, RP_ENOMEM, "design too large for BLAS");
  double *B = malloc((block ? block : 1) * p * sizeof *B), *yb = malloc((block ? block : 1) * sizeof *yb);
  double *vr = malloc((block ? block : 1) * 2 * sizeof *vr); /* v_i and sqrt(v_i) */
  if (!B || !yb || !vr) {
    free(B);
    free(yb);
    free(vr);
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  }
  s->n = n;
  s->sy = s->yty = s->sw = 0.0;
  memset(s->sx, 0, p * sizeof *s->sx);
  memset(s->xtx, 0, p * p * sizeof *s->xtx);
  memset(s->xty, 0, p * sizeof *s->xty);
  for (size_t first = 0; first < n; first += block)
    add_block(s, X, y, weights, rows, first, n - first < block ? n - first : block, mu, w, mu_y, B,
              yb, vr);
  for (size_t j = 0; j < p; j++) /* mirror the upper triangle dsyrk filled */
    for (size_t k = j + 1; k < p; k++) s->xtx[j * p + k] = s->xtx[k * p + j];
  free(B);
  free(yb);
  free(vr);
  return RP_OK;
}

void rp_stats_copy(rp_stats *out, const rp_stats *s) {
  size_t p = s->p;
  out->n = s->n;
  out->sw = s->sw;
  out->sy = s->sy;
  out->yty = s->yty;
  memcpy(out->sx, s->sx, p * sizeof *s->sx);
  memcpy(out->xty, s->xty, p * sizeof *s->xty);
  memcpy(out->xtx, s->xtx, p * p * sizeof *s->xtx);
}

void rp_stats_subtract(rp_stats *out, const rp_stats *a, const rp_stats *b) {
  size_t p = a->p;
  out->n = a->n - b->n;
  out->sw = a->sw - b->sw;
  out->sy = a->sy - b->sy;
  out->yty = a->yty - b->yty;
  for (size_t j = 0; j < p; j++) {
    out->sx[j] = a->sx[j] - b->sx[j];
    out->xty[j] = a->xty[j] - b->xty[j];
  }
  for (size_t q = 0; q < p * p; q++) out->xtx[q] = a->xtx[q] - b->xtx[q];
}

void rp_stats_free(rp_stats *s) {
  if (!s) return;
  free(s->sx);
  free(s->xtx);
  free(s->xty);
  free(s);
}
