/* path.c: the path driver: grid, warm starts along it, glmnet's early stop. */
#include "regpath/path.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cd.h"
#include "fit_source.h"
#include "glm.h"
#include "multinomial.h"
#include "memory.h"
#include "problem.h"
#include "penalty.h"
#include "sparse.h"

/* glmnet's early stop: at least this many points, then stop when the
 * deviance ratio exceeds the maximum or gains less than fdev: relative to
 * itself for gaussian, absolutely for binomial, and over the last 4 points
 * relative to itself, against 10 fdev, for poisson (glmnetpp's elnet_path).
 * (Its third rule, more than p + 1 nonzeros, cannot trigger for one fit.) */
enum { EARLY_STOP_MIN_POINTS = 5, POISSON_GAIN_SPAN = 4 };
static const double EARLY_STOP_MIN_GAIN = 1e-5;
static const double EARLY_STOP_MAX_DEV_RATIO = 0.999;

void rp_fit_options_init(rp_fit_options *opt) {
  memset(opt, 0, sizeof *opt);
  opt->family = RP_FAMILY_GAUSSIAN;
  opt->l1_ratio = 1.0;
  opt->standardize = 1;
  opt->fit_intercept = 1;
  opt->convention = RP_CONVENTION_STANDARD;
  opt->n_alphas = 100;
  opt->tol = 1e-7;
  opt->gap_tol = 1e-6;
  opt->max_iter = 100000;
  opt->early_stop = 1;
  opt->update = RP_UPDATE_AUTO;
}

static rp_status check_grid(const rp_fit_options *opt, rp_error *err) {
  if (!opt->alphas) {
    if (opt->n_alphas < 1) return rp_error_set(err, RP_EINVAL, "n_alphas must be >= 1");
    if (opt->n_extend && opt->n_alphas < 2)
      return rp_error_set(err, RP_EINVAL, "extending a grid needs n_alphas >= 2");
    if (!(opt->alpha_min_ratio >= 0.0 && opt->alpha_min_ratio < 1.0))
      return rp_error_set(err, RP_EINVAL, "alpha_min_ratio must be in (0, 1)");
    return RP_OK;
  }
  if (opt->n_explicit < 1) return rp_error_set(err, RP_EINVAL, "empty list of alphas");
  for (size_t k = 0; k < opt->n_explicit; k++) {
    if (!(opt->alphas[k] > 0.0) || !isfinite(opt->alphas[k]))
      return rp_error_set(err, RP_EINVAL, "alphas[%zu] must be positive and finite", k);
    if (k > 0 && !(opt->alphas[k] < opt->alphas[k - 1]))
      return rp_error_set(err, RP_EINVAL, "alphas must be strictly decreasing (alphas[%zu])", k);
  }
  return RP_OK;
}

static rp_status check_penalty_factors(const rp_fit_options *opt, size_t p, rp_error *err) {
  if (!opt->penalty_factor) return RP_OK;
  double sum = 0.0;
  for (size_t j = 0; j < p; j++) {
    if (!(opt->penalty_factor[j] >= 0.0) || !isfinite(opt->penalty_factor[j]))
      return rp_error_set(err, RP_EINVAL, "penalty factor %zu must be >= 0 and finite", j + 1);
    sum += opt->penalty_factor[j];
  }
  if (!(sum > 0.0)) return rp_error_set(err, RP_EINVAL, "every penalty factor is 0");
  return RP_OK;
}

/* glmnet's rule: lower limits <= 0 <= upper limits, so that b = 0 is
 * always feasible (the path starts there). */
static rp_status check_limits(const rp_fit_options *opt, size_t p, rp_error *err) {
  for (size_t j = 0; j < p; j++) {
    if (opt->lower_limits && !(opt->lower_limits[j] <= 0.0))
      return rp_error_set(err, RP_EINVAL, "lower limit %g of feature %zu must be <= 0",
                          opt->lower_limits[j], j + 1);
    if (opt->upper_limits && !(opt->upper_limits[j] >= 0.0))
      return rp_error_set(err, RP_EINVAL, "upper limit %g of feature %zu must be >= 0",
                          opt->upper_limits[j], j + 1);
  }
  return RP_OK;
}

/* The relaxed lasso's gammas: each in [0, 1) (1 is the path itself), and
 * no coefficient limits (its refits are unbounded). */
static rp_status check_relax(const rp_fit_options *opt, rp_error *err) {
  for (size_t g = 0; g < opt->n_relax_gammas; g++)
    if (!(opt->relax_gammas[g] >= 0.0 && opt->relax_gammas[g] < 1.0))
      return rp_error_set(err, RP_EINVAL, "relax gamma %g must be in [0, 1)", opt->relax_gammas[g]);
  if (opt->n_relax_gammas && (opt->lower_limits || opt->upper_limits))
    return rp_error_set(err, RP_EINVAL, "the relaxed lasso does not take coefficient limits (yet)");
  return RP_OK;
}

/* The multinomial family: K >= 3 classes when given, and none of what its
 * solver does not take (yet): offsets (one per class), limits, relax. */
static rp_status check_multinomial(const rp_fit_options *opt, rp_error *err) {
  if (opt->family != RP_FAMILY_MULTINOMIAL) return RP_OK;
  if (opt->n_classes && opt->n_classes < 3)
    return rp_error_set(err, RP_EINVAL,
                        "multinomial needs 3 or more classes, got %zu (2: use binomial)",
                        opt->n_classes);
  if (opt->offset || opt->lower_limits || opt->upper_limits || opt->n_relax_gammas)
    return rp_error_set(err, RP_EINVAL,
                        "the multinomial family does not take offsets, coefficient limits or "
                        "the relaxed lasso (yet)");
  return RP_OK;
}

size_t rp_class_count(const rp_fit_options *opt, const double *y, size_t n) {
  if (opt->n_classes) return opt->n_classes;
  double top = 0.0;
  for (size_t i = 0; i < n; i++) top = fmax(top, y[i]);
  return (size_t)top + 1;
}

rp_status rp_observations_check(const rp_fit_options *opt, const size_t *rows, size_t n_rows,
                                rp_error *err) {
  double sum = 0.0;
  for (size_t i = 0; i < n_rows && (opt->weights || opt->offset); i++) {
    size_t r = rows ? rows[i] : i;
    if (opt->weights && !(opt->weights[r] >= 0.0 && isfinite(opt->weights[r])))
      return rp_error_set(err, RP_EDATA, "weight %g of row %zu is not a finite number >= 0",
                          opt->weights[r], r + 1);
    if (opt->offset && !isfinite(opt->offset[r]))
      return rp_error_set(err, RP_EDATA, "offset %g of row %zu is not finite", opt->offset[r],
                          r + 1);
    if (opt->weights) sum += opt->weights[r];
  }
  if (opt->weights && !(sum > 0.0))
    return rp_error_set(err, RP_EDATA, "every weight of the %zu rows is 0", n_rows);
  return RP_OK;
}

rp_status rp_offset_target(const double *y, size_t n, const rp_fit_options *opt, double **y_fit,
                           rp_fit_options *fit_opt, rp_error *err) {
  *fit_opt = *opt;
  *y_fit = NULL;
  if (opt->family != RP_FAMILY_GAUSSIAN || !opt->offset) return RP_OK;
  if (!(*y_fit = malloc((n ? n : 1) * sizeof **y_fit)))
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) (*y_fit)[i] = y[i] - opt->offset[i];
  fit_opt->offset = NULL;
  return RP_OK;
}

rp_status rp_fit_options_check(const rp_fit_options *opt, size_t p, rp_error *err) {
  if (opt->family != RP_FAMILY_GAUSSIAN && opt->family != RP_FAMILY_BINOMIAL &&
      opt->family != RP_FAMILY_POISSON && opt->family != RP_FAMILY_MULTINOMIAL)
    return rp_error_set(err, RP_EINVAL, "unknown family");
  if (!(opt->l1_ratio >= 0.0 && opt->l1_ratio <= 1.0))
    return rp_error_set(err, RP_EINVAL, "l1_ratio must be in [0, 1]");
  if (!(opt->tol > 0.0) || !isfinite(opt->tol))
    return rp_error_set(err, RP_EINVAL, "tol must be > 0");
  if (!(opt->gap_tol >= 0.0) || !isfinite(opt->gap_tol))
    return rp_error_set(err, RP_EINVAL, "gap_tol must be >= 0");
  if (opt->max_iter < 1) return rp_error_set(err, RP_EINVAL, "max_iter must be >= 1");
  rp_status st = check_grid(opt, err);
  if (st == RP_OK) st = check_penalty_factors(opt, p, err);
  if (st == RP_OK) st = check_limits(opt, p, err);
  if (st == RP_OK) st = check_relax(opt, err);
  return st != RP_OK ? st : check_multinomial(opt, err);
}

/* Room for K points of C classes, with coef_rows points of coefficients
 * (K, or 1 when streamed). */
static rp_path *path_alloc(size_t K, size_t p, size_t C, size_t coef_rows) {
  if (K > SIZE_MAX / sizeof(double) / (p + 1) / C) return NULL; /* K C p doubles overflow */
  rp_path *path = calloc(1, sizeof *path);
  if (!path) return NULL;
  path->p = p;
  path->n_classes = C;
  path->gamma = 1.0;
  path->alphas = malloc(K * sizeof(double));
  path->intercept = malloc(K * C * sizeof(double));
  path->coef = malloc(coef_rows * C * p * sizeof(double));
  path->df = malloc(K * sizeof(size_t));
  path->dev_ratio = malloc(K * sizeof(double));
  path->n_iter = malloc(K * sizeof(long));
  path->dual_gap = malloc(K * sizeof(double));
  path->converged = malloc(K * sizeof(int));
  path->constant = malloc(p * sizeof(int));
  path->mean = malloc(p * sizeof(double));
  path->scale = malloc(p * sizeof(double));
  if (!path->alphas || !path->intercept || !path->coef || !path->df || !path->dev_ratio ||
      !path->n_iter || !path->dual_gap || !path->converged || !path->constant || !path->mean ||
      !path->scale) {
    rp_path_free(path);
    return NULL;
  }
  return path;
}

rp_status rp_path_copy(const rp_path *path, rp_path **out, rp_error *err) {
  size_t K = path->n_alphas, p = path->p, C = path->n_classes;
  rp_path *c = path_alloc(K, p, C, K);
  *out = c;
  if (!c) return rp_error_set(err, RP_ENOMEM, "out of memory for a copy of a path");
  rp_path arrays = *c;
  *c = *path;
#define COPY(field, count) memcpy(c->field = arrays.field, path->field, (count) * sizeof *c->field)
  COPY(alphas, K);
  COPY(intercept, K * C);
  COPY(coef, K * C * p);
  COPY(df, K);
  COPY(dev_ratio, K);
  COPY(n_iter, K);
  COPY(dual_gap, K);
  COPY(converged, K);
  COPY(constant, p);
  COPY(mean, p);
  COPY(scale, p);
#undef COPY
  return RP_OK;
}

/* A path of K points with coef_rows rows of p coefficients must fit in the
 * memory left (path.n_alphas can ask for any number). */
static rp_status room_for_path(size_t K, size_t p, size_t coef_rows, rp_error *err) {
  char what[64];
  snprintf(what, sizeof what, "a path of %zu alphas", K);
  double bytes = (double)K * 64.0 + (double)coef_rows * (double)p * sizeof(double);
  return rp_memory_check(bytes, what, err);
}

/* The grid's length: the explicit one's, or n_alphas plus the extension. */
static size_t grid_length(const rp_fit_options *opt) {
  return opt->alphas ? opt->n_explicit : opt->n_alphas + opt->n_extend;
}

/* alpha_k = alpha_max * ratio^(k/(N-1)), k = 0..K-1, N = n_alphas (k >= N
 * extends the grid past alpha_min, the first N points unchanged), or the
 * explicit grid. */
static void fill_grid(const rp_fit_options *opt, const rp_problem *pb, double alpha_max,
                      double *alphas, size_t K) {
  if (opt->alphas) {
    memcpy(alphas, opt->alphas, K * sizeof *alphas);
    return;
  }
  double ratio =
      opt->alpha_min_ratio > 0.0 ? opt->alpha_min_ratio : (pb->n_total < pb->p ? 1e-2 : 1e-4);
  size_t N = opt->n_alphas;
  for (size_t k = 0; k < K; k++)
    alphas[k] = N == 1 ? alpha_max : alpha_max * pow(ratio, (double)k / (double)(N - 1));
}

/* The point solver of the problem's family: coordinate descent on least
 * squares (cd.h) or penalized IRLS (glm.h), which also takes a gaussian
 * fit on uncentred columns (problem.h) for its intercept coordinate. */
typedef struct {
  rp_cd *cd;
  rp_glm *glm;
  rp_multinomial *mn;
} engine;

/* One solved point on the standardized scale: K classes' intercepts b0
 * and coefficients beta (p each, one after another; K = 1 but for the
 * multinomial family). */
typedef struct {
  const double *beta, *b0;
  size_t K;
  double dev_ratio, gap;
} point;

static rp_status engine_open(engine *e, const rp_problem *pb, const rp_fit_options *opt,
                             rp_error *err) {
  *e = (engine){NULL, NULL, NULL};
  rp_status st;
  if (opt->family == RP_FAMILY_MULTINOMIAL)
    st = rp_multinomial_alloc(pb, rp_class_count(opt, pb->y, pb->n), opt, &e->mn, err);
  else if (opt->family == RP_FAMILY_GAUSSIAN && pb->centred)
    st = rp_cd_alloc(pb, opt->tol, opt->gap_tol, opt->max_iter, &e->cd, err);
  else
    st = rp_glm_alloc(pb, opt, &e->glm, err);
  if (st != RP_OK) return st;
  if (e->cd) rp_cd_fit_unpenalized(e->cd);
  if (e->glm) rp_glm_fit_unpenalized(e->glm);
  if (e->mn) rp_multinomial_fit_unpenalized(e->mn);
  return RP_OK;
}

static void engine_close(engine *e) {
  rp_cd_free(e->cd);
  rp_glm_free(e->glm);
  rp_multinomial_free(e->mn);
}

static double engine_alpha_max(const engine *e) {
  return e->cd    ? rp_cd_alpha_max(e->cd)
         : e->glm ? rp_glm_alpha_max(e->glm)
                  : rp_multinomial_alpha_max(e->mn);
}

/* The null deviance with the weights normalized to sum to n. */
static double engine_null_deviance(const engine *e, const rp_problem *pb) {
  return e->cd    ? pb->yy * (double)pb->n_total
         : e->glm ? e->glm->null_deviance
                  : e->mn->null_deviance;
}

static size_t engine_classes(const engine *e) { return e->mn ? e->mn->K : 1; }

/* Solve at alpha and describe the solution. */
static long engine_solve(engine *e, double alpha, double alpha_prev, int *converged, point *pt) {
  double dev, gap;
  long sweeps;
  if (e->cd) {
    sweeps = rp_cd_solve(e->cd, alpha, alpha_prev, converged);
    rp_cd_certificate(e->cd, alpha, &dev, &gap); /* dev = RSS/n */
    *pt = (point){e->cd->beta, &e->cd->pb->y_mean, 1, 1.0 - dev / e->cd->pb->yy, gap};
  } else if (e->glm) {
    sweeps = rp_glm_solve(e->glm, alpha, alpha_prev, converged);
    rp_glm_certificate(e->glm, alpha, &dev, &gap);
    *pt = (point){e->glm->beta, &e->glm->b0, 1, 1.0 - dev / e->glm->null_deviance, gap};
  } else {
    sweeps = rp_multinomial_solve(e->mn, alpha, alpha_prev, converged);
    rp_multinomial_certificate(e->mn, alpha, &dev, &gap);
    *pt = (point){e->mn->beta, e->mn->b0, e->mn->K, 1.0 - dev / e->mn->null_deviance, gap};
  }
  return sweeps;
}

/* b_j = b~_j / s_j within opt's limits on the original scale: a b~_j held
 * at a limit l_j s_j is l_j itself (the division would round it to either
 * side), and the rounding of any other must not put it past a limit. */
static double original_scale(const rp_problem *pb, const rp_fit_options *opt, size_t j,
                             double beta) {
  if (rp_at_limit(pb, j, beta) && beta != 0.0)
    return beta == pb->lower[j] ? opt->lower_limits[j] : opt->upper_limits[j];
  double b = beta / pb->scale[j];
  if (opt->lower_limits) b = fmax(b, opt->lower_limits[j]);
  if (opt->upper_limits) b = fmin(b, opt->upper_limits[j]);
  return b;
}

/* Store the solution at point k on the original scale, its coefficients in
 * row `row` of path->coef (K rows of p for K classes): b_j = b~_j / s_j,
 * b0 = b0~ - sum_j b_j m_j (b0~ itself when the columns were not centred);
 * K classes' intercepts then centred to sum to 0, glmnet's rule. */
static void record_point(rp_path *path, size_t k, size_t row, const rp_problem *pb,
                         const rp_fit_options *opt, const point *pt) {
  size_t K = pt->K, p = pb->p, df = 0;
  double *b0 = path->intercept + k * K, mean = 0.0;
  for (size_t c = 0; c < K; c++) {
    double *coef = path->coef + (row * K + c) * p;
    b0[c] = pt->b0[c];
    for (size_t j = 0; j < p; j++) {
      coef[j] = original_scale(pb, opt, j, pt->beta[c * p + j]);
      if (pb->centred) b0[c] -= coef[j] * pb->mean[j];
    }
    mean += b0[c] / (double)K;
  }
  for (size_t c = 0; K > 1 && c < K; c++) b0[c] -= mean;
  for (size_t j = 0; j < p; j++) {
    int nonzero = 0;
    for (size_t c = 0; c < K; c++) nonzero |= pt->beta[c * p + j] != 0.0;
    df += (size_t)nonzero;
  }
  path->df[k] = df;
  path->dev_ratio[k] = pt->dev_ratio;
  path->dual_gap[k] = pt->gap;
}

/* Where a coefficient limit is 0, glmnet sets fdev to 0 for the fit
 * (glmnet.control(fdev = 0)): only a fall in the deviance ratio stops it. */
static double min_gain(const rp_fit_options *opt, size_t p) {
  for (size_t j = 0; j < p; j++)
    if ((opt->lower_limits && opt->lower_limits[j] == 0.0) ||
        (opt->upper_limits && opt->upper_limits[j] == 0.0))
      return 0.0;
  return EARLY_STOP_MIN_GAIN;
}

static int early_stop(const rp_path *path, size_t k, double fdev) {
  if (k + 1 < EARLY_STOP_MIN_POINTS) return 0;
  double r = path->dev_ratio[k], r0 = path->dev_ratio[k - 1];
  if (r > EARLY_STOP_MAX_DEV_RATIO) return 1;
  switch (path->family) {
    case RP_FAMILY_BINOMIAL:
    case RP_FAMILY_MULTINOMIAL: return r - r0 < fdev;
    case RP_FAMILY_POISSON:
      return k >= POISSON_GAIN_SPAN && r - path->dev_ratio[k - POISSON_GAIN_SPAN] < 10.0 * fdev * r;
    default: return r - r0 < fdev * r;
  }
}

/* The alpha point k is solved at.  On a generated grid the first point is
 * alpha_max, where every penalized coefficient is 0 by definition; solved
 * at alpha_max itself, a soft threshold could let a column through by one
 * rounding (|g_j| = alpha_max l1 pf_j to the last bit), so it is solved a
 * hair above, as glmnet solves its first point at lambda = 9.9e35 and
 * reports it at lambda_max.  Not below RP_L1_RATIO_FLOOR, where alpha_max
 * is the floor's and the coefficients there are not 0. */
static double solve_alpha(const rp_path *path, const rp_fit_options *opt, size_t k) {
  int exact_zero = k == 0 && !opt->alphas && path->l1_ratio >= RP_L1_RATIO_FLOOR;
  return exact_zero ? path->alphas[0] * (1.0 + 1e-9) : path->alphas[k];
}

static rp_status walk_grid(rp_path *path, engine *e, const rp_problem *pb,
                           const rp_fit_options *opt, size_t K, const rp_point_sink *sink) {
  double alpha_prev = fmax(path->alpha_max, path->alphas[0]);
  int stop_early = opt->early_stop && !opt->alphas;
  double fdev = min_gain(opt, pb->p);
  for (size_t k = 0; k < K; k++) {
    point pt;
    path->n_iter[k] =
        engine_solve(e, solve_alpha(path, opt, k), alpha_prev, &path->converged[k], &pt);
    record_point(path, k, sink ? 0 : k, pb, opt, &pt);
    path->n_alphas = k + 1;
    if (sink) sink->take(sink->ctx, path, k, path->coef);
    if (opt->progress) opt->progress(opt->progress_ctx, 0, 1, k, K);
    if (!isfinite(pt.dev_ratio) || !isfinite(path->intercept[k])) return RP_ENUMERIC;
    alpha_prev = path->alphas[k];
    path->saturated = (e->glm && rp_glm_saturated(e->glm)) || (e->mn && e->mn->saturated);
    if (path->saturated || (stop_early && early_stop(path, k, fdev))) break;
  }
  return RP_OK;
}

rp_status rp_path_fit_problem(const rp_problem *pb, const rp_fit_options *opt, rp_path **out,
                              rp_error *err) {
  return rp_path_fit_streamed(pb, opt, NULL, out, err);
}

rp_status rp_path_fit_streamed(const rp_problem *pb, const rp_fit_options *opt,
                               const rp_point_sink *sink, rp_path **out, rp_error *err) {
  engine e;
  rp_status st = engine_open(&e, pb, opt, err);
  if (st != RP_OK) return st;
  double alpha_max = engine_alpha_max(&e);
  size_t K = grid_length(opt);
  rp_path *path = NULL;
  if (!(alpha_max > 0.0) || !isfinite(alpha_max))
    st = rp_error_set(err, RP_EDATA,
                      "no penalized column is correlated with the target "
                      "(alpha_max = %g)",
                      alpha_max);
  size_t C = engine_classes(&e);
  if (st == RP_OK) st = room_for_path(K, pb->p * C, sink ? 1 : K, err);
  if (st == RP_OK && !(path = path_alloc(K, pb->p, C, sink ? 1 : K)))
    st = rp_error_set(err, RP_ENOMEM, "out of memory for a path of %zu points", K);
  if (st == RP_OK) {
    path->family = opt->family;
    path->l1_ratio = pb->l1_ratio;
    path->alpha_max = alpha_max;
    double null_deviance = engine_null_deviance(&e, pb);
    path->null_deviance = null_deviance * pb->weight_scale; /* the weights' own units, as glmnet */
    path->null_objective = 0.5 * null_deviance / (double)pb->n_total;
    path->weight_sum = pb->weight_scale * (double)pb->n_total;
    path->n_rows = pb->n_total;
    for (size_t j = 0; j < pb->p; j++) path->constant[j] = pb->constant[j];
    memcpy(path->mean, pb->mean, pb->p * sizeof *pb->mean);
    memcpy(path->scale, pb->scale, pb->p * sizeof *pb->scale);
    fill_grid(opt, pb, alpha_max, path->alphas, K);
    if (walk_grid(path, &e, pb, opt, K, sink) != RP_OK)
      st = rp_error_set(err, RP_ENUMERIC, "the fit diverged (non-finite deviance) at alpha %g",
                        path->alphas[path->n_alphas - 1]);
  }
  engine_close(&e);
  if (st != RP_OK) {
    rp_path_free(path);
    return st;
  }
  *out = path;
  return RP_OK;
}

rp_status rp_path_fit_design(const rp_design *X, const double *y, const size_t *rows, size_t n_rows,
                             const rp_fit_options *opt, rp_path **out, rp_error *err) {
  *out = NULL;
  rp_status st = rp_fit_options_check(opt, X->p, err);
  if (st == RP_OK) st = rp_observations_check(opt, rows, rows ? n_rows : X->n, err);
  if (st == RP_OK) st = rp_blas_thread_ready(err);
  if (st != RP_OK) return st;
  rp_fit_options fit_opt;
  double *y_fit;
  st = rp_offset_target(y, X->n, opt, &y_fit, &fit_opt, err);
  if (st == RP_OK) st = rp_fit_source_path(X, y_fit ? y_fit : y, rows, n_rows, &fit_opt, out, err);
  free(y_fit);
  return st;
}

rp_status rp_path_fit(const rp_matrix *X, const double *y, const size_t *rows, size_t n_rows,
                      const rp_fit_options *opt, rp_path **out, rp_error *err) {
  rp_design D = rp_design_matrix(X);
  return rp_path_fit_design(&D, y, rows, n_rows, opt, out, err);
}

/* eta_i += c x_{rows[i]} (rows NULL: x_i): a column's term of a prediction. */
static void add_term(double *eta, double c, const double *x, const size_t *rows, size_t n) {
  for (size_t i = 0; i < n; i++) eta[i] += c * x[rows ? rows[i] : i];
}

/* eta = b0 + sum_j coef_j x_j over the nonzero coef_j, in increasing j: the
 * one order of summation every predictor uses.  Column j is read from
 * base + slot_j ld (slot NULL: slot_j = j), at rows `rows` (NULL: 0..n-1). */
static void predict_coef(const double *coef, double b0, size_t p, const double *base, size_t ld,
                         const size_t *slot, const size_t *rows, size_t n, double *eta) {
  for (size_t i = 0; i < n; i++) eta[i] = b0;
  for (size_t j = 0; j < p; j++)
    if (coef[j] != 0.0) add_term(eta, coef[j], base + (slot ? slot[j] : j) * ld, rows, n);
}

/* A dense matrix is read in place; any other storage gathers each column
 * used into `col` first (the same terms in the same order). */
void rp_predict_rows(const double *coef, double b0, const rp_design *X, const size_t *rows,
                     size_t n, double *col, double *eta) {
  const rp_matrix *M = rp_design_dense_matrix(X);
  if (M) {
    predict_coef(coef, b0, X->p, M->values, M->ld, NULL, rows, n, eta);
    return;
  }
  const rp_csc *S = rp_design_sparse_matrix(X);
  if (S && rp_sparse_predict(S, coef, b0, rows, n, eta)) return;
  for (size_t i = 0; i < n; i++) eta[i] = b0;
  for (size_t j = 0; j < X->p; j++) {
    if (coef[j] == 0.0) continue;
    rp_design_column(X, j, rows, n, col);
    add_term(eta, coef[j], col, NULL, n);
  }
}

/* The K linear predictors of point k, class c's into yhat + c n. */
static void predict_point(const rp_path *path, size_t k, const rp_design *X, const size_t *rows,
                          size_t n, double *col, double *yhat) {
  size_t K = path->n_classes ? path->n_classes : 1;
  for (size_t c = 0; c < K; c++)
    rp_predict_rows(path->coef + (k * K + c) * path->p, path->intercept[k * K + c], X, rows, n, col,
                    yhat + c * n);
}

void rp_path_predict(const rp_path *path, size_t k, const rp_matrix *X, const size_t *rows,
                     size_t n_rows, double *yhat) {
  rp_design D = rp_design_matrix(X); /* read in place: no column buffer */
  predict_point(path, k, &D, rows, rows ? n_rows : X->n, NULL, yhat);
}

rp_status rp_path_predict_design(const rp_path *path, size_t k, const rp_design *X,
                                 const size_t *rows, size_t n_rows, double *yhat, rp_error *err) {
  size_t n = rows ? n_rows : X->n;
  double *col = rp_design_dense_matrix(X) ? NULL : malloc((n ? n : 1) * sizeof *col);
  if (!col && !rp_design_dense_matrix(X))
    return rp_error_set(err, RP_ENOMEM, "out of memory gathering %zu rows for prediction", n);
  predict_point(path, k, X, rows, n, col, yhat);
  free(col);
  return RP_OK;
}

rp_status rp_path_predict_all_design(const rp_path *path, const rp_design *X, const size_t *rows,
                                     size_t n_rows, double *eta, rp_error *err) {
  if (path->n_classes > 1)
    return rp_error_set(err, RP_EINVAL,
                        "rp_path_predict_all: a multinomial path; use rp_path_predict per point");
  size_t n = rows ? n_rows : X->n, p = path->p, used = 0;
  size_t *slot = calloc(p ? p : 1, sizeof *slot); /* j's column in the block */
  int *ever = calloc(p ? p : 1, sizeof *ever);    /* coef_j != 0 somewhere  */
  for (size_t k = 0; ever && k < path->n_alphas; k++)
    for (size_t j = 0; j < p; j++) ever[j] |= path->coef[k * p + j] != 0.0;
  for (size_t j = 0; slot && ever && j < p; j++)
    if (ever[j]) slot[j] = used++;
  double *block = malloc((used > 0 && n > 0 ? used * n : 1) * sizeof *block);
  if (!slot || !ever || !block) {
    free(slot), free(ever), free(block);
    return rp_error_set(err, RP_ENOMEM, "out of memory gathering %zu rows for prediction", n);
  }
  for (size_t j = 0; j < p; j++)
    if (ever[j]) rp_design_column(X, j, rows, n, block + slot[j] * n);
  for (size_t k = 0; k < path->n_alphas; k++)
    predict_coef(path->coef + k * p, path->intercept[k], p, block, n, slot, NULL, n, eta + k * n);
  free(slot), free(ever), free(block);
  return RP_OK;
}

rp_status rp_path_predict_all(const rp_path *path, const rp_matrix *X, const size_t *rows,
                              size_t n_rows, double *eta, rp_error *err) {
  rp_design D = rp_design_matrix(X);
  return rp_path_predict_all_design(path, &D, rows, n_rows, eta, err);
}

void rp_path_free(rp_path *path) {
  if (!path) return;
  free(path->alphas);
  free(path->intercept);
  free(path->coef);
  free(path->df);
  free(path->dev_ratio);
  free(path->n_iter);
  free(path->dual_gap);
  free(path->converged);
  free(path->constant);
  free(path->mean);
  free(path->scale);
  free(path);
}
