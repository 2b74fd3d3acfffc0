/* fit_source.c: where each fit gets its data (see fit_source.h). */
#include "fit_source.h"

#include "cd.h"
#include "design_spread.h"
#include "memory.h"
#include "rows.h"
#include "sparse.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* glmnet uses covariance updates below 500 columns; with the Gram matrix
 * built by BLAS they also pay wherever there are at least as many rows as
 * columns, up to a Gram matrix of 4096^2 doubles (128 MiB). */
enum { GRAM_ALWAYS_BELOW = 500, GRAM_MAX_COLUMNS = 4096 };

int rp_fit_uses_gram(const rp_fit_options *opt, size_t n, size_t p) {
  if (opt->family != RP_FAMILY_GAUSSIAN) return 0; /* IRLS reweights the rows at every step */
  if (opt->update != RP_UPDATE_AUTO) return opt->update == RP_UPDATE_COVARIANCE;
  return p < GRAM_ALWAYS_BELOW || (p <= GRAM_MAX_COLUMNS && n >= p);
}

/* The route of a fit on n of X's rows: a sparse X takes the covariance
 * route only below GRAM_ALWAYS_BELOW columns (as glmnet's sparse elnet) or
 * when asked, its statistics formed from blocks of rows written out dense
 * (stats.c); else its columns stay sparse (sparse.h).  Rows spread over
 * processes count every process's (rows.h), so that all take one route. */
static int route_uses_gram(const rp_design *X, const rp_fit_options *opt, size_t n) {
  int auto_sparse = rp_design_sparse_matrix(X) && opt->update == RP_UPDATE_AUTO;
  if (auto_sparse && X->p >= GRAM_ALWAYS_BELOW) return 0;
  return rp_fit_uses_gram(opt, (size_t)rp_rows_total(X, (double)n), X->p);
}

/* Rows spread over processes: the covariance route's statistics and the
 * copied route's sums add up over them (problem.c); the gaussian family's
 * shared columns (a view of one matrix) and the sparse route do not yet. */
static rp_status spread_route(const rp_design *X, const rp_fit_options *opt, int gram,
                              rp_error *err) {
  int copied = opt->family != RP_FAMILY_GAUSSIAN || opt->weights;
  if (!X->ops->reduce || gram || copied) return RP_OK;
  return rp_error_set(err, RP_EINVAL,
                      "rows spread over processes: a gaussian fit without weights needs the "
                      "covariance route (fewer than %d columns, or no more columns than rows "
                      "up to %d)",
                      GRAM_ALWAYS_BELOW, GRAM_MAX_COLUMNS);
}

/* The covariance route: statistics of the rows, shifted and scaled by their
 * own means and largest deviations. */
static rp_status fit_on_gram(const rp_design *X, const double *y, const size_t *rows, size_t n_rows,
                             const rp_fit_options *opt, rp_path **out, rp_error *err) {
  size_t p = X->p;
  double *mu = malloc(p * sizeof *mu), *w = malloc(p * sizeof *w), mu_y;
  int *constant = malloc(p * sizeof *constant), y_constant;
  rp_stats *s = NULL;
  rp_problem *pb = NULL;
  rp_status st = mu && w && constant ? rp_stats_alloc(p, &s, err)
                                     : rp_error_set(err, RP_ENOMEM, "out of memory");
  if (st == RP_OK) st = rp_stats_shift(X, y, opt->weights, rows, n_rows, mu, w, &mu_y, err);
  if (st == RP_OK) st = rp_stats_compute(s, X, y, opt->weights, rows, n_rows, mu, w, mu_y, err);
  if (st == RP_OK)
    st = rp_constant_columns(X, y, opt->weights, rows, n_rows, constant, &y_constant, err);
  if (st == RP_OK) st = rp_problem_from_stats(s, mu, w, mu_y, constant, y_constant, opt, &pb, err);
  if (st == RP_OK) st = rp_path_fit_problem(pb, opt, out, err);
  rp_problem_free(pb);
  rp_stats_free(s);
  free(mu);
  free(w);
  free(constant);
  return st;
}

/* The path by the route rp_fit_uses_gram picks (y - o for a gaussian offset
 * already taken by the caller). */
rp_status rp_fit_source_path(const rp_design *X, const double *y, const size_t *rows, size_t n_rows,
                             const rp_fit_options *opt, rp_path **out, rp_error *err) {
  int gram = route_uses_gram(X, opt, rows ? n_rows : X->n);
  if (gram) return fit_on_gram(X, y, rows, n_rows, opt, out, err);
  rp_status spread = spread_route(X, opt, gram, err);
  if (spread != RP_OK) return spread;
  rp_problem *pb = NULL;
  const rp_csc *S = rp_design_sparse_matrix(X);
  rp_status st = S ? rp_problem_prepare_sparse(S, y, rows, n_rows, opt, &pb, err)
                   : rp_problem_prepare(X, y, rows, n_rows, opt, &pb, err);
  if (st == RP_OK) st = rp_path_fit_problem(pb, opt, out, err);
  rp_problem_free(pb);
  return st;
}

void rp_fit_scratch_close(rp_fit_scratch *sc) {
  rp_stats_free(sc->stats);
  free(sc->constant);
  sc->stats = NULL;
  sc->constant = NULL;
}

/* Nothing is needed but on the covariance route. */
rp_status rp_fit_scratch_open(rp_fit_scratch *sc, const rp_fit_source *src, rp_error *err) {
  sc->stats = NULL;
  sc->constant = NULL;
  if (!src->total) return RP_OK;
  if (!(sc->constant = malloc(src->X->p * sizeof *sc->constant)))
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  rp_status st = rp_stats_alloc(src->X->p, &sc->stats, err);
  if (st != RP_OK) rp_fit_scratch_close(sc);
  return st;
}

void rp_fit_source_close(rp_fit_source *src) {
  free(src->y_fit);
  free(src->z);
  free(src->all_rows);
  if (src->folds) rp_csc_folds_free(src->folds);
  free(src->folds);
  if (src->summed) return; /* its statistics are borrowed */
  for (size_t k = 0; src->held_out && k < src->n_folds; k++) rp_stats_free(src->held_out[k]);
  free(src->held_out);
  free(src->fold_constant);
  free(src->fold_sums);
  rp_stats_free(src->total);
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

static int nearly_centred(const rp_fit_source *src) {
  for (size_t j = 0; j < src->X->p; j++)
    if (!(fabs(src->mu[j]) <= SHARED_OFFSET_MAX * src->w[j])) return 0;
  return 1;
}

/* The views' shared matrix Z, with the shift and scale its views undo: X
 * itself (mu = 0, w = 1) when nearly_centred and dense (any other storage:
 * a copy of its values, z = (x - 0)/1 = x exactly), else the copy
 * z_ij = (x_ij - mu_j)/w_j; and the list of every row, which weighted
 * views (fold_weights), reading every row in place, do without. */
static rp_status open_shared(rp_fit_source *src, rp_error *err) {
  const rp_design *X = src->X;
  const rp_matrix *dense = rp_design_dense_matrix(X);
  size_t n = X->n, p = X->p;
  if (!src->fold_weights && !(src->all_rows = malloc(n * sizeof *src->all_rows)))
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  for (size_t i = 0; src->all_rows && i < n; i++) src->all_rows[i] = i;
  int centred = nearly_centred(src);
  if (centred)
    for (size_t j = 0; j < p; j++) src->mu[j] = 0.0, src->w[j] = 1.0;
  if (centred && dense) {
    src->Z = *dense;
    return RP_OK;
  }
  if (p > SIZE_MAX / sizeof(double) / n)
    return rp_error_set(err, RP_ENOMEM, "design of %zu x %zu is too large", n, p);
  if (!(src->z = malloc(n * p * sizeof *src->z)))
    return rp_error_set(err, RP_ENOMEM, "out of memory for a %zu x %zu copy of the design", n, p);
  for (size_t j = 0; j < p; j++) {
    double *z = src->z + j * n;
    rp_design_column(X, j, NULL, n, z);
    for (size_t i = 0; i < n; i++) z[i] = (z[i] - src->mu[j]) / src->w[j];
  }
  src->Z = (rp_matrix){n, p, n, src->z};
  return RP_OK;
}

/* A summed training set's statistics, borrowed: its sums carry the
 * weights and offsets, and only the covariance route can take them. */
static rp_status open_summed(rp_fit_source *src, const rp_summed *S, const rp_fit_options *opt,
                             rp_error *err) {
  if (opt->family != RP_FAMILY_GAUSSIAN || opt->update == RP_UPDATE_NAIVE || opt->weights ||
      opt->offset)
    return rp_error_set(err, RP_EINVAL,
                        "a summed training set takes gaussian fits on the covariance route, "
                        "its weights and offsets already in its sums");
  src->opt = *opt;
  src->summed = S;
  src->total = S->total;
  src->mu = S->mu, src->w = S->w, src->mu_y = S->mu_y;
  src->held_out = S->held_out;
  src->fold_constant = S->constant;
  src->fold_sums = S->fold_sums;
  src->n_folds = S->n_folds;
  return RP_OK;
}

/* The source of every fit on X and y with options opt (its observations
 * checked; a gaussian offset taken into the target, rp_offset_target). */
rp_status rp_fit_source_open(rp_fit_source *src, const rp_design *X, const double *y,
                             const rp_fit_options *opt, rp_error *err) {
  memset(src, 0, sizeof *src);
  src->X = X;
  const rp_summed *S = rp_design_summed_of(X);
  if (S) return open_summed(src, S, opt, err);
  rp_status st = rp_observations_check(opt, NULL, X->n, err);
  if (st == RP_OK) st = rp_offset_target(y, X->n, opt, &src->y_fit, &src->opt, err);
  if (st != RP_OK) return st;
  src->y = y = src->y_fit ? src->y_fit : y;
  if (opt->family == RP_FAMILY_MULTINOMIAL) { /* every fold fits all the data's classes */
    double K = (double)rp_class_count(opt, y, X->n);
    rp_rows_max(X, &K, 1); /* of every process's rows */
    src->opt.n_classes = (size_t)K;
  }
  const double *weights = src->opt.weights;
  int gram = route_uses_gram(X, opt, X->n);
  if ((st = spread_route(X, opt, gram, err)) != RP_OK) {
    rp_fit_source_close(src);
    return st;
  }
  int sparse = rp_design_sparse_matrix(X) != NULL;
  int irls = opt->family != RP_FAMILY_GAUSSIAN, local = !X->ops->reduce;
  src->fold_weights = irls && !sparse && local;
  if (!gram && !src->fold_weights && (irls || weights || sparse)) return RP_OK; /* copies */
  size_t p = X->p;
  src->mu = malloc(p * sizeof *src->mu);
  src->w = malloc(p * sizeof *src->w);
  st = src->mu && src->w ? RP_OK : rp_error_set(err, RP_ENOMEM, "out of memory");
  if (st == RP_OK) st = rp_stats_shift(X, y, weights, NULL, 0, src->mu, src->w, &src->mu_y, err);
  if (st == RP_OK && gram) st = rp_stats_alloc(p, &src->total, err);
  if (st == RP_OK && gram)
    st = rp_stats_compute(src->total, X, y, weights, NULL, 0, src->mu, src->w, src->mu_y, err);
  if (st == RP_OK && !gram) st = open_shared(src, err);
  if (st != RP_OK) rp_fit_source_close(src);
  return st;
}

/* An IRLS fit on a dense X (fold_weights): a view of every row of Z, the
 * held-out rows `test` weighted 0 and no rows of the fit (problem.h), the
 * others by the caller's weights (each 1 without: v_i = 1 exactly, as on
 * a copy of the rows).  So no fold copies its rows: the IRLS families
 * carry row weights in their own (glm.h), where a gaussian fit's would
 * scale its rows.  A fold's passes cost n rows instead of its training
 * rows, n / (n - n_test), 1.1 times at 10 folds, against a copy of
 * 8 (n - n_test) p bytes per fold at once. */
static rp_status weighted_view(const rp_fit_source *src, const size_t *test, size_t n_test,
                               const rp_fit_options *opt, rp_problem **pb, rp_error *err) {
  rp_held_out held = {test, n_test};
  return rp_problem_prepare_view(src->X, &src->Z, src->mu, src->w, src->y, NULL, src->X->n, &held,
                                 opt, pb, err);
}

/* The problem of the fit on `train` (NULL = every row), whose complement
 * is `test`, by the source's route: a view of the shared matrix (naive
 * gaussian), the total statistics less the held-out rows' (covariance, in
 * `sc`, from rp_fit_scratch_open), a view of a sparse X's rows (sparse.h),
 * or the rows themselves (IRLS families).  With the folds' statistics
 * summed before, fold `fold`'s are taken and no row is read (a summed
 * training set has no rows: `train` then only says "fold `fold`"). */
static rp_status source_problem(const rp_fit_source *src, rp_fit_scratch *sc, size_t fold,
                                const size_t *train, size_t n_train, const size_t *test,
                                size_t n_test, const rp_fit_options *opt, rp_problem **pb,
                                rp_error *err) {
  if (src->fold_weights) return weighted_view(src, test, n_test, opt, pb, err);
  if (src->all_rows)
    return rp_problem_prepare_view(src->X, &src->Z, src->mu, src->w, src->y,
                                   train ? train : src->all_rows, n_train, NULL, opt, pb, err);
  const rp_csc *S = rp_design_sparse_matrix(src->X);
  if (train && src->folds) /* fold `fold`'s training rows (only from a sparse X) */
    return rp_problem_prepare_sparse_fold(src->folds, fold, src->y, opt, pb, err);
  if (!src->total && S) return rp_problem_prepare_sparse(S, src->y, train, n_train, opt, pb, err);
  if (!src->total) return rp_problem_prepare(src->X, src->y, train, n_train, opt, pb, err);
  if (src->held_out && (train || src->summed)) { /* summed before (fit_source.h) */
    size_t row = train ? fold : src->n_folds;    /* a summed set's last row: every row's */
    const int *c = src->fold_constant + row * (src->X->p + 1);
    if (train)
      rp_stats_subtract(sc->stats, src->total, src->held_out[fold]);
    else
      rp_stats_copy(sc->stats, src->total);
    memcpy(sc->constant, c, src->X->p * sizeof *c);
    return rp_problem_from_stats(sc->stats, src->mu, src->w, src->mu_y, sc->constant, c[src->X->p],
                                 opt, pb, err);
  }
  if (train) {
    rp_status st = rp_stats_compute(sc->stats, src->X, src->y, opt->weights, test, n_test, src->mu,
                                    src->w, src->mu_y, err);
    if (st != RP_OK) return st;
    rp_stats_subtract(sc->stats, src->total, sc->stats);
  } else {
    rp_stats_copy(sc->stats, src->total);
  }
  int y_constant;
  rp_status st = rp_constant_columns(src->X, src->y, opt->weights, train, n_train, sc->constant,
                                     &y_constant, err);
  if (st != RP_OK) return st;
  return rp_problem_from_stats(sc->stats, src->mu, src->w, src->mu_y, sc->constant, y_constant, opt,
                               pb, err);
}

/* The path of source_problem's problem; its points go to `sink` when given
 * (rp_path_fit_streamed). */
rp_status rp_fit_source_fit(const rp_fit_source *src, rp_fit_scratch *sc, size_t fold,
                            const size_t *train, size_t n_train, const size_t *test, size_t n_test,
                            const rp_fit_options *opt, const rp_point_sink *sink, rp_path **out,
                            rp_error *err) {
  *out = NULL;
  rp_problem *pb = NULL;
  rp_status st = rp_fit_options_check(opt, src->X->p, err);
  if (st == RP_OK) st = source_problem(src, sc, fold, train, n_train, test, n_test, opt, &pb, err);
  if (st == RP_OK) st = rp_path_fit_streamed(pb, opt, sink, out, err);
  rp_problem_free(pb);
  return st;
}

/* The full-data path, with scratch of its own, freed before the folds. */
rp_status rp_fit_source_fit_all(const rp_fit_source *src, const rp_fit_options *opt, rp_path **out,
                                rp_error *err) {
  rp_fit_scratch sc;
  rp_status st = rp_fit_scratch_open(&sc, src, err);
  if (st == RP_OK)
    st = rp_fit_source_fit(src, &sc, 0, NULL, src->X->n, NULL, 0, opt, NULL, out, err);
  rp_fit_scratch_close(&sc);
  return st;
}

void rp_fit_source_order_folds(rp_fit_source *src, const int *fold_ids, size_t K) {
  const rp_csc *S = rp_design_sparse_matrix(src->X);
  if (src->total || !S || src->folds) return;
  rp_error ignored;
  if (rp_memory_check(rp_csc_folds_bytes(S, K), "the folds' copy", &ignored) != RP_OK) return;
  src->folds = malloc(sizeof *src->folds);
  if (src->folds && rp_csc_folds_build(S, fold_ids, K, src->folds, &ignored) != RP_OK)
    free(src->folds), src->folds = NULL;
}

void rp_fit_source_split(const int *fold_ids, size_t n, size_t k, size_t *train, size_t *n_train,
                         size_t *test, size_t *n_test) {
  *n_train = *n_test = 0;
  for (size_t i = 0; i < n; i++) {
    if (fold_ids[i] == (int)k + 1)
      test[(*n_test)++] = i;
    else
      train[(*n_train)++] = i;
  }
}

void rp_fit_source_fold_sums(const double *weights, const size_t *train, size_t n_train,
                             const size_t *test, size_t n_test, double sums[4]) {
  sums[0] = (double)n_test, sums[1] = weights ? 0.0 : (double)n_test;
  sums[2] = (double)n_train, sums[3] = 0.0;
  for (size_t i = 0; weights && i < n_test; i++) sums[1] += weights[test[i]];
  for (size_t i = 0; weights && i < n_train; i++) sums[3] += weights[train[i]];
}

/* The most the folds' statistics may take at once (K x p^2 doubles). */
static const double SPREAD_FOLDS_BYTES = 256.0 * 1024 * 1024;

/* Fold k's sums into the source: its held-out statistics, its training
 * rows' constant columns, its rows and weights (this process's share; the
 * caller adds the others'). */
static rp_status spread_fold(rp_fit_source *src, const int *fold_ids, size_t k, size_t *train,
                             size_t *test, rp_error *err) {
  const rp_design *X = src->X;
  const double *v = src->opt.weights;
  size_t n_train, n_test, p = X->p;
  rp_fit_source_split(fold_ids, X->n, k, train, &n_train, test, &n_test);
  rp_fit_source_fold_sums(v, train, n_train, test, n_test, src->fold_sums + 4 * k);
  rp_status st = rp_stats_alloc(p, &src->held_out[k], err);
  if (st == RP_OK)
    st = rp_stats_compute(src->held_out[k], X, src->y, v, test, n_test, src->mu, src->w, src->mu_y,
                          err);
  int *c = src->fold_constant + k * (p + 1);
  if (st == RP_OK) st = rp_constant_columns(X, src->y, v, train, n_train, c, c + p, err);
  return st;
}

rp_status rp_fit_source_spread_folds(rp_fit_source *src, const int *fold_ids, size_t K,
                                     rp_error *err) {
  const rp_design *X = src->X;
  size_t n = X->n ? X->n : 1, p = X->p;
  if (!X->ops->reduce || !src->total || (double)K * (double)(p * p) * 8.0 > SPREAD_FOLDS_BYTES)
    return RP_OK;
  size_t *train = malloc(n * sizeof *train), *test = malloc(n * sizeof *test);
  src->n_folds = K;
  src->held_out = calloc(K, sizeof *src->held_out);
  src->fold_constant = malloc(K * (p + 1) * sizeof *src->fold_constant);
  src->fold_sums = calloc(4 * K, sizeof *src->fold_sums);
  int ok = train && test && src->held_out && src->fold_constant && src->fold_sums;
  rp_status st = ok ? RP_OK : rp_error_set(err, RP_ENOMEM, "out of memory");
  st = rp_comm_agree(rp_design_comm(X), st, err);
  for (size_t k = 0; st == RP_OK && k < K; k++)
    st = spread_fold(src, fold_ids, k, train, test, err);
  if (st == RP_OK) rp_rows_sum(X, src->fold_sums, 4 * K);
  free(train);
  free(test);
  return st;
}

/* Bytes that one fit takes beyond the source (doubles, so that no product
 * overflows), by route (source_problem; cd.c's alloc_support_solver): its
 * statistics, downdated from the total (covariance); or IRLS's Hessian
 * factor, on a view of every row (fold_weights) or of a sparse X (with its
 * row map); or the columns its view stores, at most p/8 of them (naive),
 * or its rows, copied (gaussian with weights); then the support solver's
 * factor (and, without the Gram matrix, its gathered columns) and
 * O(n + p) vectors. */
double rp_fit_source_bytes(const rp_fit_source *src) {
  double n = src->summed ? 0.0 : (double)src->X->n, p = (double)src->X->p, m = n < p ? n : p,
         d = sizeof(double);
  double vectors = d * (8 * n + 40 * p);
  if (src->total) return vectors + d * p * p + d * m * m;
  int sparse = rp_design_sparse_matrix(src->X) != NULL;
  if (sparse || src->fold_weights) {
    double cap = m < RP_NEWTON_MAX_ACTIVE ? m : RP_NEWTON_MAX_ACTIVE;
    return vectors + (sparse ? 4.0 * n : 0.0) + d * (cap + 1) * (cap + 1);
  }
  double cap = m < RP_CD_SUPPORT_MAX ? m : RP_CD_SUPPORT_MAX;
  if (cap > floor(p / 8)) cap = floor(p / 8);
  double own = src->all_rows ? d * n * floor(p / 8) : d * n * p;
  return vectors + own + d * cap * (cap + n);
}
