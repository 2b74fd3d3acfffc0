/* plot_cv.c: the CV script of a fit and the script that compares the CV
 * curves of every fit (see regpath/plots.h). */
#define _POSIX_C_SOURCE 200809L
#include "regpath/plots.h"

#include <math.h>
#include <stdio.h>

#include "plot_frame.h"

static const char *metric_label(const rp_run_result *res) {
  return rp_metric_description(res->metric, res->family);
}

char *rp_plot_cv_script_opt(const rp_run_result *res, size_t f, const rp_plot_options *opt) {
  const rp_path *path = res->paths[f];
  const rp_cv *cv = res->cvs[f];
  rp_log_base lb = rp_plot_log_base(opt);
  const char *x = rp_plot_x_using(lb);
  char dat[80];
  rp_sbuf b = {0};
  char gamma[40];
  rp_plot_gamma_note(path, gamma, sizeof gamma);
  rp_plot_open_fit(&b, res, f, "cv", "cross-validated error", lb, RP_PLOT_HEIGHT, dat, sizeof dat);
  rp_sb_printf(&b,
               "set title '%zu-fold CV of the %s (l1_ratio = %g%s): mean +/- 1 se' font \",14\"\n",
               cv->n_folds, rp_plot_fit_kind(path->l1_ratio), path->l1_ratio, gamma);
  rp_sb_printf(&b, "set xlabel '%s'\nset ylabel 'cross-validated %s'\n", rp_plot_x_label(lb),
               metric_label(res));
  rp_sb_puts(&b, "set grid lt 1 lw 1 lc rgb '#e6e6e6'\nset bars 0.5\n");
  rp_sb_puts(&b, res->n_test ? "set key top right opaque box lc rgb '#c0c0c0'\n" : "set key off\n");
  rp_plot_axis ax = rp_plot_xrange(&b, lb, cv->alphas, cv->n_alphas);
  size_t n = cv->n_alphas < path->n_alphas ? cv->n_alphas : path->n_alphas;
  if (n) rp_plot_df_axis(&b, lb, cv->alphas, path->df, n);
  rp_plot_marks(&b, res, f, &ax);
  rp_sb_printf(&b,
               "plot '%s' using %s:3:5:6 with yerrorbars pt -1 lw 1 lc rgb '#a0a0a0' notitle, \\\n"
               "     '%s' using %s:3 with points pt 7 ps 0.9 lc rgb '#d62728' title 'CV mean'",
               dat, x, dat, x);
  if (res->n_test)
    rp_sb_printf(
        &b,
        ", \\\n     '%s' using %s:8 with lines lw 2 lc rgb '#1f77b4' title 'test set (%zu rows)'",
        dat, x, res->n_test);
  rp_sb_putc(&b, '\n');
  return rp_sb_finish(&b);
}

char *rp_plot_cv_script(const rp_run_result *res, size_t f) {
  return rp_plot_cv_script_opt(res, f, NULL);
}

char *rp_plot_compare_script_opt(const rp_run_result *res, const rp_plot_options *opt) {
  rp_log_base lb = rp_plot_log_base(opt);
  const char *x = rp_plot_x_using(lb);
  char what[80];
  rp_sbuf b = {0};
  size_t n_folds = res->n_fits ? res->cvs[0]->n_folds : 0;
  snprintf(what, sizeof what, "CV curves of every l1_ratio on one %s axis", rp_plot_x_label(lb));
  rp_plot_header(&b, "compare", what, RP_PLOT_HEIGHT);
  rp_sb_printf(&b,
               "set title '%zu-fold CV error by l1_ratio (band: mean +/- 1 se, dot: minimum)' "
               "font \",14\"\n",
               n_folds);
  rp_sb_printf(&b, "set xlabel '%s'\nset ylabel 'cross-validated %s'\n", rp_plot_x_label(lb),
               metric_label(res));
  rp_sb_puts(&b, "set grid lt 1 lw 1 lc rgb '#e6e6e6'\n");
  rp_sb_puts(&b, "set key top right opaque box lc rgb '#c0c0c0' Left reverse spacing 1.3\n");

  double hi = -HUGE_VAL, lo = HUGE_VAL;
  for (size_t f = 0; f < res->n_fits; f++) {
    const rp_cv *cv = res->cvs[f];
    if (!cv->n_alphas) continue;
    hi = fmax(hi, rp_plot_x(lb, cv->alphas[0]));
    lo = fmin(lo, rp_plot_x(lb, cv->alphas[cv->n_alphas - 1]));
  }
  if (!(hi > lo)) {
    hi = (hi == -HUGE_VAL ? 0 : hi) + 0.5;
    lo = hi - 1;
  }
  rp_sb_printf(&b, "set xrange [%.17g:%.17g]\n", hi, lo);

  /* The chosen model, as a dotted line in its curve's colour. */
  if (res->selected_fit < res->n_fits &&
      res->selected_index < res->cvs[res->selected_fit]->n_alphas) {
    size_t s = res->selected_fit;
    double xs = rp_plot_x(lb, res->cvs[s]->alphas[res->selected_index]);
    char gamma[40];
    rp_plot_gamma_note(res->paths[s], gamma, sizeof gamma);
    rp_sb_printf(&b,
                 "set arrow from first %.17g, graph 0 to first %.17g, graph 1 nohead dt 3 lw 1.5 "
                 "lc rgb '%s' back\n"
                 "set label 'chosen (l1_ratio %g%s, %s rule)' at first %.17g, graph 0 left "
                 "offset 0.5,1 tc rgb '%s'\n",
                 xs, xs, rp_plot_palette[s % RP_PLOT_N_COLORS], res->paths[s]->l1_ratio, gamma,
                 res->rule == RP_RULE_MIN ? "min" : "1se", xs,
                 rp_plot_palette[s % RP_PLOT_N_COLORS]);
  }

  rp_sb_puts(&b, "plot ");
  for (size_t f = 0; f < res->n_fits; f++) {
    char dat[80], gamma[40];
    const char *color = rp_plot_palette[f % RP_PLOT_N_COLORS];
    double r = res->paths[f]->l1_ratio;
    rp_plot_gamma_note(res->paths[f], gamma, sizeof gamma);
    rp_plot_file_name(res, f, "cv", "dat", dat, sizeof dat);
    rp_sb_printf(
        &b,
        "%s'%s' using %s:5:6 with filledcurves fs transparent solid 0.2 noborder lc rgb '%s' "
        "notitle, \\\n"
        "     '%s' using %s:3 with lines lw 2 lc rgb '%s' title '%s (l1_ratio %g%s)', \\\n"
        "     '%s' using %s:($0 == %zu ? $3 : NaN) with points pt 7 ps 1.4 lc rgb '%s' "
        "notitle",
        f ? ", \\\n     " : "", dat, x, color, dat, x, color, rp_plot_fit_kind(r), r, gamma, dat, x,
        res->cvs[f]->index_min, color);
  }
  rp_sb_putc(&b, '\n');
  return rp_sb_finish(&b);
}

char *rp_plot_compare_script(const rp_run_result *res) {
  return rp_plot_compare_script_opt(res, NULL);
}
