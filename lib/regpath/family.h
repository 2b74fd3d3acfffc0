/* regpath/family.h: the model of y given the linear predictor (gaussian,
 * binomial, poisson), and what a caller needs of it: the mean at eta and
 * binomial targets as 0/1.  The per-observation formulas (deviance, IRLS
 * weights) are private (lib/family.h). */
#ifndef REGPATH_PUBLIC_FAMILY_H
#define REGPATH_PUBLIC_FAMILY_H

#include <stddef.h>

#include "regpath/api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The model of y given the linear predictor eta = o + b0 + x.b (docs/ALGORITHMS.md):
 * gaussian (least squares, the objective of regpath/path.h), binomial (y in {0, 1},
 * P(y = 1) = 1 / (1 + e^-eta)) and poisson (counts y >= 0 with mean e^eta;
 * the offset o is then the log of an exposure).  For the last two the first
 * term of the objective is the weighted negative mean log-likelihood,
 * -(1/n) sum_i v_i [y_i eta_i - c(eta_i)], c = log(1 + e^eta) or e^eta; they
 * always run on the columns (naive updates), by IRLS. */
typedef enum {
  RP_FAMILY_GAUSSIAN = 0,
  RP_FAMILY_BINOMIAL,
  RP_FAMILY_POISSON,
  RP_FAMILY_MULTINOMIAL /* K >= 3 classes, y in 0..K-1: K linear predictors eta_k and
                           P(y = k) = e^eta_k / sum_l e^eta_l (docs/ALGORITHMS.md);
                           rp_family_mean does not apply (rp_multinomial_probabilities) */
} rp_family;

/* The mean of y at linear predictor eta: eta (gaussian), the probability
 * 1 / (1 + e^-eta) (binomial), e^eta (poisson). */
RP_API double rp_family_mean(rp_family family, double eta);

/* Does the family's target hold classes (binomial, multinomial)? */
RP_API int rp_family_has_classes(rp_family family);

/* The K class probabilities at the K linear predictors eta (softmax, each
 * shifted by the largest eta so that none overflows), into prob. */
RP_API void rp_multinomial_probabilities(const double *eta, size_t K, double *prob);

/* Binomial targets as 0/1: y01[i] = 1 where y[i] == classes[1], 0 where it
 * is classes[0] (y01 may be y).  Returns the index of the first value that
 * is neither, or n when every value is a class. */
RP_API size_t rp_binomial_labels(const double classes[2], const double *y, size_t n, double *y01);

#ifdef __cplusplus
}
#endif
#endif
