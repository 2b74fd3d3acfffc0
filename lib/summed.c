/* summed.c: a training set known only through its sums (summed.h). */
#include "summed.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "folds.h"
#include "memory.h"
#include "problem.h"

rp_status rp_summed_alloc(size_t p, rp_summed **out, rp_error *err) {
  rp_summed *S = calloc(1, sizeof *S);
  *out = NULL;
  if (!S) return rp_error_set(err, RP_ENOMEM, "out of memory");
  S->p = p;
  S->mu = malloc(p * sizeof *S->mu);
  S->w = malloc(p * sizeof *S->w);
  rp_status st = S->mu && S->w ? rp_stats_alloc(p, &S->total, err)
                               : rp_error_set(err, RP_ENOMEM, "out of memory");
  if (st != RP_OK) {
    rp_summed_free(S);
    return st;
  }
  *out = S;
  return RP_OK;
}

void rp_summed_free(rp_summed *S) {
  if (!S) return;
  for (size_t k = 0; S->held_out && k < S->n_folds; k++) rp_stats_free(S->held_out[k]);
  free(S->held_out);
  free(S->tops);
  free(S->constant);
  free(S->fold_sums);
  free(S->scratch);
  free(S->test_rows);
  rp_stats_free(S->total);
  free(S->mu);
  free(S->w);
  free(S);
}

/* Room for folds up to K (each new one with no rows yet). */
static rp_status grow_folds(rp_summed *S, size_t K, rp_error *err) {
  size_t old = S->n_folds, t = 2 * (S->p + 1);
  if (K <= old) return RP_OK;
  char what[64];
  snprintf(what, sizeof what, "the sums of %zu folds", K);
  double p = (double)S->p, more = (double)(K - old) * (p * p + 2.0 * p + 2.0 * (double)t);
  rp_status room = rp_memory_check(more * sizeof(double), what, err);
  if (room != RP_OK) return room;
  rp_stats **h = realloc(S->held_out, K * sizeof *h);
  if (h) S->held_out = h;
  double *tops = h ? realloc(S->tops, K * t * sizeof *tops) : NULL;
  if (tops) S->tops = tops;
  double *sums = tops ? realloc(S->fold_sums, K * 4 * sizeof *sums) : NULL;
  if (sums) S->fold_sums = sums;
  if (!sums) return rp_error_set(err, RP_ENOMEM, "out of memory for %zu folds' statistics", K);
  for (size_t k = old; k < K; k++) {
    if (rp_stats_alloc(S->p, &S->held_out[k], err) != RP_OK) {
      S->n_folds = k;
      return RP_ENOMEM;
    }
    rp_stats_reset(S->held_out[k]);
    for (size_t q = 0; q < t; q++) S->tops[k * t + q] = -HUGE_VAL; /* no row yet */
    memset(S->fold_sums + 4 * k, 0, 4 * sizeof *S->fold_sums);
    S->n_folds = k + 1;
  }
  return RP_OK;
}

/* Fold k's tops, each the larger of its own and the m rows' (rows). */
static void add_tops(rp_summed *S, size_t k, const rp_matrix *X, const double *y, const double *v,
                     const size_t *rows, size_t m) {
  size_t p = S->p;
  double *tops = S->tops + k * 2 * (p + 1), top[2];
  for (size_t j = 0; j <= p; j++) {
    rp_constant_top(j < p ? X->values + j * X->ld : y, v, rows, m, top);
    tops[2 * j] = fmax(tops[2 * j], top[0]);
    tops[2 * j + 1] = fmax(tops[2 * j + 1], top[1]);
  }
}

/* Room in S's scratch for a block of n rows (kept for the next block:
 * fresh memory would be paged in again for every block). */
static rp_status scratch_room(rp_summed *S, size_t n, rp_error *err) {
  if (n <= S->scratch_rows) return RP_OK;
  size_t rows =
      S->scratch_rows + S->scratch_rows / 4 > n ? S->scratch_rows + S->scratch_rows / 4 : n;
  double *x = realloc(S->scratch, rows * (S->p + 3) * sizeof *x);
  if (!x) return rp_error_set(err, RP_ENOMEM, "out of memory for a block of %zu rows", rows);
  S->scratch = x, S->scratch_rows = rows;
  return RP_OK;
}

/* Fold k's m rows of the block (rows, from `at` of the regrouped n) into
 * its statistics and sums: its column-major m x p block at scratch + p at,
 * then the targets, weights and square roots of the whole n
 * (rp_stats_accumulate overwrites them). */
static void add_fold_rows(rp_summed *S, size_t k, const rp_matrix *X, const double *y,
                          const double *v, const size_t *rows, size_t at, size_t m, size_t n) {
  size_t p = S->p;
  double *x = S->scratch + p * at, *yb = S->scratch + p * n + at, *vb = yb + n, *root = vb + n;
  for (size_t j = 0; j < p; j++)
    for (size_t i = 0; i < m; i++) x[j * m + i] = X->values[j * X->ld + rows[i]];
  double *sums = S->fold_sums + 4 * k;
  for (size_t i = 0; i < m; i++) {
    yb[i] = y[rows[i]];
    vb[i] = v ? v[rows[i]] : 1.0;
    sums[1] += vb[i];
  }
  sums[0] += (double)m;
  rp_stats_block blk = {m, x, yb, v ? vb : NULL, root};
  rp_stats_accumulate(S->held_out[k], &blk, S->mu, S->w, S->mu_y);
}

rp_status rp_summed_add(rp_summed *S, const rp_matrix *X, const double *y, const double *v,
                        const int *fold_ids, rp_error *err) {
  size_t n = X->n, K = 0;
  if (n == 0) return RP_OK;
  rp_design D = rp_design_matrix(X);
  for (size_t i = 0; i < n; i++) {
    if (fold_ids[i] < 1)
      return rp_error_set(err, RP_EINVAL, "fold id %d of row %zu is not >= 1", fold_ids[i],
                          S->n + i + 1);
    K = (size_t)fold_ids[i] > K ? (size_t)fold_ids[i] : K;
  }
  rp_status st = grow_folds(S, K, err);
  if (st == RP_OK && !S->shifted) {
    st = rp_stats_shift(&D, y, v, NULL, 0, S->mu, S->w, &S->mu_y, err);
    S->shifted = st == RP_OK;
  }
  if (st == RP_OK) st = scratch_room(S, n, err);
  size_t *start = malloc((K + 1) * sizeof *start), *rows = malloc(n * sizeof *rows);
  if (st == RP_OK && (!start || !rows)) st = rp_error_set(err, RP_ENOMEM, "out of memory");
  if (st == RP_OK) rp_rows_by_fold(fold_ids, n, K, start, rows);
  for (size_t k = 0; st == RP_OK && k < K; k++) {
    size_t m = start[k + 1] - start[k];
    if (m == 0) continue;
    add_fold_rows(S, k, X, y, v, rows + start[k], start[k], m, n);
    add_tops(S, k, X, y, v, rows + start[k], m);
  }
  S->n += n;
  free(start);
  free(rows);
  return st;
}

/* Constant on the rows of every fold but `skip` (K: none skipped), from
 * their tops: the largest of each, value by value. */
static void constant_without(const rp_summed *S, size_t skip, int *constant) {
  size_t t = 2 * (S->p + 1);
  for (size_t q = 0; q < t; q += 2) {
    double top[2] = {-HUGE_VAL, -HUGE_VAL};
    for (size_t k = 0; k < S->n_folds; k++) {
      if (k == skip) continue;
      top[0] = fmax(top[0], S->tops[k * t + q]);
      top[1] = fmax(top[1], S->tops[k * t + q + 1]);
    }
    constant[q / 2] = rp_constant_of_top(top);
  }
}

rp_status rp_summed_finish(rp_summed *S, rp_error *err) {
  size_t K = S->n_folds, p = S->p;
  double W = 0.0;
  rp_stats_reset(S->total);
  for (size_t k = 0; k < K; k++) {
    rp_stats_finish(S->held_out[k]);
    rp_stats_add(S->total, S->total, S->held_out[k]);
    W += S->fold_sums[4 * k + 1];
  }
  free(S->constant);
  if (!(S->constant = malloc((K + 1) * (p + 1) * sizeof *S->constant)))
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  for (size_t k = 0; k <= K; k++) constant_without(S, k, S->constant + k * (p + 1));
  int weighted = W != (double)S->n;
  for (size_t k = 0; k < K; k++) {
    double *sums = S->fold_sums + 4 * k;
    sums[2] = (double)S->n - sums[0];
    sums[3] = weighted ? W - sums[1] : 0.0;
  }
  return RP_OK;
}

double rp_summed_loss(const rp_stats *s, const double *mu, const double *w, double mu_y,
                      const double *b, double b0) {
  size_t p = s->p;
  double c = b0 - mu_y, gy = 0.0, gx = 0.0, gXg = 0.0;
  for (size_t j = 0; j < p; j++) c += mu[j] * b[j];
  for (size_t j = 0; j < p; j++) {
    double gj = w[j] * b[j], row = 0.0;
    if (gj == 0.0) continue;
    gy += gj * s->xty[j];
    gx += gj * s->sx[j];
    for (size_t k = 0; k < p; k++) row += s->xtx[j * p + k] * w[k] * b[k];
    gXg += gj * row;
  }
  double loss = s->yty - 2.0 * gy - 2.0 * c * s->sy + gXg + 2.0 * c * gx + c * c * s->sw;
  return loss > 0.0 ? loss : 0.0;
}

/* ------------------------------------------------------------ its design */

static void summed_free(rp_design *X) { (void)X; }

static const rp_design_ops summed_ops = {.free = summed_free};

rp_design rp_design_summed(const rp_summed *S) {
  return (rp_design){S->n, S->p, &summed_ops, (void *)(uintptr_t)S}; /* read only */
}

const rp_summed *rp_design_summed_of(const rp_design *X) {
  return X && X->ops == &summed_ops ? X->impl : NULL;
}
