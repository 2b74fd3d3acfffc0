/* tuning.h (private): every tuned constant of the point solvers, in one
 * place, each with what it is and how it was chosen or measured.
 * Integers are enums, reals macros (a header's static const would be
 * unused in most of the files including it). */
#ifndef REGPATH_TUNING_H
#define REGPATH_TUNING_H

/* ---- Coordinate descent (cd*.c, sweep.c) ---- */

/* Residuals combined by dual extrapolation: K in Massias et al.'s notation. */
enum { RP_CD_EXTRAPOLATION = 5 };

/* Largest support whose least-squares dual point is computed with naive
 * updates (its Gram matrix takes 8 MiB at this size); with covariance
 * updates min(n, p), the Gram matrix being p x p already. */
enum { RP_CD_SUPPORT_MAX = 1024 };

/* The strong set is large when it holds more than p / RP_STRONG_SET_LARGE
 * columns (a quarter): then the contiguous update of every gradient is
 * faster than the scattered one of the strong set's. */
enum { RP_STRONG_SET_LARGE = 4 };

/* A check that fails after a converged sweep (KKT aside) tightens the
 * sweep threshold by this factor (cd.c), or by at least this factor
 * (glm.c's IRLS threshold, aimed at the gap target) and at most
 * RP_THRESHOLD_TIGHTENING_MAX, for a gap target of at least
 * RP_AIMED_TARGET_MIN of the null objective. */
#define RP_THRESHOLD_TIGHTENING 0.01
#define RP_THRESHOLD_TIGHTENING_MAX 1e-6
#define RP_AIMED_TARGET_MIN 1e-9

/* A move must lower the objective by more than this fraction of yy: smaller
 * gains are within rounding, where the naive and covariance forms of the
 * objective could decide differently and the two routes would part. */
#define RP_ACCEL_MIN_GAIN 1e-13

/* An update costs O(m^2) flops in plain loops, a factorization m^3/3 by
 * BLAS 3, several times faster per flop: beyond m / UPDATES_PER_REFACTOR
 * changes, refactoring is cheaper. */
enum { RP_UPDATES_PER_REFACTOR = 16 };

/* Active sweeps at least between two support steps taken in the sweeps:
 * each may need a factorization. */
enum { RP_SUPPORT_STEP_EVERY = 10 };

/* Sweeps stall when, at the rate the last two active sweeps' moves
 * dlx_prev -> dlx shrank, glmnet's rule dlx < thr is more than this many
 * sweeps away: log(thr/dlx) / log(dlx/dlx_prev) > STALL_SWEEPS.  Below it
 * coordinate descent finishes by itself.  With the factor updated rather
 * than refactored, a support descent costs a few sweeps: on mid 2000 x
 * 2000 a threshold of 20 took 5,621 sweeps where 50 took 5,817 for one
 * fold (early stop off), 3,699 where 50 took 3,904 for the full path
 * (measured before support_descent barred blocking columns). */
#define RP_STALL_SWEEPS 20.0

/* A round of support steps (descent_round) goes on while each stops at a
 * sign change (a column leaves S: the factor follows by an O(m^2)
 * update): the inner loop of an active-set method, which near
 * interpolation settles S in far fewer passes over the Gram columns than
 * the sweeps between single steps did.  At most SUPPORT_STEPS_IN_A_ROW
 * steps; joining columns that block a step at s = 0 are barred for the
 * rest of the round. */
enum { RP_SUPPORT_STEPS_IN_A_ROW = 64 };

/* Rounds of support steps: a round whose last step held every sign is
 * followed by another while, with the gradients now current, strong
 * columns at 0 violate their KKT condition (inside a round they were not
 * followed), at most DESCENT_ROUNDS. */
enum { RP_DESCENT_ROUNDS = 4 };

/* The support's least-squares point is tried once the rescaled residual's
 * gap is within this factor of the tolerance: before that the support is
 * still changing, and a point on the wrong support is worse than the
 * residual while its factorization costs several active sweeps (wide
 * 500 x 10000, with GSL's unblocked factorization then: 1e9 factors 143
 * times for 1,876 sweeps, 100 factors 81 times for 2,188 sweeps and takes
 * a fifth less time, 10 lets the sweeps grow to 2,996). */
#define RP_SUPPORT_POINT_RANGE 100.0

/* Pivots below this fraction of the largest diagonal are raised to it
 * (cholesky.h). */
#define RP_CHOLESKY_FLOOR 1e-12

/* ---- Penalized IRLS (glm.c) ---- */

/* IRLS weights are kept above this, so that a saturated observation (mu at
 * 0 or 1) still gives the quadratic a finite curvature.  A larger weight
 * only shortens the step; the fixed point, where the working residual
 * y - mu satisfies KKT, is the same. */
#define RP_WEIGHT_FLOOR 1e-10

/* The support's Hessian factor (glm_factor.h), which the exact solve of
 * each quadratic (glm.c, newton_polish) and the certificate's dual
 * correction (corrected_gap) use, holds up to this many nonzero
 * coefficients: (min(p, this) + 1)^2 doubles, 8 MiB at most per solver
 * (2 MiB for p = 500, where supports reach 480 columns).  The exact solve
 * is tried only where it is cheaper than the sweeps it replaces
 * (newton_cost); up to NEWTON_ALWAYS always. */
enum { RP_NEWTON_MAX_ACTIVE = 1024, RP_NEWTON_ALWAYS = 32 };
/* A binomial or poisson gap target is at most this many times tol
 * (rp_gap_target): the defaults' ratio, gap_tol 1e-6 over tol 1e-7. */
#define RP_GAP_PER_TOL 10.0
/* The shortest fraction of a conjugate-gradient step on the support that
 * glm_cg.c's projected step tries (1, 1/2, ... down to this). */
#define RP_CG_SHORTEST_STEP 0.25
/* The most products of one conjugate-gradient solve for a step on the
 * support (glm.c's iterative_polish): a direction to project, which the
 * deeper solves do not make better once its projection cuts many
 * coefficients to 0.  On a 20000 x 20000 sparse lasso fold's last 20
 * points (sweeps and products): 12,469 at 10, 10,976 at 50, 13,235 at 100,
 * 15,115 unbounded (the factored step's cost, about 4,400). */
enum { RP_CG_DIRECTION_PRODUCTS = 50 };
/* The fewest sweeps between two conjugate-gradient steps on the support
 * (glm.c's newton_cost): two rings of the Anderson accelerator. */
enum { RP_CG_LEAST_WAIT = 2 * (RP_CD_EXTRAPOLATION + 1) };
/* The IRLS sweeps' accelerator (glm_accel.h) keeps RP_CD_EXTRAPOLATION + 1
 * residuals of n values for each fit in flight: with fewer columns than
 * this, a sixteenth of X or more.  There every support fits the factor,
 * whose exact steps do the work: tallbinomial 100000 x 50 (path and 10-fold
 * CV) makes the same 186 sweeps on its path without the ring, at a peak of
 * 70 MiB instead of 80.  So such fits go without it. */
enum { RP_ACCEL_LEAST_COLUMNS = 16 * (RP_CD_EXTRAPOLATION + 1) };
/* Columns one exact solve may drop (each a new factorization) before it
 * gives the quadratic back to coordinate descent. */
enum { RP_NEWTON_DROPS = 8 };

/* A gaussian IRLS fit whose certificate failed checks the residual's gap
 * within its sweeps (glm.c's certified_in_sweeps) once the sweeps since
 * the last check cost this many checks.  On a 20000 x 20000 sparse lasso
 * fold's path (the 18,000 rows of one of 10 folds, 100 points to 1e-4
 * alpha_max, two runs at a time): 46.9 s at 4, 48.0 at 5, 48.7 at 10,
 * 50.2 at 25, and 58.2 without checks.  The sweeps stop when the best dual
 * point certifies them to RP_WATCH_SHARE of the target. */
enum { RP_WATCH_SWEEPS = 5 };
#define RP_WATCH_SHARE 0.5

/* Conjugate gradients preconditioned by the support's factor at an
 * earlier expansion's weights (glm.c's factored_solve) stop once the
 * residual has fallen to this share of the start's (in M^-1's norm), and
 * give up for a factor formed again after RP_PCG_PRODUCTS products, each
 * one pass over the support.  Forming H costs about 10 such passes at
 * 4500 x 450.  Binomial 5000 x 500, path and 10-fold CV: 3.5 products a
 * solve at 1e-4, 4.9 at 1e-8; at 1e-3 and 1e-2 the cruder steps cost the
 * full-data path 627 and 664 sweeps instead of 474. */
#define RP_PCG_REDUCTION 1e-4
enum { RP_PCG_PRODUCTS = 8 };
/* The share of the gap target the corrected dual point must reach
 * (glm.c's corrected_measure). */
#define RP_CORRECTED_SHARE 0.1

/* Halvings of an outer step that raised the objective, before giving up. */
enum { RP_MAX_HALVINGS = 60 };

/* glmnet stops a binomial path when the mean of mu (1 - mu) falls to
 * (1 + pmin) pmin (1 - pmin), pmin = 1e-9: the classes are separated and b
 * diverges as alpha -> 0. */
#define RP_SATURATED_MEAN_VARIANCE 1e-9

/* Newton steps of the intercept-only fit with offsets, at most. */
enum { RP_NULL_NEWTON_STEPS = 100 };

/* ---- How a run holds X (storage.c) ---- */

/* data.storage "auto" holds X as compressed sparse columns when the share
 * of its entries that are nonzero (after encoding) is below this, else
 * dense.  Lasso path + 10-fold CV, sparse time / dense time, one thread,
 * medians of 3 (scripts/bench-sparse-crossover.sh, bench/results-sparse.md):
 * at 10% nonzeros 0.30 (gaussian 1000 x 3000), 0.59 (gaussian 3000 x 500,
 * whose dense fit takes the covariance route) and 0.40 (binomial 2000 x
 * 500); at 20% the tall gaussian is 1.42, sparse slower. */
#define RP_SPARSE_AUTO_DENSITY 0.1

#endif
