/* cv.c: k-fold cross-validation along a fixed grid, with cv.glmnet's
 * statistics and its lambda.min / lambda.1se choice. */
#define _POSIX_C_SOURCE 200809L
#include "regpath/cv.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "build-config.h"
#include "family.h"
#include "problem.h"
#include "stats.h"
#include "cd.h"
#include "clock.h"
#include "memory.h"

#ifdef _OPENMP
#include <omp.h>
#define RP_OMP(...) _Pragma(#__VA_ARGS__)
#else
#define RP_OMP(...) /* without OpenMP the folds run one after another */
#endif

#ifdef HAVE_OPENBLAS
int openblas_get_num_threads(void); /* OpenBLAS's own API (its cblas.h clashes with GSL's) */
#endif

rp_status rp_cv_make_folds(size_t n, size_t k, unsigned long seed, int *fold_ids, rp_error *err) {
  if (k < 2 || k > n)
    return rp_error_set(err, RP_EINVAL, "cannot make %zu folds from %zu rows", k, n);
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  if (!rng) return rp_error_set(err, RP_ENOMEM, "out of memory");
  gsl_rng_set(rng, seed);
  for (size_t i = 0; i < n; i++) fold_ids[i] = (int)(i % k) + 1; /* rep(1:K, length.out = n) */
  gsl_ran_shuffle(rng, fold_ids, n, sizeof *fold_ids);
  gsl_rng_free(rng);
  return RP_OK;
}

rp_status rp_cv_make_stratified_folds(const double *y, size_t n, size_t k, unsigned long seed,
                                      int *fold_ids, rp_error *err) {
  if (k < 2 || k > n)
    return rp_error_set(err, RP_EINVAL, "cannot make %zu folds from %zu rows", k, n);
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  size_t *order = malloc(n * sizeof *order);
  if (!rng || !order) {
    gsl_rng_free(rng);
    free(order);
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  }
  gsl_rng_set(rng, seed);
  size_t m = 0, dealt = 0;
  for (int cls = 0; cls <= 1; cls++) {
    size_t start = m;
    for (size_t i = 0; i < n; i++)
      if ((y[i] != 0.0) == cls) order[m++] = i;
    gsl_ran_shuffle(rng, order + start, m - start, sizeof *order);
    for (size_t r = start; r < m; r++) fold_ids[order[r]] = (int)(dealt++ % k) + 1;
  }
  gsl_rng_free(rng);
  free(order);
  return RP_OK;
}

rp_status rp_cv_check_folds(const int *fold_ids, size_t n, size_t *n_folds, rp_error *err) {
  int k_max = 0;
  for (size_t i = 0; i < n; i++) {
    if (fold_ids[i] < 1)
      return rp_error_set(err, RP_EINVAL, "fold id %d at row %zu is not >= 1", fold_ids[i], i + 1);
    if (fold_ids[i] > k_max) k_max = fold_ids[i];
  }
  if (k_max < 2) return rp_error_set(err, RP_EINVAL, "need at least 2 folds, got %d", k_max);
  for (int k = 1; k <= k_max; k++) {
    size_t count = 0;
    for (size_t i = 0; i < n; i++) count += fold_ids[i] == k;
    if (count == 0) return rp_error_set(err, RP_EINVAL, "fold %d of %d is empty", k, k_max);
  }
  *n_folds = (size_t)k_max;
  return RP_OK;
}

void rp_cv_choose(const double *mean, const double *std_error, size_t n_alphas,
                  int larger_is_better, size_t *index_min, size_t *index_1se) {
  double sign = larger_is_better ? -1.0 : 1.0; /* minimize sign * mean */
  size_t best = 0;
  for (size_t a = 1; a < n_alphas; a++)
    if (sign * mean[a] < sign * mean[best]) best = a;
  double bound = sign * mean[best] + std_error[best];
  size_t first = best;
  for (size_t a = 0; a < best; a++)
    if (sign * mean[a] <= bound) {
      first = a;
      break;
    }
  *index_min = best;
  *index_1se = first;
}

double rp_cv_loss(const rp_cv *cv, size_t a) {
  return cv->larger_is_better ? -cv->mean[a] : cv->mean[a];
}

const char *const rp_metric_names[RP_N_METRICS] = {"mse", "mae", "deviance", "class", "auc"};

const char *rp_metric_name(rp_metric metric) { return rp_metric_names[metric]; }

const char *rp_metric_description(rp_metric metric, rp_family family) {
  switch (metric) {
    case RP_METRIC_MSE: return "mean squared error";
    case RP_METRIC_MAE: return "mean absolute error";
    case RP_METRIC_CLASS: return "misclassification error";
    case RP_METRIC_AUC: return "AUC";
    default: return family == RP_FAMILY_GAUSSIAN ? "mean squared error" : "mean deviance";
  }
}

int rp_metric_fits_family(rp_metric metric, rp_family family) {
  return (metric != RP_METRIC_CLASS && metric != RP_METRIC_AUC) || family == RP_FAMILY_BINOMIAL;
}

/* cv.glmnet clamps held-out probabilities to [1e-5, 1 - 1e-5] for the
 * binomial deviance: the same as clamping eta to +-logit(1 - 1e-5). */
static const double PROB_MIN = 1e-5;

/* The loss of one held-out observation (see rp_metric).  cv.glmnet's
 * binomial mse and mae add the errors of both class columns, hence the 2. */
static double unit_loss(rp_family family, rp_metric metric, double y, double eta) {
  double mu = rp_family_mean(family, eta), both = family == RP_FAMILY_BINOMIAL ? 2.0 : 1.0;
  switch (metric) {
    case RP_METRIC_MAE: return both * fabs(y - mu);
    case RP_METRIC_CLASS: return y == 0.0 ? mu > 0.5 : mu <= 0.5;
    case RP_METRIC_DEVIANCE: {
      double cap = rp_family_link(RP_FAMILY_BINOMIAL, 1.0 - PROB_MIN);
      if (family == RP_FAMILY_BINOMIAL) eta = fmin(fmax(eta, -cap), cap);
      return rp_family_unit_deviance(family, y, eta);
    }
    default: return both * (y - mu) * (y - mu);
  }
}

double rp_weighted_mean_loss(rp_family family, rp_metric metric, const double *y,
                             const double *eta, const double *w, size_t n) {
  double sum = 0.0, total = 0.0;
  for (size_t i = 0; i < n; i++) {
    double wi = w ? w[i] : 1.0;
    if (!(wi > 0.0)) continue; /* not there: its loss may be infinite, and 0 inf is NaN */
    sum += wi * unit_loss(family, metric, y[i], eta[i]);
    total += wi;
  }
  return sum / total;
}

double rp_mean_loss(rp_family family, rp_metric metric, const double *y, const double *eta,
                    size_t n) {
  return rp_weighted_mean_loss(family, metric, y, eta, NULL, n);
}

static int by_score(const void *a, const void *b) {
  double x = ((const rp_scored *)a)->score, z = ((const rp_scored *)b)->score;
  return (x > z) - (x < z);
}

/* Over the scores in increasing order, each group of tied scores adds its
 * positives' weight times the negatives' weight below it plus half the
 * negatives' weight within it (the Mann-Whitney count; with all weights 1
 * every partial sum is an integer or a half, exact in double). */
double rp_weighted_auc(const double *y, const double *score, const double *w, size_t n,
                       rp_scored *work) {
  double w1 = 0.0, w0 = 0.0, below = 0.0, pairs = 0.0;
  for (size_t i = 0; i < n; i++) {
    work[i] = (rp_scored){score[i], y[i], w ? w[i] : 1.0};
    if (y[i] != 0.0) w1 += work[i].w; else w0 += work[i].w;
  }
  qsort(work, n, sizeof *work, by_score);
  for (size_t lo = 0, hi; lo < n; lo = hi) {
    double pos = 0.0, neg = 0.0;
    for (hi = lo; hi < n && work[hi].score == work[lo].score; hi++) {
      if (work[hi].y != 0.0) pos += work[hi].w; else neg += work[hi].w;
    }
    pairs += pos * (below + 0.5 * neg);
    below += neg;
  }
  if (w1 == 0.0 || w0 == 0.0) return NAN;
  return pairs / (w1 * w0);
}

double rp_auc(const double *y, const double *score, size_t n, rp_scored *work) {
  return rp_weighted_auc(y, score, NULL, n, work);
}

static rp_cv *cv_alloc(size_t K, size_t A, size_t p) {
  if (A > SIZE_MAX / sizeof(double) / (K > p ? K : p)) return NULL; /* K*A or A*p would overflow */
  rp_cv *cv = calloc(1, sizeof *cv);
  if (!cv) return NULL;
  cv->n_folds = K;
  cv->n_alphas = A;
  cv->p = p;
  cv->fold_nonzero = calloc(A * p, sizeof(size_t));
  cv->alphas = malloc(A * sizeof(double));
  cv->mean = malloc(A * sizeof(double));
  cv->std_error = malloc(A * sizeof(double));
  cv->fold_error = malloc(K * A * sizeof(double));
  cv->fold_size = calloc(K, sizeof(size_t));
  cv->fold_weight = calloc(K, sizeof(double));
  if (!cv->alphas || !cv->mean || !cv->std_error || !cv->fold_error || !cv->fold_size ||
      !cv->fold_weight || !cv->fold_nonzero) {
    rp_cv_free(cv);
    return NULL;
  }
  return cv;
}

/* Split the rows into fold k's training rows and held-out rows. */
static void split_rows(const int *fold_ids, size_t n, int k, size_t *train, size_t *n_train,
                       size_t *test, size_t *n_test) {
  *n_train = *n_test = 0;
  for (size_t i = 0; i < n; i++) {
    if (fold_ids[i] == k)
      test[(*n_test)++] = i;
    else
      train[(*n_train)++] = i;
  }
}

/* Where the fits of one cross-validation come from.  On the covariance
 * route the statistics of all rows are computed once; a fold's training
 * statistics are that total minus its held-out rows', so all K + 1 fits cost
 * about two Gram matrices (plus one per fold fitted at the same time).  On
 * the naive route of the gaussian family every fit works on a view of its
 * rows of one shared matrix Z (design_view.h), whatever the number of
 * threads: X itself when its columns are nearly centred, else X standardized
 * once by the full data's mean and largest deviation, z = (x - mu)/w
 * (open_shared).  The other families' fits, and gaussian fits with
 * weights (a view has no row scale sqrt(v_i), problem.h), copy their rows.
 * The source is read-only while the folds run, so that they can run in
 * parallel. */
typedef struct {
  const rp_matrix *X;
  const double *y;      /* the target fitted: y - o for a gaussian offset    */
  double *y_fit;        /* that y - o (owned), else NULL                     */
  rp_fit_options opt;   /* the caller's, less a gaussian offset (taken in y) */
  rp_stats *total;      /* covariance route, else NULL                       */
  rp_matrix Z;          /* naive gaussian route: the views' shared matrix   */
  double *z;            /* its values when they are a standardized copy      */
  size_t *all_rows;     /* with Z: 0..n-1, the full-data fit's rows (else NULL) */
  double *mu, *w, mu_y; /* the shift and scale of the statistics or of z     */
} fit_source;

/* What one fit on the covariance route writes: the statistics it downdates
 * and turns into its Gram matrix, and its constant-column flags. */
typedef struct {
  rp_stats *stats;
  int *constant;
} fit_scratch;

static void scratch_close(fit_scratch *sc) {
  rp_stats_free(sc->stats);
  free(sc->constant);
  sc->stats = NULL;
  sc->constant = NULL;
}

/* Nothing is needed on the naive route. */
static rp_status scratch_open(fit_scratch *sc, const fit_source *src, rp_error *err) {
  sc->stats = NULL;
  sc->constant = NULL;
  if (!src->total) return RP_OK;
  if (!(sc->constant = malloc(src->X->p * sizeof *sc->constant)))
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  rp_status st = rp_stats_alloc(src->X->p, &sc->stats, err);
  if (st != RP_OK) scratch_close(sc);
  return st;
}

static void source_close(fit_source *src) {
  rp_stats_free(src->total);
  free(src->y_fit);
  free(src->z);
  free(src->all_rows);
  free(src->mu);
  free(src->w);
}

/* A view's correction c_j sum_i u_i cancels about log10(|c_j| / sd_j)
 * digits of sum_i z_ij u_i (design_view.h).  Up to this ratio of |mu_j| to
 * the largest deviation w_j the views read X itself (at most about three
 * digits lost, plus log10(w_j / sd_j), where the certificate needs six),
 * saving the copy: on wide 500 x 10000 the copy is 40 MB, half the
 * memory target. */
static const double SHARED_OFFSET_MAX = 1e3;

static int nearly_centred(const fit_source *src) {
  for (size_t j = 0; j < src->X->p; j++)
    if (!(fabs(src->mu[j]) <= SHARED_OFFSET_MAX * src->w[j])) return 0;
  return 1;
}

/* The views' shared matrix Z, with the shift and scale its views undo: X
 * itself (mu = 0, w = 1) when nearly_centred, else the copy
 * z_ij = (x_ij - mu_j)/w_j; and the list of every row. */
static rp_status open_shared(fit_source *src, rp_error *err) {
  const rp_matrix *X = src->X;
  size_t n = X->n, p = X->p;
  if (!(src->all_rows = malloc(n * sizeof *src->all_rows)))
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) src->all_rows[i] = i;
  if (nearly_centred(src)) {
    src->Z = *X;
    for (size_t j = 0; j < p; j++) src->mu[j] = 0.0, src->w[j] = 1.0;
    return RP_OK;
  }
  if (p > SIZE_MAX / sizeof(double) / n)
    return rp_error_set(err, RP_ENOMEM, "design of %zu x %zu is too large", n, p);
  if (!(src->z = malloc(n * p * sizeof *src->z)))
    return rp_error_set(err, RP_ENOMEM, "out of memory for a %zu x %zu copy of the design", n, p);
  for (size_t j = 0; j < p; j++) {
    const double *x = X->values + j * X->ld;
    double *z = src->z + j * n;
    for (size_t i = 0; i < n; i++) z[i] = (x[i] - src->mu[j]) / src->w[j];
  }
  src->Z = (rp_matrix){n, p, n, src->z};
  return RP_OK;
}

/* The source of every fit on X and y with options opt (its observations
 * checked; a gaussian offset taken into the target, rp_offset_target). */
static rp_status source_open(fit_source *src, const rp_matrix *X, const double *y,
                             const rp_fit_options *opt, rp_error *err) {
  memset(src, 0, sizeof *src);
  src->X = X;
  rp_status st = rp_observations_check(opt, NULL, X->n, err);
  if (st == RP_OK) st = rp_offset_target(y, X->n, opt, &src->y_fit, &src->opt, err);
  if (st != RP_OK) return st;
  src->y = y = src->y_fit ? src->y_fit : y;
  const double *weights = src->opt.weights;
  int gram = rp_fit_uses_gram(opt, X->n, X->p);
  if (!gram && (opt->family != RP_FAMILY_GAUSSIAN || weights)) return RP_OK;
  size_t p = X->p;
  src->mu = malloc(p * sizeof *src->mu);
  src->w = malloc(p * sizeof *src->w);
  st = src->mu && src->w ? RP_OK : rp_error_set(err, RP_ENOMEM, "out of memory");
  if (st == RP_OK) rp_stats_shift(X, y, weights, NULL, 0, src->mu, src->w, &src->mu_y);
  if (st == RP_OK && gram) st = rp_stats_alloc(p, &src->total, err);
  if (st == RP_OK && gram)
    st = rp_stats_compute(src->total, X, y, weights, NULL, 0, src->mu, src->w, src->mu_y, err);
  if (st == RP_OK && !gram) st = open_shared(src, err);
  if (st != RP_OK) source_close(src);
  return st;
}

/* The problem of the fit on `train` (NULL = every row), whose complement
 * is `test`, by the source's route: a view of the shared matrix (naive
 * gaussian), the total statistics less the held-out rows' (covariance, in
 * `sc`, from scratch_open), or the rows themselves (IRLS families). */
static rp_status source_problem(const fit_source *src, fit_scratch *sc, const size_t *train,
                                size_t n_train, const size_t *test, size_t n_test,
                                const rp_fit_options *opt, rp_problem **pb, rp_error *err) {
  if (src->all_rows)
    return rp_problem_prepare_view(src->X, &src->Z, src->mu, src->w, src->y,
                                   train ? train : src->all_rows, n_train, opt, pb, err);
  if (!src->total) return rp_problem_prepare(src->X, src->y, train, n_train, opt, pb, err);
  if (train) {
    rp_status st = rp_stats_compute(sc->stats, src->X, src->y, opt->weights, test, n_test, src->mu,
                                    src->w, src->mu_y, err);
    if (st != RP_OK) return st;
    rp_stats_subtract(sc->stats, src->total, sc->stats);
  } else {
    rp_stats_copy(sc->stats, src->total);
  }
  int y_constant;
  rp_constant_columns(src->X, src->y, opt->weights, train, n_train, sc->constant, &y_constant);
  return rp_problem_from_stats(sc->stats, src->mu, src->w, src->mu_y, sc->constant, y_constant,
                               opt, pb, err);
}

/* The path of source_problem's problem; its points go to `sink` when given
 * (rp_path_fit_streamed). */
static rp_status source_fit(const fit_source *src, fit_scratch *sc, const size_t *train,
                            size_t n_train, const size_t *test, size_t n_test,
                            const rp_fit_options *opt, const rp_point_sink *sink, rp_path **out,
                            rp_error *err) {
  *out = NULL;
  rp_problem *pb = NULL;
  rp_status st = rp_fit_options_check(opt, src->X->p, err);
  if (st == RP_OK) st = source_problem(src, sc, train, n_train, test, n_test, opt, &pb, err);
  if (st == RP_OK) st = rp_path_fit_streamed(pb, opt, sink, out, err);
  rp_problem_free(pb);
  return st;
}

/* The full-data path, with scratch of its own, freed before the folds. */
static rp_status source_fit_all(const fit_source *src, const rp_fit_options *opt, rp_path **out,
                                rp_error *err) {
  fit_scratch sc;
  rp_status st = scratch_open(&sc, src, err);
  if (st == RP_OK) st = source_fit(src, &sc, NULL, src->X->n, NULL, 0, opt, NULL, out, err);
  scratch_close(&sc);
  return st;
}

/* Room for the rows, predictions and fit of one fold at a time: one per
 * thread, allocated once per CV. */
typedef struct {
  size_t *rows;      /* training rows, then held-out rows (2n)  */
  double *y;         /* held-out targets (n)                    */
  double *wt;        /* their weights (n; used with weights)    */
  double *eta;       /* their predictions at one point (n)      */
  rp_scored *scored; /* for the AUC (n)                         */
  fit_scratch fit;
} fold_work;

static void fold_work_close(fold_work *fw) {
  free(fw->rows);
  free(fw->y);
  free(fw->wt);
  free(fw->eta);
  free(fw->scored);
  scratch_close(&fw->fit);
}

static rp_status fold_work_open(fold_work *fw, const fit_source *src, rp_error *err) {
  size_t n = src->X->n;
  *fw = (fold_work){malloc(2 * n * sizeof *fw->rows), malloc(n * sizeof *fw->y),
                    malloc(n * sizeof *fw->wt),   malloc(n * sizeof *fw->eta),
                    malloc(n * sizeof *fw->scored), {NULL, NULL}};
  rp_status st = fw->rows && fw->y && fw->wt && fw->eta && fw->scored
                     ? scratch_open(&fw->fit, src, err)
                     : rp_error_set(err, RP_ENOMEM, "out of memory");
  if (st != RP_OK) fold_work_close(fw);
  return st;
}

/* The error of linear predictors eta on the fold's held-out rows, weighted
 * by their weights (w NULL: none). */
static double fold_error(rp_family family, rp_metric metric, const double *eta, size_t n_test,
                         const double *w, fold_work *fw) {
  if (metric == RP_METRIC_AUC) return rp_weighted_auc(fw->y, eta, w, n_test, fw->scored);
  return rp_weighted_mean_loss(family, metric, fw->y, eta, w, n_test);
}

/* Add grid point a's nonzeros, and whether it converged, to the counts
 * shared by all folds.  Integer sums do not depend on the order the folds
 * add them in; the critical section only keeps two folds from adding at
 * once. */
static void tally_point(rp_cv *cv, size_t a, const double *coef, int converged) {
  RP_OMP(omp critical(rp_cv_tally)) {
    cv->n_nonconverged += !converged;
    for (size_t j = 0; j < cv->p; j++) cv->fold_nonzero[a * cv->p + j] += coef[j] != 0.0;
  }
}

/* Fold k's held-out rows, scored point by point as its path is solved. */
typedef struct {
  rp_cv *cv;
  size_t fold, n_test;
  const rp_matrix *X;
  const size_t *test;
  const double *weights, *offset; /* of all rows, or NULL */
  fold_work *fw;
} fold_scorer;

/* Grid point a of the fold's path (an rp_point_sink): the error of its
 * predictions on the held-out rows (o_i + b0 + x_i.b) into the fold's slot,
 * its nonzeros counted. */
static void score_point(void *ctx, const rp_path *path, size_t a, const double *coef) {
  fold_scorer *fs = ctx;
  rp_cv *cv = fs->cv;
  double *eta = fs->fw->eta;
  rp_predict_rows(coef, path->intercept[a], fs->X, fs->test, fs->n_test, eta);
  for (size_t i = 0; fs->offset && i < fs->n_test; i++) eta[i] += fs->offset[fs->test[i]];
  cv->fold_error[fs->fold * cv->n_alphas + a] = fold_error(
      path->family, cv->metric, eta, fs->n_test, fs->weights ? fs->fw->wt : NULL, fs->fw);
  tally_point(cv, a, coef, path->converged[a]);
}

/* A fold's path that stopped early (separated classes) scores its last
 * point at the remaining alphas, as cv.glmnet does; the streamed path's one
 * row of coefficients is that point's. */
static void pad_fold(rp_cv *cv, size_t k, const rp_path *path) {
  size_t last = path->n_alphas - 1;
  double *err = cv->fold_error + k * cv->n_alphas;
  for (size_t a = path->n_alphas; a < cv->n_alphas; a++) {
    err[a] = err[last];
    tally_point(cv, a, path->coef, path->converged[last]);
  }
}

/* Each fold reports progress as fit k + 1 of K + 1 (fit 0 is the full
 * data's), one report at a time when folds run in parallel. */
typedef struct {
  const rp_fit_options *outer;
  size_t fold, n_folds;
} fold_progress;

static void forward_progress(void *ctx, size_t fit, size_t n_fits, size_t alpha, size_t n_alphas) {
  (void)fit;
  (void)n_fits;
  const fold_progress *fp = ctx;
  RP_OMP(omp critical(rp_cv_progress))
  fp->outer->progress(fp->outer->progress_ctx, fp->fold + 1, fp->n_folds + 1, alpha, n_alphas);
}

/* Fit fold k on its training rows along the grid (opt's, with progress
 * forwarded), scoring its held-out rows into fold k's own slots of cv point
 * by point (score_point, pad_fold). */
static rp_status score_fold(rp_cv *cv, size_t k, const fit_source *src, const rp_fit_options *opt,
                            const int *fold_ids, fold_work *fw, rp_error *err) {
  const rp_matrix *X = src->X;
  size_t n_train, n_test, *test = fw->rows + X->n;
  split_rows(fold_ids, X->n, (int)k + 1, fw->rows, &n_train, test, &n_test);
  fold_progress fp = {opt, k, cv->n_folds};
  rp_fit_options fold_opt = *opt;
  fold_opt.progress = opt->progress ? forward_progress : NULL;
  fold_opt.progress_ctx = &fp;
  const double *weights = opt->weights;
  double train_weight = 0.0;
  cv->fold_size[k] = n_test;
  cv->fold_weight[k] = 0.0;
  for (size_t i = 0; i < n_test; i++) {
    fw->y[i] = src->y[test[i]];
    fw->wt[i] = weights ? weights[test[i]] : 1.0;
    cv->fold_weight[k] += fw->wt[i];
  }
  for (size_t i = 0; weights && i < n_train; i++) train_weight += weights[fw->rows[i]];
  if (weights && !(train_weight > 0.0))
    return rp_error_set(err, RP_EDATA, "fold %zu: every weight of its %zu training rows is 0 "
                        "(all the weight is in the fold's held-out rows)", k + 1, n_train);
  fold_scorer fs = {cv, k, n_test, X, test, weights, opt->offset, fw};
  rp_point_sink sink = {score_point, &fs};
  rp_path *path;
  rp_status st =
      source_fit(src, &fw->fit, fw->rows, n_train, test, n_test, &fold_opt, &sink, &path, err);
  if (st != RP_OK) return st;
  pad_fold(cv, k, path);
  rp_path_free(path);
  if (cv->metric == RP_METRIC_AUC && isnan(cv->fold_error[k * cv->n_alphas]))
    return rp_error_set(err, RP_EDATA, "fold %zu has held-out rows of one class only: its AUC "
                        "is undefined (use more rows per fold or another cv.metric)", k + 1);
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

/* The folds, each fitted by whichever thread takes it, into its own slots
 * of cv (fold_error, fold_size; the integer counts are order-free sums), so
 * that the numbers do not depend on the thread count.  Fold k's status and
 * error go to status[k] and errs[k].  Folds are taken in increasing order;
 * once fold f has failed, the folds after f are skipped, and every fold
 * before f has been taken, so the first failure in fold order is known.
 * Each thread first gets its BLAS work buffer, one thread at a time and
 * before any fold allocates (memory.h); a thread that cannot takes no
 * folds.  The calling thread has its buffer already, so one always can. */
static void fit_folds(rp_cv *cv, const fit_source *src, const rp_fit_options *opt,
                      const int *fold_ids, fold_work *fw, size_t n_threads, rp_status *status,
                      rp_error *errs) {
  size_t K = cv->n_folds, first_failed = K, next = 0;
  (void)n_threads; /* without OpenMP */
  RP_OMP(omp parallel num_threads((int)n_threads))
  {
    rp_status ready;
    rp_error unused;
    RP_OMP(omp critical(rp_cv_blas))
    ready = rp_blas_thread_ready(&unused);
    RP_OMP(omp barrier)
    while (ready == RP_OK) {
      size_t k, failed;
      RP_OMP(omp atomic capture)
      k = next++;
      if (k >= K) break;
      RP_OMP(omp atomic read)
      failed = first_failed;
      status[k] = RP_OK;
      if (failed < k) continue;
      status[k] = score_fold(cv, k, src, opt, fold_ids, &fw[thread_index()], &errs[k]);
      if (status[k] != RP_OK) {
        RP_OMP(omp critical(rp_cv_failure))
        if (k < first_failed) {
          RP_OMP(omp atomic write)
          first_failed = k;
        }
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

/* Bytes that one fit takes beyond the source (doubles, so that no product
 * overflows), by route (source_problem; cd.c's alloc_support_solver): its
 * statistics, downdated from the total (covariance); or the columns its
 * view stores, at most p/8 of them (naive); or its rows, copied (IRLS);
 * then the support solver's factor (and, without the
 * Gram matrix, its gathered columns) and O(n + p) vectors. */
static double fit_bytes(const fit_source *src) {
  double n = (double)src->X->n, p = (double)src->X->p, m = n < p ? n : p, d = sizeof(double);
  double vectors = d * (8 * n + 40 * p);
  if (src->total) return vectors + d * p * p + d * m * m;
  double cap = m < RP_CD_SUPPORT_MAX ? m : RP_CD_SUPPORT_MAX;
  if (cap > floor(p / 8)) cap = floor(p / 8);
  double own = src->all_rows ? d * n * floor(p / 8) : d * n * p;
  return vectors + own + d * cap * (cap + n);
}

/* Address space a thread's malloc arena takes (glibc's HEAP_MAX_SIZE on
 * 64-bit systems). */
#define ARENA_BYTES (64.0 * 1024 * 1024)

/* The most folds, up to `most`, that can be fitted at once in the memory
 * left: each takes fit_bytes, and each thread beyond this one also a
 * stack, a malloc arena and a BLAS work buffer of address space.
 * RP_ENOMEM, naming the figures, when not even one fits. */
static rp_status plan_threads(const fit_source *src, size_t most, size_t *n_threads,
                              rp_error *err) {
  char what[64];
  snprintf(what, sizeof what, "a fit on %zu x %zu data", src->X->n, src->X->p);
  double fit = fit_bytes(src);
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

/* Fold-parallel room: per-thread work, per-fold statuses and errors. */
typedef struct {
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
}

static rp_status room_open(fold_room *r, const fit_source *src, size_t K, rp_error *err) {
  r->n_open = 0;
  r->fw = NULL;
  r->status = NULL;
  r->errs = NULL;
  rp_status planned = plan_threads(src, fold_threads(K), &r->n_threads, err);
  if (planned != RP_OK) return planned;
  r->fw = calloc(r->n_threads, sizeof *r->fw);
  r->status = calloc(K, sizeof *r->status);
  r->errs = calloc(K, sizeof *r->errs);
  rp_status st = r->fw && r->status && r->errs ? RP_OK : rp_error_set(err, RP_ENOMEM, "out of memory");
  for (; st == RP_OK && r->n_open < r->n_threads; r->n_open++)
    if ((st = fold_work_open(&r->fw[r->n_open], src, err)) != RP_OK) break;
  if (st != RP_OK) room_close(r);
  return st;
}

/* Cross-validate along `alphas` with fits from `src`. */
static rp_status cross_validate(const fit_source *src, const rp_fit_options *opt,
                                const double *alphas, size_t n_alphas, const int *fold_ids,
                                rp_metric metric, rp_cv **out, rp_error *err) {
  *out = NULL;
  const rp_matrix *X = src->X;
  size_t K;
  rp_status st = rp_cv_check_folds(fold_ids, X->n, &K, err);
  if (st != RP_OK) return st;
  if (!rp_metric_fits_family(metric, opt->family))
    return rp_error_set(err, RP_EINVAL, "metric %s needs the binomial family", rp_metric_name(metric));
  rp_cv *cv = cv_alloc(K, n_alphas, X->p);
  if (!cv) return rp_error_set(err, RP_ENOMEM, "out of memory");
  memcpy(cv->alphas, alphas, n_alphas * sizeof *alphas);
  cv->metric = metric;
  cv->larger_is_better = metric == RP_METRIC_AUC;
  rp_fit_options fold_opt = *opt;
  fold_opt.alphas = alphas;
  fold_opt.n_explicit = n_alphas;
  fold_room room;
  st = room_open(&room, src, K, err);
  if (st == RP_OK) {
    fit_folds(cv, src, &fold_opt, fold_ids, room.fw, room.n_threads, room.status, room.errs);
    st = first_failure(room.status, room.errs, K, err);
    room_close(&room);
  }
  if (st != RP_OK) {
    rp_cv_free(cv);
    return st;
  }
  summarize(cv);
  *out = cv;
  return RP_OK;
}

rp_status rp_cv_fit(const rp_matrix *X, const double *y, const rp_fit_options *opt,
                    const double *alphas, size_t n_alphas, const int *fold_ids,
                    rp_metric metric, rp_cv **out, rp_error *err) {
  *out = NULL;
  fit_source src;
  size_t one;
  rp_status st = rp_blas_thread_ready(err);
  if (st == RP_OK) st = source_open(&src, X, y, opt, err);
  if (st != RP_OK) return st;
  st = plan_threads(&src, 1, &one, err); /* room for one fit at least, before any */
  if (st == RP_OK) st = cross_validate(&src, &src.opt, alphas, n_alphas, fold_ids, metric, out, err);
  source_close(&src);
  return st;
}

rp_status rp_path_cv_fit(const rp_matrix *X, const double *y, const rp_fit_options *opt,
                         const int *fold_ids, rp_metric metric, rp_path **path, rp_cv **cv,
                         rp_error *err) {
  *path = NULL;
  *cv = NULL;
  double t0 = rp_now_seconds();
  fit_source src;
  size_t one;
  rp_status st = rp_blas_thread_ready(err);
  if (st == RP_OK) st = source_open(&src, X, y, opt, err);
  if (st != RP_OK) return st;
  st = plan_threads(&src, 1, &one, err); /* room for one fit at least, before any */
  if (st == RP_OK) st = source_fit_all(&src, &src.opt, path, err);
  double t1 = rp_now_seconds();
  if (st == RP_OK)
    st = cross_validate(&src, &src.opt, (*path)->alphas, (*path)->n_alphas, fold_ids, metric, cv, err);
  if (st == RP_OK) {
    (*cv)->path_seconds = t1 - t0;
    (*cv)->cv_seconds = rp_now_seconds() - t1;
  }
  source_close(&src);
  if (st != RP_OK) {
    rp_path_free(*path);
    *path = NULL;
  }
  return st;
}

rp_scores rp_regression_scores(const double *y, const double *yhat, size_t n) {
  double mean = 0.0, sse = 0.0, sae = 0.0, sst = 0.0;
  for (size_t i = 0; i < n; i++) mean += y[i] / (double)n;
  for (size_t i = 0; i < n; i++) {
    sse += unit_loss(RP_FAMILY_GAUSSIAN, RP_METRIC_MSE, y[i], yhat[i]);
    sae += unit_loss(RP_FAMILY_GAUSSIAN, RP_METRIC_MAE, y[i], yhat[i]);
    sst += (y[i] - mean) * (y[i] - mean);
  }
  rp_scores s = {sse / (double)n, sae / (double)n, sst > 0.0 ? 1.0 - sse / sst : NAN,
                 sse / (double)n, NAN, NAN};
  return s;
}

rp_scores rp_test_scores(rp_family family, const double *y, const double *eta, size_t n,
                         rp_scored *work) {
  if (family == RP_FAMILY_GAUSSIAN) return rp_regression_scores(y, eta, n);
  rp_scores s = {NAN, NAN, NAN, rp_mean_loss(family, RP_METRIC_DEVIANCE, y, eta, n), NAN, NAN};
  s.mse = rp_mean_loss(family, RP_METRIC_MSE, y, eta, n);
  s.mae = rp_mean_loss(family, RP_METRIC_MAE, y, eta, n);
  if (family == RP_FAMILY_BINOMIAL) {
    s.accuracy = 1.0 - rp_mean_loss(family, RP_METRIC_CLASS, y, eta, n);
    s.auc = rp_auc(y, eta, n, work);
  }
  return s;
}

void rp_scores_named(rp_family family, const rp_scores *sc, const char *names[3], double values[3]) {
  static const char *const NAMES[][3] = {[RP_FAMILY_GAUSSIAN] = {"mse", "mae", "r2"},
                                         [RP_FAMILY_BINOMIAL] = {"deviance", "accuracy", "auc"},
                                         [RP_FAMILY_POISSON] = {"deviance", "mse", "mae"}};
  const double VALUES[][3] = {[RP_FAMILY_GAUSSIAN] = {sc->mse, sc->mae, sc->r2},
                              [RP_FAMILY_BINOMIAL] = {sc->deviance, sc->accuracy, sc->auc},
                              [RP_FAMILY_POISSON] = {sc->deviance, sc->mse, sc->mae}};
  for (size_t i = 0; i < 3; i++) {
    names[i] = NAMES[family][i];
    values[i] = VALUES[family][i];
  }
}

double rp_scores_metric(rp_scores sc, rp_metric metric) {
  switch (metric) {
    case RP_METRIC_MAE: return sc.mae;
    case RP_METRIC_DEVIANCE: return sc.deviance;
    case RP_METRIC_CLASS: return 1.0 - sc.accuracy;
    case RP_METRIC_AUC: return sc.auc;
    default: return sc.mse;
  }
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
  free(cv);
}
