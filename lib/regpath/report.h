/* regpath/report.h: the machine-readable report of a run (report.json).
 * The schema is documented in README.md ("Report"); schema_version changes
 * only when a key is renamed or dropped, never when one is added. */
#ifndef REGPATH_REPORT_H
#define REGPATH_REPORT_H

#include "regpath/config.h"
#include "regpath/error.h"
#include "regpath/run.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RP_REPORT_SCHEMA_VERSION 1

/* The report as JSON text (malloc'd, caller frees), or NULL when out of memory. */
char *rp_report_json(const rp_config *cfg, const rp_run_result *res);

/* Write <dir>/report.json all-or-nothing (temporary file + rename): on error
 * an earlier report.json is left as it was. */
rp_status rp_report_write(const rp_config *cfg, const rp_run_result *res, const char *dir,
                          rp_error *err);

#ifdef __cplusplus
}
#endif
#endif
