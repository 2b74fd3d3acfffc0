/* glm_cg.h (private): the Newton system on a support too large to
 * factor, solved by conjugate gradients.
 *
 * For the columns S of the nonzero coefficients, the IRLS quadratic with
 * their signs held is smooth, and its minimizer is one Newton step H d = t
 * with glm_factor.h's
 *   H = [1 X~_S]' diag(w) [1 X~_S] / n + lam2 diag(0, pf_S)
 * (the intercept's row and column first when the fit has one).  Past the
 * factor's capacity (RP_NEWTON_MAX_ACTIVE columns) H is never formed:
 * conjugate gradients need only its products H v, each one pass over the
 * support's columns (a waxpy and a dot per column, the cost of one sweep
 * of coordinate descent).  Near interpolation, where supports reach
 * thousands of correlated columns, coordinate descent converges at a rate
 * set by H's condition number kappa, conjugate gradients at one set by
 * sqrt(kappa): on a 2000 x 2000 sparse lasso's last points (kappa 5e3 to
 * 5e4) 95 to 311 products reached 1e-7 of the null objective where the
 * accelerated sweeps took 631 to 2,294.
 *
 * Every iterate lowers the quadratic q(d) = -t'd + d'H d / 2 (conjugate
 * gradients minimize it over a growing Krylov space), so a step stopped
 * early still lowers it.  The solve does not stop where a sign would
 * change: its step is taken projected on the signs' orthant
 * (rp_glm_cg_projected_step).  Near interpolation most of a support's
 * coefficients are small, and the first sign change came after 1 to 8
 * products: stopped there, the steps barely moved the fit (20000 x 20000
 * sparse lasso, one fold's path: 16,753 sweeps and products on its last
 * 20 points, against 10,976 with the projected step of RP_CG_DIRECTION_PRODUCTS).
 * Sums over rows go through rp_rows_sum, so H is the whole fit's.
 */
#ifndef REGPATH_GLM_CG_H
#define REGPATH_GLM_CG_H

#include <stddef.h>

#include "glm_factor.h"
#include "problem.h"
#include "tuning.h"

typedef struct {
  double *u;    /* n: diag(w) [1 X~_S] v, the product's pass over rows */
  double *res;  /* p + 1: t - H d                                     */
  double *dir;  /* p + 1: the search direction                        */
  double *hdir; /* p + 1: H dir                                       */
  double *diag; /* p + 1: H's diagonal, filled by the caller           */
  double *pre;  /* p + 1: the preconditioned residual                 */
} rp_glm_cg;

/* 0 without memory (then rp_glm_cg_free frees what was got). */
int rp_glm_cg_alloc(rp_glm_cg *c, const rp_problem *pb);
void rp_glm_cg_free(rp_glm_cg *c);

/* The system on the k columns `cols`, with weights w and L2 term lam2;
 * `precond` a factor of H on the same columns in the same order at other
 * weights (an earlier expansion's: glm_factor.h), or NULL. */
typedef struct {
  const size_t *cols;
  size_t k;
  const double *w;
  double lam2;
  const rp_glm_factor *precond;
} rp_glm_cg_system;

/* d <- an approximate solution of H d = t (off + k values each, off 1
 * with an intercept), from d = 0, by conjugate gradients, preconditioned
 * by sys->precond when given.  *solved = 1, with diag, when every
 * coordinate's remaining step res_a / diag_a would move the quadratic by
 * less than thr (res_a^2 / diag_a < thr: glmnet's sweep rule, as one more
 * sweep would see it); with diag NULL, when the residual's norm in the
 * preconditioner's inverse, res' M^-1 res, has fallen to RP_PCG_REDUCTION^2
 * of t's.  Otherwise it stopped after max_products products, at a
 * direction of no curvature, or at a singular precond.  Returns the
 * products made. */
long rp_glm_cg_solve(rp_glm_cg *c, const rp_problem *pb, const rp_glm_cg_system *sys,
                     const double *t, const double *diag, double thr, long max_products, double *d,
                     int *solved);

/* The step d taken as b + s d with every coefficient that would change
 * sign set to 0 instead (the point projected on the orthant of the
 * support's signs), for the first s in 1, 1/2, 1/4, ... down to
 * RP_CG_SHORTEST_STEP at which the quadratic (rp_glm_quadratic, penalty
 * lam1 and sys->lam2) falls: b0, beta and the quadratic's residual
 * r = w (z - eta) moved there.  The quadratic is smooth only within the
 * orthant, so a projected step that leaves it need not lower the
 * quadratic; nor need a whole step on an ill-conditioned H, where the
 * solve's recursive residual drifts from the true one: hence the
 * halving.  Returns whether a step was taken.  Uses u and hdir as
 * scratch. */
int rp_glm_cg_projected_step(rp_glm_cg *c, const rp_problem *pb, const rp_glm_cg_system *sys,
                             const double *d, double lam1, double *b0, double *beta, double *r);

#endif
