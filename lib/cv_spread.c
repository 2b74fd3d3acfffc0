/* cv_spread.c: a cross-validation whose rows are spread over processes
 * (cv_spread.h). */
#include "cv_spread.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "rows.h"

rp_status rp_cv_spread_check(const rp_design *X, const rp_fit_options *opt, rp_metric metric,
                             const int *fold_ids, size_t *K, rp_error *err) {
  double k_max = 0.0;
  for (size_t i = 0; i < X->n; i++) k_max = fmax(k_max, (double)fold_ids[i]);
  rp_rows_max(X, &k_max, 1);
  if (!(k_max >= 2.0 && k_max <= (double)INT32_MAX))
    return rp_error_set(err, RP_EINVAL, "need at least 2 folds, got %g", k_max);
  *K = (size_t)k_max;
  double *count = calloc(*K, sizeof *count);
  if (!count) return rp_error_set(err, RP_ENOMEM, "out of memory");
  for (size_t i = 0; i < X->n; i++)
    if (fold_ids[i] >= 1) count[fold_ids[i] - 1] += 1.0;
  rp_rows_sum(X, count, *K);
  rp_status st = RP_OK;
  for (size_t k = 0; st == RP_OK && k < *K; k++)
    if (count[k] == 0.0) st = rp_error_set(err, RP_EINVAL, "fold %zu of %zu is empty", k + 1, *K);
  free(count);
  const char *needs = metric == RP_METRIC_AUC ? "the AUC"
                      : opt->cv_keep          ? "keeping the CV predictions"
                      : opt->n_relax_gammas   ? "the relaxed lasso"
                                              : NULL;
  if (st == RP_OK && needs)
    st = rp_error_set(err, RP_EINVAL, "%s needs every row in one process", needs);
  return st;
}

void rp_cv_spread_errors(rp_cv *cv, const rp_design *X, double *loss_weight) {
  size_t m = cv->n_folds * cv->n_alphas;
  rp_rows_sum(X, cv->fold_error, m);
  rp_rows_sum(X, loss_weight, m);
  for (size_t t = 0; t < m; t++) cv->fold_error[t] /= loss_weight[t];
}
