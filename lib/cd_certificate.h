/* cd_certificate.h (private): the duality gap of coordinate descent.
 *
 * P(b) = <r, r>/(2n) + Omega(b~) against D(theta) = <theta, y~> -
 * n/2 |theta|^2 - Omega*(X~'theta) at dual points theta = s r/n (s from
 * rp_dual_scalings): the rescaled residual, and trial points (extrapolated,
 * cd_extrapolate.h, or the support's least squares, cd_support.h), the
 * best of which is remembered at its (lam1, lam2).  A filter on the strong
 * set spares the pass over every column while it fails (see
 * rp_cd_strong_set_gap_within).
 */
#ifndef REGPATH_CD_CERTIFICATE_H
#define REGPATH_CD_CERTIFICATE_H

#include <stddef.h>

#include "problem.h"

typedef struct rp_cd rp_cd;

/* A trial point, a dual candidate: extrapolated or the support's least
 * squares. */
typedef struct {
  double *beta;  /* b~ (p, 0 off the active set)                           */
  double *vec;   /* its residual (n) or gradient (p): the state's length    */
  double *grad;  /* X~'r/n of its residual (p): exact on the strong set,
                    everywhere after exact_trial_dual                       */
  int ready;     /* trial holds a point made at the current b~             */
  double ry, rr; /* <r, y~>/n, <r, r>/n of its residual                    */
  double dist2;  /* |r_trial - r|^2 / n                                     */
} rp_cd_trial;

/* The best dual point known, and the gradient a gap sees. */
typedef struct {
  double *grad; /* X~'theta/n as a gap sees it (p): exact on the strong
                   set, 0 or an upper bound of |.| off it; also the
                   support move's step (cd_descent.c)                      */
  double best;  /* the best dual objective found at (lam1, lam2)          */
  double lam1, lam2;
  int valid;
} rp_cd_dual;

/* Room for pb's trial point with states of `len` values and the dual's
 * gradient; 0 without memory (rp_cd_certificate_free frees what was got). */
int rp_cd_certificate_alloc(rp_cd_trial *trial, rp_cd_dual *dual, const rp_problem *pb, size_t len);
void rp_cd_certificate_free(rp_cd_trial *trial, rp_cd_dual *dual);

/* Whether the trial point is as feasible as the residual on the
 * unpenalized columns. */
int rp_cd_unpenalized_as_feasible(const rp_cd *cd);

/* ry = <r, y~>/n and rr = <r, r>/n at the current b~. */
void rp_cd_current_moments(const rp_cd *cd, double *ry, double *rr);

/* Whether the strong-set gap is within `limit`: 1 yes, 0 no, -1 no but
 * the support step moved b~ (sweep again before tightening). */
int rp_cd_strong_set_gap_within(rp_cd *cd, double lam1, double lam2, double limit);

/* Whether the full gap is within `limit` (every gradient current, no KKT
 * violator off the strong set). */
int rp_cd_full_gap_within(rp_cd *cd, double lam1, double lam2, double limit);

/* The rss/n and the gap at the current b~ (rp_cd_certificate). */
void rp_cd_gap(const rp_cd *cd, double lam1, double lam2, double *rss_n, double *gap);

#endif
