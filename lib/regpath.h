/* regpath.h: libregpath, regularization paths of penalized linear models
 * (lasso, ridge, elastic net) with k-fold cross-validation.
 *
 * Include this one header; link with `pkg-config --libs regpath`.
 * Conventions: functions that can fail return an rp_status and fill an
 * rp_error; objects returned through `**out` belong to the caller and are
 * released with the matching rp_*_free (NULL is harmless); the library never
 * prints, exits or aborts.
 *
 * GSL: call gsl_set_error_handler_off() once, before the first call into the
 * library, as the regpath program does.  The library uses GSL (the folds'
 * random numbers, a modified Cholesky factor) and checks every status GSL
 * returns, but GSL's default error handler aborts the process before the
 * status comes back (gsl_rng_alloc out of memory, for one).  The library
 * does not switch the handler itself: it is one global of the process,
 * which belongs to the program (it may have a handler of its own), and
 * switching it off and back around each call would race with the library's
 * own OpenMP threads and with the caller's.
 *
 * Only what these headers declare is exported from libregpath (RP_API,
 * regpath/api.h); everything else in the library is private.
 */
#ifndef REGPATH_H
#define REGPATH_H

#include "regpath/classes.h"
#include "regpath/clock.h"
#include "regpath/comm.h"
#include "regpath/config.h"
#include "regpath/cv.h"
#include "regpath/design.h"
#include "regpath/error.h"
#include "regpath/family.h"
#include "regpath/fileio.h"
#include "regpath/metrics.h"
#include "regpath/model.h"
#include "regpath/output.h"
#include "regpath/path.h"
#include "regpath/plots.h"
#include "regpath/relax.h"
#include "regpath/report.h"
#include "regpath/run.h"
#include "regpath/svmlight.h"
#include "regpath/table.h"
#include "regpath/text.h"

#endif
