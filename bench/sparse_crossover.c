/* sparse_crossover.c: where a sparse X stops paying (data.storage "auto",
 * RP_SPARSE_AUTO_DENSITY in lib/tuning.h; scripts/bench-sparse.sh).
 *
 * usage: sparse_crossover N P DENSITY gaussian|binomial [RUNS]
 * Makes an N x P matrix whose entries are stored with probability DENSITY,
 * Exp(1) values, 20 true features; then times the lasso path + 10-fold CV
 * (rp_path_cv_fit_design) on it held dense (rp_design_matrix) and sparse
 * (rp_design_csc), RUNS times each (default 3), in turn, and prints the
 * medians and their ratio, sparse / dense, within this one run. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "regpath.h"

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* A fixed-seed uniform in (0, 1): the same data on every machine. */
static double uniform(unsigned long long *state) {
  *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
  return ((double)(*state >> 11) + 0.5) / 9007199254740992.0;
}

typedef struct {
  size_t n, p;
  double *dense, *y, *values;
  size_t *col_start;
  uint32_t *row_index;
} data;

static data make_data(size_t n, size_t p, double density, int binomial) {
  unsigned long long state = 42;
  data d = {n, p, calloc(n * p, sizeof(double)), malloc(n * sizeof(double)),
            malloc(n * p * sizeof(double)), malloc((p + 1) * sizeof(size_t)),
            malloc(n * p * sizeof(uint32_t))};
  size_t nnz = 0;
  d.col_start[0] = 0;
  for (size_t j = 0; j < p; j++) {
    for (size_t i = 0; i < n; i++)
      if (uniform(&state) < density) {
        d.dense[j * n + i] = -log(uniform(&state));
        d.row_index[nnz] = (uint32_t)i, d.values[nnz++] = d.dense[j * n + i];
      }
    d.col_start[j + 1] = nnz;
  }
  for (size_t i = 0; i < n; i++) {
    double s = 0.0;
    for (size_t j = 0; j < 20 && j < p; j++) s += (j % 2 ? 1.0 : -1.0) * d.dense[j * n + i];
    s /= sqrt(density) * (binomial ? 3.0 : 1.0);
    d.y[i] = binomial ? (double)(uniform(&state) < 1.0 / (1.0 + exp(-s)))
                      : s + 0.5 * (uniform(&state) - 0.5);
  }
  return d;
}

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Seconds of one path + CV on X. */
static double time_fit(const rp_design *X, const data *d, const rp_fit_options *opt,
                       const int *folds, rp_metric metric) {
  rp_path *path;
  rp_cv *cv;
  rp_error err;
  double t = now();
  if (rp_path_cv_fit_design(X, d->y, opt, folds, metric, &path, &cv, &err) != RP_OK) {
    char buf[512];
    rp_error_format(&err, buf, sizeof buf);
    fprintf(stderr, "sparse_crossover: %s\n", buf);
    exit(1);
  }
  t = now() - t;
  rp_path_free(path);
  rp_cv_free(cv);
  return t;
}

int main(int argc, char **argv) {
  if (argc < 5) {
    fputs("usage: sparse_crossover N P DENSITY gaussian|binomial [RUNS]\n", stderr);
    return 2;
  }
  size_t n = strtoul(argv[1], NULL, 10), p = strtoul(argv[2], NULL, 10);
  double density = atof(argv[3]);
  int binomial = strcmp(argv[4], "binomial") == 0, runs = argc > 5 ? atoi(argv[5]) : 3;
  if (runs < 1 || runs > 99) runs = 3;
  data d = make_data(n, p, density, binomial);
  rp_matrix M = {n, p, n, d.dense};
  rp_csc S = {n, p, d.col_start, d.row_index, d.values};
  rp_design dense = rp_design_matrix(&M), sparse = rp_design_csc(&S);
  rp_fit_options opt;
  rp_fit_options_init(&opt);
  opt.family = binomial ? RP_FAMILY_BINOMIAL : RP_FAMILY_GAUSSIAN;
  rp_metric metric = binomial ? RP_METRIC_DEVIANCE : RP_METRIC_MSE;
  int *folds = malloc(n * sizeof *folds);
  rp_error err;
  rp_cv_make_folds(n, 10, 1, folds, &err);
  double td[99], ts[99];
  for (int r = 0; r < runs; r++) {
    td[r] = time_fit(&dense, &d, &opt, folds, metric);
    ts[r] = time_fit(&sparse, &d, &opt, folds, metric);
  }
  qsort(td, (size_t)runs, sizeof *td, compare);
  qsort(ts, (size_t)runs, sizeof *ts, compare);
  printf("%zu x %zu %s density %.3f nnz %zu: dense %.2f s, sparse %.2f s, ratio %.2f\n", n, p,
         argv[4], density, d.col_start[p], td[runs / 2], ts[runs / 2], ts[runs / 2] / td[runs / 2]);
  free(folds), free(d.dense), free(d.y), free(d.values), free(d.col_start), free(d.row_index);
  return 0;
}
