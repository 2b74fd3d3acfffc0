/* path_predict.c: the warm start's prediction along the path (see path_predict.h). */
#include "path_predict.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int rp_predictor_alloc(rp_predictor *pr, size_t p) {
  *pr = (rp_predictor){0};
  pr->beta_back = calloc(p, sizeof *pr->beta_back);
  return pr->beta_back != NULL;
}

void rp_predictor_free(rp_predictor *pr) { free(pr->beta_back); }

double rp_predictor_step(const rp_predictor *pr, double alpha, double alpha_prev) {
  if (pr->alpha_now != alpha_prev || !(alpha < alpha_prev) || !(pr->alpha_back > alpha_prev))
    return 0.0;
  double t = log(alpha / alpha_prev) / log(alpha_prev / pr->alpha_back);
  return isfinite(t) && t > 0.0 ? t : 0.0;
}

void rp_predictor_shift(rp_predictor *pr, const double *b, double b0, size_t p, double alpha_prev,
                        double alpha) {
  memcpy(pr->beta_back, b, p * sizeof *b);
  pr->b0_back = b0;
  pr->alpha_back = alpha_prev;
  pr->alpha_now = alpha;
}
