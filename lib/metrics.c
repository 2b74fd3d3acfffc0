/* metrics.c: the held-out losses of cross-validation (cv.glmnet's
 * type.measure), the AUC, and the scores of a test set (regpath/metrics.h). */
#include "regpath/metrics.h"

#include <math.h>
#include <stdlib.h>

#include "family.h"

const char *const rp_metric_names[RP_N_METRICS] = {"mse", "mae", "deviance", "class", "auc"};

const char *rp_metric_name(rp_metric metric) { return rp_metric_names[metric]; }

const char *rp_metric_description(rp_metric metric, rp_family family) {
  switch (metric) {
    case RP_METRIC_MSE: return "mean squared error";
    case RP_METRIC_MAE: return "mean absolute error";
    case RP_METRIC_CLASS: return "misclassification error";
    case RP_METRIC_AUC: return "AUC";
    default: return family == RP_FAMILY_GAUSSIAN ? "mean squared error" : "mean deviance";
  }
}

int rp_metric_fits_family(rp_metric metric, rp_family family) {
  if (metric == RP_METRIC_AUC) return family == RP_FAMILY_BINOMIAL;
  return metric != RP_METRIC_CLASS || family == RP_FAMILY_BINOMIAL ||
         family == RP_FAMILY_MULTINOMIAL;
}

/* cv.glmnet clamps held-out probabilities to [1e-5, 1 - 1e-5] for the
 * binomial deviance: the same as clamping eta to +-logit(1 - 1e-5). */
static const double PROB_MIN = 1e-5;

/* The loss of one held-out observation (see rp_metric).  cv.glmnet's
 * binomial mse and mae add the errors of both class columns, hence the 2. */
static double unit_loss(rp_family family, rp_metric metric, double y, double eta) {
  double mu = rp_family_mean(family, eta), both = family == RP_FAMILY_BINOMIAL ? 2.0 : 1.0;
  switch (metric) {
    case RP_METRIC_MAE: return both * fabs(y - mu);
    case RP_METRIC_CLASS: return y == 0.0 ? mu > 0.5 : mu <= 0.5;
    case RP_METRIC_DEVIANCE: {
      double cap = rp_family_link(RP_FAMILY_BINOMIAL, 1.0 - PROB_MIN);
      if (family == RP_FAMILY_BINOMIAL) eta = fmin(fmax(eta, -cap), cap);
      return rp_family_unit_deviance(family, y, eta);
    }
    default: return both * (y - mu) * (y - mu);
  }
}

void rp_weighted_loss_sums(rp_family family, rp_metric metric, const double *y, const double *eta,
                           const double *w, size_t n, double *sums) {
  double sum = 0.0, total = 0.0;
  for (size_t i = 0; i < n; i++) {
    double wi = w ? w[i] : 1.0;
    if (!(wi > 0.0)) continue; /* not there: its loss may be infinite, and 0 inf is NaN */
    sum += wi * unit_loss(family, metric, y[i], eta[i]);
    total += wi;
  }
  sums[0] = sum;
  sums[1] = total;
}

double rp_weighted_mean_loss(rp_family family, rp_metric metric, const double *y, const double *eta,
                             const double *w, size_t n) {
  double sums[2];
  rp_weighted_loss_sums(family, metric, y, eta, w, n, sums);
  return sums[0] / sums[1];
}

/* One held-out row of class y with class probabilities prob (K), as
 * cv.glmnet's multnet: deviance -2 log p_y (p clamped to [1e-5, 1 - 1e-5]),
 * class 1 unless y has the largest probability (the first, on ties), and
 * mse and mae summed over the K indicator columns. */
static double multinomial_unit_loss(rp_metric metric, size_t y, const double *prob, size_t K) {
  double sum = 0.0;
  size_t top = 0;
  switch (metric) {
    case RP_METRIC_DEVIANCE: return -2.0 * log(fmin(fmax(prob[y], PROB_MIN), 1.0 - PROB_MIN));
    case RP_METRIC_CLASS:
      for (size_t k = 1; k < K; k++)
        if (prob[k] > prob[top]) top = k;
      return top != y;
    default:
      for (size_t k = 0; k < K; k++) {
        double d = (k == y) - prob[k];
        sum += metric == RP_METRIC_MAE ? fabs(d) : d * d;
      }
      return sum;
  }
}

void rp_multinomial_loss_sums(rp_metric metric, const double *y, const double *eta, const double *w,
                              size_t n, size_t K, double *sums) {
  double sum = 0.0, total = 0.0, *row = malloc(2 * K * sizeof *row);
  for (size_t i = 0; row && i < n; i++) {
    double wi = w ? w[i] : 1.0;
    if (!(wi > 0.0)) continue;
    for (size_t k = 0; k < K; k++) row[k] = eta[k * n + i];
    rp_multinomial_probabilities(row, K, row + K);
    sum += wi * multinomial_unit_loss(metric, (size_t)y[i], row + K, K);
    total += wi;
  }
  sums[0] = row ? sum : NAN;
  sums[1] = total;
  free(row);
}

double rp_multinomial_mean_loss(rp_metric metric, const double *y, const double *eta,
                                const double *w, size_t n, size_t K) {
  double sums[2];
  rp_multinomial_loss_sums(metric, y, eta, w, n, K, sums);
  return sums[0] / sums[1];
}

double rp_mean_loss(rp_family family, rp_metric metric, const double *y, const double *eta,
                    size_t n) {
  return rp_weighted_mean_loss(family, metric, y, eta, NULL, n);
}

static int by_score(const void *a, const void *b) {
  double x = ((const rp_scored *)a)->score, z = ((const rp_scored *)b)->score;
  return (x > z) - (x < z);
}

/* Over the scores in increasing order, each group of tied scores adds its
 * positives' weight times the negatives' weight below it plus half the
 * negatives' weight within it (the Mann-Whitney count; with all weights 1
 * every partial sum is an integer or a half, exact in double). */
double rp_weighted_auc(const double *y, const double *score, const double *w, size_t n,
                       rp_scored *work) {
  double w1 = 0.0, w0 = 0.0, below = 0.0, pairs = 0.0;
  for (size_t i = 0; i < n; i++) {
    work[i] = (rp_scored){score[i], y[i], w ? w[i] : 1.0};
    if (y[i] != 0.0)
      w1 += work[i].w;
    else
      w0 += work[i].w;
  }
  qsort(work, n, sizeof *work, by_score);
  for (size_t lo = 0, hi; lo < n; lo = hi) {
    double pos = 0.0, neg = 0.0;
    for (hi = lo; hi < n && work[hi].score == work[lo].score; hi++) {
      if (work[hi].y != 0.0)
        pos += work[hi].w;
      else
        neg += work[hi].w;
    }
    pairs += pos * (below + 0.5 * neg);
    below += neg;
  }
  if (w1 == 0.0 || w0 == 0.0) return NAN;
  return pairs / (w1 * w0);
}

double rp_auc(const double *y, const double *score, size_t n, rp_scored *work) {
  return rp_weighted_auc(y, score, NULL, n, work);
}

rp_scores rp_regression_scores(const double *y, const double *yhat, size_t n) {
  double mean = 0.0, sse = 0.0, sae = 0.0, sst = 0.0;
  for (size_t i = 0; i < n; i++) mean += y[i] / (double)n;
  for (size_t i = 0; i < n; i++) {
    sse += unit_loss(RP_FAMILY_GAUSSIAN, RP_METRIC_MSE, y[i], yhat[i]);
    sae += unit_loss(RP_FAMILY_GAUSSIAN, RP_METRIC_MAE, y[i], yhat[i]);
    sst += (y[i] - mean) * (y[i] - mean);
  }
  return rp_regression_scores_of_sums(sse, sae, sst, (double)n);
}

rp_scores rp_regression_scores_of_sums(double sse, double sae, double sst, double n) {
  rp_scores s = {sse / n, sae / n, sst > 0.0 ? 1.0 - sse / sst : NAN, sse / n, NAN, NAN};
  return s;
}

rp_scores rp_test_scores(rp_family family, const double *y, const double *eta, size_t n,
                         rp_scored *work) {
  if (family == RP_FAMILY_GAUSSIAN) return rp_regression_scores(y, eta, n);
  rp_scores s = {NAN, NAN, NAN, rp_mean_loss(family, RP_METRIC_DEVIANCE, y, eta, n), NAN, NAN};
  s.mse = rp_mean_loss(family, RP_METRIC_MSE, y, eta, n);
  s.mae = rp_mean_loss(family, RP_METRIC_MAE, y, eta, n);
  if (family == RP_FAMILY_BINOMIAL) {
    s.accuracy = 1.0 - rp_mean_loss(family, RP_METRIC_CLASS, y, eta, n);
    s.auc = rp_auc(y, eta, n, work);
  }
  return s;
}

/* Each row's probabilities once, for all four losses. */
rp_scores rp_multinomial_test_scores(const double *y, const double *eta, size_t n, size_t K) {
  static const rp_metric LOSSES[4] = {RP_METRIC_DEVIANCE, RP_METRIC_CLASS, RP_METRIC_MSE,
                                      RP_METRIC_MAE};
  rp_scores s = {NAN, NAN, NAN, NAN, NAN, NAN};
  double sum[4] = {0.0, 0.0, 0.0, 0.0}, *row = malloc(2 * K * sizeof *row);
  if (!row) return s;
  for (size_t i = 0; i < n; i++) {
    for (size_t k = 0; k < K; k++) row[k] = eta[k * n + i];
    rp_multinomial_probabilities(row, K, row + K);
    for (int m = 0; m < 4; m++)
      sum[m] += multinomial_unit_loss(LOSSES[m], (size_t)y[i], row + K, K);
  }
  free(row);
  s.deviance = sum[0] / (double)n;
  s.accuracy = 1.0 - sum[1] / (double)n;
  s.mse = sum[2] / (double)n;
  s.mae = sum[3] / (double)n;
  return s;
}

void rp_scores_named(rp_family family, const rp_scores *sc, const char *names[3],
                     double values[3]) {
  static const char *const NAMES[][3] = {[RP_FAMILY_GAUSSIAN] = {"mse", "mae", "r2"},
                                         [RP_FAMILY_BINOMIAL] = {"deviance", "accuracy", "auc"},
                                         [RP_FAMILY_POISSON] = {"deviance", "mse", "mae"},
                                         [RP_FAMILY_MULTINOMIAL] = {"deviance", "accuracy", "mse"}};
  const double VALUES[][3] = {[RP_FAMILY_GAUSSIAN] = {sc->mse, sc->mae, sc->r2},
                              [RP_FAMILY_BINOMIAL] = {sc->deviance, sc->accuracy, sc->auc},
                              [RP_FAMILY_POISSON] = {sc->deviance, sc->mse, sc->mae},
                              [RP_FAMILY_MULTINOMIAL] = {sc->deviance, sc->accuracy, sc->mse}};
  for (size_t i = 0; i < 3; i++) {
    names[i] = NAMES[family][i];
    values[i] = VALUES[family][i];
  }
}

double rp_scores_metric(rp_scores sc, rp_metric metric) {
  switch (metric) {
    case RP_METRIC_MAE: return sc.mae;
    case RP_METRIC_DEVIANCE: return sc.deviance;
    case RP_METRIC_CLASS: return 1.0 - sc.accuracy;
    case RP_METRIC_AUC: return sc.auc;
    default: return sc.mse;
  }
}
