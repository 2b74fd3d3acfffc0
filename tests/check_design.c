/* check_design.c: the public rp_*_design entry points on X stored otherwise
 * (row-major; in two blocks of rows) give the paths, predictions and
 * cross-validations of the dense rp_matrix functions, for gaussian on both
 * routes, with weights and offsets, and binomial; and a storage that holds
 * other values does not.  A sparse matrix (rp_design_csc) copies the same
 * values, and its fits, on uncentred columns, reach the same optima. */
#include <check.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "regpath.h"
#include "testutil.h"

/* What "the same" means here (the library only copies values out of a
 * storage, so the numbers are in fact bit-identical). */
static const double SAME = 1e-12;

/* ---------------------------------------------------- test-only storages */

/* The n x p values either row-major (x_ij = v[i p + j]) or as two
 * column-major blocks of rows, [0, split) and [split, n). */
typedef struct {
  double *v;      /* row-major, or the top block (split x p) */
  double *bottom; /* the bottom block ((n - split) x p), or NULL */
  size_t split;
} store;

static const store *store_of(const rp_design *X) { return X->impl; }

static double store_value(const rp_design *X, size_t i, size_t j) {
  const store *s = store_of(X);
  if (!s->bottom) return s->v[i * X->p + j];
  if (i < s->split) return s->v[j * s->split + i];
  return s->bottom[j * (X->n - s->split) + (i - s->split)];
}

static void store_column(const rp_design *X, size_t j, const size_t *rows, size_t n_rows,
                         double *out) {
  for (size_t i = 0; i < n_rows; i++) out[i] = store_value(X, rows ? rows[i] : i, j);
}

static void store_rows(const rp_design *X, size_t first, size_t count, double *out) {
  for (size_t j = 0; j < X->p; j++)
    for (size_t i = 0; i < count; i++) out[j * count + i] = store_value(X, first + i, j);
}

static void store_free(rp_design *X) {
  store *s = X->impl;
  free(s->v);
  free(s->bottom);
  free(s);
}

static const rp_design_ops store_ops = {
    .free = store_free, .column = store_column, .rows = store_rows};

/* X (column-major n x p) stored row-major (split 0) or in two blocks. */
static rp_design *store_new(const double *X, size_t n, size_t p, size_t split) {
  rp_design *D = malloc(sizeof *D);
  store *s = calloc(1, sizeof *s);
  ck_assert(D && s);
  s->split = split;
  s->v = malloc((split ? split : n) * p * sizeof *s->v);
  if (split) s->bottom = malloc((n - split) * p * sizeof *s->bottom);
  ck_assert(s->v && (!split || s->bottom));
  for (size_t j = 0; j < p; j++)
    for (size_t i = 0; i < n; i++) {
      double x = X[j * n + i];
      if (!split)
        s->v[i * p + j] = x;
      else if (i < split)
        s->v[j * split + i] = x;
      else
        s->bottom[j * (n - split) + i - split] = x;
    }
  *D = (rp_design){n, p, &store_ops, s};
  return D;
}

/* ---------------------------------------------------------------- data */

typedef struct {
  size_t n, p;
  double *X, *y, *w, *o;
  int *folds;
} data;

/* y from 3 true coefficients; columns shifted by `shift` (far from 0: the
 * naive route's shared matrix is then a standardized copy). */
static data make_data(size_t n, size_t p, rp_family family, double shift, unsigned long seed) {
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, seed);
  data d = {n,
            p,
            malloc(n * p * sizeof(double)),
            malloc(n * sizeof(double)),
            malloc(n * sizeof(double)),
            malloc(n * sizeof(double)),
            malloc(n * sizeof(int))};
  for (size_t q = 0; q < n * p; q++) d.X[q] = shift + gsl_ran_gaussian(rng, 1.0);
  for (size_t i = 0; i < n; i++) {
    double eta = 0.0;
    for (size_t j = 0; j < 3; j++) eta += (1.0 - 0.3 * (double)j) * (d.X[j * n + i] - shift);
    double mu = 1.0 / (1.0 + exp(-eta));
    d.y[i] = family == RP_FAMILY_GAUSSIAN ? eta + gsl_ran_gaussian(rng, 0.5)
                                          : (double)(gsl_rng_uniform(rng) < mu);
    d.w[i] = 0.5 + gsl_rng_uniform(rng);
    d.o[i] = 0.2 * gsl_ran_gaussian(rng, 1.0);
  }
  gsl_rng_free(rng);
  rp_error err;
  ck_assert_int_eq(rp_cv_make_folds(n, 5, seed, d.folds, &err), RP_OK);
  return d;
}

static void free_data(data *d) { free(d->X), free(d->y), free(d->w), free(d->o), free(d->folds); }

/* --------------------------------------------------------- comparisons */

/* max_i |a_i - b_i| / max_i |b_i| (the absolute difference when b is 0). */
static double max_rel(const double *a, const double *b, size_t n) {
  double diff = 0.0, size = 0.0;
  for (size_t i = 0; i < n; i++) {
    diff = fmax(diff, fabs(a[i] - b[i]));
    size = fmax(size, fabs(b[i]));
  }
  return size > 0.0 ? diff / size : diff;
}

static double path_diff(const rp_path *a, const rp_path *b) {
  if (a->n_alphas != b->n_alphas || a->p != b->p) return INFINITY;
  size_t K = a->n_alphas;
  double d = max_rel(a->alphas, b->alphas, K);
  d = fmax(d, max_rel(a->intercept, b->intercept, K));
  d = fmax(d, max_rel(a->coef, b->coef, K * a->p));
  return fmax(d, max_rel(a->dev_ratio, b->dev_ratio, K));
}

static double cv_diff(const rp_cv *a, const rp_cv *b) {
  if (a->n_alphas != b->n_alphas || a->index_min != b->index_min || a->index_1se != b->index_1se)
    return INFINITY;
  double d = max_rel(a->mean, b->mean, a->n_alphas);
  d = fmax(d, max_rel(a->std_error, b->std_error, a->n_alphas));
  d = fmax(d, max_rel(&a->alpha_min, &b->alpha_min, 1));
  return fmax(d, max_rel(&a->alpha_1se, &b->alpha_1se, 1));
}

/* The largest difference between the dense functions on d.X and the design
 * ones on D: the path on every row and on a subset, the predictions, the
 * CV along a given grid and the path with its CV. */
static double all_diff(const data *d, const rp_design *D, const rp_fit_options *opt,
                       rp_metric metric) {
  rp_matrix M = {d->n, d->p, d->n, d->X};
  rp_error err;
  rp_path *pa, *pb, *sa, *sb;
  rp_cv *ca, *cb;
  size_t n_sub = d->n / 2, *sub = malloc(n_sub * sizeof *sub);
  for (size_t i = 0; i < n_sub; i++) sub[i] = 2 * i + 1;
  ck_assert_int_eq(rp_path_fit(&M, d->y, NULL, 0, opt, &pa, &err), RP_OK);
  ck_assert_int_eq(rp_path_fit_design(D, d->y, NULL, 0, opt, &pb, &err), RP_OK);
  ck_assert_int_eq(rp_path_fit(&M, d->y, sub, n_sub, opt, &sa, &err), RP_OK);
  ck_assert_int_eq(rp_path_fit_design(D, d->y, sub, n_sub, opt, &sb, &err), RP_OK);
  double diff = fmax(path_diff(pb, pa), path_diff(sb, sa));
  size_t K = pa->n_alphas;
  double *ea = malloc(n_sub * K * sizeof *ea), *eb = malloc(n_sub * K * sizeof *eb);
  ck_assert_int_eq(rp_path_predict_all(pa, &M, sub, n_sub, ea, &err), RP_OK);
  ck_assert_int_eq(rp_path_predict_all_design(pa, D, sub, n_sub, eb, &err), RP_OK);
  diff = fmax(diff, max_rel(eb, ea, n_sub * K));
  ck_assert_int_eq(rp_path_predict_design(pa, K - 1, D, sub, n_sub, eb, &err), RP_OK);
  diff = fmax(diff, max_rel(eb, ea + (K - 1) * n_sub, n_sub));
  ck_assert_int_eq(rp_cv_fit(&M, d->y, opt, pa->alphas, K, d->folds, metric, &ca, &err), RP_OK);
  ck_assert_int_eq(rp_cv_fit_design(D, d->y, opt, pa->alphas, K, d->folds, metric, &cb, &err),
                   RP_OK);
  diff = fmax(diff, cv_diff(cb, ca));
  rp_cv_free(ca), rp_cv_free(cb);
  rp_path_free(sa), rp_path_free(sb);
  ck_assert_int_eq(rp_path_cv_fit(&M, d->y, opt, d->folds, metric, &sa, &ca, &err), RP_OK);
  ck_assert_int_eq(rp_path_cv_fit_design(D, d->y, opt, d->folds, metric, &sb, &cb, &err), RP_OK);
  diff = fmax(diff, fmax(path_diff(sb, sa), cv_diff(cb, ca)));
  rp_cv_free(ca), rp_cv_free(cb);
  rp_path_free(sa), rp_path_free(sb), rp_path_free(pa), rp_path_free(pb);
  free(ea), free(eb), free(sub);
  return diff;
}

/* Both test storages agree with the dense functions on d under opt. */
static void check_storages(const data *d, const rp_fit_options *opt, rp_metric metric) {
  rp_design *rows = store_new(d->X, d->n, d->p, 0), *blocks = store_new(d->X, d->n, d->p, d->n / 3);
  double by_rows = all_diff(d, rows, opt, metric), by_blocks = all_diff(d, blocks, opt, metric);
  ck_assert_msg(by_rows <= SAME, "row-major storage differs by %g", by_rows);
  ck_assert_msg(by_blocks <= SAME, "two-block storage differs by %g", by_blocks);
  rp_design_free(rows);
  rp_design_free(blocks);
}

/* check_storages with d's weights and offsets. */
static void check_observed(const data *d, rp_fit_options opt, rp_metric metric) {
  opt.weights = d->w;
  opt.offset = d->o;
  check_storages(d, &opt, metric);
}

static rp_fit_options options(rp_family family, rp_update update) {
  rp_fit_options opt;
  rp_fit_options_init(&opt);
  opt.family = family;
  opt.update = update;
  opt.n_alphas = 30;
  opt.l1_ratio = 0.7;
  return opt;
}

/* ---------------------------------------------------------------- tests */

START_TEST(gaussian_covariance_route) {
  data d = make_data(150, 12, RP_FAMILY_GAUSSIAN, 0.5, 11);
  rp_fit_options opt = options(RP_FAMILY_GAUSSIAN, RP_UPDATE_COVARIANCE);
  check_storages(&d, &opt, RP_METRIC_MSE);
  free_data(&d);
}
END_TEST

/* Columns nearly centred (the dense matrix is shared by the folds, another
 * storage copied) and far from centred (a standardized copy either way). */
START_TEST(gaussian_naive_route) {
  for (int far = 0; far <= 1; far++) {
    data d = make_data(150, 12, RP_FAMILY_GAUSSIAN, far ? 1e5 : 0.5, 12);
    rp_fit_options opt = options(RP_FAMILY_GAUSSIAN, RP_UPDATE_NAIVE);
    check_storages(&d, &opt, RP_METRIC_MAE);
    free_data(&d);
  }
}
END_TEST

START_TEST(gaussian_weights_and_offset_both_routes) {
  data d = make_data(150, 12, RP_FAMILY_GAUSSIAN, 0.5, 13);
  check_observed(&d, options(RP_FAMILY_GAUSSIAN, RP_UPDATE_COVARIANCE), RP_METRIC_MSE);
  check_observed(&d, options(RP_FAMILY_GAUSSIAN, RP_UPDATE_NAIVE), RP_METRIC_MSE);
  free_data(&d);
}
END_TEST

START_TEST(binomial_with_and_without_weights_and_offset) {
  data d = make_data(160, 8, RP_FAMILY_BINOMIAL, 0.5, 14);
  rp_fit_options opt = options(RP_FAMILY_BINOMIAL, RP_UPDATE_AUTO);
  check_storages(&d, &opt, RP_METRIC_DEVIANCE);
  check_observed(&d, opt, RP_METRIC_AUC);
  free_data(&d);
}
END_TEST

/* The comparison can fail: a storage with two rows of X swapped (y not)
 * gives other paths and another CV. */
START_TEST(a_storage_of_other_values_differs) {
  data d = make_data(150, 12, RP_FAMILY_GAUSSIAN, 0.5, 15);
  double *swapped = malloc(d.n * d.p * sizeof *swapped);
  memcpy(swapped, d.X, d.n * d.p * sizeof *swapped);
  for (size_t j = 0; j < d.p; j++) {
    double t = swapped[j * d.n];
    swapped[j * d.n] = swapped[j * d.n + 1];
    swapped[j * d.n + 1] = t;
  }
  rp_design *wrong = store_new(swapped, d.n, d.p, 0);
  for (int naive = 0; naive <= 1; naive++) {
    rp_fit_options opt =
        options(RP_FAMILY_GAUSSIAN, naive ? RP_UPDATE_NAIVE : RP_UPDATE_COVARIANCE);
    ck_assert(all_diff(&d, wrong, &opt, RP_METRIC_MSE) > 1e3 * SAME);
  }
  rp_design_free(wrong);
  free(swapped);
  free_data(&d);
}
END_TEST

/* A model's predictions through a design: the same for every storage, and
 * the dense matrix's as rp_path_predict gives them for its coefficients. */
START_TEST(model_predictions_through_a_design) {
  data d = make_data(40, 5, RP_FAMILY_GAUSSIAN, 0.5, 16);
  double coef[5] = {0.5, -1.25, 0.0, 2.0, 0.125}, a[40], b[40], c[40];
  rp_model m = {.n_features = 5, .coef = coef, .intercept = 0.75};
  rp_matrix M = {d.n, d.p, d.n, d.X};
  rp_design dense = rp_design_matrix(&M), *blocks = store_new(d.X, d.n, d.p, 17);
  rp_error err;
  ck_assert_int_eq(rp_model_predict_design(&m, &dense, a, &err), RP_OK);
  ck_assert_int_eq(rp_model_predict_design(&m, blocks, b, &err), RP_OK);
  rp_path path = {.n_alphas = 1, .p = 5, .coef = coef, .intercept = &m.intercept};
  rp_path_predict(&path, 0, &M, NULL, d.n, c);
  ck_assert(max_rel(b, a, d.n) <= SAME && max_rel(c, a, d.n) <= SAME);
  rp_model short_model = m;
  short_model.n_features = 4;
  ck_assert_int_eq(rp_model_predict_design(&short_model, blocks, b, &err), RP_EINVAL);
  rp_design_free(blocks);
  free_data(&d);
}
END_TEST

/* ------------------------------------------------------ sparse columns */

/* d.X with most entries 0 (|x| < 0.8 dropped), column 0 one-hot-like (1 on
 * about 30% of rows), column 1 all 0 and column 2 nonzero on one row (both
 * constant on most row sets), as compressed columns in `csc`. */
typedef struct {
  size_t *col_start;
  uint32_t *row_index;
  double *values;
  rp_csc M;
} sparse;

static sparse make_sparse(data *d) {
  size_t n = d->n, p = d->p, nnz = 0;
  for (size_t i = 0; i < n; i++) {
    d->X[i] = (double)((i * 7919) % 10 < 3);
    d->X[n + i] = 0.0;
    d->X[2 * n + i] = i == n / 2 ? 2.5 : 0.0;
  }
  for (size_t q = 3 * n; q < n * p; q++)
    if (fabs(d->X[q]) < 0.8) d->X[q] = 0.0;
  sparse s = {malloc((p + 1) * sizeof(size_t)),
              malloc(n * p * sizeof(uint32_t)),
              malloc(n * p * sizeof(double)),
              {0}};
  s.col_start[0] = 0;
  for (size_t j = 0; j < p; j++) {
    for (size_t i = 0; i < n; i++)
      if (d->X[j * n + i] != 0.0) s.row_index[nnz] = (uint32_t)i, s.values[nnz++] = d->X[j * n + i];
    s.col_start[j + 1] = nnz;
  }
  s.M = (rp_csc){n, p, s.col_start, s.row_index, s.values};
  return s;
}

static void free_sparse(sparse *s) { free(s->col_start), free(s->row_index), free(s->values); }

/* The raw operations copy the stored values and the zeros around them:
 * every column at all rows and at rows out of order, and row blocks. */
START_TEST(sparse_columns_and_rows_are_the_dense_values) {
  data d = make_data(60, 7, RP_FAMILY_GAUSSIAN, 0.0, 21);
  sparse s = make_sparse(&d);
  rp_design D = rp_design_csc(&s.M);
  rp_error err;
  ck_assert_int_eq(rp_csc_check(&s.M, &err), RP_OK);
  ck_assert(rp_design_sparse_matrix(&D) == &s.M);
  size_t rows[5] = {59, 3, 30, 0, 31};
  double col[60], block[20 * 7];
  for (size_t j = 0; j < d.p; j++) {
    rp_design_column(&D, j, NULL, d.n, col);
    ck_assert_mem_eq(col, d.X + j * d.n, d.n * sizeof *col);
    rp_design_column(&D, j, rows, 5, col);
    for (size_t i = 0; i < 5; i++) ck_assert_double_eq(col[i], d.X[j * d.n + rows[i]]);
  }
  rp_design_rows(&D, 25, 20, block);
  for (size_t j = 0; j < d.p; j++)
    for (size_t i = 0; i < 20; i++) ck_assert_double_eq(block[j * 20 + i], d.X[j * d.n + 25 + i]);
  free_sparse(&s);
  free_data(&d);
}
END_TEST

/* rp_csc_check names each way a matrix can be malformed. */
START_TEST(malformed_sparse_matrices_are_named) {
  size_t start[3] = {0, 2, 3};
  uint32_t row[3] = {0, 1, 1};
  double value[3] = {1.0, 2.0, 3.0};
  rp_csc M = {2, 2, start, row, value};
  rp_error err;
  ck_assert_int_eq(rp_csc_check(&M, &err), RP_OK);
  row[1] = 0; /* repeated row */
  ck_assert_int_eq(rp_csc_check(&M, &err), RP_EINVAL);
  ck_assert_ptr_nonnull(strstr(err.message, "strictly increasing"));
  row[1] = 2; /* past the rows */
  ck_assert_int_eq(rp_csc_check(&M, &err), RP_EINVAL);
  ck_assert_ptr_nonnull(strstr(err.message, "past the 2 rows"));
  row[1] = 1, value[2] = NAN;
  ck_assert_int_eq(rp_csc_check(&M, &err), RP_EINVAL);
  ck_assert_ptr_nonnull(strstr(err.message, "not finite"));
  value[2] = 3.0, start[1] = 4; /* past column 2's start */
  ck_assert_int_eq(rp_csc_check(&M, &err), RP_EINVAL);
  ck_assert_ptr_nonnull(strstr(err.message, "decreases"));
}
END_TEST

/* A sparse X's fits keep its columns uncentred and run on IRLS (the
 * gaussian's too), so they reach the dense fits' optimum another way:
 * with tol 1e-14 every path, prediction and CV (the same lambda.min and
 * lambda.1se) agrees to SPARSE_SAME, and each point carries its gap. */
static const double SPARSE_SAME = 1e-7;

static void check_sparse(data *d, rp_fit_options opt, rp_metric metric) {
  sparse s = make_sparse(d);
  rp_design D = rp_design_csc(&s.M);
  opt.tol = 1e-14;
  double diff = all_diff(d, &D, &opt, metric);
  ck_assert_msg(diff <= SPARSE_SAME, "sparse storage differs by %g", diff);
  rp_error err;
  rp_path *path;
  ck_assert_int_eq(rp_path_fit_design(&D, d->y, NULL, 0, &opt, &path, &err), RP_OK);
  for (size_t k = 0; k < path->n_alphas; k++)
    ck_assert(path->converged[k] && path->dual_gap[k] <= 1e-6 * path->null_objective);
  ck_assert(path->constant[1] && path->coef[(path->n_alphas - 1) * d->p + 1] == 0.0);
  rp_path_free(path);
  free_sparse(&s);
}

START_TEST(sparse_gaussian_matches_dense_on_both_routes) {
  data d = make_data(150, 12, RP_FAMILY_GAUSSIAN, 0.0, 22);
  check_sparse(&d, options(RP_FAMILY_GAUSSIAN, RP_UPDATE_AUTO), RP_METRIC_MSE);
  check_sparse(&d, options(RP_FAMILY_GAUSSIAN, RP_UPDATE_NAIVE), RP_METRIC_MAE);
  rp_fit_options opt = options(RP_FAMILY_GAUSSIAN, RP_UPDATE_NAIVE);
  opt.weights = d.w;
  opt.offset = d.o;
  check_sparse(&d, opt, RP_METRIC_MSE);
  free_data(&d);
}
END_TEST

START_TEST(sparse_binomial_and_poisson_match_dense) {
  data d = make_data(160, 8, RP_FAMILY_BINOMIAL, 0.0, 23);
  rp_fit_options opt = options(RP_FAMILY_BINOMIAL, RP_UPDATE_AUTO);
  check_sparse(&d, opt, RP_METRIC_DEVIANCE);
  opt.weights = d.w;
  opt.offset = d.o;
  check_sparse(&d, opt, RP_METRIC_AUC);
  for (size_t i = 0; i < d.n; i++) d.y[i] = floor(3.0 * d.w[i] + d.y[i]); /* counts */
  check_sparse(&d, options(RP_FAMILY_POISSON, RP_UPDATE_AUTO), RP_METRIC_DEVIANCE);
  free_data(&d);
}
END_TEST

/* A row map holds one place per row: a row listed twice is refused. */
START_TEST(sparse_rows_listed_twice_are_refused) {
  data d = make_data(40, 5, RP_FAMILY_BINOMIAL, 0.0, 24);
  sparse s = make_sparse(&d);
  rp_design D = rp_design_csc(&s.M);
  size_t rows[6] = {0, 1, 2, 3, 4, 2};
  rp_fit_options opt = options(RP_FAMILY_BINOMIAL, RP_UPDATE_AUTO);
  rp_path *path;
  rp_error err;
  ck_assert_int_eq(rp_path_fit_design(&D, d.y, rows, 6, &opt, &path, &err), RP_EINVAL);
  ck_assert_ptr_nonnull(strstr(err.message, "row 3 is listed twice"));
  free_sparse(&s);
  free_data(&d);
}
END_TEST

int main(void) {
  Suite *s = suite_create("design");
  TCase *tc = tcase_create("storages");
  tcase_add_test(tc, gaussian_covariance_route);
  tcase_add_test(tc, gaussian_naive_route);
  tcase_add_test(tc, gaussian_weights_and_offset_both_routes);
  tcase_add_test(tc, binomial_with_and_without_weights_and_offset);
  tcase_add_test(tc, a_storage_of_other_values_differs);
  tcase_add_test(tc, model_predictions_through_a_design);
  tcase_add_test(tc, sparse_columns_and_rows_are_the_dense_values);
  tcase_add_test(tc, malformed_sparse_matrices_are_named);
  tcase_add_test(tc, sparse_gaussian_matches_dense_on_both_routes);
  tcase_add_test(tc, sparse_binomial_and_poisson_match_dense);
  tcase_add_test(tc, sparse_rows_listed_twice_are_refused);
  suite_add_tcase(s, tc);
  return tu_run(s);
}
