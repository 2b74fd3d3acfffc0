/* assemble.h (private): a run's data, ready to fit (assemble.c). */
#ifndef REGPATH_ASSEMBLE_H
#define REGPATH_ASSEMBLE_H

#include "regpath/config.h"
#include "regpath/error.h"
#include "regpath/run.h"

/* Load the data cfg names into res (rp_dataset_load; data.train's shards,
 * or this process's share of them with comm: rp_shards_load), hold X as
 * data.storage says (rp_storage_settle), check the target
 * (poisson: counts >= 0), make the folds (seeded, stratified by class when
 * cfg says so) unless they were given, check the fold ids, and check that
 * every binomial class has at least one row per fold.  Errors: as
 * rp_dataset_load; RP_ECONFIG for folds that do not fit the data (cv.folds,
 * cv.fold_ids); RP_EDATA for a negative count or a class with fewer rows
 * than folds. */
rp_status rp_assemble_data(rp_run_result *res, const rp_config *cfg, const rp_comm *comm,
                           rp_error *err);

#endif
