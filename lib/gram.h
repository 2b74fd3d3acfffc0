/* gram.h (private): the sufficient statistics of the covariance updates.
 *
 * G_jk = <x~_j, x~_k>/n, kept column by column for the columns that have
 * entered the model (glmnet caches exactly these).  A column is computed on
 * first use from the design, so the design stays behind its column
 * operations; a later Gram built by BLAS, or summed across processes, fills
 * the same columns.
 */
#ifndef REGPATH_GRAM_H
#define REGPATH_GRAM_H

#include "regpath/design.h"
#include "regpath/error.h"

typedef struct {
  size_t p;
  double *cols;  /* p x p, column j at cols + j * p (allocated up front) */
  char *filled;  /* p flags */
  double *work;  /* n scratch: one design column */
} rp_gram;

rp_status rp_gram_alloc(size_t n, size_t p, rp_gram **out, rp_error *err);

/* Column j of G (p values), computing it from X on first use. */
const double *rp_gram_column(rp_gram *g, const rp_design *X, size_t j);

void rp_gram_free(rp_gram *g);

#endif
