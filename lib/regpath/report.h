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

/* The report as JSON text (malloc'd, caller frees), or NULL when out of
 * memory.  `image_format` ("png", "svg", or NULL when plots are not
 * rendered) names the image files in the report's `files` section. */
char *rp_report_json(const rp_config *cfg, const rp_run_result *res, const char *image_format);

/* What rp_write_outputs wrote: file names in the output folder, and a note
 * for people (e.g. "gnuplot is not on PATH: plots not rendered"), or "". */
typedef struct {
  char **names;
  size_t n;
  char note[256];
} rp_written;

/* Write every file of a run into cfg->output_dir, all or nothing: model.json;
 * with output.plots, each fit's plot data and gnuplot scripts (and
 * compare.gp with several fits), rendered per output.render; and, when
 * `with_report`, report.json.  Files are staged and renamed into place only
 * when all succeeded, so on error the folder keeps its earlier files.
 * `written` may be NULL; else free it with rp_written_free.
 * Errors: RP_EIO (cannot write; gnuplot failed), RP_ECONFIG (output.render
 * asks for png or svg and gnuplot is not on PATH), RP_ENOMEM. */
rp_status rp_write_outputs(const rp_config *cfg, const rp_run_result *res, int with_report,
                           rp_written *written, rp_error *err);

void rp_written_free(rp_written *written);

#ifdef __cplusplus
}
#endif
#endif
