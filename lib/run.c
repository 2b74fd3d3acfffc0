/* run.c: a whole job: its data (assemble.c), a path and CV per l1_ratio,
 * their scores on the test rows, then the selection rule (select.c). */
#define _POSIX_C_SOURCE 200809L
#include "regpath/run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assemble.h"
#include "clock.h"
#include "encode.h"
#include "extend.h"
#include "fit_source.h"
#include "memory.h"
#include "run_relax.h"
#include "shards.h"
#include "storage.h"
#include "stream.h"
#include "summed.h"
#include "text.h"
#include "warnings.h"

/* ------------------------------------------------------------ the fits */

/* A config key's {name: value} -> one value per feature (`others` for the
 * features not named): model.penalty_factor and the limits. */
static rp_status by_feature(const char *key, char *const *names, const double *values, size_t n,
                            double others, const rp_run_result *res, double *out, rp_error *err) {
  for (size_t j = 0; j < res->n_features; j++) out[j] = others;
  for (size_t k = 0; k < n; k++) {
    size_t j = 0;
    while (j < res->n_features && rp_text_compare(res->feature_names[j], names[k]) != 0) j++;
    if (j == res->n_features)
      return rp_error_set(err, RP_ECONFIG, "%s: \"%s\" is not a feature", key, names[k]);
    out[j] = values[k];
  }
  return RP_OK;
}

/* One limit per feature into *out, left NULL when `lim` gives none. */
static rp_status feature_limits(const char *key, const rp_config_limits *lim,
                                const rp_run_result *res, double **out, rp_error *err) {
  if (lim->n == 0 && !isfinite(lim->all)) return RP_OK;
  if (!(*out = malloc(res->n_features * sizeof **out)))
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  return by_feature(key, lim->names, lim->values, lim->n, lim->all, res, *out, err);
}

/* model.lower_limits, upper_limits and positive (a lower limit of 0 on
 * every feature) -> res->lower_limits and upper_limits; each stays NULL
 * when the config gives none, which keeps every solver step available. */
static rp_status resolve_limits(const rp_config *cfg, rp_run_result *res, rp_error *err) {
  const rp_config_limits *lo = &cfg->lower_limits, *up = &cfg->upper_limits;
  rp_config_limits positive = {0.0, NULL, NULL, 0};
  rp_status st = feature_limits("model.lower_limits", cfg->positive ? &positive : lo, res,
                                &res->lower_limits, err);
  if (st != RP_OK) return st;
  return feature_limits("model.upper_limits", up, res, &res->upper_limits, err);
}

typedef struct {
  rp_progress_fn fn;
  void *ctx;
  size_t offset, n_fits; /* this fit's first number, and the job's total */
} job_progress;

static void forward_progress(void *ctx, size_t fit, size_t n_fits, size_t alpha, size_t n_alphas) {
  (void)n_fits;
  const job_progress *jp = ctx;
  jp->fn(jp->ctx, jp->offset + fit, jp->n_fits, alpha, n_alphas);
}

/* path.alpha_units "sklearn": scikit-learn's Ridge minimizes ||y - Xb||^2 +
 * a ||b||^2, which is regpath's objective at alpha = a / n; its Lasso and
 * ElasticNet use regpath's alpha already.  `scaled` has n_explicit slots. */
static const double *explicit_grid(const rp_config *cfg, double l1_ratio, size_t n,
                                   double *scaled) {
  if (!cfg->alphas || !cfg->alphas_sklearn || l1_ratio != 0.0) return cfg->alphas;
  for (size_t k = 0; k < cfg->n_explicit; k++) scaled[k] = cfg->alphas[k] / (double)n;
  return scaled;
}

/* cv.repeats: fit f's folds of every other draw along its path's grid,
 * pooled with the first draw's into one CV (rp_cv_pool). */
static rp_status repeat_cv(rp_run_result *res, const rp_config *cfg, size_t f,
                           const rp_fit_options *opt, rp_error *err) {
  size_t R = res->n_repeats, n = res->n_samples;
  const rp_path *path = res->paths[f];
  rp_matrix M;
  rp_csc C;
  rp_design X = rp_run_design(res, 0, &M, &C);
  rp_cv **draws = calloc(R, sizeof *draws), *pooled = NULL;
  if (!draws) return rp_error_set(err, RP_ENOMEM, "out of memory");
  draws[0] = res->cvs[f];
  rp_status st = RP_OK;
  for (size_t r = 1; st == RP_OK && r < R; r++)
    st = rp_cv_fit_design(&X, res->y, opt, path->alphas, path->n_alphas,
                          res->repeat_fold_ids + r * n + res->local_first, cfg->metric, &draws[r],
                          err);
  if (st == RP_OK) st = rp_cv_pool((const rp_cv *const *)draws, R, &pooled, err);
  if (st == RP_OK) res->cvs[f] = pooled;
  for (size_t r = st == RP_OK ? 0 : 1; r < R; r++) rp_cv_free(draws[r]);
  free(draws);
  return st;
}

/* Fit f's options: the config's, with the run's features, limits,
 * weights, offsets and relaxed gammas. */
static rp_fit_options fit_options(const rp_run_result *res, const rp_config *cfg, size_t f,
                                  const double *pf, double *scaled) {
  rp_fit_options opt;
  rp_config_fit_options(cfg, f, &opt);
  opt.alphas = explicit_grid(cfg, opt.l1_ratio, res->n_samples, scaled);
  opt.penalty_factor = pf;
  opt.lower_limits = res->lower_limits;
  opt.upper_limits = res->upper_limits;
  opt.feature_names = (const char *const *)res->feature_names;
  opt.target_name = res->target;
  opt.weights = res->weights; /* data.weights and data.offset, one per training row */
  opt.offset = res->offset;
  opt.relax_gammas = res->relax_gammas;
  opt.n_relax_gammas = res->n_relax_gammas;
  opt.fold_comm = res->fold_comm;
  return opt;
}

/* Fit f's path and CV, on its generated grid extended by n_extend points. */
static rp_status fit_one(rp_run_result *res, const rp_config *cfg, size_t f, size_t n_extend,
                         const double *pf, double *scaled, job_progress *jp, rp_error *err) {
  rp_fit_options opt = fit_options(res, cfg, f, pf, scaled);
  opt.n_extend = n_extend;
  if (jp->fn) {
    opt.progress = forward_progress;
    opt.progress_ctx = jp;
  }
  rp_matrix M;
  rp_csc C;
  rp_design X = rp_run_design(res, 0, &M, &C);
  jp->offset = f * (res->n_folds + 1);
  rp_status st = rp_path_cv_fit_design(&X, res->y, &opt, res->fold_ids + res->local_first,
                                       cfg->metric, &res->paths[f], &res->cvs[f], err);
  if (st == RP_OK && res->n_repeats > 1) st = repeat_cv(res, cfg, f, &opt, err);
  if (st == RP_OK) {
    res->path_s += res->cvs[f]->path_seconds;
    res->cv_s += res->cvs[f]->cv_seconds;
  }
  return st;
}

/* path.extend: fit f's CV minimum is at the smallest alpha of a generated
 * grid, and the path walked the whole grid (it did not stop early). */
static int at_extendable_edge(const rp_run_result *res, const rp_config *cfg, size_t f) {
  const rp_path *path = res->paths[f];
  size_t last = path->n_alphas - 1;
  return cfg->extend && cfg->extend_max && !cfg->alphas && last > 0 &&
         path->n_alphas == cfg->n_alphas && res->cvs[f]->index_min == last;
}

/* Fit f again on its grid extended by path.extend_max points: the first
 * points, and their CV, come out the same (warm starts run down the grid),
 * and the new ones go on past alpha_min at the same log spacing.  Then cut
 * back to a margin past the CV minimum, as if the grid had grown one point
 * at a time until the curve turned up (extend.h); the path's early stop may
 * end it sooner.  *tried says whether it ran. */
static rp_status extend_fit(rp_run_result *res, const rp_config *cfg, size_t f, const double *pf,
                            double *scaled, job_progress *jp, int *tried, rp_error *err) {
  *tried = at_extendable_edge(res, cfg, f);
  if (!*tried) return RP_OK;
  rp_path_free(res->paths[f]);
  rp_cv_free(res->cvs[f]);
  res->paths[f] = NULL;
  res->cvs[f] = NULL;
  rp_status st = fit_one(res, cfg, f, cfg->extend_max, pf, scaled, jp, err);
  if (st != RP_OK) return st;
  size_t n = rp_extend_length(res->cvs[f], cfg->n_alphas, rp_extend_margin(cfg->n_alphas));
  rp_path_keep_first(res->paths[f], n);
  rp_cv_keep_first(res->cvs[f], n);
  res->grid_extended[f] = n - cfg->n_alphas;
  return RP_OK;
}

/* A fit's data or numeric problem is about the training file: name it. */
static void name_training_file(rp_error *err, rp_status st, const rp_config *cfg) {
  if (err && (st == RP_EDATA || st == RP_ENUMERIC) && !err->file[0])
    snprintf(err->file, sizeof err->file, "%s", cfg->train);
}

static rp_status warn_about_fit(rp_run_result *res, size_t f, rp_error *err) {
  const rp_path *path = res->paths[f];
  size_t missed = 0, floored = 0;
  rp_status st = RP_OK;
  for (size_t k = 0; k < path->n_alphas; k++) {
    missed += path->converged[k] == RP_POINT_MAX_ITER;
    floored += path->converged[k] == RP_POINT_AT_PRECISION;
  }
  if (floored)
    st = rp_run_warn(res, err,
                     "l1_ratio %g: at %zu of %zu alphas the duality gap path.tol asks for is "
                     "below what double precision certifies; they stop at the best point reached "
                     "(see dual_gap)",
                     path->l1_ratio, floored, path->n_alphas);
  if (st == RP_OK && missed)
    st = rp_run_warn(res, err,
                     "l1_ratio %g: %zu of %zu alphas reached path.max_iter without converging",
                     path->l1_ratio, missed, path->n_alphas);
  if (st == RP_OK && res->cvs[f]->n_nonconverged)
    st = rp_run_warn(
        res, err, "l1_ratio %g: %zu of %zu CV fold points reached path.max_iter without converging",
        path->l1_ratio, res->cvs[f]->n_nonconverged, res->cvs[f]->n_folds * res->cvs[f]->n_alphas);
  return st;
}

/* A CV optimum at an edge of the grid: at alpha_max the null model is
 * best; at the smallest alpha of a generated grid that the path reached
 * (not where it stopped early, saturated or with the deviance explained
 * levelling off) the curve may still be improving past the grid, as
 * ridge's on the diabetes data does (4239.8 at the edge, 2994.5 inside
 * the grid of alpha_min_ratio 1e-8): with path.extend off, or still after
 * the grid was extended by path.extend_max points (`tried`). */
static rp_status warn_about_edges(rp_run_result *res, const rp_config *cfg, size_t f, int tried,
                                  rp_error *err) {
  const rp_path *path = res->paths[f];
  const rp_cv *cv = res->cvs[f];
  size_t last = path->n_alphas - 1;
  const char *metric = rp_metric_name(cv->metric);
  if (last > 0 && cv->index_min == 0)
    return rp_run_warn(res, err,
                       "l1_ratio %g: the best CV %s is at alpha_max (%g), where every "
                       "coefficient is 0: no feature improves on the intercept alone",
                       path->l1_ratio, metric, path->alphas[0]);
  size_t walked = cfg->n_alphas + (tried ? cfg->extend_max : 0);
  if (last > 0 && cv->index_min == last && !cfg->alphas && path->n_alphas == walked && tried)
    return rp_run_warn(res, err,
                       "l1_ratio %g: the best CV %s is still at the smallest alpha (%g) after "
                       "extending the grid by %zu points; raise path.extend_max or lower "
                       "path.alpha_min_ratio (now %g) to see where the curve turns",
                       path->l1_ratio, metric, path->alphas[last], cfg->extend_max,
                       path->alphas[cfg->n_alphas - 1] / path->alphas[0]);
  if (last > 0 && cv->index_min == last && !cfg->alphas && path->n_alphas == walked)
    return rp_run_warn(res, err,
                       "l1_ratio %g: the best CV %s is at the grid's smallest alpha (%g), so "
                       "the curve may still be falling; lower path.alpha_min_ratio (now %g) to "
                       "see where it turns",
                       path->l1_ratio, metric, path->alphas[last],
                       path->alphas[last] / path->alphas[0]);
  return RP_OK;
}

/* Constant columns get a warning line each up to this many; beyond it one
 * line counts them, since a sparse file's unused indices (all zero in the
 * training rows) can be thousands and would bury every other warning. */
enum { CONSTANT_LINES_MAX = 10 };

static rp_status warn_constant_columns(rp_run_result *res, rp_error *err) {
  const int *constant = res->paths[0]->constant;
  size_t count = 0, shown[3] = {0};
  for (size_t j = 0; j < res->n_features; j++)
    if (constant[j] && count++ < 3) shown[count - 1] = j;
  rp_status st = RP_OK;
  if (count > CONSTANT_LINES_MAX)
    return rp_run_warn(res, err,
                       "%zu of %zu columns are constant (\"%s\", \"%s\", \"%s\", ...): left "
                       "out (coefficient 0)",
                       count, res->n_features, res->feature_names[shown[0]],
                       res->feature_names[shown[1]], res->feature_names[shown[2]]);
  for (size_t j = 0; st == RP_OK && j < res->n_features; j++)
    if (constant[j])
      st = rp_run_warn(res, err, "column \"%s\" is constant: left out (coefficient 0)",
                       res->feature_names[j]);
  return st;
}

/* What every fit keeps until the run ends (its path's coefficients and
 * the CV's nonzero counts, 16 bytes a coefficient), model.json's copy of
 * the selected path (8 bytes) and, when plots are written, path.dat's text
 * (about 25 characters a coefficient, held whole) must fit before the
 * first fit starts, not after the last.  report.json and model.json are
 * written from the numbers themselves, never held as text. */
static rp_status room_for_results(const rp_run_result *res, const rp_config *cfg, rp_error *err) {
  double points =
      (double)cfg->n_l1_ratios *
      (double)(cfg->alphas ? cfg->n_explicit : cfg->n_alphas + (cfg->extend ? cfg->extend_max : 0));
  char what[96];
  snprintf(what, sizeof what, "the results of %zu fit%s of %zu features", cfg->n_l1_ratios,
           cfg->n_l1_ratios == 1 ? "" : "s", res->n_features);
  double per_coef = (16.0 + 8.0 + (cfg->plots ? 25.0 : 0.0)) * (1.0 + (double)cfg->n_gammas);
  return rp_memory_check(points * (double)res->n_features * per_coef, what, err);
}

static rp_status fit_all(rp_run_result *res, const rp_config *cfg, rp_progress_fn progress,
                         void *progress_ctx, rp_error *err) {
  res->n_fits = cfg->n_l1_ratios;
  res->paths = calloc(res->n_fits, sizeof *res->paths);
  res->cvs = calloc(res->n_fits, sizeof *res->cvs);
  res->grid_extended = calloc(res->n_fits, sizeof *res->grid_extended);
  double *pf = malloc(res->n_features * sizeof *pf);
  double *scaled = malloc((cfg->n_explicit + 1) * sizeof *scaled);
  rp_status st = RP_OK;
  if (!res->paths || !res->cvs || !res->grid_extended || !pf || !scaled)
    st = rp_error_set(err, RP_ENOMEM, "out of memory");
  if (st == RP_OK)
    st = by_feature("model.penalty_factor", cfg->pf_names, cfg->pf_values, cfg->n_pf, 1.0, res, pf,
                    err);
  if (st == RP_OK) st = resolve_limits(cfg, res, err);
  if (st == RP_OK) st = rp_run_relax_open(res, cfg, err);
  job_progress jp = {progress, progress_ctx, 0, res->n_fits * (res->n_folds + 1)};
  for (size_t f = 0; st == RP_OK && f < res->n_fits; f++) {
    int tried = 0;
    st = fit_one(res, cfg, f, 0, pf, scaled, &jp, err);
    if (st == RP_OK) st = extend_fit(res, cfg, f, pf, scaled, &jp, &tried, err);
    rp_fit_options opt = fit_options(res, cfg, f, pf, scaled);
    if (st == RP_OK) st = rp_run_relax_fit(res, f, &opt, err);
    name_training_file(err, st, cfg);
    if (st == RP_OK) st = warn_about_fit(res, f, err);
    if (st == RP_OK) st = warn_about_edges(res, cfg, f, tried, err);
  }
  if (st == RP_OK) st = warn_constant_columns(res, err);
  if (st == RP_OK) st = rp_run_relax_blends(res, err);
  free(pf);
  free(scaled);
  return st;
}

/* Scores on the test rows at every alpha of every fit. */
static rp_status score_test_set(rp_run_result *res, rp_error *err) {
  if (!res->n_test) return RP_OK;
  rp_matrix M;
  rp_csc C;
  rp_design X = rp_run_design(res, 1, &M, &C);
  size_t K = res->paths[0]->n_classes ? res->paths[0]->n_classes : 1;
  double *yhat = malloc(res->n_test * K * sizeof *yhat);
  rp_scored *work = malloc(res->n_test * sizeof *work);
  res->test_scores = calloc(res->n_fits, sizeof *res->test_scores);
  if (!yhat || !work || !res->test_scores) {
    free(yhat);
    free(work);
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  }
  rp_status st = RP_OK;
  for (size_t f = 0; st == RP_OK && f < res->n_fits; f++) {
    const rp_path *path = res->paths[f];
    if (!(res->test_scores[f] = malloc(path->n_alphas * sizeof **res->test_scores))) {
      st = rp_error_set(err, RP_ENOMEM, "out of memory");
      break;
    }
    for (size_t k = 0; k < path->n_alphas; k++) {
      if ((st = rp_path_predict_design(path, k, &X, NULL, res->n_test, yhat, err)) != RP_OK) break;
      for (size_t i = 0; res->offset_test && i < res->n_test; i++) yhat[i] += res->offset_test[i];
      res->test_scores[f][k] =
          K > 1 ? rp_multinomial_test_scores(res->y_test, yhat, res->n_test, K)
                : rp_test_scores(path->family, res->y_test, yhat, res->n_test, work);
    }
  }
  free(yhat);
  free(work);
  return st;
}

/* Whether the processes share out the fits instead of their rows: a
 * gaussian fit without weights takes the covariance route, whose sums add
 * up over processes, only when p x p fits (rp_fit_uses_gram); past that
 * its coordinate descent would need a sum over rows at every step. */
static int fits_shared(const rp_run_result *res, const rp_config *cfg) {
  rp_fit_options opt;
  rp_config_fit_options(cfg, 0, &opt);
  return cfg->family == RP_FAMILY_GAUSSIAN && !res->weights && !res->summed &&
         !rp_fit_uses_gram(&opt, res->n_samples, res->n_features);
}

rp_status rp_run(const rp_config *cfg, rp_progress_fn progress, void *progress_ctx,
                 rp_run_result **out, rp_error *err) {
  return rp_run_comm(cfg, NULL, progress, progress_ctx, out, err);
}

/* With comm, the processes agree after the data (rp_assemble_data) and
 * after the fits, which take the same steps in every process: a process
 * that failed alone on its way would have left the others waiting in a
 * collective call, which the caller's transport ends (MPI aborts). */
rp_status rp_run_comm(const rp_config *cfg, const rp_comm *comm, rp_progress_fn progress,
                      void *progress_ctx, rp_run_result **out, rp_error *err) {
  *out = NULL;
  double t0 = rp_now_seconds();
  rp_run_result *res = calloc(1, sizeof *res);
  rp_status st = res ? RP_OK : rp_error_set(err, RP_ENOMEM, "out of memory");
  if (st == RP_OK) st = rp_assemble_data(res, cfg, comm, err);
  if (st == RP_OK && comm && fits_shared(res, cfg)) {
    st = rp_shards_gather_rows(res, err);
    res->fold_comm = comm;
  }
  if (st == RP_OK) st = room_for_results(res, cfg, err);
  if (res) res->load_s = rp_now_seconds() - t0;
  if (st == RP_OK) st = fit_all(res, cfg, progress, progress_ctx, err);
  if (st == RP_OK && res->summed) /* the test rows read only now, a window at a time */
    st = cfg->test || cfg->test_fraction > 0.0 ? rp_stream_score_test(res, cfg, err) : RP_OK;
  else if (st == RP_OK)
    st = score_test_set(res, err);
  st = rp_comm_agree(comm, st, err);
  if (st != RP_OK) {
    rp_run_free(res);
    return st;
  }
  res->rule = cfg->rule;
  res->metric = cfg->metric;
  res->family = cfg->family;
  rp_run_select((const rp_path *const *)res->paths, (const rp_cv *const *)res->cvs, res->n_fits,
                res->rule, &res->selected_fit, &res->selected_index);
  res->total_s = rp_now_seconds() - t0;
  *out = res;
  return RP_OK;
}

int rp_run_converged(const rp_run_result *res) {
  for (size_t f = 0; f < res->n_fits; f++) {
    if (res->cvs[f]->n_nonconverged) return 0;
    for (size_t k = 0; k < res->paths[f]->n_alphas; k++)
      if (!res->paths[f]->converged[k]) return 0;
  }
  return 1;
}

void rp_run_free(rp_run_result *res) {
  if (!res) return;
  for (size_t j = 0; res->feature_names && j < res->n_features; j++) free(res->feature_names[j]);
  free(res->feature_names);
  free(res->target);
  free(res->X);
  free(res->y);
  free(res->fold_ids);
  free(res->repeat_fold_ids);
  free(res->X_test);
  free(res->y_test);
  rp_sparse_columns_free(&res->X_sparse);
  rp_sparse_columns_free(&res->X_test_sparse);
  rp_classes_free(&res->classes);
  rp_recipe_free(res->recipe);
  free(res->weights);
  free(res->offset);
  free(res->offset_test);
  free(res->lower_limits);
  free(res->upper_limits);
  free(res->train_rows);
  for (size_t i = 0; res->ids && i < res->n_samples; i++) free(res->ids[i]);
  free(res->ids);
  for (size_t f = 0; f < res->n_fits; f++) {
    if (res->paths) rp_path_free(res->paths[f]);
    if (res->cvs) rp_cv_free(res->cvs[f]);
    if (res->test_scores) free(res->test_scores[f]);
    if (res->relaxed) rp_relaxed_free(res->relaxed[f]);
  }
  free(res->relaxed);
  free(res->relax_gammas);
  free(res->spread);
  rp_summed_free(res->summed);
  free(res->test_scores);
  free(res->grid_extended);
  free(res->paths);
  free(res->cvs);
  for (size_t k = 0; k < res->n_warnings; k++) free(res->warnings[k]);
  free(res->warnings);
  free(res);
}
