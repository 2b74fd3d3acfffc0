/* family.c: per-observation formulas of the gaussian, binomial and poisson
 * families (see family.h). */
#include "family.h"

#include <math.h>

static double x_log_x(double x) { return x > 0.0 ? x * log(x) : 0.0; }

double rp_family_cumulant(rp_family family, double eta) {
  switch (family) {
    case RP_FAMILY_BINOMIAL: return eta > 0.0 ? eta + log1p(exp(-eta)) : log1p(exp(eta));
    case RP_FAMILY_POISSON: return exp(eta);
    default: return 0.5 * eta * eta;
  }
}

int rp_family_has_classes(rp_family family) {
  return family == RP_FAMILY_BINOMIAL || family == RP_FAMILY_MULTINOMIAL;
}

double rp_family_mean(rp_family family, double eta) {
  switch (family) {
    case RP_FAMILY_BINOMIAL: return 1.0 / (1.0 + exp(-eta));
    case RP_FAMILY_POISSON: return exp(eta);
    default: return eta;
  }
}

void rp_multinomial_probabilities(const double *eta, size_t K, double *prob) {
  double top = -INFINITY, sum = 0.0;
  for (size_t k = 0; k < K; k++) top = fmax(top, eta[k]);
  for (size_t k = 0; k < K; k++) sum += prob[k] = exp(eta[k] - top);
  for (size_t k = 0; k < K; k++) prob[k] /= sum;
}

double rp_family_variance(rp_family family, double mu) {
  switch (family) {
    case RP_FAMILY_BINOMIAL: return mu * (1.0 - mu);
    case RP_FAMILY_POISSON: return mu;
    default: return 1.0;
  }
}

double rp_family_conjugate(rp_family family, double q) {
  switch (family) {
    case RP_FAMILY_BINOMIAL: return x_log_x(q) + x_log_x(1.0 - q);
    case RP_FAMILY_POISSON: return x_log_x(q) - q;
    default: return 0.5 * q * q;
  }
}

int rp_family_in_range(rp_family family, double q) {
  switch (family) {
    case RP_FAMILY_BINOMIAL: return q >= 0.0 && q <= 1.0;
    case RP_FAMILY_POISSON: return q >= 0.0 && q < INFINITY;
    default: return isfinite(q);
  }
}

double rp_family_link(rp_family family, double mu) {
  switch (family) {
    case RP_FAMILY_BINOMIAL: return log(mu / (1.0 - mu));
    case RP_FAMILY_POISSON: return log(mu);
    default: return mu;
  }
}

double rp_family_unit_deviance(rp_family family, double y, double eta) {
  return 2.0 * (rp_family_cumulant(family, eta) - y * eta + rp_family_conjugate(family, y));
}

const char *rp_family_target_kind(rp_family family) {
  switch (family) {
    case RP_FAMILY_BINOMIAL: return "0 or 1";
    case RP_FAMILY_POISSON: return "a count >= 0";
    default: return "finite";
  }
}

size_t rp_family_invalid_target(rp_family family, const double *y, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(y[i])) return i;
    if (family == RP_FAMILY_BINOMIAL && y[i] != 0.0 && y[i] != 1.0) return i;
    if (family == RP_FAMILY_POISSON && y[i] < 0.0) return i;
  }
  return n;
}

size_t rp_binomial_labels(const double classes[2], const double *y, size_t n, double *y01) {
  for (size_t i = 0; i < n; i++) {
    if (y[i] != classes[0] && y[i] != classes[1]) return i;
    y01[i] = y[i] == classes[1];
  }
  return n;
}
