/* regpath/clock.h: the clock of the library's timings (rp_cv's path_seconds
 * and cv_seconds, rp_run_result's load_s ... total_s), for a caller that
 * times its own steps, or shows progress, on the same scale. */
#ifndef REGPATH_PUBLIC_CLOCK_H
#define REGPATH_PUBLIC_CLOCK_H

#include "regpath/api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Wall-clock seconds from an arbitrary start (CLOCK_MONOTONIC: never set
 * back); only differences mean anything. */
RP_API double rp_clock_seconds(void);

#ifdef __cplusplus
}
#endif
#endif
