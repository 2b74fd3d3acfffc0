/* plot_frame.c: the pieces every plot script shares (see plot_frame.h). */
#define _POSIX_C_SOURCE 200809L
#include "plot_frame.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json.h"

const char *const rp_plot_palette[RP_PLOT_N_COLORS] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
                                                       "#9467bd", "#8c564b", "#e377c2", "#000000",
                                                       "#bcbd22", "#17becf"};

const char *rp_plot_fit_kind(double l1_ratio) {
  return l1_ratio == 1 ? "lasso" : l1_ratio == 0 ? "ridge" : "elastic net";
}

/* With several fits, the l1_ratio in the name is its shortest text that
 * reads back exactly, so that two fits never share a file (0.1234567 and
 * 0.1234568 would both be 0.123457 under %g). */
void rp_plot_base_name(const rp_run_result *res, size_t f, const char *kind, char *buf,
                       size_t size) {
  char ratio[RP_NUMBER_MAX];
  if (res->n_fits > 1) {
    rp_format_number(res->paths[f]->l1_ratio, ratio);
    snprintf(buf, size, "%s_l1-%s", kind, ratio);
  } else {
    snprintf(buf, size, "%s", kind);
  }
}

void rp_plot_header(rp_sbuf *b, const char *base, const char *what) {
  rp_sb_printf(b,
               "# %s.gp: %s (written by regpath).\n"
               "# Run in this folder: gnuplot %s.gp   (or gnuplot -e \"fmt='svg'\" %s.gp)\n"
               "if (!exists(\"fmt\")) fmt = \"png\"\n"
               "set encoding utf8\n"
               "if (fmt eq \"svg\") {\n"
               "  set terminal svg size 1000,650 dynamic noenhanced font \"Sans,13\" "
               "background rgb \"white\"\n"
               "} else {\n"
               "  fmt = \"png\"\n"
               "  set terminal pngcairo size 1000,650 noenhanced font \"Sans,11\"\n"
               "}\n"
               "set output \"%s.\" . fmt\n",
               base, what, base, base, base);
}

/* x from the first to the last alpha of the grid (reversed: alphas
 * decrease), padded when the grid has one point; the ends into hi, lo. */
void rp_plot_xrange(rp_sbuf *b, const double *alphas, size_t n, double *hi, double *lo) {
  *hi = log10(alphas[0]);
  *lo = log10(alphas[n - 1]);
  if (!(*hi > *lo)) {
    *hi += 0.5;
    *lo -= 0.5;
  }
  rp_sb_printf(b, "set xrange [%.17g:%.17g]\n", *hi, *lo);
}

/* Number of nonzero coefficients along the top axis at about nine evenly
 * spaced points of the grid. */
void rp_plot_df_axis(rp_sbuf *b, const double *alphas, const size_t *df, size_t n) {
  size_t m = n < 9 ? n : 9;
  rp_sb_puts(b, "set link x2\nset x2label 'nonzero coefficients'\nset x2tics out nomirror (");
  size_t last = (size_t)-1;
  for (size_t i = 0; i < m; i++) {
    size_t k = m > 1 ? (i * (n - 1) + (m - 1) / 2) / (m - 1) : 0;
    if (k == last) continue;
    rp_sb_printf(b, "%s'%zu' %.17g", last == (size_t)-1 ? "" : ", ", df[k], log10(alphas[k]));
    last = k;
  }
  rp_sb_puts(b, ")\nset xtics nomirror\n");
}

/* Dashed vertical lines at log10(alpha_min) and log10(alpha_1se), labelled
 * at the top of the plot, the x axis running from hi to lo.  Each label is
 * written beside its line on the side away from the other line
 * (alpha_1se >= alpha_min, so "1se" goes left, "min" right), unless that
 * would put it outside the plot; two labels that would then overlap are
 * written on two rows. */
void rp_plot_cv_lines(rp_sbuf *b, const rp_cv *cv, double hi, double lo) {
  const char *line = "nohead dt 2 lw 1.5 lc rgb '#404040' front";
  struct {
    const char *text;
    double x, at; /* data x; position as a fraction of the plot width */
    int right;    /* text to the right of the line */
    int row;
  } lab[2] = {{"1se", log10(cv->alpha_1se), 0, 0, 1}, {"min", log10(cv->alpha_min), 0, 1, 1}};
  size_t n = 2;
  if (cv->alpha_min == cv->alpha_1se) {
    lab[0] = lab[1];
    lab[0].text = "min = 1se";
    n = 1;
  }
  const double width = 0.06; /* a three-letter label, in plot widths */
  for (size_t i = 0; i < n; i++) {
    lab[i].at = (hi - lab[i].x) / (hi - lo);
    double w = width * (double)strlen(lab[i].text) / 3;
    if (lab[i].right && lab[i].at + w > 1) lab[i].right = 0;
    if (!lab[i].right && lab[i].at - w < 0) lab[i].right = 1;
  }
  if (n == 2) {
    double l0 = lab[0].right ? lab[0].at : lab[0].at - width;
    double l1 = lab[1].right ? lab[1].at : lab[1].at - width;
    if (fabs(l0 - l1) < width) lab[1].row = 2;
  }
  for (size_t i = 0; i < n; i++) {
    rp_sb_printf(b, "set arrow from first %.17g, graph 0 to first %.17g, graph 1 %s\n", lab[i].x,
                 lab[i].x, line);
    rp_sb_printf(b, "set label '%s' at first %.17g, graph 1 %s offset %s0.5,%d front\n",
                 lab[i].text, lab[i].x, lab[i].right ? "left" : "right", lab[i].right ? "" : "-",
                 -lab[i].row);
  }
}
