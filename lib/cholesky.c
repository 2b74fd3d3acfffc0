/* cholesky.c: the floored, updatable Cholesky factor (see cholesky.h). */
#include "cholesky.h"

#include "sums.h"

#include <gsl/gsl_cblas.h>
#include <math.h>
#include <string.h>

/* L_ij, column-major with leading dimension ld. */
#define AT(c, i, j) ((c)->L[(j) * (c)->ld + (i)])

/* A22 -= A21 A21' on and below the diagonal (A21 rest x b), in tiles small
 * enough (TILE_ROWS x b x b, under OpenBLAS's threshold for threading a
 * product) that each runs on one thread: OpenBLAS's threaded dgemm rounds
 * differently from its single-threaded one, and the factor moves the
 * coefficients, which must not depend on the BLAS thread count. */
static void trailing_update(const double *A21, double *A22, size_t rest, size_t b, size_t ld) {
  enum { TILE_ROWS = 32 };
  for (size_t c = 0; c < rest; c += b) {
    size_t w = rest - c < b ? rest - c : b;
    for (size_t r = c; r < rest; r += TILE_ROWS) {
      size_t h = rest - r < TILE_ROWS ? rest - r : TILE_ROWS;
      cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, (int)h, (int)w, (int)b, -1.0, A21 + r,
                  (int)ld, A21 + c, (int)ld, 1.0, A22 + c * ld + r, (int)ld);
    }
  }
}

static double floored_pivot(const rp_cholesky *c, double d) { return sqrt(fmax(d, c->floor)); }

/* Blocked right-looking factorization: BLAS 3 (dtrsm, dgemm) does nearly
 * all of the work, where GSL's modified Cholesky goes by rank-1 updates. */
void rp_cholesky_factor(rp_cholesky *c, size_t m) {
  enum { NB = 64 };
  size_t ld = c->ld;
  double dmax = 0.0;
  for (size_t k = 0; k < m; k++) dmax = fmax(dmax, AT(c, k, k));
  c->floor = RP_CHOLESKY_FLOOR * dmax;
  c->m = m;
  for (size_t kb = 0; kb < m; kb += NB) {
    size_t b = m - kb < NB ? m - kb : NB, rest = m - kb - b;
    for (size_t j = kb; j < kb + b; j++) { /* the diagonal block, by columns */
      for (size_t k = kb; k < j; k++)
        for (size_t i = j; i < kb + b; i++) AT(c, i, j) -= AT(c, j, k) * AT(c, i, k);
      double piv = floored_pivot(c, AT(c, j, j));
      AT(c, j, j) = piv;
      for (size_t i = j + 1; i < kb + b; i++) AT(c, i, j) /= piv;
    }
    if (rest == 0) break;
    double *L11 = &AT(c, kb, kb), *A21 = &AT(c, kb + b, kb), *A22 = &AT(c, kb + b, kb + b);
    cblas_dtrsm(CblasColMajor, CblasRight, CblasLower, CblasTrans, CblasNonUnit, (int)rest, (int)b,
                1.0, L11, (int)ld, A21, (int)ld);
    trailing_update(A21, A22, rest, b, ld);
  }
}

/* The new row l solves L l = a (BLAS dtrsv: forward substitution, m^2
 * flops, which the BLAS vectorizes); the new pivot is sqrt(d - |l|^2),
 * floored. */
void rp_cholesky_append(rp_cholesky *c, double *a, double d) {
  size_t m = c->m;
  c->floor = fmax(c->floor, RP_CHOLESKY_FLOOR * d);
  if (m > 0)
    cblas_dtrsv(CblasColMajor, CblasLower, CblasNoTrans, CblasNonUnit, (int)m, c->L, (int)c->ld, a,
                1);
  for (size_t k = 0; k < m; k++) AT(c, m, k) = a[k];
  AT(c, m, m) = floored_pivot(c, d - rp_sum_of_products(NULL, a, a, m));
  c->m = m + 1;
}

/* Without row and column k, the rows after k keep their own columns and
 * lose column k's contribution x = L_{k+1:m, k}: their block L22 must
 * become the factor of L22 L22' + x x', a rank-one update, made by Givens
 * rotations (each pivot can only grow, so the floor still holds). */
void rp_cholesky_remove(rp_cholesky *c, size_t k, double *work) {
  size_t m = c->m, t = m - 1 - k;
  double *x = work;
  for (size_t i = 0; i < t; i++) x[i] = AT(c, k + 1 + i, k);
  for (size_t j = 0; j < k; j++) /* rows below k move up one */
    memmove(&AT(c, k, j), &AT(c, k + 1, j), t * sizeof(double));
  for (size_t j = k + 1; j < m; j++) /* columns after k move left one, and up */
    memmove(&AT(c, j - 1, j - 1), &AT(c, j, j), (m - j) * sizeof(double));
  c->m = m - 1;
  for (size_t j = 0; j < t; j++) {
    double *col = &AT(c, k + j, k + j), Ljj = col[0];
    double r = hypot(Ljj, x[j]), cs = r / Ljj, sn = x[j] / Ljj;
    col[0] = r;
    for (size_t i = 1; i < t - j; i++) {
      col[i] = (col[i] + sn * x[j + i]) / cs;
      x[j + i] = cs * x[j + i] - sn * col[i];
    }
  }
}

void rp_cholesky_product(const rp_cholesky *c, const double *x, double *y, double *work) {
  size_t m = c->m;
  for (size_t k = 0; k < m; k++) /* work = L'x: column k below the diagonal, dotted with x */
    work[k] = rp_sum_of_products(NULL, &AT(c, k, k), x + k, m - k);
  memset(y, 0, m * sizeof *y);
  for (size_t k = 0; k < m; k++) { /* y = L work, column by column */
    const double *col = &AT(c, 0, k);
    for (size_t i = k; i < m; i++) y[i] += col[i] * work[k];
  }
}

int rp_cholesky_singular(const rp_cholesky *c) {
  for (size_t k = 0; k < c->m; k++)
    if (AT(c, k, k) * AT(c, k, k) < 2.0 * c->floor) return 1;
  return 0;
}

void rp_cholesky_solve(const rp_cholesky *c, double *x) {
  cblas_dtrsv(CblasColMajor, CblasLower, CblasNoTrans, CblasNonUnit, (int)c->m, c->L, (int)c->ld, x,
              1);
  cblas_dtrsv(CblasColMajor, CblasLower, CblasTrans, CblasNonUnit, (int)c->m, c->L, (int)c->ld, x,
              1);
}
