/* output.c: every file of a run, into an output folder replaced as a whole
 * (see regpath/report.h and regpath/output.h). */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cv_predictions.h"
#include "documents.h"
#include "image.h"
#include "json.h"
#include "outdir.h"
#include "regpath/model.h"
#include "regpath/output.h"
#include "regpath/plots.h"
#include "regpath/report.h"

enum { NAME_MAX_LEN = 128 };

static rp_status add_text(rp_output *out, const char *name, char *text, rp_error *err) {
  if (!text) return rp_error_set(err, RP_ENOMEM, "out of memory for %s", name);
  rp_status st = rp_output_add(out, name, text, strlen(text), err);
  free(text);
  return st;
}

static int fill_json(const void *root, rp_output_put put, void *ctx) {
  return rp_json_write(root, put, ctx);
}

/* The tree's text, written as it is printed: never held whole. */
static rp_status add_json(rp_output *out, const char *name, cJSON *root, rp_error *err) {
  rp_status st = root ? rp_output_add_filled(out, name, fill_json, root, err)
                      : rp_error_set(err, RP_ENOMEM, "out of memory for %s", name);
  cJSON_Delete(root);
  return st;
}

static rp_status add_model(rp_output *out, const rp_config *cfg, const rp_run_result *res,
                           rp_error *err) {
  rp_model *m;
  rp_status st = rp_model_from_run(res, cfg, &m, err);
  if (st == RP_OK) st = add_json(out, "model.json", rp_model_tree(m), err);
  rp_model_free(m);
  return st;
}

/* The image the renderer made from `script`, checked whole and adopted. */
static rp_status render(rp_output *out, const rp_output_options *opt, const char *script,
                        rp_error *err) {
  char image[NAME_MAX_LEN], path[4096];
  snprintf(image, sizeof image, "%.*s.%s", (int)(strrchr(script, '.') - script), script,
           opt->image_format);
  snprintf(path, sizeof path, "%s/%s", rp_output_dir(out), image);
  rp_status st =
      opt->render(opt->render_ctx, rp_output_staging(out), script, image, opt->image_format, err);
  int dir_fd = st == RP_OK ? open(rp_output_staging(out), O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
  if (st == RP_OK && dir_fd < 0) st = rp_error_set_at(err, RP_EIO, path, 0, 0, "plot not written");
  if (st == RP_OK) st = rp_image_check(dir_fd, image, opt->image_format, path, err);
  if (dir_fd >= 0) close(dir_fd);
  return st == RP_OK ? rp_output_adopt(out, image, err) : st;
}

/* A gnuplot script, rendered when the options ask for images. */
static rp_status add_script(rp_output *out, const rp_output_options *opt, const char *script,
                            char *text, rp_error *err) {
  rp_status st = add_text(out, script, text, err);
  if (st != RP_OK || !opt->image_format || !opt->render) return st;
  return render(out, opt, script, err);
}

static rp_status add_plots(rp_output *out, const rp_config *cfg, const rp_run_result *res,
                           const rp_output_options *opt, rp_error *err) {
  rp_status st = RP_OK;
  const rp_plot_options plot = {cfg->log_base};
  char name[NAME_MAX_LEN];
  for (size_t f = 0; st == RP_OK && f < res->n_fits; f++) {
    rp_plot_file_name(res, f, "path", "dat", name, sizeof name);
    st = add_text(out, name, rp_plot_path_data(res, f), err);
    rp_plot_file_name(res, f, "cv", "dat", name, sizeof name);
    if (st == RP_OK) st = add_text(out, name, rp_plot_cv_data(res, f), err);
    rp_plot_file_name(res, f, "path", "gp", name, sizeof name);
    if (st == RP_OK) st = add_script(out, opt, name, rp_plot_path_script_opt(res, f, &plot), err);
    rp_plot_file_name(res, f, "cv", "gp", name, sizeof name);
    if (st == RP_OK) st = add_script(out, opt, name, rp_plot_cv_script_opt(res, f, &plot), err);
  }
  if (st == RP_OK && res->n_fits > 1)
    st = add_script(out, opt, "compare.gp", rp_plot_compare_script_opt(res, &plot), err);
  return st;
}

rp_status rp_output_add_run(rp_output *out, const rp_config *cfg, const rp_run_result *res,
                            const rp_output_options *opt, rp_error *err) {
  const char *fmt = opt->render ? opt->image_format : NULL;
  rp_status st = RP_OK;
  if (opt->with_report) st = add_json(out, "report.json", rp_report_tree(cfg, res, fmt), err);
  if (st == RP_OK) st = add_model(out, cfg, res, err);
  if (st == RP_OK && cfg->cv_keep)
    st = add_text(out, "cv_predictions.csv", rp_cv_predictions_csv(res, 0), err);
  if (st == RP_OK && cfg->cv_keep == 2)
    st = add_text(out, "cv_predictions_path.csv", rp_cv_predictions_csv(res, 1), err);
  if (st == RP_OK && cfg->plots) st = add_plots(out, cfg, res, opt, err);
  return st;
}

static rp_status list_names(rp_written *w, const rp_output *out, rp_error *err) {
  size_t n = rp_output_count(out);
  if (!(w->names = calloc(n ? n : 1, sizeof *w->names)))
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  for (; w->n < n; w->n++)
    if (!(w->names[w->n] = strdup(rp_output_name(out, w->n))))
      return rp_error_set(err, RP_ENOMEM, "out of memory");
  return RP_OK;
}

rp_status rp_write_outputs(const rp_config *cfg, const rp_run_result *res, int with_report,
                           rp_written *written, rp_error *err) {
  rp_written local = {NULL, 0, ""}, *w = written ? written : &local;
  *w = local;
  if (cfg->plots && cfg->render != RP_RENDER_NONE)
    snprintf(w->note, sizeof w->note,
             "plots not rendered (the library starts no programs): "
             "run gnuplot on the .gp scripts in %s",
             cfg->output_dir);
  rp_output_options opt = {with_report, NULL, NULL, NULL};
  rp_output *out = NULL;
  rp_status st = rp_output_open(cfg->output_dir, &out, err);
  if (st == RP_OK) st = rp_output_add_run(out, cfg, res, &opt, err);
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
