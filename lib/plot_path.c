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

/* A feature and a value of its path: |coef| at the smallest alpha when
 * choosing the labelled, max_k |coef_kj| when choosing the grey. */
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

static const char *plural(size_t n) { return n == 1 ? "" : "s"; }

/* The labelled features: the (up to) MAX_LABELLED largest by |coef| at the
 * smallest alpha, nonzero there.  Their indices by rank into rank_of, and
 * fe[0..m-1] (fe has p entries) sorted by that coefficient, ascending, for
 * placing the labels; returns m. */
static size_t pick_labelled(const rp_path *path, feature_value *fe, size_t *rank_of) {
  size_t p = path->p, last = path->n_alphas - 1, m = 0;
  for (size_t j = 0; j < p; j++) fe[j] = (feature_value){j, path->coef[last * p + j]};
  qsort(fe, p, sizeof *fe, by_size_desc);
  while (m < MAX_LABELLED && m < p && fe[m].v != 0) m++;
  /* Colours follow the rank by size; labels are placed in order of value. */
  for (size_t i = 0; i < m; i++) rank_of[i] = fe[i].j;
  qsort(fe, m, sizeof *fe, by_value_asc);
  return m;
}

/* The names of the labelled features fe[0..m-1] (ascending by end value) at
 * the right edge, each joined to its path's end by a line of its colour. */
static void sb_end_labels(rp_sbuf *b, const rp_run_result *res, size_t f, const feature_value *fe,
                          size_t m, const size_t *rank_of, double ylo, double yhi) {
  const rp_path *path = res->paths[f];
  double v[MAX_LABELLED], y[MAX_LABELLED];
  size_t widest = 0;
  for (size_t i = 0; i < m; i++) {
    size_t w = rp_plot_text_width(res->feature_names[fe[i].j]);
    if (w > widest) widest = w;
  }
  if (widest > RP_PLOT_MAX_SHOWN) widest = RP_PLOT_MAX_SHOWN;
  /* Room on the right for the names: about 7.5 px a character at 11 pt. */
  double rm = 1.0 - (40.0 + 7.5 * (double)widest) / 1000.0;
  if (rm < 0.6) rm = 0.6;
  rp_sb_printf(b, "set key off\nset rmargin at screen %.3f\nset bmargin 5\n", rm);

  /* One text line is ~16 px of a ~500 px high plot area. */
  double gap = (yhi - ylo) * 0.034;
  for (size_t i = 0; i < m; i++) v[i] = fe[i].v;
  spread_labels(v, m, gap, y);
  if (m && y[0] < ylo + gap / 2)
    for (size_t i = m; i-- > 0;) y[i] += ylo + gap / 2 - y[0];
  if (m && y[m - 1] > yhi - gap / 2)
    for (size_t i = m; i-- > 0;) y[i] -= y[m - 1] - (yhi - gap / 2);

  double xend = log10(path->alphas[path->n_alphas - 1]);
  for (size_t i = 0; i < m; i++) {
    size_t rank = 0;
    while (rank_of[rank] != fe[i].j) rank++;
    const char *color = rp_plot_palette[rank % RP_PLOT_N_COLORS];
    rp_sb_printf(b,
                 "set arrow from first %.17g, first %.17g to graph 1.012, first %.17g nohead "
                 "lw 1 lc rgb '%s'\n",
                 xend, fe[i].v, y[i], color);
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
 * features fe[0..n-1]: per feature a "log10(alpha) coef" line per alpha.
 * Features are separated by one blank line, so that one plot element draws
 * each as its own line, or with `apart` by two, so that `index i` picks the
 * i-th.  Only numbers and fixed text: no name from the data goes here. */
static void sb_datablock(rp_sbuf *b, const char *name, const rp_path *path, const char *dat,
                         const feature_value *fe, size_t n, int apart) {
  size_t p = path->p;
  rp_sb_printf(b, "$%s << EOD\n", name);
  for (size_t i = 0; i < n; i++) {
    if (i) rp_sb_puts(b, apart ? "\n\n" : "\n");
    rp_sb_printf(b, "# column %zu of %s\n", fe[i].j + 5, dat);
    for (size_t k = 0; k < path->n_alphas; k++)
      rp_sb_printf(b, "%.17g %.17g\n", log10(path->alphas[k]), path->coef[k * p + fe[i].j]);
  }
  rp_sb_puts(b, "EOD\n");
}

/* The range of the paths of features fe[0..n-1] (those cut by MAX_GREY) as
 * a datablock: per alpha "log10(alpha) min_j coef_kj max_j coef_kj", drawn
 * as a shaded band, so that the picture still shows where they lie. */
static void sb_band(rp_sbuf *b, const rp_path *path, const feature_value *fe, size_t n) {
  size_t p = path->p;
  rp_sb_puts(b, "$band << EOD\n");
  for (size_t k = 0; k < path->n_alphas; k++) {
    const double *row = path->coef + k * p;
    double lo = row[fe[0].j], hi = lo;
    for (size_t i = 1; i < n; i++) {
      lo = fmin(lo, row[fe[i].j]);
      hi = fmax(hi, row[fe[i].j]);
    }
    rp_sb_printf(b, "%.17g %.17g %.17g\n", log10(path->alphas[k]), lo, hi);
  }
  rp_sb_puts(b, "EOD\n");
}

/* Under the plot: how many features are not labelled, and of those how many
 * are not drawn (zero all along the path, or cut by MAX_GREY). */
static void sb_footer(rp_sbuf *b, size_t unlabelled, size_t grey, size_t cut) {
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
  rp_sb_puts(b, "' at screen 0.5, screen 0.02 center tc rgb '#606060'\n");
}

/* Many features: the MAX_LABELLED largest (by |coef| at the smallest alpha)
 * in colour, named at the right edge, the others in light grey, up to
 * MAX_GREY of them, the range of the rest shaded.  The paths are written into
 * the script as datablocks, which gnuplot reads once each: a `plot for` over
 * the columns of the data file would read the whole file once per feature,
 * O(p^2 n_alphas). */
static int sb_path_labelled(rp_sbuf *b, const rp_run_result *res, size_t f, const char *dat,
                            double ylo, double yhi) {
  const rp_path *path = res->paths[f];
  size_t p = path->p, rank_of[MAX_LABELLED], nonzero;
  feature_value *fe = malloc(p * sizeof *fe), by_rank[MAX_LABELLED];
  if (!fe) return 0;
  size_t m = pick_labelled(path, fe, rank_of);
  sb_end_labels(b, res, f, fe, m, rank_of, ylo, yhi);
  for (size_t r = 0; r < m; r++) by_rank[r] = (feature_value){rank_of[r], 0};
  sb_datablock(b, "labelled", path, dat, by_rank, m, 1);
  size_t g = pick_grey(path, rank_of, m, fe, &nonzero), cut = nonzero - g;
  sb_datablock(b, "grey", path, dat, fe, g, 0);
  if (cut) sb_band(b, path, fe + g, cut);
  sb_footer(b, p - m, g, cut);

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
 * (the 11th and 12th reuse the first colours, dashed). */
static void sb_path_key(rp_sbuf *b, const rp_run_result *res, size_t f, const char *dat) {
  size_t p = res->paths[f]->p;
  rp_sb_puts(b, "set key outside right top vertical Left reverse noautotitle spacing 1.2\n");
  rp_sb_puts(b, "plot ");
  for (size_t j = 0; j < p; j++) {
    rp_sb_printf(b, "%s'%s' using 2:(column(%zu)) with lines lw 2 lc rgb '%s' dt %d title ",
                 j ? ", \\\n     " : "", dat, j + 5, rp_plot_palette[j % RP_PLOT_N_COLORS],
                 j < RP_PLOT_N_COLORS ? 1 : 2);
    rp_sb_gp_quote(b, res->feature_names[j]);
  }
  rp_sb_putc(b, '\n');
}

char *rp_plot_path_script(const rp_run_result *res, size_t f) {
  const rp_path *path = res->paths[f];
  size_t p = path->p, n = path->n_alphas;
  char base[64], dat[80];
  rp_plot_base_name(res, f, "path", base, sizeof base);
  rp_plot_file_name(res, f, "path", "dat", dat, sizeof dat);
  rp_sbuf b = {0};
  rp_plot_header(&b, base, "coefficient paths against log10(alpha)");

  const char *kind = path->l1_ratio == 1 ? "Lasso" : path->l1_ratio == 0 ? "Ridge" : "Elastic-net";
  rp_sb_printf(&b, "set title '%s path (l1_ratio = %g), %zu feature%s' font \",14\"\n", kind,
               path->l1_ratio, p, p == 1 ? "" : "s");
  rp_sb_puts(&b, "set xlabel 'log10(alpha)'\nset ylabel 'coefficient (original scale)'\n");
  rp_sb_puts(&b,
             "set grid lt 1 lw 1 lc rgb '#e6e6e6'\nset xzeroaxis lt -1 lw 1 lc rgb '#909090'\n");

  double ylo = 0, yhi = 0;
  for (size_t i = 0; i < n * p; i++) {
    if (path->coef[i] < ylo) ylo = path->coef[i];
    if (path->coef[i] > yhi) yhi = path->coef[i];
  }
  if (yhi - ylo > 0) {
    double pad = 0.05 * (yhi - ylo);
    ylo -= pad;
    yhi += pad;
  } else {
    ylo = -1;
    yhi = 1;
  }
  double xhi, xlo;
  rp_plot_xrange(&b, path->alphas, n, &xhi, &xlo);
  rp_sb_printf(&b, "set yrange [%.17g:%.17g]\n", ylo, yhi);
  rp_plot_df_axis(&b, path->alphas, path->df, n);
  rp_plot_cv_lines(&b, res->cvs[f], xhi, xlo);

  if (p <= MAX_KEY)
    sb_path_key(&b, res, f, dat);
  else if (!sb_path_labelled(&b, res, f, dat, ylo, yhi))
    b.failed = 1;
  return rp_sb_finish(&b);
}
