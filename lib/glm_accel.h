/* glm_accel.h (private): Anderson acceleration of coordinate descent on
 * one IRLS quadratic (glm.c).
 *
 * The quadratic Q(b0, b~) = (1/2n) sum_i r_i^2 / w_i + Omega(b~), with
 * r = w (z - b0 - X~ b~), is minimized by sweeps of coordinate descent,
 * which converge linearly, and slowly where the support's columns are
 * correlated (near interpolation: thousands of sweeps a point).  A ring
 * keeps the last K + 1 sweeps' iterates x_t = (b0, b~ on the active set)
 * and their residuals; the affine combination sum_t c_t x_{t+1} of the
 * differences' least-squares weights (c = (U'U)^-1 1 / 1'(U'U)^-1 1, U_t =
 * x_{t+1} - x_t; Anderson acceleration of coordinate descent, Bertrand &
 * Massias 2021) is taken when it lowers Q.  Its residual is the same
 * combination of theirs, exact since r is affine in x and the c_t sum to 1.
 * The ring starts again when the active set changes.  A fit that never
 * allocated one (few columns: RP_ACCEL_LEAST_COLUMNS) keeps nothing, and
 * never moves.
 */
#ifndef REGPATH_GLM_ACCEL_H
#define REGPATH_GLM_ACCEL_H

#include <stddef.h>

#include "problem.h"
#include "tuning.h"

typedef struct {
  double *x;     /* K + 1 slots of p + 1: b0, then b~ on the active set  */
  double *r;     /* K + 1 slots of n: their residuals                    */
  double *trial; /* p + 1 + n: the combination, x then r                 */
  size_t next;   /* slot of the next iterate                            */
  size_t count;  /* consecutive iterates held, at most K + 1            */
  size_t active; /* active-set size when they were taken                */
  double small[RP_CD_EXTRAPOLATION * (RP_CD_EXTRAPOLATION + 1)];
  size_t perm[RP_CD_EXTRAPOLATION];
} rp_glm_accel;

/* Q without the terms of the columns off `active` (0 in every point it
 * compares): (1/2n) sum_i r_i^2 / w_i + the penalty of the m columns
 * active[a], whose coefficients are b_active[a]. */
double rp_glm_quadratic(const rp_problem *pb, const double *w, const double *r,
                        const double *b_active, const size_t *active, size_t m, double lam1,
                        double lam2);

/* 0 without memory (then rp_glm_accel_free frees what was got). */
int rp_glm_accel_alloc(rp_glm_accel *A, const rp_problem *pb);
void rp_glm_accel_free(rp_glm_accel *A);

static inline void rp_glm_accel_restart(rp_glm_accel *A) { A->count = 0; }

/* Keep the iterate (b0, beta on active[0..m)) and residual r. */
void rp_glm_accel_remember(rp_glm_accel *A, const rp_problem *pb, double b0, const double *beta,
                           const size_t *active, size_t m, const double *r);

/* With a full ring: move (b0, beta, r) to the extrapolated iterate when
 * it lowers the quadratic with weights w and penalty (lam1, lam2), and
 * start the ring again.  Returns whether it moved. */
int rp_glm_accel_step(rp_glm_accel *A, const rp_problem *pb, const double *w, double *b0,
                      double *beta, const size_t *active, size_t m, double *r, double lam1,
                      double lam2);

#endif
