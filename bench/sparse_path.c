/* sparse_path.c: the lasso path alone on an svmlight file held sparse, at
 * a given accuracy (scripts/bench-sparse-path.sh).
 *
 * usage: sparse_path FILE gaussian|binomial TOL GAP_TOL [RUNS]
 * Reads FILE (rp_svmlight_read), fits the lasso path on its compressed
 * columns (rp_design_csc, rp_path_fit_design: glmnet's grid, 100 points
 * down to 1e-4 alpha_max at n >= p, its early stop) with path.tol TOL and
 * path.gap_tol GAP_TOL, RUNS times (default 3), and prints the median
 * seconds of the fit (the reading excluded), the points, the sweeps and
 * the worst duality gap over the null objective. */
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

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: sparse_path FILE gaussian|binomial TOL GAP_TOL [RUNS]\n");
    return 2;
  }
  int runs = argc > 5 ? atoi(argv[5]) : 3;
  rp_error err;
  rp_svmlight s;
  char msg[512];
  if (runs < 1 || runs > 99) return 2;
  if (rp_svmlight_read(argv[1], 0, 0, &s, &err) != RP_OK) {
    rp_error_format(&err, msg, sizeof msg);
    fprintf(stderr, "sparse_path: %s\n", msg);
    return 1;
  }
  rp_csc M = {s.n, s.p, s.col_start, s.row_index, s.values};
  rp_design X = rp_design_csc(&M);
  rp_fit_options opt;
  rp_fit_options_init(&opt);
  opt.family = strcmp(argv[2], "binomial") == 0 ? RP_FAMILY_BINOMIAL : RP_FAMILY_GAUSSIAN;
  opt.l1_ratio = 1.0;
  opt.tol = atof(argv[3]);
  opt.gap_tol = atof(argv[4]);
  double seconds[99], worst = 0.0;
  long sweeps = 0;
  size_t points = 0;
  for (int r = 0; r < runs; r++) {
    rp_path *path;
    double t0 = now();
    if (rp_path_fit_design(&X, s.y, NULL, 0, &opt, &path, &err) != RP_OK) {
      rp_error_format(&err, msg, sizeof msg);
      fprintf(stderr, "sparse_path: %s\n", msg);
      return 1;
    }
    seconds[r] = now() - t0;
    sweeps = 0, worst = 0.0, points = path->n_alphas;
    for (size_t k = 0; k < path->n_alphas; k++) {
      sweeps += path->n_iter[k];
      if (path->dual_gap[k] / path->null_objective > worst)
        worst = path->dual_gap[k] / path->null_objective;
    }
    rp_path_free(path);
  }
  qsort(seconds, (size_t)runs, sizeof *seconds, by_value);
  printf("seconds %.3f points %zu sweeps %ld worst_gap_rel %.2e runs %d\n", seconds[runs / 2],
         points, sweeps, worst, runs);
  rp_svmlight_free(&s);
  return 0;
}
