/* relax.c: the relaxed lasso (regpath/relax.h): each point's unpenalized
 * refit on its active columns, by Newton's method, and the blends.
 *
 * A refit works on its active columns gathered over the rows fitted and
 * standardized there, z_t = (x_t - m_t) / s_t (without an intercept, z_t =
 * x_t / s_t), so that the normal equations are well scaled whatever the
 * columns' units; the fit is the same on any scale and is mapped back,
 * b_t = c_t / s_t, b0 = c0 - sum_t m_t b_t.  Unknowns theta = (c0, c).
 * With eta_i = o_i + c0 + z_i.c, mu_i = c'(eta_i), each Newton step solves
 *   H d = g,  g = Z1' W (y - mu),  H = Z1' W V Z1,
 * Z1 = [1, Z], W the weights, V the variances c''(eta_i), then halves d
 * until the deviance decreases.  A gaussian refit is exact after one step;
 * the next one only confirms it. */
#include "regpath/relax.h"

#include <gsl/gsl_cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cholesky.h"
#include "family.h"
#include "problem.h"
#include "sums.h"

enum { MAX_NEWTON = 100, MAX_HALVINGS = 60 };

/* The Newton decrement g'H^{-1}g (twice the predicted fall of the loss)
 * below this share of the null deviance: converged to machine precision. */
#define DECREMENT_TOL 1e-24
/* Below this share the deviance cannot tell a step's gain from its own
 * rounding, and Newton's method is in its quadratic phase: the full step
 * is taken without the halving test. */
#define FULL_STEP_DECREMENT 1e-10
/* glmnet's devmax: a binomial refit that explains this share of the
 * deviance has separated the classes, and its coefficients diverge. */
#define SATURATION_RATIO 0.999

/* One active set's refit, and the room it works in (sized for the
 * largest set). */
typedef struct {
  rp_family family;
  size_t n, k, q; /* rows, active columns, unknowns (k + intercept) */
  int intercept;
  double *y, *w, *off;           /* the rows' targets, weights, offsets        */
  double W;                      /* sum of the weights                         */
  double *Z;                     /* n x k standardized columns (column-major)  */
  double *m, *s;                 /* their means and scales                     */
  double *eta, *r, *Zw;          /* n, n, n x k                                */
  double *theta, *g, *d, *trial; /* q each                              */
  rp_cholesky H;
} refit;

static void refit_close(refit *rf) {
  free(rf->y);
  free(rf->w);
  free(rf->off);
  free(rf->Z);
  free(rf->m);
  free(rf->s);
  free(rf->eta);
  free(rf->r);
  free(rf->Zw);
  free(rf->theta);
  free(rf->g);
  free(rf->d);
  free(rf->trial);
  free(rf->H.L);
}

/* Room for sets of up to kmax columns over the n rows `rows`, and their
 * targets, weights and offsets gathered. */
static int refit_open(refit *rf, const double *y, const size_t *rows, size_t n,
                      const rp_fit_options *opt, size_t kmax) {
  size_t q = kmax + 1;
  *rf = (refit){.family = opt->family, .n = n, .intercept = opt->fit_intercept != 0};
  rf->y = malloc(n * sizeof(double));
  rf->w = malloc(n * sizeof(double));
  rf->off = malloc(n * sizeof(double));
  rf->Z = malloc((n * kmax + 1) * sizeof(double));
  rf->m = malloc(q * sizeof(double));
  rf->s = malloc(q * sizeof(double));
  rf->eta = malloc(n * sizeof(double));
  rf->r = malloc(n * sizeof(double));
  rf->Zw = malloc((n * kmax + 1) * sizeof(double));
  rf->theta = malloc(q * sizeof(double));
  rf->g = malloc(q * sizeof(double));
  rf->d = malloc(q * sizeof(double));
  rf->trial = malloc(q * sizeof(double));
  rf->H = (rp_cholesky){malloc(q * q * sizeof(double)), 0, q, 0.0};
  if (!rf->y || !rf->w || !rf->off || !rf->Z || !rf->m || !rf->s || !rf->eta || !rf->r || !rf->Zw ||
      !rf->theta || !rf->g || !rf->d || !rf->trial || !rf->H.L)
    return 0;
  rf->W = 0.0;
  for (size_t i = 0; i < n; i++) {
    size_t row = rows ? rows[i] : i;
    rf->y[i] = y[row];
    rf->w[i] = opt->weights ? opt->weights[row] : 1.0;
    rf->off[i] = opt->offset ? opt->offset[row] : 0.0;
    rf->W += rf->w[i];
  }
  return 1;
}

/* Gather and standardize the k columns `cols`; 0 when one is constant on
 * the rows (the set is then singular). */
static int gather_set(refit *rf, const rp_design *X, const size_t *rows, const size_t *cols,
                      size_t k) {
  size_t n = rf->n;
  rf->k = k;
  rf->q = k + (size_t)rf->intercept;
  for (size_t t = 0; t < k; t++) {
    double *z = rf->Z + t * n;
    rp_design_column(X, cols[t], rows, n, z);
    double m = rf->intercept ? rp_sum_of_products(NULL, rf->w, z, n) / rf->W : 0.0, v = 0.0;
    for (size_t i = 0; i < n; i++) v += rf->w[i] * (z[i] - m) * (z[i] - m);
    double s = sqrt(v / rf->W);
    if (!(s > 0.0)) return 0;
    for (size_t i = 0; i < n; i++) z[i] = (z[i] - m) / s;
    rf->m[t] = m;
    rf->s[t] = s;
  }
  return 1;
}

/* eta = o + c0 + Z c at theta, and the deviance there. */
static double deviance_at(refit *rf, const double *theta) {
  size_t n = rf->n, i0 = (size_t)rf->intercept;
  double c0 = rf->intercept ? theta[0] : 0.0, dev = 0.0;
  for (size_t i = 0; i < n; i++) rf->eta[i] = rf->off[i] + c0;
  for (size_t t = 0; t < rf->k; t++)
    cblas_daxpy((int)n, theta[i0 + t], rf->Z + t * n, 1, rf->eta, 1);
  for (size_t i = 0; i < n; i++)
    dev += rf->w[i] * rp_family_unit_deviance(rf->family, rf->y[i], rf->eta[i]);
  return dev;
}

/* The gradient g and Hessian H (lower triangle, into the factor's room)
 * of the loss at the eta last computed. */
static void newton_system(refit *rf) {
  size_t n = rf->n, k = rf->k, i0 = (size_t)rf->intercept, ld = rf->H.ld;
  double h0 = 0.0;
  for (size_t i = 0; i < n; i++) {
    double mu = rp_family_mean(rf->family, rf->eta[i]);
    double hw = rf->w[i] * rp_family_variance(rf->family, mu);
    rf->r[i] = rf->w[i] * (rf->y[i] - mu);
    rf->eta[i] = hw; /* eta is recomputed before it is read again */
    h0 += hw;
  }
  if (rf->intercept) {
    double g0 = 0.0;
    for (size_t i = 0; i < n; i++) g0 += rf->r[i];
    rf->g[0] = g0;
    rf->H.L[0] = h0;
  }
  for (size_t t = 0; t < k; t++) {
    const double *z = rf->Z + t * n;
    double *zw = rf->Zw + t * n;
    rf->g[i0 + t] = rp_sum_of_products(NULL, z, rf->r, n);
    if (rf->intercept) rf->H.L[i0 + t] = rp_sum_of_products(NULL, z, rf->eta, n);
    for (size_t i = 0; i < n; i++) zw[i] = z[i] * sqrt(rf->eta[i]);
  }
  if (k > 0)
    cblas_dsyrk(CblasColMajor, CblasLower, CblasTrans, (int)k, (int)n, 1.0, rf->Zw, (int)n, 0.0,
                rf->H.L + i0 * ld + i0, (int)ld);
}

/* How a refit ended. */
typedef enum { REFIT_DONE, REFIT_SATURATED, REFIT_SINGULAR } refit_end;

/* The deviance at theta + t d, the point kept in trial. */
static double trial_step(refit *rf, double t) {
  for (size_t a = 0; a < rf->q; a++) rf->trial[a] = rf->theta[a] + t * rf->d[a];
  return deviance_at(rf, rf->trial);
}

/* Newton's method from theta; *dev the deviance reached, *steps taken. */
static refit_end newton(refit *rf, double null_deviance, double *dev, long *steps) {
  size_t q = rf->q;
  double cur = deviance_at(rf, rf->theta);
  for (*steps = 0; *steps < MAX_NEWTON; (*steps)++) {
    if (rf->family == RP_FAMILY_BINOMIAL && cur <= (1.0 - SATURATION_RATIO) * null_deviance) {
      *dev = cur;
      return REFIT_SATURATED;
    }
    newton_system(rf);
    rp_cholesky_factor(&rf->H, q);
    if (rp_cholesky_singular(&rf->H)) return REFIT_SINGULAR;
    memcpy(rf->d, rf->g, q * sizeof(double));
    rp_cholesky_solve(&rf->H, rf->d);
    double dec = rp_sum_of_products(NULL, rf->g, rf->d, q);
    if (dec <= DECREMENT_TOL * null_deviance) break;
    double t = 1.0, next = trial_step(rf, t);
    int near = dec <= FULL_STEP_DECREMENT * null_deviance;
    for (int h = 0; !near && !(next <= cur) && h < MAX_HALVINGS; h++)
      next = trial_step(rf, t *= 0.5);
    if (!near && !(next <= cur)) break; /* no step lowers it: at machine precision */
    memcpy(rf->theta, rf->trial, q * sizeof(double));
    cur = next;
  }
  *dev = deviance_at(rf, rf->theta);
  return REFIT_DONE;
}

/* The largest |g_t| / W over the columns at theta: the certificate. */
static double refit_kkt(refit *rf) {
  newton_system(rf);
  double worst = 0.0;
  for (size_t t = 0; t < rf->k; t++) worst = fmax(worst, fabs(rf->g[(size_t)rf->intercept + t]));
  return worst / rf->W;
}

/* ---------------------------------------------------------------- the path */

/* The active columns of point a, into cols; their number. */
static size_t active_set(const rp_path *path, size_t a, size_t *cols) {
  size_t k = 0;
  for (size_t j = 0; j < path->p; j++)
    if (path->coef[a * path->p + j] != 0.0) cols[k++] = j;
  return k;
}

/* Point a's refit on cols (k of them), started from its penalized point. */
static void refit_point(refit *rf, const rp_design *X, const size_t *rows, const rp_path *path,
                        size_t a, const size_t *cols, rp_relaxed *out) {
  size_t p = path->p, i0 = (size_t)rf->intercept;
  const double *b = path->coef + a * p;
  double *rb = out->coef + a * p;
  memset(rb, 0, p * sizeof *rb);
  out->kept[a] = 0;
  if (!gather_set(rf, X, rows, cols, rf->k)) return;
  double c0 = path->intercept[a];
  for (size_t t = 0; t < rf->k; t++) {
    rf->theta[i0 + t] = b[cols[t]] * rf->s[t];
    c0 += rf->m[t] * b[cols[t]];
  }
  if (rf->intercept) rf->theta[0] = c0;
  double dev;
  refit_end end = newton(rf, path->null_deviance, &dev, &out->n_iter[a]);
  if (end == REFIT_SINGULAR) return;
  double b0 = rf->intercept ? rf->theta[0] : 0.0;
  for (size_t t = 0; t < rf->k; t++) {
    rb[cols[t]] = rf->theta[i0 + t] / rf->s[t];
    b0 -= rf->m[t] * rb[cols[t]];
  }
  out->intercept[a] = b0;
  out->dev_ratio[a] = 1.0 - dev / path->null_deviance;
  out->saturated[a] = end == REFIT_SATURATED;
  out->kkt[a] = refit_kkt(rf);
  out->kept[a] = 1;
}

/* A point with no active column keeps its penalized fit, as glmnet's. */
static void keep_penalized(const rp_path *path, size_t a, rp_relaxed *out) {
  memcpy(out->coef + a * path->p, path->coef + a * path->p, path->p * sizeof(double));
  out->intercept[a] = path->intercept[a];
  out->dev_ratio[a] = path->dev_ratio[a];
  out->kept[a] = 1;
}

/* Point a has point `prev`'s active set: the same refit. */
static void copy_point(rp_relaxed *out, size_t a, size_t prev) {
  size_t p = out->p;
  memcpy(out->coef + a * p, out->coef + prev * p, p * sizeof(double));
  out->intercept[a] = out->intercept[prev];
  out->kept[a] = out->kept[prev];
  out->dev_ratio[a] = out->dev_ratio[prev];
  out->kkt[a] = out->kkt[prev];
  out->saturated[a] = out->saturated[prev];
}

static rp_relaxed *relaxed_alloc(size_t K, size_t p) {
  rp_relaxed *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  r->n_alphas = K;
  r->p = p;
  r->intercept = calloc(K, sizeof(double));
  r->coef = calloc(K * p + 1, sizeof(double));
  r->kept = calloc(K, sizeof(int));
  r->dev_ratio = calloc(K, sizeof(double));
  r->kkt = calloc(K, sizeof(double));
  r->n_iter = calloc(K, sizeof(long));
  r->saturated = calloc(K, sizeof(int));
  if (!r->intercept || !r->coef || !r->kept || !r->dev_ratio || !r->kkt || !r->n_iter ||
      !r->saturated) {
    rp_relaxed_free(r);
    return NULL;
  }
  return r;
}

/* The largest active set that gets a refit: n - 3 columns (relax.glmnet's
 * maxp), and at most every column. */
static size_t most_columns(const rp_path *path, size_t n) {
  size_t kmax = 0;
  for (size_t a = 0; a < path->n_alphas; a++)
    if (path->df[a] > kmax) kmax = path->df[a];
  size_t maxp = n > 3 ? n - 3 : 0;
  return kmax < maxp ? kmax : maxp;
}

/* Do points a and b have the same nonzero columns? */
static int same_set(const rp_path *path, size_t a, size_t b) {
  const double *x = path->coef + a * path->p, *z = path->coef + b * path->p;
  for (size_t j = 0; j < path->p; j++)
    if ((x[j] != 0.0) != (z[j] != 0.0)) return 0;
  return 1;
}

rp_status rp_path_relax(const rp_design *X, const double *y, const size_t *rows, size_t n_rows,
                        const rp_fit_options *opt, const rp_path *path, rp_relaxed **out,
                        rp_error *err) {
  *out = NULL;
  if (opt->lower_limits || opt->upper_limits)
    return rp_error_set(err, RP_EINVAL,
                        "the relaxed lasso does not take coefficient limits (yet): drop one");
  size_t n = rows ? n_rows : X->n, p = path->p, kmax = most_columns(path, n);
  rp_relaxed *r = relaxed_alloc(path->n_alphas, p);
  size_t *cols = malloc((p + 1) * sizeof *cols);
  refit rf;
  int room = refit_open(&rf, y, rows, n, opt, kmax);
  if (!r || !cols || !room) {
    refit_close(&rf);
    free(cols);
    rp_relaxed_free(r);
    return rp_error_set(err, RP_ENOMEM, "out of memory for the relaxed refits");
  }
  for (size_t a = 0; a < path->n_alphas; a++) {
    rf.k = active_set(path, a, cols);
    if (rf.k == 0)
      keep_penalized(path, a, r);
    else if (rf.k > kmax)
      r->kept[a] = 0;
    else if (a > 0 && same_set(path, a, a - 1))
      copy_point(r, a, a - 1);
    else
      refit_point(&rf, X, rows, path, a, cols, r);
  }
  refit_close(&rf);
  free(cols);
  *out = r;
  return RP_OK;
}

/* ---------------------------------------------------------------- blends */

/* The refit point a's blend takes: its own, else the last kept one (glmnet's
 * extend); n_alphas when there is none. */
static size_t refit_for(const rp_relaxed *r, size_t a) {
  if (r->kept[a]) return a;
  for (size_t b = r->n_alphas; b-- > 0;)
    if (r->kept[b]) return b;
  return r->n_alphas;
}

rp_status rp_relaxed_blend(const rp_path *path, const rp_relaxed *relaxed, double gamma,
                           rp_path **out, rp_error *err) {
  rp_status st = rp_path_copy(path, out, err);
  if (st != RP_OK) return st;
  rp_path *b = *out;
  size_t p = path->p;
  b->gamma = gamma;
  for (size_t a = 0; a < path->n_alphas; a++) {
    size_t s = refit_for(relaxed, a);
    if (s == relaxed->n_alphas) continue; /* no refit anywhere: the penalized path */
    const double *pen = path->coef + a * p, *fit = relaxed->coef + s * p;
    for (size_t j = 0; j < p; j++) b->coef[a * p + j] = gamma * pen[j] + (1.0 - gamma) * fit[j];
    b->intercept[a] = gamma * path->intercept[a] + (1.0 - gamma) * relaxed->intercept[s];
    b->dev_ratio[a] = gamma * path->dev_ratio[a] + (1.0 - gamma) * relaxed->dev_ratio[s];
  }
  return RP_OK;
}

void rp_relaxed_free(rp_relaxed *r) {
  if (!r) return;
  free(r->intercept);
  free(r->coef);
  free(r->kept);
  free(r->dev_ratio);
  free(r->kkt);
  free(r->n_iter);
  free(r->saturated);
  free(r);
}
