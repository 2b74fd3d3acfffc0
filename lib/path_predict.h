/* path_predict.h (private): the warm start's first-order prediction along the
 * path, for the IRLS point solver (glm.c).
 *
 * Between changes of the support, the solution b~(alpha) is smooth in
 * log alpha, so the last two solutions predict the next one:
 *   b_pred = b + t (b - b_back),  t = log(alpha/alpha_now) / log(alpha_now/alpha_back)
 * (t = 1 on a log-spaced grid), with a coefficient that is 0, or would
 * change sign, held at 0.  A solver starts from the prediction when it
 * lowers the objective at alpha, else from b (glmnet's warm start); the
 * point is then solved to the same certificate, so the prediction changes
 * the work, never what is certified.
 */
#ifndef REGPATH_PATH_PREDICT_H
#define REGPATH_PATH_PREDICT_H

#include <stddef.h>

typedef struct {
  double *beta_back; /* the solution one point back (p values)            */
  double b0_back;    /* its intercept                                     */
  double alpha_back; /* its alpha                                         */
  double alpha_now;  /* the current solution's alpha; 0 before the first  */
} rp_predictor;

/* 0 without memory. */
int rp_predictor_alloc(rp_predictor *pr, size_t p);
void rp_predictor_free(rp_predictor *pr);

/* t for the solve at alpha after the one at alpha_prev, or 0 when the
 * predictor has no two solutions to go by (the first points, or a solve
 * out of the path's order). */
double rp_predictor_step(const rp_predictor *pr, double alpha, double alpha_prev);

/* b_pred of a coefficient b whose value one point back was b_back. */
static inline double rp_predicted(double b, double b_back, double t) {
  double q = b + t * (b - b_back);
  return q * b > 0.0 ? q : 0.0;
}

/* The solution at alpha_prev (b, b0), about to be left for alpha, becomes
 * the one point back. */
void rp_predictor_shift(rp_predictor *pr, const double *b, double b0, size_t p, double alpha_prev,
                        double alpha);

#endif
