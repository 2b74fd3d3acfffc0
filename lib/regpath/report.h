/* regpath/report.h: the machine-readable report of a run (report.json).
 * The schema is documented in README.md ("Report"); schema_version changes
 * only when a key is renamed or dropped, never when one is added. */
#ifndef REGPATH_REPORT_H
#define REGPATH_REPORT_H

#include "regpath/api.h"
#include "regpath/config.h"
#include "regpath/error.h"
#include "regpath/output.h" /* rp_output_add_run, rp_write_outputs: a run's files */
#include "regpath/run.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RP_REPORT_SCHEMA_VERSION 1

/* The report as JSON text (malloc'd, caller frees), or NULL when out of
 * memory.  `image_format` ("png", "svg", or NULL when plots are not
 * rendered) names the image files in the report's `files` section. */
RP_API char *rp_report_json(const rp_config *cfg, const rp_run_result *res,
                            const char *image_format);

#ifdef __cplusplus
}
#endif
#endif
