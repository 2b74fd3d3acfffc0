/* plot_path.c: the coefficient-path script of a fit (see regpath/plots.h;
 * the frame and marks are plot_frame.c's). */
#define _POSIX_C_SOURCE 200809L
#include "regpath/plots.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "plot_frame.h"

/* Label positions for values v[0..m-1] (ascending): the closest positions
 * (least squares) that are at least `gap` apart.  With z_i = y_i - i*gap
 * the constraint is z nondecreasing, so this is isotonic regression of
 * v_i - i*gap, solved by pool-adjacent-violators. */
static void spread_labels(const double *v, size_t m, double gap, double *y) {
  double *sum = malloc(m * sizeof *sum);
  size_t *cnt = malloc(m * sizeof *cnt);
  if (!sum || !cnt) { /* fall back to the values themselves */
    for (size_t i = 0; i < m; i++) y[i] = v[i];
    free(sum);
    free(cnt);
    return;
  }
  size_t nb = 0;
  for (size_t i = 0; i < m; i++) {
    sum[nb] = v[i] - (double)i * gap;
    cnt[nb] = 1;
    nb++;
    while (nb > 1 && sum[nb - 2] / (double)cnt[nb - 2] > sum[nb - 1] / (double)cnt[nb - 1]) {
      sum[nb - 2] += sum[nb - 1];
      cnt[nb - 2] += cnt[nb - 1];
      nb--;
    }
  }
  size_t i = 0;
  for (size_t blk = 0; blk < nb; blk++)
    for (size_t c = 0; c < cnt[blk]; c++, i++) y[i] = sum[blk] / (double)cnt[blk] + (double)i * gap;
  free(sum);
  free(cnt);
}

/* A feature and a value of its path: its coefficient in the labelled model
 * when choosing the labelled, max_k |coef_kj| when choosing the grey, the
 * height of its label's anchor when placing the labels. */
typedef struct {
  size_t j;
  double v;
} feature_value;

static int by_size_desc(const void *a, const void *b) {
  const feature_value *x = a, *y = b;
  double ax = fabs(x->v), ay = fabs(y->v);
  if (ax != ay) return ax < ay ? 1 : -1;
  return x->j < y->j ? -1 : x->j > y->j;
}

static int by_value_asc(const void *a, const void *b) {
  const feature_value *x = a, *y = b;
  if (x->v != y->v) return x->v < y->v ? -1 : 1;
  return x->j < y->j ? -1 : x->j > y->j;
}

static int by_index(const void *a, const void *b) {
  const feature_value *x = a, *y = b;
  return x->j < y->j ? -1 : x->j > y->j;
}

/* Features shown with a legend; above this, only the largest are labelled. */
#define MAX_KEY 12
#define MAX_LABELLED 10
/* Grey paths drawn at most.  500 lines of one pixel across a plot area of
 * about 850 x 470 pixels already merge into a grey mass in which no single
 * path can be followed, so more add nothing to read; the range of the rest
 * is shaded instead.  This bounds gnuplot's work at 500 n_alphas points
 * (about 0.1 s at 100 alphas) and the script at about 2 MB, whatever p
 * (bench/results-plots.md). */
#define MAX_GREY 500

/* The y range is set by the coefficients from alpha_max down to CUT_EXTRA
 * grid points past alpha_min (or past the selected alpha, if smaller): far
 * enough to see where the paths go after the minimum (0.2 decades of a
 * default grid of 100 alphas over 4), not so far that the nearly
 * unpenalized fit at the small-alpha end, whose coefficients can be
 * thousands where the chosen ones are tens (Sonar, breast cancer), flattens
 * the region the CV chose from to a line at 0.  The tail is clipped only
 * when showing it would take more than TAIL_FACTOR times that height;
 * otherwise the whole path is shown, as before. */
#define CUT_EXTRA 5
#define TAIL_FACTOR 2.0

/* One text line (about 16 px and some room) as a fraction of the y range
 * of a ~500 px high plot area, the spacing of the labels at the right edge. */
#define LINE 0.034

/* What the path plot shows. */
typedef struct {
  rp_log_base base;
  size_t at;       /* the labelled model: the selected alpha, or the fit's own rule point */
  size_t cut;      /* the last grid index whose coefficients set the y range */
  size_t past_min; /* cut - index_min */
  int clipped;     /* coefficients past `cut` leave the y range */
  double ylo, yhi;
  double tail; /* the largest |coef| past the cut, when clipped */
  /* The panel: its bottom on the screen and the screen height of one
   * pixel of a one-panel plot (screen coordinates span the whole canvas,
   * so the notes under a panel are placed by these); a text line as a
   * fraction of the y range. */
  double bottom, scale, line;
} path_view;

static size_t min_size(size_t a, size_t b) { return a < b ? a : b; }

/* The range [*lo, *hi] (with 0) of every coefficient at grid points
 * k0..k1-1. */
static void coef_range(const rp_path *path, size_t k0, size_t k1, double *lo, double *hi) {
  *lo = *hi = 0;
  for (size_t i = k0 * path->p; i < k1 * path->p; i++) {
    *lo = fmin(*lo, path->coef[i]);
    *hi = fmax(*hi, path->coef[i]);
  }
}

static path_view make_view(const rp_run_result *res, size_t f, const rp_path *path,
                           rp_log_base base) {
  size_t n = path->n_alphas, last = n ? n - 1 : 0;
  path_view v = {.base = base, .scale = 1, .line = LINE};
  v.at = min_size(res->selected_fit == f ? res->selected_index : rp_run_rule_index(res, f), last);
  size_t imin = min_size(res->cvs[f]->index_min, last);
  v.cut = min_size((imin > v.at ? imin : v.at) + CUT_EXTRA, last);
  v.past_min = v.cut - imin;
  double rlo, rhi, flo, fhi;
  coef_range(path, 0, v.cut + 1, &rlo, &rhi);
  coef_range(path, 0, n, &flo, &fhi);
  v.clipped = rhi > rlo && fhi - flo > TAIL_FACTOR * (rhi - rlo);
  if (v.clipped) {
    v.tail = fmax(fabs(flo), fabs(fhi));
    flo = rlo;
    fhi = rhi;
  }
  if (fhi > flo) {
    double pad = 0.05 * (fhi - flo);
    v.ylo = flo - pad;
    v.yhi = fhi + pad;
  } else {
    v.ylo = -1;
    v.yhi = 1;
  }
  return v;
}

/* The screen height of a note `at` (a fraction of a one-panel plot's
 * height) above the bottom of the panel. */
static double note_y(const path_view *v, double at) { return v->bottom + at * v->scale; }

/* The y range, and when the tail is clipped, the region past the cut shaded
 * and a note under the plot (at height `at`, see note_y) that says so. */
static void sb_yrange(rp_sbuf *b, const rp_path *path, const path_view *v, double at) {
  rp_sb_printf(b, "set yrange [%.17g:%.17g]\n", v->ylo, v->yhi);
  if (!v->clipped) return;
  double x = rp_plot_x(v->base, path->alphas[v->cut]);
  rp_sb_printf(b,
               "set object 1 rect from first %.17g, graph 0 to graph 1, graph 1 behind "
               "fc rgb '#f2f2f2' fillstyle solid noborder\n",
               x);
  rp_sb_printf(b,
               "set label 'shaded: paths clipped past %s = %.3g (%zu grid points past "
               "alpha_min); largest |coef| %.4g' at screen 0.5, screen %.3f center "
               "tc rgb '#606060'\n",
               rp_plot_x_label(v->base), x, v->past_min, v->tail, note_y(v, at));
}

static const char *plural(size_t n) { return n == 1 ? "" : "s"; }

/* The labelled features: the nonzero coefficients of the labelled model
 * (v->at), the (up to) MAX_LABELLED largest by |coef| there, ties to the
 * lower index.  Their indices by rank into rank_of; returns m. */
static size_t pick_labelled(const rp_path *path, const path_view *v, feature_value *fe,
                            size_t *rank_of) {
  size_t p = path->p, m = 0;
  for (size_t j = 0; j < p; j++) fe[j] = (feature_value){j, path->coef[v->at * p + j]};
  qsort(fe, p, sizeof *fe, by_size_desc);
  while (m < MAX_LABELLED && m < p && fe[m].v != 0) m++;
  for (size_t i = 0; i < m; i++) rank_of[i] = fe[i].j;
  return m;
}

/* Where feature j's label is joined to its path: the last point of the
 * path, or, when the path leaves the y range after the labelled model, the
 * point where it crosses the edge (the path is drawn straight between grid
 * points, so the crossing is on the drawn line). */
static void label_anchor(const rp_path *path, const path_view *v, size_t j, double *x, double *y) {
  size_t p = path->p, k = v->at;
  for (; k + 1 < path->n_alphas; k++) {
    double next = path->coef[(k + 1) * p + j];
    if (next >= v->ylo && next <= v->yhi) continue;
    double c = path->coef[k * p + j], edge = next > v->yhi ? v->yhi : v->ylo;
    double x0 = rp_plot_x(v->base, path->alphas[k]), x1 = rp_plot_x(v->base, path->alphas[k + 1]);
    *x = x0 + (x1 - x0) * (edge - c) / (next - c);
    *y = edge;
    return;
  }
  *x = rp_plot_x(v->base, path->alphas[k]);
  *y = path->coef[k * p + j];
}

/* The names of the labelled features rank_of[0..m-1] at the right edge,
 * each joined by a line of its colour to where its path ends or leaves the
 * plot, the labels spread so that they do not overlap. */
static void sb_end_labels(rp_sbuf *b, const rp_run_result *res, const rp_path *path,
                          const path_view *pv, size_t m, const size_t *rank_of) {
  double ylo = pv->ylo, yhi = pv->yhi, v[MAX_LABELLED], y[MAX_LABELLED], ax[MAX_LABELLED];
  feature_value fe[MAX_LABELLED]; /* j and the anchor's height, ascending */
  for (size_t r = 0; r < m; r++) {
    fe[r].j = rank_of[r];
    label_anchor(path, pv, rank_of[r], &ax[r], &fe[r].v);
  }
  qsort(fe, m, sizeof *fe, by_value_asc);
  size_t widest = 0;
  for (size_t i = 0; i < m; i++) {
    size_t w = rp_plot_text_width(res->feature_names[fe[i].j]);
    if (w > widest) widest = w;
  }
  if (widest > RP_PLOT_MAX_SHOWN) widest = RP_PLOT_MAX_SHOWN;
  /* Room on the right for the names: about 7.5 px a character at 11 pt. */
  double rm = 1.0 - (40.0 + 7.5 * (double)widest) / 1000.0;
  if (rm < 0.6) rm = 0.6;
  rp_sb_printf(b, "set key off\nset rmargin at screen %.3f\nset bmargin %d\n", rm,
               pv->clipped ? 6 : 5);

  double gap = (yhi - ylo) * pv->line;
  for (size_t i = 0; i < m; i++) v[i] = fe[i].v;
  spread_labels(v, m, gap, y);
  /* Within the y range: with z_i = y_i - i*gap the bounds are the same for
   * every z_i, and isotonic regression under equal bounds is the clipped
   * unbounded solution.  When the labels do not fit they overflow upwards. */
  double lo = ylo + gap / 2, hi = fmax(lo, yhi - gap / 2 - (double)(m ? m - 1 : 0) * gap);
  for (size_t i = 0; i < m; i++) {
    double z = y[i] - (double)i * gap;
    y[i] = fmin(fmax(z, lo), hi) + (double)i * gap;
  }

  for (size_t i = 0; i < m; i++) {
    size_t rank = 0;
    while (rank_of[rank] != fe[i].j) rank++;
    const char *color = rp_plot_palette[rank % RP_PLOT_N_COLORS];
    /* dotted when it crosses the plot from where the path leaves it */
    int inside = ax[rank] == rp_plot_x(pv->base, path->alphas[path->n_alphas - 1]);
    rp_sb_printf(b,
                 "set arrow from first %.17g, first %.17g to graph 1.012, first %.17g nohead "
                 "lw 1 dt %d lc rgb '%s'\n",
                 ax[rank], fe[i].v, y[i], inside ? 1 : 3, color);
    rp_sb_puts(b, "set label ");
    rp_sb_gp_quote(b, res->feature_names[fe[i].j]);
    rp_sb_printf(b, " at graph 1.015, first %.17g left tc rgb '%s'\n", y[i], color);
  }
}

/* The grey features: those neither labelled (rank_of[0..m-1]) nor zero all
 * along the path, of them only the MAX_GREY largest by max_k |coef_kj|
 * (ties: the lower index).  Into fe[0..g-1] (fe has p entries) in index
 * order, the others cut by MAX_GREY after them up to fe[*nonzero - 1];
 * returns g. */
static size_t pick_grey(const rp_path *path, const size_t *rank_of, size_t m, feature_value *fe,
                        size_t *nonzero) {
  size_t p = path->p, n = 0;
  for (size_t j = 0; j < p; j++) fe[j] = (feature_value){j, 0};
  for (size_t k = 0; k < path->n_alphas; k++) /* row by row, as coef is stored */
    for (size_t j = 0; j < p; j++) fe[j].v = fmax(fe[j].v, fabs(path->coef[k * p + j]));
  for (size_t j = 0; j < p; j++) {
    int labelled = 0;
    for (size_t r = 0; r < m; r++) labelled |= rank_of[r] == j;
    if (fe[j].v != 0 && !labelled) fe[n++] = fe[j];
  }
  *nonzero = n;
  size_t g = n;
  if (g > MAX_GREY) {
    qsort(fe, n, sizeof *fe, by_size_desc);
    g = MAX_GREY;
  }
  qsort(fe, g, sizeof *fe, by_index);
  return g;
}

/* Inline data (gnuplot's "$name << EOD" ... "EOD") of the paths of
 * features fe[0..n-1]: per feature an "x coef" line per alpha.
 * Features are separated by one blank line, so that one plot element draws
 * each as its own line, or with `apart` by two, so that `index i` picks the
 * i-th.  Only numbers and fixed text: no name from the data goes here
 * (`dat` is the data file's name, with the index of a class's block). */
static void sb_datablock(rp_sbuf *b, const char *name, const rp_path *path, rp_log_base base,
                         const char *dat, const feature_value *fe, size_t n, int apart) {
  size_t p = path->p;
  rp_sb_printf(b, "$%s << EOD\n", name);
  for (size_t i = 0; i < n; i++) {
    if (i) rp_sb_puts(b, apart ? "\n\n" : "\n");
    rp_sb_printf(b, "# column %zu of %s\n", fe[i].j + 5, dat);
    for (size_t k = 0; k < path->n_alphas; k++)
      rp_sb_printf(b, "%.17g %.17g\n", rp_plot_x(base, path->alphas[k]),
                   path->coef[k * p + fe[i].j]);
  }
  rp_sb_puts(b, "EOD\n");
}

/* The range of the paths of features fe[0..n-1] (those cut by MAX_GREY) as
 * a datablock: per alpha "x min_j coef_kj max_j coef_kj", drawn
 * as a shaded band, so that the picture still shows where they lie. */
static void sb_band(rp_sbuf *b, const rp_path *path, rp_log_base base, const feature_value *fe,
                    size_t n) {
  size_t p = path->p;
  rp_sb_puts(b, "$band << EOD\n");
  for (size_t k = 0; k < path->n_alphas; k++) {
    const double *row = path->coef + k * p;
    double lo = row[fe[0].j], hi = lo;
    for (size_t i = 1; i < n; i++) {
      lo = fmin(lo, row[fe[i].j]);
      hi = fmax(hi, row[fe[i].j]);
    }
    rp_sb_printf(b, "%.17g %.17g %.17g\n", rp_plot_x(base, path->alphas[k]), lo, hi);
  }
  rp_sb_puts(b, "EOD\n");
}

/* Under the plot: how many features are not labelled, and of those how many
 * are not drawn (zero all along the path, or cut by MAX_GREY). */
static void sb_footer(rp_sbuf *b, const path_view *v, size_t unlabelled, size_t grey, size_t cut) {
  size_t zero = unlabelled - grey - cut;
  rp_sb_puts(b, "set label '");
  if (!zero && !cut) {
    rp_sb_printf(b, "%zu other feature%s (grey) not labelled", unlabelled, plural(unlabelled));
  } else {
    rp_sb_printf(b, "%zu other feature%s not labelled, %zu in grey; not drawn: ", unlabelled,
                 plural(unlabelled), grey);
    if (zero) rp_sb_printf(b, "%zu all-zero%s", zero, cut ? ", " : "");
    if (cut) rp_sb_printf(b, "%zu smaller (range shaded)", cut);
  }
  rp_sb_printf(b, "' at screen 0.5, screen %.3g center tc rgb '#606060'\n", note_y(v, 0.02));
}

/* Many features: the labelled model's largest (up to MAX_LABELLED nonzero)
 * in colour, named at the right edge, the others in light grey, up to
 * MAX_GREY of them, the range of the rest shaded.  The paths are written into
 * the script as datablocks, which gnuplot reads once each: a `plot for` over
 * the columns of the data file would read the whole file once per feature,
 * O(p^2 n_alphas). */
static int sb_path_labelled(rp_sbuf *b, const rp_run_result *res, const rp_path *path,
                            const char *dat, const path_view *v) {
  size_t p = path->p, rank_of[MAX_LABELLED], nonzero;
  feature_value *fe = malloc(p * sizeof *fe), by_rank[MAX_LABELLED];
  if (!fe) return 0;
  size_t m = pick_labelled(path, v, fe, rank_of);
  sb_end_labels(b, res, path, v, m, rank_of);
  for (size_t r = 0; r < m; r++) by_rank[r] = (feature_value){rank_of[r], 0};
  sb_datablock(b, "labelled", path, v->base, dat, by_rank, m, 1);
  size_t g = pick_grey(path, rank_of, m, fe, &nonzero), cut = nonzero - g;
  sb_datablock(b, "grey", path, v->base, dat, fe, g, 0);
  if (cut) sb_band(b, path, v->base, fe + g, cut);
  sb_footer(b, v, p - m, g, cut);

  const char *sep = "plot ", *next = ", \\\n     ";
  if (cut) {
    rp_sb_printf(
        b, "%s$band using 1:2:3 with filledcurves fs solid noborder lc rgb '#e0e0e0' notitle", sep);
    sep = next;
  }
  if (g) {
    rp_sb_printf(b, "%s$grey using 1:2 with lines lw 1 lc rgb '#c4c4c4' notitle", sep);
    sep = next;
  }
  for (size_t r = 0; r < m; r++, sep = next)
    rp_sb_printf(b, "%s$labelled index %zu using 1:2 with lines lw 2 lc rgb '%s' notitle", sep, r,
                 rp_plot_palette[r % RP_PLOT_N_COLORS]);
  if (!g && !m) rp_sb_printf(b, "%sNaN notitle", sep); /* every path is the zero axis */
  rp_sb_putc(b, '\n');
  free(fe);
  return 1;
}

/* Few features: one coloured line each, named in a key outside on the right
 * (the 11th and 12th reuse the first colours, dashed), read from the data
 * file (`index` selects a class's block: "" or " index c"). */
static void sb_path_key(rp_sbuf *b, const rp_run_result *res, size_t p, const char *dat,
                        const char *index, rp_log_base base) {
  rp_sb_puts(b, "set key outside right top vertical Left reverse noautotitle spacing 1.2\n");
  rp_sb_puts(b, "plot ");
  for (size_t j = 0; j < p; j++) {
    rp_sb_printf(b, "%s'%s'%s using %s:(column(%zu)) with lines lw 2 lc rgb '%s' dt %d title ",
                 j ? ", \\\n     " : "", dat, index, rp_plot_x_using(base), j + 5,
                 rp_plot_palette[j % RP_PLOT_N_COLORS], j < RP_PLOT_N_COLORS ? 1 : 2);
    rp_sb_gp_quote(b, res->feature_names[j]);
  }
  rp_sb_putc(b, '\n');
}

/* One panel of the path plot: class c of K (K = 1: the fit's only linear
 * predictor).  A multinomial fit's panels are stacked, each PANEL_HEIGHT
 * pixels high, as glmnet's plot.multnet draws a plot per class; a panel's
 * plot area is about PANEL_HEIGHT - FRAME pixels (FRAME: the title, top
 * axis, x label and the notes under it). */
#define PANEL_HEIGHT 450
#define FRAME 150
typedef struct {
  size_t c, K;
  const rp_path *path; /* the class's coefficients (rp_plot_class_path) */
} panel;

static size_t plot_height(size_t K) { return K > 1 ? K * PANEL_HEIGHT : RP_PLOT_HEIGHT; }

/* Where the panel sits on the canvas, and a text line as a fraction of its
 * plot area (see path_view). */
static void place_panel(path_view *v, const panel *pn) {
  if (pn->K < 2) return;
  v->bottom = (double)(pn->K - 1 - pn->c) / (double)pn->K;
  v->scale = RP_PLOT_HEIGHT / (double)plot_height(pn->K);
  v->line = LINE * (RP_PLOT_HEIGHT - FRAME) / (PANEL_HEIGHT - FRAME);
}

/* The title: the fit, and a multinomial panel's class (a name from the
 * data, quoted). */
static void sb_title(rp_sbuf *b, const rp_run_result *res, const panel *pn) {
  const rp_path *path = pn->path;
  size_t p = path->p;
  const char *kind = path->l1_ratio == 1 ? "Lasso" : path->l1_ratio == 0 ? "Ridge" : "Elastic-net";
  char gamma[40];
  rp_plot_gamma_note(path, gamma, sizeof gamma);
  rp_sb_printf(b, "set title '%s path (l1_ratio = %g%s), %zu feature%s", kind, path->l1_ratio,
               gamma, p, p == 1 ? "" : "s");
  if (pn->K > 1) {
    char name[256];
    rp_classes_name(&res->classes, pn->c, name, sizeof name);
    rp_sb_puts(b, ": class ' . ");
    rp_sb_gp_quote(b, name);
  } else {
    rp_sb_putc(b, '\'');
  }
  rp_sb_puts(b, " font \",14\"\n");
}

/* The settings one panel leaves behind that the next must not inherit:
 * marks, labels and their arrows, the clip shading, margins. */
static void sb_reset_panel(rp_sbuf *b) {
  rp_sb_puts(b, "unset arrow\nunset label\nunset object\nset bmargin\nset rmargin\n");
}

static void sb_panel(rp_sbuf *b, const rp_run_result *res, size_t f, const panel *pn,
                     rp_log_base lb, const char *dat) {
  const rp_path *path = pn->path;
  size_t p = path->p, n = path->n_alphas;
  /* A class's block of the data file, named by its index alone: only
   * fixed text goes into the datablocks (sb_datablock). */
  char index[32] = "", where[128];
  if (pn->K > 1) snprintf(index, sizeof index, " index %zu", pn->c);
  snprintf(where, sizeof where, "%s%s", dat, index);
  if (pn->c) sb_reset_panel(b);
  sb_title(b, res, pn);
  rp_sb_printf(b, "set xlabel '%s'\nset ylabel 'coefficient (original scale)'\n",
               rp_plot_x_label(lb));
  rp_sb_puts(b, "set grid lt 1 lw 1 lc rgb '#e6e6e6'\nset xzeroaxis lt -1 lw 1 lc rgb '#909090'\n");

  path_view v = make_view(res, f, path, lb);
  place_panel(&v, pn);
  rp_plot_axis ax = rp_plot_xrange(b, lb, path->alphas, n);
  /* The clip note goes above the footer of the labelled plot. */
  sb_yrange(b, path, &v, p <= MAX_KEY ? 0.02 : 0.055);
  if (v.clipped && p <= MAX_KEY) rp_sb_puts(b, "set bmargin 5\n");
  rp_plot_df_axis(b, lb, path->alphas, path->df, n);
  rp_plot_marks(b, res, f, &ax);

  if (p <= MAX_KEY)
    sb_path_key(b, res, p, dat, index, lb);
  else if (!sb_path_labelled(b, res, path, where, &v))
    b->failed = 1;
}

/* A multinomial fit's panels, one per class, top to bottom. */
static void sb_class_panels(rp_sbuf *b, const rp_run_result *res, size_t f, rp_log_base lb,
                            const char *dat) {
  const rp_path *path = res->paths[f];
  rp_sb_printf(b, "set multiplot layout %zu,1\n", path->n_classes);
  for (size_t c = 0; c < path->n_classes; c++) {
    rp_path view;
    if (!rp_plot_class_path(path, c, &view)) {
      b->failed = 1;
      return;
    }
    panel pn = {c, path->n_classes, &view};
    sb_panel(b, res, f, &pn, lb, dat);
    rp_plot_class_path_free(&view);
  }
  rp_sb_puts(b, "unset multiplot\n");
}

char *rp_plot_path_script_opt(const rp_run_result *res, size_t f, const rp_plot_options *opt) {
  const rp_path *path = res->paths[f];
  rp_log_base lb = rp_plot_log_base(opt);
  char dat[80];
  rp_sbuf b = {0};
  rp_plot_open_fit(&b, res, f, "path", "coefficient paths", lb, plot_height(path->n_classes), dat,
                   sizeof dat);
  if (path->n_classes > 1) {
    sb_class_panels(&b, res, f, lb, dat);
  } else {
    panel pn = {0, 1, path};
    sb_panel(&b, res, f, &pn, lb, dat);
  }
  return rp_sb_finish(&b);
}

char *rp_plot_path_script(const rp_run_result *res, size_t f) {
  return rp_plot_path_script_opt(res, f, NULL);
}
