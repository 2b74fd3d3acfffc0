/* cd_support.c: the support solver's factor, step and least-squares
 * point (see cd_support.h; its primal moves are in cd_descent.c). */
#include "cd.h"

#include "penalty.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Buffers of the support's least-squares point, for supports of up to
 * min(n, p) columns with covariance updates (its Gram matrix is then at
 * most the size of the whole one, and near interpolation, where the
 * support reaches n, is where the support step pays); with naive updates,
 * which gather the columns, up to min(n, p, RP_CD_SUPPORT_MAX, p/8) (the
 * gathered columns stay within an eighth of the design).  Optional:
 * without the memory, that dual point is not used. */
void rp_cd_support_alloc(rp_cd *cd) {
  const rp_problem *pb = cd->pb;
  rp_cd_support *sup = &cd->sup;
  int gathers = cd->upd->gathers_columns;
  size_t cap = pb->n < pb->p ? pb->n : pb->p;
  if (gathers && cap > RP_CD_SUPPORT_MAX) cap = RP_CD_SUPPORT_MAX;
  if (gathers && cap > pb->p / 8) cap = pb->p / 8;
  if (cap == 0) return;
  sup->list = malloc(cap * sizeof *sup->list);
  sup->gathered = gathers ? malloc(pb->n * cap * sizeof *sup->gathered) : NULL;
  sup->factor.L = malloc(cap * cap * sizeof *sup->factor.L);
  sup->factor.ld = cap;
  sup->in_factor = calloc(pb->p, 1);
  sup->rhs = malloc(cap * sizeof *sup->rhs);
  sup->step = malloc(cap * sizeof *sup->step);
  sup->work = malloc(cap * sizeof *sup->work);
  sup->Ad = malloc(cap * sizeof *sup->Ad);
  sup->descent_beta = malloc(pb->p * sizeof *sup->descent_beta);
  sup->descent_grad = malloc(pb->p * sizeof *sup->descent_grad);
  if (sup->list && (!gathers || sup->gathered) && sup->factor.L && sup->in_factor && sup->rhs &&
      sup->step && sup->work && sup->Ad && sup->descent_beta && sup->descent_grad)
    sup->cap = cap;
}

void rp_cd_support_free(rp_cd_support *sup) {
  free(sup->list);
  free(sup->gathered);
  free(sup->factor.L);
  free(sup->in_factor);
  free(sup->rhs);
  free(sup->step);
  free(sup->work);
  free(sup->Ad);
  free(sup->descent_beta);
  free(sup->descent_grad);
}

void rp_cd_factor_product(rp_cd *cd, const double *delta, double *Ad) {
  rp_cholesky_product(&cd->sup.factor, delta, Ad, cd->sup.work);
}

/* A = G_SS + lam2 diag(pf_S), the support's Gram matrix and L2 term, into
 * the factor's storage (lower triangle): G_SS as the updates have it
 * (gathered from the Gram matrix, or X~_S'X~_S/n from the gathered
 * columns). */
static void support_system(rp_cd *cd, size_t m, double lam2) {
  const rp_problem *pb = cd->pb;
  size_t ld = cd->sup.factor.ld;
  double *A = cd->sup.factor.L;
  cd->upd->support_system(cd, m);
  for (size_t k = 0; k < m; k++) A[k * ld + k] += lam2 * pb->pf[cd->sup.list[k]];
}

/* The sign sigma_j the support step gives column j: b~_j's, or for a
 * column at 0 joining the support (joins_support) its gradient's. */
double rp_cd_support_sign(const rp_cd *cd, size_t j) {
  double v = cd->beta[j] != 0.0 ? cd->beta[j] : cd->grad[j];
  return v > 0.0 ? 1.0 : -1.0;
}

/* A strong column at 0 whose gradient exceeds its threshold,
 * |g_j| > lam1 pf_j, joins the support S with the sign of g_j (with naive
 * updates the strong set's gradients are current wherever S is formed):
 * coordinate descent would move it next, and near interpolation each
 * alpha adds such columns, which the support step then places at once
 * (the projection in support_move drops the ones that do not belong). */
static int joins_support(const rp_cd *cd, size_t j, double lam1) {
  const rp_problem *pb = cd->pb;
  return cd->beta[j] == 0.0 && pb->pf[j] > 0.0 && fabs(cd->grad[j]) > lam1 * pb->pf[j] &&
         rp_limits_allow(pb, j, cd->grad[j]);
}

/* A nonzero b~_j not held at a limit (penalty.h): the support's own. */
static int free_nonzero(const rp_cd *cd, size_t j) {
  return cd->beta[j] != 0.0 && !rp_at_limit(cd->pb, j, cd->beta[j]);
}

/* S = {j: b~_j != 0, not at a limit} and the strong columns joining it,
 * less the barred. */
static int belongs(const rp_cd *cd, size_t j, double lam1) {
  if (cd->sup.in_factor[j] == RP_FACTOR_BARRED) return 0;
  return free_nonzero(cd, j) || (cd->sweep.strong[j] && joins_support(cd, j, lam1));
}

/* Column j no longer listed (a barred column stays barred). */
static void unlist(rp_cd *cd, size_t j) {
  if (cd->sup.in_factor[j] == RP_FACTOR_IN) cd->sup.in_factor[j] = RP_FACTOR_OUT;
}

static void forget_support(rp_cd *cd) {
  for (size_t k = 0; k < cd->sup.factor.m; k++) unlist(cd, cd->sup.list[k]);
  cd->sup.factor.m = 0;
}

/* Whether column j, not in the factor, is one of S's newcomers: nonzero
 * (listed among the active columns), or a strong column joining. */
static int is_newcomer(const rp_cd *cd, size_t j, double lam1, int from_strong) {
  if (cd->sup.in_factor[j] != RP_FACTOR_OUT) return 0;
  return from_strong ? joins_support(cd, j, lam1) : free_nonzero(cd, j);
}

/* Calls f(cd, j) (when given) for each column of S not in the factor,
 * nonzero active columns in order of entry, then joining strong ones;
 * returns how many there are. */
size_t rp_cd_for_each_newcomer(rp_cd *cd, double lam1, void (*f)(rp_cd *, size_t)) {
  size_t count = 0;
  for (size_t a = 0; a < cd->sweep.n_active + cd->sweep.n_strong; a++) {
    int from_strong = a >= cd->sweep.n_active;
    size_t j = from_strong ? cd->sweep.strong_list[a - cd->sweep.n_active] : cd->sweep.active[a];
    if (!is_newcomer(cd, j, lam1, from_strong)) continue;
    count++;
    if (f) f(cd, j);
  }
  return count;
}

/* Column j listed for a factorization from scratch (which sets factor.m
 * again). */
static void list_column(rp_cd *cd, size_t j) {
  cd->sup.in_factor[j] = RP_FACTOR_IN;
  cd->sup.list[cd->sup.factor.m++] = j;
}

/* Column j joins the factor: A's new column is G_Sj, its diagonal G_jj +
 * lam2 pf_j (with naive updates x~_j joins the support's columns). */
static void append_column(rp_cd *cd, size_t j) {
  const rp_problem *pb = cd->pb;
  size_t m = cd->sup.factor.m;
  double *a = cd->sup.rhs, G_jj = cd->upd->support_column(cd, j, m, a);
  cd->sup.list[m] = j;
  cd->sup.in_factor[j] = RP_FACTOR_IN;
  rp_cholesky_append(&cd->sup.factor, a, G_jj + cd->sup.lam2 * pb->pf[j]);
}

/* Position k leaves the support's lists (and, naive, its columns). */
static void unlist_position(rp_cd *cd, size_t k) {
  size_t after = cd->sup.factor.m - 1 - k;
  unlist(cd, cd->sup.list[k]);
  cd->upd->support_drop(cd, k);
  memmove(cd->sup.list + k, cd->sup.list + k + 1, after * sizeof *cd->sup.list);
}

/* Columns that left S leave the factor, from the last (cheapest) back. */
static void remove_leavers(rp_cd *cd, double lam1) {
  for (size_t k = cd->sup.factor.m; k-- > 0;) {
    size_t j = cd->sup.list[k];
    if (belongs(cd, j, lam1)) continue;
    unlist_position(cd, k);
    rp_cholesky_remove(&cd->sup.factor, k, cd->sup.rhs);
  }
}

/* G_SS + lam2 diag(pf_S) factored for the current support S, in
 * cd->sup.list (its *m columns) and cd->sup.factor.  The factor follows S from
 * call to call, by column updates (S changes by a few columns between
 * calls, near interpolation most of all); a new lam2 or a larger change
 * refactors it.  Returns 0 for an empty support, or one larger than
 * support_cap. */
static int factor_support(rp_cd *cd, double lam1, double lam2, size_t *m) {
  rp_cholesky *f = &cd->sup.factor;
  if (cd->sup.cap == 0) return 0;
  if (cd->sup.lam2 != lam2) forget_support(cd);
  cd->sup.lam2 = lam2;
  size_t leaving = 0, joining = rp_cd_for_each_newcomer(cd, lam1, NULL);
  for (size_t k = 0; k < f->m; k++) leaving += !belongs(cd, cd->sup.list[k], lam1);
  size_t size = f->m - leaving + joining, changes = leaving + joining;
  if (size == 0 || size > cd->sup.cap) {
    forget_support(cd);
    return 0;
  }
  *m = size;
  if (changes == 0) return 1;
  if (changes * RP_UPDATES_PER_REFACTOR <= size) {
    remove_leavers(cd, lam1);
    rp_cd_for_each_newcomer(cd, lam1, append_column);
    return 1;
  }
  forget_support(cd);
  rp_cd_for_each_newcomer(cd, lam1, list_column);
  support_system(cd, size, lam2);
  rp_cholesky_factor(f, size);
  return 1;
}

/* The support step: on the support S with signs sigma (support_sign), d
 * with
 *   (G_SS + lam2 diag(pf)) d = g_S - pf (lam1 sigma + lam2 b~_S)
 * into support_step, its right-hand side t in support_rhs; it makes every
 * support column's KKT equation hold exactly at b~ + d, so when S and
 * sigma are the solution's, b~ + d is the solution.  Returns whether
 * there is one: none when G_SS + lam2 diag(pf) is numerically singular
 * (more columns than rows, say), where d would be rounding magnified by
 * the floored pivots, and the moments made from it meaningless. */
int rp_cd_support_solve(rp_cd *cd, double lam1, double lam2, size_t *mp) {
  const rp_problem *pb = cd->pb;
  size_t m = 0;
  if (!factor_support(cd, lam1, lam2, &m) || rp_cholesky_singular(&cd->sup.factor)) return 0;
  double *t = cd->sup.rhs, *d = cd->sup.step;
  for (size_t k = 0; k < m; k++) {
    size_t j = cd->sup.list[k];
    double b = cd->beta[j];
    t[k] = cd->grad[j] - pb->pf[j] * (lam1 * rp_cd_support_sign(cd, j) + lam2 * b);
  }
  memcpy(d, t, m * sizeof *d);
  rp_cholesky_solve(&cd->sup.factor, d);
  for (size_t k = 0; k < m; k++)
    if (!isfinite(d[k])) return 0;
  *mp = m;
  return 1;
}

/* The support's least-squares point b~ + d, as a dual candidate in
 * trial_*: its residual is the optimal dual point once S and sigma are
 * the solution's.  The rescaled residual loses to the dual optimum in
 * proportion to |r - r*| (the support's excess over lam1 sets s), so its
 * gap falls only like the square root of the suboptimality; this point's
 * gap falls like the suboptimality.  The primal may then move there
 * (support_move).  Returns whether there is one. */
int rp_cd_support_point(rp_cd *cd, double lam1, double lam2) {
  const rp_problem *pb = cd->pb;
  size_t m = 0;
  const double *d = cd->sup.step;
  if (!rp_cd_support_solve(cd, lam1, lam2, &m)) return 0;
  double *tb = cd->trial.beta;
  memset(tb, 0, pb->p * sizeof *tb);
  for (size_t k = 0; k < m; k++) tb[cd->sup.list[k]] = cd->beta[cd->sup.list[k]] + d[k];
  cd->upd->support_trial(cd, m);
  if (!(cd->trial.rr >= 0.0) || !rp_cd_unpenalized_as_feasible(cd)) return 0;
  cd->trial.ready = 1;
  return 1;
}
