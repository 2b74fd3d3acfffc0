/* output.c: every file of a run, written all or nothing (see regpath/report.h). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "regpath/model.h"
#include "regpath/plots.h"
#include "regpath/report.h"

enum { NAME_MAX_LEN = 128 };

/* The image format output.render asks for, given whether gnuplot is there:
 * "png", "svg" or NULL (with a note when "auto" found no gnuplot). */
static rp_status image_format(const rp_config *cfg, char *gnuplot, size_t size, const char **fmt,
                              rp_written *w, rp_error *err) {
  *fmt = NULL;
  if (!cfg->plots || cfg->render == RP_RENDER_NONE) return RP_OK;
  int found = rp_plot_find_gnuplot(gnuplot, size);
  if (cfg->render == RP_RENDER_AUTO) {
    if (found) *fmt = "png";
    else snprintf(w->note, sizeof w->note, "gnuplot is not on PATH: plots not rendered (the .gp scripts are written)");
    return RP_OK;
  }
  if (!found)
    return rp_error_set(err, RP_ECONFIG, "output.render: \"%s\" needs gnuplot, which is not on PATH",
                        cfg->render == RP_RENDER_PNG ? "png" : "svg");
  *fmt = cfg->render == RP_RENDER_PNG ? "png" : "svg";
  return RP_OK;
}

static rp_status add_text(rp_output *out, const char *name, char *text, rp_error *err) {
  if (!text) return rp_error_set(err, RP_ENOMEM, "out of memory for %s", name);
  rp_status st = rp_output_add(out, name, text, strlen(text), err);
  free(text);
  return st;
}

static rp_status add_model(rp_output *out, const rp_config *cfg, const rp_run_result *res,
                           rp_error *err) {
  rp_model *m;
  rp_status st = rp_model_from_run(res, cfg, &m, err);
  if (st == RP_OK) st = add_text(out, "model.json", rp_model_to_json(m), err);
  rp_model_free(m);
  return st;
}

/* A gnuplot script, rendered to <base>.<fmt> in the staging folder. */
static rp_status add_script(rp_output *out, const char *gnuplot, const char *fmt,
                            const char *script, char *text, rp_error *err) {
  rp_status st = add_text(out, script, text, err);
  if (st != RP_OK || !fmt) return st;
  char image[NAME_MAX_LEN];
  snprintf(image, sizeof image, "%.*s.%s", (int)(strrchr(script, '.') - script), script, fmt);
  st = rp_output_adopt(out, image, err);
  return st != RP_OK ? st : rp_plot_render(gnuplot, rp_output_staging(out), script, fmt, err);
}

static rp_status add_plots(rp_output *out, const rp_run_result *res, const char *gnuplot,
                           const char *fmt, rp_error *err) {
  rp_status st = RP_OK;
  char name[NAME_MAX_LEN];
  for (size_t f = 0; st == RP_OK && f < res->n_fits; f++) {
    rp_plot_file_name(res, f, "path", "dat", name, sizeof name);
    st = add_text(out, name, rp_plot_path_data(res, f), err);
    rp_plot_file_name(res, f, "cv", "dat", name, sizeof name);
    if (st == RP_OK) st = add_text(out, name, rp_plot_cv_data(res, f), err);
    rp_plot_file_name(res, f, "path", "gp", name, sizeof name);
    if (st == RP_OK) st = add_script(out, gnuplot, fmt, name, rp_plot_path_script(res, f), err);
    rp_plot_file_name(res, f, "cv", "gp", name, sizeof name);
    if (st == RP_OK) st = add_script(out, gnuplot, fmt, name, rp_plot_cv_script(res, f), err);
  }
  if (st == RP_OK && res->n_fits > 1)
    st = add_script(out, gnuplot, fmt, "compare.gp", rp_plot_compare_script(res), err);
  return st;
}

static rp_status add_report(rp_output *out, const rp_config *cfg, const rp_run_result *res,
                            const char *fmt, rp_error *err) {
  return add_text(out, "report.json", rp_report_json(cfg, res, fmt), err);
}

static rp_status list_names(rp_written *w, const rp_output *out, rp_error *err) {
  size_t n = rp_output_count(out);
  if (!(w->names = calloc(n ? n : 1, sizeof *w->names))) return rp_error_set(err, RP_ENOMEM, "out of memory");
  for (; w->n < n; w->n++)
    if (!(w->names[w->n] = strdup(rp_output_name(out, w->n)))) return rp_error_set(err, RP_ENOMEM, "out of memory");
  return RP_OK;
}

rp_status rp_write_outputs(const rp_config *cfg, const rp_run_result *res, int with_report,
                           rp_written *written, rp_error *err) {
  rp_written local = {NULL, 0, ""}, *w = written ? written : &local;
  *w = local;
  char gnuplot[4096];
  const char *fmt;
  rp_output *out = NULL;
  rp_status st = image_format(cfg, gnuplot, sizeof gnuplot, &fmt, w, err);
  if (st == RP_OK) st = rp_output_open(cfg->output_dir, &out, err);
  if (st == RP_OK && with_report) st = add_report(out, cfg, res, fmt, err);
  if (st == RP_OK) st = add_model(out, cfg, res, err);
  if (st == RP_OK && cfg->plots) st = add_plots(out, res, gnuplot, fmt, err);
  if (st == RP_OK) st = rp_output_commit(out, err);
  if (st == RP_OK && written) st = list_names(w, out, err);
  rp_output_free(out);
  return st;
}

void rp_written_free(rp_written *w) {
  if (!w) return;
  for (size_t i = 0; i < w->n; i++) free(w->names[i]);
  free(w->names);
  w->names = NULL;
  w->n = 0;
}
