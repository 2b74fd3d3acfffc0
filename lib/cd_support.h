/* cd_support.h (private): the active-set support solver of coordinate
 * descent.
 *
 * On the support S (the nonzero b~ not held at a limit, and the strong
 * columns about to join) with signs sigma, the Cholesky factor of
 * A = G_SS + lam2 diag(pf_S) follows S from call to call (cd_support.c);
 * its step d gives
 *  - the support's least-squares point b~ + d, a dual candidate for the
 *    gap (rp_cd_support_point), and
 *  - an exact primal move on stalled sweeps (rp_cd_support_move, and
 *    rounds of them, rp_cd_support_descent; cd_descent.c).
 */
#ifndef REGPATH_CD_SUPPORT_H
#define REGPATH_CD_SUPPORT_H

#include <stddef.h>

#include "cholesky.h"
#include "problem.h"

typedef struct rp_cd rp_cd;

typedef struct {
  size_t cap;           /* largest support it handles (0 = none)             */
  double lam2;          /* the L2 weight the factor includes                 */
  size_t *list;         /* the factor's columns, in its order                */
  char *in_factor;      /* p states: listed in support or not, or barred     */
  size_t blocker;       /* the joining column that blocked the last step at
                           s = 0 (SIZE_MAX: none), support_move             */
  double *gathered;     /* the support's columns (naive updates, n x cap)    */
  rp_cholesky factor;   /* of A (cap^2 storage; factor.m columns, 0 = none)  */
  double *rhs;          /* the step's right-hand side t                      */
  double *step;         /* the step d                                        */
  double *work;         /* scratch of the factor's order                     */
  double *Ad;           /* A delta for the move delta (support_move)         */
  int in_descent;       /* in a descent round: g kept on the support only    */
  double *descent_beta; /* b~ and g as the descent began (p each)           */
  double *descent_grad;
} rp_cd_support;

/* in_factor's states: a column listed in the factor, or not; or barred,
 * held out of S until the end of the current support descent (a joining
 * column whose step pointed against its sign, support_move). */
enum { RP_FACTOR_OUT = 0, RP_FACTOR_IN, RP_FACTOR_BARRED };

/* The solver's buffers (optional: without memory cap stays 0 and the
 * solver is not used). */
void rp_cd_support_alloc(rp_cd *cd);
void rp_cd_support_free(rp_cd_support *sup);

/* The sign sigma_j the support step gives column j. */
double rp_cd_support_sign(const rp_cd *cd, size_t j);

/* Calls f(cd, j) (when given) for each column of S not in the factor;
 * returns how many there are. */
size_t rp_cd_for_each_newcomer(rp_cd *cd, double lam1, void (*f)(rp_cd *, size_t));

/* The step d of the current support into sup.step; returns whether there
 * is one, *m its order. */
int rp_cd_support_solve(rp_cd *cd, double lam1, double lam2, size_t *m);

/* The support's least-squares point into cd->trial; returns whether there
 * is one. */
int rp_cd_support_point(rp_cd *cd, double lam1, double lam2);

/* L L' delta from the factor, into Ad. */
void rp_cd_factor_product(rp_cd *cd, const double *delta, double *Ad);

/* How rp_cd_support_move moved. */
enum { RP_MOVED_NOT = 0, RP_MOVED_PART, RP_MOVED_ALL };

/* The support step as a primal move (cd_descent.c); returns RP_MOVED_*. */
int rp_cd_support_move(rp_cd *cd, double lam1, double lam2);

/* Rounds of support steps on stalled sweeps; returns whether any moved. */
int rp_cd_support_descent(rp_cd *cd, double lam1, double lam2);

#endif
