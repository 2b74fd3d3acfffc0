/* dataset_common.c: what the CSV and svmlight loaders share (dataset.h):
 * the rows data.test_fraction holds out, and a numeric classification
 * target's classes. */
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

rp_status rp_dataset_test_draw(const rp_config *cfg, size_t n, size_t *order, size_t *k,
                               rp_error *err) {
  for (size_t i = 0; i < n; i++) order[i] = i;
  *k = 0;
  if (!(cfg->test_fraction > 0.0)) return RP_OK;
  *k = (size_t)ceil(cfg->test_fraction * (double)n);
  if (*k < 1 || n < *k + 2)
    return rp_error_set(err, RP_ECONFIG,
                        "data.test_fraction: %g of %zu rows leaves %zu to train on",
                        cfg->test_fraction, n, n > *k ? n - *k : 0);
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  if (!rng) return rp_error_set(err, RP_ENOMEM, "out of memory");
  gsl_rng_set(rng, cfg->test_seed);
  gsl_ran_shuffle(rng, order, n, sizeof *order);
  gsl_rng_free(rng);
  return RP_OK;
}

/* data.test_fraction: hold out ceil(fraction * n) of the n rows `rows`
 * (rp_dataset_test_draw); both parts keep the file's row order.  Without
 * it every row trains. */
rp_status rp_dataset_split_rows(const rp_config *cfg, const size_t *rows, size_t n, size_t *train,
                                size_t *n_train, size_t *test, size_t *n_test, rp_error *err) {
  size_t k;
  rp_status st = rp_dataset_test_draw(cfg, n, train, &k, err);
  *n_train = n;
  *n_test = 0;
  if (st != RP_OK) return st;
  if (k > 0) {
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

/* The distinct values of y (n values, NaN skipped), sorted, into a malloc'd
 * array (NULL when out of memory), their count into *m. */
static double *distinct_values(const double *y, size_t n, size_t *m) {
  double *v = malloc((n ? n : 1) * sizeof *v);
  *m = 0;
  if (!v) return NULL;
  for (size_t i = 0; i < n; i++)
    if (!isnan(y[i])) v[(*m)++] = y[i];
  qsort(v, *m, sizeof *v, by_value);
  size_t k = 0;
  for (size_t i = 0; i < *m; i++)
    if (k == 0 || v[i] != v[k - 1]) v[k++] = v[i];
  *m = k;
  return v;
}

/* The count of classes the family needs: binomial two, multinomial three or
 * more (two: binomial's job).  v: the m sorted values, for the message. */
static rp_status check_count(const rp_config *cfg, const char *name, const double *v, size_t m,
                             rp_error *err) {
  if (cfg->family == RP_FAMILY_MULTINOMIAL && m < 3)
    return rp_error_set(err, RP_EDATA,
                        m == 2 ? "%s: target \"%s\" has two values (%g, %g); model.family "
                                 "\"multinomial\" needs three or more classes: for two, use "
                                 "model.family \"binomial\""
                               : "%s: target \"%s\" has one value (%g) only; model.family "
                                 "\"multinomial\" needs three or more classes",
                        cfg->train, name, m ? v[0] : 0.0, m > 1 ? v[1] : 0.0);
  if (cfg->family != RP_FAMILY_BINOMIAL || m == 2) return RP_OK;
  return rp_error_set(err, RP_EDATA,
                      m < 2 ? "%s: target \"%s\" has one value (%g) only; "
                              "model.family \"binomial\" needs two classes"
                            : "%s: target \"%s\" has more than two values (%g, %g, %g, ...); "
                              "model.family \"binomial\" needs two classes",
                      cfg->train, name, m ? v[0] : 0.0, m > 1 ? v[1] : 0.0, m > 2 ? v[2] : 0.0);
}

/* model.positive_class of a numeric binomial target: 1 when it names the
 * smaller value (the classes swap), 0 when none or the larger, -1 neither. */
static int positive_swap(const rp_config *cfg, double v[2]) {
  if (!cfg->positive_class) return 0;
  rp_classes c = {.n = 2, .values = v};
  int k = rp_classes_find(&c, cfg->positive_class);
  return k < 0 ? -1 : k == 0;
}

/* A numeric classification target: its distinct values in numeric order
 * are the classes (binomial: the smaller read as 0, unless
 * model.positive_class names it); y becomes each row's class. */
rp_status rp_dataset_numeric_classes(const rp_config *cfg, const char *name, double *y, size_t n,
                                     rp_classes *classes, rp_error *err) {
  size_t m;
  double *v = distinct_values(y, n, &m);
  if (!v) return rp_error_set(err, RP_ENOMEM, "out of memory");
  rp_status st = check_count(cfg, name, v, m, err);
  int swap = st == RP_OK && cfg->family == RP_FAMILY_BINOMIAL ? positive_swap(cfg, v) : 0;
  if (swap < 0) {
    char text[2][RP_NUMBER_MAX];
    rp_format_number(v[0], text[0]);
    rp_format_number(v[1], text[1]);
    st = rp_error_set(err, RP_ECONFIG,
                      "model.positive_class: \"%s\" is not a class of target \"%s\" (%s, %s)",
                      cfg->positive_class, name, text[0], text[1]);
  }
  if (st != RP_OK) {
    free(v);
    return st;
  }
  for (size_t i = 0; i < n; i++)
    if (!isnan(y[i])) {
      size_t k = (size_t)((const double *)bsearch(&y[i], v, m, sizeof *v, by_value) - v);
      y[i] = swap ? 1.0 - (double)k : (double)k;
    }
  if (swap) {
    double first = v[0];
    v[0] = v[1];
    v[1] = first;
  }
  rp_classes_free(classes);
  *classes = (rp_classes){.n = m, .values = v};
  return RP_OK;
}
