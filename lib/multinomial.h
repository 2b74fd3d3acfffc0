/* multinomial.h (private): the multinomial point solver (K >= 3 classes),
 * glmnet's ungrouped multinomial elastic net by penalized IRLS, one class at
 * a time.
 *
 * pb->y holds each row's class, 0..K-1.  Over the intercepts b0_k and the
 * standardized coefficients b~_k (p each) of K linear predictors
 * eta_ik = b0_k + x~_i.b~_k, with p_ik = e^eta_ik / sum_l e^eta_il, it
 * minimizes
 *   P = (1/n) sum_i v_i [log sum_k e^eta_ik - eta_{i,y_i}] + sum_k Omega(b~_k),
 * Omega the elastic net of penalty.h on each class's coefficients (glmnet's
 * type.multinomial = "ungrouped").  The loss is unchanged when the same
 * number is added to every class's intercept, or every class's b~_jk;
 * after each round the intercepts are centred to sum to 0 (glmnet's
 * rule) and each column's coefficients are shifted by the number that
 * minimizes its penalty (glmnet's elc), which lowers P.
 *
 * A round visits the classes in turn: class k's loss is expanded to second
 * order in eta_k, the others held, with weights w_i = v_i p_ik (1 - p_ik)
 * and working residual v_i (y_ik - p_ik) (y_ik = 1 where y_i = k), and
 * that weighted least-squares problem is solved by the coordinate descent
 * of sweep.h (its own strong and active sets per class).
 *
 * Grouped (glmnet's type.multinomial = "grouped", multinomial_group.c):
 * the penalty is Omega on each column's norm over the classes,
 *   sum_j pf_j (lam1 |b~_j.| + lam2/2 |b~_j.|^2),  |.| the Euclidean norm,
 * so a feature enters every class at once.  Each round majorizes the loss
 * at the current eta by its gradient and the curvature bound t X~'VX~ (x)
 * I_K, t = 2 max_ik p_ik (1 - p_ik) (Gershgorin's bound on the Hessian
 * diag(p_i) - p_i p_i' of each row, glmnet's), and minimizes that by block
 * coordinate descent over the columns, each block step a group soft
 * threshold: b~_j. = (1 - lam1 pf_j / |u|)_+ u / (t xv_j + lam2 pf_j),
 * u = t xv_j b~_j. + g_j.; the majorizer's minimum lowers P.  The
 * certificate is the same with the block norms |G_j.| in place of the
 * per-class gradients (the conjugate of the group penalty is that of
 * Omega at the norm).  Rounds go on
 * until one moves no coefficient by more than glmnet's measure (tol times
 * the null deviance / 2n); then the KKT check on every class, and the
 * duality gap.
 *
 * The certificate.  With r_ik = y_ik - p_ik and G_k = X~' V r_k / n, the
 * dual point q_i = y_i - s r_i = (1 - s) y_i + s p_i lies on the simplex
 * for s in [0, 1], and Fenchel-Young row by row (the conjugate of
 * log-sum-exp is sum_k q_k log q_k on the simplex) gives
 *   D = -(1/n) sum_i v_i sum_k q_ik log q_ik - sum_k Omega*(s G_k)
 *       - s sum_k (b0_k sum_i v_i r_ik / n + sum_{pf_j = 0} b~_jk G_jk),
 * a lower bound on P at the current intercepts: P - D >= 0 bounds the
 * suboptimality of the penalized coefficients (s from rp_dual_scalings,
 * the smallest over the classes).
 */
#ifndef REGPATH_MULTINOMIAL_H
#define REGPATH_MULTINOMIAL_H

#include "problem.h"
#include "sweep.h"

typedef struct {
  const rp_problem *pb;
  size_t K;
  double *beta;    /* p x K: class k's b~ from beta + k p               */
  double *b0;      /* K intercepts                                      */
  double *eta;     /* n x K: class k's linear predictor from eta + k n   */
  double *prob;    /* n x K: p_ik                                        */
  double *grad;    /* p x K: G_k at the current fit                      */
  rp_sweep *sweep; /* K: each class's strong and active sets         */
  size_t cls;      /* the class whose quadratic is being solved         */
  double *w;       /* n: its IRLS weights                               */
  double *resid;   /* n: its working residual, w (z - eta_k)            */
  double w_mean;   /* sum_i w_i / n                                     */
  double *xv;      /* p: its weighted <x~_j, x~_j>/n, valid where stamped */
  long *xv_stamp;
  long expansions;
  double *beta_old; /* p: class k's b~ at the start of its quadratic */
  double *work;     /* 2K: a column's coefficients (normalize), a row's
                       eta and probabilities (set_prob)                */
  double null_deviance;
  double thr, gap_limit;
  long max_iter;
  int saturated; /* every class's weights vanished: separated classes */
  /* grouped only (multinomial_group.c) */
  int grouped;
  char *strong;  /* p: the columns swept                                */
  double *major; /* n x K: the majorizer's residual v (y - p) - W X~ d,
                    W its row weights (in w), xv its curvatures        */
  double *norms; /* p: a column's norms over the classes (scratch)        */
} rp_multinomial;

/* v_i t, 0 for a row of weight 0 (whatever t is). */
static inline double rp_multinomial_weighted(const rp_multinomial *m, size_t i, double t) {
  const double *v = m->pb->wt;
  return !v ? t : v[i] > 0.0 ? v[i] * t : 0.0;
}

/* Shared by the two solvers: prob from eta; the mean loss; every class's
 * gradient G_k into grad; |G_j.| (or |b~_j.| with `of_beta`) into norms. */
void rp_multinomial_set_prob(rp_multinomial *m);
double rp_multinomial_loss(const rp_multinomial *m);
void rp_multinomial_refresh_gradient(rp_multinomial *m);
void rp_multinomial_norms(const rp_multinomial *m, int of_beta);

/* Class k's intercept to the minimum of the quadratic whose weighted
 * residual is resid (n; w the weights): d = sum resid / sum w, resid -= w d
 * and eta_k += d; returns (sum w / n) d^2.  0 without an intercept. */
double rp_multinomial_intercept_step(rp_multinomial *m, size_t k, double *resid);

/* The intercepts less their mean, eta with them (the loss is the same). */
void rp_multinomial_centre_intercepts(rp_multinomial *m);

/* sum_i w_i x~_ij^2 / n for the current weights w (a class's quadratic,
 * or the grouped majorizer's), computed once per expansion. */
double rp_multinomial_curvature(rp_multinomial *m, size_t j);

/* The grouped solver's parts (multinomial_group.c): its rounds (as the
 * ungrouped one's: to thr, within budget sweeps), the strong rule and the
 * KKT check on the block norms of grad (in norms), returning how many
 * columns joined. */
long rp_multinomial_group_rounds(rp_multinomial *m, double lam1, double lam2, double thr,
                                 long budget);
size_t rp_multinomial_group_screen(rp_multinomial *m, double alpha, double alpha_prev);
size_t rp_multinomial_group_kkt(rp_multinomial *m, double lam1);
size_t rp_multinomial_group_unpenalized(rp_multinomial *m);

/* The solver for pb (K classes; pb->y in 0..K-1).  Errors: RP_EDATA naming
 * a row whose class is not one of 0..K-1; RP_ENOMEM. */
rp_status rp_multinomial_alloc(const rp_problem *pb, size_t K, const rp_fit_options *opt,
                               rp_multinomial **out, rp_error *err);

/* The intercept-only fit (alpha >= alpha_max), the unpenalized columns
 * fitted too. */
void rp_multinomial_fit_unpenalized(rp_multinomial *m);

/* alpha_max: the largest rp_penalty_alpha_max over the classes' gradients. */
double rp_multinomial_alpha_max(const rp_multinomial *m);

/* Solve at alpha, warm-started from the current fit; as rp_glm_solve. */
long rp_multinomial_solve(rp_multinomial *m, double alpha, double alpha_prev, int *converged);

/* The deviance 2 sum_i v_i [log sum_k e^eta_ik - eta_{i,y_i}] of the
 * current fit and its duality gap at alpha. */
void rp_multinomial_certificate(const rp_multinomial *m, double alpha, double *deviance,
                                double *gap);

void rp_multinomial_free(rp_multinomial *m);

#endif
