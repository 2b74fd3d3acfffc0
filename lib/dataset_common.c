/* dataset_common.c: what the CSV and svmlight loaders share (dataset.h):
 * the rows data.test_fraction holds out, and a numeric binomial target's
 * two classes. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "encode.h"
#include "json.h"

static int compare_sizes(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  return (x > y) - (x < y);
}

/* data.test_fraction: hold out ceil(fraction * n) of the n rows `rows`,
 * chosen by a shuffle seeded with data.test_seed (as scikit-learn's
 * train_test_split); both parts keep the file's row order.  Without it every
 * row trains. */
rp_status rp_dataset_split_rows(const rp_config *cfg, const size_t *rows, size_t n, size_t *train,
                                size_t *n_train, size_t *test, size_t *n_test, rp_error *err) {
  for (size_t i = 0; i < n; i++) train[i] = i;
  *n_train = n;
  *n_test = 0;
  if (cfg->test_fraction > 0.0) {
    size_t k = (size_t)ceil(cfg->test_fraction * (double)n);
    if (k < 1 || n < k + 2)
      return rp_error_set(err, RP_ECONFIG,
                          "data.test_fraction: %g of %zu rows leaves %zu to train on",
                          cfg->test_fraction, n, n > k ? n - k : 0);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng) return rp_error_set(err, RP_ENOMEM, "out of memory");
    gsl_rng_set(rng, cfg->test_seed);
    gsl_ran_shuffle(rng, train, n, sizeof *train);
    gsl_rng_free(rng);
    memcpy(test, train, k * sizeof *test);
    memmove(train, train + k, (n - k) * sizeof *train);
    qsort(test, k, sizeof *test, compare_sizes);
    qsort(train, n - k, sizeof *train, compare_sizes);
    *n_test = k;
    *n_train = n - k;
  }
  for (size_t i = 0; i < *n_train; i++) train[i] = rows[train[i]];
  for (size_t i = 0; i < *n_test; i++) test[i] = rows[test[i]];
  return RP_OK;
}

/* ------------------------------------------------------------ target */

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, z = *(const double *)b;
  return (x > z) - (x < z);
}

/* The distinct values of y (n values, NaN skipped), sorted, into `values`
 * (room for `max` + 1); returns how many, counting at most max + 1. */
static size_t distinct_values(const double *y, size_t n, double *values, size_t max) {
  size_t m = 0;
  for (size_t i = 0; i < n && m <= max; i++) {
    size_t k = 0;
    if (isnan(y[i])) continue;
    while (k < m && values[k] != y[i]) k++;
    if (k == m) values[m++] = y[i];
  }
  qsort(values, m, sizeof *values, by_value);
  return m;
}

/* A numeric binomial target: exactly two values, in numeric order read as 0
 * and 1 (unless model.positive_class names the smaller); y mapped to 0/1. */
rp_status rp_dataset_numeric_classes(const rp_config *cfg, const char *name, double *y, size_t n,
                                     double class_values[2], rp_error *err) {
  double v[3];
  size_t m = distinct_values(y, n, v, 2);
  if (m != 2)
    return rp_error_set(err, RP_EDATA,
                        m < 2 ? "%s: target \"%s\" has one value (%g) only; "
                                "model.family \"binomial\" needs two classes"
                              : "%s: target \"%s\" has more than two values (%g, %g, %g, ...); "
                                "model.family \"binomial\" needs two classes",
                        cfg->train, name, m ? v[0] : 0.0, m > 1 ? v[1] : 0.0, m > 2 ? v[2] : 0.0);
  char text[2][RP_NUMBER_MAX];
  rp_format_number(v[0], text[0]);
  rp_format_number(v[1], text[1]);
  int swap = 0;
  if (cfg->positive_class) {
    int c = rp_class_of_text(NULL, v, cfg->positive_class);
    if (c < 0)
      return rp_error_set(err, RP_ECONFIG,
                          "model.positive_class: \"%s\" is not a class of target "
                          "\"%s\" (%s, %s)",
                          cfg->positive_class, name, text[0], text[1]);
    swap = c == 0;
  }
  class_values[0] = v[swap];
  class_values[1] = v[1 - swap];
  for (size_t i = 0; i < n; i++)
    if (!isnan(y[i])) y[i] = y[i] == class_values[1];
  return RP_OK;
}
