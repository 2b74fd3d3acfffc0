/* sweep.h (private): the point loop both solvers share (cd.c for the
 * gaussian family, glm.c for IRLS's quadratics).
 *
 * Cyclic coordinate descent over sets of columns, glmnet's way: the strong
 * set (screened by the sequential strong rule, grown by KKT violators)
 * swept in full, the active set (every column that has been nonzero, in
 * order of entry) swept until it settles.  One coordinate step is
 *   b_j <- S(g_j + xv_j b_j, lam1 pf_j) / (xv_j + lam2 pf_j)
 * (penalty.h), with g_j, xv_j and the update of the solver's state after
 * b_j += d supplied by the solver as callbacks.  Each step returns
 * xv_j d^2, glmnet's convergence measure; a sweep returns its largest.
 */
#ifndef REGPATH_SWEEP_H
#define REGPATH_SWEEP_H

#include "problem.h"

typedef struct {
  const rp_problem *pb;
  double *beta; /* b~, the solver's                                  */
  void *solver; /* passed to the callbacks                           */
  double (*gradient)(void *solver, size_t j);     /* g_j at the current b~    */
  double (*curvature)(void *solver, size_t j);    /* xv_j                     */
  void (*move)(void *solver, size_t j, double d); /* b_j += d happened     */
  double (*first_step)(void *solver);             /* before every sweep (the intercept's
                                                     step), returning its xv d^2; or NULL */
  char *strong;        /* swept in full sweeps                              */
  size_t *strong_list; /* the same columns, in order of joining            */
  size_t n_strong;
  char *entered;  /* has been nonzero at some point of the path        */
  size_t *active; /* entered columns in order of entry                 */
  size_t n_active;
  int settling; /* rp_sweep_to_threshold ran out inside its active sweeps */
} rp_sweep;

/* The sets for pb's p columns, empty; the callbacks are the caller's to
 * set.  Returns 0 without memory (rp_sweep_free then frees what was got). */
int rp_sweep_alloc(rp_sweep *s, const rp_problem *pb, double *beta, void *solver);
void rp_sweep_free(rp_sweep *s);

void rp_sweep_make_strong(rp_sweep *s, size_t j);
void rp_sweep_enter(rp_sweep *s, size_t j);

/* Sequential strong rule (Tibshirani et al. 2012): every usable column
 * with |g_j(previous solution)| > l1 pf_j (2 alpha - alpha_prev) joins the
 * strong set.  Returns how many joined. */
size_t rp_sweep_screen(rp_sweep *s, const double *grad, double alpha, double alpha_prev);

/* Usable columns outside the strong set that violate |g_j| <= lam1 pf_j
 * join it.  Returns how many joined. */
size_t rp_sweep_add_kkt_violators(rp_sweep *s, const double *grad, double lam1);

/* The usable unpenalized columns (pf_j = 0) join the strong set.  Returns
 * how many joined. */
size_t rp_sweep_add_unpenalized(rp_sweep *s);

/* One coordinate step on column j; returns xv_j (change)^2. */
double rp_sweep_coordinate(rp_sweep *s, size_t j, double lam1, double lam2);

/* A sweep of the strong set (in column order) or of the active set (in
 * order of entry); returns the largest xv_j (change)^2. */
double rp_sweep_strong(rp_sweep *s, double lam1, double lam2);
double rp_sweep_active(rp_sweep *s, double lam1, double lam2);

/* glmnet's loop: a sweep of the strong set, then the active set until a
 * sweep moves less than thr, until a strong sweep does.  The sweeps used
 * (at most `budget`) into *sweeps; returns 1 when a strong sweep moved
 * less than thr, 0 when the budget ran out first (a call that ran out
 * inside the active sweeps goes on with them the next time). */
int rp_sweep_to_threshold(rp_sweep *s, double lam1, double lam2, double thr, long budget,
                          long *sweeps);

#endif
