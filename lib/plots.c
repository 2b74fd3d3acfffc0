/* plots.c: the names of a run's plot files, and the data files (see
 * regpath/plots.h).  The scripts are written by plot_path.c and plot_cv.c
 * from the pieces in plot_frame.c; text is quoted as plot_text.h says. */
#define _POSIX_C_SOURCE 200809L
#include "regpath/plots.h"

#include <math.h>
#include <stdio.h>

#include "plot_frame.h"

void rp_plot_file_name(const rp_run_result *res, size_t f, const char *kind, const char *ext,
                       char *buf, size_t size) {
  char base[64];
  rp_plot_base_name(res, f, kind, base, sizeof base);
  snprintf(buf, size, "%s.%s", base, ext);
}

/* ---- data files ------------------------------------------------------ */

/* Path data rows: per alpha "alpha log10_alpha df dev_ratio coef...". */
static void path_rows(rp_sbuf *b, const rp_path *path) {
  size_t p = path->p;
  for (size_t k = 0; k < path->n_alphas; k++) {
    rp_sb_printf(b, "%.17g %.17g %zu %.17g", path->alphas[k], log10(path->alphas[k]), path->df[k],
                 path->dev_ratio[k]);
    for (size_t j = 0; j < p; j++) rp_sb_printf(b, " %.17g", path->coef[k * p + j]);
    rp_sb_putc(b, '\n');
  }
}

/* A multinomial path: one block of rows per class, each opened by a
 * "# class" comment and separated by two blank lines, so that gnuplot's
 * `index c` reads class c. */
static void class_blocks(rp_sbuf *b, const rp_run_result *res, const rp_path *path) {
  for (size_t c = 0; c < path->n_classes; c++) {
    char name[256];
    rp_path view;
    if (!rp_plot_class_path(path, c, &view)) {
      b->failed = 1;
      return;
    }
    rp_classes_name(&res->classes, c, name, sizeof name);
    rp_sb_puts(b, c ? "\n\n# class " : "# class ");
    rp_sb_comment_quote(b, name);
    rp_sb_putc(b, '\n');
    path_rows(b, &view);
    rp_plot_class_path_free(&view);
  }
}

char *rp_plot_path_data(const rp_run_result *res, size_t f) {
  const rp_path *path = res->paths[f];
  rp_sbuf b = {0};
  rp_sb_puts(&b, "# alpha log10_alpha df dev_ratio");
  for (size_t j = 0; j < path->p; j++) {
    rp_sb_putc(&b, ' ');
    rp_sb_comment_quote(&b, res->feature_names[j]);
  }
  rp_sb_putc(&b, '\n');
  if (path->n_classes > 1)
    class_blocks(&b, res, path);
  else
    path_rows(&b, path);
  return rp_sb_finish(&b);
}

/* The test set's score in the CV metric, at point k of fit f. */
static double test_error(const rp_run_result *res, size_t f, size_t k) {
  return rp_scores_metric(res->test_scores[f][k], res->metric);
}

/* With a test set, an eighth column holds its error in the CV metric. */
char *rp_plot_cv_data(const rp_run_result *res, size_t f) {
  const rp_path *path = res->paths[f];
  const rp_cv *cv = res->cvs[f];
  rp_sbuf b = {0};
  rp_sb_puts(&b, res->n_test ? "# alpha log10_alpha mean std_error mean-se mean+se df test\n"
                             : "# alpha log10_alpha mean std_error mean-se mean+se df\n");
  for (size_t k = 0; k < cv->n_alphas; k++) {
    double m = cv->mean[k], se = cv->std_error[k];
    size_t df = k < path->n_alphas ? path->df[k] : 0;
    rp_sb_printf(&b, "%.17g %.17g %.17g %.17g %.17g %.17g %zu", cv->alphas[k], log10(cv->alphas[k]),
                 m, se, m - se, m + se, df);
    if (res->n_test) rp_sb_printf(&b, " %.17g", test_error(res, f, k));
    rp_sb_putc(&b, '\n');
  }
  return rp_sb_finish(&b);
}
