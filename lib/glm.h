/* glm.h (private): the binomial and poisson point solver, penalized IRLS.
 *
 * Minimizes, over the intercept b0 and the standardized coefficients b~ of a
 * prepared problem (pb->y holds the target itself, not centred),
 *   P(b0, b~) = (1/n) sum_i v_i l(y_i, eta_i) + Omega(b~),   eta = o + b0 + X~ b~,
 * with l and Omega as in family.h and penalty.h, v_i the observation weights
 * normalized to sum to n (pb->wt; 1 without) and o_i the offsets (pb->offset;
 * 0 without).  Each outer (Newton / IRLS)
 * step expands l to second order at the current eta, with weights
 * w_i = v_i c''(eta_i) and working residual y_i - mu_i, and solves that weighted
 * least-squares problem by cyclic coordinate descent on the strong set, the
 * intercept being one more (unpenalized) coordinate, as glmnet's lognet and
 * fishnet do (Friedman, Hastie & Tibshirani 2010, section 3).  A step that
 * does not lower P is halved, which also catches e^eta overflowing (P = inf).
 * Convergence: an outer step in which max_j xv_j (change in b_j)^2 < tol *
 * (null deviance / 2n), xv_j the weighted <x~_j, x~_j>/n (glmnet's rule); then the KKT check
 * on the columns outside the strong set, and the duality gap (below) within
 * gap_tol times the null objective (null deviance / 2n).
 *
 * The certificate: with r_i = v_i (y_i - mu_i) and g_j = <x~_j, r>/n, the
 * dual point theta = s r/n (s from rp_dual_scalings) gives, at the fitted
 * intercept and unpenalized coefficients,
 *   D(theta) = -(1/n) sum_i v_i c*(y_i + s (mu_i - y_i)) - Omega*(s g)
 *              - s (b0 sum_i r_i/n + sum_{pf_j = 0} b_j g_j + sum_i r_i o_i/n)
 * (Fenchel-Young row by row, c(eta_i) - y_i eta_i >= -c*(q_i) + (q_i - y_i)
 * eta_i at q_i = y_i + s (mu_i - y_i), weighted by v_i >= 0 and summed; the
 * offsets enter through eta = o + b0 + X~ b~), so P - D >= 0 bounds the
 * suboptimality of the penalized coefficients in the weighted objective; the
 * unpenalized ones are converged by the sweep rule (their gradients are the
 * last term's factors).  The same bound holds for any other residual whose
 * mean y - r/v stays in the family's range: glm.c's corrected_gap uses one
 * moved by Newton steps on the support, and certified_in_sweeps the
 * sweeps' own with the intercept's exact step taken (its r then sums to 0,
 * so that D does not depend on b0).
 */
#ifndef REGPATH_GLM_H
#define REGPATH_GLM_H

#include "glm_accel.h"
#include "glm_cg.h"
#include "glm_factor.h"
#include "path_predict.h"
#include "problem.h"
#include "sweep.h"

typedef struct {
  const rp_problem *pb;
  rp_family family;
  double *beta;  /* b~                                                 */
  double b0;     /* intercept on the standardized columns              */
  double *eta;   /* b0 + X~ b~                                         */
  double *mu;    /* c'(eta)                                            */
  double *w;     /* IRLS weights at the current expansion              */
  double *resid; /* w (z - eta) of the current quadratic; y - mu at its start */
  double w_mean; /* sum_i w_i / n                                      */
  double loss;   /* (1/n) sum_i v_i l(y_i, eta_i) at the current eta    */
  double *xv;    /* weighted <x~_j, x~_j>/n, valid where xv_stamp == w_epoch */
  long *xv_stamp;
  long expansions;
  long w_epoch;            /* advanced by each expansion that changes w (never, after
                              the first, for the gaussian family: its w is v) */
  double *grad;            /* g_j = <x~_j, v (y - mu)>/n, current after each solve */
  double *beta_old;        /* b~ at the start of an outer step                   */
  rp_sweep sweep;          /* the strong and active sets, and the sweeps over
                              them on the current quadratic (sweep.h)         */
  size_t *newton_cols;     /* the support's columns (support_columns)           */
  double *newton_d;        /* a Newton step on them, in hess's order (newton_cols'
                              past hess's capacity)                            */
  double *newton_t;        /* the negative gradient it solves for, past hess     */
  rp_glm_factor hess;      /* the Hessian on the support, factored (glm_factor.h) */
  rp_glm_cg cg;            /* the step past hess's capacity (glm_cg.h)           */
  long cg_products;        /* products the last such step made (at least 1)     */
  rp_glm_accel accel;      /* the sweeps' last iterates, extrapolated (glm_accel.h) */
  double *dual_r;          /* n: the corrected dual point's residual r' (glm.c) */
  double *dual_mu;         /* n: its mean y - r'/v                               */
  double *dual_grad;       /* p: its X~'r'/n                                     */
  double *dual_step;       /* the support's step that made it, in hess's order  */
  double corrected_gap;    /* P - D for the current fit at the best dual point but
                              the residual's: corrected_gap's, or the best met in
                              the sweeps (dual_best); INFINITY for none */
  double dual_best;        /* the largest dual objective met in the sweeps at
                              this alpha, a lower bound on its optimum       */
  int watchable;           /* whether they may: gaussian, every column penalized */
  int watching;            /* whether the sweeps check the gap (glm.c's
                              certified_in_sweeps)                           */
  int watch_met;           /* whether that check stopped the last sweeps      */
  long unwatched;          /* sweeps since its last pass over the columns     */
  double half_yy;          /* (1/2n) sum_i v_i y_i^2: a gaussian loss is its
                              quadratic less this                            */
  long correction_wait;    /* failed checks left to skip before the next try */
  long correction_backoff; /* that skip's length after a failed try: 1, 2, 4, ... */
  double null_deviance;    /* sum_i v_i d(y_i, null fit's eta_i)               */
  double saturated_loss;   /* (1/n) sum_i -v_i c*(y_i): the smallest possible loss */
  double thr;
  double gap_limit; /* the certificate's target, rp_gap_target of the null objective */
  long max_iter;
  rp_predictor pred; /* the warm start's prediction (path_predict.h)   */
} rp_glm;

/* Errors: RP_EDATA naming the first target value the family cannot model;
 * RP_ENOMEM. */
rp_status rp_glm_alloc(const rp_problem *pb, const rp_fit_options *opt, rp_glm **out,
                       rp_error *err);

/* The solution for alpha >= alpha_max: the intercept and the unpenalized
 * columns fitted, every penalized b_j = 0. */
void rp_glm_fit_unpenalized(rp_glm *g);

/* alpha_max at the unpenalized fit (rp_penalty_alpha_max of its gradient). */
double rp_glm_alpha_max(const rp_glm *g);

/* Solve at alpha, warm-started (path_predict.h); as rp_cd_solve. */
long rp_glm_solve(rp_glm *g, double alpha, double alpha_prev, int *converged);

/* At the current fit: its deviance sum_i v_i d(y_i, eta_i) and the duality
 * gap, the smallest of the residual's and, when the solve that made the
 * fit, at this alpha, met one, of the corrected dual point's (glm.c's
 * corrected_gap) or of the best dual point its sweeps checked (glm.c's
 * certified_in_sweeps). */
void rp_glm_certificate(const rp_glm *g, double alpha, double *deviance, double *gap);

/* Whether the fitted probabilities have all but reached 0 and 1 (binomial
 * with separated classes), where the path stops as glmnet's does. */
int rp_glm_saturated(const rp_glm *g);

void rp_glm_free(rp_glm *g);

#endif
