/* plots.c: gnuplot data files and scripts for a run, and rendering (see
 * regpath/plots.h).
 *
 * Layout of every plot: x is log10(alpha) on a reversed axis, so that the
 * path reads from the null model (large alpha, left) to the least penalized
 * fit (right), as glmnet's default plot.glmnet (x = L1 norm) and
 * scikit-learn's lasso-path examples do; the CV plot uses the same axis so
 * that the two can be read side by side.  The number of nonzero coefficients
 * is shown along the top axis, as in plot.glmnet and plot.cv.glmnet.
 *
 * Quoting.  Feature names come from a CSV header, i.e. from whoever wrote the
 * data, and end up in gnuplot scripts as key titles and labels.  gnuplot
 * performs backquote command substitution (`cmd`) inside double-quoted
 * strings, expands backslash escapes there, and expands @macros outside
 * quotes; single-quoted strings are taken literally (no backquotes, no
 * macros, no escapes).  So every text that comes from the data is written as
 * single-quoted strings, a ' in it as the constant "'" joined on with `.`
 * (see sb_gp_quote), and control characters (a newline would end the
 * command) replaced by spaces.  The terminals are set `noenhanced` so that
 * _ ^ @ { } & in names are shown as themselves, not as markup (with enhanced
 * text gnuplot would also read octal escapes in single-quoted strings).
 * Scripts use no macros, eval, system() or backquotes.
 */
#define _POSIX_C_SOURCE 200809L
#include "regpath/plots.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- a growing text buffer ------------------------------------------- */

typedef struct {
  char *s;
  size_t len, cap;
  int failed; /* out of memory: every later append is a no-op */
} sbuf;

static int sb_reserve(sbuf *b, size_t extra) {
  if (b->failed) return 0;
  if (b->len + extra + 1 <= b->cap) return 1;
  size_t cap = b->cap ? b->cap : 4096;
  while (cap < b->len + extra + 1) cap *= 2;
  char *s = realloc(b->s, cap);
  if (!s) {
    b->failed = 1;
    return 0;
  }
  b->s = s;
  b->cap = cap;
  return 1;
}

static void sb_putc(sbuf *b, char c) {
  if (!sb_reserve(b, 1)) return;
  b->s[b->len++] = c;
  b->s[b->len] = '\0';
}

static void sb_puts(sbuf *b, const char *s) {
  size_t n = strlen(s);
  if (!sb_reserve(b, n)) return;
  memcpy(b->s + b->len, s, n + 1);
  b->len += n;
}

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...) {
  if (b->failed) return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) {
    b->failed = 1;
    return;
  }
  if (!sb_reserve(b, (size_t)n)) return;
  va_start(ap, fmt);
  vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

/* The text, or NULL (and nothing leaked) when an append ran out of memory. */
static char *sb_finish(sbuf *b) {
  if (b->failed) {
    free(b->s);
    return NULL;
  }
  if (!b->s) return calloc(1, 1);
  return b->s;
}

/* ---- text from the data ---------------------------------------------- */

/* Longest label or key title shown, in characters; longer names are cut and
 * end in "..." so that one long name cannot squeeze the plot away. */
#define MAX_SHOWN 40

static int is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

/* Number of UTF-8 code points in s (continuation bytes not counted). */
static size_t text_width(const char *s) {
  size_t n = 0;
  for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

/* `s` as a gnuplot string expression made of single-quoted strings (see the
 * comment at the top), with control characters as spaces and text longer
 * than MAX_SHOWN characters cut at a character boundary and ended in "...".
 * A quote in `s` is written as the separate string "'" joined with `.`:
 * gnuplot's own escape for it, two quotes inside single quotes, is
 * mis-scanned by gnuplot 5.4 when two such pairs follow each other or one
 * opens the string (the text then splits into several strings: a syntax
 * error, though never text outside a string). */
static void sb_gp_quote(sbuf *b, const char *s) {
  size_t width = text_width(s), shown = 0;
  size_t keep = width > MAX_SHOWN ? MAX_SHOWN - 3 : width;
  int open = 0, any = 0; /* inside a '...' piece; a piece written */
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if ((c & 0xC0) != 0x80 && shown++ == keep) break;
    if (c == '\'') {
      if (open) sb_putc(b, '\'');
      sb_puts(b, any ? " . \"'\"" : "\"'\"");
      open = 0;
    } else {
      if (!open) sb_puts(b, any ? " . '" : "'");
      sb_putc(b, is_control(c) ? ' ' : (char)c);
      open = 1;
    }
    any = 1;
  }
  if (width > MAX_SHOWN) {
    if (!open) sb_puts(b, any ? " . '" : "'");
    sb_puts(b, "...");
    open = any = 1;
  }
  if (open) sb_putc(b, '\'');
  if (!any) sb_puts(b, "''");
}

/* `s` in double quotes for a data file's comment line (read by people, not
 * by gnuplot): \ and " escaped C-style, control characters as spaces. */
static void sb_comment_quote(sbuf *b, const char *s) {
  sb_putc(b, '"');
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') sb_putc(b, '\\');
    sb_putc(b, is_control(c) ? ' ' : (char)c);
  }
  sb_putc(b, '"');
}

/* ---- file names ------------------------------------------------------ */

static void base_name(const rp_run_result *res, size_t f, const char *kind, char *buf,
                      size_t size) {
  if (res->n_fits > 1)
    snprintf(buf, size, "%s_l1-%g", kind, res->paths[f]->l1_ratio);
  else
    snprintf(buf, size, "%s", kind);
}

void rp_plot_file_name(const rp_run_result *res, size_t f, const char *kind, const char *ext,
                       char *buf, size_t size) {
  char base[64];
  base_name(res, f, kind, base, sizeof base);
  snprintf(buf, size, "%s.%s", base, ext);
}

/* ---- data files ------------------------------------------------------ */

char *rp_plot_path_data(const rp_run_result *res, size_t f) {
  const rp_path *path = res->paths[f];
  size_t p = path->p;
  sbuf b = {0};
  sb_puts(&b, "# alpha log10_alpha df dev_ratio");
  for (size_t j = 0; j < p; j++) {
    sb_putc(&b, ' ');
    sb_comment_quote(&b, res->feature_names[j]);
  }
  sb_putc(&b, '\n');
  for (size_t k = 0; k < path->n_alphas; k++) {
    sb_printf(&b, "%.17g %.17g %zu %.17g", path->alphas[k], log10(path->alphas[k]),
              path->df[k], path->dev_ratio[k]);
    for (size_t j = 0; j < p; j++) sb_printf(&b, " %.17g", path->coef[k * p + j]);
    sb_putc(&b, '\n');
  }
  return sb_finish(&b);
}

/* The test set's score in the CV metric, at point k of fit f. */
static double test_error(const rp_run_result *res, size_t f, size_t k) {
  return rp_scores_metric(res->test_scores[f][k], res->metric);
}

static const char *metric_label(const rp_run_result *res) {
  return rp_metric_description(res->metric, res->family);
}

/* With a test set, an eighth column holds its error in the CV metric. */
char *rp_plot_cv_data(const rp_run_result *res, size_t f) {
  const rp_path *path = res->paths[f];
  const rp_cv *cv = res->cvs[f];
  sbuf b = {0};
  sb_puts(&b, res->n_test ? "# alpha log10_alpha mean std_error mean-se mean+se df test\n"
                          : "# alpha log10_alpha mean std_error mean-se mean+se df\n");
  for (size_t k = 0; k < cv->n_alphas; k++) {
    double m = cv->mean[k], se = cv->std_error[k];
    size_t df = k < path->n_alphas ? path->df[k] : 0;
    sb_printf(&b, "%.17g %.17g %.17g %.17g %.17g %.17g %zu", cv->alphas[k],
              log10(cv->alphas[k]), m, se, m - se, m + se, df);
    if (res->n_test) sb_printf(&b, " %.17g", test_error(res, f, k));
    sb_putc(&b, '\n');
  }
  return sb_finish(&b);
}

/* ---- pieces shared by the scripts ------------------------------------ */

/* tab10, the palette of matplotlib and Vega (ten colours told apart
 * easily), with black for its grey, which unlabelled paths use. */
static const char *const palette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
                                      "#9467bd", "#8c564b", "#e377c2", "#000000",
                                      "#bcbd22", "#17becf"};
#define N_COLORS (sizeof palette / sizeof palette[0])

static const char *fit_kind(double l1_ratio) {
  return l1_ratio == 1 ? "lasso" : l1_ratio == 0 ? "ridge" : "elastic net";
}

/* The opening every script shares: terminal from `fmt`, output file. */
static void sb_header(sbuf *b, const char *base, const char *what) {
  sb_printf(b,
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
static void sb_xrange(sbuf *b, const double *alphas, size_t n, double *hi, double *lo) {
  *hi = log10(alphas[0]);
  *lo = log10(alphas[n - 1]);
  if (!(*hi > *lo)) {
    *hi += 0.5;
    *lo -= 0.5;
  }
  sb_printf(b, "set xrange [%.17g:%.17g]\n", *hi, *lo);
}

/* Number of nonzero coefficients along the top axis at about nine evenly
 * spaced points of the grid. */
static void sb_df_axis(sbuf *b, const double *alphas, const size_t *df, size_t n) {
  size_t m = n < 9 ? n : 9;
  sb_puts(b, "set link x2\nset x2label 'nonzero coefficients'\nset x2tics out nomirror (");
  size_t last = (size_t)-1;
  for (size_t i = 0; i < m; i++) {
    size_t k = m > 1 ? (i * (n - 1) + (m - 1) / 2) / (m - 1) : 0;
    if (k == last) continue;
    sb_printf(b, "%s'%zu' %.17g", last == (size_t)-1 ? "" : ", ", df[k], log10(alphas[k]));
    last = k;
  }
  sb_puts(b, ")\nset xtics nomirror\n");
}

/* Dashed vertical lines at log10(alpha_min) and log10(alpha_1se), labelled
 * at the top of the plot, the x axis running from hi to lo.  Each label is
 * written beside its line on the side away from the other line
 * (alpha_1se >= alpha_min, so "1se" goes left, "min" right), unless that
 * would put it outside the plot; two labels that would then overlap are
 * written on two rows. */
static void sb_cv_lines(sbuf *b, const rp_cv *cv, double hi, double lo) {
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
    sb_printf(b, "set arrow from first %.17g, graph 0 to first %.17g, graph 1 %s\n", lab[i].x,
              lab[i].x, line);
    sb_printf(b, "set label '%s' at first %.17g, graph 1 %s offset %s0.5,%d front\n",
              lab[i].text, lab[i].x, lab[i].right ? "left" : "right", lab[i].right ? "" : "-",
              -lab[i].row);
  }
}

/* ---- path script ----------------------------------------------------- */

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

typedef struct {
  size_t j;
  double end; /* coefficient at the smallest alpha */
} feature_end;

static int by_size_desc(const void *a, const void *b) {
  const feature_end *x = a, *y = b;
  double ax = fabs(x->end), ay = fabs(y->end);
  if (ax != ay) return ax < ay ? 1 : -1;
  return x->j < y->j ? -1 : x->j > y->j;
}

static int by_end_asc(const void *a, const void *b) {
  const feature_end *x = a, *y = b;
  if (x->end != y->end) return x->end < y->end ? -1 : 1;
  return x->j < y->j ? -1 : x->j > y->j;
}

/* Features shown with a legend; above this, only the largest are labelled. */
#define MAX_KEY 12
#define MAX_LABELLED 10

/* Many features: every path in light grey, the MAX_LABELLED largest (by
 * |coef| at the smallest alpha) in colour, named at the right edge. */
static int sb_path_labelled(sbuf *b, const rp_run_result *res, size_t f, const char *dat,
                            double ylo, double yhi) {
  const rp_path *path = res->paths[f];
  size_t p = path->p, last = path->n_alphas - 1;
  feature_end *fe = malloc(p * sizeof *fe);
  double *v = malloc(MAX_LABELLED * sizeof *v), *y = malloc(MAX_LABELLED * sizeof *y);
  if (!fe || !v || !y) {
    free(fe);
    free(v);
    free(y);
    return 0;
  }
  for (size_t j = 0; j < p; j++) fe[j] = (feature_end){j, path->coef[last * p + j]};
  qsort(fe, p, sizeof *fe, by_size_desc);
  size_t m = 0;
  while (m < MAX_LABELLED && m < p && fe[m].end != 0) m++;
  /* Colours follow the rank by size; labels are placed in order of value. */
  size_t rank_of[MAX_LABELLED];
  for (size_t i = 0; i < m; i++) rank_of[i] = fe[i].j;
  qsort(fe, m, sizeof *fe, by_end_asc);

  size_t widest = 0;
  for (size_t i = 0; i < m; i++) {
    size_t w = text_width(res->feature_names[fe[i].j]);
    if (w > widest) widest = w;
  }
  if (widest > MAX_SHOWN) widest = MAX_SHOWN;
  /* Room on the right for the names: about 7.5 px a character at 11 pt. */
  double rm = 1.0 - (40.0 + 7.5 * (double)widest) / 1000.0;
  if (rm < 0.6) rm = 0.6;
  sb_printf(b, "set key off\nset rmargin at screen %.3f\nset bmargin 5\n", rm);

  /* One text line is ~16 px of a ~500 px high plot area. */
  double gap = (yhi - ylo) * 0.034;
  for (size_t i = 0; i < m; i++) v[i] = fe[i].end;
  spread_labels(v, m, gap, y);
  if (m && y[0] < ylo + gap / 2)
    for (size_t i = m; i-- > 0;) y[i] += ylo + gap / 2 - y[0];
  if (m && y[m - 1] > yhi - gap / 2)
    for (size_t i = m; i-- > 0;) y[i] -= y[m - 1] - (yhi - gap / 2);

  double xend = log10(path->alphas[last]);
  for (size_t i = 0; i < m; i++) {
    size_t rank = 0;
    while (rank_of[rank] != fe[i].j) rank++;
    const char *color = palette[rank % N_COLORS];
    sb_printf(b,
              "set arrow from first %.17g, first %.17g to graph 1.012, first %.17g nohead "
              "lw 1 lc rgb '%s'\n",
              xend, fe[i].end, y[i], color);
    sb_puts(b, "set label ");
    sb_gp_quote(b, res->feature_names[fe[i].j]);
    sb_printf(b, " at graph 1.015, first %.17g left tc rgb '%s'\n", y[i], color);
  }
  if (p > m)
    sb_printf(b,
              "set label '%zu other feature%s (grey) not labelled' at screen 0.5, screen 0.02 "
              "center tc rgb '#606060'\n",
              p - m, p - m == 1 ? "" : "s");

  sb_printf(b,
            "plot for [k=5:%zu] '%s' using 2:(column(k)) with lines lw 1 lc rgb '#c4c4c4' "
            "notitle",
            p + 4, dat);
  for (size_t r = 0; r < m; r++)
    sb_printf(b, ", \\\n     '%s' using 2:(column(%zu)) with lines lw 2 lc rgb '%s' notitle", dat,
              rank_of[r] + 5, palette[r % N_COLORS]);
  sb_putc(b, '\n');
  free(fe);
  free(v);
  free(y);
  return 1;
}

/* Few features: one coloured line each, named in a key outside on the right
 * (the 11th and 12th reuse the first colours, dashed). */
static void sb_path_key(sbuf *b, const rp_run_result *res, size_t f, const char *dat) {
  size_t p = res->paths[f]->p;
  sb_puts(b, "set key outside right top vertical Left reverse noautotitle spacing 1.2\n");
  sb_puts(b, "plot ");
  for (size_t j = 0; j < p; j++) {
    sb_printf(b, "%s'%s' using 2:(column(%zu)) with lines lw 2 lc rgb '%s' dt %d title ",
              j ? ", \\\n     " : "", dat, j + 5, palette[j % N_COLORS], j < N_COLORS ? 1 : 2);
    sb_gp_quote(b, res->feature_names[j]);
  }
  sb_putc(b, '\n');
}

char *rp_plot_path_script(const rp_run_result *res, size_t f) {
  const rp_path *path = res->paths[f];
  size_t p = path->p, n = path->n_alphas;
  char base[64], dat[80];
  base_name(res, f, "path", base, sizeof base);
  rp_plot_file_name(res, f, "path", "dat", dat, sizeof dat);
  sbuf b = {0};
  sb_header(&b, base, "coefficient paths against log10(alpha)");

  const char *kind = path->l1_ratio == 1 ? "Lasso" : path->l1_ratio == 0 ? "Ridge" : "Elastic-net";
  sb_printf(&b, "set title '%s path (l1_ratio = %g), %zu feature%s' font \",14\"\n", kind,
            path->l1_ratio, p, p == 1 ? "" : "s");
  sb_puts(&b, "set xlabel 'log10(alpha)'\nset ylabel 'coefficient (original scale)'\n");
  sb_puts(&b, "set grid lt 1 lw 1 lc rgb '#e6e6e6'\nset xzeroaxis lt -1 lw 1 lc rgb '#909090'\n");

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
  sb_xrange(&b, path->alphas, n, &xhi, &xlo);
  sb_printf(&b, "set yrange [%.17g:%.17g]\n", ylo, yhi);
  sb_df_axis(&b, path->alphas, path->df, n);
  sb_cv_lines(&b, res->cvs[f], xhi, xlo);

  if (p <= MAX_KEY)
    sb_path_key(&b, res, f, dat);
  else if (!sb_path_labelled(&b, res, f, dat, ylo, yhi))
    b.failed = 1;
  return sb_finish(&b);
}

/* ---- CV scripts ------------------------------------------------------ */

char *rp_plot_cv_script(const rp_run_result *res, size_t f) {
  const rp_path *path = res->paths[f];
  const rp_cv *cv = res->cvs[f];
  char base[64], dat[80];
  base_name(res, f, "cv", base, sizeof base);
  rp_plot_file_name(res, f, "cv", "dat", dat, sizeof dat);
  sbuf b = {0};
  sb_header(&b, base, "cross-validated error against log10(alpha)");
  sb_printf(&b, "set title '%zu-fold CV of the %s (l1_ratio = %g): mean +/- 1 se' font \",14\"\n",
            cv->n_folds, fit_kind(path->l1_ratio), path->l1_ratio);
  sb_printf(&b, "set xlabel 'log10(alpha)'\nset ylabel 'cross-validated %s'\n", metric_label(res));
  sb_puts(&b, "set grid lt 1 lw 1 lc rgb '#e6e6e6'\nset bars 0.5\n");
  sb_puts(&b, res->n_test ? "set key top right opaque box lc rgb '#c0c0c0'\n" : "set key off\n");
  double xhi, xlo;
  sb_xrange(&b, cv->alphas, cv->n_alphas, &xhi, &xlo);
  size_t n = cv->n_alphas < path->n_alphas ? cv->n_alphas : path->n_alphas;
  if (n) sb_df_axis(&b, cv->alphas, path->df, n);
  sb_cv_lines(&b, cv, xhi, xlo);
  sb_printf(&b,
            "plot '%s' using 2:3:5:6 with yerrorbars pt -1 lw 1 lc rgb '#a0a0a0' notitle, \\\n"
            "     '%s' using 2:3 with points pt 7 ps 0.9 lc rgb '#d62728' title 'CV mean'",
            dat, dat);
  if (res->n_test)
    sb_printf(&b, ", \\\n     '%s' using 2:8 with lines lw 2 lc rgb '#1f77b4' title 'test set (%zu rows)'",
              dat, res->n_test);
  sb_putc(&b, '\n');
  return sb_finish(&b);
}

char *rp_plot_compare_script(const rp_run_result *res) {
  sbuf b = {0};
  size_t n_folds = res->n_fits ? res->cvs[0]->n_folds : 0;
  sb_header(&b, "compare", "CV curves of every l1_ratio on one log10(alpha) axis");
  sb_printf(&b,
            "set title '%zu-fold CV error by l1_ratio (band: mean +/- 1 se, dot: minimum)' "
            "font \",14\"\n",
            n_folds);
  sb_printf(&b, "set xlabel 'log10(alpha)'\nset ylabel 'cross-validated %s'\n", metric_label(res));
  sb_puts(&b, "set grid lt 1 lw 1 lc rgb '#e6e6e6'\n");
  sb_puts(&b, "set key top right opaque box lc rgb '#c0c0c0' Left reverse spacing 1.3\n");

  double hi = -HUGE_VAL, lo = HUGE_VAL;
  for (size_t f = 0; f < res->n_fits; f++) {
    const rp_cv *cv = res->cvs[f];
    if (!cv->n_alphas) continue;
    if (log10(cv->alphas[0]) > hi) hi = log10(cv->alphas[0]);
    if (log10(cv->alphas[cv->n_alphas - 1]) < lo) lo = log10(cv->alphas[cv->n_alphas - 1]);
  }
  if (!(hi > lo)) {
    hi = (hi == -HUGE_VAL ? 0 : hi) + 0.5;
    lo = hi - 1;
  }
  sb_printf(&b, "set xrange [%.17g:%.17g]\n", hi, lo);

  /* The chosen model, as a dotted line in its curve's colour. */
  if (res->selected_fit < res->n_fits &&
      res->selected_index < res->cvs[res->selected_fit]->n_alphas) {
    size_t s = res->selected_fit;
    double x = log10(res->cvs[s]->alphas[res->selected_index]);
    sb_printf(&b,
              "set arrow from first %.17g, graph 0 to first %.17g, graph 1 nohead dt 3 lw 1.5 "
              "lc rgb '%s' back\n"
              "set label 'chosen (l1_ratio %g, %s rule)' at first %.17g, graph 0 left "
              "offset 0.5,1 tc rgb '%s'\n",
              x, x, palette[s % N_COLORS], res->paths[s]->l1_ratio,
              res->rule == RP_RULE_MIN ? "min" : "1se", x, palette[s % N_COLORS]);
  }

  sb_puts(&b, "plot ");
  for (size_t f = 0; f < res->n_fits; f++) {
    char dat[80];
    const char *color = palette[f % N_COLORS];
    double r = res->paths[f]->l1_ratio;
    rp_plot_file_name(res, f, "cv", "dat", dat, sizeof dat);
    sb_printf(&b,
              "%s'%s' using 2:5:6 with filledcurves fs transparent solid 0.2 noborder lc rgb '%s' "
              "notitle, \\\n"
              "     '%s' using 2:3 with lines lw 2 lc rgb '%s' title '%s (l1_ratio %g)', \\\n"
              "     '%s' using 2:($0 == %zu ? $3 : NaN) with points pt 7 ps 1.4 lc rgb '%s' "
              "notitle",
              f ? ", \\\n     " : "", dat, color, dat, color, fit_kind(r), r, dat,
              res->cvs[f]->index_min, color);
  }
  sb_putc(&b, '\n');
  return sb_finish(&b);
}

/* ---- finding and running gnuplot ------------------------------------- */

int rp_plot_find_gnuplot(char *buf, size_t size) {
  const char *path = getenv("PATH");
  if (!path) path = "/usr/local/bin:/usr/bin:/bin";
  while (1) {
    const char *end = strchr(path, ':');
    size_t len = end ? (size_t)(end - path) : strlen(path);
    /* An empty PATH entry means the current folder. */
    int n = len ? snprintf(buf, size, "%.*s/gnuplot", (int)len, path)
                : snprintf(buf, size, "./gnuplot");
    struct stat st;
    if (n > 0 && (size_t)n < size && stat(buf, &st) == 0 && S_ISREG(st.st_mode) &&
        access(buf, X_OK) == 0)
      return 1;
    if (!end) break;
    path = end + 1;
  }
  if (size) buf[0] = '\0';
  return 0;
}

/* Exit codes of the child when it could not get as far as gnuplot. */
#define CHILD_NO_DIR 126
#define CHILD_NO_EXEC 127

/* Write a constant text from the child (only async-signal-safe calls there). */
static void child_say(int fd, const char *s) {
  size_t n = strlen(s);
  while (n) {
    ssize_t w = write(fd, s, n);
    if (w <= 0) return;
    s += w;
    n -= (size_t)w;
  }
}

/* The line of gnuplot's stderr worth reporting: the first in gnuplot's own
 * error format, `"<file>" line <n>: <what>` (the lines before it echo the
 * offending command and point at it with ^), otherwise the first nonblank
 * one; leading blanks dropped, control characters as spaces. */
static void pick_message(const char *text, char *buf, size_t size) {
  const char *first = NULL, *chosen = NULL;
  for (const char *line = text; *line && !chosen;) {
    const char *end = strchr(line, '\n');
    if (!end) end = line + strlen(line);
    const char *s = line;
    while (s < end && (*s == ' ' || *s == '\t' || *s == '\r')) s++;
    if (s < end) {
      if (!first) first = s;
      for (const char *q = s; q + 6 < end; q++)
        if (!strncmp(q, "line ", 5) && q[5] >= '0' && q[5] <= '9') {
          const char *d = q + 5;
          while (d < end && *d >= '0' && *d <= '9') d++;
          if (d < end && *d == ':') {
            chosen = s;
            break;
          }
        }
    }
    line = *end ? end + 1 : end;
  }
  if (!chosen) chosen = first ? first : "";
  size_t k = 0;
  for (; chosen[k] && chosen[k] != '\n' && k + 1 < size; k++)
    buf[k] = is_control((unsigned char)chosen[k]) ? ' ' : chosen[k];
  while (k > 0 && buf[k - 1] == ' ') k--;
  buf[k] = '\0';
}

rp_status rp_plot_render(const char *gnuplot, const char *dir, const char *script,
                         const char *format, rp_error *err) {
  if (!gnuplot || !dir || !script || !format)
    return rp_error_set(err, RP_EINVAL, "rp_plot_render: NULL argument");
  if (strcmp(format, "png") != 0 && strcmp(format, "svg") != 0)
    return rp_error_set(err, RP_EINVAL, "plot format must be png or svg, got \"%s\"", format);
  /* execv takes char *const[]; everything it gets is copied here, before
   * fork, so that the child only calls async-signal-safe functions. */
  char arg0[] = "gnuplot", arg1[] = "-e", fmt_arg[16];
  snprintf(fmt_arg, sizeof fmt_arg, "fmt='%s'", format);
  char *script_arg = strdup(script);
  if (!script_arg) return rp_error_set(err, RP_ENOMEM, "out of memory");
  char *argv[] = {arg0, arg1, fmt_arg, script_arg, NULL};

  int fds[2];
  if (pipe(fds) != 0) {
    int e = errno;
    free(script_arg);
    return rp_error_set(err, RP_EIO, "gnuplot failed on %s: cannot make a pipe: %s", script,
                        strerror(e));
  }
  fcntl(fds[0], F_SETFD, FD_CLOEXEC);
  fcntl(fds[1], F_SETFD, FD_CLOEXEC);
  pid_t pid = fork();
  if (pid < 0) {
    int e = errno;
    close(fds[0]);
    close(fds[1]);
    free(script_arg);
    return rp_error_set(err, RP_EIO, "gnuplot failed on %s: cannot fork: %s", script,
                        strerror(e));
  }
  if (pid == 0) {
    /* Child: signals as a fresh program has them (the caller may block
     * SIGINT/SIGTERM while it writes output, or ignore SIGPIPE); stdin and
     * stdout on /dev/null, stderr into the pipe. */
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null >= 0) {
      dup2(null, 0);
      dup2(null, 1);
    }
    dup2(fds[1], 2); /* dup2 clears FD_CLOEXEC on the copy */
    if (chdir(dir) != 0) {
      child_say(2, "cannot enter the output folder\n");
      _exit(CHILD_NO_DIR);
    }
    execv(gnuplot, argv);
    child_say(2, "cannot execute gnuplot\n");
    _exit(CHILD_NO_EXEC);
  }

  /* Parent: read the whole of stderr (so gnuplot never blocks on a full
   * pipe), keeping its start for the message. */
  close(fds[1]);
  free(script_arg);
  char text[4096];
  size_t used = 0;
  char chunk[4096];
  while (1) {
    ssize_t got = read(fds[0], chunk, sizeof chunk);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    size_t take = (size_t)got < sizeof text - 1 - used ? (size_t)got : sizeof text - 1 - used;
    memcpy(text + used, chunk, take);
    used += take;
  }
  text[used] = '\0';
  close(fds[0]);
  int status;
  pid_t w;
  do
    w = waitpid(pid, &status, 0);
  while (w < 0 && errno == EINTR);
  if (w < 0)
    return rp_error_set(err, RP_EIO, "gnuplot failed on %s: %s", script, strerror(errno));

  char msg[512];
  pick_message(text, msg, sizeof msg);
  if (WIFSIGNALED(status))
    return rp_error_set(err, RP_EIO, "gnuplot failed on %s: killed by signal %d%s%s", script,
                        WTERMSIG(status), *msg ? ": " : "", msg);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    if (*msg)
      return rp_error_set(err, RP_EIO, "gnuplot failed on %s: %s", script, msg);
    return rp_error_set(err, RP_EIO, "gnuplot failed on %s: exit status %d", script,
                        WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  }
  return RP_OK;
}
