/* cd_extrapolate.h (private): extrapolation of coordinate descent's
 * iterates, one state for both of its uses.
 *
 * A ring keeps the last RP_CD_EXTRAPOLATION + 1 active-set sweeps: b~ on
 * the active set (p each) and the state r (naive, n each) or g
 * (covariance, p each).  Their affine combination of smallest residual
 * change (Massias, Gramfort & Salmon 2018, eq. 9) is
 *  - a primal move when it lowers the objective: Anderson acceleration of
 *    the iterates (Bertrand & Massias 2021; skglm keeps it in one class
 *    the same way), rp_cd_accelerate;
 *  - a dual point for the gap (dual extrapolation), rp_cd_extrapolate_on_strong_set.
 * The ring starts again whenever the active set or the order of the
 * sweeps changes: the extrapolation models iterates on a fixed support.
 */
#ifndef REGPATH_CD_EXTRAPOLATE_H
#define REGPATH_CD_EXTRAPOLATE_H

#include <stddef.h>

#include "problem.h"

typedef struct rp_cd rp_cd;

typedef struct {
  double *beta;  /* K + 1 slots of p: b~ on the active set             */
  double *vec;   /* K + 1 slots of the state's length: r or g          */
  size_t next;   /* slot of the next iterate                           */
  size_t count;  /* consecutive iterates held, at most K + 1           */
  size_t active; /* n_active when they were taken                      */
  double *small; /* the K x K system, its right-hand side and solution */
  size_t *small_perm;
} rp_cd_ring;

/* The ring for pb with states of `len` values; 0 without memory (then
 * rp_cd_ring_free frees what was got). */
int rp_cd_ring_alloc(rp_cd_ring *ring, const rp_problem *pb, size_t len);
void rp_cd_ring_free(rp_cd_ring *ring);

/* The iterates held no longer extrapolate the next ones. */
static inline void rp_cd_ring_restart(rp_cd_ring *ring) { ring->count = 0; }

/* Keep the active-set sweep just made. */
void rp_cd_remember_iterate(rp_cd *cd);

/* Whether the ring holds enough iterates for an Anderson step. */
int rp_cd_ring_full(const rp_cd *cd);

/* Anderson acceleration: move to the extrapolated iterate when it lowers
 * the primal objective.  Returns whether it moved. */
int rp_cd_accelerate(rp_cd *cd, double lam1, double lam2);

/* The extrapolated point of the last iterates into cd->trial, its
 * gradient exact on the strong set only; returns whether there is one
 * (trial.ready says so too). */
int rp_cd_extrapolate_on_strong_set(rp_cd *cd);

#endif
