/* glm_factor.c: the support's IRLS Hessian, factored (see glm_factor.h). */
#include "glm_factor.h"

#include <stdlib.h>
#include <string.h>

#include "rows.h"
#include "tuning.h"

/* H_ab, column-major with the factor's leading dimension. */
#define H_AT(F, a, b) ((F)->chol.L[(b) * (F)->chol.ld + (a)])

enum { IN_FACTOR = 1, LISTED = 2 };

/* Columns appended in one pass take at most this many values of room: 256
 * KiB, 6 columns of 5000 rows (written only as far as an append uses it:
 * the peak RSS of binomial 5000 x 500 counts it twice, one per fold in
 * flight). */
enum { APPEND_BLOCK_VALUES = 32768 };

void rp_glm_factor_alloc(rp_glm_factor *F, const rp_problem *pb, size_t cap) {
  memset(F, 0, sizeof *F);
  F->off = pb->intercept ? 1 : 0;
  F->stamp = -1;
  if (cap > pb->p) cap = pb->p;
  size_t ld = cap + F->off;
  F->chol.L = malloc(ld * ld * sizeof *F->chol.L);
  F->chol.ld = ld;
  F->cols = malloc(cap * sizeof *F->cols);
  F->w = malloc(pb->n * sizeof *F->w);
  F->block = APPEND_BLOCK_VALUES / (pb->n > 0 ? pb->n : 1);
  if (F->block > cap) F->block = cap;
  if (F->block == 0) F->block = 1;
  F->work = malloc((F->block * pb->n + (ld + F->block) * F->block) * sizeof *F->work);
  F->adding = malloc(F->block * sizeof *F->adding);
  F->mark = calloc(pb->p, 1);
  if (cap > 0 && F->chol.L && F->cols && F->w && F->work && F->adding && F->mark) F->cap = cap;
}

void rp_glm_factor_free(rp_glm_factor *F) {
  free(F->chol.L);
  free(F->cols);
  free(F->w);
  free(F->work);
  free(F->adding);
  free(F->mark);
}

/* H's lower triangle (order m) summed over the processes, then scaled by
 * 1/n with lam2 pf_j on the columns' diagonal. */
static void finish_columns(rp_glm_factor *F, const rp_problem *pb, size_t m) {
  double nt = (double)pb->n_total;
  for (size_t b = 0; b < m; b++) {
    rp_rows_sum(pb->X, &H_AT(F, b, b), m - b);
    for (size_t a = b; a < m; a++) H_AT(F, a, b) /= nt;
    if (b >= F->off) H_AT(F, b, b) += F->lam2 * pb->pf[F->cols[b - F->off]];
  }
}

int rp_glm_factor_form(rp_glm_factor *F, const rp_problem *pb, const size_t *cols, size_t k,
                       const double *w, double lam2, long stamp) {
  size_t off = F->off, m = off + k, ld = F->chol.ld;
  if (F->cap == 0 || k > F->cap || k + off == 0) return 0;
  double *block = &H_AT(F, off, off);
  if (k > 0 && !rp_design_wgram(pb->X, cols, k, w, block, ld)) return 0;
  memcpy(F->cols, cols, k * sizeof *cols);
  memcpy(F->w, w, pb->n * sizeof *w);
  F->k = k;
  F->lam2 = lam2;
  F->stamp = stamp;
  for (size_t a = 0; a < k; a++) /* wgram's row-major lower triangle is our upper one */
    for (size_t b = 0; b < a; b++) block[b * ld + a] = block[a * ld + b];
  if (off) {
    double sum = 0.0;
    for (size_t i = 0; i < pb->n; i++) sum += w[i];
    H_AT(F, 0, 0) = sum;
    for (size_t a = 0; a < k; a++) H_AT(F, a + 1, 0) = rp_design_dot(pb->X, cols[a], w);
  }
  finish_columns(F, pb, m);
  rp_cholesky_factor(&F->chol, m);
  return 1;
}

/* The c columns `add` appended, in one pass over X~_S: u_t = w x~_{add_t}
 * for each, then each column's products with all of them while it is in
 * cache.  Appended one at a time, every new column read all of X~_S
 * again from memory (binomial 5000 x 500: 2,429 appends, 11% of the
 * run).  Column t's products, in A's column t, are in the order of the
 * factor it joins: the intercept's row, the old columns, then the new
 * ones before it, and last its own square. */
static void append_block(rp_glm_factor *F, const rp_problem *pb, const size_t *add, size_t c) {
  size_t n = pb->n, off = F->off, m = off + F->k, rows = m + c;
  double *U = F->work, *A = F->work + c * n, nt = (double)pb->n_total;
  for (size_t t = 0; t < c; t++) {
    memset(U + t * n, 0, n * sizeof *U);
    rp_design_waxpy(pb->X, add[t], 1.0, F->w, U + t * n);
  }
  for (size_t t = 0; off && t < c; t++) {
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) sum += U[t * n + i];
    A[t * rows] = sum;
  }
  for (size_t b = 0; b < F->k; b++)
    for (size_t t = 0; t < c; t++)
      A[t * rows + off + b] = rp_design_dot(pb->X, F->cols[b], U + t * n);
  for (size_t s = 0; s < c; s++)
    for (size_t t = s; t < c; t++) A[t * rows + m + s] = rp_design_dot(pb->X, add[s], U + t * n);
  rp_rows_sum(pb->X, A, rows * c);
  for (size_t t = 0; t < c; t++) {
    double *a = A + t * rows;
    for (size_t r = 0; r <= m + t; r++) a[r] /= nt;
    rp_cholesky_append(&F->chol, a, a[m + t] + F->lam2 * pb->pf[add[t]]);
    F->cols[F->k++] = add[t];
  }
}

/* Position t of the columns removed. */
static void remove_position(rp_glm_factor *F, size_t t) {
  rp_cholesky_remove(&F->chol, F->off + t, F->work);
  memmove(F->cols + t, F->cols + t + 1, (F->k - 1 - t) * sizeof *F->cols);
  F->k--;
}

static void set_marks(rp_glm_factor *F, const size_t *cols, size_t k) {
  for (size_t t = 0; t < F->k; t++) F->mark[F->cols[t]] |= IN_FACTOR;
  for (size_t t = 0; t < k; t++) F->mark[cols[t]] |= LISTED;
}

static void clear_marks(rp_glm_factor *F, const size_t *cols, size_t k) {
  for (size_t t = 0; t < F->k; t++) F->mark[F->cols[t]] = 0;
  for (size_t t = 0; t < k; t++) F->mark[cols[t]] = 0;
}

int rp_glm_factor_follow(rp_glm_factor *F, const rp_problem *pb, const size_t *cols, size_t k) {
  if (k > F->cap || F->stamp < 0) return 0;
  set_marks(F, cols, k);
  size_t changes = 0;
  for (size_t t = 0; t < F->k; t++) changes += !(F->mark[F->cols[t]] & LISTED);
  for (size_t t = 0; t < k; t++) changes += !(F->mark[cols[t]] & IN_FACTOR);
  int updates = changes * RP_UPDATES_PER_REFACTOR <= k && k + F->off > 0;
  if (updates) {
    for (size_t t = F->k; t-- > 0;) /* from the last, the cheapest to remove */
      if (!(F->mark[F->cols[t]] & LISTED)) {
        F->mark[F->cols[t]] = 0;
        remove_position(F, t);
      }
    size_t c = 0;
    for (size_t t = 0; t < k; t++) {
      if (!(F->mark[cols[t]] & IN_FACTOR)) F->adding[c++] = cols[t];
      if (c == F->block || (c > 0 && t + 1 == k)) append_block(F, pb, F->adding, c), c = 0;
    }
  }
  clear_marks(F, cols, k);
  return updates;
}

int rp_glm_factor_solve(const rp_glm_factor *F, double *x) {
  if (rp_cholesky_singular(&F->chol)) return 0;
  rp_cholesky_solve(&F->chol, x);
  return 1;
}
