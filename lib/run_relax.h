/* run_relax.h (private): the relaxed lasso in a run (model.relax): its
 * gammas, each full-data path's refits, and the blends as fits of their
 * own (regpath/run.h). */
#ifndef REGPATH_RUN_RELAX_H
#define REGPATH_RUN_RELAX_H

#include "regpath/config.h"
#include "regpath/run.h"

/* model.gamma's values below 1, distinct, largest first, into
 * res->relax_gammas (none without model.relax), and room for one refit
 * per l1_ratio.  RP_ENOMEM. */
rp_status rp_run_relax_open(rp_run_result *res, const rp_config *cfg, rp_error *err);

/* Fit f's refits on every training row, with the options it was fitted
 * with (nothing without model.relax). */
rp_status rp_run_relax_fit(rp_run_result *res, size_t f, const rp_fit_options *opt, rp_error *err);

/* Each l1_ratio's penalized fit followed by its blends, largest gamma
 * first: the blended paths, and the CVs of the blends taken from the
 * penalized fit's (rp_cv.relaxed).  RP_ENOMEM. */
rp_status rp_run_relax_blends(rp_run_result *res, rp_error *err);

#endif
