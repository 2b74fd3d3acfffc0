/* glm_factor.h (private): the IRLS Hessian on the support, factored, and
 * kept from one use to the next.
 *
 * For the columns S of the nonzero coefficients and weights w,
 *   H = [1 X~_S]' diag(w) [1 X~_S] / n + lam2 diag(0, pf_S),
 * the intercept's row and column first when the fit has one (absent
 * otherwise).  With the weights of the current expansion it is the
 * curvature of the quadratic IRLS solves (glm.c's exact step and the
 * certificate's dual correction); with the weights of an earlier one it
 * is close to it, and preconditions conjugate gradients on it (glm.c's
 * factored_solve).  So the factor follows S from one use to the next, and
 * from one alpha to the next, by column updates (rp_cholesky_append,
 * rp_cholesky_remove) made with the weights it was formed with (kept
 * here), and is formed again (the design's BLAS 3 wgram, then
 * rp_cholesky_factor) when many columns change or those gradients do not
 * converge.
 *
 * Sums over rows go through rp_rows_sum, so H is the whole fit's.
 */
#ifndef REGPATH_GLM_FACTOR_H
#define REGPATH_GLM_FACTOR_H

#include "cholesky.h"
#include "problem.h"

typedef struct {
  rp_cholesky chol;    /* of H, order off + k                                 */
  size_t *cols;        /* S in factor order (rows off, off + 1, ... of H)      */
  size_t k;            /* |S|                                                  */
  size_t cap;          /* the most columns it holds; 0 without memory: unused  */
  size_t off;          /* 1 with the intercept's row, else 0                   */
  double *w;           /* the weights it was formed with, n values             */
  double lam2;         /* its L2 term                                          */
  long stamp;          /* the caller's name for those weights (glm.c: the
                          expansion they came from); -1 before any            */
  size_t block;        /* the most columns appended in one pass            */
  double *work;        /* block n + (off + cap + block) block doubles: new
                          columns' w x~_j, then their products              */
  size_t *adding;      /* block columns being appended                      */
  unsigned char *mark; /* p flags, all 0 between calls                      */
} rp_glm_factor;

/* Room for up to `cap` columns (at most p).  Without the memory the factor
 * stays unused (cap 0) and every call below returns 0. */
void rp_glm_factor_alloc(rp_glm_factor *F, const rp_problem *pb, size_t cap);

/* H for the k columns `cols` at weights w (copied), factored.  Returns 0
 * when k > cap, or the design cannot form a weighted Gram matrix. */
int rp_glm_factor_form(rp_glm_factor *F, const rp_problem *pb, const size_t *cols, size_t k,
                       const double *w, double lam2, long stamp);

/* H brought to the k columns `cols` by column updates at F's own weights
 * and L2 term: the columns no longer listed removed, the new ones
 * appended.  Returns 0, leaving F as it was, when k > cap or more than
 * k / RP_UPDATES_PER_REFACTOR columns would change: an appended column
 * costs k products of length n (the new columns appended together share
 * one pass over X~_S from memory) where forming H from scratch costs
 * about k / 8 such products' time by BLAS 3 (4500 x 400: 3.8 times
 * faster per product), so the caller forms it then. */
int rp_glm_factor_follow(rp_glm_factor *F, const rp_problem *pb, const size_t *cols, size_t k);

/* x <- H^{-1} x for x in factor order (the intercept's entry first, then
 * F->cols').  Returns 0 when H is numerically singular (a support with more
 * columns than rows, say), x then meaningless. */
int rp_glm_factor_solve(const rp_glm_factor *F, double *x);

void rp_glm_factor_free(rp_glm_factor *F);

#endif
