/* sums.h (private): the one way the library sums products of vectors. */
#ifndef REGPATH_SUMS_H
#define REGPATH_SUMS_H

#include <stddef.h>

/* sum_i w_i a_i b_i (w NULL: w_i = 1) in four interleaved partial sums,
 * added at the end: one fixed order, so the same result on every run and
 * thread count, whose additions the processor can overlap, where a single
 * running sum waits for each addition in turn. */
static inline double rp_sum_of_products(const double *w, const double *a, const double *b,
                                        size_t n) {
  double s[4] = {0.0, 0.0, 0.0, 0.0};
  size_t i = 0;
  if (w)
    for (; i + 4 <= n; i += 4)
      for (size_t k = 0; k < 4; k++) s[k] += w[i + k] * a[i + k] * b[i + k];
  else
    for (; i + 4 <= n; i += 4)
      for (size_t k = 0; k < 4; k++) s[k] += a[i + k] * b[i + k];
  for (; i < n; i++) s[0] += (w ? w[i] : 1.0) * a[i] * b[i];
  return (s[0] + s[1]) + (s[2] + s[3]);
}

#endif
