/* cv_spread.h (private): the steps of a cross-validation whose rows are
 * spread over processes (regpath/comm.h) that differ from one process's
 * (cv_spread.c; cv.c calls them when the design has a reduce). */
#ifndef REGPATH_CV_SPREAD_H
#define REGPATH_CV_SPREAD_H

#include "regpath/cv.h"
#include "regpath/design.h"
#include "regpath/path.h"

/* The fold count *K (the largest fold id of any process's rows) and that
 * no fold is empty over them all.  What needs every held-out row in one
 * place (the AUC: a ranking; cv.keep's predictions) or refits on the rows
 * (the relaxed lasso) is RP_EINVAL.  A collective call. */
rp_status rp_cv_spread_check(const rp_design *X, const rp_fit_options *opt, rp_metric metric,
                             const int *fold_ids, size_t *K, rp_error *err);

/* Each fold's held-out errors, kept as loss sums in cv->fold_error and their
 * weights in loss_weight (n_folds x n_alphas each) while the folds ran: added
 * over the processes in one call each, then divided.  A collective call. */
void rp_cv_spread_errors(rp_cv *cv, const rp_design *X, double *loss_weight);

#endif
