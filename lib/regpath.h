/* regpath.h: libregpath, regularization paths of penalized linear models
 * (lasso, ridge, elastic net) with k-fold cross-validation.
 *
 * Include this one header; link with `pkg-config --libs regpath`.
 * Conventions: functions that can fail return an rp_status and fill an
 * rp_error; objects returned through `**out` belong to the caller and are
 * released with the matching rp_*_free (NULL is harmless); the library never
 * prints, exits or aborts.
 */
#ifndef REGPATH_H
#define REGPATH_H

#include "regpath/config.h"
#include "regpath/clock.h"
#include "regpath/cv.h"
#include "regpath/design.h"
#include "regpath/error.h"
#include "regpath/family.h"
#include "regpath/fileio.h"
#include "regpath/model.h"
#include "regpath/output.h"
#include "regpath/path.h"
#include "regpath/plots.h"
#include "regpath/report.h"
#include "regpath/run.h"
#include "regpath/table.h"
#include "regpath/text.h"

#endif
