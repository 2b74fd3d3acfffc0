/* plot_frame.h (private): what every plot script of a run shares: its
 * name, the opening (terminal, output file), the colours, the x axis of
 * log10(alpha) or log(alpha) with the number of nonzero coefficients along
 * the top, and the vertical lines that mark alpha_min, alpha_1se and the
 * selected alpha.
 *
 * Layout of every plot: x is log10(alpha) (or, with output.log_base "e",
 * log(alpha), as glmnet labels its axes) on a reversed axis, so that the
 * path reads from the null model (large alpha, left) to the least penalized
 * fit (right), as glmnet's default plot.glmnet (x = L1 norm) and
 * scikit-learn's lasso-path examples do; the CV plot uses the same axis so
 * that the two can be read side by side.  The number of nonzero coefficients
 * is shown along the top axis, as in plot.glmnet and plot.cv.glmnet.  The
 * direction stays reversed with log(alpha) too (glmnet's own plots run the
 * other way): one direction for every plot regpath writes.
 */
#ifndef REGPATH_PLOT_FRAME_H
#define REGPATH_PLOT_FRAME_H

#include <stddef.h>

#include "plot_text.h"
#include "regpath/plots.h"
#include "regpath/run.h"

/* tab10, the palette of matplotlib and Vega (ten colours told apart
 * easily), with black for its grey, which unlabelled paths use. */
extern const char *const rp_plot_palette[];
#define RP_PLOT_N_COLORS 10

/* "lasso", "ridge" or "elastic net". */
const char *rp_plot_fit_kind(double l1_ratio);

/* ", gamma 0.25" for a relaxed blend's path (model.relax), "" for a
 * penalized one: added after the l1_ratio in titles and legends. */
void rp_plot_gamma_note(const rp_path *path, char *buf, size_t size);

/* Class c's coefficients of a multinomial path as a path of its own: a
 * shallow copy of `path` with n_classes 1 whose coef and df (the class's
 * nonzero coefficients, as glmnet's plot.multnet counts them) are class
 * c's, so that a class is drawn and written as a one-predictor path is.
 * Free with rp_plot_class_path_free; 0 when out of memory. */
int rp_plot_class_path(const rp_path *path, size_t c, rp_path *view);
void rp_plot_class_path_free(rp_path *view);

/* The name of fit f's plot files of `kind` without the extension: `kind`
 * with one fit, "<kind>_l1-<l1_ratio>" with several (see
 * rp_plot_file_name). */
void rp_plot_base_name(const rp_run_result *res, size_t f, const char *kind, char *buf,
                       size_t size);

/* The height in pixels of a plot of one panel (every plot but a
 * multinomial fit's path plot), 1000 wide. */
#define RP_PLOT_HEIGHT 650

/* The opening every script shares: terminal from `fmt` (1000 x `height`
 * pixels), output file. */
void rp_plot_header(rp_sbuf *b, const char *base, const char *what, size_t height);

/* The x axis: log10(alpha) or log(alpha) (output.log_base), running from
 * hi (the largest alpha, left) to lo. */
typedef struct {
  rp_log_base base;
  double hi, lo;
} rp_plot_axis;

/* The options' log base; base 10 without options. */
rp_log_base rp_plot_log_base(const rp_plot_options *opt);

/* The opening of fit f's script of `kind` ("path" or "cv"): the header,
 * that says it draws `what` against the x axis, `height` pixels high; the
 * name of the fit's data file of that kind into dat (`size` bytes). */
void rp_plot_open_fit(rp_sbuf *b, const rp_run_result *res, size_t f, const char *kind,
                      const char *what, rp_log_base base, size_t height, char *dat, size_t size);

/* x of an alpha on that axis. */
double rp_plot_x(rp_log_base base, double alpha);

/* "log10(alpha)" or "log(alpha)", the axis title. */
const char *rp_plot_x_label(rp_log_base base);

/* The x of a `using` clause on a data file (path.dat, cv.dat): column 2
 * (log10_alpha), or the natural log of column 1 (alpha). */
const char *rp_plot_x_using(rp_log_base base);

/* Writes x from the first to the last alpha of the grid (reversed: alphas
 * decrease), padded when the grid has one point; returns the axis. */
rp_plot_axis rp_plot_xrange(rp_sbuf *b, rp_log_base base, const double *alphas, size_t n);

/* Number of nonzero coefficients along the top axis at about nine evenly
 * spaced points of the grid. */
void rp_plot_df_axis(rp_sbuf *b, rp_log_base base, const double *alphas, const size_t *df,
                     size_t n);

/* A character of a label at the top of a plot, as a fraction of the plot
 * width (an upper bound: see plot_frame.c). */
#define RP_PLOT_CHAR_WIDTH 0.02
/* The colour of the selected alpha's line and label. */
#define RP_PLOT_SELECTED_COLOR "#202020"

/* Vertical lines at fit f's alpha_1se and alpha_min (dashed) and, when the
 * run selected fit f, at the selected alpha (solid), labelled at the top of
 * the plot: "1se", "min", "selected", one label per alpha ("min = 1se",
 * "1se (selected)", ...), placed so that no two overlap. */
void rp_plot_marks(rp_sbuf *b, const rp_run_result *res, size_t f, const rp_plot_axis *ax);

#endif
