/* stats.c: sufficient statistics by blocks of rows (see stats.h). */
#include "stats.h"

#include "rows.h"

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

void rp_stats_reset(rp_stats *s) {
  size_t p = s->p;
  s->n = 0;
  s->sy = s->yty = s->sw = 0.0;
  memset(s->sx, 0, p * sizeof *s->sx);
  memset(s->xtx, 0, p * p * sizeof *s->xtx);
  memset(s->xty, 0, p * sizeof *s->xty);
}

/* B becomes the block of sqrt(v_i) x'_i and yb that of sqrt(v_i) (y_i -
 * mu_y), so that B'B and B'yb carry v_i once (sqrt(v_i) = 1 exactly without
 * weights); the plain sums take v_i x'_ij and v_i (y_i - mu_y). */
void rp_stats_accumulate(rp_stats *s, const rp_stats_block *blk, const double *mu, const double *w,
                         double mu_y) {
  size_t p = s->p, m = blk->m;
  double *B = blk->x, *yb = blk->y, *root = blk->root;
  for (size_t i = 0; i < m; i++) {
    double v = blk->v ? blk->v[i] : 1.0;
    root[i] = blk->v ? sqrt(v) : 1.0;
    yb[i] = yb[i] - mu_y;
    s->sw += v;
    s->sy += v * yb[i];
    s->yty += v * yb[i] * yb[i];
    yb[i] *= root[i];
  }
  for (size_t j = 0; j < p; j++) {
    double *b = B + j * m, sum = 0.0;
    for (size_t i = 0; i < m; i++) {
      b[i] = (b[i] - mu[j]) / w[j];
      sum += (blk->v ? blk->v[i] : 1.0) * b[i];
      b[i] *= root[i];
    }
    s->sx[j] += sum;
  }
  int ip = (int)p, im = (int)m;
  cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, ip, im, 1.0, B, im, 1.0, s->xtx, ip);
  cblas_dgemv(CblasColMajor, CblasTrans, im, ip, 1.0, B, im, yb, 1, 1.0, s->xty, 1);
  s->n += m;
}

void rp_stats_finish(rp_stats *s) {
  size_t p = s->p;
  for (size_t j = 0; j < p; j++) /* mirror the upper triangle dsyrk filled */
    for (size_t k = j + 1; k < p; k++) s->xtx[j * p + k] = s->xtx[k * p + j];
}

/* Whether row r counts: a positive weight (every row without weights). */
static int counts(const double *weights, size_t r) { return !weights || weights[r] > 0.0; }

/* The mean of the counted values of col (n of them, rows `rows` of X),
 * over c counted rows in all: sum_i x_i / c, this process's share. */
static double mean_share(const double *col, size_t n, const double *weights, const size_t *rows,
                         double c) {
  double m = 0.0;
  for (size_t i = 0; i < n; i++)
    if (counts(weights, rows ? rows[i] : i)) m += col[i] / c;
  return m;
}

/* The largest |x_i - m| over the counted values of col. */
static double largest_deviation(const double *col, size_t n, const double *weights,
                                const size_t *rows, double m) {
  double dev = 0.0;
  for (size_t i = 0; i < n; i++)
    if (counts(weights, rows ? rows[i] : i)) dev = fmax(dev, fabs(col[i] - m));
  return dev;
}

/* Column j at `rows` (NULL: every row): a dense X's own values when they
 * are that, else gathered into col. */
static const double *column_of(const rp_design *X, size_t j, const size_t *rows, size_t n,
                               double *col) {
  const rp_matrix *M = rp_design_dense_matrix(X);
  if (M && !rows) return M->values + j * M->ld;
  rp_design_column(X, j, rows, n, col);
  return col;
}

/* Rows spread over processes (rows.h) add their shares of the means before
 * the deviations from them are taken, so the columns are then read twice;
 * local rows read each column once. */
rp_status rp_stats_shift(const rp_design *X, const double *y, const double *weights,
                         const size_t *rows, size_t n_rows, double *mu, double *w, double *mu_y,
                         rp_error *err) {
  size_t n = rows ? n_rows : X->n, p = X->p;
  int spread = X->ops->reduce != NULL;
  double *col = malloc((n ? n : 1) * sizeof *col), counted = 0.0;
  if (!col) return rp_error_set(err, RP_ENOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) counted += counts(weights, rows ? rows[i] : i) ? 1.0 : 0.0;
  counted = rp_rows_total(X, counted);
  double c = counted > 0.0 ? counted : 1.0;
  *mu_y = 0.0;
  for (size_t i = 0; i < n; i++) {
    size_t r = rows ? rows[i] : i;
    if (counts(weights, r)) *mu_y += y[r] / c;
  }
  *mu_y = rp_rows_total(X, *mu_y);
  for (size_t j = 0; j < p; j++) {
    const double *x = column_of(X, j, rows, n, col);
    mu[j] = mean_share(x, n, weights, rows, c);
    if (!spread) w[j] = largest_deviation(x, n, weights, rows, mu[j]);
  }
  rp_rows_sum(X, mu, p);
  for (size_t j = 0; spread && j < p; j++)
    w[j] = largest_deviation(column_of(X, j, rows, n, col), n, weights, rows, mu[j]);
  rp_rows_max(X, w, p);
  for (size_t j = 0; j < p; j++) w[j] = w[j] > 0.0 ? w[j] : 1.0;
  free(col);
  return RP_OK;
}

/* Rows [first, first + m) of the row list (rows NULL: of X) into the block:
 * X's values, y's and the weights (into v, which blk->v is with weights). */
static void gather_block(rp_stats_block *blk, double *v, const rp_design *X, const double *y,
                         const double *weights, const size_t *rows, size_t first) {
  size_t m = blk->m;
  if (rows)
    for (size_t j = 0; j < X->p; j++) rp_design_column(X, j, rows + first, m, blk->x + j * m);
  else
    rp_design_rows(X, first, m, blk->x);
  for (size_t i = 0; i < m; i++) {
    size_t r = rows ? rows[first + i] : first + i;
    blk->y[i] = y[r];
    if (weights) v[i] = weights[r];
  }
}

/* The statistics of every process's rows (rows.h), each sum over rows
 * finished: nothing for local rows. */
static void add_other_processes(rp_stats *s, const rp_design *X) {
  if (!X->ops->reduce) return;
  size_t p = s->p;
  double scalars[4] = {s->sy, s->yty, s->sw, (double)s->n};
  rp_rows_sum(X, scalars, 4);
  s->sy = scalars[0], s->yty = scalars[1], s->sw = scalars[2], s->n = (size_t)scalars[3];
  rp_rows_sum(X, s->sx, p);
  rp_rows_sum(X, s->xty, p);
  rp_rows_sum(X, s->xtx, p * p);
}

rp_status rp_stats_compute(rp_stats *s, const rp_design *X, const double *y, const double *weights,
                           const size_t *rows, size_t n_rows, const double *mu, const double *w,
                           double mu_y, rp_error *err) {
  size_t n = rows ? n_rows : X->n, p = s->p, block = BLOCK_BYTES / sizeof(double) / p;
  if (block < MIN_BLOCK_ROWS) block = MIN_BLOCK_ROWS;
  if (block > n) block = n;
  if (p > INT32_MAX || block * p > SIZE_MAX / sizeof(double))
    return rp_error_set(err, RP_ENOMEM, "design too large for BLAS");
  size_t room = block ? block : 1;
  double *x = malloc(room * p * sizeof *x), *yb = malloc(room * sizeof *yb);
  double *vr = malloc(room * 2 * sizeof *vr); /* v_i and sqrt(v_i) */
  rp_status st = x && yb && vr ? RP_OK : rp_error_set(err, RP_ENOMEM, "out of memory");
  rp_stats_reset(s);
  for (size_t first = 0; st == RP_OK && first < n; first += block) {
    size_t m = n - first < block ? n - first : block;
    rp_stats_block blk = {m, x, yb, weights ? vr : NULL, vr + m};
    gather_block(&blk, vr, X, y, weights, rows, first);
    rp_stats_accumulate(s, &blk, mu, w, mu_y);
  }
  rp_stats_finish(s);
  add_other_processes(s, X);
  free(x);
  free(yb);
  free(vr);
  return st;
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

/* out = a + sign b, sum by sum. */
static void combine(rp_stats *out, const rp_stats *a, const rp_stats *b, double sign) {
  size_t p = a->p;
  out->n = sign > 0.0 ? a->n + b->n : a->n - b->n;
  out->sw = a->sw + sign * b->sw;
  out->sy = a->sy + sign * b->sy;
  out->yty = a->yty + sign * b->yty;
  for (size_t j = 0; j < p; j++) {
    out->sx[j] = a->sx[j] + sign * b->sx[j];
    out->xty[j] = a->xty[j] + sign * b->xty[j];
  }
  for (size_t q = 0; q < p * p; q++) out->xtx[q] = a->xtx[q] + sign * b->xtx[q];
}

void rp_stats_subtract(rp_stats *out, const rp_stats *a, const rp_stats *b) {
  combine(out, a, b, -1.0);
}

void rp_stats_add(rp_stats *out, const rp_stats *a, const rp_stats *b) { combine(out, a, b, 1.0); }

void rp_stats_free(rp_stats *s) {
  if (!s) return;
  free(s->sx);
  free(s->xtx);
  free(s->xty);
  free(s);
}
