/* problem.h (private): one fit's data, prepared for coordinate descent.
 *
 * The working columns are x~_j = (x_j - m_j) / s_j over the rows being
 * fitted, with m_j the column mean (0 without intercept) and s_j its 1/n
 * standard deviation (1 without standardize), as glmnet's `standard`
 * routine does.  The target is y~ = y - ybar (y itself without intercept)
 * for the gaussian family; the other families keep y itself (glm.h).
 * Everything downstream uses the 1/n inner product <a, b>/n.
 *
 * With observation weights, v_i = n w_i / sum_k w_k over the rows fitted
 * (they sum to n, glmnet's normalization), the means and variances are
 * weighted: m_j = sum_i v_i x_ij / n, s_j^2 = sum_i v_i (x_ij - m_j)^2 / n.
 * The gaussian family then works on the rows scaled by sqrt(v_i),
 *   x~_ij = sqrt(v_i) (x_ij - m_j) / s_j,   y~_i = sqrt(v_i) (y_i - ybar),
 * since sum_i v_i (y_i - b0 - x_i.b)^2, minimized over b0, is |y~ - X~ b~|^2:
 * the coordinate descent, its KKT check and its duality gap (cd.h) are those
 * of an unweighted problem, and certify the weighted one.  The IRLS families
 * keep x~_ij = (x_ij - m_j) / s_j and put v_i into their own weights (glm.h).
 * Offsets reach only the IRLS families: a gaussian fit takes y - o instead
 * (path.c, rp_offset_target).  A row of weight 0 counts nowhere, as if it
 * were not there (also for which columns are constant).
 */
#ifndef REGPATH_PROBLEM_H
#define REGPATH_PROBLEM_H

#include "regpath/design.h"
#include "regpath/path.h"
#include "sparse.h"
#include "stats.h"

typedef struct {
  size_t n, p;    /* n: the rows held here (loop bounds, vector lengths)   */
  size_t n_total; /* the rows of the fit over every process holding some:
                     the n of the objective's 1/n (= n while all are local) */
  rp_design *X;   /* working columns x~ (constant columns left at 0), or
                     NULL when the fit runs on the Gram matrix             */
  double *y;      /* y~ (gaussian) or y, n values (NULL with the Gram matrix) */
  double *gram;   /* G_jk = <x~_j, x~_k>/n, p x p, for covariance updates,
                     or NULL; borrowed from the statistics it came from    */
  double *mean;   /* m_j                                                   */
  double *scale;  /* s_j                                                   */
  double *xv;     /* <x~_j, x~_j>/n (1 when standardized with intercept)   */
  double *pf;     /* penalty factors rescaled to sum to p (glmnet)         */
  double *lower;  /* the limits on b~_j = s_j b_j: l_j s_j and u_j s_j (opt's
                     lower_limits and upper_limits), or both NULL: no limits */
  double *upper;
  double *xty;   /* c_j = <x~_j, y~>/n                                    */
  int *constant; /* column takes one value on these rows: left out        */
  int intercept; /* the fit has an intercept                              */
  int centred;   /* x~ subtracts m_j, and a gaussian y~ subtracts ybar: every
                    route but the sparse one, whose columns stay uncentred
                    (x~_j = x_j / s_j, sparse.h) and whose fits, gaussian
                    too, run on the IRLS solver with the intercept as a
                    coordinate (glm.h); b0 then absorbs the means        */
  double y_mean; /* ybar (0 without intercept)                            */
  double yy;     /* <y~, y~>/n = null deviance / n                        */
  double l1_ratio;
  double l2_scale;     /* c in the L2 term: 1, or 1/sd(y) for glmnet's convention */
  double *wt;          /* v_i of the rows (the naive route with weights), or NULL
                          for all 1                                            */
  double *root;        /* gaussian with weights: sqrt(v_i), the rows' scale in
                          x~ and y~; else NULL                                 */
  double *offset;      /* IRLS families: o_i of the rows, or NULL for all 0    */
  double weight_scale; /* sum_i w_i / n over the rows: 1 without weights   */
} rp_problem;

/* Prepare rows `rows` (NULL = all) of the raw design X (design.h) and y for
 * a fit with options `opt`: the copy route, its working columns gathered. */
rp_status rp_problem_prepare(const rp_design *X, const double *y, const size_t *rows, size_t n_rows,
                             const rp_fit_options *opt, rp_problem **out, rp_error *err);

/* A fold's held-out rows among those of a problem: indices into them. */
typedef struct {
  const size_t *rows;
  size_t n;
} rp_held_out;

/* The same problem as rp_problem_prepare (a gaussian one with weights:
 * RP_EINVAL, since its rows would scale by sqrt(v_i)), with the same
 * centres and scales, but without a copy of the columns: the working
 * columns are a view (design_view.h) of rows `rows` (n_rows of them, which
 * must outlive the problem; NULL: all X->n in order) of Z = (X - mu)/w, an
 * X->n x X->p matrix with z_ij = (x_ij - mu_j)/w_j that the caller
 * standardized once and keeps while the problem lives.  The `held` rows
 * among them (NULL: none; only for the IRLS families) are a fold's
 * held-out ones: viewed, but weighted 0 and no rows of the fit (its
 * n_total is n_rows - held->n).  Memory per problem: O(n + p). */
rp_status rp_problem_prepare_view(const rp_design *X, const rp_matrix *Z, const double *mu,
                                  const double *w, const double *y, const size_t *rows,
                                  size_t n_rows, const rp_held_out *held, const rp_fit_options *opt,
                                  rp_problem **out, rp_error *err);

/* The problem of rows `rows` (NULL = all) of the sparse matrix M, any
 * family, with uncentred working columns (centred = 0 above) read in place
 * (sparse_view.h); its means, scales and constant columns from the stored
 * entries alone.  Errors: as rp_problem_prepare; RP_EINVAL for a row
 * listed twice. */
rp_status rp_problem_prepare_sparse(const rp_csc *M, const double *y, const size_t *rows,
                                    size_t n_rows, const rp_fit_options *opt, rp_problem **out,
                                    rp_error *err);

/* The same problem for the training rows of fold k (every row but its
 * block) of the rows grouped by fold (sparse.h), fitted in F's order, so
 * that its view reads each column as two runs (y, weights and offsets are
 * the caller's, indexed by its rows). */
rp_status rp_problem_prepare_sparse_fold(const rp_csc_folds *F, size_t k, const double *y,
                                         const rp_fit_options *opt, rp_problem **out,
                                         rp_error *err);

/* The same problem from sufficient statistics (the covariance route): the
 * centring and scaling are applied algebraically, and s->xtx is turned into
 * the standardized Gram matrix in place, so `s` is consumed and must outlive
 * the problem.  `constant` flags the columns constant on these rows (p),
 * `y_constant` the target; mu, w and mu_y are the shift and scale of the
 * statistics, which carry the weights themselves (stats.h). */
rp_status rp_problem_from_stats(rp_stats *s, const double *mu, const double *w, double mu_y,
                                const int *constant, int y_constant, const rp_fit_options *opt,
                                rp_problem **out, rp_error *err);

/* A test of constancy in parts (rows spread over processes, or read a
 * block at a time): the part's top (2 values) over x at `rows` (NULL:
 * 0..n-1; weights indexed as x, NULL = all count), which is (v, -v) when
 * the counted values all equal v, (inf, inf) when two differ, (-inf, -inf)
 * when none counts.  The parts' tops, their largest taken value by value,
 * say constant (rp_constant_of_top) exactly when x is constant on them all
 * together (or no row counts). */
void rp_constant_top(const double *x, const double *weights, const size_t *rows, size_t n,
                     double *top);
int rp_constant_of_top(const double *top);

/* Which columns (p flags) and whether the target are constant on `rows`,
 * the rows of weight 0 left out (`weights` indexed as X's rows; NULL = all
 * count).  Some row must have a positive weight.  RP_ENOMEM only. */
rp_status rp_constant_columns(const rp_design *X, const double *y, const double *weights,
                              const size_t *rows, size_t n_rows, int *constant, int *y_constant,
                              rp_error *err);

/* A gaussian offset taken into the target: for a gaussian fit with
 * opt->offset, *y_fit = y - o over all n rows (malloc'd, the caller frees
 * it) and *fit_opt = *opt without the offset; else *y_fit = NULL and
 * *fit_opt = *opt. */
rp_status rp_offset_target(const double *y, size_t n, const rp_fit_options *opt, double **y_fit,
                           rp_fit_options *fit_opt, rp_error *err);

/* The path on a prepared problem (the path driver behind rp_path_fit). */
rp_status rp_path_fit_problem(const rp_problem *pb, const rp_fit_options *opt, rp_path **out,
                              rp_error *err);

/* Takes point k of a path as it is solved: its coefficients on the original
 * scale in coef, and path's other arrays at k. */
typedef struct {
  void (*take)(void *ctx, const rp_path *path, size_t k, const double *coef);
  void *ctx;
} rp_point_sink;

/* rp_path_fit_problem handing every point to `sink` as it is solved.  The
 * path's coef then holds its last point only (one row of p): a fold of a
 * cross-validation is scored point by point (cv.c) without its p x n_alphas
 * matrix, which on wide data is the largest thing a fit holds.  Such a path
 * is the caller's bookkeeping, never a result. */
rp_status rp_path_fit_streamed(const rp_problem *pb, const rp_fit_options *opt,
                               const rp_point_sink *sink, rp_path **out, rp_error *err);

/* eta_i = b0 + sum_j coef_j x_{rows[i], j} over the nonzero coef_j, in
 * increasing j (the one order of summation of every prediction), for the
 * raw design X; `col` is room for n values. */
void rp_predict_rows(const double *coef, double b0, const rp_design *X, const size_t *rows,
                     size_t n, double *col, double *eta);

/* The multinomial family's K: opt->n_classes, or 1 + the largest of the n
 * classes y (0 = one class). */
size_t rp_class_count(const rp_fit_options *opt, const double *y, size_t n);

/* A copy of a whole path (every point's coefficients): *out owned by the
 * caller.  RP_ENOMEM. */
rp_status rp_path_copy(const rp_path *path, rp_path **out, rp_error *err);

/* The penalty weights at strength alpha: lam1 for the L1 term, lam2 for the L2. */
double rp_problem_lam1(const rp_problem *pb, double alpha);
double rp_problem_lam2(const rp_problem *pb, double alpha);

void rp_problem_free(rp_problem *pb);

#endif
