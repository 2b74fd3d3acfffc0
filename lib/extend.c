/* extend.c: cutting an extended grid back to where the CV curve turned up. */
#include "extend.h"

#include <string.h>

size_t rp_extend_margin(size_t n_alphas) { return n_alphas / 10 > 5 ? n_alphas / 10 : 5; }

size_t rp_extend_length(const rp_cv *cv, size_t n_generated, size_t margin) {
  size_t best = 0;
  for (size_t a = 1; a < n_generated && a < cv->n_alphas; a++)
    if (rp_cv_loss(cv, a) < rp_cv_loss(cv, best)) best = a;
  for (size_t L = n_generated; L < cv->n_alphas; L++) {
    if (rp_cv_loss(cv, L) < rp_cv_loss(cv, best)) best = L;
    if (L - best >= margin) return L + 1;
  }
  return cv->n_alphas;
}

void rp_path_keep_first(rp_path *path, size_t n) {
  if (n >= path->n_alphas) return;
  path->n_alphas = n;
  path->saturated = 0; /* saturation only ever ends a path: at a point now cut */
}

void rp_cv_keep_first(rp_cv *cv, size_t n) {
  size_t A = cv->n_alphas;
  if (n >= A) return;
  for (size_t k = 0; k < cv->n_folds; k++) /* fold_error[k * A + a] -> [k * n + a] */
    memmove(cv->fold_error + k * n, cv->fold_error + k * A, n * sizeof *cv->fold_error);
  for (size_t a = n; a < A; a++) cv->n_nonconverged -= cv->nonconverged_at[a];
  cv->n_alphas = n;
  rp_cv_choose(cv->mean, cv->std_error, n, cv->larger_is_better, &cv->index_min, &cv->index_1se);
  cv->alpha_min = cv->alphas[cv->index_min];
  cv->alpha_1se = cv->alphas[cv->index_1se];
  for (size_t g = 0; g < cv->n_relaxed; g++) rp_cv_keep_first(cv->relaxed[g], n);
}
