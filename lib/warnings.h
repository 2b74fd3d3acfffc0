/* warnings.h (private): a run's warnings, one line each (res->warnings),
 * added by every layer that finds one: the data (dataset_svmlight.c) and
 * the fits (run.c). */
#ifndef REGPATH_WARNINGS_H
#define REGPATH_WARNINGS_H

#include "regpath/error.h"
#include "regpath/run.h"

/* Append the formatted line to res->warnings.  Errors: RP_ENOMEM. */
rp_status rp_run_warn(rp_run_result *res, rp_error *err, const char *fmt, ...) RP_PRINTF(3, 4);

#endif
