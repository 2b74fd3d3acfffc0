/* glm_accel.c: Anderson acceleration of coordinate descent on an IRLS
 * quadratic (see glm_accel.h). */
#include "glm_accel.h"

#include "penalty.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "anderson.h"
#include "penalty.h"
#include "rows.h"

enum { K = RP_CD_EXTRAPOLATION };

int rp_glm_accel_alloc(rp_glm_accel *A, const rp_problem *pb) {
  *A = (rp_glm_accel){0};
  A->x = malloc((K + 1) * (pb->p + 1) * sizeof *A->x);
  A->r = malloc((K + 1) * pb->n * sizeof *A->r);
  A->trial = malloc((pb->p + 1 + pb->n) * sizeof *A->trial);
  return A->x && A->r && A->trial;
}

void rp_glm_accel_free(rp_glm_accel *A) {
  free(A->x);
  free(A->r);
  free(A->trial);
}

void rp_glm_accel_remember(rp_glm_accel *A, const rp_problem *pb, double b0, const double *beta,
                           const size_t *active, size_t m, const double *r) {
  if (!A->r) return; /* no ring: nothing kept, so no step is ever taken */
  if (m != A->active) {
    A->count = 0;
    A->active = m;
  }
  double *x = A->x + A->next * (pb->p + 1);
  x[0] = b0;
  for (size_t a = 0; a < m; a++) x[1 + a] = beta[active[a]];
  memcpy(A->r + A->next * pb->n, r, pb->n * sizeof *r);
  A->next = (A->next + 1) % (K + 1);
  if (A->count <= K) A->count++;
}

/* Slot of iterate t (0 = oldest) of the K + 1 held. */
static size_t slot(const rp_glm_accel *A, size_t t) { return (A->next + t) % (K + 1); }

/* rp_anderson_weights' c over U_t = x_{t+1} - x_t (m + 1 values each). */
static int weights(rp_glm_accel *A, const rp_problem *pb, size_t m, double *c) {
  const double *x[K + 1];
  for (size_t t = 0; t <= K; t++) x[t] = A->x + slot(A, t) * (pb->p + 1);
  double *M = A->small;
  for (size_t k = 0; k < K; k++)
    for (size_t l = 0; l <= k; l++) {
      double s = 0.0;
      for (size_t a = 0; a <= m; a++) s += (x[k + 1][a] - x[k][a]) * (x[l + 1][a] - x[l][a]);
      M[k * K + l] = M[l * K + k] = s;
    }
  return rp_anderson_weights(M, K, M + K * K, A->perm, c);
}

/* sum_t c_t v_{t+1} over `len` values of each slot of `ring` (`stride` apart). */
static void combine(const rp_glm_accel *A, const double *ring, size_t stride, size_t len,
                    const double *c, double *out) {
  for (size_t i = 0; i < len; i++) {
    double s = 0.0;
    for (size_t k = 0; k < K; k++) s += c[k] * ring[slot(A, k + 1) * stride + i];
    out[i] = s;
  }
}

double rp_glm_quadratic(const rp_problem *pb, const double *w, const double *r,
                        const double *b_active, const size_t *active, size_t m, double lam1,
                        double lam2) {
  double rss = 0.0, penalty = 0.0;
  for (size_t i = 0; i < pb->n; i++)
    if (w[i] > 0.0) rss += r[i] * r[i] / w[i];
  for (size_t a = 0; a < m; a++) penalty += rp_penalty_term(pb, active[a], b_active[a], lam1, lam2);
  return 0.5 * rp_rows_total(pb->X, rss) / (double)pb->n_total + penalty;
}

int rp_glm_accel_step(rp_glm_accel *A, const rp_problem *pb, const double *w, double *b0,
                      double *beta, const size_t *active, size_t m, double *r, double lam1,
                      double lam2) {
  double c[K];
  if (A->count <= K || m != A->active) return 0;
  A->count = 0;
  if (!weights(A, pb, m, c)) return 0;
  double *x = A->trial, *tr = A->trial + pb->p + 1, *now = A->x + slot(A, K) * (pb->p + 1);
  combine(A, A->x, pb->p + 1, m + 1, c, x);
  for (size_t a = 0; a < m; a++)
    if (!rp_within_limits(pb, active[a], &x[1 + a])) return 0;
  combine(A, A->r, pb->n, pb->n, c, tr);
  double q_trial = rp_glm_quadratic(pb, w, tr, x + 1, active, m, lam1, lam2);
  double q_now = rp_glm_quadratic(pb, w, r, now + 1, active, m, lam1, lam2);
  if (!(q_trial < q_now)) return 0;
  *b0 = x[0];
  for (size_t a = 0; a < m; a++) beta[active[a]] = x[1 + a];
  memcpy(r, tr, pb->n * sizeof *r);
  return 1;
}
