/* check_cv.c: folds, cv.glmnet's statistics and choice, and the selection
 * rule across several l1_ratios, against oracles computed here. */
#include "build-config.h" /* HAVE_OPENBLAS */

#include <check.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regpath.h"
#include "testutil.h"

#ifdef _OPENMP
#include <omp.h>
#endif
#ifdef HAVE_OPENBLAS
void openblas_set_num_threads(int n); /* OpenBLAS's own API (its cblas.h clashes with GSL's) */
#endif

START_TEST(folds_are_balanced_and_reproducible) {
  size_t n = 103, K = 10;
  int a[103], b[103], c[103];
  rp_error err;
  ck_assert_int_eq(rp_cv_make_folds(n, K, 7, a, &err), RP_OK);
  ck_assert_int_eq(rp_cv_make_folds(n, K, 7, b, &err), RP_OK);
  ck_assert_int_eq(rp_cv_make_folds(n, K, 8, c, &err), RP_OK);
  ck_assert_mem_eq(a, b, sizeof a);
  ck_assert(memcmp(a, c, sizeof a) != 0);
  size_t count[11] = {0};
  for (size_t i = 0; i < n; i++) {
    ck_assert(a[i] >= 1 && a[i] <= (int)K);
    count[a[i]]++;
  }
  for (size_t k = 1; k <= K; k++) ck_assert(count[k] == 10 || count[k] == 11);
  size_t folds;
  ck_assert_int_eq(rp_cv_check_folds(a, n, &folds, &err), RP_OK);
  ck_assert_uint_eq(folds, K);
}
END_TEST

START_TEST(too_many_folds_is_an_error) {
  int ids[3];
  rp_error err;
  ck_assert_int_eq(rp_cv_make_folds(3, 4, 1, ids, &err), RP_EINVAL);
  ck_assert_int_eq(rp_cv_make_folds(3, 1, 1, ids, &err), RP_EINVAL);
}
END_TEST

START_TEST(bad_fold_ids_are_named) {
  int zero[] = {1, 0, 2}, gap[] = {1, 3, 1, 3}, one[] = {1, 1};
  size_t K;
  rp_error err;
  ck_assert_int_eq(rp_cv_check_folds(zero, 3, &K, &err), RP_EINVAL);
  ck_assert_ptr_nonnull(strstr(err.message, "row 2"));
  ck_assert_int_eq(rp_cv_check_folds(gap, 4, &K, &err), RP_EINVAL);
  ck_assert_ptr_nonnull(strstr(err.message, "fold 2 of 3 is empty"));
  ck_assert_int_eq(rp_cv_check_folds(one, 2, &K, &err), RP_EINVAL);
}
END_TEST

/* cv.glmnet: lambda.min = the largest alpha (first index) with the smallest
 * mean; lambda.1se = the largest alpha with mean <= mean[min] + se[min]. */
START_TEST(choice_follows_cv_glmnet) {
  struct {
    double mean[5], se[5];
    size_t imin, i1se;
  } rows[] = {
      {{5, 4, 3, 3.5, 3}, {1, 1, 1, 1, 1}, 2, 1},         /* tie at the minimum: the first */
      {{5, 4, 3, 2, 1}, {0.1, 0.1, 0.1, 0.1, 0.1}, 4, 4}, /* se too small to move       */
      {{2, 2, 2, 2, 2}, {0, 0, 0, 0, 0}, 0, 0},           /* flat curve                    */
      {{3.9, 9, 3, 8, 7}, {1, 1, 1, 1, 1}, 2, 0},         /* first within the bound wins   */
      {{9, 8, 7, 6, 6.5}, {0, 0, 0, 1.5, 0}, 3, 2},       /* the se at the minimum counts  */
      {{9, 8, 7, 7.5, 7}, {0, 0, 0, 0, 5}, 2, 2},         /* not the se elsewhere          */
  };
  for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
    size_t imin, i1se;
    rp_cv_choose(rows[r].mean, rows[r].se, 5, 0, &imin, &i1se);
    ck_assert_msg(imin == rows[r].imin && i1se == rows[r].i1se, "row %zu: %zu %zu", r, imin, i1se);
  }
}
END_TEST

/* CV of ridge, checked end to end against per-fold closed-form fits:
 * err_k, cvm = sum N_k err_k / N, cvsd = sqrt(sum N_k (err_k - cvm)^2 / N / (K-1)). */
static void check_ridge_cv(rp_metric metric) {
  size_t n = 37, p = 4, K = 4;
  double *X = malloc(n * p * sizeof *X), *y = malloc(n * sizeof *y);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 3);
  for (size_t i = 0; i < n; i++) {
    y[i] = 1.0;
    for (size_t j = 0; j < p; j++) {
      X[j * n + i] = gsl_ran_gaussian(r, 1.0 + (double)j);
      y[i] += (double)(j + 1) * 0.3 * X[j * n + i];
    }
    y[i] += gsl_ran_gaussian(r, 1.0);
  }
  int folds[37];
  rp_error err;
  ck_assert_int_eq(rp_cv_make_folds(n, K, 5, folds, &err), RP_OK);
  double alphas[] = {3.0, 0.3, 0.03};
  rp_fit_options opt;
  rp_fit_options_init(&opt);
  opt.l1_ratio = 0.0;
  opt.tol = 1e-20;
  rp_matrix M = {n, p, n, X};
  rp_cv *cv;
  ck_assert_int_eq(rp_cv_fit(&M, y, &opt, alphas, 3, folds, metric, &cv, &err), RP_OK);
  size_t train[37], n_train;
  double coef[4], b0, fold_err[4][3];
  size_t size[4] = {0};
  for (size_t k = 0; k < K; k++)
    for (size_t a = 0; a < 3; a++) {
      n_train = 0;
      for (size_t i = 0; i < n; i++)
        if (folds[i] != (int)k + 1) train[n_train++] = i;
      tu_ridge(X, y, n, p, train, n_train, 1, 1, alphas[a], coef, &b0, NULL);
      double sum = 0.0;
      size[k] = n - n_train;
      for (size_t i = 0; i < n; i++) {
        if (folds[i] != (int)k + 1) continue;
        double e = y[i] - b0;
        for (size_t j = 0; j < p; j++) e -= coef[j] * X[j * n + i];
        sum += metric == RP_METRIC_MAE ? fabs(e) : e * e;
      }
      fold_err[k][a] = sum / (double)size[k];
      ck_assert_msg(tu_relerr(cv->fold_error[k * 3 + a], fold_err[k][a], 1e-12) < 1e-9,
                    "fold %zu alpha %zu", k, a);
    }
  for (size_t a = 0; a < 3; a++) {
    double m = 0.0, v = 0.0;
    for (size_t k = 0; k < K; k++) m += (double)size[k] * fold_err[k][a] / (double)n;
    for (size_t k = 0; k < K; k++) v += (double)size[k] * pow(fold_err[k][a] - m, 2);
    ck_assert(tu_relerr(cv->mean[a], m, 1e-12) < 1e-9);
    ck_assert(tu_relerr(cv->std_error[a], sqrt(v / (double)n / (double)(K - 1)), 1e-12) < 1e-8);
  }
  ck_assert_double_eq(cv->alpha_min, alphas[cv->index_min]);
  ck_assert_double_eq(cv->alpha_1se, alphas[cv->index_1se]);
  rp_cv_free(cv);
  gsl_rng_free(r);
  free(X);
  free(y);
}

/* glmnet's lambda.interp, written as R writes it: s's place along the
 * grid lam (L points, decreasing) as a fraction sf of lam[0] - lam[L-1]
 * (clamped to [0, 1]), its coordinate among the points' own fractions,
 * left = floor and right = ceiling of it, and the weight f of the left
 * point: the coefficients at s are f b_left + (1 - f) b_right. */
static void lambda_interp(const double *lam, size_t L, double s, size_t *left, size_t *right,
                          double *f) {
  *left = *right = 0;
  *f = 1.0;
  if (L == 1) return;
  double span = lam[0] - lam[L - 1], sf = fmin(fmax((lam[0] - s) / span, 0.0), 1.0);
  size_t i = 0;
  while (i + 2 < L && (lam[0] - lam[i + 1]) / span < sf) i++;
  double lo = (lam[0] - lam[i]) / span, hi = (lam[0] - lam[i + 1]) / span;
  double coord = (double)i + (sf - lo) / (hi - lo);
  *left = (size_t)floor(coord);
  *right = (size_t)ceil(coord);
  if (*left != *right)
    *f = (sf - (lam[0] - lam[*right]) / span) /
         ((lam[0] - lam[*left]) / span - (lam[0] - lam[*right]) / span);
}

/* cv.fold_grid "own" against each fold's path fitted here on its own
 * (rp_path_fit on its training rows: its own grid and early stop), scored
 * at the CV's alphas through lambda_interp: the same per-fold errors.  The
 * data are nearly noiseless, so the folds' paths stop early at different
 * points and CV alphas below a fold's last point are scored there. */
START_TEST(own_fold_grids_interpolate_each_folds_own_path) {
  enum { N = 60, P = 8, K = 5 };
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 11);
  double X[N * P], y[N];
  for (size_t q = 0; q < N * P; q++) X[q] = gsl_ran_gaussian(r, 1.0);
  for (size_t i = 0; i < N; i++)
    y[i] = 2.0 * X[i] - 1.5 * X[N + i] + X[3 * N + i] + 0.02 * gsl_ran_gaussian(r, 1.0);
  gsl_rng_free(r);
  int folds[N];
  rp_error err;
  ck_assert_int_eq(rp_cv_make_folds(N, K, 3, folds, &err), RP_OK);
  rp_matrix M = {N, P, N, X};
  rp_fit_options opt;
  rp_fit_options_init(&opt);
  opt.l1_ratio = 0.8;
  opt.fold_grid = RP_FOLD_GRID_OWN;
  rp_path *full;
  rp_cv *cv;
  ck_assert_int_eq(rp_path_cv_fit(&M, y, &opt, folds, RP_METRIC_MSE, &full, &cv, &err), RP_OK);
  size_t A = cv->n_alphas, clamped = 0;
  for (size_t k = 0; k < K; k++) {
    size_t train[N], n_train = 0;
    for (size_t i = 0; i < N; i++)
      if (folds[i] != (int)k + 1) train[n_train++] = i;
    rp_path *fp;
    ck_assert_int_eq(rp_path_fit(&M, y, train, n_train, &opt, &fp, &err), RP_OK);
    size_t L = fp->n_alphas;
    for (size_t a = 0; a < A; a++) {
      size_t left, right;
      double f, sum = 0.0;
      lambda_interp(fp->alphas, L, cv->alphas[a], &left, &right, &f);
      clamped += cv->alphas[a] < fp->alphas[L - 1];
      for (size_t i = 0; i < N; i++) {
        if (folds[i] != (int)k + 1) continue;
        double eta = f * fp->intercept[left] + (1.0 - f) * fp->intercept[right];
        for (size_t j = 0; j < P; j++)
          eta += (f * fp->coef[left * P + j] + (1.0 - f) * fp->coef[right * P + j]) * X[j * N + i];
        sum += (y[i] - eta) * (y[i] - eta);
      }
      double want = sum / (double)(N - n_train);
      ck_assert_msg(tu_relerr(cv->fold_error[k * A + a], want, 1e-12) < 1e-10,
                    "fold %zu alpha %zu: %.17g against %.17g", k, a, cv->fold_error[k * A + a],
                    want);
    }
    rp_path_free(fp);
  }
  ck_assert_msg(clamped > 0, "no CV alpha fell below a fold's last point");
  rp_cv_free(cv);
  rp_path_free(full);
}
END_TEST

START_TEST(ridge_cv_mse_equals_per_fold_closed_form) { check_ridge_cv(RP_METRIC_MSE); }
END_TEST
START_TEST(ridge_cv_mae_equals_per_fold_closed_form) { check_ridge_cv(RP_METRIC_MAE); }
END_TEST

/* ------------------------------------------------ selection across fits */

/* A fake fit: its l1_ratio, alphas, nonzeros and CV curve (4 points, in
 * static arrays the fake borrows). */
typedef struct {
  rp_path path;
  rp_cv cv;
} fake_fit;

static void fake(fake_fit *f, double l1, double *alphas, size_t *df, double *mean, double *se) {
  memset(f, 0, sizeof *f);
  f->path.l1_ratio = l1;
  f->path.n_alphas = f->cv.n_alphas = 4;
  f->path.alphas = f->cv.alphas = alphas;
  f->path.df = df;
  f->cv.mean = mean;
  f->cv.std_error = se;
  rp_cv_choose(mean, se, 4, 0, &f->cv.index_min, &f->cv.index_1se);
}

static void select_from(fake_fit *fits, size_t n, rp_rule rule, size_t *fit, size_t *index) {
  const rp_path *paths[4];
  const rp_cv *cvs[4];
  for (size_t f = 0; f < n; f++) paths[f] = &fits[f].path, cvs[f] = &fits[f].cv;
  rp_run_select(paths, cvs, n, rule, fit, index);
}

static double A1[] = {8, 4, 2, 1}, A2[] = {16, 8, 4, 2};
static double SE[] = {1, 1, 1, 1};

START_TEST(min_rule_picks_smallest_mean_across_fits) {
  static size_t df[] = {0, 2, 4, 6};
  static double m1[] = {10, 7, 5, 6}, m2[] = {10, 8, 4.5, 4.8};
  fake_fit fits[2];
  fake(&fits[0], 1.0, A1, df, m1, SE);
  fake(&fits[1], 0.0, A2, df, m2, SE);
  size_t f, k;
  select_from(fits, 2, RP_RULE_MIN, &f, &k);
  ck_assert(f == 1 && k == 2);
}
END_TEST

START_TEST(min_rule_tie_goes_to_the_earlier_fit) {
  static size_t df[] = {0, 2, 4, 6};
  static double m[] = {10, 7, 5, 6};
  fake_fit fits[2];
  fake(&fits[0], 1.0, A1, df, m, SE);
  fake(&fits[1], 0.5, A2, df, m, SE);
  size_t f, k;
  select_from(fits, 2, RP_RULE_MIN, &f, &k);
  ck_assert(f == 0 && k == 2);
}
END_TEST

START_TEST(one_se_rule_with_one_fit_is_cv_glmnets) {
  static size_t df[] = {0, 3, 1, 6}; /* non-monotone df must not matter */
  static double m[] = {10, 5.5, 5.2, 5};
  fake_fit fits[1];
  fake(&fits[0], 1.0, A1, df, m, SE);
  size_t f, k;
  select_from(fits, 1, RP_RULE_1SE, &f, &k);
  ck_assert(f == 0 && k == 1);
}
END_TEST

START_TEST(one_se_rule_prefers_the_sparsest_within_one_se) {
  static size_t df_lasso[] = {0, 2, 5, 8}, df_ridge[] = {10, 10, 10, 10};
  static double lasso[] = {12, 5.8, 5.2, 5.1}, ridge[] = {9, 6, 5.0, 5.3};
  fake_fit fits[2];
  fake(&fits[0], 1.0, A1, df_lasso, lasso, SE);
  fake(&fits[1], 0.0, A2, df_ridge, ridge, SE);
  size_t f, k;
  select_from(fits, 2, RP_RULE_1SE, &f, &k); /* bound 6.0: lasso at index 1 has 2 nonzeros */
  ck_assert(f == 0 && k == 1);
}
END_TEST

START_TEST(one_se_rule_ties_go_to_larger_alpha_then_larger_l1_ratio) {
  static size_t df_a[] = {0, 3, 3, 3}, df_b[] = {0, 3, 3, 3};
  static double a[] = {12, 5.5, 5.0, 5.4}, b[] = {12, 5.5, 5.2, 5.4};
  static double same[] = {8, 4, 2, 1};
  fake_fit fits[2];
  /* equal df within the bound: larger alpha wins, across fits */
  fake(&fits[0], 0.5, A1, df_a, a, SE);
  fake(&fits[1], 1.0, A2, df_b, b, SE);
  size_t f, k;
  select_from(fits, 2, RP_RULE_1SE, &f, &k);
  ck_assert(f == 1 && k == 1); /* alpha 8 beats alpha 4 */
  /* equal df and alpha: the larger l1_ratio */
  fake(&fits[1], 1.0, same, df_b, b, SE);
  select_from(fits, 2, RP_RULE_1SE, &f, &k);
  ck_assert(f == 1 && k == 1);
  fake(&fits[1], 0.25, same, df_b, b, SE);
  select_from(fits, 2, RP_RULE_1SE, &f, &k);
  ck_assert(f == 0 && k == 1);
}
END_TEST

/* Rows of a regression with large column means (so that centring matters),
 * a constant column 4, and every third column in the signal. */
static void make_shifted_regression(size_t n, size_t p, unsigned long seed, double *X, double *y) {
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, seed);
  for (size_t i = 0; i < n; i++) {
    y[i] = 50.0;
    for (size_t j = 0; j < p; j++) {
      X[j * n + i] = 100.0 * (double)j + gsl_ran_gaussian(r, 1.0 + (double)j);
      y[i] += (j % 3 == 0 ? 0.7 : 0.0) * X[j * n + i];
    }
    y[i] += gsl_ran_gaussian(r, 2.0);
  }
  for (size_t i = 0; i < n; i++) X[4 * n + i] = 7.5;
  gsl_rng_free(r);
}

/* Two CVs of the same data agree to `tol`: the full-data paths (relative to
 * the largest coefficient), every fold's held-out error at every alpha (fold
 * k's error is its own path's prediction, so equal errors mean equal
 * per-fold paths on the held-out rows), the curve, its standard errors, the
 * choice, and how many folds select each feature at each alpha. */
static void assert_same_cv(const rp_path *pa, const rp_cv *ca, const rp_path *pb, const rp_cv *cb,
                           double tol, const char *what) {
  size_t p = pa->p;
  ck_assert_uint_eq(pa->n_alphas, pb->n_alphas);
  double scale = 0.0;
  for (size_t q = 0; q < pb->n_alphas * p; q++) scale = fmax(scale, fabs(pb->coef[q]));
  for (size_t q = 0; q < pb->n_alphas * p; q++)
    ck_assert_msg(fabs(pa->coef[q] - pb->coef[q]) <= tol * scale, "%s: coef %zu: %.15g vs %.15g",
                  what, q, pa->coef[q], pb->coef[q]);
  ck_assert_uint_eq(ca->n_folds, cb->n_folds);
  for (size_t q = 0; q < cb->n_folds * cb->n_alphas; q++)
    ck_assert_msg(tu_relerr(ca->fold_error[q], cb->fold_error[q], 1e-300) < tol,
                  "%s: fold %zu alpha %zu: %.15g vs %.15g", what, q / cb->n_alphas,
                  q % cb->n_alphas, ca->fold_error[q], cb->fold_error[q]);
  for (size_t a = 0; a < cb->n_alphas; a++) {
    ck_assert_msg(tu_relerr(ca->mean[a], cb->mean[a], 1e-300) < tol, "%s: mean %zu", what, a);
    ck_assert_msg(tu_relerr(ca->std_error[a], cb->std_error[a], 1e-300) < tol, "%s: se %zu", what,
                  a);
  }
  ck_assert_mem_eq(ca->fold_size, cb->fold_size, cb->n_folds * sizeof *cb->fold_size);
  ck_assert_mem_eq(ca->fold_nonzero, cb->fold_nonzero, cb->n_alphas * p * sizeof *cb->fold_nonzero);
  ck_assert_uint_eq(ca->index_min, cb->index_min);
  ck_assert_uint_eq(ca->index_1se, cb->index_1se);
}

/* 30 alphas down to min_ratio, converged to tol and to a gap of 1e-14. */
static rp_fit_options tight_options(double l1_ratio, double tol, double min_ratio) {
  rp_fit_options opt;
  rp_fit_options_init(&opt);
  opt.l1_ratio = l1_ratio;
  opt.tol = tol;
  opt.gap_tol = 1e-14;
  opt.n_alphas = 30;
  opt.alpha_min_ratio = min_ratio;
  return opt;
}

/* The covariance route (statistics of all rows minus the held-out block, the
 * Gram matrix centred and scaled algebraically) against the naive route
 * (each fold's columns gathered and standardized): the same CV to 1e-10, on a
 * tall design (where the shape would choose the Gram route) and on a wide one
 * (where it would choose the naive route; there the coefficients of a path
 * reaching 30 nonzeros from 40 rows are poorly determined by the objective,
 * so both routes must converge further, tol 1e-26, to agree to 1e-10);
 * opt.update forces each route in
 * both rp_path_cv_fit's shared statistics and its per-fold fits. */
static void check_gram_cv_equals_naive_cv(size_t n, size_t p, unsigned long seed, double min_ratio,
                                          double tol) {
  double *X = malloc(n * p * sizeof *X), *y = malloc(n * sizeof *y);
  int *folds = malloc(n * sizeof *folds);
  make_shifted_regression(n, p, seed, X, y);
  rp_error err;
  ck_assert_int_eq(rp_cv_make_folds(n, 5, 3, folds, &err), RP_OK);
  double l1s[] = {1.0, 0.5, 0.0};
  for (size_t c = 0; c < 3; c++) {
    rp_fit_options opt = tight_options(l1s[c], tol, min_ratio);
    rp_matrix M = {n, p, n, X};
    rp_path *pg, *pn;
    rp_cv *cg, *cn;
    opt.update = RP_UPDATE_COVARIANCE;
    ck_assert_msg(rp_path_cv_fit(&M, y, &opt, folds, RP_METRIC_MSE, &pg, &cg, &err) == RP_OK, "%s",
                  err.message);
    opt.update = RP_UPDATE_NAIVE;
    ck_assert_msg(rp_path_cv_fit(&M, y, &opt, folds, RP_METRIC_MSE, &pn, &cn, &err) == RP_OK, "%s",
                  err.message);
    char what[64];
    snprintf(what, sizeof what, "%zu x %zu, l1_ratio %g", n, p, l1s[c]);
    assert_same_cv(pg, cg, pn, cn, 1e-10, what);
    rp_path_free(pg);
    rp_path_free(pn);
    rp_cv_free(cg);
    rp_cv_free(cn);
  }
  free(X);
  free(y);
  free(folds);
}

START_TEST(gram_cv_equals_per_fold_naive_cv) {
  check_gram_cv_equals_naive_cv(120, 15, 11, 0.0, 1e-20);
}
END_TEST
START_TEST(gram_cv_equals_per_fold_naive_cv_wide) {
  check_gram_cv_equals_naive_cv(40, 60, 12, 0.05, 1e-26);
}
END_TEST

/* The mean squared error on the rows of fold k of the path at point a. */
static double held_out_mse(const rp_path *path, size_t a, const double *X, const double *y,
                           size_t n, const int *folds, int k) {
  double sum = 0.0;
  size_t count = 0;
  for (size_t i = 0; i < n; i++) {
    if (folds[i] != k) continue;
    double e = y[i] - path->intercept[a];
    for (size_t j = 0; j < path->p; j++) e -= path->coef[a * path->p + j] * X[j * n + i];
    sum += e * e;
    count++;
  }
  return sum / (double)count;
}

/* The naive route of the CV fits every fold on a view of one shared matrix
 * (no copy per fold): X itself, its column means being at most about 33
 * largest deviations here, or with `offset` added to column 7 (10^5, about
 * 4,000 deviations) a centred copy; against plain per-fold fits by
 * rp_path_fit (each gathering and standardizing its rows) on the same grid:
 * the same full path and held-out errors to 1e-10, and the same nonzeros
 * (the CV scores each fold point by point as its path is solved, keeping
 * no coefficient matrix).  Column 5 is constant on
 * the training rows of fold 1 only; with and without intercept and
 * standardization.  Where the coefficients are poorly determined (the wide
 * case; no intercept with column means of 100 j) both must converge further
 * to agree to 1e-10: the differences at tol 1e-20 there are the solvers'
 * stopping points, not the view's rounding. */
static void check_naive_cv_equals_per_fold_fits(size_t n, size_t p, double min_ratio, double tol,
                                                int intercept, int standardize, double offset) {
  double *X = malloc(n * p * sizeof *X), *y = malloc(n * sizeof *y);
  int *folds = malloc(n * sizeof *folds);
  size_t *train = malloc(n * sizeof *train);
  make_shifted_regression(n, p, 13, X, y);
  rp_error err;
  ck_assert_int_eq(rp_cv_make_folds(n, 5, 3, folds, &err), RP_OK);
  for (size_t i = 0; i < n; i++)
    if (folds[i] != 1) X[5 * n + i] = 503.25;
  for (size_t i = 0; i < n; i++) X[7 * n + i] += offset;
  double l1s[] = {1.0, 0.5, 0.0};
  for (size_t c = 0; c < 3; c++) {
    rp_fit_options opt = tight_options(l1s[c], tol, min_ratio);
    opt.fit_intercept = intercept;
    opt.standardize = standardize;
    opt.update = RP_UPDATE_NAIVE;
    rp_matrix M = {n, p, n, X};
    rp_path *path, *plain;
    rp_cv *cv;
    ck_assert_msg(rp_path_cv_fit(&M, y, &opt, folds, RP_METRIC_MSE, &path, &cv, &err) == RP_OK,
                  "%s", err.message);
    ck_assert_msg(rp_path_fit(&M, y, NULL, 0, &opt, &plain, &err) == RP_OK, "%s", err.message);
    char what[96];
    snprintf(what, sizeof what, "%zu x %zu, l1_ratio %g, intercept %d, standardize %d, offset %g",
             n, p, l1s[c], intercept, standardize, offset);
    ck_assert_uint_eq(path->n_alphas, plain->n_alphas);
    double scale = 0.0;
    for (size_t q = 0; q < plain->n_alphas * p; q++) scale = fmax(scale, fabs(plain->coef[q]));
    for (size_t q = 0; q < plain->n_alphas * p; q++)
      ck_assert_msg(fabs(path->coef[q] - plain->coef[q]) <= 1e-10 * scale,
                    "%s: coef %zu: %.15g vs %.15g", what, q, path->coef[q], plain->coef[q]);
    rp_path_free(plain);
    opt.alphas = path->alphas;
    opt.n_explicit = path->n_alphas;
    size_t *nonzero = calloc(cv->n_alphas * p, sizeof *nonzero);
    for (int k = 1; k <= 5; k++) {
      size_t n_train = 0;
      for (size_t i = 0; i < n; i++)
        if (folds[i] != k) train[n_train++] = i;
      rp_path *fold;
      ck_assert_msg(rp_path_fit(&M, y, train, n_train, &opt, &fold, &err) == RP_OK, "%s",
                    err.message);
      for (size_t a = 0; a < cv->n_alphas; a++) {
        double e = held_out_mse(fold, a, X, y, n, folds, k);
        ck_assert_msg(tu_relerr(cv->fold_error[(size_t)(k - 1) * cv->n_alphas + a], e, 1e-300) <
                          1e-10,
                      "%s: fold %d alpha %zu: %.15g vs %.15g", what, k, a,
                      cv->fold_error[(size_t)(k - 1) * cv->n_alphas + a], e);
        for (size_t j = 0; j < p; j++) nonzero[a * p + j] += fold->coef[a * p + j] != 0.0;
      }
      rp_path_free(fold);
    }
    ck_assert_msg(memcmp(nonzero, cv->fold_nonzero, cv->n_alphas * p * sizeof *nonzero) == 0,
                  "%s: folds selecting each feature", what);
    free(nonzero);
    rp_path_free(path);
    rp_cv_free(cv);
  }
  free(X);
  free(y);
  free(folds);
  free(train);
}

/* Deviance (rp_weighted_mean_loss) of the path's point a on fold k's rows,
 * weighted by w (NULL: 1). */
static double held_out_deviance(rp_family family, const rp_path *path, size_t a, const double *X,
                                const double *y, const double *w, size_t n, const int *folds,
                                int k) {
  double *yk = malloc(n * sizeof *yk), *eta = malloc(n * sizeof *eta), *wk = malloc(n * sizeof *wk);
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    if (folds[i] != k) continue;
    eta[m] = path->intercept[a];
    for (size_t j = 0; j < path->p; j++) eta[m] += path->coef[a * path->p + j] * X[j * n + i];
    yk[m] = y[i];
    wk[m++] = w ? w[i] : 1.0;
  }
  double e = rp_weighted_mean_loss(family, RP_METRIC_DEVIANCE, yk, eta, wk, m);
  free(yk);
  free(eta);
  free(wk);
  return e;
}

/* The IRLS families' CV fits every fold on a view of all rows, its
 * held-out rows weighted 0 and left out of n (no copy per fold), against
 * per-fold fits by rp_path_fit on the training rows alone (each copying
 * and standardizing them) on the same grid: the same held-out deviance to
 * 1e-9 and the same nonzeros.  Column 4 is constant (an intercept's
 * twin), column 5 constant on the training rows of fold 1 only: a held-out
 * row that counted would make it a feature there.  Binomial and poisson,
 * lasso and elastic net, with and without observation weights (one row of
 * weight 0). */
static void check_irls_cv_equals_per_fold_fits(rp_family family, int weighted) {
  enum { N = 150, P = 12, K = 5 };
  double *X = malloc(N * P * sizeof *X), *y = malloc(N * sizeof *y), *w = malloc(N * sizeof *w);
  int folds[N];
  size_t train[N];
  make_shifted_regression(N, P, 29, X, y);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 31);
  for (size_t i = 0; i < N; i++) {
    double eta = -0.2;
    for (size_t j = 0; j < P; j += 3)
      eta += 0.4 * (X[j * N + i] - 100.0 * (double)j) / (1.0 + (double)j);
    y[i] = family == RP_FAMILY_BINOMIAL ? gsl_rng_uniform(r) < 1.0 / (1.0 + exp(-eta))
                                        : (double)gsl_ran_poisson(r, exp(0.5 * eta));
    w[i] = i == 17 ? 0.0 : 0.5 + gsl_rng_uniform(r);
  }
  gsl_rng_free(r);
  rp_error err;
  ck_assert_int_eq(rp_cv_make_folds(N, K, 3, folds, &err), RP_OK);
  for (size_t i = 0; i < N; i++)
    if (folds[i] != 1) X[5 * N + i] = 503.25;
  double l1s[] = {1.0, 0.5};
  for (size_t c = 0; c < 2; c++) {
    rp_fit_options opt = tight_options(l1s[c], 1e-16, 0.01);
    opt.family = family;
    opt.weights = weighted ? w : NULL;
    rp_matrix M = {N, P, N, X};
    rp_path *path;
    rp_cv *cv;
    ck_assert_msg(rp_path_cv_fit(&M, y, &opt, folds, RP_METRIC_DEVIANCE, &path, &cv, &err) == RP_OK,
                  "%s", err.message);
    opt.alphas = path->alphas;
    opt.n_explicit = path->n_alphas;
    size_t *nonzero = calloc(cv->n_alphas * P, sizeof *nonzero);
    for (int k = 1; k <= K; k++) {
      size_t n_train = 0;
      for (size_t i = 0; i < N; i++)
        if (folds[i] != k) train[n_train++] = i;
      rp_path *fold;
      ck_assert_msg(rp_path_fit(&M, y, train, n_train, &opt, &fold, &err) == RP_OK, "%s",
                    err.message);
      for (size_t a = 0; a < cv->n_alphas; a++) {
        double e = held_out_deviance(family, fold, a, X, y, opt.weights, N, folds, k),
               got = cv->fold_error[(size_t)(k - 1) * cv->n_alphas + a];
        ck_assert_msg(tu_relerr(got, e, 1e-300) < 1e-9,
                      "family %d, weighted %d, l1_ratio %g: fold %d alpha %zu: %.15g vs %.15g",
                      (int)family, weighted, l1s[c], k, a, got, e);
        for (size_t j = 0; j < P; j++) nonzero[a * P + j] += fold->coef[a * P + j] != 0.0;
        if (k == 1) ck_assert_double_eq(fold->coef[a * P + 5], 0.0); /* constant there */
      }
      rp_path_free(fold);
    }
    ck_assert_msg(memcmp(nonzero, cv->fold_nonzero, cv->n_alphas * P * sizeof *nonzero) == 0,
                  "family %d, weighted %d: folds selecting each feature", (int)family, weighted);
    free(nonzero);
    rp_path_free(path);
    rp_cv_free(cv);
  }
  free(X);
  free(y);
  free(w);
}

START_TEST(irls_cv_on_weighted_views_equals_per_fold_fits) {
  check_irls_cv_equals_per_fold_fits(RP_FAMILY_BINOMIAL, 0);
  check_irls_cv_equals_per_fold_fits(RP_FAMILY_BINOMIAL, 1);
  check_irls_cv_equals_per_fold_fits(RP_FAMILY_POISSON, 0);
  check_irls_cv_equals_per_fold_fits(RP_FAMILY_POISSON, 1);
}
END_TEST

START_TEST(naive_cv_on_one_shared_matrix_equals_per_fold_fits) {
  check_naive_cv_equals_per_fold_fits(120, 15, 0.0, 1e-20, 1, 1, 0.0);
  check_naive_cv_equals_per_fold_fits(40, 60, 0.05, 1e-26, 1, 1, 0.0);
  check_naive_cv_equals_per_fold_fits(120, 15, 0.0, 1e-28, 0, 1, 0.0);
  check_naive_cv_equals_per_fold_fits(120, 15, 0.0, 1e-20, 1, 0, 0.0);
  check_naive_cv_equals_per_fold_fits(120, 15, 0.0, 1e-20, 1, 1, 1e5); /* on a centred copy */
}
END_TEST

/* ------------------------------------------------ thread-count invariance */

/* The largest OpenMP team that reported progress: 2 when the folds were
 * fitted in a parallel region of two threads (whichever of them took which
 * fold, which is up to timing). */
static void note_team(void *ctx, size_t fit, size_t n_fits, size_t alpha, size_t n_alphas) {
  (void)fit, (void)n_fits, (void)alpha, (void)n_alphas;
#ifdef _OPENMP
  int *team = ctx;
  if (omp_get_num_threads() > *team) *team = omp_get_num_threads();
#else
  (void)ctx;
#endif
}

/* The CV with `threads` OpenMP threads (ignored without OpenMP); *team = the
 * size of the team that fitted the folds. */
static void cv_with_threads(int threads, const rp_matrix *M, const double *y, rp_fit_options opt,
                            const int *folds, rp_metric metric, rp_path **path, rp_cv **cv,
                            int *team) {
#ifdef _OPENMP
  omp_set_num_threads(threads);
#else
  (void)threads;
#endif
  *team = 1;
  opt.progress = note_team;
  opt.progress_ctx = team;
  rp_error err;
  ck_assert_msg(rp_path_cv_fit(M, y, &opt, folds, metric, path, cv, &err) == RP_OK, "%s",
                err.message);
}

/* Every number of the two CVs equal bit for bit (memcmp, so that even the
 * sign of a zero or the last bit of a sum differs visibly). */
static void assert_bitwise_equal(const rp_path *pa, const rp_cv *ca, const rp_path *pb,
                                 const rp_cv *cb, const char *what) {
  size_t A = ca->n_alphas, K = ca->n_folds, p = pa->p;
  ck_assert_uint_eq(pa->n_alphas, pb->n_alphas);
  ck_assert_uint_eq(A, cb->n_alphas);
  ck_assert_uint_eq(K, cb->n_folds);
  ck_assert_msg(memcmp(pa->coef, pb->coef, pa->n_alphas * p * sizeof *pa->coef) == 0, "%s: path",
                what);
  ck_assert_msg(memcmp(ca->fold_error, cb->fold_error, K * A * sizeof(double)) == 0,
                "%s: fold errors", what);
  ck_assert_msg(memcmp(ca->mean, cb->mean, A * sizeof(double)) == 0, "%s: cv mean", what);
  ck_assert_msg(memcmp(ca->std_error, cb->std_error, A * sizeof(double)) == 0, "%s: cv se", what);
  ck_assert_msg(memcmp(ca->fold_size, cb->fold_size, K * sizeof(size_t)) == 0, "%s: fold sizes",
                what);
  ck_assert_msg(memcmp(ca->fold_nonzero, cb->fold_nonzero, A * p * sizeof(size_t)) == 0,
                "%s: nonzeros", what);
  ck_assert_uint_eq(ca->n_nonconverged, cb->n_nonconverged);
  ck_assert_uint_eq(ca->index_min, cb->index_min);
  ck_assert_uint_eq(ca->index_1se, cb->index_1se);
}

/* 10-fold CV with 1 and with 2 threads: bitwise the same.  With OpenMP the
 * second run must really have fitted the folds in a team of two. */
static void check_thread_invariance(size_t n, size_t p, rp_family family, rp_update update,
                                    rp_metric metric, const char *what) {
  double *X = malloc(n * p * sizeof *X), *y = malloc(n * sizeof *y);
  int *folds = malloc(n * sizeof *folds);
  make_shifted_regression(n, p, 21, X, y);
  if (family == RP_FAMILY_BINOMIAL) {
    double median = 0.0; /* a noisy label: y above its mean */
    for (size_t i = 0; i < n; i++) median += y[i] / (double)n;
    for (size_t i = 0; i < n; i++) y[i] = y[i] > median;
  }
  rp_error err;
  ck_assert_int_eq(rp_cv_make_folds(n, 10, 4, folds, &err), RP_OK);
  rp_fit_options opt;
  rp_fit_options_init(&opt);
  opt.family = family;
  opt.update = update;
  opt.l1_ratio = 0.9;
  rp_matrix M = {n, p, n, X};
#ifdef HAVE_OPENBLAS
  openblas_set_num_threads(1); /* else the folds run one at a time (cv.c fold_threads) */
#endif
  rp_path *p1, *p2;
  rp_cv *c1, *c2;
  int team1, team2;
  cv_with_threads(1, &M, y, opt, folds, metric, &p1, &c1, &team1);
  cv_with_threads(2, &M, y, opt, folds, metric, &p2, &c2, &team2);
  ck_assert_int_eq(team1, 1);
#ifdef _OPENMP
  ck_assert_msg(team2 == 2, "%s: the folds did not run in a team of two threads", what);
#endif
  assert_bitwise_equal(p1, c1, p2, c2, what);
  rp_path_free(p1);
  rp_path_free(p2);
  rp_cv_free(c1);
  rp_cv_free(c2);
  free(X);
  free(y);
  free(folds);
}

START_TEST(cv_is_bitwise_the_same_on_1_and_2_threads_gaussian_naive) {
  check_thread_invariance(150, 300, RP_FAMILY_GAUSSIAN, RP_UPDATE_NAIVE, RP_METRIC_MSE, "naive");
}
END_TEST
START_TEST(cv_is_bitwise_the_same_on_1_and_2_threads_gaussian_gram) {
  check_thread_invariance(300, 40, RP_FAMILY_GAUSSIAN, RP_UPDATE_COVARIANCE, RP_METRIC_MAE, "gram");
}
END_TEST
START_TEST(cv_is_bitwise_the_same_on_1_and_2_threads_binomial) {
  check_thread_invariance(300, 40, RP_FAMILY_BINOMIAL, RP_UPDATE_AUTO, RP_METRIC_DEVIANCE,
                          "binomial");
}
END_TEST

/* Folds 2 and 4 hold out rows of one class only, so their AUC is undefined:
 * with 1 or 2 threads, whichever fold fails first in time, the error names
 * fold 2, the first in fold order, as the serial loop did. */
START_TEST(the_first_failing_fold_in_fold_order_is_reported) {
  enum { N = 80, P = 5, K = 4 };
  double X[N * P], y[N];
  int folds[N];
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 9);
  for (size_t i = 0; i < N; i++) {
    folds[i] = (int)(i % K) + 1;
    for (size_t j = 0; j < P; j++) X[j * N + i] = gsl_ran_gaussian(r, 1.0);
    y[i] = folds[i] % 2 == 0 ? 0.0 : X[i] + gsl_ran_gaussian(r, 1.0) > 0.0;
  }
  gsl_rng_free(r);
  rp_fit_options opt;
  rp_fit_options_init(&opt);
  opt.family = RP_FAMILY_BINOMIAL;
  rp_matrix M = {N, P, N, X};
#ifdef HAVE_OPENBLAS
  openblas_set_num_threads(1);
#endif
  for (int threads = 1; threads <= 2; threads++) {
#ifdef _OPENMP
    omp_set_num_threads(threads);
#endif
    rp_path *path;
    rp_cv *cv;
    rp_error err;
    ck_assert_int_eq(rp_path_cv_fit(&M, y, &opt, folds, RP_METRIC_AUC, &path, &cv, &err), RP_EDATA);
    ck_assert_ptr_null(path);
    ck_assert_ptr_null(cv);
    ck_assert_msg(strstr(err.message, "fold 2 has held-out rows of one class only"),
                  "%d threads: %s", threads, err.message);
  }
}
END_TEST

/* ------------------------------------------------ whole runs from configs */

static rp_run_result *run_config(const char *json, rp_config **cfg) {
  rp_error err;
  ck_assert_msg(rp_config_parse(json, "test", tu_src_path("."), NULL, 0, cfg, &err) == RP_OK, "%s",
                err.message);
  rp_run_result *res;
  ck_assert_msg(rp_run(*cfg, NULL, NULL, &res, &err) == RP_OK, "%s", err.message);
  return res;
}

/* configs/textbook.json: scikit-learn's Lasso(alpha=0.1) and Ridge(alpha=0.1)
 * on the same 80/20 split (tests/data/make_textbook_fixture.py). */
START_TEST(textbook_config_equals_sklearn_lasso_and_ridge) {
  char *json = tu_read_file(tu_src_path("configs/textbook.json"));
  ck_assert_ptr_nonnull(json);
  rp_error err;
  rp_config *cfg;
  ck_assert_int_eq(
      rp_config_parse(json, "textbook.json", tu_src_path("configs"), NULL, 0, &cfg, &err), RP_OK);
  rp_run_result *res;
  ck_assert_msg(rp_run(cfg, NULL, NULL, &res, &err) == RP_OK, "%s", err.message);
  cJSON *fixture = tu_load_json(tu_src_path("tests/data/sklearn_textbook.json"));
  ck_assert_uint_eq(res->n_fits, 2);
  ck_assert_uint_eq(res->n_test, 20);
  for (size_t f = 0; f < 2; f++) {
    const cJSON *ref = cJSON_GetArrayItem(cJSON_GetObjectItem(fixture, "fits"), (int)f);
    const rp_path *path = res->paths[f];
    size_t p;
    double *coef = tu_json_doubles(cJSON_GetObjectItem(ref, "coef"), &p), scale = 0.0;
    ck_assert_uint_eq(p, path->p);
    for (size_t j = 0; j < p; j++) scale = fmax(scale, fabs(coef[j]));
    for (size_t j = 0; j < p; j++)
      ck_assert_msg(fabs(path->coef[j] - coef[j]) <= 1e-6 * fabs(coef[j]) + 1e-9 * scale,
                    "%s coef %zu: %.10g vs %.10g", cJSON_GetObjectItem(ref, "kind")->valuestring, j,
                    path->coef[j], coef[j]);
    ck_assert(tu_relerr(path->intercept[0], cJSON_GetObjectItem(ref, "intercept")->valuedouble,
                        1e-9) < 1e-6);
    ck_assert(tu_relerr(res->test_scores[f][0].mse,
                        cJSON_GetObjectItem(ref, "test_mse")->valuedouble, 1e-9) < 1e-6);
    free(coef);
  }
  cJSON_Delete(fixture);
  rp_run_free(res);
  rp_config_free(cfg);
  free(json);
}
END_TEST

/* gen_synthetic.py --n 200 --p 30 --k 3 --rho 0.5 --snr 3 --seed 7: three true features. */
START_TEST(sparse_problem_selects_lasso_or_elastic_net) {
  const char *rules[] = {"1se", "min"};
  for (size_t r = 0; r < 2; r++) {
    char json[512];
    snprintf(json, sizeof json,
             "{\"data\": {\"train\": \"tests/data/synthetic_sparse.csv\"},"
             " \"model\": {\"penalty\": \"compare\"}, \"cv\": {\"rule\": \"%s\"}}",
             rules[r]);
    rp_config *cfg;
    rp_run_result *res = run_config(json, &cfg);
    const rp_path *sel = res->paths[res->selected_fit];
    ck_assert_msg(sel->l1_ratio > 0.0, "rule %s chose ridge", rules[r]);
    ck_assert_uint_le(sel->df[res->selected_index], 10);
    rp_run_free(res);
    rp_config_free(cfg);
  }
}
END_TEST

/* gen_synthetic.py --n 200 --p 40 --k 40 --rho 0.9 --snr 0.7 --seed 7: every
 * feature matters, strongly correlated, noisy.  The lowest CV error is
 * ridge's; the 1se rule, which by design takes the sparsest model within one
 * standard error, prefers the lasso there (the closing note of issue 4). */
START_TEST(dense_problem_selects_ridge_or_elastic_net_by_min_rule) {
  rp_config *cfg;
  rp_run_result *res =
      run_config("{\"data\": {\"train\": \"tests/data/synthetic_dense.csv\"},"
                 " \"model\": {\"penalty\": \"compare\"}, \"cv\": {\"rule\": \"min\"}}",
                 &cfg);
  ck_assert_msg(res->paths[res->selected_fit]->l1_ratio < 1.0, "the lasso was chosen");
  rp_run_free(res);
  rp_config_free(cfg);
}
END_TEST

int main(void) {
  Suite *s = suite_create("cv");
  TCase *tc = tcase_create("cv");
  tcase_add_test(tc, folds_are_balanced_and_reproducible);
  tcase_add_test(tc, too_many_folds_is_an_error);
  tcase_add_test(tc, bad_fold_ids_are_named);
  tcase_add_test(tc, choice_follows_cv_glmnet);
  tcase_add_test(tc, ridge_cv_mse_equals_per_fold_closed_form);
  tcase_add_test(tc, ridge_cv_mae_equals_per_fold_closed_form);
  tcase_add_test(tc, own_fold_grids_interpolate_each_folds_own_path);
  tcase_add_test(tc, min_rule_picks_smallest_mean_across_fits);
  tcase_add_test(tc, min_rule_tie_goes_to_the_earlier_fit);
  tcase_add_test(tc, one_se_rule_with_one_fit_is_cv_glmnets);
  tcase_add_test(tc, one_se_rule_prefers_the_sparsest_within_one_se);
  tcase_add_test(tc, one_se_rule_ties_go_to_larger_alpha_then_larger_l1_ratio);
  tcase_add_test(tc, gram_cv_equals_per_fold_naive_cv);
  tcase_add_test(tc, gram_cv_equals_per_fold_naive_cv_wide);
  tcase_add_test(tc, naive_cv_on_one_shared_matrix_equals_per_fold_fits);
  tcase_add_test(tc, irls_cv_on_weighted_views_equals_per_fold_fits);
  tcase_add_test(tc, cv_is_bitwise_the_same_on_1_and_2_threads_gaussian_naive);
  tcase_add_test(tc, cv_is_bitwise_the_same_on_1_and_2_threads_gaussian_gram);
  tcase_add_test(tc, cv_is_bitwise_the_same_on_1_and_2_threads_binomial);
  tcase_add_test(tc, the_first_failing_fold_in_fold_order_is_reported);
  tcase_add_test(tc, textbook_config_equals_sklearn_lasso_and_ridge);
  tcase_add_test(tc, sparse_problem_selects_lasso_or_elastic_net);
  tcase_add_test(tc, dense_problem_selects_ridge_or_elastic_net_by_min_rule);
  suite_add_tcase(s, tc);
  return tu_run(s);
}
