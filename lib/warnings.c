/* warnings.c: a run's warnings (warnings.h). */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include "warnings.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

rp_status rp_run_warn(rp_run_result *res, rp_error *err, const char *fmt, ...) {
  char buf[RP_ERROR_MESSAGE_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  char **grown = realloc(res->warnings, (res->n_warnings + 1) * sizeof *grown);
  if (!grown) return rp_error_set(err, RP_ENOMEM, "out of memory");
  res->warnings = grown;
  if (!(res->warnings[res->n_warnings] = strdup(buf)))
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  res->n_warnings++;
  return RP_OK;
}
