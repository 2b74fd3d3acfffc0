/* run_relax.c: the relaxed lasso in a run (run_relax.h). */
#include "run_relax.h"

#include <stdlib.h>

static int decreasing(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x < y) - (x > y);
}

rp_status rp_run_relax_open(rp_run_result *res, const rp_config *cfg, rp_error *err) {
  if (!cfg->relax) return RP_OK;
  res->relax_gammas = malloc((cfg->n_gammas + 1) * sizeof *res->relax_gammas);
  res->relaxed = calloc(res->n_fits, sizeof *res->relaxed);
  if (!res->relax_gammas || !res->relaxed) return rp_error_set(err, RP_ENOMEM, "out of memory");
  for (size_t g = 0; g < cfg->n_gammas; g++) /* distinct already (config_keys.c) */
    if (cfg->gammas[g] < 1.0) res->relax_gammas[res->n_relax_gammas++] = cfg->gammas[g];
  qsort(res->relax_gammas, res->n_relax_gammas, sizeof *res->relax_gammas, decreasing);
  return RP_OK;
}

rp_status rp_run_relax_fit(rp_run_result *res, size_t f, const rp_fit_options *opt, rp_error *err) {
  if (!res->relaxed) return RP_OK;
  rp_matrix M;
  rp_csc C;
  rp_design X = rp_run_design(res, 0, &M, &C);
  return rp_path_relax(&X, res->y, NULL, 0, opt, res->paths[f], &res->relaxed[f], err);
}

/* The new arrays of fits, each entry moved or made once. */
typedef struct {
  rp_path **paths;
  rp_cv **cvs;
  size_t *grid_extended;
  rp_relaxed **relaxed;
} fit_arrays;

static int arrays_alloc(fit_arrays *a, size_t n) {
  a->paths = calloc(n, sizeof *a->paths);
  a->cvs = calloc(n, sizeof *a->cvs);
  a->grid_extended = calloc(n, sizeof *a->grid_extended);
  a->relaxed = calloc(n, sizeof *a->relaxed);
  return a->paths && a->cvs && a->grid_extended && a->relaxed;
}

/* Swap the arrays in a with res's; a then holds the old ones. */
static void arrays_swap(fit_arrays *a, rp_run_result *res) {
  fit_arrays old = {res->paths, res->cvs, res->grid_extended, res->relaxed};
  res->paths = a->paths;
  res->cvs = a->cvs;
  res->grid_extended = a->grid_extended;
  res->relaxed = a->relaxed;
  *a = old;
}

static void arrays_free(fit_arrays *a) {
  free(a->paths);
  free(a->cvs);
  free(a->grid_extended);
  free(a->relaxed);
}

/* Fit f (penalized) and its blends into slots from `at`. */
static rp_status place_fit(fit_arrays *to, size_t at, rp_run_result *res, size_t f, rp_error *err) {
  rp_cv *cv = res->cvs[f];
  to->paths[at] = res->paths[f];
  to->cvs[at] = cv;
  to->relaxed[at] = res->relaxed[f];
  to->grid_extended[at] = res->grid_extended[f];
  res->paths[f] = NULL; /* moved: freed once, from the new arrays */
  res->cvs[f] = NULL;
  res->relaxed[f] = NULL;
  for (size_t g = 0; g < cv->n_relaxed; g++) {
    size_t slot = at + 1 + g;
    to->cvs[slot] = cv->relaxed[g];
    cv->relaxed[g] = NULL;
    to->grid_extended[slot] = to->grid_extended[at];
    rp_status st = rp_relaxed_blend(to->paths[at], to->relaxed[at], to->cvs[slot]->gamma,
                                    &to->paths[slot], err);
    if (st != RP_OK) return st;
  }
  cv->n_relaxed = 0; /* each blend's CV is a fit's own now */
  return RP_OK;
}

rp_status rp_run_relax_blends(rp_run_result *res, rp_error *err) {
  if (!res->relaxed) return RP_OK;
  size_t L = res->n_fits, G = res->n_relax_gammas, n = L * (1 + G);
  fit_arrays to;
  if (!arrays_alloc(&to, n)) {
    arrays_free(&to);
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  }
  rp_status st = RP_OK;
  for (size_t f = 0; f < L; f++) {
    rp_status placed = place_fit(&to, f * (1 + G), res, f, err);
    if (st == RP_OK) st = placed;
  }
  arrays_swap(&to, res); /* every fit now lives in res's arrays, freed with it */
  res->n_fits = n;
  arrays_free(&to);
  return st;
}
