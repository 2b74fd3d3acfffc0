/* cv.c: the k-fold cross-validation driver: the folds fitted along a fixed
 * grid (in parallel with OpenMP) and scored as their paths are solved, then
 * cv.glmnet's statistics.  Fold ids are folds.c's, losses metrics.c's and the
 * lambda.min / lambda.1se choice select.c's. */
#define _POSIX_C_SOURCE 200809L
#include "regpath/cv.h"
#include "regpath/relax.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "build-config.h"
#include "family.h"
#include "problem.h"
#include "rows.h"
#include "stats.h"
#include "cd.h"
#include "cv_spread.h"
#include "fit_source.h"
#include "clock.h"
#include "memory.h"

/* A fold_lock guards what two folds running at once must not do together.
 * The locks belong to the driver (fold_room) rather than being named
 * critical sections, whose names libgomp turns into process-wide symbols
 * (.gomp_critical_user_*) that libregpath.so would export. */
#ifdef _OPENMP
#include <omp.h>
#define RP_OMP(...) _Pragma(#__VA_ARGS__)
typedef omp_lock_t fold_lock;
#define LOCK_INIT(l) omp_init_lock(l)
#define LOCK_DESTROY(l) omp_destroy_lock(l)
#define LOCK_TAKE(l) omp_set_lock(l)
#define LOCK_RELEASE(l) omp_unset_lock(l)
#else
#define RP_OMP(...) /* without OpenMP the folds run one after another */
typedef char fold_lock; /* and need no locks */
#define LOCK_INIT(l) ((void)(l))
#define LOCK_DESTROY(l) ((void)(l))
#define LOCK_TAKE(l) ((void)(l))
#define LOCK_RELEASE(l) ((void)(l))
#endif

#ifdef HAVE_OPENBLAS
int openblas_get_num_threads(void); /* OpenBLAS's own API (its cblas.h clashes with GSL's) */
#endif

/* The locks the folds of one cross-validation share. */
typedef struct {
  fold_lock tally;    /* the counts all folds add to (tally_point)              */
  fold_lock progress; /* the caller's progress function, one report at a time   */
  fold_lock blas;     /* rp_blas_thread_ready, one thread at a time (memory.h)  */
  fold_lock failure;  /* the first failed fold (fit_folds)                      */
} fold_locks;

static void locks_init(fold_locks *l) {
  LOCK_INIT(&l->tally);
  LOCK_INIT(&l->progress);
  LOCK_INIT(&l->blas);
  LOCK_INIT(&l->failure);
}

static void locks_destroy(fold_locks *l) {
  LOCK_DESTROY(&l->tally);
  LOCK_DESTROY(&l->progress);
  LOCK_DESTROY(&l->blas);
  LOCK_DESTROY(&l->failure);
}

static rp_cv *cv_alloc(size_t K, size_t A, size_t p) {
  if (A > SIZE_MAX / sizeof(double) / (K > p ? K : p)) return NULL; /* K*A or A*p would overflow */
  rp_cv *cv = calloc(1, sizeof *cv);
  if (!cv) return NULL;
  cv->n_folds = K;
  cv->n_repeats = 1;
  cv->n_alphas = A;
  cv->p = p;
  cv->n_classes = 1;
  cv->gamma = 1.0;
  cv->fold_nonzero = calloc(A * p, sizeof(size_t));
  cv->nonconverged_at = calloc(A, sizeof(size_t));
  cv->alphas = malloc(A * sizeof(double));
  cv->mean = malloc(A * sizeof(double));
  cv->std_error = malloc(A * sizeof(double));
  cv->fold_error = malloc(K * A * sizeof(double));
  cv->fold_size = calloc(K, sizeof(size_t));
  cv->fold_weight = calloc(K, sizeof(double));
  if (!cv->alphas || !cv->mean || !cv->std_error || !cv->fold_error || !cv->fold_size ||
      !cv->fold_weight || !cv->fold_nonzero || !cv->nonconverged_at) {
    rp_cv_free(cv);
    return NULL;
  }
  return cv;
}

/* Room for n x A out-of-fold predictions, or NULL. */
static double *keep_room(size_t n, size_t A) {
  if (n && A > SIZE_MAX / sizeof(double) / n) return NULL;
  return malloc((n && A ? n * A : 1) * sizeof(double));
}

/* Room in cv for the CVs of the relaxed blends at gammas (n of them), on
 * its folds, grid and metric, keeping their out-of-fold predictions when cv
 * keeps its own; 0 when out of memory. */
static int add_relaxed(rp_cv *cv, const double *gammas, size_t n) {
  if (n == 0) return 1;
  if (!(cv->relaxed = calloc(n, sizeof *cv->relaxed))) return 0;
  for (; cv->n_relaxed < n; cv->n_relaxed++) {
    rp_cv *g = cv_alloc(cv->n_folds, cv->n_alphas, cv->p);
    if (!g) return 0;
    memcpy(g->alphas, cv->alphas, cv->n_alphas * sizeof *g->alphas);
    g->metric = cv->metric;
    g->larger_is_better = cv->larger_is_better;
    g->n_rows = cv->n_rows;
    g->gamma = gammas[cv->n_relaxed];
    cv->relaxed[cv->n_relaxed] = g;
    if (cv->preval && !(g->preval = keep_room(cv->n_rows, cv->n_alphas))) return 0;
  }
  return 1;
}

/* Room for the rows, predictions and fit of one fold at a time: one per
 * thread, allocated once per CV. */
typedef struct {
  fold_locks *locks; /* the room's, shared by every thread      */
  size_t *rows;      /* training rows, then held-out rows (2n)  */
  double *y;         /* held-out targets (h: the largest fold)  */
  double *wt;        /* their weights (h; used with weights)    */
  double *eta;       /* their predictions at one point (h K: K
                        classes' linear predictors, multinomial) */
  double *eta_prev;  /* cv.fold_grid "own": at the fold's last   */
  double *eta_now;   /*   point and at this one (h K each)      */
  double *coef_prev; /*   the last point's coefficients, and    */
  double *coef_mix;  /*   the interpolated ones (p K each)      */
  double *col;       /* a column of theirs, gathered (h)        */
  rp_scored *scored; /* for the AUC (h)                         */
  rp_fit_scratch fit;
  double *loss_weight; /* rows spread: the CV's K x A loss weights,
                          shared by every thread (cross_validate)  */
} fold_work;

static void fold_work_close(fold_work *fw) {
  free(fw->rows);
  free(fw->y);
  free(fw->wt);
  free(fw->eta);
  free(fw->eta_prev);
  free(fw->eta_now);
  free(fw->coef_prev);
  free(fw->coef_mix);
  free(fw->col);
  free(fw->scored);
  rp_fit_scratch_close(&fw->fit);
}

/* Room for folds of at most h held-out rows here. */
static rp_status fold_work_open(fold_work *fw, const rp_fit_source *src, size_t h, rp_error *err) {
  size_t n = src->summed ? 1 : src->X->n; /* a summed set's folds read no row */
  size_t p = src->X->p, K = src->opt.n_classes ? src->opt.n_classes : 1;
  if (h == 0) h = 1; /* a summed set's folds hold out no row here */
  *fw = (fold_work){NULL,
                    malloc(2 * n * sizeof *fw->rows),
                    malloc(h * sizeof *fw->y),
                    malloc(h * sizeof *fw->wt),
                    malloc(h * K * sizeof *fw->eta),
                    malloc(h * K * sizeof *fw->eta_prev),
                    malloc(h * K * sizeof *fw->eta_now),
                    malloc(p * K * sizeof *fw->coef_prev),
                    malloc(p * K * sizeof *fw->coef_mix),
                    malloc(h * sizeof *fw->col),
                    malloc(h * sizeof *fw->scored),
                    {NULL, NULL},
                    NULL};
  rp_status st = fw->rows && fw->y && fw->wt && fw->eta && fw->eta_prev && fw->eta_now &&
                         fw->coef_prev && fw->coef_mix && fw->col && fw->scored
                     ? rp_fit_scratch_open(&fw->fit, src, err)
                     : rp_error_set(err, RP_ENOMEM, "out of memory");
  if (st != RP_OK) fold_work_close(fw);
  return st;
}

/* The error of linear predictors eta (K of them per row: eta[k n_test +
 * i]) on the fold's held-out rows, weighted by their weights (w NULL:
 * none). */
static double fold_error(rp_family family, rp_metric metric, const double *eta, size_t n_test,
                         size_t K, const double *w, fold_work *fw) {
  if (metric == RP_METRIC_AUC) return rp_weighted_auc(fw->y, eta, w, n_test, fw->scored);
  if (family == RP_FAMILY_MULTINOMIAL)
    return rp_multinomial_mean_loss(metric, fw->y, eta, w, n_test, K);
  return rp_weighted_mean_loss(family, metric, fw->y, eta, w, n_test);
}

/* Add grid point a's nonzeros, and whether it converged, to the counts
 * shared by all folds.  Integer sums do not depend on the order the folds
 * add them in; the lock only keeps two folds from adding at once. */
static void tally_point(rp_cv *cv, fold_locks *locks, size_t a, const double *coef, int converged) {
  size_t p = cv->p;
  LOCK_TAKE(&locks->tally);
  cv->n_nonconverged += !converged;
  cv->nonconverged_at[a] += !converged;
  for (size_t j = 0; j < p; j++) { /* nonzero in any class */
    int nonzero = 0;
    for (size_t k = 0; k < cv->n_classes; k++) nonzero |= coef[k * p + j] != 0.0;
    cv->fold_nonzero[a * p + j] += (size_t)nonzero;
  }
  LOCK_RELEASE(&locks->tally);
}

/* Fold k's held-out rows, scored point by point as its path is solved. */
typedef struct {
  rp_cv *cv;
  size_t fold, n_test;
  const rp_design *X;
  const size_t *test;
  const double *weights, *offset; /* of all rows, or NULL */
  fold_work *fw;
  /* rows spread over processes: the fold's row of the CV's loss weights
   * (finish_spread_errors), else NULL */
  double *loss_weight;
  /* cv.fold_grid "own": the next CV point to score, and the fold's last point */
  size_t next;
  double alpha_prev;
  int converged_prev;
} fold_scorer;

/* CV point a of the fold from its held-out rows' linear predictors fw->eta
 * (o_i added here): their error into the fold's slot, kept with cv.keep,
 * and the nonzeros of the coefficients behind them counted. */
static void score_eta(fold_scorer *fs, rp_family family, size_t a, const double *coef,
                      int converged) {
  rp_cv *cv = fs->cv;
  double *eta = fs->fw->eta;
  for (size_t i = 0; fs->offset && i < fs->n_test; i++) eta[i] += fs->offset[fs->test[i]];
  for (size_t c = 0; cv->preval && c < cv->n_classes; c++)
    for (size_t i = 0; i < fs->n_test; i++)
      cv->preval[(a * cv->n_classes + c) * cv->n_rows + fs->test[i]] = eta[c * fs->n_test + i];
  double *slot = cv->fold_error + fs->fold * cv->n_alphas + a, sums[2];
  const double *w = fs->weights ? fs->fw->wt : NULL;
  if (fs->loss_weight) { /* the sums, divided once every process's are in (cv_spread.h) */
    if (family == RP_FAMILY_MULTINOMIAL)
      rp_multinomial_loss_sums(cv->metric, fs->fw->y, eta, w, fs->n_test, cv->n_classes, sums);
    else
      rp_weighted_loss_sums(family, cv->metric, fs->fw->y, eta, w, fs->n_test, sums);
    *slot = sums[0];
    fs->loss_weight[a] = sums[1];
  } else {
    *slot = fold_error(family, cv->metric, eta, fs->n_test, cv->n_classes, w, fs->fw);
  }
  tally_point(cv, fs->fw->locks, a, coef, converged);
}

/* Each class's predictions b0_k + x_i.b_k at point t of a path (one
 * class but for the multinomial family) for the fold's held-out rows, into
 * eta (class k's from eta + k n_test). */
static void predict_classes(fold_scorer *fs, const rp_path *path, size_t t, const double *coef,
                            double *eta) {
  size_t K = path->n_classes, p = path->p, n = fs->n_test;
  for (size_t k = 0; k < K; k++)
    rp_predict_rows(coef + k * p, path->intercept[t * K + k], fs->X, fs->test, n, fs->fw->col,
                    eta + k * n);
}

/* Grid point a of the fold's path, which is the CV's grid (an
 * rp_point_sink): scored at its predictions b0 + x_i.b. */
static void score_point(void *ctx, const rp_path *path, size_t a, const double *coef) {
  fold_scorer *fs = ctx;
  predict_classes(fs, path, a, coef, fs->fw->eta);
  score_eta(fs, path->family, a, coef, path->converged[a]);
}

/* u = f a + (1 - f) b, n values. */
static void mix(double *u, const double *a, const double *b, double f, size_t n) {
  for (size_t i = 0; i < n; i++) u[i] = f * a[i] + (1.0 - f) * b[i];
}

/* Point t of the fold's own grid (an rp_point_sink, cv.fold_grid "own"):
 * every CV alpha s with a_t <= s < a_{t-1} (at the first point, every
 * s >= a_0) is scored at the coefficients interpolated linearly in alpha
 * between the two points, as glmnet's predict(fit, s) (lambda.interp):
 *   f = (s - a_t) / (a_{t-1} - a_t),  b(s) = f b_{t-1} + (1 - f) b_t,
 * f = 0 at the first point; the predictions mix the same way. */
static void score_own_point(void *ctx, const rp_path *path, size_t t, const double *coef) {
  fold_scorer *fs = ctx;
  fold_work *fw = fs->fw;
  const rp_cv *cv = fs->cv;
  double a_t = path->alphas[t];
  size_t K = cv->n_classes;
  predict_classes(fs, path, t, coef, fw->eta_now);
  for (; fs->next < cv->n_alphas && cv->alphas[fs->next] >= a_t; fs->next++) {
    double f = t == 0 ? 0.0 : (cv->alphas[fs->next] - a_t) / (fs->alpha_prev - a_t);
    mix(fw->eta, fw->eta_prev, fw->eta_now, f, fs->n_test * K);
    mix(fw->coef_mix, fw->coef_prev, coef, f, cv->p * K);
    score_eta(fs, path->family, fs->next, fw->coef_mix,
              path->converged[t] && (f == 0.0 || fs->converged_prev));
  }
  double *eta = fw->eta_prev;
  fw->eta_prev = fw->eta_now;
  fw->eta_now = eta;
  memcpy(fw->coef_prev, coef, cv->p * K * sizeof *coef);
  fs->alpha_prev = a_t;
  fs->converged_prev = path->converged[t];
}

/* The CV points after `last`, already scored, get its error and held-out
 * predictions, its coefficients `coef` counted: a fold whose path stopped
 * early (separated classes) holds its last point, as cv.glmnet does. */
static void pad_fold(fold_scorer *fs, size_t last, const double *coef, int converged) {
  rp_cv *cv = fs->cv;
  size_t n = cv->n_rows, K = cv->n_classes;
  double *err = cv->fold_error + fs->fold * cv->n_alphas;
  for (size_t a = last + 1; a < cv->n_alphas; a++) {
    err[a] = err[last];
    if (fs->loss_weight) fs->loss_weight[a] = fs->loss_weight[last];
    tally_point(cv, fs->fw->locks, a, coef, converged);
    for (size_t c = 0; cv->preval && c < K; c++)
      for (size_t i = 0; i < fs->n_test; i++)
        cv->preval[(a * K + c) * n + fs->test[i]] = cv->preval[(last * K + c) * n + fs->test[i]];
  }
}

/* After the fold's own grid: the CV alphas below its last point are scored
 * there, as predict(fit, s) holds s to the fold's smallest lambda (the
 * first of them scored, the rest padded from it). */
static void score_own_rest(fold_scorer *fs, rp_family family) {
  fold_work *fw = fs->fw;
  if (fs->next == fs->cv->n_alphas) return;
  memcpy(fw->eta, fw->eta_prev, fs->n_test * fs->cv->n_classes * sizeof *fw->eta);
  score_eta(fs, family, fs->next, fw->coef_prev, fs->converged_prev);
  pad_fold(fs, fs->next, fw->coef_prev, fs->converged_prev);
}

/* Each fold reports progress as fit k + 1 of K + 1 (fit 0 is the full
 * data's), one report at a time when folds run in parallel. */
typedef struct {
  const rp_fit_options *outer;
  size_t fold, n_folds;
  fold_lock *lock;
} fold_progress;

static void forward_progress(void *ctx, size_t fit, size_t n_fits, size_t alpha, size_t n_alphas) {
  (void)fit;
  (void)n_fits;
  const fold_progress *fp = ctx;
  LOCK_TAKE(fp->lock);
  fp->outer->progress(fp->outer->progress_ctx, fp->fold + 1, fp->n_folds + 1, alpha, n_alphas);
  LOCK_RELEASE(fp->lock);
}

/* opt with its progress reported as fold fp->fold's (forward_progress). */
static rp_fit_options fold_options(const rp_fit_options *opt, fold_progress *fp) {
  rp_fit_options fold_opt = *opt;
  fold_opt.progress = opt->progress ? forward_progress : NULL;
  fold_opt.progress_ctx = fp;
  return fold_opt;
}

/* The CV points after the fold's last point `path` (its coefficients
 * `last`): held there (pad_fold), or, on the fold's own grid, scored at it
 * (score_own_rest). */
static void finish_fold(fold_scorer *fs, int own, const rp_path *path, const double *last) {
  if (own)
    score_own_rest(fs, path->family);
  else
    pad_fold(fs, path->n_alphas - 1, last, path->converged[path->n_alphas - 1]);
}

/* A whole path's points scored one after another, as its sink would have
 * taken them while it was solved, then finished. */
static void score_path(fold_scorer *fs, int own, const rp_path *path) {
  size_t row = path->p * path->n_classes, last = path->n_alphas - 1;
  for (size_t t = 0; t <= last; t++)
    (own ? score_own_point : score_point)(fs, path, t, path->coef + t * row);
  finish_fold(fs, own, path, path->coef + last * row);
}

/* The relaxed lasso on fold k (fs's): its path's refits on the training
 * rows (fw->rows, n_train), and each gamma's blend scored into that
 * gamma's CV as the path itself was. */
static rp_status score_relaxed(const fold_scorer *fs, const rp_fit_source *src,
                               const rp_fit_options *opt, size_t n_train, const rp_path *path,
                               int own, rp_error *err) {
  rp_cv *cv = fs->cv;
  rp_relaxed *refits;
  rp_status st = rp_path_relax(src->X, src->y, fs->fw->rows, n_train, opt, path, &refits, err);
  for (size_t g = 0; st == RP_OK && g < cv->n_relaxed; g++) {
    rp_path *blend;
    rp_cv *gcv = cv->relaxed[g];
    if ((st = rp_relaxed_blend(path, refits, gcv->gamma, &blend, err)) != RP_OK) break;
    fold_scorer gs = {gcv,        fs->fold, fs->n_test, fs->X, fs->test, fs->weights,
                      fs->offset, fs->fw,   NULL,       0,     0.0,      0};
    gcv->fold_size[fs->fold] = cv->fold_size[fs->fold];
    gcv->fold_weight[fs->fold] = cv->fold_weight[fs->fold];
    score_path(&gs, own, blend);
    rp_path_free(blend);
  }
  rp_relaxed_free(refits);
  return st;
}

/* Fit fold k on its training rows along the grid (opt's, with progress
 * forwarded), scoring its held-out rows into fold k's own slots of cv point
 * by point (score_point, pad_fold; with cv.fold_grid "own", on the fold's
 * own grid: score_own_point, score_own_rest). */
static rp_status score_fold(rp_cv *cv, size_t k, const rp_fit_source *src,
                            const rp_fit_options *opt, const int *fold_ids, fold_work *fw,
                            rp_error *err) {
  const rp_design *X = src->X;
  size_t n_train, n_test, *test = fw->rows + X->n;
  rp_fit_source_split(fold_ids, X->n, k, fw->rows, &n_train, test, &n_test);
  fold_progress fp = {opt, k, cv->n_folds, &fw->locks->progress};
  rp_fit_options fold_opt = fold_options(opt, &fp);
  const double *weights = opt->weights;
  for (size_t i = 0; i < n_test; i++) {
    fw->y[i] = src->y[test[i]];
    fw->wt[i] = weights ? weights[test[i]] : 1.0;
  }
  /* Held out, trained on: over every process's rows of the fold (rows.h),
   * summed before the folds when rp_fit_source_spread_folds could. */
  double sums[4];
  if (src->fold_sums) {
    memcpy(sums, src->fold_sums + 4 * k, sizeof sums);
  } else {
    rp_fit_source_fold_sums(weights, fw->rows, n_train, test, n_test, sums);
    rp_rows_sum(X, sums, 4);
  }
  cv->fold_size[k] = (size_t)sums[0];
  cv->fold_weight[k] = sums[1];
  if (weights && !(sums[3] > 0.0))
    return rp_error_set(err, RP_EDATA,
                        "fold %zu: every weight of its %zu training rows is 0 "
                        "(all the weight is in the fold's held-out rows)",
                        k + 1, (size_t)sums[2]);
  double *loss_weight = fw->loss_weight ? fw->loss_weight + k * cv->n_alphas : NULL;
  fold_scorer fs = {cv, k, n_test, X, test, weights, opt->offset, fw, loss_weight, 0, 0.0, 0};
  int own = opt->fold_grid == RP_FOLD_GRID_OWN, relax = cv->n_relaxed > 0;
  rp_point_sink sink = {own ? score_own_point : score_point, &fs};
  rp_path *path;
  rp_status st = rp_fit_source_fit(src, &fw->fit, k, fw->rows, n_train, test, n_test, &fold_opt,
                                   relax ? NULL : &sink, &path, err);
  if (st != RP_OK) return st;
  if (relax) {
    score_path(&fs, own, path);
    st = score_relaxed(&fs, src, &fold_opt, n_train, path, own, err);
  } else {
    finish_fold(&fs, own, path, path->coef);
  }
  rp_path_free(path);
  if (st == RP_OK && cv->metric == RP_METRIC_AUC && isnan(cv->fold_error[k * cv->n_alphas]))
    return rp_error_set(err, RP_EDATA,
                        "fold %zu has held-out rows of one class only: its AUC "
                        "is undefined (use more rows per fold or another cv.metric)",
                        k + 1);
  return st;
}

/* Grid point a of a summed fold's path (an rp_point_sink): its held-out
 * rows' mean squared error from their statistics (rp_summed_loss), which
 * is score_point's on the rows themselves. */
static void score_summed_point(void *ctx, const rp_path *path, size_t a, const double *coef) {
  fold_scorer *fs = ctx;
  rp_cv *cv = fs->cv;
  const rp_summed *S = rp_design_summed_of(fs->X);
  const rp_stats *h = S->held_out[fs->fold];
  double loss = rp_summed_loss(h, S->mu, S->w, S->mu_y, coef, path->intercept[a]);
  cv->fold_error[fs->fold * cv->n_alphas + a] = loss / h->sw;
  tally_point(cv, fs->fw->locks, a, coef, path->converged[a]);
}

/* Fold k of a summed training set (summed.h): fitted and scored from its
 * sums alone, as score_fold does from its rows. */
static rp_status score_summed_fold(rp_cv *cv, size_t k, const rp_fit_source *src,
                                   const rp_fit_options *opt, fold_work *fw, rp_error *err) {
  const double *sums = src->fold_sums + 4 * k; /* held out, trained on */
  cv->fold_size[k] = (size_t)sums[0];
  cv->fold_weight[k] = sums[1];
  fold_progress fp = {opt, k, cv->n_folds, &fw->locks->progress};
  rp_fit_options fold_opt = fold_options(opt, &fp);
  fold_scorer fs = {cv, k, 0, src->X, NULL, NULL, NULL, fw, NULL, 0, 0.0, 0};
  rp_point_sink sink = {score_summed_point, &fs};
  rp_path *path;
  rp_status st = rp_fit_source_fit(src, &fw->fit, k, fw->rows, (size_t)sums[2], NULL, 0, &fold_opt,
                                   &sink, &path, err);
  if (st != RP_OK) return st;
  finish_fold(&fs, 0, path, path->coef);
  rp_path_free(path);
  return RP_OK;
}

/* cv.glmnet's cvstats with fold weights W_k (N_k without weights):
 *   cvm = sum_k W_k err_k / W,  cvsd = sqrt(sum_k W_k (err_k - cvm)^2 / W / (K - 1)),
 * W = sum_k W_k.  A fold of weight 0 (its error 0/0) is left out of the
 * sums, as weighted.mean's na.rm leaves it, and still counts in K.  The
 * sums run in fold order whatever order the folds were fitted in. */
static void summarize(rp_cv *cv) {
  size_t K = cv->n_folds, A = cv->n_alphas;
  double total = 0.0;
  for (size_t k = 0; k < K; k++) total += cv->fold_weight[k];
  for (size_t a = 0; a < A; a++) {
    double m = 0.0, v = 0.0;
    for (size_t k = 0; k < K; k++)
      if (cv->fold_weight[k] > 0.0) m += cv->fold_weight[k] * cv->fold_error[k * A + a];
    m /= total;
    for (size_t k = 0; k < K; k++) {
      double d = cv->fold_error[k * A + a] - m;
      if (cv->fold_weight[k] > 0.0) v += cv->fold_weight[k] * d * d;
    }
    cv->mean[a] = m;
    cv->std_error[a] = sqrt(v / total / (double)(K - 1));
  }
  rp_cv_choose(cv->mean, cv->std_error, A, cv->larger_is_better, &cv->index_min, &cv->index_1se);
  cv->alpha_min = cv->alphas[cv->index_min];
  cv->alpha_1se = cv->alphas[cv->index_1se];
  for (size_t g = 0; g < cv->n_relaxed; g++) summarize(cv->relaxed[g]);
}

/* How many folds to fit at once: OpenMP's thread count, at most K.  One
 * when the BLAS runs threads of its own: calls from several threads would
 * each start them and oversubscribe the cores (the program sets OpenBLAS to
 * one thread; a library caller may not have). */
static size_t fold_threads(size_t K) {
#ifdef _OPENMP
#ifdef HAVE_OPENBLAS
  if (openblas_get_num_threads() > 1) return 1;
#endif
  size_t t = (size_t)omp_get_max_threads();
  return t < K ? t : K;
#else
  (void)K;
  return 1;
#endif
}

static size_t thread_index(void) {
#ifdef _OPENMP
  return (size_t)omp_get_thread_num();
#else
  return 0;
#endif
}

/* Whether this process fits fold k: all of them, unless the folds are
 * shared out over comm's processes (rp_fit_options.fold_comm). */
static int owns_fold(const rp_comm *comm, size_t k) {
  return !comm || k % comm->size == comm->rank;
}

/* The folds, each fitted by whichever thread takes it, into its own slots
 * of cv (fold_error, fold_size; the integer counts are order-free sums), so
 * that the numbers do not depend on the thread count.  Fold k's status and
 * error go to status[k] and errs[k].  Folds are taken in increasing order;
 * once fold f has failed, the folds after f are skipped, and every fold
 * before f has been taken, so the first failure in fold order is known.
 * Each thread first gets its BLAS work buffer, one thread at a time and
 * before any fold allocates (memory.h); a thread that cannot takes no
 * folds.  The calling thread has its buffer already, so one always can. */
static void fit_folds(rp_cv *cv, const rp_fit_source *src, const rp_fit_options *opt,
                      const int *fold_ids, fold_work *fw, size_t n_threads, rp_status *status,
                      rp_error *errs) {
  size_t K = cv->n_folds, first_failed = K, next = 0;
  fold_locks *locks = fw->locks; /* every thread's work shares the room's */
  (void)n_threads;               /* without OpenMP */
  RP_OMP(omp parallel num_threads((int)n_threads)) {
    rp_status ready;
    rp_error unused;
    LOCK_TAKE(&locks->blas);
    ready = rp_blas_thread_ready(&unused);
    LOCK_RELEASE(&locks->blas);
    RP_OMP(omp barrier)
    while (ready == RP_OK) {
      size_t k, failed;
      RP_OMP(omp atomic capture)
      k = next++;
      if (k >= K) break;
      RP_OMP(omp atomic read)
      failed = first_failed;
      status[k] = RP_OK;
      if (failed < k || !owns_fold(opt->fold_comm, k)) continue;
      status[k] = src->summed
                      ? score_summed_fold(cv, k, src, opt, &fw[thread_index()], &errs[k])
                      : score_fold(cv, k, src, opt, fold_ids, &fw[thread_index()], &errs[k]);
      if (status[k] != RP_OK) {
        LOCK_TAKE(&locks->failure);
        if (k < first_failed) {
          RP_OMP(omp atomic write)
          first_failed = k;
        }
        LOCK_RELEASE(&locks->failure);
      }
    }
  }
}

/* The first failure in fold order, as the serial loop would report it. */
static rp_status first_failure(const rp_status *status, const rp_error *errs, size_t K,
                               rp_error *err) {
  for (size_t k = 0; k < K; k++)
    if (status[k] != RP_OK) {
      if (err) *err = errs[k];
      return status[k];
    }
  return RP_OK;
}

/* ------------------------------------------------------------ memory */

/* Address space a thread's malloc arena takes (glibc's HEAP_MAX_SIZE on
 * 64-bit systems). */
#define ARENA_BYTES (64.0 * 1024 * 1024)

/* The most folds, up to `most`, that can be fitted at once in the memory
 * left: each takes rp_fit_source_bytes, and each thread beyond this one also a
 * stack, a malloc arena and a BLAS work buffer of address space.
 * RP_ENOMEM, naming the figures, when not even one fits. */
static rp_status plan_threads(const rp_fit_source *src, size_t most, size_t *n_threads,
                              rp_error *err) {
  char what[64];
  snprintf(what, sizeof what, "a fit on %zu x %zu data", src->X->n, src->X->p);
  double fit = rp_fit_source_bytes(src);
  rp_status st = rp_memory_check(fit, what, err);
  if (st != RP_OK) return st;
  rp_headroom room = rp_memory_headroom();
  double extra = (double)rp_thread_stack_bytes() + ARENA_BYTES + (double)RP_BLAS_BUFFER_BYTES;
  size_t t = most;
  while (t > 1 && ((double)t * fit > (double)room.memory ||
                   (double)t * fit + (double)(t - 1) * extra > (double)room.address))
    t--;
  *n_threads = t;
  return RP_OK;
}

/* Fold-parallel room: per-thread work, per-fold statuses and errors, and
 * the locks the folds share. */
typedef struct {
  fold_locks locks;
  fold_work *fw;
  size_t n_threads, n_open;
  rp_status *status;
  rp_error *errs;
} fold_room;

static void room_close(fold_room *r) {
  for (size_t t = 0; t < r->n_open; t++) fold_work_close(&r->fw[t]);
  free(r->fw);
  free(r->status);
  free(r->errs);
  locks_destroy(&r->locks);
}

/* The most rows here of any one of the K folds (fold ids 1..K). */
static size_t largest_fold(const int *fold_ids, size_t n, size_t K) {
  size_t *count = calloc(K + 1, sizeof *count), most = 0;
  if (!count) return n; /* room for every row, as if one fold held them all */
  for (size_t i = 0; i < n; i++)
    if (fold_ids[i] >= 1 && (size_t)fold_ids[i] <= K) count[fold_ids[i]]++;
  for (size_t k = 1; k <= K; k++)
    if (count[k] > most) most = count[k];
  free(count);
  return most;
}

static rp_status room_open(fold_room *r, const rp_fit_source *src, size_t K, size_t held,
                           rp_error *err) {
  r->n_open = 0;
  r->fw = NULL;
  r->status = NULL;
  r->errs = NULL;
  /* rows spread over processes: one fold at a time, so that every process
   * makes its fold's collective calls in the same order (regpath/comm.h),
   * unless they were all made before (rp_fit_source_spread_folds) */
  size_t most = src->X->ops->reduce && !src->held_out ? 1 : fold_threads(K);
  rp_status planned = plan_threads(src, most, &r->n_threads, err);
  if (planned != RP_OK) return planned;
  locks_init(&r->locks);
  r->fw = calloc(r->n_threads, sizeof *r->fw);
  r->status = calloc(K, sizeof *r->status);
  r->errs = calloc(K, sizeof *r->errs);
  rp_status st =
      r->fw && r->status && r->errs ? RP_OK : rp_error_set(err, RP_ENOMEM, "out of memory");
  for (; st == RP_OK && r->n_open < r->n_threads; r->n_open++)
    if ((st = fold_work_open(&r->fw[r->n_open], src, held, err)) != RP_OK) break;
  for (size_t t = 0; t < r->n_open; t++) r->fw[t].locks = &r->locks;
  if (st != RP_OK) room_close(r);
  return st;
}

/* The folds shared out over comm's processes (rp_fit_options.fold_comm),
 * each fitted by one: once all agree that theirs went well (st), every
 * fold's slots are summed over them, the folds fitted elsewhere adding
 * from slots this process left at 0; the integer counts (fold sizes,
 * nonzeros, non-converged points) in one sum, through doubles (exact below
 * 2^53).  A collective call. */
static rp_status gather_shared_folds(rp_cv *cv, const rp_comm *comm, rp_status st, rp_error *err) {
  size_t K = cv->n_folds, A = cv->n_alphas, Ap = A * cv->p;
  size_t *counts[4] = {cv->fold_size, cv->fold_nonzero, cv->nonconverged_at, &cv->n_nonconverged};
  size_t lengths[4] = {K, Ap, A, 1}, total = K + Ap + A + 1;
  double *d = st == RP_OK ? malloc(total * sizeof *d) : NULL;
  if (st == RP_OK && !d) st = rp_error_set(err, RP_ENOMEM, "out of memory");
  st = rp_comm_agree(comm, st, err);
  if (st != RP_OK) {
    free(d);
    return st;
  }
  for (size_t k = 0; k < K; k++)
    if (!owns_fold(comm, k)) memset(cv->fold_error + k * A, 0, A * sizeof *cv->fold_error);
  comm->sum(comm->ctx, cv->fold_error, K * A);
  comm->sum(comm->ctx, cv->fold_weight, K);
  for (size_t c = 0, at = 0; c < 4; c++)
    for (size_t t = 0; t < lengths[c]; t++) d[at++] = (double)counts[c][t];
  comm->sum(comm->ctx, d, total);
  for (size_t c = 0, at = 0; c < 4; c++)
    for (size_t t = 0; t < lengths[c]; t++) counts[c][t] = (size_t)d[at++];
  free(d);
  return RP_OK;
}

/* The folds, on as many threads as the room holds.  With rows spread over
 * processes their collective calls come first where they can
 * (rp_fit_source_spread_folds), and their held-out errors travel as sums,
 * added once at the end (cv_spread.h). */
static rp_status run_folds(rp_cv *cv, rp_fit_source *src, const rp_fit_options *fold_opt,
                           const int *fold_ids, rp_error *err) {
  size_t K = cv->n_folds, A = cv->n_alphas;
  int spread = src->X->ops->reduce != NULL;
  double *loss_weight = spread ? calloc(K * A, sizeof *loss_weight) : NULL;
  fold_room room;
  rp_status st = !spread || loss_weight ? RP_OK : rp_error_set(err, RP_ENOMEM, "out of memory");
  if (st == RP_OK && spread) st = rp_fit_source_spread_folds(src, fold_ids, K, err);
  if (st == RP_OK) rp_fit_source_order_folds(src, fold_ids, K);
  size_t held = src->summed ? 0 : largest_fold(fold_ids, src->X->n, K);
  if (st == RP_OK) st = room_open(&room, src, K, held, err);
  if (st == RP_OK) {
    for (size_t t = 0; t < room.n_open; t++) room.fw[t].loss_weight = loss_weight;
    fit_folds(cv, src, fold_opt, fold_ids, room.fw, room.n_threads, room.status, room.errs);
    st = first_failure(room.status, room.errs, K, err);
    room_close(&room);
  }
  if (st == RP_OK && spread) rp_cv_spread_errors(cv, src->X, loss_weight);
  free(loss_weight);
  if (fold_opt->fold_comm) st = gather_shared_folds(cv, fold_opt->fold_comm, st, err);
  return st;
}

/* What a summed training set's folds can give: their statistics' folds
 * (K of them), scored by squared error on the shared grid, without
 * anything that needs the held-out rows themselves. */
static rp_status summed_check(const rp_summed *S, const rp_fit_options *opt, rp_metric metric,
                              size_t K, rp_error *err) {
  if (K != S->n_folds)
    return rp_error_set(err, RP_EINVAL, "%zu folds given, but the summed rows have %zu", K,
                        S->n_folds);
  if (metric != RP_METRIC_MSE && metric != RP_METRIC_DEVIANCE)
    return rp_error_set(err, RP_EINVAL,
                        "metric %s needs each held-out row: summed rows give mse and deviance",
                        rp_metric_name(metric));
  if (opt->cv_keep || opt->n_relax_gammas || opt->fold_grid == RP_FOLD_GRID_OWN)
    return rp_error_set(err, RP_EINVAL,
                        "summed rows keep no row: no CV predictions, relaxed fits or folds' own "
                        "grids");
  return RP_OK;
}

/* Cross-validate along `alphas` with fits from `src`. */
static rp_status cross_validate(rp_fit_source *src, const rp_fit_options *opt, const double *alphas,
                                size_t n_alphas, const int *fold_ids, rp_metric metric, rp_cv **out,
                                rp_error *err) {
  *out = NULL;
  const rp_design *X = src->X;
  size_t K;
  rp_status st = X->ops->reduce ? rp_cv_spread_check(X, opt, metric, fold_ids, &K, err)
                                : rp_cv_check_folds(fold_ids, X->n, &K, err);
  if (st == RP_OK && src->summed) st = summed_check(src->summed, opt, metric, K, err);
  if (st != RP_OK) return st;
  if (!rp_metric_fits_family(metric, opt->family))
    return rp_error_set(err, RP_EINVAL, "metric %s needs the binomial family",
                        rp_metric_name(metric));
  rp_cv *cv = cv_alloc(K, n_alphas, X->p);
  if (!cv) return rp_error_set(err, RP_ENOMEM, "out of memory");
  cv->n_rows = X->n;
  cv->n_classes = opt->family == RP_FAMILY_MULTINOMIAL ? opt->n_classes : 1;
  if (opt->cv_keep && !(cv->preval = keep_room(X->n * cv->n_classes, n_alphas))) {
    rp_cv_free(cv);
    return rp_error_set(err, RP_ENOMEM, "out of memory for %zu x %zu out-of-fold predictions", X->n,
                        n_alphas);
  }
  cv->metric = metric;
  cv->larger_is_better = metric == RP_METRIC_AUC;
  memcpy(cv->alphas, alphas, n_alphas * sizeof *alphas);
  if (!add_relaxed(cv, opt->relax_gammas, opt->n_relax_gammas)) {
    rp_cv_free(cv);
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  }
  rp_fit_options fold_opt = *opt;
  if (opt->fold_grid != RP_FOLD_GRID_OWN) {
    fold_opt.alphas = alphas;
    fold_opt.n_explicit = n_alphas;
  }
  st = run_folds(cv, src, &fold_opt, fold_ids, err);
  if (st != RP_OK) {
    rp_cv_free(cv);
    return st;
  }
  summarize(cv);
  *out = cv;
  return RP_OK;
}

/* Can the R cross-validations be pooled: one grid, metric and width? */
static int poolable(const rp_cv *const *cvs, size_t R) {
  for (size_t r = 1; r < R; r++) {
    const rp_cv *a = cvs[0], *b = cvs[r];
    if (b->n_alphas != a->n_alphas || b->metric != a->metric || b->p != a->p ||
        b->n_relaxed != a->n_relaxed || b->gamma != a->gamma || b->n_classes != a->n_classes ||
        memcmp(b->alphas, a->alphas, a->n_alphas * sizeof *a->alphas) != 0)
      return 0;
  }
  return 1;
}

/* Draw r's folds and counts into the pooled cv, its folds from `first`. */
static void pool_one(rp_cv *cv, const rp_cv *r, size_t first, size_t row0) {
  size_t A = cv->n_alphas;
  memcpy(cv->fold_error + first * A, r->fold_error, r->n_folds * A * sizeof *r->fold_error);
  memcpy(cv->fold_size + first, r->fold_size, r->n_folds * sizeof *r->fold_size);
  memcpy(cv->fold_weight + first, r->fold_weight, r->n_folds * sizeof *r->fold_weight);
  for (size_t i = 0; i < A * cv->p; i++) cv->fold_nonzero[i] += r->fold_nonzero[i];
  for (size_t a = 0; a < A; a++) cv->nonconverged_at[a] += r->nonconverged_at[a];
  for (size_t a = 0; cv->preval && a < A * cv->n_classes; a++) /* each (alpha, class) */
    memcpy(cv->preval + a * cv->n_rows + row0, r->preval + a * r->n_rows,
           r->n_rows * sizeof *r->preval);
  cv->n_nonconverged += r->n_nonconverged;
  cv->n_repeats += r->n_repeats;
  cv->cv_seconds += r->cv_seconds;
}

/* The relaxed blends' CVs of the R draws, each gamma pooled as its own. */
static rp_status pool_relaxed(rp_cv *cv, const rp_cv *const *cvs, size_t R, rp_error *err) {
  size_t G = cvs[0]->n_relaxed;
  if (G == 0) return RP_OK;
  const rp_cv **draws = malloc(R * sizeof *draws);
  if (!draws || !(cv->relaxed = calloc(G, sizeof *cv->relaxed))) {
    free(draws);
    return rp_error_set(err, RP_ENOMEM, "out of memory pooling %zu cross-validations", R);
  }
  rp_status st = RP_OK;
  for (; st == RP_OK && cv->n_relaxed < G; cv->n_relaxed++) {
    for (size_t r = 0; r < R; r++) draws[r] = cvs[r]->relaxed[cv->n_relaxed];
    st = rp_cv_pool(draws, R, &cv->relaxed[cv->n_relaxed], err);
  }
  free(draws);
  return st;
}

rp_status rp_cv_pool(const rp_cv *const *cvs, size_t R, rp_cv **out, rp_error *err) {
  *out = NULL;
  if (R < 1 || !poolable(cvs, R))
    return rp_error_set(err, RP_EINVAL,
                        "rp_cv_pool: the cross-validations differ in grid, "
                        "metric or features");
  size_t K = 0, n = 0, kept = 1;
  for (size_t r = 0; r < R; r++)
    K += cvs[r]->n_folds, n += cvs[r]->n_rows, kept &= !!cvs[r]->preval;
  rp_cv *cv = cv_alloc(K, cvs[0]->n_alphas, cvs[0]->p);
  if (cv && kept && !(cv->preval = keep_room(n * cvs[0]->n_classes, cvs[0]->n_alphas)))
    rp_cv_free(cv), cv = NULL;
  if (!cv) return rp_error_set(err, RP_ENOMEM, "out of memory pooling %zu cross-validations", R);
  memcpy(cv->alphas, cvs[0]->alphas, cv->n_alphas * sizeof *cv->alphas);
  cv->metric = cvs[0]->metric;
  cv->larger_is_better = cvs[0]->larger_is_better;
  cv->path_seconds = cvs[0]->path_seconds;
  cv->n_rows = n;
  cv->n_repeats = 0;
  cv->gamma = cvs[0]->gamma;
  cv->n_classes = cvs[0]->n_classes;
  for (size_t r = 0, first = 0, row0 = 0; r < R; r++) {
    pool_one(cv, cvs[r], first, row0);
    first += cvs[r]->n_folds;
    row0 += cvs[r]->n_rows;
  }
  rp_status st = pool_relaxed(cv, cvs, R, err);
  if (st != RP_OK) {
    rp_cv_free(cv);
    return st;
  }
  summarize(cv);
  *out = cv;
  return RP_OK;
}

rp_status rp_cv_fit(const rp_matrix *X, const double *y, const rp_fit_options *opt,
                    const double *alphas, size_t n_alphas, const int *fold_ids, rp_metric metric,
                    rp_cv **out, rp_error *err) {
  rp_design D = rp_design_matrix(X);
  return rp_cv_fit_design(&D, y, opt, alphas, n_alphas, fold_ids, metric, out, err);
}

rp_status rp_cv_fit_design(const rp_design *X, const double *y, const rp_fit_options *opt,
                           const double *alphas, size_t n_alphas, const int *fold_ids,
                           rp_metric metric, rp_cv **out, rp_error *err) {
  *out = NULL;
  rp_fit_source src;
  size_t one;
  double t0 = rp_now_seconds();
  rp_status st = rp_blas_thread_ready(err);
  if (st == RP_OK) st = rp_fit_source_open(&src, X, y, opt, err);
  if (st != RP_OK) return st;
  st = plan_threads(&src, 1, &one, err); /* room for one fit at least, before any */
  if (st == RP_OK)
    st = cross_validate(&src, &src.opt, alphas, n_alphas, fold_ids, metric, out, err);
  if (st == RP_OK) (*out)->cv_seconds = rp_now_seconds() - t0;
  rp_fit_source_close(&src);
  return st;
}

rp_status rp_path_cv_fit(const rp_matrix *X, const double *y, const rp_fit_options *opt,
                         const int *fold_ids, rp_metric metric, rp_path **path, rp_cv **cv,
                         rp_error *err) {
  rp_design D = rp_design_matrix(X);
  return rp_path_cv_fit_design(&D, y, opt, fold_ids, metric, path, cv, err);
}

rp_status rp_path_cv_fit_design(const rp_design *X, const double *y, const rp_fit_options *opt,
                                const int *fold_ids, rp_metric metric, rp_path **path, rp_cv **cv,
                                rp_error *err) {
  *path = NULL;
  *cv = NULL;
  double t0 = rp_now_seconds();
  rp_fit_source src;
  size_t one;
  rp_status st = rp_blas_thread_ready(err);
  if (st == RP_OK) st = rp_fit_source_open(&src, X, y, opt, err);
  if (st != RP_OK) return st;
  st = plan_threads(&src, 1, &one, err); /* room for one fit at least, before any */
  if (st == RP_OK) st = rp_fit_source_fit_all(&src, &src.opt, path, err);
  double t1 = rp_now_seconds();
  if (st == RP_OK)
    st = cross_validate(&src, &src.opt, (*path)->alphas, (*path)->n_alphas, fold_ids, metric, cv,
                        err);
  if (st == RP_OK) {
    (*cv)->path_seconds = t1 - t0;
    (*cv)->cv_seconds = rp_now_seconds() - t1;
  }
  rp_fit_source_close(&src);
  if (st != RP_OK) {
    rp_path_free(*path);
    *path = NULL;
  }
  return st;
}

void rp_cv_free(rp_cv *cv) {
  if (!cv) return;
  free(cv->alphas);
  free(cv->mean);
  free(cv->std_error);
  free(cv->fold_error);
  free(cv->fold_size);
  free(cv->fold_weight);
  free(cv->fold_nonzero);
  free(cv->nonconverged_at);
  free(cv->preval);
  for (size_t g = 0; g < cv->n_relaxed; g++) rp_cv_free(cv->relaxed[g]);
  free(cv->relaxed);
  free(cv);
}
