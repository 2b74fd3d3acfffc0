/* cd_updates.h (private): the two ways coordinate descent keeps its state
 * as b~ changes, as strategy tables chosen once by rp_cd_alloc.
 *
 * Naive updates (cd_naive.c) keep the residual r = y~ - X~ b~ (n values)
 * and read gradients g_j = <x~_j, r>/n off the columns through the design;
 * covariance updates (cd_covariance.c) keep the gradient
 * g = X~'y~/n - G b~ (p values) through the Gram matrix G (Friedman, Hastie
 * & Tibshirani 2010, section 2.2).  Everything that differs between the two
 * is one entry of the table; the loop (cd.c), the extrapolation
 * (cd_extrapolate.c), the certificate (cd_certificate.c) and the support
 * solver (cd_support.c, cd_descent.c) are written once against it.
 */
#ifndef REGPATH_CD_UPDATES_H
#define REGPATH_CD_UPDATES_H

#include <stddef.h>

#include "problem.h"

typedef struct rp_cd rp_cd;

typedef struct rp_cd_updates {
  /* The state vector the iterates carry: r (naive, n values) or g
   * (covariance, p values), and its length. */
  double *(*state)(rp_cd *cd);
  size_t (*state_length)(const rp_problem *pb);
  /* Covariance updates of every column keep every gradient current; naive
   * ones never do (the gradients are read off r when needed). */
  int keeps_gradients;
  /* The KKT check comes before the strong-set gap (covariance: the pass
   * over every column costs about one active sweep; cd.c). */
  int kkt_first;
  /* The support solver gathers its columns (naive: n values each), which
   * bounds its size (cd_support.c). */
  int gathers_columns;

  /* g_j at the current b~. */
  double (*gradient)(const rp_cd *cd, size_t j);
  /* b_j += d into the state: r -= d x~_j, or g -= d G_{.j} (on every
   * column with `all`, else on the strong set). */
  void (*propagate)(rp_cd *cd, size_t j, double d, int all);
  /* g for every column, and for the strong set, from the state. */
  void (*gradient_everywhere)(rp_cd *cd);
  void (*gradient_on_strong_set)(rp_cd *cd);
  /* <r, r>/n at the current b~. */
  double (*current_rss)(const rp_cd *cd);

  /* (U'U)_kl/n of the ring's differences (extrapolation_weights), from the
   * iterates' b~ on the active set (b) and their states (v). */
  double (*ring_product)(const rp_cd *cd, const double *const *b, const double *const *v, size_t k,
                         size_t l);
  /* <r, r>/n of the trial point, and *ry = <r, y~>/n, with g its gradient
   * on the active set (covariance). */
  double (*trial_moments)(const rp_cd *cd, const double *g, double *ry);
  /* The trial point's gradient into trial.grad: on every column, or on the
   * strong set (an extrapolated point). */
  void (*trial_gradient_everywhere)(rp_cd *cd);
  void (*trial_gradient_on_strong_set)(rp_cd *cd);
  /* |r_t - r|^2 / n between the trial point and the current one. */
  double (*trial_distance2)(const rp_cd *cd);

  /* G_SS of the support's m columns into the factor's lower triangle. */
  void (*support_system)(rp_cd *cd, size_t m);
  /* Column j joins the support after its m columns: a = G_Sj (m values);
   * returns G_jj. */
  double (*support_column)(rp_cd *cd, size_t j, size_t m, double *a);
  /* Position k of the support leaves whatever the updates keep of it. */
  void (*support_drop)(rp_cd *cd, size_t k);
  /* The support point b~ + d (support.step, m columns, in trial.beta):
   * trial.vec or trial.grad on the strong set, trial.rr, .ry, .dist2. */
  void (*support_trial)(rp_cd *cd, size_t m);
  /* A delta (A = G_SS + lam2 diag(pf), delta = the step d projected on
   * the orthant, `flips` columns set to 0) into Ad. */
  void (*projected_product)(rp_cd *cd, const double *delta, size_t flips, double *Ad);
  /* b~_S += delta done: the state follows (`all` as in propagate). */
  void (*support_shift)(rp_cd *cd, const double *delta, int all);
} rp_cd_updates;

extern const rp_cd_updates rp_cd_naive_updates;
extern const rp_cd_updates rp_cd_covariance_updates;

/* The loop's bookkeeping of the gradients (cd.c). */

/* Whether a move of b~ updates the gradient of every column: when they
 * are current, or the strong set is large. */
int rp_cd_moves_update_all(const rp_cd *cd);

/* After changes propagated with `all`: only updates that keep gradients
 * (covariance) of every column keep every gradient current. */
void rp_cd_mark_gradients(rp_cd *cd, int all);

/* The gradient of every column, when not current (KKT, certificate). */
void rp_cd_refresh_gradient(rp_cd *cd);

/* The gradients of the strong set, when the updates do not keep them. */
void rp_cd_refresh_strong_gradient(rp_cd *cd);

#endif
