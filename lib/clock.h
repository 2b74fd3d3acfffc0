/* clock.h (private): wall-clock seconds for the timings in the report (for
 * callers: rp_clock_seconds, regpath/clock.h).  Needs _POSIX_C_SOURCE >=
 * 199309L before any include. */
#ifndef REGPATH_CLOCK_H
#define REGPATH_CLOCK_H

#include <time.h>

static inline double rp_now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

#endif
