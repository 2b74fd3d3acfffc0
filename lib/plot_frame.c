/* plot_frame.c: the pieces every plot script shares (see plot_frame.h). */
#define _POSIX_C_SOURCE 200809L
#include "plot_frame.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

const char *const rp_plot_palette[RP_PLOT_N_COLORS] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
                                                       "#9467bd", "#8c564b", "#e377c2", "#000000",
                                                       "#bcbd22", "#17becf"};

const char *rp_plot_fit_kind(double l1_ratio) {
  return l1_ratio == 1 ? "lasso" : l1_ratio == 0 ? "ridge" : "elastic net";
}

void rp_plot_gamma_note(const rp_path *path, char *buf, size_t size) {
  if (path->gamma < 1.0)
    snprintf(buf, size, ", gamma %g", path->gamma);
  else
    buf[0] = '\0';
}

int rp_plot_class_path(const rp_path *path, size_t c, rp_path *view) {
  size_t p = path->p, n = path->n_alphas, K = path->n_classes;
  *view = *path;
  view->n_classes = 1;
  view->coef = malloc((n * p > 0 ? n * p : 1) * sizeof *view->coef);
  view->df = malloc((n > 0 ? n : 1) * sizeof *view->df);
  if (!view->coef || !view->df) {
    rp_plot_class_path_free(view);
    return 0;
  }
  for (size_t k = 0; k < n; k++) {
    const double *row = path->coef + (k * K + c) * p;
    view->df[k] = 0;
    for (size_t j = 0; j < p; j++) {
      view->coef[k * p + j] = row[j];
      view->df[k] += row[j] != 0.0;
    }
  }
  return 1;
}

void rp_plot_class_path_free(rp_path *view) {
  free(view->coef);
  free(view->df);
  view->coef = NULL;
  view->df = NULL;
}

/* With several fits, the l1_ratio in the name is its shortest text that
 * reads back exactly, so that two fits never share a file (0.1234567 and
 * 0.1234568 would both be 0.123457 under %g); a relaxed blend's gamma
 * follows the same way. */
void rp_plot_base_name(const rp_run_result *res, size_t f, const char *kind, char *buf,
                       size_t size) {
  char ratio[RP_NUMBER_MAX], gamma[RP_NUMBER_MAX];
  const rp_path *path = res->paths[f];
  if (res->n_fits > 1 && path->gamma < 1.0) {
    rp_format_number(path->l1_ratio, ratio);
    rp_format_number(path->gamma, gamma);
    snprintf(buf, size, "%s_l1-%s_gamma-%s", kind, ratio, gamma);
  } else if (res->n_fits > 1) {
    rp_format_number(path->l1_ratio, ratio);
    snprintf(buf, size, "%s_l1-%s", kind, ratio);
  } else {
    snprintf(buf, size, "%s", kind);
  }
}

void rp_plot_header(rp_sbuf *b, const char *base, const char *what, size_t height) {
  rp_sb_printf(b,
               "# %s.gp: %s (written by regpath).\n"
               "# Run in this folder: gnuplot %s.gp   (or gnuplot -e \"fmt='svg'\" %s.gp)\n"
               "if (!exists(\"fmt\")) fmt = \"png\"\n"
               "set encoding utf8\n"
               "if (fmt eq \"svg\") {\n"
               "  set terminal svg size 1000,%zu dynamic noenhanced font \"Sans,13\" "
               "background rgb \"white\"\n"
               "} else {\n"
               "  fmt = \"png\"\n"
               "  set terminal pngcairo size 1000,%zu noenhanced font \"Sans,11\"\n"
               "}\n"
               "set output \"%s.\" . fmt\n",
               base, what, base, base, height, height, base);
}

rp_log_base rp_plot_log_base(const rp_plot_options *opt) {
  return opt ? opt->log_base : RP_LOG_BASE_10;
}

void rp_plot_open_fit(rp_sbuf *b, const rp_run_result *res, size_t f, const char *kind,
                      const char *what, rp_log_base base, size_t height, char *dat, size_t size) {
  char name[64], about[96];
  rp_plot_base_name(res, f, kind, name, sizeof name);
  rp_plot_file_name(res, f, kind, "dat", dat, size);
  snprintf(about, sizeof about, "%s against %s", what, rp_plot_x_label(base));
  rp_plot_header(b, name, about, height);
}

double rp_plot_x(rp_log_base base, double alpha) {
  return base == RP_LOG_BASE_E ? log(alpha) : log10(alpha);
}

const char *rp_plot_x_label(rp_log_base base) {
  return base == RP_LOG_BASE_E ? "log(alpha)" : "log10(alpha)";
}

const char *rp_plot_x_using(rp_log_base base) { return base == RP_LOG_BASE_E ? "(log($1))" : "2"; }

rp_plot_axis rp_plot_xrange(rp_sbuf *b, rp_log_base base, const double *alphas, size_t n) {
  rp_plot_axis ax = {base, rp_plot_x(base, alphas[0]), rp_plot_x(base, alphas[n - 1])};
  if (!(ax.hi > ax.lo)) {
    ax.hi += 0.5;
    ax.lo -= 0.5;
  }
  rp_sb_printf(b, "set xrange [%.17g:%.17g]\n", ax.hi, ax.lo);
  return ax;
}

void rp_plot_df_axis(rp_sbuf *b, rp_log_base base, const double *alphas, const size_t *df,
                     size_t n) {
  size_t m = n < 9 ? n : 9;
  rp_sb_puts(b, "set link x2\nset x2label 'nonzero coefficients'\nset x2tics out nomirror (");
  size_t last = (size_t)-1;
  for (size_t i = 0; i < m; i++) {
    size_t k = m > 1 ? (i * (n - 1) + (m - 1) / 2) / (m - 1) : 0;
    if (k == last) continue;
    rp_sb_printf(b, "%s'%zu' %.17g", last == (size_t)-1 ? "" : ", ", df[k],
                 rp_plot_x(base, alphas[k]));
    last = k;
  }
  rp_sb_puts(b, ")\nset xtics nomirror\n");
}

/* ---- the marks at alpha_min, alpha_1se and the selected alpha --------- */

/* A label's width: a character is taken as RP_PLOT_CHAR_WIDTH of the plot
 * width, an upper bound on every plot regpath writes (pngcairo Sans 11 is
 * about 7.5 px a character and SVG Sans 13 about 8.5, and no plot area is
 * narrower than 450 px), and the label stands half a character off its
 * line (`offset 0.5`).  The row step is a text line and a quarter, so that
 * rows never touch. */
#define ROW_STEP 1.25

/* One label at the top of the plot: the marks at one alpha. */
typedef struct {
  double alpha, x, at; /* the alpha; data x; position as a fraction of the plot width */
  int min, one_se, selected;
  char text[32];
  int right; /* text to the right of the line */
  int row;   /* 1 = the top row */
  double from, to;
} mark_label;

static void set_extent(mark_label *m) {
  double w = RP_PLOT_CHAR_WIDTH * (double)strlen(m->text), off = RP_PLOT_CHAR_WIDTH / 2;
  m->from = m->right ? m->at + off : m->at - off - w;
  m->to = m->right ? m->at + off + w : m->at - off;
}

/* The text of a label: "min", "1se", "min = 1se", with " (selected)" added
 * when the selected alpha is the same, or "selected" alone. */
static void set_text(mark_label *m) {
  const char *names = m->min && m->one_se ? "min = 1se" : m->min ? "min" : m->one_se ? "1se" : "";
  snprintf(m->text, sizeof m->text, "%s%s", names,
           !m->selected ? ""
           : *names     ? " (selected)"
                        : "selected");
}

/* Adds a mark at `alpha`, merged into the label of the same alpha. */
static size_t add_mark(mark_label *lab, size_t n, double alpha, int min, int one_se, int selected) {
  size_t i = 0;
  while (i < n && lab[i].alpha != alpha) i++;
  if (i == n) lab[n++] = (mark_label){.alpha = alpha};
  lab[i].min |= min;
  lab[i].one_se |= one_se;
  lab[i].selected |= selected;
  return n;
}

/* Places the labels lab[0..n-1] (left to right): the leftmost on the left
 * of its line, the others on the right, each turned to the other side
 * when it would leave the plot; then each, left to right, on the first row
 * where it keeps a character's distance from every label placed there.
 * Labels on different rows are ROW_STEP lines apart, so none overlap,
 * however close their alphas are. */
static void place_labels(mark_label *lab, size_t n) {
  for (size_t i = 0; i < n; i++) {
    double w = RP_PLOT_CHAR_WIDTH * ((double)strlen(lab[i].text) + 0.5);
    lab[i].right = i > 0 || n == 1;
    if (lab[i].right && lab[i].at + w > 1) lab[i].right = 0;
    if (!lab[i].right && lab[i].at - w < 0) lab[i].right = 1;
    set_extent(&lab[i]);
    for (lab[i].row = 1;; lab[i].row++) {
      size_t j = 0;
      while (j < i && (lab[j].row != lab[i].row || lab[j].to + RP_PLOT_CHAR_WIDTH <= lab[i].from ||
                       lab[i].to + RP_PLOT_CHAR_WIDTH <= lab[j].from))
        j++;
      if (j == i) break;
    }
  }
}

static int by_at(const void *a, const void *b) {
  const mark_label *x = a, *y = b;
  return x->at < y->at ? -1 : x->at > y->at;
}

/* The selected alpha of fit f, or 0 when the selection is another fit's. */
static double selected_alpha(const rp_run_result *res, size_t f) {
  if (res->selected_fit != f) return 0;
  const rp_cv *cv = res->cvs[f];
  const rp_path *path = res->paths[f];
  if (res->selected_index < cv->n_alphas) return cv->alphas[res->selected_index];
  if (res->selected_index < path->n_alphas) return path->alphas[res->selected_index];
  return 0;
}

void rp_plot_marks(rp_sbuf *b, const rp_run_result *res, size_t f, const rp_plot_axis *ax) {
  const rp_cv *cv = res->cvs[f];
  mark_label lab[3];
  size_t n = add_mark(lab, 0, cv->alpha_1se, 0, 1, 0);
  n = add_mark(lab, n, cv->alpha_min, 1, 0, 0);
  double sel = selected_alpha(res, f);
  if (sel > 0) n = add_mark(lab, n, sel, 0, 0, 1);
  for (size_t i = 0; i < n; i++) {
    lab[i].x = rp_plot_x(ax->base, lab[i].alpha);
    lab[i].at = (ax->hi - lab[i].x) / (ax->hi - ax->lo);
    set_text(&lab[i]);
  }
  qsort(lab, n, sizeof *lab, by_at);
  place_labels(lab, n);
  /* min and 1se dashed, as plot.cv.glmnet's dotted lines; the selected
   * alpha solid and darker, over them when they coincide. */
  for (size_t i = 0; i < n; i++)
    if (lab[i].min || lab[i].one_se)
      rp_sb_printf(b,
                   "set arrow from first %.17g, graph 0 to first %.17g, graph 1 nohead dt 2 "
                   "lw 1.5 lc rgb '#404040' back\n",
                   lab[i].x, lab[i].x);
  for (size_t i = 0; i < n; i++)
    if (lab[i].selected)
      rp_sb_printf(b,
                   "set arrow from first %.17g, graph 0 to first %.17g, graph 1 nohead dt 1 "
                   "lw 2 lc rgb '" RP_PLOT_SELECTED_COLOR "' back\n",
                   lab[i].x, lab[i].x);
  /* On a white box, so that a line they cross does not strike them out. */
  rp_sb_puts(b, "set style textbox opaque noborder margins 0.5,0.5\n");
  for (size_t i = 0; i < n; i++) {
    double dy = 1 + ROW_STEP * (double)(lab[i].row - 1);
    rp_sb_printf(b, "set label '%s' at first %.17g, graph 1 %s offset %s0.5,-%g boxed %sfront\n",
                 lab[i].text, lab[i].x, lab[i].right ? "left" : "right", lab[i].right ? "" : "-",
                 dy, lab[i].selected ? "tc rgb '" RP_PLOT_SELECTED_COLOR "' " : "");
  }
}
