/* regpath/metrics.h: how predictions are scored: the held-out losses of
 * cross-validation (cv.glmnet's type.measure), the AUC, and the scores of a
 * test set. */
#ifndef REGPATH_METRICS_H
#define REGPATH_METRICS_H

#include <stddef.h>

#include "regpath/api.h"
#include "regpath/path.h" /* rp_family */

#ifdef __cplusplus
extern "C" {
#endif

/* Held-out losses, as cv.glmnet's type.measure (per observation with
 * prediction mu = the family's mean at eta, eta including the row's offset,
 * docs/ALGORITHMS.md; with observation weights w_i a fold's error is the
 * weighted mean sum_i w_i l_i / sum_i w_i of its held-out rows):
 *   mse       (y - mu)^2; binomial 2 (y - mu)^2, summed over both classes
 *   mae       |y - mu|;   binomial 2 |y - mu|
 *   deviance  the unit deviance (gaussian: mse; binomial with mu clamped
 *             to [1e-5, 1 - 1e-5])
 *   class     binomial: 1 when mu > 1/2 for y = 0 or mu <= 1/2 for y = 1
 *   auc       binomial: the area under the ROC curve of each fold (ties 1/2;
 *             with weights each pair of a positive i and a negative k counts
 *             w_i w_k, as cv.glmnet's weighted concordance), the only
 *             measure where larger is better. */
typedef enum {
  RP_METRIC_MSE = 0,
  RP_METRIC_MAE,
  RP_METRIC_DEVIANCE,
  RP_METRIC_CLASS,
  RP_METRIC_AUC
} rp_metric;
#define RP_N_METRICS 5

/* The metrics' config names, in enum order: "mse", "mae", "deviance",
 * "class", "auc". */
RP_API extern const char *const rp_metric_names[RP_N_METRICS];

/* The metric's config name ("mse", "mae", "deviance", "class", "auc") and
 * a description for plots ("mean squared error", ...). */
RP_API const char *rp_metric_name(rp_metric metric);
RP_API const char *rp_metric_description(rp_metric metric, rp_family family);

/* Whether the family can be scored with the metric (class and auc need
 * binomial). */
RP_API int rp_metric_fits_family(rp_metric metric, rp_family family);

/* Scores of predictions yhat for y (n values): mean squared error, mean
 * absolute error, and R^2 = 1 - SSE / sum (y - mean(y))^2 (scikit-learn's
 * r2_score; NaN when y is constant). */
typedef struct {
  double mse, mae, r2;
  double deviance; /* mean unit deviance (as cv.metric "deviance")          */
  double accuracy; /* binomial: share of rows on the right side of 1/2      */
  double auc;      /* binomial: rp_auc of the probabilities                 */
} rp_scores;

RP_API rp_scores rp_regression_scores(const double *y, const double *yhat, size_t n);

/* The same from n rows' sums: of squared and absolute errors, and of
 * squares of the targets about their mean (r2 NaN when that is 0). */
RP_API rp_scores rp_regression_scores_of_sums(double sse, double sae, double sst, double n);

/* The multinomial family's held-out loss (cv.glmnet's multnet measures:
 * deviance, class, mse, mae; weighted as rp_weighted_mean_loss) of n rows
 * of classes y (0..K-1) from their K linear predictors, eta[k * n + i].
 * NaN when out of memory. */
RP_API double rp_multinomial_mean_loss(rp_metric metric, const double *y, const double *eta,
                                       const double *w, size_t n, size_t K);

/* Its two sums, as rp_weighted_loss_sums's (sums[0] NaN when out of
 * memory). */
RP_API void rp_multinomial_loss_sums(rp_metric metric, const double *y, const double *eta,
                                     const double *w, size_t n, size_t K, double *sums);

/* Mean held-out loss of linear predictors eta for y (n values) under the
 * family and metric (not auc). */
RP_API double rp_mean_loss(rp_family family, rp_metric metric, const double *y, const double *eta,
                           size_t n);

/* The same weighted by w (n values >= 0, NULL = all 1), as cv.glmnet:
 * sum_i w_i l_i / sum_i w_i (NaN when every w_i is 0). */
RP_API double rp_weighted_mean_loss(rp_family family, rp_metric metric, const double *y,
                                    const double *eta, const double *w, size_t n);

/* Its two sums: sums[0] = sum_i w_i l_i and sums[1] = sum_i w_i over the
 * rows of positive weight, to be added to other rows' (rows held by other
 * processes, regpath/comm.h) before the one division. */
RP_API void rp_weighted_loss_sums(rp_family family, rp_metric metric, const double *y,
                                  const double *eta, const double *w, size_t n, double *sums);

/* The area under the ROC curve of scores for labels y in {0, 1} (n values):
 * the probability that a random positive outscores a random negative, ties
 * counting 1/2 (Mann-Whitney).  `work` holds n pairs.  NaN when a class is
 * absent. */
typedef struct {
  double score, y, w;
} rp_scored;
RP_API double rp_auc(const double *y, const double *score, size_t n, rp_scored *work);

/* The same with weights w (n values >= 0, NULL = all 1): pairs of a
 * positive i and a negative k weigh w_i w_k, ties 1/2, so that
 *   AUC = sum_{i pos, k neg} w_i w_k ([s_i > s_k] + [s_i = s_k]/2) / (W_1 W_0)
 * (W_c the classes' total weights), survival::concordance with case
 * weights as cv.glmnet uses it.  NaN when W_1 or W_0 is 0. */
RP_API double rp_weighted_auc(const double *y, const double *score, const double *w, size_t n,
                              rp_scored *work);

/* Test-set scores of linear predictors eta for y (n values): gaussian mse,
 * mae and r2 (rp_regression_scores) and deviance; binomial deviance,
 * accuracy (1 - the "class" loss), auc, and mse and mae as cv.metric counts
 * them; poisson deviance, mse and mae of the mean.  Scores that do not apply
 * are NaN.  `work` holds n pairs. */
RP_API rp_scores rp_test_scores(rp_family family, const double *y, const double *eta, size_t n,
                                rp_scored *work);

/* The multinomial family's test-set scores of n rows of classes y (0..K-1)
 * from their K linear predictors, eta[k n + i]: deviance, accuracy (the
 * most probable class right), and mse and mae as cv.metric counts them
 * (rp_multinomial_mean_loss); the rest NaN. */
RP_API rp_scores rp_multinomial_test_scores(const double *y, const double *eta, size_t n, size_t K);

/* The three scores reported for a family, in order: mse, mae, r2
 * (gaussian); deviance, accuracy, auc (binomial); deviance, mse, mae
 * (poisson); deviance, accuracy, mse (multinomial).  names[i] is the
 * report key of values[i]. */
RP_API void rp_scores_named(rp_family family, const rp_scores *sc, const char *names[3],
                            double values[3]);

/* The score in the units of a CV metric (class: 1 - accuracy). */
RP_API double rp_scores_metric(rp_scores sc, rp_metric metric);

#ifdef __cplusplus
}
#endif
#endif
