/* gram.c: lazily filled Gram columns (see gram.h). */
#include "gram.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

rp_status rp_gram_alloc(size_t n, size_t p, rp_gram **out, rp_error *err) {
  *out = NULL;
  if (p > SIZE_MAX / sizeof(double) / p)
    return rp_error_set(err, RP_ENOMEM, "Gram matrix of %zu columns is too large", p);
  rp_gram *g = calloc(1, sizeof *g);
  if (!g) return rp_error_set(err, RP_ENOMEM, "out of memory");
  g->p = p;
  g->cols = malloc(p * p * sizeof *g->cols);
  g->filled = calloc(p, 1);
  g->work = malloc(n * sizeof *g->work);
  if (!g->cols || !g->filled || !g->work) {
    rp_gram_free(g);
    return rp_error_set(err, RP_ENOMEM, "out of memory for a %zu x %zu Gram matrix", p, p);
  }
  *out = g;
  return RP_OK;
}

const double *rp_gram_column(rp_gram *g, const rp_design *X, size_t j) {
  double *col = g->cols + j * g->p;
  if (g->filled[j]) return col;
  memset(g->work, 0, X->n * sizeof *g->work);
  rp_design_axpy(X, j, 1.0, g->work); /* work = x~_j */
  for (size_t k = 0; k < g->p; k++) col[k] = rp_design_dot(X, k, g->work) / (double)X->n;
  g->filled[j] = 1;
  return col;
}

void rp_gram_free(rp_gram *g) {
  if (!g) return;
  free(g->cols);
  free(g->filled);
  free(g->work);
  free(g);
}
