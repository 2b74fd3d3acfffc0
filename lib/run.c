/* run.c: a whole job: data from the config, a path and CV per l1_ratio,
 * then the selection rule. */
#define _POSIX_C_SOURCE 200809L
#include "regpath/run.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>

#include "regpath/table.h"
#include "clock.h"
#include "dataset.h"
#include "encode.h"
#include "memory.h"
#include "json.h"
#include "text.h"

static rp_status add_warning(rp_run_result *res, rp_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static rp_status add_warning(rp_run_result *res, rp_error *err, const char *fmt, ...) {
  char buf[RP_ERROR_MESSAGE_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  char **grown = realloc(res->warnings, (res->n_warnings + 1) * sizeof *grown);
  if (!grown) return rp_error_set(err, RP_ENOMEM, "out of memory");
  res->warnings = grown;
  if (!(res->warnings[res->n_warnings] = strdup(buf))) return rp_error_set(err, RP_ENOMEM, "out of memory");
  res->n_warnings++;
  return RP_OK;
}

/* Seeded random folds, stratified by class when asked (after the target is
 * checked), unless the config gave them; then the ids are checked. */
static rp_status finish_folds(rp_run_result *res, const rp_config *cfg, rp_error *err) {
  size_t n = res->n_samples;
  if (!res->folds_given) {
    if (cfg->folds > n)
      return rp_error_set(err, RP_ECONFIG, "cv.folds: %zu folds but only %zu training rows in %s",
                          cfg->folds, n, cfg->train);
    if (cfg->stratified)
      rp_cv_make_stratified_folds(res->y, n, cfg->folds, cfg->seed, res->fold_ids, err);
    else
      rp_cv_make_folds(n, cfg->folds, cfg->seed, res->fold_ids, err);
  }
  rp_error fold_err;
  if (rp_cv_check_folds(res->fold_ids, n, &res->n_folds, &fold_err) != RP_OK)
    return rp_error_set(err, RP_ECONFIG, "cv.fold_ids: %s", fold_err.message);
  return RP_OK;
}

/* ------------------------------------------------------------ the target */

/* Poisson counts must not be negative (`rows` names the part: training or test). */
static rp_status check_counts(const rp_run_result *res, const double *y, size_t n, const char *file,
                              const char *rows, rp_error *err) {
  for (size_t i = 0; i < n; i++)
    if (y[i] < 0.0)
      return rp_error_set(err, RP_EDATA, "%s: target \"%s\": value %g (%s row %zu) is negative; "
                          "model.family \"poisson\" needs counts >= 0", file, res->target, y[i],
                          rows, i + 1);
  return RP_OK;
}

/* poisson: counts >= 0 (non-integer values are allowed, as in glmnet: the
 * deviance is defined for them).  Binomial classes are read with the data
 * (dataset.c). */
static rp_status check_target(rp_run_result *res, const rp_config *cfg, rp_error *err) {
  const char *test_file = cfg->test ? cfg->test : cfg->train;
  if (cfg->family != RP_FAMILY_POISSON) return RP_OK;
  rp_status st = check_counts(res, res->y, res->n_samples, cfg->train, "training", err);
  return st == RP_OK ? check_counts(res, res->y_test, res->n_test, test_file, "test", err) : st;
}

/* Every fold must leave both classes in its training rows, and stratified
 * folds need each class in every fold. */
static rp_status check_classes_per_fold(const rp_run_result *res, const rp_config *cfg,
                                        rp_error *err) {
  if (cfg->family != RP_FAMILY_BINOMIAL) return RP_OK;
  size_t ones = 0;
  for (size_t i = 0; i < res->n_samples; i++) ones += res->y[i] != 0.0;
  size_t counts[2] = {res->n_samples - ones, ones};
  for (int c = 0; c < 2; c++) {
    char label[RP_NUMBER_MAX];
    if (res->class_labels[c]) rp_text_clean(res->class_labels[c], strlen(res->class_labels[c]), RP_TEXT_LINE, label, sizeof label);
    else rp_format_number(res->class_values[c], label);
    if (counts[c] < res->n_folds)
      return rp_error_set(err, RP_EDATA, "%s: target \"%s\": class %s has %zu rows, fewer than "
                          "the %zu folds (cv.folds): every fold needs both classes",
                          cfg->train, res->target, label, counts[c], res->n_folds);
  }
  return RP_OK;
}

/* ------------------------------------------------------------ the fits */

/* model.penalty_factor by name -> one factor per feature (default 1). */
static rp_status penalty_factors(const rp_config *cfg, const rp_run_result *res, double *pf,
                                 rp_error *err) {
  for (size_t j = 0; j < res->n_features; j++) pf[j] = 1.0;
  for (size_t k = 0; k < cfg->n_pf; k++) {
    size_t j = 0;
    while (j < res->n_features && rp_text_compare(res->feature_names[j], cfg->pf_names[k]) != 0)
      j++;
    if (j == res->n_features)
      return rp_error_set(err, RP_ECONFIG, "model.penalty_factor: \"%s\" is not a feature", cfg->pf_names[k]);
    pf[j] = cfg->pf_values[k];
  }
  return RP_OK;
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
static const double *explicit_grid(const rp_config *cfg, double l1_ratio, size_t n, double *scaled) {
  if (!cfg->alphas || !cfg->alphas_sklearn || l1_ratio != 0.0) return cfg->alphas;
  for (size_t k = 0; k < cfg->n_explicit; k++) scaled[k] = cfg->alphas[k] / (double)n;
  return scaled;
}

static rp_status fit_one(rp_run_result *res, const rp_config *cfg, size_t f, const double *pf,
                         double *scaled, job_progress *jp, rp_error *err) {
  rp_fit_options opt;
  rp_config_fit_options(cfg, f, &opt);
  opt.alphas = explicit_grid(cfg, opt.l1_ratio, res->n_samples, scaled);
  opt.penalty_factor = pf;
  opt.feature_names = (const char *const *)res->feature_names;
  opt.target_name = res->target;
  opt.weights = res->weights; /* data.weights and data.offset, one per training row */
  opt.offset = res->offset;
  if (jp->fn) {
    opt.progress = forward_progress;
    opt.progress_ctx = jp;
  }
  rp_matrix X = {res->n_samples, res->n_features, res->n_samples, res->X};
  jp->offset = f * (res->n_folds + 1);
  rp_status st = rp_path_cv_fit(&X, res->y, &opt, res->fold_ids, cfg->metric, &res->paths[f],
                                &res->cvs[f], err);
  if (st == RP_OK) {
    res->path_s += res->cvs[f]->path_seconds;
    res->cv_s += res->cvs[f]->cv_seconds;
  }
  return st;
}

/* A fit's data or numeric problem is about the training file: name it. */
static void name_training_file(rp_error *err, rp_status st, const rp_config *cfg) {
  if (err && (st == RP_EDATA || st == RP_ENUMERIC) && !err->file[0])
    snprintf(err->file, sizeof err->file, "%s", cfg->train);
}

static rp_status warn_about_fit(rp_run_result *res, size_t f, rp_error *err) {
  const rp_path *path = res->paths[f];
  size_t missed = 0;
  rp_status st = RP_OK;
  for (size_t k = 0; k < path->n_alphas; k++) missed += !path->converged[k];
  if (missed)
    st = add_warning(res, err, "l1_ratio %g: %zu of %zu alphas reached path.max_iter without converging",
                     path->l1_ratio, missed, path->n_alphas);
  if (st == RP_OK && res->cvs[f]->n_nonconverged)
    st = add_warning(res, err, "l1_ratio %g: %zu of %zu CV fold points reached path.max_iter without converging",
                     path->l1_ratio, res->cvs[f]->n_nonconverged, res->cvs[f]->n_folds * res->cvs[f]->n_alphas);
  return st;
}

static rp_status warn_constant_columns(rp_run_result *res, rp_error *err) {
  rp_status st = RP_OK;
  for (size_t j = 0; st == RP_OK && j < res->n_features; j++)
    if (res->paths[0]->constant[j])
      st = add_warning(res, err, "column \"%s\" is constant: left out (coefficient 0)", res->feature_names[j]);
  return st;
}

/* What every fit keeps until the run ends (its path's coefficients and
 * the CV's nonzero counts, 16 bytes a coefficient) and what writing them as
 * text takes (report.json holds each coefficient as about 25 characters,
 * twice while cJSON prints it, and path.dat once more) must fit before the
 * first fit starts, not after the last. */
static rp_status room_for_results(const rp_run_result *res, const rp_config *cfg, rp_error *err) {
  double points = (double)cfg->n_l1_ratios * (double)(cfg->alphas ? cfg->n_explicit : cfg->n_alphas);
  char what[96];
  snprintf(what, sizeof what, "the results of %zu fit%s of %zu features", cfg->n_l1_ratios,
           cfg->n_l1_ratios == 1 ? "" : "s", res->n_features);
  return rp_memory_check(points * (double)res->n_features * (16.0 + 3 * 25.0), what, err);
}

static rp_status fit_all(rp_run_result *res, const rp_config *cfg, rp_progress_fn progress,
                         void *progress_ctx, rp_error *err) {
  res->n_fits = cfg->n_l1_ratios;
  res->paths = calloc(res->n_fits, sizeof *res->paths);
  res->cvs = calloc(res->n_fits, sizeof *res->cvs);
  double *pf = malloc(res->n_features * sizeof *pf);
  double *scaled = malloc((cfg->n_explicit + 1) * sizeof *scaled);
  rp_status st = RP_OK;
  if (!res->paths || !res->cvs || !pf || !scaled) st = rp_error_set(err, RP_ENOMEM, "out of memory");
  if (st == RP_OK) st = penalty_factors(cfg, res, pf, err);
  job_progress jp = {progress, progress_ctx, 0, res->n_fits * (res->n_folds + 1)};
  for (size_t f = 0; st == RP_OK && f < res->n_fits; f++) {
    st = fit_one(res, cfg, f, pf, scaled, &jp, err);
    name_training_file(err, st, cfg);
    if (st == RP_OK) st = warn_about_fit(res, f, err);
  }
  if (st == RP_OK) st = warn_constant_columns(res, err);
  free(pf);
  free(scaled);
  return st;
}

/* Scores on the test rows at every alpha of every fit. */
static rp_status score_test_set(rp_run_result *res, rp_error *err) {
  if (!res->n_test) return RP_OK;
  rp_matrix X = {res->n_test, res->n_features, res->n_test, res->X_test};
  double *yhat = malloc(res->n_test * sizeof *yhat);
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
      rp_path_predict(path, k, &X, NULL, res->n_test, yhat);
      for (size_t i = 0; res->offset_test && i < res->n_test; i++) yhat[i] += res->offset_test[i];
      res->test_scores[f][k] = rp_test_scores(path->family, res->y_test, yhat, res->n_test, work);
    }
  }
  free(yhat);
  free(work);
  return st;
}

/* ------------------------------------------------------------ selection */

/* Is candidate (f, a) preferred to the incumbent (bf, ba) under the 1se rule's
 * order: fewer nonzeros, then larger alpha, then larger l1_ratio? */
static int sparser(const rp_path *const *paths, size_t f, size_t a, size_t bf, size_t ba) {
  size_t df = paths[f]->df[a], bdf = paths[bf]->df[ba];
  if (df != bdf) return df < bdf;
  double alpha = paths[f]->alphas[a], balpha = paths[bf]->alphas[ba];
  if (alpha != balpha) return alpha > balpha;
  return paths[f]->l1_ratio > paths[bf]->l1_ratio;
}

void rp_run_select(const rp_path *const *paths, const rp_cv *const *cvs, size_t n_fits,
                   rp_rule rule, size_t *fit, size_t *index) {
  size_t bf = 0, ba = cvs[0]->index_min;
  for (size_t f = 1; f < n_fits; f++)
    if (rp_cv_loss(cvs[f], cvs[f]->index_min) < rp_cv_loss(cvs[bf], ba)) bf = f, ba = cvs[f]->index_min;
  if (rule == RP_RULE_1SE && n_fits == 1) ba = cvs[0]->index_1se;
  if (rule == RP_RULE_1SE && n_fits > 1) {
    double bound = rp_cv_loss(cvs[bf], ba) + cvs[bf]->std_error[ba];
    for (size_t f = 0; f < n_fits; f++)
      for (size_t a = 0; a < cvs[f]->n_alphas; a++)
        if (rp_cv_loss(cvs[f], a) <= bound && sparser(paths, f, a, bf, ba)) bf = f, ba = a;
  }
  *fit = bf;
  *index = ba;
}

int rp_run_converged(const rp_run_result *res) {
  for (size_t f = 0; f < res->n_fits; f++) {
    if (res->cvs[f]->n_nonconverged) return 0;
    for (size_t k = 0; k < res->paths[f]->n_alphas; k++)
      if (!res->paths[f]->converged[k]) return 0;
  }
  return 1;
}

size_t rp_run_rule_index(const rp_run_result *res, size_t f) {
  return res->rule == RP_RULE_MIN ? res->cvs[f]->index_min : res->cvs[f]->index_1se;
}

/* The best CV loss of fit f (smaller is better, also for auc). */
static double min_loss(const rp_run_result *res, size_t f) {
  return rp_cv_loss(res->cvs[f], res->cvs[f]->index_min);
}

size_t rp_run_runner_up(const rp_run_result *res) {
  size_t best = res->n_fits;
  for (size_t f = 0; f < res->n_fits; f++)
    if (f != res->selected_fit && (best == res->n_fits || min_loss(res, f) < min_loss(res, best)))
      best = f;
  return best;
}

double rp_run_margin_se(const rp_run_result *res) {
  size_t r = rp_run_runner_up(res), w = res->selected_fit;
  if (r == res->n_fits) return 0.0;
  double se = res->cvs[w]->std_error[res->cvs[w]->index_min];
  return se > 0.0 ? (min_loss(res, r) - min_loss(res, w)) / se : 0.0;
}

const char *rp_penalty_name(double l1_ratio) {
  if (l1_ratio == 1.0) return "lasso";
  if (l1_ratio == 0.0) return "ridge";
  return "elastic net";
}

size_t rp_path_entry_index(const rp_path *path, size_t j) {
  for (size_t k = 0; k < path->n_alphas; k++)
    if (path->coef[k * path->p + j] != 0.0) return k;
  return path->n_alphas;
}

void rp_fit_label(double l1_ratio, char *buf, size_t size) {
  if (l1_ratio == 1.0 || l1_ratio == 0.0)
    snprintf(buf, size, "%s", rp_penalty_name(l1_ratio));
  else
    snprintf(buf, size, "elastic net (l1_ratio %g)", l1_ratio);
}

void rp_run_explain(const rp_run_result *res, rp_metric metric, char *buf, size_t size) {
  const char *m = rp_metric_name(metric);
  size_t w = res->selected_fit, k = res->selected_index, r = rp_run_runner_up(res), p = res->n_features;
  const rp_path *wp = res->paths[w];
  char winner[64], runner[64];
  rp_fit_label(wp->l1_ratio, winner, sizeof winner);
  int n = snprintf(buf, size, "%s selected: CV %s %.5g ± %.3g with %zu of %zu features", winner, m,
                   res->cvs[w]->mean[k], res->cvs[w]->std_error[k], wp->df[k], p);
  if (n < 0 || (size_t)n >= size) return;
  if (r == res->n_fits) {
    snprintf(buf + n, size - (size_t)n, " (rule %s).", res->rule == RP_RULE_MIN ? "min" : "1se");
    return;
  }
  size_t ri = res->cvs[r]->index_min, rdf = res->paths[r]->df[ri];
  char uses[32];
  if (rdf == p) snprintf(uses, sizeof uses, "all %zu", p);
  else snprintf(uses, sizeof uses, "%zu", rdf);
  /* The reason compares the two numbers the sentence shows. */
  const char *why = rp_cv_loss(res->cvs[w], k) <= rp_cv_loss(res->cvs[r], ri)
                        ? "the lower CV error wins"
                        : "within one standard error of the best, the sparser model wins";
  rp_fit_label(res->paths[r]->l1_ratio, runner, sizeof runner);
  snprintf(buf + n, size - (size_t)n, "; %s %.5g ± %.3g uses %s; %s.", runner, res->cvs[r]->mean[ri],
           res->cvs[r]->std_error[ri], uses, why);
}

rp_status rp_run(const rp_config *cfg, rp_progress_fn progress, void *progress_ctx,
                 rp_run_result **out, rp_error *err) {
  *out = NULL;
  double t0 = rp_now_seconds();
  rp_run_result *res = calloc(1, sizeof *res);
  if (!res) return rp_error_set(err, RP_ENOMEM, "out of memory");
  rp_status st = rp_dataset_load(res, cfg, err);
  if (st == RP_OK) st = check_target(res, cfg, err);
  if (st == RP_OK) st = finish_folds(res, cfg, err);
  if (st == RP_OK) st = check_classes_per_fold(res, cfg, err);
  if (st == RP_OK) st = room_for_results(res, cfg, err);
  res->load_s = rp_now_seconds() - t0;
  if (st == RP_OK) st = fit_all(res, cfg, progress, progress_ctx, err);
  if (st == RP_OK) st = score_test_set(res, err);
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

void rp_run_free(rp_run_result *res) {
  if (!res) return;
  for (size_t j = 0; res->feature_names && j < res->n_features; j++) free(res->feature_names[j]);
  free(res->feature_names);
  free(res->target);
  free(res->X);
  free(res->y);
  free(res->fold_ids);
  free(res->X_test);
  free(res->y_test);
  free(res->class_labels[0]);
  free(res->class_labels[1]);
  rp_recipe_free(res->recipe);
  free(res->weights);
  free(res->offset);
  free(res->offset_test);
  for (size_t f = 0; f < res->n_fits; f++) {
    if (res->paths) rp_path_free(res->paths[f]);
    if (res->cvs) rp_cv_free(res->cvs[f]);
    if (res->test_scores) free(res->test_scores[f]);
  }
  free(res->test_scores);
  free(res->paths);
  free(res->cvs);
  for (size_t k = 0; k < res->n_warnings; k++) free(res->warnings[k]);
  free(res->warnings);
  free(res);
}
