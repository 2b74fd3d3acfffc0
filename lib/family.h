/* family.h (private): the per-observation formulas of each family.
 *
 * A family's negative log-likelihood for one observation, as a function of
 * the linear predictor eta, is
 *   l(y, eta) = c(eta) - y eta        (gaussian: c = eta^2/2, plus y^2/2)
 * with the cumulant c(eta) = log(1 + e^eta) (binomial) or e^eta (poisson).
 * The mean is mu = c'(eta) (the inverse link), the IRLS weight the variance
 * c''(eta), and the convex conjugate c*(q) = q log q + (1 - q) log(1 - q)
 * (binomial, q in [0, 1]) or q log q - q (poisson, q >= 0), with 0 log 0 = 0.
 * Then min_eta l(y, eta) = -c*(y), so the unit deviance is
 *   d(y, eta) = 2 (l(y, eta) + c*(y)),
 * and the Fenchel dual of a fit is written with c* (glm.c).
 */
#ifndef REGPATH_FAMILY_H
#define REGPATH_FAMILY_H

#include "regpath/path.h"

/* c(eta), computed without overflow for the binomial. */
double rp_family_cumulant(rp_family family, double eta);

/* mu = c'(eta): rp_family_mean, declared in regpath/path.h. */

/* c''(eta) at mu = c'(eta): mu (1 - mu) or mu (1 for gaussian). */
double rp_family_variance(rp_family family, double mu);

/* c*(q) for q in the family's range of means. */
double rp_family_conjugate(rp_family family, double q);

/* Whether q is in that range, where c* is finite: [0, 1] (binomial),
 * [0, inf) (poisson), every finite q (gaussian). */
int rp_family_in_range(rp_family family, double q);

/* The link: the eta whose mean is mu. */
double rp_family_link(rp_family family, double mu);

/* d(y, eta) = 2 (c(eta) - y eta + c*(y)). */
double rp_family_unit_deviance(rp_family family, double y, double eta);

/* What the family's targets must be, for messages: "0 or 1" (binomial),
 * "a count >= 0" (poisson), "finite" (gaussian). */
const char *rp_family_target_kind(rp_family family);

/* The first value of y the family cannot model (binomial: not 0 or 1;
 * poisson: negative; any: not finite), as its index, or n when all fit. */
size_t rp_family_invalid_target(rp_family family, const double *y, size_t n);

#endif
