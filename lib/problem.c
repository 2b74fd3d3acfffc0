/* problem.c: centring, scaling and penalty factors for one fit. */
#include "problem.h"

#include "design_spread.h"
#include "design_view.h"
#include "rows.h"
#include "sparse_view.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double row_value(const rp_matrix *X, size_t j, const size_t *rows, size_t i) {
  return X->values[j * X->ld + (rows ? rows[i] : i)];
}

/* v_i, 1 without weights (multiplying by it is then exact). */
static double weight_of(const double *wt, size_t i) { return wt ? wt[i] : 1.0; }

/* The first row that counts (weight > 0; 0 without weights). */
static size_t first_counted(const double *wt, size_t n) {
  size_t i = 0;
  while (wt && i + 1 < n && !(wt[i] > 0.0)) i++;
  return i;
}

/* Weighted mean and 1/n standard deviation (v summing to n) by two passes
 * (the second keeps the variance accurate when the mean is large against
 * the spread), the squares taken in units of the largest deviation w over
 * the rows that count, so that they neither overflow (values near 1e300)
 * nor underflow (values near 1e-300): sd = w sqrt(sum_i v_i ((x_i - m)/w)^2 / n). */
/* The problem's n values x (its rows here), over the n_total rows of
 * every process (each sum finished through pb->X, rows.h; nothing to
 * finish when all rows are local). */
static void moments(const rp_problem *pb, const double *x, double *mean, double *sd) {
  const double *wt = pb->wt;
  double m = 0.0, w = 0.0, q = 0.0, N = (double)pb->n_total;
  for (size_t i = 0; i < pb->n; i++) m += weight_of(wt, i) * x[i] / N;
  m = rp_rows_total(pb->X, m);
  for (size_t i = 0; i < pb->n; i++)
    if (weight_of(wt, i) > 0.0) w = fmax(w, fabs(x[i] - m));
  rp_rows_max(pb->X, &w, 1);
  for (size_t i = 0; w > 0.0 && i < pb->n; i++)
    q += weight_of(wt, i) * ((x[i] - m) / w) * ((x[i] - m) / w);
  q = rp_rows_total(pb->X, q);
  *mean = m;
  *sd = w > 0.0 ? w * sqrt(q / N) : 0.0;
}

/* Whether x takes one value on the rows that count. */
static int all_equal(const double *x, const double *wt, size_t n) {
  size_t f = first_counted(wt, n);
  for (size_t i = f + 1; i < n; i++)
    if (x[i] != x[f] && weight_of(wt, i) > 0.0) return 0;
  return 1;
}

static void local_value(const double *x, const size_t *at, const double *weights,
                        const size_t *rows, size_t n, double *top);
static int spread_value(const double *top);

/* Whether the problem's n values x take one value on the rows that count,
 * over every process's rows when they are spread, and that value into
 * *value. */
static int constant_on_rows(const rp_problem *pb, const double *x, double *value) {
  if (!pb->X || !pb->X->ops->reduce_max) {
    *value = x[first_counted(pb->wt, pb->n)];
    return all_equal(x, pb->wt, pb->n);
  }
  double top[2];
  local_value(x, NULL, pb->wt, NULL, pb->n, top);
  rp_rows_max(pb->X, top, 2);
  *value = top[0];
  return spread_value(top);
}

/* How messages name column j: by name when the caller gave names. */
static void column_label(const rp_fit_options *opt, size_t j, char *buf, size_t size) {
  if (opt->feature_names)
    snprintf(buf, size, "column \"%s\"", opt->feature_names[j]);
  else
    snprintf(buf, size, "column %zu", j + 1);
}

/* m_j and s_j of column j from its n fitted values `col`, as glmnet's
 * `standard` takes them (mean; 1/n standard deviation, or 1 without
 * standardize; m_j = 0 without intercept); a constant column is flagged,
 * with m_j its value and s_j = 1.  *sd is the standard deviation. */
static rp_status centre_and_scale(rp_problem *pb, const double *col, size_t j,
                                  const rp_fit_options *opt, double *sd, rp_error *err) {
  double m;
  moments(pb, col, &m, sd);
  if (!isfinite(m) || !isfinite(*sd)) {
    char label[RP_ERROR_MESSAGE_MAX / 2];
    column_label(opt, j, label, sizeof label);
    return rp_error_set(err, RP_ENUMERIC, "%s: values too large to standardize", label);
  }
  double value;
  pb->constant[j] = constant_on_rows(pb, col, &value);
  pb->mean[j] = pb->constant[j] ? value : opt->fit_intercept ? m : 0.0;
  pb->scale[j] = opt->standardize && !pb->constant[j] ? *sd : 1.0;
  return RP_OK;
}

/* xv_j = q/n, q = sum_i v_i ((x_ij - m_j)/s_j)^2 (= |x~_j|^2 for gaussian),
 * which must be a usable positive number. */
static rp_status set_spread(rp_problem *pb, size_t j, double q, double sd,
                            const rp_fit_options *opt, rp_error *err) {
  pb->xv[j] = q / (double)pb->n_total;
  if (pb->xv[j] >= DBL_MIN && isfinite(pb->xv[j])) return RP_OK;
  char label[RP_ERROR_MESSAGE_MAX / 2];
  column_label(opt, j, label, sizeof label);
  return rp_error_set(err, RP_ENUMERIC,
                      "%s: spread %g is outside what a fit without "
                      "standardization can square; set model.standardize to true",
                      label, sd);
}

/* Gather column j of the fitted rows into `col` and turn it into x~_j
 * (gaussian with weights: its rows scaled by sqrt(v_i)). */
static rp_status prepare_column(rp_problem *pb, const rp_design *X, size_t j, const size_t *rows,
                                const rp_fit_options *opt, rp_error *err) {
  double *col = rp_design_dense_column(pb->X, j), sd;
  size_t n = pb->n;
  rp_design_column(X, j, rows, n, col);
  rp_status st = centre_and_scale(pb, col, j, opt, &sd, err);
  if (st != RP_OK) return st;
  if (pb->constant[j]) {
    memset(col, 0, n * sizeof *col);
    return RP_OK;
  }
  double q = 0.0;
  for (size_t i = 0; i < n; i++) {
    col[i] = (col[i] - pb->mean[j]) / pb->scale[j];
    q += weight_of(pb->wt, i) * col[i] * col[i];
    if (pb->root) col[i] *= pb->root[i];
  }
  return set_spread(pb, j, rp_rows_total(pb->X, q), sd, opt, err);
}

/* Checks and the L2 scale, once y_mean and yy are known (both routes). */
static rp_status finish_target(rp_problem *pb, int constant, const rp_fit_options *opt,
                               rp_error *err) {
  const char *name = opt->target_name ? opt->target_name : "";
  if (!isfinite(pb->yy))
    return rp_error_set(err, RP_ENUMERIC, "target \"%s\": values too large", name);
  if (pb->yy == 0.0 || (opt->fit_intercept && constant))
    return rp_error_set(err, RP_EDATA, "target \"%s\" is constant on the %zu rows fitted", name,
                        pb->n_total);
  /* glmnet fits a gaussian y / sd(y); on the original scale that divides the
   * L2 weight by sd(y).  It leaves the other families' targets alone. */
  int scaled = opt->convention == RP_CONVENTION_GLMNET && opt->family == RP_FAMILY_GAUSSIAN;
  pb->l2_scale = scaled ? 1.0 / sqrt(pb->yy) : 1.0;
  pb->intercept = opt->fit_intercept;
  return RP_OK;
}

/* y~ (gaussian: centred, rows scaled by sqrt(v_i)) or y, and yy = sum_i
 * v_i (y_i - ybar)^2 / n. */
static rp_status prepare_target(rp_problem *pb, const double *y, const size_t *rows,
                                const rp_fit_options *opt, rp_error *err) {
  size_t n = pb->n;
  for (size_t i = 0; i < n; i++) pb->y[i] = y[rows ? rows[i] : i];
  double m, sd, value;
  moments(pb, pb->y, &m, &sd);
  pb->y_mean = opt->fit_intercept ? m : 0.0;
  int centre = opt->family == RP_FAMILY_GAUSSIAN && pb->centred; /* IRLS models y itself */
  double q = 0.0;
  for (size_t i = 0; i < n; i++) {
    double yc = pb->y[i] - pb->y_mean;
    if (centre) pb->y[i] = yc;
    q += weight_of(pb->wt, i) * yc * yc;
  }
  pb->yy = rp_rows_total(pb->X, q) / (double)pb->n_total;
  int constant = constant_on_rows(pb, pb->y, &value);
  for (size_t i = 0; pb->root && i < n; i++) pb->y[i] *= pb->root[i];
  return finish_target(pb, constant, opt, err);
}

/* glmnet rescales the factors to sum to p over all columns.  Limits on
 * b_j bound b~_j = s_j b_j at s_j times them (as glmnet's cl * xs). */
static rp_status prepare_penalty(rp_problem *pb, const rp_fit_options *opt, rp_error *err) {
  double sum = 0.0;
  for (size_t j = 0; j < pb->p; j++) {
    pb->pf[j] = opt->penalty_factor ? opt->penalty_factor[j] : 1.0;
    sum += pb->pf[j];
  }
  for (size_t j = 0; j < pb->p; j++) pb->pf[j] *= (double)pb->p / sum;
  if (!opt->lower_limits && !opt->upper_limits) return RP_OK;
  pb->lower = malloc(pb->p * sizeof *pb->lower);
  pb->upper = malloc(pb->p * sizeof *pb->upper);
  if (!pb->lower || !pb->upper) return rp_error_set(err, RP_ENOMEM, "out of memory");
  for (size_t j = 0; j < pb->p; j++) {
    pb->lower[j] = opt->lower_limits ? opt->lower_limits[j] * pb->scale[j] : -INFINITY;
    pb->upper[j] = opt->upper_limits ? opt->upper_limits[j] * pb->scale[j] : INFINITY;
  }
  return RP_OK;
}

/* v_i = n w_i / W over the rows, W = sum_i w_i (glmnet's normalization),
 * w_i 0 on the held-out rows (indices into the problem's rows) and 1
 * without weights, sqrt(v_i) for the gaussian family's rows, and the IRLS
 * families' offsets; nothing without weights, held-out rows and offsets. */
static rp_status prepare_observations(rp_problem *pb, const size_t *rows, const rp_held_out *held,
                                      const rp_fit_options *opt, rp_error *err) {
  size_t n = pb->n;
  int gaussian = opt->family == RP_FAMILY_GAUSSIAN && pb->centred; /* not on IRLS */
  int weighted = opt->weights || held->n > 0;
  pb->weight_scale = 1.0;
  if (weighted && !(pb->wt = malloc((n ? n : 1) * sizeof *pb->wt)))
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  if (weighted && gaussian && !(pb->root = malloc((n ? n : 1) * sizeof *pb->root)))
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  if (opt->offset && !gaussian && !(pb->offset = malloc((n ? n : 1) * sizeof *pb->offset)))
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  for (size_t i = 0; pb->offset && i < n; i++) pb->offset[i] = opt->offset[rows ? rows[i] : i];
  if (!pb->wt) return RP_OK;
  for (size_t i = 0; i < n; i++) pb->wt[i] = opt->weights ? opt->weights[rows ? rows[i] : i] : 1.0;
  for (size_t t = 0; t < held->n; t++) pb->wt[held->rows[t]] = 0.0;
  double W = 0.0, N = (double)pb->n_total;
  for (size_t i = 0; i < n; i++) W += pb->wt[i];
  W = rp_rows_total(pb->X, W);
  if (!(W > 0.0) || !isfinite(W))
    return rp_error_set(err, RP_EDATA, "the weights of the %zu rows fitted %s", pb->n_total,
                        W > 0.0 ? "sum to more than a double holds" : "are all 0");
  for (size_t i = 0; i < n; i++) {
    pb->wt[i] = N * pb->wt[i] / W;
    if (pb->root) pb->root[i] = sqrt(pb->wt[i]);
  }
  pb->weight_scale = W / N;
  return RP_OK;
}

/* With `with_design`, room for the working columns and y~ (the naive route),
 * spread over comm's processes when given (the fit's rows of every process
 * counted in n_total). */
static rp_status problem_alloc(size_t n, size_t p, int with_design, const rp_comm *comm,
                               rp_problem **out, rp_error *err) {
  rp_problem *pb = calloc(1, sizeof *pb);
  if (!pb) return rp_error_set(err, RP_ENOMEM, "out of memory");
  pb->n = n;
  pb->n_total = n; /* every row is local */
  pb->p = p;
  pb->weight_scale = 1.0;
  pb->centred = 1;
  pb->mean = calloc(p, sizeof *pb->mean);
  pb->scale = calloc(p, sizeof *pb->scale);
  pb->xv = calloc(p, sizeof *pb->xv);
  pb->pf = calloc(p, sizeof *pb->pf);
  pb->xty = calloc(p, sizeof *pb->xty);
  pb->constant = calloc(p, sizeof *pb->constant);
  rp_status st = !with_design ? RP_OK
                 : comm       ? rp_design_spread_alloc(n, p, comm, &pb->X, err)
                              : rp_design_dense_alloc(n, p, &pb->X, err);
  if (st == RP_OK && comm) pb->n_total = (size_t)rp_rows_total(pb->X, (double)n);
  if (st == RP_OK && with_design && !(pb->y = malloc((n ? n : 1) * sizeof *pb->y)))
    st = rp_error_set(err, RP_ENOMEM, "out of memory");
  if (st == RP_OK && (!pb->mean || !pb->scale || !pb->xv || !pb->pf || !pb->xty || !pb->constant))
    st = rp_error_set(err, RP_ENOMEM, "out of memory");
  if (st != RP_OK) {
    rp_problem_free(pb);
    return st;
  }
  *out = pb;
  return RP_OK;
}

/* The first steps both column routes share: room for n rows and p columns
 * (dense working columns or not), y's n values and the target's centring.
 * The held-out rows among the n (NULL: none) are weighted 0 and are no
 * rows of the fit: they leave n_total, so that v_i = 1 exactly without
 * weights, as on a copy of the other rows. */
static rp_status start_problem(const double *y, const size_t *rows, size_t n,
                               const rp_held_out *held, size_t p, int dense_columns,
                               const rp_comm *comm, int centred, const rp_fit_options *opt,
                               rp_problem **pb, rp_error *err) {
  static const rp_held_out none = {NULL, 0};
  if (!held) held = &none;
  *pb = NULL;
  rp_status st = problem_alloc(n, p, dense_columns, comm, pb, err);
  if (st == RP_OK) /* at most every row held out: then too few to fit, below */
    (*pb)->n_total -= held->n < (*pb)->n_total ? held->n : (*pb)->n_total;
  if (st == RP_OK && (*pb)->n_total < 2)
    st = rp_error_set(err, RP_EDATA, "need at least 2 rows to fit, got %zu", (*pb)->n_total);
  if (st != RP_OK) {
    rp_problem_free(*pb);
    *pb = NULL;
    return st;
  }
  (*pb)->l1_ratio = opt->l1_ratio;
  (*pb)->centred = centred;
  if (!(*pb)->y && !((*pb)->y = malloc((n ? n : 1) * sizeof *(*pb)->y)))
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  st = prepare_observations(*pb, rows, held, opt, err);
  return st == RP_OK ? prepare_target(*pb, y, rows, opt, err) : st;
}

/* The last step: the penalty, or the problem freed after st. */
static rp_status finish_problem(rp_problem *pb, rp_status st, const rp_fit_options *opt,
                                rp_problem **out, rp_error *err) {
  if (st == RP_OK) st = prepare_penalty(pb, opt, err);
  if (st != RP_OK) {
    rp_problem_free(pb);
    return st;
  }
  *out = pb;
  return RP_OK;
}

rp_status rp_problem_prepare(const rp_design *X, const double *y, const size_t *rows, size_t n_rows,
                             const rp_fit_options *opt, rp_problem **out, rp_error *err) {
  *out = NULL;
  size_t n = rows ? n_rows : X->n;
  rp_problem *pb;
  rp_status st = start_problem(y, rows, n, NULL, X->p, 1, rp_design_comm(X), 1, opt, &pb, err);
  for (size_t j = 0; st == RP_OK && j < pb->p; j++) {
    st = prepare_column(pb, X, j, rows, opt, err);
    if (st == RP_OK) pb->xty[j] = rp_design_dot(pb->X, j, pb->y);
  }
  if (st == RP_OK) rp_rows_sum(pb->X, pb->xty, pb->p);
  for (size_t j = 0; st == RP_OK && j < pb->p; j++) pb->xty[j] /= (double)pb->n_total;
  return finish_problem(pb, st, opt, out, err);
}

/* Column j's centre and scale on the fitted rows, exactly as prepare_column
 * finds them (the same values in the same order, so the same m_j and s_j),
 * from `col`, a buffer of n values; also its checks.  Returns the column's
 * c_j and 1/d_j in the units of z = (x - mu_j)/w_j: x~ = (x - m_j)/s_j =
 * (z - c_j)/d_j with c_j = (m_j - mu_j)/w_j and d_j = s_j/w_j. */
static rp_status view_column(rp_problem *pb, const rp_design *X, const rp_matrix *Z, double mu,
                             double w, size_t j, const size_t *rows, const rp_fit_options *opt,
                             double *col, double *c, double *inv_d, rp_error *err) {
  size_t n = pb->n;
  double sd;
  rp_design_column(X, j, rows, n, col);
  rp_status st = centre_and_scale(pb, col, j, opt, &sd, err);
  if (st != RP_OK) return st;
  if (pb->constant[j]) {
    *c = *inv_d = 0.0; /* x~_j = 0 */
    return RP_OK;
  }
  *c = (pb->mean[j] - mu) / w;
  *inv_d = w / pb->scale[j];
  double q = 0.0;
  for (size_t i = 0; i < n; i++) {
    double x = (row_value(Z, j, rows, i) - *c) * *inv_d;
    q += weight_of(pb->wt, i) * x * x;
  }
  return set_spread(pb, j, q, sd, opt, err);
}

/* The centres and scales of every column, then the view and X~'y~/n. */
static rp_status prepare_view(rp_problem *pb, const rp_design *X, const rp_matrix *Z,
                              const double *mu, const double *w, const size_t *rows,
                              const rp_fit_options *opt, rp_error *err) {
  size_t n = pb->n, p = pb->p;
  double *col = malloc(n * sizeof *col), *c = malloc(p * sizeof *c),
         *inv_d = malloc(p * sizeof *inv_d);
  rp_status st = col && c && inv_d ? RP_OK : rp_error_set(err, RP_ENOMEM, "out of memory");
  for (size_t j = 0; st == RP_OK && j < p; j++)
    st = view_column(pb, X, Z, mu[j], w[j], j, rows, opt, col, &c[j], &inv_d[j], err);
  if (st == RP_OK)
    st = rp_design_view_alloc(Z->values, Z->n, p, Z->ld, rows, n, c, inv_d, &pb->X, err);
  if (st == RP_OK) rp_design_dots(pb->X, pb->y, pb->xty);
  for (size_t j = 0; st == RP_OK && j < p; j++) pb->xty[j] /= (double)pb->n_total;
  free(col);
  free(c);
  free(inv_d);
  return st;
}

rp_status rp_problem_prepare_view(const rp_design *X, const rp_matrix *Z, const double *mu,
                                  const double *w, const double *y, const size_t *rows,
                                  size_t n_rows, const rp_held_out *held, const rp_fit_options *opt,
                                  rp_problem **out, rp_error *err) {
  *out = NULL;
  int weighted = opt->weights || (held && held->n > 0);
  if (weighted && opt->family == RP_FAMILY_GAUSSIAN) /* its rows scale by sqrt(v_i) */
    return rp_error_set(err, RP_EINVAL, "a view of the rows takes no gaussian weights");
  rp_problem *pb;
  rp_status st = start_problem(y, rows, n_rows, held, X->p, 0, NULL, 1, opt, &pb, err);
  if (st == RP_OK) st = prepare_view(pb, X, Z, mu, w, rows, opt, err);
  return finish_problem(pb, st, opt, out, err);
}

/* ------------------------------------------ the sparse route's columns */

/* Column j of a sparse matrix on the fitted rows, from its stored entries:
 * every row not stored holds 0.  Each column's fitted entries are gathered
 * (fitted_entries) before its moments are taken from them. */
typedef struct {
  rp_sparse_rows R; /* the fitted rows (sparse.h) */
  size_t n_counted; /* fitted rows of weight > 0 */
  size_t m;         /* the current column's fitted entries: */
  size_t *row;      /*   their fitted rows (n of room)  */
  double *x;        /*   their values (n of room)       */
} sparse_rows;

/* Column j's fitted entries into S->row, S->x, in storage order. */
static void fitted_entries(sparse_rows *S, size_t j) {
  rp_sparse_run run[2];
  size_t runs = rp_sparse_runs(&S->R, j, run);
  S->m = 0;
  for (size_t t = 0; t < runs; t++)
    for (size_t k = run[t].first; k < run[t].end; k++) {
      long i = rp_sparse_row(S->R.M, S->R.place, &run[t], k);
      if (i < 0) continue;
      S->row[S->m] = (size_t)i;
      S->x[S->m++] = S->R.M->values[k];
    }
}

/* The weighted mean and 1/n standard deviation of the column S holds, as
 * moments() takes them: the rows not stored weigh n - sum of the stored
 * rows' v_i (v sums to n) and deviate by |m|; and whether the column takes
 * one value on the rows that count (*value), which with any such row not
 * stored is 0. */
static void sparse_moments(const rp_problem *pb, const sparse_rows *S, double *mean, double *sd,
                           int *constant, double *value) {
  size_t counted = 0;
  double m = 0.0, v_stored = 0.0, w = 0.0, q = 0.0;
  *constant = 1;
  *value = 0.0;
  for (size_t t = 0; t < S->m; t++) {
    double v = weight_of(pb->wt, S->row[t]), x = S->x[t];
    m += v * x / (double)pb->n;
    v_stored += v;
    if (!(v > 0.0)) continue;
    if (counted++ == 0) *value = x;
    *constant = *constant && x == *value;
  }
  int zeros = counted < S->n_counted; /* some row that counts is not stored */
  if (zeros) *constant = *constant && (counted == 0 || *value == 0.0), *value = 0.0;
  double zero_weight = zeros ? fmax((double)pb->n - v_stored, 0.0) : 0.0;
  w = zeros ? fabs(m) : 0.0;
  for (size_t t = 0; t < S->m; t++)
    if (weight_of(pb->wt, S->row[t]) > 0.0) w = fmax(w, fabs(S->x[t] - m));
  for (size_t t = 0; w > 0.0 && t < S->m; t++)
    q += weight_of(pb->wt, S->row[t]) * ((S->x[t] - m) / w) * ((S->x[t] - m) / w);
  q += w > 0.0 ? zero_weight * (m / w) * (m / w) : 0.0;
  *mean = m;
  *sd = w > 0.0 ? w * sqrt(q / (double)pb->n) : 0.0;
}

/* Column j's m_j, s_j and flag as centre_and_scale sets them, and its
 * uncentred spread xv_j = sum_i v_i (x_ij / s_j)^2 / n; *inv_s = 1/s_j, or
 * 0 for a constant column (left at 0). */
static rp_status sparse_column(rp_problem *pb, sparse_rows *S, size_t j, const rp_fit_options *opt,
                               double *inv_s, rp_error *err) {
  double m, sd, value;
  int constant;
  fitted_entries(S, j);
  sparse_moments(pb, S, &m, &sd, &constant, &value);
  if (!isfinite(m) || !isfinite(sd)) {
    char label[RP_ERROR_MESSAGE_MAX / 2];
    column_label(opt, j, label, sizeof label);
    return rp_error_set(err, RP_ENUMERIC, "%s: values too large to standardize", label);
  }
  pb->constant[j] = constant;
  pb->mean[j] = constant ? value : opt->fit_intercept ? m : 0.0;
  pb->scale[j] = opt->standardize && !constant ? sd : 1.0;
  *inv_s = constant ? 0.0 : 1.0 / pb->scale[j];
  if (constant) return RP_OK;
  double q = 0.0;
  for (size_t t = 0; t < S->m; t++) {
    double x = S->x[t] * *inv_s;
    q += weight_of(pb->wt, S->row[t]) * x * x;
  }
  return set_spread(pb, j, q, sd, opt, err);
}

/* Every column's centre, scale and spread, then the view (which takes
 * `map`, R's malloc'd place, when there is one) and X~'y/n. */
static rp_status prepare_sparse_columns(rp_problem *pb, const rp_sparse_rows *R, int32_t *map,
                                        const rp_fit_options *opt, rp_error *err) {
  sparse_rows S = {*R, pb->n, 0, malloc((pb->n ? pb->n : 1) * sizeof *S.row),
                   malloc((pb->n ? pb->n : 1) * sizeof *S.x)};
  for (size_t i = 0; pb->wt && i < pb->n; i++) S.n_counted -= !(pb->wt[i] > 0.0);
  double *inv_s = malloc((pb->p ? pb->p : 1) * sizeof *inv_s);
  rp_status st = inv_s && S.row && S.x ? RP_OK : rp_error_set(err, RP_ENOMEM, "out of memory");
  for (size_t j = 0; st == RP_OK && j < pb->p; j++)
    st = sparse_column(pb, &S, j, opt, &inv_s[j], err);
  if (st == RP_OK) {
    st = rp_sparse_view_alloc(R, map, pb->n, inv_s, &pb->X, err);
    map = NULL; /* the view's now, or freed */
  }
  if (st == RP_OK) rp_design_dots(pb->X, pb->y, pb->xty);
  for (size_t j = 0; st == RP_OK && j < pb->p; j++) pb->xty[j] /= (double)pb->n;
  free(map);
  free(inv_s);
  free(S.row);
  free(S.x);
  return st;
}

rp_status rp_problem_prepare_sparse(const rp_csc *M, const double *y, const size_t *rows,
                                    size_t n_rows, const rp_fit_options *opt, rp_problem **out,
                                    rp_error *err) {
  *out = NULL;
  size_t n = rows ? n_rows : M->n;
  int32_t *place = NULL;
  rp_status st = rows ? rp_sparse_row_places(M->n, rows, n, &place, err) : RP_OK;
  if (st != RP_OK) return st;
  rp_problem *pb = NULL;
  st = start_problem(y, rows, n, NULL, M->p, 0, NULL, 0, opt, &pb, err);
  if (st == RP_OK) {
    rp_sparse_rows R = {M, place, NULL, 0, 0};
    st = prepare_sparse_columns(pb, &R, place, opt, err);
    place = NULL;
  }
  free(place);
  return finish_problem(pb, st, opt, out, err);
}

rp_status rp_problem_prepare_sparse_fold(const rp_csc_folds *F, size_t k, const double *y,
                                         const rp_fit_options *opt, rp_problem **out,
                                         rp_error *err) {
  *out = NULL;
  size_t n = F->M.n - (F->start[k + 1] - F->start[k]), *rows = malloc((n ? n : 1) * sizeof *rows);
  if (!rows) return rp_error_set(err, RP_ENOMEM, "out of memory");
  memcpy(rows, F->order, F->start[k] * sizeof *rows); /* the caller's rows, F's order */
  memcpy(rows + F->start[k], F->order + F->start[k + 1], (F->M.n - F->start[k + 1]) * sizeof *rows);
  rp_problem *pb = NULL;
  rp_status st = start_problem(y, rows, n, NULL, F->M.p, 0, NULL, 0, opt, &pb, err);
  free(rows);
  rp_sparse_rows R = rp_csc_folds_training(F, k);
  if (st == RP_OK) st = prepare_sparse_columns(pb, &R, NULL, opt, err);
  return finish_problem(pb, st, opt, out, err);
}

/* Whether the values x_i = x[at ? at[i] : i], i < n, of rows `rows` take one
 * value on the rows that count; stops at the first that differs. */
static int constant_at(const double *x, const size_t *at, const double *weights, const size_t *rows,
                       size_t n) {
  size_t f = 0;
  while (weights && f + 1 < n && !(weights[rows ? rows[f] : f] > 0.0)) f++;
  double first = x[at ? at[f] : f];
  for (size_t i = f + 1; i < n; i++)
    if (x[at ? at[i] : i] != first && (!weights || weights[rows ? rows[i] : i] > 0.0)) return 0;
  return 1;
}

/* This process's part of a test of constancy over every process's rows
 * (regpath/comm.h): top = (v, -v) when the counted values of x at `at`
 * (NULL: 0..n-1) all equal v, (inf, inf) when two of them differ, (-inf,
 * -inf) when none counts.  The largest of each over the processes is
 * (v, -v) again exactly when the column is constant everywhere. */
static void local_value(const double *x, const size_t *at, const double *weights,
                        const size_t *rows, size_t n, double *top) {
  size_t f = 0;
  while (weights && f < n && !(weights[rows ? rows[f] : f] > 0.0)) f++;
  if (f == n) {
    top[0] = top[1] = -HUGE_VAL;
    return;
  }
  double v = x[at ? at[f] : f];
  int same = constant_at(x, at, weights, rows, n);
  top[0] = same ? v : HUGE_VAL;
  top[1] = same ? -v : HUGE_VAL;
}

/* Whether the processes' tops (local_value, their largest taken) say
 * constant: one value, or no row that counts anywhere. */
static int spread_value(const double *top) { return top[0] == -top[1] || top[0] == -HUGE_VAL; }

void rp_constant_top(const double *x, const double *weights, const size_t *rows, size_t n,
                     double *top) {
  local_value(x, rows, weights, rows, n, top);
}

int rp_constant_of_top(const double *top) { return spread_value(top); }

/* Rows spread over processes: each column's local_value (in place for a
 * dense X, as the local test), then one sum of them all.  tops: 2 (p + 1)
 * values, y's last. */
static rp_status spread_constant_columns(const rp_design *X, const double *y, const double *weights,
                                         const size_t *rows, size_t n, int *constant,
                                         int *y_constant, rp_error *err) {
  size_t p = X->p;
  const rp_matrix *M = rp_design_dense_matrix(X);
  double *v = M ? NULL : malloc((n ? n : 1) * sizeof *v),
         *tops = malloc(2 * (p + 1) * sizeof *tops);
  rp_status st = (M || v) && tops ? RP_OK : rp_error_set(err, RP_ENOMEM, "out of memory");
  for (size_t j = 0; st == RP_OK && j < p; j++) {
    if (!M) rp_design_column(X, j, rows, n, v);
    if (M)
      local_value(M->values + j * M->ld, rows, weights, rows, n, tops + 2 * j);
    else
      local_value(v, NULL, weights, rows, n, tops + 2 * j);
  }
  if (st == RP_OK) local_value(y, rows, weights, rows, n, tops + 2 * p);
  if (tops) rp_rows_max(X, tops, 2 * (p + 1));
  for (size_t j = 0; st == RP_OK && j <= p; j++)
    *(j < p ? constant + j : y_constant) = spread_value(tops + 2 * j);
  free(v);
  free(tops);
  return st;
}

rp_status rp_constant_columns(const rp_design *X, const double *y, const double *weights,
                              const size_t *rows, size_t n_rows, int *constant, int *y_constant,
                              rp_error *err) {
  size_t n = rows ? n_rows : X->n;
  if (X->ops->reduce_max)
    return spread_constant_columns(X, y, weights, rows, n, constant, y_constant, err);
  const rp_matrix *M = rp_design_dense_matrix(X);
  double *v = M ? NULL : malloc((n ? n : 1) * sizeof *v);
  if (!M && !v) return rp_error_set(err, RP_ENOMEM, "out of memory");
  for (size_t j = 0; j < X->p; j++) {
    if (M) { /* in place: most columns differ within their first few rows */
      constant[j] = constant_at(M->values + j * M->ld, rows, weights, rows, n);
      continue;
    }
    rp_design_column(X, j, rows, n, v);
    constant[j] = constant_at(v, NULL, weights, rows, n);
  }
  *y_constant = constant_at(y, rows, weights, rows, n);
  free(v);
  return RP_OK;
}

/* The statistics, centred (at c_j = the column's mean, or 0 without
 * intercept) and scaled, in the units of x'_j = (x_j - mu_j)/w_j: with
 * c'_j = (c_j - mu_j)/w_j, d_j = -c'_j and W = sum_i w_i (n without
 * weights; every sum below is weighted by w_i, stats.h),
 *   sum_i (x_ij - c_j)(x_ik - c_k) = w_j w_k (xtx_jk + d_k sx_j + d_j sx_k + W d_j d_k),
 *   sum_i (x_ij - c_j)(y_i - ybar) = w_j (xty_j + e sx_j + d_j sy + W d_j e),   e = mu_y - ybar,
 * and the (weighted) 1/n variance of x_j is w_j^2 (xtx_jj/W - (sx_j/W)^2).
 * Dividing by W s_j s_k (s_j the scale used) gives G and X~'y~/n of the
 * weights normalized to sum to n. */
static rp_status standardize_stats(rp_problem *pb, rp_stats *s, const double *mu, const double *w,
                                   double e, const rp_fit_options *opt, rp_error *err) {
  size_t p = pb->p;
  double n = s->sw, *d = pb->xv, *u = pb->xty; /* W; scratch until the end */
  for (size_t j = 0; j < p; j++) {
    double m = s->sx[j] / n, var = s->xtx[j * p + j] / n - m * m; /* in units of w_j^2 */
    if (!isfinite(var) || !isfinite(w[j] * sqrt(fmax(var, 0.0)))) {
      char label[RP_ERROR_MESSAGE_MAX / 2];
      column_label(opt, j, label, sizeof label);
      return rp_error_set(err, RP_ENUMERIC, "%s: values too large to standardize", label);
    }
    pb->mean[j] = pb->constant[j] || opt->fit_intercept ? mu[j] + w[j] * m : 0.0;
    pb->scale[j] = pb->constant[j] || !opt->standardize ? 1.0 : w[j] * sqrt(var);
    d[j] = opt->fit_intercept ? -m : mu[j] / w[j];
    u[j] = w[j] / pb->scale[j]; /* x~_j = u_j (x'_j + d_j) */
  }
  for (size_t k = 0; k < p; k++)
    for (size_t j = 0; j < p; j++) {
      double *g = &s->xtx[k * p + j];
      *g = pb->constant[j] || pb->constant[k]
               ? 0.0
               : u[j] * u[k] * (*g + d[k] * s->sx[j] + d[j] * s->sx[k] + n * d[j] * d[k]) / n;
    }
  for (size_t j = 0; j < p; j++)
    u[j] =
        pb->constant[j] ? 0.0 : u[j] * (s->xty[j] + e * s->sx[j] + d[j] * s->sy + n * d[j] * e) / n;
  for (size_t j = 0; j < p; j++) {
    pb->xv[j] = s->xtx[j * p + j];
    if (!pb->constant[j] && (!(pb->xv[j] >= DBL_MIN) || !isfinite(pb->xv[j]))) {
      char label[RP_ERROR_MESSAGE_MAX / 2];
      column_label(opt, j, label, sizeof label);
      return rp_error_set(err, RP_ENUMERIC,
                          "%s: spread outside what a fit without "
                          "standardization can square; set model.standardize to true",
                          label);
    }
  }
  pb->gram = s->xtx;
  return RP_OK;
}

rp_status rp_problem_from_stats(rp_stats *s, const double *mu, const double *w, double mu_y,
                                const int *constant, int y_constant, const rp_fit_options *opt,
                                rp_problem **out, rp_error *err) {
  *out = NULL;
  if (s->n < 2) return rp_error_set(err, RP_EDATA, "need at least 2 rows to fit, got %zu", s->n);
  if (!(s->sw > 0.0) || !isfinite(s->sw))
    return rp_error_set(err, RP_EDATA, "the weights of the %zu rows fitted %s", s->n,
                        s->sw > 0.0 ? "sum to more than a double holds" : "are all 0");
  rp_problem *pb = NULL;
  rp_status st = problem_alloc(s->n, s->p, 0, NULL, &pb, err);
  if (st != RP_OK) return st;
  double n = s->sw; /* W = sum_i w_i: the sums' own count */
  pb->l1_ratio = opt->l1_ratio;
  pb->weight_scale = s->sw / (double)s->n;
  memcpy(pb->constant, constant, s->p * sizeof *constant);
  pb->y_mean = opt->fit_intercept ? mu_y + s->sy / n : 0.0;
  double e = mu_y - pb->y_mean;
  pb->yy = (s->yty + 2.0 * e * s->sy + n * e * e) / n;
  st = finish_target(pb, y_constant, opt, err);
  if (st == RP_OK) st = standardize_stats(pb, s, mu, w, e, opt, err);
  return finish_problem(pb, st, opt, out, err);
}

double rp_problem_lam1(const rp_problem *pb, double alpha) { return alpha * pb->l1_ratio; }

double rp_problem_lam2(const rp_problem *pb, double alpha) {
  return alpha * (1.0 - pb->l1_ratio) * pb->l2_scale;
}

void rp_problem_free(rp_problem *pb) {
  if (!pb) return;
  rp_design_free(pb->X);
  free(pb->y);
  free(pb->mean);
  free(pb->scale);
  free(pb->xv);
  free(pb->pf);
  free(pb->lower);
  free(pb->upper);
  free(pb->xty);
  free(pb->constant);
  free(pb->wt);
  free(pb->root);
  free(pb->offset);
  free(pb);
}
