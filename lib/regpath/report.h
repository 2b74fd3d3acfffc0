/* regpath/report.h: the machine-readable report of a run (report.json).
 * The schema is documented in README.md ("Report"); schema_version changes
 * only when a key is renamed or dropped, never when one is added. */
#ifndef REGPATH_REPORT_H
#define REGPATH_REPORT_H

#include "regpath/config.h"
#include "regpath/error.h"
#include "regpath/output.h"
#include "regpath/run.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RP_REPORT_SCHEMA_VERSION 1

/* The report as JSON text (malloc'd, caller frees), or NULL when out of
 * memory.  `image_format` ("png", "svg", or NULL when plots are not
 * rendered) names the image files in the report's `files` section. */
char *rp_report_json(const rp_config *cfg, const rp_run_result *res, const char *image_format);

/* Makes image file `image` (format "png" or "svg") from gnuplot script
 * `script`, both plain names inside folder `folder`.  The library starts no
 * programs: the caller supplies this (the regpath program runs gnuplot). */
typedef rp_status (*rp_render_fn)(void *ctx, const char *folder, const char *script,
                                  const char *image, const char *format, rp_error *err);

typedef struct {
  int with_report;          /* report.json into the folder (0: the caller prints it)  */
  const char *image_format; /* "png", "svg", or NULL for no images                     */
  rp_render_fn render;      /* NULL: no images                                          */
  void *render_ctx;
} rp_output_options;

/* Add every file of a run to output `out` (see regpath/output.h):
 * report.json when opt->with_report, model.json, and with output.plots each
 * fit's plot data and gnuplot scripts (and compare.gp with several fits),
 * each script rendered by opt->render and the image checked whole (a PNG
 * chunk by chunk, an SVG to its closing tag) before it is added.  Nothing
 * is in the output folder before rp_output_commit.  Errors: RP_EIO (cannot
 * write; a renderer's error; an image not whole), RP_ENOMEM. */
rp_status rp_output_add_run(rp_output *out, const rp_config *cfg, const rp_run_result *res,
                            const rp_output_options *opt, rp_error *err);

/* What rp_write_outputs wrote: file names in the output folder, and a note
 * for people (e.g. that plots were not rendered), or "". */
typedef struct {
  char **names;
  size_t n;
  char note[256];
} rp_written;

/* rp_output_open(cfg->output_dir), rp_output_add_run without images, and
 * rp_output_commit: every file of a run (report.json when `with_report`)
 * replaces the folder's earlier files all at once, or, on error, none does.
 * With output.plots and output.render other than "none", written->note says
 * that the scripts were not rendered.  `written` may be NULL; else free it
 * with rp_written_free.  Errors: as rp_output_open, rp_output_add_run and
 * rp_output_commit. */
rp_status rp_write_outputs(const rp_config *cfg, const rp_run_result *res, int with_report,
                           rp_written *written, rp_error *err);

void rp_written_free(rp_written *written);

#ifdef __cplusplus
}
#endif
#endif
