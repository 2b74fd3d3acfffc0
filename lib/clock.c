/* clock.c: the library's clock for callers (regpath/clock.h). */
#define _POSIX_C_SOURCE 199309L
#include "clock.h"

#include "regpath/clock.h"

double rp_clock_seconds(void) { return rp_now_seconds(); }
